"""The one place essayist touches ABlog (pinned: ablog 0.11.13).

Everything else asks this module: "the blog", "the post of this page", "the
archive pages", "render this fragment as the blog would". ABlog keeps posts in a
process-wide singleton (``ablog.blog.Blog``), filled lazily from the records it
leaves on the environment (``env.ablog_posts``); it is filled here exactly once
per build and never read half-built.

Each workaround for an ABlog defect names its upstream issue; a test in
``tests/blog/test_ablog_upstream.py`` fails when ABlog's behaviour changes, so the
workaround can go.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePath

import ablog
import ablog.post
from ablog.blog import Blog, Post, html_builder_write_doc, revise_pending_xrefs
from ablog.blog import slugify as _ablog_slugify
from ablog.post import register_posts
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import docname_join, logging

from ..config import Event, Order, Warn, warn
from ..incremental.outputs import (
    EXCERPT_DIGEST,
    EXCERPT_XREFS,
    excerpt_signature,
    excerpt_xrefs,
)
from ..incremental.state import build_cache, doc_data
from .dates import parse_moment
from .excerpts import body_excerpt
from .folders import REDIRECT, folder_pages
from .frontmatter import redirect_problem

logger = logging.getLogger(__name__)
WORDS_PER_MINUTE = 230
# Chinese and Japanese are written without spaces between words: read by the
# character (kanji, hanzi, kana), about 300 a minute at the same pace.
CHARACTERS_PER_MINUTE = 300
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
FEED_FILE = "atom.xml"
# ABlog's node types, for features that look for them in a doctree.
PostList = ablog.post.PostList
PostNode = ablog.post.PostNode
UpdateNode = ablog.post.UpdateNode
__all__ = ["Blog", "Post", "PostList", "PostNode", "UpdateNode"]


# -- The blog and its posts ----------------------------------------------------


def builds_blog(app: Sphinx) -> bool:
    """Whether this builder makes blog pages (ABlog's HTML builders)."""
    return ablog.builder_support(app)


def set_ablog_today(today: dt.date) -> None:
    """ABlog publishes a post dated before its ``TOMORROW``: the machine's local
    clock, read once when ABlog is imported (ablog 0.11, ``ablog.blog``). A
    post due today in the site's time zone (or by ``essayist_today``) was
    built as a public page marked "Draft" and left out of every listing and
    feed when the machine's date was behind. ABlog's day is the site's."""
    ablog.blog.TOMORROW = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())


def reset_blog(app: Sphinx, *args) -> None:
    """Forget the previous application's posts (several builds share a process)."""
    Blog._dict.clear()


def get_blog(app: Sphinx) -> Blog:
    """ABlog's registry, filled from the environment once all documents are read."""
    blog = Blog(app)
    if not Blog._dict.get("_essayist_registered"):
        register_posts(app)
        Blog._dict["_essayist_registered"] = True
    return blog


def get_post(app: Sphinx, docname: str) -> Post | None:
    blog = get_blog(app)
    return blog.posts[docname] or blog.drafts[docname]


def unordered_posts(collection) -> list[Post]:
    """A collection's posts, in no particular order: iterating an ABlog
    collection sorts it first (by date and title, compared in Python), which
    a caller that orders or digests the posts itself need not pay for."""
    posts = getattr(collection, "_posts", None)
    return list(posts.values()) if isinstance(posts, dict) else list(collection)


def post_records(env, docname: str) -> list[dict]:
    """ABlog's records of the posts in ``docname`` while it is read (mutable)."""
    return getattr(env, "ablog_posts", {}).get(docname, [])


def post_url_anchor(post: Post) -> str:
    """The fragment of a post's address (a post in a section of a page)."""
    return ablog.anchor(post)


def slugify(name: str) -> str:
    """How ABlog makes a tag's or category's page name (of any value, as
    ABlog's: front matter may give a number or a list)."""
    return _slug(str(name))


@functools.lru_cache(maxsize=8192)  # the check of clashes asks for every
def _slug(name: str) -> str:  # post's terms on every build: 5,500 at 1,000 posts
    return _ablog_slugify(name)


def templates_path() -> str:
    return ablog.get_html_templates_path()


def archive_pages(app: Sphinx) -> list[tuple[str, dict, str]]:
    """ABlog's generated pages (archives, tags, categories, redirects, drafts),
    and the folders' pages that lead to them (``folders``), worked out once per build."""
    cache = build_cache(app)
    if "archive_pages" not in cache:
        get_blog(app)
        generated = list(ablog.post.generate_archive_pages(app))
        made = {p for p, _, t in generated if t != REDIRECT}
        # Pages other features write (series pages), which a redirect must not replace.
        for answer in app.emit(Event.SITEMAP_PAGES.value):
            made.update(answer or ())
        for docname in sorted(set(app.env.all_docs) & made):
            _page_onto_page(app, docname)
        taken = set(app.env.all_docs) | made
        pages = []
        for page in generated:
            pagename, context, template = page
            if template == REDIRECT:
                if pagename in taken or redirect_problem(pagename):
                    # A redirect never replaces a page, nor lands outside the site:
                    # blog.validate reports one onto a document or outside, this
                    # one onto a page the build writes.
                    if pagename in made:
                        _redirect_onto_page(app, context["redirect"], pagename)
                    continue
                taken.add(pagename)
            pages.append(page)
        cache["archive_pages"] = pages + folder_pages(app, pages, taken)
    return cache["archive_pages"]


