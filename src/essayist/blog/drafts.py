"""Drafts and scheduled posts: built in preview, absent from published builds.

ABlog builds every post and lists undated ones as drafts. A published site must
not carry them at all (no page, listing, feed, sitemap or search entry), so the
decision is taken before Sphinx reads anything: unpublished posts are added to
``exclude_patterns``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ..config import Order, Warn, config_error, warn
from ..incremental.state import StateFile, build_cache
from .adapter import post_records, set_ablog_today
from .characters import without_control_characters
from .checks import ABLOG_DATE_FORMAT
from .dates import check_timezone, is_published, now_in, parse_ablog_date, today_in
from .frontmatter import (
    FrontMatterError,
    find_post_directive,
    name_problem,
    place_problem,
    size_problem,
    split_front_matter,
)
from .keys import meant_key
from .strays import RST_POST

logger = logging.getLogger(__name__)
# What decides each post's publication, by file size and mtime: the front
# matter of every post is read before every build, and most have not changed.
STATE = "drafts"


def publication_fields(path: Path, date_format: str = ABLOG_DATE_FORMAT) -> dict | None:
    """The front-matter fields that decide publication (``draft``, ``date``);
    ``{"blank": "1"}`` for a file with nothing but white space,
    ``{"undecodable": "<line>"}`` for one that is not UTF-8 text; ``None`` when
    its front matter cannot be read (the build reports it, with its line)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {"undecodable": str(data[: exc.start].count(b"\n") + 1)}
    # As the build reads it: any line ending, and no control characters (a
    # ``draft: true`` beside one must still keep the post out).
    text = without_control_characters(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        return {"blank": "1"}
    try:
        front = split_front_matter(text)
    except FrontMatterError:
        return None
    if any(meant_key(key) in ("date", "draft") for key in front.data):
        return None  # "Date:": read, so the build says so, not hidden as a draft
    fields = {k: str(front.data[k]) for k in ("draft", "date") if front.data.get(k) is not None}
    if "date" not in fields and (directive := find_post_directive(text)):
        # ABlog's {post} directive, dated as ABlog reads dates; one it cannot
        # read is reported by the build, and the post is not hidden.
        moment = parse_ablog_date(directive[1], date_format) if directive[1] else None
        if moment is not None:
            fields["date"] = moment.date().isoformat()
        elif directive[1]:
            return None
    return fields


# A post that is a link to nothing (said alike by ``blog check``).
BROKEN_LINK = (
    "this post is a link to {target}, which does not exist: put the file itself here, "
    "or delete the link"
)
# A post that is a link to another post: it was published twice, at two
# addresses and as two feed entries (said alike by ``blog check``).
SAME_POST = (
    "this post is a link to {target}, another post, so it would be published twice: "
    "delete the link; to keep this address working, add 'redirect: {old}' to that "
    "post's front matter"
)


def linked_post(srcdir: Path, path: Path, patterns: list[str]) -> str | None:
    """``SAME_POST`` said of ``path`` when it is a link to another post of the
    site (one the post patterns find, not itself a link), else None."""
    if not path.is_symlink():
        return None
    top = srcdir.resolve()
    target = path.resolve()
    if not target.is_relative_to(top) or target.suffix != path.suffix:
        return None
    if not any(target == found for p in patterns for found in top.glob(p)):
        return None  # a file the build does not read as a post
    rel = target.relative_to(top).as_posix()
    old = path.relative_to(srcdir).with_suffix("").as_posix()
    return SAME_POST.format(target=rel, old=old)


def scan_posts(
    srcdir: Path,
    patterns: list[str],
    today: dt.date,
    tz: str | None,
    cache: dict | None = None,
    date_format: str = ABLOG_DATE_FORMAT,
) -> tuple[list[str], dict[str, dict]]:
    """Source paths (relative, POSIX) of posts that are drafts or not yet due,
    and the posts that cannot be built (path -> their fields: blank or not
    UTF-8), which are left out too and reported by ``_report_unreadable``.

    ``cache`` maps a path to its size, mtime and publication fields, so an
    unchanged file is not read again; it is updated in place.
    """
    cache = {} if cache is None else cache
    hidden, unreadable = [], {}
    seen = set()
    for pattern in patterns:
        for path in sorted(srcdir.glob(pattern)):
            if path.suffix not in (".md", ".rst"):
                continue
            if not path.is_file():
                if path.is_symlink() and not path.exists():  # Sphinx: "unreadable"
                    rel = path.relative_to(srcdir).as_posix()
                    seen.add(rel)
                    unreadable[rel] = {"link": BROKEN_LINK.format(target=os.readlink(path))}
                continue
            rel = path.relative_to(srcdir).as_posix()
            seen.add(rel)
            if why := linked_post(srcdir, path, patterns):
                unreadable[rel] = {"link": why}
                continue
            if why := name_problem(path.stem) or place_problem(rel):
                unreadable[rel] = {"limit": why}
                continue
            if path.suffix == ".rst":
                # A draft or not, said every build (undated, it was hidden silently).
                unreadable[rel] = {"rst": "1"}
                continue
            stat = path.stat()
            if why := size_problem(stat.st_size):
                unreadable[rel] = {"limit": why}  # never read: it may be anything
                continue
            stamp = [stat.st_size, stat.st_mtime_ns]
            stamp.append(date_format)
            if rel not in cache or cache[rel][0] != stamp:
                cache[rel] = [stamp, publication_fields(path, date_format)]
            fields = cache[rel][1]
            if fields is None:
                continue
            if "blank" in fields or "undecodable" in fields:
                unreadable[rel] = fields
            elif not is_published(_typed(fields), today, tz):
                hidden.append(rel)
    for rel in set(cache) - seen:
        del cache[rel]
    return hidden, unreadable


def _typed(fields: dict) -> dict:
    draft = fields.get("draft")
    return {**fields, "draft": draft in ("True", "true", "yes") if draft else None}


def site_today(config: Config) -> dt.date:
    today = config.essayist_today or today_in(config.essayist_timezone)
    return dt.date.fromisoformat(today) if isinstance(today, str) else today


def site_now(config: Config) -> dt.date:
    """What a post must be due by to be published: now, in the site's time
    zone; with ``essayist_today``, that whole day."""
    if config.essayist_today:
        return site_today(config)
    return now_in(config.essayist_timezone)


def _config_inited(app: Sphinx, config: Config) -> None:
    # A variable's stray space (SITE_TIMEZONE="Africa/Dar_es_Salaam "), as the address's.
    config.essayist_timezone = str(config.essayist_timezone).strip()
    if why := check_timezone(config.essayist_timezone):
        raise config_error(f"essayist_timezone (SITE_TIMEZONE in conf.py): {why}")
    state = StateFile(app, STATE)
    cache = state.load({})
    hidden, unreadable = scan_posts(
        Path(app.srcdir),
        list(config.blog_post_pattern),
        site_now(config),
        config.essayist_timezone,
        cache,
        config.post_date_format,
    )
    state.save(cache)
    build_cache(app)["unreadable_posts"] = unreadable
    # Never built: a blank file has nothing to show, and a file that is not
    # UTF-8 would be published with its letters replaced.
    left_out = sorted(unreadable) if config.essayist_preview else sorted([*hidden, *unreadable])
    config.exclude_patterns = [*config.exclude_patterns, *left_out]
    if hidden and not config.essayist_preview:
        logger.info("essayist: %d draft or scheduled post(s) left out", len(hidden))


def _report_unreadable(app: Sphinx) -> None:
    # Left out before Sphinx reads anything: report them here, every build,
    # until they are fixed or deleted.
    for rel, fields in sorted(build_cache(app).get("unreadable_posts", {}).items()):
        if "limit" in fields:  # its name's length, its folder or its size
            kind, line, msg = Warn.LIMIT, "1", fields["limit"]
        elif "rst" in fields:
            kind, line, msg = Warn.NOT_A_POST, "1", RST_POST
        elif "link" in fields:
            kind, line, msg = Warn.OUTSIDE, "1", fields["link"]
        elif "blank" in fields:
            kind, line = Warn.EMPTY, "1"
            msg = "the post is empty: give it front matter and a '# Title' line, or delete the file"
        else:
            kind, line = Warn.ENCODING, fields["undecodable"]
            msg = (
                "the post is not UTF-8 text, so it is left out: save it as UTF-8 "
                "(in your editor: Save with Encoding)"
            )
        # The file is not a document Sphinx knows: name it by its path.
        warn(logger, kind, msg, location=f"{Path(app.srcdir) / rel}:{line}")


def _mark_unpublished(app: Sphinx, doctree) -> None:
    """In preview, make ABlog treat drafts and scheduled posts as drafts.

    ABlog only knows undated posts (and dates after its own, local-clock
    "tomorrow") as drafts; ``draft: true`` and the site's time zone are ours.
    """
    env = app.env
    infos = post_records(env, env.docname)
    if not infos:
        return
    now = site_now(app.config)
    draft = env.metadata.get(env.docname, {}).get("draft")
    for info in infos:
        date = info["date"]
        if is_published({"draft": draft, "date": date}, now, app.config.essayist_timezone):
            continue
        info["scheduled"] = date if date and draft not in (True, "true", "yes", "True") else None
        info["date"] = None


def _builder_inited(app: Sphinx) -> None:
    # Each build (a preview runs for days): ABlog's "today" is the site's.
    set_ablog_today(site_today(app.config))


def setup_drafts(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited, priority=Order.DRAFTS_EXCLUDED)
    app.connect("builder-inited", _builder_inited)
    app.connect("builder-inited", _report_unreadable)
    app.connect("doctree-read", _mark_unpublished, priority=Order.DRAFTS_MARKED)


# -- For the warm preview (essayist.tools.preview_builder) ---------------------


def unreadable_post(app, path: Path, posts: frozenset[str]) -> bool:
    """Whether ``path``, one of the last build's ``posts`` (source paths,
    relative, POSIX), cannot be built now (blank, not UTF-8, too large)."""
    try:
        rel = path.relative_to(Path(app.srcdir).resolve()).as_posix()
    except ValueError:
        return False
    if rel not in posts or not path.is_file():
        return False
    if name_problem(path.stem) or place_problem(rel) or size_problem(path.stat().st_size):
        return True  # never read: the full build leaves it out the same way
    fields = publication_fields(path, app.config.post_date_format)
    return bool(fields) and ("blank" in fields or "undecodable" in fields)


def left_out_posts(app) -> tuple[list[str], frozenset[str]]:
    """The posts essayist leaves out of this build (drafts and scheduled posts
    outside the preview, blank or undecodable ones always), as it decides at
    start-up (a change to this list needs a new start-up), and every post found
    (source paths, relative, POSIX)."""
    config = app.config
    if "essayist_preview" not in config or "blog_post_pattern" not in config:
        return [], frozenset()
    cache = StateFile(app, STATE).load({})  # a copy: nothing is saved
    hidden, unreadable = scan_posts(
        Path(app.srcdir),
        list(config.blog_post_pattern),
        site_now(config),
        config.essayist_timezone,
        cache,
        config.post_date_format,
    )
    left_out = sorted(unreadable) if config.essayist_preview else sorted([*hidden, *unreadable])
    return left_out, frozenset(cache)
