"""What readers get from concepts, made at write time from the ``concept`` Domain's model.

* a concept page: related concepts, the published essays that use it (newest
  first, with date and excerpt) and a link to its Atom feed;
* the concepts index: every concept, its summary and how many essays use it;
* an essay: "Concepts in this essay" and "Related essays", before its foot;
* previews: one small JSON file per concept and per essay under ``_previews/``,
  named after the page (``_previews/docs/concepts/goodharts-law.json``), written
  only when it changes; ``essayist-previews.js`` fetches it on hover or focus;
* an Atom feed per concept, next to its page (``docs/concepts/<slug>/atom.xml``).
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from .blogdata import FEED_FILE, get_blog, get_post
from .concepts_domain import (
    DOMAIN,
    concept_index,
    concept_page_extra,
    concept_reference,
    smart,
)
from .feeds import Feed, build_entry, feed_epoch, feed_xml, write_if_changed
from .outputs import digest, output_state
from .postpage import NO_SEARCH

logger = logging.getLogger(__name__)

PREVIEW_DIR = "_previews"
# The concept feeds written by the last build (in the doctree folder).
FEEDS_RECORD = "essayist-concept-feeds.json"


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


def concept_feed_path(docname: str) -> str:
    return f"{docname}/{FEED_FILE}"


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
    if app.config.blog_baseurl:
        para = nodes.paragraph(classes=["concept-feed"])
        para += nodes.Text("Follow new essays on this idea: ")
        href = relative_uri(app.builder.get_target_uri(docname), concept_feed_path(docname))
        ref = nodes.reference("", "", internal=False, refuri=href, classes=["concept-feed-link"])
        ref += nodes.Text("Atom feed")
        para += ref
        section += para
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
        if "concept-ref" in ref["classes"] or "essay-ref" in ref["classes"]:
            continue
        target = target_docname(app, docname, ref.get("refuri", ""))
        if target is None or target == docname:
            continue
        info = posts.get(target)
        if info is None and target.endswith("/index"):  # dirhtml: posts/2026/slug/
            info = posts.get(target.removesuffix("/index"))
        if info and info["published"]:
            ref["classes"].append("essay-ref")


_WALKED = (concept_page_extra, concept_index, nodes.reference)


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain = app.env.domains[DOMAIN]
    model = domain.data["model"]
    concepts = domain.concepts
    # One walk of the document finds what this handler changes.
    extras, indexes, refs = [], [], []
    for node in doctree.findall(lambda n: isinstance(n, _WALKED)):
        if isinstance(node, concept_page_extra):
            extras.append(node)
        elif isinstance(node, concept_index):
            indexes.append(node)
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
    # Fragments (excerpts in listings, feed content) have no source: only the
    # essay's own page gets its concepts and related essays.
    if model is None or not doctree.get("source"):
        return
    if docname in model["posts"]:
        extra = post_sections(app, docname, model, concepts)
        section = next(iter(doctree.findall(nodes.section)), None)
        if extra and section is not None:
            section.extend(extra)
    for related_target in model["unknown_related"].get(domain.concept_in(docname) or "", []):
        c = concepts[domain.concept_in(docname)]
        logger.warning(
            "unknown related concept '%s' in the definition of '%s'; use a concept's "
            "name, alias or slug",
            related_target,
            c["name"],
            location=(docname, c["lineno"]),
            type="concept",
            subtype="unknown",
        )
    if app.builder.format == "html":
        # The references found before the concept sections were added: the
        # sections' own links already carry their classes.
        mark_essay_links(app, docname, doctree, model["posts"], refs)


# -- Previews ----------------------------------------------------------------


def preview_path(app: Sphinx, docname: str) -> str:
    """Where a page's preview lives: ``_previews/<page without .html>.json``."""
    uri = app.builder.get_target_uri(docname).split("#", 1)[0]
    suffix = getattr(app.builder, "link_suffix", ".html")
    if uri == "" or uri.endswith("/"):
        uri += "index"
    elif suffix and uri.endswith(suffix):
        uri = uri[: -len(suffix)]
    return f"{PREVIEW_DIR}/{unquote(uri)}.json"


def preview_files(app: Sphinx, model: dict, concepts: dict) -> dict[str, dict]:
    """Preview path -> its data, for every concept and published essay."""
    language = app.config.language
    files = {}
    for slug in sorted(concepts):
        c = concepts[slug]
        files[preview_path(app, c["docname"])] = {
            "kind": "concept",
            "title": smart(c["name"], language),
            "summary": smart(c["summary"], language),
            "text": c["definition"],
        }
    for docname in sorted(model["posts"]):
        info = model["posts"][docname]
        if info["published"]:
            files[preview_path(app, docname)] = {
                "kind": "essay",
                "title": info["title"],
                "date": info["month"],
                "text": info["excerpt"],
            }
    return files


