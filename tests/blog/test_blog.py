"""ABlog made to work with Furo: listings, archives, post pages, drafts, feeds."""

from __future__ import annotations

from types import SimpleNamespace

import feedparser
import pytest
from blogtools import build, copy_root, output_files
from bs4 import BeautifulSoup
from conftest import norm
from docutils import nodes
from sphinx import addnodes

from essayist.blog.adapter import get_blog
from essayist.blog.listings import _SPLIT, excerpt_html, render_excerpts, render_fragments
from essayist.publishing.entries import entry_from_body

FURO_ERROR = "does not support this"
DRAFT_MARKERS = [
    "Secret Draft Zebra",
    "secret-draft",
    "Undated Draft Quokka",
    "undated-draft",
    "Scheduled Post Narwhal",
    "future-post",
]


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    src = copy_root("blog", tmp_path_factory.mktemp("blog"))
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    return app.outdir


def page(outdir, name) -> BeautifulSoup:
    return BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser")


def titles(soup, selector) -> list[str]:
    return [norm(a.get_text()) for a in soup.select(selector)]


def test_all_posts_lists_published_posts_newest_first(blog):
    soup = page(blog, "posts.html")
    assert titles(soup, "article[role=main] .post-card-title a") == [
        "Third Post",
        "Second Post",
        "First Post",
    ]
    first = soup.select(".post-card")[2]
    assert norm(first.select_one(".post-meta time").get_text()) == "January 2025"
    assert first.select_one(".post-meta time")["datetime"] == "2025-01-15"
    assert [a["href"] for a in first.select(".post-tag")] == [
        "posts/tag/alpha.html",
        "posts/tag/beta.html",
    ]
    excerpt = first.select_one(".post-excerpt")
    assert norm(excerpt.get_text()).startswith("The first post's excerpt")
    # The excerpt's relative links resolve from the listing page.
    assert [a["href"] for a in excerpt.select("a")] == [
        "posts/2026/second.html",
        "posts/2026/third.html",
    ]


def test_home_page_postlist(blog):
    soup = page(blog, "index.html")
    assert titles(soup, ".postlist .ablog-post-title a") == [
        "Third Post",
        "Second Post",
        "First Post",
    ]
    hrefs = [a["href"] for a in soup.select(".postlist a")]
    assert "posts/2026/third.html" in hrefs


@pytest.mark.parametrize(
    ("archive", "expected"),
    [
        ("posts/tag/alpha.html", ["Third Post", "First Post"]),
        ("posts/tag/beta.html", ["Second Post", "First Post"]),
        ("posts/tag/gamma-delta.html", ["Third Post"]),
        ("posts/category/notes.html", ["Second Post", "First Post"]),
        ("posts/2026.html", ["Third Post", "Second Post"]),
        ("posts/author/ada-lovelace.html", ["Third Post", "Second Post", "First Post"]),
    ],
)
def test_archives_in_furo_layout(blog, archive, expected):
    soup = page(blog, archive)
    assert titles(soup, ".post-card-title a") == expected
    assert len(soup.select("article[role=main]")) == 1
    assert len(soup.select("h1")) == 1
    # Furo's layout: its header, sidebar and the blog's navigation.
    assert soup.select_one("header.mobile-header") is not None
    assert soup.select_one("aside.sidebar-drawer .sidebar-blog-links") is not None


def test_catalog_pages(blog):
    soup = page(blog, "posts/tag.html")
    assert len(soup.select("h1")) == 1
    groups = titles(soup, ".catalog-group h2 a")
    assert groups == ["Gamma & Delta", "alpha", "beta"]
    assert soup.select_one("article[role=main] ul > div") is None
    # Each group's id is its own, so a link to it lasts (a year or tag added
    # before it does not renumber it), and its section is named by it.
    ids = [(s["aria-labelledby"], s.h2["id"]) for s in soup.select(".catalog-group")]
    assert ids == [(i, i) for i in ("group-gamma-delta", "group-alpha", "group-beta")]
    archive = page(blog, "posts/archive.html")
    assert [h2["id"] for h2 in archive.select(".catalog-group h2")] == ["group-2026", "group-2025"]
    # Named as the sidebar links it, not as the list of all posts is.
    assert norm(archive.h1.get_text()) == "Archive"
    assert archive.title.get_text().split(" - ")[0] == "Archive"
    assert page(blog, "posts.html").title.get_text().split(" - ")[0] == "All Posts"


