"""``make serve``: the live preview, kept warm between edits.

``python -m essayist.tools.preview [options] SOURCEDIR OUTDIR`` serves OUTDIR
at ``--host``:``--port``, watches SOURCEDIR (and every ``--watch DIR``), and
rebuilds on each change; the open tab reloads when a rebuild is done.

sphinx-autobuild starts a new Sphinx process for each change, which imports
Sphinx, MyST, ABlog and Furo and unpickles the environment again before the real
work. Here the build runs in a warm builder (``preview_builder``), a process that
keeps all of that loaded and forks a worker per change; this process is only the
watcher and the web server, made of sphinx-autobuild's own pieces (its
``RebuildServer`` with the watch loop replaced, ``IgnoreFilter``,
``JavascriptInjectorMiddleware`` for the reload script the pages' CSP allows by
hash, Starlette's ``StaticFiles``, uvicorn). The builder is a process of its own
so that a cold start (``conf.py`` or the extension changed) does not close the
tab's WebSocket, and so that a fork never copies the server's threads.

The builder builds into a folder of its own, ``OUTDIR.build``, and OUTDIR
serves only good builds (``preview_mirror``): a build that fails is reported
(with the worker's exit status or signal) and the tab keeps the last good
site; the next change builds again, and the next good build brings it all.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from functools import partial
from pathlib import Path

SERVE_ADDRESS = "ESSAYIST_SERVE_ADDRESS"
# Never watched (sphinx-autobuild's own list, minus what it adds at run time).
IGNORED = [".git", ".hg", ".venv", "venv", "node_modules", ".mypy_cache", ".ruff_cache"]
IGNORED += [".pytest_cache", ".tox", ".nox", ".idea", ".vscode", "__pycache__"]


def say(message: str) -> None:
    print(f"[preview] {message}", flush=True)


class BuilderProcess:
    """The warm builder, as a child process; started again after a cold change."""

    def __init__(self, options: dict, env: dict | None = None, log=None) -> None:
        self.options = options
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None
        self.stream = None
        self.sock: socket.socket | None = None
        self.starts = 0
        self.pending = False  # a build's "ready" still to come
        self.lock = threading.Lock()

    def start(self) -> dict:
        """Start the builder; return its first build's result."""
        ours, theirs = socket.socketpair()
        cmd = [sys.executable, "-m", "essayist.tools.preview_builder"]
        cmd += ["--fd", str(theirs.fileno()), "--options", json.dumps(self.options)]
        out = self.log if self.log is not None else None
        self.process = subprocess.Popen(
            cmd, pass_fds=[theirs.fileno()], env=self.env, stdout=out, stderr=out
        )
        theirs.close()
        self.sock = ours
        self.stream = ours.makefile("rwb", buffering=0)
        self.starts += 1
        return self._reply()

    def _reply(self, on_pages=None) -> dict:
        while True:
            line = self.stream.readline()
            if not line:
                code = self.process.wait()
                return {"event": "died", "ok": False, "why": f"builder exited ({code})"}
            message = json.loads(line)
            if message["event"] == "pages":
                # Every page is written; the search index and the feeds follow.
                if on_pages is not None:
                    on_pages(message)
                continue
            self.pending = message["event"] == "built"
            if message["event"] != "ready":
                return message

    def wait_ready(self) -> None:
        """Wait until the builder has a fresh application after its last build
        (it builds the next change only then anyway)."""
        with self.lock:
            while self.pending and self.stream is not None:
                line = self.stream.readline()
                if not line:
                    break
                self.pending = json.loads(line)["event"] != "ready"

    def build(self, paths: Sequence[Path], on_pages=None) -> dict:
        """Build after ``paths`` changed: warm, or in a new builder when cold.

        ``on_pages(message)`` is called, from this thread, as soon as a warm
        build has written every page (before its search index and feeds)."""
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                if self.process is not None:
                    code = self.process.returncode
                    how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
                    say(f"the builder had stopped ({how}): starting it again")
                    self.stop()
                result = self.start()
                result["mode"] = "cold"
                return result
            request = {"cmd": "build", "paths": [str(p) for p in paths]}
            try:
                self.stream.write(json.dumps(request).encode("utf-8") + b"\n")
                result = self._reply(on_pages)
            except OSError as exc:
                result = {"event": "died", "why": str(exc)}
            if result["event"] in ("cold", "died"):
                why = result.get("reason") or result.get("why", "")
                self.stop()
                say(f"starting the builder again ({why})")
                result = {**self.start(), "mode": "cold", "reason": why}
            return result

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.stream.write(b'{"cmd": "stop"}\n')
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stream.close()
        self.sock.close()
        self.process = None


def report(result: dict) -> None:
    if result.get("ok"):
        say(f"rebuilt ({result.get('mode')}) in {result.get('seconds', 0):.2f} s")
        return
    why = result.get("why", "")
    if result.get("crashed"):
        say(f"the build stopped ({why}): the preview keeps the last good build; save to try again")
    elif result.get("pages_served"):
        say(
            f"the build failed ({why}) after writing its pages: the preview shows them, with "
            "the last good search index and feeds; fix the cause above and save again"
        )
    else:
        say(
            f"the build failed ({why}): the preview keeps the last good build; "
            "fix the cause above and save again"
        )


