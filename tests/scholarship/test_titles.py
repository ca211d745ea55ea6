"""A citation or a footnote in a heading is a mark on the page, never part of the
title: ``<title>``, link previews, the feed, the search index, post lists and
``{ref}`` text name the essay without the key or the note's number."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from blogtools import build, copy_root
from conftest import PROJECT, norm, soup
from docutils import nodes

from essayist.scholarship.titles import title_text

CONF = """
extensions = ["myst_parser", "essayist", "sphinxcontrib.bibtex"]
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "unsrt"
bibtex_reference_style = "label"
myst_enable_extensions = ["dollarmath"]
"""

CITED = """\
---
date: 2026-02-03
tags: proxies
---

# Goodhart revisited {cite}`manheim2018`

Body {cite}`amodei2016`.
"""

NOTED = """\
---
date: 2026-02-04
---

# Notes on proxies[^a] and gaming {footcite}`amodei2016`

Text.

[^a]: A note in the heading.

```{footbibliography}
```
"""

MATHY = """\
---
date: 2026-02-05
---

# Why $\\beta$ matters for $D_{\\mathrm{KL}}$

As {cite:t}`manheim2018` argue.

## Is it Goodhart {cite}`manheim2018`? Yes

## A heading with a note[^h]

[^h]: The note.
"""

TEXTUAL = """\
---
date: 2026-02-06
---

# As {cite:t}`manheim2018` argue

Text.
"""

INDEX = """\
# Minimal

See {ref}`cited`.

```{postlist}
```
"""

ATOM = "{http://www.w3.org/2005/Atom}"


def cited_root(dest: Path) -> Path:
    """The minimal root, citing from the site's BibTeX file."""
    src = copy_root("minimal", dest)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(CONF)
    shutil.copy(PROJECT / "references.bib", src / "references.bib")
    return src


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    src = cited_root(tmp_path_factory.mktemp("titles"))
    (src / "posts/2026/cited.md").write_text(CITED, encoding="utf-8")
    (src / "posts/2026/noted.md").write_text(NOTED, encoding="utf-8")
    (src / "posts/2026/mathy.md").write_text(MATHY, encoding="utf-8")
    (src / "posts/2026/textual.md").write_text(TEXTUAL, encoding="utf-8")
    (src / "index.md").write_text(INDEX, encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    assert warnings == "", warnings
    return Path(app.outdir)


def meta(page, prop: str) -> str:
    return page.find("meta", attrs={"property": prop})["content"]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("cited", "Goodhart revisited"),
        ("noted", "Notes on proxies and gaming"),
        ("mathy", "Why β matters for D_(KL)"),
        ("textual", "As Manheim and Garrabrant argue"),
    ],
)
def test_the_page_is_named_without_the_marks(out, name, title):
    page = soup(out / "posts/2026" / f"{name}.html")
    assert page.title.get_text() == f"{title} - Test Blog documentation"
    assert meta(page, "og:title") == title
    assert page.find("meta", attrs={"name": "citation_title"})["content"] == title


def test_the_heading_keeps_its_citation_link(out):
    heading = soup(out / "posts/2026/cited.html").find("h1")
    assert norm(heading.get_text()) == "Goodhart revisited [1]¶"
    assert heading.find("a", class_="cite-ref")["href"] == "#ref-manheim2018"


def test_feed_search_lists_and_references_use_the_title(out):
    feed = ET.parse(out / "posts/atom.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == [
        "As Manheim and Garrabrant argue",
        "Why β matters for D_(KL)",
        "Notes on proxies and gaming",
        "Goodhart revisited",
        "A Good Post",
    ]
    index = (out / "searchindex.js").read_text(encoding="utf-8")
    found = json.loads(re.search(r'"titles":(\[[^]]*\])', index).group(1))
    assert "Goodhart revisited" in found
    assert "Notes on proxies and gaming" in found
    assert not [t for t in found if "manheim" in t or t != t.strip()]
    home = soup(out / "index.html")
    ref = home.find("a", href="posts/2026/cited.html#goodhart-revisited-manheim2018")
    assert norm(ref.get_text()) == "Goodhart revisited"
    listed = [norm(a.get_text()) for a in home.select("ul.postlist a")]
    assert listed == [
        "As Manheim and Garrabrant argue",
        "Why β matters for D_(KL)",
        "Notes on proxies and gaming",
        "Goodhart revisited",
        "A Good Post",
    ]
    for page in (out / "posts").rglob("*.html"):
        assert "manheim2018" not in soup(page).title.get_text()


def test_title_text_drops_only_marks():
    title = nodes.title()
    title += nodes.Text("Why ")
    title += nodes.emphasis(text="proxies")
    title += nodes.Text(" fail ")
    title += nodes.footnote_reference(text="1")
    assert title_text(title) == "Why proxies fail"
    assert title.astext() == "Why proxies fail 1"  # the heading itself is left


def test_section_titles_lose_their_marks_in_contents_and_search(out):
    page = soup(out / "posts/2026/mathy.html")
    contents = [norm(a.get_text()) for a in page.select(".toc-tree a")]
    assert "Is it Goodhart? Yes" in contents
    assert "A heading with a note" in contents
    index = (out / "searchindex.js").read_text(encoding="utf-8")
    alltitles = json.loads(index[index.index("(") + 1 : index.rindex(")")])["alltitles"]
    assert "Is it Goodhart? Yes" in alltitles
    assert "A heading with a note" in alltitles
    assert not [t for t in alltitles if "manheim" in t or t.endswith("1") or "\\" in t]
    # The headings on the page keep their marks and formulas.
    h2 = [norm(h.get_text()) for h in page.select("h2")]
    assert "Is it Goodhart [1]? Yes¶" in h2


def test_a_title_that_is_only_a_citation_is_a_warning(tmp_path):
    src = cited_root(tmp_path)
    (src / "posts/2026/only.md").write_text(
        "---\ndate: 2026-02-03\n---\n\n# {cite}`manheim2018`\n\nText.\n", encoding="utf-8"
    )
    _, warnings = build(src, freshenv=True)
    assert warnings == (
        f"{src / 'posts/2026/only.md'}:5: WARNING: this title is only a citation or a note: "
        "give the page a title in words [essayist.citation]\n"
    )


def test_markup_in_a_cited_title_stays_text(tmp_path):
    """A title's raw HTML and ampersands, with its marks taken out, are text
    in every place the title goes, never markup."""
    src = cited_root(tmp_path)
    (src / "posts/2026/marked.md").write_text(
        "---\ndate: 2026-02-03\n---\n\n# Why `<b>` & <i>tags</i> {cite}`manheim2018` fail[^n]\n\n"
        "Text.\n\n[^n]: A note.\n",
        encoding="utf-8",
    )
    app, warnings = build(src, freshenv=True)
    # Raw HTML in a heading is named (its words went missing from titles).
    assert warnings == (
        f"{src / 'posts/2026/marked.md'}:5: WARNING: this heading holds raw HTML (<i> </i>), "
        "which the page's title and feeds leave out: write *emphasis* in Markdown, and a "
        "<word> in `backticks` (or as \\<word>) [essayist.title]\n"
    )
    title = "Why <b> & tags fail"  # raw inline HTML is no text of the title
    page = soup(app.outdir / "posts/2026/marked.html")
    assert page.title.get_text() == f"{title} - Test Blog documentation"
    assert meta(page, "og:title") == title
    feed = ET.parse(app.outdir / "posts/atom.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")][0] == title
    assert not page.head.find("b") and not page.head.find("i")
