"""``make serve``'s live preview (the warm preview, essayist.tools.preview)
reloads the reader's tab after an edit, under the site's Content-Security-Policy
(which allows sphinx-autobuild's reload script by its hash in preview builds
only)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from blogtools import copy_root

from essayist.theme.csp import DEFAULT_POLICY, SERVE_ADDRESS, preview_policy

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def preview(tmp_path):
    """The warm preview on a copy of the minimal root, as ``make serve`` runs it."""
    src = copy_root("minimal", tmp_path)
    port = free_port()
    address = f"127.0.0.1:{port}"
    env = {**os.environ, "ESSAYIST_PREVIEW": "1", SERVE_ADDRESS: address}
    cmd = [sys.executable, "-m", "essayist.tools.preview", "-b", "html", "-W", "--keep-going"]
    cmd += ["-n", "-q", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["-D", "essayist_preview=1", str(src), str(tmp_path / "preview")]
    log = open(tmp_path / "preview.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://{address}/posts/2026/ok.html"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    text = (tmp_path / "preview.log").read_text()
                    raise RuntimeError(f"the preview did not start:\n{text}") from None
                time.sleep(0.3)
        yield src, url, address
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        log.close()


def test_the_preview_policy_allows_only_the_reload_script():
    policy = preview_policy(DEFAULT_POLICY, "127.0.0.1:8000")
    assert policy.startswith("script-src 'sha256-")
    assert "'unsafe-inline'" not in policy
    assert preview_policy(DEFAULT_POLICY, None) == DEFAULT_POLICY


def test_an_edit_reloads_the_page_under_the_policy(preview, browser):
    src, url, address = preview
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)  # the WebSocket connects
    # A mark on this document: a reload makes a new one, without it. (A "load"
    # listener raced the text: the new document's text can be read before its
    # stylesheets have loaded and "load" fires.)
    page.evaluate("window.essayistBeforeEdit = true")
    post = src / "posts/2026/ok.md"
    post.write_text(
        post.read_text(encoding="utf-8") + "\nA sentence added while previewing.\n",
        encoding="utf-8",
    )
    deadline = time.monotonic() + 90
    text = ""
    while time.monotonic() < deadline:
        try:
            text = page.inner_text("article")
        except Exception:  # the page is between two loads
            text = ""
        if "A sentence added while previewing." in text:
            break
        page.wait_for_timeout(250)
    assert "A sentence added while previewing." in text
    reloaded = page.evaluate("window.essayistBeforeEdit === undefined")
    assert reloaded, "the text came without a reload"
    assert problems == []
    context.close()


def test_make_serve_passes_its_address_to_the_build():
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    assert "ESSAYIST_SERVE_ADDRESS=$(SERVE_HOST):$(SERVE_PORT)" in makefile
    assert "--host $(SERVE_HOST) --port $(SERVE_PORT)" in makefile
    assert "$(BIN)/python -m essayist.tools.preview -b html $(SPHINXOPTS)" in makefile
