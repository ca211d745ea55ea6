"""What a post's text can hold beyond prose.

* ``math``: mathematics as MathML written at build time, with no script and
  nothing from another host; its stylesheet only on pages with a formula;
* ``anchors``: a heading's address is its name (``#notes-1``), never
  docutils' numbered ``#id2``, which the next footnote moved;
* ``blocks``: Markdown MyST reads in silence as something else (a fence
  never closed, a table row that loses cells at a ``|`` in a formula);
* ``alt``: an image with no alt text is a warning at its line (docutils
  wrote its address as its text);
* ``rawfiles``: a file raw HTML shows (a ``<video>``, an ``<img>`` inside
  other HTML) must be one the build publishes, or the build warns at its line;
* ``latex`` and ``mathml``: the conversion, as pure functions (LaTeX in the
  terms latex2mathml knows; its output mended for MathML Core).

Also a Sphinx extension of its own (``essayist.content``), so that a project
can load it by name; loaded beside an ``essayist`` that sets it up already,
it does nothing.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .alt import setup_alt
from .anchors import setup_anchors
from .blocks import setup_blocks
from .math import RENDERER, setup_math
from .rawfiles import setup_raw_files


def setup_content(app: Sphinx) -> None:
    setup_math(app)
    setup_raw_files(app)
    setup_alt(app)
    setup_anchors(app)
    setup_blocks(app)


def setup(app: Sphinx) -> dict:
    if RENDERER not in app.registry.html_inline_math_renderers:
        setup_content(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
