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

from .frontmatter import FrontMatterError, is_published, split_front_matter, today_in

logger = logging.getLogger(__name__)


def find_unpublished(
    srcdir: Path, patterns: list[str], today: dt.date, empty: list[str] | None = None
) -> list[str]:
    """Source paths (relative, POSIX) of posts that are drafts or not yet due.

    Empty files are among them, and also appended to ``empty``.
    """
    empty = [] if empty is None else empty
    hidden = []
    for pattern in patterns:
        for path in sorted(srcdir.glob(pattern)):
            if path.suffix not in (".md", ".rst") or not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
                front = split_front_matter(text)
            except (FrontMatterError, UnicodeDecodeError):
                continue  # the build reads it and reports it, with its line
            if not text.strip():
                # Left out like a draft, and reported: an empty post is a mistake.
                empty.append(path.relative_to(srcdir).as_posix())
            if not is_published(front.data, today):
                hidden.append(path.relative_to(srcdir).as_posix())
    return hidden


def site_today(config: Config) -> dt.date:
    today = config.essayist_today or today_in(config.essayist_timezone)
    return dt.date.fromisoformat(today) if isinstance(today, str) else today


def _config_inited(app: Sphinx, config: Config) -> None:
    if config.essayist_preview:
        return
    today = site_today(config)
    hidden = find_unpublished(Path(app.srcdir), list(config.blog_post_pattern), today)
    config.exclude_patterns = [*config.exclude_patterns, *hidden]
    if hidden:
        logger.info("essayist: %d draft or scheduled post(s) left out", len(hidden))


def _report_empty_posts(app: Sphinx) -> None:
    # Empty files are left out like drafts, so they are never read: report them
    # here, every build, until they are filled in or deleted.
    empty: list[str] = []
    find_unpublished(Path(app.srcdir), list(app.config.blog_post_pattern), dt.date.max, empty)
    for path in empty:
        logger.warning(
            "the post is empty: give it front matter and a '# Title' line, or delete the file",
            type="essayist",
            subtype="empty",
            # The file is not a document Sphinx knows: name it by its path.
            location=f"{Path(app.srcdir) / path}:1",
        )


def _mark_unpublished(app: Sphinx, doctree) -> None:
    """In preview, make ABlog treat drafts and scheduled posts as drafts.

    ABlog only knows undated posts (and dates after its own, local-clock
    "tomorrow") as drafts; ``draft: true`` and the site's time zone are ours.
    """
    env = app.env
    infos = getattr(env, "ablog_posts", {}).get(env.docname, [])
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
    app.add_config_value("essayist_preview", False, "env", bool)
    app.add_config_value("essayist_timezone", "UTC", "env", str)
    # For tests and reproducible builds: the date that counts as "today".
    app.add_config_value("essayist_today", None, "env", (str, dt.date, type(None)))
    # Before ABlog's own config-inited handler (priority 500) globs the posts.
    app.connect("config-inited", _config_inited, priority=400)
    app.connect("builder-inited", _report_empty_posts)
    # After ABlog's ``process_posts`` (priority 500) has recorded the post.
    app.connect("doctree-read", _mark_unpublished, priority=550)
