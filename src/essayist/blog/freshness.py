"""What blog pages show of other posts: post lists and previous/next links.

Pages holding a ``{postlist}`` (the home page) show other posts, and so does
each post's previous/next footer. ABlog registers no ``env-get-updated``, so
after an incremental build those pages are stale (sunpy/ablog#316). Both are
declared here as views for ``essayist.incremental.pages``, which rewrites a
page when what it shows changed.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..incremental.outputs import post_signature
from ..incremental.pages import EVENT
from ..incremental.state import doc_data
from .adapter import PostList, builds_blog, get_blog, unordered_posts

FEATURE = "blog:postlists"


def neighbour_signature(post) -> tuple:
    """What a post page shows of its neighbours: their address and title."""
    older, newer = post.prev, post.next
    return (
        (older.docname, older.title) if older else None,
        (newer.docname, newer.title) if newer else None,
    )


def blog_views(posts: list, drafts: list, postlist_pages: list[str]) -> dict[str, dict]:
    """The post lists' and the neighbours' views of the blog's posts."""
    shown = tuple(post_signature(p) for p in sorted([*posts, *drafts], key=lambda p: p.docname))
    return {
        "blog:postlists": {page: shown for page in postlist_pages},
        "blog:neighbours": {p.docname: neighbour_signature(p) for p in posts if p.order},
    }


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    if any(True for _ in doctree.findall(PostList)):
        doc_data(app.env, FEATURE)[app.env.docname] = True


def _views(app: Sphinx, env: BuildEnvironment) -> dict[str, dict]:
    if not builds_blog(app):
        return {}
    blog = get_blog(app)
    posts, drafts = unordered_posts(blog.posts), unordered_posts(blog.drafts)
    return blog_views(posts, drafts, sorted(doc_data(env, FEATURE)))


def setup_freshness(app: Sphinx) -> None:
    app.connect("doctree-read", _doctree_read)
    app.connect(EVENT, _views)
