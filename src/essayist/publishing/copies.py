"""Copies of cached files in the output, each read only when it may differ.

The social cards are drawn into a cache and copied into the output; a copy
whose bytes are its source's is left alone. Comparing the bytes of every copy
cost an edit build more than anything else the cards do: a record (a state
file of ``incremental.state``) keeps, for each copy, its source's key and the
size and modification time the copy had when the build last wrote or compared
it. A copy with the same key, size and time is not read again; any other is
compared, and written when its bytes differ.

A copy is a hard link to its cached file where the file system allows it (the
cache and the output are under one build folder): no bytes are copied and no
new file is made, which at a full build is a file for every post. The cache is
only ever written by replacing a file whole (``cards.cached_card``), and a copy
is only ever replaced by unlinking it first, so neither can write through the
other. Where links fail, the bytes are copied.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..incremental.state import StateFile


def _link_or_copy(source: Path, target: Path, exists: bool) -> None:
    if exists:
        target.unlink()  # never written in place: it may be a link to the cache
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class CopyRecord:
    """The copies one build keeps in line with their sources (see the module's doc)."""

    def __init__(self, state: StateFile) -> None:
        self.state = state
        self.old: dict[str, list] = state.load({})
        self.new: dict[str, list] = {}

    def copy(self, source: Path, target: Path, key: str) -> bool:
        """Make ``target`` a copy of ``source``, whose bytes ``key`` names; true if written."""
        try:
            stat = target.stat()
        except FileNotFoundError:
            stat = None
        written = stat is None or (
            self.old.get(str(target)) != [key, stat.st_size, stat.st_mtime_ns]
            and target.read_bytes() != source.read_bytes()
        )
        if written:
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, target, stat is not None)
            stat = target.stat()
        self.new[str(target)] = [key, stat.st_size, stat.st_mtime_ns]
        return written

    def remove_others(self, folder: Path, suffix: str) -> int:
        """Remove the files under ``folder`` ending in ``suffix`` that this build
        did not copy (a post's card, the post gone); return how many."""
        removed = 0
        for parent, _, files in os.walk(folder):
            for path in (os.path.join(parent, name) for name in files if name.endswith(suffix)):
                if path not in self.new:  # as str(Path) writes it: the same separators
                    os.unlink(path)
                    removed += 1
        return removed

    def save(self) -> None:
        """Keep what this build copied or compared (and nothing else) for the next."""
        self.state.save(self.new)
