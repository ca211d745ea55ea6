"""The concept map's wiring, and concepts as glossary terms for other sites.

* ``{concept-map}`` leaves a ``concept_map`` placeholder, filled at write time
  (``render``, with ``mapview``); the pages that hold one are per-document data.
* What a map shows of other documents is a page view (``concepts:map``): a map
  page, and a concept page's own small map, are rewritten when it changes.
* ``essayist-map.css`` is loaded by the pages that show a map, no others.
* ``note_terms``: each concept's name and aliases as ``std:term`` objects, as a
  glossary records its terms, so that ``objects.inv`` lets any Sphinx site write
  ``{external+essays:term}`Goodhart's Law```.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..incremental.pages import EVENT as PAGE_VIEWS
from ..incremental.state import doc_data

FEATURE = "concepts:maps"
VIEW = "concepts:map"
STYLESHEET = "essayist-map.css"
SVG_CLASS = "concept-map-svg"


class concept_map(nodes.General, nodes.Element):
    """Where the map of every concept goes."""


class ConceptMapDirective(SphinxDirective):
    """The map of every concept and the essays that use them, and the same as lists."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = concept_map()
        self.set_source_info(node)
        doc_data(self.env, FEATURE)[self.env.docname] = True
        return [node]


def map_pages(env: BuildEnvironment) -> list[str]:
    """The documents with a ``{concept-map}``."""
    return sorted(doc_data(env, FEATURE))


def map_signatures(concepts: dict[str, dict], model: dict, pages: Iterable[str]) -> dict:
    """docname -> what its maps show: the whole map on ``pages``; on a concept's
    page, its own (and whether, and where, the whole map is)."""
    posts = model["posts"]
    pages = sorted(pages)

    def concept(s: str) -> tuple:
        return s, concepts[s]["name"], concepts[s]["docname"]

    def essays(s: str) -> list[tuple]:
        return [(d, posts[d]["title"], posts[d]["date"]) for d in model["backlinks"][s]]

    sigs: dict[str, Any] = {}
    whole = [(concept(s), model["related"][s], essays(s)) for s in model["order"]]
    for docname in pages:
        sigs.setdefault(docname, {})["map"] = whole
    for slug, c in concepts.items():
        sigs.setdefault(c["docname"], {})["local"] = (
            concept(slug),
            [concept(r) for r in model["related"][slug]],
            essays(slug),
            pages[:1],
        )
    return sigs


def _views(app: Sphinx, env: BuildEnvironment, domain: str) -> dict[str, dict | None]:
    # After the concept domain's own view, which builds this build's model.
    concepts = env.domains[domain]
    model = concepts.data["model"]
    if model is None:
        return {VIEW: None}
    return {VIEW: map_signatures(concepts.concepts, model, map_pages(env))}


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if app.builder.format == "html" and isinstance(body, str) and f'"{SVG_CLASS}"' in body:
        app.builder.add_css_file(STYLESHEET)  # this page only: Sphinx resets the list


def note_terms(env: BuildEnvironment, names: Iterable[str], anchor: str, location: Any) -> None:
    """Each of ``names`` a ``std:term`` at ``anchor`` in the current document, as
    a glossary notes its terms (``objects.inv`` keeps the name as written; other
    sites find it whatever its case). A name another document already holds
    stays there: the concept domain reports clashes between concepts itself."""
    std = env.domains["std"]
    note = getattr(std, "_note_term", None) or partial(std.note_object, "term")
    held = {name.lower() for (kind, name) in std.objects if kind == "term"}
    for name in names:
        if name and name.lower() not in held:
            note(name, anchor, location=location)
            held.add(name.lower())


def setup_concept_map(app: Sphinx, domain: str) -> None:
    """``domain``: the name of the concept Domain, whose model the maps show."""
    app.add_node(concept_map)
    app.add_directive("concept-map", ConceptMapDirective)
    app.connect(PAGE_VIEWS, partial(_views, domain=domain), priority=600)
    app.connect("html-page-context", _page_context)
