"""A post's time of day, where one is written, is kept: it orders the posts of
one day and is the feeds' time for the entry (it was dropped: every post of a
day was published at midnight, and feed readers ordered them as they liked)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from blogtools import build, copy_root
from bs4 import BeautifulSoup

from essayist.blog.checks import check_post
from essayist.blog.dates import ablog_date, is_due, is_published, parse_date
from essayist.blog.drafts import scan_posts


@pytest.mark.parametrize(
    ("written", "tz", "given"),
    [
        ("2026-03-02", "UTC", "2026-03-02"),
        ("2026-03-02T09:30", "UTC", "2026-03-02T09:30:00"),
        ("2026-03-02 18:45:10", "UTC", "2026-03-02T18:45:10"),
        ("2026-03-02T09:30:15.250", "UTC", "2026-03-02T09:30:15"),
        # An offset is taken into the site's time zone, and left out.
        ("2026-03-02T23:30-05:00", "UTC", "2026-03-03T04:30:00"),
        ("2026-03-02T10:00Z", "Africa/Dar_es_Salaam", "2026-03-02T13:00:00"),
        # Without a site time zone, the time as written.
        ("2026-03-02T23:30-05:00", None, "2026-03-02T23:30:00"),
        (dt.date(2026, 3, 2), "UTC", "2026-03-02"),
        (None, "UTC", None),
    ],
)
def test_the_date_ablog_is_given_keeps_the_time(written, tz, given):
    assert ablog_date(written, tz) == given
    if given is not None:
        assert parse_date(written, tz) == dt.date.fromisoformat(given[:10])


def _post(date: str, title: str, extra: str = "") -> str:
    return f"---\ndate: {date}\ntags: alpha\n{extra}---\n\n# {title}\n\nText of {title}.\n"


@pytest.fixture(scope="module")
def timed(tmp_path_factory) -> Path:
    src = copy_root("minimal", tmp_path_factory.mktemp("timed"))
    posts = src / "posts" / "2026"
    # Named in the order opposite to the day's (the order a day's posts took
    # when their times were dropped).
    (posts / "a-morning.md").write_text(_post("2026-03-02T09:30", "Morning"))
    (posts / "b-evening.md").write_text(_post("2026-03-02T18:45", "Evening"))
    (posts / "c-late.md").write_text(_post("2026-03-02T23:30-05:00", "Late"))
    (posts / "d-noon.md").write_text(_post("2026-03-01", "Corrected", "update: 2026-03-04T12:15\n"))
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    return Path(app.outdir)


def _entries(out: Path, feed: str = "posts/atom.xml") -> list[tuple[str, str, str]]:
    soup = BeautifulSoup((out / feed).read_text(encoding="utf-8"), "xml")
    return [(e.title.text, e.published.text, e.updated.text) for e in soup.find_all("entry")]


def test_feed_entries_carry_the_time_of_day(timed):
    assert _entries(timed) == [
        ("Late", "2026-03-03T04:30:00+00:00", "2026-03-03T04:30:00+00:00"),
        ("Evening", "2026-03-02T18:45:00+00:00", "2026-03-02T18:45:00+00:00"),
        ("Morning", "2026-03-02T09:30:00+00:00", "2026-03-02T09:30:00+00:00"),
        ("Corrected", "2026-03-01T00:00:00+00:00", "2026-03-04T12:15:00+00:00"),
        ("A Good Post", "2026-01-10T00:00:00+00:00", "2026-01-10T00:00:00+00:00"),
    ]
    assert _entries(timed, "posts/tag/alpha/atom.xml")[:3] == _entries(timed)[:3]


def test_a_days_posts_are_listed_in_the_order_written(timed):
    soup = BeautifulSoup((timed / "posts.html").read_text(encoding="utf-8"), "html.parser")
    cards = soup.select(".post-list .post-card")
    assert [c.select_one(".post-card-title").get_text(strip=True) for c in cards] == [
        "Late",
        "Evening",
        "Morning",
        "Corrected",
        "A Good Post",
    ]
    days = [c.select_one("time")["datetime"] for c in cards]
    assert days == ["2026-03-03", "2026-03-02", "2026-03-02", "2026-03-01", "2026-01-10"]


def _ids(out: Path) -> dict[str, str]:
    soup = BeautifulSoup((out / "posts/atom.xml").read_text(encoding="utf-8"), "xml")
    return {e.title.text: e.id.text for e in soup.find_all("entry")}


def test_the_entry_id_names_the_day_as_written(timed, tmp_path):
    """The day only (ids made before times were kept stay as they were), as
    written: the day in the site's time zone of a time with an offset changed
    with the zone, and an entry's id must never change."""
    ids = _ids(timed)
    assert ids["Evening"] == "tag:example.org,2026:posts/2026-03-02/b-evening"
    assert ids["Late"] == "tag:example.org,2026:posts/2026-03-02/c-late"
    src = timed.parent.parent
    app, warnings = build(
        src, tmp_path / "la", freshenv=True, essayist_timezone="America/Los_Angeles"
    )
    assert warnings == ""
    assert _ids(Path(app.outdir)) == ids


