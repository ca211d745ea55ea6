"""Sidenotes in Chromium: beside their lines on a wide screen, never over one
another; gone on a narrow one, with nothing to scroll sideways; nothing for
axe to find, in either colour scheme.

The real site has no footnote yet: a small site is built here, with a post
with three notes and no sections, and a post with sections (so a table of
contents) and five, and served the way ``conftest.served`` serves the real
one. On the second, the contents fold into their drawer for the notes at
1400px, and stay in view beyond them at 1920px. Screenshots are kept in the
test's temporary folder (``sidenotes-*.png``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from blogtools import build, copy_root

from .conftest import SCHEMES, Served, axe_everywhere, same_origin_context, serve_folder

EXTENSIONS = ["myst_parser", "essayist"]
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
# A post with sections, so a table of contents, and a note in each, spaced
# so that each can sit beside its line. At 1400px the contents fold into
# their drawer and the notes take their column; at 1920px the notes go
# between the text and the contents.
WITH_TOC = """---
date: 2026-03-04
author: Ada
---

# Where the proxy comes apart

A reward model learns what the raters rewarded.[^raters] That is not always
what they meant, and the difference grows as the policy learns to find the
places where the two come apart.

## What the raters see

Raters see two answers side by side and pick one; they do not see the
conversation that led to them, nor what the answer will be used for.[^context]
Most of the time that is enough: the better answer is usually plain.

The trouble is the rest of the time. A confident answer reads better than a
hedged one, and a long one better than a short one. Both preferences are mostly
right, and the policy learns both of them.[^length]

## What the policy finds

A proxy, pushed hard enough, stops being one.[^goodhart] The policy is pushed
hard: it is trained on millions of comparisons, and it finds every place where
the raters' choice and the raters' intent disagree.

Nothing here is new. What is new is how far the push goes, and how little of it
anyone reads.

## What to do about it

