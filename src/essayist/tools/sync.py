"""Publish a finished build: the published folder is replaced whole, never half-updated.

``make html`` builds incrementally into ``_build/staging`` and, only when that
build succeeds, calls ``python -m essayist.tools.sync _build/staging _build/html``.
A failed build therefore never touches the site being previewed or deployed.

The new published tree is made beside the old one, in ``<published>.new``:
files whose bytes did not change are hard links to the old published tree's
(so they keep their modification times, and nothing is copied), the others are
copied from staging. Nothing is ever linked to staging: Sphinx truncates and
rewrites its outputs in place, so such a link would let the next build change
the published site; the published files are only ever replaced whole, and the
old tree goes once the new one is in place, so a link between the two is never
shared for longer than the sync. A file system without hard links gets copies.
A file is unchanged when its size and modification time are the published
copy's and staging's file has not been touched since that copy was made (its
change time is older): the copy was made from it. Any other file is compared
byte for byte. (Like rsync's rule, this misses a published file edited by hand
to the same size and then given back its modification time.) Then two renames
swap the trees (``<published>`` to ``<published>.old``, ``.new`` to
``<published>``) and the old tree is deleted; when every file is unchanged and
none is to go, there is no new tree, and the published one is left as it is.
If anything fails before the swap, the published folder is untouched and the
half-made one removed. A sync killed between the two renames leaves ``.old``
and no published folder: the next sync puts it back before anything else. A
published folder that is a symbolic link is replaced where it points.

What is published is staging as it is, except Sphinx's own bookkeeping
(``SKIP``): keeping staging exact is the build's job
(``essayist.incremental.published``). A file a user puts in staging is
published; a file put only in the published folder is gone after the next sync.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
from pathlib import Path

# Sphinx's own bookkeeping stays with the build, not the published site.
SKIP = {".doctrees", ".buildinfo.bak"}


class SyncReport:
    """What a sync did: the files copied from staging and removed (sorted), and
    how many were unchanged. (A plain class: ``dataclasses`` would cost every
    ``make html`` its import of ``inspect``.)"""

    def __init__(self) -> None:
        self.copied: list[str] = []
        self.removed: list[str] = []
        self.unchanged = 0


def _files(root: Path) -> set[str]:
    """The files under ``root`` (POSIX paths relative to it), without ``SKIP``'s
    names at any depth; links to files count, links to folders are not followed."""
    found: set[str] = set()
    folders = [("", os.fspath(root))]
    while folders:
        rel, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name in SKIP:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{rel}{entry.name}/", entry.path))
                elif entry.is_file():
                    found.add(rel + entry.name)
    return found


def copy_file(source: str | Path, target: str | Path) -> None:
    """Copy one file's bytes and modification time."""
    shutil.copy2(source, target)


def keep_file(published: str | Path, target: str | Path) -> None:
    """Put an unchanged published file in the new tree: a hard link to it, or,
    where the file system has none, a copy."""
    try:
        os.link(published, target)
    except OSError:
        copy_file(published, target)


def unchanged(source: str | Path, published: str | Path) -> bool:
    """Whether ``published`` holds ``source``'s bytes (see the module's doc)."""
    src, pub = os.stat(source), os.stat(published)
    if src.st_size != pub.st_size:
        return False
    if src.st_mtime_ns == pub.st_mtime_ns and src.st_ctime_ns < pub.st_ctime_ns:
        return True
    return filecmp.cmp(source, published, shallow=False)


def work_folders(dest: Path) -> tuple[Path, Path]:
    """Where the new tree is made, and where the old one goes during the swap."""
    return dest.with_name(f"{dest.name}.new"), dest.with_name(f"{dest.name}.old")


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _recover(dest: Path, new: Path, old: Path) -> None:
    """Undo what an interrupted sync left beside ``dest``."""
    if old.exists() or old.is_symlink():
        if dest.exists():
            _remove(old)  # the swap was done
        else:
            old.rename(dest)  # killed between the two renames: the old site is back
    _remove(new)


def _swap(dest: Path, new: Path, old: Path) -> None:
    if not dest.exists():
        new.rename(dest)
        return
    dest.rename(old)
    try:
        new.rename(dest)
    except BaseException:
        old.rename(dest)
        raise
    shutil.rmtree(old, ignore_errors=True)  # if it stays, the next sync removes it


def sync_tree(src: Path, dest: Path) -> SyncReport:
    """Make ``dest`` hold exactly ``src``'s files, all at once, keeping the
    modification time of files whose bytes did not change."""
    if dest.is_symlink():
        dest = dest.resolve()
    new, old = work_folders(dest)
    _recover(dest, new, old)
    report = SyncReport()
    wanted = _files(src)
    before = _files(dest) if dest.is_dir() else set()
    # Paths made by joining strings, a thousand files a sync: each root ends
    # in the separator, and a relative path's "/" is one on every system.
    roots = [os.path.join(os.fspath(root), "") for root in (src, dest, new)]
    kept = {rel for rel in wanted & before if unchanged(roots[0] + rel, roots[1] + rel)}
    if before == wanted == kept and dest.is_dir():
        report.unchanged = len(kept)
        return report  # nothing to publish: the published tree stays as it is
    try:
        new.mkdir(parents=True)
        for folder in sorted({rel.rpartition("/")[0] for rel in wanted} - {""}):
            (new / folder).mkdir(parents=True, exist_ok=True)
        for rel in sorted(wanted):
            source, published, target = (root + rel for root in roots)
            if rel in kept:
                keep_file(published, target)
                report.unchanged += 1
            else:
                copy_file(source, target)
                report.copied.append(rel)
        if dest.is_dir():
            shutil.copymode(dest, new)
        _swap(dest, new, old)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    report.removed = sorted(before - wanted)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m essayist.tools.sync",
        description="Replace the published folder with a successful build, all at once.",
    )
    parser.add_argument("staging", type=Path)
    parser.add_argument("published", type=Path)
    args = parser.parse_args(argv)
    if not (args.staging / "index.html").is_file():
        print(f"{args.staging}: no finished build here (no index.html)", file=sys.stderr)
        return 1
    staging, published = (Path(os.path.realpath(p)) for p in (args.staging, args.published))
    if staging.is_relative_to(published) or published.is_relative_to(staging):
        print(f"{args.published}: must be outside {args.staging}, and not hold it", file=sys.stderr)
        return 1
    try:
        report = sync_tree(args.staging, args.published)
    except OSError as err:
        print(f"{args.published}: not published, left as it was: {err}", file=sys.stderr)
        return 1
    print(
        f"{args.published}: {len(report.copied)} file(s) updated, "
        f"{len(report.removed)} removed, {report.unchanged} unchanged"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