def test_no_page_is_furo_error_page(blog):
    for path in blog.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert FURO_ERROR not in text, path


def test_post_page_furniture(blog):
    soup = page(blog, "posts/2026/second.html")
    main = soup.select_one("article[role=main]")
    assert norm(main.select_one(".post-kicker").get_text()) == "Notes"
    assert main.select_one(".post-kicker a")["href"] == "../category/notes.html"
    assert norm(main.select_one("h1").get_text()) == "Second Post¶"
    meta = norm(main.select_one(".post-byline .post-meta").get_text())
    assert meta == "February 2026 · updated 20 May 2026 · Ada Lovelace · 1 min read"
    assert [a["href"] for a in main.select(".post-tags a")] == ["../tag/beta.html"]
    foot = main.select_one(".post-foot")
    assert foot.select_one("a.post-all-posts")["href"] == "../../posts.html"
    assert norm(foot.select_one("a.post-all-posts").get_text()) == "← All posts"
    assert norm(foot.select_one(".post-signature").get_text()) == "Ada Lovelace · February 2026"


def test_previous_and_next_post(blog):
    soup = page(blog, "posts/2026/second.html")
    assert soup.select_one("a.prev-page")["href"] == "../2025/first.html"
    assert "First Post" in soup.select_one("a.prev-page").get_text()
    assert soup.select_one("a.next-page")["href"] == "third.html"
    first = page(blog, "posts/2025/first.html")
    assert first.select_one("a.prev-page") is None
    assert first.select_one("a.next-page")["href"] == "../2026/second.html"


def test_update_date_shows_on_post(blog):
    soup = page(blog, "posts/2026/third.html")
    meta = norm(soup.select_one(".post-byline .post-meta").get_text())
    assert meta.startswith("March 2026 · updated 2 April 2026 ·")
    # ABlog's title, "Updated on " and the site's post_date_format: "Updated on
    # April 2026".
    notes = soup.select("article[role=main] .admonition.update")
    assert [norm(n.select_one(".admonition-title").get_text()) for n in notes] == [
        "Updated 2 April 2026"
    ]


def test_feed_link_on_every_page(blog):
    """Every page a reader stays on: a folder's redirect page (``/posts/``) sends
    the reader on at once, to a page with the feed's link."""
    for path in blog.rglob("*.html"):
        soup = page(blog, path.relative_to(blog))
        if soup.select_one('meta[http-equiv="refresh"]'):
            continue
        links = soup.select('link[rel=alternate][type="application/atom+xml"]')
        assert links, path
        target = (path.parent / links[0]["href"]).resolve()
        assert target == (blog / "posts" / "atom.xml").resolve(), path


def test_drafts_and_scheduled_posts_are_not_built(blog):
    files = output_files(blog)
    assert not [name for name in files if "draft" in name or "future" in name]
    for name, data in files.items():
        text = data.decode("utf-8", errors="replace")
        for marker in DRAFT_MARKERS:
            assert marker not in text, (marker, name)
    assert "posts/drafts.html" not in files


def test_preview_builds_drafts_and_marks_them(tmp_path):
    src = copy_root("blog", tmp_path)
    app, warnings = build(src, freshenv=True, essayist_preview=True)
    assert warnings == ""
    draft = page(app.outdir, "posts/2026/secret-draft.html")
    assert norm(draft.select_one(".post-byline .post-date").get_text()) == "Draft"
    scheduled = page(app.outdir, "posts/2026/future-post.html")
    date = norm(scheduled.select_one(".post-byline .post-date").get_text())
    assert date == "Scheduled for 24 December 2026"
    drafts = page(app.outdir, "posts/drafts.html")
    assert sorted(titles(drafts, ".post-card-title a")) == [
        "Scheduled Post Narwhal",
        "Secret Draft Zebra",
        "Undated Draft Quokka",
    ]
    assert "Secret Draft Zebra" not in (app.outdir / "posts/atom.xml").read_text()


