"""A formula as plain text, where no markup can go: a page's ``<title>``, a feed's
title and summary, a link preview, a social card, a search result.

``# Why $\\beta$ matters`` is shown on its page with MathML; its title text
elsewhere was the LaTeX itself ("Why \\beta matters"). Here the formula is
converted as the page converts it, and its MathML read as text: letters and
symbols as Unicode (β, ≤, ℝ), a digit or sign raised or lowered as a Unicode
superscript or subscript (mc², x₁), other scripts marked as written (x_i,
e^(iπ)), a fraction as a/b, an accent on its letter (ŷ). A formula that cannot
be converted stays as written.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from xml.etree import ElementTree as ET

from .mathml import convert

_NS = "{http://www.w3.org/1998/Math/MathML}"
_SUP = dict(zip("0123456789+-−=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ", strict=True))
_SUB = dict(zip("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎", strict=True))
_ACCENTS = {
    "^": "\u0302", "\u02c6": "\u0302", "~": "\u0303", "\u02dc": "\u0303",
    "\u00af": "\u0304", "\u203e": "\u0304", "\u2015": "\u0304", "\u02d9": "\u0307",
    "\u00a8": "\u0308", "\u2192": "\u20d7", "\u02c7": "\u030c",
}  # fmt: skip
_RELATIONS = set("=<>≤≥≠≈∼≃≡∝→←↦⇒⇔∈∉⊂⊆⊃⊇≪≫")
_BINARY = set("+−-×·±∓⋅∪∩")


@functools.lru_cache(maxsize=1024)
def formula_text(latex: str) -> str:
    """``latex`` (an inline formula) as text on one line."""
    formula = convert(latex, False)
    if not formula.mathml:
        return " ".join(latex.split())
    text = _text(ET.fromstring(formula.mathml))
    # An accent on its letter as one character where Unicode has one (Õ).
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def _script(text: str, table: dict[str, str], mark: str) -> str:
    text = "".join(text.split())
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def _grouped(text: str) -> str:
    return text if len(text) <= 1 or text.isalnum() else f"({text})"


def _first(element: ET.Element, parent: ET.Element | None) -> bool:
    """Whether ``element`` opens its row (a sign, not an operation: −1)."""
    return parent is None or len(parent) == 0 or parent[0] is element


def _text(element: ET.Element, parent: ET.Element | None = None) -> str:
    tag = element.tag.removeprefix(_NS)
    kids = [_text(kid, element) for kid in element]
    if tag in ("msup", "msub", "msubsup") and kids:
        base, scripts = kids[0], kids[1:]
        marks = {"msup": [(_SUP, "^")], "msub": [(_SUB, "_")]}.get(tag, [(_SUB, "_"), (_SUP, "^")])
        return base + "".join(_script(s, t, m) for s, (t, m) in zip(scripts, marks, strict=False))
    if tag in ("mover", "munder", "munderover") and kids:
        base = kids[0]
        if tag == "mover" and len(kids) == 2 and kids[1] in _ACCENTS and len(base) == 1:
            return base + _ACCENTS[kids[1]]
        marks = {"mover": ["^"], "munder": ["_"]}.get(tag, ["_", "^"])
        limits = "".join(
            f"{m}{_grouped(''.join(s.split()))}"
            for s, m in zip(kids[1:], marks, strict=False)
            if s.strip()
        )
        return f"{base}{limits} "  # what it applies to follows: ∑_(i=1)^n x_i
    if tag == "mfrac" and len(kids) == 2:
        return f"{_grouped(kids[0])}/{_grouped(kids[1])}"
    if tag == "msqrt":
        return "√" + _grouped("".join(kids))
    if tag == "mroot" and len(kids) == 2:
        return _script(kids[1], _SUP, "^") + "√" + _grouped(kids[0])
    own = element.text or ""
    operator = own.strip() if tag == "mo" else ""
    if operator in _RELATIONS or (operator in _BINARY and not _first(element, parent)):
        own = f" {operator} "
    elif tag == "mo" and own.strip() == ",":
        own = ", "
    elif tag == "mspace" or (tag == "mtext" and not own.strip()):
        own = " "
    parts = [own]
    for kid, text in zip(element, kids, strict=True):
        parts.append(text)
        parts.append(kid.tail or "")
    return "".join(parts)
