"""Citations: each essay's own reference list, previews, located errors, feeds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from blogtools import build, copy_root
from bs4 import BeautifulSoup
from conftest import PROJECT, norm, soup

from essayist.scholarship.citations import plain_citations
from essayist.scholarship.references import names, reference_slugs, surnames

BASE = "https://example.org/blog/"
ATOM = "{http://www.w3.org/2005/Atom}"
EXTENSIONS = ["myst_parser", "essayist", "sphinxcontrib.bibtex"]

CONF = f"""
extensions = {EXTENSIONS!r}
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "unsrt"
bibtex_reference_style = "label"
bibtex_tooltips = False
essayist_license = "CC BY 4.0"
essayist_license_url = "https://creativecommons.org/licenses/by/4.0/"
"""

PROXIES = """\
---
date: 2026-02-03
tags: proxies
---

# On Proxies

A measure that becomes a target {cite}`manheim2018` stops being one.

## Accidents

See {cite:t}`amodei2016`, and again {cite}`manheim2018,christiano2017`.
"""

INNER = """\
---
date: 2026-03-03
tags: inner
---

# Inner Optimisers

A learned optimiser may pursue its own objective {cite}`hubinger2019`.
"""

NOTES = """\
---
date: 2026-01-15
tags: notes
---

# Notes First

A claim {cite}`goodhart1975`.[^n]

[^n]: A note of the author's own.
"""

CONCEPT_PAGE = """\
# Goodhart's Law

Named after {cite:t}`goodhart1975`.

## Sources to read

- {cite:t}`manheim2018`
"""

INDEX = """\
# Minimal

```{toctree}
docs/goodhart
docs/own-list
```

```{postlist}
```
"""

OWN_LIST = """\
# Own List

Cited here {cite}`amodei2016`.

## Further reading

```{bibliography}
:filter: docname in docnames
```
"""

MANHEIM = (
    "David Manheim and Scott Garrabrant. Categorizing variants of Goodhart's law. 2018. "
    "arXiv:1803.04585."
)
AMODEI = (
    "Dario Amodei, Chris Olah, Jacob Steinhardt, Paul Christiano, John Schulman, and Dan "
    "Mané. Concrete problems in AI safety. 2016. arXiv:1606.06565."
)
CHRISTIANO = (
    "Paul F. Christiano, Jan Leike, Tom B. Brown, Miljan Martic, Shane Legg, and Dario "
    "Amodei. Deep reinforcement learning from human preferences. In Advances in Neural "
    "Information Processing Systems 30. 2017. arXiv:1706.03741."
)
HUBINGER = (
    "Evan Hubinger, Chris van Merwijk, Vladimir Mikulik, Joar Skalse, and Scott Garrabrant. "
    "Risks from learned optimization in advanced machine learning systems. 2019. "
    "arXiv:1906.01820."
)
GOODHART = (
    "Charles A. E. Goodhart. Problems of monetary management: the U.K. experience. In "
    "Papers in Monetary Economics, volume I. Reserve Bank of Australia, 1975."
)


def make_site(dest: Path, posts: dict[str, str], pages: dict[str, str] | None = None) -> Path:
    src = copy_root("minimal", dest)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(CONF)
    shutil.copy(PROJECT / "references.bib", src / "references.bib")
    for name, text in posts.items():
        (src / "posts" / "2026" / name).write_text(text, encoding="utf-8")
    for name, text in (pages or {}).items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    dest = tmp_path_factory.mktemp("citations")
    src = make_site(
        dest,
        {"proxies.md": PROXIES, "inner.md": INNER, "notes.md": NOTES},
        {"index.md": INDEX, "docs/goodhart.md": CONCEPT_PAGE, "docs/own-list.md": OWN_LIST},
    )
    app, warnings = build(src)
    return Path(app.outdir), warnings


def references(page) -> list[tuple[str, str, str, list[str]]]:
    """(id, label, text, links) of each entry of a page's reference list."""
    section = page.find("section", class_="essayist-references")
    assert section is not None
    assert norm(section.find("h2").get_text()) == "References¶"
    return [
        (
            div["id"],
            norm(div.find("span", class_="label").get_text()),
            norm(div.find("p").get_text()),
            [a["href"] for a in div.find_all("a")],
        )
        for div in section.find_all("div", class_="citation")
    ]


