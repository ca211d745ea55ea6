"""Characters no web page may hold, in what an author wrote.

Control characters (C0 and C1, and DEL; not tab, line feed, form feed or
carriage return) are errors in an HTML page and show as nothing or as boxes.
They come with text pasted from a terminal (colour codes), a PDF or a word
processor. Every line holding one is reported (so ``-W`` fails), by line and
by code point, and the document is read without them: the file itself is left
as it is, for the author to fix.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
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
        names = ", ".join(f"U+{ord(c):04X}" for c in chars)
        s = "s" if len(chars) > 1 else ""
        found.append(
            (
                number,
                f"invisible control character{s} {names}, which no web page may hold "
                "(pasted from a terminal or a PDF?): delete "
                f"{'them' if s else 'it'}; the page is built without {'them' if s else 'it'}",
            )
        )
        if len(found) == MAX_REPORTED:
            break
    return found


def without_control_characters(text: str) -> str:
    return CONTROL.sub("", text)
