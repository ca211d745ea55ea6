"""LaTeX to MathML at build time: pure functions, no Sphinx.

``latex2mathml`` parses the LaTeX, once ``latex.prepare`` has rewritten what
it lacks. This module mends its output for MathML Core, which Chromium,
Firefox and Safari lay out with no script: operators take their limits below
in display, accents sit as accents, symbols are operators, functions' names
are spaced, styled letters are Unicode's mathematical letters (styled words
stay words), and what only
MathML 3 knew (column alignment and spacing) is left to the stylesheet. What
it still cannot show is a problem, reported, never guessed at: the caller
shows the formula's source instead.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from .latex import TAG_INLINE, prepare
from .mathproblems import TOKENS, error_messages
from .mathproblems import problems as find_problems
from .mathtext import Carriers, carriers_for

MATHML_NS = "http://www.w3.org/1998/Math/MathML"


@dataclass(frozen=True)
class Formula:
    """A formula as MathML (``<math>…</math>``), or, when it cannot be shown,
    no MathML and the problems that say why."""

    latex: str
    mathml: str
    problems: tuple[str, ...] = ()
    tag: str = ""  # its own number (\\tag), as shown: "(A.1)"


# -- After the conversion: MathML Core ------------------------------------------

# Operators that take limits below and above in display, as subscripts inline.
_LIMIT_OPERATORS = {
    "lim", "max", "min", "sup", "inf", "det", "gcd", "Pr",
    "arg\u2009max", "arg\u2009min", "lim\u2006sup", "lim\u2006inf",
    "\u2211", "\u220f", "\u2210", "\u22c3", "\u22c2", "\u2a01", "\u2a02", "\u2a00",
    "\u22c1", "\u22c0", "\u2a04", "\u2a06",
}  # fmt: skip
_SCRIPTS_TO_LIMITS = {"msub": "munder", "msup": "mover", "msubsup": "munderover"}
_SCRIPTED = {*_SCRIPTS_TO_LIMITS, *_SCRIPTS_TO_LIMITS.values()}
# Elements whose children are a row, not arguments in fixed places.
_ROWS = {"math", "mrow", "mtd", "mstyle", "msqrt", "mpadded", "mphantom", "menclose"}
_ACCENTS = set("^~\u00af\u02c6\u02dc\u02d9\u02da\u00a8\u02c7\u02d8\u00b4`\u2192\u2015\u203e")
# ASCII's ^ and ~ are wide glyphs: an accent is the modifier letter.
_ACCENT_GLYPHS = {"^": "\u02c6", "~": "\u02dc"}
# Symbols that stay ordinary letters, not operators with spacing.
_ORDINARY = set("%#$_&\u2032\u2033\u2034")
# What TeX sets as ordinary symbols and latex2mathml as operators (spaced as
# operators: ``n \to \infty`` with a gap): ∞ ∅ ∂ ∇, as MathJax sets them.
_ORDINARY_OPERATORS = set("\u221e\u2205\u2202\u2207")
# A bar (``p(y|x)``, ``\|v\|``) is an ordinary symbol in TeX, set tight; as an
# operator MathML Core would space it like ``\mid``.
_BARS = {"|", "\u2016"}
# Unicode's letter-like symbols that stand in for the holes in its
# mathematical alphabets (ℒ for a script L, ℝ for a double-struck R).
_LETTERLIKE = {"SCRIPT": "SCRIPT", "DOUBLE-STRUCK": "DOUBLE-STRUCK", "FRAKTUR": "BLACK-LETTER"}
_SPACES = {
    "negativethinmathspace": "-0.167em",
    "negativemediummathspace": "-0.222em",
    "negativethickmathspace": "-0.278em",
    "thinmathspace": "0.167em",
    "mediummathspace": "0.222em",
    "thickmathspace": "0.278em",
}
_VARIANTS = {
    "bold": "BOLD",
    "italic": "ITALIC",
    "bold-italic": "BOLD ITALIC",
    "double-struck": "DOUBLE-STRUCK",
    "script": "SCRIPT",
    "bold-script": "BOLD SCRIPT",
    "fraktur": "FRAKTUR",
    "bold-fraktur": "BOLD FRAKTUR",
    "sans-serif": "SANS-SERIF",
    "bold-sans-serif": "SANS-SERIF BOLD",
    "sans-serif-italic": "SANS-SERIF ITALIC",
    "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC",
    "monospace": "MONOSPACE",
}
# Text's styles (``\\textbf``, ``\\textit``, ``\\texttt``, ``\\textsf``): the words
# stay words, with their ``mathvariant``, and essayist-math.css sets the weight,
# slant or face. As Unicode's mathematical letters a screen reader would read
# "mathematical bold small w" for every letter of a word.
_TEXT_STYLES = {
    "bold", "italic", "bold-italic", "monospace", "sans-serif", "bold-sans-serif",
    "sans-serif-italic", "sans-serif-bold-italic",
}  # fmt: skip


def _styled(text: str, variant: str) -> str | None:
    """``text`` in Unicode's mathematical letters of ``variant``; None if one
    of its characters has none."""
    prefix = _VARIANTS.get(variant)
    if prefix is None:
        return None
    out = []
    for char in text:
        name = unicodedata.name(char, "")
        for drop in ("LATIN ", "GREEK ", "LETTER "):
            name = name.replace(drop, "")
        try:
            out.append(unicodedata.lookup(f"MATHEMATICAL {prefix} {name}"))
        except KeyError:
            if prefix == "ITALIC" and name == "SMALL H":
                out.append("\u210e")  # the Planck constant is the italic h
            elif prefix in _LETTERLIKE:
                try:
                    out.append(unicodedata.lookup(f"{_LETTERLIKE[prefix]} {name}"))
                except KeyError:
                    return None
            else:
                return None
    return "".join(out)


def _mend(element: Element, limits: frozenset[str]) -> None:
    """Make ``element``'s tree MathML Core, in place (see the module's doc)."""
    _apply_style_switch(element)
    for child in element:
        _mend(child, limits)
    _space_functions(element)
    if element.tag in TOKENS:
        _mend_token(element, limits)
    elif element.tag in _SCRIPTS_TO_LIMITS:
        _limits_below(element, limits)
    elif element.tag == "mover":
        _accent(element)
    elif element.tag == "mspace" and element.get("width") in _SPACES:
        element.set("width", _SPACES[element.get("width")])
    elif element.tag == "mspace" and (em := _mu_in_em(element.get("width", ""))):
        element.set("width", em)  # \mkern3mu: MathML Core knows no mu
    elif element.tag == "mpadded":
        _absolute_padding(element)
    elif element.tag == "mtable":
        element.attrib.pop("rowspacing", None)
        element.attrib.pop("columnspacing", None)
        _centre_single_columns(element)


def _apply_style_switch(element: Element) -> None:
    """``\\displaystyle`` comes out as an empty ``mstyle``: it applies to
    what follows it."""
    children = list(element)
    for index, child in enumerate(children):
        if child.tag == "mstyle" and len(child) == 0 and child.text is None:
            for later in children[index + 1 :]:
                element.remove(later)
                child.append(later)
            return


def _mend_token(element: Element, limits: frozenset[str]) -> None:
    if element.tag == "mo" and len(element):
        # \mathop{\mathrm{…}}: an operator holds text, not elements.
        words = "".join(e.text or ("\u2009" if e.tag == "mspace" else "") for e in element.iter())
        element[:] = []
        element.text = words
        element.set("movablelimits", "true")
    text = element.text
    if text is None:
        return
    variant = element.get("mathvariant")
    if element.tag == "mtext" and variant in _TEXT_STYLES:
        pass  # words stay words, styled by the stylesheet (see _TEXT_STYLES)
    elif variant and variant != "normal" and (styled := _styled(text, variant)):
        element.text = styled
        del element.attrib["mathvariant"]
    if element.tag == "mo" and text in _ORDINARY_OPERATORS and not element.attrib:
        element.tag = "mi"
    elif element.tag == "mo" and text in _BARS and element.get("stretchy") != "true":
        element.set("lspace", "0")
        element.set("rspace", "0")
    elif (
        element.tag == "mo"
        and _is_name(text)
        and element.get("movablelimits") != "true"
        and text not in _LIMIT_OPERATORS | limits
    ):
        element.tag = "mi"  # \operatorname{sign}: a function's name, as \log
    elif element.tag == "mi" and len(text) == 1 and _is_symbol(text):
        element.tag = "mo"  # ⟨ | : ± ⟹: symbols are operators


def _limits_below(element: Element, limits: frozenset[str]) -> None:
    """An operator's sub- and superscripts go below and above it in display,
    beside it inline (``movablelimits``), as in TeX."""
    base = element[0] if len(element) else None
    if base is None or base.tag != "mo":
        return
    if base.get("movablelimits") == "true" or (base.text or "") in _LIMIT_OPERATORS | limits:
        element.tag = _SCRIPTS_TO_LIMITS[element.tag]
        base.set("movablelimits", "true")


_LENGTH = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:em|ex|px|pt|%)?")
_MU = re.compile(r"(-?(?:\d+\.?\d*|\.\d+))mu")


def _mu_in_em(width: str) -> str | None:
    """A width in TeX's math units as ems (18 mu to the em), or None."""
    if m := _MU.fullmatch(width.strip()):
        return f"{float(m.group(1)) / 18:.3f}em"
    return None


