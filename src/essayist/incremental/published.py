"""The output folder holds exactly what a clean build of the current sources would.

Sphinx never deletes an output: a document that is removed or becomes a draft,
an archive page ABlog no longer generates (a tag nobody uses), an image no
document shows, a file taken out of ``_static/``, all stay in the output
folder, and ``make html`` publishes them.
And a build that is killed while it writes leaves pages that are newer than
their sources, so the next build neither rewrites them nor feeds them to the
search index again: ``searchindex.js`` stays incomplete for good.

For the ``html`` and ``dirhtml`` builders this module keeps, in
``<doctreedir>/essayist-published.json``, a manifest per output folder of the
files it knows essayist and Sphinx write there: every document's page (and its
copied source), the pages essayist generates (the archive pages registered in
``incremental.outputs``), every other page written (genindex, search, the 404
page), the images and downloads documents use, and the static files Sphinx
copies (``_copy_static_listed``). A file is listed *before*
it is written, so a build that never finishes leaves nothing unlisted. When a
build succeeds, the listed files that a clean build would no longer write are
deleted, and the manifest becomes what this build expects. Files the manifest
never listed (a user's own) are never touched, nor anything outside the folder.

A page generated only when it changes must be registered with
``incremental.outputs`` (``OutputState.is_current``), as archive pages are, or
it counts as gone in a build that does not write it.

Interrupted builds: the output folder is marked unfinished in
``<doctreedir>/essayist-unfinished.json`` when a build starts writing, and
unmarked when it finishes without an exception. A build that finds its folder
marked writes every page again (and every generated output: the outputs'
signatures are forgotten), which also feeds every document to the search index.
Deleting ``.buildinfo`` would not do: Sphinx 9 then compares the pages' and the
sources' modification times, as before.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .outputs import OUTPUTS_KEY, output_state
from .outputs import STATE as OUTPUTS_STATE
from .state import StateFile, build_cache, remove_file

logger = logging.getLogger(__name__)

STATE = "published"
UNFINISHED = "unfinished"
BUILDERS = ("html", "dirhtml")
_CACHE = "published"


def applies(app: Sphinx) -> bool:
    return getattr(app.builder, "name", None) in BUILDERS


def _outdir_key(app: Sphinx) -> str:
    """The output folder, relative to the doctree folder: still right when the
    build folder that holds both is moved or restored elsewhere."""
    outdir, doctreedir = os.path.realpath(app.outdir), os.path.realpath(app.doctreedir)
    try:
        return os.path.relpath(outdir, doctreedir).replace(os.sep, "/")
    except ValueError:  # another drive
        return outdir


def page_files(app: Sphinx, pagenames) -> set[str]:
    """The files (relative to the output folder, POSIX) the builder writes for
    ``pagenames``."""
    builder = app.builder
    kind = type(builder)
    if (
        kind.get_outfilename is StandaloneHTMLBuilder.get_outfilename
        and kind.get_output_path is StandaloneHTMLBuilder.get_output_path
    ):
        return {pagename + builder.out_suffix for pagename in pagenames}  # fast: no Path
    root = builder.outdir
    return {
        os.path.relpath(builder.get_outfilename(p), root).replace(os.sep, "/") for p in pagenames
    }


def document_files(app: Sphinx) -> set[str]:
    """What a clean build writes for the current documents: each one's page and
    copied source, and the images and downloads they use."""
    builder, env, config = app.builder, app.env, app.config
    files = page_files(app, env.all_docs)
    files.update(f"{builder.imagedir}/{name}" for _docs, name in env.images.values())
    files.update(f"_downloads/{Path(dest).as_posix()}" for _docs, dest in env.dlfiles.values())
    if getattr(builder, "copysource", False) and config.html_copy_source:
        # As the HTML builder names the copy (``get_doc_context``).
        for docname in env.all_docs:
            suffix = str(env.doc2path(docname, False))[len(docname) :]
            name = docname + suffix
            if suffix != config.html_sourcelink_suffix:
                name += config.html_sourcelink_suffix
            files.add(f"_sources/{name}")
    return files


def generated_files(app: Sphinx) -> set[str]:
    """The outputs essayist generated or kept current this build (archive pages,
    feeds), as ``incremental.outputs`` registered them."""
    return set(output_state(app).current.get(OUTPUTS_KEY, {}).values())


def stale_files(listed: set[str], expected: set[str]) -> list[str]:
    """Listed files a clean build would not write, safe to delete: relative,
    without ``..``."""
    return sorted(
        rel
        for rel in listed - expected
        if rel and not PurePosixPath(rel).is_absolute() and ".." not in PurePosixPath(rel).parts
    )


class Manifest:
    """The files listed for this build's output folder, and the pages written."""

    def __init__(self, app: Sphinx) -> None:
        self.file = StateFile(app, STATE)
        self.key = _outdir_key(app)
        self.all: dict[str, list[str]] = self.file.load({})
        if not isinstance(self.all, dict):
            self.all = {}
        self.listed: set[str] = set(self.all.get(self.key, ()))
        self.written: set[str] = set()
        self.documents: set[str] | None = None  # document_files(), once per build

    def add(self, files: set[str]) -> None:
        """List ``files`` (before they are written)."""
        if not files <= self.listed:
            self.listed |= files
            self.save(self.listed)

    def save(self, files: set[str]) -> None:
        self.all[self.key] = sorted(files)
        self.file.save(self.all)


