"""``sitemap.xml``, ``robots.txt`` and ``.nojekyll``: what crawlers and hosts read.

The sitemap lists every published page, at its real URL.

sphinx-sitemap collects URLs in ``html-page-context``, so after an incremental
build (or under ``-j``) its sitemap lists only the pages written that time, and
its default URL scheme adds ``en/``. Here the list is computed once the build is
done, from what the environment knows (every document it read) and from the
archive pages ABlog generates, and the pages other features generate
(``essayist-sitemap-pages``: the series pages); drafts are never in it (published builds do not
read them at all; preview builds list them nowhere). URLs are the canonical
links' (``blog_baseurl`` + the page's path).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

from sphinx.application import Sphinx
from sphinx.util import logging

from ..blog.adapter import archive_pages, builds_blog, get_blog
from ..config import Event, Order, Warn, site_url, warn
from .feeds import xml_text
from .files import write_if_changed

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_FILE = "sitemap.xml"


def sitemap_xml(entries: list[tuple[str, str | None]]) -> bytes:
    """A sitemap (sitemaps.org 0.9) of ``(url, lastmod)`` pairs, in the given order.

    URLs are percent-encoded (``get_target_uri``) and dates ISO 8601, so neither
    can hold a character XML forbids; ``xml_text`` makes sure of it."""
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for url, lastmod in entries:
        el = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(el, f"{{{SITEMAP_NS}}}loc").text = xml_text(url)
        if lastmod:
            ET.SubElement(el, f"{{{SITEMAP_NS}}}lastmod").text = xml_text(lastmod)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(sitemap_url: str, noindex: bool = False) -> bytes:
    if noindex:  # a preview: nothing to crawl, no sitemap to offer
        return b"User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()


def archive_pagenames(app: Sphinx) -> set[str]:
    """The pages ABlog generates (archives, tags, categories...), redirects and drafts left out."""
    blog = get_blog(app)
    names = set()
    for pagename, _context, template in archive_pages(app):
        if template == "ablog/redirect.html" or pagename == blog.drafts.docname:
            continue
        names.add(pagename)
    return names


def sitemap_pages(app: Sphinx) -> list[tuple[str, str | None]]:
    """``(pagename, lastmod)`` for every page a reader can land on, sorted."""
    blog = get_blog(app)
    drafts = {post.docname for post in blog.drafts}
    notfound = getattr(app.config, "notfound_pagename", None)
    pages: dict[str, str | None] = {}
    for docname in app.env.found_docs:
        if docname in drafts or docname == notfound:
            continue
        post = blog.posts[docname]
        if post is not None and getattr(post, "canonical_link", None):
            continue  # a copy of an essay first published elsewhere: the original is listed there
        lastmod = None
        if post is not None and post.date:
            lastmod = max(post.date, post.update or post.date).date().isoformat()
        pages[docname] = lastmod
    for pagename in archive_pagenames(app):
        pages.setdefault(pagename, None)
    for answer in app.emit(Event.SITEMAP_PAGES.value):
        for pagename in answer or ():
            pages.setdefault(pagename, None)
    return sorted(pages.items())


def write_sitemap(app: Sphinx) -> list[str]:
    """Write ``sitemap.xml``, ``robots.txt`` and ``.nojekyll``; return those that changed."""
    base = site_url(app.config)
    builder = app.builder
    entries = [
        (urljoin(base, builder.get_target_uri(name)), lastmod)
        for name, lastmod in sitemap_pages(app)
    ]
    outdir = Path(builder.outdir)
    changed = []
    if write_if_changed(outdir / SITEMAP_FILE, sitemap_xml(entries)):
        changed.append(SITEMAP_FILE)
    robots = robots_txt(urljoin(base, SITEMAP_FILE), bool(app.config.essayist_noindex))
    if write_if_changed(outdir / "robots.txt", robots):
        changed.append("robots.txt")
    # GitHub Pages runs Jekyll unless told not to, and Jekyll drops every folder
    # whose name starts with "_" (_static, _cards).
    if write_if_changed(outdir / ".nojekyll", b""):
        changed.append(".nojekyll")
    return changed


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not builds_blog(app) or app.builder.name == "singlehtml":
        return
    if not site_url(app.config):
        warn(
            logger,
            Warn.SITEMAP,
            "essayist: no sitemap written: set blog_baseurl (SITE_BASE_URL) to the site's URL",
        )
        return
    write_sitemap(app)


def setup_sitemap(app: Sphinx) -> None:
    app.connect("build-finished", _build_finished, priority=Order.OUTPUTS_USED)
