"""What readers get from concepts, made at write time from the ``concept`` Domain's model.

* a concept page: related concepts, the published essays that use it (newest
  first, with date and excerpt) and a link to its Atom feed;
* the concepts index: every concept, its summary and how many essays use it;
* an essay: "Concepts in this essay" and "Related essays", before its foot;
* an essay's links to other published essays get the ``essay-ref`` class, so
  they get a preview (``previews``).
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..config import NO_SEARCH, Order, Warn, find_nodes, site_url, warn
from .domain import DOMAIN, concept_index, concept_page_extra, concept_reference, smart
from .feeds import concept_feed_path
from .mapsetup import concept_map
from .mapview import concept_map_nodes, local_map_nodes

logger = logging.getLogger(__name__)


# -- Small node builders -----------------------------------------------------


def _section(ids: str, title: str, classes: list[str]) -> nodes.section:
    section = nodes.section(ids=[ids], classes=classes)
    section += nodes.title(text=title)
    return section


def _doc_link(app: Sphinx, fromdoc: str, todoc: str, text: str, classes: list[str]):
    ref = nodes.reference("", "", internal=True, classes=classes)
    ref["refuri"] = app.builder.get_relative_uri(fromdoc, todoc)
    ref += nodes.Text(text)
    return ref


def _concept_link(app: Sphinx, fromdoc: str, concept: dict) -> nodes.reference:
    language = app.config.language
    return concept_reference(
        app.builder, fromdoc, concept, nodes.Text(smart(concept["name"], language))
    )


def _concept_item(app: Sphinx, fromdoc: str, concept: dict, extra: str = "") -> nodes.list_item:
    item = nodes.list_item()
    para = nodes.paragraph()
    para += _concept_link(app, fromdoc, concept)
    if concept["summary"]:
        para += nodes.Text(" — ")
        summary = nodes.inline(classes=["concept-summary"])
        summary += nodes.Text(smart(concept["summary"], app.config.language))
        para += summary
    if extra:
        para += nodes.Text(" ")
        count = nodes.inline(classes=["concept-count"])
        count += nodes.Text(extra)
        para += count
    item += para
    return item


def _essay_item(app: Sphinx, fromdoc: str, docname: str, info: dict, excerpt: bool):
    item = nodes.list_item(classes=["essay-item"])
    para = nodes.paragraph(classes=["essay-item-title"])
    para += _doc_link(app, fromdoc, docname, info["title"], ["essay-ref"])
    if info["month"]:
        para += nodes.Text(" · ")
        date = nodes.inline(classes=["essay-item-date"])
        date += nodes.Text(info["month"])
        para += date
    item += para
    if excerpt and info["excerpt"]:
        text = nodes.paragraph(classes=["essay-item-excerpt"])
        text += nodes.Text(info["excerpt"])
        item += text
    return item


def essays_count(n: int) -> str:
    return "(1 essay)" if n == 1 else f"({n} essays)"


# -- Pages -------------------------------------------------------------------


def concept_page_nodes(app: Sphinx, docname: str, slug: str, model: dict, concepts: dict):
    out: list[nodes.Node] = []
    related = model["related"][slug]
    if related:
        section = _section("concept-related", "Related concepts", ["concept-related"])
        items = nodes.bullet_list(classes=["concept-list"])
        for other in related:
            items += _concept_item(app, docname, concepts[other])
        section += items
        out.append(section)
    section = _section("concept-essays", "Essays that use this idea", ["concept-essays"])
    backlinks = model["backlinks"][slug]
    if backlinks:
        items = nodes.bullet_list(classes=["concept-backlinks", "essay-list"])
        for post in backlinks:
            items += _essay_item(app, docname, post, model["posts"][post], excerpt=True)
        section += items
    else:
        para = nodes.paragraph(classes=["concept-no-essays"])
        para += nodes.Text("No published essay uses this idea yet.")
        section += para
    if site_url(app.config):
        para = nodes.paragraph(classes=["concept-feed"])
        para += nodes.Text("Follow new essays on this idea: ")
        href = relative_uri(app.builder.get_target_uri(docname), concept_feed_path(docname))
        ref = nodes.reference("", "", internal=False, refuri=href, classes=["concept-feed-link"])
        ref += nodes.Text("Atom feed")
        para += ref
        section += para
    out.append(section)
    local = local_map_nodes(app, docname, slug, model, concepts)
    if local:
        section = _section("concept-map-local", "This idea on the map", ["concept-map-section"])
        section.extend(local)
        out.append(section)
    return out


def concept_index_nodes(app: Sphinx, docname: str, model: dict, concepts: dict):
    if not model["order"]:
        para = nodes.paragraph()
        para += nodes.Text("No concepts yet.")
        return [para]
    items = nodes.bullet_list(classes=["concepts-index", "concept-list"])
    for slug in model["order"]:
        count = essays_count(len(model["backlinks"][slug]))
        items += _concept_item(app, docname, concepts[slug], count)
    return [items]


def post_sections(app: Sphinx, docname: str, model: dict, concepts: dict) -> list[nodes.section]:
    out = []
    slugs = model["post_concepts"].get(docname, [])
    if slugs:
        section = _section(
            "essayist-concepts", "Concepts in this essay", ["post-concepts", NO_SEARCH]
        )
        items = nodes.bullet_list(classes=["concept-list"])
        for slug in slugs:
            items += _concept_item(app, docname, concepts[slug])
        section += items
        out.append(section)
    related = model["related_posts"].get(docname, [])
    if related:
        section = _section("essayist-related", "Related essays", ["post-related", NO_SEARCH])
        items = nodes.bullet_list(classes=["essay-list"])
        for other in related:
            items += _essay_item(app, docname, other, model["posts"][other], excerpt=False)
        section += items
        out.append(section)
    return out


def target_docname(app: Sphinx, fromdoc: str, uri: str) -> str | None:
    """The document an internal ``href`` written in ``fromdoc`` points to (or None)."""
    if not uri or uri.startswith(("#", "/", "mailto:")) or "://" in uri:
        return None
    path = unquote(uri.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    base = posixpath.dirname(app.builder.get_target_uri(fromdoc))
    full = posixpath.normpath(posixpath.join(base, path))
    suffix = getattr(app.builder, "link_suffix", ".html")
    if path.endswith("/"):
        return f"{full}/index" if full != "." else "index"
    if suffix and full.endswith(suffix):
        return full[: -len(suffix)]
    return None


def mark_essay_links(
    app: Sphinx, docname: str, doctree: nodes.Node, posts: dict, refs: list | None = None
) -> None:
    """Give links to published essays the ``essay-ref`` class: they get a preview.
    ``refs``: the document's references, when already collected."""
    for ref in doctree.findall(nodes.reference) if refs is None else refs:
        classes = ref["classes"]
        if "concept-ref" in classes or "essay-ref" in classes or not ref.get("refuri"):
            continue
        target = target_docname(app, docname, ref["refuri"])
        if target is None or target == docname:
            continue
        info = posts.get(target)
        if info is None and target.endswith("/index"):  # dirhtml: posts/2026/slug/
            info = posts.get(target.removesuffix("/index"))
        if info and info["published"]:
            ref["classes"].append("essay-ref")


