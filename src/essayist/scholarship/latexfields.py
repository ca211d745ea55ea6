"""The LaTeX that real bibliographies hold, read as a reader expects it.

pybtex (0.26.1) reads a field's braces and, through latexcodec, its accents and
symbols, and leaves every other command as written: a title exported by
Zotero, Google Scholar or arXiv as ``Learning in $O(n^2)$ time with
\\emph{sparse} models`` was listed as "Learning in $o(n^2)$ time with \\emph
sparse models", its formula lower-cased by the style's sentence case
(mcmtroffaes/sphinxcontrib-bibtex#76 and #300, "upstream"; pybtex's
``LaTeXParser`` knows braces only).

:func:`rich_latex` reads a field into pybtex's rich text instead:

* ``\\emph``, ``\\textit``, ``\\textbf``, ``\\texttt``, ``\\textsuperscript``
  and the like become emphasis, strong, code, superscript;
* a formula (``$...$``) keeps its case; ``^`` and ``_`` become superscript and
  subscript, commands the symbols latexcodec knows (``\\alpha`` α,
  ``\\leq`` ≤, ``\\mathbb{R}`` ℝ), ``\\sqrt{x}`` √x, and the dollars go;
* ``\\LaTeX``, ``\\textquotesingle`` and escaped ``\\$ \\& \\% \\# \\_`` are
  the text they stand for; a command with an argument that is none of these
  shows its argument; one without shows as written.

``setup_latex_fields`` makes it what pybtex uses for every field, so the
reference lists and the citation previews (``references.latex_text``) read a
field the same way. A field it cannot read (an unclosed brace) goes to
pybtex's own reader, which reports it as before.
"""

from __future__ import annotations

import codecs
import re

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.richtext import Protected, String, Tag, Text

_FROM_LATEX = Text.from_latex.__func__  # pybtex's own, for what this cannot read

_FORMAT = {
    "emph": "em",
    "textit": "em",
    "textsl": "em",
    "mathit": "em",
    "textbf": "strong",
    "mathbf": "strong",
    "boldsymbol": "strong",
    "texttt": "tt",
    "mathtt": "tt",
    "textsuperscript": "sup",
    "textsubscript": "sub",
}
# Commands whose argument is shown as it is.
_PLAIN = {
    "textrm", "textsf", "textsc", "textup", "textnormal", "textmd", "text", "mbox",
    "mathrm", "mathsf", "operatorname", "url", "nolinkurl", "NoCaseChange", "hbox",
}  # fmt: skip
_WORDS = {
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "LaTeXe": "LaTeX2ε",
    "textquotesingle": "'",
    "textquotedbl": '"',
    "textendash": "–",
    "textemdash": "—",
    "textbackslash": "\\",
    "sqrt": "√",
}
_ESCAPED = set("$&%#_{} ")
_ACCENTS = set("'\"^`~=.") | set("vuHcdbtrk")
# Operators a formula shows by name (upright, as LaTeX sets them).
_OPERATORS = {
    "log", "ln", "exp", "sin", "cos", "tan", "max", "min", "arg", "det", "lim",
    "sup", "inf", "Pr", "deg", "dim", "ker", "gcd", "argmax", "argmin",
}  # fmt: skip
_NAME = re.compile(r"[A-Za-z]+")
_SUPERSCRIPT = dict(zip("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ", strict=True))
_SUBSCRIPT = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=True))


class _Unreadable(ValueError):
    pass


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.i = text, 0

    def group(self) -> str | None:
        """The next ``{...}`` (spaces before it skipped), raw; None if none."""
        j = self.i
        while j < len(self.text) and self.text[j] == " ":
            j += 1
        if j >= len(self.text) or self.text[j] != "{":
            return None
        depth = 0
        for k in range(j, len(self.text)):
            if self.text[k] == "\\":
                continue
            if self.text[k] == "{" and (k == 0 or self.text[k - 1] != "\\"):
                depth += 1
            elif self.text[k] == "}" and self.text[k - 1] != "\\":
                depth -= 1
                if depth == 0:
                    self.i = k + 1
                    return self.text[j + 1 : k]
        raise _Unreadable("unclosed brace")

    def command(self) -> str:
        """The command at ``\\`` (the reader is past it): its name."""
        m = _NAME.match(self.text, self.i)
        if m:
            self.i = m.end()
            return m.group()
        if self.i >= len(self.text):
            return ""
        self.i += 1
        return self.text[self.i - 1]


