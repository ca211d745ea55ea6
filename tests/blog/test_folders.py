"""A folder a reader trims an essay's address to (``/posts/2026/``, ``/posts/``)
leads to its page (essayist.blog.folders)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from blogtools import build, copy_root, output_files
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from essayist.blog.folders import folder_redirects

BASE = "https://example.org/blog/"


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_folder_with_a_page_of_its_name_and_no_index_leads_to_it():
    names = [
        "index", "posts", "posts/2026", "posts/2026/a", "posts/2026/deep/index",
        "posts/tag", "posts/tag/alpha", "docs/about", "docs/concepts/index",
        "docs/concepts/goodhart", "guide", "guide/index", "guide/part",
    ]  # fmt: skip
    assert folder_redirects(names) == [
        ("posts/2026/index", "posts/2026"),
        ("posts/index", "posts"),
        ("posts/tag/index", "posts/tag"),
    ]
    assert folder_redirects(["a/b/c", "a"]) == [("a/index", "a")]  # any depth
    assert folder_redirects([]) == []


def redirect_of(path: Path) -> dict:
    html = page(path)
    return {
        "refresh": html.select_one('meta[http-equiv="refresh"]')["content"],
        "robots": html.select_one('meta[name="robots"]')["content"],
        "canonical": html.select_one('link[rel="canonical"]')["href"],
        "csp": bool(html.select_one('meta[http-equiv="Content-Security-Policy"]')),
        "title": html.title.get_text(),
        "h1": html.h1.get_text(),
        "link": (html.main.a["href"], html.main.a.get_text()),
    }


def test_the_folders_of_the_posts_lead_to_their_lists(tmp_path):
    src = copy_root("minimal", tmp_path)
    app, warnings = build(src)
    assert "WARNING" not in warnings
    out = Path(app.outdir)
    assert redirect_of(out / "posts/index.html") == {
        "refresh": "0; url=../posts.html",
        "robots": "noindex",
        "canonical": BASE + "posts.html",
        "csp": True,
        "title": "All Posts",
        "h1": "All Posts",
        "link": ("../posts.html", BASE + "posts.html"),
    }
    assert redirect_of(out / "posts/2026/index.html")["refresh"] == "0; url=../2026.html"
    assert redirect_of(out / "posts/2026/index.html")["title"] == "Posted in 2026"
    assert redirect_of(out / "posts/tag/index.html")["refresh"] == "0; url=../tag.html"
    assert redirect_of(out / "posts/author/index.html")["refresh"] == "0; url=../author.html"
    # Where every one of them leads is a page of the site.
    for index in ("posts", "posts/2026", "posts/tag", "posts/author"):
        assert (out / f"{index}.html").is_file()
    # Not pages to find: in no sitemap and no search index.
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/index.html" not in sitemap.replace(BASE + "index.html", "")
    assert "posts/index" not in (out / "searchindex.js").read_text(encoding="utf-8")


def test_a_folder_with_its_own_index_page_keeps_it(tmp_path):
    """Pages an author writes, outside the posts: ``notes.md`` beside
    ``notes/index.md`` keeps the index; ``more.md`` beside ``more/a.md`` gets
    a folder page."""
    src = copy_root("minimal", tmp_path)
    for name, title in [
        ("notes", "Notes"), ("notes/index", "The Own Index of Notes"), ("notes/a", "A Note"),
        ("more", "More"), ("more/a", "Another"),
    ]:  # fmt: skip
        (src / f"{name}.md").parent.mkdir(exist_ok=True)
        (src / f"{name}.md").write_text(f"---\norphan: true\n---\n\n# {title}\n\nText.\n", "utf-8")
    app, warnings = build(src)
    assert "WARNING" not in warnings
    own = page(Path(app.outdir) / "notes/index.html")
    assert own.select_one('meta[http-equiv="refresh"]') is None
    assert own.h1.get_text().rstrip("¶") == "The Own Index of Notes"
    folder = redirect_of(Path(app.outdir) / "more/index.html")
    assert (folder["refresh"], folder["title"]) == ("0; url=../more.html", "More")


def test_dirhtml_writes_the_folders_pages_themselves(tmp_path):
    src = copy_root("minimal", tmp_path)
    app = SphinxTestApp("dirhtml", srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    listing = page(Path(app.outdir) / "posts/index.html")
    assert listing.select_one('meta[http-equiv="refresh"]') is None
    assert listing.select_one(".post-collection .post-card") is not None


def test_a_year_without_posts_loses_its_folder_page_as_a_clean_build(tmp_path):
    src = copy_root("minimal", tmp_path)
    old = src / "posts/2025"
    old.mkdir()
    (old / "early.md").write_text("---\ndate: 2025-03-01\n---\n\n# Early\n\nText.\n", "utf-8")
    app, _ = build(src)
    out = Path(app.outdir)
    assert (out / "posts/2025/index.html").is_file()
    (old / "early.md").unlink()
    old.rmdir()
    build(src)
    assert not (out / "posts/2025/index.html").exists()
    assert not (out / "posts/2025.html").exists()
    clean, _ = build(src, tmp_path / "clean", freshenv=True)
    assert output_files(out) == output_files(Path(clean.outdir))
