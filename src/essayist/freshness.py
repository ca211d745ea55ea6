"""Rewrite the pages that show other posts when what they show changes.

Sphinx rewrites a page when its own source changes. Two kinds of page show
other posts: pages holding a ``{postlist}`` (the home page) and each post's
previous/next links. ABlog registers no ``env-get-updated``, so after an
incremental build those pages are stale (sunpy/ablog#316). We keep, in a
Domain, which documents hold a post list and a signature of what each such
page showed; ``env-get-updated`` returns exactly the pages whose signature
changed. Archive pages and feeds are regenerated every build by ABlog and
``feeds.py``; they are never stale.
"""

from __future__ import annotations

import hashlib
import weakref

import ablog.post
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from .blogdata import get_blog


class BlogStateDomain(Domain):
    """Which documents hold a ``{postlist}``, and what blog pages last showed."""

    name = "essayist-blog"
    label = "Blog state"
    initial_data = {"postlist_pages": {}, "postlist_signature": None, "neighbours": {}}

    def clear_doc(self, docname: str) -> None:
        self.data["postlist_pages"].pop(docname, None)
        self.data["neighbours"].pop(docname, None)

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for docname in docnames:
            if docname in otherdata["postlist_pages"]:
                self.data["postlist_pages"][docname] = True

    def resolve_any_xref(self, *args, **kwargs):
        return []


def post_signature(post) -> tuple:
    """What a post list can show of one post (computed once per post object:
    ABlog's posts are rebuilt for every build)."""
    cached = getattr(post, "_essayist_signature", None)
    if cached is None:
        cached = post._essayist_signature = _post_signature(post)
    return cached


def _post_signature(post) -> tuple:
    return (
        post.docname,
        post.title,
        post.date.isoformat() if post.date else "",
        post.update.isoformat() if post.update else "",
        bool(post.published),
        tuple(str(t) for t in post.tags),
        tuple(str(c) for c in post.category),
        tuple(str(a) for a in post.author),
        tuple(n.pformat() for n in post.excerpt),
    )


def postlist_signature(posts) -> str:
    """A digest: the environment keeps it between builds, for every build."""
    signatures = tuple(post_signature(p) for p in sorted(posts, key=lambda p: p.docname))
    return hashlib.sha256(repr(signatures).encode("utf-8")).hexdigest()


def neighbour_signature(post) -> tuple:
    """What a post page shows of its neighbours: their address and title."""
    older, newer = post.prev, post.next
    return (
        (older.docname, older.title) if older else None,
        (newer.docname, newer.title) if newer else None,
    )


def pages_to_rewrite(
    postlist_pages: list[str],
    old_postlists: str | None,
    new_postlists: str,
    old_neighbours: dict[str, tuple],
    new_neighbours: dict[str, tuple],
) -> list[str]:
    """Documents whose view of other posts changed since the last build."""
    changed = set()
    if old_postlists != new_postlists:
        changed.update(postlist_pages)
    for docname, sig in new_neighbours.items():
        if old_neighbours.get(docname) != sig:
            changed.add(docname)
    return sorted(changed)


# Per environment: the documents read or removed in this build. When there are
# none (and the configuration did not change, which makes Sphinx re-read all),
# nothing another page shows of the posts can have changed.
_CHANGED: weakref.WeakKeyDictionary[BuildEnvironment, set[str]] = weakref.WeakKeyDictionary()


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _CHANGED.setdefault(env, set()).update(docnames)


def _purged(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _CHANGED.setdefault(env, set()).add(docname)


def documents_changed(env: BuildEnvironment) -> bool:
    """Whether this build read or removed any document."""
    return bool(_CHANGED.get(env))


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    if any(True for _ in doctree.findall(ablog.post.PostList)):
        domain = app.env.domains[BlogStateDomain.name]
        domain.data["postlist_pages"][app.env.docname] = True


def _get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    if not ablog.builder_support(app):
        return []
    data = env.domains[BlogStateDomain.name].data
    if not documents_changed(env) and data["postlist_signature"] is not None:
        return []
    blog = get_blog(app)
    new_postlists = postlist_signature([*blog.posts, *blog.drafts])
    new_neighbours = {p.docname: neighbour_signature(p) for p in blog.posts if p.order}
    changed = pages_to_rewrite(
        sorted(data["postlist_pages"]),
        data["postlist_signature"],
        new_postlists,
        data["neighbours"],
        new_neighbours,
    )
    data["postlist_signature"] = new_postlists
    data["neighbours"] = new_neighbours
    # Documents that were just read are written anyway.
    return [d for d in changed if d in env.all_docs]


def setup_freshness(app: Sphinx) -> None:
    app.add_domain(BlogStateDomain)
    app.connect("doctree-read", _doctree_read)
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-purge-doc", _purged)
    app.connect("env-get-updated", _get_updated)
