"""A post's text in a feed: taken from its written page, kept across builds.

While a post's page is written, its body (without the title and the page's
furniture) becomes its feed text, every link made absolute: feeds need not
render the post a second time. Entries are kept under the doctree folder
(``essayist-entries/``) by a digest of everything they depend on, so an
unchanged post is never rendered for its feeds again.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from urllib.parse import urljoin

import lxml.etree
import lxml.html
from sphinx.application import Sphinx
from sphinx.util import logging

from ..blog.adapter import builds_blog, get_blog, get_post, write_fragment
from ..config import NO_SEARCH, site_url
from ..incremental.outputs import output_state
from ..incremental.state import build_cache, digest
from ..theme.links import REL

# Bump when the entry text is made differently: entries kept by earlier builds
# are then made again.
ENTRY_VERSION = 2
ESSAY_REF = "essay-ref"
# The page's permalinks and its furniture (kicker, byline, concepts, related
# essays, foot: everything the search index skips too).
_NOT_IN_ENTRY = {NO_SEARCH, "headerlink"}
_EXTERNAL = re.compile(r"\breference external\b")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@functools.lru_cache(maxsize=4096)
def _absolute(page_url: str, value: str) -> str:
    if value.startswith("#"):
        return page_url + value
    if _SCHEME.match(value):
        return value
    return urljoin(page_url, value)


def entry_cache_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "essayist-entries"


def entry_key(app: Sphinx, post, base_url: str) -> str:
    """Everything an entry's content depends on: rendered once, kept across builds."""
    return digest((output_state(app).posts([post], full=True), base_url, ENTRY_VERSION))


def _entry_path(app: Sphinx, post) -> Path:
    return entry_cache_dir(app) / f"{entry_key(app, post, site_url(app.config))}.html"


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
    url = urljoin(site_url(app.config), app.builder.get_target_uri(docname))
    return f'<div class="post-content">\n{entry_from_body(body, url)}</div>\n'


def _store_entry(app: Sphinx, post, body: str, path: Path | None = None) -> Path:
    path = _entry_path(app, post) if path is None else path
    html = entry_html(app, post.docname, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path


def capture_entry(app: Sphinx, pagename: str, context: dict, doctree) -> None:
    """While a post's page is written, keep its feed text, taken from the HTML
    the page shows. Only for posts some feed shows (``in_feeds`` of this
    build): with 20 entries a feed, most of a large blog's posts are in none."""
    if doctree is None or "body" not in context or not builds_blog(app):
        return
    post = get_post(app, pagename)
    if post is None or not post.published or not site_url(app.config):
        return
    in_feeds = build_cache(app).get("in_feeds")
    if in_feeds is not None and pagename not in in_feeds:
        return
    path = _entry_path(app, post)
    if not path.exists():
        _store_entry(app, post, context["body"], path)


def cached_content(app: Sphinx, post) -> str:
    path = _entry_path(app, post)
    if not path.exists():
        # Not written this build (unchanged, and new to this feed): render it
        # as its page would be.
        output_state(app).entries_rendered += 1
        with logging.suppress_logging():
            doctree = app.env.get_and_resolve_doctree(post.docname, app.builder)
        path = _store_entry(app, post, write_fragment(app.builder, post.docname, doctree), path)
    return path.read_text(encoding="utf-8")


def prune_entry_cache(app: Sphinx) -> None:
    """Forget the rendered entries of posts that have changed or gone."""
    folder = entry_cache_dir(app)
    if not folder.is_dir():
        return
    base_url = site_url(app.config)
    keep = {f"{entry_key(app, post, base_url)}.html" for post in get_blog(app).posts}
    for path in folder.iterdir():
        if path.name not in keep:
            path.unlink()
