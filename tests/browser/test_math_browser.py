"""Mathematics in Chromium: formulas laid out as mathematics by the browser
itself, in both colour schemes, with nothing asked of another host.

The real site has no formula yet: a small site with one is built here and
served the way ``conftest.served`` serves the real one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from blogtools import build, copy_root

from .conftest import AXE_URL_PATH, DESKTOP, SCHEMES, Served, same_origin_context, serve_folder

OVERRIDES = {
    "extensions": ["myst_parser", "essayist", "essayist.content"],
    "myst_enable_extensions": ["dollarmath", "amsmath"],
    "myst_update_mathjax": False,
}
POST = r"""---
date: 2026-03-02
author: Ada
---

# What the objective says

The agent picks $\hat{a} = \arg\max_{a} Q(s, a)$ in each state.

$$
J(\pi) = \frac{1}{N} \sum_{t=0}^{T} \gamma^t r_t
$$

$$
r(s) = \begin{cases} 1 & \text{if } s \in G \\ 0 & \text{otherwise} \end{cases}
$$

By $\textbf{Goodhart}$'s law the $\textit{proxy}$ drifts.

So $p(y|x)$ is $a \xrightarrow{\text{moment map}} b$, and $\boxed{x} + \cancel{y}$.
"""
PAGE = "posts/2026/objectives.html"
RECORD_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
# Whether the cases' conditions ("if …", "otherwise") start at one left edge.
CONDITIONS = """() => {
    const cells = [...document.querySelectorAll("article mtable mtr > mtd:nth-child(2)")];
    const lefts = cells.map(c => c.firstElementChild.getBoundingClientRect().left);
    return [new Set(lefts).size === 1];
}"""
# Each styled word of a formula: its text, weight and slant.
STYLED = """() => [...document.querySelectorAll("article mtext[mathvariant]")].map(t => {
    const style = getComputedStyle(t);
    return [t.textContent, style.fontWeight, style.fontStyle];
})"""
# The gaps either side of the bar in p(y|x), in pixels.
BAR = """() => {
    const bar = [...document.querySelectorAll("article mo")].find(m => m.textContent === "|");
    const [before, after] = [bar.previousElementSibling, bar.nextElementSibling];
    const box = bar.getBoundingClientRect();
    return {before: box.left - before.getBoundingClientRect().right,
            after: after.getBoundingClientRect().left - box.right};
}"""
# \xrightarrow's label between what comes before and after it (the arrow,
# drawn stretched to the label, keeps its glyph's box).
ARROW = """() => {
    const over = document.querySelector("article mover:has(mpadded)");
    const label = over.querySelector("mtext").getBoundingClientRect();
    return {before: over.previousElementSibling.getBoundingClientRect().right,
            label: [label.left, label.right],
            next: over.nextElementSibling.getBoundingClientRect().left};
}"""
# \boxed's border and width against its content's; \cancel's stroke.
ENCLOSED = """() => {
    const box = document.querySelector('article menclose[notation="box"]');
    const strike = document.querySelector('article menclose[notation="updiagonalstrike"]');
    return {border: getComputedStyle(box).borderTopWidth,
            boxed: box.getBoundingClientRect().width,
            inner: box.firstElementChild.getBoundingClientRect().width,
            strike: getComputedStyle(strike).backgroundImage};
}"""
SHEET = '[...document.styleSheets].find(s => (s.href || "").includes("essayist-math.css"))'
SHEET_OFF = f"() => {{ {SHEET}.disabled = true; }}"
SHEET_ON = f"() => {{ {SHEET}.disabled = false; }}"
# The boxes of an element's children, in order.
BOXES = "el => [...el.children].map(c => c.getBoundingClientRect().toJSON())"


@pytest.fixture(scope="module")
def math_served(tmp_path_factory) -> Iterator[Served]:
    src = copy_root("minimal", tmp_path_factory.mktemp("math-browser"))
    (src / "posts" / "2026" / "objectives.md").write_text(POST, encoding="utf-8")
    app, warnings = build(src, **OVERRIDES)
    assert warnings == ""
    site = Path(app.outdir)
    with serve_folder(site) as server:
        yield server


@pytest.fixture
def reading(browser, math_served):
    """``reading(scheme)``: (the page of the post, every URL it requested);
    requests to another origin are recorded and refused."""
    contexts = []

    def open_(scheme: str):
        context = same_origin_context(browser, math_served, viewport=DESKTOP, color_scheme=scheme)
        contexts.append(context)
        context.add_init_script(RECORD_CSP)
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(math_served.url(PAGE), wait_until="load")
        return page, requested

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_formulas_are_laid_out_as_mathematics(reading, math_served, scheme):
    page, requested = reading(scheme)
    formulas = page.locator("article math")
    assert formulas.count() == 8
    for index in range(8):
        formula = formulas.nth(index)
        box = formula.bounding_box()
        assert box["width"] > 0 and box["height"] > 0, index
        text = formula.text_content()
        assert text and "\\" not in text and "$" not in text, text

    # Displayed: the sum's limits below and above it, the fraction's
    # numerator above its denominator.
    total, below, above = page.locator("article div.math munderover").first.evaluate(BOXES)
    assert below["top"] >= total["bottom"] - 1 and above["bottom"] <= total["top"] + 1
    numerator, denominator = page.locator("article div.math mfrac").first.evaluate(BOXES)
    assert numerator["bottom"] <= denominator["top"]
    # Inline: argmax's limit beside it, as a subscript (movablelimits).
    operator, limit = page.locator("article p munder").first.evaluate(BOXES)
    assert limit["left"] >= operator["right"] - 1
    # Cases: the conditions start at the same left edge (the stylesheet's
    # doing: MathML Core centres table cells); without it they would not.
    assert page.evaluate(CONDITIONS) == [True]
    page.evaluate(SHEET_OFF)
    assert page.evaluate(CONDITIONS) == [False]
    page.evaluate(SHEET_ON)

    # Styled words are words (what a screen reader reads), set in bold and
    # italic by the stylesheet.
    styled = page.evaluate(STYLED)
    assert styled == [["Goodhart", "700", "normal"], ["proxy", "400", "italic"]]
    page.evaluate(SHEET_OFF)
    assert [style[1:] for style in page.evaluate(STYLED)] == [["400", "normal"]] * 2
    page.evaluate(SHEET_ON)

    # A bar is set tight (p(y|x)), an arrow's label sits over the arrow, and
    # a box and a strike are drawn (MathML Core has no menclose).
    bar = page.evaluate(BAR)
    assert bar["before"] < 2 and bar["after"] < 2, bar
    arrow = page.evaluate(ARROW)
    assert arrow["before"] <= arrow["label"][0] and arrow["label"][1] <= arrow["next"], arrow
    enclosed = page.evaluate(ENCLOSED)
    assert enclosed["border"] != "0px" and enclosed["boxed"] > enclosed["inner"] + 4, enclosed
    assert "linear-gradient" in enclosed["strike"], enclosed

    # The text's own colour, in either scheme.
    colours = page.evaluate(
        """() => ["article p:has(math)", "article math"]
            .map(selector => getComputedStyle(document.querySelector(selector)).color)"""
    )
    assert colours[0] == colours[1]

    assert [url for url in requested if not url.startswith(math_served.origin + "/")] == []
    assert any(
        url.endswith("essayist-math.css") or "essayist-math.css?" in url for url in requested
    )
    assert page.evaluate("window.__csp") == []


def test_axe_finds_no_violation_in_formulas(reading, axe_source):
    """axe-core on the formulas (the rest of the page is the test root's, not
    the site's: tests/browser/test_accessibility.py checks the site's pages)."""
    page, _ = reading("light")
    page.add_script_tag(url=page.evaluate("location.origin") + AXE_URL_PATH)
    violations = page.evaluate(
        """async () => (await axe.run("article math", {resultTypes: ["violations"]}))
            .violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
    )
    assert violations == []
