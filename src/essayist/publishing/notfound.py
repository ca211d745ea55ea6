"""The 404 page (sphinx-notfound-page), in Furo's layout, working at any depth.

A host serves ``404.html`` at whatever URL was not found, so every link in it
must be absolute. sphinx-notfound-page makes the theme's links absolute from
``notfound_urls_prefix``; we derive that prefix from where the site is served
(``blog_baseurl``, or Read the Docs' own URL when building there), write the
page's body with links home and to the archives, make the feed links in the head
absolute too, and keep the page out of search engines.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config

from ..blog.adapter import FEED_FILE, get_blog
from ..config import Order
from .hosts import served_url


def served_prefix(base_url: str) -> str:
    """The URL path the built site is served under, with a slash at both ends
    (``blog_baseurl`` is already the host's address: ``publishing.hosts``)."""
    # Percent-encoded as a path: nothing of the address can end the attribute.
    path = quote(urlsplit(base_url or "/").path or "/", safe="/%:@!$()*+,;=-._~")
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def notfound_body(home: str, posts: str, search: str | None) -> str:
    """The 404 page's article: one ``h1`` and links that are absolute paths."""
    e = html.escape
    links = [f'<li><a href="{e(home)}">the home page</a></li>']
    links.append(f'<li><a href="{e(posts)}">all posts</a>, newest first</li>')
    if search:
        links.append(f'<li><a href="{e(search)}">search</a></li>')
    return (
        '<section id="page-not-found">\n<h1>Page not found</h1>\n'
        "<p>There is no page at this address. It may have moved, or the link may be "
        "mistyped. Try:</p>\n<ul>\n" + "\n".join(links) + "\n</ul>\n</section>\n"
    )


def _config_inited(app: Sphinx, config: Config) -> None:
    if "notfound.extension" not in app.extensions:
        return
    # Where this build is served, which may not be the canonical address: a
    # 404 page is served at any depth of its own host (publishing.hosts).
    config.notfound_urls_prefix = served_prefix(served_url(config.blog_baseurl, os.environ))


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename != getattr(app.config, "notfound_pagename", None) or doctree is not None:
        return
    pathto: Callable = context["pathto"]  # sphinx-notfound-page's: absolute paths
    blog = get_blog(app)
    if "body" not in app.config.notfound_context:
        search = pathto("search") if app.builder.search else None
        context["body"] = notfound_body(
            pathto(app.config.root_doc), pathto(blog.posts.docname), search
        )
    for feed in context.get("essayist_feeds") or []:
        feed["href"] = pathto(f"{blog.posts.path}/{FEED_FILE}", 1)
    context.pop("essayist_collection_feed", None)
    # Not a page anyone should find in a search engine, nor link to.
    context["pageurl"] = None
    context["metatags"] = (
        context.get("metatags") or ""
    ) + '<meta name="robots" content="noindex">\n'


def setup_notfound(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited, priority=Order.NOTFOUND_PREFIX)
    app.connect("html-page-context", _page_context, priority=Order.NOTFOUND_PAGE)