def test_site_feed(blog):
    raw = (blog / "posts/atom.xml").read_text(encoding="utf-8")
    feed = feedparser.parse(raw)
    assert feed.bozo == 0
    assert feed.feed.title == "Test Blog"
    assert feed.feed.author == "Ada Lovelace"
    assert feed.feed.updated == "2026-05-20T00:00:00+00:00"
    assert [e.title for e in feed.entries] == ["Third Post", "Second Post", "First Post"]
    third = feed.entries[0]
    assert third.id == "tag:example.org,2026:posts/2026-03-10/third"
    assert third.link == "https://example.org/blog/posts/2026/third.html"
    assert third.published == "2026-03-10T00:00:00+00:00"
    assert third.updated == "2026-04-02T00:00:00+00:00"
    assert third.author == "Ada Lovelace"
    # ``update:`` in front matter, like the {update} directive, dates a correction.
    second = feed.entries[1]
    assert second.updated == "2026-05-20T00:00:00+00:00"


def test_feed_links_are_absolute(blog):
    for path in (blog / "posts").rglob("atom.xml"):
        feed = feedparser.parse(path.read_text(encoding="utf-8"))
        assert feed.bozo == 0, path
        assert feed.entries, path
        for entry in feed.entries:
            content = BeautifulSoup(entry.content[0].value, "html.parser")
            for tag in content.select("[href], [src]"):
                url = tag.get("href") or tag.get("src")
                assert url.startswith(("https://example.org/blog/", "https://example.com/")), url


def test_feed_entry_is_the_posts_text_without_its_furniture(blog):
    feed = feedparser.parse((blog / "posts/atom.xml").read_bytes())
    for entry in feed.entries:
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        text = norm(content.get_text())
        assert content.find("h1") is None, entry.title
        assert "¶" not in text and "min read" not in text and "All posts" not in text
        assert not content.select(".post-byline, .post-kicker, .post-foot, .no-search")
        page_text = page(blog, entry.link.removeprefix("https://example.org/blog/"))
        first_paragraph = page_text.select_one("article section > p:not(.post-kicker)")
        assert norm(first_paragraph.get_text()) in text


def test_entry_from_body_keeps_the_text_and_drops_the_rest():
    body = (
        '<section id="t">\n<p class="post-kicker no-search"><a href="c.html">Notes</a></p>\n'
        '<h1>Title<a class="headerlink" href="#t" title="Link">¶</a></h1>\n'
        '<div class="post-byline no-search docutils container">\n<p>May 2026</p>\n</div>\n'
        "<p>Text with <em>emphasis</em> &amp; a "
        '<a class="essay-ref reference internal" href="other.html">link</a>.</p>\n'
        '<section id="s">\n<h2>Part<a class="headerlink" href="#s" title="Link">¶</a></h2>\n'
        "<pre>a\n\n\nb</pre>\n</section>\n"
        '<section class="post-related no-search" id="r">\n<h2>Related essays</h2>\n</section>\n'
        '</section>\n<div class="post-foot no-search docutils container">\n<p>All</p>\n</div>\n'
    )
    assert entry_from_body(body) == (
        '<section id="t">\n'
        '<p>Text with <em>emphasis</em> &amp; a <a class="reference internal" href="other.html">'
        "link</a>.</p>\n"
        '<section id="s">\n<h2>Part</h2>\n<pre>a\n\n\nb</pre>\n</section>\n</section>\n'
    )


