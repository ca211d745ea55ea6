"""A formula's LaTeX in the terms latex2mathml knows: pure string functions.

latex2mathml lacks amsmath's environments (``aligned``, ``gather``,
``equation``…), ``\\arg\\max``, ``\\operatorname*`` and lines broken with
``\\\\`` outside an environment, and reads ``\\sim`` as a tilde. Each is
rewritten here into what it converts well; equation numbers stay Sphinx's (one
per displayed block), never latex2mathml's (one per row). Text inside a
formula is read as TeX reads text (``mathtext``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .mathtext import texts

# amsmath's environments, as the ones latex2mathml converts.
_ALIGN = "align*"
_ENVIRONMENTS = {
    "align": _ALIGN,
    "aligned": _ALIGN,
    "alignat": _ALIGN,
    "alignat*": _ALIGN,
    "alignedat": _ALIGN,
    "flalign": _ALIGN,
    "flalign*": _ALIGN,
    "eqnarray": _ALIGN,
    "eqnarray*": _ALIGN,
    # One formula a row, each centred (see mathml._centre_single_columns).
    "gather": _ALIGN,
    "gather*": _ALIGN,
    "gathered": _ALIGN,
    "multline": _ALIGN,
    "multline*": _ALIGN,
    # mathtools' displayed cases (dcases* sets its conditions as text: refused).
    "dcases": "cases",
}
# The environments latex2mathml knows; any other is a problem, not its content
# shown as if it were not there.
_KNOWN = {
    *(f"{m}matrix{s}" for m in ("", "p", "b", "B", "v", "V") for s in ("", "*")),
    "array", "substack", "cases", "displaylines", "eqalign", "eqalignno", "smallmatrix",
    "split", "align", "align*",
}  # fmt: skip
_HINTED = {
    "dcases*": "its conditions are text: write cases, with \\text{…} around each condition",
    "cases*": "its conditions are text: write cases, with \\text{…} around each condition",
}
_UNWRAPPED = {"equation", "equation*"}
_BEGIN_END = re.compile(r"\\(begin|end)\s*\{([A-Za-z]+\*?)\}")
_ALIGNAT_COLUMNS = re.compile(r"(\\begin\s*\{(?:alignat\*?|alignedat)\})\s*\{\d+\}")
_OPERATORNAME_STAR = re.compile(r"\\operatorname\*\s*\{([^{}]*)\}")
_ARG_MAX_MIN = re.compile(r"\\operatorname\*?\s*\{\s*arg\s*(?:\\[,:;! ]|~)?\s*(max|min)\s*\}")
_REWRITES = (
    (re.compile(r"\\arg\s*\\(max|min)(?![A-Za-z])"), r"\\arg\1"),
    (re.compile(r"\\arg(?![A-Za-z])"), r"\\operatorname{arg}"),
    # latex2mathml reads \sim as a tilde letter; \thicksim is the relation ∼.
    (re.compile(r"\\sim(?![A-Za-z])"), r"\\thicksim"),
    # A single letter in \mathrm would come out italic.
    (re.compile(r"\\mathrm\s*\{\s*([A-Za-z0-9])\s*\}"), r"{\\rm \1}"),
    (re.compile(r"\\lbrace(?![A-Za-z])"), r"\\{"),
    (re.compile(r"\\rbrace(?![A-Za-z])"), r"\\}"),
    # Numbering is Sphinx's: nothing to switch off.
    (re.compile(r"\\(?:nonumber|notag)(?![A-Za-z])"), ""),
    # An environment's vertical placement ([t], [b]) is the line's to decide.
    (
        re.compile(r"(\\begin\s*\{(?:aligned|alignedat|gathered|split)\})\s*\[[tbc]\]"),
        r"\1",
    ),
    # Independence: two up tacks drawn together, Unicode's ⫫.
    (re.compile(r"\\perp\s*(?:\\!\s*){2,4}\\perp(?![A-Za-z])"), "\u2aeb"),
    # The indicator function's blackboard 1, by bbm's and dsfont's names.
    (re.compile(r"\\(?:mathbbm|mathds)(?![A-Za-z])"), r"\\mathbb"),
    # \sum\nolimits_i: an operator in braces keeps its scripts beside it.
    (re.compile(r"(\\[A-Za-z]+)\s*\\nolimits(?![A-Za-z])"), r"{\1}"),
    # A row's extra space (\\[4pt]) is the stylesheet's to give.
    (
        re.compile(
            r"(\\\\)[ \t]*\[\s*-?(?:\d+\.?\d*|\.\d+)\s*(?:pt|em|ex|mm|cm|in|mu|bp|pc|dd|cc|sp)\s*\]"
        ),
        r"\1",
    ),
)
# A backslash that ends a line is TeX's control space (``\text{or}\``, then
# the next line); the pairs before it are line breaks.
_LINE_END_SPACE = re.compile(r"\\\\|\\(\r?\n)")
# A bracket sized by \big, \Bigl… (``\big\langle``): latex2mathml takes the
# next character as the bracket, so it is given the character.
_SIZED = re.compile(
    r"(\\[bB]igg?[lrm]?)\s*\\(\{|\}|\||(?:langle|rangle|lvert|rvert|vert|lVert|rVert|Vert"
    r"|lfloor|rfloor|lceil|rceil)(?![A-Za-z]))"
)
_BRACKETS = {
    "{": "{", "}": "}", "|": "\u2016", "langle": "\u27e8", "rangle": "\u27e9",
    "lvert": "|", "rvert": "|", "vert": "|", "lVert": "\u2016", "rVert": "\u2016",
    "Vert": "\u2016", "lfloor": "\u230a", "rfloor": "\u230b", "lceil": "\u2308",
    "rceil": "\u2309",
}  # fmt: skip
# A displayed formula's number of its own (\tag{A.1}; \tag*{…} without the
# parentheses), shown where Sphinx shows its numbers.
_TAG = re.compile(r"\\tag\*?(?![A-Za-z])")
_TAG_ARGUMENT = re.compile(r"\\tag(\*?)\s*\{([^{}\\$]*)\}")
TAG_TEXT = "\\tag (a formula's own number is plain text, such as \\tag{3} or \\tag{A.2})"
TAG_MANY = "\\tag more than once (a displayed formula has one number: split it, one a number)"
TAG_INLINE = (
    "\\tag in a formula in the text (only a displayed formula, between $$ on lines of its "
    "own, has a number)"
)
# An environment's name holds no brace: ``[^{}]*`` keeps the scan linear on
# text with many unclosed ``\begin{``.
_SCAN = re.compile(r"\\begin\s*\{[^{}]*\}|\\end\s*\{[^{}]*\}|(\\\\)|\\[A-Za-z]+|\\.|([{}])")


def _scan(latex: str) -> tuple[bool, bool]:
    """(braces balanced, a line break ``\\\\`` outside every group and environment)."""
    depth = 0
    environments = 0
    top_break = False
    for match in _SCAN.finditer(latex):
        token = match.group(0)
        if token.startswith("\\begin"):
            environments += 1
        elif token.startswith("\\end"):
            environments -= 1
        elif match.group(1) and depth == 0 and environments == 0:
            top_break = True
        elif match.group(2) == "{":
            depth += 1
        elif match.group(2) == "}":
            depth -= 1
            if depth < 0:
                return False, top_break
    return depth == 0, top_break


def _environment(match: re.Match) -> str:
    which, name = match.group(1), match.group(2)
    if name in _UNWRAPPED:
        return " "
    return f"\\{which}{{{_ENVIRONMENTS.get(name, name)}}}"


class Prepared(NamedTuple):
    text: str  # the LaTeX, in the terms latex2mathml knows
    limits: frozenset[str]  # operators that take limits (\\operatorname*)
    problems: tuple[str, ...]
    tag: str = ""  # its own number, as shown: "(A.1)", or "A.1" for \\tag*


def _tag(text: str) -> tuple[str, str, str | None]:
    """(``text`` without its ``\\tag``, the number as shown, a problem)."""
    found = list(_TAG_ARGUMENT.finditer(text))
    if len(found) != len(_TAG.findall(text)):
        return text, "", TAG_TEXT
    if len(found) > 1:
        return text, "", TAG_MANY
    if not found:
        return text, "", None
    star, number = found[0].group(1), " ".join(found[0].group(2).split())
    rest = (text[: found[0].start()] + text[found[0].end() :]).strip()
    return rest, number if star else f"({number})", None


# latex2mathml dropped the command and showed its arguments as letters
# ("a r g m a x"), in silence; no formula's definitions reach another's.
_DECLARE = re.compile(r"\\DeclareMathOperator(?![A-Za-z])")
DECLARE = (
    "\\DeclareMathOperator (a formula defines nothing for the others: write "
    "\\operatorname{…} where the operator is used, or \\argmax and \\argmin, which are known)"
)


def prepare(latex: str) -> Prepared:
    """``latex`` in the terms latex2mathml knows, and what was found on the way."""
    if _DECLARE.search(latex):
        return Prepared(latex, frozenset(), (DECLARE,))
    text = _ARG_MAX_MIN.sub(r"\\arg\1", latex)
    limits = frozenset(m.group(1).strip() for m in _OPERATORNAME_STAR.finditer(text))
    text = _OPERATORNAME_STAR.sub(r"\\operatorname{\1}", text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    text = _ALIGNAT_COLUMNS.sub(r"\1", text)
    text = _LINE_END_SPACE.sub(lambda m: "\\ " if m.group(1) else m.group(0), text)
    text = _BEGIN_END.sub(_environment, text).strip()
    unknown = [m.group(2) for m in _BEGIN_END.finditer(text) if m.group(2) not in _KNOWN]
    if unknown:
        hint = _HINTED.get(unknown[0], "latex2mathml does not know this environment")
        return Prepared(text, limits, (f"\\begin{{{unknown[0]}}} ({hint})",))
    if re.search(r"(?<!\\)(?:\\\\)*\\$", text):
        text = text[:-1].rstrip()  # a control space at the end shows nothing
    text, tag, problem = _tag(text)
    if problem:
        return Prepared(text, limits, (problem,))
    balanced, top_break = _scan(text)
    if not balanced:
        return Prepared(text, limits, ("its braces { } do not pair up",))
    text, problems = texts(text)
    if problems:
        return Prepared(text, limits, tuple(problems))
    # After the braces are counted: a sized brace is one character.
    text = _SIZED.sub(lambda m: m.group(1) + _BRACKETS[m.group(2)], text)
    if top_break:
        # Lines outside any environment: one row each, aligned at & if any.
        text = f"\\begin{{{_ALIGN}}}{text}\\end{{{_ALIGN}}}"
    return Prepared(text, limits, (), tag)


def block_latex(text: str, nowrap: bool = False) -> str:
    """A displayed formula's LaTeX from Sphinx's ``math_block`` text: blank
    lines separate equations, shown one a row (as Sphinx does)."""
    if nowrap:
        return text.strip()
    parts = [part.strip() for part in re.split(r"\n[ \t]*\n", text) if part.strip()]
    return " \\\\\n".join(parts)
