"""Concepts are glossary terms for other sites: ``{external+essays:term}`Goodhart's Law```.

Every concept's name and each of its aliases is a ``std:term`` in ``objects.inv``,
at the concept's anchor on its page, as a Sphinx glossary records its terms; a
plain Sphinx site (intersphinx and MyST, no essayist) links to it by name.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from blogtools import build, copy_root
from bs4 import BeautifulSoup

GOODHART = "https://example.org/docs/concepts/goodharts-law.html#concept-goodharts-law"


def inventory(outdir: Path) -> list[tuple[str, str, str, str]]:
    """objects.inv's entries: (name, domain:type, uri, display name)."""
    data = (outdir / "objects.inv").read_bytes()
    body = zlib.decompress(data.split(b"\n", 4)[4]).decode("utf-8")
    entries = []
    for line in body.splitlines():
        m = re.match(r"(.+?)\s+(\S+:\S+)\s+(-?\d+)\s+(\S*)\s+(.*)", line)
        name, kind, _, uri, shown = m.groups()
        uri = uri[:-1] + name if uri.endswith("$") else uri
        entries.append((name, kind, uri, name if shown == "-" else shown))
    return entries


def terms(outdir: Path) -> list[tuple[str, str]]:
    return sorted((name, uri) for name, kind, uri, _ in inventory(outdir) if kind == "std:term")


def client_links(tmp_path: Path, objects_inv: Path, body: str) -> list[tuple[str, str]]:
    """Build a plain Sphinx site whose page is ``body``; its links (text, href)."""
    src = tmp_path / "client"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinx.ext.intersphinx", "myst_parser"]\n'
        f'intersphinx_mapping = {{"essays": ("https://example.org/", {str(objects_inv)!r})}}\n',
        encoding="utf-8",
    )
    (src / "index.md").write_text(f"# Client\n\n{body}\n", encoding="utf-8")
    app, warnings = build(src, tmp_path / "client-out")
    assert warnings == ""
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [(a.get_text(), a["href"]) for a in soup.select("a.reference.external")]


def test_every_name_and_alias_is_a_term_at_the_concepts_anchor(tmp_path):
    src = copy_root("concepts", tmp_path)
    app, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    assert terms(app.outdir) == [
        ("Goodhart", "docs/concepts/goodharts-law.html#concept-goodharts-law"),
        ("Goodhart's Law", "docs/concepts/goodharts-law.html#concept-goodharts-law"),
        ("Interpretability", "docs/concepts/interpretability.html#concept-interpretability"),
        (
            "Specification problem",
            "docs/concepts/specification-problem.html#concept-specification-problem",
        ),
        (
            "the specification problem",
            "docs/concepts/specification-problem.html#concept-specification-problem",
        ),
    ]
    # The concept domain's own entries stay, by slug, with the name shown.
    concepts = [
        (name, uri, shown)
        for name, kind, uri, shown in inventory(app.outdir)
        if kind == "concept:concept"
    ]
    assert concepts == [
        (
            "goodharts-law",
            "docs/concepts/goodharts-law.html#concept-goodharts-law",
            "Goodhart's Law",
        ),
        (
            "interpretability",
            "docs/concepts/interpretability.html#concept-interpretability",
            "Interpretability",
        ),
        (
            "specification-problem",
            "docs/concepts/specification-problem.html#concept-specification-problem",
            "Specification problem",
        ),
    ]
    # The anchor is on the concept's page.
    page = (app.outdir / "docs/concepts/goodharts-law.html").read_text(encoding="utf-8")
    assert 'id="concept-goodharts-law"' in page


def test_a_plain_sphinx_site_links_to_a_concept_by_name_or_alias(tmp_path):
    src = copy_root("concepts", tmp_path)
    app, _ = build(src, tmp_path / "out")
    links = client_links(
        tmp_path,
        app.outdir / "objects.inv",
        "By name: {external+essays:term}`Goodhart's Law`. By an alias: "
        "{external+essays:term}`Goodhart`. In other words: "
        "{external+essays:term}`the law <Goodhart's Law>`. Whatever the case: "
        "{external+essays:term}`goodhart's law`. Another concept: "
        "{external+essays:term}`the specification problem`.",
    )
    spec = "https://example.org/docs/concepts/specification-problem.html"
    assert links == [
        ("Goodhart’s Law", GOODHART),
        ("Goodhart", GOODHART),
        ("the law", GOODHART),
        ("goodhart’s law", GOODHART),
        ("the specification problem", f"{spec}#concept-specification-problem"),
    ]


def test_terms_follow_incremental_builds(tmp_path):
    src = copy_root("concepts", tmp_path)
    build(src, tmp_path / "out")
    page = src / "docs/concepts/goodharts-law.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            ":aliases: Goodhart", ":aliases: Goodhart, Goodhart effect"
        ),
        encoding="utf-8",
    )
    app, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    assert terms(app.outdir)[:3] == [
        ("Goodhart", "docs/concepts/goodharts-law.html#concept-goodharts-law"),
        ("Goodhart effect", "docs/concepts/goodharts-law.html#concept-goodharts-law"),
        ("Goodhart's Law", "docs/concepts/goodharts-law.html#concept-goodharts-law"),
    ]
    page.unlink()
    for post in ("first", "third"):
        path = src / f"posts/2026/{post}.md"
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{concept\}`[^`]*(Goodhart|goodharts-law)[^`]*`", "Goodhart", text)
        path.write_text(text, encoding="utf-8")
    app, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    assert [name for name, _ in terms(app.outdir)] == [
        "Interpretability",
        "Specification problem",
        "the specification problem",
    ]
