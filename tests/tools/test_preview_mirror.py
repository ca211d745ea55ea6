"""The preview serves the last good build (essayist.tools.preview_mirror): each
sync brings what the build changed, removes what it removed, and touches
nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from essayist.tools.preview_mirror import Mirror


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_a_sync_brings_what_changed_and_removes_what_went(tmp_path):
    build, served = tmp_path / "preview.build", tmp_path / "preview"
    write(build, {"index.html": "home", "posts/a.html": "a", "posts/tag/x.html": "x"})
    write(build, {".doctrees/env.pickle": "state", "_static/s.css": "css"})
    # What a previous session served: one page the build no longer writes.
    write(served, {"index.html": "old home", "gone.html": "gone"})
    mirror = Mirror(build, served)
    assert mirror.sync() == (4, 1)
    assert tree(served) == {
        "_static/s.css": b"css",
        "index.html": b"home",
        "posts/a.html": b"a",
        "posts/tag/x.html": b"x",
    }
    assert mirror.sync() == (0, 0)  # nothing changed: nothing copied
    # A rebuild: one page rewritten (same size), one folder emptied.
    (build / "posts/a.html").write_text("b", encoding="utf-8")
    stat = (build / "posts/a.html").stat()
    os.utime(build / "posts/a.html", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    (build / "posts/tag/x.html").unlink()
    assert mirror.sync() == (1, 1)
    assert tree(served) == {"_static/s.css": b"css", "index.html": b"home", "posts/a.html": b"b"}
    assert not (served / "posts/tag").exists()  # the emptied folder goes too
    assert not list(served.rglob("*.part"))


def test_a_new_mirror_keeps_the_files_that_did_not_change(tmp_path):
    """A file served already with the build's size and time is not copied again
    (a copy keeps its file's time)."""
    build, served = tmp_path / "b", tmp_path / "s"
    write(build, {"index.html": "home", "a.html": "a"})
    assert Mirror(build, served).sync() == (2, 0)
    (build / "a.html").write_text("changed", encoding="utf-8")
    assert Mirror(build, served).sync() == (1, 0)
    assert tree(served) == {"a.html": b"changed", "index.html": b"home"}


def test_a_folder_served_where_it_is_built_is_left_alone(tmp_path):
    write(tmp_path, {"index.html": "home"})
    assert Mirror(tmp_path, tmp_path).sync() == (0, 0)
    assert tree(tmp_path) == {"index.html": b"home"}


def test_a_folder_left_for_later_is_brought_by_the_next_full_sync(tmp_path):
    """The pages' early sync leaves the hover previews to the sync at the
    build's end: neither copied nor removed until then."""
    build, served = tmp_path / "b", tmp_path / "s"
    write(build, {"index.html": "home", "_previews/a.json": "a", "_previews/b.json": "b"})
    mirror = Mirror(build, served)
    mirror.sync()
    (build / "index.html").write_text("home, edited", encoding="utf-8")
    (build / "_previews/a.json").write_text("a, edited", encoding="utf-8")
    (build / "_previews/b.json").unlink()
    assert mirror.sync(leave=("_previews",)) == (1, 0)
    assert tree(served) == {
        "_previews/a.json": b"a",
        "_previews/b.json": b"b",
        "index.html": b"home, edited",
    }
    assert mirror.sync() == (1, 1)
    assert tree(served) == {"_previews/a.json": b"a, edited", "index.html": b"home, edited"}
