"""A post as listings show it: its excerpt, its card, its line.

A post is listed on six pages or more (all posts, its year, each tag, its
category, its author, the archive). Each excerpt is rendered once per build, as
if on the root page, and its relative links are moved to the page's folder;
each entry is rendered once per folder of listing pages, in Python rather than
in the template's sandbox, which at 1,000 essays took seconds. HTML is made
with f-strings, every value passed through ``markupsafe.escape`` (what
``Markup.format`` does, without its slow formatter).
"""

from __future__ import annotations

import posixpath
import re

from docutils import nodes
from docutils.utils import new_document
from markupsafe import Markup, escape
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..incremental.state import build_cache
from ..theme.direction import dir_attribute
from .adapter import month_year, post_url_anchor, revise_xrefs, write_fragment

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
    revise_xrefs(doctree, pagename)
    # A broken reference is reported once, by the post itself, not again for
    # every listing and feed that shows it.
    with logging.suppress_logging():
        app.env.resolve_references(doctree, pagename, app.builder)
    add_permalinks, app.builder.add_permalinks = app.builder.add_permalinks, False
    try:
        html = write_fragment(app.builder, pagename, doctree)
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


def self_contained(app: Sphinx, post) -> list[nodes.Node]:
    """A copy of ``post``'s excerpt whose links to its own page (a section,
    a footnote) lead to the post's page: on a listing they would point at
    nothing. An excerpt without such links is returned as it is."""
    if not any(
        ref.get("refid")
        for node in post.excerpt
        for ref in node.findall(
            lambda n: isinstance(n, (nodes.reference, nodes.footnote_reference))
        )
    ):
        return post.excerpt
    page = app.builder.get_target_uri(post.docname)
    out = []
    for node in post.excerpt:
        node = node.deepcopy()
        for ref in list(node.findall(nodes.footnote_reference)):
            link = nodes.reference("", "", internal=True, refuri=f"{page}#{ref['refid']}")
            link["classes"] = ["footnote-reference"]
            link += nodes.Text(ref.astext())
            ref.replace_self(nodes.superscript("", "", link))
        for ref in node.findall(nodes.reference):
            if ref.get("refid"):
                ref["refuri"] = f"{page}#{ref['refid']}"
                del ref["refid"]
        out.append(node)
    return out


def render_excerpts(app: Sphinx, posts) -> None:
    """Render the excerpts of ``posts`` not rendered yet, together."""
    cache = build_cache(app).setdefault("excerpts", {})
    todo = list({_excerpt_key(p): p for p in posts if _excerpt_key(p) not in cache}.values())
    if todo:
        root = app.config.root_doc
        fragments = [(self_contained(app, p), ["post-excerpt"]) for p in todo]
        for post, html in zip(todo, render_fragments(app, root, fragments), strict=True):
            cache[_excerpt_key(post)] = html


def excerpt_html(app: Sphinx, pagename: str, post) -> str:
    if not post.excerpt:
        return ""  # ``excerpt: 0``: the title alone
    cache = build_cache(app).setdefault("excerpts", {})
    if _excerpt_key(post) not in cache:
        render_excerpts(app, [post])
    depth = app.builder.get_target_uri(pagename).count("/")
    return relocate(cache[_excerpt_key(post)], "../" * depth)


def _folder(app: Sphinx, pagename: str) -> str:
    return posixpath.dirname(app.builder.get_target_uri(pagename))


def _href(app: Sphinx, folder: str, docname: str) -> str:
    """A link to ``docname`` from any page of ``folder`` (a page's link to
    itself too: listings are shared by the pages of a folder)."""
    cache = build_cache(app).setdefault("listed:href", {})
    key = (folder, docname)
    if key not in cache:
        target = app.builder.get_target_uri(docname)
        cache[key] = relative_uri(f"{folder}/_" if folder else "_", target)
    return cache[key]


def _post_href(app: Sphinx, folder: str, post) -> str:
    if post.external_link:
        return post.external_link
    return _href(app, folder, post.docname) + post_url_anchor(post)


def _date_html(post) -> str:
    if not post.published:
        scheduled = post.options.get("scheduled")
        if scheduled:
            when = escape(f"{scheduled.day} {scheduled:%B} {scheduled.year}")
            return f'<span class="post-draft-mark">Scheduled for {when}</span>'
        return '<span class="post-draft-mark">Draft</span>'
    # ISO 8601, the year in four digits: "%Y" gives "1" for the year 1.
    day, month = escape(post.date.date().isoformat()), escape(month_year(post.date))
    return f'<time datetime="{day}">{month}</time>'


def _links(app: Sphinx, folder: str, items, css: str = "") -> str:
    # Each link is made once per folder: a tag is listed on hundreds of cards.
    cache = build_cache(app).setdefault("listed:links", {})
    out = []
    for item in items:
        docname, text = item.docname, str(item)
        key = (folder, docname, text, css)
        if key not in cache:
            href, label = escape(_href(app, folder, docname)), escape(text)
            attrs = f'class="{escape(css)}" href="{href}"' if css else f'href="{href}"'
            cache[key] = f"<a {attrs}>{label}</a>"
        out.append(cache[key])
    return ", ".join(out)


def _cached(app: Sphinx, kind: str, pagename: str, post, render) -> str:
    """Listing HTML of ``post``: the same for every page of one folder."""
    cache = build_cache(app).setdefault("listed", {})
    folder = _folder(app, pagename)
    key = (kind, *_excerpt_key(post), folder)
    if key not in cache:
        cache[key] = render(folder)
    return cache[key]


def post_card_html(app: Sphinx, pagename: str, post, number: int) -> Markup:
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
        href, title = escape(_post_href(app, folder, post)), escape(post.title)
        excerpt = excerpt_html(app, pagename, post)
        return (
            '<li class="post-list-item">\n'
            '<article class="post-card" aria-labelledby="card-\x00">\n'
            f'<h2 class="post-card-title" id="card-\x00"{dir_attribute(post.title)}>'
            f'<a href="{href}">{title}</a></h2>\n'
            f'<p class="post-meta">{meta}</p>\n'
            f"{excerpt}{tags}\n"
            "</article>\n</li>"
        )

    return Markup(_cached(app, "card", pagename, post, render).replace("\x00", str(number)))


def post_line_html(app: Sphinx, pagename: str, post) -> Markup:
    """A post in a catalog page: its title and date on one line."""

    def render(folder: str) -> Markup:
        when = _date_html(post) if post.published else "Draft"
        href, title = escape(_post_href(app, folder, post)), escape(post.title)
        return Markup(f'<li><a href="{href}"{dir_attribute(post.title)}>{title}</a> · {when}</li>')

    return _cached(app, "line", pagename, post, render)
