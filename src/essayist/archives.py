"""ABlog's archive pages, in Furo's layout, and never stale.

ABlog yields its archive pages (all posts, years, tags, categories, authors) in
``html-collect-pages``; our ``_templates/ablog/*.html`` render them inside Furo.
Here we

* leave out the "Drafts" page in published builds (drafts are not built at all);
* give templates an excerpt renderer that produces valid HTML (ABlog's nests a
  ``<p>`` inside a ``<p>``) and reuses the builder's docutils settings;
* give every page the site's feed links and the blog's navigation;
* render each post's entry in the listings once per folder of listing pages
  (a post is listed on six pages or more: all posts, its year, each tag, its
  category, its author, the archive), in Python rather than in the template's
  sandbox, which at 1,000 essays took seconds.
"""

from __future__ import annotations

import posixpath
import re
import weakref
from collections.abc import Iterator
from pathlib import Path

import ablog.post
from ablog.blog import html_builder_write_doc, revise_pending_xrefs
from docutils import nodes
from docutils.utils import new_document
from markupsafe import Markup, escape
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import docname_join, logging
from sphinx.util.osutil import relative_uri

from .blogdata import FEED_FILE, get_blog, month_year
from .outputs import output_state, page_signature


def absolutize_doc_targets(tree: nodes.Node, docname: str) -> None:
    """Make relative ``{doc}`` targets absolute against the post they are in.

    ABlog shows a post's excerpt and text on other pages, resolving its
    references from there (``revise_pending_xrefs``), which breaks every
    relative ``{doc}`` link. Absolute targets resolve the same from anywhere.
    """
    for node in tree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "std" and node.get("reftype") == "doc":
            target = node["reftarget"]
            if not target.startswith("/"):
                node["reftarget"] = "/" + docname_join(node.get("refdoc", docname), target)


def _no_copy() -> nodes.section:
    return nodes.section()


def _skip_whole_copy(app: Sphinx, doctree: nodes.document) -> None:
    """ABlog's ``process_posts`` deep-copies the whole document of a one-post
    page into the post's record (``info["doctree"]``), which nothing here uses
    and ``_absolutize_post_fragments`` drops (a tenth of a read). For the span
    of that handler, copying the document itself gives an empty section."""
    doctree.deepcopy = _no_copy


def _absolutize_post_fragments(app: Sphinx, doctree: nodes.document) -> None:
    doctree.__dict__.pop("deepcopy", None)  # set by _skip_whole_copy
    for info in getattr(app.env, "ablog_posts", {}).get(app.env.docname, []):
        for fragment in info["excerpt"]:
            absolutize_doc_targets(fragment, app.env.docname)
            # A copied node still points at the whole source document, which
            # would be pickled with the environment once per excerpt.
            for node in fragment.findall():
                node._document = None
        # ABlog keeps a full copy of every post's doctree in the environment, which
        # is pickled and loaded on every build (a second copy of the whole blog).
        # Feeds read the post's own stored doctree instead (feeds._post_content).
        info["doctree"] = None


# Between fragments rendered together.
_SPLIT = "<!--essayist:fragment-->"


def render_fragments(
    app: Sphinx, pagename: str, fragments: list[tuple[list[nodes.Node], list[str]]]
) -> list[str]:
    """Render each (children, classes) as an HTML fragment (a container with
    ``classes``) for ``pagename``. The fragments are resolved and translated as
    one document: Sphinx's post-transforms and translator are set up once,
    not once per fragment, and each comes out as if rendered alone."""
    if len(fragments) > 1 and any(_sets_highlighting(f[0]) for f in fragments):
        # A ``highlight`` directive would carry on into the fragments after it.
        return _each_alone(app, pagename, fragments)
    settings = getattr(app.builder, "docsettings", None)
    doctree = new_document("", settings) if settings is not None else new_document("")
    for i, (children, classes) in enumerate(fragments):
        if i:
            doctree += nodes.raw("", _SPLIT, format="html")
        box = nodes.container(classes=classes)
        for child in children:
            box += child.deepcopy()
        doctree += box
    revise_pending_xrefs(doctree, pagename)
    # A broken reference is reported once, by the post itself, not again for
    # every listing and feed that shows it.
    with logging.suppress_logging():
        app.env.resolve_references(doctree, pagename, app.builder)
    add_permalinks, app.builder.add_permalinks = app.builder.add_permalinks, False
    try:
        html = html_builder_write_doc(app.builder, pagename, doctree)
    finally:
        app.builder.add_permalinks = add_permalinks
    if len(fragments) == 1:
        return [html]
    parts = html.split(_SPLIT)
    if len(parts) == len(fragments):
        return parts
    # A fragment holds the separator itself (raw HTML).
    return _each_alone(app, pagename, fragments)


