"""An essay as scholars write it, in Chromium: references, a table wider than a
phone, a long numbered formula. axe finds nothing at either width in either
colour scheme (the references were a critical ``aria-required-children`` on
every essay that cites; the wide table and formula could not be scrolled from
the keyboard), and the keyboard scrolls what is wider than the column.

The real site's essay cites nothing yet: a small site is built here, served
the way ``conftest.served`` serves the real one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from blogtools import bibtex_root, build

from .conftest import SCREENS, Served, axe_everywhere, same_origin_context, serve_folder

COLUMNS = 9
TABLE = "\n".join(
    [
        "| " + " | ".join(f"Column heading {n}" for n in range(COLUMNS)) + " |",
        "|" + "---|" * COLUMNS,
        "| " + " | ".join(f"a longer cell {n}" for n in range(COLUMNS)) + " |",
    ]
)
CODE = "loss = reward_model.bradley_terry_loss(chosen, rejected, " + "margin_" * 12 + "=0.5)"
POST = f"""---
date: 2026-03-02
---

# What the raters rewarded

A measure that becomes a target stops being a good one {{cite:p}}`goodhart1975`,
and proxies come apart in four ways {{cite:p}}`manheim2018`; see
[the paper](https://example.org/proxies).

```python
{CODE}
```

{TABLE}

```{{math}}
:label: bt-loss
\\mathcal{{L}}(\\theta) = -\\mathbb{{E}}_{{(x, y^+, y^-) \\sim D}}\\left[\\log \\sigma\\left(
r_\\theta(x, y^+) - r_\\theta(x, y^-)\\right)\\right] + \\lambda \\lVert \\theta \\rVert^2
+ \\mu \\sum_{{i=1}}^{{n}} \\left( r_\\theta(x_i, y_i) - \\bar r \\right)^2
```

The loss {{eq}}`bt-loss` is the usual one.

```{{bibliography}}
```
"""
PAGE = "posts/2026/scholarly.html"
# What is wider than the column: each scrolls sideways, from the keyboard too.
SCROLLERS = """() => [...document.querySelectorAll("article .table-wrapper, article .math-wrapper")]
    .map((el) => ({
        label: el.getAttribute("aria-label"),
        tabindex: el.getAttribute("tabindex"),
        wider: el.scrollWidth > el.clientWidth,
    }))"""


@pytest.fixture(scope="module")
def scholarly(tmp_path_factory) -> Iterator[Served]:
    src = bibtex_root(tmp_path_factory.mktemp("scholarly"), "", {"scholarly.md": POST})
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('myst_enable_extensions = ["dollarmath", "amsmath"]\n')
    app, warnings = build(src, html_copy_source=False, html_show_sourcelink=False)
    assert warnings == ""
    with serve_folder(Path(app.outdir)) as server:
        yield server


def open_essay(browser, served: Served, viewport: dict):
    context = same_origin_context(browser, served, viewport=viewport, reduced_motion="reduce")
    page = context.new_page()
    page.goto(served.url(PAGE), wait_until="load")
    return context, page


def test_axe_finds_nothing_on_a_scholarly_essay(browser, scholarly, axe_source):
    context, page = open_essay(browser, scholarly, SCREENS["desktop"])
    try:
        assert page.locator("article [role=list] > [role=listitem]").count() == 2
        found = axe_everywhere(page, axe_source, SCREENS)
    finally:
        context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


# The number's box and the formula's, side by side.
NUMBER_BESIDE = """() => {
    const number = document.querySelector("article div.math .eqno").getBoundingClientRect();
    const formula = document.querySelector("article div.math math").getBoundingClientRect();
    return {apart: number.left >= formula.right, row: Math.abs(
        (number.top + number.bottom) / 2 - (formula.top + formula.bottom) / 2) < formula.height};
}"""


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_an_equation_number_never_covers_its_formula(browser, scholarly, screen):
    """Furo set the number over the formula's end: on a phone, "(1)" covered
    the last 20 px of a formula as wide as the column."""
    context, page = open_essay(browser, scholarly, SCREENS[screen])
    try:
        assert page.evaluate(NUMBER_BESIDE) == {"apart": True, "row": True}
    finally:
        context.close()


# On paper (an A4 page): what overflows, and the address a link prints.
ON_PAPER = """() => ({
    code: [...document.querySelectorAll("article pre")].every(
        (el) => el.scrollWidth <= el.clientWidth),
    tables: [...document.querySelectorAll("article table")].every(
        (el) => el.getBoundingClientRect().right <= document.querySelector("article")
            .getBoundingClientRect().right + 1),
    address: getComputedStyle(
        document.querySelector('article a[href="https://example.org/proxies"]'), "::after"
    ).content,
})"""


def test_on_paper_code_wraps_tables_fit_and_links_show_their_address(browser, scholarly):
    context, page = open_essay(browser, scholarly, {"width": 794, "height": 1123})
    try:
        page.emulate_media(media="print")
        assert page.evaluate(ON_PAPER) == {
            "code": True,
            "tables": True,
            "address": '" <https://example.org/proxies>"',
        }
    finally:
        context.close()


def test_the_keyboard_scrolls_a_table_and_a_formula_wider_than_a_phone(browser, scholarly):
    context, page = open_essay(browser, scholarly, SCREENS["phone"])
    try:
        scrollers = page.evaluate(SCROLLERS)
        assert scrollers == [
            {"label": "Table", "tabindex": "0", "wider": True},
            {"label": "Formula", "tabindex": "0", "wider": True},
        ]
        for selector in ("article .table-wrapper", "article .math-wrapper"):
            wrapper = page.locator(selector)
            wrapper.focus()
            for _ in range(5):
                page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "(el) => el.scrollLeft > 0", arg=wrapper.element_handle(), timeout=5_000
            )
    finally:
        context.close()
