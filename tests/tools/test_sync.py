"""A failed build leaves the published site intact; a good one updates it."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT

from essayist.tools import sync
from essayist.tools.sync import main, sync_tree


def test_sync_copies_changes_and_removes_stale_files(tmp_path):
    src, dest = tmp_path / "staging", tmp_path / "html"
    (src / "posts").mkdir(parents=True)
    (src / "index.html").write_text("new home")
    (src / "posts/a.html").write_text("a")
    (src / ".doctrees").mkdir()
    (src / ".doctrees/env.pickle").write_text("x")
    (dest / "old").mkdir(parents=True)
    (dest / "index.html").write_text("old home")
    (dest / "old/gone.html").write_text("gone")
    report = sync_tree(src, dest)
    assert report.copied == ["index.html", "posts/a.html"]
    assert report.removed == ["old/gone.html"]
    assert (dest / "index.html").read_text() == "new home"
    assert not (dest / "old").exists()
    assert not (dest / ".doctrees").exists()
    # A second sync writes nothing.
    before = (dest / "posts/a.html").stat().st_mtime_ns
    again = sync_tree(src, dest)
    assert again.copied == [] and again.removed == [] and again.unchanged == 2
    assert (dest / "posts/a.html").stat().st_mtime_ns == before


def test_sync_refuses_an_unfinished_build(tmp_path, capsys):
    (tmp_path / "staging").mkdir()
    assert main([str(tmp_path / "staging"), str(tmp_path / "html")]) == 1
    assert "no finished build" in capsys.readouterr().err
    assert not (tmp_path / "html").exists()


def copy_project(project: Path) -> Path:
    """The project's sources, as a new user's clone has them (no venv, no build)."""
    ignore = shutil.ignore_patterns(
        ".venv", "_build", ".git", "node_modules", "tests", "benchmarks", ".*cache"
    )
    shutil.copytree(PROJECT, project, ignore=ignore)
    return project


def test_failed_make_html_keeps_the_previous_site(tmp_path):
    """`make html` on a copy of the project: break a post, the old site stays."""
    project = copy_project(tmp_path / "project")
    venv = PROJECT / ".venv"
    make = ["make", "-s", f"VENV={venv}", "html"]
    stamp = ["-o", f"{venv}/.installed"]
    ok = subprocess.run(make + stamp, cwd=project, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    essay = project / "_build/html/posts/2026/what-does-it-mean-to-align-an-ai.html"
    good = essay.read_bytes()
    post = project / "posts/2026/what-does-it-mean-to-align-an-ai.md"
    post.write_text(post.read_text() + "\nA {ref}`broken <nowhere>` link.\n")
    bad = subprocess.run(make + stamp, cwd=project, capture_output=True, text=True)
    assert bad.returncode != 0
    assert essay.read_bytes() == good
    assert b"nowhere" not in essay.read_bytes()


def make_tree(root, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def snapshot(root) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` with its bytes and modification time."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


SITE = {
    "index.html": "home, linking to a.html",
    "a.html": "a",
    "b.html": "b",
    "_static/site.css": "css",
    "posts/c.html": "c",
}
NEXT = {
    "index.html": "new home, linking to a.html and d.html",
    "a.html": "a2",
    "_static/site.css": "css",
    "posts/c.html": "c2",
    "posts/d.html": "d",
}


def test_a_failed_copy_leaves_the_published_site_untouched(tmp_path, monkeypatch, capsys):
    src, dest = tmp_path / "staging", tmp_path / "html"
    make_tree(src, SITE)
    assert main([str(src), str(dest)]) == 0
    before = snapshot(dest)
    shutil.rmtree(src)
    make_tree(src, NEXT)
    copied = []

    def failing_copy(source, target):
        if len(copied) == 3:
            raise OSError(28, "No space left on device")
        copied.append(target)
        shutil.copy2(source, target)

    monkeypatch.setattr(sync, "copy_file", failing_copy)
    assert main([str(src), str(dest)]) == 1
    err = capsys.readouterr().err
    assert f"{dest}: not published, left as it was: [Errno 28] No space left on device" in err
    assert snapshot(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "staging"]
    # The next sync, with room again, publishes all of it at once.
    monkeypatch.undo()
    assert main([str(src), str(dest)]) == 0
    assert capsys.readouterr().out == f"{dest}: 4 file(s) updated, 1 removed, 1 unchanged\n"
    assert {rel: data.decode() for rel, (data, _) in snapshot(dest).items()} == NEXT
    assert snapshot(dest)["_static/site.css"] == before["_static/site.css"]


def test_a_failed_swap_puts_the_old_site_back(tmp_path, monkeypatch, capsys):
    src, dest = tmp_path / "staging", tmp_path / "html"
    make_tree(src, SITE)
    sync_tree(src, dest)
    before = snapshot(dest)
    make_tree(src, NEXT)
    rename = Path.rename

    def failing_rename(self, target):
        if self.name == "html.new":
            raise PermissionError(13, "Permission denied")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    assert main([str(src), str(dest)]) == 1
    assert "not published, left as it was: [Errno 13] Permission denied" in capsys.readouterr().err
    assert snapshot(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "staging"]


def test_a_sync_killed_between_the_renames_is_undone(tmp_path):
    """Killed after ``html`` became ``html.old`` and before ``html.new`` became
    ``html``: the next sync puts the old site back, then publishes."""
    src, dest = tmp_path / "staging", tmp_path / "html"
    make_tree(src, SITE)
    sync_tree(src, dest)
    dest.rename(tmp_path / "html.old")
    make_tree(tmp_path / "html.new", {"index.html": "half made"})
    report = sync_tree(src, dest)
    assert (report.copied, report.removed, report.unchanged) == ([], [], len(SITE))
    assert {rel: data.decode() for rel, (data, _) in snapshot(dest).items()} == SITE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "staging"]
    # Killed after the swap, before the old tree was deleted: it is deleted.
    make_tree(tmp_path / "html.old", {"index.html": "old"})
    assert sync_tree(src, dest).unchanged == len(SITE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "staging"]


def test_what_is_published_is_staging_as_it_is(tmp_path):
    """The rule for files nobody listed: a file in staging is published (keeping
    staging exact is the build's job, and it never deletes a user's file); a
    file only in the published folder is gone; Sphinx's bookkeeping stays behind."""
    src, dest = tmp_path / "staging", tmp_path / "html"
    make_tree(src, {**SITE, "mine.html": "user's", ".doctrees/x": "x", ".buildinfo.bak": "b"})
    make_tree(dest, {"only-published.html": "p"})
    report = sync_tree(src, dest)
    assert report.removed == ["only-published.html"]
    assert sorted(snapshot(dest)) == sorted([*SITE, "mine.html"])


