"""System tools the reader's-view tests need, and what to do when one is missing.

On a developer's machine a missing tool skips its tests with a message saying
how to get it. On CI (``CI`` set) or with ``ESSAYIST_NO_SKIP=1`` the same
message fails the test instead: nothing is silently skipped there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

PROJECT = Path(__file__).resolve().parents[2]
NODE_MODULES = PROJECT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

HOW_CHROMIUM = (
    "install Chromium (Debian/Ubuntu: `apt-get install chromium`), or run "
    "`.venv/bin/playwright install chromium`, or set ESSAYIST_CHROMIUM to a Chromium binary"
)
HOW_JAVA = "install Java 17 or newer (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`)"
HOW_NODE = "install Node.js 20 with npm, then `npm ci --ignore-scripts` (`make test` runs it)"


def strict() -> bool:
    """Whether a missing tool must fail the run rather than skip (CI, ESSAYIST_NO_SKIP=1)."""
    ci = os.environ.get("CI", "").strip().lower()
    return ci not in ("", "0", "false", "no") or os.environ.get("ESSAYIST_NO_SKIP") == "1"


def missing(what: str, how: str) -> NoReturn:
    """Skip the test because ``what`` is missing, or fail it under CI/ESSAYIST_NO_SKIP."""
    message = f"{what} not found: {how}"
    if strict():
        pytest.fail(f"{message} (CI or ESSAYIST_NO_SKIP=1 is set: nothing may be skipped)")
    pytest.skip(message)


def chromium_executable() -> str | None:
    """A system Chromium: ESSAYIST_CHROMIUM, else the first one on PATH; None if none."""
    explicit = os.environ.get("ESSAYIST_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def java() -> str:
    found = shutil.which("java")
    if not found:
        missing("Java", HOW_JAVA)
    return found


def node_file(path: Path) -> Path:
    if not path.exists():
        missing(f"{path.relative_to(PROJECT)}", HOW_NODE)
    return path
