"""What a reader downloads for one page of each kind, gzipped as a server would (issue 15).

    .venv/bin/python benchmarks/pageweight.py _build/html [--json]

For each kind of page (essay, home, concept page, archive page, all posts): the
page's HTML plus every same-origin ``<script src>`` and ``<link rel=stylesheet>``
it references, each file gzipped at level 9 (as a static host compresses text)
and summed. Files from other origins, images, fonts and what scripts fetch later
(previews, the search index) are not counted. Prints one row per page kind, or
with ``--json`` the same figures and the files behind them.

The essay's budget is 30 KiB (``BUDGET_KIB``); stock Furo's page is about 27 KiB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

PAGES = {
    "essay": "posts/2026/what-does-it-mean-to-align-an-ai.html",
    "home": "index.html",
    "concept": "docs/concepts/goodharts-law.html",
    "archive": "posts/archive.html",
    "all posts": "posts.html",
}
BUDGET_KIB = 30
KIND_OF = {".html": "html", ".css": "css", ".js": "js"}


class _Assets(HTMLParser):
    """The ``src`` of every script and the ``href`` of every stylesheet link, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and a.get("src"):
            self.refs.append(a["src"])
        elif tag == "link" and "stylesheet" in a.get("rel", "").lower().split() and a.get("href"):
            self.refs.append(a["href"])


def asset_refs(html: str) -> list[str]:
    """Every script and stylesheet address a page references, as written."""
    parser = _Assets()
    parser.feed(html)
    parser.close()
    return parser.refs


def local_file(site: Path, page: Path, ref: str) -> Path | None:
    """The file a same-origin (relative or root-relative) reference names, or None."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # another origin, a protocol-relative address or a data: URL
    path = unquote(parts.path)
    target = site / path.lstrip("/") if path.startswith("/") else page.parent / path
    return target.resolve()


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def measure(site: Path, page: str) -> dict:
    """One page's weight: its files (raw and gzipped bytes) and totals by kind."""
    site = Path(site).resolve()
    path = site / page
    files = [path]
    for ref in asset_refs(path.read_text(encoding="utf-8")):
        target = local_file(site, path, ref)
        if target is not None and target not in files:
            files.append(target)
    rows, totals = [], {"html": 0, "css": 0, "js": 0}
    for f in files:
        if not f.is_file():
            raise FileNotFoundError(f"{page} references {f}, which is not in the site")
        data = f.read_bytes()
        kind = KIND_OF.get(f.suffix, "other")
        size = gzipped_size(data)
        totals[kind] = totals.get(kind, 0) + size
        rel = f.relative_to(site).as_posix() if f.is_relative_to(site) else str(f)
        rows.append({"file": rel, "kind": kind, "bytes": len(data), "gzip": size})
    return {"page": page, "files": rows, "gzip": totals, "total": sum(totals.values())}


def measure_site(site: Path, pages: dict[str, str] = PAGES) -> dict[str, dict]:
    """Every page kind's weight, by kind."""
    return {kind: measure(site, page) for kind, page in pages.items()}


def kib(n: int) -> str:
    return f"{n / 1024:.1f}"


def table(results: dict[str, dict]) -> str:
    head = f"{'page kind':<10} {'HTML':>6} {'CSS':>6} {'JS':>6} {'total':>6}  files  page"
    lines = [head, "-" * len(head)]
    for kind, r in results.items():
        g = r["gzip"]
        lines.append(
            f"{kind:<10} {kib(g['html']):>6} {kib(g['css']):>6} {kib(g['js']):>6} "
            f"{kib(r['total']):>6}  {len(r['files']):>5}  {r['page']}"
        )
    lines.append("KiB, gzip -9 of each file, summed (HTML + same-origin CSS + JS it loads)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (e.g. _build/html)")
    parser.add_argument("--json", action="store_true", help="print JSON, with every file")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site (no index.html)")
    results = measure_site(args.site)
    if args.json:
        print(json.dumps({"budget_kib": BUDGET_KIB, "pages": results}, indent=1))
    else:
        print(table(results))
    essay = results.get("essay")
    if essay and essay["total"] > BUDGET_KIB * 1024:
        print(
            f"essay: {kib(essay['total'])} KiB, over the {BUDGET_KIB} KiB budget", file=sys.stderr
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
