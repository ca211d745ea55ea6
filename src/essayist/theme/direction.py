"""A paragraph in a right-to-left script (Arabic, Hebrew, Persian, Urdu) reads
right to left: ``<p dir="auto">``.

Pages are ``<html lang="en">``, left to right: an Arabic or Hebrew paragraph
in an English essay was laid out left to right, its full stop and brackets at
the wrong end. ``dir="auto"`` lets the browser take the direction from the
paragraph's first strong letter (HTML's own rule), so a paragraph in English
that quotes a word of Hebrew stays left to right. Only paragraphs with such
letters get the attribute: every other page is written as before.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their
# presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def visit_paragraph(self, node: nodes.paragraph) -> None:
    if _RTL.search(node.astext()):
        self.body.append(self.starttag(node, "p", "", dir="auto"))
    else:
        HTML5Translator.visit_paragraph(self, node)


def depart_paragraph(self, node: nodes.paragraph) -> None:
    HTML5Translator.depart_paragraph(self, node)


def setup_direction(app: Sphinx) -> None:
    app.add_node(nodes.paragraph, override=True, html=(visit_paragraph, depart_paragraph))
