"""Helpers for tests that build copies of test roots, edit them and rebuild."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

ROOTS = Path(__file__).parent / "roots"


BIBTEX_CONF = (
    '\nextensions = ["myst_parser", "essayist", "sphinxcontrib.bibtex"]\n'
    'bibtex_bibfiles = ["references.bib"]\nbibtex_default_style = "unsrt"\n'
)


def bibtex_root(dest: Path, entries: str, posts: dict[str, str]) -> Path:
    """The minimal root with the site's ``references.bib`` and ``entries``
    added to it, and ``posts`` (file name under posts/2026/ -> text)."""
    src = copy_root("minimal", dest)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(BIBTEX_CONF)
    shutil.copy(ROOTS.parent.parent / "references.bib", src / "references.bib")
    with (src / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(entries)
    for name, text in posts.items():
        (src / "posts/2026" / name).write_text(text, encoding="utf-8")
    return src


def copy_root(name: str, dest: Path) -> Path:
    src = dest / "src"
    shutil.copytree(ROOTS / f"test-{name}", src)
    return src


def build(
    srcdir: Path,
    builddir: Path | None = None,
    *,
    parallel: int = 0,
    freshenv: bool = False,
    **overrides,
):
    """Build ``srcdir`` into ``builddir`` (default ``srcdir/_build``); return
    (app, warnings text)."""
    warning = StringIO()
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=builddir,
        freshenv=freshenv,
        parallel=parallel,
        confoverrides=overrides or None,
        status=StringIO(),
        warning=warning,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app, strip_escape_sequences(warning.getvalue())


def output_files(outdir: Path) -> dict[str, bytes]:
    """Every published output file (not Sphinx's pickles, nor its build
    record and the copy it keeps when the settings change), by relative path."""
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file()
        and ".doctrees" not in p.parts
        and p.name not in (".buildinfo", ".buildinfo.bak")
    }
