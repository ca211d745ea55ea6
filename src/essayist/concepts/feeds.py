"""An Atom feed per concept, next to its page (``docs/concepts/<slug>/atom.xml``):
the published essays that use it, newest first. Written by the site's one feed
writer (``essayist.publishing.feeds``), which asks for them with the
``essayist-feeds`` event.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..blog.adapter import FEED_FILE, get_blog, get_post
from ..config import Order, site_url
from ..publishing.feeds import EVENT, FeedSpec
from .domain import DOMAIN, smart


def concept_feed_path(docname: str) -> str:
    return f"{docname}/{FEED_FILE}"


def concept_feeds(app: Sphinx) -> list[FeedSpec]:
    domain = app.env.domains[DOMAIN]
    model = domain.data["model"]
    if model is None:
        return []
    blog = get_blog(app)
    language = app.config.language
    length = app.config.blog_feed_length or None
    specs = []
    for slug in sorted(domain.concepts):
        c = domain.concepts[slug]
        posts = [get_post(app, d) for d in model["backlinks"][slug][:length]]
        spec = FeedSpec(
            folder=c["docname"],
            id_path=f"concepts/{slug}",
            title=f"{blog.blog_title} – {smart(c['name'], language)}",
            subtitle=smart(c["summary"], language),
            page=c["docname"],
            posts=tuple(p for p in posts if p is not None),
        )
        specs.append(spec)
    return specs


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or not site_url(app.config):
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


def setup_concept_feeds(app: Sphinx) -> None:
    app.connect(EVENT, concept_feeds)
    app.connect("html-page-context", _page_context, priority=Order.CONCEPT_FEED_LINK)
