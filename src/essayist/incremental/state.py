"""Where essayist keeps what it knows: per build, between builds, per document.

* ``build_cache(app)``: one dictionary per build for what a feature works out
  once and uses many times (rendered excerpts, listing entries, archive pages);
  forgotten when the build finishes.
* ``StateFile``: JSON kept between builds in the doctree folder
  (``essayist-<name>.json``), written atomically.
* ``DocData``: per-document data read from sources, in one Domain, so that
  ``clear_doc`` and ``merge_domaindata`` keep it right under incremental and
  parallel builds (the pattern of Sphinx's own ``sphinx/ext/todo.py``).
* ``digest``: the one way to turn a signature into a short stable string.
"""

from __future__ import annotations

import hashlib
import json
import os
import weakref
from pathlib import Path, PurePosixPath
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment


def digest(value: object) -> str:
    """A stable digest of a value made of strings, numbers, tuples, lists, dicts."""
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


# -- Per build ---------------------------------------------------------------

_BUILDS: weakref.WeakKeyDictionary[Sphinx, dict[str, Any]] = weakref.WeakKeyDictionary()


def build_cache(app: Sphinx) -> dict[str, Any]:
    """This build's cache: features keep what they computed under their own key."""
    return _BUILDS.setdefault(app, {})


def forget_build(app: Sphinx, exception: Exception | None = None) -> None:
    _BUILDS.pop(app, None)


# -- Per node, across builds of one process -----------------------------------


class KeptByNode:
    """A value worked out from a node of the environment (a table of contents,
    a post's excerpt), kept by the node itself across the builds of a process
    (the warm preview's): a document read again gets new nodes, so only its
    values are worked out again. Each call to ``values`` keeps the values of the
    nodes it was given and lets the others go (held nodes keep their ids)."""

    _all: weakref.WeakSet[KeptByNode] = weakref.WeakSet()

    def __init__(self, make) -> None:
        self.make = make
        self.kept: dict[int, tuple[object, object]] = {}
        KeptByNode._all.add(self)

    @classmethod
    def forget_all(cls) -> None:
        """Let every kept node go: an environment loaded again has only new
        nodes, and the old ones (whole tables of contents and excerpts) are
        then garbage for the collector to find now, not a build later."""
        for kept in cls._all:
            kept.kept = {}

    def values(self, nodes: list) -> list:
        kept: dict[int, tuple[object, object]] = {}
        out = []
        for node in nodes:
            entry = self.kept.get(id(node))
            if entry is None or entry[0] is not node:
                entry = (node, self.make(node))
            kept[id(node)] = entry
            out.append(entry[1])
        self.kept = kept
        return out


# -- Between builds ----------------------------------------------------------


class StateFile:
    """A JSON value kept in ``<doctreedir>/essayist-<name>.json``."""

    def __init__(self, app: Sphinx, name: str) -> None:
        self.path = Path(app.doctreedir) / f"essayist-{name}.json"

    def load(self, default: Any = None) -> Any:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return default

    def save(self, value: Any) -> None:
        data = json.dumps(value, sort_keys=True)
        try:
            if self.path.read_text(encoding="utf-8") == data:
                return
        except OSError:
            pass
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(self.path)


def remove_file(outdir: Path, rel: str) -> bool:
    """Delete ``outdir/rel`` (only inside ``outdir``) and the folders left
    empty (also when another feature deleted the file); true if it deleted it."""
    root = Path(os.path.realpath(outdir))
    path = outdir.joinpath(*PurePosixPath(rel).parts)
    parent = Path(os.path.realpath(path.parent))
    if not parent.is_relative_to(root):
        return False
    removed = path.is_file() or path.is_symlink()
    if removed:
        path.unlink()
    while parent != root and parent.is_relative_to(root):
        try:
            parent.rmdir()  # only when empty
        except OSError:
            break
        parent = parent.parent
    return removed


def remove_stale_outputs(app: Sphinx, name: str, current: list[str]) -> None:
    """Delete the output files (paths relative to the output folder) the last
    build listed in state ``name`` and this one no longer writes, with the
    folders they leave empty; list ``current`` for the next build."""
    record = StateFile(app, name)
    outdir = Path(app.builder.outdir)
    for rel in sorted(set(record.load([])) - set(current)):
        remove_file(outdir, rel)
    record.save(sorted(current))


# -- Per document ------------------------------------------------------------


class DocData(Domain):
    """What features read from each document: ``data["docs"][feature][docname]``."""

    name = "essayist-docs"
    label = "essayist per-document data"
    initial_data: dict[str, Any] = {"docs": {}}

    def clear_doc(self, docname: str) -> None:
        for values in self.data["docs"].values():
            values.pop(docname, None)

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for feature, theirs in otherdata["docs"].items():
            mine = self.data["docs"].setdefault(feature, {})
            for docname in docnames:
                if docname in theirs:
                    mine[docname] = theirs[docname]

    def resolve_any_xref(self, *args, **kwargs):
        return []


def doc_data(env: BuildEnvironment, feature: str) -> dict[str, Any]:
    """``feature``'s per-document values: docname -> value (mutable)."""
    return env.domains[DocData.name].data["docs"].setdefault(feature, {})
