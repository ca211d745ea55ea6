"""Excerpts are self-contained: a link in an excerpt to its own page (a section)
leads to the post on every listing, and a footnote's number is left out (its note
is on the post's page; two excerpts repeated its id); a post's ABlog label
resolves."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from blogtools import build, copy_root
from bs4 import BeautifulSoup

POST = (
    "---\ndate: 2026-02-02\ntags: alpha\n---\n\n# Footnoted\n\n"
    "See [the core](#the-core) and a note[^1].\n\n## The core\n\nText.\n\n[^1]: The note.\n"
)


def ids_of(path: Path) -> set[str]:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return {el["id"] for el in page.find_all(id=True)}


def test_same_page_links_in_excerpts_lead_to_the_post(tmp_path):
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/fn.md").write_text(POST, encoding="utf-8")
    (src / "posts/2026/fn2.md").write_text(
        "---\ndate: 2026-02-01\n---\n\n# Also Footnoted\n\nAnother note[^x].\n\n[^x]: Its note.\n",
        encoding="utf-8",
    )
    (src / "posts/2026/other.md").write_text(
        "---\ndate: 2026-01-05\n---\n\n# Other\n\nSee {ref}`fn` for the post by its label.\n",
        encoding="utf-8",
    )
    app, warnings = build(src, freshenv=True, myst_heading_anchors=3)
    assert warnings == ""
    out = Path(app.outdir)
    post_ids = ids_of(out / "posts/2026/fn.html")
    checked = []
    for listing in ("posts.html", "posts/tag/alpha.html", "posts/2026.html"):
        page = BeautifulSoup((out / listing).read_text(encoding="utf-8"), "html.parser")
        for link in page.select(".post-excerpt a"):
            target = urljoin(listing, link["href"])
            path, _, anchor = target.partition("#")
            assert path == "posts/2026/fn.html", (listing, link["href"])  # also via a label
            assert anchor in post_ids, (listing, link["href"])
            checked.append((listing, anchor))
    for listing in ("posts.html", "posts/tag/alpha.html", "posts/2026.html"):
        found = {a for li, a in checked if li == listing}
        assert "the-core" in found and not any(a.startswith("id") for a in found), found
        page = BeautifulSoup((out / listing).read_text(encoding="utf-8"), "html.parser")
        excerpt = page.select_one(".post-excerpt")
        assert "a note." in excerpt.get_text() and not excerpt.select(".footnote-reference")
        ids = [el["id"] for el in page.find_all(id=True)]
        assert len(ids) == len(set(ids)), listing  # two excerpts repeated a footnote's id
    # ABlog's label for the post ("fn") points at the post's title, which exists.
    other = BeautifulSoup((out / "posts/2026/other.html").read_text("utf-8"), "html.parser")
    href = other.select_one("article a.reference.internal[href*='fn.html']")["href"]
    assert href == "fn.html#footnoted" and "footnoted" in post_ids


def test_an_excerpt_as_text_reads_as_a_sentence():
    """Descriptions, link previews and feed summaries: no footnote number glued
    to a word, no raw HTML's source, a space between list items."""
    from docutils.core import publish_doctree

    from essayist.blog.adapter import plain_text

    doctree = publish_doctree(
        "A footnote [#a]_ and **bold** text.\n\n"
        ".. raw:: html\n\n   <script>alert(1)</script>\n\n"
        "- item one\n- item two\n\n.. [#a] The note.\n"
    )
    assert plain_text(list(doctree.children)[:3]) == "A footnote and bold text. item one item two"