def _redirect_onto_page(app: Sphinx, docname: str, pagename: str) -> None:
    terms = doc_data(app.env, "blog:terms").get(docname, {})
    line = next((line for old, line in terms.get("redirect", []) if old == pagename), None)
    warn(
        logger,
        Warn.REDIRECT,
        f"redirect: {pagename!r} is a page the site writes (a list of posts or a "
        "series): an old address must be free: remove it",
        location=(docname, line) if line else docname,
    )


def _page_onto_page(app: Sphinx, docname: str) -> None:
    warn(
        logger,
        Warn.COLLISION,
        f"this page's address, {docname}.html, is that of a page the site writes (a list "
        "of posts or a series), which would be lost: move or rename the file",
        location=docname,
    )


def drafts_page(app: Sphinx) -> str:
    return get_blog(app).drafts.docname


def month_year(date) -> str:
    """The site's date style: "March 2026"."""
    return f"{date:%B} {date.year}"


def reading_minutes(text: str) -> int:
    """Minutes to read ``text`` at an unhurried pace; at least one. (A run of
    Chinese or Japanese, with no spaces, counted as one word: a 9,000-character
    essay read in "2 min".)"""
    characters = len(_UNSPACED.findall(text))
    words = len(re.findall(r"\w+(?:[’'-]\w+)*", _UNSPACED.sub(" ", text) if characters else text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE + characters / CHARACTERS_PER_MINUTE))


# -- Rendering fragments as ABlog does -----------------------------------------


def revise_xrefs(doctree: nodes.Node, pagename: str) -> None:
    """Point a fragment's pending references at the page it is shown on."""
    revise_pending_xrefs(doctree, pagename)


def write_fragment(builder, pagename: str, doctree: nodes.document) -> str:
    """The HTML body of ``doctree`` as the builder writes it for ``pagename``."""
    return html_builder_write_doc(builder, pagename, doctree)


# -- Workarounds -----------------------------------------------------------------


def _merge_info(app: Sphinx, env, docnames, other) -> None:
    """ABlog declares itself unsafe for parallel reading because its records live
    on the environment and are never merged (sunpy/ablog#264, PR #330 open):
    take the records a parallel reader found."""
    theirs = getattr(other, "ablog_posts", {})
    mine = env.__dict__.setdefault("ablog_posts", {})
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def _front_matter_update(app: Sphinx, doctree) -> None:
    """``update: YYYY-MM-DD`` in front matter counts like an ``{update}`` directive.

    ABlog only reads update dates from the directive; a correction date in the
    front matter is where an author looks for it first.
    """
    env = app.env
    value = env.metadata.get(env.docname, {}).get("update")
    infos = post_records(env, env.docname)
    if not value or not infos:
        return
    try:
        moment = parse_moment(value, app.config.essayist_timezone)
    except ValueError:
        return  # reported with its line by validate.py
    if not isinstance(moment, dt.datetime):  # a day: its start
        moment = dt.datetime(moment.year, moment.month, moment.day)
    stamp = moment
    for info in infos:
        if info["date"] is not None:
            info["update"] = max(info["update"] or info["date"], stamp)


def _no_copy() -> nodes.section:
    return nodes.section()


def _skip_whole_copy(app: Sphinx, doctree: nodes.document) -> None:
    """ABlog's ``process_posts`` deep-copies the whole document of a one-post
    page into the post's record (``info["doctree"]``), which nothing here uses
    (a tenth of a read). For the span of that handler, copying the document
    itself gives an empty section."""
    doctree.deepcopy = _no_copy


def absolutize_doc_targets(tree: nodes.Node, docname: str) -> None:
    """Make relative ``{doc}`` targets absolute against the post they are in.

    ABlog shows a post's excerpt and text on other pages, resolving its
    references from there (``revise_pending_xrefs``), which breaks every
    relative ``{doc}`` link. Absolute targets resolve the same from anywhere.
    """
    for node in tree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "std" and node.get("reftype") == "doc":
            target = node["reftarget"]
            if not target.startswith("/"):
                node["reftarget"] = "/" + docname_join(node.get("refdoc", docname), target)


def ablog_label(docname: str) -> str:
    """The label ABlog gives a one-post page (``ablog.post.process_posts``): the
    file's name, or its folder's for an ``index``; '' when it takes the title's."""
    folder, label = os.path.split(docname)
    if label == "index":
        folder, label = os.path.split(folder)
    return label


