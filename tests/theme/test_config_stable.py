"""A rebuild with nothing changed does not claim the configuration changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import PROJECT


def test_a_second_build_finds_the_configuration_unchanged(tmp_path):
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(tmp_path / "dt")]
    cmd += [str(PROJECT), str(tmp_path / "out")]
    first = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "building [html]" in first.stdout
    second = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "configuration has changed" not in second.stdout + second.stderr
    assert "targets for 0 source files that are out of date" in second.stdout


def test_folders_the_site_adds_are_named_from_the_project(tmp_path):
    """The theme's, ABlog's and sphinx-copybutton's folders are named from the
    project's folder in the settings, so ``.buildinfo`` (a digest of them) is
    the same wherever a checkout with its own .venv is; each folder still
    counts once."""
    from blogtools import build, copy_root

    src = copy_root("minimal", tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('extensions.append("sphinx_copybutton")\nhtml_static_path = ["media"]\n')
    (src / "media").mkdir()
    (src / "media/mine.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    folders = [*app.config.html_static_path, *app.config.templates_path]
    assert [p for p in folders if Path(p).is_absolute()] == []
    resolved = [Path(src, p).resolve() for p in app.config.html_static_path]
    assert app.config.html_static_path[0] == "media"  # the project's own, as written
    assert len(resolved) == len(set(resolved)) == 4  # and essayist's, ABlog's, copybutton's
    assert (app.outdir / "_static/mine.css").is_file()
    assert (app.outdir / "_static/copybutton.js").is_file()
    assert (app.outdir / "_static/essayist.css").is_file()
