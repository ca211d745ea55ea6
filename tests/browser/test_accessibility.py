"""axe-core on every kind of page, both widths, both colour schemes; and the keyboard."""

from __future__ import annotations

import json

import pytest

from .conftest import SCREENS, WIDE, axe_everywhere
from .pages import KINDS


@pytest.mark.parametrize("kind", list(KINDS))
def test_axe_finds_no_violation(open_page, axe_source, kind):
    """Both widths (and a wide screen), both colour schemes: the page is loaded
    once and axe injected once (parsing axe costs more than running it), then the
    viewport and the colour scheme are switched in place."""
    reader = open_page(KINDS[kind])
    page = reader.page
    if kind == "search":
        page.locator("#search-results li").first.wait_for(timeout=10_000)
    found = axe_everywhere(page, axe_source, {**SCREENS, "wide": WIDE})
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


# Tab through the page, noting where the focus goes and whether it shows.
# A "control" is anything a reader can operate: links, buttons, inputs, summaries,
# and the checkbox behind each of Furo's drawer icons (a <label> shows it).
TAB_WALK = """async (limit) => {
    const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
              + ' [tabindex]:not([tabindex^="-"])';
    const shown = (el) => el.checkVisibility({visibilityProperty: true})
                          && el.getClientRects().length > 0;
    const name = (el) => el.outerHTML.slice(0, 120);
    // The element whose look shows the focus: a checkbox made invisible (Furo's
    // drawer and sidebar-tree toggles) shows it on its visible <label>.
    const face = (el) => {
        const hidden = parseFloat(getComputedStyle(el).opacity) === 0
                       || el.getBoundingClientRect().width <= 1;
        if (el.id && hidden) {
            const labels = document.querySelectorAll(
                `label[for="${CSS.escape(el.id)}"]:not(.overlay)`);
            return [...labels].find(shown) || el;
        }
        return el;
    };
    const controls = new Set(
        [...document.querySelectorAll(sel)].filter((el) => shown(el) && !el.disabled));
    for (const label of document.querySelectorAll('label[for]:not(.overlay)')) {
        const target = document.getElementById(label.getAttribute('for'));
        if (shown(label) && target) controls.add(target);
    }
    document.activeElement && document.activeElement.blur();
    const reached = [];
    const problems = [];
    for (let i = 0; i < limit; i++) {
        await window.__essayistTab();
        const el = document.activeElement;
        if (!el || el === document.body) break;
        if (reached.includes(el)) break;
        reached.push(el);
        await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
        const f = face(el);
        const r = f.getBoundingClientRect();
        const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                         && r.left < innerWidth && r.top < innerHeight;
        const style = getComputedStyle(f);
        const ringed = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                              || s.boxShadow !== 'none';
        // Either the control or its box (the search field's) draws the ring.
        const ring = ringed(style) || ringed(getComputedStyle(f.parentElement));
        if (!onScreen) problems.push('focused off screen: ' + name(el));
        if (!ring) problems.push('focus not shown: ' + name(el));
        if (parseFloat(style.opacity) === 0) problems.push('focused but transparent: ' + name(el));
    }
    const missed = [...controls].filter((el) => !reached.includes(el)).map(name);
    return {reached: reached.length, controls: controls.size, missed, problems};
}"""


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_control_is_reached_by_keyboard_and_shows_its_focus(open_page, kind, screen):
    reader = open_page(KINDS[kind], screen=screen)
    page = reader.page
    if kind == "search":
        # Sphinx adds the results one by one: until it says it has finished,
        # each one pushes the footer down, maybe past the control just focused.
        summary = page.locator("#search-results p.search-summary", has_text="Search finished")
        summary.wait_for(timeout=10_000)
    page.expose_function("__essayistTab", lambda: page.keyboard.press("Tab"))
    result = page.evaluate(TAB_WALK, 400)
    assert result["controls"] > 5, result
    assert result["missed"] == [], result
    assert result["problems"] == [], result


# Where the focus is: in which drawer, or on which toggle; and which is open.
FOCUS_AT = """() => {
    const el = document.activeElement;
    return {
        in: el.closest(".toc-drawer") ? "toc" : el.closest(".sidebar-drawer") ? "nav" : el.id,
        open: ["__toc", "__navigation"].filter((id) => document.getElementById(id).checked),
    };
}"""


@pytest.mark.parametrize("toggle, drawer", [("__toc", "toc"), ("__navigation", "nav")])
def test_a_drawer_opened_from_the_keyboard_takes_the_focus_and_gives_it_back(
    open_page, toggle, drawer
):
    """The drawer opened over a dimmed page with the focus left behind it: the
    next Tab went to the page underneath, and Escape did nothing."""
    from .pages import ESSAY

    page = open_page(ESSAY, screen="phone").page
    page.focus(f"#{toggle}")
    page.keyboard.press("Space")
    assert page.evaluate(FOCUS_AT) == {"in": drawer, "open": [toggle]}
    page.keyboard.press("Escape")
    assert page.evaluate(FOCUS_AT) == {"in": toggle, "open": []}
    # Open again, then Tab out of it: it closes behind the focus.
    page.keyboard.press("Space")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS_AT)["in"] != drawer:
            break
    assert page.evaluate(FOCUS_AT)["open"] == []
