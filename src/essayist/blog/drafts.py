"""Drafts and scheduled posts: built in preview, absent from published builds.

ABlog builds every post and lists undated ones as drafts. A published site must
not carry them at all (no page, listing, feed, sitemap or search entry), so the
decision is taken before Sphinx reads anything: unpublished posts are added to
``exclude_patterns``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ..config import Order, Warn, warn
from ..incremental.state import StateFile
from .adapter import post_records
from .frontmatter import FrontMatterError, is_published, split_front_matter, today_in

logger = logging.getLogger(__name__)
# What decides each post's publication, by file size and mtime: the front
# matter of every post is read before every build, and most have not changed.
STATE = "drafts"


def publication_fields(path: Path) -> dict | None:
    """The front-matter fields that decide publication (``draft``, ``date``), or
    ``None`` when the file cannot be read (the build reports it)."""
    try:
        front = split_front_matter(path.read_text(encoding="utf-8"))
    except (FrontMatterError, UnicodeDecodeError):
        return None
    return {k: str(front.data[k]) for k in ("draft", "date") if front.data.get(k) is not None}


def find_unpublished(
    srcdir: Path, patterns: list[str], today: dt.date, cache: dict | None = None
) -> list[str]:
    """Source paths (relative, POSIX) of posts that are drafts or not yet due.

    Empty files are among them (``_report_empty_posts`` says so). ``cache`` maps
    a path to its size, mtime and publication fields, so an unchanged file is
    not read again; it is updated in place.
    """
    cache = {} if cache is None else cache
    hidden = []
    seen = set()
    for pattern in patterns:
        for path in sorted(srcdir.glob(pattern)):
            if path.suffix not in (".md", ".rst") or not path.is_file():
                continue
            rel = path.relative_to(srcdir).as_posix()
            seen.add(rel)
            stat = path.stat()
            stamp = [stat.st_size, stat.st_mtime_ns]
            if rel not in cache or cache[rel][0] != stamp:
                cache[rel] = [stamp, publication_fields(path)]
            fields = cache[rel][1]
            if fields is not None and not is_published(_typed(fields), today):
                hidden.append(rel)
    for rel in set(cache) - seen:
        del cache[rel]
    return hidden


def _typed(fields: dict) -> dict:
    draft = fields.get("draft")
    return {**fields, "draft": draft in ("True", "true", "yes") if draft else None}


def site_today(config: Config) -> dt.date:
    today = config.essayist_today or today_in(config.essayist_timezone)
    return dt.date.fromisoformat(today) if isinstance(today, str) else today


def _config_inited(app: Sphinx, config: Config) -> None:
    if config.essayist_preview:
        return
    today = site_today(config)
    state = StateFile(app, STATE)
    cache = state.load({})
    hidden = find_unpublished(Path(app.srcdir), list(config.blog_post_pattern), today, cache)
    state.save(cache)
    config.exclude_patterns = [*config.exclude_patterns, *hidden]
    if hidden:
        logger.info("essayist: %d draft or scheduled post(s) left out", len(hidden))


def _report_empty_posts(app: Sphinx) -> None:
    # Empty files are left out like drafts, so they are never read: report them
    # here, every build, until they are filled in or deleted.
    srcdir = Path(app.srcdir)
    empty = [
        path.relative_to(srcdir).as_posix()
        for pattern in app.config.blog_post_pattern
        for path in sorted(srcdir.glob(pattern))
        if path.suffix in (".md", ".rst") and _is_blank(path)
    ]
    for path in empty:
        warn(
            logger,
            Warn.EMPTY,
            "the post is empty: give it front matter and a '# Title' line, or delete the file",
            # The file is not a document Sphinx knows: name it by its path.
            location=f"{Path(app.srcdir) / path}:1",
        )


def _is_blank(path: Path) -> bool:
    # A stat for nearly every post; only a tiny file is read.
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size == 0 or (size < 256 and not path.read_bytes().strip())


def _mark_unpublished(app: Sphinx, doctree) -> None:
    """In preview, make ABlog treat drafts and scheduled posts as drafts.

    ABlog only knows undated posts (and dates after its own, local-clock
    "tomorrow") as drafts; ``draft: true`` and the site's time zone are ours.
    """
    env = app.env
    infos = post_records(env, env.docname)
    if not infos:
        return
    today = site_today(app.config)
    draft = env.metadata.get(env.docname, {}).get("draft")
    for info in infos:
        date = info["date"]
        if is_published({"draft": draft, "date": date}, today):
            continue
        info["scheduled"] = date if date and draft not in (True, "true", "yes", "True") else None
        info["date"] = None


def setup_drafts(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited, priority=Order.DRAFTS_EXCLUDED)
    app.connect("builder-inited", _report_empty_posts)
    app.connect("doctree-read", _mark_unpublished, priority=Order.DRAFTS_MARKED)
