"""Mathematics as MathML written at build time: in the page, in the feed, never
from another host; a formula that cannot be converted is a located warning."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import lxml.etree
import pytest
from blogtools import build, copy_root
from browser.systemtools import VNU_JAR, java, node_file
from bs4 import BeautifulSoup
from conftest import html_pages, soup

from essayist.content.latex import block_latex
from essayist.content.math import RENDERER
from essayist.content.mathml import convert
from essayist.content.mathtext import carriers_for

# Until essayist's own setup wires essayist.content, a project loads it by name;
# afterwards the name is a no-op.
OVERRIDES = {
    "extensions": ["myst_parser", "essayist", "essayist.content"],
    "myst_enable_extensions": ["dollarmath", "amsmath"],
    "myst_dmath_allow_digits": False,
    "myst_update_mathjax": False,
}
POST = r"""---
date: 2026-03-02
author: Ada
tags: maths
---

# What the objective says

The agent picks $\hat{y} = \arg\max_{a \in \mathcal{A}} Q(s, a)$ in each state; it
costs $5 and $10 to run.

$$
J(\pi) = \frac{1}{N} \sum_{t=0}^{T} \gamma^t r_t
$$

```{math}
:label: bt-loss

\mathcal{L}(\phi) = -\log \sigma\left(\tilde{r}_\phi(x, y^+) - \tilde{r}_\phi(x, y^-)\right)
```

Equation {eq}`bt-loss` is the loss, over $\mathbb{E}_{x \sim D}[\cdot]$.

\begin{align}
\pi^\star &= \arg\max_{\pi} \mathbb{E}[r] \\
&\le \max_{\pi} \mathbb{E}[r]
\end{align}

By $\textbf{Goodhart}$'s law the proxy drifts.

$$
\mathcal{L}_{\text{DPO}} = -\log \sigma(\beta \Delta) \tag{A.1}
$$

$$
x = y \tag*{<i>B</i> & "c"}
$$
"""
BAD = r"""---
date: 2026-03-03
author: Ada
---

# Bad formulas

Fine $x^2$, then $\foo{x}$.

