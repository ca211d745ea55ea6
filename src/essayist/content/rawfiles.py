"""Files that raw HTML shows: published, or a warning at their line.

Sphinx publishes a file a page shows when the page shows it as an image
(``![...](...)``, or a lone ``<img>``, which MyST's ``html_image`` reads as
one) or a download. A ``<video>``, an ``<img>`` inside other HTML or a
``<source>`` is raw HTML: its file is copied nowhere, and the reader gets a
broken picture while the build says nothing. Each such address that stays on
the site is checked when the page is read: it must be one of the files the
build publishes as they are (``html_static_path`` under ``_static/``,
``html_extra_path`` at the top), or one the build makes (``_images/``...).
"""

from __future__ import annotations

import logging as std_logging
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import Warn, warn

logger = logging.getLogger(__name__)

# The attributes whose address is a file the page shows (or plays).
_FILE_ATTRS = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
# Folders of the output that the build fills with names of its own choosing.
_MADE = ("_images/", "_downloads/", "_cards/", "_previews/", "_sources/")


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []  # (line, tag, address)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = _FILE_ATTRS.get(tag, ())
        line = self.getpos()[0]
        for name, value in attrs:
            if name not in wanted or not value:
                continue
            if name == "srcset":  # "a.png 1x, b.png 2x"
                found = [c.split()[0] for c in value.split(",") if c.split()]
            else:
                found = [value.strip()]
            self.found += [(line, tag, a) for a in found if (line, tag, a) not in self.found]

    handle_startendtag = handle_starttag


def file_addresses(html: str) -> list[tuple[int, str, str]]:
    """``(line, tag, address)`` of each file ``html`` shows, in order (its
    line in ``html``, from 1), once a line."""
    parser = _Addresses()
    parser.feed(html)
    parser.close()
    return parser.found


def _local_path(address: str) -> str | None:
    """The path of a relative address on the site, or None (another host, a
    path from the host's root, a fragment, ``data:``...)."""
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    return unquote(parts.path)


def _published(app: Sphinx, path: str) -> bool:
    """Whether the build publishes a file at ``path`` (from the output's top)."""
    if path.startswith(_MADE):
        return True
    confdir = Path(app.confdir)
    if path.startswith("_static/"):
        rest = path.removeprefix("_static/")
        for entry in app.config.html_static_path:
            folder = confdir / entry
            if folder.is_file() and folder.name == rest or (folder / rest).is_file():
                return True
        return False
    return any((confdir / extra / path).is_file() for extra in app.config.html_extra_path)


def _what_to_do(app: Sphinx, tag: str, path: str, address: str) -> str:
    if tag == "img":
        fix = f"write it as ![...]({address}) on a line of its own"
    else:
        fix = "put the file in a folder of html_static_path and give its _static/ address"
    if path.startswith("../") or path == "..":
        return f"it is outside the site: {fix}"
    if (Path(app.srcdir) / path).is_file():
        return f"the build publishes no file that only raw HTML shows: {fix}"
    return f"no such file is published: {fix}"


def check_raw_files(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    folder = posixpath.dirname(docname)
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", "").split():
            continue
        for line, tag, address in file_addresses(raw.astext()):
            relative = _local_path(address)
            if relative is None:
                continue
            path = posixpath.normpath(posixpath.join(folder, relative))
            if path == ".." or path.startswith("../") or not _published(app, path):
                why = _what_to_do(app, tag, path, address)
                where = (docname, raw.line + line - 1) if raw.line else raw
                warn(logger, Warn.RAW_FILE, "<%s> %r: %s", tag, address, why, location=where)


class _SayWhatToDo(std_logging.Filter):
    """Sphinx's "image file not readable: posts/2026/chart.png" names the file
    and its line, not what to do: it says so."""

    def filter(self, record: std_logging.LogRecord) -> bool:
        if getattr(record, "subtype", None) == "not_readable" and not str(record.msg).endswith(
            MISSING_FILE
        ):
            record.msg = f"{record.msg}{MISSING_FILE}"
        return True


MISSING_FILE = (
    ": add the file, or correct its path (relative to the page, or from the site's "
    "folder when it starts with /)"
)
_ASSETS = std_logging.getLogger("sphinx.sphinx.environment.collectors.asset")


def setup_raw_files(app: Sphinx) -> None:
    app.connect("doctree-read", check_raw_files)
    if not any(isinstance(f, _SayWhatToDo) for f in _ASSETS.filters):
        _ASSETS.addFilter(_SayWhatToDo())
