"""Text inside a formula (``\\text{R\\&D}``), read as TeX reads text.

latex2mathml reads a text argument up to its first ``}``, escapes and all:
``\\text{R\\&D}`` showed ``R\\&D`` and ``\\text{a \\{b\\} c}`` broke the
formula. Each text argument is read here instead, and given to latex2mathml
as plain text: escapes (``\\&``, ``\\%``, ``\\{``…) and ``\\textbackslash`` are
their characters, ``~`` a no-break space, ``\\,`` a thin one, braces only
group, accents (``\\'e``) are accented letters, and a formula inside the text
(``\\text{if $x > 0$}``) or a text command inside it (``\\textbf``) closes
the text around it, and dashes and quotation marks are TeX's (``--`` is –).
What latex2mathml would misread in text (braces, backslashes, ampersands) is
carried through it as private-use characters that ``Carriers.restore`` gives
back: four the formula does not hold itself (an icon font's character typed
into a formula stays what it is). What has no meaning
in a line of text (``\\\\``, ``$$``) is a problem, reported with the rest.
"""

from __future__ import annotations

import re
import unicodedata

# Commands whose argument is text, as latex2mathml converts them.
_TEXT_COMMAND = re.compile(
    r"(\\(?:text|textrm|textbf|textit|texttt|textsf|textnormal|mbox|hbox))(?![A-Za-z])\s*\{"
)
# Characters latex2mathml would misread in text, carried as private-use ones.
_MISREAD = "{}\\&"
# Unicode's private-use areas, where the four carriers are chosen.
_PRIVATE_AREAS = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
_PRIVATE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
# Control symbols in text: \& is "&", "\ " a space, \, a thin space...
_SYMBOLS = {
    **{c: c for c in "&%$#_{}"},
    " ": " ",
    ",": "\u2009",
    ":": "\u205f",
    ";": "\u205f",
    ">": "\u205f",
    "!": "",
    "-": "",  # a place to hyphenate
    "/": "",  # italic correction
    "@": "",
}
# Accents on the next letter, as combining characters.
_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
}
_ACCENTED = re.compile(r"\s*(?:([A-Za-z])|\{\s*([A-Za-z])\s*\}|(\{\}))")
_TOKEN = re.compile(
    r"\\textbackslash(?![A-Za-z])\s*(?:\{\})?"  # its spaces are TeX's to skip
    r"|\\[A-Za-z]+\s*"  # a control word, and the spaces after it
    r"|\\."  # a control symbol
    r"|\$\$?|[{}~&]|[^\\{}~&$]+",
    re.S,
)
_MATH_END = re.compile(r"(?<!\\)\$")
LINE_BREAK = "a line break \\\\ where none can be shown (inside { } or \\text)"


class Carriers:
    """Four private-use characters that carry ``{ } \\ &`` through
    latex2mathml, chosen among those a formula does not hold."""

    def __init__(self, first: int) -> None:
        chars = [chr(first + offset) for offset in range(len(_MISREAD))]
        self.backslash = chars[_MISREAD.index("\\")]
        self._there = str.maketrans(dict(zip(_MISREAD, chars, strict=True)))
        self._back = str.maketrans(dict(zip(chars, _MISREAD, strict=True)))

    def carry(self, text: str) -> str:
        return text.translate(self._there)

    def restore(self, text: str) -> str:
        """What ``texts`` carried through latex2mathml, as it was."""
        return text.translate(self._back)


def carriers_for(latex: str) -> Carriers | None:
    """The first four private-use characters in a row that ``latex`` does not
    hold (the rewrites of ``latex.prepare`` add none and take none away, so the
    formula as written and as prepared give the same four); None if it holds
    one of every four."""
    used = {ord(char) for char in _PRIVATE.findall(latex)}
    for start, end in _PRIVATE_AREAS:
        for first in range(start, end - len(_MISREAD) + 2, len(_MISREAD)):
            if used.isdisjoint(range(first, first + len(_MISREAD))):
                return Carriers(first)
    return None


