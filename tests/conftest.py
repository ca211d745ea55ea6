"""Shared fixtures: the real site built once per session, and Sphinx test roots."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytest_plugins = ["sphinx.testing.fixtures"]

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return PROJECT / "tests" / "roots"


def build_site(outdir: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build the real site as ``make html`` does (``-W --keep-going -n``)."""
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q"]
    cmd += [*extra, str(PROJECT), str(outdir)]
    return subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once into a temporary folder (never ``_build``)."""
    outdir = tmp_path_factory.mktemp("site") / "html"
    result = build_site(outdir, "-d", str(outdir.parent / "doctrees"))
    assert result.returncode == 0, result.stderr
    return outdir


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def norm(text: str) -> str:
    """Whitespace folded and quotes straightened, for comparing prose."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def html_pages(outdir: Path) -> list[Path]:
    return sorted(p for p in outdir.rglob("*.html") if "_static" not in p.parts)


def folder_redirect(path: Path) -> bool:
    """Whether ``path`` is a folder's page that sends the reader on at once to
    the page of the folder's name (essayist.blog.folders: ``posts/index.html``
    to ``posts.html``), and nothing else."""
    if path.name != "index.html" or not (path.parent.parent / f"{path.parent.name}.html").is_file():
        return False
    refresh = soup(path).select('meta[http-equiv="refresh"]')
    return [m["content"] for m in refresh] == [f"0; url=../{path.parent.name}.html"]
