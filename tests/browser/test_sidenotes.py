"""Sidenotes in Chromium: beside their lines on a wide screen, never over one
another; gone on a narrow one, with nothing to scroll sideways; nothing for
axe to find, in either colour scheme.

The real site has no footnote yet: a small site with a post with three is
built here and served the way ``conftest.served`` serves the real one.
Screenshots of both widths are kept in the test's temporary folder
(``sidenotes-*.png``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from blogtools import build, copy_root

import essayist

from .conftest import SCHEMES, Served, axe_violations, serve_folder

EXTENSIONS = ["myst_parser", "essayist"] + (
    [] if hasattr(essayist, "setup_scholarship") else ["essayist.scholarship"]
)
# Three notes: the first on the first line of the text, the other two on
# one line further down, so that the third must go below the second.
POST = """---
date: 2026-03-02
author: Ada
---

# What a reward model learns

A reward model learns what the raters rewarded.[^raters] That is not always
what they meant, and the difference grows as the policy learns to find the
places where the two come apart.

Most of the time the raters are right, and the model learns what was meant;
the trouble is the rest of the time, which the policy finds.

A proxy, pushed hard enough, stops being one.[^goodhart] And so on.[^more]

[^raters]: Raters disagree with one another about a fifth of the time.
[^goodhart]: Goodhart's law, in the form Strathern gave it: *when a measure
    becomes a target, it ceases to be a good measure*.

    A second paragraph of the note, which the margin shows on its own line.
[^more]: See [the overview](https://example.com/overview) for more.
"""
# The same notes in a post with sections: Furo's table of contents takes the
# right-hand column, and the footnotes stay footnotes.
WITH_TOC = (
    POST.replace("# What a reward model learns", "# With sections")
    + "\n## A section\n\nText.\n\n## Another\n\nMore text.\n"
)
PAGE = "posts/2026/notes.html"
TOC_PAGE = "posts/2026/sections.html"
WIDE = {"width": 1400, "height": 900}
NARROW = {"width": 390, "height": 844}

BOXES = """() => [...document.querySelectorAll("article .sidenote-ref")].map(anchor => {
    const ref = anchor.querySelector("a.footnote-reference").getBoundingClientRect();
    const note = anchor.querySelector(".sidenote");
    const box = note.getBoundingClientRect();
    const text = anchor.closest("p").getBoundingClientRect();
    return {
        ref: ref.toJSON(), note: box.toJSON(), text: text.toJSON(),
        shown: getComputedStyle(note).display !== "none" && box.width > 0,
        hidden: note.getAttribute("aria-hidden"),
        words: note.textContent,
    };
})"""
SIDEWAYS = "document.documentElement.scrollWidth <= innerWidth"


@pytest.fixture(scope="module")
def notes_served(tmp_path_factory) -> Iterator[Served]:
    src = copy_root("minimal", tmp_path_factory.mktemp("sidenotes"))
    (src / "posts/2026/notes.md").write_text(POST, encoding="utf-8")
    (src / "posts/2026/sections.md").write_text(WITH_TOC, encoding="utf-8")
    # As on the real site (conf.py): no "view source" link.
    app, warnings = build(
        src, extensions=EXTENSIONS, html_copy_source=False, html_show_sourcelink=False
    )
    assert warnings == ""
    site = Path(app.outdir)
    with serve_folder(site) as server:
        yield server


@pytest.fixture
def reading(browser, notes_served):
    """``reading(path, viewport, scheme)``: the page, in a fresh context."""
    contexts = []

    def open_(path: str, viewport: dict, scheme: str = "light"):
        context = browser.new_context(
            viewport=viewport, color_scheme=scheme, reduced_motion="reduce"
        )
        contexts.append(context)
        origin = notes_served.origin + "/"
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(origin) else route.abort()
            ),
        )
        page = context.new_page()
        page.goto(notes_served.url(path), wait_until="load")
        return page

    yield open_
    for context in contexts:
        context.close()


def test_each_sidenote_is_beside_its_line_on_a_wide_screen(reading, tmp_path):
    page = reading(PAGE, WIDE)
    page.screenshot(path=tmp_path / "sidenotes-1400.png", full_page=True)
    notes = page.evaluate(BOXES)
    assert [" ".join(n["words"].split()) for n in notes] == [
        "1 Raters disagree with one another about a fifth of the time.",
        "2 Goodhart’s law, in the form Strathern gave it: when a measure becomes a target, "
        "it ceases to be a good measure.A second paragraph of the note, which the margin "
        "shows on its own line.",
        "3 See the overview for more.",
    ]
    assert all(n["shown"] and n["hidden"] == "true" for n in notes)
    previous = None
    for n in notes:
        note, ref, text = n["note"], n["ref"], n["text"]
        # In the margin: right of the text, inside the window.
        assert note["left"] >= text["right"] + 16 and note["right"] <= WIDE["width"], n
        beside = abs(note["top"] - ref["top"]) <= 6
        if previous is not None:
            # Never over the note before it...
            assert note["top"] >= previous["bottom"], n
            # ...and when not beside its line, right under that note (its
            # margin, or the end of the line it could not start beside).
            below = previous["bottom"] <= note["top"] <= previous["bottom"] + 40
            assert beside or (below and note["top"] > ref["top"]), n
        else:
            assert beside, n
        previous = note
    # The first is beside its line; the last two share a line, so the third is
    # pushed below the second.
    first, second, third = (n["note"] for n in notes)
    assert abs(first["top"] - notes[0]["ref"]["top"]) <= 6
    assert abs(second["top"] - notes[1]["ref"]["top"]) <= 6
    assert third["top"] > notes[2]["ref"]["top"] + 6
    assert page.evaluate(SIDEWAYS)
    # The footnotes themselves stay, for screen readers and print.
    assert page.locator("aside.footnote").count() == 3
    assert page.locator("aside.footnote").first.is_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_no_sidenote_where_there_is_no_margin(reading, tmp_path, width):
    page = reading(PAGE, {**NARROW, "width": width})
    if width == NARROW["width"]:
        page.screenshot(path=tmp_path / "sidenotes-390.png", full_page=True)
    notes = page.evaluate(BOXES)
    assert len(notes) == 3 and not any(n["shown"] for n in notes)
    assert page.evaluate(SIDEWAYS)
    assert page.locator("aside.footnote").count() == 3
    assert page.locator("aside.footnote").first.is_visible()


def test_no_sidenote_beside_a_table_of_contents(reading, tmp_path):
    page = reading(TOC_PAGE, WIDE)
    page.screenshot(path=tmp_path / "sidenotes-toc-1400.png")
    assert page.locator(".toc-tree").first.is_visible()
    assert not any(n["shown"] for n in page.evaluate(BOXES))
    assert page.evaluate(SIDEWAYS)


def test_the_sidenotes_stylesheet_is_on_pages_with_notes_only(notes_served):
    notes = (notes_served.root / PAGE).read_text(encoding="utf-8")
    home = (notes_served.root / "index.html").read_text(encoding="utf-8")
    assert "essayist-sidenotes.css" in notes
    assert "essayist-sidenotes.css" not in home


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["wide", "narrow"])
def test_axe_finds_nothing(reading, axe_source, scheme, viewport):
    page = reading(PAGE, viewport, scheme)
    assert axe_violations(page, axe_source) == []
