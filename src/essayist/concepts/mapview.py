"""What a reader gets of the concept map, made at write time from the model.

* ``concept_map_nodes``: the map of every concept and every published essay
  that uses one (an inline SVG, laid out by ``map``), and the same graph as
  nested lists: each concept, its related concepts and its essays;
* ``local_map_nodes``: a concept page's small map of that concept, its related
  concepts and its essays (the page lists them beside it).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..config import NO_SEARCH
from .domain import ANCHOR, concept_reference, smart
from .map import Concept, Essay, local_map, map_svg, site_map
from .mapsetup import map_pages


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def newest_first(docnames, posts: dict) -> list[str]:
    ordered = sorted(docnames, key=lambda d: (posts[d]["title"], d))
    return sorted(ordered, key=lambda d: posts[d]["date"], reverse=True)


def _concept(app: Sphinx, fromdoc: str, slug: str, model: dict, concepts: dict) -> Concept:
    c = concepts[slug]
    if c["docname"] == fromdoc:  # on its own page: its definition
        href = "#" + ANCHOR.format(slug=slug)
    else:
        href = app.builder.get_relative_uri(fromdoc, c["docname"])
    return Concept(slug, smart(c["name"], app.config.language), href, tuple(model["related"][slug]))


def _essay(app: Sphinx, fromdoc: str, docname: str, model: dict, used: tuple = ()) -> Essay:
    href = app.builder.get_relative_uri(fromdoc, docname)
    return Essay(docname, model["posts"][docname]["title"], href, used)


def _figure(svg: str, legend: str, *extra: nodes.Node) -> nodes.container:
    figure = nodes.container(classes=["concept-map", NO_SEARCH])
    figure += nodes.raw("", svg, format="html")
    para = nodes.paragraph(classes=["concept-map-legend"])
    para += nodes.Text(legend)
    figure += para
    figure.extend(extra)
    return figure


def concept_map_nodes(app: Sphinx, docname: str, model: dict, concepts: dict, ident: str):
    """The map of every concept, then the same as lists."""
    order = model["order"]
    if not order:
        para = nodes.paragraph()
        para += nodes.Text("No concepts yet.")
        return [para]
    backlinks = model["backlinks"]
    uses: dict[str, list[str]] = {}
    for slug in order:
        for post in backlinks[slug]:
            uses.setdefault(post, []).append(slug)
    posts = newest_first(uses, model["posts"])
    layout = site_map(
        [_concept(app, docname, s, model, concepts) for s in order],
        [_essay(app, docname, d, model, tuple(uses[d])) for d in posts],
    )
    title = (
        f"Map of the concepts: {plural(len(order), 'concept')} and {plural(len(posts), 'essay')}"
    )
    desc = (
        "Each concept links to its page, each essay (a small ring) to the essay. Thick lines "
        "join related concepts, thin lines join each essay to the concepts it uses. The "
        "same map follows as a list."
    )
    legend = (
        "Named dots are concepts, small rings are essays (hover over or focus one to see "
        "its title). Thick lines join related concepts; thin lines join an essay to the "
        "concepts it uses."
    )
    intro = nodes.paragraph(classes=["concept-map-intro"])
    intro += nodes.Text("The same map as a list: each concept, its related concepts and ")
    intro += nodes.Text("the essays that use it.")
    return [
        _figure(map_svg(layout, ident, title, desc), legend),
        intro,
        _lists(app, docname, model, concepts),
    ]


def _lists(app: Sphinx, docname: str, model: dict, concepts: dict) -> nodes.bullet_list:
    language = app.config.language
    top = nodes.bullet_list(classes=["concept-map-list"])
    for slug in model["order"]:
        item = nodes.list_item()
        para = nodes.paragraph()
        name = nodes.Text(smart(concepts[slug]["name"], language))
        para += concept_reference(app.builder, docname, concepts[slug], name)
        item += para
        facts = nodes.bullet_list()
        related = model["related"][slug]
        if related:
            facts += _group(
                "Related concepts",
                "concept-map-related",
                [
                    concept_reference(
                        app.builder,
                        docname,
                        concepts[r],
                        nodes.Text(smart(concepts[r]["name"], language)),
                    )
                    for r in related
                ],
            )
        essays = []
        for post in model["backlinks"][slug]:
            ref = nodes.reference("", "", internal=True, classes=["essay-ref"])
            ref["refuri"] = app.builder.get_relative_uri(docname, post)
            ref += nodes.Text(model["posts"][post]["title"])
            essays.append(ref)
        if essays:
            facts += _group("Essays that use it", "concept-map-essays", essays)
        else:
            none = nodes.list_item()
            none += nodes.paragraph("", "No published essay uses it yet.")
            facts += none
        item += facts
        top += item
    return top


def _group(label: str, classes: str, refs: list[nodes.reference]) -> nodes.list_item:
    item = nodes.list_item()
    item += nodes.paragraph("", label)
    items = nodes.bullet_list(classes=[classes])
    for ref in refs:
        entry = nodes.list_item()
        para = nodes.paragraph()
        para += ref
        entry += para
        items += entry
    item += items
    return item


def local_map_nodes(app: Sphinx, docname: str, slug: str, model: dict, concepts: dict):
    """A small map of the concept ``slug``; nothing when it has no neighbours."""
    related = model["related"][slug]
    backlinks = model["backlinks"][slug]
    if not related and not backlinks:
        return []
    center = _concept(app, docname, slug, model, concepts)
    layout = local_map(
        center,
        [_concept(app, docname, r, model, concepts) for r in related],
        [_essay(app, docname, d, model) for d in backlinks],
    )
    name = center.name
    title = (
        f"Map of {name}: {plural(len(related), 'related concept')} "
        f"and {plural(len(backlinks), 'essay')}"
    )
    desc = (
        f"{name} in the middle; above it the concepts related to it, below it the essays "
        "that use it (small rings). Each links to its page."
    )
    legend = (
        "Related concepts above, the essays that use this idea below (small rings: hover "
        "over or focus one to see its title)."
    )
    extra: list[nodes.Node] = []
    pages = map_pages(app.env)
    if pages:
        para = nodes.paragraph(classes=["concept-map-more"])
        ref = nodes.reference("", "", internal=True)
        ref["refuri"] = app.builder.get_relative_uri(docname, pages[0])
        ref += nodes.Text("See every concept on the map")
        para += ref
        extra.append(para)
    figure = _figure(map_svg(layout, "concept-map-local", title, desc), legend)
    figure["classes"].append("concept-map-small")
    return [figure, *extra]
