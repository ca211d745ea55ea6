"""Catch an author's mistakes in a post's front matter, with file and line.

ABlog crashes on an impossible date, makes up an author page for a typo, writes
a redirect page wherever ``redirect:`` points, and quietly ignores a post without
a title or blog front matter outside the posts folder. Every case here becomes
a warning (so ``-W`` fails) naming the file, the line and what to do, and the
front matter MyST and ABlog read is corrected first, line for line
(``frontmatter.apply_fixes``): the build goes on to report every problem, and
never crashes, hangs or writes outside the site. The checks themselves are pure
functions (``checks``), shared with ``blog check``.
"""

from __future__ import annotations

import datetime as dt

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..config import Order, Warn, config_error, find_nodes, warn
from ..incremental.state import doc_data
from .adapter import PostNode, UpdateNode
from .characters import without_control_characters
from .checks import Problem, _names, check_page_outside_posts, check_post, first_heading, post_terms
from .clashes import find_clashes, post_slug
from .dates import DIRECTIVE_DATE, day_of, parse_ablog_date, parse_moment, update_problem
from .drafts import site_now
from .frontmatter import (
    MAX_TERMS,
    apply_fixes,
    authors_problem,
    empty_front_matter,
    markdown_text,
    redirect_problem,
    split_front_matter,
)

logger = logging.getLogger(__name__)

# Per post: its slug and tag spellings, to find clashes across posts; the day
# of its date as written.
FEATURE = "blog:terms"


def written_day(value: object) -> str | None:
    """The day of a front-matter date as written (``2026-03-02`` of
    ``2026-03-02T23:30-05:00``, in any time zone), or ``None``."""
    try:
        moment = parse_moment(value, None)
    except ValueError:
        return None
    return None if moment is None else day_of(moment).isoformat()


def written_post_day(env, docname: str) -> dt.date | None:
    """The day of the post's front-matter date as written (``written_day``)."""
    day = doc_data(env, FEATURE).get(docname, {}).get("written_day")
    return dt.date.fromisoformat(day) if isinstance(day, str) else None


def _warn(problem: Problem, docname: str) -> None:
    location = (docname, problem.line) if problem.line else docname
    warn(logger, problem.kind, problem.message, location=location)


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    raw = source[0]
    # Read without control characters (the checks report them, by line).
    text = source[0] = without_control_characters(raw)
    if docname not in app.config.matched_blog_posts:
        problems = check_page_outside_posts(raw)
        for problem in problems:
            _warn(problem, docname)
        if any(p.kind is Warn.YAML for p in problems):
            source[0] = empty_front_matter(text)
        elif any(p.kind is Warn.NOT_A_POST for p in problems):
            # ABlog would publish a page with ``blogpost: true`` as a post, past
            # the draft filter: the warning is out, the page stays a page.
            front = split_front_matter(text)
            front.fixes["blogpost"] = None
            source[0] = apply_fixes(text, front)
        return
    front, problems = check_post(
        raw,
        app.config.blog_authors,
        app.config.blog_default_author,
        today=site_now(app.config),
        tz=app.config.essayist_timezone,
        date_format=app.config.post_date_format,
    )
    for problem in problems:
        if problem.level == "error":
            _warn(problem, docname)
    if front is None:
        if any(p.kind is Warn.LIMIT for p in problems):
            source[0] = ""  # too large to read at all: the warning says so
        elif any(p.kind is Warn.YAML for p in problems):
            source[0] = empty_front_matter(text)
        app.env.temp_data["essayist_refused"] = True
        return
    # Before MyST and ABlog read the front matter: what was refused is gone.
    source[0] = with_title(apply_fixes(text, front), front)
    app.env.temp_data["essayist_refused"] = front.fixes.get("date", "") is None
    terms = post_terms(front)
    doc_data(app.env, FEATURE)[docname] = {
        "slug": post_slug(docname),
        # The day as written, for the feed entry's id (publishing.feeds): the
        # day a time with an offset falls on in the site's time zone would
        # change with the zone, and an id must never change.
        "written_day": written_day(front.data.get("date")),
        **terms,
    }
    author, _ = _names(front.data.get("author"), "author", None)
    # Only what the front matter says: a {post} directive's own options stand.
    app.env.temp_data["essayist_terms"] = {
        field: names
        for field, names in (
            ("tags", [t for t, _ in terms["tags"]]),
            ("category", [c for c, _ in terms["category"]]),
            ("author", author[:MAX_TERMS]),
        )
        if field in front.data
    }


def with_title(text: str, front) -> str:
    """A post titled in front matter (``title:``) and not by a ``# Title`` line
    gets that line, in the empty line after the front matter: without it the
    first ``##`` section would become the page's title and every section a
    top-level heading. (``checks`` reports a post with neither.)"""
    title = front.fixes.get("title", front.data.get("title"))  # refused: None
    if not isinstance(title, str) or not title.strip():
        return text
    lines = text.split("\n")
    heading = first_heading(lines, front.body_line)
    body = next((n for n in range(front.body_line, len(lines) + 1) if lines[n - 1].strip()), None)
    if heading is not None and heading[0] == body:
        return text  # the post opens with its own title
    # No heading, or text before the first one: that heading would have named
    # the page ("First section") while listings and feeds said ``title:``.
    index = front.body_line - 1
    if index < len(lines) and not lines[index].strip():
        lines[index] = "# " + markdown_text(title)  # text, not Markdown
    return "\n".join(lines)


