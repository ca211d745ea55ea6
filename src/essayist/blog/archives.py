"""ABlog's archive pages, in Furo's layout, and never stale.

ABlog yields its archive pages (all posts, years, tags, categories, authors) in
``html-collect-pages``; our ``_templates/ablog/*.html`` render them inside Furo.
Here we

* leave out the "Drafts" page in published builds (drafts are not built at all);
* give templates an excerpt renderer that produces valid HTML (ABlog's nests a
  ``<p>`` inside a ``<p>``) and reuses the builder's docutils settings;
* give every page the site's feed links and the blog's navigation;
* give templates each post's entry, rendered once per folder (``listings``);
* yield a page only when what it shows changed (``incremental.outputs``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..incremental.outputs import output_state, page_signature
from .adapter import (
    FEED_FILE,
    archive_pages,
    builds_blog,
    get_blog,
    month_year,
    unordered_posts,
)
from .listings import excerpt_html, post_card_html, post_line_html, render_excerpts

DRAFTS_TITLE = "Drafts and scheduled posts"
# ABlog titles its archive "All posts", its list of posts "All Posts": two pages
# with one name (tabs, bookmarks, a screen reader's page title). The archive is
# named as the sidebar links it.
ARCHIVE_TITLE = "Archive"


def _collect_pages(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    if not builds_blog(app):
        return
    preview = app.config.essayist_preview
    state = output_state(app)
    if state.all_current():
        return
    for pagename, context, template in archive_pages(app):
        is_drafts = template == "ablog/collection.html" and context.get("title") == "Drafts"
        if is_drafts and (not preview or not len(context["collection"])):
            continue
        signature = page_signature(state, pagename, context, template, _by_docname)
        outfile = Path(app.builder.get_output_path(pagename))  # its file, not its %-escaped address
        if state.is_current(f"page:{pagename}", signature, outfile):
            continue
        yield pagename, context, template


def _by_docname(collection) -> list:
    # Not ABlog's order: sorting a large collection by date and title costs
    # more than the signature it goes into, which holds each post's date and
    # title (and so the order the page shows them in) anyway.
    return sorted(unordered_posts(collection), key=lambda post: post.docname)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if not builds_blog(app):
        return
    blog = get_blog(app)
    site_feed = f"{blog.posts.path}/{FEED_FILE}"
    context["essayist_links"] = {
        # The preview's own page of what is not published yet.
        "drafts": blog.drafts.docname if app.config.essayist_preview else None,
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
        # Tag and category names are text an author wrote: Furo prints a
        # page's title as HTML.
        if pagename == blog.drafts.docname:
            context["title"] = DRAFTS_TITLE
        elif pagename == blog.archive.docname:
            context["title"] = ARCHIVE_TITLE
        for key in ("title", "header"):
            if key in context:
                context[key] = escape(context[key])
        context["essayist_excerpt"] = lambda post: excerpt_html(app, pagename, post)
        context["essayist_month_year"] = month_year
        context["essayist_post_card"] = lambda post, n: post_card_html(app, pagename, post, n)
        context["essayist_post_line"] = lambda post: post_line_html(app, pagename, post)


def setup_archives(app: Sphinx) -> None:
    # In place of ABlog's own generator (disconnected by the adapter).
    app.connect("html-collect-pages", _collect_pages)
    app.connect("html-page-context", _page_context)