def test_blog_check_accepts_timed_dates(timed, capsys):
    from essayist.tools.cli import main

    src = timed.parent.parent
    assert (src / "conf.py").is_file()
    assert main(["--root", str(src), "check"]) == 0, capsys.readouterr().out


# -- A post with a time is due from that time ------------------------------------

NOON = dt.datetime(2026, 12, 2, 12, 0)


@pytest.mark.parametrize(
    ("date", "now", "due"),
    [
        (dt.datetime(2026, 12, 2, 11, 59), NOON, True),
        (dt.datetime(2026, 12, 2, 12, 0), NOON, True),
        (dt.datetime(2026, 12, 2, 23, 50), NOON, False),  # later today
        (dt.date(2026, 12, 2), NOON, True),  # a day: all of it
        (dt.date(2026, 12, 3), NOON, False),
        # ``essayist_today`` / ``--today``: a day, all of it.
        (dt.datetime(2026, 12, 2, 23, 50), NOON.date(), True),
        (dt.datetime(2026, 12, 3, 0, 10), NOON.date(), False),
    ],
)
def test_a_post_with_a_time_is_due_from_that_time(date, now, due):
    assert is_due(date, now) is due
    assert is_published({"date": date}, now, "UTC") is due


def test_a_post_later_today_is_left_out_and_blog_check_says_when(tmp_path):
    posts = tmp_path / "posts" / "2026"
    posts.mkdir(parents=True)
    (posts / "early.md").write_text(_post("2026-12-02T09:30", "Early"))
    (posts / "late.md").write_text(_post("2026-12-02T23:50", "Late"))
    (posts / "offset.md").write_text(_post("2026-12-02T08:00-05:00", "Offset"))  # 13:00Z
    hidden, _ = scan_posts(tmp_path, ["posts/*/*"], NOON, "UTC")
    assert hidden == ["posts/2026/late.md", "posts/2026/offset.md"]
    assert scan_posts(tmp_path, ["posts/*/*"], NOON.date(), "UTC")[0] == []
    _, found = check_post((posts / "late.md").read_text(), ["Ada"], "Ada", NOON, "UTC")
    assert [(p.line, p.message, p.level) for p in found] == [
        (2, "scheduled: published on 2026-12-02 at 23:50", "note")
    ]


def test_an_update_before_the_posts_date_is_named(tmp_path):
    """It was dropped in silence: no "updated" on the page or in the feed."""
    _, found = check_post(
        _post("2026-03-03T18:00", "T", "update: 2026-03-01\n"), ["Ada"], "Ada", NOON, "UTC"
    )
    said = (
        "update: 2026-03-01 is before the post's date (2026-03-03): a correction comes "
        "after the post; correct one of the two dates"
    )
    assert [(p.line, p.message, p.level) for p in found] == [(4, said, "error")]
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/early.md").write_text(_post("2026-03-03", "T", "update: 2026-03-01\n"))
    _, warnings = build(src, freshenv=True)
    assert warnings.strip() == f"{src}/posts/2026/early.md:4: WARNING: {said} [essayist.date]"