def _each_alone(app: Sphinx, pagename: str, fragments) -> list[str]:
    return [render_fragments(app, pagename, [fragment])[0] for fragment in fragments]


def _collect_pages(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    if not ablog.builder_support(app):
        return
    get_blog(app)
    preview = app.config.essayist_preview
    state = output_state(app)
    if state.all_current():
        return
    outdir = Path(app.builder.outdir)
    for pagename, context, template in ablog.post.generate_archive_pages(app):
        is_drafts = template == "ablog/collection.html" and context.get("title") == "Drafts"
        if is_drafts and (not preview or not len(context["collection"])):
            continue
        signature = page_signature(state, pagename, context, template)
        outfile = outdir / app.builder.get_target_uri(pagename)
        if state.is_current(f"page:{pagename}", signature, outfile):
            continue
        yield pagename, context, template


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if not ablog.builder_support(app):
        return
    blog = get_blog(app)
    site_feed = f"{blog.posts.path}/{FEED_FILE}"
    context["essayist_links"] = {
        "posts": blog.posts.docname,
        "tags": blog.tags.docname,
        "categories": blog.category.docname,
        "archive": blog.archive.docname,
        "feed": site_feed,
    }
    here = app.builder.get_target_uri(pagename)
    feeds = [{"title": f"{blog.blog_title} (Atom)", "href": relative_uri(here, site_feed)}]
    collection = context.get("collection")
    catalog = getattr(collection, "catalog", None)
    if collection is not None and catalog is not None and catalog.name in ("tags", "category"):
        rel = relative_uri(here, f"{collection.path}/{FEED_FILE}")
        feeds.append({"title": context.get("title", str(collection)), "href": rel})
        context["essayist_collection_feed"] = rel
    elif pagename == blog.posts.docname:
        context["essayist_collection_feed"] = feeds[0]["href"]
    context["essayist_feeds"] = feeds
    if templatename == "ablog/collection.html" and collection is not None:
        # Every card on the page shows its post's excerpt.
        render_excerpts(app, list(collection))
    if templatename.startswith("ablog/"):
        context["essayist_excerpt"] = lambda post: excerpt_html(app, pagename, post)
        context["essayist_month_year"] = month_year
        context["essayist_post_card"] = lambda post, n: post_card_html(app, pagename, post, n)
        context["essayist_post_line"] = lambda post: post_line_html(app, pagename, post)


# Rendered excerpts, per application: a post appears on five or more archive
# pages. Each excerpt is rendered once, as if on the root page, and its relative
# links are moved to the page's folder.
_EXCERPTS: weakref.WeakKeyDictionary[Sphinx, dict] = weakref.WeakKeyDictionary()
# A post's entry in listings, per application and folder of the listing page.
_LISTED: weakref.WeakKeyDictionary[Sphinx, dict] = weakref.WeakKeyDictionary()
_RELATIVE = re.compile(r'(\s(?:href|src)=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"]*)(")')


def relocate(html: str, prefix: str) -> str:
    """Relative ``href``/``src`` of HTML made for the root, for a page ``prefix``
    (``"../../"``) below it."""
    if not prefix:
        return html
    return _RELATIVE.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", html)


def _sets_highlighting(children: list[nodes.Node]) -> bool:
    return any(next(child.findall(addnodes.highlightlang), None) for child in children)


def _excerpt_key(post) -> tuple[str, str | None]:
    # A document may hold several posts (ABlog's ``post`` directive).
    return post.docname, post.section


def render_excerpts(app: Sphinx, posts) -> None:
    """Render the excerpts of ``posts`` not rendered yet, together."""
    cache = _EXCERPTS.setdefault(app, {})
    todo = list({_excerpt_key(p): p for p in posts if _excerpt_key(p) not in cache}.values())
    if todo:
        root = app.config.root_doc
        fragments = [(p.excerpt, ["post-excerpt"]) for p in todo]
        for post, html in zip(todo, render_fragments(app, root, fragments), strict=True):
            cache[_excerpt_key(post)] = html


def excerpt_html(app: Sphinx, pagename: str, post) -> str:
    cache = _EXCERPTS.setdefault(app, {})
    if _excerpt_key(post) not in cache:
        render_excerpts(app, [post])
    depth = app.builder.get_target_uri(pagename).count("/")
    return relocate(cache[_excerpt_key(post)], "../" * depth)


def _folder(app: Sphinx, pagename: str) -> str:
    return posixpath.dirname(app.builder.get_target_uri(pagename))


def _href(app: Sphinx, folder: str, docname: str) -> str:
    """A link to ``docname`` from any page of ``folder`` (a page's link to
    itself too: listings are shared by the pages of a folder)."""
    return relative_uri(f"{folder}/_" if folder else "_", app.builder.get_target_uri(docname))


def _post_href(app: Sphinx, folder: str, post) -> str:
    if post.external_link:
        return post.external_link
    return _href(app, folder, post.docname) + ablog.anchor(post)


def _date_html(post) -> str:
    if not post.published:
        return '<span class="post-draft-mark">Draft</span>'
    return f'<time datetime="{post.date:%Y-%m-%d}">{escape(month_year(post.date))}</time>'


def _links(app: Sphinx, folder: str, items, css: str = "") -> str:
    attr = f' class="{css}"' if css else ""
    return ", ".join(
        f'<a{attr} href="{escape(_href(app, folder, i.docname))}">{escape(str(i))}</a>'
        for i in items
    )


def _cached(app: Sphinx, kind: str, pagename: str, post, render) -> str:
    """Listing HTML of ``post``: the same for every page of one folder."""
    cache = _LISTED.setdefault(app, {})
    folder = _folder(app, pagename)
    key = (kind, *_excerpt_key(post), folder)
    if key not in cache:
        cache[key] = render(folder)
    return cache[key]


def post_card_html(app: Sphinx, pagename: str, post, number: int) -> str:
    """A post in a collection page: title, date, categories, excerpt, tags.
    ``number`` (its place on the page) names the card for screen readers."""

    def render(folder: str) -> str:
        meta = _date_html(post)
        if post.category:
            meta += " · " + _links(app, folder, post.category)
        tags = ""
        if post.tags:
            links = _links(app, folder, post.tags, "post-tag")
            tags = f'\n<p class="post-tags">Tags: {links}</p>'
        return (
            '<li class="post-list-item">\n'
            '<article class="post-card" aria-labelledby="card-\x00">\n'
            '<h2 class="post-card-title" id="card-\x00"><a href="'
            f'{escape(_post_href(app, folder, post))}">{escape(post.title)}</a></h2>\n'
            f'<p class="post-meta">{meta}</p>\n'
            f"{excerpt_html(app, pagename, post)}{tags}\n"
            "</article>\n</li>"
        )

    return Markup(_cached(app, "card", pagename, post, render).replace("\x00", str(number)))


def post_line_html(app: Sphinx, pagename: str, post) -> str:
    """A post in a catalog page: its title and date on one line."""

    def render(folder: str) -> str:
        href = escape(_post_href(app, folder, post))
        when = _date_html(post) if post.published else "Draft"
        return f'<li><a href="{href}">{escape(post.title)}</a> · {when}</li>'

    return Markup(_cached(app, "line", pagename, post, render))


def _forget_excerpts(app: Sphinx, exception) -> None:
    _EXCERPTS.pop(app, None)
    _LISTED.pop(app, None)


def setup_archives(app: Sphinx) -> None:
    # Replace ABlog's page generator with our filtered wrapper.
    for listener in list(app.events.listeners.get("html-collect-pages", [])):
        if listener.handler in (ablog.post.generate_archive_pages, ablog.post.generate_atom_feeds):
            app.disconnect(listener.id)
    app.connect("html-collect-pages", _collect_pages)
    # Around ABlog's ``process_posts`` (priority 500).
    app.connect("doctree-read", _skip_whole_copy, priority=499)
    app.connect("doctree-read", _absolutize_post_fragments, priority=501)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _forget_excerpts)
