"""The sphinx-build process ends when the build ends (essayist.fastexit)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from essayist.fastexit import ENV_VAR, fast_exit_wanted

HERE = Path(__file__).parent

# Registered before the build, so it runs after essayist's handler (LIFO).
SCRIPT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
sys.path.insert(0, {tests!r})
from blogtools import build, copy_root
from pathlib import Path
src = copy_root("minimal", Path({tmp!r}))
app, warnings = build(src, freshenv=True)
assert warnings == "", warnings
print("frozen after build:", gc.get_freeze_count() > 0)
"""


def test_fast_exit_wanted():
    assert fast_exit_wanted({})
    assert fast_exit_wanted({ENV_VAR: "1"})
    for off in ("0", "false", "No", " off "):
        assert not fast_exit_wanted({ENV_VAR: off})


@pytest.mark.parametrize(("setting", "frozen"), [("1", True), ("0", False)])
def test_objects_are_frozen_at_exit_and_not_before(tmp_path, setting, frozen):
    script = SCRIPT.format(tests=str(HERE), tmp=str(tmp_path))
    env = {**os.environ, ENV_VAR: setting}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["frozen after build: False", f"frozen at exit: {frozen}"]
