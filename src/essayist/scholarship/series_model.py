"""The series a build shows: each one's parts, in order, and each part's place.

Read from what ``series`` stored per document and from ABlog's posts, once per
build. The parts are ordered by ``series_order``, or by date; drafts and
scheduled parts count only in preview (a published build does not read them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx.application import Sphinx

from ..blog.adapter import get_post
from ..incremental.state import build_cache, doc_data
from .series_checks import Part, order_key

FEATURE = "scholarship:series"


@dataclass(frozen=True)
class Series:
    slug: str
    name: str
    parts: tuple  # ABlog's posts, in order

    def page(self, blog_path: str) -> str:
        return series_page(blog_path, self.slug)


def series_index(blog_path: str) -> str:
    return f"{blog_path}/series"


def series_page(blog_path: str, slug: str) -> str:
    return f"{blog_path}/series/{slug}"


def all_series(app: Sphinx) -> dict[str, Series]:
    """Every series with a part in this build, by slug, sorted by name."""
    cache = build_cache(app)
    if "series" not in cache:
        preview = app.config.essayist_preview
        found: dict[str, list[tuple[tuple, object, str]]] = {}
        for docname, value in sorted(doc_data(app.env, FEATURE).items()):
            post = get_post(app, docname)
            if post is None or (not post.published and not preview):
                continue
            part = Part(value["path"], value["name"], value["order"], value["line"])
            key = order_key(part.order, post.date, docname)
            found.setdefault(part.slug, []).append((key, post, part.name))
        series = {}
        for slug, members in found.items():
            members.sort(key=lambda m: m[0])
            series[slug] = Series(slug, members[0][2], tuple(m[1] for m in members))
        cache["series"] = dict(sorted(series.items(), key=lambda s: (s[1].name.casefold(), s[0])))
    return cache["series"]


def part_place(app: Sphinx, docname: str) -> tuple[Series, int] | None:
    """The series ``docname`` is a part of, and its place (0-based)."""
    cache = build_cache(app)
    if "series_places" not in cache:
        cache["series_places"] = {
            post.docname: (s, i) for s in all_series(app).values() for i, post in enumerate(s.parts)
        }
    return cache["series_places"].get(docname)


def _neighbour(post) -> tuple[str, str] | None:
    return (post.docname, post.title) if post is not None else None


def part_signature(series: Series, index: int) -> tuple:
    """What a part's page shows of its series."""
    parts = series.parts
    return (
        series.slug,
        series.name,
        index + 1,
        len(parts),
        _neighbour(parts[index - 1] if index else None),
        _neighbour(parts[index + 1] if index + 1 < len(parts) else None),
    )
