"""Each page's address and paths worked out once per build.

Every link between two pages asks the builder for both pages' addresses
(``get_relative_uri`` calls ``get_target_uri`` twice): the navigation of every
page, every listing, every concept section and the map. For the HTML builders
that address is the page's name quoted, plus the suffix (``dirhtml``: a
folder), a pure function of the name and the builder's settings, worked out
about 57,000 times in a build of 300 essays. The builder's ``get_target_uri``
and ``get_output_path`` are memoised for the build; a builder that answers
otherwise (its own methods) is left alone.

Likewise a document's source path (``Project.doc2path``): Sphinx asks for every
document's on every build, even when nothing changed (is its page older than
its source?), and makes it with ``pathlib`` each time. It is kept until the
project's documents are found again (``discover``, ``restore``).

And each stylesheet's and script's checksum (the ``?v=`` of its address):
Sphinx's own is cached by the file's resolved path, but every page's every
asset resolves its path first (``Path.resolve``, a system call a folder), about
a fortieth of a full build. The checksum is kept by output folder and file name
for the build; Sphinx copies the static files before it writes the first page.
"""

from __future__ import annotations

import functools
import os

import sphinx.builders.html as html_builder
from sphinx.application import Sphinx
from sphinx.builders.dirhtml import DirectoryHTMLBuilder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.project import Project

# Sphinx's own answers, which depend on the document's name only.
PURE = {
    "get_target_uri": (StandaloneHTMLBuilder.get_target_uri, DirectoryHTMLBuilder.get_target_uri),
    "get_output_path": (
        StandaloneHTMLBuilder.get_output_path,
        DirectoryHTMLBuilder.get_output_path,
    ),
}


def memoise_target_uri(builder) -> bool:
    """Memoise the builder's ``get_target_uri`` and ``get_output_path`` for its
    life (one build); true if its ``get_target_uri`` is."""
    for name, pure in PURE.items():
        if name not in vars(builder) and getattr(type(builder), name, None) in pure:
            setattr(builder, name, functools.cache(getattr(builder, name)))
    return "get_target_uri" in vars(builder)


def ask_ahead(builder, docnames) -> None:
    """Work out every document's address and output path now (memoised ones
    only): the warm preview asks in its parent, once per environment, and each
    build's worker inherits the answers instead of working them out again."""
    for name in PURE:
        method = vars(builder).get(name)
        if method is not None and hasattr(method, "cache_info"):
            for docname in docnames:
                method(docname)


# The source paths of the last project asked (one per build).
_paths: dict[str, object] = {"project": None, "paths": {}}
# The assets' checksums of this build, by (output folder, file name).
_checksums: dict[tuple[str, str], str] = {}
_state = {"enabled": False, "installed": False}


def _forget(project: Project) -> None:
    if _paths["project"] is project:
        _paths["project"], _paths["paths"] = None, {}


def install() -> None:
    """Memoise ``Project.doc2path``, once per process (answering as Sphinx when
    the speed-ups are off)."""
    if _state["installed"]:
        return
    doc2path, discover, restore = Project.doc2path, Project.discover, Project.restore

    def memoised(self, docname: str, absolute: bool):
        if not _state["enabled"]:
            return doc2path(self, docname, absolute)
        if _paths["project"] is not self:
            _paths["project"], _paths["paths"] = self, {}
        paths = _paths["paths"]
        key = (docname, absolute)
        if key not in paths:
            paths[key] = doc2path(self, docname, absolute)
        return paths[key]

    def discovered(self, *args, **kwargs):
        _forget(self)
        return discover(self, *args, **kwargs)

    def restored(self, other):
        _forget(self)
        return restore(self, other)

    Project.doc2path, Project.discover, Project.restore = memoised, discovered, restored

    file_checksum = html_builder._file_checksum

    def checksum(outdir, filename) -> str:
        if not _state["enabled"]:
            return file_checksum(outdir, filename)
        key = (os.fspath(outdir), os.fspath(filename))
        if key not in _checksums:
            _checksums[key] = file_checksum(outdir, filename)  # raises as Sphinx does
        return _checksums[key]

    checksum.essayist_original = file_checksum
    html_builder._file_checksum = checksum
    _state["installed"] = True


def _builder_inited(app: Sphinx) -> None:
    _checksums.clear()  # a build's static files may differ from the last one's
    memoise_target_uri(app.builder)


def setup_targets(app: Sphinx | None, enabled: bool = True) -> None:
    _state["enabled"] = enabled
    _forget(_paths["project"])
    if enabled:
        install()
        app.connect("builder-inited", _builder_inited)