# -- A correction is dated when it is made ------------------------------------------


@pytest.mark.parametrize(
    ("update", "now", "said"),
    [
        ("2026-12-02T11:00", NOON, None),
        ("2026-12-02", NOON, None),
        # Later today: the feed's "updated" was hours ahead of the build.
        (
            "2026-12-02T23:50",
            NOON,
            "update: 2026-12-02 at 23:50 is later than now (12:00 in the site's time zone): "
            "date a correction when it is made",
        ),
        # ``--today`` / ``essayist_today``: all of that day.
        ("2026-12-02T23:50", NOON.date(), None),
        (
            "2026-12-03T00:10",
            NOON,
            "update: 2026-12-03 is after today (2026-12-02): date a correction the day it is made",
        ),
    ],
)
def test_an_update_is_due_when_it_is_made(update, now, said):
    text = _post("2026-03-01", "T", f"update: {update}\n")
    _, found = check_post(text, ["Ada"], "Ada", now, "UTC")
    assert [(p.line, p.message, p.level) for p in found] == ([(4, said, "error")] if said else [])


def test_the_build_refuses_an_update_later_than_now(tmp_path):
    src = copy_root("minimal", tmp_path)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    update = (now + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    (src / "posts/2026/corrected.md").write_text(
        _post("2026-03-03", "T", f"update: {update:%Y-%m-%dT%H:%M}\n")
    )
    _, warnings = build(src, freshenv=True, essayist_today="")  # now, not a fixed day
    where = f"{src}/posts/2026/corrected.md:4: WARNING: update: "
    if update.date() == now.date():
        said = (
            rf"{update:%Y-%m-%d at %H:%M} is later than now \(\d\d:\d\d in the site's time zone\)"
        )
    else:
        said = rf"{update:%Y-%m-%d} is after today \({now:%Y-%m-%d}\)"
    assert re.fullmatch(
        re.escape(where) + said + r": date a correction .* \[essayist.date\]\n", warnings
    )


# -- A time the clocks skip ----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "tz", "said"),
    [
        (
            "2026-03-29T01:30",
            "Europe/London",
            "date '2026-03-29T01:30' never happens in Europe/London: the clocks go forward "
            "over it that day (it would be read as 02:30); write the time the clocks "
            "showed, or with its offset (2026-03-29T01:30+00:00)",
        ),
        (
            "2026-03-08 02:15",
            "America/New_York",
            "date '2026-03-08T02:15' never happens in America/New_York: the clocks go forward "
            "over it that day (it would be read as 03:15); write the time the clocks "
            "showed, or with its offset (2026-03-08T02:15-05:00)",
        ),
        ("2026-03-29T00:59", "Europe/London", None),
        ("2026-03-29T02:00", "Europe/London", None),
        ("2026-10-25T01:30", "Europe/London", None),  # happens twice: the first
        ("2026-03-29T01:30+01:00", "Europe/London", None),
        ("2026-03-29T01:30", "UTC", None),
        ("2026-03-29T01:30", None, None),
    ],
)
def test_a_time_the_clocks_skip_is_named(written, tz, said):
    """It was read as an hour later, in silence."""
    text = _post(written, "T")
    _, found = check_post(text, ["Ada"], "Ada", NOON, tz)
    assert [(p.line, p.message) for p in found] == ([(2, said)] if said else [])


def test_a_time_zone_with_a_stray_space_is_read(tmp_path, capsys):
    """SITE_TIMEZONE="Africa/Dar_es_Salaam " (a variable pasted with its space)
    stopped the build, as the site's address with one did not."""
    from essayist.tools.cli import main

    src = copy_root("minimal", tmp_path)
    app, warnings = build(src, freshenv=True, essayist_timezone="Africa/Dar_es_Salaam ")
    assert warnings == ""
    assert app.config.essayist_timezone == "Africa/Dar_es_Salaam"
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('essayist_timezone = "Africa/Dar_es_Salaam "\n')
    assert main(["--root", str(src), "check"]) == 0, capsys.readouterr()
