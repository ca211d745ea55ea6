"""Valid but unusual input renders correctly and is escaped everywhere."""

from __future__ import annotations

import math
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from blogtools import build, copy_root
from bs4 import BeautifulSoup
from lxml import etree

ESCAPES = "Ampersands & Angles: 1 < 2 > 0, \"Quotes\" and 'Apostrophes'"
UNICODE = "Café Ω 日本語 🚀"
BASE = "https://example.org/blog/"
LONG_TITLE = ("Long title words that go on and on " * 6)[:199] + "."
LONG_TITLE_POST = f"---\ndate: 2026-01-13\n---\n\n# {LONG_TITLE}\n\nShort body.\n"
ONLY_TITLE_POST = "---\ndate: 2026-01-12\n---\n\n# Only a Title\n"
UNICODE_POST = (
    "---\ndate: 2026-01-11\ntags: [é, Ω, 日本語, 🚀 rockets]\ncategory: Café\n---\n\n"
    "# Café Ω 日本語 🚀\n\nNaïve résumé text, Ωmega, 日本語の文章, and a rocket 🚀.\n"
)


@pytest.fixture(scope="module")
def unusual(tmp_path_factory):
    src = copy_root("minimal", tmp_path_factory.mktemp("unusual"))
    for name, text in [
        ("unicode.md", UNICODE_POST),
        ("only-title.md", ONLY_TITLE_POST),
        ("long-title.md", LONG_TITLE_POST),
    ]:
        (src / "posts/2026" / name).write_text(text, encoding="utf-8")
    (src / "posts/2026/escapes.md").write_text(
        "---\ndate: 2026-01-10\n"
        'tags: ["R&D", "x < y > z", "it\'s \\"quoted\\""]\n'
        "category: Q&A\n---\n\n"
        "# Ampersands & Angles: 1 \\< 2 \\> 0, \"Quotes\" and 'Apostrophes'\n\n"
        'Text with & and \\<b> and "quotes".\n',
        encoding="utf-8",
    )
    words = " ".join(f"word{i % 97}" for i in range(30_000))
    paragraphs = "\n\n".join(words[i : i + 2000] for i in range(0, len(words), 2000))
    (src / "posts/2026/huge.md").write_text(
        f"---\ndate: 2026-01-14\n---\n\n# A Very Long Essay\n\n{paragraphs}\n", encoding="utf-8"
    )
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    return app.outdir


def page(outdir, rel) -> BeautifulSoup:
    return BeautifulSoup((outdir / rel).read_text(encoding="utf-8"), "html.parser")


def h1(soup) -> str:
    return soup.select_one("h1").get_text().replace("¶", "")


def test_special_characters_in_title_and_tags(unusual):
    raw = (unusual / "posts/2026/escapes.html").read_text(encoding="utf-8")
    soup = page(unusual, "posts/2026/escapes.html")
    # Sphinx's smart quotes curl the quotes; nothing else changes.
    assert h1(soup) == "Ampersands & Angles: 1 < 2 > 0, “Quotes” and ‘Apostrophes’"
    assert "1 &lt; 2 &gt; 0" in raw
    tags = [a.get_text() for a in soup.select(".post-tags a")]
    assert tags == ["R&D", "x < y > z", 'it\'s "quoted"']
    assert [a["href"] for a in soup.select(".post-tags a")] == [
        "../tag/rd.html",
        "../tag/x-y-z.html",
        "../tag/its-quoted.html",
    ]
    assert soup.select_one(".post-kicker").get_text() == "Q&A"
    assert soup.select_one("title").get_text().startswith("Ampersands & Angles: 1 < 2 > 0")
    assert soup.select_one("article b") is None  # "\<b>" is text, not markup