def make_app(builder: BuilderProcess, watch_dirs, ignore, serve_dir: Path, address: str):
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from sphinx_autobuild.server import RebuildServer
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    class WarmRebuildServer(RebuildServer):
        """sphinx-autobuild's server, building here instead of in a process pool,
        and telling each open tab of each build done while it is open (its one
        flag stayed set with no tab open: the next tab reloaded as it opened)."""

        builds = 0
        built: asyncio.Event | None = None

        def notify(self) -> None:
            """A build is done: every open tab reloads (in the event loop)."""
            done, self.built = self.built, asyncio.Event()
            self.builds += 1
            if done is not None:
                done.set()

        async def watch_reloads(self, ws) -> None:
            seen = self.builds
            while True:
                if self.builds == seen:
                    if self.built is None:
                        self.built = asyncio.Event()
                    await self.built.wait()
                    continue
                seen = self.builds
                await ws.send_text("refresh")

        async def watch(self) -> None:
            import watchfiles

            self.loop = asyncio.get_running_loop()

            # step: how long a batch of changes waits for more (an editor's
            # save is one or two events, microseconds apart); 50 ms by default.
            async for changes in watchfiles.awatch(
                *self.paths, watch_filter=lambda _, path: not self.ignore(path), step=10
            ):
                paths = sorted({Path(p).resolve() for _, p in changes})
                say("changed: " + ", ".join(p.name for p in paths[:5]))
                reloaded = threading.Event()
                try:
                    result = await asyncio.to_thread(
                        builder.build, paths, partial(self.reload_early, reloaded)
                    )
                except Exception as exc:  # noqa: BLE001 - the preview keeps watching
                    result = {"ok": False, "why": f"{type(exc).__name__}: {exc}"}
                report(result)
                if not reloaded.is_set() and result.get("ok"):
                    self.notify()  # (a failed build served nothing new)

        def reload_early(self, reloaded: threading.Event, _message: dict) -> None:
            """The pages are written: the tab reloads now, while the worker
            writes the search index and the feeds (called from the build's thread)."""
            reloaded.set()
            self.loop.call_soon_threadsafe(self.notify)

    watcher = WarmRebuildServer(watch_dirs, ignore, change_callback=builder.build)
    return Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watcher, name="reload"),
            Mount("/", app=StaticFiles(directory=serve_dir, html=True), name="static"),
        ],
        middleware=[Middleware(JavascriptInjectorMiddleware, ws_url=address)],
        lifespan=watcher.lifespan,
    )


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(
        prog="python -m essayist.tools.preview", description=__doc__.splitlines()[0]
    )
    parser.add_argument("sourcedir", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("-b", dest="builder", default="html")
    parser.add_argument("-d", dest="doctreedir", type=Path)
    parser.add_argument("-W", dest="warningiserror", action="store_true")
    parser.add_argument("--keep-going", action="store_true", help="always on (Sphinx 8.1+)")
    parser.add_argument("-n", dest="nitpicky", action="store_true")
    parser.add_argument("-q", dest="quiet", action="store_true")
    parser.add_argument("-D", dest="define", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--watch", action="append", default=[], type=Path, metavar="DIR")
    parser.add_argument("--ignore", action="append", default=[], metavar="PATTERN")
    return parser.parse_args(argv)


def build_folder(served: Path) -> Path:
    """Where the builder builds what is served at ``served`` (preview_mirror)."""
    return served.with_name(f"{served.name}.build")


def builder_options(args) -> dict:
    overrides = dict(d.split("=", 1) for d in args.define)
    if args.nitpicky:
        overrides["nitpicky"] = True
    served = args.outdir.resolve()
    outdir = build_folder(served)
    return {
        "srcdir": str(args.sourcedir.resolve()),
        "outdir": str(outdir),
        "served": str(served),
        "doctreedir": str((args.doctreedir or outdir / ".doctrees").resolve()),
        "builder": args.builder,
        "confoverrides": overrides,
        "warningiserror": args.warningiserror,
        "quiet": args.quiet,
        "watch": [str(p.resolve()) for p in args.watch],
    }


def main(argv: list[str] | None = None) -> int:
    import uvicorn
    from sphinx_autobuild.filter import IgnoreFilter

    args = parse_args(argv)
    address = f"{args.host}:{args.port}"
    os.environ.setdefault(SERVE_ADDRESS, address)
    options = builder_options(args)
    outdir = Path(options["served"])
    outdir.mkdir(parents=True, exist_ok=True)
    ignored = [outdir, options["outdir"], options["doctreedir"]]
    ignore = IgnoreFilter([*IGNORED, *args.ignore, *ignored], [])
    builder = BuilderProcess(options)
    say("first build")
    report({**builder.start(), "mode": "start"})
    app = make_app(builder, [args.sourcedir, *args.watch], ignore, outdir, address)
    say(f"serving on http://{address}")
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    except KeyboardInterrupt:
        pass
    finally:
        builder.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