def test_entry_from_body_makes_links_absolute_and_external_ones_safe():
    body = (
        '<p><a class="reference internal" href="../other.html#part">in</a> '
        '<a class="reference external" href="https://example.com/x?a=1&amp;b=2">out</a> '
        '<a class="reference external" href="https://example.com/" rel="me">mine</a> '
        '<a class="footnote-reference" href="#id1">1</a> '
        '<a href="mailto:a@example.org">mail</a> <img src="../_images/f.png" alt=""></p>\n'
    )
    page = "https://example.org/blog/posts/2026/essay.html"
    assert entry_from_body(body, page) == (
        '<p><a class="reference internal" href="https://example.org/blog/posts/other.html#part">'
        'in</a> <a class="reference external" href="https://example.com/x?a=1&amp;b=2" '
        'rel="noopener noreferrer">out</a> '
        '<a class="reference external" href="https://example.com/" rel="me">mine</a> '
        f'<a class="footnote-reference" href="{page}#id1">1</a> '
        '<a href="mailto:a@example.org">mail</a> '
        '<img src="https://example.org/blog/posts/_images/f.png" alt=""></p>\n'
    )


def test_tag_and_category_feeds(blog):
    alpha = feedparser.parse((blog / "posts/tag/alpha/atom.xml").read_bytes())
    assert [e.title for e in alpha.entries] == ["Third Post", "First Post"]
    notes = feedparser.parse((blog / "posts/category/notes/atom.xml").read_bytes())
    assert [e.title for e in notes.entries] == ["Second Post", "First Post"]


def test_two_clean_builds_give_identical_feeds(blog, tmp_path):
    src = copy_root("blog", tmp_path)
    app, _ = build(src, freshenv=True)
    for path in (blog / "posts").rglob("atom.xml"):
        rel = path.relative_to(blog)
        assert (app.outdir / rel).read_bytes() == path.read_bytes(), rel


def test_feed_ids_survive_a_new_base_url(blog, tmp_path):
    src = copy_root("blog", tmp_path)
    app, _ = build(src, freshenv=True, blog_baseurl="https://other.example.net/")
    old = feedparser.parse((blog / "posts/atom.xml").read_bytes())
    new = feedparser.parse((app.outdir / "posts/atom.xml").read_bytes())
    assert [e.id for e in new.entries] == [e.id for e in old.entries]
    assert new.entries[0].link == "https://other.example.net/posts/2026/third.html"


NEW_POST = """---
date: 2026-05-01
category: Essays
tags: beta
---

# Fourth Post

The newest post.
"""


def test_incremental_build_updates_lists_and_neighbours(tmp_path):
    """ABlog leaves post lists and prev/next links stale (sunpy/ablog#316)."""
    src = copy_root("blog", tmp_path)
    build(src, freshenv=True)
    (src / "posts/2026/fourth.md").write_text(NEW_POST, encoding="utf-8")
    app, warnings = build(src)
    assert warnings == ""
    out = app.outdir
    assert titles(page(out, "index.html"), ".postlist .ablog-post-title a")[0] == "Fourth Post"
    assert titles(page(out, "posts.html"), ".post-card-title a")[0] == "Fourth Post"
    third = page(out, "posts/2026/third.html")
    assert third.select_one("a.next-page")["href"] == "fourth.html"
    # ... and equal to a clean build of the same sources.
    clean_src = copy_root("blog", tmp_path / "clean")
    (clean_src / "posts/2026/fourth.md").write_text(NEW_POST, encoding="utf-8")
    clean, _ = build(clean_src, freshenv=True)
    assert output_files(out).keys() == output_files(clean.outdir).keys()
    for name in ("index.html", "posts.html", "posts/2026/third.html", "posts/atom.xml"):
        assert (out / name).read_bytes() == (clean.outdir / name).read_bytes(), name


def mtimes(outdir) -> dict[str, int]:
    return {
        p.relative_to(outdir).as_posix(): p.stat().st_mtime_ns
        for p in outdir.rglob("*")
        if p.is_file() and ".doctrees" not in p.parts
    }


# Sphinx's own outputs, rewritten on every build whatever changed.
SPHINX_ALWAYS = {
    ".buildinfo",
    "genindex.html",
    "search.html",
    "searchindex.js",
    "objects.inv",
    "_static/basic.css",
    "_static/documentation_options.js",
    "_static/language_data.js",
    "_static/pygments.css",
}


def rewritten(before: dict, after: dict) -> list[str]:
    return sorted(k for k in after if before.get(k) != after[k] and k not in SPHINX_ALWAYS)


