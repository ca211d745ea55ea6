"""A series of essays: ``series: <name>`` (and ``series_order: <n>``) in front matter.

Each part shows "Part n of m in <series>", with links to the previous and the
next part, right after its byline; each series has a page listing its parts
in order (``series_pages``), a feed, and a place in the index of series.

* Reading: every post's ``series`` fields, with their lines, at ``source-read``
  (``series_checks``, shared with ``blog check``); the build reports gaps and
  duplicates in a series' numbering with file and line, counting the drafts a
  published build does not read, as ``blog check`` does.
* What is shown: the parts a build has, in order: by ``series_order``, or by
  date. Drafts and scheduled parts count only in preview (a published build
  does not read them).
* Incremental builds: what each part shows of its series is a view for
  ``incremental.pages``, so adding a part rewrites the others ("of 4").
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..blog.adapter import builds_blog, get_blog
from ..config import NO_SEARCH, Warn, warn
from ..incremental.pages import EVENT as PAGE_VIEWS
from ..incremental.state import doc_data
from .series_checks import Part, check_series, part_of
from .series_model import FEATURE, Series, all_series, part_place, part_signature
from .series_pages import setup_series_pages

logger = logging.getLogger(__name__)

VIEW = "scholarship:series"
STYLESHEET = "essayist-series.css"


# -- Reading -------------------------------------------------------------------


def _source_path(env: BuildEnvironment, docname: str) -> str:
    return Path(env.doc2path(docname)).relative_to(env.srcdir).as_posix()


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname not in app.config.matched_blog_posts:
        return
    part, problems = part_of(source[0], _source_path(app.env, docname))
    for problem in problems:
        location = (docname, problem.line) if problem.line else docname
        warn(logger, problem.kind, problem.message, location=location)
    if part is not None:
        doc_data(app.env, FEATURE)[docname] = {
            "path": part.path,
            "name": part.name,
            "order": part.order,
            "line": part.line,
        }


def _unread_parts(app: Sphinx, env: BuildEnvironment) -> list[Part]:
    """The parts among posts this build does not read (drafts and scheduled
    posts in a published build): a gap they fill is no gap."""
    parts = []
    srcdir = Path(app.srcdir)
    for docname in sorted(set(app.config.matched_blog_posts) - set(env.found_docs)):
        for suffix in app.config.source_suffix:
            path = srcdir / f"{docname}{suffix}"
            if path.is_file():
                try:
                    text = path.read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError):
                    break  # reported by the draft filter
                part, _ = part_of(text, path.relative_to(srcdir).as_posix())
                if part is not None:
                    parts.append(part)
                break
    return parts


def _check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    read = doc_data(env, FEATURE)
    docnames = {value["path"]: docname for docname, value in read.items()}
    parts = [Part(v["path"], v["name"], v["order"], v["line"]) for v in read.values()]
    for path, line, message in check_series([*parts, *_unread_parts(app, env)]):
        docname = docnames.get(path)
        if docname is None:
            location = f"{Path(app.srcdir) / path}:{line or 1}"
        else:
            location = (docname, line) if line else docname
        warn(logger, Warn.SERIES, message, location=location)


def _views(app: Sphinx, env: BuildEnvironment) -> dict[str, dict]:
    if not builds_blog(app):
        return {}
    view = {}
    for series in all_series(app).values():
        for index, post in enumerate(series.parts):
            view[post.docname] = part_signature(series, index)
    return {VIEW: view}


# -- A part's page -------------------------------------------------------------


def _link(app: Sphinx, fromdoc: str, to: str, text: str, classes=()) -> nodes.reference:
    uri = app.builder.get_relative_uri(fromdoc, to)
    ref = nodes.reference("", "", internal=True, refuri=uri, classes=list(classes))
    ref += nodes.Text(text)
    return ref


def build_series_nav(app: Sphinx, docname: str, series: Series, index: int) -> nodes.container:
    """ "Part 2 of 3 in <series>", then the previous and next parts."""
    blog_path = get_blog(app).posts.docname
    nav = nodes.container(classes=["series-nav", NO_SEARCH])
    place = nodes.paragraph(classes=["series-place"])
    place += nodes.Text(f"Part {index + 1} of {len(series.parts)} in ")
    place += _link(app, docname, series.page(blog_path), series.name, ["series-name"])
    nav += place
    parts = series.parts
    older = parts[index - 1] if index else None
    newer = parts[index + 1] if index + 1 < len(parts) else None
    if older is None and newer is None:
        return nav
    around = nodes.paragraph(classes=["series-around"])
    if older is not None:
        around += _link(app, docname, older.docname, f"← Previous: {older.title}", ["series-prev"])
    if older is not None and newer is not None:
        around += nodes.Text(" · ")
    if newer is not None:
        around += _link(app, docname, newer.docname, f"Next: {newer.title} →", ["series-next"])
    nav += around
    return nav


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    # Fragments rendered for listings and feeds are resolved too: only the
    # document itself, which has a source file, gets the furniture.
    if app.builder.format != "html" or not doctree.get("source") or not builds_blog(app):
        return
    place = part_place(app, docname)
    if place is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    # After the byline (blog.postpage), else after the title: the same place
    # whichever of the two handlers runs first.
    bylines = (i for i, c in enumerate(section.children) if "post-byline" in c.get("classes", ()))
    anchor = next(bylines, section.first_child_matching_class(nodes.title))
    if anchor is None:
        return
    section.insert(anchor + 1, build_series_nav(app, docname, *place))


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or not builds_blog(app):
        return
    if templatename.startswith("essayist/series") or part_place(app, pagename) is not None:
        app.builder.add_css_file(STYLESHEET)


def setup_series(app: Sphinx) -> None:
    app.connect("source-read", _source_read)
    app.connect("env-check-consistency", _check_consistency)
    app.connect(PAGE_VIEWS, _views)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("html-page-context", _page_context)
    setup_series_pages(app)
