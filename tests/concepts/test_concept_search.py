"""Concepts in the built site's search index and inventory (issue 15).

Sphinx's search index escapes an object's display name and, when the anchor is
``<type>-<name>``, lets searchtools.js rebuild the anchor from the escaped
display name: a concept showed as ``Goodhart&#x27;s Law`` and linked to
``#concept-Goodhart&#x27;s Law``. Concepts stay in ``objects.inv`` by slug, for
other sites; search finds a concept page by its title.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import PROJECT, norm, soup
from sphinx.util.inventory import InventoryFile

ENTITIES = ("&#x27;", "&amp;", "&quot;", "&lt;", "&gt;")


def search_index(site: Path) -> dict:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def object_results(index: dict, domain: str = "concept") -> list[tuple[str, str, str]]:
    """(docname, shown name, link anchor) of each of ``domain``'s objects, as
    searchtools.js's ``performObjectSearch`` makes them."""
    results = []
    for prefix, matches in index["objects"].items():
        for doc, typeindex, _prio, anchor, name in matches:
            objdomain, objtype, _label = index["objnames"][str(typeindex)]
            if objdomain != domain:
                continue
            fullname = f"{prefix}.{name}" if prefix else name
            if anchor == "":
                anchor = fullname
            elif anchor == "-":
                anchor = f"{objtype}-{fullname}"
            results.append((index["docnames"][doc], fullname, anchor))
    return results


def ids_on(site: Path, docname: str) -> set[str]:
    return {el["id"] for el in soup(site / f"{docname}.html").select("[id]")}


def concept_docs() -> dict[str, str]:
    """Slug -> docname of every concept page: a source that defines a concept."""
    sources = sorted((PROJECT / "docs" / "concepts").glob("*.md"))
    defines = re.compile(r"^(```+|:::+)\{concept\}", re.M)
    return {
        p.stem: f"docs/concepts/{p.stem}"
        for p in sources
        if defines.search(p.read_text(encoding="utf-8"))
    }


def page_title(site: Path, docname: str) -> str:
    return norm(soup(site / f"{docname}.html").select_one("article h1").get_text()).rstrip("¶")


def test_the_checker_sees_the_old_entry_as_broken():
    # The entry Sphinx wrote for Goodhart's Law with priority 1.
    index = {
        "docnames": ["docs/concepts/goodharts-law"],
        "objnames": {"0": ["concept", "concept", "Concepts concept"]},
        "objects": {"": [[0, 0, 1, "-", "Goodhart&#x27;s Law"]]},
    }
    assert object_results(index) == [
        ("docs/concepts/goodharts-law", "Goodhart&#x27;s Law", "concept-Goodhart&#x27;s Law")
    ]


def test_search_shows_concepts_by_plain_name_and_links_to_real_ids(site):
    index = search_index(site)
    for docname, name, anchor in object_results(index):
        assert not any(e in name for e in ENTITIES), name
        assert anchor in ids_on(site, docname), (docname, anchor)


def test_search_finds_each_concept_page_by_its_plain_title(site):
    index = search_index(site)
    docs = concept_docs()
    assert "goodharts-law" in docs
    for docname in docs.values():
        title = index["titles"][index["docnames"].index(docname)]
        assert not any(e in title for e in ENTITIES), title
        assert norm(title) == page_title(site, docname)
    goodhart = index["docnames"].index(docs["goodharts-law"])
    found = index["titleterms"]["goodhart"]
    assert goodhart in ([found] if isinstance(found, int) else found)
    assert not any(e in t for t in index["alltitles"] for e in ENTITIES)


def test_objects_inv_names_concepts_by_slug(site):
    inventory = InventoryFile.loads((site / "objects.inv").read_bytes(), uri="")
    concepts = inventory.data["concept:concept"]
    docs = concept_docs()
    assert sorted(concepts) == sorted(docs)
    for slug, item in concepts.items():
        page, _, anchor = item.uri.partition("#")
        assert page == f"{docs[slug]}.html"
        assert anchor == f"concept-{slug}"
        assert anchor in ids_on(site, docs[slug])
        assert norm(item.display_name) == page_title(site, docs[slug])
    assert concepts["goodharts-law"].display_name == "Goodhart's Law"
