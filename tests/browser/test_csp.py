"""In Chromium, under the pages' own Content-Security-Policy: nothing is refused,
and the theme toggle, search and previews still work."""

from __future__ import annotations

from .pages import CONCEPT, ESSAY, MISSING

RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def open_recording(open_page, path, screen="desktop"):
    reader = open_page(None, screen=screen)
    reader.page.context.add_init_script(RECORD)
    messages = []
    reader.page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    reader.goto(path)
    return reader, messages


def test_no_violation_while_reading_and_using_controls(open_page):
    reader, messages = open_recording(open_page, ESSAY)
    page = reader.page
    assert page.evaluate("document.body.dataset.theme") == "auto"  # set by the file
    page.locator(".theme-toggle-content .theme-toggle").click()
    assert page.evaluate("document.body.dataset.theme") == "dark"
    link = page.locator("article a.concept-ref").first
    link.hover()
    page.locator("#essayist-preview").wait_for(state="visible", timeout=5_000)
    page.locator("form[role=search] input[name=q]").fill("Goodhart")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?*")
    page.locator("#search-results a").first.wait_for(timeout=10_000)
    assert page.evaluate("window.__csp") == []
    assert messages == []
    assert reader.errors == []


def test_no_violation_on_a_concept_page_and_the_404(open_page):
    for path in (CONCEPT, MISSING):
        reader, messages = open_recording(open_page, path)
        assert reader.page.evaluate("window.__csp") == [], path
        assert messages == [], path