def citations(page) -> list[tuple[str, str]]:
    """(text, href) of each citation link in the essay's text."""
    return [(a.get_text(), a["href"]) for a in page.select("article a.cite-ref")]


def test_the_site_builds_without_a_warning(site):
    _, warnings = site
    assert warnings == ""


def test_each_essay_lists_exactly_what_it_cites(site):
    out, _ = site
    proxies = soup(out / "posts/2026/proxies.html")
    # Numbered in the order the essay first cites them; cited twice, two ways back.
    assert references(proxies) == [
        ("ref-manheim2018", "[1]", MANHEIM, ["#id1", "#id3", "https://arxiv.org/abs/1803.04585"]),
        ("ref-amodei2016", "[2]", AMODEI, ["#id2", "https://arxiv.org/abs/1606.06565"]),
        ("ref-christiano2017", "[3]", CHRISTIANO, ["#id3", "https://arxiv.org/abs/1706.03741"]),
    ]
    backrefs = proxies.find("div", id="ref-manheim2018").find("span", class_="backrefs")
    assert norm(backrefs.get_text()) == "(1,2)"
    inner = soup(out / "posts/2026/inner.html")
    assert references(inner) == [
        ("ref-hubinger2019", "[1]", HUBINGER, ["#id1", "https://arxiv.org/abs/1906.01820"])
    ]
    link = inner.find("div", id="ref-hubinger2019").find("p").find("a")
    assert link["rel"] == ["noopener", "noreferrer"]
    # A post that cites nothing has no list.
    assert soup(out / "posts/2026/ok.html").find(class_="essayist-references") is None


def test_citations_link_to_the_essays_own_list(site):
    out, _ = site
    proxies = soup(out / "posts/2026/proxies.html")
    assert citations(proxies) == [
        ("1", "#ref-manheim2018"),
        ("2", "#ref-amodei2016"),
        ("1", "#ref-manheim2018"),
        ("3", "#ref-christiano2017"),
    ]
    texts = [norm(s.get_text()) for s in proxies.select("article .bibtex-citation")]
    assert texts == ["[1]", "Amodei et al. [2]", "[1, 3]"]
    # No browser tooltip under the preview.
    assert all(not a.get("title") for a in proxies.select("a.cite-ref"))
    assert citations(soup(out / "posts/2026/inner.html")) == [("1", "#ref-hubinger2019")]


def test_the_list_is_in_the_pages_contents_and_after_the_text(site):
    out, _ = site
    proxies = soup(out / "posts/2026/proxies.html")
    toc = [norm(a.get_text()) for a in proxies.select(".toc-tree a")]
    assert toc == ["On Proxies", "Accidents", "References"]
    sections = [s.get("id") for s in proxies.select("article > section > section")]
    assert sections[:3] == ["accidents", "references", "cite-this-essay"]


def test_the_essays_footnotes_come_before_its_references(site):
    out, _ = site
    page = soup(out / "posts/2026/notes.html")
    order = [
        el["class"][0]
        for el in page.select(
            "article aside.footnote-list, article .essayist-references, article .cite-this, "
            "article .post-foot"
        )
    ]
    assert order == ["footnote-list", "essayist-references", "cite-this", "post-foot"]
    assert (
        norm(page.select_one("aside.footnote-list").get_text()) == "[1] A note of the author's own."
    )


def test_a_page_that_is_not_a_post_cites_too(site):
    out, _ = site
    page = soup(out / "docs/goodhart.html")
    assert references(page) == [
        ("ref-goodhart1975", "[1]", GOODHART, ["#id1"]),
        ("ref-manheim2018", "[2]", MANHEIM, ["#id2", "https://arxiv.org/abs/1803.04585"]),
    ]
    sources = page.find(id="sources-to-read").find("li")
    assert norm(sources.get_text()) == "Manheim and Garrabrant [2]"
    # Not a post: no "Cite this essay".
    assert page.find(class_="cite-this") is None


def test_a_page_with_its_own_bibliography_keeps_it(site):
    out, _ = site
    page = soup(out / "docs/own-list.html")
    assert page.find(class_="essayist-references") is None
    entries = page.find(id="further-reading").find_all("div", class_="citation")
    assert [div["id"] for div in entries] != []
    assert [norm(div.find("p").get_text()) for div in entries] == [AMODEI]


