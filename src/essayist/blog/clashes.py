"""Clashes across posts: two posts with one slug, one old address claimed
twice or onto a page, one tag spelled two ways. Shared by the build
(``validate``) and ``blog check``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath

from ..config import Warn
from .adapter import slugify


def post_slug(docname: str) -> str:
    return PurePosixPath(docname).name


def find_clashes(
    posts: dict[str, dict], documents: Iterable[str] = ()
) -> list[tuple[str, int | None, str, Warn]]:
    """(docname, line, message, kind) for slugs, tags, categories and old
    addresses that clash across posts (or, for old addresses, with one of
    ``documents``). ``posts`` maps a docname to its ``slug`` and ``post_terms``."""
    clashes = []
    # Names that differ in case only are one file on macOS and Windows (a
    # checkout there keeps one of them), and one address on such hosts.
    taken = {d.casefold() for d in (*documents, *posts)}
    claimed: dict[str, str] = {}
    for docname in sorted(posts):
        for old, line in posts[docname].get("redirect", []):
            if old.casefold() in taken:
                msg = (
                    f"redirect: {old!r} is a page of the site; an old address must be "
                    "free, or the page there would be replaced: remove it"
                )
                clashes.append((docname, line, msg, Warn.REDIRECT))
            elif claimed.setdefault(old.casefold(), docname) != docname:
                msg = (
                    f"redirect: {old!r} is already an old address of "
                    f"{claimed[old.casefold()]}: an address can lead to one post only"
                )
                clashes.append((docname, line, msg, Warn.REDIRECT))
    by_slug: dict[str, list[str]] = defaultdict(list)
    for docname in sorted(posts):
        by_slug[posts[docname]["slug"].casefold()].append(docname)
    for _, docnames in sorted(by_slug.items()):
        for other in docnames[1:]:
            first, slug = docnames[0], posts[other]["slug"]
            msg = (
                f"two posts have the slug {slug!r} ({first} and {other}): their feed ids and "
                "labels would clash; rename one"
            )
            if posts[first]["slug"] != slug:
                msg = (
                    f"two posts' names differ in case only ({first} and {other}): macOS and "
                    "Windows keep one of the two files, and their feed ids would clash; "
                    "rename one"
                )
            clashes.append((other, None, msg, Warn.DUPLICATE_SLUG))
    for field, singular in (("tags", "tag"), ("category", "category"), ("author", "author")):
        spellings: dict[str, tuple[str, str]] = {}
        for docname in sorted(posts):
            for term, line in posts[docname].get(field, []):
                first, where = spellings.setdefault(slugify(term), (term, docname))
                # Clashes inside one post are reported when it is read.
                if first != term and where != docname:
                    msg = (
                        f"{singular} {term!r} is spelled {first!r} in {where} and both become "
                        f"the same {singular} page: spell it one way"
                    )
                    clashes.append((docname, line, msg, Warn.COLLISION))
    return clashes
