"""essayist's settings, the site's address, its warning types, its event order,
and how a setting or site file it cannot use stops the build (``InputError``).

Every ``essayist_*`` setting is declared here, with its type and what it does;
features read them from ``app.config``. The site's address is ABlog's
``blog_baseurl`` (one setting, ``SITE_BASE_URL`` in ``conf.py``): ``site_url``
is the one way to read it. Every warning essayist gives has a type and a
subtype from ``Warn``, so a user can silence exactly one kind
(``suppress_warnings = ["essayist.empty"]``), as MyST-Parser's ``MystWarnings``.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import traceback
from enum import Enum, IntEnum, StrEnum
from typing import NamedTuple

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging

# Sphinx's search index skips elements with this class. Furniture (bylines, tag
# lists, related essays) names other pages: a search should find an essay by
# its own text. Feed entries leave it out too.
NO_SEARCH = "no-search"


class Setting(NamedTuple):
    name: str
    default: object
    rebuild: str
    types: tuple[type, ...]
    help: str


SETTINGS = (
    Setting(
        "essayist_preview",
        False,
        "env",
        (bool,),
        "Build drafts and scheduled posts, marked (``make serve``); never in a published build.",
    ),
    Setting(
        "essayist_timezone",
        "UTC",
        "env",
        (str,),
        "The author's time zone: decides when a scheduled post is due.",
    ),
    Setting(
        "essayist_today",
        None,
        "env",
        (str, dt.date, type(None)),
        "The date that counts as today (tests, reproducible builds); None: the clock.",
    ),
    Setting(
        "essayist_feed_id_authority",
        "",
        "env",
        (str,),
        "The fixed authority of feed entry ids (RFC 4151 ``tag:`` URIs).",
    ),
    Setting(
        "essayist_csp",
        "script-src 'self'; object-src 'none'; base-uri 'self'",
        "html",
        (str,),
        "The Content-Security-Policy every page carries as a meta tag; empty: none.",
    ),
    Setting(
        "essayist_default_base_url",
        "",
        "env",
        (str,),
        "The site's address when SITE_BASE_URL is unset and the build is not on Read the Docs.",
    ),
    Setting(
        "essayist_noindex",
        None,
        "html",
        (bool, type(None)),
        "Tell search engines not to index the site (every page's robots meta tag, "
        "robots.txt). None: only for a pull request's preview on Read the Docs.",
    ),
    Setting(
        "essayist_site_description",
        "",
        "html",
        (str,),
        "What search engines and link previews say of pages with nothing better.",
    ),
    Setting(
        "essayist_site_name",
        "",
        "html",
        (str,),
        "``og:site_name`` and the social cards' kicker; the project's name when empty.",
    ),
    Setting(
        "essayist_license",
        "",
        "env",
        (str,),
        "The license of every post (``CC BY 4.0``), unless its front matter says "
        "``license:``; shown on the post and in feeds. Empty: none stated.",
    ),
    Setting(
        "essayist_license_url",
        "",
        "env",
        (str,),
        "Where ``essayist_license`` is written out (its deed or text).",
    ),
)


def add_settings(app: Sphinx) -> None:
    for s in SETTINGS:
        app.add_config_value(s.name, s.default, s.rebuild, s.types, description=s.help)


class Event(StrEnum):
    """essayist's own events: one feature asks, others answer."""

    # (app, env) -> {view name: {docname: signature} or None}: what each page
    # shows of other documents (``incremental.pages``).
    PAGE_VIEWS = "essayist-page-views"
    # (app) -> [publishing.feeds.FeedSpec]: feeds besides the blog's own.
    FEEDS = "essayist-feeds"
    # (app) -> [pagename]: pages a feature generates that belong in the sitemap.
    SITEMAP_PAGES = "essayist-sitemap-pages"


def add_events(app: Sphinx) -> None:
    for event in Event:
        app.add_event(event.value)


def site_url(config: Config) -> str:
    """The site's public address with one trailing slash, or "" when unset."""
    base = config.blog_baseurl or ""
    return base.rstrip("/") + "/" if base else ""


class WarnType(StrEnum):
    ESSAYIST = "essayist"
    CONCEPT = "concept"


