"""One Chromium and one HTTP server per session, serving the session-built site.

The site is served under the path it is published at (``blog_baseurl``'s path,
``/essays/``), and a missing page answers 404 with the site's ``404.html``, as
GitHub Pages does: the 404 page's absolute links are tested where they work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from .systemtools import AXE_JS, HOW_CHROMIUM, chromium_executable, missing, node_file

# Without the networking flags Chromium floods a closed network with refused
# connections (notes/stack.md); --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENS = {"desktop": DESKTOP, "phone": PHONE}
# Past 82em Furo shows the table of contents as a third column (Lighthouse's
# desktop preset is 1350px wide): axe checks that layout too.
WIDE = {"width": 1440, "height": 900}
SCHEMES = ("light", "dark")


def published_prefix(site: Path) -> str:
    """The URL path the site is published under, from the home page's canonical link."""
    html = (site / "index.html").read_text(encoding="utf-8")
    link = BeautifulSoup(html, "html.parser").find("link", rel="canonical")
    path = urlsplit(link["href"]).path
    return path.rsplit("/", 1)[0] + "/"


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files under ``prefix``; anything missing gets 404.html with status 404."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if path == AXE_URL_PATH and AXE_JS.exists():
            # axe-core, from the site's own origin, so that the pages' policy
            # (script-src 'self') lets the test load it like any site script.
            return str(AXE_JS)
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@dataclass
class Served:
    root: Path
    origin: str
    prefix: str

    def url(self, path: str = "") -> str:
        return f"{self.origin}{self.prefix}{path}"


def same_origin_context(browser, served: Served, **options):
    """A browser context that reaches ``served`` only: every other request is aborted."""
    context = browser.new_context(**options)
    origin = served.origin + "/"
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort(),
    )
    return context


@contextmanager
def serve_folder(site: Path) -> Iterator[Served]:
    """A built site over HTTP on 127.0.0.1, a free port, under its published path."""
    prefix = published_prefix(site)
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield Served(root=site, origin=f"http://{host}:{port}", prefix=prefix)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served(site: Path) -> Iterator[Served]:
    """The real site, built once, over HTTP."""
    with serve_folder(site) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Chromium, launched once for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the lock installs it
        missing("Python Playwright", "run `make test` (it installs requirements.lock)")
    executable = chromium_executable()
    with sync_playwright() as playwright:
        if executable is None and not Path(playwright.chromium.executable_path).exists():
            missing("Chromium", HOW_CHROMIUM)
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class Reader:
    """A page in its own browser context, and what it asked of other hosts."""

    page: object
    served: Served
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str):
        return self.page.goto(self.served.url(path), wait_until="load")


@pytest.fixture
def open_page(browser, served) -> Iterator[Callable[..., Reader]]:
    """``open_page(path, screen="desktop", scheme="light")``: a fresh reader on a page.

    Every request to another origin is recorded in ``reader.foreign`` and
    aborted; uncaught script errors are recorded in ``reader.errors``.
    """
    contexts = []

    def open_(path: str | None, screen: str = "desktop", scheme: str = "light") -> Reader:
        phone = screen == "phone"
        context = browser.new_context(
            viewport=SCREENS[screen],
            color_scheme=scheme,
            is_mobile=phone,
            has_touch=phone,
            reduced_motion="reduce",
        )
        contexts.append(context)
        page = context.new_page()
        reader = Reader(page=page, served=served)

        def route(route):
            url = route.request.url
            if url.startswith(served.origin + "/") or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                reader.foreign.append(url)
                route.abort()

        context.route("**/*", route)
        page.on("pageerror", lambda error: reader.errors.append(str(error)))
        if path is not None:
            reader.goto(path)
        return reader

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return node_file(AXE_JS).read_text(encoding="utf-8")


AXE_URL_PATH = "/__tests__/axe.min.js"


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe-core's violations on the page as it is: every rule axe runs by default,
    and target-size (WCAG 2.2 AA), which axe leaves off and Lighthouse turns on."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        origin = page.evaluate("location.origin")
        page.add_script_tag(url=origin + AXE_URL_PATH)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                resultTypes: ["violations"],
                rules: {"target-size": {enabled: true}},
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }"""
    )


def axe_everywhere(page, axe_source: str, sizes: dict[str, dict]) -> dict[str, list[dict]]:
    """axe's violations at each named viewport size, in each colour scheme,
    switched in place on the page as it is (``"<size>, <scheme>"`` -> violations)."""
    found = {}
    for name, size in sizes.items():
        page.set_viewport_size(size)
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            violations = axe_violations(page, axe_source)
            if violations:
                found[f"{name}, {scheme}"] = violations
    return found
