"""MyST text as ``blog import`` reads it: fenced blocks, prose, links and roles.

A small scanner, not a parser: it finds the fences (backtick, tilde and colon)
the way markdown-it does (a fence's content runs to the first line that closes
it), tells a directive's options from its content, and says which lines are
prose (links, images, roles and raw HTML are rewritten there) and which are
code (never touched). Pure functions: text in, plain data out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from myst_parser.slugs import github_slugify

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[^{}\s]+)\}\s*(?P<arg>.*?)\s*$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w.-]+):(?:\s+(?P<value>.*?))?\s*$")
# Directives whose content is not MyST: code, math, raw markup, other syntaxes.
LITERAL = {
    "code", "code-block", "sourcecode", "code-cell", "literalinclude", "math", "raw",
    "mermaid", "graphviz", "graph", "digraph", "plot", "ipython", "jupyter-execute",
    "eval-rst", "csv-table", "toctree", "highlight", "doctest", "testcode", "testoutput",
    "testsetup", "testcleanup", "productionlist", "bibliography", "code-tab", "parsed-literal",
}  # fmt: skip


@dataclass
class Block:
    """A fenced block: lines ``start`` (the opening fence) to ``end`` (the
    closing fence, or the last line when it is never closed)."""

    start: int
    end: int
    depth: int
    indent: str
    mark: str
    name: str | None  # a directive's name; None for code (or a ":::" container)
    arg: str
    body: int  # first line of the content, after the options
    options: dict[str, str] = field(default_factory=dict)
    closed: bool = True


@dataclass
class Scan:
    lines: list[str]
    blocks: list[Block]
    # Per line: "prose", "fence", "option", "literal", "html" (raw HTML) or "comment".
    kinds: list[str]
    depths: list[int]

    def directives(self, name: str | None = None) -> list[Block]:
        return [b for b in self.blocks if b.name and (name is None or b.name == name)]


def _closes(line: str, mark: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(mark) and stripped == mark[0] * len(stripped)


def scan(text: str) -> Scan:
    lines = text.split("\n")
    result = Scan(lines, [], ["prose"] * len(lines), [0] * len(lines))
    _scan(result, 0, len(lines), 0)
    for i, line in enumerate(lines):
        if result.kinds[i] == "prose" and line.startswith("%"):
            result.kinds[i] = "comment"
    return result


def _scan(result: Scan, lo: int, hi: int, depth: int) -> None:
    lines, i = result.lines, lo
    while i < hi:
        m = _FENCE.match(lines[i])
        if not m or (m["mark"][0] == "`" and "`" in m["info"]):
            result.depths[i] = depth
            i += 1
            continue
        mark, info = m["mark"], m["info"].strip()
        j = i + 1
        while j < hi and not _closes(lines[j], mark):
            j += 1
        d = _DIRECTIVE.match(info)
        block = Block(i, min(j, hi - 1), depth, m["indent"], mark, None, info, i + 1)
        block.closed = j < hi
        if d:
            block.name, block.arg = d["name"], d["arg"]
            block.body = _options(lines, i + 1, j, block.options)
        result.blocks.append(block)
        for k in range(i, min(j + 1, hi)):
            result.kinds[k], result.depths[k] = "literal", depth
        result.kinds[i] = "fence"
        if block.closed:
            result.kinds[j] = "fence"
        for k in range(i + 1, block.body):
            result.kinds[k] = "option"
        # A ":::" fence without a directive is a container: its content is MyST.
        if (block.name and block.name not in LITERAL) or (not block.name and mark[0] == ":"):
            for k in range(block.body, j):
                result.kinds[k] = "prose"
            _scan(result, block.body, j, depth + 1)
        elif block.name == "raw" and "html" in block.arg.lower():
            for k in range(block.body, j):
                result.kinds[k] = "html"
        i = j + 1


def _options(lines: list[str], lo: int, hi: int, options: dict[str, str]) -> int:
    """Read a directive's options (``:key: value`` lines or a ``---`` YAML
    block) into ``options``; the first line of its content."""
    if lo < hi and lines[lo].strip() == "---":
        for k in range(lo + 1, hi):
            if lines[k].strip() == "---":
                for line in lines[lo + 1 : k]:
                    key, sep, value = line.partition(":")
                    if sep and key.strip() and not key.startswith((" ", "\t")):
                        options[key.strip()] = value.strip()
                return k + 1
        return lo
    k = lo
    while k < hi and (m := _OPTION.match(lines[k])):
        options[m["key"]] = (m["value"] or "").strip()
        k += 1
    return k


# -- Headings ------------------------------------------------------------------

ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+\s*$")
_LABEL = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")


def headings(s: Scan) -> list[tuple[int, int, str]]:
    """(line, level, text) of the headings outside blocks; a setext heading
    (text underlined with ``===``) is level 1 on its text's line."""
    found = []
    for i, line in enumerate(s.lines):
        if s.kinds[i] != "prose" or s.depths[i]:
            continue
        if m := ATX.match(line):
            found.append((i, len(m[1]), m[2]))
        elif (
            i + 1 < len(s.lines)
            and s.kinds[i + 1] == "prose"
            and _SETEXT_H1.match(s.lines[i + 1])
            and line.strip()
            and not line.lstrip().startswith(("-", "*", "+", ">", "|"))
        ):
            found.append((i, 1, line.strip()))
    return found


