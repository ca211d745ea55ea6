"""Formulas in the shapes published ML and alignment writing uses, each converted
inline and in display, and held to what a reader must get: MathML with no LaTeX
left in it (no backslash, no brace outside a fence), no error element, words
in text never as mathematical letters, and only the attributes MathML Core
renders.

The shapes come from a collection of 335 formulas taken from public essays
and papers (kept outside the repository: other people's text); the formulas
here are this project's own, one or more per shape. Each refused formula says
what to write instead.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from essayist.content.mathml import convert

NS = "{http://www.w3.org/1998/Math/MathML}"
ATTRIBUTES = {
    "display", "stretchy", "fence", "separator", "lspace", "rspace", "movablelimits",
    "accent", "accentunder", "mathvariant", "width", "columnalign", "displaystyle",
    "linethickness", "symmetric", "form", "largeop", "scriptlevel", "minsize", "maxsize",
    "rowlines", "columnlines", "frame", "notation", "height", "depth", "voffset",
    "rowspacing", "columnspacing", "class",
}  # fmt: skip
MATH_LETTERS = re.compile("[\U0001d400-\U0001d7ff]")

CORPUS = [
    # Probability and information
    r"D_{\mathrm{KL}}(P \,\|\, Q) = \sum_x P(x) \log \frac{P(x)}{Q(x)}",
    r"\mathbb{E}_{x \sim \mathcal{D}}\left[\ell(f_\theta(x), y)\right]",
    r"p(y \mid x) \propto \exp\left(\beta\, r(x, y)\right)",
    r"H(X) = -\sum_{i=1}^{n} p_i \log_2 p_i",
    r"\Pr[X \geq t] \leq \frac{\mathbb{E}[X]}{t}",
    r"I(X; Y) = H(X) - H(X \mid Y)",
    r"\operatorname{Var}(X) = \mathbb{E}[X^2] - \mathbb{E}[X]^2",
    r"\mathcal{N}(\mu, \sigma^2)",
    # Reinforcement learning
    r"V^\pi(s) = \mathbb{E}_\pi\left[\sum_{t=0}^{\infty} \gamma^t r_{t+1} \,\middle|\, s_0 = s\right]",  # noqa: E501 (a formula as written)
    r"Q^*(s, a) = r(s, a) + \gamma \max_{a'} Q^*(s', a')",
    r"\nabla_\theta J(\theta) = \mathbb{E}\left[\nabla_\theta \log \pi_\theta(a \mid s)\, A(s, a)\right]",  # noqa: E501 (a formula as written)
    r"\pi^* = \arg\max_{\pi} \; \mathbb{E}_{\tau \sim \pi}[R(\tau)]",
    r"\hat{A}_t = \delta_t + (\gamma\lambda)\delta_{t+1} + \cdots",
    r"L^{\text{CLIP}}(\theta) = \hat{\mathbb{E}}_t\left[\min(r_t(\theta)\hat{A}_t, \operatorname{clip}(r_t(\theta), 1-\epsilon, 1+\epsilon)\hat{A}_t)\right]",  # noqa: E501 (a formula as written)
    # Preference learning and reward models
    r"P(y_w \succ y_l \mid x) = \sigma\big(r(x, y_w) - r(x, y_l)\big)",
    r"\mathcal{L}_{\text{DPO}} = -\log \sigma\left(\beta \log \frac{\pi_\theta(y_w \mid x)}{\pi_{\text{ref}}(y_w \mid x)} - \beta \log \frac{\pi_\theta(y_l \mid x)}{\pi_{\text{ref}}(y_l \mid x)}\right)",  # noqa: E501 (a formula as written)
    r"\max_{\pi_\theta} \mathbb{E}[r_\phi(x, y)] - \beta\, \mathbb{D}_{\mathrm{KL}}[\pi_\theta \| \pi_{\mathrm{ref}}]",  # noqa: E501 (a formula as written)
    r"\hat{r} = \arg\min_{r \in \mathcal{R}} \sum_{i} \ell\big(r(x_i), \tilde{y}_i\big)",
    # Optimisation and learning theory
    r"\theta_{t+1} = \theta_t - \eta \nabla_\theta \mathcal{L}(\theta_t)",
    r"\min_{w} \frac{1}{n} \sum_{i=1}^n (y_i - w^\top x_i)^2 + \lambda \|w\|_2^2",
    r"\|x\|_p = \left(\sum_i |x_i|^p\right)^{1/p}",
    r"f(x) = O(n \log n) \text{ as } n \to \infty",
    r"\lim_{n \to \infty} \left(1 + \frac{1}{n}\right)^n = e",
    r"\mathbb{R}^{d \times k}",
    r"\forall \epsilon > 0 \; \exists \delta > 0 : |x - y| < \delta \implies |f(x) - f(y)| < \epsilon",  # noqa: E501 (a formula as written)
    # Attention and networks
    r"\operatorname{Attention}(Q, K, V) = \operatorname{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",  # noqa: E501 (a formula as written)
    r"\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
    r"h_t = \tanh(W_h h_{t-1} + W_x x_t + b)",
    r"\mathbf{y} = \sigma(\mathbf{W}\mathbf{x} + \mathbf{b})",
    # Goodhart, proxies and measurement (this blog's own subject)
    r"U(\pi) \neq \tilde{U}(\pi) \text{ once } \tilde{U} \text{ is optimised}",
    r"\operatorname*{arg\,max}_{x} \tilde{U}(x) \not\approx \operatorname*{arg\,max}_{x} U(x)",
    r"\text{proxy} = \text{goal} + \text{error}",
    r"\Delta U = U(x^*_{\text{proxy}}) - U(x^*_{\text{true}})",
    # Structures
    r"f(x) = \begin{cases} 1 & \text{if } x > 0, \\ 0 & \text{otherwise.} \end{cases}",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}^{-1} = \frac{1}{ad - bc}\begin{pmatrix} d & -b \\ -c & a \end{pmatrix}",  # noqa: E501 (a formula as written)
    r"\begin{aligned} a &= b + c \\ &= d \end{aligned}",
    r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}",
    r"\left\langle u, v \right\rangle = \sum_i u_i v_i",
    r"\underbrace{a + b + \cdots + z}_{26}",
    r"\overline{x} = \frac{1}{n}\sum x_i",
    r"\binom{n}{k} = \frac{n!}{k!\,(n-k)!}",
    r"\{x \in \mathbb{R} : x^2 < 2\}",
    r"A \subseteq B \cup C, \quad A \cap \emptyset = \emptyset",
    r"\int_0^1 f(x)\,dx \approx \frac{1}{N}\sum_{i=1}^N f(x_i)",
    r"\partial_x f \cdot \nabla g",
    r"x \mapsto x^2, \quad \mathbb{N} \to \mathbb{N}",
    r"a \ll b \lll c, \quad x \sim y",
    r"\hat{\theta}, \tilde{x}, \bar{y}, \vec{v}, \dot{q}",
    r"p(y|x) \;\text{and}\; \|v\|",
    r"\textbf{Goodhart}\text{'s law: } \textit{when a measure becomes a target}",
    r"\mathcal{L}, \mathscr{F}, \mathfrak{g}, \mathbb{1}",
    r"x_{1}, x_{2}, \ldots, x_{n}",
    r"\frac{\partial^2 \mathcal{L}}{\partial \theta_i \partial \theta_j}",
    r"\sqrt[3]{x} + \sqrt{y}",
]


def quality_problems(mathml: str) -> list[str]:
    root = ET.fromstring(mathml)
    found = []
    for element in root.iter():
        tag, text = element.tag.removeprefix(NS), element.text or ""
        # A brace may be a fence (an <mo>, in cases); a backslash never.
        left = r"[\\{}]" if tag in ("mi", "mn", "mtext") else r"\\"
        if tag in ("mi", "mo", "mn", "mtext") and re.search(left, text):
            found.append(f"LaTeX left in <{tag}>: {text!r}")
        if tag == "mtext" and MATH_LETTERS.search(text):
            found.append(f"text as mathematical letters: {text!r}")
        if tag == "merror":
            found.append("an error element")
        found += [f"attribute {tag}.{a}" for a in element.attrib if a not in ATTRIBUTES]
    return found


@pytest.mark.parametrize("display", [False, True], ids=["inline", "display"])
@pytest.mark.parametrize("latex", CORPUS)
def test_a_published_shape_converts_to_clean_mathml(latex, display):
    formula = convert(latex, display)
    assert formula.problems == ()
    assert formula.mathml.startswith("<math")
    assert quality_problems(formula.mathml) == []


def test_the_checks_catch_what_they_look_for():
    # The checks are not vacuous: each fires on the output it forbids.
    bad = (
        '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>\\alpha</mi><mo>\\</mo><mo>{</mo>'
        '<mtext>\U0001d408</mtext><merror/><mo onclick="x">+</mo></math>'
    )
    assert quality_problems(bad) == [
        "LaTeX left in <mi>: '\\\\alpha'",
        "LaTeX left in <mo>: '\\\\'",
        "text as mathematical letters: '\U0001d408'",
        "an error element",
        "attribute mo.onclick",
    ]


REFUSED = [
    (
        r"\begin{tikzcd} A \arrow[r] & B \end{tikzcd}",
        r"\begin{tikzcd} (latex2mathml does not know this environment)",
    ),
    (r"\foo{x} + 1", r"\foo (latex2mathml does not know it)"),
    (r"\frac{1}{2", "its braces { } do not pair up"),
    (
        r"x \label{eq:1}",
        r"\label (label a displayed formula with the math directive's :label: option)",
    ),
]


@pytest.mark.parametrize(("latex", "problem"), REFUSED)
def test_a_shape_it_cannot_show_is_refused_by_name(latex, problem):
    formula = convert(latex, True)
    assert (formula.mathml, formula.problems) == ("", (problem,))
