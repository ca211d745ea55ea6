"""Atom feeds (RFC 4287): one writer for the site's, each tag's, each category's
and each concept's feed.

Replaces ABlog's feeds, which carry relative links inside entry content (broken
in every feed reader), no author when none is configured, and the build time as
``updated`` (so two builds of the same sources differ). Here:

* every link inside entry content is absolute;
* ``updated`` is the newest entry's date, never the clock;
* entry ids are ``tag:`` URIs (RFC 4151) from a fixed authority, the post's first
  publication date and its original slug: they survive a change of host, of
  ``blog_baseurl`` and of the post's URL (its old URL listed in ``redirect``);
* a file is written only when its bytes change, and a feed whose tag, category
  or concept is gone is removed.

Features other than the blog add feeds by answering the ``essayist-feeds``
event with ``FeedSpec``s (the concepts do).
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urljoin
from zoneinfo import ZoneInfo

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from ..blog.adapter import FEED_FILE, builds_blog, get_blog, unordered_posts
from ..blog.excerpts import plain_text
from ..blog.validate import written_post_day
from ..config import Event, Order, site_url
from ..incremental.outputs import output_state
from ..incremental.state import build_cache, digest, doc_data, remove_stale_outputs
from .entries import cached_content, capture_entry, prune_entry_cache
from .files import write_if_changed

EVENT = Event.FEEDS.value
# The feeds the last build wrote, to remove those whose subject is gone.
STATE = "feeds"

ATOM_NS = "http://www.w3.org/2005/Atom"
# Each post's license, as the feature that reads it (``scholarship.license``)
# states it: docname -> "Licensed under CC BY 4.0: https://..."; none: no <rights>.
RIGHTS = "publishing:rights"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    url: str
    published: dt.datetime
    updated: dt.datetime
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    summary: str
    content_html: str
    rights: str = ""


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    subtitle: str
    url: str  # the HTML page the feed mirrors
    self_url: str
    authors: tuple[str, ...]
    language: str
    entries: tuple[Entry, ...]
    # When the feed has no entries, ``updated`` falls back to this.
    epoch: dt.datetime


def entry_id(authority: str, published: dt.date, slug: str) -> str:
    """A permanent entry id (RFC 4151 ``tag:`` URI)."""
    return f"tag:{authority}:posts/{published.isoformat()}/{quote(slug)}"


def _iso(value: dt.datetime) -> str:
    """RFC 3339: a four-digit year, and an offset in whole minutes (a zone's
    local mean time, before about 1900, is off by seconds: rounded)."""
    offset = value.utcoffset()
    if offset is not None and offset % dt.timedelta(minutes=1):
        minutes = round(offset / dt.timedelta(minutes=1))
        value = value.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    return value.isoformat(timespec="seconds")


# What XML 1.0 forbids: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone
# surrogates (spelled as these ranges: the complement of the allowed ones takes
# ten times longer to compile, at every start-up).
_NOT_XML = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (a post may hold any)."""
    return _NOT_XML.sub("", value)


def _element(
    parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str
) -> ET.Element:
    """An Atom element; every string that goes into a feed goes through here."""
    attrib = {key: xml_text(value) for key, value in attrs.items()}
    name = f"{{{ATOM_NS}}}{tag}"
    el = ET.Element(name, attrib) if parent is None else ET.SubElement(parent, name, attrib)
    if text is not None:
        el.text = xml_text(text)
    return el


def _serialise(root: ET.Element) -> str:
    ET.register_namespace("", ATOM_NS)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode")


def _entry_xml(e: Entry) -> str:
    """An entry as it is written in a feed: its lines indented, the line break
    before it, nothing after it."""
    wrapper = _element(None, "feed")
    entry = _element(wrapper, "entry")
    _element(entry, "id", e.id)
    _element(entry, "title", e.title)
    _element(entry, "link", rel="alternate", type="text/html", href=e.url)
    _element(entry, "published", _iso(e.published))
    _element(entry, "updated", _iso(e.updated))
    for name in e.authors:
        _element(_element(entry, "author"), "name", name)
    for term in e.categories:
        _element(entry, "category", term=term)
    if e.summary:
        _element(entry, "summary", e.summary, type="text")
    _element(entry, "content", e.content_html, type="html")
    if e.rights:
        _element(entry, "rights", e.rights, type="text")
    # Alone in a feed element: '<feed xmlns="...">' + this + '\n</feed>'.
    text = _serialise(wrapper)
    return text[text.index(">") + 1 : -len("\n</feed>")]


