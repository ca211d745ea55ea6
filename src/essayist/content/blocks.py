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
from mdit_py_plugins.front_matter import front_matter_plugin
from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import Warn, warn

logger = logging.getLogger(__name__)

# A fence's opening line; in a list item, after its marker (``1. ```python``).
_OPEN = re.compile(r"^((?: {0,3}(?:[-+*]|\d{1,9}[.)]) +)*(?: {0,3}))(`{3,}|~{3,}|:{3,})(.*)$")
_DIRECTIVE = re.compile(r"^\s*\{([^}\s]+)\}")
# Directives whose body is not Markdown: a fence line in it is its text.
_LITERAL = {
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
}
UNCLOSED = (
    "this {marker} fence is never closed, so {rest} is inside it: close it with a line "
    "of at least {count} '{char}'; a fence inside another needs fewer {what} than the "
    "one around it"
)


def unclosed_fences(text: str) -> list[tuple[int, str]]:
    """(1-based line, message) of each fence that no line closes (inside one
    that is never closed, only that one: its closing line is the one meant)."""
    lines = text.split("\n")
    found: list[tuple[int, str]] = []
    _scan(lines, 0, len(lines), found, None)
    return found


def _scan(lines: list[str], start: int, end: int, found: list, around: str | None) -> None:
    i = start
    while i < end:
        m = _OPEN.match(lines[i])
        if not m or (m[2][0] == "`" and "`" in m[3]):  # ``` `code` ``` is inline code
            i += 1
            continue
        indent, marker, char = len(m[1]), m[2], m[2][0]
        shown = f"'{marker}{m[3].strip()}'"
        # In a list item, the fence ends with the item at the latest.
        limit = (
            next(
                (k for k in range(i + 1, end) if lines[k].strip() and _indent(lines[k]) < indent),
                end,
            )
            if indent
            else end
        )
        close = re.compile(rf"^\s*{re.escape(char)}{{{len(marker)},}}\s*$")
        j = next((k for k in range(i + 1, limit) if close.match(lines[k])), None)
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
            found.append((i + 1, message))
            return
        directive = _DIRECTIVE.match(m[3])
        if directive and directive[1] not in _LITERAL:
            _scan(lines, i + 1, j, found, f"{shown} fence (line {i + 1})")
        i = j + 1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


_DELIMITER_ROW = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_FORMULA_BAR = re.compile(r"(?<!\\)\$[^$]*\\\|[^$]*\$")
EXTRA_CELLS = (
    "this table row has {n} cells and its header {m}: a '|' ends a cell even inside a "
    "formula or code, and the cells past the header's are dropped; in a formula write "
    "\\vert, \\mid or \\Vert for a bar, elsewhere \\|"
)
TABLE_BAR = (
    "in a table, '\\|' in a formula is a plain bar '|' (in a paragraph it is '‖'): "
    "write \\vert for '|' and \\Vert for '‖', so it reads the same everywhere"
)
_md: MarkdownIt | None = None


def table_problems(text: str) -> list[tuple[int, str]]:
    """(1-based line, message) of each table row that loses cells or turns a
    formula's ``\\|`` into ``|``."""
    lines = text.split("\n")
    if not any("|" in line and _DELIMITER_ROW.match(line) for line in lines):
        return []  # no table: nothing to parse
    global _md
    if _md is None:
        _md = MarkdownIt("commonmark").enable("table")
        _md.use(front_matter_plugin).use(colon_fence_plugin)
    found: list[tuple[int, str]] = []
    columns = 0
    for token in _md.parse(text):
        if token.type == "table_open":
            columns = 0
        elif token.type == "th_open":
            columns += 1
        elif token.type == "tr_open" and token.map:
            line = lines[token.map[0]].strip()
            cells = escapedSplit(re.sub(r"^\||\|$", "", line))
            if len(cells) > columns > 0:
                found.append((token.map[0] + 1, EXTRA_CELLS.format(n=len(cells), m=columns)))
            if _FORMULA_BAR.search(line):
                found.append((token.map[0] + 1, TABLE_BAR))
    return found


def markup_problems(text: str) -> list[tuple[int, str]]:
    """Both checks, in line order."""
    return sorted(unclosed_fences(text) + table_problems(text))


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if Path(app.env.doc2path(docname)).suffix != ".md":
        return
    for line, message in markup_problems(source[0]):
        warn(logger, Warn.MARKUP, message, location=(docname, line))


def setup_blocks(app: Sphinx) -> None:
    app.connect("source-read", _source_read)
