"""A rebuild with nothing changed does not claim the configuration changed."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT


def test_a_second_build_finds_the_configuration_unchanged(tmp_path):
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(tmp_path / "dt")]
    cmd += [str(PROJECT), str(tmp_path / "out")]
    first = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "building [html]" in first.stdout
    second = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "configuration has changed" not in second.stdout + second.stderr
    assert "targets for 0 source files that are out of date" in second.stdout
