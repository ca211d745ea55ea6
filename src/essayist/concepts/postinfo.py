"""What concept pages and essays show of each post, from ABlog, after reading.

A post's excerpt (its nodes) is made again only when the post is read again:
its text's pieces are kept by the excerpt itself
(``incremental.state.KeptByNode``), for the posts of the current environment
only. The warm preview's builder asks ahead (``ask_ahead``) when it loads the
environment, so a worker rebuilding after one edit works out one excerpt's
text, not a thousand.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..blog.adapter import get_blog, month_year
from ..blog.excerpts import joined_text, text_pieces
from ..incremental.state import KeptByNode

EXCERPT_TEXT = KeptByNode(text_pieces)


def post_infos(app: Sphinx) -> dict[str, dict]:
    """What concept pages and essays show of each post."""
    blog = get_blog(app)
    first: dict[str, object] = {}  # a document's first record, in ABlog's order
    for post in [*blog.posts, *blog.drafts]:
        first.setdefault(post.docname, post)
    posts = list(first.values())
    pieces = EXCERPT_TEXT.values([post.excerpt for post in posts])
    texts = [joined_text(p, app.env) for p in pieces]
    return {
        post.docname: {
            "title": post.title,
            "date": post.date.isoformat() if post.date else "",
            "month": month_year(post.date) if post.date else "",
            "excerpt": text,
            "tags": sorted(str(t) for t in post.tags or ()),
            "published": bool(post.published),
        }
        for post, text in zip(posts, texts, strict=True)
    }


def ask_ahead(env: BuildEnvironment) -> None:
    """Work out every post's excerpt text from the environment (ABlog's
    records, whose excerpts its posts share), before a worker is forked."""
    records = [r for rs in getattr(env, "ablog_posts", {}).values() for r in rs]
    EXCERPT_TEXT.values([r["excerpt"] for r in records if r.get("excerpt") is not None])
