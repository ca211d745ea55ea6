"""A series of essays, read and checked without Sphinx: shared by the build and
``blog check``.

Pure functions: a post's front matter in, its place in a series and the
problems with it out (``series_fields``); every part of every series in, the
gaps, duplicates and mixed numbering in their order out (``check_series``),
each at the file and line to fix.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..blog.adapter import slugify
from ..blog.checks import Problem
from ..blog.frontmatter import (
    MAX_NAME,
    MAX_TITLE,
    FrontMatter,
    FrontMatterError,
    split_front_matter,
)
from ..blog.limits import MAX_SERIES_PART
from ..config import Warn

SERIES = "series"
ORDER = "series_order"


@dataclass(frozen=True)
class Part:
    """One post's place in a series, as its front matter gives it."""

    path: str  # the source file, relative to the site (posts/2026/part-two.md)
    name: str  # the series' name, as written
    order: int | None  # series_order, when given (and valid)
    line: int | None  # the line of series_order, else of series

    @property
    def slug(self) -> str:
        return slugify(self.name)


def series_fields(front: FrontMatter, path: str) -> tuple[Part | None, list[Problem]]:
    """The post's place in a series (None: in none), and what is wrong with
    ``series`` and ``series_order``, with their lines."""
    data, lines, problems = front.data, front.lines, []
    if SERIES not in data:
        if ORDER in data:
            msg = f"{ORDER} without {SERIES}: add 'series: <its name>', or remove the line"
            problems.append(Problem(lines.get(ORDER), msg, Warn.SERIES))
        return None, problems
    name = data[SERIES]
    line = lines.get(SERIES)
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        name = str(name)  # series: 2026
    if not isinstance(name, str) or not name.strip():
        msg = "series must be the name of the series, as text: series: Learning to Want"
        if name is None or (isinstance(name, str) and not name.strip()):
            msg = f"{SERIES} is empty: write the series' name, or remove the '{SERIES}:' line"
        return None, [Problem(line, msg, Warn.SERIES)]
    name = " ".join(name.split())
    if len(name) > MAX_TITLE:
        msg = f"series: the name is longer than {MAX_TITLE} characters"
        return None, [Problem(line, msg, Warn.SERIES)]
    if not slugify(name):
        msg = f"series: {name!r} has no letters or digits (its page needs an address)"
        return None, [Problem(line, msg, Warn.SERIES)]
    if (size := len(slugify(name).encode("utf-8"))) > MAX_NAME:
        # Its page and feed are files named after it (a file system takes 255 bytes).
        msg = (
            f"series: its page's file name would be {size} bytes long; at most {MAX_NAME}: "
            "shorten the name"
        )
        return None, [Problem(line, msg, Warn.SERIES)]
    order = data.get(ORDER)
    if ORDER in data and (isinstance(order, bool) or not isinstance(order, int) or order < 1):
        msg = f"{ORDER} must be a whole number from 1 (the part's place), not {order!r}"
        problems.append(Problem(lines.get(ORDER), msg, Warn.SERIES))
        order = None
    elif order is not None and order > MAX_SERIES_PART:
        shown = str(order) if order < 10**30 else f"a number of {len(str(order))} digits"
        msg = f"{ORDER} {shown} is too large: a series has at most {MAX_SERIES_PART:,} parts"
        problems.append(Problem(lines.get(ORDER), msg, Warn.SERIES))
        order = None
    return Part(path, name, order, lines.get(ORDER) or line), problems


def part_of(text: str, path: str) -> tuple[Part | None, list[Problem]]:
    """``series_fields`` of a post's text; front matter that cannot be read is
    reported by the post's own checks, and makes no part."""
    try:
        front = split_front_matter(text)
    except FrontMatterError:
        return None, []
    return series_fields(front, path)


def _numbers(values: Iterable[int]) -> str:
    return ", ".join(str(v) for v in sorted(values))


def _runs(missing: list[int]) -> list[tuple[int, int]]:
    """[2, 3, 4, 7] -> [(2, 4), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for n in missing:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _check_one(name: str, parts: list[Part]) -> list[tuple[str, int | None, str]]:
    found = []
    numbered = [p for p in parts if p.order is not None]
    if not numbered:
        return found  # ordered by date
    for part in parts:
        if part.order is None:
            msg = (
                f"series {name!r}: this part has no {ORDER} and the others have one: "
                f"give every part its {ORDER}, or none (to order them by date)"
            )
            found.append((part.path, part.line, msg))
    by_order: dict[int, list[Part]] = defaultdict(list)
    for part in numbered:
        by_order[part.order].append(part)
    for same in by_order.values():
        # Each of them is told which others have its number.
        for part in same if len(same) > 1 else ():
            others = " and ".join(o.path for o in same if o is not part)
            msg = (
                f"series {name!r}: {ORDER} {part.order} is also that of {others}: "
                "give each part its own number"
            )
            found.append((part.path, part.line, msg))
    first = {order: same[0] for order, same in by_order.items()}
    orders = set(first)
    missing = [n for n in range(1, max(orders) + 1) if n not in orders]  # orders <= 1,000
    for low, high in _runs(missing):
        after = first[min(n for n in orders if n > high)]
        which = f"part {low}" if low == high else f"parts {low} to {high}"
        msg = (
            f"series {name!r} has no {which} (its parts are numbered {_numbers(orders)}): "
            "number the parts from 1, without gaps"
        )
        found.append((after.path, after.line, msg))
    return found


def check_series(parts: Iterable[Part]) -> list[tuple[str, int | None, str]]:
    """(path, line, message) for every series whose numbering has a gap, a
    number given twice, or parts with and without ``series_order``; and for a
    series spelled two ways (one page for both)."""
    by_slug: dict[str, list[Part]] = defaultdict(list)
    for part in sorted(parts, key=lambda p: p.path):
        by_slug[part.slug].append(part)
    found = []
    for slug in sorted(by_slug):
        group = by_slug[slug]
        name = group[0].name
        for part in group[1:]:
            if part.name != name:
                msg = (
                    f"series {part.name!r} is spelled {name!r} in {group[0].path}, and both "
                    "are the same series: spell it one way"
                )
                found.append((part.path, part.line, msg))
        found += _check_one(name, group)
    return sorted(found, key=lambda f: (f[0], f[1] or 0, f[2]))


def site_problems(infos: Iterable[dict]) -> list[tuple[str, int, str]]:
    """``blog check``: (path, line, message) of every series problem among the
    posts (``infos``: each post's ``rel`` path and ``text``)."""
    parts, found = [], []
    for info in infos:
        if "text" not in info:
            continue
        part, problems = part_of(info["text"], info["rel"])
        found += [(info["rel"], p.line or 1, p.message) for p in problems]
        if part is not None:
            parts.append(part)
    found += [(path, line or 1, msg) for path, line, msg in check_series(parts)]
    return found


def order_key(order: int | None, date: dt.datetime | None, docname: str) -> tuple:
    """Where a part goes in its series: by ``series_order``; without one, by date
    (an undated draft last)."""
    return (
        order is None,
        order or 0,
        date is None,
        date or dt.datetime.min,
        docname,
    )
