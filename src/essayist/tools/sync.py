"""Publish a finished build: copy only what changed from the staging folder.

``make html`` builds incrementally into ``_build/staging`` and, only when that
build succeeds, calls ``python -m essayist.tools.sync _build/staging _build/html``.
A failed build therefore never touches the site being previewed or deployed.
Files are copied (Sphinx truncates and rewrites its outputs in place, so hard
links would let a failing build damage the published copy) and each one is
replaced atomically; files that are gone from the build are removed.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# Sphinx's own bookkeeping stays with the build, not the published site.
SKIP = {".doctrees", ".buildinfo.bak"}


@dataclass
class SyncReport:
    copied: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def _files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not SKIP.intersection(p.relative_to(root).parts)
    }


def sync_tree(src: Path, dest: Path) -> SyncReport:
    """Make ``dest`` hold exactly ``src``'s files, writing only what differs."""
    report = SyncReport()
    dest.mkdir(parents=True, exist_ok=True)
    wanted = _files(src)
    for rel in sorted(wanted):
        source, target = src / rel, dest / rel
        if target.is_file() and filecmp.cmp(source, target, shallow=False):
            report.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".sync-")
        os.close(fd)
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
        report.copied.append(rel)
    for rel in sorted(_files(dest) - wanted):
        (dest / rel).unlink()
        report.removed.append(rel)
    for folder in sorted((p for p in dest.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m essayist.tools.sync",
        description="Copy a successful build into the published folder, changed files only.",
    )
    parser.add_argument("staging", type=Path)
    parser.add_argument("published", type=Path)
    args = parser.parse_args(argv)
    if not (args.staging / "index.html").is_file():
        print(f"{args.staging}: no finished build here (no index.html)", file=sys.stderr)
        return 1
    report = sync_tree(args.staging, args.published)
    print(
        f"{args.published}: {len(report.copied)} file(s) updated, "
        f"{len(report.removed)} removed, {report.unchanged} unchanged"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
