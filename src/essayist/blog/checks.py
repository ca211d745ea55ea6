"""The checks of one post's source, shared by the build and ``blog check``.

Pure functions: a post's text in, problems with 1-based lines out, each with
what to do. ``check_post`` also says how the build must correct the front matter
before ABlog reads it (``FrontMatter.fixes``), so that a mistake is a located
warning, never a traceback, a hang or something written where it must not be.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Warn
from .adapter import slugify
from .characters import control_lines, escaped_controls, without_control_characters
from .dates import (
    DIRECTIVE_DATE,
    ablog_date,
    day_of,
    is_due,
    parse_ablog_date,
    parse_moment,
    update_problem,
)
from .frontmatter import (
    MAX_REDIRECTS,
    MAX_TERMS,
    MAX_TITLE,
    FrontMatter,
    FrontMatterError,
    find_post_directive,
    list_items,
    outside_fences,
    redirect_problem,
    size_problem,
    split_front_matter,
    url_problem,
)
from .keys import key_problem

# ABlog's own default ``post_date_format``.
ABLOG_DATE_FORMAT = "%b %d, %Y"

BLOG_KEYS = ("blogpost", "date", "tags", "category", "author")
_HEADING = re.compile(r"^#\s+\S")
# A tag or category names a page (``posts/tag/<slug>.html``) and shows in every
# byline: any text works if it keeps a letter or digit once slugged.
MAX_TERM = 60


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str
    kind: Warn
    # "error" fails the build; a "note" is for ``blog check`` only.
    level: str = "error"

    @property
    def subtype(self) -> str:
        return self.kind.subtype


# In a name, characters that show as nothing (or as another name): line
# breaks, zero-width spaces and joiners, direction marks and isolates. (A
# joiner inside an emoji or a word of Persian is the name's own: U+200C, U+200D.)
_INVISIBLE = re.compile("[\n\r\t\u200b\u200e\u200f\u2028\u2029\u2060-\u2069\ufeff]")


def term_problem(term: str) -> str | None:
    """Why ``term`` is not usable as a tag or category, or ``None``."""
    if len(term) > MAX_TERM:
        return f"is longer than {MAX_TERM} characters"
    if not any(c.isalnum() for c in term) or not slugify(term):
        return "has no letters or digits"
    if found := sorted(set(_INVISIBLE.findall(term))):
        if set(found) & {"\n", "\r", "\u2028", "\u2029"}:
            return "holds a line break: write the name on one line"
        names = ", ".join(f"U+{ord(c):04X}" for c in found)
        return f"holds {names}, which shows as nothing (or as another name): delete it"
    return None


def _names(value: object, field: str, line: int | None) -> tuple[list[str], list[Problem]]:
    """A list of names from a comma string or a YAML list."""
    names = list_items(value)
    if names is None:
        msg = f"{field} must be a comma-separated string or a YAML list of names"
        return [], [Problem(line, msg, Warn.named(field))]
    # ``tags: alpha, "Gamma & Delta"``: ABlog takes an item's quotes off.
    names = [
        n[1:-1].strip() if len(n) >= 2 and n[0] == n[-1] and n[0] in "\"'" else n for n in names
    ]
    if any(not name for name in names):
        msg = _empty_or_stray(field, value)
        return [n for n in names if n], [Problem(line, msg, Warn.named(field))]
    return names, []


def same_slug_groups(names: Iterable[str]) -> list[list[str]]:
    """Different spellings that become the same URL ("AI Safety", "ai-safety")."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if name not in groups[slugify(name)]:
            groups[slugify(name)].append(name)
    return [g for g in groups.values() if len(g) > 1]


# Markdown's backslash escapes (``a\_b`` shows a_b): a title is as long as it shows.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def first_heading(lines: list[str], start: int) -> tuple[int, str] | None:
    """(1-based line, text) of the first ``# Heading`` at or after line ``start``,
    outside fenced blocks (a heading in a ``:::`` note is the note's)."""
    for number, line in outside_fences(lines, start):
        if _HEADING.match(line):
            return number, line.lstrip("#").strip()
    return None


