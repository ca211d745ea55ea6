"""Posts that would be lost in silence: written as posts, but not in the site.

ABlog takes a page for a post when it matches ``blog_post_pattern``, has
``blogpost: true`` in its front matter, or holds a ``{post}`` directive. This
site publishes posts from ``posts/<year>/`` only. A page elsewhere in the site
that looks like a post is reported when it is read (``validate``); a file the
site does not read at all (outside ``include_patterns``, such as ABlog's usual
``blog/`` folder) is reported here, by the build and by ``blog check`` alike.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.matching import Matcher

from ..config import Warn, warn
from .frontmatter import (
    BOM,
    MAX_POST_BYTES,
    FrontMatterError,
    find_post_directive,
    split_front_matter,
)

logger = logging.getLogger(__name__)
SKIP_DIRS = {"node_modules", "site-packages", "__pycache__"}


def post_like(text: str) -> int | None:
    """The line that makes ``text`` a post for ABlog, or None."""
    try:
        front = split_front_matter(text)
    except FrontMatterError:
        front = None
    if front is not None:
        for key in ("blogpost", "date"):
            if key in front.data:
                return front.lines.get(key, 1)
    directive = find_post_directive(text)
    return directive[0] if directive else None


def stray_posts(
    root: Path,
    include: Iterable[str],
    exclude: Iterable[str],
    posts: Iterable[str],
    skip: Iterable[Path] = (),
) -> list[tuple[str, int, str]]:
    """(path relative to ``root``, line, message) of every Markdown or reST
    file that looks like a post but that the site does not read: not a post of
    ``posts`` (``blog_post_pattern``: drafts are posts too), not left out on
    purpose (``exclude``), and not in another Sphinx project (a folder with a
    ``conf.py``, such as test sites); and of every post-like file Sphinx never
    reads for its name's ending (``x.MD``, ``x.markdown``)."""
    included = Matcher([str(p) for p in include] or ["**"])
    excluded = Matcher([str(p) for p in exclude])
    is_post = Matcher([str(p) for p in posts])
    skip = {p.resolve() for p in skip}
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith((".", "_"))
            and d not in SKIP_DIRS
            and (here / d).resolve() not in skip
            and not (here / d / "conf.py").exists()
        )
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.suffix in (".md", ".rst"):
                if is_post(rel) or excluded(rel) or included(rel):
                    continue  # a post, left out on purpose, or read (validate reports it)
                message = MESSAGE
            elif path.suffix.lower() in NEAR_MISSES and not excluded(rel):
                message = NEAR_MISS.format(name=f"{path.stem}.md")
            else:
                continue
            line = _post_line(path)
            if line is not None:
                found.append((rel, line, message))
    return found


def _post_line(path: Path) -> int | None:
    try:
        if path.stat().st_size > MAX_POST_BYTES:
            return None
        text = path.read_text(encoding="utf-8").removeprefix(BOM)
    except (OSError, UnicodeDecodeError):
        return None
    return post_like(text)


# Endings of Markdown files that Sphinx does not read (it reads ``.md`` only,
# case and all).
NEAR_MISSES = {".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".rst"}
NEAR_MISS = (
    "this file is written as a blog post, but the site reads only files ending in "
    ".md, so it is not published: rename it to {name}"
)
# ABlog's reST posts: the site reads a post's front matter, title and excerpt
# as MyST's; blog import converts ABlog's Markdown posts and lists reST ones.
RST_POST = (
    "a post is MyST Markdown, and this one is reStructuredText: rewrite it as a .md "
    "file (its title as '# Title', its post directive's date and tags as front matter)"
)


MESSAGE = (
    "this file is written as a blog post but is not part of the site, so it is not "
    "published: move it into posts/YYYY/ (blog import converts a whole ABlog blog)"
)


def _builder_inited(app: Sphinx) -> None:
    root = Path(app.srcdir)
    skip = [Path(app.outdir), Path(app.doctreedir)]
    posts = app.config.blog_post_pattern
    posts = [posts] if isinstance(posts, str) else list(posts)
    for rel, line, message in stray_posts(
        root, app.config.include_patterns, app.config.exclude_patterns, posts, skip
    ):
        warn(logger, Warn.NOT_A_POST, message, location=f"{root / rel}:{line}")


def setup_strays(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
