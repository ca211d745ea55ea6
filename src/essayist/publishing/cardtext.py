"""The text on a social card: its font, and fitting each text to its place.

The font is Source Sans Pro (SIL Open Font License, from the
``font-source-sans-pro`` package in the lock: the same on every machine, so
the same card bytes): Latin with its accents, Greek, Cyrillic, Vietnamese.
Pillow's own font (Aileron) had no é, – or €: "Café" showed a box. A text
holding a character the font has no glyph for (Chinese, Arabic, emoji) is
left off the card, never drawn as boxes: the card still shows the site.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

TITLE_SIZES = (72, 64, 56, 48)
TITLE_LINES = 4
SMALL_SIZE = 30
# Never measured: no line this long fits (a space, the narrowest glyph, is 10 px).
MAX_LINE_CHARS = 200
FONT = "SourceSansPro-Regular.ttf"


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(files("font_source_sans_pro") / "files" / FONT), size)


def _longest(fits: Callable[[int], bool], most: int) -> int:
    """The largest ``n <= most`` and ``MAX_LINE_CHARS`` with ``fits(n)``, by bisection."""
    return bisect.bisect(range(1, min(most, MAX_LINE_CHARS) + 1), False, key=lambda n: not fits(n))


def _wrap(fits: Callable[[str], bool], words: list[str], break_words: bool):
    """``words`` on four lines at most, each on the line before if it fits, and whether
    any are left; ``break_words`` cuts a word too wide for a line where it stops fitting."""
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + len(word) < MAX_LINE_CHARS and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while break_words and len(lines) < TITLE_LINES and not fits(word):
            cut = max(1, _longest(lambda n, word=word: fits(word[:n]), len(word)))
            lines.append(word[:cut])
            word = word[cut:]
        if len(lines) == TITLE_LINES:
            return lines, True
        lines.append(word)
    return lines, False


def fit_title(draw: ImageDraw.ImageDraw, title: str, width: int) -> tuple[object, list[str]]:
    """The largest font size (of a few) at which ``title`` fits in four lines within
    ``width``; else the smallest, a word too wide for a line broken across lines and
    the fourth cut short with "…". Only what a card can show is measured, a cut by
    bisection: a title of any length costs a bounded number of measurements."""
    words = title.split()
    for size in TITLE_SIZES:
        font = _font(size)

        def fits(text: str, font=font) -> bool:
            return len(text) <= MAX_LINE_CHARS and draw.textlength(text, font=font) <= width

        lines, more = _wrap(fits, words, break_words=size == TITLE_SIZES[-1])
        # A line of several words was measured as it grew; one word was not.
        if not more and all(" " in line or fits(line) for line in lines):
            return font, lines
    line = lines[-1]  # cut a word, then a character, at a time
    while " " in line and not fits(line + "…"):
        line = line.rsplit(" ", 1)[0]
    line = line[: _longest(lambda n: fits(line[:n] + "…"), len(line))]
    lines[-1] = line + "…"
    return font, lines


@functools.cache
def _drawn(char: str) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("L", (3 * SMALL_SIZE, 3 * SMALL_SIZE), 0)
    ImageDraw.Draw(img).text((SMALL_SIZE, SMALL_SIZE), char, font=_font(SMALL_SIZE), fill=255)
    return img.tobytes()


def drawable(text: str) -> bool:
    """Whether the font has a glyph for every character of ``text`` (one it
    lacks draws as its ".notdef" box)."""
    box = _drawn("\uffff")
    return all(char.isspace() or _drawn(char) != box for char in set(text))


def fit_line(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    """``text`` as it fits in ``width``: whole, or cut with "…"."""
    if draw.textlength(text, font=font) <= width:
        return text

    def fits(n: int) -> bool:
        return draw.textlength(text[:n].rstrip() + "…", font=font) <= width

    return text[: _longest(fits, len(text))].rstrip() + "…"
