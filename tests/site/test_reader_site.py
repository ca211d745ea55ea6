"""The reader's site is for readers: the maintainers' documents are repository
documentation, and the home page's navigation leads to the essays."""

from __future__ import annotations

from conftest import PROJECT, soup

MAINTAINERS = ("guide", "readers", "benchmarks")


def test_the_maintainers_documents_are_not_pages_of_the_site(site):
    for name in MAINTAINERS:
        assert (PROJECT / "handbook" / f"{name}.md").is_file()
        assert not (site / "docs" / f"{name}.html").exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    for name in MAINTAINERS:
        assert f"docs/{name}" not in sitemap and f"docs/{name}" not in index
    nav = [a.get_text() for a in soup(site / "index.html").select(".sidebar-tree a")]
    assert not {"Author’s guide", "Author's guide", "Build speed", "The readers’ view"} & set(nav)


def test_the_home_pages_next_is_the_newest_essay(site):
    related = soup(site / "index.html").select(".related-pages a")
    assert [(a["href"], a.select_one(".title").get_text(strip=True)) for a in related] == [
        (
            "posts/2026/what-does-it-mean-to-align-an-ai.html",
            "What Does It Actually Mean to Align an AI?",
        )
    ]
