"""Smart quotes, without the work on text they leave as it was.

Sphinx's ``SmartQuotes`` transform (docutils') takes every paragraph, heading
and list item of every document, puts each piece of its text through some
fifteen regular expressions and replacements (``educate_tokens``) and then
swaps each piece for a new text node holding the result. Nearly all of it comes
out as it went in: a piece with no quote, backtick, backslash, ``&``, double
dash or ellipsis in it is never changed (94 % of the pieces of the
benchmark's essays; most paragraphs of a real essay have an apostrophe). It
was 0.86–1.0 s of a 10–14 s build at 300 essays, and is 0.34 s: Sphinx also
asked every text node's parents, up to the document, whether its text may be
quoted, and ran a substitution for null-escapes on text that had none.

Here a piece with none of those is passed through as it is, a block with no
other piece is left alone, and a node is swapped only when its text changed.
Every other piece is educated by docutils' own ``educate_tokens``, given the
last character of the piece before it as its context, as docutils gives it.
Each block's language is worked out as before, first (a language without
smart quotes is warned about as before). A ``smartquotes_action`` of ``-1``
(which changes every piece) and ``smartquotes_locales`` get docutils' own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from docutils import nodes
from docutils.utils import normalize_language_tag, smartquotes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxSmartQuotes
from sphinx.util.nodes import NON_SMARTQUOTABLE_PARENT_NODES

# What ``educate_tokens`` can change: quotes, backticks, dashes, ellipses,
# backslash escapes (Sphinx's null-escapes become backslashes first), and
# entities (``&#34;`` is turned back into ``"``).
CHANGED = re.compile("[\"'`\\\\&\x00]|--|\\.\\.\\.|\\. \\. \\.")
# Sphinx's backslash before a null-escaped character (``SphinxSmartQuotes.get_tokens``).
ESCAPED = re.compile("(?<=\x00)([-\\\\'\".`])")


def educate_tokens(tokens: Iterable[tuple[str, str]], attr: str, language: str) -> Iterator[str]:
    """``smartquotes.educate_tokens``, passing unchanged what it would not change."""
    last = " "  # docutils' context before the first piece
    for kind, text in tokens:
        if kind == "tag" or not text:
            yield text
        elif kind == "literal" or not CHANGED.search(text):
            last = text[-1]
            yield text
        else:
            # The one piece, after a literal one that gives docutils its context.
            yield list(
                smartquotes.educate_tokens([("literal", last), (kind, text)], attr, language)
            )[1]
            last = text[-1]


class QuickSmartQuotes(SphinxSmartQuotes):
    """Sphinx's ``SmartQuotes``, touching only the text it changes."""

    def __init__(self, document: nodes.document, startnode: nodes.Node | None = None) -> None:
        super().__init__(document, startnode)
        # Whether an element's text may be quoted, by element (``_quotable``).
        self._quotable: dict[int, bool] = {}

    def apply(self, **kwargs: Any) -> None:
        settings = self.document.settings
        action = self.config.smartquotes_action
        if action == "-1" or getattr(settings, "smartquotes_locales", None):
            super().apply(**kwargs)
            return
        if not self.is_available() or not settings.setdefault("smart_quotes", False):
            return
        self.smartquotes_action = action
        alternative = str(settings.smart_quotes).startswith("alt")
        found: dict[str, str] = {}
        for node in self.document.findall(nodes.TextElement):
            if isinstance(node, self.nodes_to_skip) or isinstance(node.parent, nodes.TextElement):
                continue
            pieces = [
                t for t in node.findall(nodes.Text) if not isinstance(t.parent, nodes.option_string)
            ]
            code = node.get_language_code(settings.language_code)
            if alternative:
                code = (
                    code.replace("-x-altquot", "") if "-x-altquot" in code else code + "-x-altquot"
                )
            if code not in found:
                found[code] = quotes_language(code)
            lang = found[code]
            if not lang and code not in self.unsupported_languages:
                self.document.reporter.warning(
                    f'No smart quotes defined for language "{code}".', base_node=node
                )
            if not lang:
                self.unsupported_languages.add(code)
            tokens = list(self.get_tokens(pieces))
            if not any(
                kind not in ("tag", "literal") and CHANGED.search(text) for kind, text in tokens
            ):
                continue
            for piece, new in zip(pieces, educate_tokens(tokens, action, lang), strict=True):
                if new != piece:
                    piece.parent.replace(piece, nodes.Text(new))
        self.unsupported_languages.clear()
        self._quotable.clear()

    def get_tokens(self, txtnodes: list[nodes.Text]) -> Iterator[tuple[str, str]]:
        """Sphinx's, asking each parent once a document whether its text is
        quotable, and looking for a null-escape before substituting one."""
        for piece in txtnodes:
            if (
                _quotable(piece.parent, self._quotable)
                and getattr(piece, "support_smartquotes", None) is not False
            ):
                text = str(piece)
                yield "plain", ESCAPED.sub(r"\\\1", text) if "\x00" in text else text
            else:
                yield "literal", piece.astext()


def _quotable(node: nodes.Node | None, known: dict[int, bool]) -> bool:
    """Whether no element from ``node`` up keeps its text from smart quotes
    (``sphinx.util.nodes.is_smartquotable``), remembered in ``known``."""
    chain = []
    while node is not None and id(node) not in known:
        chain.append(node)
        node = node.parent
    answer = known[id(node)] if node is not None else True
    for element in reversed(chain):
        answer = (
            answer
            and not isinstance(element, NON_SMARTQUOTABLE_PARENT_NODES)
            and element.get("support_smartquotes", None) is not False
        )
        known[id(element)] = answer
    return answer


def quotes_language(code: str) -> str:
    """The language whose quotes a block in ``code`` gets; '' when none has."""
    for tag in normalize_language_tag(code):
        if tag in smartquotes.smartchars.quotes:
            return tag
    return ""


def setup_smartquotes(app: Sphinx) -> None:
    transforms = app.registry.transforms
    app.registry.transforms = [
        QuickSmartQuotes if t is SphinxSmartQuotes else t for t in transforms
    ]
