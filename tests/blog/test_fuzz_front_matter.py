"""Fuzzing what authors write in front matter: a located error or a page, never a
traceback or a hang, and nothing written outside the output folder."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import yaml
from blogtools import build, copy_root
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from essayist.blog.characters import without_control_characters
from essayist.blog.dates import is_published
from essayist.blog.frontmatter import FrontMatterError, split_front_matter

KEYS = [
    "date",
    "update",
    "tags",
    "category",
    "author",
    "redirect",
    "excerpt",
    "image",
    "external_link",
    "canonical_link",
    "draft",
    "title",
    "blogpost",
    "orphan",
    "license",
    "series",
    "series_order",
    # Keys written otherwise than the site reads them (named at their line).
    "Date",
    "licence",
    "Tags",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(
        [
            "2026-01-01",
            "2026-02-30",
            "2026-01-01T10:00+02:00",
            "0001-01-01",
            "9999-12-31",
            "../../x",
            "javascript:alert(1)",
            "https://example.org/",
            "<b>x</b>",
            "a, , b",
            "\x1b[31m",
        ]
    ),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4))
FRONT = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=12)), VALUES, max_size=7)
POST = "posts/2026/fuzz.md"
TODAY = dt.date(2026, 6, 1)  # the minimal root's essayist_today


class Site:
    """One copy of the minimal root, rebuilt for every example (incrementally)."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="essayist-fuzz-"))
        self.src = copy_root("minimal", self.tmp)
        self.out = self.tmp / "out"

    def build_with(self, text: str) -> tuple[str, Path]:
        (self.src / POST).write_text(text, encoding="utf-8")
        app, warnings = build(self.src, self.out)
        return warnings, Path(app.outdir)


SITE: Site | None = None


def site() -> Site:
    global SITE
    if SITE is None:
        SITE = Site()
    return SITE


def check(text: str) -> None:
    s = site()
    before = {p for p in s.tmp.rglob("*") if not p.is_relative_to(s.out)}
    warnings, out = s.build_with(text)
    located = [line for line in warnings.splitlines() if f"{POST}:" in line]
    page = out / "posts/2026/fuzz.html"
    unlocated = [
        line for line in warnings.splitlines() if "WARNING" in line and "fuzz.md" not in line
    ]
    assert not unlocated, warnings
    # Either the post has a page, or there is a located warning, or it is a
    # draft or scheduled (as the build's own reading of the front matter says).
    if not page.exists() and not located:
        try:
            # As the build reads it: without control characters.
            front = split_front_matter(without_control_characters(text)).data
        except FrontMatterError:
            raise AssertionError(f"unreadable front matter, no located warning: {text!r}") from None
        assert not is_published(front, TODAY, "UTC"), (text, warnings)
    # Nothing new beside the output and the sources' own post.
    after = {p for p in s.tmp.rglob("*") if not p.is_relative_to(s.out)}
    assert after - before <= {s.src / POST}, sorted(map(str, after - before))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(front=FRONT)
def test_fuzzed_front_matter_gives_a_located_error_or_a_page(front):
    block = yaml.safe_dump(front, allow_unicode=True, sort_keys=False) if front else ""
    check(f"---\n{block}---\n\n# A Fuzzed Post\n\nSome text.\n")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block=st.text(max_size=200))
def test_fuzzed_front_matter_text_never_crashes(block):
    check(f"---\n{block}\n---\n\n# A Fuzzed Post\n\nSome text.\n")


def teardown_module(module) -> None:
    if SITE is not None:
        shutil.rmtree(SITE.tmp, ignore_errors=True)
