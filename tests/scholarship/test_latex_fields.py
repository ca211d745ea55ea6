"""The LaTeX real bibliographies hold (Zotero, Google Scholar and arXiv exports)
is read as a reader expects: emphasis, formulas, symbols and escapes, never a
backslash or a formula lower-cased by the style's sentence case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from blogtools import bibtex_root, build
from conftest import soup
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.exceptions import PybtexError
from pybtex.plugin import find_plugin
from pybtex.richtext import Text

from essayist.scholarship.latexfields import _FROM_LATEX, rich_latex
from essayist.scholarship.references import latex_text

HTML = find_plugin("pybtex.backends", "html")()

# (field as exported, as text, as HTML after the style's sentence case)
CASES = [
    (
        r"Learning in $O(n^2)$ time with \emph{sparse} {GPUs} -- a study",
        "Learning in O(n²) time with sparse GPUs – a study",
        'Learning in <span class="bibtex-protected">O(n²)</span> time with '
        '<em><span class="bibtex-protected">sparse</span></em> '
        '<span class="bibtex-protected">GPUs</span> – a study',
    ),
    (
        r"Growth of \textit{{B}acillus~subtilis} in culture",
        "Growth of Bacillus subtilis in culture",
        'Growth of <em><span class="bibtex-protected"><span class="bibtex-protected">B</span>'
        "acillus\xa0subtilis</span></em> in culture",
    ),
    (
        r"Entire curves in {$\Bbb C^2$}",
        "Entire curves in ℂ²",
        'Entire curves in <span class="bibtex-protected"><span class="bibtex-protected">ℂ²'
        "</span></span>",
    ),
    (
        r"{RLHF}{\textquotesingle}s limits: \LaTeX\ notes on $\ell_1$ penalties",
        "RLHF's limits: LaTeX notes on ℓ₁ penalties",
        '<span class="bibtex-protected">RLHF<span class="bibtex-protected">\'</span></span>'
        "s limits: "
        '<span class="bibtex-protected">LaTeX</span> notes on '
        '<span class="bibtex-protected">ℓ₁</span> penalties',
    ),
    (
        r"Rewards at $\gamma \leq 1$ and $\sqrt{n}$ samples",
        "Rewards at γ ≤ 1 and √n samples",
        'Rewards at <span class="bibtex-protected">γ ≤ 1</span> and '
        '<span class="bibtex-protected">√n</span> samples',
    ),
    (
        r"Costs of \$5 \& 10\% in \#1",
        "Costs of $5 & 10% in #1",
        "Costs of $5 &amp; 10% in #1",
    ),
    (
        r"$x_{i,j}^{k}$ in $O(n \log n)$ over $\mathbb{R}^d$",
        "x_(i,j)^k in O(n log n) over ℝ^d",
        '<span class="bibtex-protected">x_(i,j)^k</span> in '
        '<span class="bibtex-protected">O(n log n)</span> over '
        '<span class="bibtex-protected">ℝ^d</span>',
    ),
    (
        r"A \textbf{Bold \emph{nested}} claim \\ in two lines",
        "A Bold nested claim in two lines",
        'A <strong><span class="bibtex-protected">Bold <em><span class="bibtex-protected">'
        "nested</span></em></span></strong> claim in two lines",
    ),
    (
        r"J\"{o}rn, {\'E}cole and \v{C}apek",
        "Jörn, École and Čapek",
        'Jörn, <span class="bibtex-protected">É</span>cole and čapek',
    ),
    (r"\unknowncmd{Shown} and \bare", r"Shown and \bare", r"Shown and \bare"),
    # Accents in the forms Google Scholar and Better BibTeX write.
    (
        r"Garc{\'\i}a, Mart\'{\i}nez, {\v S}koda, {\' e}t{\'e}, \^\i le",
        "García, Martínez, Škoda, été, île",
        'Garc<span class="bibtex-protected">í</span>a, martínez, <span class="bibtex-protected">'
        "Š</span>koda, "
        '<span class="bibtex-protected">é</span>t<span class="bibtex-protected">é</span>, île',
    ),
    (
        r"$\pi_\theta$ with $\tilde{O}(n)$ and a $\frac{1}{2}$-approximation",
        "π_θ with Õ(n) and a 1/2-approximation",
        '<span class="bibtex-protected">π_θ</span> with <span class="bibtex-protected">Õ(n)'
        '</span> and a <span class="bibtex-protected">1/2</span>-approximation',
    ),
    (
        r"{\em Old} {\bf switches}, \href{https://x.org/a%20b}{a link} and \url{https://x.org}",
        "Old switches, a link and https://x.org",
        '<em><span class="bibtex-protected">Old</span></em> <strong><span class="bibtex-'
        'protected">switches</span></strong>, <a href="https://x.org/a%20b">a link</a> and '
        '<a href="https://x.org">https://x.org</a>',
    ),
    (
        r"Line {a\\} \emph{b}",
        "Line a b",
        'Line <span class="bibtex-protected">a </span> '
        '<em><span class="bibtex-protected">b</span></em>',
    ),  # fmt: skip
    (r"\href{javascript:alert(1)}{not a link}", "not a link", "Not a link"),
    ("Ends with a backslash\\", "Ends with a backslash\\", "Ends with a backslash\\"),
    (
        "$a<b$ & <script>",
        "a < b & <script>",
        '<span class="bibtex-protected">a &lt; b</span> &amp; &lt;script&gt;',
    ),  # fmt: skip
]


@pytest.mark.parametrize(("field", "text", "html"), CASES)
def test_a_field_reads_as_a_reader_expects(field, text, html):
    assert latex_text(field) == text
    assert rich_latex(field).capitalize().render(HTML) == html


def test_pybtex_still_leaves_commands_as_written():
    """The workaround's reason (pybtex 0.26.1; sphinxcontrib-bibtex#76, #300).
    When this fails, pybtex reads LaTeX commands itself: retire latexfields."""
    raw = _FROM_LATEX(Text, r"with \emph{sparse} $O(n^2)$")
    assert "\\emph" in raw.render(HTML)
    assert "$o(n^2)$" in raw.lower().render(HTML)


def test_an_unclosed_brace_is_pybtex_s_error_as_before():
    with pytest.raises(PybtexError):
        rich_latex("A {broken title")
    assert latex_text("A {broken title") == "A broken title"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab $^_{}\\&%#~'\"-xe", "\\emph", "\\v"])).map("".join))
def test_any_field_is_read_or_refused_as_pybtex_refuses_it(field):
    try:
        text = rich_latex(field)
    except (PybtexError, ValueError) as error:
        # Only what pybtex's own reader refuses too, with its error.
        with pytest.raises(type(error)):
            _FROM_LATEX(Text, field)
        return
    text.capitalize().render(HTML)
    assert isinstance(latex_text(field), str)


POST = """\
---
date: 2026-02-03
---

