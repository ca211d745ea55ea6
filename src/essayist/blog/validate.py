"""Catch an author's mistakes in a post's front matter, with file and line.

ABlog crashes on an impossible date, makes up an author page for a typo, and
quietly ignores a post without a title or blog front matter outside the posts
folder. Every case here becomes a warning (so ``-W`` fails) naming the file,
the line and what to do. The checks are pure functions shared with
``blog check``, which runs them without a build.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..config import Order, Warn, warn
from ..incremental.state import doc_data
from .adapter import PostNode, slugify
from .frontmatter import FrontMatter, FrontMatterError, list_items, parse_date, split_front_matter

logger = logging.getLogger(__name__)

BLOG_KEYS = ("blogpost", "date", "tags", "category", Warn.AUTHOR)
_HEADING = re.compile(r"^#\s+\S")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
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


def term_problem(term: str) -> str | None:
    """Why ``term`` is not usable as a tag or category, or ``None``."""
    if len(term) > MAX_TERM:
        return f"is longer than {MAX_TERM} characters"
    if not slugify(term):
        return "has no letters or digits"
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
        msg = f"{field} has an empty name: remove the stray comma"
        return [n for n in names if n], [Problem(line, msg, Warn.named(field))]
    return names, []


def same_slug_groups(names: Iterable[str]) -> list[list[str]]:
    """Different spellings that become the same URL ("AI Safety", "ai-safety")."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if name not in groups[slugify(name)]:
            groups[slugify(name)].append(name)
    return [g for g in groups.values() if len(g) > 1]


