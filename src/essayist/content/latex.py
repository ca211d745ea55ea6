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
    # mathtools' displayed cases.
    "dcases": "cases",
    "dcases*": "cases",
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
    r"(\\[bB]igg?[lrm]?)\s*\\(\{|\}|\||langle|rangle|lvert|rvert|vert|lVert|rVert|Vert"
    r"|lfloor|rfloor|lceil|rceil)(?![A-Za-z])"
)
_BRACKETS = {
    "{": "{", "}": "}", "|": "\u2016", "langle": "\u27e8", "rangle": "\u27e9",
    "lvert": "|", "rvert": "|", "vert": "|", "lVert": "\u2016", "rVert": "\u2016",
    "Vert": "\u2016", "lfloor": "\u230a", "rfloor": "\u230b", "lceil": "\u2308",
    "rceil": "\u2309",
}  # fmt: skip
_TAG = re.compile(r"\\tag\*?(?![A-Za-z])")
TAG = (
    "\\tag (number a displayed formula with the math directive's :label: option, "
    "and refer to it with the {eq} role; a number of your own cannot be shown)"
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


def prepare(latex: str) -> tuple[str, frozenset[str], tuple[str, ...]]:
    """``latex`` in the terms latex2mathml knows: (the LaTeX, the names of
    operators that take limits (``\\operatorname*``), problems found)."""
    text = _ARG_MAX_MIN.sub(r"\\arg\1", latex)
    limits = frozenset(m.group(1).strip() for m in _OPERATORNAME_STAR.finditer(text))
    text = _OPERATORNAME_STAR.sub(r"\\operatorname{\1}", text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    text = _ALIGNAT_COLUMNS.sub(r"\1", text)
    text = _LINE_END_SPACE.sub(lambda m: "\\ " if m.group(1) else m.group(0), text)
    text = _BEGIN_END.sub(_environment, text).strip()
    if re.search(r"(?<!\\)(?:\\\\)*\\$", text):
        text = text[:-1].rstrip()  # a control space at the end shows nothing
    if _TAG.search(text):
        return text, limits, (TAG,)
    balanced, top_break = _scan(text)
    if not balanced:
        return text, limits, ("its braces { } do not pair up",)
    text, problems = texts(text)
    if problems:
        return text, limits, tuple(problems)
    # After the braces are counted: a sized brace is one character.
    text = _SIZED.sub(lambda m: m.group(1) + _BRACKETS[m.group(2)], text)
    if top_break:
        # Lines outside any environment: one row each, aligned at & if any.
        text = f"\\begin{{{_ALIGN}}}{text}\\end{{{_ALIGN}}}"
    return text, limits, ()


def block_latex(text: str, nowrap: bool = False) -> str:
    """A displayed formula's LaTeX from Sphinx's ``math_block`` text: blank
    lines separate equations, shown one a row (as Sphinx does)."""
    if nowrap:
        return text.strip()
    parts = [part.strip() for part in re.split(r"\n[ \t]*\n", text) if part.strip()]
    return " \\\\\n".join(parts)