def test_non_ascii_titles_and_tags(unusual):
    soup = page(unusual, "posts/2026/unicode.html")
    assert h1(soup) == UNICODE
    tags = soup.select(".post-tags a")
    assert [a.get_text() for a in tags] == ["é", "Ω", "日本語", "🚀 rockets"]
    assert [a["href"] for a in tags] == [
        "../tag/e.html",
        "../tag/%CF%89.html",
        "../tag/%E6%97%A5%E6%9C%AC%E8%AA%9E.html",
        "../tag/rockets.html",
    ]
    for a in tags:
        assert (unusual / "posts/2026" / unquote(a["href"])).resolve().is_file()
    archive = page(unusual, "posts/tag/日本語.html")
    assert [a.get_text() for a in archive.select(".post-card-title a")] == [UNICODE]
    assert h1(archive) == "Posts tagged 日本語"


def test_feeds_escape_and_keep_text(unusual):
    raw = (unusual / "posts/atom.xml").read_bytes()
    etree.fromstring(raw)  # well-formed XML
    feed = feedparser.parse(raw)
    assert feed.bozo == 0
    titles = [e.title for e in feed.entries]
    assert "Ampersands & Angles: 1 < 2 > 0, “Quotes” and ‘Apostrophes’" in titles
    assert UNICODE in titles
    entry = next(e for e in feed.entries if e.title == UNICODE)
    assert sorted(t.term for t in entry.tags) == sorted(["é", "Ω", "日本語", "🚀 rockets"])
    tag_feed = feedparser.parse((unusual / "posts/tag/日本語/atom.xml").read_bytes())
    assert tag_feed.bozo == 0
    assert tag_feed.feed.links[1].href == BASE + "posts/tag/%E6%97%A5%E6%9C%AC%E8%AA%9E/atom.xml"


def test_sitemap_urls_are_escaped_and_resolve(unusual):
    tree = etree.fromstring((unusual / "sitemap.xml").read_bytes())
    locs = [el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert BASE + "posts/tag/%E6%97%A5%E6%9C%AC%E8%AA%9E.html" in locs
    for loc in locs:
        assert loc.isascii(), loc
        path = unquote(urlsplit(loc).path).removeprefix("/blog/")
        assert (unusual / path).is_file(), loc


def test_a_two_hundred_character_title(unusual):
    soup = page(unusual, "posts/2026/long-title.html")
    assert len(h1(soup)) == 200
    listing = page(unusual, "posts.html")
    assert any(len(a.get_text()) == 200 for a in listing.select(".post-card-title a"))


def test_a_thirty_thousand_word_post(unusual):
    soup = page(unusual, "posts/2026/huge.html")
    minutes = math.ceil(30_004 / 230)  # the title's four words count too
    assert soup.select_one(".post-reading-time").get_text() == f"{minutes} min read"
    assert "word96" in soup.select_one("article").get_text()


def test_a_post_with_only_a_title(unusual):
    soup = page(unusual, "posts/2026/only-title.html")
    assert h1(soup) == "Only a Title"
    listing = page(unusual, "posts.html")
    card = next(
        c for c in listing.select(".post-card") if "Only a Title" in c.select_one("h2").get_text()
    )
    assert card.select_one(".post-excerpt") is None  # no empty box


def test_a_checkout_path_with_brackets_keeps_its_posts(tmp_path):
    """ABlog globbed the source folder unescaped: ``[x]`` in the path was a
    pattern, no post matched, and every post was read as a page (with -W, a
    failed build; without, a site with no posts)."""
    src = copy_root("minimal", tmp_path / "work [draft]" / "br[x]")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    listing = (app.outdir / "posts.html").read_text(encoding="utf-8")
    assert "A Good Post" in listing
    assert "<title>A Good Post</title>" in (app.outdir / "posts/atom.xml").read_text("utf-8")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("word " * 2300, 10),
        # Chinese and Japanese have no spaces between words: read by the
        # character, 300 a minute (the run was one word: "1 min").
        ("对齐问题很难。" * 1500, 30),  # 9,000 characters and 1,500 full stops
        ("アライメントの問題" * 1000, 30),
        ("The 对齐 problem " * 600, 10),  # 1,200 words (5.2 min), 1,200 characters (4)
        ("정렬 문제 " * 1150, 10),  # Korean is written with spaces: by the word
    ],
)
def test_reading_time_counts_what_a_reader_reads(text, minutes):
    from essayist.blog.adapter import reading_minutes

    assert reading_minutes(text) == minutes
