"""A paragraph in a right-to-left script (Arabic, Hebrew, Persian, Urdu) reads
right to left: ``<p dir="auto">``.

Pages are ``<html lang="en">``, left to right: an Arabic or Hebrew paragraph
in an English essay was laid out left to right, its full stop and brackets at
the wrong end. ``dir="auto"`` lets the browser take the direction from the
paragraph's first strong letter (HTML's own rule), so a paragraph in English
that quotes a word of Hebrew stays left to right. Only paragraphs with such
letters get the attribute: every other page is written as before. Headings
too (a title's question mark was at its wrong end), and the titles of posts in
listings (``dir_attribute``).
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


_HEADING = re.compile(r"<h[1-6](?=[ >])")


def visit_title(self, node: nodes.title) -> None:
    HTML5Translator.visit_title(self, node)
    if not isinstance(node.parent, nodes.section) or not _RTL.search(node.astext()):
        return
    for i in range(len(self.body) - 1, max(-1, len(self.body) - 4), -1):
        if _HEADING.match(self.body[i]):
            self.body[i] = _HEADING.sub(lambda m: m[0] + ' dir="auto"', self.body[i], 1)
            break


def depart_title(self, node: nodes.title) -> None:
    HTML5Translator.depart_title(self, node)


def dir_attribute(text: str) -> str:
    """`` dir="auto"`` for an element showing ``text`` in a right-to-left
    script, else nothing."""
    return ' dir="auto"' if _RTL.search(text) else ""


def setup_direction(app: Sphinx) -> None:
    app.add_node(nodes.paragraph, override=True, html=(visit_paragraph, depart_paragraph))
    app.add_node(nodes.title, override=True, html=(visit_title, depart_title))
