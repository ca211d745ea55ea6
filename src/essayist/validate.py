"""Catch an author's mistakes in a post's front matter, with file and line.

ABlog crashes on an impossible date, makes up an author page for a typo, and
quietly ignores a post without a title or blog front matter outside the posts
folder. Every case here becomes a warning (so ``-W`` fails) naming the file,
the line and what to do. The checks are pure functions shared with
``blog check``, which runs them without a build.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from ablog.blog import slugify
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .frontmatter import FrontMatter, FrontMatterError, parse_date, split_front_matter

logger = logging.getLogger(__name__)

BLOG_KEYS = ("blogpost", "date", "tags", "category", "author")
_TITLE = re.compile(r"^#\s+\S")


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str
    subtype: str
    # "error" fails the build; a "note" is for ``blog check`` only.
    level: str = "error"


def _names(value: object, field: str, line: int | None) -> tuple[list[str], list[Problem]]:
    """A list of names from a comma string or a YAML list."""
    if value is None:
        return [], []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        items = [str(v) for v in value]
    else:
        msg = f"{field} must be a comma-separated string or a YAML list of names"
        return [], [Problem(line, msg, field)]
    names = [item.strip() for item in items]
    if any(not name for name in names):
        msg = f"{field} has an empty name: remove the stray comma"
        return [n for n in names if n], [Problem(line, msg, field)]
    return names, []


def same_slug_groups(names: Iterable[str]) -> list[list[str]]:
    """Different spellings that become the same URL ("AI Safety", "ai-safety")."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if name not in groups[slugify(name)]:
            groups[slugify(name)].append(name)
    return [g for g in groups.values() if len(g) > 1]


def check_post(text: str, authors: Iterable[str]) -> tuple[FrontMatter | None, list[Problem]]:
    """Every problem of one post's source, with 1-based lines."""
    if not text.strip():
        msg = "the post is empty: give it front matter and a '# Title' line, or delete the file"
        return None, [Problem(None, msg, "empty")]
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        msg = f"{exc}: fix the block between the '---' lines"
        return None, [Problem(exc.line, msg, "yaml")]
    data, lines = front.data, front.lines
    problems: list[Problem] = []
    try:
        if parse_date(data.get("date")) is None:
            msg = "the post has no date, so it is a draft: add 'date: YYYY-MM-DD' to publish it"
            problems.append(Problem(lines.get("date", 1), msg, "draft", "note"))
    except ValueError as exc:
        problems.append(Problem(lines["date"], str(exc), "date"))
    for key in ("update",):
        try:
            parse_date(data.get(key))
        except ValueError as exc:
            problems.append(Problem(lines[key], f"{key}: {exc}", "date"))
    if "draft" in data and not isinstance(data["draft"], bool):
        msg = f"draft must be true or false, not {data['draft']!r}"
        problems.append(Problem(lines["draft"], msg, "draft"))
    known = list(authors)
    names, found = _names(data.get("author"), "author", lines.get("author"))
    problems += found
    for name in names:
        if name not in known:
            choices = ", ".join(repr(a) for a in known) or "none"
            msg = f"unknown author {name!r}: use one of {choices}, or add it to blog_authors"
            problems.append(Problem(lines["author"], msg + " in conf.py", "author"))
    for field in ("tags", "category"):
        names, found = _names(data.get(field), field, lines.get(field))
        problems += found
        for group in same_slug_groups(names):
            spelled = " and ".join(repr(n) for n in group)
            msg = f"{field} {spelled} are the same once made into a URL: spell it one way"
            problems.append(Problem(lines[field], msg, "collision"))
    body = text.splitlines()[front.body_line - 1 :]
    if "title" not in data and not any(_TITLE.match(line) for line in body):
        msg = "the post has no title: start its text with a '# Title' line"
        problems.append(Problem(front.body_line, msg, "title"))
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
    return [Problem(front.lines[keys[0]], msg, "not_a_post")]


def post_slug(docname: str) -> str:
    return PurePosixPath(docname).name


# -- Sphinx ------------------------------------------------------------------


class PostsDomain(Domain):
    """Per post: its slug and tag spellings, to find clashes across posts."""

    name = "essayist-posts"
    label = "Posts"
    initial_data = {"posts": {}}

    def clear_doc(self, docname: str) -> None:
        self.data["posts"].pop(docname, None)

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for docname in docnames:
            if docname in otherdata["posts"]:
                self.data["posts"][docname] = otherdata["posts"][docname]

    def resolve_any_xref(self, *args, **kwargs):
        return []


def _warn(problem: Problem, docname: str) -> None:
    location = (docname, problem.line) if problem.line else docname
    logger.warning(problem.message, type="essayist", subtype=problem.subtype, location=location)


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    if docname not in app.config.matched_blog_posts:
        for problem in check_page_outside_posts(text):
            _warn(problem, docname)
        return
    front, problems = check_post(text, app.config.blog_authors)
    for problem in problems:
        if problem.level == "error":
            _warn(problem, docname)
    if any(p.subtype in ("date", "yaml") for p in problems):
        app.env.temp_data["essayist_bad_date"] = True
    if front is not None:
        tags, _ = _names(front.data.get("tags"), "tags", None)
        domain = app.env.domains[PostsDomain.name]
        domain.data["posts"][docname] = {
            "slug": post_slug(docname),
            "tags": [(tag, front.lines.get("tags")) for tag in tags],
        }


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    # A date ABlog cannot read would crash the build: the warning is out, so the
    # post goes on as a draft and the build fails on the warning instead.
    if app.env.temp_data.get("essayist_bad_date"):
        from ablog.post import PostNode

        for node in doctree.findall(PostNode):
            node["date"] = None


def find_clashes(posts: dict[str, dict]) -> list[tuple[str, int | None, str, str]]:
    """(docname, line, message, subtype) for slugs and tags that clash across posts."""
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
            clashes.append((other, None, msg, "duplicate_slug"))
    spellings: dict[str, tuple[str, str]] = {}
    for docname in sorted(posts):
        for tag, line in posts[docname]["tags"]:
            first, where = spellings.setdefault(slugify(tag), (tag, docname))
            # Clashes inside one post are reported when it is read.
            if first != tag and where != docname:
                msg = (
                    f"tag {tag!r} is spelled {first!r} elsewhere and both become "
                    f"the same tag page: spell it one way"
                )
                clashes.append((docname, line, msg, "collision"))
    return clashes


def _check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    posts = env.domains[PostsDomain.name].data["posts"]
    for docname, line, message, subtype in find_clashes(posts):
        location = (docname, line) if line else docname
        logger.warning(message, type="essayist", subtype=subtype, location=location)


def setup_validate(app: Sphinx) -> None:
    app.add_domain(PostsDomain)
    app.connect("source-read", _source_read)
    # Before ABlog's ``process_posts`` (priority 500) reads the date.
    app.connect("doctree-read", _doctree_read, priority=450)
    app.connect("env-check-consistency", _check_consistency)