class Warn(Enum):
    """Every warning essayist gives: ``(type, subtype)``."""

    # Posts and their front matter
    EMPTY = (WarnType.ESSAYIST, "empty")
    YAML = (WarnType.ESSAYIST, "yaml")
    DATE = (WarnType.ESSAYIST, "date")
    DRAFT = (WarnType.ESSAYIST, "draft")
    AUTHOR = (WarnType.ESSAYIST, "author")
    TAGS = (WarnType.ESSAYIST, "tags")
    CATEGORY = (WarnType.ESSAYIST, "category")
    COLLISION = (WarnType.ESSAYIST, "collision")
    TITLE = (WarnType.ESSAYIST, "title")
    NOT_A_POST = (WarnType.ESSAYIST, "not_a_post")
    DUPLICATE_SLUG = (WarnType.ESSAYIST, "duplicate_slug")
    REDIRECT = (WarnType.ESSAYIST, "redirect")
    URL = (WarnType.ESSAYIST, "url")
    EXCERPT = (WarnType.ESSAYIST, "excerpt")
    LIMIT = (WarnType.ESSAYIST, "limit")
    ENCODING = (WarnType.ESSAYIST, "encoding")
    CHARACTER = (WarnType.ESSAYIST, "character")  # a control character in the text
    ADDRESS = (WarnType.ESSAYIST, "address")
    # Sources and publishing
    OUTSIDE = (WarnType.ESSAYIST, "outside")
    INTERRUPTED = (WarnType.ESSAYIST, "interrupted")
    SITEMAP = (WarnType.ESSAYIST, "sitemap")
    LANGUAGE = (WarnType.ESSAYIST, "language")  # a host's language over conf.py's
    # Content
    MATH = (WarnType.ESSAYIST, "math")  # a formula that cannot be shown as MathML
    RAW_FILE = (WarnType.ESSAYIST, "raw_file")  # a file raw HTML shows, not published
    ALT = (WarnType.ESSAYIST, "alt")  # an image with no alt text
    MARKUP = (WarnType.ESSAYIST, "markup")  # an unclosed fence, a table row that loses cells
    # Scholarship
    SERIES = (WarnType.ESSAYIST, "series")  # a series' name, numbering or parts
    LICENSE = (WarnType.ESSAYIST, "license")  # a post's ``license:`` that cannot be used
    CITATION = (WarnType.ESSAYIST, "citation")  # a key spelled unlike its BibTeX file
    # Concepts
    CONCEPT_UNKNOWN = (WarnType.CONCEPT, "unknown")
    CONCEPT_DUPLICATE = (WarnType.CONCEPT, "duplicate")
    CONCEPT_DEFINITION = (WarnType.CONCEPT, "definition")  # a {concept} directive's fields

    @property
    def type(self) -> str:
        return self.value[0].value

    @property
    def subtype(self) -> str:
        return self.value[1]

    @classmethod
    def named(cls, subtype: str, type: str = WarnType.ESSAYIST.value) -> Warn:
        for member in cls:
            if member.subtype == subtype and member.type == type:
                return member
        raise KeyError(f"no essayist warning {type}.{subtype}")


def warn(logger: logging.SphinxLoggerAdapter, kind: Warn, message: str, *args, **kwargs) -> None:
    """``logger.warning`` with ``kind``'s type and subtype; pass ``location``."""
    logger.warning(message, *args, type=kind.type, subtype=kind.subtype, **kwargs)


# An author's mistake in a setting or a site file, said as what to fix.
#
# essayist stops the build with ``InputError`` (a Sphinx ``ConfigError``) when a
# setting or a file every page depends on cannot be used: ``references.bib``
# that BibTeX cannot read, a time zone that does not exist, ``blog_authors`` in
# the wrong shape, a license address without a license. The message names the
# file and line, or the setting, and says what to do.
#
# Sphinx 8.2 and later print every error that stops a build as a crash report
# (sphinx-doc/sphinx#13163, "Always print tracebacks"; Sphinx 9.0.4 here): the
# versions, the extensions, a traceback, a log file in ``/tmp``, and a request
# to report the error to Sphinx's developers, with the author's message at the
# end of the traceback. ``install_report`` makes ``sphinx-build`` (``make html``,
# Read the Docs, GitHub Pages) print an ``InputError`` as Sphinx 8.1 printed
# every ``ConfigError``: the category, then the message; the traceback only
# with ``-T`` or ``-v``, which ask for it. Every other error keeps Sphinx's own
# report. ``tests/test_errors.py`` fails on the day Sphinx stops printing a
# ``ConfigError`` as a crash report, and this can go.


class InputError(ConfigError):
    """A setting or site file the build cannot use; the message says what to do."""


def report(exception: InputError, stderr=None, *, print_traceback: bool = False) -> None:
    """Print ``exception`` as an author reads it: what is wrong, then what to do."""
    from sphinx.util.console import terminal_safe

    try:
        from sphinx._cli.util.colour import red
    except ImportError:  # Sphinx before 8.1: no colour

        def red(text: str) -> str:
            return text

    stderr = sys.stderr if stderr is None else stderr
    print(file=stderr)
    print(red(f"{exception.category}:"), file=stderr)
    print(terminal_safe(str(exception)), file=stderr)
    if print_traceback:
        print(file=stderr)
        traceback.print_exception(exception, file=stderr)


