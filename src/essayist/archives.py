"""ABlog's archive pages, in Furo's layout, and never stale.

ABlog yields its archive pages (all posts, years, tags, categories, authors) in
``html-collect-pages``; our ``_templates/ablog/*.html`` render them inside Furo.
Here we

* leave out the "Drafts" page in published builds (drafts are not built at all);
* give templates an excerpt renderer that produces valid HTML (ABlog's nests a
  ``<p>`` inside a ``<p>``) and reuses the builder's docutils settings;
* rewrite pages holding a ``{postlist}`` when the posts they list change
  (ABlog registers no ``env-get-updated``: sunpy/ablog#316).
"""

from __future__ import annotations

from collections.abc import Iterator

import ablog.post
from ablog.blog import html_builder_write_doc, revise_pending_xrefs
from docutils import nodes
from docutils.utils import new_document
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.util.osutil import relative_uri
from sphinx.environment import BuildEnvironment

from .blogdata import FEED_FILE, get_blog, month_year


def render_nodes(app: Sphinx, pagename: str, children: list[nodes.Node], classes: list[str]) -> str:
    """Render docutils nodes as an HTML fragment for ``pagename``."""
    settings = getattr(app.builder, "docsettings", None)
    doctree = new_document("", settings) if settings is not None else new_document("")
    box = nodes.container(classes=classes)
    for child in children:
        box += child.deepcopy()
    doctree += box
    revise_pending_xrefs(doctree, pagename)
    app.env.resolve_references(doctree, pagename, app.builder)
    add_permalinks, app.builder.add_permalinks = app.builder.add_permalinks, False
    try:
        return html_builder_write_doc(app.builder, pagename, doctree)
    finally:
        app.builder.add_permalinks = add_permalinks


def _collect_pages(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    if not ablog.builder_support(app):
        return
    get_blog(app)
    preview = app.config.essayist_preview
    for pagename, context, template in ablog.post.generate_archive_pages(app):
        if template == "ablog/collection.html" and context.get("title") == "Drafts":
            if not preview or not len(context["collection"]):
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
    feeds = [{"title": f"{blog.blog_title} (Atom)", "href": relative_uri(app.builder.get_target_uri(pagename), site_feed)}]
    collection = context.get("collection")
    catalog = getattr(collection, "catalog", None)
    if collection is not None and catalog is not None and catalog.name in ("tags", "category"):
        rel = relative_uri(app.builder.get_target_uri(pagename), f"{collection.path}/{FEED_FILE}")
        feeds.append({"title": context.get("title", str(collection)), "href": rel})
        context["essayist_collection_feed"] = rel
    elif pagename == blog.posts.docname:
        context["essayist_collection_feed"] = feeds[0]["href"]
    context["essayist_feeds"] = feeds
    if templatename.startswith("ablog/"):
        context["essayist_excerpt"] = lambda post: render_nodes(
            app, pagename, post.excerpt, ["post-excerpt"]
        )
        context["essayist_month_year"] = month_year


# -- Pages with a {postlist}: rewrite them when posts change -----------------


def postlist_signature(posts) -> tuple:
    """What a post list can show of the posts: if it changes, rewrite the page."""
    return tuple(
        (
            p.docname,
            p.title,
            p.date.isoformat() if p.date else "",
            tuple(str(t) for t in p.tags),
            tuple(str(c) for c in p.category),
            tuple(str(a) for a in p.author),
            tuple(n.astext() for n in p.excerpt),
        )
        for p in sorted(posts, key=lambda p: p.docname)
    )


class PostListDomain(Domain):
    """Which documents hold a ``{postlist}``, and what the posts looked like."""

    name = "essayist-postlist"
    label = "Post lists"
    initial_data = {"pages": {}, "signature": None}

    @property
    def pages(self) -> dict[str, bool]:
        return self.data["pages"]

    def clear_doc(self, docname: str) -> None:
        self.pages.pop(docname, None)

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for docname in docnames:
            if docname in otherdata["pages"]:
                self.pages[docname] = True

    def resolve_any_xref(self, *args, **kwargs):
        return []


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    if any(True for _ in doctree.findall(ablog.post.PostList)):
        domain = app.env.domains[PostListDomain.name]
        domain.pages[app.env.docname] = True


def _get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain = env.domains[PostListDomain.name]
    blog = get_blog(app)
    signature = postlist_signature(list(blog.posts) + list(blog.drafts))
    previous, domain.data["signature"] = domain.data["signature"], signature
    if previous == signature:
        return []
    return sorted(domain.pages)


def setup_archives(app: Sphinx) -> None:
    # Replace ABlog's page generator with our filtered wrapper.
    for listener in list(app.events.listeners.get("html-collect-pages", [])):
        if listener.handler in (ablog.post.generate_archive_pages, ablog.post.generate_atom_feeds):
            app.disconnect(listener.id)
    app.connect("html-collect-pages", _collect_pages)
    app.connect("html-page-context", _page_context)
    app.add_domain(PostListDomain)
    app.connect("doctree-read", _doctree_read)
    app.connect("env-get-updated", _get_updated)