def _absolute_padding(element: Element) -> None:
    """MathML 3's ``width="+0.833em"`` grows a box by that much; MathML Core
    reads it as the width (``\\xrightarrow{label}``: the label ran over what
    followed). A size that grows or shrinks is dropped, and the shift that
    went with it: the content keeps its own size."""
    relative = [
        name for name in ("width", "height", "depth") if element.get(name, "")[:1] in ("+", "-")
    ]
    for name in relative:
        del element.attrib[name]
    if relative:
        element.attrib.pop("lspace", None)
    if not _LENGTH.fullmatch(element.get("lspace", "0")):
        # \mathclap's lspace="-0.5width" is no length: the content keeps its width.
        for name in ("lspace", "width"):
            element.attrib.pop(name, None)


def _accent(element: Element) -> None:
    if len(element) == 2 and element[1].tag == "mo" and (element[1].text or "") in _ACCENTS:
        element.set("accent", "true")
        element[1].text = _ACCENT_GLYPHS.get(element[1].text, element[1].text)


def _is_symbol(char: str) -> bool:
    return char not in _ORDINARY and unicodedata.category(char)[0] in "SP"


def _is_name(text: str | None) -> bool:
    return text is not None and len(text) > 1 and text.isascii() and text.isalpha()


def _is_function(element: Element) -> bool:
    if element.tag in _SCRIPTS_TO_LIMITS and len(element):
        element = element[0]  # \log_2
    return element.tag == "mi" and _is_name(element.text)