def has_title(lines: list[str], start: int) -> bool:
    """A ``# Heading`` at or after 1-based line ``start``, outside code fences."""
    fence = None
    for line in lines[start - 1 :]:
        m = _FENCE.match(line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is None and _HEADING.match(line):
            return True
    return False


def post_terms(front: FrontMatter) -> dict[str, list[tuple[str, int | None]]]:
    """A post's tags and categories, each with its front-matter line."""
    terms = {}
    for field in ("tags", "category"):
        names, _ = _names(front.data.get(field), field, None)
        terms[field] = [(name, front.lines.get(field)) for name in names]
    return terms


def check_post(
    text: str,
    authors: Iterable[str],
    default_author: str | None = "",
    today: dt.date | None = None,
) -> tuple[FrontMatter | None, list[Problem]]:
    """Every problem of one post's source, with 1-based lines.

    ``default_author=None`` means the site has none, so a post must name one.
    With ``today``, drafts and scheduled posts get a note saying so.
    """
    if not text.strip():
        msg = "the post is empty: give it front matter and a '# Title' line, or delete the file"
        return None, [Problem(None, msg, Warn.EMPTY)]
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        msg = f"{exc}: fix the block between the '---' lines"
        return None, [Problem(exc.line, msg, Warn.YAML)]
    data, lines = front.data, front.lines
    problems: list[Problem] = []
    draft = data.get("draft")
    if draft is not None and not isinstance(draft, bool):
        msg = f"draft must be true or false, not {draft!r}"
        problems.append(Problem(lines["draft"], msg, Warn.DRAFT))
    try:
        date = parse_date(data.get("date"))
    except ValueError as exc:
        problems.append(Problem(lines["date"], str(exc), Warn.DATE))
    else:
        if date is None:
            msg = "the post has no date, so it is a draft: add 'date: YYYY-MM-DD' to publish it"
            problems.append(Problem(lines.get("date", 1), msg, Warn.DRAFT, "note"))
        elif draft is True:
            msg = "draft: true, so the post is not published"
            problems.append(Problem(lines["draft"], msg, Warn.DRAFT, "note"))
        elif today is not None and date > today:
            msg = f"scheduled: published on {date.isoformat()}"
            problems.append(Problem(lines["date"], msg, Warn.DRAFT, "note"))
    if "update" in data:
        try:
            parse_date(data["update"])
        except ValueError as exc:
            problems.append(Problem(lines["update"], f"update: {exc}", Warn.DATE))
    known = list(authors)
    names, found = _names(data.get("author"), "author", lines.get("author"))
    problems += found
    if not names and default_author is None:
        msg = "the post names no author and conf.py sets no blog_default_author: add 'author:'"
        problems.append(Problem(1, msg, Warn.AUTHOR))
    for name in names:
        if name not in known:
            choices = ", ".join(repr(a) for a in known) or "none"
            msg = f"unknown author {name!r}: use one of {choices}, or add it to blog_authors"
            problems.append(Problem(lines["author"], msg + " in conf.py", Warn.AUTHOR))
    for field in ("tags", "category"):
        names, found = _names(data.get(field), field, lines.get(field))
        problems += found
        for name in names:
            if why := term_problem(name):
                problems.append(
                    Problem(lines[field], f"{field}: {name!r} {why}", Warn.named(field))
                )
        for group in same_slug_groups(names):
            spelled = " and ".join(repr(n) for n in group)
            msg = f"{field} {spelled} are the same once made into a URL: spell it one way"
            problems.append(Problem(lines[field], msg, Warn.COLLISION))
    title = data.get("title")
    has_key_title = isinstance(title, str) and title.strip()
    if not has_key_title and not has_title(text.splitlines(), front.body_line):
        msg = "the post has no title: start its text with a '# Title' line"
        problems.append(Problem(front.body_line, msg, Warn.TITLE))
    return front, problems


def check_page_outside_posts(text: str) -> list[Problem]:
    """Blog front matter on a page that is not a post is silently ignored."""
    try:
        front = split_front_matter(text)
    except FrontMatterError:
        return []
    keys = [k for k in BLOG_KEYS if k in front.data]
    if not keys:
        return []
    msg = (
        f"blog front matter ({', '.join(keys)}) on a page outside the posts folder is "
        "ignored: move the file into posts/YYYY/ to publish it as a post, or remove those keys"
    )
    return [Problem(front.lines[keys[0]], msg, Warn.NOT_A_POST)]


def post_slug(docname: str) -> str:
    return PurePosixPath(docname).name


# -- Sphinx ------------------------------------------------------------------


# Per post: its slug and tag spellings, to find clashes across posts.
FEATURE = "blog:terms"


def _warn(problem: Problem, docname: str) -> None:
    location = (docname, problem.line) if problem.line else docname
    warn(logger, problem.kind, problem.message, location=location)


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    if docname not in app.config.matched_blog_posts:
        for problem in check_page_outside_posts(text):
            _warn(problem, docname)
        return
    front, problems = check_post(text, app.config.blog_authors, app.config.blog_default_author)
    for problem in problems:
        if problem.level == "error":
            _warn(problem, docname)
    if any(p.subtype in ("date", Warn.YAML) for p in problems):
        app.env.temp_data["essayist_bad_date"] = True
    if front is not None:
        terms = post_terms(front)
        doc_data(app.env, FEATURE)[docname] = {"slug": post_slug(docname), **terms}
        author, _ = _names(front.data.get("author"), "author", None)
        app.env.temp_data["essayist_terms"] = {
            "tags": [t for t, _ in terms["tags"]],
            "category": [c for c, _ in terms["category"]],
            "author": author,
        }


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    terms = app.env.temp_data.get("essayist_terms")
    bad_date = app.env.temp_data.get("essayist_bad_date")
    for node in doctree.findall(PostNode):
        if terms is not None:
            # MyST hands a YAML list to ABlog as JSON text, which ABlog splits on
            # commas: "日本語" became "\u65e5\u672c\u8a9e". Use the names as written.
            for field, names in terms.items():
                if names or field != "author":
                    node[field] = list(names)
        if bad_date:
            # A date ABlog cannot read would crash the build: the warning is out,
            # so the post goes on as a draft and the build fails on the warning.
            node["date"] = None


def find_clashes(posts: dict[str, dict]) -> list[tuple[str, int | None, str, str]]:
    """(docname, line, message, kind) for slugs, tags and categories that clash
    across posts. ``posts`` maps a docname to its ``slug`` and ``post_terms``."""
    clashes = []
    by_slug: dict[str, list[str]] = defaultdict(list)
    for docname in sorted(posts):
        by_slug[posts[docname]["slug"]].append(docname)
    for slug, docnames in sorted(by_slug.items()):
        for other in docnames[1:]:
            msg = (
                f"two posts have the slug {slug!r} ({docnames[0]} and {other}): their feed "
                "ids and labels would clash; rename one"
            )
            clashes.append((other, None, msg, Warn.DUPLICATE_SLUG))
    for field, singular in (("tags", "tag"), ("category", "category")):
        spellings: dict[str, tuple[str, str]] = {}
        for docname in sorted(posts):
            for term, line in posts[docname].get(field, []):
                first, where = spellings.setdefault(slugify(term), (term, docname))
                # Clashes inside one post are reported when it is read.
                if first != term and where != docname:
                    msg = (
                        f"{singular} {term!r} is spelled {first!r} in {where} and both become "
                        f"the same {singular} page: spell it one way"
                    )
                    clashes.append((docname, line, msg, Warn.COLLISION))
    return clashes


def _check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    for docname, line, message, kind in find_clashes(doc_data(env, FEATURE)):
        location = (docname, line) if line else docname
        warn(logger, kind, message, location=location)


def setup_validate(app: Sphinx) -> None:
    app.connect("source-read", _source_read)
    app.connect("doctree-read", _doctree_read, priority=Order.POST_TERMS)
    app.connect("env-check-consistency", _check_consistency)
