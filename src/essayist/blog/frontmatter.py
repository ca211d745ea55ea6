"""Reading a post's front matter without a Sphinx build.

Used by the draft filter (which must decide what to build before Sphinx reads
anything) and by ``blog check``. Pure functions: text in, plain data out.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

# The limits, for the modules that read front matter (limits.py holds them).
from .limits import MAX_FRONT_MATTER as MAX_FRONT_MATTER
from .limits import MAX_NAME as MAX_NAME
from .limits import MAX_POST_BYTES as MAX_POST_BYTES
from .limits import MAX_REDIRECTS as MAX_REDIRECTS
from .limits import MAX_TERMS as MAX_TERMS
from .limits import MAX_TITLE as MAX_TITLE
from .limits import name_problem as name_problem
from .limits import place_problem as place_problem
from .limits import size_problem as size_problem
from .yamlsafe import FrontMatterError as FrontMatterError
from .yamlsafe import load_block

_FENCE = re.compile(r"^---[ \t]*$")
BOM = "\ufeff"


@dataclass
class FrontMatter:
    data: dict = field(default_factory=dict)
    # 1-based line of each top-level key, for messages that name the line.
    lines: dict[str, int] = field(default_factory=dict)
    # 1-based line where the body (after the closing fence) starts.
    body_line: int = 1
    # How the build corrects the front matter before ABlog reads it, after a
    # located warning: field -> its new text, or None to drop it.
    fixes: dict[str, str | None] = field(default_factory=dict)


def split_front_matter(text: str) -> FrontMatter:
    """Parse the YAML block between ``---`` fences at the top of ``text``."""
    # Lines as MyST counts them: "\n" (and "\r\n") end a line, U+0085 does not.
    lines = [line.removesuffix("\r") for line in text.removeprefix(BOM).split("\n")]
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter()
    for end in range(1, len(lines)):
        if _FENCE.match(lines[end]):
            break
    else:
        raise FrontMatterError("front matter has no closing '---' line", 1)
    block = "\n".join(lines[1:end])
    if len(block) > MAX_FRONT_MATTER:
        raise FrontMatterError(
            f"front matter is longer than {MAX_FRONT_MATTER:,} characters: keep it to the "
            "post's date, title, tags and the like",
            1,
        )
    # A build reads each post's front matter up to three times (checks, fixes,
    # ABlog's record): the YAML is parsed once, each caller gets its own copy.
    data = copy.deepcopy(load_block(block))
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of 'key: value' lines", 2)
    key_lines = {}
    for offset, raw in enumerate(lines[1:end], start=2):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:", raw)
        if m and m.group(1) not in key_lines:
            key_lines[m.group(1)] = offset
    return FrontMatter(data=data, lines=key_lines, body_line=end + 2)


# ABlog's ``post`` directive, in MyST (backtick or colon fence) or reST.
_POST_MYST = re.compile(r"^(`{3,}|~{3,}|:{3,})\{post\}\s*(.*?)\s*$")
_POST_RST = re.compile(r"^\.\.\s+post::\s*(.*?)\s*$")
_ANY_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,}|:{3,})")


def outside_fences(lines: list[str], start: int = 1) -> Iterator[tuple[int, str]]:
    """(1-based number, line) of each line from line ``start`` on that is not
    inside a fenced block (```, ~~~ or ::: — a line that opens one is)."""
    fence: str | None = None
    for number, line in enumerate(lines[start - 1 :], start=start):
        if fence is None:
            yield number, line
            if m := _ANY_FENCE.match(line):
                fence = m.group(1)
        elif line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
            fence = None


def find_post_directive(text: str) -> tuple[int, str] | None:
    """(1-based line, date argument) of the first ABlog ``post`` directive at
    the top level of ``text``: one inside another block is an example."""
    for number, line in outside_fences(text.split("\n")):
        if m := _POST_MYST.match(line):
            return number, m.group(2)
        if m := _POST_RST.match(line):
            return number, m.group(1)
    return None


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: str) -> str:
    """``text`` written into Markdown as text: on one line, every ASCII
    punctuation mark escaped (CommonMark), so no markup, role, link or raw
    HTML comes of it."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


# What YAML may not hold as it is (PyYAML's printable set): written as an escape.
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _yaml_value(value: object) -> str:
    """``value`` as a YAML flow value (JSON is one), every character YAML
    refuses written as ``\\uXXXX``."""
    return _NOT_YAML.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
    )


def apply_fixes(text: str, front: FrontMatter) -> str:
    """``text`` with ``front.fixes`` made in its front matter, line for line: a
    refused field's lines are emptied, a corrected one is written as a quoted
    string. The line count never changes, so every later line number holds."""
    if not front.fixes:
        return text
    lines = text.split("\n")
    bom = lines[0].startswith(BOM)
    end = front.body_line - 2  # the closing fence
    i = 1
    while i < end:
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines[i].removeprefix(BOM))
        if not m or m.group(1) not in front.fixes:
            i += 1
            continue
        fix = front.fixes[m.group(1)]
        lines[i] = "" if fix is None else f"{m.group(1)}: {_yaml_value(fix)}"
        i += 1
        # The value's continuation: indented lines and "- item" lines.
        while i < end and (lines[i][:1] in (" ", "\t") or lines[i].startswith("- ")):
            lines[i] = ""
            i += 1
    if end > 1 and not any(line.strip() for line in lines[1:end]):
        lines[1] = "{}"  # an empty block is not a mapping to MyST
    if bom and not lines[0].startswith(BOM):
        lines[0] = BOM + lines[0]
    return "\n".join(lines)


def empty_front_matter(text: str) -> str:
    """``text`` with its front matter's lines replaced by an empty mapping, line
    for line, so that no parser reads a block that was refused (an alias bomb,
    invalid YAML). Without a closing fence, the opening one becomes a comment."""
    lines = text.removeprefix(BOM).split("\n")
    for end in range(1, len(lines)):
        if _FENCE.match(lines[end]):
            inner = ["{}", *([""] * (end - 2))] if end > 1 else []
            return "\n".join(["---", *inner, *lines[end:]])
    if lines and _FENCE.match(lines[0]):
        lines[0] = "% ---"
    return "\n".join(lines)


def url_problem(value: object) -> str | None:
    """Why ``value`` is not a link a page may carry (http or https only), or ``None``."""
    if not isinstance(value, str) or not value.strip():
        return "must be a web address (https://...)"
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return f"{value!r} is not an http(s) address: only https://... links are allowed"
    if any(ord(c) < 32 or c in '<>"' for c in value):
        return f"{value!r} holds characters a link cannot hold"
    if any(c.isspace() for c in value.strip()):
        return f"{value!r} holds a space, which a link cannot hold: write it as %20"
    return None


def authors_problem(authors: object) -> str | None:
    """Why ``blog_authors`` cannot be published as it is, or None: an author's
    link is a page's link (http or https only; ABlog published any, even
    ``javascript:``)."""
    if not isinstance(authors, dict):
        return "must be a dict: {'Key': ('Full Name', 'https://...' or None)}"
    for key, value in authors.items():
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            return f"{key!r} must be ('Full Name', 'https://...' or None)"
        if value[1] is not None and (why := url_problem(value[1])):
            return f"the link of {key!r}: {why}"
    return None


# Letters of any script (an old post "café"), digits, "-", "_" and ".".
_REDIRECT = re.compile(r"[^\W_][\w.-]*(?:/[^\W_][\w.-]*)*")


def redirect_problem(value: str) -> str | None:
    """Why ``value`` is not usable as a post's old address, or ``None``.

    An old address is a path inside the site, written relative to its root and
    without ``.html`` (``posts/2019/old-slug``): the build writes a page there.
    """
    path = value.strip().removesuffix(".html")
    if "://" in path or path.startswith(("/", "\\")) or ":" in path:
        return f"{value!r} must be a path inside the site, like posts/2019/old-slug"
    if ".." in PurePosixPath(path).parts or "\\" in path:
        return f"{value!r} leaves the site: '..' is not allowed"
    if not _REDIRECT.fullmatch(path):
        return (
            f"{value!r} must be letters, digits, '-', '_' and '.' in folders separated "
            "by '/', starting with a letter or digit"
        )
    return None


def list_items(value: object) -> list[str] | None:
    """A list of names as written: a comma-separated string or a YAML list of
    scalars, each item stripped (empty items kept); ``None`` for anything else."""
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        items = [str(v) for v in value]
    else:
        return None
    return [item.strip() for item in items]


def split_list(value: object) -> list[str]:
    """Tags, categories, aliases...: a YAML list or a comma-separated string,
    empty items left out."""
    items = list_items(value)
    if items is None:
        items = [str(v).strip() for v in value] if isinstance(value, (list, tuple)) else []
    return [item for item in items if item]