def feed_xml(feed: Feed, entries: dict[Entry, str] | None = None) -> bytes:
    """Serialise ``feed`` as Atom 1.0; identical input gives identical bytes.

    Each entry is serialised once and kept in ``entries`` (one build's feeds
    share them): a post with many tags is in many feeds, and the work is then
    the size of the feeds, not that times the size of an entry."""
    entries = {} if entries is None else entries
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = _element(None, "feed", **{xml_lang: feed.language})
    _element(root, "id", feed.id)
    _element(root, "title", feed.title)
    if feed.subtitle:
        _element(root, "subtitle", feed.subtitle)
    _element(root, "link", rel="alternate", type="text/html", href=feed.url)
    _element(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    updated = max((e.updated for e in feed.entries), default=feed.epoch)
    _element(root, "updated", _iso(updated))
    for name in feed.authors:
        _element(_element(root, "author"), "name", name)
    _element(root, "generator", "essayist")
    head = _serialise(root).removesuffix("\n</feed>")
    parts = [head]
    for e in feed.entries:
        if e not in entries:
            entries[e] = _entry_xml(e)
        parts.append(entries[e])
    parts.append("\n</feed>\n")
    return b"<?xml version='1.0' encoding='utf-8'?>\n" + "".join(parts).encode("utf-8")


# -- From posts to feeds ---------------------------------------------


def _aware(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    try:
        return value.astimezone(tz)
    except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it
        return value


def _original_slug(post) -> str:
    # A moved post lists its old URLs in ``redirect``; the first one is where it
    # was first published, and its id must not change.
    for old in post.redirect or []:
        if old:
            return PurePosixPath(old.strip("/")).stem
    return PurePosixPath(post.docname).name


def newest(posts: Iterable, length: int | None) -> list:
    """The posts a feed of ``length`` entries shows, newest first."""
    if length is None:
        return sorted(posts, key=_feed_order, reverse=True)
    return heapq.nlargest(length, posts, key=_feed_order)  # the same, in O(n log length)


def _feed_order(post) -> tuple:
    return post.date, post.title


def entry_rights(statement: str, year: int, holders: Iterable[str]) -> str:
    """An entry's ``<rights>``: "© 2026 Perucy Mussiba. Licensed under ..."."""
    if not statement:
        return ""
    owner = " & ".join(holders)
    return f"© {year} {owner}. {statement}" if owner else statement


def build_entry(app: Sphinx, post, base_url: str, cache: dict) -> Entry:
    if post.docname in cache:
        return cache[post.docname]
    tz = ZoneInfo(app.config.essayist_timezone)
    url = urljoin(base_url, app.builder.get_target_uri(post.docname))
    published = _aware(post.date, tz)
    updated = _aware(post.update or post.date, tz)
    summary = plain_text(post.excerpt, app.env)
    entry = Entry(
        id=entry_id(
            app.config.essayist_feed_id_authority,
            # The day as written: the day in the site's time zone of a time with
            # an offset would change with the zone.
            written_post_day(app.env, post.docname) or published.date(),
            _original_slug(post),
        ),
        title=post.title,
        url=url,
        published=published,
        updated=max(published, updated),
        authors=tuple(a.name for a in post.author),
        categories=tuple(sorted(str(t) for t in post.tags)),
        summary=summary,
        content_html=cached_content(app, post),
        rights=entry_rights(
            doc_data(app.env, RIGHTS).get(post.docname, ""),
            published.year,
            tuple(a.name for a in post.author) or (get_blog(app).blog_title,),
        ),
    )
    cache[post.docname] = entry
    return entry


@dataclass(frozen=True)
class FeedSpec:
    """One feed: where it goes, what it is called, and the posts it shows."""

    folder: str  # the feed is ``<folder>/atom.xml``
    id_path: str  # its id is ``tag:<authority>:feeds/<id_path>``
    title: str
    subtitle: str
    page: str  # the docname of the HTML page the feed mirrors
    posts: tuple  # the posts shown, in order, already cut to the feed's length

    @property
    def path(self) -> str:
        return f"{self.folder}/{FEED_FILE}"


def blog_feeds(app: Sphinx) -> Iterator[FeedSpec]:
    """The site's feed, and one per tag and category that has posts."""
    blog = get_blog(app)
    length = app.config.blog_feed_length or None
    subtitle = app.config.blog_feed_subtitle or ""
    yield FeedSpec(
        blog.posts.docname,
        blog.posts.docname,
        blog.blog_title,
        subtitle,
        blog.posts.docname,
        tuple(newest(unordered_posts(blog.posts), length)),
    )
    for header, catalog in (("Posts tagged", blog.tags), ("Posts in", blog.category)):
        for coll in catalog:
            if len(coll):
                title = f"{blog.blog_title} – {header} {coll}"
                posts = tuple(newest(unordered_posts(coll), length))
                yield FeedSpec(coll.path, coll.path, title, subtitle, coll.docname, posts)


def feed_specs(app: Sphinx) -> list[FeedSpec]:
    """Every feed of the site: the blog's, then those other features add."""
    cache = build_cache(app)
    if "feed_specs" not in cache:
        specs = list(blog_feeds(app))
        for answer in app.emit(EVENT):
            specs.extend(answer or ())
        cache["feed_specs"] = specs
    return cache["feed_specs"]


def feed_docnames(app: Sphinx) -> frozenset[str]:
    """The posts that some feed shows."""
    return frozenset(p.docname for spec in feed_specs(app) for p in spec.posts)


def feed_epoch() -> dt.datetime:
    """``updated`` of a feed with no entries: SOURCE_DATE_EPOCH, or 1970."""
    stamp = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(stamp) if stamp else 0, dt.UTC)


def write_feeds(app: Sphinx) -> list[str]:
    """Write every feed; return the paths (relative to outdir) that changed."""
    blog = get_blog(app)
    config = app.config
    base_url = site_url(config)
    authority = config.essayist_feed_id_authority
    authors = tuple(a.name for a in blog.author if len(a)) or (blog.blog_title,)
    cache: dict = {}
    serialised: dict[Entry, str] = {}
    changed: list[str] = []
    outdir = Path(app.builder.outdir)
    state = output_state(app)
    if state.all_current():
        return changed
    common = (base_url, authority, authors, config.language, config.essayist_timezone)
    # What every entry's <rights> says unless its post says otherwise.
    common += (config.essayist_license, config.essayist_license_url)
    specs = feed_specs(app)
    for spec in specs:
        head = (spec.id_path, spec.title, spec.subtitle, spec.page, feed_epoch())
        signature = digest((head, common, state.posts(spec.posts, full=True)))
        if state.is_current(f"feed:{spec.path}", signature, outdir / spec.path):
            continue
        feed = Feed(
            id=f"tag:{authority}:feeds/{quote(spec.id_path)}",
            title=spec.title,
            subtitle=spec.subtitle,
            url=urljoin(base_url, app.builder.get_target_uri(spec.page)),
            self_url=urljoin(base_url, quote(spec.path)),
            authors=authors,
            language=config.language or "en",
            entries=tuple(build_entry(app, p, base_url, cache) for p in spec.posts),
            epoch=feed_epoch(),
        )
        if write_if_changed(outdir / spec.path, feed_xml(feed, serialised)):
            changed.append(spec.path)
    # The feeds of tags, categories, concepts and series gone since the last build.
    remove_stale_outputs(app, STATE, [spec.path for spec in specs])
    return changed


def _feeds_wanted(app: Sphinx) -> bool:
    return builds_blog(app) and bool(site_url(app.config))


def _write_started(app: Sphinx, builder) -> None:
    if _feeds_wanted(app):
        build_cache(app)["in_feeds"] = feed_docnames(app)


def _capture_entry(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    capture_entry(app, pagename, context, doctree)


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    # After the pages (no page shows a feed: the open tab of ``make serve``
    # reloads before this), by the HTML builders, before the output state is saved.
    if (
        exception is not None
        or not _feeds_wanted(app)
        or not isinstance(app.builder, StandaloneHTMLBuilder)
    ):
        return
    write_feeds(app)
    # Entries are only added when some post changed: prune then.
    state = output_state(app)
    if state.entries_rendered or not state.all_current():
        prune_entry_cache(app)


def setup_feeds(app: Sphinx) -> None:
    app.connect("write-started", _write_started)
    app.connect("html-page-context", _capture_entry, priority=Order.FEED_ENTRY)
    app.connect("build-finished", _build_finished, priority=Order.OUTPUTS_USED)
