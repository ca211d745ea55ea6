"""Every string an author writes in metadata is text: it never becomes an element
or an attribute in a page, a feed, a preview or the search index.

Raw HTML in a post's *body* is the author's own (handbook/guide.md says so, and the
CSP stands behind it); titles, tags, categories, author and concept names are not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from blogtools import build, copy_root
from bs4 import BeautifulSoup
from conftest import folder_redirect
from lxml import etree

TITLE = "Why the `<blink>` tag died & `<b>` too"
TAG = "<style>body{display:none}</style>"
CATEGORY = '<meta http-equiv="refresh" content="0;url=//evil.example">'
AUTHOR = "<img src=x onerror=alert(1)>Eve"
CONCEPT = '<i onmouseover="alert(2)">Proxy</i> gaming'
LICENSE = '<i onmouseover="alert(3)">All</i> rights reserved'
SERIES = "<style>body{display:none}</style> part"
HOSTILE = [TITLE.replace("`", ""), TAG, CATEGORY, AUTHOR, CONCEPT, LICENSE, SERIES]
EVIL = ("evil.example", "alert(1)", "alert(2)", "display:none")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("markup")
    src = copy_root("concepts", tmp)
    (src / "posts/2026/hostile.md").write_text(
        "---\n"
        "date: 2026-10-15\n"
        f"tags: {json.dumps(TAG)}\n"
        f"category: {json.dumps(CATEGORY)}\n"
        f"author: {json.dumps(AUTHOR)}\n"
        f"license: {json.dumps(LICENSE)}\n"
        f"series: {json.dumps(SERIES)}\n"
        "---\n\n"
        f"# {TITLE}\n\n"
        "It is about {concept}`Proxy gaming <proxy-gaming>`.\n",
        encoding="utf-8",
    )
    (src / "docs/concepts/proxy-gaming.md").write_text(
        "# Proxy gaming\n\n"
        f"```{{concept}} {CONCEPT}\n:summary: {CONCEPT} in a summary.\n\n"
        "Optimising the measure instead of the goal.\n```\n",
        encoding="utf-8",
    )
    # A page beside a folder of pages: the folder's page (blog.folders) takes its title.
    (src / "notes").mkdir()
    for name, title in (("notes", TITLE), ("notes/first", "First")):
        (src / f"{name}.md").write_text(f"---\norphan: true\n---\n\n# {title}\n\nText.\n", "utf-8")
    authors = {"Perucy Mussiba": ("Perucy Mussiba", None), AUTHOR: (AUTHOR, None)}
    app, warnings = build(src, freshenv=True, blog_authors=authors)
    assert warnings == "", warnings
    return Path(app.outdir)


def pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "_static" not in p.parts)


def test_the_hostile_post_is_published_with_its_metadata(hostile_site):
    page = BeautifulSoup(
        (hostile_site / "posts/2026/hostile.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert page.h1.get_text().startswith("Why the <blink> tag died")
    assert TAG in page.select_one(".post-tags").get_text()
    assert CATEGORY in page.select_one(".post-kicker").get_text()
    assert AUTHOR in page.select_one(".post-author").get_text()
    assert LICENSE in page.select_one(".cite-this").get_text()
    assert SERIES in page.get_text()


def test_no_page_has_an_element_or_attribute_made_from_metadata(hostile_site):
    checked = 0
    assert folder_redirect(hostile_site / "notes/index.html")  # titled TITLE
    for path in pages(hostile_site):
        raw = path.read_text(encoding="utf-8")
        where = path.relative_to(hostile_site).as_posix()
        if folder_redirect(path):
            # A folder's page (/posts/tag/, /notes/): the site's own one refresh,
            # to the page of its name (conftest); every other check holds.
            own = f'<meta http-equiv="refresh" content="0; url=../{path.parent.name}.html">'
            assert raw.count(own) == 1, where
            raw = raw.replace(own, "")
        page = BeautifulSoup(raw, "html.parser")
        assert not page.find("blink"), where
        assert not page.find(attrs={"onerror": True}), where
        assert not page.find(attrs={"onmouseover": True}), where
        assert not page.find("meta", attrs={"http-equiv": "refresh"}), where
        for style in page.find_all("style"):
            assert "display:none" not in style.get_text(), where
        for img in page.find_all("img"):
            assert img.get("src") != "x", where
        # And in the bytes: every '<' of the metadata is written as '&lt;'.
        for markup in (
            "<blink>",
            "<b>bold",
            "<style>body",
            '<meta http-equiv="refresh"',
            "<img src=x",
            "<i onmouseover",
        ):
            assert markup not in raw, (where, markup)
        checked += 1
    assert checked > 20


def test_the_neighbours_and_archives_show_the_metadata_as_text(hostile_site):
    tag_pages = list(hostile_site.rglob("tag/style*.html"))
    assert len(tag_pages) == 1
    page = BeautifulSoup(tag_pages[0].read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text(" ", strip=True) == f"Posts tagged {TAG}"
    assert page.title.get_text().startswith(f"Posts tagged {TAG}")
    titles = []
    for path in (hostile_site / "posts/2026").glob("*.html"):
        neighbour = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        titles += [a.get_text(" ", strip=True) for a in neighbour.select(".related-pages a")]
    assert sum("Why the <blink> tag died & <b> too" in t for t in titles) >= 1, titles
    # The listing's card of the post: its title, category and tag links, as text.
    listed = BeautifulSoup((hostile_site / "blog.html").read_text(encoding="utf-8"), "html.parser")
    [card] = [
        c
        for c in listed.select("article.post-card")
        if c.h2.get_text(strip=True) == "Why the <blink> tag died & <b> too"
    ]
    assert [a.get_text() for a in card.select(".post-tags a.post-tag")] == [TAG]
    assert CATEGORY in [a.get_text() for a in card.select(".post-meta a")]


def test_feeds_carry_the_metadata_as_text(hostile_site):
    feeds = sorted(hostile_site.rglob("atom.xml"))
    assert feeds
    ns = {"a": "http://www.w3.org/2005/Atom"}
    found = set()
    for path in feeds:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
        for text in root.xpath(
            "//a:title/text() | //a:category/@term | //a:name/text()", namespaces=ns
        ):
            found.update(h for h in HOSTILE if h in text)
        content = " ".join(root.xpath("//a:content/text()", namespaces=ns))
        fragment = BeautifulSoup(content, "html.parser")
        assert not fragment.find(["blink", "style", "meta", "img"]), path
    assert {TAG, CATEGORY, AUTHOR}.issubset(found)


def test_previews_and_search_hold_the_metadata_as_json_text(hostile_site):
    preview = json.loads(
        (hostile_site / "_previews/posts/2026/hostile.json").read_text(encoding="utf-8")
    )
    assert preview["title"].startswith("Why the <blink> tag died")
    concept = json.loads(
        (hostile_site / "_previews/docs/concepts/proxy-gaming.json").read_text(encoding="utf-8")
    )
    assert concept["title"] == CONCEPT.replace('"', "\u201c", 1).replace('"', "\u201d", 1) or (
        "Proxy" in concept["title"]
    )
    index = (hostile_site / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(re.sub(r"^Search\.setIndex\(|\)$", "", index.strip()))
    assert any("Why the <blink> tag died" in t for t in data["titles"])


def test_the_license_is_text_in_the_feed(hostile_site):
    root = etree.parse(str(hostile_site / "blog/atom.xml")).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    rights = root.xpath("//a:entry[a:title[starts-with(., 'Why the')]]/a:rights", namespaces=ns)
    assert [r.get("type", "text") for r in rights] == ["text"]
    assert LICENSE in rights[0].text
