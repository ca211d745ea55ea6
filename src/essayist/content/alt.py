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

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import Warn, warn

logger = logging.getLogger(__name__)


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
            "image %r has no alt text, so readers hear its file name: write what it shows "
            '(alt="..." in <img>, :alt: in {image}, or ![what it shows](...)), or alt="" '
            "if it adds nothing to the text",
            image.get("uri", ""),
            location=image,
        )
        image["alt"] = ""


def setup_alt(app: Sphinx) -> None:
    app.connect("doctree-read", check_alt)