def _spaced(element: Element) -> bool:
    """An operator, embellished or not, or a space: it brings its own spacing."""
    if element.tag in ("mo", "mspace"):
        return True
    return element.tag in _SCRIPTED and len(element) > 0 and _spaced(element[0])


def _space_functions(element: Element) -> None:
    """A thin space between a function's name (``\\log``, ``\\operatorname``) and an
    ordinary neighbour, as TeX sets it; an operator brings its own."""
    children = list(element)
    if element.tag not in _ROWS or not any(_is_function(child) for child in children):
        return
    spaced: list[Element] = []
    for index, child in enumerate(children):
        after = children[index + 1] if index + 1 < len(children) else None
        if _is_function(child):
            if spaced and not _spaced(spaced[-1]):
                spaced.append(Element("mspace", width="0.167em"))
            spaced.append(child)
            if after is not None and not _spaced(after):
                spaced.append(Element("mspace", width="0.167em"))
        else:
            spaced.append(child)
    element[:] = spaced


def _centre_single_columns(table: Element) -> None:
    """Rows of one formula each (gather, lines without &) are centred."""
    if table.get("displaystyle") != "true":
        return
    rows = [row for row in table if row.tag == "mtr"]
    if all(len(row) <= 1 for row in rows):
        for row in rows:
            for cell in row:
                cell.attrib.pop("columnalign", None)


def _unescape(root: Element) -> None:
    # latex2mathml stores characters as entity references inside the text.
    for element in root.iter():
        if element.text and "&" in element.text:
            element.text = html.unescape(element.text)


def _restore(root: Element, carriers: Carriers) -> None:
    # What ``mathtext`` carried through latex2mathml, after the problems
    # are looked for (a backslash of the text is not a command); an attribute
    # (``\color``'s) may hold some too.
    for element in root.iter():
        if element.text:
            element.text = carriers.restore(element.text)
        for name, value in element.attrib.items():
            element.set(name, carriers.restore(value))


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def serialize(element: Element) -> str:
    """``element`` as HTML: every element closed explicitly (an HTML parser
    that does not know MathML, as some feed readers', never sees ``<mi/>``)."""
    attrs = "".join(f' {k}="{_escape(v, True)}"' for k, v in element.attrib.items())
    inner = _escape(element.text or "") + "".join(serialize(child) for child in element)
    return f"<{element.tag}{attrs}>{inner}</{element.tag}>" + _escape(element.tail or "")


@functools.lru_cache(maxsize=4096)
def convert(latex: str, display: bool) -> Formula:
    """``latex`` as MathML, inline or displayed; a formula that cannot be
    shown has no MathML and says why in ``problems``."""
    # latex2mathml (about 15 ms to import) is loaded by the first formula.
    from latex2mathml.converter import convert_to_element

    text, limits, problems, tag = prepare(latex)
    if tag and not display:
        problems = (TAG_INLINE,)
    if problems:
        return Formula(latex, "", problems)
    try:
        root = convert_to_element(text, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises many kinds, some not its own
        message = error_messages().get(
            type(error), f"latex2mathml cannot read it ({type(error).__name__})"
        )
        return Formula(latex, "", (message,))
    try:
        _unescape(root)
        problems = tuple(find_problems(root, text))
        if problems:
            return Formula(latex, "", problems)
        _restore(root, carriers_for(latex))
        _mend(root, limits)
        root.attrib.clear()
        if display:
            root.set("display", "block")
        root.set("xmlns", MATHML_NS)
        root.tail = None
        return Formula(latex, serialize(root), (), tag)
    except RecursionError:
        return Formula(latex, "", ("it is nested too deeply: split it into smaller formulas",))
