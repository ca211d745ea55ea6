"""What other sites expect in a page's head: description, OpenGraph, Twitter card.

The canonical link comes from Sphinx itself (``html_baseurl``, which essayist
sets from ``blog_baseurl``). The rest is written here rather than by
sphinxext-opengraph, which prints to stdout on every build when matplotlib is
absent, skips every page without a doctree (all of ABlog's archive pages), and
describes a post by its first 200 characters instead of its excerpt.

* a post: its excerpt as description, ``og:type`` article, its social card
  (``cards.py``) as ``og:image`` and a large-image Twitter card;
* another document: its first paragraph;
* an archive page (no doctree): its title and the site's description.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin

from docutils import nodes
from sphinx.application import Sphinx

from ..blog.adapter import get_post
from ..blog.excerpts import plain_text
from ..config import Order, site_url
from .cards import CARD_HEIGHT, CARD_WIDTH, card_uri

# A post is described by its whole excerpt unless it is very long.
DESCRIPTION_LENGTH = 400
_TAG = re.compile(r"<[^>]+>")


@dataclass
class PageMeta:
    title: str
    url: str | None
    description: str
    site_name: str
    type: str = "website"
    image: str | None = None
    image_alt: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # False when the page already carries a description (MyST ``html_meta``).
    with_description: bool = True


def plain(text: str) -> str:
    """Markup stripped, entities decoded and whitespace folded."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub("", text or ""))).strip()


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.—– ")
    return cut + "…"


def first_paragraph(doctree: nodes.Node) -> str:
    """The text of a document's first paragraph that is not in a byline or aside."""
    for para in doctree.findall(nodes.paragraph):
        classes = set(para.get("classes", []))
        if classes & {"post-meta", "post-tags", "post-kicker", "caption"}:
            continue
        if any(
            isinstance(a, (nodes.title, nodes.admonition, nodes.sidebar)) for a in _ancestors(para)
        ):
            continue
        text = plain_text([para])
        if text:
            return text
    return ""


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def meta_tags(meta: PageMeta) -> str:
    """The ``<meta>`` elements for ``meta``, one a line."""

    def tag(attr: str, key: str, value: str) -> str:
        return f'<meta {attr}="{key}" content="{html.escape(value, quote=True)}">'

    out = []
    if meta.with_description and meta.description:
        out.append(tag("name", "description", meta.description))
    out.append(tag("property", "og:type", meta.type))
    out.append(tag("property", "og:title", meta.title))
    if meta.description:
        out.append(tag("property", "og:description", meta.description))
    if meta.url:
        out.append(tag("property", "og:url", meta.url))
    out.append(tag("property", "og:site_name", meta.site_name))
    if meta.image:
        out.append(tag("property", "og:image", meta.image))
        out.append(tag("property", "og:image:type", "image/png"))
        out.append(tag("property", "og:image:width", str(CARD_WIDTH)))
        out.append(tag("property", "og:image:height", str(CARD_HEIGHT)))
        out.append(tag("property", "og:image:alt", meta.image_alt or meta.title))
    if meta.published:
        out.append(tag("property", "article:published_time", meta.published))
    if meta.modified:
        out.append(tag("property", "article:modified_time", meta.modified))
    for name in meta.authors:
        out.append(tag("property", "article:author", name))
    for name in meta.tags:
        out.append(tag("property", "article:tag", name))
    out.append(tag("name", "twitter:card", "summary_large_image" if meta.image else "summary"))
    return "\n".join(out) + "\n"


def _redirect_context(app: Sphinx, context: dict) -> None:
    # An old URL of a moved post: it points search engines at the new one.
    base = site_url(app.config)
    if base:
        target = app.builder.get_target_uri(context["redirect"])
        context["essayist_redirect_url"] = urljoin(base, target)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html":
        return
    if templatename == "ablog/redirect.html":
        _redirect_context(app, context)
        return
    if pagename == getattr(app.config, "notfound_pagename", None):
        return  # publishing.notfound: not indexed, no canonical
    config = app.config
    base = site_url(config)
    metatags = context.get("metatags") or ""
    title = plain(context.get("title") or config.project)
    meta = PageMeta(
        title=title,
        url=context.get("pageurl"),
        description="",
        site_name=config.essayist_site_name or config.project,
        with_description='name="description"' not in metatags,
    )
    post = get_post(app, pagename) if doctree is not None else None
    if post is not None:
        meta.type = "article"
        # ``excerpt: 0``: no excerpt in lists; search engines still get the text's.
        excerpt = plain_text(post.excerpt, app.env) or first_paragraph(doctree)
        meta.description = shorten(excerpt)
        if base and not config.essayist_preview:  # the preview draws no cards
            # Percent-encoded as Sphinx encodes the page's own address.
            meta.image = urljoin(base, quote(card_uri(pagename)))
        meta.image_alt = f"{title} – {meta.site_name}"
        if post.date:
            meta.published = post.date.date().isoformat()
        if post.update and post.date and post.update.date() != post.date.date():
            meta.modified = post.update.date().isoformat()
        meta.authors = [a.name for a in post.author]
        meta.tags = [t.name for t in post.tags]
    elif doctree is not None:
        meta.description = shorten(first_paragraph(doctree))
    if not meta.description:
        site = config.essayist_site_description
        meta.description = (
            f"{title}: {site}" if pagename != config.root_doc and site else site or title
        )
    noindex = '<meta name="robots" content="noindex">\n' if config.essayist_noindex else ""
    context["metatags"] = metatags + meta_tags(meta) + noindex


def setup_social(app: Sphinx) -> None:
    app.connect("html-page-context", _page_context, priority=Order.SOCIAL_META)
