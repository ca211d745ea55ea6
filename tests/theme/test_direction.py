"""A paragraph in Arabic or Hebrew reads right to left (``dir="auto"``); every
other paragraph is written as before."""

from __future__ import annotations

from blogtools import build, copy_root
from conftest import soup

POST = """\
---
date: 2026-02-03
---

# Two Scripts

An English paragraph.

قانون جودهارت: عندما يصبح المقياس هدفًا، يتوقف عن كونه مقياسًا جيدًا.

חוק גודהארט, בעברית.

English that quotes שלום once.

- a list item
- פריט ברשימה
"""


def test_right_to_left_paragraphs_get_dir_auto(tmp_path):
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/scripts.md").write_text(POST, encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    article = soup(app.outdir / "posts/2026/scripts.html").find("article")
    directions = {p.get_text(" ", strip=True)[:12]: p.get("dir") for p in article.find_all("p")}
    assert directions["An English p"] is None
    assert directions["قانون جودهار"] == "auto"
    assert directions["חוק גודהארט,"] == "auto"
    # The browser takes the direction from the first strong letter: English.
    assert directions["English that"] == "auto"
    assert directions["a list item"] is None
    assert directions["פריט ברשימה"] == "auto"


def test_right_to_left_titles_get_dir_auto(tmp_path):
    """Headings and the titles in listings too: a title's "؟" was at its wrong end."""
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/arabic.md").write_text(
        "---\ndate: 2026-02-03\n---\n\n# ما معنى المحاذاة؟\n\nنص.\n\n## قسم ثان\n\nنص.\n",
        encoding="utf-8",
    )
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    page = soup(app.outdir / "posts/2026/arabic.html").find("article")
    assert [(h.name, h.get("dir")) for h in page.find_all(["h1", "h2"])][:2] == [
        ("h1", "auto"),
        ("h2", "auto"),
    ]
    listing = soup(app.outdir / "posts.html")
    titles = {h.get_text(strip=True): h.get("dir") for h in listing.select(".post-card-title")}
    assert titles["ما معنى المحاذاة؟"] == "auto"
    assert titles["A Good Post"] is None
    archive = soup(app.outdir / "posts/archive.html")
    links = {a.get_text(strip=True): a.get("dir") for a in archive.select("article li > a")}
    assert links["ما معنى المحاذاة؟"] == "auto"
    assert links["A Good Post"] is None
    # English headings are written as before.
    other = soup(app.outdir / "posts/2026/ok.html").find("article")
    assert all(h.get("dir") is None for h in other.find_all(["h1", "h2"]))