def _group(
    latex: str, start: int, command: str, problems: list[str], carriers: Carriers
) -> tuple[str, int] | None:
    """The text group opening at ``start`` (after its ``{``) as LaTeX that
    latex2mathml reads well, and where the group ends; None if it never ends."""
    parts: list[str] = []  # the LaTeX made so far
    text: list[str] = []  # the text not yet closed into ``command{…}``

    def close() -> None:
        if text:
            parts.append(f"{command}{{{''.join(text)}}}")
            text.clear()

    depth, position = 0, start
    while position < len(latex):
        match = _TOKEN.match(latex, position)
        token, position = match.group(0), match.end()
        if token == "}":
            if depth == 0:
                close()
                return "".join(parts), position
            depth -= 1
        elif token == "{":
            depth += 1  # a group in text only groups: nothing is shown
        elif token == "~":
            text.append("\u00a0")
        elif token.startswith("\\textbackslash"):
            text.append(carriers.backslash)
        elif token[0] == "$":
            end = _MATH_END.search(latex, position)
            if token == "$$" or end is None:
                problems.append(
                    "a $ inside \\text starts a formula that does not end there: "
                    "write \\$ for a dollar sign"
                    if token == "$"
                    else "$$ inside \\text: a displayed formula cannot sit in a line of text"
                )
                return None
            close()
            parts.append(f"{{{latex[position : end.start()]}}}")  # the formula, as it is
            position = end.end()
        elif token[0] == "\\" and (word := _TEXT_COMMAND.match(latex, match.start())):
            inner = _group(latex, word.end(), word.group(1), problems, carriers)
            if inner is None:
                return None
            close()
            parts.append(inner[0])
            position = inner[1]
        elif len(token) == 2 and token[0] == "\\" and token[1] in _SYMBOLS:
            text.append(carriers.carry(_SYMBOLS[token[1]]))
        elif len(token) == 2 and token[0] == "\\" and token[1] in _ACCENTS:
            letter = _ACCENTED.match(latex, position)
            if letter is None:
                problems.append(
                    "\\\" in \\text puts an umlaut on a letter: write a quotation mark as `` and ''"
                    if token == '\\"'
                    else f"{token} in \\text with no letter after it"
                )
                return None
            if letter.group(3):  # \~{}: the accent on nothing is the character itself
                text.append(carriers.carry(token[1]))
            else:
                base = letter.group(1) or letter.group(2)
                text.append(unicodedata.normalize("NFC", base + _ACCENTS[token[1]]))
            position = letter.end()
        elif token == "\\\\":
            problems.append(LINE_BREAK)
            return None
        elif token[0] == "\\":
            text.append(f"{token.strip()} ")  # a command in text: reported by its name
        else:
            # Typewriter type has no ligatures: \texttt{--flag} stays as typed.
            text.append(carriers.carry(token if command == "\\texttt" else _ligatures(token)))
    return None


# TeX's ligatures in text: dashes and quotation marks.
_LIGATURES = re.compile(r"---|--|``|''|`|'")
_LIGATURE = {
    "---": "\u2014",
    "--": "\u2013",
    "``": "\u201c",
    "''": "\u201d",
    "`": "\u2018",
    "'": "\u2019",
}


def _ligatures(text: str) -> str:
    """``2020--2024`` is 2020–2024 and ``\u0060\u0060so-called''`` is “so-called”, as
    TeX sets text."""
    return _LIGATURES.sub(lambda m: _LIGATURE[m.group(0)], text)


def texts(latex: str) -> tuple[str, list[str]]:
    """``latex`` with every text argument as latex2mathml reads it well, and
    the problems found in them."""
    out, position, problems = [], 0, []
    carriers = carriers_for(latex)
    if carriers is None:
        return latex, ["it holds too many private-use characters to be read"]
    for match in _TEXT_COMMAND.finditer(latex):
        if match.start() < position:
            continue  # inside a text group already read
        group = _group(latex, match.end(), match.group(1), problems, carriers)
        if group is None:
            break  # a problem, or unbalanced (reported by the brace scan)
        out += [latex[position : match.start()], group[0] or f"{match.group(1)}{{}}"]
        position = group[1]
    return "".join(out) + latex[position:], problems
