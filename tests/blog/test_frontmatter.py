"""Front matter handling: unit tests and properties (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essayist.blog.checks import Problem, check_post, same_slug_groups
from essayist.blog.clashes import find_clashes
from essayist.blog.dates import is_published, parse_ablog_date, parse_date
from essayist.blog.frontmatter import FrontMatterError, split_front_matter, split_list
from essayist.config import Warn


def test_split_front_matter_lines():
    front = split_front_matter("---\ndate: 2026-03-01\ntags: [a, b]\n---\n\n# T\n")
    assert front.data == {"date": "2026-03-01", "tags": ["a", "b"]}
    assert front.lines == {"date": 2, "tags": 3}
    assert front.body_line == 5


def test_dates_stay_text_until_parsed():
    assert split_front_matter("---\ndate: 2026-02-30\n---\n").data == {"date": "2026-02-30"}
    with pytest.raises(ValueError, match="does not exist"):
        parse_date("2026-02-30")
    assert parse_date("2026-03-01") == dt.date(2026, 3, 1)
    assert parse_date(None) is None


def test_unclosed_front_matter():
    with pytest.raises(FrontMatterError) as info:
        split_front_matter("---\ndate: 2026-01-01\n# T\n")
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"date": "2026-03-01"}, True),
        ({"date": "2026-03-02"}, False),
        ({}, False),
        ({"date": "2026-03-01", "draft": True}, False),
        ({"date": "not a date"}, True),  # published, so the build reports it
    ],
)
def test_is_published(data, expected):
    assert is_published(data, dt.date(2026, 3, 1)) is expected


def test_split_list():
    assert split_list("a, b ,, c") == ["a", "b", "c"]
    assert split_list(["a", " b"]) == ["a", "b"]
    assert split_list(None) == []


def test_check_post_clean():
    text = "---\ndate: 2026-01-01\nauthor: Ada\ntags: a, b\n---\n\n# Title\n"
    front, problems = check_post(text, ["Ada"])
    assert problems == []
    assert front.data["author"] == "Ada"


def test_missing_date_is_a_note():
    _, problems = check_post("# Title\n\ntext\n", [])
    assert problems == [
        Problem(
            1,
            "the post has no date, so it is a draft: add 'date: YYYY-MM-DD' to publish it",
            Warn.DRAFT,
            "note",
        )
    ]


def test_clashes_across_posts():
    posts = {
        "posts/2025/a": {"slug": "a", "tags": [("AI Safety", 3)]},
        "posts/2026/a": {"slug": "a", "tags": [("ai-safety", 4)]},
    }
    clashes = find_clashes(posts)
    assert [(d, line, sub) for d, line, _, sub in clashes] == [
        ("posts/2026/a", None, Warn.DUPLICATE_SLUG),
        ("posts/2026/a", 4, Warn.COLLISION),
    ]


def test_same_slug_groups():
    assert same_slug_groups(["AI Safety", "ai-safety", "x", "AI Safety"]) == [
        ["AI Safety", "ai-safety"]
    ]


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_arbitrary_text_never_crashes(text):
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        assert exc.line >= 1
    else:
        assert isinstance(front.data, dict)
    _, problems = check_post(text, ["Ada"])
    for problem in problems:
        assert problem.line is None or problem.line >= 1
        assert problem.message


yaml_scalars = st.one_of(
    st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.lists(st.text(max_size=8))
)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["date", "tags", "author", "category", "draft"]), yaml_scalars)
)
def test_arbitrary_front_matter_values_never_crash(data):
    import yaml

    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n\n# T\n"
    front, problems = check_post(text, ["Ada"])
    assert front is not None
    for problem in problems:
        assert problem.line is not None and 1 <= problem.line <= text.count("\n")


# -- Slugs: post file names (``blog new``) and tag/category pages -------------

SLUG = __import__("re").compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_post_slugs_are_url_safe_and_stable(title):
    from essayist.tools.cli import slugify

    slug = slugify(title)
    assert slug == "" or SLUG.match(slug)
    assert slugify(slug) == slug  # stable: a slug slugs to itself
    assert slugify(title) == slug  # and the same title always gives it


def test_latin_letters_without_a_decomposition_are_spelled_in_a_slug():
    """Æ, ø, ß and their kind were dropped ("Ærø straße" made "r-strae")."""
    from essayist.tools.cli import slugify

    assert slugify("Ünïcödé Ærø straße") == "unicode-aero-strasse"
    assert slugify("Łódź, Þing & œuvre") == "lodz-thing-oeuvre"


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1))
def test_tag_pages_have_safe_names(name):
    from urllib.parse import quote, unquote

    from ablog.blog import slugify

    slug = slugify(name)
    assert "/" not in slug and "\\" not in slug and ".." not in slug
    assert unquote(quote(slug)) == slug and quote(slug).isascii()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=2, max_size=6))
def test_names_that_share_a_page_are_always_reported(names):
    """Two tags whose pages would be the same are never both silently kept."""
    from ablog.blog import slugify

    groups = same_slug_groups(names)
    distinct = {}
    for name in names:
        distinct.setdefault(slugify(name), set()).add(name)
    clashing = sorted(sorted(g) for g in distinct.values() if len(g) > 1)
    assert sorted(sorted(g) for g in groups) == clashing


@pytest.mark.parametrize(
    "text",
    [
        "2016-03-04",
        "2016-03-04 10:00",
        "2016-03-04T10:00:05",
        "0001-01-01",
        "2016-02-30",  # no such day
        "2016-13-01",
        "2016-03-04 25:00",
        "2016-03-04T10:00+02:00",  # an offset: ABlog cannot compare it
        "Nov 1, 2023",
        "1 November 2023",
    ],
)
def test_ablog_dates_read_as_dateutil_reads_them(text):
    from dateutil.parser import parse

    try:
        expected = parse(text)
        expected = expected if expected.tzinfo is None else None
    except (ValueError, OverflowError):
        expected = None
    assert parse_ablog_date(text, "%b %d, %Y") == expected


def test_each_reader_of_a_front_matter_gets_its_own_copy():
    text = "---\ntags: [a, b]\ndate: 2026-01-02\n---\n\n# T\n"
    first = split_front_matter(text)
    first.data["tags"].append("c")
    first.fixes["tags"] = None
    second = split_front_matter(text)
    assert second.data["tags"] == ["a", "b"] and second.fixes == {}


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ("date: 2026-01-01\ntags: a\ndate: 2027-01-01", (4, "sets 'date' twice (lines 2 and 4)")),
        ('date: 1\n"date": 2', (3, "sets 'date' twice (lines 2 and 3)")),
        ("links: {a: 1, a: 2}", (2, "sets 'a' twice (line 2)")),
        ("extra:\n  x: 1\n  x: 2", (4, "sets 'x' twice (lines 3 and 4)")),
        # Not keys: a quoted value that wraps, a flow mapping, a block scalar.
        ('date: 2025-01-02\nexcerpt: "wraps\ndate: not a key"', None),
        ("extra: {a: 1,\n date: 2}\ndate: 3", None),
        ("summary: |\n  date: x\n  date: y\ndate: 2025-01-02", None),
    ],
)
def test_a_key_set_twice_is_refused_at_its_line(block, problem):
    """YAML keeps the last of two equal keys silently; the build refuses them."""
    text = f"---\n{block}\n---\n\n# T\n"
    if problem is None:
        assert split_front_matter(text).data
        return
    with pytest.raises(FrontMatterError) as error:
        split_front_matter(text)
    assert (error.value.line, str(error.value)) == (
        problem[0],
        f"front matter {problem[1]}: keep one",
    )


def test_a_key_meant_for_one_the_site_reads_is_named_and_an_own_key_is_not():
    from essayist.blog.keys import meant_key

    meant = {
        "Date": "date", "TAGS": "tags", "licence": "license", "categories": "category",
        "Series-Order": "series_order", "catgory": "category", "canonical-link": "canonical_link",
    }  # fmt: skip
    assert {key: meant_key(key) for key in meant} == meant
    for own in ("date", "description", "subtitle", "og_image", "lang", "my_note", 2026, None):
        assert meant_key(own) is None, own


def test_a_terms_page_name_is_ablogs_for_any_value_and_kept():
    """``adapter.slugify`` keeps the names it made (the check of clashes asks
    for every post's terms on every build) and, like ABlog's, takes what front
    matter may give besides text: a number, a list."""
    from ablog.blog import slugify as ablog_slugify

    from essayist.blog.adapter import _slug, slugify

    hostile = ("../../etc/passwd", "<b>tag</b>", "a\x00b\x1fc", "", " ", "x" * 20_000)
    for value in ("Goodhart’s Law", "Ünïcode Tag", 2024, ["a", "b"], None, *hostile):
        assert slugify(value) == ablog_slugify(value), repr(value)[:40]
    before = _slug.cache_info().hits
    slugify("Goodhart’s Law")
    assert _slug.cache_info().hits == before + 1