def test_the_preview_of_a_citation(site):
    out, _ = site
    folder = out / "_previews" / "references"
    assert sorted(p.name for p in folder.iterdir()) == [
        "amodei2016.json",
        "christiano2017.json",
        "goodhart1975.json",
        "hubinger2019.json",
        "manheim2018.json",
    ]
    assert json.loads((folder / "manheim2018.json").read_text(encoding="utf-8")) == {
        "kind": "reference",
        "key": "manheim2018",
        "title": "Categorizing Variants of Goodhart's Law",
        "authors": "David Manheim and Scott Garrabrant",
        "date": "2018",
        "text": "arXiv:1803.04585",
        "url": "https://arxiv.org/abs/1803.04585",
    }
    assert json.loads((folder / "christiano2017.json").read_text(encoding="utf-8")) == {
        "kind": "reference",
        "key": "christiano2017",
        "title": "Deep Reinforcement Learning from Human Preferences",
        "authors": "Paul F. Christiano et al.",
        "date": "2017",
        "text": "In Advances in Neural Information Processing Systems 30 · arXiv:1706.03741",
        "url": "https://arxiv.org/abs/1706.03741",
    }
    goodhart = json.loads((folder / "goodhart1975.json").read_text(encoding="utf-8"))
    assert goodhart["text"] == "In Papers in Monetary Economics · Reserve Bank of Australia"
    assert goodhart["url"] == ""


def test_reference_previews_are_remade_only_when_the_bibliography_changes(tmp_path, monkeypatch):
    from essayist.scholarship import citations

    src = make_site(tmp_path, {"proxies.md": PROXIES})
    app, warnings = build(src)
    assert not warnings
    folder = Path(app.outdir) / "_previews" / "references"
    assert (folder / "manheim2018.json").is_file()
    made = []
    real = citations.write_reference_previews

    def counting(outdir, entries):
        made.append(sorted(entries))
        return real(outdir, entries)

    monkeypatch.setattr(citations, "write_reference_previews", counting)
    (src / "posts" / "2026" / "proxies.md").write_text(PROXIES + "\nMore.\n", encoding="utf-8")
    build(src)
    assert made == []  # nothing the previews show changed
    (folder / "amodei2016.json").unlink()
    build(src)
    assert len(made) == 1 and (folder / "amodei2016.json").is_file()
    bib = src / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("Categorizing Variants", "Categorising Variants"),
        encoding="utf-8",
    )
    build(src)
    assert len(made) == 2
    preview = json.loads((folder / "manheim2018.json").read_text(encoding="utf-8"))
    assert preview["title"] == "Categorising Variants of Goodhart's Law"


def test_pages_with_citations_load_the_preview_script_and_styles(site):
    out, _ = site

    def assets(page: str) -> set[str]:
        html = soup(out / page)
        found = {link["href"].split("?")[0].rsplit("/", 1)[-1] for link in html("link", href=True)}
        found |= {s["src"].split("?")[0].rsplit("/", 1)[-1] for s in html("script", src=True)}
        return found

    wanted = {"essayist-scholarship.css", "essayist-previews.js", "essayist-concepts.css"}
    assert wanted <= assets("posts/2026/inner.html")
    assert wanted <= assets("docs/goodhart.html")
    # A post without citations: its "Cite this essay" box (styles, copy button).
    assert {"essayist-scholarship.css", "essayist-previews.js"} <= assets("posts/2026/ok.html")
    assert not {"copybutton.js", "pygments.css"} & assets("posts/2026/ok.html")
    assert "essayist-scholarship.css" not in assets("posts/archive.html")


