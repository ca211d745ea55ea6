"""A heading's address is its name (essayist.content.anchors): a second
"Notes" is ``#notes-1``. It was docutils' numbered ``#id2``, from a counter the
whole page shares, so a footnote added above it moved the permalink a reader
had copied, and the old address then led to another heading."""

from __future__ import annotations

import json
import re
from pathlib import Path

from blogtools import build, copy_root
from bs4 import BeautifulSoup

POST = """\
---
date: 2026-01-10
---

# Headings

Opening{footnote} and [the second notes](#notes-1), [the kept](#notes-3).

## Notes

One.

## 🚀

Two.

## Notes

Three.

### Notes

Deeper, the third.

#### Method

Beyond the slug depth.

#### Method

Again.

(kept)=
## Notes

Named by its author.

## id7

A title that reads as an id.
"""

NOTE = "\n[^a]: A note.\n"


def _site(tmp_path: Path, footnote: bool):
    src = copy_root("minimal", tmp_path / ("with" if footnote else "without"))
    text = POST.replace("{footnote}", "[^a]" if footnote else "")
    (src / "posts/2026/headings.md").write_text(text + (NOTE if footnote else ""))
    (src / "posts/2026/citing.md").write_text(
        "---\ndate: 2026-01-11\n---\n\n# Citing\n\nSee [](headings.md#section), "
        "[](headings.md#method-1) and [](headings.md#notes-2).\n"
    )
    app, warnings = build(src, freshenv=True, myst_heading_anchors=3)
    assert warnings == ""
    out = Path(app.outdir)
    html = (out / "posts/2026/headings.html").read_text(encoding="utf-8")
    return out, BeautifulSoup(html, "html.parser")


def _addresses(soup: BeautifulSoup) -> list[tuple[str, str, str]]:
    """(title, section id, its permalink) of every heading of the essay."""
    found = []
    for section in soup.select("article section"):
        if section["id"] in ("cite-this-essay", "essayist-related"):
            continue  # the site's own
        heading = section.find(re.compile("^h[1-6]$"))
        link = heading.find("a", class_="headerlink")
        found.append((heading.get_text("", strip=True).rstrip("¶"), section["id"], link["href"]))
    return found


def test_every_heading_is_addressed_by_its_name_and_stays_so(tmp_path):
    out, soup = _site(tmp_path, footnote=False)
    expected = [
        ("Headings", "headings", "#headings"),
        ("Notes", "notes", "#notes"),
        ("🚀", "section", "#section"),
        ("Notes", "notes-1", "#notes-1"),
        ("Notes", "notes-2", "#notes-2"),
        ("Method", "method", "#method"),
        ("Method", "method-1", "#method-1"),
        ("Notes", "kept", "#kept"),
        ("id7", "id7", "#id7"),
    ]
    assert _addresses(soup) == expected
    # The page's contents, and a link to a heading by its name, say the same.
    toc = [a["href"] for a in soup.select(".toc-tree a")]
    assert toc == ["#", *[e[2] for e in expected[1:]]]
    link = soup.find("a", string="the second notes")
    assert link["href"] == "#notes-1"
    # MyST's slug of a heading its author named leads to that name.
    assert soup.find("a", string="the kept")["href"] == "#kept"
    # Another post's links to the names (of emoji, of a deep heading) resolve.
    citing = BeautifulSoup((out / "posts/2026/citing.html").read_text("utf-8"), "html.parser")
    hrefs = [a["href"] for a in citing.select("article p a") if "#" in a["href"]]
    assert hrefs == ["headings.html#section", "headings.html#method-1", "headings.html#notes-2"]
    # The numbered id stays, a second anchor on the same section.
    numbered = soup.select("article section > span[id^=id]")
    assert [s.parent["id"] for s in numbered] == [
        "section",
        "notes-1",
        "notes-2",
        "method-1",
        "kept",
    ]
    # The search index's entries for the headings.
    index = (out / "searchindex.js").read_text(encoding="utf-8")
    titles = json.loads(index[index.index("(") + 1 : index.rindex(")")])["alltitles"]
    assert sorted(a for t, docs in titles.items() if t == "Notes" for _, a in docs) == [
        "kept",
        "notes",
        "notes-1",
        "notes-2",
    ]
    # A footnote above every heading moved the numbered ids: the names stay.
    _, with_note = _site(tmp_path, footnote=True)
    assert _addresses(with_note) == expected


def test_names_from_hostile_headings_are_plain_and_unique(tmp_path):
    """A heading's words become its address: markup, a path, quotes and a huge
    heading, each twice, give names of letters, digits and hyphens that the
    contents and permalinks use, none twice."""
    src = copy_root("minimal", tmp_path)
    long = "word " * 80
    # (Raw HTML and bidirectional overrides in a heading are refused at their
    # line, tests/blog/test_markup_in_metadata.py and test_hostile_input.py.)
    headings = ['../x & "q"', "`a/b` c", long, "\u200b\u200b", "?!", "日本語"]
    body = "".join(f"## {h}\n\nText.\n\n" for h in headings * 2)
    (src / "posts/2026/hostile.md").write_text(f"---\ndate: 2026-01-10\n---\n\n# Hostile\n\n{body}")
    app, warnings = build(src, freshenv=True, myst_heading_anchors=3)
    assert warnings == ""
    soup = BeautifulSoup(
        (Path(app.outdir) / "posts/2026/hostile.html").read_text("utf-8"), "html.parser"
    )
    ids = [s["id"] for s in soup.select("article section") if s["id"] != "cite-this-essay"]
    assert len(ids) == len(set(ids)) == 1 + 2 * len(headings)
    page_ids = {el["id"] for el in soup.find_all(id=True)}
    for name in ids:
        assert re.fullmatch(r"[\w-]+", name) and not name.startswith("id"), name
    for link in soup.select(".toc-tree a"):
        assert link["href"] == "#" or link["href"][1:] in page_ids
