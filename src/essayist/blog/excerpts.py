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


def shown_title(env, node: nodes.Element) -> str | None:
    """What a ``{doc}`` or ``{ref}`` with no text of its own shows once resolved
    (the title it names, as ``incremental.outputs`` tracks it), or None."""
    if not isinstance(node, addnodes.pending_xref) or node.get("refexplicit"):
        return None
    if node.get("reftype") not in ("doc", "myst", "ref"):
        return None  # a role of another domain shows its own text
    shown = xref_shown(env, node.get("refdomain"), node.get("reftype"), xref_target(node))
    if isinstance(shown, tuple):  # a label: (docname, id, title)
        shown = shown[2] if len(shown) > 2 else None
    return shown or None


def plain_text(found: list[nodes.Node], env=None) -> str:
    """The text of ``found`` as a sentence reads (an excerpt, a paragraph), in
    one line: for descriptions, link previews and feed summaries. A formula is
    its text (``content.mathplain``); with ``env``, a ``{doc}`` or ``{ref}`` with
    no text of its own is the title it shows, not its target's name."""
    parts = []
    for node in found:
        skipped = set()
        for child in node.findall(include_self=True):
            if isinstance(child, _NOT_TEXT) or id(child.parent) in skipped:
                skipped.add(id(child))
            elif env is not None and (title := shown_title(env, child)) is not None:
                skipped.add(id(child))
                parts.append(title)
            elif isinstance(child, nodes.math):
                skipped.add(id(child))
                parts.append(formula_text(child.astext()))
            elif isinstance(child, nodes.Text):
                parts.append(str(child))
            elif not isinstance(child, nodes.Inline):
                parts.append(" ")  # between blocks: list items, paragraphs
        parts.append(" ")
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
