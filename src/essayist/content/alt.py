"""Every image says what it shows, or that it shows nothing worth saying.

docutils writes an image with no ``alt`` with its address as its text
(``alt="../../_images/small.png"``), which a screen reader reads out and a
feed reader shows when the image does not load. ``![what it shows](x.png)``
always has one (empty when the brackets are); ``<img src>`` without ``alt``,
``{image}`` and ``{figure}`` without ``:alt:`` have none. An image in a figure
with a caption is described by its caption: its ``alt`` is empty. Any other
is a warning at its line.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import Warn, warn

logger = logging.getLogger(__name__)

NO_ALT = (
    "image %r has no alt text, so readers hear its file name: write what it shows "
    '(alt="..." in <img>, :alt: in {image}, or ![what it shows](...)), or alt="" '
    "if it adds nothing to the text"
)


def check_alt(app: Sphinx, doctree: nodes.document) -> None:
    for image in doctree.findall(nodes.image):
        if "alt" in image:
            continue
        figure = image.parent if isinstance(image.parent, nodes.figure) else None
        if figure is not None and any(isinstance(c, nodes.caption) for c in figure.children):
            image["alt"] = ""  # the caption says it
            continue
        warn(
            logger,
            Warn.ALT,
            NO_ALT,
            image.get("uri", ""),
            location=image,
        )
        image["alt"] = ""


_IMAGE = re.compile(r"^\s*(`{3,}|:{3,})\s*\{(image|figure)\}\s*(.*?)\s*$")
_OPTION = re.compile(r"^\s*:([\w-]+):")
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_IMG_ALT = re.compile(r"\salt\s*=", re.I)
_IMG_SRC = re.compile(r"""\ssrc\s*=\s*["']?([^"'\s>]*)""", re.I)


def alt_problems(text: str, html_images: bool = True) -> list[tuple[int, str]]:
    """(1-based line, message) of each image in ``text`` the build names for
    having no alt text (``check_alt``), read from the source: for
    ``blog import`` and ``blog check``, which build nothing. ``html_images``:
    an ``<img>`` of its own is an image (MyST's ``html_image``)."""
    lines = text.split("\n")
    found: list[tuple[int, str]] = []
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if fence is None and (m := _IMAGE.match(line)):
            marker, kind, target = m.groups()
            j, options, caption = i + 1, set(), False
            while j < len(lines) and not lines[j].strip().startswith(marker):
                if o := _OPTION.match(lines[j]):
                    options.add(o[1])
                elif lines[j].strip() and lines[j].strip() != "---":
                    caption = True
                j += 1
            if "alt" not in options and (kind == "image" or not caption):
                found.append((i + 1, NO_ALT % target))
            i = j + 1
            continue
        if fence is None and (m := re.match(r"^\s*(`{3,}|~{3,})", line)):
            fence = m[1]
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is None and html_images:
            for tag in _IMG.findall(line):
                if not _IMG_ALT.search(tag):
                    src = _IMG_SRC.search(tag)
                    found.append((i + 1, NO_ALT % (src[1] if src else "")))
        i += 1
    return found


def setup_alt(app: Sphinx) -> None:
    app.connect("doctree-read", check_alt)