def test_the_published_folder_is_replaced_where_its_link_points(tmp_path):
    src, real, link = tmp_path / "staging", tmp_path / "www", tmp_path / "html"
    make_tree(src, SITE)
    make_tree(real, {"old.html": "old"})
    link.symlink_to(real)
    assert main([str(src), str(link)]) == 0
    assert link.is_symlink() and sorted(snapshot(real)) == sorted(SITE)


def test_make_html_publishes_a_removed_post_removed(tmp_path):
    """Issue 13, end to end: delete a post, `make html`, and its page and its tag's
    page are gone from _build/html, which then holds what a clean build does."""
    project = copy_project(tmp_path / "project")
    post = project / "posts/2026/on-proxies.md"
    post.write_text(
        "---\ndate: 2026-03-05\nauthor: Perucy Mussiba\ncategory: Alignment\n"
        "tags: proxies\n---\n\n# On Proxies\n\nA short essay about proxies.\n",
        encoding="utf-8",
    )
    venv = PROJECT / ".venv"
    make = ["make", "-s", f"VENV={venv}", "-o", f"{venv}/.installed", "html"]
    first = subprocess.run(make, cwd=project, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    html = project / "_build/html"
    gone = {"posts/2026/on-proxies.html", "posts/tag/proxies.html", "posts/tag/proxies/atom.xml"}
    assert all((html / rel).is_file() for rel in gone)
    post.unlink()
    second = subprocess.run(make, cwd=project, capture_output=True, text=True)
    assert second.returncode == 0, second.stdout + second.stderr
    assert not any((html / rel).exists() for rel in gone)
    assert sorted(p.name for p in (project / "_build").iterdir()) == ["doctrees", "html", "staging"]
    clean = tmp_path / "clean"
    result = subprocess.run(
        [
            venv / "bin/sphinx-build",
            "-b",
            "html",
            "-q",
            "-d",
            clean / "doctrees",
            project,
            clean / "html",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr

    def files(root):
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    assert files(html) == files(clean / "html")


def test_an_unchanged_file_is_the_published_file_itself_not_a_copy(tmp_path):
    """A no-op sync copies nothing: each unchanged file in the new tree is a hard
    link to the published one (same inode, same time), and once the old tree is
    gone nothing else shares it; staging's files are never linked."""
    src, dest = tmp_path / "staging", tmp_path / "html"
    make_tree(src, SITE)
    sync_tree(src, dest)
    inodes = {rel: (dest / rel).stat().st_ino for rel in SITE}
    before = snapshot(dest)
    folder = dest.stat().st_ino
    report = sync_tree(src, dest)
    assert (report.copied, report.unchanged) == ([], len(SITE))
    assert snapshot(dest) == before
    assert dest.stat().st_ino == folder  # nothing changed: no new tree at all
    # One file changed: a new tree, the others linked into it.
    (src / "b.html").write_text("b, changed")
    report = sync_tree(src, dest)
    assert (report.copied, report.unchanged) == (["b.html"], len(SITE) - 1)
    assert dest.stat().st_ino != folder
    inodes.pop("b.html")
    for rel in inodes:
        stat = (dest / rel).stat()
        assert (stat.st_ino, stat.st_nlink) == (inodes[rel], 1)
        assert stat.st_ino != (src / rel).stat().st_ino
    # The next build rewrites a staging file in place: the published one stays.
    with open(src / "a.html", "w") as out:
        out.write("z")
    assert (dest / "a.html").read_text() == "a"


def test_a_file_rewritten_to_the_same_size_and_time_is_still_published(tmp_path):
    """Same size and modification time are not enough when staging's file was
    written after the published copy was made (a tool that keeps a source's
    time, as Sphinx does for static files): its bytes are compared."""
    src, dest = tmp_path / "staging", tmp_path / "html"
    make_tree(src, SITE)
    sync_tree(src, dest)
    published = (dest / "b.html").stat()
    (src / "b.html").write_text("B")
    os.utime(src / "b.html", ns=(published.st_atime_ns, published.st_mtime_ns))
    assert (src / "b.html").stat().st_mtime_ns == published.st_mtime_ns
    report = sync_tree(src, dest)
    assert report.copied == ["b.html"]
    assert (dest / "b.html").read_text() == "B"


def test_without_hard_links_unchanged_files_are_copied(tmp_path, monkeypatch):
    src, dest = tmp_path / "staging", tmp_path / "html"
    make_tree(src, SITE)
    sync_tree(src, dest)
    before = snapshot(dest)

    def no_links(source, target):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    report = sync_tree(src, dest)
    assert (report.copied, report.unchanged) == ([], len(SITE))
    assert snapshot(dest) == before


def test_the_publish_step_starts_without_sphinx():
    """`make html` runs the sync after every build: it loads neither Sphinx nor
    the extension's features (half a second of imports at every `make html`)."""
    code = "import sys, essayist.tools.sync; print(sorted({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(done.stdout))
    assert "essayist" in loaded
    assert not loaded & {"sphinx", "docutils", "ablog", "furo", "myst_parser", "lxml"}


def test_file_names_authors_choose_are_published_and_kept(tmp_path):
    """Post and image names as authors give them: spaces, other scripts, marks
    that mean something in URLs or shells, a leading dot, a long name."""
    names = {
        "posts/2026/on proxies.html": "a",
        "posts/2026/ünïcödé-数学.html": "b",
        "posts/2026/#50%?&;'$(x).html": "c",
        "posts/2026/.hidden.html": "d",
        "posts/2026/" + "long-" * 48 + ".html": "e",
        "_images/a b/π.png": "f",
    }
    src, dest = tmp_path / "staging", tmp_path / "html"
    make_tree(src, {**SITE, **names})
    assert sorted(sync_tree(src, dest).copied) == sorted({**SITE, **names})
    inodes = {rel: (dest / rel).stat().st_ino for rel in names}
    (src / "index.html").write_text("home, changed")
    report = sync_tree(src, dest)
    assert report.copied == ["index.html"]
    assert {rel: (dest / rel).stat().st_ino for rel in names} == inodes
    assert {rel: (dest / rel).read_text() for rel in names} == names