_WALKED = (concept_page_extra, concept_index, concept_map, nodes.reference)


def _footnotes_after(doctree: nodes.document, section: nodes.section) -> list[nodes.Node]:
    """The footnotes (and MyST's transition before them) that follow ``section``
    in ``doctree``, taken out of it."""
    moved = []
    for child in list(doctree.children[doctree.index(section) + 1 :]):
        footnotes = isinstance(child, nodes.transition) and "footnotes" in child["classes"]
        if footnotes or isinstance(child, nodes.footnote):
            doctree.remove(child)
            moved.append(child)
    return moved


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = app.env.domains[DOMAIN]
    model = domain.data["model"]
    concepts = domain.concepts
    # One walk of the document finds what this handler changes.
    extras, indexes, maps, refs = [], [], [], []
    for node in find_nodes(doctree, _WALKED):
        if isinstance(node, concept_page_extra):
            extras.append(node)
        elif isinstance(node, concept_index):
            indexes.append(node)
        elif isinstance(node, concept_map):
            maps.append(node)
        else:
            refs.append(node)
    for node in extras:
        if model is None or node["concept"] not in concepts:
            node.replace_self([])
        else:
            node.replace_self(concept_page_nodes(app, docname, node["concept"], model, concepts))
    for node in indexes:
        node.replace_self(
            [] if model is None else concept_index_nodes(app, docname, model, concepts)
        )
    for i, node in enumerate(maps):
        ident = "concept-map" if i == 0 else f"concept-map-{i + 1}"
        node.replace_self(
            [] if model is None else concept_map_nodes(app, docname, model, concepts, ident)
        )
    # Fragments (excerpts in listings, feed content) have no source: only the
    # essay's own page gets its concepts and related essays.
    if model is None or not doctree.get("source"):
        return
    if docname in model["posts"]:
        extra = post_sections(app, docname, model, concepts)
        section = next(iter(doctree.findall(nodes.section)), None)
        if extra and section is not None:
            # The essay's footnotes (MyST puts them after its sections) stay
            # right after its text, before what it shares with other essays.
            section.extend(_footnotes_after(doctree, section))
            section.extend(extra)
    # Looking up the page's concept costs a pass over every concept: only when
    # some definition names an unknown related concept (a warning).
    unknown = model["unknown_related"]
    slug = domain.concept_in(docname) if unknown else None
    for related_target in unknown.get(slug or "", []):
        c = concepts[slug]
        warn(
            logger,
            Warn.CONCEPT_UNKNOWN,
            "unknown related concept '%s' in the definition of '%s'; use a concept's "
            "name, alias or slug",
            related_target,
            c["name"],
            location=(docname, c["lineno"]),
        )
    if app.builder.format == "html":
        # The references found before the concept sections were added: the
        # sections' own links already carry their classes.
        mark_essay_links(app, docname, doctree, model["posts"], refs)


def setup_render(app: Sphinx) -> None:
    app.connect("doctree-resolved", _doctree_resolved, priority=Order.CONCEPT_SECTIONS)
    app.add_css_file("essayist-concepts.css")
