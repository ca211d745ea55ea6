"""A post's excerpt: the essay's own first paragraphs, and their text.

ABlog takes the first paragraphs of a post wherever they are; ``body_excerpt``
takes the essay's own. ``plain_text`` is an excerpt (or any nodes) as one line
of text, for descriptions, link previews and feed summaries.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from docutils import nodes
from sphinx import addnodes

from ..content.mathplain import formula_text
from ..incremental.outputs import xref_shown, xref_target

# What is not a sentence's text: a footnote's number, raw HTML's source, comments.
_NOT_TEXT = (nodes.footnote_reference, nodes.raw, nodes.comment, nodes.system_message)


def _shows_title(node: nodes.Node) -> bool:
    """A ``{doc}`` or ``{ref}`` with no text of its own: it shows a title."""
    return (
        isinstance(node, addnodes.pending_xref)
        and not node.get("refexplicit")
        and node.get("reftype") in ("doc", "myst", "ref")  # another domain's shows its text
    )


def _title(env, refdomain: str, reftype: str, target: str) -> str | None:
    shown = xref_shown(env, refdomain, reftype, target)
    if isinstance(shown, tuple):  # a label: (docname, id, title)
        shown = shown[2] if len(shown) > 2 else None
    return shown or None


def plain_text(found: list[nodes.Node], env=None) -> str:
    """The text of ``found`` as a sentence reads (an excerpt, a paragraph), in
    one line: for descriptions, link previews and feed summaries. A formula is
    its text (``content.mathplain``); with ``env``, a ``{doc}`` or ``{ref}`` with
    no text of its own is the title it shows, not its target's name."""
    return joined_text(text_pieces(found), env)


class _Shown(tuple):
    """A reference with no text of its own, in ``text_pieces``: the title it
    shows, once the environment says it, else its own text."""


def text_pieces(found: list[nodes.Node]) -> list:
    """``plain_text``'s pieces: strings, and for each reference that shows a
    title a ``_Shown`` (domain, type, target, own text), so that what is kept of
    an excerpt reads a retitled target's new title (``joined_text``)."""
    parts: list = []
    for node in found:
        skipped = set()
        for child in node.findall(include_self=True):
            if isinstance(child, _NOT_TEXT) or id(child.parent) in skipped:
                skipped.add(id(child))
            elif _shows_title(child):
                skipped.add(id(child))
                target = xref_target(child)
                parts.append(
                    _Shown((child.get("refdomain"), child["reftype"], target, child.astext()))
                )
            elif isinstance(child, nodes.math):
                skipped.add(id(child))
                parts.append(formula_text(child.astext()))
            elif isinstance(child, nodes.Text):
                parts.append(str(child))
            elif not isinstance(child, nodes.Inline):
                parts.append(" ")  # between blocks: list items, paragraphs
        parts.append(" ")
    return parts


def joined_text(pieces: list, env=None) -> str:
    """``text_pieces`` as one line, each reference's title read from ``env``."""
    parts = []
    for piece in pieces:
        if isinstance(piece, _Shown):
            shown = _title(env, *piece[:3]) if env is not None else None
            piece = shown or piece[3]
        parts.append(piece)
    return " ".join("".join(parts).split())


# Paragraphs that are not the essay's own running text: an excerpt skips them.
_ASIDE = (
    nodes.Admonition, nodes.list_item, nodes.table, nodes.footnote, nodes.citation,
    nodes.definition_list, nodes.sidebar, nodes.topic, nodes.field_list, nodes.line_block,
)  # fmt: skip


def _body_paragraphs(doctree: nodes.document) -> Iterator[nodes.paragraph]:
    for para in doctree.findall(nodes.paragraph):
        parent = para.parent
        while parent is not None and not isinstance(parent, _ASIDE):
            parent = parent.parent
        if parent is None and plain_text([para]):
            yield para


def body_excerpt(doctree: nodes.document, info: dict) -> None:
    """ABlog's excerpt is the post's first paragraphs, wherever they are: a
    note's, a list item's, an image's alone (no words for the description
    and the feed). An excerpt ABlog chose so is the first paragraphs of the
    essay's own text instead; one the author wrote is left as written."""
    fragments = info["excerpt"]
    count = sum(isinstance(f, nodes.paragraph) for f in fragments)
    if not count or not all(isinstance(f, nodes.paragraph) for f in fragments[:count]):
        return
    first = [p.astext() for p in itertools.islice(doctree.findall(nodes.paragraph), count)]
    if first != [f.astext() for f in fragments[:count]]:
        return  # written with the post directive
    chosen = list(itertools.islice(_body_paragraphs(doctree), count))
    if chosen and [p.astext() for p in chosen] != first:
        info["excerpt"] = [p.deepcopy() for p in chosen] + fragments[count:]
