"""Concept sources read without Sphinx: names, roles, directives, "did you mean".

Pure functions over a MyST page's text, shared by the build and ``blog check``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from ..blog.frontmatter import split_list

CONCEPTS_FOLDER = "docs/concepts"

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufe58": "-",
        "\ufe63": "-",
        "\uff0d": "-",
        "\u00a0": " ",
    }
)


def normalize_concept_name(name: str) -> str:
    """The form in which concept names, aliases and slugs are compared.

    Case-insensitive; curly and straight quotes and apostrophes are the same;
    a hyphen or dash is a space (``AI-safety`` is "AI safety", and a page's
    file name ``reward-hacking`` its name); runs of white space count as one.
    """
    text = unicodedata.normalize("NFKC", name).translate(_QUOTES).replace("-", " ")
    return " ".join(text.casefold().split())


def split_role_text(text: str) -> tuple[str, str]:
    """(visible text, target) of a role's content: ``title <target>`` or ``target``."""
    text = text.strip()
    m = re.match(r"^(.+?)\s*(?<!\x00)<([^<>]+)>$", text, re.S)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return text, text.lstrip("!~").strip()


def roles_as_text(text: str) -> str:
    """``text`` with each role (``{concept}`this law <goodharts-law>```) as the
    words it shows (``this law``); inline code stays as it is."""
    return _INLINE.sub(lambda m: split_role_text(m["body"])[0] if m["name"] else m[0], text)


# -- Reading MyST sources without Sphinx ------------------------------------

# A role (its name, its text) or a code span, whichever starts first: a role's
# backticks never open a code span, and a role inside code is code.
_INLINE = re.compile(
    r"\{(?P<name>[\w:.+-]+)\}(?P<tick>`+)(?P<body>.+?)(?P=tick)|(?P<code>`+).+?(?P=code)", re.S
)
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})\s*(\{[^}]*\})?\s*(.*)$")
# Directives whose body is not Markdown: a role inside them is text.
_LITERAL_DIRECTIVES = {
    "code",
    "code-block",
    "sourcecode",
    "literalinclude",
    "math",
    "raw",
    "eval-rst",
    "mermaid",
    "csv-table",
}
_DIRECTIVE = re.compile(r"^ {0,3}(`{3,}|:{3,})\{concept(?::concept)?\}\s*(.*?)\s*$")
_RST_DIRECTIVE = re.compile(r"^\.\.\s+concept(?::concept)?::\s*(.*?)\s*$")
_OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*?)\s*$")


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _masked_lines(text: str) -> list[str]:
    """``text``'s lines with front matter, comments and code blocks (fenced
    and indented) blanked."""
    lines = text.splitlines()
    out = list(lines)
    start = 0
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() == "---":
                out[: end + 1] = [""] * (end + 1)
                start = end + 1
                break
    stack: list[tuple[str, bool]] = []  # open fences: (fence, body is literal)
    for i in range(start, len(lines)):
        line = lines[i]
        stripped = line.strip()
        if stack:
            fence, literal = stack[-1]
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                stack.pop()
                out[i] = ""
                continue
            if literal:
                out[i] = ""
                continue
        m = _FENCE_OPEN.match(line)
        if m:
            name = (m.group(2) or "").strip("{}").strip()
            literal = (not m.group(2) and m.group(1)[0] != ":") or name in _LITERAL_DIRECTIVES
            stack.append((m.group(1), literal))
            out[i] = ""
        elif stripped.startswith("%"):
            out[i] = ""
    return _without_indented_code(out)


_INDENTED = re.compile(r"^(?: {4}|\t| {0,3}\t)", re.M)


def _without_indented_code(lines: list[str]) -> list[str]:
    """``lines`` with indented code blocks blanked, as CommonMark finds them (a
    line indented four spaces is code after a blank line, not in a list item
    or a paragraph)."""
    text = "\n".join(lines)
    if not _INDENTED.search(text):
        return lines
    out = list(lines)
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "code_block" and token.map:
            out[token.map[0] : token.map[1]] = [""] * (token.map[1] - token.map[0])
    return out


