"""Front-matter keys: one written otherwise than the site reads it is named.

YAML keys are case-sensitive and Sphinx keeps every key it is given, so
``Date: 2026-02-01`` left a post without a date (a draft, in silence) and
``licence: CC BY-NC 4.0`` let the page say the default licence. A key is
reported when it is one the site reads in another case or spelling
(``Date``, ``licence``, ``categories``); a key of the author's own, far from
any of them, is left alone (Sphinx keeps it as the page's metadata).
"""

from __future__ import annotations

import difflib

# What posts' front matter means to the site: ABlog's fields, essayist's,
# and Sphinx's and MyST's own.
KNOWN = (
    "blogpost", "date", "update", "tags", "category", "author", "location", "language",
    "redirect", "title", "excerpt", "image", "external_link", "canonical_link",
    "draft", "license", "series", "series_order",
    "orphan", "nocomments", "nosearch", "tocdepth", "html_meta", "myst",
    "jupytext", "kernelspec", "substitutions",
)  # fmt: skip
# Other spellings a writer may reach for, with the key the site reads.
_SPELLED = {
    "licence": "license", "categories": "category", "tag": "tags", "authors": "author",
    "updated": "update", "drafts": "draft", "keywords": "tags",
}  # fmt: skip


def meant_key(key: object) -> str | None:
    """The key the site reads that ``key`` seems meant for, or None (the
    site's own, or an author's own far from any)."""
    if not isinstance(key, str) or key in KNOWN:
        return None
    folded = key.strip().casefold().replace("-", "_").replace(" ", "_")
    if folded in KNOWN:
        return folded
    if folded in _SPELLED:
        return _SPELLED[folded]
    close = difflib.get_close_matches(folded, KNOWN, n=1, cutoff=0.85)
    return close[0] if close else None


def key_problem(key: object) -> str | None:
    """What to say of a front-matter ``key`` the site does not read as it is
    written, or None."""
    meant = meant_key(key)
    if meant is None:
        return None
    return f"front matter key {key!r} is not one the site reads: write {meant!r}"
