"""Characters no web page may hold, in what an author wrote.

Control characters (C0 and C1, and DEL; not tab, line feed, form feed or
carriage return) are errors in an HTML page and show as nothing or as boxes.
They come with text pasted from a terminal (colour codes), a PDF or a word
processor. Every line holding one is reported (so ``-W`` fails), by line and
by code point, and the document is read without them: the file itself is left
as it is, for the author to fix. So is a file a post includes (``{include}``);
a value written as a YAML escape (``title: "\\a"``) is reported at its key.
What reaches a page by another way (``{literalinclude}``, a substitution, a
BibTeX entry) is taken out of the page, and the page is named.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import Order, Warn, warn

logger = logging.getLogger(__name__)

# And the bidirectional embeddings and overrides (U+202A to U+202E): one left
# open reverses the rest of its paragraph on the page (``evil\u202egnp.exe``
# shows as "evilexe.png"); the site sets right-to-left paragraphs' direction
# itself.
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e]")
_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")


def _what(chars: list[str], how: str = "") -> str:
    """The characters ``chars`` named (``how``: how they were written), and
    why no page holds them."""
    names = ", ".join(f"U+{ord(c):04X}" for c in chars)
    s = "s" if len(chars) > 1 else ""
    if _OVERRIDES.issuperset(chars):
        return (
            f"bidirectional override{s} {names}{how}, which reverse{'' if s else 's'} the "
            "text after it on the page (the site sets right-to-left text's direction itself)"
        )
    return f"invisible control character{s} {names}{how}, which no web page may hold"


# Lines reported in one document: a file full of them needs one look, not a
# thousand warnings.
MAX_REPORTED = 10


def control_lines(text: str) -> list[tuple[int, str]]:
    """(line, message) for each line of ``text`` holding a control character,
    at most ``MAX_REPORTED``."""
    if not CONTROL.search(text):
        return []
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        chars = sorted(set(CONTROL.findall(line)))
        if not chars:
            continue
        s = "s" if len(chars) > 1 else ""
        found.append(
            (
                number,
                f"{_what(chars)} (pasted from a terminal or a PDF?): delete "
                f"{'them' if s else 'it'}; the page is built without {'them' if s else 'it'}",
            )
        )
        if len(found) == MAX_REPORTED:
            break
    return found


def without_control_characters(text: str) -> str:
    return CONTROL.sub("", text)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _cleaned(value: object) -> object:
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


def escaped_controls(data: dict) -> list[tuple[str, str, object]]:
    """(key, message, the value without them) for each front-matter value
    holding a control character (strings, and lists of them): written as a
    YAML escape (``"\\a"``), so not in the file's text."""
    found = []
    for key, value in data.items():
        chars = sorted({c for s in _strings(value) for c in CONTROL.findall(s)})
        if chars:
            s = "s" if len(chars) > 1 else ""
            message = (
                f"{key}: {_what(chars, ' (written as an escape)')}: delete "
                f"{'them' if s else 'it'}; the page is built without {'them' if s else 'it'}"
            )
            found.append((str(key), message, _cleaned(value)))
    return found


def _include_read(app: Sphinx, path: Path, docname: str, content: list[str]) -> None:
    for line, message in control_lines(content[0]):
        warn(logger, Warn.CHARACTER, message, location=f"{Path(app.srcdir) / path}:{line}")
    content[0] = without_control_characters(content[0])


# What a page shows of its text (not names and addresses: a file may be named
# with one, and its address keeps it, escaped).
_PAGE_TEXT = ("body", "title", "toc", "metatags")


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    found: set[str] = set()
    for key in _PAGE_TEXT:
        value = context.get(key)
        if isinstance(value, str) and CONTROL.search(value):
            found.update(CONTROL.findall(value))
            context[key] = without_control_characters(value)
    if found:
        names = ", ".join(f"U+{ord(c):04X}" for c in sorted(found))
        warn(
            logger,
            Warn.CHARACTER,
            f"the page would hold invisible control characters ({names}) that are not in its "
            "own text: from a file it shows ({literalinclude}), a substitution or a BibTeX "
            "entry; they are left out: delete them there",
            location=pagename,
        )


def setup_characters(app: Sphinx) -> None:
    app.connect("include-read", _include_read)
    app.connect("html-page-context", _page_context, priority=Order.CONTROL_CHARACTERS)
