"""Nothing from outside the project is published.

``{literalinclude}``, ``{include}``, images, downloads and ``:file:`` options
read any path they are given, and a post may be a symbolic link to anywhere: a
contributor's pull request could publish the CI machine's ``/etc/passwd``. When
a document has been read, every file it drew on (Sphinx's dependencies, image
candidates, downloads, its own source) must lie inside the project's folder;
anything else is a located warning (so ``-W`` fails and nothing is published),
and the content it brought in is removed from the page even in preview.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import Order, Warn, warn

logger = logging.getLogger(__name__)


def inside(root: Path, path: str | Path) -> bool:
    """Whether ``path`` (absolute, or relative to ``root``) lies inside ``root``,
    once every ``..`` and symbolic link is resolved."""
    try:
        return (root / path).resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


def _refuse(node: nodes.Node | tuple, path: str) -> None:
    warn(
        logger,
        Warn.OUTSIDE,
        "%s is outside the project, so it is not published: copy the file into the "
        "project (next to the post) and refer to it there",
        path,
        location=node,
    )


def _resolved(root: Path, path: str | Path) -> Path:
    try:
        return (root / path).resolve()
    except (OSError, ValueError):
        return root / path


def confine_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> list[str]:
    """Remove what ``doctree`` took from outside the project; return those paths."""
    root = Path(app.srcdir)
    refused: list[str] = []
    for node in list(doctree.findall(nodes.literal_block)):
        source = node.get("source")
        if source and source != doctree.get("source") and not inside(root, source):
            refused.append(source)
            _refuse(node, source)
            node.replace_self(nodes.paragraph("", "[file outside the project: not published]"))
    for node in list(doctree.findall(nodes.image)):
        paths = [p for key, p in node.get("candidates", {}).items() if key != "?"]
        bad = [p for p in paths if not inside(root, p)]
        if bad:
            refused.extend(bad)
            _refuse(node, str(_resolved(root, bad[0])))
            node.parent.remove(node)
    for node in list(doctree.findall(addnodes.download_reference)):
        target = node.get("filename") and node.get("reftarget")
        if target and not inside(root, app.env.relfn2path(target, docname)[1]):
            refused.append(target)
            _refuse(node, target)
            node.replace_self(nodes.Text(node.astext()))
    seen = {_resolved(root, p) for p in refused}
    for dependency in sorted(app.env.dependencies.get(docname, ())):
        if not inside(root, dependency) and _resolved(root, dependency) not in seen:
            refused.append(str(dependency))
            _refuse((docname, None), str(dependency))
    source = app.env.doc2path(docname)
    if not inside(root, source):
        refused.append(str(source))
        _refuse((docname, 1), f"{source} (a link to {Path(source).resolve()})")
        doctree.children = [nodes.paragraph("", "[file outside the project: not published]")]
    return refused


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    confine_doctree(app, doctree, app.env.docname)


def setup_confine(app: Sphinx) -> None:
    app.connect("doctree-read", _doctree_read, priority=Order.CONFINE)
