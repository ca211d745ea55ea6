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


def test_ablog_labels_of_a_folder_post_and_a_file_post_lead_to_their_titles(tmp_path):
    """ABlog's label is the file's name, or the folder's for an ``index.md``; an
    author's own label on a post is left as the author put it."""
    from essayist.blog.adapter import ablog_label

    assert [ablog_label(d) for d in ("posts/2026/fn", "posts/2026/deep/index", "index")] == [
        "fn",
        "deep",
        "",
    ]
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/deep").mkdir(parents=True)
    (src / "posts/2026/deep/index.md").write_text(
        "---\ndate: 2026-02-03\n---\n\n# In a Folder\n\n(mine)=\n## Part\n\nText.\n",
        encoding="utf-8",
    )
    (src / "posts/2026/fn.md").write_text(POST, encoding="utf-8")
    (src / "posts/2026/other.md").write_text(
        "---\ndate: 2026-01-05\n---\n\n# Other\n\nSee {ref}`deep`, {ref}`fn` and {ref}`mine`.\n",
        encoding="utf-8",
    )
    # An ABlog blog may keep a post in its own folder (``posts/*/*/index.md``).
    pattern = ["posts/*/*.md", "posts/*/*/index.md"]
    app, warnings = build(src, freshenv=True, blog_post_pattern=pattern)
    assert warnings == ""
    other = BeautifulSoup(
        (Path(app.outdir) / "posts/2026/other.html").read_text("utf-8"), "html.parser"
    )
    see = next(p for p in other.select("article p") if p.get_text().startswith("See "))
    hrefs = [a["href"] for a in see.select("a")]
    assert hrefs == ["deep/index.html#in-a-folder", "fn.html#footnoted", "deep/index.html#mine"]


def test_an_excerpt_as_text_reads_as_a_sentence():
    """Descriptions, link previews and feed summaries: no footnote number glued
    to a word, no raw HTML's source, a space between list items."""
    from docutils.core import publish_doctree

    from essayist.blog.excerpts import plain_text

    doctree = publish_doctree(
        "A footnote [#a]_ and **bold** text.\n\n"
        ".. raw:: html\n\n   <script>alert(1)</script>\n\n"
        "- item one\n- item two\n\n.. [#a] The note.\n"
    )
    assert plain_text(list(doctree.children)[:3]) == "A footnote and bold text. item one item two"


IMAGE_FIRST = (
    "---\ndate: 2026-03-01\n---\n\n# Red Squares\n\n![A red square](red.png)\n\n"
    "Squares are a proxy for $\\beta$-weighted $x^2$ reward.\n\nA second paragraph.\n"
)
NOTE_FIRST = (
    "---\ndate: 2026-03-02\nexcerpt: 2\n---\n\n# Notes First\n\n"
    ":::{note} Before you read\nThis assumes the last essay.\n:::\n\n"
    "The essay’s own first words.\n\n- a list item\n- another\n\nIts second paragraph.\n"
)
WRITTEN = (
    "---\ndate: 2026-03-03\n---\n\n# Written\n\n```{post}\n\n:::{note}\nThe chosen excerpt.\n"
    ":::\n```\n\nThe text.\n"
)


def test_an_excerpt_is_the_essays_own_text(tmp_path):
    """Not an image alone, a note or a list item (ABlog takes the first
    paragraphs wherever they are); an excerpt the author wrote stays."""
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/red.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2"
            "21bc330000000049454e44ae426082"
        )
    )
    (src / "posts/2026/image.md").write_text(IMAGE_FIRST, encoding="utf-8")
    (src / "posts/2026/note.md").write_text(NOTE_FIRST, encoding="utf-8")
    (src / "posts/2026/written.md").write_text(WRITTEN, encoding="utf-8")
    app, warnings = build(src, freshenv=True, myst_enable_extensions=["colon_fence", "dollarmath"])
    assert warnings == ""
    out = Path(app.outdir)

    def description(name: str) -> str:
        page = BeautifulSoup((out / f"posts/2026/{name}.html").read_text("utf-8"), "html.parser")
        return page.find("meta", attrs={"name": "description"})["content"]

    assert description("image") == "Squares are a proxy for β-weighted x² reward."
    assert description("note") == "The essay’s own first words. Its second paragraph."
    listing = BeautifulSoup((out / "posts.html").read_text("utf-8"), "html.parser")
    excerpts = {
        a.get_text(strip=True): [
            p.get_text(" ", strip=True) for p in a.find_parent("li").select(".post-excerpt p")
        ]
        for a in listing.select(".post-card-title a, .ablog-post-title a")
    }
    assert excerpts["Notes First"] == ["The essay’s own first words.", "Its second paragraph."]
    assert excerpts["Written"] == ["The chosen excerpt."]


def test_a_reference_in_an_excerpt_reads_as_its_title(tmp_path):
    """``{doc}`ok``` shows "A Good Post" in the page and the listings; the
    description and the feed summary said "ok"."""
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/ok.md").write_text(
        (src / "posts/2026/ok.md").read_text(encoding="utf-8")
        + "\n(the-part)=\n## The Part\n\nX.\n",
        encoding="utf-8",
    )
    (src / "posts/2026/next.md").write_text(
        "---\ndate: 2026-03-05\n---\n\n# Next\n\nContinues from {doc}`ok`, see {ref}`the-part` "
        "and {doc}`the first one <ok>`.\n",
        encoding="utf-8",
    )
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    out = Path(app.outdir)
    page = BeautifulSoup((out / "posts/2026/next.html").read_text("utf-8"), "html.parser")
    expected = "Continues from A Good Post, see The Part and the first one."
    assert page.find("meta", attrs={"name": "description"})["content"] == expected
    feed = (out / "posts/atom.xml").read_text("utf-8")
    assert f'<summary type="text">{expected}</summary>' in feed


def test_excerpt_zero_shows_no_excerpt(tmp_path):
    """``excerpt: 0`` is no excerpt, as ABlog's ``:excerpt: 0`` is (ABlog read it
    in front matter as its default, one paragraph): the lists show the title
    alone, the feed entry has no summary, and the page's description is still
    its first paragraph."""
    from essayist.tools.cli import main

    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/bare.md").write_text(
        "---\ndate: 2026-02-01\nexcerpt: 0\ntags: alpha\n---\n\n# Bare\n\n"
        "The first paragraph, in no list.\n\nThe second.\n",
        encoding="utf-8",
    )
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    out = Path(app.outdir)
    lists = BeautifulSoup((out / "posts.html").read_text(encoding="utf-8"), "html.parser")
    card = next(c for c in lists.select(".post-card") if "Bare" in c.get_text())
    assert card.select(".post-excerpt") == [] and "first paragraph" not in card.get_text()
    feed = BeautifulSoup((out / "posts/atom.xml").read_text(encoding="utf-8"), "xml")
    entry = next(e for e in feed.find_all("entry") if e.title.text == "Bare")
    assert entry.summary is None and "first paragraph" in entry.content.text
    page = BeautifulSoup((out / "posts/2026/bare.html").read_text(encoding="utf-8"), "html.parser")
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description == "The first paragraph, in no list."
    assert main(["--root", str(src), "check"]) == 0