def test_a_feed_entry_carries_the_references_with_absolute_links(site):
    out, _ = site
    feed = ET.parse(out / "posts" / "atom.xml").getroot()
    entries = {e.find(f"{ATOM}title").text: e for e in feed.iter(f"{ATOM}entry")}
    entry = entries["On Proxies"]
    # The summary is plain text: no citation keys in it.
    assert entry.find(f"{ATOM}summary").text == "A measure that becomes a target stops being one."
    content = BeautifulSoup(entry.find(f"{ATOM}content").text, "html.parser")
    page = f"{BASE}posts/2026/proxies.html"
    links = [(a.get_text(), a["href"]) for a in content("a")]
    assert links == [
        ("1", f"{page}#ref-manheim2018"),
        ("2", f"{page}#ref-amodei2016"),
        ("1", f"{page}#ref-manheim2018"),
        ("3", f"{page}#ref-christiano2017"),
        ("1", f"{page}#id1"),
        ("2", f"{page}#id3"),
        ("arXiv:1803.04585", "https://arxiv.org/abs/1803.04585"),
        ("2", f"{page}#id2"),
        ("arXiv:1606.06565", "https://arxiv.org/abs/1606.06565"),
        ("3", f"{page}#id3"),
        ("arXiv:1706.03741", "https://arxiv.org/abs/1706.03741"),
    ]
    listed = [norm(p.get_text()) for p in content.select("div.citation > p")]
    assert listed == [MANHEIM, AMODEI, CHRISTIANO]
    assert content.select_one("section.essayist-references > h2").get_text() == "References"


def test_an_unknown_key_fails_the_build_with_its_file_and_line(tmp_path):
    post = "---\ndate: 2026-02-03\n---\n\n# Unknown\n\nA claim.\n\nAnother {cite}`nope2020`.\n"
    src = make_site(tmp_path, {"unknown.md": post})
    _, warnings = build(src)
    path = src / "posts" / "2026" / "unknown.md"
    assert warnings == (
        f'{path}:9: WARNING: could not find bibtex key "nope2020" [bibtex.key_not_found]\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", str(src), str(tmp_path / "w")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert f'{path}:9: WARNING: could not find bibtex key "nope2020"' in result.stderr


def test_names_and_slugs():
    assert reference_slugs(["Goodhart:1975", "goodhart-1975", "x_y"]) == {
        "Goodhart:1975": "goodhart-1975",
        "goodhart-1975": "goodhart-1975-2",
        "x_y": "x-y",
    }
    from pybtex.database import Person

    people = [Person("Manheim, David"), Person("van Merwijk, Chris")]
    assert names(people) == "David Manheim and Chris van Merwijk"
    assert surnames(people) == "Manheim and van Merwijk"
    assert surnames([*people, Person("Skalse, Joar")]) == "Manheim et al."


def test_excerpts_lose_their_citation_marks():
    from docutils import nodes
    from pybtex.database import Entry, Person
    from sphinx import addnodes

    def cite(key: str, reftype: str = "p") -> addnodes.pending_xref:
        xref = addnodes.pending_xref("", refdomain="cite", reftype=reftype, reftarget=key)
        xref += nodes.inline(key, key)
        return xref

    entry = Entry("misc", persons={"author": [Person("Goodhart, Charles")]})
    para = nodes.paragraph()
    para += [nodes.Text("As "), cite("g", "t"), nodes.Text(" saw "), cite("g")]
    para += [nodes.Text(", a target "), cite("g"), nodes.Text(".")]
    plain_citations(para, {"g": entry})
    assert para.astext() == "As Goodhart saw, a target."


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        ("C:\\", "C:\\"),  # a lone backslash: pybtex cannot decode it
        ("{Unclosed brace", "Unclosed brace"),
        ('<b>Bold</b> & \x1b{\\"u}ber', "<b>Bold</b> & \x1büber"),
        ("", ""),
    ],
)
def test_a_field_pybtex_cannot_read_is_shown_as_written(field, shown):
    from essayist.scholarship.references import latex_text

    assert latex_text(field) == shown