def test_unchanged_rebuild_rewrites_nothing(tmp_path):
    src = copy_root("blog", tmp_path)
    app, _ = build(src, freshenv=True)
    before = mtimes(app.outdir)
    app2, _ = build(src)
    assert rewritten(before, mtimes(app2.outdir)) == []


def test_edit_rewrites_only_what_shows_it(tmp_path):
    src = copy_root("blog", tmp_path)
    app, _ = build(src, freshenv=True)
    before = mtimes(app.outdir)
    post = src / "posts/2026/second.md"
    post.write_text(post.read_text() + "\nA new closing paragraph.\n")
    app2, _ = build(src)
    changed = [k for k in rewritten(before, mtimes(app2.outdir)) if not k.startswith("_")]
    # The post itself and the feeds that carry its full text; no listing, since
    # its excerpt, title, date and tags are unchanged.
    assert changed == [
        "posts/2026/second.html",
        "posts/atom.xml",
        "posts/category/notes/atom.xml",
        "posts/tag/beta/atom.xml",
    ]


def test_parallel_build_equals_serial(tmp_path):
    serial_src = copy_root("blog", tmp_path / "serial")
    serial, serial_warnings = build(serial_src, freshenv=True)
    parallel_src = copy_root("blog", tmp_path / "parallel")
    parallel, parallel_warnings = build(parallel_src, freshenv=True, parallel=2)
    assert serial_warnings == parallel_warnings == ""
    a, b = output_files(serial.outdir), output_files(parallel.outdir)
    assert a.keys() == b.keys()
    differ = [name for name in a if a[name] != b[name] and name != "searchindex.js"]
    assert differ == []


def test_external_links_carry_noopener(blog):
    soup = page(blog, "posts/2026/third.html")
    link = soup.select_one('article[role=main] a[href="https://example.com/outside"]')
    assert link["rel"] == ["noopener", "noreferrer"]
    feed = feedparser.parse((blog / "posts/atom.xml").read_bytes())
    content = BeautifulSoup(feed.entries[0].content[0].value, "html.parser")
    assert content.select_one('a[href="https://example.com/outside"]')["rel"] == [
        "noopener",
        "noreferrer",
    ]


def test_reading_a_post_never_copies_its_whole_document(tmp_path, monkeypatch):
    """ABlog's ``process_posts`` deep-copies every one-post document into the
    environment, where nothing uses it: a tenth of the read, and memory."""
    from docutils import nodes

    copied = []
    deepcopy = nodes.document.deepcopy

    def counting(self):
        copied.append(self.get("source"))
        return deepcopy(self)

    monkeypatch.setattr(nodes.document, "deepcopy", counting)
    src = copy_root("blog", tmp_path)
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    assert copied == []
    assert all(info["doctree"] is None for infos in app.env.ablog_posts.values() for info in infos)
    assert not any("deepcopy" in vars(app.env.get_doctree(name)) for name in app.env.ablog_posts)


def test_listing_links_resolve_on_every_archive_page(blog):
    """Post entries are rendered once per folder of listing pages: their links
    must be right on each page of that folder, the page's own tag included."""
    pages = [blog / "posts.html", *sorted((blog / "posts").rglob("*.html"))]
    checked = 0
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select(".post-list a, .post-list-compact a"):
            href = a["href"].split("#", 1)[0]
            assert href, (path, str(a))
            assert (path.parent / href).resolve().is_file(), (path, href)
            checked += 1
    assert checked > 50


def test_only_posts_some_feed_shows_keep_their_feed_text(tmp_path, blog):
    """With short feeds, pages of posts in no feed skip the entry rendering;
    every feed is still the same as with all entries kept."""
    src = copy_root("blog", tmp_path)
    app, warnings = build(src, freshenv=True, blog_feed_length=1)
    assert warnings == ""
    entries = sorted((app.doctreedir / "essayist-entries").glob("*.html"))
    # The newest post overall, and the newest of each tag and category.
    shown = set()
    for path in app.outdir.rglob("atom.xml"):
        shown.update(e.link for e in feedparser.parse(path.read_bytes()).entries)
    assert 0 < len(entries) == len(shown) < 3
    full = feedparser.parse((blog / "posts/atom.xml").read_bytes()).entries[0]
    short = feedparser.parse((app.outdir / "posts/atom.xml").read_bytes()).entries
    assert [e.content[0].value for e in short] == [full.content[0].value]