def post_terms(front: FrontMatter) -> dict[str, list[tuple[str, int | None]]]:
    """A post's tags, categories, authors and old addresses, each with its front-matter
    line: the ones the blog can use (a name with no letters or digits would make
    a page named ``.html``; it is reported, and left out)."""
    terms = {}
    for field in ("tags", "category", "author"):
        names, _ = _names(front.data.get(field), field, None)
        terms[field] = [
            (name, front.lines.get(field)) for name in names[:MAX_TERMS] if not term_problem(name)
        ]
    if "redirect" in front.fixes:
        fixed = front.fixes["redirect"]
        olds = [o.strip() for o in fixed.split(",")] if fixed else []
    else:
        olds = [o.removesuffix(".html") for o in list_items(front.data.get("redirect")) or []]
    terms["redirect"] = [(old, front.lines.get("redirect")) for old in olds if old]
    return terms


def _empty_or_stray(field: str, value: object) -> str:
    if isinstance(value, str) and not value.strip():
        return f"{field} is empty: write a name, or remove the '{field}:' line"
    return f"{field} has an empty name: remove the stray comma"


def _check_date(front: FrontMatter, tz: str | None, today: dt.date | None) -> list[Problem]:
    data, lines, problems = front.data, front.lines, []
    draft = data.get("draft")
    if draft is not None and not isinstance(draft, bool):
        msg = f"draft must be true or false, not {draft!r}"
        problems.append(Problem(lines["draft"], msg, Warn.DRAFT))
    try:
        moment = parse_moment(data.get("date"), tz)
    except ValueError as exc:
        problems.append(Problem(lines["date"], str(exc), Warn.DATE))
        front.fixes["date"] = None
        moment = None
    date = day_of(moment) if moment is not None else None
    if date is None:
        if "date" not in front.fixes:
            msg = "the post has no date, so it is a draft: add 'date: YYYY-MM-DD' to publish it"
            problems.append(Problem(lines.get("date", 1), msg, Warn.DRAFT, "note"))
    else:
        # A time is kept (it orders a day's posts, and is the feeds' time), as the
        # wall time in the site's time zone: ABlog compares dates without offsets.
        if str(data["date"]).strip() != (given := ablog_date(data["date"], tz)):
            front.fixes["date"] = given
        if draft is True:
            msg = "draft: true, so the post is not published"
            problems.append(Problem(lines["draft"], msg, Warn.DRAFT, "note"))
        elif today is not None and not is_due(moment, today):
            at = f" at {moment:%H:%M}" if isinstance(moment, dt.datetime) else ""
            msg = f"scheduled: published on {date.isoformat()}{at}"
            problems.append(Problem(lines["date"], msg, Warn.DRAFT, "note"))
    if "update" in data:
        try:
            update = parse_moment(data["update"], tz)
        except ValueError as exc:
            problems.append(Problem(lines["update"], f"update: {exc}", Warn.DATE))
            front.fixes["update"] = None
        else:
            if (why := update_problem(update, moment, today)) is not None:
                problems.append(Problem(lines["update"], why, Warn.DATE))
                front.fixes["update"] = None
    return problems


def _check_directive_date(
    front: FrontMatter, directive: tuple[int, str], date_format: str, today: dt.date | None
) -> list[Problem]:
    line, argument = directive
    if not argument:
        msg = "the post has no date, so it is a draft: give its {post} directive a date"
        return [Problem(line, msg, Warn.DRAFT, "note")]
    moment = parse_ablog_date(argument, date_format)
    if moment is None:
        msg = f"post date {argument!r} cannot be read: {DIRECTIVE_DATE}"
        return [Problem(line, msg, Warn.DATE)]
    if today is not None and moment.date() > day_of(today):
        msg = f"scheduled: published on {moment.date().isoformat()}"
        return [Problem(line, msg, Warn.DRAFT, "note")]
    return []


