"""The furniture of a post page: kicker, byline, foot and previous/next links,
and the title of each ``{update}`` note.

ABlog's own ``page.html`` adds a post's date, author and tags, but it extends
``layout.html``, which Furo refuses to render. We keep Furo's page and put the
post's metadata into the document itself at write time (``doctree-resolved``),
so it is in the page, readable by screen readers in order, and styled by us.
"""

from __future__ import annotations

from docutils import nodes
from markupsafe import escape
from sphinx.application import Sphinx

from ..config import NO_SEARCH, Order
from .adapter import UpdateNode, get_blog, get_post, month_year, post_records, reading_minutes
from .dates import parse_ablog_date


def _link(app: Sphinx, fromdoc: str, todoc: str, text: str, classes=()) -> nodes.reference:
    uri = app.builder.get_relative_uri(fromdoc, todoc)
    ref = nodes.reference("", "", internal=True, refuri=uri, classes=list(classes))
    ref += nodes.Text(text)
    return ref


def _join(parent: nodes.Element, items: list[nodes.Node], sep: str = ", ") -> None:
    for i, item in enumerate(items):
        if i:
            parent += nodes.Text(sep)
        parent += item


def build_byline(app: Sphinx, docname: str, post, minutes: int) -> nodes.container:
    byline = nodes.container(classes=["post-byline", NO_SEARCH])
    line = nodes.paragraph(classes=["post-meta"])
    date = nodes.inline(classes=["post-date"])
    if post.published:
        date += nodes.Text(month_year(post.date))
    elif post.options.get("scheduled"):
        date += nodes.Text(f"Scheduled for {post.options['scheduled']:%-d %B %Y}")
    else:
        date += nodes.Text("Draft")
    line += date
    if post.update and post.date and post.update.date() != post.date.date():
        line += nodes.Text(" · ")
        upd = nodes.inline(classes=["post-updated"])
        upd += nodes.Text(f"updated {post.update:%-d %B %Y}")  # not the month: the same
        line += upd
    if post.author:
        line += nodes.Text(" · ")
        authors = nodes.inline(classes=["post-author"])
        _join(authors, [_link(app, docname, a.docname, a.name) for a in post.author])
        line += authors
    line += nodes.Text(" · ")
    rt = nodes.inline(classes=["post-reading-time"])
    rt += nodes.Text(f"{minutes} min read")
    line += rt
    byline += line
    if post.tags:
        tags = nodes.paragraph(classes=["post-tags"])
        tags += nodes.Text("Tags: ")
        _join(tags, [_link(app, docname, t.docname, t.name, ["post-tag"]) for t in post.tags])
        byline += tags
    return byline


def build_kicker(app: Sphinx, docname: str, post) -> nodes.paragraph | None:
    if not post.category:
        return None
    kicker = nodes.paragraph(classes=["post-kicker", NO_SEARCH])
    _join(kicker, [_link(app, docname, c.docname, c.name) for c in post.category], " · ")
    return kicker


def build_foot(app: Sphinx, docname: str, post) -> nodes.container:
    blog = get_blog(app)
    foot = nodes.container(classes=["post-foot", NO_SEARCH])
    para = nodes.paragraph()
    para += _link(app, docname, blog.posts.docname, "← All posts", ["post-all-posts"])
    sig = nodes.inline(classes=["post-signature"])
    names = " & ".join(a.name for a in post.author) or blog.blog_title
    sig += nodes.Text(f"{names} · {month_year(post.date)}" if post.date else names)
    para += sig
    foot += para
    return foot


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    # Fragments rendered for listings and feeds are resolved too: only the
    # document itself, which has a source file, gets the furniture.
    if app.builder.format != "html" or not doctree.get("source"):
        return
    post = get_post(app, docname)
    if post is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title_index = section.first_child_matching_class(nodes.title)
    if title_index is None:
        return
    minutes = reading_minutes(doctree.astext())
    section.insert(title_index + 1, build_byline(app, docname, post, minutes))
    kicker = build_kicker(app, docname, post)
    if kicker is not None:
        section.insert(title_index, kicker)
    doctree += build_foot(app, docname, post)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html":
        return
    if pagename == app.config.root_doc:
        # The home page's "Next" leads a reader to the newest essay, not to
        # the first page of the site's table of contents.
        newest = next(iter(get_blog(app).posts), None)
        context["prev"] = None
        context["next"] = (
            {
                "link": app.builder.get_relative_uri(pagename, newest.docname),
                "title": escape(newest.title),
            }
            if newest is not None
            else None
        )
        return
    post = get_post(app, pagename)
    if post is None or not post.published:
        return
    context["essayist_is_post"] = True
    # Furo's footer shows "next" and "previous": for a post, the neighbouring
    # posts in time rather than in the (post-less) toctree.
    newer, older = post.next, post.prev
    # Furo prints these titles as HTML (Sphinx's own are rendered markup); a
    # post's title is text, and may hold '<'.
    context["next"] = (
        {
            "link": app.builder.get_relative_uri(pagename, newer.docname),
            "title": escape(newer.title),
        }
        if newer
        else None
    )
    context["prev"] = (
        {
            "link": app.builder.get_relative_uri(pagename, older.docname),
            "title": escape(older.title),
        }
        if older
        else None
    )


def _update_titles(app: Sphinx, doctree: nodes.document) -> None:
    """ABlog titles an ``{update}`` "Updated on " and its date written as the
    site's ``post_date_format`` ("Updated on March 2026"): the day it was."""
    if not any(info.get("update") for info in post_records(app.env, app.env.docname)):
        return
    for node in doctree.findall(UpdateNode):
        moment = parse_ablog_date(node.get("date", ""), app.config.post_date_format)
        if moment is not None and node.children and isinstance(node[0], nodes.title):
            node[0].replace_self(nodes.title("", f"Updated {moment:%-d %B %Y}"))


def setup_postpage(app: Sphinx) -> None:
    app.connect("doctree-read", _update_titles, priority=Order.UPDATE_TITLES)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("html-page-context", _page_context)
