"""The warm builder of ``make serve``: Sphinx loaded once, one forked worker per edit.

Run by ``essayist.tools.preview`` as a process of its own (never by hand). It
imports Sphinx, MyST, ABlog, Furo and essayist once and creates the Sphinx
application (configuration read, extensions set up, environment unpickled,
builder ready); for each change it forks a worker (``os.fork``, copy-on-write)
that only calls ``app.build()`` and ``os._exit``s with its status. Right after
a worker ends, whatever its result, the builder creates a fresh application,
so the next fork starts from what is on disk now: the environment the worker
pickled, and essayist's own state (a build that did not finish is repaired by
the next one, which must read that at start-up).

What the application computed at start-up decides how a change is built:

* ``warm``: only documents the environment knows were edited: fork at once;
* ``fresh``: a file was added or deleted, or one that is not a document changed
  (a bibliography, a static file): create a fresh application, then fork;
* ``cold``: ``conf.py``, Python code, templates or a watched folder changed,
  or an edit changes which posts are left out: this process exits and
  ``preview.py`` starts a new one, which imports everything again.

This process has no threads (the web server is in ``preview.py``), so a fork
copies one thread that does nothing but the build. The protocol with
``preview.py`` is one JSON object a line on a socket (``--fd``).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import signal
import socket
import sys
import time
import traceback
from pathlib import Path

from ..blog.validate import clashes_ahead
from ..concepts.postinfo import ask_ahead as excerpts_ahead
from ..config import InputError, report
from ..incremental.published import STATIC_KEPT
from ..speedups import stemming
from ..speedups.navcache import with_only
from ..speedups.targets import ask_ahead
from .preview_mirror import Mirror
from .preview_outdated import OutdatedAhead, ask_the_disk_less
from .preview_worker import (
    Deferred,
    HeldPickle,
    PreloadedSearchIndex,
    collect_only_when_many,
    compile_templates,
    describe,
    hold_environment_pickle,
    import_modules,
    let_go,
    recursion_message,
    static_files,
    templates_used,
)

# Tests only: a worker that reads a document while this file exists is killed.
CRASH_FLAG = "ESSAYIST_PREVIEW_CRASH_FILE"
# The benchmark: while this folder exists, each worker's build is profiled into it.
PROFILE_DIR = "ESSAYIST_PREVIEW_PROFILE_DIR"
# What a worker says on its pipe once every page is written.
PAGES_WRITTEN = b"pages\n"


class WarmBuilder:
    """One Sphinx application kept ready, and a forked worker per build."""

    def __init__(
        self,
        srcdir: Path,
        outdir: Path,
        *,
        builder: str = "html",
        doctreedir: Path | None = None,
        confoverrides: dict | None = None,
        warningiserror: bool = False,
        quiet: bool = False,
        watch: list[Path] | tuple = (),
    ) -> None:
        self.srcdir = Path(srcdir).resolve()
        self.outdir = Path(outdir).resolve()
        self.doctreedir = Path(doctreedir or self.outdir / ".doctrees").resolve()
        self.builder = builder
        self.confoverrides = dict(confoverrides or {})
        self.warningiserror = warningiserror
        self.quiet = quiet
        self.watch = [Path(p).resolve() for p in watch]
        self.app = None
        self.status: Deferred | None = None
        self.warning: Deferred | None = None
        self._namespace: contextlib.ExitStack | None = None
        self.known_files: dict[Path, str] = {}  # each document's source, resolved
        self.watched = False  # sent a change: the server watches (preview_outdated)
        self.outdated: OutdatedAhead | None = None
        self.left_out: list[str] = []
        self.posts: frozenset[str] = frozenset()
        self.code_dirs: list[Path] = []
        self.templates_used: list[str] = []
        self.modules_used: list[str] = []
        self.search_index: PreloadedSearchIndex | None = None
        self.held: HeldPickle | None = None  # a worker's
        # Sphinx's static files, as a worker of this application made them
        # (incremental.published.keep_static); ``static_kept``: they are there.
        self.static_made = self.doctreedir / "essayist-static-made"
        self.static_kept = False

    # -- The application ------------------------------------------------------

    def refresh(self) -> float:
        """A fresh application (environment from disk); returns the seconds taken."""
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        start = time.perf_counter()
        self.close()
        self._namespace = contextlib.ExitStack()
        self._namespace.enter_context(patch_docutils(self.srcdir))
        self._namespace.enter_context(docutils_namespace())
        self.status = None if self.quiet else Deferred(sys.stdout)
        self.warning = Deferred(sys.stderr)
        self.app = Sphinx(
            str(self.srcdir),
            str(self.srcdir),
            str(self.outdir),
            str(self.doctreedir),
            self.builder,
            self.confoverrides,
            self.status,
            self.warning,
            freshenv=False,
            warningiserror=self.warningiserror,
        )
        env = self.app.env
        self.known_files = {Path(env.doc2path(d)).resolve(): d for d in env.found_docs}
        self.outdated = OutdatedAhead.ask(self.app, self.known_files) if self.watched else None
        ask_ahead(self.app.builder, env.found_docs)
        with_only(env)  # which tocs have ``only``: the workers ask again for those read
        excerpts_ahead(env)  # each post's excerpt text, for the concepts' views
        clashes_ahead(env)  # each post's terms' page names
        from ..blog.drafts import left_out_posts

        self.left_out, self.posts = left_out_posts(self.app)
        compile_templates(self.app, self.templates_used)
        import_modules(self.modules_used)
        self.search_index = PreloadedSearchIndex.load(self.app.builder)
        confdir = Path(self.app.confdir)
        self.code_dirs = [*self.watch]
        for entry in self.app.config.templates_path:
            self.code_dirs.append((confdir / entry).resolve())
        return time.perf_counter() - start

    def close(self) -> None:
        """Let the application go: collected now, not frozen with the next."""
        if self.app is not None or self._namespace is not None:
            self.app = None
            let_go(self._namespace)
            self._namespace = None

    def classify(self, paths: list[Path]) -> tuple[str, str]:
        """How to build after ``paths`` changed: (mode, why)."""
        confdir = Path(self.app.confdir).resolve()
        fresh = ""
        resolved = [Path(p).resolve() for p in paths]
        for path in resolved:
            if path == confdir / "conf.py" or path.suffix == ".py":
                return "cold", f"{path.name} changed"
            if any(path.is_relative_to(d) for d in self.code_dirs):
                return "cold", f"{path} is code or templates"
            if not fresh and (path not in self.known_files or not path.exists()):
                fresh = f"{path.name} is not a document the environment knows"
        from ..blog.drafts import left_out_posts, unreadable_post

        config = self.app.config
        if fresh or not ("essayist_preview" in config and config.essayist_preview):
            # Every post is looked at again: a scheduled post's date may have come.
            left_out_changed = left_out_posts(self.app)[0] != self.left_out
        else:
            # In the preview only posts that cannot be built are left out, and every
            # path is a document of the last build: the list changes if one cannot.
            left_out_changed = any(unreadable_post(self.app, p, self.posts) for p in resolved)
        if left_out_changed:
            return "cold", "the posts left out of the build changed"
        if fresh:
            return "fresh", fresh
        return "warm", "documents edited"

    # -- A worker ---------------------------------------------------------------

    def build(self, on_pages=None, *, same_files: bool = False, named=()) -> dict:
        """Fork a worker that builds with the current application; wait for it.

        ``on_pages(seconds)`` is called as soon as the worker has written every
        page (the tab can reload), before the search index, the inventory and
        what ``build-finished`` writes (feeds, sitemap, social cards).
        ``same_files``: no file was added or removed since this application's
        environment was pickled (a ``warm`` build): the worker does not walk the
        source folder again, and what is out of date is what was asked ahead and
        ``named``, the files the watcher named (``preview_outdated``)."""
        sys.stdout.flush()
        sys.stderr.flush()
        start = time.perf_counter()
        read_end, write_end = os.pipe()
        ack_read, ack_write = os.pipe()  # the pages served: the worker goes on
        pid = os.fork()
        if pid == 0:  # the worker: build, then leave without any clean-up
            code = 2
            try:
                os.close(read_end)
                os.close(ack_write)
                before = set(sys.modules)
                counts = stemming.stem_counts()
                code = self._work(write_end, same_files, ack_read, named)
                used = {
                    "stems": stemming.new_stems(counts),
                    "env_pickle": "held" if self.held and self.held.used else "sphinx",
                    "templates": templates_used(self.app),
                    "modules": sorted(set(sys.modules) - before),
                    "static": getattr(self.app.builder, STATIC_KEPT, None),
                }
                os.write(write_end, json.dumps(used).encode("utf-8") + b"\n")
            except RecursionError:
                print(recursion_message(self.app), file=sys.stderr)
            except BaseException:  # noqa: BLE001 - reported, and the status says so
                traceback.print_exc(limit=-40)  # the frames nearest the error
            finally:
                with contextlib.suppress(Exception):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        os.close(write_end)
        os.close(ack_read)
        used = b""
        with os.fdopen(read_end, "rb") as pipe, os.fdopen(ack_write, "wb", 0) as ack:
            for line in pipe:  # until the worker exits
                if line == PAGES_WRITTEN:
                    if on_pages is not None:
                        on_pages(round(time.perf_counter() - start, 3))
                    with contextlib.suppress(OSError):
                        ack.write(b"k")
                else:
                    used = line
        _, status, usage = os.wait4(pid, 0)
        env_pickle = None
        with contextlib.suppress(ValueError, AttributeError):
            used = json.loads(used or b"{}")
            env_pickle = used.get("env_pickle")
            self.templates_used = used.get("templates", [])
            stemming.add_stems(used.get("stems", {}))
            self.modules_used = used.get("modules", [])
        static = used.get("static") if isinstance(used, dict) else None
        self.static_kept = static in ("made", "kept")
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        return {
            "status": code,
            "ok": code == 0,
            "crashed": os.WIFSIGNALED(status) or code not in (0, 1),
            "why": describe(status),
            "seconds": round(seconds, 3),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
            # who pickled the environment: the worker, beside the pages ("held"), or
            # Sphinx, before them (if it no longer pickles as HeldPickle expects)
            "env_pickle": env_pickle,
            # Sphinx's static files: "made" by the worker, or "kept" from the last
            "static": static,
        }

    def _work(self, pipe: int, same_files: bool = False, ack: int | None = None, named=()) -> int:
        # What the worker inherits stays out of the collector's reach: a full collection
        # would copy the inherited heap, page by page; the worker exits without one.
        gc.freeze()
        if self.status is not None:
            self.status.release()
        self.warning.release()
        builder = self.app.builder
        if same_files:
            ask_the_disk_less(self.app, self.outdated, named)
            collect_only_when_many(self.app)
        static_files(self.app, self.static_made, kept=same_files and self.static_kept)
        if self.search_index is not None:
            self.search_index.install()
        handle_finish = getattr(builder, "handle_finish", None)
        if handle_finish is not None:
            held = self.held = hold_environment_pickle(builder)

            # HTML's last step, after every page, static file and image: the
            # search index and the inventory (then build-finished's outputs).
            def pages_written() -> None:
                if not (self.warningiserror and getattr(self.app, "_warncount", 0)):
                    os.write(pipe, PAGES_WRITTEN)  # no warning yet: they can be served
                    if ack is not None:  # ... and are, before anything else is written
                        os.read(ack, 1)
                held.wait()
                handle_finish()

            builder.handle_finish = pages_written
        flag = os.environ.get(CRASH_FLAG)
        if flag and os.path.exists(flag):
            self.app.connect("doctree-read", lambda *_: os.kill(os.getpid(), signal.SIGKILL))
        profile_dir = os.environ.get(PROFILE_DIR)
        if not profile_dir or not os.path.isdir(profile_dir):
            self.app.build()
            return self.app.statuscode
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU: the machine may be busy
        try:
            profiler.runcall(self.app.build)
        finally:
            profiler.dump_stats(os.path.join(profile_dir, f"worker-{os.getpid()}.prof"))
        return self.app.statuscode


# -- The process ------------------------------------------------------------------


def serve(builder: WarmBuilder, sock: socket.socket, mirror: Mirror) -> int:
    """Build first, then one build per request, until told to stop or cold;
    ``mirror`` serves each build's pages once they are good (preview_mirror)."""
    stream = sock.makefile("rwb", buffering=0)

    def say(message: dict) -> None:
        stream.write(json.dumps(message).encode("utf-8") + b"\n")

    served = []  # this build's pages, served before it ended

    def pages_written(seconds: float) -> None:
        served.append(mirror.sync(leave=("_previews",)))
        say({"event": "pages", "seconds": seconds})

    def built(mode: str, result: dict, why: str = "") -> None:
        if result["ok"]:
            mirror.sync()
        result["pages_served"], served[:] = bool(served), []
        say({"event": "built", "mode": mode, "reason": why, **result})

    builder.refresh()
    built("start", builder.build())
    say({"event": "ready", "refresh_s": round(builder.refresh(), 3)})
    for line in stream:
        request = json.loads(line)
        if request.get("cmd") != "build":
            break
        builder.watched = True  # the server watches: changes from now on are named
        paths = [Path(p) for p in request.get("paths", [])]
        mode, why = builder.classify(paths)
        if mode == "cold":
            say({"event": "cold", "reason": why})
            return 0
        if mode == "fresh":
            builder.refresh()
        built(mode, builder.build(pages_written, same_files=mode == "warm", named=paths), why)
        say({"event": "ready", "refresh_s": round(builder.refresh(), 3)})
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="essayist's warm preview builder")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--options", required=True, help="JSON: the builder's options")
    args = parser.parse_args(argv)
    options = json.loads(args.options)
    sock = socket.socket(fileno=args.fd)
    # Ctrl+C in ``make serve`` reaches the whole process group: the server
    # stops this process itself (a request to stop, or the socket closing).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from sphinx.util.console import color_terminal, nocolor

    if not color_terminal():
        nocolor()
    builder = WarmBuilder(
        Path(options["srcdir"]),
        Path(options["outdir"]),
        builder=options.get("builder", "html"),
        doctreedir=options.get("doctreedir"),
        confoverrides=options.get("confoverrides"),
        warningiserror=options.get("warningiserror", False),
        quiet=options.get("quiet", False),
        watch=[Path(p) for p in options.get("watch", [])],
    )
    mirror = Mirror(builder.outdir, Path(options.get("served") or builder.outdir))
    try:
        return serve(builder, sock, mirror)
    except (BrokenPipeError, ConnectionResetError):
        return 0
    except InputError as exc:  # a setting or site file to fix: said, no traceback
        report(exc)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