Read more of it. See [the overview](https://example.com/overview) for the
ways people have tried.[^more]

[^raters]: Raters disagree with one another about a fifth of the time.
[^context]: Some set-ups show the whole conversation; most show the last turn.
[^length]: Up to a point, which the policy finds too.
[^goodhart]: Goodhart's law, in the form Strathern gave it: *when a measure
    becomes a target, it ceases to be a good measure*.

    A second paragraph of the note, which the margin shows on its own line.
[^more]: See [the overview](https://example.com/overview) for more.
"""
PAGE = "posts/2026/notes.html"
TOC_PAGE = "posts/2026/sections.html"
WIDE = {"width": 1400, "height": 900}
NARROW = {"width": 390, "height": 844}
# Wide enough for navigation, text, notes and the table of contents (106em).
WIDEST = {"width": 1920, "height": 900}

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
        line: parseFloat(getComputedStyle(anchor.closest("p")).lineHeight),
    };
})"""
SIDEWAYS = "document.documentElement.scrollWidth <= innerWidth"
# Each footnote's number on the row of its text (Furo floats the numbers left:
# beside a note that runs on past the text, they would be pushed down).
NUMBERS_IN_ROWS = """() => [...document.querySelectorAll("aside.footnote")].every(note => {
    const number = note.querySelector(":scope > span.label").getBoundingClientRect();
    const text = note.querySelector(":scope > p").getBoundingClientRect();
    return Math.abs(number.top - text.top) <= 4;
})"""


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

    def open_(path: str, viewport: dict, scheme: str = "light", **options):
        context = same_origin_context(
            browser,
            notes_served,
            viewport=viewport,
            color_scheme=scheme,
            reduced_motion="reduce",
            **options,
        )
        contexts.append(context)
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
    assert page.evaluate(NUMBERS_IN_ROWS)


@pytest.mark.parametrize("path", [PAGE, TOC_PAGE], ids=["no-toc", "toc"])
@pytest.mark.parametrize("width", [390, 768, 1024, 1280])
def test_no_sidenote_where_there_is_no_margin(reading, tmp_path, path, width):
    page = reading(path, {**NARROW, "width": width})
    page.screenshot(path=tmp_path / f"sidenotes-{width}.png", full_page=True)
    notes = page.evaluate(BOXES)
    assert len(notes) == page.locator("aside.footnote").count() > 2
    assert not any(n["shown"] for n in notes)
    assert page.evaluate(SIDEWAYS)
    # The footnotes, at the end of the text.
    last_reference = page.locator("article a.footnote-reference").last.bounding_box()
    first_footnote = page.locator("aside.footnote").first
    assert first_footnote.is_visible()
    assert first_footnote.bounding_box()["y"] > last_reference["y"]


def in_the_margin_by_their_lines(notes: list[dict], right_edge: float) -> None:
    """Each note right of its text and left of ``right_edge``, its top within a
    line of its reference's, below the note before it."""
    previous = None
    for n in notes:
        note, ref, text = n["note"], n["ref"], n["text"]
        assert n["shown"] and n["hidden"] == "true", n
        assert note["left"] >= text["right"] + 16 and note["right"] <= right_edge, n
        assert abs(note["top"] - ref["top"]) <= n["line"], n
        assert previous is None or note["top"] >= previous["bottom"], n
        previous = note


def test_a_table_of_contents_folds_into_its_drawer_for_the_notes(reading, tmp_path):
    page = reading(TOC_PAGE, WIDE)
    page.screenshot(path=tmp_path / "sidenotes-toc-1400.png", full_page=True)
    notes = page.evaluate(BOXES)
    assert len(notes) == 5
    in_the_margin_by_their_lines(notes, WIDE["width"])
    assert page.evaluate(SIDEWAYS)
    assert page.locator("aside.footnote").count() == 5
    assert page.evaluate(NUMBERS_IN_ROWS)
    # The contents are folded, behind the icon at the top of the text.
    drawer = page.locator(".toc-drawer")
    section = drawer.get_by_role("link", name="What the policy finds")
    assert not section.is_visible()
    page.locator(".toc-content-icon").click()
    section.wait_for(state="visible")
    box = drawer.bounding_box()
    assert box["x"] + box["width"] <= WIDE["width"] + 1
    section.click()
    assert page.evaluate("location.hash") == "#what-the-policy-finds"


def test_the_folded_contents_open_from_the_keyboard_without_a_script(reading):
    page = reading(TOC_PAGE, WIDE, java_script_enabled=False)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "__toc":
            break
    assert page.evaluate("document.activeElement.id") == "__toc"
    icon = page.locator(".toc-content-icon")
    assert icon.is_visible()
    assert icon.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Space")
    page.locator(".toc-drawer").get_by_role("link", name="What to do about it").wait_for()


def test_on_the_widest_screens_the_notes_go_between_text_and_contents(reading, tmp_path):
    page = reading(TOC_PAGE, WIDEST)
    page.screenshot(path=tmp_path / "sidenotes-toc-1920.png", full_page=True)
    drawer = page.locator(".toc-drawer")
    assert drawer.get_by_role("link", name="What the policy finds").is_visible()
    assert not page.locator(".toc-content-icon").is_visible()
    contents = page.locator(".toc-tree").bounding_box()
    in_the_margin_by_their_lines(page.evaluate(BOXES), contents["x"])
    assert page.evaluate(SIDEWAYS)


@pytest.mark.parametrize("width", [1313, 1400, 1552, 1695, 1696, 1920, 2560])
def test_notes_never_meet_and_nothing_scrolls_sideways(reading, width):
    page = reading(TOC_PAGE, {**WIDE, "width": width})
    notes = page.evaluate(BOXES)
    assert all(n["shown"] for n in notes)
    in_the_margin_by_their_lines(notes, width)
    assert page.evaluate(SIDEWAYS)


# WCAG contrast of each note's text (and number) with what is behind it.
CONTRAST = """() => {
    const rgb = c => c.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
        .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const behind = el => {
        for (; el; el = el.parentElement) {
            const c = rgb(getComputedStyle(el).backgroundColor);
            if (c.length < 4 || c[3] > 0) return c;
        }
        return [255, 255, 255];
    };
    const ratio = el => {
        const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(behind(el))];
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    };
    return [...document.querySelectorAll(".sidenote, .sidenote-number")].map(ratio);
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_notes_are_readable_in_both_schemes(reading, tmp_path, scheme):
    page = reading(TOC_PAGE, WIDE, scheme)
    page.screenshot(path=tmp_path / f"sidenotes-toc-{scheme}.png")
    assert all(n["shown"] for n in page.evaluate(BOXES))
    ratios = page.evaluate(CONTRAST)
    assert len(ratios) == 10 and min(ratios) >= 4.5, ratios


def test_the_sidenotes_stylesheet_is_on_pages_with_notes_only(notes_served):
    notes = (notes_served.root / PAGE).read_text(encoding="utf-8")
    home = (notes_served.root / "index.html").read_text(encoding="utf-8")
    assert "essayist-sidenotes.css" in notes
    assert "essayist-sidenotes.css" not in home


@pytest.mark.parametrize("path", [PAGE, TOC_PAGE], ids=["no-toc", "toc"])
def test_axe_finds_nothing(reading, axe_source, path):
    """Each width and scheme, switched in place (as test_accessibility does)."""
    page = reading(path, WIDE)
    sizes = {str(v["width"]): v for v in (NARROW, WIDE, WIDEST)}
    found = axe_everywhere(page, axe_source, sizes)
    assert found == {}, found
