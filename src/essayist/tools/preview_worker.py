"""What a worker of the warm preview does faster than ``sphinx-build``, with
the same result (and its terminal output, held until it builds): the
environment pickled beside the pages, the documents taken
from the environment when no file was added or removed, the last search index
parsed before the fork. Each is installed in the forked worker only
(``essayist.tools.preview_builder``), which exits after its one build.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import io
import os
import signal
import sys
import traceback
from pathlib import Path

from jinja2 import BytecodeCache


class Deferred(io.TextIOBase):
    """Sphinx's status stream: what a fresh application says at start-up is
    kept, and shown by the worker that builds next, before its own lines."""

    def __init__(self, target) -> None:
        self.target = target
        self.kept: list[str] = []
        self.live = False

    def write(self, text: str) -> int:
        if self.live:
            self.target.write(text)
        else:
            self.kept.append(text)
        return len(text)

    def flush(self) -> None:
        if self.live:
            self.target.flush()

    def release(self) -> None:
        self.live = True
        self.target.write("".join(self.kept))
        self.kept.clear()

    def isatty(self) -> bool:
        return False


def templates_used(app) -> list[str]:
    """The templates a build compiled (the names in Jinja's cache)."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    cache = getattr(environment, "cache", None)
    if cache is None:
        return []
    return sorted({key[1] for key in cache if isinstance(key[1], str)})


class TemplateCode(BytecodeCache):
    """Jinja's compiled templates, kept in the builder's memory from one
    application to the next: each refresh made Sphinx's new template
    environment compile the same templates from their source again (0.08 s to
    0.13 s of a refresh at 1,000 essays). Jinja keys a template by its name and
    file and checks its source's checksum, so an edited template (which starts
    the builder cold anyway) is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = TemplateCode()


def compile_templates(app, names: list[str]) -> None:
    """Compile, in the builder, the templates the last worker used: each
    worker finds them compiled (Jinja checks each file's time as usual)."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None:
        return
    if environment.bytecode_cache is None:
        environment.bytecode_cache = TEMPLATE_CODE
    for name in names:
        with contextlib.suppress(Exception):  # the worker compiles it if it must
            environment.get_template(name)


# A warm worker that reads and writes no more documents than this leaves its
# garbage to the exit.
FEW_DOCUMENTS = 20


def collect_only_when_many(app) -> None:
    """No garbage collection in a worker that reads and writes a few pages
    (an edit): it exits without freeing anything anyway, and the collector ran
    a dozen times in such a build, then once more over everything the build
    made when it ended (0.035 s to 0.045 s of a rebuild at 1,000 essays). It
    runs again (``speedups.collector``'s thresholds) as soon as the build is
    to read or write more than ``FEW_DOCUMENTS`` documents (a branch switched,
    a title that every page's navigation shows), whose doctrees would
    otherwise all stay in memory until the exit."""
    from ..speedups.collector import leave_to_exit

    leave_to_exit()

    def many(count: int) -> None:
        if count > FEW_DOCUMENTS:
            leave_to_exit(False)

    app.connect("env-before-read-docs", lambda app, env, docnames: many(len(docnames)))
    builder = app.builder
    write = builder.write

    def write_many(build_docnames, updated_docnames, *args, **kwargs):
        if build_docnames is None or build_docnames == ["__all__"]:
            many(len(app.env.found_docs))
        else:
            many(len({*build_docnames, *updated_docnames}))
        return write(build_docnames, updated_docnames, *args, **kwargs)

    builder.write = write_many


def import_modules(names: list[str]) -> None:
    """Import, in the builder, the modules the last worker imported while
    building (pybtex's LaTeX codec, a math converter...): each worker finds
    them loaded."""
    for name in names:
        if name not in sys.modules:
            with contextlib.suppress(Exception):  # the worker imports it if it must
                importlib.import_module(name)


def let_go(namespace: contextlib.ExitStack | None) -> None:
    """Let the builder's last application go, and collect it now.

    Before the collection, what still holds it lets go: docutils' registries
    (``namespace``: its roles and directives), Sphinx's log handlers (their
    filters hold the application; the next application's set-up would take
    them off), and the nodes ``KeptByNode`` kept (whole tables of contents and
    excerpts of the last environment). Held past the collection, all that
    became garbage only once the next application was made, and was frozen
    with it (``speedups.collector``): two applications in memory, and at 1,000
    essays a collection of 0.8 to 1.1 s at each refresh instead of 0.4 s."""
    import logging

    from sphinx.util.logging import NAMESPACE

    from ..incremental.state import KeptByNode
    from ..speedups.collector import restore

    if namespace is not None:
        namespace.close()  # docutils' registries as before the last application
    logger = logging.getLogger(NAMESPACE)
    while logger.handlers:  # no name left holding the last one at the collection
        logger.removeHandler(logger.handlers[-1])
    KeptByNode.forget_all()
    restore()  # everything back to the collector (speedups.collector froze it)
    gc.collect()


def recursion_message(app) -> str:
    """What a worker says of a RecursionError (its traceback is a thousand
    frames): the document it was reading, and what to do, as sphinx-build."""
    try:
        docname = app.env.docname if app is not None else None
    except Exception:  # noqa: BLE001 - not reading any document
        docname = None
    where = f" while reading {app.env.doc2path(docname)}" if docname else ""
    return (
        f"Recursion error{where}: it is nested too deeply (hundreds of blocks or "
        "lists inside each other): flatten it"
    )


def describe(status: int) -> str:
    """A worker's wait status, in words."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return f"killed by signal {sig} ({signal.Signals(sig).name})"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


class PreloadedSearchIndex:
    """The last search index, loaded by the builder before a worker forks.

    Before it writes a page, Sphinx's HTML builder loads ``searchindex.js`` into
    a new ``IndexBuilder`` (the pages it does not write keep their words): at
    1,000 essays, parsing that JSON and making its sets is about 0.05 s. The
    builder does it at start-up and after each build, with Sphinx's own
    ``IndexBuilder.load``; a worker's ``load`` of that same file (same size and
    modification time) takes what it made (the worker's copy: Sphinx then
    prunes it in place).
    """

    # What ``IndexBuilder.load`` sets.
    LOADED = ("_filenames", "_titles", "_all_titles", "_mapping", "_title_mapping")

    def __init__(self, path: Path, stamp: tuple[int, int], state: dict) -> None:
        self.path, self.stamp, self.state = path, stamp, state

    @classmethod
    def load(cls, builder) -> PreloadedSearchIndex | None:
        name = getattr(builder, "searchindex_filename", None)
        if not name or not getattr(builder, "search", False):
            return None
        from sphinx.search import IndexBuilder

        config = builder.config
        lang = config.html_search_language or config.language
        path = Path(builder.outdir) / name
        try:
            stat = path.stat()
            # As the builder's prepare_writing and load_indexer do.
            indexer = IndexBuilder(
                builder.env, lang, config.html_search_options, config.html_search_scorer
            )
            with open(path, encoding="utf-8") as f:
                indexer.load(f, builder.indexer_format)
        except (OSError, ValueError, AttributeError):
            return None  # the worker finds no index, or a broken one, as Sphinx would
        state = {attr: getattr(indexer, attr) for attr in cls.LOADED}
        return cls(path, (stat.st_size, stat.st_mtime_ns), state)

    def install(self) -> None:
        """In a worker: ``IndexBuilder.load`` of this file takes what was loaded."""
        from sphinx.search import IndexBuilder

        load = IndexBuilder.load
        preloaded_index = self

        def preloaded(indexer, stream, format):
            try:
                same = Path(stream.name) == preloaded_index.path
                stat = os.stat(preloaded_index.path)
            except (AttributeError, TypeError, OSError):
                same = False
            if not same or (stat.st_size, stat.st_mtime_ns) != preloaded_index.stamp:
                return load(indexer, stream, format)
            for attr, value in preloaded_index.state.items():
                setattr(indexer, attr, value)
            return None

        IndexBuilder.load = preloaded


# From which size of the last environment pickle a worker holds the next one.
# Below it, pickling takes a few hundredths of a second, about what the fork
# costs (at 100 essays, 0.8 MB: the pages written as soon either way, measured
# in alternating edits); at 300 essays (2.2 MB) the pages are written 0.085 s
# sooner (0.47 s against 0.56 s, 21 edits alternating on 2 December; an earlier
# measurement on a quieter machine found no difference), at 1,000 (7.3 MB)
# 0.15 s to 0.3 s sooner.
HOLD_FROM_BYTES = 1_000_000
# Tests only: another size (``0``: always hold).
HOLD_FROM_VAR = "ESSAYIST_PREVIEW_HOLD_FROM"


class HeldPickle:
    """The environment pickle of a worker's build, written beside the pages.

    Sphinx pickles the environment right after reading, before it writes a page:
    at 1,000 essays that is about a fifth of a second the author waits for. In a
    worker whose last pickle is at least ``HOLD_FROM_BYTES`` long, Sphinx's
    ``open(<doctreedir>/environment.pickle, "wb")`` gets this object instead of
    the file, and ``pickle.dump`` into it forks a process that pickles the
    environment as it is at that moment (its copy of the memory is the fork's)
    into a temporary file, renamed over the last pickle; the worker writes the
    pages meanwhile, and waits for that process once the tab is told to reload.
    (Pickling later in the worker itself would not do: writing the pages changes
    the environment, so the next build would start from what no ``sphinx-build``
    pickles.) If it fails, or a worker dies before, the last pickle stays, and
    the output folder stays marked unfinished (``essayist.incremental.published``):
    the next build reads the edited documents again and writes every page, as
    after any killed build. Nothing is held if Sphinx no longer pickles this way:
    then it writes its pickle itself, as before.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pid = 0
        self.used = False

    def __enter__(self) -> HeldPickle:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def dump(self, env, protocol) -> None:
        import pickle

        self.used = True
        pid = os.fork()
        if pid:
            self.pid = pid
            return
        code = 1
        try:
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}")
            with open(partial, "wb") as f:
                pickle.dump(env, f, protocol)
            os.replace(partial, self.path)
            code = 0
        except BaseException:  # noqa: BLE001 - reported, and the worker says so
            traceback.print_exc()
        finally:
            os._exit(code)

    def wait(self) -> None:
        """Wait for the pickle; a failure stops the build (the last pickle stays)."""
        if not self.pid:
            return
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status:
            raise RuntimeError(f"pickling the environment failed: {describe(status)}")


def hold_environment_pickle(builder) -> HeldPickle:
    """Hold the environment pickle of this build (see :class:`HeldPickle`); the
    worker is a forked process that exits after the build, so the two names
    replaced in ``sphinx.builders`` are replaced there only."""
    import builtins
    import pickle
    import types

    import sphinx.builders as module
    from sphinx.application import ENV_PICKLE_FILENAME

    held = HeldPickle(Path(builder.doctreedir) / ENV_PICKLE_FILENAME)
    try:
        size = held.path.stat().st_size
    except OSError:
        size = 0
    if size < int(os.environ.get(HOLD_FROM_VAR) or HOLD_FROM_BYTES):
        return held  # a small environment: Sphinx pickles it, as before

    def open_(file, mode="r", *args, **kwargs):
        if mode == "wb" and Path(file) == held.path:
            return held
        return builtins.open(file, mode, *args, **kwargs)

    def dump(obj, file, protocol=None, **kwargs):
        if file is held:
            return held.dump(obj, protocol)
        return pickle.dump(obj, file, protocol, **kwargs)

    proxy = types.ModuleType("pickle")
    proxy.__dict__.update(pickle.__dict__)
    proxy.dump = dump
    module.open = open_
    module.pickle = proxy
    return held


def static_files(app, made: Path, *, kept: bool) -> None:
    """Sphinx's static files in a worker: made, and kept in ``made`` for the
    next worker; or, ``kept`` (only documents were edited since a worker of
    this application made them there), published from ``made``."""
    from ..incremental.published import KEEP_STATIC, keep_static

    if kept and made.is_dir():
        app.builder.copy_static_files = lambda: keep_static(app, made)
    setattr(app.builder, KEEP_STATIC, made)