def find_roles(text: str, wanted) -> list[tuple[int, str, str]]:
    """Every role whose name ``wanted(name)`` accepts in MyST ``text``:
    (1-based line, name, content on one line), in order. Roles in front
    matter, comments, code blocks and inline code are ignored."""
    lines = _masked_lines(text)
    # An HTML comment is not read as MyST (one line, or a block of several).
    joined = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), "\n".join(lines))
    lines = joined.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for m in _INLINE.finditer(joined):
        if not m.group("name") or not wanted(m.group("name")):
            continue  # another role, or inline code (``{concept}`x` `` is text)
        content = " ".join(m.group("body").split())
        found.append((_line_of(starts, m.start()), m.group("name"), content))
    return found


def find_concept_refs(text: str) -> list[tuple[int, str]]:
    """Every ``{concept}`` role in MyST ``text``: (1-based line, target), in order.

    The target is what the role names (``slug`` in ``{concept}`words <slug>```),
    unnormalised.
    """
    refs = []
    for lineno, _, content in find_roles(text, {"concept", "concept:concept"}.__contains__):
        if content.startswith("!"):  # disabled: text, not a reference
            continue
        refs.append((lineno, split_role_text(content)[1]))
    return refs


def _line_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


def yaml_options(lines: list[str]) -> dict:
    """A MyST directive's options written as a YAML block (``---`` lines first
    in its content), as YAML reads them: lists stay lists."""
    if not lines or lines[0].strip() != "---":
        return {}
    block = []
    for line in lines[1:]:
        if line.strip() == "---":
            break
        block.append(line)
    try:
        loaded = yaml.safe_load("\n".join(block)) or {}
    except yaml.YAMLError:
        return {}
    return {str(k): v for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def parse_concept_source(text: str) -> list[dict]:
    """The concepts defined in a page's source: name, aliases, related, summary, line."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        m = _DIRECTIVE.match(line)
        rst = None if m else _RST_DIRECTIVE.match(line)
        if not m and not rst:
            continue
        name = (m.group(2) if m else rst.group(1)).strip()
        options: dict = {}
        j = i + 1
        if m and j < len(lines) and lines[j].strip() == "---":
            options = yaml_options(lines[j:])
        else:
            while j < len(lines) and (om := _OPTION.match(lines[j])):
                options[om.group(1)] = om.group(2)
                j += 1
        found.append(
            {
                "name": name,
                "aliases": split_list(options.get("aliases")),
                "related": split_list(options.get("related")),
                "summary": str(options.get("summary") or "").strip(),
                "line": i + 1,
            }
        )
    return found


def concept_pages(srcdir: Path, folder: str = CONCEPTS_FOLDER) -> Iterator[tuple[str, dict]]:
    """(slug, definition) of each concept page directly in ``srcdir/folder`` (a
    page in a subfolder defines nothing: the build says so)."""
    root = Path(srcdir) / folder
    if not root.is_dir():
        return
    for path in sorted(root.glob("*")):
        if path.suffix not in (".md", ".rst") or not path.is_file():
            continue
        try:
            defs = parse_concept_source(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue
        for concept in defs[:1]:
            yield path.stem, concept


def concept_names(srcdir: Path, folder: str = CONCEPTS_FOLDER) -> dict[str, str]:
    """Every name, alias and slug as written -> the concept's name: what a
    "did you mean" offers (``suggested``; the build's ``model.suggestions``)."""
    names: dict[str, str] = {}
    for slug, concept in concept_pages(srcdir, folder):
        for key in (concept["name"], *concept["aliases"], slug):
            names.setdefault(key, concept["name"])
    return names


def suggested(target: str, names: dict[str, str]) -> list[str]:
    """The concepts' names most like ``target``, three at most."""
    out: list[str] = []
    for key in closest_concepts(target, list(names), n=5):
        if names[key] not in out:
            out.append(names[key])
    return out[:3]


def closest_concepts(name: str, known: Iterable[str] | Mapping[str, str], n: int = 3) -> list[str]:
    """The known names most like ``name`` (best first), for "did you mean ...?".

    ``known`` is an iterable of names (a mapping's keys are used); the names are
    returned as given.
    """
    originals: dict[str, str] = {}
    for candidate in known:
        originals.setdefault(normalize_concept_name(candidate), candidate)
    matches = difflib.get_close_matches(normalize_concept_name(name), list(originals), n, 0.6)
    return [originals[m] for m in matches]


def did_you_mean(names: list[str]) -> str:
    """``did you mean 'A'?`` / ``did you mean 'A' or 'B'?``; empty without names."""
    if not names:
        return ""
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return f"did you mean {quoted[0]}?"
    return f"did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"
