"""A link to a page by its published address (``other-post.html``,
``/posts/2026/x.html#part``) resolves like a link to its source
(``other-post.md``), as an author copying a link from the site would expect.

MyST resolves ``[text](other.md)``; ``[text](other.html)`` fails with "'myst'
cross-reference target not found" and no hint. Before references are resolved,
such a link whose page exists becomes a link to that document (and anchor); one
whose page does not exist is a located warning naming the address.
"""

from __future__ import annotations

import posixpath
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import Warn, warn

logger = logging.getLogger(__name__)
_ADDRESS = re.compile(r"^(?!\w+:)(?P<path>[^#?]*?)(?P<suffix>\.html|/)?(?:#(?P<anchor>.*))?$")


def address_docname(address: str, fromdoc: str, docs) -> tuple[str | None, str | None] | None:
    """(docname or None, anchor) for a published ``address`` written in
    ``fromdoc``; None when ``address`` is not a page address (no ``.html``)."""
    m = _ADDRESS.match(address)
    if not m or m.group("suffix") != ".html":
        return None
    path = m.group("path")
    base = "" if path.startswith("/") else posixpath.dirname(fromdoc)
    docname = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if docname.startswith("..") or docname not in docs:
        return None, m.group("anchor")
    return docname, m.group("anchor")


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    for node in list(doctree.findall(addnodes.pending_xref)):
        if node.get("reftype") != "myst" or node.get("refdomain") == "doc":
            continue
        found = address_docname(node.get("reftarget", ""), docname, app.env.found_docs)
        if found is None:
            continue
        target, anchor = found
        if target is None:
            warn(
                logger,
                Warn.ADDRESS,
                "%s is not the address of a page of this site: link to the source file "
                "instead (other-post.md), which is checked",
                node["reftarget"],
                location=node,
            )
            node.replace_self(node.children or [nodes.Text(node["reftarget"])])
            continue
        node["refdomain"] = "doc"
        node["reftarget"] = target
        node["reftargetid"] = anchor or None


def setup_addresses(app: Sphinx) -> None:
    app.connect("doctree-read", _doctree_read)
