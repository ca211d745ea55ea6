"""The limits no essay needs to reach, so that hostile input cannot make the
build (or ``blog check``) run for minutes, write gigabytes or fail to write a
file (handbook/guide.md lists them), and the file name a title makes."""

from __future__ import annotations

import re
import unicodedata

MAX_FRONT_MATTER = 16_000  # characters between the '---' lines
MAX_TITLE = 200  # characters
# A post's file name, without .md, in bytes: the build writes <name>.doctree,
# <name>.html and <name>.png beside it, and a file system takes 255.
MAX_NAME = 200
MAX_TERMS = 20  # tags (or categories, or authors) a post
MAX_REDIRECTS = 20
MAX_SERIES_PART = 1_000  # a series_order: a part's place in its series
MAX_POST_BYTES = 2_000_000


def name_problem(stem: str) -> str | None:
    """Why a post's file name (without its suffix) cannot be built, or None."""
    size = len(stem.encode("utf-8", "surrogatepass"))
    if size > MAX_NAME:
        return (
            f"the file name is {size} bytes long, and the site writes files named after "
            f"it: rename it to at most {MAX_NAME} (the slug is the post's address)"
        )
    return None


def place_problem(rel: str) -> str | None:
    """Why a post at ``rel`` (its path in the site, ``posts/2026/x.md``) is not
    where posts are, or None: in a year's folder, so that its address is
    ``posts/<year>/<name>.html`` and never that of a page the site writes
    (``posts/tag/alignment.html`` would have replaced the tag's list)."""
    parts = rel.split("/")
    if len(parts) == 3 and not re.fullmatch(r"[0-9]{4}", parts[1]):
        return (
            f"a post lives in a year's folder, and {parts[1]!r} is not a year: move it "
            f"into {parts[0]}/YYYY/ (the year it is published)"
        )
    return None


def size_problem(size: int) -> str | None:
    """Why a post of ``size`` bytes is not read, or None."""
    if size > MAX_POST_BYTES:
        return f"the post is {size:,} bytes; at most {MAX_POST_BYTES:,}: split it into parts"
    return None


# Latin letters that no decomposition turns into ASCII (they were dropped:
# "Ærø straße" made "r-strae").
_SPELLED = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)


def script_slug(title: str) -> str:
    """A title with no Latin letters, as a file name in its own script:
    ``"ما معنى المحاذاة؟"`` -> ``"ما-معنى-المحاذاة"``, ``"对齐意味着什么"`` as it is
    (letters and digits of any script, lower case, hyphens; the build
    publishes it, its address percent-encoded)."""
    text = unicodedata.normalize("NFC", title).lower()
    kept = (c if unicodedata.category(c)[0] in "LNM" else " " for c in text)
    return "-".join("".join(kept).split())


def file_slug(title: str) -> str:
    """The file name a title makes: ``"What Does It Mean?"`` ->
    ``"what-does-it-mean"`` (ASCII, hyphens; ``Goodhart's`` -> ``goodharts``;
    ``Ærø straße`` -> ``aero-strasse``)."""
    text = unicodedata.normalize("NFKD", title.translate(_SPELLED))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