# Sparse learning

Cited {cite}`sparse2020`.
"""

ENTRY = r"""
@article{sparse2020,
  author = {Ann Author and J\"{o}rn Zweit and Man{\'e}, Jos{\'e}},
  title = {Learning in $O(n^2)$ time with \emph{sparse} {GPUs} -- a study},
  journal = {Journal of \textit{Tests} \& Trials},
  year = {2020}
}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    src = bibtex_root(tmp_path_factory.mktemp("latexfields"), ENTRY, {"sparse.md": POST})
    app, warnings = build(src, freshenv=True)
    assert warnings == "", warnings
    return Path(app.outdir)


def test_the_reference_list_and_preview_read_the_latex(out):
    entry = soup(out / "posts/2026/sparse.html").find("div", id="ref-sparse2020").p
    assert entry.decode_contents() == (
        "Ann Author, Jörn Zweit, and José Mané. Learning in O(n²) time with <em>sparse</em> "
        "GPUs – a study. <em>Journal of <em>Tests</em> &amp; Trials</em>, 2020."
    )
    preview = json.loads((out / "_previews/references/sparse2020.json").read_text("utf-8"))
    assert preview["title"] == "Learning in O(n²) time with sparse GPUs – a study"
    assert preview["text"] == "Journal of Tests & Trials"
    assert preview["authors"] == "Ann Author, Jörn Zweit and José Mané"


def test_an_accented_name_is_one_word_in_the_search_index(out):
    """pybtex wrote Man{\\'e}'s braced letter as a text of its own, and the
    search index read "Man" and "é": searching "Mané" found nothing."""
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text[text.index("(") + 1 : text.rindex(")")])["terms"]
    assert {"mané", "jörn", "josé"} <= set(terms)
    assert "man" not in terms and "é" not in terms
