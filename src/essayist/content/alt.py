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
from .blocks import DIRECTIVE_NAME, LITERAL_DIRECTIVES, closes, fence_at

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


_IMAGE_DIRECTIVES = ("image", "figure")
_OPTION = re.compile(r"^\s*:([\w-]+):")
_YAML_KEY = re.compile(r"^\s*([\w-]+)\s*:")
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_IMG_ALT = re.compile(r"\salt\s*=", re.I)
_IMG_SRC = re.compile(r"""\ssrc\s*=\s*["']?([^"'\s>]*)""", re.I)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")


def alt_problems(text: str, html_images: bool = True) -> list[tuple[int, str]]:
    """(1-based line, message) of each image in ``text`` the build names for
    having no alt text (``check_alt``), read from the source: for
    ``blog import`` and ``blog check``, which build nothing. ``html_images``:
    an ``<img>`` of its own is an image (MyST's ``html_image``). Code (fenced,
    indented, in backticks, a code directive's) and HTML comments are text."""
    lines = text.split("\n")
    found: list[tuple[int, str]] = []
    around: list[str] = []  # the Markdown fences the line is in
    i = 0
    while i < len(lines):
        line = lines[i]
        m = fence_at(line)
        if around and closes(line, around[-1]):
            around.pop()
        elif m:
            marker, info = m[2], m[3]
            name = d[1] if (d := DIRECTIVE_NAME.match(info)) else None
            closing = (k for k in range(i + 1, len(lines)) if closes(lines[k], marker))
            end = next(closing, len(lines))
            if name in _IMAGE_DIRECTIVES:
                options, caption = _options(lines[i + 1 : end])
                if "alt" not in options and (name == "image" or not caption):
                    found.append((i + 1, NO_ALT % info.split("}", 1)[1].strip()))
                i = end
            elif name is None or name in LITERAL_DIRECTIVES:
                i = end  # code: its lines are text
            else:
                around.append(marker)
        elif line.lstrip().startswith("<!--"):
            i = next((k for k in range(i, len(lines)) if "-->" in lines[k]), len(lines))
        elif html_images and not line.startswith("    "):
            for tag in _IMG.findall(_CODE_SPAN.sub("", line)):
                if not _IMG_ALT.search(tag):
                    src = _IMG_SRC.search(tag)
                    found.append((i + 1, NO_ALT % (src[1] if src else "")))
        i += 1
    return found


def _options(body: list[str]) -> tuple[set[str], bool]:
    """A directive's option names (``:alt:`` lines, or a ``---`` block of YAML)
    and whether it has content after them (a figure's caption)."""
    options: set[str] = set()
    k = 0
    if body and body[0].strip() == "---":
        k = next((n for n in range(1, len(body)) if body[n].strip() == "---"), len(body)) + 1
        options = {m[1] for b in body[1 : k - 1] if (m := _YAML_KEY.match(b))}
    while k < len(body) and (m := _OPTION.match(body[k])):
        options.add(m[1])
        k += 1
    return options, any(b.strip() for b in body[k:])


def setup_alt(app: Sphinx) -> None:
    app.connect("doctree-read", check_alt)