def _check_fields(front: FrontMatter) -> list[Problem]:
    """Fields ABlog converts or publishes as they are: numbers, links, old addresses."""
    data, lines, problems = front.data, front.lines, []
    for field, least in (("excerpt", 0), ("image", 0)):
        if field in data:
            value = data[field]
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                msg = f"{field} must be a whole number of paragraphs (0 or more), not {value!r}"
                if field == "image":
                    msg = f"image must be a whole number (which image to show), not {value!r}"
                problems.append(Problem(lines[field], msg, Warn.EXCERPT))
                front.fixes[field] = None
    for field in ("canonical_link", "external_link"):
        if field in data and (why := url_problem(data[field])):
            problems.append(Problem(lines[field], f"{field}: {why}", Warn.URL))
            front.fixes[field] = None
    if "redirect" in data:
        items = list_items(data["redirect"])
        if items is None:
            msg = "redirect must be an old address or a list of them (posts/2019/old-slug)"
            problems.append(Problem(lines["redirect"], msg, Warn.REDIRECT))
            front.fixes["redirect"] = None
        else:
            good = []
            for item in (i for i in items if i):
                if why := redirect_problem(item):
                    problems.append(Problem(lines["redirect"], f"redirect: {why}", Warn.REDIRECT))
                else:
                    good.append(item.removesuffix(".html"))
            if len(good) > MAX_REDIRECTS:
                msg = f"redirect lists {len(good)} old addresses; at most {MAX_REDIRECTS}"
                problems.append(Problem(lines["redirect"], msg, Warn.LIMIT))
                good = good[:MAX_REDIRECTS]
            if good != items:
                front.fixes["redirect"] = ", ".join(good) if good else None
    title = data.get("title")
    if "title" in data and (not isinstance(title, str) or len(title) > MAX_TITLE):
        msg = f"title must be text of at most {MAX_TITLE} characters"
        if isinstance(title, (int, float, bool, dt.date)):
            msg = f'title reads as {title!r}, not text: quote it (title: "{title}")'
        problems.append(Problem(lines["title"], msg, Warn.LIMIT))
        front.fixes["title"] = None
    return problems


def _check_names(front: FrontMatter, authors: list[str], default_author) -> list[Problem]:
    data, lines, problems = front.data, front.lines, []
    names, found = _names(data.get("author"), "author", lines.get("author"))
    problems += found
    if not names and default_author is None:
        msg = "the post names no author and conf.py sets no blog_default_author: add 'author:'"
        problems.append(Problem(1, msg, Warn.AUTHOR))
    for name in names[:MAX_TERMS]:
        if name not in authors:
            choices = ", ".join(repr(a) for a in authors) or "none"
            msg = f"unknown author {name!r}: use one of {choices}, or add it to blog_authors"
            problems.append(Problem(lines["author"], msg + " in conf.py", Warn.AUTHOR))
    for field in ("author", "tags", "category"):
        names, found = _names(data.get(field), field, lines.get(field))
        if field != "author":
            problems += found
        if len(names) > MAX_TERMS:
            msg = (
                f"{field} lists {len(names)} names; a post has at most {MAX_TERMS}: "
                f"keep the {MAX_TERMS} that matter most"
            )
            problems.append(Problem(lines[field], msg, Warn.LIMIT))
        if field == "author":
            continue
        for name in names[:MAX_TERMS]:
            if why := term_problem(name):
                problems.append(
                    Problem(lines[field], f"{field}: {name!r} {why}", Warn.named(field))
                )
        for group in same_slug_groups(names[:MAX_TERMS]):
            spelled = " and ".join(repr(n) for n in group)
            msg = f"{field} {spelled} are the same once made into a URL: spell it one way"
            problems.append(Problem(lines[field], msg, Warn.COLLISION))
    return problems


