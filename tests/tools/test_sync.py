"""A failed build leaves the published site intact; a good one updates it."""

from __future__ import annotations

import shutil
import subprocess

from conftest import PROJECT

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


def test_failed_make_html_keeps_the_previous_site(tmp_path):
    """`make html` on a copy of the project: break a post, the old site stays."""
    project = tmp_path / "project"
    shutil.copytree(
        PROJECT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", "_build", ".git", "node_modules", "tests", "benchmarks", ".*cache"
        ),
    )
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