def _decoded(latex: str) -> str:
    # latexcodec drops the spaces a run starts with (TeX's rule after a
    # command); between the parts read here they are the author's words' spaces.
    core = latex.lstrip(" ")
    lead = " " if len(core) < len(latex) else ""
    try:
        return lead + codecs.decode(core, "ulatex") if core else lead
    except ValueError:  # a lone backslash: shown as written
        return latex


def _parts(text: str, math: bool = False) -> list:
    """pybtex rich-text parts of ``text`` (in a formula with ``math``)."""
    reader, parts, run = _Reader(text), [], []

    def flush() -> None:
        if run:
            chunk = "".join(run)
            run.clear()
            parts.append(String(_decoded(chunk) if not math else chunk))

    while reader.i < len(text):
        c = text[reader.i]
        if c == "{":
            flush()
            inner = _parts(reader.group(), math)
            parts.append(Text(*inner) if math else Protected(*inner))
        elif c == "}":
            raise _Unreadable("unbalanced brace")
        elif c == "$" and not math:
            flush()
            end = text.find("$", reader.i + 1)
            while end != -1 and text[end - 1] == "\\":
                end = text.find("$", end + 1)
            if end == -1:
                raise _Unreadable("unclosed formula")
            parts.append(Protected(*_parts(text[reader.i + 1 : end], math=True)))
            reader.i = end + 1
        elif math and c in "^_":
            flush()
            reader.i += 1
            arg = reader.group()
            if arg is None:
                arg, reader.i = text[reader.i : reader.i + 1], reader.i + 1
            table = _SUPERSCRIPT if c == "^" else _SUBSCRIPT
            plain = arg.strip()
            if plain and all(ch in table for ch in plain):
                # ² and ₁ read right wherever the text goes (a preview, a feed).
                parts.append(String("".join(table[ch] for ch in plain)))
            else:
                parts.append(Tag("sup" if c == "^" else "sub", *_parts(arg, math)))
        elif c == "\\":
            start = reader.i
            reader.i += 1
            name = reader.command()
            if name in _ESCAPED:
                # Not through latexcodec: "%" would start a comment there.
                flush()
                parts.append(String(name))
                continue
            if math and name in _OPERATORS:
                flush()
                parts.append(String(name))
                continue
            if math and name == "Bbb":  # plain TeX's \Bbb C, as \mathbb{C}
                arg = reader.group()
                if arg is None:
                    while text[reader.i : reader.i + 1] == " ":
                        reader.i += 1
                    arg, reader.i = text[reader.i : reader.i + 1], reader.i + 1
                flush()
                parts.append(String(_decoded(f"$\\mathbb{{{arg}}}$")))
                continue
            if name in _WORDS:
                flush()
                parts.append(String(_WORDS[name]) if math else Protected(_WORDS[name]))
                continue
            if name == "\\":  # a line break, in a title a space
                run.append(" ")
                continue
            if name in _FORMAT or name in _PLAIN:
                arg = reader.group()
                if arg is not None:
                    flush()
                    inner = _parts(arg, math)
                    if name in _FORMAT:
                        # Braces protect their text from the style's case change.
                        parts.append(Tag(_FORMAT[name], *(inner if math else [Protected(*inner)])))
                    else:
                        parts.append(Text(*inner) if math else Protected(*inner))
                    continue
            # Accents and symbols: latexcodec's, with the argument if any.
            mark = reader.i
            arg = reader.group()
            if arg is None and name in _ACCENTS and reader.i < len(text):
                reader.i += 1  # \'e, \"o: the accent's letter
            raw = text[start : reader.i]
            symbol = _decoded(f"${raw}$" if math else raw).strip()
            if "\\" not in symbol:
                flush()
                parts.append(String(symbol.replace("{", "").replace("}", "")))
            elif arg is not None:
                flush()
                parts.extend(_parts(arg, math))
            else:
                reader.i = mark
                flush()
                parts.append(String(text[start:mark]))
        else:
            run.append(c)
            reader.i += 1
    flush()
    return parts


def rich_latex(latex: str) -> Text:
    """A field's LaTeX as pybtex rich text (see the module's notes)."""
    try:
        return Text(*_parts(latex))
    except _Unreadable:
        return _FROM_LATEX(Text, latex)


def setup_latex_fields() -> None:
    # Every field pybtex formats (``entry.rich_fields``, names) goes through
    # Text.from_latex: the one place a field's LaTeX is read.
    Text.from_latex = classmethod(lambda cls, latex: rich_latex(latex))
