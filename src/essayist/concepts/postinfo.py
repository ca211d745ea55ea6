"""What concept pages and essays show of each post, from ABlog, after reading.

A post's excerpt (its nodes) is made again only when the post is read again:
its text, spaces folded, is kept by the excerpt itself (held, so its id is not
reused), for the posts of the current environment only. The warm preview's
builder asks ahead (``ask_ahead``) when it loads the environment, so a worker
rebuilding after one edit works out one excerpt's text, not a thousand.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..blog.adapter import get_blog, month_year

# id(excerpt) -> (the excerpt, its text)
_texts: dict[int, tuple[object, str]] = {}


def excerpt_text(excerpt, kept: dict[int, tuple[object, str]]) -> str:
    """``excerpt``'s text, spaces folded; from ``_texts`` if known, into ``kept``."""
    hit = _texts.get(id(excerpt))
    if hit is None or hit[0] is not excerpt:
        hit = (excerpt, " ".join(" ".join(n.astext() for n in excerpt).split()))
    kept[id(excerpt)] = hit
    return hit[1]


def _keep(kept: dict[int, tuple[object, str]]) -> None:
    _texts.clear()  # the excerpts of other environments are let go
    _texts.update(kept)


def post_infos(app: Sphinx) -> dict[str, dict]:
    """What concept pages and essays show of each post."""
    blog = get_blog(app)
    infos: dict[str, dict] = {}
    kept: dict[int, tuple[object, str]] = {}
    for post in [*blog.posts, *blog.drafts]:
        if post.docname in infos:
            continue
        infos[post.docname] = {
            "title": post.title,
            "date": post.date.isoformat() if post.date else "",
            "month": month_year(post.date) if post.date else "",
            "excerpt": excerpt_text(post.excerpt, kept),
            "tags": sorted(str(t) for t in post.tags or ()),
            "published": bool(post.published),
        }
    _keep(kept)
    return infos


def ask_ahead(env: BuildEnvironment) -> None:
    """Work out every post's excerpt text from the environment (ABlog's
    records, whose excerpts its posts share), before a worker is forked."""
    kept: dict[int, tuple[object, str]] = {}
    for records in getattr(env, "ablog_posts", {}).values():
        for record in records:
            excerpt = record.get("excerpt")
            if excerpt is not None:
                excerpt_text(excerpt, kept)
    _keep(kept)
