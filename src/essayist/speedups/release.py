"""A page's doctree is let go as soon as the page is written.

Docutils nodes point to their parents and their children, so a written page's
doctree is a reference cycle: Python frees it only in a full garbage collection,
which looks at every object of the build (the environment, every doctree still
to write). With a few hundred essays the write phase ran three such collections
instead of one, and the last doctrees lived until the end of the build.

After the last ``html-page-context`` handler (only the template rendering, which
reads strings from the context, comes after it), every node of the page's doctree
drops its parent and children: reference counting frees the tree at once. The
doctree Sphinx hands to a page is that page's own (read for this build or
unpickled for this page) and used by nothing after it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..config import Order

# Builders that write one page per document from a doctree of its own.
PAGE_BUILDERS = frozenset({"html", "dirhtml"})


# The document's own indexes of its nodes (by id, name, reference).
_INDEXES = ("ids", "nameids", "refnames", "refids", "footnote_refs", "citation_refs")


def untie(doctree: nodes.Node) -> int:
    """Cut every parent and child link in ``doctree``; return how many nodes."""
    count = 0
    stack = [doctree]
    while stack:
        node = stack.pop()
        count += 1
        node.parent = None
        children = node.children  # text: an empty tuple
        if children:
            stack.extend(children)
            node.children = []
    if isinstance(doctree, nodes.document):
        for name in _INDEXES:
            index = getattr(doctree, name, None)
            if isinstance(index, dict):
                index.clear()
    return count


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is not None and app.builder.name in PAGE_BUILDERS:
        untie(doctree)


def setup_release(app: Sphinx) -> None:
    app.connect("html-page-context", _page_context, priority=Order.RELEASE_DOCTREE)
