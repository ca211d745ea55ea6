"""Markdown that MyST reads in silence as something else than was meant.

* A fence that is never closed (``::::{note}`` closed by ``:::``, or a stray
  ``:::`` left after a nested pair) takes the rest of the page: every later
  section goes into the note, its ``##`` headings become plain bold lines,
  and the page loses its sections and its contents.
* A table row with more cells than its header: a ``|`` ends a cell even
  inside a formula or code (``$p(y|x)$``), and markdown-it drops the cells
  past the header's, so half a formula is shown and the rest is lost.
* ``\\|`` in a formula in a table: the table reads it as a plain ``|``, where
  the same formula in a paragraph shows ``‖`` (``$\\|\\theta\\|_2$``, a norm).

Each is a warning at its line, from the build (so ``-W`` fails) and from
``blog check`` alike. Pure functions of a page's text.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import Warn, warn

logger = logging.getLogger(__name__)

# A fence's opening line; in a list item, after its markers (``1. ```python``).
# (Each marker takes all the spaces after it: no two ways to match a line.)
FENCE_OPEN = re.compile(r"^( {0,3}(?:(?:[-+*]|\d{1,9}[.)]) +)*)(`{3,}|~{3,}|:{3,})(.*)$")
DIRECTIVE_NAME = re.compile(r"^\s*\{([^}\s]+)\}")
# Directives whose body is not Markdown: a fence line in it is its text.
LITERAL_DIRECTIVES = {
    "code",
    "code-block",
    "sourcecode",
    "code-cell",
    "literalinclude",
    "math",
    "raw",
    "csv-table",
    "mermaid",
    "graphviz",
    "bibliography",
    "eval-rst",
    "parsed-literal",
    "doctest",
    "testcode",
    "testoutput",
    "testsetup",
    "testcleanup",
    "jupyter-execute",
    "ipython",
    "prompt",
    "glossary",
    "productionlist",
    "toctree",
}
# Blocks whose lines are not Markdown either: HTML that keeps its text as it
# is, HTML comments, and displayed formulas between $$ lines.
_HTML_OPEN = re.compile(r"^ {0,3}<(pre|script|style|textarea)(?=[\s>]|$)", re.I)
_COMMENT_OPEN = re.compile(r"^ {0,3}<!--")
_MATH_OPEN = re.compile(r"^ {0,3}\$\$")
UNCLOSED = (
    "this {marker} fence is never closed, so {rest} is inside it: close it with a line "
    "of at least {count} '{char}'; a fence inside another needs fewer {what} than the "
    "one around it"
)
# Deeper than this, a fence's content is not looked into (nothing real nests so).
_MAX_DEPTH = 50


def unclosed_fences(text: str) -> list[tuple[int, str]]:
    """(1-based line, message) of each fence that no line closes (inside one
    that is never closed, only that one: its closing line is the one meant)."""
    lines = text.split("\n")
    found: list[tuple[int, str]] = []
    regions = [(0, len(lines), None, 0)]  # start, end, the fence around, depth
    while regions:
        start, end, around, depth = regions.pop()
        found += _scan(lines, start, end, around, depth, regions)
    return sorted(found)


def _skip_block(lines: list[str], i: int, end: int) -> int | None:
    """The line after a block of HTML, a comment or a formula opened at line
    ``i``, or None when none opens there."""
    line = lines[i]
    if m := _HTML_OPEN.match(line):
        closing = f"</{m[1].lower()}>"
        ends = (k for k in range(i, end) if closing in lines[k].lower())
    elif _COMMENT_OPEN.match(line):
        ends = (k for k in range(i, end) if "-->" in lines[k])
    elif _MATH_OPEN.match(line):
        if line.strip() != "$$" and line.strip().endswith("$$"):
            return i + 1  # $$ x $$ on one line
        ends = (k for k in range(i + 1, end) if "$$" in lines[k])
    else:
        return None
    return next(ends, end - 1) + 1


def _scan(lines, start, end, around, depth, regions) -> list[tuple[int, str]]:
    found = []
    i = start
    while i < end:
        if (after := _skip_block(lines, i, end)) is not None:
            i = after
            continue
        m = fence_at(lines[i])
        if not m:
            i += 1
            continue
        indent, marker, char = len(m[1]), m[2], m[2][0]
        shown = f"'{marker}{m[3].strip()}'"
        # In a list item, the fence ends with the item at the latest.
        limit = end
        if indent:
            out = (
                k for k in range(i + 1, end) if lines[k].strip() and indent_of(lines[k]) < indent
            )
            limit = next(out, end)
        j = next((k for k in range(i + 1, limit) if closes(lines[k], marker, indent)), None)
        if j is None and limit < end:
            i = limit  # closed by the end of its list item
            continue
        if j is None:
            what = "colons" if char == ":" else "backticks" if char == "`" else "tildes"
            rest = "the rest of the page, its sections too,"
            if around is not None:
                rest = f"the rest of the {around} around it"
            message = UNCLOSED.format(
                marker=shown, rest=rest, count=len(marker), char=char, what=what
            )
            return [*found, (i + 1, message)]
        directive = DIRECTIVE_NAME.match(m[3])
        if directive and directive[1] not in LITERAL_DIRECTIVES and depth < _MAX_DEPTH:
            regions.append((i + 1, j, f"{shown} fence (line {i + 1})", depth + 1))
        i = j + 1
    return found


def fence_at(line: str) -> re.Match | None:
    """The fence ``line`` opens: (list markers and indent, marker, info)."""
    m = FENCE_OPEN.match(line)
    if m and m[2][0] == "`" and "`" in m[3]:
        return None  # ``` `code` ``` is inline code
    return m


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def closes(line: str, marker: str, indent: int = 0) -> bool:
    """Whether ``line`` closes a fence opened with ``marker`` at ``indent``: as
    many of its character or more, alone, indented at most 3 spaces more
    (more is code in the fence: an example of a fence)."""
    stripped = line.strip()
    return (
        len(stripped) >= len(marker)
        and stripped == marker[0] * len(stripped)
        and indent_of(line) <= indent + 3
    )


# A table's delimiter row, perhaps in a quotation (``> |---|---|``).
_DELIMITER_ROW = re.compile(r"^[ \t>]*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
EXTRA_CELLS = (
    "this table row has {n} cells and its header {m}: a '|' ends a cell even inside a "
    "formula or code, and the cells past the header's are dropped; in a formula write "
    "\\vert, \\mid or \\Vert for a bar, elsewhere \\|"
)
TABLE_BAR = (
    "in a table, '\\|' in a formula is a plain bar '|' (in a paragraph it is '‖'): "
    "write \\vert for '|' and \\Vert for '‖', so it reads the same everywhere"
)
_parsers: dict[bool, MarkdownIt] = {}


def _parser(allow_digits: bool) -> MarkdownIt:
    """Markdown as MyST reads it, as far as tables go: its fences, front
    matter and ``$`` formulas (``myst_dmath_allow_digits``)."""
    if allow_digits not in _parsers:
        md = MarkdownIt("commonmark").enable("table")
        md.use(front_matter_plugin).use(colon_fence_plugin)
        md.use(dollarmath_plugin, allow_labels=True, allow_space=True, allow_digits=allow_digits)
        _parsers[allow_digits] = md
    return _parsers[allow_digits]


def table_problems(text: str, allow_digits: bool = True) -> list[tuple[int, str]]:
    """(1-based line, message) of each table row that loses cells or turns a
    formula's ``\\|`` into ``|``."""
    lines = text.split("\n")
    if not any("|" in line and _DELIMITER_ROW.match(line) for line in lines):
        return []  # no table: nothing to parse
    found: list[tuple[int, str]] = []
    columns, row, cell = 0, None, False
    for token in _parser(allow_digits).parse(text):
        if token.type == "table_open":
            columns = 0
        elif token.type == "tr_open" and token.map:
            row = token.map[0]
            # Its cells as the table rule splits them, past a quotation's '>'
            # (a header row has as many as the table has columns).
            line = re.sub(r"^[ \t>]*", "", lines[row]).strip()
            cells = escapedSplit(re.sub(r"^\||\|$", "", line))
            if len(cells) > columns > 0:
                found.append((row + 1, EXTRA_CELLS.format(n=len(cells), m=columns)))
        elif token.type in ("td_open", "th_open"):
            columns += token.type == "th_open"
            cell = True
        elif token.type in ("td_close", "th_close"):
            cell = False
        if cell and token.type == "inline" and row is not None:
            formulas = (c for c in token.children or () if c.type.startswith("math_inline"))
            if any("|" in c.content for c in formulas):
                found.append((row + 1, TABLE_BAR))
                row = None  # once a row
    return found


def markup_problems(text: str, allow_digits: bool = True) -> list[tuple[int, str]]:
    """Both checks, in line order (``allow_digits``: ``myst_dmath_allow_digits``,
    whether ``$5 and $10`` is a formula)."""
    return sorted(unclosed_fences(text) + table_problems(text, allow_digits))


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if Path(app.env.doc2path(docname)).suffix != ".md":
        return
    digits = bool(getattr(app.config, "myst_dmath_allow_digits", True))
    for line, message in markup_problems(source[0], digits):
        warn(logger, Warn.MARKUP, message, location=(docname, line))


def setup_blocks(app: Sphinx) -> None:
    app.connect("source-read", _source_read)
