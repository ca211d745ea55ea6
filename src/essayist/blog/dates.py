"""Dates and times of posts: how front matter and ABlog's directives write
them, the site's time zone, and when a post is due.

A post's date is a day, or a day and a time: the wall time in the site's time
zone (``essayist_timezone``), naive, as ABlog compares dates without offsets.
Pure functions, shared by the build, the draft filter and ``blog check``.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.parser import parse as dateutil_parse

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\Z", re.ASCII)


def parse_ablog_date(text: str, date_format: str) -> dt.datetime | None:
    """A date as ABlog reads it (``post_date_format``, then dateutil), or None
    where ABlog would raise and stop the build (or give a date with an offset,
    which it then fails to compare with the others)."""
    try:
        return dt.datetime.strptime(text, date_format)
    except (ValueError, TypeError):
        pass
    if isinstance(text, str) and _ISO_DATE.match(text):
        # What dateutil makes of these (and refuses), ten times faster.
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    try:
        moment = dateutil_parse(text)
    except (ValueError, OverflowError, TypeError):
        return None
    return moment if moment.tzinfo is None else None


def parse_date(value: object, tz: str | None = None) -> dt.date | None:
    """A front-matter date as a ``date`` (the day it is in the site's time
    zone); ``None`` when absent. See :func:`parse_moment`."""
    moment = parse_moment(value, tz)
    return moment.date() if isinstance(moment, dt.datetime) else moment


def ablog_date(value: object, tz: str | None = None) -> str | None:
    """The date as ABlog is given it: ``YYYY-MM-DD``, or with the time written
    (``YYYY-MM-DDTHH:MM:SS``, the wall time in the site's time zone, no offset:
    ABlog compares dates without one); ``None`` when absent. A post's time
    orders the posts of one day and is each feed entry's time."""
    moment = parse_moment(value, tz)
    if isinstance(moment, dt.datetime):
        return moment.isoformat(timespec="seconds")
    return None if moment is None else moment.isoformat()


def parse_moment(value: object, tz: str | None = None) -> dt.date | dt.datetime | None:
    """A front-matter date as a ``date``, or a naive ``datetime`` in the site's
    time zone when a time is written; ``None`` when absent.

    ``2026-03-01``, or a date and time (``2026-03-01T09:30``, ``2026-03-01
    09:30:00+02:00``, ``...Z``): a time with an offset is taken in the site's time
    zone ``tz``. Raises ``ValueError`` with a readable message for dates that
    cannot be read or do not exist (``2026-02-30``).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return _local(value, tz)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):  # yes, no, on, off, true, false: YAML's
        raise ValueError(
            f"date reads as {str(value).lower()} (YAML reads yes, no, on and off so), not a "
            "date: write it as YYYY-MM-DD"
        )
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:([T ])(.+))?", text)
    if not m:
        raise ValueError(
            f"date {text!r} is not a date: write it as YYYY-MM-DD "
            "(or YYYY-MM-DDTHH:MM with an optional +HH:MM offset)"
        )
    year, month, day = (int(g) for g in m.groups()[:3])
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"date {text!r} does not exist ({exc})") from None
    if m.group(4) is None:
        return date
    try:
        moment = dt.datetime.fromisoformat(f"{date.isoformat()}T{m.group(5).strip()}")
    except ValueError:
        raise ValueError(
            f"date {text!r} has a time that cannot be read: write it as "
            "YYYY-MM-DDTHH:MM, with an optional offset such as +02:00"
        ) from None
    return _local(moment, tz)


def _local(moment: dt.datetime, tz: str | None) -> dt.datetime:
    """``moment``'s wall time in ``tz`` (its own, without a zone or ``tz``)."""
    if moment.tzinfo is not None and tz is not None:
        try:
            moment = moment.astimezone(ZoneInfo(tz))
        except OverflowError:  # 9999-12-31T23:30-05:00 is in the year 10000
            raise ValueError(
                f"date {moment.isoformat()!r} is outside the years 1 to 9999 in "
                "the site's time zone: write a date within them"
            ) from None
    elif tz is not None and (skipped := _skipped(moment, tz)):
        raise ValueError(skipped)
    return moment.replace(tzinfo=None)


