"""The preview shows what is not published yet, on one page linked from its navigation."""

from __future__ import annotations

from pathlib import Path

from blogtools import build, copy_root
from bs4 import BeautifulSoup


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_preview_lists_drafts_and_scheduled_posts_each_marked(tmp_path):
    app, warnings = build(copy_root("blog", tmp_path), freshenv=True, essayist_preview=True)
    assert warnings == ""
    out = Path(app.outdir)
    drafts = page(out / "posts/drafts.html")
    assert drafts.h1.get_text(strip=True) == "Drafts and scheduled posts"
    cards = {
        c.select_one(".post-card-title").get_text(strip=True): c.select_one(".post-meta").get_text(
            " ", strip=True
        )
        for c in drafts.select(".post-card")
    }
    assert cards == {
        "Undated Draft Quokka": "Draft",
        "Secret Draft Zebra": "Draft",
        "Scheduled Post Narwhal": "Scheduled for 24 December 2026",
    }
    links = page(out / "index.html").select(".sidebar-blog-links a.drafts-link")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Drafts and scheduled posts", "posts/drafts.html")
    ]


def test_a_published_build_has_neither_the_page_nor_the_link(tmp_path):
    app, warnings = build(copy_root("blog", tmp_path), freshenv=True)
    assert warnings == ""
    out = Path(app.outdir)
    assert not (out / "posts/drafts.html").exists()
    assert not page(out / "index.html").select(".drafts-link")


def test_a_post_grown_past_the_limit_is_left_out_of_the_preview_unread(tmp_path):
    """A post that grows past 2 MB (or is renamed past 200 bytes) while the
    preview runs starts the preview again, which leaves it out, as a full
    build does: it is never read."""
    from types import SimpleNamespace

    from essayist.blog.drafts import unreadable_post

    app = SimpleNamespace(srcdir=str(tmp_path), config=SimpleNamespace(post_date_format="%Y"))
    post = tmp_path / "posts" / "2026" / "big.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ndate: 2026-01-01\n---\n\n# Big\n\n" + "x" * 2_000_001)
    posts = frozenset({"posts/2026/big.md"})
    assert unreadable_post(app, post.resolve(), posts)
    post.write_text("---\ndate: 2026-01-01\n---\n\n# Big\n\nSmall now.\n")
    assert not unreadable_post(app, post.resolve(), posts)
