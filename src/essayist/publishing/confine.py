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

import os
import re
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include
from sphinx.util import logging
from sphinx.util.matching import Matcher

from ..config import Order, Warn, find_nodes, warn

logger = logging.getLogger(__name__)
NOT_PUBLISHED = "[file outside the project: not published]"


def inside(root: Path, path: str | Path) -> bool:
    """Whether ``path`` (absolute, or relative to ``root``) lies inside ``root``,
    once every ``..`` and symbolic link is resolved."""
    try:
        return (root / path).resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


OUTSIDE_MESSAGE = (
    "%s is outside the project, so it is not published: copy the file into the "
    "project (next to the post) and refer to it there"
)


# A post that is a link to a file outside the project (said alike by the build
# and ``blog check``).
LINKED_POST = (
    "this post is a link to {target}, outside the project, so it is not published: "
    "put the file itself here, in place of the link"
)


def _refuse(node: nodes.Node | tuple | str, path: str) -> None:
    warn(logger, Warn.OUTSIDE, OUTSIDE_MESSAGE, path, location=node)


def _resolved(root: Path, path: str | Path) -> Path:
    try:
        return (root / path).resolve()
    except (OSError, ValueError):
        return root / path


_FROM_FILES = (nodes.literal_block, nodes.image, addnodes.download_reference)


def _within(node: nodes.Node, root: nodes.Node) -> bool:
    while node is not None and node is not root:
        node = node.parent
    return node is root


def confine_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> list[str]:
    """Remove what ``doctree`` took from outside the project; return those paths."""
    root = Path(app.srcdir)
    refused: list[str] = []

    def refuse(node: nodes.Node | tuple, path: str | Path) -> bool:
        where = _resolved(root, path)
        if where.is_relative_to(root.resolve()):
            return False
        if where not in refused:
            refused.append(where)
            _refuse(node, str(where))
        return True

    # One walk finds the three kinds, refused kind by kind in document order,
    # as three walks would; what a replaced block held is no longer looked at.
    found = find_nodes(doctree, _FROM_FILES)
    replaced = False
    for node in found:
        if not isinstance(node, nodes.literal_block):
            continue
        source = node.get("source")
        if source and source != doctree.get("source") and refuse(node, source):
            node.replace_self(nodes.paragraph("", NOT_PUBLISHED))
            replaced = True
    if replaced:
        found = [n for n in found if _within(n, doctree)]
    for node in found:
        if not isinstance(node, nodes.image):
            continue
        uri = node.get("uri", "")
        if "://" in uri or uri.startswith("data:"):
            continue
        if refuse(node, app.env.relfn2path(uri, docname)[1]):
            node.parent.remove(node)
    for node in found:
        if not isinstance(node, addnodes.download_reference):
            continue
        target = node.get("reftarget", "")
        if "://" not in target and refuse(node, app.env.relfn2path(target, docname)[1]):
            node.replace_self(nodes.Text(node.astext()))
    # What docutils recorded while parsing ({include}, :file: options); Sphinx
    # copies it into env.dependencies after this handler.
    recorded = getattr(getattr(doctree.settings, "record_dependencies", None), "list", [])
    lines = app.env.temp_data.get(_INCLUDE_LINES, {})
    for dependency in sorted(
        {*map(str, recorded), *map(str, app.env.dependencies.get(docname, ()))}
    ):
        refuse((docname, lines.get(str(_resolved(root, dependency)))), dependency)
    return [str(p) for p in refused]


# The line of each refused {include} MyST read, by the file's resolved path.
_INCLUDE_LINES = "essayist_include_lines"
_INCLUDE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\{include\}\s+(\S.*?)\s*$")


def _include_line(app: Sphinx, docname: str, path: Path) -> int | None:
    """The line of ``docname``'s own source whose ``{include}`` names ``path``."""
    root = Path(app.srcdir)
    try:
        text = Path(app.env.doc2path(docname)).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if (m := _INCLUDE.match(line)) and _resolved(
            root, app.env.relfn2path(m.group(1), docname)[1]
        ) == _resolved(root, path):
            return number
    return None


