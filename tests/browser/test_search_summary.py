"""Search results in Chromium: an essay's summary is its own words, not its byline.

Sphinx's searchtools.js summarises a result with the text of the page's
``[role="main"]``; ``essayist-search.js`` (on the search page only) leaves out
what carries the class ``no-search``: the kicker, byline, tags and foot.
"""

from __future__ import annotations

from conftest import norm, soup

from .pages import ESSAY

# A result's summary, once searchtools.js has fetched the page it names.
SUMMARY = f'#search-results li:has(> a[href*="{ESSAY}"]) p.context'


def first_long_word(site) -> str:
    """The first word of six letters or more in the essay's first paragraph of text."""
    article = soup(site / ESSAY).select_one("article[role=main]")
    first = next(p for p in article.select("p") if not p.find_parent(class_="no-search"))
    return next(w for w in norm(first.get_text()).split() if w.isalpha() and len(w) >= 6)


def test_essay_summary_leaves_out_the_byline(open_page, site):
    word = first_long_word(site)
    reader = open_page(f"search.html?q={word}")
    summary = reader.page.locator(SUMMARY)
    summary.wait_for(state="visible", timeout=10_000)
    text = norm(summary.inner_text())
    assert word.lower() in text.lower()
    assert "min read" not in text
    assert "Tags:" not in text
    assert reader.errors == []


def test_search_page_loads_the_summary_script_after_searchtools(site):
    scripts = [s["src"] for s in soup(site / "search.html").select("script[src]")]
    names = [src.split("?")[0].rsplit("/", 1)[-1] for src in scripts]
    assert names.index("searchtools.js") < names.index("essayist-search.js")
    assert names.index("essayist-search.js") < names.index("searchindex.js")


def test_only_the_search_page_loads_the_summary_script(site):
    for page in (ESSAY, "index.html", "posts.html"):
        assert "essayist-search.js" not in (site / page).read_text(encoding="utf-8"), page
