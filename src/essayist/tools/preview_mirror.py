"""What ``make serve`` serves: the last good build, never a failed one's pages.

The warm preview builds into a folder of its own (``<served>.build``, with its
doctrees) and serves another. After a build succeeds, ``Mirror.sync`` makes
the served folder hold the build's files: it copies those whose size or time
changed since the last sync and removes those the build removed, each copy
written beside its file and renamed over it, so a page is never served half
written. A build that fails (a warning with ``-W``) is not synced: the tab
keeps the last good site while the terminal says what to fix, and the next
good build brings every change at once (the build's own folder is repaired by
the next build, as in ``make html``).

To reload the tab sooner, the pages are synced as soon as they are written,
if the build has warned of nothing yet, while the worker waits
(``preview_builder``): only the search index and what ``build-finished``
writes (feeds, sitemap) come after, and a build that fails there is said to
have served its pages.

Unlike ``tools.sync`` (``make html``), which replaces the published folder
whole, a preview sync costs one look at each file's size and time, not a
comparison of every file's bytes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from ..incremental.state import remove_file
from .sync import SKIP

Stamp = tuple[int, int]  # (size, modification time in ns)


def _scan(root: Path, leave: tuple[str, ...] = ()) -> dict[str, Stamp]:
    """Every file under ``root`` (Sphinx's bookkeeping, and the top folders
    ``leave``, left out), by path."""
    found: dict[str, Stamp] = {}
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name in SKIP or (not prefix and entry.name in leave):
                continue
            rel = f"{prefix}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), f"{rel}/"))
            elif entry.is_file():
                with contextlib.suppress(FileNotFoundError):  # gone meanwhile
                    stat = entry.stat()
                    found[rel] = (stat.st_size, stat.st_mtime_ns)
    return found


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part")
    shutil.copy2(source, part)
    os.replace(part, target)


class Mirror:
    """The served folder ``target``, kept equal to the build folder ``source``."""

    def __init__(self, source: Path, target: Path) -> None:
        self.source, self.target = source, target
        self.known: dict[str, Stamp] | None = None  # the source as last synced

    def sync(self, leave: tuple[str, ...] = ()) -> tuple[int, int]:
        """Bring what changed in the build folder since the last sync: the
        number of files copied and removed. The top folders ``leave`` wait for
        the next sync (the pages' early sync leaves the hover previews: a
        thousand files a tab's reload does not wait for)."""
        if self.source.resolve() == self.target.resolve():
            return 0, 0  # served where it is built
        if self.known is None:  # the first sync: against what is served now
            self.known = _scan(self.target)
            leave = ()
        now = _scan(self.source, leave)
        now |= {rel: st for rel, st in self.known.items() if rel.split("/", 1)[0] in leave}
        copied = [rel for rel, stamp in now.items() if self.known.get(rel) != stamp]
        removed = [rel for rel in self.known if rel not in now]
        for rel in copied:
            try:
                _copy(self.source / rel, self.target / rel)
            except FileNotFoundError:  # gone since the look
                now.pop(rel, None)
                remove_file(self.target, rel)
        for rel in removed:
            remove_file(self.target, rel)
        self.known = now
        return len(copied), len(removed)