def _confined(directive: type) -> type:
    """``directive`` (it reads a file) refusing a file outside the project
    before reading a byte of it. (MyST reads ``{include}`` in Markdown itself:
    ``_include_read`` replaces what it read, and ``confine_doctree`` finds it
    among the recorded dependencies.)"""

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        path = self.env.relfn2path(self.arguments[0].strip(), self.env.docname)[1]
        if not inside(root, path):
            _refuse((self.env.docname, self.lineno), str(_resolved(root, path)))
            return [nodes.paragraph("", NOT_PUBLISHED)]
        return directive.run(self)

    return type(f"Confined{directive.__name__}", (directive,), {"run": run})


def _include_read(app: Sphinx, path: Path, docname: str, content: list[str]) -> None:
    # MyST reads ``{include}`` in Markdown itself, past the directive above;
    # Sphinx's and MyST's both hand the text to this event before using it.
    # (The warning, with the line found here, comes from ``confine_doctree``.)
    if not inside(Path(app.srcdir), path):
        content[0] = NOT_PUBLISHED
        # MyST names the including document by its file's stem only: the
        # document being read is the one.
        line = _include_line(app, app.env.docname, path)
        app.env.temp_data.setdefault(_INCLUDE_LINES, {})[str(_resolved(Path(app.srcdir), path))] = (
            line
        )


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    path = app.env.doc2path(docname)
    if not inside(Path(app.srcdir), path):
        # A symbolic link to a file elsewhere: nothing of it is read.
        target = Path(path).resolve()
        warn(logger, Warn.OUTSIDE, LINKED_POST.format(target=target), location=f"{path}:1")
        source[0] = ""
        app.env.metadata[docname]["orphan"] = True


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    confine_doctree(app, doctree, app.env.docname)


def linked_folders(root: Path, exclude: Iterable[str]) -> list[tuple[str, Path, bool]]:
    """Every folder of the project that is a symbolic link, outside the
    folders left out: (its path, where it leads, whether it leads out of the
    project or back into a folder that holds it)."""
    excluded = Matcher([str(p) for p in exclude])
    top = root.resolve()
    found = []
    for folder, dirs, _ in os.walk(root):  # not into links: each is listed
        here = Path(folder)
        kept = []
        for name in sorted(dirs):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if name == ".git" or excluded(rel):
                continue
            if not path.is_symlink():
                kept.append(name)
                continue
            target = _resolved(root, path)
            loops = here.resolve().is_relative_to(target)
            found.append((rel, target, loops or not target.is_relative_to(top)))
        dirs[:] = kept
    return found


LINKED_FOLDER = (
    "this folder is a link to {target}, outside the project (or around itself): the site "
    "does not read it; copy what the posts need into the project and remove the link"
)


def outside_links(
    found: list[tuple[str, Path, bool]], include: Iterable[str]
) -> list[tuple[str, str]]:
    """(path, message) of each folder link of ``linked_folders`` that leads out
    of the project where the site reads documents (``include_patterns``)."""
    read = Matcher([str(p) for p in include] or ["**"])
    return [
        (rel, LINKED_FOLDER.format(target=target))
        for rel, target, out in found
        if out and read(f"{rel}/post.md")
    ]


def _config_inited(app: Sphinx, config: Config) -> None:
    """Sphinx looks for documents through every folder link (a link to ``/``
    made the build walk the whole disk, silently): links are left out of the
    search for documents, and a link out of the project where documents are
    read is a warning that names it."""
    root = Path(app.srcdir)
    found = linked_folders(root, config.exclude_patterns)
    config.exclude_patterns = [*config.exclude_patterns, *(rel for rel, _, _ in found)]
    for rel, message in outside_links(found, config.include_patterns):
        # No location: Sphinx takes a path without a line for a document's name.
        warn(logger, Warn.OUTSIDE, f"{rel}: {message}")


def setup_confine(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited, priority=Order.LINKS_EXCLUDED)
    app.add_directive("include", _confined(Include), override=True)
    app.add_directive("literalinclude", _confined(LiteralInclude), override=True)
    app.connect("source-read", _source_read)
    app.connect("include-read", _include_read)
    app.connect("doctree-read", _doctree_read, priority=Order.CONFINE)
