"""Text inside a formula (``\\text{R\\&D}``), read as TeX reads text.

latex2mathml reads a text argument up to its first ``}``, escapes and all:
``\\text{R\\&D}`` showed ``R\\&D`` and ``\\text{a \\{b\\} c}`` broke the
formula. Each text argument is read here instead, and given to latex2mathml
as plain text: escapes (``\\&``, ``\\%``, ``\\{``…) and ``\\textbackslash`` are
their characters, ``~`` a no-break space, ``\\,`` a thin one, braces only
group, accents (``\\'e``) are accented letters, and a formula inside the text
(``\\text{if $x > 0$}``) or a text command inside it (``\\textbf``) closes
the text around it. What latex2mathml would misread in text (braces,
backslashes, ampersands) is carried through it as private-use characters that
``restore_text`` gives back. What has no meaning in a line of text (``\\\\``,
``$$``) is a problem, reported with the rest.
"""

from __future__ import annotations

import re
import unicodedata

# Commands whose argument is text, as latex2mathml converts them.
_TEXT_COMMAND = re.compile(
    r"(\\(?:text|textrm|textbf|textit|texttt|textsf|textnormal|mbox|hbox))(?![A-Za-z])\s*\{"
)
# Characters latex2mathml would misread in text, carried as private-use ones.
_CARRIED = {"{": "\ue000", "}": "\ue001", "\\": "\ue002", "&": "\ue003"}
_RESTORE = str.maketrans({v: k for k, v in _CARRIED.items()})
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


def _carry(text: str) -> str:
    return "".join(_CARRIED.get(c, c) for c in text)


def _group(latex: str, start: int, command: str, problems: list[str]) -> tuple[str, int] | None:
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
            text.append(_CARRIED["\\"])
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
            inner = _group(latex, word.end(), word.group(1), problems)
            if inner is None:
                return None
            close()
            parts.append(inner[0])
            position = inner[1]
        elif len(token) == 2 and token[0] == "\\" and token[1] in _SYMBOLS:
            text.append(_carry(_SYMBOLS[token[1]]))
        elif len(token) == 2 and token[0] == "\\" and token[1] in _ACCENTS:
            letter = _ACCENTED.match(latex, position)
            if letter is None:
                problems.append(f"{token} in \\text with no letter after it")
                return None
            if letter.group(3):  # \~{}: the accent on nothing is the character itself
                text.append(_carry(token[1]))
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
            text.append(_carry(token))
    return None


def texts(latex: str) -> tuple[str, list[str]]:
    """``latex`` with every text argument as latex2mathml reads it well, and
    the problems found in them."""
    out, position, problems = [], 0, []
    for match in _TEXT_COMMAND.finditer(latex):
        if match.start() < position:
            continue  # inside a text group already read
        group = _group(latex, match.end(), match.group(1), problems)
        if group is None:
            break  # a problem, or unbalanced (reported by the brace scan)
        out += [latex[position : match.start()], group[0] or f"{match.group(1)}{{}}"]
        position = group[1]
    return "".join(out) + latex[position:], problems


def restore_text(text: str) -> str:
    """What ``texts`` carried through latex2mathml, as it was."""
    return text.translate(_RESTORE)