def _skipped(wall: dt.datetime, tz: str) -> str | None:
    """Why the wall time ``wall`` never happens in ``tz`` (the clocks jump over
    it, as most of Europe's do from 01:00 UTC on the last Sunday of March), or
    None. Such a time would be read as an hour off, in silence."""
    try:
        zone = ZoneInfo(tz)
        there = wall.replace(tzinfo=zone)
        back = there.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    except (ZoneInfoNotFoundError, ValueError, OverflowError):
        return None  # the zone is reported where it is set; the year 1 or 9999
    if back == wall:
        return None
    written = wall.isoformat(timespec="minutes")
    offset = there.isoformat(timespec="minutes")[len(written) :]
    return (
        f"date {written!r} never happens in {tz}: the clocks go forward over it that day "
        f"(it would be read as {back:%H:%M}); write the time the clocks showed, or with "
        f"its offset ({written}{offset})"
    )


def check_timezone(name: str) -> str | None:
    """Why ``name`` is not a time zone, or ``None``."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return (
            f"{name!r} is not a time zone: use an IANA name such as 'UTC', "
            "'Europe/London' or 'Africa/Dar_es_Salaam'"
        )
    return None


def today_in(tz_name: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the site's time zone."""
    return now_in(tz_name, now).date()


def now_in(tz_name: str, now: dt.datetime | None = None) -> dt.datetime:
    """The wall time now in the site's time zone (naive, as post dates are)."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(ZoneInfo(tz_name)).replace(tzinfo=None)


def day_of(value: dt.date) -> dt.date:  # of a date, or of a date and time
    return value.date() if isinstance(value, dt.datetime) else value


def is_due(moment: dt.date, now: dt.date) -> bool:
    """Whether a post dated ``moment`` (a day, or a day and time) is due by
    ``now``: a day (``essayist_today``, ``--today``: all of it) or a day and
    time. A post with a time is due from that time: one dated later today was
    published, its feed entry dated hours after the build."""
    if isinstance(moment, dt.datetime) and isinstance(now, dt.datetime):
        return moment <= now
    return day_of(moment) <= day_of(now)


def is_published(data: dict, today: dt.date, tz: str | None = None) -> bool:
    """A post is published when it has a date, is not a draft, and is due
    (``is_due``: ``today`` may be a day and time)."""
    if data.get("draft") in (True, "true", "yes", "True"):
        return False
    try:
        moment = parse_moment(data.get("date"), tz)
    except ValueError:
        # A broken date is reported by the build; the post is not hidden.
        return True
    return moment is not None and is_due(moment, today)


def update_problem(update: dt.date | None, date: dt.date | None, now: dt.date | None):
    """Why a correction dated ``update`` (a day, or a day and time) is not, or
    None: one after ``now`` (a day or a day and time, as for ``is_due``) would
    lead every feed reader's list for years, unless the post is scheduled too."""
    if update is not None and date is not None and day_of(update) < day_of(date):
        day, of = day_of(update).isoformat(), day_of(date).isoformat()
        return f"update: {day} is before the post's date ({of}): {_BEFORE}"
    if update is None or now is None or is_due(update, now) or not is_due(date or now, now):
        return None
    if day_of(update) == day_of(now):
        return (
            f"update: {update:%Y-%m-%d at %H:%M} is later than now ({now:%H:%M} in the "
            "site's time zone): date a correction when it is made"
        )
    day, today = day_of(update).isoformat(), day_of(now).isoformat()
    return f"update: {day} is after today ({today}): date a correction the day it is made"


_BEFORE = "a correction comes after the post; correct one of the two dates"


# How an {update} or {post} directive's date is written (ABlog reads it; it
# compares dates without offsets).
DIRECTIVE_DATE = (
    "write it as YYYY-MM-DD (a time may follow, as YYYY-MM-DDTHH:MM; a directive's date "
    "takes no offset)"
)
