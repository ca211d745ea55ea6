"""One old ABlog post, read and rewritten as a post of this site.

``read_post`` reads what ABlog reads (front matter or the ``post`` directive);
``convert_post`` writes the new text: the site's front matter, the body with the
``post`` directive taken out, ISO dates in ``update`` directives, and links,
images and roles rewritten by ``import_links.Links``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from dateutil.parser import parse as dateutil_parse

from ..blog.frontmatter import (
    BOM,
    FrontMatterError,
    markdown_text,
    split_front_matter,
    split_list,
)
from . import import_myst as myst
from .import_links import Links

# Front matter keys ABlog reads (the post directive's options, and blogpost).
ABLOG_KEYS = (
    "blogpost", "date", "author", "tags", "category", "location", "language", "redirect",
    "title", "image", "excerpt", "exclude", "nocomments", "canonical_link", "external_link",
)  # fmt: skip
# ABlog's options this site publishes as they are.
KEPT = ("image", "canonical_link", "external_link", "location", "language")
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_RST_LINKS = re.compile(r":(?:doc|ref|download):`|\.\. (?:image|figure|include|literalinclude)::")
# MyST syntax extensions, and what their syntax looks like in a post.
SYNTAX = {
    "dollarmath": (r"(?<![\\$\w])\$[^$\s][^$\n]*(?<![\s\\])\$(?![\w$])|^\s*\$\$", "$...$ math"),
    "amsmath": (r"^\s*\\begin\{(?:align|equation|gather|multline)", "\\begin{align} math"),
    "substitution": (r"\{\{\s*[\w.-]+\s*\}\}", "{{ substitutions }}"),
    "tasklist": (r"^\s*[-*+]\s+\[[ xX]\]\s", "- [ ] task lists"),
    "strikethrough": (r"~~[^~\n]+~~", "~~strikethrough~~"),
    "html_admonition": (r"<div\s+class=[\"']admonition", '<div class="admonition">'),
    "attrs_inline": (r"[)\]`*]\{(?:[.#][\w-]|[\w-]+=)", "{.class} and {w=200px} attributes"),
}


@dataclass
class Post:
    """An old post: what ABlog read, then where it goes."""

    rel: str  # its path in the old blog
    docname: str
    kind: str  # "md", "rst" or "ipynb"
    front_lines: list[str] = field(default_factory=list)
    body: str = ""
    date: dt.datetime | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    title: str | None = None
    excerpt: int | None = None
    redirects: list[str] = field(default_factory=list)
    kept: dict[str, str | int] = field(default_factory=dict)
    body_line: int = 1  # the line of the old file where the body starts
    skip: str | None = None  # why it is not imported
    reasons: list[str] = field(default_factory=list)
    # Reasons the site's strict build fails on; and its lines that it fails on.
    breaking: list[str] = field(default_factory=list)
    lines: list[tuple[int, str]] = field(default_factory=list)
    held: bool = False  # imported as a draft until what breaks is fixed
    notes: list[str] = field(default_factory=list)
    # Where it goes (set by the plan).
    slug: str = ""
    new_docname: str = ""


def ablog_date(text: str, date_format: str) -> dt.datetime | None:
    """A date as ABlog reads it: ``post_date_format``, then dateutil."""
    try:
        return dt.datetime.strptime(text, date_format)
    except (ValueError, TypeError):
        pass
    try:
        return dateutil_parse(text)
    except (ValueError, OverflowError, TypeError):
        return None


def iso(moment: dt.datetime) -> str:
    """``2023-11-01``, or ``2023-11-01T18:30`` when the time is not midnight:
    its seconds kept (``18:30:45``), and its offset (``18:30+02:00``: the build
    takes it into the site's time zone; dropped, the time was hours off)."""
    if moment.time() == dt.time(0) and moment.tzinfo is None:
        return moment.date().isoformat()
    spec = "seconds" if moment.second or moment.microsecond else "minutes"
    return moment.isoformat(timespec=spec)


def _unquote(names: list[str]) -> list[str]:
    out = []
    for n in names:
        n = n.strip()
        if len(n) >= 2 and n[0] == n[-1] and n[0] in "\"'":
            n = n[1:-1].strip()
        if n:
            out.append(n)
    return out


def _split(value: object) -> list[str]:
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            value = value[1:-1]
    return _unquote(split_list(value))


def front_blocks(lines: list[str]) -> dict[str, list[str]]:
    """The lines of each top-level key of a front matter block, as written."""
    blocks: dict[str, list[str]] = {}
    key = None
    for line in lines:
        if m := _KEY.match(line):
            key = m[1]
            blocks.setdefault(key, []).append(line)
        elif key is not None:
            blocks[key].append(line)
    return blocks


def _setext_to_atx(body: str) -> str:
    """The first heading as ``# Title`` when it is written ``Title`` / ``===``."""
    s = myst.scan(body)
    found = myst.headings(s)
    if not found or found[0][1] != 1 or myst.ATX.match(s.lines[found[0][0]]):
        return body
    i, _, text = found[0]
    lines = s.lines[:i] + [f"# {text}"] + s.lines[i + 2 :]
    return "\n".join(lines)


def read_post(post: Post, text: str, date_format: str, matched: bool) -> None:
    """Fill ``post`` with what ABlog reads from MyST ``text``."""
    text = text.removeprefix(BOM)
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        post.skip = f"front matter unreadable (line {exc.line}): {exc}"
        return
    lines = text.split("\n")
    if front.body_line > 1:
        post.front_lines = lines[1 : front.body_line - 2]
    post.body_line = front.body_line
    post.body = _setext_to_atx("\n".join(lines[front.body_line - 1 :]))
    s = myst.scan(post.body)
    directives = [b for b in s.directives("post") if b.depth == 0 and len(b.indent) < 4]
    data: dict = dict(front.data)
    if directives:
        first = directives[0]
        data = {k: v for k, v in first.options.items()}
        data["date"] = first.arg or None
        post.reasons += [
            f"a second post directive (line {b.start + front.body_line}): only the first "
            "is read, the others are shown as code"
            for b in directives[1:]
        ]
        dropped = sorted(k for k in front.data if k in ABLOG_KEYS and k != "blogpost")
        if dropped:
            post.notes.append(
                f"front matter {', '.join(dropped)} left out: ABlog used the post directive's"
            )
    elif "blogpost" not in front.data and not matched:
        post.skip = "not a post"
        return
    date = data.get("date")
    if date not in (None, ""):
        post.date = ablog_date(str(date).strip(), date_format)
        if post.date is None:
            post.skip = f"date {str(date).strip()!r} unreadable: write it as YYYY-MM-DD"
    post.authors = _split(data.get("author"))
    post.tags = _split(data.get("tags"))
    post.categories = _split(data.get("category"))
    post.redirects = _split(data.get("redirect"))
    if isinstance(data.get("title"), str) and data["title"].strip():
        post.title = data["title"].strip()
    excerpt = data.get("excerpt")
    if excerpt not in (None, ""):
        try:
            post.excerpt = int(str(excerpt).strip())
        except ValueError:
            post.reasons.append(f"excerpt {excerpt!r} is not a number: left out")
    for key in KEPT:
        if data.get(key) not in (None, "", []):
            value = data[key]
            if key in ("location", "language"):
                value = ", ".join(_split(value))
            elif key == "image" and str(value).strip().isdigit():
                value = int(str(value).strip())
            post.kept[key] = value
    for key in ("exclude", "nocomments"):
        if key in data:
            post.notes.append(f"{key} left out: the site has no such option")


def _front_matter(post: Post, scalar, update: str | None, title: bool) -> list[str]:
    out = ["---"]
    if post.date is not None:
        out.append(f"date: {iso(post.date)}")
    fields = (("author", post.authors), ("category", post.categories), ("tags", post.tags))
    out += [f"{key}: {scalar(', '.join(values))}" for key, values in fields if values]
    if update:
        out.append(f"update: {update}")
    if post.excerpt is not None:
        out.append(f"excerpt: {post.excerpt}")
    if post.redirects:
        out.append(f"redirect: {scalar(', '.join(post.redirects))}")
    for key, value in post.kept.items():
        out.append(f"{key}: {value if isinstance(value, int) else scalar(str(value))}")
    if title and post.title:
        out.append(f"title: {scalar(post.title)}")
    if post.held and post.date is not None:
        out.append("draft: true")
    managed = {*ABLOG_KEYS, "update", *(["draft"] if post.held else [])}
    for key, lines in front_blocks(post.front_lines).items():
        if key not in managed:
            out += lines
    return [*out, "---"]


def _directives(post: Post, s: myst.Scan, lines: list[str], links: Links, site) -> list:
    """Rewrite ``update`` dates and file arguments in ``lines``, and say what
    is not converted; the update dates."""
    updates = []
    colons = [b for b in s.blocks if b.mark.startswith(":")]
    if colons and "colon_fence" not in site.myst_extensions:
        _reason(post, "uses `:::` fences: add `colon_fence` to myst_enable_extensions")
    for b in s.blocks:
        if b.name == "update":
            moment = ablog_date(b.arg, links.old["post_date_format"])
            if moment is None:
                _reason(post, f"update date {b.arg!r} unreadable: write it as YYYY-MM-DD", True)
            else:
                updates.append(moment)
                lines[b.start] = f"{b.indent}{b.mark}{{update}} {iso(moment)}"
        elif b.name in ("image", "figure", "thumbnail", "literalinclude") and b.arg:
            new = links.rewrite("image" if b.name != "literalinclude" else "file", b.arg)
            if new is not None:
                lines[b.start] = f"{b.indent}{b.mark}{{{b.name}}} {new}"
        elif b.name == "postlist":
            _postlist_options(lines, b)
        elif b.name == "eval-rst" and _RST_LINKS.search("\n".join(lines[b.body : b.end])):
            _reason(post, "an eval-rst block: its links, images and files are not converted")
        elif b.name == "include":
            _reason(post, f"include of `{b.arg}`: not converted (paste its text in)", True)
        elif b.name == "toctree":
            _reason(post, "toctree of the old blog's pages: remove it, or link to them", True)
    return updates


def _examples(post: Post, s: myst.Scan, lines: list[str], first: myst.Block | None) -> None:
    """Every ``post`` directive but the post's own (``first``) as a code block:
    ABlog would read it as the post's metadata. ``lines`` and ``s`` change."""
    for b in s.directives("post"):
        if b is first:
            continue
        inside = lines[b.start : b.end + 1]
        ticks = max([len(m[1]) for line in inside if (m := re.match(r"\s*(`{3,})", line))] or [2])
        fence = b.indent + "`" * (ticks + 1)
        lines[b.start] = f"{fence}markdown\n{lines[b.start]}"
        lines[b.end] = f"{lines[b.end]}\n{fence}"
        for k in range(b.start, b.end + 1):
            s.kinds[k] = "literal"
        if b.depth:
            line = b.start + post.body_line
            post.notes.append(f"the post directive on line {line} (an example) is shown as code")


def _postlist_options(lines: list[str], b: myst.Block) -> None:
    """A postlist's filters with their names unquoted, as the post's are."""
    for k in range(b.start + 1, b.body):
        m = re.match(r"^(\s*:(?:author|tags|category|location|language):\s*)(.*)$", lines[k])
        if m and any(quote in m[2] for quote in "\"'"):
            lines[k] = m[1] + ", ".join(_split(m[2]))


def _reason(post: Post, reason: str, breaks: bool = False) -> None:
    """Say ``reason``; ``breaks``: the site's strict build fails on it."""
    if reason not in post.reasons:
        post.reasons.append(reason)
    if breaks and reason not in post.breaking:
        post.breaking.append(reason)


def convert_post(post: Post, links: Links, site) -> str:
    """The new text of ``post`` (read by ``read_post``, placed by the plan);
    its reasons grow with what could not be converted. ``links`` rewrites its
    links and collects the files it uses; ``site`` is the ``Target``."""
    s = myst.scan(post.body)
    lines = list(s.lines)
    updates = _directives(post, s, lines, links, site)
    drop: set[int] = set()
    tops = [b for b in s.directives("post") if b.depth == 0 and len(b.indent) < 4]
    _examples(post, s, lines, tops[0] if tops else None)
    if tops:
        b = tops[0]
        drop = set(range(b.start, b.body)) | ({b.end} if b.closed else set())
    runs = dict(myst.prose_runs(s))
    out: list[str | None] = []  # None: where a line was taken out
    i = 0
    while i < len(lines):
        if i in runs:
            text, _ = myst.rewrite_prose("\n".join(lines[i : runs[i]]), links.rewrite, links.role)
            out += text.split("\n")
            i = runs[i]
            continue
        if i in drop:
            out.append(None)
        else:
            html = s.kinds[i] == "html"
            out.append(myst.rewrite_html(lines[i], links.rewrite) if html else lines[i])
        i += 1
    body = _collapse(out)
    prose = [line for line, kind in zip(s.lines, s.kinds, strict=True) if kind == "prose"]
    _check_syntax(post, "\n".join(prose), links, site)
    found = myst.headings(myst.scan("\n".join(body)))
    has_h1 = any(level == 1 for _, level, _ in found)
    for (_, before, _), (_, level, text) in zip(found, found[1:], strict=False):
        if level > before + 1:
            _reason(post, f"heading `{text}` jumps from H{before} to H{level}: MyST warns", True)
            break
    if not has_h1 and post.title:
        body = [f"# {markdown_text(post.title)}", "", *body]
    elif not has_h1:
        _reason(post, "no title: start the text with a '# Title' line", True)
    update = iso(max(updates)) if updates else None
    front = _front_matter(post, site.scalar, update, title=has_h1)
    front = front if len(front) > 2 else []  # nothing to say: no front matter
    return "\n".join([*front, "", *body] if front else body).rstrip("\n") + "\n"


def _collapse(lines: list[str | None]) -> list[str]:
    """``lines`` without the lines taken out (``None``): where a block was taken
    out between blank lines, one blank line stays. No blank lines at the top."""
    out: list[str] = []
    after_drop = False
    for line in lines:
        if line is None:
            after_drop = after_drop or not out or not out[-1].strip()
            continue
        if after_drop and not line.strip():
            continue
        after_drop = False
        out.append(line)
    while out and not out[0].strip():
        out.pop(0)
    return out


def _check_syntax(post: Post, prose: str, links: Links, site) -> None:
    """MyST syntax the old blog enabled and the site does not."""
    old = set(links.old.strings("myst_enable_extensions"))
    for name, (pattern, what) in SYNTAX.items():
        if name in old and name not in site.myst_extensions and re.search(pattern, prose, re.M):
            # A substitution would be published as typed ("Posted on {{ date }}"), its
            # value lost: held until it is written out.
            _reason(
                post,
                f"uses the MyST extension `{name}` ({what}): add it to myst_enable_extensions"
                + (", or write each value out" if name == "substitution" else ""),
                name == "substitution",
            )
    # Footnotes that do not match: MyST warns (the old blog's build did too).
    code = re.sub(r"(`+)[^`]*?\1", "", prose)
    defined = set(re.findall(r"^ {0,3}\[\^([^\]\s]+)\]:", code, re.M))
    used = {
        m[1]
        for m in re.finditer(r"\[\^([^\]\s]+)\]", code)
        if not (
            re.match(r" {0,3}$", code[code.rfind("\n", 0, m.start()) + 1 : m.start()])
            and code.startswith(":", m.end())
        )
    }
    for name in sorted(defined - used):
        _reason(post, f"footnote `[^{name}]` is never referenced: MyST warns", True)
    for name in sorted(used - defined):
        _reason(post, f"footnote `[^{name}]` has no definition: MyST warns", True)