def _post_label(app: Sphinx, doctree: nodes.document) -> None:
    """ABlog labels a one-post page with its slug (``{ref}`my-post```) but points
    the label at an id ``my-post`` the page does not have: point it at the
    page's title instead."""
    labels = app.env.domains["std"].labels
    anonlabels = app.env.domains["std"].anonlabels
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section["ids"]:
        return
    # ABlog names the label after the file, or the folder of an ``index``: one
    # look-up, where a look at every label for every post grew as N² (0.5 s
    # of a build at 1,000 posts). Only a post named by its title looks at all.
    named = ablog_label(app.env.docname)
    for label in [named] if named else list(labels):
        if label not in labels:
            continue
        docname, labelid, *title = labels[label]
        if docname == app.env.docname and labelid == label and label not in section["ids"]:
            if any(label in n["ids"] for n in doctree.findall(nodes.Element)):
                continue
            labels[label] = (docname, section["ids"][0], *title)
            anonlabels[label] = (docname, section["ids"][0])


def _post_fragments(app: Sphinx, doctree: nodes.document) -> None:
    doctree.__dict__.pop("deepcopy", None)  # set by _skip_whole_copy
    records = post_records(app.env, app.env.docname)
    if records:
        _post_label(app, doctree)
    if len(records) == 1 and str(app.env.metadata[app.env.docname].get("excerpt")) == "0":
        records[0]["excerpt"] = []  # ABlog reads front matter's 0 as its default, 1
    elif len(records) == 1:  # one post a page: its paragraphs are the page's
        body_excerpt(doctree, records[0])
    for info in records:
        for fragment in info["excerpt"]:
            absolutize_doc_targets(fragment, app.env.docname)
            # A copied node still points at the whole source document, which
            # would be pickled with the environment once per excerpt.
            for node in fragment.findall():
                node._document = None
        # ABlog keeps a full copy of every post's doctree in the environment, which
        # is pickled and loaded on every build (a second copy of the whole blog).
        # Feeds read the post's own stored doctree instead.
        info["doctree"] = None


def _excerpt_digests(app: Sphinx, doctree: nodes.document) -> None:
    # Once the excerpts are final: what listings show of a post is compared on
    # every build, and the excerpt only changes when its document is read.
    for info in post_records(app.env, app.env.docname):
        info[EXCERPT_DIGEST] = excerpt_signature(info["excerpt"])
        info[EXCERPT_XREFS] = excerpt_xrefs(info["excerpt"])


def ablog_generators(app: Sphinx) -> Iterator:
    """ABlog's archive-page and feed generators, as connected listeners."""
    mine = (ablog.post.generate_archive_pages, ablog.post.generate_atom_feeds)
    for listener in list(app.events.listeners.get("html-collect-pages", [])):
        if listener.handler in mine:
            yield listener


def _config_inited(app: Sphinx, config: Config) -> None:
    # ABlog's ``page.html`` extends the ``layout.html`` Furo refuses to render
    # (every post would become Furo's error page, and -W would pass); the
    # wiring in ``essayist/__init__.py`` puts ABlog's templates after ours.
    config.skip_injecting_base_ablog_templates = True
    # ABlog (0.11) finds posts by globbing ``blog_post_pattern`` joined to the
    # source folder unescaped: in a checkout whose path has ``[...]`` in it the
    # brackets were a pattern, no post matched, and every post was read as a
    # page. The folder is literal; only the pattern is a pattern.
    srcdir = Path(app.srcdir)
    config.matched_blog_posts = [
        PurePath(found).relative_to(srcdir).with_suffix("").as_posix()
        for pattern in config.blog_post_pattern
        for found in glob.glob(os.path.join(glob.escape(str(srcdir)), pattern), recursive=True)
    ]


def setup_adapter(app: Sphinx) -> None:
    app.setup_extension("ablog")
    app.connect("config-inited", reset_blog)
    app.connect("config-inited", _config_inited)
    app.connect("env-merge-info", _merge_info)
    # With the merge above ABlog reads in parallel (cf. sunpy/ablog PR #330).
    app.extensions["ablog"].parallel_read_safe = True
    # ABlog yields every archive page and writes relative-link feeds on every
    # build: essayist's archives and feeds replace both.
    for listener in ablog_generators(app):
        app.disconnect(listener.id)
    app.connect("doctree-read", _skip_whole_copy, priority=Order.SKIP_WHOLE_COPY)
    app.connect("doctree-read", _post_fragments, priority=Order.POST_FRAGMENTS)
    app.connect("doctree-read", _excerpt_digests, priority=Order.EXCERPT_DIGEST)
    app.connect("doctree-read", _front_matter_update, priority=Order.FRONT_MATTER_UPDATE)
