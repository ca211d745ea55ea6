"""Access to ABlog's post registry, in one place.

ABlog keeps posts in a process-wide singleton (``ablog.blog.Blog``), filled
lazily from ``env.ablog_posts``. Every module of ours goes through here so that
the singleton is filled exactly once per process and never read half-built.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from ablog.blog import Blog, Post
from ablog.post import register_posts
from sphinx.application import Sphinx

from .frontmatter import parse_date

WORDS_PER_MINUTE = 230
FEED_FILE = "atom.xml"


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
    post = blog.posts[docname] or blog.drafts[docname]
    return post


def month_year(date) -> str:
    """The site's date style: "March 2026"."""
    return f"{date:%B} {date.year}"


def reading_minutes(text: str) -> int:
    """Minutes to read ``text`` at an unhurried pace; at least one."""
    words = len(re.findall(r"\w+(?:[’'-]\w+)*", text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _merge_info(app: Sphinx, env, docnames, other) -> None:
    """Take the posts that a parallel reader found (ABlog keeps them on the env)."""
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
    infos = getattr(env, "ablog_posts", {}).get(env.docname, [])
    if not value or not infos:
        return
    try:
        date = parse_date(value)
    except ValueError:
        return  # reported with its line by validate.py
    stamp = dt.datetime(date.year, date.month, date.day)
    for info in infos:
        if info["date"] is not None:
            info["update"] = max(info["update"] or info["date"], stamp)


def setup_blogdata(app: Sphinx) -> None:
    app.connect("config-inited", reset_blog)
    app.connect("env-merge-info", _merge_info)
    # After ABlog's ``process_posts`` (500), before drafts are marked (550).
    app.connect("doctree-read", _front_matter_update, priority=540)
    # ABlog declares itself unsafe for parallel reading because its posts live
    # on the environment and are never merged (sunpy/ablog#264). With the merge
    # above they are, so it can be read in parallel (cf. sunpy/ablog PR #330).
    app.extensions["ablog"].parallel_read_safe = True
