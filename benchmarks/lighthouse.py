"""Lighthouse 12 on the essay, the home page and a concept page, mobile and desktop.

    .venv/bin/python benchmarks/lighthouse.py [--runs N] [--site DIR]

Builds the site (or takes a built one whose ``blog_baseurl`` was the address it
is served at), serves it on 127.0.0.1 under its published path with gzip, as a
static host does, and runs Lighthouse (npm ``lighthouse@12.2.3``, from
package-lock.json) in Debian's Chromium. Prints the four category scores of
each page (the median of N runs) and what the essay transfers, gzipped: HTML,
CSS, JavaScript and fonts. Not part of ``make test``.

Aims: accessibility, best practices and SEO 100; performance at least 98; the
essay at most 60 KB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = PROJECT / "node_modules" / "lighthouse" / "cli" / "index.js"
PREFIX = "/essays/"
PAGES = {
    "essay": "posts/2026/what-does-it-mean-to-align-an-ai.html",
    "home": "index.html",
    "concept": "docs/concepts/goodharts-law.html",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")
RESOURCE_KINDS = {"Document": "HTML", "Stylesheet": "CSS", "Script": "JS", "Font": "fonts"}
AIMS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
BUDGET_KB = 60


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files under PREFIX, gzipped when asked, cached for an hour."""

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + path[len(PREFIX) :])

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file():
            page = Path(self.directory) / "404.html"
            body, status, path = page.read_bytes(), 404, page
        else:
            body, status = path.read_bytes(), 200
        headers = {"Content-Type": self.guess_type(str(path)), "Cache-Control": "max-age=3600"}
        if gzip_ok and path.suffix in COMPRESSIBLE:
            body = gzip.compress(body, compresslevel=9, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(site: Path) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(outdir: Path, base_url: str) -> None:
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(PROJECT), str(outdir)]
    env = {**os.environ, "SITE_BASE_URL": base_url}
    subprocess.run(cmd, check=True, env=env)


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    if not shutil.which("npm"):
        sys.exit("Lighthouse needs Node.js 20 and npm: install them, then run this again.")
    npm_ci = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    subprocess.run(npm_ci, cwd=PROJECT, check=True)


def chromium() -> str:
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not path:
        sys.exit("Lighthouse needs Chromium: apt-get install chromium (or set CHROME_PATH).")
    return path


def lighthouse(url: str, form: str, out: Path) -> dict:
    cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}"]
    cmd += [f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}"]
    if form == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": chromium()}
    subprocess.run(cmd, check=True, env=env, cwd=PROJECT)
    return json.loads(out.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, int]:
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def transfer(report: dict) -> dict[str, int]:
    """Bytes the page transferred, by kind (HTML, CSS, JS, fonts, other)."""
    sizes: dict[str, int] = {}
    for item in report["audits"]["network-requests"]["details"]["items"]:
        kind = RESOURCE_KINDS.get(item.get("resourceType"), "other")
        sizes[kind] = sizes.get(kind, 0) + int(item.get("transferSize") or 0)
    return sizes


def failing(report: dict, category: str) -> list[str]:
    """The audits that cost a category points, for the notes below the table."""
    out = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            out.append(f"{ref['id']} ({audit['score']:.2f})")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page and form factor")
    parser.add_argument("--site", type=Path, help="a built site served at its SITE_BASE_URL")
    args = parser.parse_args(argv)
    ensure_lighthouse()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = args.site or work / "html"
        server = serve(site)
        base = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
        if args.site is None:
            build(site, base)
        rows, essay_sizes, notes = [], None, []
        for name, path in PAGES.items():
            for form in ("mobile", "desktop"):
                runs = []
                for i in range(args.runs):
                    report = lighthouse(base + path, form, work / f"{name}-{form}-{i}.json")
                    runs.append(scores(report))
                    for category in CATEGORIES:
                        for audit in failing(report, category):
                            notes.append(f"{name} {form} {category}: {audit}")
                median = {c: int(statistics.median(r[c] for r in runs)) for c in CATEGORIES}
                rows.append((name, form, median))
                if name == "essay" and form == "mobile":
                    essay_sizes = transfer(report)
        server.shutdown()

    print("| page | form | performance | accessibility | best practices | SEO |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, form, s in rows:
        print(f"| {name} | {form} | " + " | ".join(str(s[c]) for c in CATEGORIES) + " |")
    counted = {k: v for k, v in essay_sizes.items() if k != "other"}
    total = sum(counted.values())
    parts = ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in sorted(counted.items()))
    print(f"\nEssay transfer (gzip; HTML + CSS + JS + fonts): {total / 1024:.1f} KB ({parts})")
    if essay_sizes.get("other"):
        print(f"Other requests (images, JSON, icons): {essay_sizes['other'] / 1024:.1f} KB")
    for note in sorted(set(notes)):
        print("  below 1:", note)
    missed = [
        f"{name} {form} {c} {s[c]} < {AIMS[c]}"
        for name, form, s in rows
        for c in CATEGORIES
        if s[c] < AIMS[c]
    ]
    if total > BUDGET_KB * 1024:
        missed.append(f"essay transfer {total / 1024:.1f} KB > {BUDGET_KB} KB")
    for miss in missed:
        print("MISSED AIM:", miss)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
