"""Each series' page (``posts/series/<slug>.html``), the index of series
(``posts/series.html``) and each series' feed (``posts/series/<slug>/atom.xml``).

The pages are generated as ABlog's archive pages are: yielded from
``html-collect-pages`` with a Furo-compatible template
(``theme/templates/essayist/series*.html``), each post shown by the blog's own
listing entries (``blog.listings``); a page is yielded only when what it shows
changed (``incremental.outputs``), and one whose series is gone is removed.
The feeds are written by the site's one feed writer, which asks for them with
the ``essayist-feeds`` event.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..blog.adapter import FEED_FILE, builds_blog, get_blog
from ..blog.listings import post_card_html, post_line_html, render_excerpts
from ..config import Event, Warn, site_url, warn
from ..incremental.outputs import output_state
from ..incremental.state import digest, remove_stale_outputs
from ..publishing.feeds import EVENT as FEEDS
from ..publishing.feeds import FeedSpec, newest
from .series_model import Series, all_series, series_index

logger = logging.getLogger(__name__)

SERIES_TEMPLATE = "essayist/series.html"
INDEX_TEMPLATE = "essayist/series-index.html"
INDEX_TITLE = "Series"
# The pages the last build generated, to remove those whose series is gone.
STATE = "series-pages"


def parts_label(count: int) -> str:
    return f"{count} part" if count == 1 else f"{count} parts"


def feed_folder(blog_path: str, series: Series) -> str:
    return series.page(blog_path)


def _feeds_written(app: Sphinx) -> bool:
    # As publishing.feeds decides: only with the site's address.
    return bool(site_url(app.config))


def series_feeds(app: Sphinx) -> list[FeedSpec]:
    """A feed per series: its published parts, newest first."""
    if not builds_blog(app):
        return []
    blog = get_blog(app)
    blog_path = blog.posts.docname
    length = app.config.blog_feed_length or None
    specs = []
    for series in all_series(app).values():
        published = [p for p in series.parts if p.published]
        spec = FeedSpec(
            folder=feed_folder(blog_path, series),
            id_path=f"series/{series.slug}",
            title=f"{blog.blog_title} – {series.name}",
            subtitle=app.config.blog_feed_subtitle or "",
            page=series.page(blog_path),
            posts=tuple(newest(published, length)),
        )
        specs.append(spec)
    return specs


def _series_context(app: Sphinx, pagename: str, series: Series) -> dict:
    here = app.builder.get_target_uri(pagename)
    feed = None
    if _feeds_written(app):
        feed = relative_uri(here, f"{feed_folder(get_blog(app).posts.docname, series)}/{FEED_FILE}")
    return {
        "title": escape(series.name),
        "essayist_series": series,
        "essayist_series_count": parts_label(len(series.parts)),
        "essayist_series_feed": feed,
        "essayist_series_index": series_index(get_blog(app).posts.docname),
        "essayist_post_card": lambda post, n: post_card_html(app, pagename, post, n),
    }


def _index_context(app: Sphinx, pagename: str, every: list[Series]) -> dict:
    blog_path = get_blog(app).posts.docname
    return {
        "title": INDEX_TITLE,
        "essayist_series_all": [
            {"series": s, "page": s.page(blog_path), "count": parts_label(len(s.parts))}
            for s in every
        ],
        "essayist_post_line": lambda post: post_line_html(app, pagename, post),
    }


def _signature(app: Sphinx, pagename: str, template: str, every: list[Series]) -> str:
    state = output_state(app)
    shown = [(s.slug, s.name, state.posts(s.parts)) for s in every]
    return digest((state.site_signature(), pagename, template, _feeds_written(app), shown))


def _collect_pages(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    if not builds_blog(app):
        return
    blog_path = get_blog(app).posts.docname
    every = list(all_series(app).values())
    pages: list[tuple[str, str, list[Series]]] = []
    if every:
        pages.append((series_index(blog_path), INDEX_TEMPLATE, every))
    pages += [(s.page(blog_path), SERIES_TEMPLATE, [s]) for s in every]
    written = []
    state = output_state(app)
    outdir = Path(app.builder.outdir)
    for pagename, template, shown in pages:
        if pagename in app.env.all_docs:
            msg = f"{pagename} is a page of the site: the series page is not written there"
            warn(logger, Warn.SERIES, msg, location=pagename)
            continue
        outfile = Path(app.builder.get_output_path(pagename))  # its file, not its %-escaped address
        written.append(outfile.relative_to(outdir).as_posix())
        signature = _signature(app, pagename, template, shown)
        if state.is_current(f"page:{pagename}", signature, outfile):
            continue
        if template == SERIES_TEMPLATE:
            render_excerpts(app, list(shown[0].parts))
            yield pagename, _series_context(app, pagename, shown[0]), template
        else:
            yield pagename, _index_context(app, pagename, shown), template
    # The pages of series gone since the last build.
    remove_stale_outputs(app, STATE, written)


def sitemap_pages(app: Sphinx) -> list[str]:
    """The index of series and each series' page (none that a document holds)."""
    if not builds_blog(app):
        return []
    blog_path = get_blog(app).posts.docname
    every = list(all_series(app).values())
    names = [series_index(blog_path)] if every else []
    names += [s.page(blog_path) for s in every]
    return [name for name in names if name not in app.env.all_docs]


def setup_series_pages(app: Sphinx) -> None:
    app.connect("html-collect-pages", _collect_pages)
    app.connect(FEEDS, series_feeds)
    app.connect(Event.SITEMAP_PAGES.value, sitemap_pages)