def with_report(original):
    """Sphinx's ``handle_exception``, printing an ``InputError`` as ``report``
    does (unless the debugger is asked for) and passing on every other error."""

    @functools.wraps(original)
    def handle_exception(exception: BaseException, /, **kwargs) -> None:
        if not isinstance(exception, InputError) or kwargs.get("use_pdb"):
            return original(exception, **kwargs)
        report(
            exception,
            kwargs.get("stderr"),
            print_traceback=bool(kwargs.get("print_traceback")),
        )
        return None

    handle_exception.essayist_report = True  # type: ignore[attr-defined]
    return handle_exception


def install_report() -> None:
    """Let ``sphinx-build`` print an ``InputError`` without a crash report."""
    try:
        from sphinx._cli.util import errors
    except ImportError:  # a Sphinx before 8.1 prints ConfigError plainly
        return
    if not getattr(errors.handle_exception, "essayist_report", False):
        errors.handle_exception = with_report(errors.handle_exception)


def config_error(message: str) -> InputError:
    """An error in ``conf.py``, the environment or a site file, saying what to
    do (``sphinx-build`` prints it without a crash report: ``InputError``)."""
    return InputError(f"essayist: {message}")


def find_nodes(root: nodes.Node, classes: type | tuple[type, ...]) -> list:
    """The nodes of ``root`` (itself included) that are instances of ``classes``,
    in document order: ``list(root.findall(cls))``, but one pass finds several
    classes (docutils takes a tuple only through a slow callable condition)."""
    found = []
    stack = [root]
    pop, push, keep = stack.pop, stack.extend, found.append
    while stack:
        node = pop()
        if isinstance(node, classes):
            keep(node)
        children = node.children
        if children:
            push(reversed(children))
    return found


class Order(IntEnum):
    """Where essayist's handlers run among Sphinx's, ABlog's and Furo's (default
    500), by event. Every priority essayist uses is here, with its reason."""

    # config-inited
    SITE_ADDRESS = 200  # before anything reads blog_baseurl
    NOTFOUND_PREFIX = 300  # before sphinx-notfound-page (400) reads its prefix
    LINKS_EXCLUDED = 350  # folder links left out before anything walks the posts
    DRAFTS_EXCLUDED = 400  # before ABlog (500) globs the posts
    FOLDERS_FROM_PROJECT = 900  # after ABlog (500) adds its stylesheets' folder
    # builder-inited
    STATIC_PATH_ONCE = 900  # after sphinx-copybutton (500) adds its folder
    COLLECTOR_LOADED = 990  # last: what every handler made is kept for the build
    # doctree-read: ABlog's ``process_posts`` runs at 500
    POST_TERMS = 450  # before ABlog reads tags, categories and the date
    SKIP_WHOLE_COPY = 499  # just around ABlog's handler...
    POST_FRAGMENTS = 501  # ...and just after it
    FRONT_MATTER_UPDATE = 540  # after ABlog recorded the post
    UPDATE_TITLES = 541  # after ABlog titled its {update} notes
    DRAFTS_MARKED = 550  # after the update date, on ABlog's record
    CONFINE = 450  # before Sphinx's collectors copy images and downloads, and
    # ABlog copies excerpts (500)
    EXCERPT_DIGEST = 980  # after every handler that edits a post's excerpt
    # doctree-resolved
    CONCEPT_SECTIONS = 600  # after ABlog's post lists and the post furniture (500)
    EXTERNAL_REL = 900  # after every handler that adds links
    # html-page-context: Furo computes its context at 500
    CONTROL_CHARACTERS = 50  # first: no handler reads a page's text before it is clean
    CSP_META = 100  # first in <head>
    NAV_CACHE = 300  # before Furo reads ``toctree``
    FEED_ENTRY = 450  # before theme.links (500) adds rel: the entry adds its own
    SOCIAL_META = 600  # after Furo and ABlog set the title and metatags
    CONCEPT_FEED_LINK = 600  # after the blog's feed links (500)
    NOTFOUND_PAGE = 700  # after sphinx-notfound-page (400) and every feed link
    ASSETS = 800  # after every handler that adds a page's own CSS or JS
    RELEASE_DOCTREE = 990  # last: nothing reads the doctree after it
    # build-finished
    OUTPUTS_USED = 400  # feeds, cards and concept previews read this build's output state...
    OUTPUTS_SAVED = 500  # ...which is then saved
    FORGET_BUILD = 999  # last: the build's caches are let go