def anchors(s: Scan, depth: int) -> set[str]:
    """The targets a link ``#x`` may name: heading anchors down to ``depth``
    (``myst_heading_anchors``) and ``(label)=`` targets."""
    found = {m["label"].lower() for line in s.lines if (m := _LABEL.match(line))}
    found |= {b.options["name"].lower() for b in s.blocks if b.options.get("name")}
    seen: set[str] = set()
    for _, level, text in headings(s):
        if level <= depth:
            slug = github_slugify(re.sub(r"[`*_]", "", text))
            unique, n = slug, 1
            while unique in seen:
                unique, n = f"{slug}-{n}", n + 1
            seen.add(unique)
            found.add(unique)
    return found


# -- Inline rewriting ------------------------------------------------------------

# Inline content: anything but a blank line.
_SPAN = r"(?:[^\n]|\n(?![ \t]*\n))+?"
_TOKEN = re.compile(
    rf"(?<!\\)\{{(?P<role>[A-Za-z][\w:+.-]*)\}}(?P<rt>`+)(?P<rc>{_SPAN})(?P=rt)(?!`)"
    rf"|(?P<code>`+){_SPAN}(?P=code)(?!`)"
)
_LINK = re.compile(
    r"(?P<bang>!?)(?<!\\)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\(\s*(?P<dest><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?P<title>\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_REFDEF = re.compile(r"^ {0,3}\[(?P<label>[^\]^\n][^\]\n]*)\]:[ \t]*(?P<dest><[^<>\n]*>|\S+)", re.M)
