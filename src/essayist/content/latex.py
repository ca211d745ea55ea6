"""A formula's LaTeX in the terms latex2mathml knows: pure string functions.

latex2mathml lacks amsmath's environments (``aligned``, ``gather``,
``equation``…), ``\\arg\\max``, ``\\operatorname*`` and lines broken with
``\\\\`` outside an environment, and reads ``\\sim`` as a tilde. Each is
rewritten here into what it converts well; equation numbers stay Sphinx's (one
per displayed block), never latex2mathml's (one per row).
"""

from __future__ import annotations

import re

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
)
# Commands whose argument is text, as latex2mathml converts them.
_TEXT_COMMAND = re.compile(r"\\(?:text|textrm|textbf|textit|texttt|textsf|mbox)(?![A-Za-z])\s*\{")
# Characters latex2mathml would misread in text, carried as private-use ones.
_CARRIED = {"{": "\ue000", "}": "\ue001", "\\": "\ue002", "&": "\ue003"}
_RESTORE = str.maketrans({v: k for k, v in _CARRIED.items()})
# TeX's escapes in text mode: \& is "&", \{ is "{", "\ " a space.
_TEXT_ESCAPES = {**{c: c for c in "&%$#_{}"}, " ": " "}
_TEXT_TOKEN = re.compile(
    r"\\textbackslash(?![A-Za-z])(?:\s*\{\})?|\\[A-Za-z]+|\\.|[{}~&]|[^\\{}~&]+"
)


def _text_group(latex: str, start: int) -> tuple[str, int] | None:
    """The text of the group opening at ``start`` (after its ``{``), as TeX
    sets it, with the characters latex2mathml misreads carried; and where the
    group ends. None if it does not close."""
    depth, out = 0, []
    for match in _TEXT_TOKEN.finditer(latex, start):
        token = match.group(0)
        if token == "}":
            if depth == 0:
                return "".join(out), match.end()
            depth -= 1
        elif token == "{":
            depth += 1  # a group in text only groups: nothing is shown
        elif token == "~":
            out.append("\u00a0")
        elif token.startswith("\\textbackslash"):
            out.append(_CARRIED["\\"])
        elif token[0] == "\\" and token[1:] in _TEXT_ESCAPES:
            out.append(_CARRIED.get(_TEXT_ESCAPES[token[1:]], _TEXT_ESCAPES[token[1:]]))
        elif token[0] == "\\":
            out.append(f"{token} ")  # a command in text: reported by its name
        else:
            out.append(_CARRIED["&"] if token == "&" else token)
    return None


def _texts(latex: str) -> str:
    """Every text argument (``\\text{…}``…) as latex2mathml can read it."""
    out, position = [], 0
    for match in _TEXT_COMMAND.finditer(latex):
        if match.start() < position:
            continue  # inside a text group already read
        group = _text_group(latex, match.end())
        if group is None:
            break  # unbalanced: reported by _scan
        text, end = group
        out += [latex[position : match.end()], text, "}"]
        position = end
    return "".join(out) + latex[position:]


def restore_text(text: str) -> str:
    """What ``_texts`` carried through latex2mathml, as it was."""
    return text.translate(_RESTORE)


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
    text = _BEGIN_END.sub(_environment, text).strip()
    balanced, top_break = _scan(text)
    if not balanced:
        return text, limits, ("its braces { } do not pair up",)
    text = _texts(text)
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