def _check_updates(app: Sphinx, doctree: nodes.document, updates: list | None = None) -> None:
    """An ``{update}`` whose date ABlog cannot read would crash the build: warn
    with its line and keep its text as a plain note. ``updates``: the
    document's ``{update}`` nodes, when already collected."""
    now = site_now(app.config)
    for node in list(doctree.findall(UpdateNode)) if updates is None else updates:
        moment = parse_ablog_date(node.get("date", ""), app.config.post_date_format)
        if moment is not None and (why := update_problem(moment, None, now)):
            warn(logger, Warn.DATE, why, location=node)
        if moment is None:
            warn(
                logger,
                Warn.DATE,
                f"update: date %r cannot be read: {DIRECTIVE_DATE}",
                node.get("date", ""),
                location=node,
            )
            note = nodes.container(classes=["note", "update"])
            note.extend(node.children)
            node.replace_self(note)


def _examples_and_strays(
    app: Sphinx, doctree: nodes.document, posts: list | None = None
) -> list[PostNode]:
    """A ``{post}`` directive inside another block is an example of one, not a
    post: ABlog would loop forever looking for its section (ablog 0.11.13,
    ``process_posts``: ``section = node.parent`` in a ``while`` loop). One on a
    page outside the posts folder is reported and dropped, as its front matter
    would be. ``posts``: the document's ``{post}`` nodes, when already
    collected. Returns those left in the document, in order."""
    docname = app.env.docname
    is_post = docname in app.config.matched_blog_posts
    kept = []
    for node in list(doctree.findall(PostNode)) if posts is None else posts:
        if not isinstance(node.parent, (nodes.section, nodes.document)):
            node.replace_self(node.children)
        elif not is_post:
            warn(
                logger,
                Warn.NOT_A_POST,
                "a {post} directive on a page outside the posts folder is ignored: move the "
                "file into posts/YYYY/ to publish it as a post, or remove the directive",
                location=node,
            )
            node.replace_self(node.children)
        else:
            kept.append(node)
    return kept


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    # One walk finds both kinds: replacing a node by its children keeps the
    # others in the document, in order.
    found = find_nodes(doctree, (PostNode, UpdateNode))
    posts = _examples_and_strays(app, doctree, [n for n in found if isinstance(n, PostNode)])
    _check_updates(app, doctree, [n for n in found if isinstance(n, UpdateNode)])
    terms = app.env.temp_data.get("essayist_terms")
    refused = app.env.temp_data.get("essayist_refused")
    if refused:
        # Its warning is out; no "not in any toctree" warning on top of it.
        app.env.metadata[app.env.docname]["orphan"] = True
    for node in posts:
        _directive_redirects(app, node)
        if terms is not None:
            # MyST hands a YAML list to ABlog as JSON text, which ABlog splits on
            # commas: "日本語" became "\u65e5\u672c\u8a9e". Use the names as written.
            for field, names in terms.items():
                if names or field != "author":
                    node[field] = list(names)
        date = node.get("date")
        if refused or (date and parse_ablog_date(date, app.config.post_date_format) is None):
            # A date ABlog cannot read would crash the build: the warning is out,
            # so the post goes on as a draft and the build fails on the warning.
            node["date"] = None


def _directive_redirects(app: Sphinx, node: PostNode) -> None:
    """The old addresses of a post written with ABlog's ``{post}`` directive
    (``:redirect:``), checked as front matter's are: a bad one is reported at
    the directive's line and dropped; the others join the site-wide checks."""
    docname = app.env.docname
    entry = doc_data(app.env, FEATURE).setdefault(docname, {"slug": post_slug(docname)})
    known = entry.setdefault("redirect", [])
    checked = {old for old, _ in known}  # front matter's, checked as it was read
    kept = []
    for item in node.get("redirect") or []:
        old = item.strip().removesuffix(".html")
        if old in checked:
            kept.append(old)
        elif old and (why := redirect_problem(old)):
            warn(logger, Warn.REDIRECT, f"redirect: {why}", location=node)
        elif old:
            kept.append(old)
            known.append((old, node.line))
    node["redirect"] = kept


def clashes_ahead(env: BuildEnvironment) -> None:
    """The warm preview's builder, before a worker forks: every post's terms
    made into page names once (``slugify`` keeps them), so the worker's check
    of clashes finds them made."""
    find_clashes(doc_data(env, FEATURE), env.found_docs)


def _check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    for docname, line, message, kind in find_clashes(doc_data(env, FEATURE), env.found_docs):
        location = (docname, line) if line else docname
        warn(logger, kind, message, location=location)


def _config_inited(app: Sphinx, config) -> None:
    if why := authors_problem(config.blog_authors):
        raise config_error(f"blog_authors in conf.py: {why}")


def setup_validate(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited)
    app.connect("source-read", _source_read)
    app.connect("doctree-read", _doctree_read, priority=Order.POST_TERMS)
    app.connect("env-check-consistency", _check_consistency)