def preview_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8") + b"\n"


def write_previews(app: Sphinx, model: dict, concepts: dict) -> list[str]:
    """Write each preview whose bytes changed; delete previews of removed pages."""
    outdir = Path(app.builder.outdir)
    files = preview_files(app, model, concepts)
    changed = [
        rel for rel, data in files.items() if write_if_changed(outdir / rel, preview_bytes(data))
    ]
    root = outdir / PREVIEW_DIR
    if root.is_dir():
        for path in sorted(root.rglob("*.json")):
            if path.relative_to(outdir).as_posix() not in files:
                path.unlink()
    return changed


# -- Feeds -------------------------------------------------------------------


def write_concept_feeds(app: Sphinx, model: dict, concepts: dict) -> list[str]:
    """One Atom feed per concept: the published essays that use it, newest first."""
    blog = get_blog(app)
    config = app.config
    base_url = config.blog_baseurl.rstrip("/") + "/"
    authority = config.essayist_feed_id_authority
    length = config.blog_feed_length or None
    authors = tuple(a.name for a in blog.author if len(a)) or (blog.blog_title,)
    outdir = Path(app.builder.outdir)
    cache: dict = {}
    changed = []
    state = output_state(app)
    if state.all_current():
        return changed
    for slug in sorted(concepts):
        c = concepts[slug]
        rel = concept_feed_path(c["docname"])
        posts = [get_post(app, d) for d in model["backlinks"][slug][:length]]
        posts = [p for p in posts if p is not None]
        head = (slug, c["name"], c["summary"], c["docname"], base_url, authority, authors)
        head += (config.language, config.essayist_timezone, feed_epoch())
        signature = digest((head, state.posts(posts, full=True)))
        if state.is_current(f"feed:{rel}", signature, outdir / rel):
            continue
        feed = Feed(
            id=f"tag:{authority}:feeds/concepts/{slug}",
            title=f"{blog.blog_title} – {smart(c['name'], config.language)}",
            subtitle=smart(c["summary"], config.language),
            url=urljoin(base_url, app.builder.get_target_uri(c["docname"])),
            self_url=urljoin(base_url, rel),
            authors=authors,
            language=config.language or "en",
            entries=tuple(build_entry(app, p, base_url, cache) for p in posts),
            epoch=feed_epoch(),
        )
        if write_if_changed(outdir / rel, feed_xml(feed)):
            changed.append(rel)
    _remove_stale_feeds(app, [concept_feed_path(c["docname"]) for c in concepts.values()])
    return changed


def _remove_stale_feeds(app: Sphinx, current: list[str]) -> None:
    """Delete the feeds of concepts removed since the last build."""
    record = Path(app.doctreedir) / FEEDS_RECORD
    try:
        previous = set(json.loads(record.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        previous = set()
    outdir = Path(app.builder.outdir)
    for rel in sorted(previous - set(current)):
        (outdir / rel).unlink(missing_ok=True)
    write_if_changed(record, json.dumps(sorted(current)).encode("utf-8"))


def _collect_pages(app: Sphinx):
    if app.builder.format == "html":
        domain = app.env.domains[DOMAIN]
        model = domain.data["model"]
        if model is not None and not output_state(app).all_current():
            write_previews(app, model, domain.concepts)
            if app.config.blog_baseurl:
                write_concept_feeds(app, model, domain.concepts)
    yield from ()


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or not app.config.blog_baseurl:
        return
    domain = app.env.domains[DOMAIN]
    slug = domain.concept_in(pagename)
    if slug is None:
        return
    name = smart(domain.concepts[slug]["name"], app.config.language)
    href = relative_uri(app.builder.get_target_uri(pagename), concept_feed_path(pagename))
    feeds = list(context.get("essayist_feeds") or [])
    feeds.append({"title": f"Essays on {name} (Atom)", "href": href})
    context["essayist_feeds"] = feeds


def setup_concept_render(app: Sphinx) -> None:
    # After ABlog's post lists (500) and the post page's furniture (500).
    app.connect("doctree-resolved", _doctree_resolved, priority=600)
    app.connect("html-collect-pages", _collect_pages)
    app.connect("html-page-context", _page_context, priority=600)
    app.add_js_file("essayist-previews.js", loading_method="defer")
    app.add_css_file("essayist-concepts.css")
