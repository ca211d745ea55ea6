"""Sidenotes: on a wide screen, each footnote beside the line that refers to it.

The footnotes stay where they are, at the end of the page, for screen
readers, print, feeds and narrow screens. Next to the first reference to each
one, a copy of its text goes in a margin note: ``aria-hidden`` (a screen
reader reads the footnote itself), skipped by search and feeds (``NO_SEARCH``),
its links out of the tab order. ``essayist-sidenotes.css``, loaded only on
pages that have one, shows them in the margin where there is room for them,
with no script: each note floats beside its line, and below the one before
it when they would meet.

Only references in the text's own paragraphs (and lists) get one: inside a
table, an admonition or a quotation the margin is not beside the line.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..config import NO_SEARCH, find_nodes

STYLESHEET = "essayist-sidenotes.css"
# Where a reference's paragraph may be for its note to sit beside its line.
_IN_THE_TEXT = (
    nodes.section,
    nodes.document,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.list_item,
)


class sidenote(nodes.inline):  # noqa: N801 - docutils names nodes in lower case
    """A footnote's text, repeated in the margin beside its reference."""


class sidenote_anchor(nodes.inline):  # noqa: N801
    """A footnote reference and its sidenote, kept together."""


def visit_sidenote(self, node: sidenote) -> None:
    self.body.append(self.starttag(node, "span", "", **{"aria-hidden": "true"}))
    # Where the note's own HTML starts: its links are taken out of the tab order.
    node.html_start = len(self.body)


def depart_sidenote(self, node: sidenote) -> None:
    start = getattr(node, "html_start", len(self.body))
    self.body[start:] = [
        '<a tabindex="-1" ' + chunk[3:] if chunk.startswith("<a ") else chunk
        for chunk in self.body[start:]
    ]
    self.body.append("</span>")


def visit_anchor(self, node: sidenote_anchor) -> None:
    self.body.append(self.starttag(node, "span", ""))


def depart_anchor(self, node: sidenote_anchor) -> None:
    self.body.append("</span>")


def in_the_text(ref: nodes.footnote_reference) -> bool:
    """Whether ``ref`` is in a paragraph of the text itself (or of a list)."""
    if not isinstance(ref.parent, nodes.paragraph):
        return False
    node = ref.parent.parent
    while node is not None and not isinstance(node, (nodes.section, nodes.document)):
        if not isinstance(node, _IN_THE_TEXT):
            return False
        node = node.parent
    return node is not None


def _plain_copy(children: list[nodes.Node]) -> list[nodes.Node]:
    """Copies of ``children`` that claim no id and hold no footnote reference
    of their own (a note's reference to another note becomes its number)."""
    out = []
    for child in children:
        copy = child.deepcopy()
        if isinstance(copy, nodes.footnote_reference):
            copy = nodes.superscript("", copy.astext())
        elif isinstance(copy, nodes.Element):
            for ref in list(copy.findall(nodes.footnote_reference)):
                ref.replace_self(nodes.superscript("", ref.astext()))
            for element in copy.findall(nodes.Element):
                element["ids"] = []
                element["names"] = []
        out.append(copy)
    return out


def build_sidenote(footnote: nodes.footnote) -> sidenote:
    """The footnote's number and text, as phrasing content: each paragraph a
    line of its own; anything else (a list, code) as its plain text."""
    note = sidenote(classes=["sidenote", NO_SEARCH])
    label = next(iter(footnote.findall(nodes.label)), None)
    number = nodes.inline(classes=["sidenote-number"])
    number += nodes.Text(label.astext() if label is not None else "")
    note += number
    note += nodes.Text(" ")
    first = True
    for child in footnote.children:
        if isinstance(child, nodes.label):
            continue
        if isinstance(child, nodes.paragraph):
            content = _plain_copy(child.children)
        else:
            content = [nodes.Text(child.astext())]
        if first:
            note.extend(content)
            first = False
        else:
            note += nodes.inline("", "", *content, classes=["sidenote-paragraph"])
    return note


def add_sidenotes(doctree: nodes.document) -> int:
    """Put a sidenote by the first reference (in the text) to each footnote of
    ``doctree``; return how many."""
    # One walk finds both, each kind in document order.
    found = find_nodes(doctree, (nodes.footnote, nodes.footnote_reference))
    footnotes = {i: fn for fn in found if isinstance(fn, nodes.footnote) for i in fn["ids"]}
    done: set[int] = set()
    count = 0
    for ref in found:
        if not isinstance(ref, nodes.footnote_reference):
            continue
        footnote = footnotes.get(ref.get("refid", ""))
        if footnote is None or id(footnote) in done or not in_the_text(ref):
            continue
        done.add(id(footnote))
        anchor = sidenote_anchor(classes=["sidenote-ref"])
        # Not ``replace_self``, which would give the wrapper the reference's id.
        ref.parent.replace(ref, anchor)
        anchor += ref
        anchor += build_sidenote(footnote)
        count += 1
    return count


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    # Only the page itself (fragments for listings and feeds have no source).
    if app.builder.format == "html" and doctree.get("source"):
        add_sidenotes(doctree)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or doctree is None:
        return
    if next(iter(doctree.findall(sidenote)), None) is not None:
        app.builder.add_css_file(STYLESHEET)


def setup_sidenotes(app: Sphinx) -> None:
    app.add_node(sidenote, html=(visit_sidenote, depart_sidenote))
    app.add_node(sidenote_anchor, html=(visit_anchor, depart_anchor))
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("html-page-context", _page_context)