def test_a_work_with_a_field_pybtex_cannot_read_does_not_stop_the_build(tmp_path):
    src = make_site(tmp_path, {"proxies.md": PROXIES})
    with (src / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{windows2020,\n  title = {Files under C:\\},\n  year = {2020}\n}\n")
    app, warnings = build(src)
    assert warnings == ""
    preview = Path(app.outdir) / "_previews/references/windows2020.json"
    assert json.loads(preview.read_text(encoding="utf-8"))["title"] == "Files under C:\\"


def preview_pattern(outdir: Path) -> re.Pattern:
    """The expression the previews' script (as the site serves it) reads a
    work's slug from a citation's link with."""
    script = (outdir / "_static/essayist-previews.js").read_text(encoding="utf-8")
    found = re.search(r"var m = /(.+?)/\.exec\(link\.getAttribute\(\"href\"\)", script)
    return re.compile(found.group(1).replace("\\/", "/"))


COLLIDING = """\
---
date: 2026-04-03
tags: proxies
---

# Colliding Ids

A target {cite}`manheim2018`.

## Ref Manheim2018

A heading whose id is the one the work's entry would have had.
"""


def test_a_work_whose_id_is_taken_still_previews_itself(tmp_path):
    """The entry's id is ``ref-<slug>--2`` when the page has ``ref-<slug>``
    already, and the previews' script (the file a reader loads) still finds
    the work's own preview from the citation's link."""
    src = make_site(tmp_path, {"colliding.md": COLLIDING})
    app, warnings = build(src)
    assert warnings == ""
    page = soup(Path(app.outdir) / "posts/2026/colliding.html")
    assert page.find("section", id="ref-manheim2018") is not None  # the heading's
    assert [r[0] for r in references(page)] == ["ref-manheim2018--2"]
    assert citations(page) == [("1", "#ref-manheim2018--2")]
    pattern = preview_pattern(Path(app.outdir))
    slugs = {href: pattern.search(href).group(1) for href in ("#ref-manheim2018--2", "#ref-x-2")}
    assert slugs == {"#ref-manheim2018--2": "manheim2018", "#ref-x-2": "x-2"}
    assert (Path(app.outdir) / "_previews/references/manheim2018.json").is_file()


HOSTILE_KEYS = {
    "x<y>&z": "Angle <b>bold</b> & co",
    "ключ2020": "Ключ",
    "a:b/c.d": "Colons",
    'Q"uote': "Quote",
}


def test_hostile_bibtex_keys_give_safe_ids_and_their_own_previews(tmp_path):
    """Keys with markup, quotes, slashes or no Latin letter: the page holds no
    markup from them, and every citation's link leads the previews' script to
    a preview of its own work."""
    cites = " ".join(f"{{cite}}`{key}`" for key in HOSTILE_KEYS)
    post = f"---\ndate: 2026-04-03\ntags: proxies\n---\n\n# Hostile Keys\n\nCited: {cites}.\n"
    src = make_site(tmp_path, {"hostile.md": post})
    with (src / "references.bib").open("a", encoding="utf-8") as bib:
        for key, title in HOSTILE_KEYS.items():
            bib.write(f"\n@misc{{{key},\n  title = {{{title}}},\n  year = {{2020}}\n}}\n")
    app, warnings = build(src)
    assert warnings == ""
    out = Path(app.outdir)
    page = soup(out / "posts/2026/hostile.html")
    assert page.select("article .essayist-references b") == []
    listed = {norm(div.find("p").get_text()) for div in page.select("div.citation")}
    assert listed == {f"{title}. 2020." for title in HOSTILE_KEYS.values()}
    pattern = preview_pattern(out)
    titles = set()
    for _, href in citations(page):
        slug = pattern.search(href).group(1)
        preview = out / "_previews/references" / f"{slug}.json"
        titles.add(json.loads(preview.read_text(encoding="utf-8"))["title"])
    assert titles == set(HOSTILE_KEYS.values())


def test_a_textual_citation_in_the_excerpt_builds_and_lists_by_name(tmp_path):
    """``{cite:t}`` in a post's first paragraph: the excerpt other pages show
    names the authors (the copy drops the citation's ids), the build goes on."""
    post = "---\ndate: 2026-04-03\ntags: proxies\n---\n\n# Named\n\nAs {cite:t}`amodei2016` said.\n"
    src = make_site(tmp_path, {"named.md": post})
    app, warnings = build(src)
    assert warnings == ""
    out = Path(app.outdir)
    hrefs = [href for _, href in citations(soup(out / "posts/2026/named.html"))]
    assert hrefs == ["#ref-amodei2016"]
    listing = norm(soup(out / "posts.html").get_text())
    assert "As Amodei et al. said." in listing


def test_a_key_in_another_case_than_the_file_is_a_located_warning(tmp_path):
    post = (
        "---\ndate: 2026-04-03\ntags: proxies\n---\n\n# Cased\n\nText.\n\n"
        "More {cite}`Manheim2018` and {cite}`manheim2018`.\n"
    )
    src = make_site(tmp_path, {"cased.md": post})
    app, warnings = build(src)
    path = src / "posts/2026/cased.md"
    assert warnings.splitlines() == [
        f"{path}:10: WARNING: citation key 'Manheim2018' is spelled 'manheim2018' in the "
        "BibTeX file: write it the same way [essayist.citation]",
        f'{path}:10: WARNING: could not find bibtex key "Manheim2018" [bibtex.key_not_found]',
    ]
    page = soup(Path(app.outdir) / "posts/2026/cased.html")
    assert [r[0] for r in references(page)] == ["ref-manheim2018"]


def test_a_control_character_in_a_bibtex_entry_is_left_out_of_the_page(tmp_path):
    post = "---\ndate: 2026-04-03\ntags: proxies\n---\n\n# Bell\n\nCited {cite}`bell2020`.\n"
    src = make_site(tmp_path, {"bell.md": post})
    with (src / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{bell2020,\n  title = {Bell\x07 rings},\n  year = {2020}\n}\n")
    app, warnings = build(src)
    assert warnings.splitlines() == [
        f"{src}/posts/2026/bell.md: WARNING: the page would hold invisible control characters "
        "(U+0007) that are not in its own text: from a file it shows ({literalinclude}), a "
        "substitution or a BibTeX entry; they are left out: delete them there [essayist.character]"
    ]
    page = (Path(app.outdir) / "posts/2026/bell.html").read_text(encoding="utf-8")
    assert "\x07" not in page and "Bell rings. 2020." in norm(page)


BROKEN_BIB = """@misc{a, title={A}, year=2020}
@misc{b, author={X, Y}, title={Unbalanced {brace}, year=2020}
@misc{c, title={C}, year=2021}
"""
REPEATED_BIB = """@misc{a, title={A}, year=2020}
@Misc{c, title={C}, year=2021}
@misc{A, title={A again}}
@misc{d, title={D}}
"""


def test_which_bibtex_entry_cannot_be_read():
    from essayist.scholarship.bibcheck import bib_problems

    assert bib_problems(BROKEN_BIB) == [(2, "this entry's braces { } do not close: close them")]
    assert bib_problems(REPEATED_BIB) == [
        (3, "the key 'A' is used again (first at line 1): rename one, or remove the repeated entry")
    ]
    assert bib_problems("@string{x = {y}}\n@misc{k, title={a \\{ b}}\n") == []


@pytest.mark.parametrize(("bib", "line"), [(BROKEN_BIB, 2), (REPEATED_BIB, 3)])
def test_a_bibtex_file_that_cannot_be_read_stops_the_build_at_its_line(bib, line, tmp_path):
    """Not pybtex's traceback at the file's last line: the entry, and what to do."""
    from sphinx.errors import ConfigError

    src = copy_root("minimal", tmp_path)
    (src / "references.bib").write_text(bib, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        build(src, **{"bibtex_bibfiles": ["references.bib"]})
    assert str(error.value).startswith(
        f"essayist: {src / 'references.bib'}:{line}: BibTeX cannot read it: "
    )


def test_a_bibtex_link_that_is_no_web_address_is_not_a_link(tmp_path):
    """``url = {javascript:…}`` in a .bib: the reference list shows the text, the
    preview carries no address."""
    src = copy_root("minimal", tmp_path)
    (src / "references.bib").write_text(
        "@misc{evil2020, author={Mallory, M.}, title={A Trap}, year=2020,"
        " url={javascript:alert(1)}}\n",
        encoding="utf-8",
    )
    (src / "posts/2026/cites.md").write_text(
        "---\ndate: 2026-01-02\n---\n\n# Cites\n\nAs {cite:p}`evil2020` shows.\n", encoding="utf-8"
    )
    app, _ = build(src, **{"bibtex_bibfiles": ["references.bib"]})
    html = (Path(app.outdir) / "posts/2026/cites.html").read_text(encoding="utf-8")
    assert 'href="javascript' not in html  # its text may show, never as a link
    previews = "".join(p.read_text() for p in Path(app.outdir).rglob("_previews/**/*.json"))
    assert "javascript" not in previews