def check_post(text: str, *args, **kwargs) -> tuple[FrontMatter | None, list[Problem]]:
    """``_check_post``'s problems, after those of control characters in ``text``
    (the rest is checked without them, as the build reads it)."""
    found = [Problem(line, msg, Warn.CHARACTER) for line, msg in control_lines(text)]
    front, problems = _check_post(without_control_characters(text), *args, **kwargs)
    if front is not None:
        keys = [(k, m) for k in front.data if (m := key_problem(k))]
        found += [Problem(front.lines.get(k), m, Warn.YAML) for k, m in keys]
    for key, msg, cleaned in escaped_controls(front.data) if front is not None else ():
        found.append(Problem(front.lines.get(key), msg, Warn.CHARACTER))
        front.data[key] = cleaned  # as every later check and the build read it
        front.fixes.setdefault(key, cleaned)
    return front, found + problems


def _check_post(
    text: str,
    authors: Iterable[str],
    default_author: str | None = "",
    today: dt.date | None = None,
    tz: str | None = None,
    date_format: str = ABLOG_DATE_FORMAT,
) -> tuple[FrontMatter | None, list[Problem]]:
    """Every problem of one post's source, with 1-based lines.

    ``default_author=None`` means the site has none, so a post must name one.
    With ``today``, drafts and scheduled posts get a note saying so. ``tz``: the
    site's time zone, for dates with a time and an offset. A post may carry its
    date in ABlog's ``post`` directive instead of front matter, written as ABlog
    reads it (``date_format``: the site's ``post_date_format``, or any date
    dateutil reads).
    """
    if not text.strip():
        msg = "the post is empty: give it front matter and a '# Title' line, or delete the file"
        return None, [Problem(None, msg, Warn.EMPTY)]
    if msg := size_problem(len(text.encode("utf-8", "surrogatepass"))):
        return None, [Problem(1, msg, Warn.LIMIT)]
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        msg = f"{exc}: fix the block between the '---' lines"
        return None, [Problem(exc.line, msg, Warn.YAML)]
    directive = find_post_directive(text)
    if directive is not None and "date" not in front.data:
        problems = _check_directive_date(front, directive, date_format, today)
    else:
        problems = _check_date(front, tz, today)
    problems += _check_names(front, list(authors), default_author)
    problems += _check_fields(front)
    title = front.data.get("title")
    has_key_title = isinstance(title, str) and title.strip()
    heading = first_heading(text.splitlines(), front.body_line)
    if not has_key_title and heading is None:
        msg = "the post has no title: start its text with a '# Title' line"
        problems.append(Problem(front.body_line, msg, Warn.TITLE))
    elif has_key_title and heading is None and text.split("\n")[front.body_line - 1 :][:1] != [""]:
        msg = (
            "the title is in front matter and the text has no '# Title' line: leave an "
            "empty line after the front matter (the title goes there), or write '# Title'"
        )
        problems.append(Problem(front.body_line, msg, Warn.TITLE))
    elif heading is not None and len(shown := _ESCAPED.sub(r"\1", heading[1])) > MAX_TITLE:
        msg = f"the title is {len(shown):,} characters long; at most {MAX_TITLE}"
        problems.append(Problem(heading[0], msg, Warn.LIMIT))
    return front, problems


def check_page_outside_posts(text: str) -> list[Problem]:
    """Blog front matter on a page that is not a post is silently ignored; front
    matter no parser should read (an alias bomb) is refused on any page; no page
    may hold control characters."""
    found = [Problem(line, msg, Warn.CHARACTER) for line, msg in control_lines(text)]
    return found + _check_page_front_matter(without_control_characters(text))


def _check_page_front_matter(text: str) -> list[Problem]:
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        return [Problem(exc.line, f"{exc}: fix the block between the '---' lines", Warn.YAML)]
    keys = [k for k in BLOG_KEYS if k in front.data]
    if not keys:
        return []
    msg = (
        f"blog front matter ({', '.join(keys)}) on a page outside the posts folder is "
        "ignored: move the file into posts/YYYY/ to publish it as a post, or remove those keys"
    )
    return [Problem(front.lines[keys[0]], msg, Warn.NOT_A_POST)]