$$
\frac{1}{2
$$

\begin{equation}
x = 1 \tag{9}
\end{equation}
"""
ARGMAX = "arg\u2009max"


@pytest.fixture(scope="module")
def math_site(tmp_path_factory) -> tuple[Path, str]:
    src = copy_root("minimal", tmp_path_factory.mktemp("math"))
    (src / "posts" / "2026" / "objectives.md").write_text(POST, encoding="utf-8")
    app, warnings = build(src, **OVERRIDES)
    return Path(app.outdir), warnings


@pytest.fixture(scope="module")
def page(math_site) -> BeautifulSoup:
    return soup(math_site[0] / "posts" / "2026" / "objectives.html")


def formulas(tree) -> list:
    return tree.find("article").find_all("math")


def test_the_build_gives_no_warning(math_site):
    assert math_site[1] == ""


def test_inline_math_is_mathml_with_limits_and_accents(page):
    math = formulas(page)[0]
    assert math.get("display") is None
    assert math.get("xmlns") == "http://www.w3.org/1998/Math/MathML"
    hat = math.find("mover")
    assert hat["accent"] == "true"
    assert [c.name for c in hat.children] == ["mrow", "mo"]
    assert hat.mrow.mi.string == "y" and hat.mo.string == "\u02c6"
    argmax = math.find("munder")
    operator, under = list(argmax.children)
    assert (operator.name, operator.string, operator["movablelimits"]) == ("mo", ARGMAX, "true")
    assert [(c.name, c.string) for c in under.children] == [
        ("mi", "a"),
        ("mo", "\u2208"),
        ("mi", "\U0001d49c"),
    ]


def test_display_math_is_a_block_with_fractions_and_sums(page):
    blocks = page.find("article").select("div.math > math")
    assert len(blocks) == 5
    assert all(m["display"] == "block" for m in blocks)
    objective = blocks[0]
    fraction = objective.find("mfrac")
    assert [c.get_text() for c in fraction.children] == ["1", "N"]
    total = objective.find("munderover")
    assert [c.get_text() for c in total.children] == ["\u2211", "t=0", "T"]


def test_a_tag_is_shown_as_sphinx_shows_numbers(page):
    numbers = [
        n.get_text().rstrip("¶") for n in page.find("article").select("div.math > span.eqno")
    ]
    # bt-loss, the align, \tag{A.1}, and a \tag* whose markup is text
    assert numbers == ["(1)", "(2)", "(A.1)", '<i>B</i> & "c"']
    assert page.find("article").select("span.eqno i") == []


def test_expectation_and_tilde(page):
    expectation = formulas(page)[3]
    sub = expectation.find("msub")
    assert sub.mi.string == "\U0001d53c"
    assert [(c.name, c.string) for c in sub.mrow.children] == [
        ("mi", "x"),
        ("mo", "\u223c"),
        ("mi", "D"),
    ]
    loss = formulas(page)[2]
    tilde = loss.find("mover")
    assert tilde["accent"] == "true" and tilde.mo.string == "\u02dc"


def test_a_labelled_equation_is_numbered_and_referenced(page):
    article = page.find("article")
    link = article.find("a", class_="reference", href="#equation-bt-loss")
    assert link.get_text() == "(1)"
    target = page.find_all(id="equation-bt-loss")
    assert len(target) == 1
    number = target[0].select_one("span.eqno")
    assert number.contents[0] == "(1)"
    assert number.find("a", class_="headerlink")["href"] == "#equation-bt-loss"
    assert target[0].select_one("div.math > math")["display"] == "block"
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_an_align_environment_is_one_numbered_table(page):
    block = page.select_one("div.math.amsmath")
    assert block.select_one("span.eqno").contents[0] == "(2)"
    # Its id comes from the document and the number, the same every build.
    assert block.find_parent(id=True)["id"] == "equation-posts-2026-objectives-2"
    table = block.find("mtable")
    assert table["displaystyle"] == "true"
    rows = table.find_all("mtr")
    assert [[c["columnalign"] for c in row.find_all("mtd")] for row in rows] == [
        ["right", "left"],
        ["right", "left"],
    ]
    assert rows[1].find("munder").mo.string == "max"
    assert "mtext" not in {t.name for t in table.find_all(True)}  # no (1), (2) per row


def test_no_tex_source_left_in_the_text(page):
    text = page.find("article").get_text()
    assert "\\" not in text
    assert "$$" not in text and "\\[" not in text and "\\(" not in text
    # Dollar signs beside digits are money.
    assert "costs $5 and $10 to run" in " ".join(text.split())


def test_no_page_loads_a_script_from_another_host(math_site):
    outdir = math_site[0]
    for path in html_pages(outdir):
        tree = soup(path)
        for script in tree.find_all("script", src=True):
            src = script["src"]
            assert "://" not in src and not src.startswith("//"), (path, src)
        assert "mathjax" not in path.read_text(encoding="utf-8").lower(), path


def test_only_pages_with_math_load_its_stylesheet(math_site, page):
    def sheets(tree):
        return [link["href"].split("?")[0] for link in tree.find_all("link", rel="stylesheet")]

    assert "../../_static/essayist-math.css" in sheets(page)
    outdir = math_site[0]
    for plain in ("index.html", "posts/2026/ok.html", "search.html", "genindex.html"):
        assert not any("essayist-math" in s for s in sheets(soup(outdir / plain))), plain
    # ABlog's listings write the posts' excerpts from their template: they
    # load it when some document has a formula.
    for listing in ("posts.html", "posts/tag/maths.html"):
        tree = soup(outdir / listing)
        assert tree.find("math") and any("essayist-math" in s for s in sheets(tree)), listing
    assert (outdir / "_static" / "essayist-math.css").is_file()


def test_the_feed_entry_carries_the_mathml(math_site, page):
    feed = lxml.etree.parse(str(math_site[0] / "posts" / "atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = feed.xpath("//a:entry[a:title='What the objective says']/a:content", namespaces=ns)
    content = BeautifulSoup(entry[0].text, "html.parser")
    in_feed = content.find_all("math")
    on_page = formulas(page)
    assert len(in_feed) == len(on_page) == 8
    assert [str(m) for m in in_feed] == [str(m) for m in on_page]
    assert content.find("munder").mo.string == ARGMAX


def test_the_page_is_valid_html(math_site):
    """The Nu validator knows MathML: the page with every kind of formula is valid."""
    cmd = [java(), "-jar", str(node_file(VNU_JAR)), "--errors-only", "--format", "json"]
    page = math_site[0] / "posts" / "2026" / "objectives.html"
    result = subprocess.run([*cmd, str(page)], capture_output=True, text=True)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [f"{m.get('lastLine')}: {m['message']}" for m in messages] == []


def test_a_formula_that_cannot_be_converted_is_a_located_warning(tmp_path):
    src = copy_root("minimal", tmp_path)
    (src / "posts" / "2026" / "bad.md").write_text(BAD, encoding="utf-8")
    app, warnings = build(src, **OVERRIDES)
    path = src / "posts" / "2026" / "bad.md"
    assert warnings.splitlines() == [
        f"{path}:8: WARNING: formula not shown as mathematics: \\foo (latex2mathml does "
        "not know it): \\foo{x} [essayist.math]",
        f"{path}:10: WARNING: formula not shown as mathematics: its braces {{ }} do not "
        "pair up: \\frac{1}{2 [essayist.math]",
        f"{path}:14: WARNING: formula numbered twice, by Sphinx and by \\tag(9): "
        "\\begin{equation} x = 1 \\tag{9} \\end{equation}: keep one (a starred environment, "
        "such as equation*, has no number of Sphinx's) [essayist.math]",
    ]
    page = soup(Path(app.outdir) / "posts" / "2026" / "bad.html")
    shown = page.find("article").find_all("code", class_="math-unrendered")
    assert [c.get_text() for c in shown] == ["\\foo{x}", "\\frac{1}{2"]
    assert len(page.find("article").find_all("math")) == 2  # x^2 and x = 1


def test_the_renderer_is_chosen_unless_conf_py_names_one(tmp_path):
    src = copy_root("minimal", tmp_path)
    app, _ = build(src, **OVERRIDES)
    assert app.config.html_math_renderer == RENDERER
    assert app.builder.math_renderer_name == RENDERER


# -- The conversion, as pure functions ------------------------------------------


def mathml(latex: str, display: bool = True) -> BeautifulSoup:
    formula = convert(latex, display)
    assert formula.problems == ()
    return BeautifulSoup(formula.mathml, "html.parser").math


def test_operators_take_limits_below():
    for latex, operator in [
        (r"\arg\max_{a} Q", ARGMAX),
        (r"\operatorname*{arg\,max}_{\pi} J", ARGMAX),
        (r"\mathop{\mathrm{arg\,max}}_x f", ARGMAX),
        (r"\lim_{n \to \infty} a_n", "lim"),
        (r"\operatorname*{softmax}_i z", "softmax"),
    ]:
        under = mathml(latex).find("munder")
        assert (under.mo.string, under.mo["movablelimits"]) == (operator, "true"), latex


def test_a_sum_inside_left_right_takes_limits_too():
    total = mathml(r"\left[\sum_{t=0}^{\infty} \gamma^t\right]").find("munderover")
    assert total.mo.string == "\u2211"


def test_aligned_and_cases_are_tables():
    aligned = mathml(r"J = \begin{aligned} a &= b \\ &\ge c \end{aligned}").find("mtable")
    assert [len(row.find_all("mtd")) for row in aligned.find_all("mtr")] == [2, 2]
    cases = mathml(r"r = \begin{cases} 1 & \text{if } s \in G \\ 0 & \text{otherwise} \end{cases}")
    cells = cases.find("mtable").find_all("mtd")
    assert [c["columnalign"] for c in cells] == ["left"] * 4
    assert cells[3].mtext.string == "otherwise"


def test_lines_without_alignment_are_centred_rows():
    for latex in (r"\begin{gather} a \\ b \end{gather}", r"a \\ b"):
        table = mathml(latex).find("mtable")
        assert [row.get_text() for row in table.find_all("mtr")] == ["a", "b"], latex
        assert not any(cell.get("columnalign") for cell in table.find_all("mtd")), latex


def test_styled_letters_are_unicode_mathematical_letters():
    assert mathml(r"\boldsymbol{\theta}").mi.string == "\U0001d73d"
    assert mathml(r"\mathbb{1}").mn.string == "\U0001d7d9"
    upright = mathml(r"\mathrm{d}x").find("mi")
    assert (upright.string, upright["mathvariant"]) == ("d", "normal")


def test_symbols_are_operators_and_functions_are_spaced():
    assert [m.string for m in mathml(r"\langle a, b \rangle").find_all("mo")] == [
        "\u27e8",
        ",",
        "\u27e9",
    ]
    names = [(c.name, c.get("width"), c.string) for c in mathml(r"2\log x").mrow.children]
    assert names == [
        ("mn", None, "2"),
        ("mspace", "0.167em", None),
        ("mi", None, "log"),
        ("mspace", "0.167em", None),
        ("mi", None, "x"),
    ]


def test_every_element_is_closed_explicitly():
    # An HTML parser that knows no MathML must not nest siblings into <mi/>.
    html = convert(r"a &= b", True)
    assert html.problems
    html = convert(r"\begin{aligned} a &= b \end{aligned} \, c", True).mathml
    assert "/>" not in html
    assert "<mi></mi>" in html and '<mspace width="0.167em"></mspace>' in html


@pytest.mark.parametrize(
    ("latex", "problem"),
    [
        (r"\foo{x}", r"\foo (latex2mathml does not know it)"),
        (r"x \label{eq:a}", r"\label (label a displayed formula with the math directive's"),
        (r"\frac{1}{2", "its braces { } do not pair up"),
        (r"\left( x", r"a \left has no matching \right"),
        (r"x^", "a ^ or _ has nothing after it"),
        (r"a & b", "& outside an environment that aligns (aligned, cases, matrix)"),
        (r"x = {a \\ b}", r"a line break \\ where none can be shown"),
        (r"\href{javascript:alert(1)}{x}", r"\href (a formula carries no links: put the link"),
        (r"\style{color:red}{x}", r"\style (a formula carries no styles, classes or scripts"),
        (r"\class{note}{x}", r"\class (a formula carries no styles, classes or scripts"),
        ("\\frac{" * 300 + "a" + "}{b}" * 300, "it is nested too deeply: split it"),
        # It was shown as the letters of its arguments, in silence.
        (
            r"\DeclareMathOperator*{\argmax}{arg\,max}",
            r"\DeclareMathOperator (a formula defines nothing for the others: write",
        ),
        (r"\DeclareMathOperator{\tr}{tr} \tr A", r"\DeclareMathOperator (a formula defines"),
    ],
)
def test_what_cannot_be_shown_says_why(latex, problem):
    formula = convert(latex, True)
    assert formula.mathml == ""
    assert len(formula.problems) == 1 and problem in formula.problems[0], formula.problems


def test_a_block_of_equations_is_one_per_row():
    assert block_latex("a = b\n\n  \nc = d\n") == "a = b \\\\\nc = d"
    assert (
        block_latex("\\begin{align}a\\end{align}\n", nowrap=True) == "\\begin{align}a\\end{align}"
    )


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        (r"\text{R\&D}", "R&D"),
        (r"\text{a \{b\} c}", "a\u00a0{b}\u00a0c"),
        (r"\text{50\% of \$x, \#1, a\_b}", "50%\u00a0of\u00a0$x,\u00a0#1,\u00a0a_b"),
        (r"\text{a {b} c}", "a\u00a0b\u00a0c"),  # a group in text only groups
        (r"\text{a~b}", "a\u00a0b"),
        (r"\text{a\ b}", "a\u00a0b"),
        (r"\text{x\textbackslash{}y}", "x\\y"),
        (r"\text{a &amp; b}", "a\u00a0&amp;\u00a0b"),  # what was typed, not an entity
        (r"\textbf{R\&D}", "R&D"),
        (r"\textnormal{R\&D}", "R&D"),
        (r"\text{caf\'e, na\"ive, \^{a}}", "café,\u00a0naïve,\u00a0â"),
        (r"\text{a\,b}", "a\u2009b"),
        (r"\text{C:\textbackslash Users}", "C:\\Users"),  # TeX skips the space
        (r"\text{a\~{}b}", "a~b"),
        (r"\texttt{--flag 'x'}", "--flag\u00a0'x'"),  # typewriter type: as typed
        (
            r"\text{2020--2024, ``so-called'' --- don't}",
            "2020–2024,\u00a0“so-called”\u00a0—\u00a0don’t",
        ),
    ],
)
def test_text_in_a_formula_is_set_as_tex_sets_text(latex, shown):
    """Escapes and groups in ``\\text{…}`` are TeX's, not left as typed
    (latex2mathml reads the text up to its first ``}``, escapes and all)."""
    assert mathml(latex, False).mtext.string == shown


def test_text_in_an_aligned_formula_keeps_its_ampersand():
    table = mathml(r"\begin{aligned} a &= \text{R\&D} \\ b &= c \end{aligned}").find("mtable")
    assert [len(row.find_all("mtd")) for row in table.find_all("mtr")] == [2, 2]
    assert table.mtext.string == "R&D"


def test_a_command_in_text_is_reported_by_its_name():
    assert convert(r"\text{\emph{a}}", True).problems == (r"\emph (latex2mathml does not know it)",)


def test_text_never_leaks_what_it_carried():
    """Random text arguments: a formula is MathML or a problem, never an error,
    and nothing carried through latex2mathml shows."""
    import random

    pieces = [
        "a",
        " ",
        "\\&",
        "&",
        "\\{",
        "\\}",
        "{",
        "}",
        "~",
        "\\%",
        "\\textbackslash",
        "\\\\",
        "é",
    ]
    # An icon font's characters, which a formula may hold itself.
    own = ["\ue000", "\ue002", "\uf8ff"]
    rng = random.Random(18)
    for _ in range(400):
        body = "".join(rng.choice(pieces + own) for _ in range(rng.randint(0, 8)))
        latex = f"x + \\text{{{body}}}"
        formula = convert(latex, False)
        assert formula.mathml or formula.problems, body
        carried = carriers_for(latex)
        assert not set(carried.carry("{}\\&")) & set(formula.mathml), body
        if formula.mathml:
            for char in own:
                assert formula.mathml.count(char) == body.count(char), body


def test_a_private_use_character_stays_what_it_is():
    """A formula's own private-use characters (an icon font's) are never
    taken for what text carries through latex2mathml, in text or out of it."""
    row = mathml("x^\ue001 + \\text{R\\&D \ue000\ue003}", False).mrow
    assert [(c.name, c.get_text()) for c in row.children] == [
        ("msup", "x\ue001"),
        ("mo", "+"),
        ("mtext", "R&D\u00a0\ue000\ue003"),
    ]
    # A formula that holds one of every four in Unicode's first private-use
    # area: its text is carried by characters of the next one.
    crowded = "".join(chr(code) for code in range(0xE000, 0xF900, 4))
    assert carriers_for(crowded).carry("{") == "\U000f0000"
    formula = convert(f"\\text{{a\\{{b}} {crowded}", False)
    assert BeautifulSoup(formula.mathml, "html.parser").mtext.string == "a{b"
    assert formula.mathml.count("\U000f0000") == 0


def test_styled_words_in_a_formula_stay_words():
    """``\\textbf{…}`` is words in bold, not Unicode's mathematical letters
    (which a screen reader reads out one by one as "mathematical bold small
    w"); essayist-math.css styles them by their ``mathvariant`` (in Chromium:
    tests/browser/test_math_browser.py). A styled letter of mathematics
    (``\\mathbf{x}``) is still a mathematical letter."""
    row = mathml(r"\textbf{Goodhart} + \textit{proxy} + \texttt{r_t} + \mathbf{x}", False).mrow
    texts = [(t.string, t["mathvariant"]) for t in row.find_all("mtext")]
    assert texts == [("Goodhart", "bold"), ("proxy", "italic"), ("r_t", "monospace")]
    assert row.find("mi").string == "\U0001d431"


def test_many_unclosed_environments_are_refused_by_a_linear_scan():
    """A megabyte of ``\\begin{`` (a post may hold two) is refused; the scan
    never looks past the next brace for an environment's name (looking to the
    next ``}`` made it quadratic: 90 s for this input)."""
    from essayist.content.latex import _SCAN

    assert _SCAN.match("\\begin{\\begin{x}").group(0) == "\\begin"
    assert convert("\\begin{" * 140_000, False).problems == ("its braces { } do not pair up",)


def test_a_formula_or_a_text_command_inside_text_closes_the_text_around_it():
    row = mathml(r"\text{if $x > 0$ then \textrm{all} of it}", False).mrow
    assert [(c.name, c.get_text()) for c in row.children] == [
        ("mtext", "if\u00a0"),
        ("mrow", "x>0"),
        ("mtext", "\u00a0then\u00a0"),
        ("mtext", "all"),
        ("mtext", "\u00a0of\u00a0it"),
    ]
    assert mathml(r"\hbox{a\&b}", False).mtext.string == "a&b"


@pytest.mark.parametrize(
    ("latex", "problem"),
    [
        (r"\text{a \\ b}", r"a line break \\ where none can be shown"),
        (r"\text{$$x$$}", "$$ inside \\text: a displayed formula cannot sit in a line of text"),
        (r"\text{costs $5}", "a $ inside \\text starts a formula that does not end there"),
    ],
)
def test_what_a_line_of_text_cannot_hold_says_why(latex, problem):
    formula = convert(latex, False)
    assert formula.mathml == "" and formula.problems[0].startswith(problem), formula.problems


def test_text_as_real_posts_write_it():
    """Patterns from published essays (written anew here): words in ``cases``,
    an escaped underscore in a name, text in sub- and superscripts."""
    found = mathml(
        r"\text{Max\_Rate}(x) = \begin{cases} \text{burst} & \text{if } r > 10 \text{ per s} "
        r"\\ 0 & \text{otherwise} \end{cases} + P_{\text{lead}}^{\text{(est.)}}"
    )
    assert [m.string for m in found.find_all("mtext")] == [
        "Max_Rate",
        "burst",
        "if\u00a0",
        "\u00a0per\u00a0s",
        "otherwise",
        "lead",
        "(est.)",
    ]


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        (r"\text{<b>x</b> & \&}", "<b>x</b>\u00a0&\u00a0&"),  # text, never markup
        (r"\text{}", None),  # nothing to show
    ],
)
def test_markup_and_nothing_in_text(latex, shown):
    formula = convert(latex, False)
    assert formula.problems == ()
    text = BeautifulSoup(formula.mathml, "html.parser").math.mtext
    assert (text.string if text is not None and text.string else None) == shown
    assert "<b>" not in formula.mathml


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        # Letters with no mathematical letter of their own: the letter-like symbols.
        (r"\mathcal L + \mathbb{P} + \mathfrak{H}", ["ℒ", "+", "ℙ", "+", "ℌ"]),
        # Ordinary symbols, not operators (no gap in n → ∞).
        (r"n \to \infty, \emptyset, \partial", ["n", "→", "∞", ",", "∅", ",", "∂"]),
        # A sized bracket is the bracket, sized.
        (r"\big\{ x \Big\langle y \Big\rangle \bigr\rVert", ["{", "x", "⟨", "y", "⟩", "‖"]),
        # Independence, drawn as one symbol.
        (r"X \perp\!\!\!\perp Y", ["X", "\u2aeb", "Y"]),
        # mathtools' cases and an aligned block placed at its top line.
        (r"\begin{dcases} a & b \end{dcases}", ["{", "a", "b"]),
        (r"\begin{aligned}[t] a &= b \end{aligned}", ["a", "", "=", "b"]),
        # bbm's and dsfont's indicator 1.
        (r"\mathbbm{1} + \mathds{1}", ["𝟙", "+", "𝟙"]),
        # A backslash ending a line is a space; at the end, nothing.
        ("a \\text{or}\\\nb\\\n", ["a", "or", "\u00a0", "b"]),
    ],
)
def test_what_essays_write_shows_as_tex_shows_it(latex, expected):
    """Patterns from published essays on machine learning (written anew)."""
    tokens = mathml(latex, False).find_all(["mi", "mo", "mn", "mtext"])
    assert [t.get_text() for t in tokens] == expected


def test_a_bar_is_tight_and_a_fence_is_not_touched():
    found = mathml(r"p(y|x) + \|v\| + \left| a \right|", False)
    bars = [(m.string, m.get("lspace"), m.get("stretchy")) for m in found.find_all("mo")]
    assert bars == [
        ("(", None, "false"),
        ("|", "0", "false"),
        (")", None, "false"),
        ("+", None, None),
        ("\u2016", "0", "false"),
        ("\u2016", "0", "false"),
        ("+", None, None),
        ("|", None, "true"),
        ("|", None, "true"),
    ]


def test_rows_scripts_and_arrows_keep_their_shape():
    # \\[4pt] is a row's extra space, not text in the next row.
    rows = mathml(r"\begin{cases} a \\[4pt] b \\[-0.5em] c \end{cases}").find_all("mtr")
    assert [row.get_text() for row in rows] == ["a", "b", "c"]
    # \nolimits keeps the scripts beside the operator, even displayed.
    assert mathml(r"\sum\nolimits_i x_i").find("munder") is None
    assert mathml(r"\sum_i x_i").find("munder") is not None
    # \xrightarrow's label: no MathML 3 growth MathML Core would read as a width.
    padded = mathml(r"a \xrightarrow{\text{map}} b").find("mpadded")
    assert not {"width", "height", "depth", "lspace"} & set(padded.attrs), padded.attrs
    # \mathclap's "-0.5width" is no length: the limit keeps its width.
    assert mathml(r"\sum_{\mathclap{i \le n}} x_i").find("mpadded").attrs == {}
    # Math units are ems in MathML Core (18 to the em).
    widths = [m["width"] for m in mathml(r"a \mkern3mu b \mskip-9mu c").find_all("mspace")]
    assert widths == ["0.167em", "-0.500em"]


@pytest.mark.parametrize(
    ("latex", "tag", "problem"),
    [
        (r"y = mx + b \tag{1}", "(1)", None),
        (r"\tag*{A.2} x", "A.2", None),
        (r"x \tag{$\star$}", "", "\\tag (a formula's own number is plain text"),
        (r"a \tag{1} \\ b \tag{2}", "", "\\tag more than once (a displayed formula has one"),
    ],
)
def test_a_displayed_formula_may_carry_its_own_number(latex, tag, problem):
    """``\\tag``, as MathJax and KaTeX allow: the number is shown where
    Sphinx shows its own (see test_a_tag_is_shown_as_sphinx_shows_numbers)."""
    formula = convert(latex, True)
    assert formula.tag == tag
    if problem is None:
        assert (
            formula.problems == () and "tag" not in formula.mathml and "(1)" not in formula.mathml
        )
    else:
        assert formula.mathml == "" and formula.problems[0].startswith(problem), formula.problems
    assert convert(r"x \tag{1}", False).problems == (
        "\\tag in a formula in the text (only a displayed formula, between $$ on lines of its "
        "own, has a number)",
    )


def test_an_escaped_quote_in_text_says_how_to_write_a_quotation_mark():
    """``\\text{?\\"}``: authors escaping a quote as in code; TeX's \\" is an umlaut."""
    assert convert(r"\text{?\"}", False).problems == (
        "\\\" in \\text puts an umlaut on a letter: write a quotation mark as `` and ''",
    )
