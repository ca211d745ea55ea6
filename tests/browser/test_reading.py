"""Reading the site in Chromium: layout, drawer, theme, search, previews, links, privacy."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import html_pages, norm, soup
from playwright.sync_api import expect

from .pages import CONCEPT, ESSAY, ESSAY_TITLE, MISSING


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_essay_title_visible_without_horizontal_scrolling(open_page, screen):
    reader = open_page(ESSAY, screen=screen)
    page = reader.page
    title = page.locator("article h1")
    assert norm(title.inner_text()).rstrip("¶").strip() == ESSAY_TITLE
    box = title.bounding_box()
    viewport = page.viewport_size
    assert box["width"] > 0 and box["height"] > 0
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert 0 <= box["y"] < viewport["height"]
    widths = page.evaluate(
        """() => {
            const content = document.querySelector(".content");
            return {
                page: document.documentElement.scrollWidth,
                body: document.body.scrollWidth,
                content: content.scrollWidth - content.clientWidth,
                viewport: window.innerWidth,
            };
        }"""
    )
    assert widths["page"] <= widths["viewport"], widths
    assert widths["body"] <= widths["viewport"], widths
    assert widths["content"] <= 0, widths


def _drawer_left(page) -> float:
    return page.evaluate(
        "() => document.querySelector('.sidebar-drawer').getBoundingClientRect().left"
    )


OPEN = "document.querySelector('.sidebar-drawer').getBoundingClientRect().left >= 0"
CLOSED = "document.querySelector('.sidebar-drawer').getBoundingClientRect().right <= 0"


def test_phone_navigation_drawer_opens_and_closes(open_page):
    page = open_page(ESSAY, screen="phone").page
    drawer = page.locator(".sidebar-drawer")
    all_posts = drawer.get_by_role("link", name="All posts")
    assert page.evaluate(CLOSED)
    expect(all_posts).to_be_hidden()

    # From the keyboard: the skip link, then the menu toggle; Space opens (and
    # the focus goes into the drawer), Escape closes.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-to-content muted-link"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "__navigation"
    page.keyboard.press("Space")
    page.wait_for_function(OPEN)
    expect(all_posts).to_be_visible()
    page.keyboard.press("Escape")
    page.wait_for_function(CLOSED)
    expect(all_posts).to_be_hidden()

    # With a finger: the menu icon opens, a tap on the dimmed page beside it closes.
    page.locator(".nav-overlay-icon").click()
    page.wait_for_function(OPEN)
    expect(all_posts).to_be_visible()
    assert drawer.bounding_box()["x"] == 0
    page.mouse.click(370, 600)
    page.wait_for_function(CLOSED)
    expect(all_posts).to_be_hidden()


BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"


def _luminance(css_rgb: str) -> float:
    r, g, b = (int(part) for part in css_rgb[css_rgb.index("(") + 1 : -1].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_theme_toggle_switches_and_holds_on_the_next_page(open_page):
    page = open_page(ESSAY, scheme="light").page
    assert page.evaluate("document.body.dataset.theme") == "auto"
    assert _luminance(page.evaluate(BACKGROUND)) > 0.9

    page.locator(".theme-toggle-content .theme-toggle").click()
    assert page.evaluate("document.body.dataset.theme") == "dark"
    assert _luminance(page.evaluate(BACKGROUND)) < 0.2

    page.locator("article").get_by_role("link", name="← All posts").click()
    page.wait_for_url("**/posts.html")
    assert page.evaluate("document.body.dataset.theme") == "dark"
    assert _luminance(page.evaluate(BACKGROUND)) < 0.2

    page.locator(".theme-toggle-content .theme-toggle").click()
    assert page.evaluate("document.body.dataset.theme") == "light"
    page.go_back()
    page.reload()
    assert page.evaluate("document.body.dataset.theme") == "light"
    assert _luminance(page.evaluate(BACKGROUND)) > 0.9


def _concept_title(site) -> str:
    return norm(soup(site / CONCEPT).select_one("article h1").get_text()).rstrip("¶").strip()


@pytest.mark.parametrize("query", ["Goodhart", "concept"])
def test_search_box_finds_the_essay_and_a_concept(open_page, site, query):
    if query == "concept":
        query, expected = _concept_title(site), CONCEPT
    else:
        expected = ESSAY
    page = open_page("index.html").page
    box = page.locator("form[role=search] input[name=q]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search.html?*")
    hit = page.locator(f'#search-results a[href*="{expected}"]')
    hit.first.wait_for(state="visible", timeout=10_000)
    title = norm(soup(site / expected).select_one("article h1").get_text()).rstrip("¶").strip()
    assert norm(hit.first.inner_text()) == title


def _definition(site, href: str) -> str:
    page = soup(site / "posts" / "2026" / href).select_one(".concept-definition")
    return norm(page.get_text())


def test_hovering_a_concept_reference_shows_its_definition(open_page, site):
    page = open_page(ESSAY).page
    link = page.locator("article a.concept-ref").first
    href = link.get_attribute("href")
    link.hover()
    preview = page.locator("#essayist-preview")
    preview.wait_for(state="visible", timeout=5_000)
    assert _definition(site, href) in norm(preview.inner_text())
    assert link.get_attribute("aria-describedby") == "essayist-preview"


def test_a_shown_preview_is_inside_a_landmark_and_axe_finds_nothing(open_page, axe_source):
    """The preview was put at the end of <body>, outside every landmark (axe's
    ``region``, while it was shown): it is a complementary landmark of its own,
    named, there only while the preview is shown."""
    import json

    from .conftest import axe_violations

    page = open_page(ESSAY).page
    landmark = page.locator("aside.essayist-preview-region")
    page.locator("article a.concept-ref").first.hover()
    page.locator("#essayist-preview").wait_for(state="visible", timeout=5_000)
    assert landmark.get_attribute("aria-label") == "Link preview"
    assert landmark.get_attribute("hidden") is None
    found = axe_violations(page, axe_source)
    assert found == [], json.dumps(found, indent=1, ensure_ascii=False)
    page.mouse.move(0, 0)
    page.locator("#essayist-preview").wait_for(state="hidden", timeout=5_000)
    assert landmark.get_attribute("hidden") == ""


def test_focusing_a_concept_reference_shows_its_definition(open_page, site):
    page = open_page(ESSAY).page
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('article a.concept-ref')"):
            break
    else:
        pytest.fail("Tab never reached a concept reference in the essay")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    preview = page.locator("#essayist-preview")
    preview.wait_for(state="visible", timeout=5_000)
    assert _definition(site, href) in norm(preview.inner_text())
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden", timeout=5_000)


def soup_text(html: str, selector: str) -> str:
    return BeautifulSoup(html, "html.parser").select_one(selector).get_text()


def test_all_posts_tag_and_feed_links_lead_to_pages_that_exist(open_page, served):
    page = open_page(ESSAY).page
    article = page.locator("article")
    tags = article.locator("a.post-tag")
    tag_links = {
        tags.nth(i).inner_text(): tags.nth(i).get_attribute("href") for i in range(tags.count())
    }
    assert list(tag_links) == ["alignment", "AI safety", "specification", "interpretability"]
    feed_href = page.locator("a.subscribe-link").first.get_attribute("href")
    head_feed = page.locator('link[rel="alternate"][type="application/atom+xml"]').first
    assert head_feed.get_attribute("href") == feed_href

    for name, href in tag_links.items():
        response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
        assert response.status == 200, href
        heading = norm(soup_text(response.text(), "article h1"))
        assert name in heading, (href, heading)

    feed = page.request.get(page.url.rsplit("/", 1)[0] + "/" + feed_href)
    assert feed.status == 200
    parsed = feedparser.parse(feed.body())
    assert parsed.bozo == 0
    assert ESSAY_TITLE in [entry.title for entry in parsed.entries]

    with page.expect_navigation() as navigation:
        article.get_by_role("link", name="← All posts").click()
    assert navigation.value.status == 200
    assert page.url == served.url("posts.html")
    assert norm(page.locator("article h1").inner_text()).rstrip("¶").strip() == "All Posts"


@pytest.mark.parametrize(
    ("trimmed", "lands_on", "heading"),
    [("posts/2026/", "posts/2026.html", "Posted in 2026"), ("posts/", "posts.html", "All Posts")],
)
def test_an_essays_address_trimmed_to_a_folder_lands_on_its_list(
    open_page, served, trimmed, lands_on, heading
):
    """``/essays/posts/2026/what-….html`` trimmed by hand (blog.folders)."""
    assert ESSAY.startswith(trimmed)
    reader = open_page(None)
    page = reader.page
    assert reader.goto(trimmed).status == 200
    page.wait_for_url(served.url(lands_on), timeout=5000)
    assert norm(page.locator("article h1").inner_text()).rstrip("¶").strip() == heading
    assert reader.foreign == [] and reader.errors == []


def test_no_page_sends_a_request_outside_the_site(open_page, site):
    """Fonts, scripts, images, analytics: nothing is loaded from another host."""
    reader = open_page(None)
    page = reader.page
    visited = []
    for path in html_pages(site):
        relative = path.relative_to(site).as_posix()
        response = reader.goto(relative)
        assert response.status == 200, relative
        visited.append(relative)
    response = reader.goto(MISSING)
    assert response.status == 404
    # The essay's previews fetch their data: hover one of each kind.
    reader.goto(ESSAY)
    for selector in ("article a.concept-ref", "article a.essay-ref"):
        links = page.locator(selector)
        if links.count():
            links.first.hover()
            page.wait_for_timeout(400)
    page.wait_for_load_state("networkidle")
    assert len(visited) >= 20
    assert reader.foreign == []
    assert reader.errors == []