_IMG = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*(?P<q>[\"'])(?P<src>[^\"'\n]*)(?P=q)", re.I)
_ROLE_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


@dataclass
class Edit:
    start: int
    end: int
    new: str


# A callback: (kind, target) -> the new target, or None to leave it. Kinds:
# "link", "image", "html" (an <img> src: MyST's html_image reads it as an
# image), "rawhtml" (an <img> src it leaves raw: inside an HTML block with more
# than images, or a raw directive), "refdef" (a [label]: target line).
Rewrite = Callable[[str, str], str | None]
# A callback for a role: (name, content) -> its new text, or None to leave it.
RoleRewrite = Callable[[str, str], str | None]


def _dest_edit(m: re.Match, offset: int, kind: str, rewrite: Rewrite) -> Edit | None:
    raw = m["dest"]
    target = raw[1:-1] if raw.startswith("<") else raw
    new = rewrite(kind, target)
    if new is None or new == target:
        return None
    if raw.startswith("<") or " " in new:
        new = f"<{new}>"
    return Edit(offset + m.start("dest"), offset + m.end("dest"), new)


def _links(text: str, offset: int, rewrite: Rewrite, edits: list[Edit]) -> None:
    for m in _LINK.finditer(text):
        kind = "image" if m["bang"] else "link"
        if edit := _dest_edit(m, offset, kind, rewrite):
            edits.append(edit)
        _links(m["text"], offset + m.start("text"), rewrite, edits)


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _used_labels(text: str, definitions: list[re.Match]) -> set[str]:
    """The labels ``[text][label]``, ``[label][]`` and ``[label]`` name, outside
    the definitions themselves."""
    spans = [(m.start(), m.end()) for m in definitions]
    used = set()
    for m in re.finditer(r"\[([^\[\]\n]+)\]", text):
        if not any(a <= m.start() < b for a, b in spans):
            used.add(_label(m[1]))
    return used


def rewrite_prose(text: str, rewrite: Rewrite, role: RoleRewrite) -> tuple[str, list[str]]:
    """``text`` (MyST prose) with its link and image targets, ``<img>`` sources
    and roles rewritten; and the names of the roles it uses. Code spans are
    left alone."""
    edits: list[Edit] = []
    masked = list(text)
    names = []
    for m in _TOKEN.finditer(text):
        masked[m.start() : m.end()] = "\0" * (m.end() - m.start())
        if m["role"]:
            names.append(m["role"])
            new = role(m["role"], m["rc"])
            if new is not None:
                edits.append(Edit(m.start(), m.end(), new))
    plain = "".join(masked)
    _links(plain, 0, rewrite, edits)
    definitions = list(_REFDEF.finditer(plain))
    used = _used_labels(plain, definitions)
    for m in definitions:
        # A definition a link uses is a link; one none uses may be a comment.
        kind = "link" if _label(m["label"]) in used else "refdef"
        if edit := _dest_edit(m, 0, kind, rewrite):
            edits.append(edit)
    raw = None
    for m in _IMG.finditer(plain):
        raw = _raw_html_lines(text) if raw is None else raw
        kind = "rawhtml" if plain.count("\n", 0, m.start()) in raw else "html"
        new = rewrite(kind, m["src"])
        if new is not None and new != m["src"]:
            edits.append(Edit(m.start("src"), m.end("src"), new))
    return apply_edits(text, edits), names


_ONLY_IMAGES = re.compile(r"\s*(?:<img\b[^>]*>\s*)+", re.I)


def _raw_html_lines(text: str) -> set[int]:
    """The lines of ``text``'s HTML blocks that hold more than ``<img>`` tags:
    MyST's ``html_image`` leaves them raw HTML (an ``<img>`` of its own, in a
    block or among the words of a paragraph, becomes an image)."""
    lines: set[int] = set()
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "html_block" and token.map and not _ONLY_IMAGES.fullmatch(token.content):
            lines.update(range(*token.map))
    return lines


def rewrite_html(text: str, rewrite: Rewrite) -> str:
    """A line of a raw HTML directive, its ``<img>`` sources rewritten."""
    edits = []
    for m in _IMG.finditer(text):
        new = rewrite("rawhtml", m["src"])
        if new is not None and new != m["src"]:
            edits.append(Edit(m.start("src"), m.end("src"), new))
    return apply_edits(text, edits)


def apply_edits(text: str, edits: list[Edit]) -> str:
    out, at = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < at:
            continue  # overlapping: the outer edit wins
        out += [text[at : edit.start], edit.new]
        at = edit.end
    out.append(text[at:])
    return "".join(out)


def role_parts(content: str) -> tuple[str | None, str]:
    """``text <target>`` -> (text, target); ``target`` -> (None, target)."""
    if m := _ROLE_TARGET.match(content.strip()):
        return m["text"] or None, m["target"].strip()
    return None, content.strip()


def prose_runs(s: Scan) -> list[tuple[int, int]]:
    """(first, last + 1) of each run of consecutive prose lines."""
    runs, start = [], None
    for i, kind in enumerate([*s.kinds, "end"]):
        if kind == "prose" and start is None:
            start = i
        elif kind != "prose" and start is not None:
            runs.append((start, i))
            start = None
    return runs


def roles_at(s: Scan) -> list[tuple[int, str]]:
    """(line, name) of each role in the prose of ``s``."""
    found = []
    for start, end in prose_runs(s):
        text = "\n".join(s.lines[start:end])
        for m in _TOKEN.finditer(text):
            if m["role"]:
                found.append((start + text.count("\n", 0, m.start()), m["role"]))
    return found