def _manifest(app: Sphinx) -> Manifest:
    cache = build_cache(app)
    if _CACHE not in cache:
        cache[_CACHE] = Manifest(app)
    return cache[_CACHE]


def unfinished_folders(app: Sphinx) -> set[str]:
    """The output folders whose last build started writing and never finished."""
    folders = StateFile(app, UNFINISHED).load([])
    return {f for f in folders if isinstance(f, str)} if isinstance(folders, list) else set()


def _set_unfinished(app: Sphinx, unfinished: bool) -> None:
    state = StateFile(app, UNFINISHED)
    folders = unfinished_folders(app)
    key = _outdir_key(app)
    if unfinished and key not in folders:
        state.save(sorted(folders | {key}))
    elif not unfinished and key in folders:
        folders.discard(key)
        if folders:
            state.save(sorted(folders))
        else:
            state.path.unlink(missing_ok=True)


def _copy_static_listed(app: Sphinx, copy) -> None:
    """Sphinx's ``copy_static_files``, made into a folder of its own first:
    what it made is listed, then copied where its bytes differ. Sphinx copies
    over what is there and never deletes: a file taken out of ``_static/``
    (or a theme's) stayed in the output, and was published, for good."""
    builder = app.builder
    static = Path(builder._static_dir)
    made = Path(tempfile.mkdtemp(prefix="essayist-static-", dir=app.doctreedir))
    try:
        builder._static_dir = made
        try:
            copy()
        finally:
            builder._static_dir = static
        _publish_static(app, made)
        kept = getattr(builder, KEEP_STATIC, None)
        if kept:  # the warm preview's worker: kept for the next (keep_static)
            shutil.rmtree(kept, ignore_errors=True)
            with contextlib.suppress(OSError):  # not kept: the next makes them again
                os.replace(made, kept)
                setattr(builder, STATIC_KEPT, "made")
    finally:
        shutil.rmtree(made, ignore_errors=True)


def _publish_static(app: Sphinx, made: Path) -> None:
    static = Path(app.builder._static_dir)
    files = sorted(p for p in made.rglob("*") if p.is_file())
    rels = {f"_static/{p.relative_to(made).as_posix()}" for p in files}
    manifest = _manifest(app)
    manifest.add(rels)
    manifest.written |= rels
    for path in files:
        target = static / path.relative_to(made)
        if not target.is_file() or not filecmp.cmp(path, target, shallow=False):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


# The warm preview (``tools.preview_builder``) sets, on a worker's builder, the
# folder where Sphinx's static files are kept once made (``KEEP_STATIC``); the
# copy sets ``STATIC_KEPT`` to "made" once they are there ("kept": published
# from there).
KEEP_STATIC = "essayist_keep_static"
STATIC_KEPT = "essayist_static_kept"


def keep_static(app: Sphinx, kept: Path) -> None:
    """``copy_static_files`` in a warm preview worker when only documents were
    edited since a worker of the same application made the static files into
    ``kept``: nothing they are made from has changed (the configuration and the
    theme are the application's, and a changed file under ``html_static_path``
    is not a document, so it starts a fresh application). They are published
    from there as the copy publishes them (listed, and copied where the
    folder's bytes differ: a theme may rewrite one after the copy, as Furo does
    ``pygments.css``), not made again."""
    _publish_static(app, kept)
    setattr(app.builder, STATIC_KEPT, "kept")


def _builder_inited(app: Sphinx) -> None:
    if applies(app) and hasattr(app.builder, "_static_dir"):
        copy = app.builder.copy_static_files
        app.builder.copy_static_files = lambda: _copy_static_listed(app, copy)
    if not applies(app) or _outdir_key(app) not in unfinished_folders(app):
        return
    logger.info(
        "essayist: the last build into %s did not finish; writing every page again",
        app.outdir,
    )
    build_cache(app)["repair"] = True
    # Generated outputs too: their signatures say nothing of what is on disk.
    StateFile(app, OUTPUTS_STATE).path.unlink(missing_ok=True)


def _get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    return sorted(env.all_docs) if build_cache(app).get("repair") else []


def _write_started(app: Sphinx, builder) -> None:
    if not applies(app):
        return
    _set_unfinished(app, True)
    manifest = _manifest(app)
    manifest.documents = document_files(app)
    manifest.add(manifest.documents)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    # Sphinx's opensearch.xml goes through here too, under another file name.
    if not applies(app) or not templatename.endswith(".html"):
        return
    manifest = _manifest(app)
    (rel,) = page_files(app, [pagename])
    manifest.written.add(rel)
    manifest.add({rel})


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not applies(app):
        return  # an unfinished build stays marked: the next one writes every page
    manifest = _manifest(app)
    documents = manifest.documents if manifest.documents is not None else document_files(app)
    expected = documents | generated_files(app) | manifest.written
    outdir = Path(app.outdir)
    removed = [rel for rel in stale_files(manifest.listed, expected) if remove_file(outdir, rel)]
    if removed:
        logger.info("essayist: removed %d file(s) a clean build would not write", len(removed))
    manifest.save(expected)
    _set_unfinished(app, False)


def setup_published(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-updated", _get_updated)
    app.connect("write-started", _write_started)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
