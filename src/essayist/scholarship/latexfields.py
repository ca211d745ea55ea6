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
  and old switches (``{\\em words}``, ``{\\bf x}``) become emphasis, strong,
  code, superscript;
* a formula (``$...$``) is the text the page would show for it
  (``content.mathplain``: O(n²), θ̂, ½ as 1/2, ℝ^d), and keeps its case;
* accents in every form (``\\'e``, ``{\\'\\i}``, ``\\v S``) are their letters;
  ``\\LaTeX``, ``\\textquotesingle`` and escaped ``\\$ \\& \\% \\# \\_`` the
  text they stand for; a bare ``%`` is a percent sign (a URL's ``%20``);
* ``\\url{...}`` and ``\\href{...}{text}`` are links (http and https only);
* a command with an argument that is none of these shows its argument; one
  without shows as written.

``setup_latex_fields`` makes it what pybtex uses for every field, so the
reference lists and the citation previews (``references.latex_text``) read a
field the same way. A field it cannot read (an unclosed brace) goes to
pybtex's own reader, which reports it as before.
"""

from __future__ import annotations

import codecs
import re

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.richtext import HRef, Protected, String, Tag, Text

from ..blog.frontmatter import url_problem
from ..content.mathplain import formula_text

_FROM_LATEX = Text.from_latex.__func__  # pybtex's own, for what this cannot read

_FORMAT = {
    "emph": "em",
    "textit": "em",
    "textsl": "em",
    "textbf": "strong",
    "texttt": "tt",
    "textsuperscript": "sup",
    "textsubscript": "sub",
}
# Old switches, written inside a group: ``{\em words}``, ``{\bf words}``.
_SWITCHES = {"em": "em", "it": "em", "sl": "em", "bf": "strong", "tt": "tt"}
# Commands whose argument is shown as it is.
_PLAIN = {
    "textrm", "textsf", "textsc", "textup", "textnormal", "textmd", "text", "mbox",
    "NoCaseChange", "hbox", "nolinkurl",
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
}
_ESCAPED = set("$&%#_{} ")
_ACCENTS = set("'\"^`~=.") | set("vuHcdbtrk")
_NAME = re.compile(r"[A-Za-z]+")


class _Unreadable(ValueError):
    pass


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.i = text, 0

    def skip_spaces(self) -> None:
        while self.text[self.i : self.i + 1] == " ":
            self.i += 1

    def group(self) -> str | None:
        """The next ``{...}`` (spaces before it skipped), raw; None if none."""
        j = self.i
        while j < len(self.text) and self.text[j] == " ":
            j += 1
        if j >= len(self.text) or self.text[j] != "{":
            return None
        depth, k = 0, j
        while k < len(self.text):
            c = self.text[k]
            if c == "\\":
                k += 2  # an escaped character (``\}``, ``\\``) is no brace
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    self.i = k + 1
                    return self.text[j + 1 : k]
            k += 1
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

    def math(self) -> str:
        """The formula from ``$`` (the reader is at it) to its closing ``$``."""
        end = self.i + 1
        while end < len(self.text) and self.text[end] != "$":
            end += 2 if self.text[end] == "\\" else 1
        if end >= len(self.text):
            raise _Unreadable("unclosed formula")
        inner, self.i = self.text[self.i + 1 : end], end + 1
        return inner


def _decoded(latex: str) -> str:
    # latexcodec drops the spaces a run starts with (TeX's rule after a
    # command); between the parts read here they are the author's words'
    # spaces. A bare % would start a comment there: it is a percent sign.
    core = latex.lstrip(" ")
    lead = " " if len(core) < len(latex) else ""
    core = re.sub(r"(?<!\\)%", r"\\%", core)
    try:
        return lead + codecs.decode(core, "ulatex") if core else lead
    except ValueError:  # a lone backslash: shown as written
        return latex


def _accented(reader: _Reader, name: str) -> str:
    """An accent and its letter (``\\'e``, ``\\'{\\i}``, ``\\v S``) as one character."""
    arg = reader.group()
    if arg is None:
        reader.skip_spaces()
        if reader.text[reader.i : reader.i + 1] == "\\":
            m = _NAME.match(reader.text, reader.i + 1)
            end = m.end() if m else reader.i + 2
            arg, reader.i = reader.text[reader.i : end], end
            reader.skip_spaces()  # as TeX does after a command: \^\i le is île
        else:
            arg, reader.i = reader.text[reader.i : reader.i + 1], reader.i + 1
    raw = f"\\{name}{' ' if name.isalpha() else ''}{arg.strip()}"
    decoded = _decoded(raw)
    return decoded if "\\" not in decoded else arg.replace("\\", "")


def _parts(text: str) -> list:
    """pybtex rich-text parts of a field's ``text``."""
    reader, parts, run = _Reader(text), [], []

    def flush() -> None:
        if run:
            parts.append(String(_decoded("".join(run))))
            run.clear()

    while reader.i < len(text):
        c = text[reader.i]
        if c == "{":
            flush()
            inner = reader.group()
            switch = re.match(r"\\(em|it|sl|bf|tt)\b\s*", inner)
            if switch:
                rest = _parts(inner[switch.end() :])
                parts.append(Tag(_SWITCHES[switch.group(1)], Protected(*rest)))
            else:
                parts.append(Protected(*_parts(inner)))
        elif c == "}":
            raise _Unreadable("unbalanced brace")
        elif c == "$":
            flush()
            # As the page shows a formula, as text (mathplain): it keeps its case.
            parts.append(Protected(String(formula_text(reader.math()))))
        elif c == "\\":
            start = reader.i
            reader.i += 1
            name = reader.command()
            if name in _ESCAPED:
                # Not through latexcodec: "%" would start a comment there.
                flush()
                parts.append(String(name))
            elif name == "\\":  # a line break, in a title a space
                run.append(" ")
            elif name in _WORDS:
                flush()
                parts.append(Protected(_WORDS[name]))
            elif name in _ACCENTS:
                flush()
                parts.append(String(_accented(reader, name)))
            elif name in ("url", "href") and (url := reader.group()) is not None:
                flush()
                label = reader.group() if name == "href" else None
                shown = _parts(label) if label is not None else [String(url)]
                parts.append(HRef(url, *shown) if url_problem(url) is None else Text(*shown))
            elif name in _FORMAT and (arg := reader.group()) is not None:
                flush()
                parts.append(Tag(_FORMAT[name], Protected(*_parts(arg))))
            elif name in _PLAIN and (arg := reader.group()) is not None:
                flush()
                parts.append(Protected(*_parts(arg)))
            else:
                # Symbols latexcodec knows (\ss, \o, \ldots); else the argument
                # of a command it does not know, or the command as written.
                mark = reader.i
                arg = reader.group()
                symbol = _decoded(text[start : reader.i]).strip()
                flush()
                if "\\" not in symbol:
                    parts.append(String(symbol.replace("{", "").replace("}", "")))
                elif arg is not None:
                    parts.extend(_parts(arg))
                else:
                    reader.i = mark
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
