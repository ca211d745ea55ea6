"""Atom feeds (RFC 4287) for the site, each tag and each category.

Replaces ABlog's feeds, which carry relative links inside entry content (broken
in every feed reader), no author when none is configured, and the build time as
``updated`` (so two builds of the same sources differ). Here:

* every link inside entry content is absolute;
* ``updated`` is the newest entry's date, never the clock;
* entry ids are ``tag:`` URIs (RFC 4151) from a fixed authority, the post's first
  publication date and its original slug: they survive a change of host, of
  ``blog_baseurl`` and of the post's URL (its old URL listed in ``redirect``);
* a file is written only when its bytes change.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urljoin
from zoneinfo import ZoneInfo

import ablog
import lxml.etree
import lxml.html
from ablog.blog import html_builder_write_doc
from sphinx.application import Sphinx
from sphinx.util import logging

from .blogdata import FEED_FILE, get_blog, get_post
from .concepts_domain import DOMAIN as CONCEPT_DOMAIN
from .links import REL
from .outputs import digest, output_state
from .postpage import NO_SEARCH

ATOM_NS = "http://www.w3.org/2005/Atom"


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


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@functools.lru_cache(maxsize=4096)
def _absolute(page_url: str, value: str) -> str:
    if value.startswith("#"):
        return page_url + value
    if _SCHEME.match(value):
        return value
    return urljoin(page_url, value)


def entry_id(authority: str, published: dt.date, slug: str) -> str:
    """A permanent entry id (RFC 4151 ``tag:`` URI)."""
    return f"tag:{authority}:posts/{published.isoformat()}/{quote(slug)}"


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def feed_xml(feed: Feed) -> bytes:
    """Serialise ``feed`` as Atom 1.0; identical input gives identical bytes."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.Element(f"{{{ATOM_NS}}}feed", {xml_lang: feed.language})
    sub(root, "id", feed.id)
    sub(root, "title", feed.title)
    if feed.subtitle:
        sub(root, "subtitle", feed.subtitle)
    sub(root, "link", rel="alternate", type="text/html", href=feed.url)
    sub(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    updated = max((e.updated for e in feed.entries), default=feed.epoch)
    sub(root, "updated", _iso(updated))
    for name in feed.authors:
        sub(sub(root, "author"), "name", name)
    sub(root, "generator", "essayist")
    for e in feed.entries:
        entry = sub(root, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title)
        sub(entry, "link", rel="alternate", type="text/html", href=e.url)
        sub(entry, "published", _iso(e.published))
        sub(entry, "updated", _iso(e.updated))
        for name in e.authors:
            sub(sub(entry, "author"), "name", name)
        for term in e.categories:
            sub(entry, "category", term=term)
        if e.summary:
            sub(entry, "summary", e.summary, type="text")
        sub(entry, "content", e.content_html, type="html")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


# -- From ABlog's posts to feeds ---------------------------------------------


def _aware(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def _original_slug(post) -> str:
    # A moved post lists its old URLs in ``redirect``; the first one is where it
    # was first published, and its id must not change.
    for old in post.redirect or []:
        if old:
            return PurePosixPath(old.strip("/")).stem
    return PurePosixPath(post.docname).name


def entry_cache_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "essayist-entries"


# Bump when the entry text is made differently: entries kept by earlier builds
# are then made again.
ENTRY_VERSION = 2


def entry_key(app: Sphinx, post, base_url: str) -> str:
    """Everything an entry's content depends on: rendered once, kept across builds."""
    return digest((output_state(app).posts([post], full=True), base_url, ENTRY_VERSION))


def _entry_path(app: Sphinx, post) -> Path:
    base_url = app.config.blog_baseurl.rstrip("/") + "/"
    return entry_cache_dir(app) / f"{entry_key(app, post, base_url)}.html"


ESSAY_REF = "essay-ref"
# The page's permalinks and its furniture (kicker, byline, concepts, related
# essays, foot: everything the search index skips too).
_NOT_IN_ENTRY = {NO_SEARCH, "headerlink"}


_EXTERNAL = re.compile(r"\breference external\b")


def entry_from_body(body: str, page_url: str | None = None) -> str:
    """A post's text for a feed, from the HTML body of its page; with
    ``page_url``, every ``href`` and ``src`` made absolute against it and
    external links given ``rel`` (as on the page), in the same pass."""
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    drop = []
    title = None
    for element in root.iter(tag=lxml.etree.Element):
        if title is None and element.tag == "h1":
            title = element
            drop.append(element)
            continue
        classes = element.get("class")
        if classes:
            names = classes.split()
            if _NOT_IN_ENTRY.intersection(names):
                drop.append(element)
                continue
            if ESSAY_REF in names:
                # The page's preview hook depends on which other posts are
                # published; a feed reader runs no script, and the entry must
                # not change with them.
                element.set("class", " ".join(n for n in names if n != ESSAY_REF))
        if page_url is None:
            continue
        for attr in ("href", "src"):
            value = element.get(attr)
            if value is not None:
                element.set(attr, _absolute(page_url, value))
        if (
            element.tag == "a"
            and classes
            and "rel" not in element.attrib
            and _EXTERNAL.search(classes)
        ):
            element.set("rel", REL)
    for element in drop:
        if element.tail is not None and not element.tail.strip():
            element.tail = None  # or the text would depend on what was there
        element.drop_tree()
    parts = [root.text or ""]
    parts += (lxml.html.tostring(child, encoding="unicode") for child in root)
    return "".join(parts).strip() + "\n"


def entry_html(app: Sphinx, docname: str, body: str) -> str:
    """A post's feed text: its page's body without the title and furniture,
    every link absolute, external ones with ``rel="noopener noreferrer"``."""
    url = urljoin(app.config.blog_baseurl.rstrip("/") + "/", app.builder.get_target_uri(docname))
    return f'<div class="post-content">\n{entry_from_body(body, url)}</div>\n'


def _store_entry(app: Sphinx, post, body: str) -> Path:
    path = _entry_path(app, post)
    html = entry_html(app, post.docname, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path


def newest(posts: Iterable, length: int | None) -> list:
    """The posts a feed of ``length`` entries shows, newest first."""
    return sorted(posts, key=lambda p: (p.date, p.title), reverse=True)[:length]


def feed_docnames(app: Sphinx) -> frozenset[str] | None:
    """The posts that some feed shows (the site's, a tag's, a category's, a
    concept's), or None when feeds show every post."""
    length = app.config.blog_feed_length or None
    if length is None:
        return None
    wanted = {p.docname for *_, posts in feed_specs(app) for p in newest(posts, length)}
    concept = app.env.domains.get(CONCEPT_DOMAIN)
    model = concept.data.get("model") if concept is not None else None
    for docnames in (model or {}).get("backlinks", {}).values():
        wanted.update(docnames[:length])
    return frozenset(wanted)


_IN_FEEDS: weakref.WeakKeyDictionary[Sphinx, frozenset[str] | None] = weakref.WeakKeyDictionary()


def _write_started(app: Sphinx, builder) -> None:
    if ablog.builder_support(app) and app.config.blog_baseurl:
        _IN_FEEDS[app] = feed_docnames(app)


def _capture_entry(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """While a post's page is written, keep its feed text, taken from the HTML
    the page shows: the feeds need not render the post a second time. Only
    for posts some feed shows: with 20 entries a feed, most of a large blog's
    posts are in none."""
    if doctree is None or "body" not in context or not ablog.builder_support(app):
        return
    post = get_post(app, pagename)
    if post is None or not post.published or not app.config.blog_baseurl:
        return
    in_feeds = _IN_FEEDS.get(app)
    if in_feeds is not None and pagename not in in_feeds:
        return
    if not _entry_path(app, post).exists():
        _store_entry(app, post, context["body"])


def cached_content(app: Sphinx, post) -> str:
    path = _entry_path(app, post)
    if not path.exists():
        # Not written this build (unchanged, and new to this feed): render it
        # as its page would be.
        output_state(app).entries_rendered += 1
        with logging.suppress_logging():
            doctree = app.env.get_and_resolve_doctree(post.docname, app.builder)
        path = _store_entry(app, post, html_builder_write_doc(app.builder, post.docname, doctree))
    return path.read_text(encoding="utf-8")


def prune_entry_cache(app: Sphinx) -> None:
    """Forget the rendered entries of posts that have changed or gone."""
    folder = entry_cache_dir(app)
    if not folder.is_dir():
        return
    base_url = app.config.blog_baseurl.rstrip("/") + "/"
    keep = {f"{entry_key(app, post, base_url)}.html" for post in get_blog(app).posts}
    for path in folder.iterdir():
        if path.name not in keep:
            path.unlink()


def build_entry(app: Sphinx, post, base_url: str, cache: dict) -> Entry:
    if post.docname in cache:
        return cache[post.docname]
    tz = ZoneInfo(app.config.essayist_timezone)
    url = urljoin(base_url, app.builder.get_target_uri(post.docname))
    published = _aware(post.date, tz)
    updated = _aware(post.update or post.date, tz)
    summary = " ".join(n.astext() for n in post.excerpt)
    entry = Entry(
        id=entry_id(app.config.essayist_feed_id_authority, published.date(), _original_slug(post)),
        title=post.title,
        url=url,
        published=published,
        updated=max(published, updated),
        authors=tuple(a.name for a in post.author),
        categories=tuple(sorted(str(t) for t in post.tags)),
        summary=summary,
        content_html=cached_content(app, post),
    )
    cache[post.docname] = entry
    return entry


def feed_specs(app: Sphinx) -> Iterator[tuple[str, str, str, Iterable]]:
    """(feed folder, title, page docname, posts) for every feed of the site."""
    blog = get_blog(app)
    yield blog.posts.docname, blog.blog_title, blog.posts.docname, blog.posts
    for header, catalog in (("Posts tagged", blog.tags), ("Posts in", blog.category)):
        for coll in catalog:
            if len(coll):
                yield coll.path, f"{blog.blog_title} – {header} {coll}", coll.docname, coll


def feed_epoch() -> dt.datetime:
    """``updated`` of a feed with no entries: SOURCE_DATE_EPOCH, or 1970."""
    stamp = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(stamp) if stamp else 0, dt.UTC)


def write_feeds(app: Sphinx) -> list[str]:
    """Write every feed; return the paths (relative to outdir) that changed."""
    blog = get_blog(app)
    base_url = app.config.blog_baseurl.rstrip("/") + "/"
    length = app.config.blog_feed_length or None
    authority = app.config.essayist_feed_id_authority
    cache: dict = {}
    changed = []
    outdir = Path(app.builder.outdir)
    default_authors = tuple(a.name for a in blog.author if len(a)) or (blog.blog_title,)
    state = output_state(app)
    if state.all_current():
        return changed
    for folder, title, page, posts in feed_specs(app):
        shown = newest(posts, length)
        rel = f"{folder}/{FEED_FILE}"
        head = (title, page, base_url, authority, app.config.blog_feed_subtitle, feed_epoch())
        head += (default_authors, app.config.essayist_timezone, length)
        signature = digest((head, app.config.language, state.posts(shown, full=True)))
        if state.is_current(f"feed:{rel}", signature, outdir / rel):
            continue
        feed = Feed(
            id=f"tag:{authority}:feeds/{quote(folder)}",
            title=title,
            subtitle=app.config.blog_feed_subtitle or "",
            url=urljoin(base_url, app.builder.get_target_uri(page)),
            self_url=urljoin(base_url, quote(rel)),
            authors=default_authors,
            language=app.config.language or "en",
            entries=tuple(build_entry(app, p, base_url, cache) for p in shown),
            epoch=feed_epoch(),
        )
        if write_if_changed(outdir / rel, feed_xml(feed)):
            changed.append(rel)
    return changed


def _collect_pages(app: Sphinx):
    if ablog.builder_support(app) and app.config.blog_baseurl:
        write_feeds(app)
    yield from ()


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    # Entries are only added when some post changed: prune then.
    if exception is not None or not ablog.builder_support(app) or not app.config.blog_baseurl:
        return
    state = output_state(app)
    if state.entries_rendered or not state.all_current():
        prune_entry_cache(app)


def setup_feeds(app: Sphinx) -> None:
    app.add_config_value("essayist_feed_id_authority", "", "env", str)
    app.connect("html-collect-pages", _collect_pages)
    # Before links.py (500) edits the body: the entry gets its own rel values.
    app.connect("write-started", _write_started)
    app.connect("html-page-context", _capture_entry, priority=450)
    # Before outputs.py saves and forgets this build's state (priority 500).
    app.connect("build-finished", _build_finished, priority=400)
