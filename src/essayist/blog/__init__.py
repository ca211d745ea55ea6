"""The blog: ABlog's posts, made safe and complete. The only package that imports ABlog.

* ``adapter``: the one place that touches ABlog, and its workarounds;
* ``excerpts``: a post's excerpt (its own paragraphs) and its text;
* ``frontmatter``: a post's front matter read without Sphinx;
* ``validate``: an author's mistakes, as warnings with file and line;
* ``drafts``: drafts and scheduled posts, built in preview only;
* ``strays``: files written as posts that the site would not read;
* ``postpage``: a post's kicker, byline, foot and previous/next links;
* ``archives`` and ``listings``: the archive, tag and category pages;
* ``addresses``: links to a page by its published address (``x.html``);
* ``freshness``: what post lists and neighbours show, for incremental builds.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .adapter import setup_adapter
from .addresses import setup_addresses
from .archives import setup_archives
from .characters import setup_characters
from .drafts import setup_drafts
from .freshness import setup_freshness
from .postpage import setup_postpage
from .strays import setup_strays
from .validate import setup_validate


def setup_blog(app: Sphinx) -> None:
    setup_adapter(app)
    setup_validate(app)
    setup_characters(app)
    setup_drafts(app)
    setup_strays(app)
    setup_freshness(app)
    setup_archives(app)
    setup_postpage(app)
    setup_addresses(app)