@pytest.mark.parametrize("root", ["blog", "concepts"])
def test_excerpts_rendered_together_come_out_as_rendered_alone(tmp_path, root):
    """Listing pages render their posts' excerpts as one document."""
    src = copy_root(root, tmp_path)
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    posts = list(get_blog(app).posts)
    fragments = [(post.excerpt, ["post-excerpt"]) for post in posts]
    together = render_fragments(app, "index", fragments)
    alone = [render_fragments(app, "index", [fragment])[0] for fragment in fragments]
    assert together == alone
    assert len(set(together)) == len(posts) > 1
    assert all(html.startswith('<div class="post-excerpt docutils container">') for html in alone)
    if root == "blog":  # its first post's excerpt links to the others
        assert any("<a " in html for html in alone)
        # A highlight directive does not carry on into the next excerpt.
        code = [nodes.literal_block("x = 1", "x = 1")]
        sets = [addnodes.highlightlang(lang="none", force=False, linenothreshold=1), *code]
        pair = [(sets, ["a"]), (code, ["b"])]
        assert render_fragments(app, "index", pair) == [
            render_fragments(app, "index", [fragment])[0] for fragment in pair
        ]
        assert "linenos" not in render_fragments(app, "index", pair)[1]
        # Two posts of one document (ABlog's post directive) keep their own excerpts.
        twins = [
            SimpleNamespace(docname="posts/twins", section=s, excerpt=[nodes.paragraph(text=s)])
            for s in ("first", "second")
        ]
        render_excerpts(app, twins)
        assert ["first" in excerpt_html(app, "index", t) for t in twins] == [True, False]
        assert "second" in excerpt_html(app, "index", twins[1])
        # An excerpt whose raw HTML holds the separator is still rendered right.
        odd = [([nodes.raw("", _SPLIT, format="html")], ["odd"]), *fragments[:1]]
        assert render_fragments(app, "index", odd) == [
            f'<div class="odd docutils container">\n{_SPLIT}</div>\n',
            alone[0],
        ]


def test_kept_feed_entries_are_made_again_when_their_making_changes(tmp_path, monkeypatch):
    from essayist.publishing import entries as feeds

    app, warnings = build(copy_root("blog", tmp_path), freshenv=True)
    assert warnings == ""
    post = next(iter(get_blog(app).posts))
    key = feeds.entry_key(app, post, "https://example.org/blog/")
    assert (app.doctreedir / "essayist-entries" / f"{key}.html").is_file()
    monkeypatch.setattr(feeds, "ENTRY_VERSION", feeds.ENTRY_VERSION + 1)
    assert feeds.entry_key(app, post, "https://example.org/blog/") != key


def test_a_post_due_by_the_sites_day_is_published_whatever_the_machines_day(tmp_path):
    """ABlog took "today" from the machine's clock: a post due by the site's day
    (its time zone, or essayist_today) was a public page marked "Draft" that no
    listing or feed showed."""
    src = copy_root("minimal", tmp_path)
    (src / "posts/2031").mkdir()
    (src / "posts/2031/due.md").write_text(
        "---\ndate: 2031-04-30\n---\n\n# Due Today\n\nText.\n", encoding="utf-8"
    )
    app, warnings = build(src, freshenv=True, essayist_today="2031-04-30")
    assert warnings == ""
    out = app.outdir
    page = BeautifulSoup((out / "posts/2031/due.html").read_text("utf-8"), "html.parser")
    assert page.select_one(".post-date").get_text(strip=True) == "April 2031"
    listing = (out / "posts.html").read_text("utf-8")
    assert "Due Today" in listing
    assert "<title>Due Today</title>" in (out / "posts/atom.xml").read_text("utf-8")
