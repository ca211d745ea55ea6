"""An author's mistake in a setting or a site file (essayist.config) is printed
as what to fix, by ``sphinx-build`` and by ``make serve``: not as a crash
report asking the author to report it to Sphinx's developers."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from blogtools import copy_root
from sphinx.util.console import strip_escape_sequences

BROKEN_BIB = "@misc{a, title={A}, year=2020}\n@misc{b, title={B\n"
BIB_PROBLEM = "BibTeX cannot read it: this entry's braces { } do not close: close them"
# What Sphinx 9 adds to every error it prints (sphinx-doc/sphinx#13163).
CRASH_REPORT = ("Versions", "Loaded Extensions", "sphinx-err-", "sphinx-doc/sphinx/issues")


def site_with_broken_bib(tmp_path: Path) -> Path:
    src = copy_root("minimal", tmp_path)
    (src / "references.bib").write_text(BROKEN_BIB, encoding="utf-8")
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write('bibtex_bibfiles = ["references.bib"]\n')
    return src


def sphinx_build(src: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q", "-N"]
    cmd += [*extra, str(src), str(src / "_build/html")]
    env = {**os.environ, "TMPDIR": str(src)}  # where Sphinx would save a crash log
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)


def test_sphinx_build_prints_a_broken_bibtex_file_as_its_line_and_what_to_do(tmp_path):
    src = site_with_broken_bib(tmp_path)
    result = sphinx_build(src)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error:",
        f"essayist: {src / 'references.bib'}:2: {BIB_PROBLEM}",
    ]
    assert not list(src.glob("sphinx-err-*"))
    assert not (src / "_build/html/index.html").exists()


def test_sphinx_build_adds_the_traceback_when_asked_for_it(tmp_path):
    """``-T`` (Read the Docs always passes it): the message, then the traceback."""
    src = site_with_broken_bib(tmp_path)
    result = sphinx_build(src, "-T")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[:2] == [
        "Configuration error:",
        f"essayist: {src / 'references.bib'}:2: {BIB_PROBLEM}",
    ]
    assert "Traceback (most recent call last):" in lines
    assert (
        lines[-1]
        == f"essayist.config.InputError: essayist: {src / 'references.bib'}:2: {BIB_PROBLEM}"
    )
    assert not any(mark in result.stderr for mark in CRASH_REPORT)


def test_sphinx_still_prints_a_configuration_error_as_a_crash_report(tmp_path):
    """The day this fails, Sphinx prints a ``ConfigError`` plainly again, and
    ``essayist.config.install_report`` can go. Errors that are not an author's
    input keep Sphinx's report, with or without essayist."""
    src = copy_root("minimal", tmp_path)
    (src / "plain_error.py").write_text(
        "from sphinx.errors import ConfigError\n\n"
        "def _fail(app, config):\n"
        "    raise ConfigError('not an essayist error')\n\n"
        "def setup(app):\n"
        "    app.connect('config-inited', _fail)\n",
        encoding="utf-8",
    )
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write("import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n")
        conf.write('extensions.append("plain_error")\n')
    result = sphinx_build(src)
    assert result.returncode == 2
    assert "not an essayist error" in result.stderr
    assert all(mark in result.stderr for mark in CRASH_REPORT), result.stderr


def test_sphinx_build_uses_the_report_once(monkeypatch):
    from sphinx._cli.util import errors

    from essayist.config import install_report

    install_report()
    install_report()  # two applications in one process: one wrapper
    assert errors.handle_exception.essayist_report
    assert not getattr(errors.handle_exception.__wrapped__, "essayist_report", False)


def test_an_input_error_is_printed_alone(monkeypatch):
    from sphinx._cli.util import colour

    from essayist.config import InputError, with_report

    monkeypatch.setattr(colour, "_COLOURING_DISABLED", True)

    seen = []
    handle = with_report(lambda exc, **kw: seen.append(exc))
    stderr = io.StringIO()
    error = InputError("essayist: blog_authors in conf.py: fix it")
    handle(error, stderr=stderr, use_pdb=False, print_traceback=False, message_log=())
    assert (stderr.getvalue(), seen) == (
        "\nConfiguration error:\nessayist: blog_authors in conf.py: fix it\n",
        [],
    )


@pytest.mark.parametrize("debugger", [False, True])
def test_other_errors_and_the_debugger_go_to_sphinx(debugger):
    from essayist.config import InputError, with_report

    seen = []
    handle = with_report(lambda exc, **kw: seen.append((exc, kw)))
    stderr = io.StringIO()
    error = InputError("essayist: x") if debugger else ValueError("a bug")
    handle(error, stderr=stderr, use_pdb=debugger)
    assert seen == [(error, {"stderr": stderr, "use_pdb": debugger})]
    assert stderr.getvalue() == ""


def test_make_serve_prints_a_broken_bibtex_file_and_builds_once_it_is_fixed(tmp_path):
    from essayist.tools.preview import BuilderProcess, builder_options, parse_args

    src = site_with_broken_bib(tmp_path)
    argv = ["-b", "html", "-W", "--keep-going", "-n", "-q", "-D", "essayist_preview=1"]
    options = builder_options(parse_args([*argv, str(src), str(tmp_path / "preview")]))
    with open(tmp_path / "builder.log", "w") as log:
        builder = BuilderProcess(options, log=log)
        try:
            first = builder.start()
            # Coloured as Sphinx colours the rest when it runs under CI.
            said = strip_escape_sequences((tmp_path / "builder.log").read_text(encoding="utf-8"))
            assert first["ok"] is False
            assert (
                f"Configuration error:\nessayist: {src / 'references.bib'}:2: {BIB_PROBLEM}\n"
                in said
            )
            assert "Traceback" not in said
            (src / "references.bib").write_text(
                "@misc{a, title={A}, year=2020}\n", encoding="utf-8"
            )
            fixed = builder.build([src / "references.bib"])
            assert fixed["ok"], (tmp_path / "builder.log").read_text(encoding="utf-8")
        finally:
            builder.stop()
    assert (tmp_path / "preview/posts/2026/ok.html").is_file()
