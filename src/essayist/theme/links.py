"""External links carry ``rel="noopener noreferrer"``.

docutils writes external references with no ``rel``; Sphinx's HTML translator
writes a reference node's ``rel`` attribute when it has one. Every external
reference gets it when its document is resolved: on the page, in excerpts on
listing pages, and in feed entries alike.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..config import Order

REL = "noopener noreferrer"


def add_rel(doctree: nodes.Node) -> None:
    """Give every external reference in ``doctree`` ``rel="noopener noreferrer"``."""
    for ref in doctree.findall(nodes.reference):
        if not ref.get("internal") and "refuri" in ref and "rel" not in ref:
            ref["rel"] = REL


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    add_rel(doctree)


def setup_links(app: Sphinx) -> None:
    app.connect("doctree-resolved", _doctree_resolved, priority=Order.EXTERNAL_REL)
