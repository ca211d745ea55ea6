"""Hostile posts give valid output: characters XML forbids never reach a feed or
the sitemap, the year 1 is written in four digits, odd file names give
percent-encoded URLs, and a huge title costs a card a bounded amount of work."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from blogtools import build, copy_root
from conftest import PROJECT, soup
from lxml import etree
from PIL import Image, ImageDraw

from essayist.publishing import cards
from essayist.publishing.cards import Card, draw_card, fit_title
from essayist.publishing.feeds import xml_text

BASE = "https://example.org/site/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Every kind XML 1.0 forbids that a UTF-8 file can hold (a lone surrogate cannot).
FORBIDDEN = "\x1b\x07\x0b\x0c\x01\x1f\ufffe\uffff"
STRICT = etree.XMLParser(recover=False, resolve_entities=False)

POSTS = {
    # Forbidden characters in the title, a tag, the excerpt (summary) and the body.
    "control.md": (
        "---\n"
        "date: 2026-01-15\n"
        'tags: ["esc\\etag", "bad\\uFFFEone", engines]\n'
        "---\n\n"
        "# Hostile \x1b Title \ufffe\n\n"
        "Summary with \x1b escape, a \x07 bell, \x01 and \uffff here.\n\n"
        "Body with a \x0c form feed, \x1f and \x1b escape.\n"
    ),
    # The year 1, and a file name with a space and a question mark.
    "what now?.md": "---\ndate: 0001-01-01\n---\n\n# What Now\n\nThe oldest post there is.\n",
    # A file name with a control character.
    "esc\x1bname.md": "---\ndate: 2026-01-20\n---\n\n# Escaped Name\n\nAn odd file name.\n",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    src = copy_root("publishing", tmp_path_factory.mktemp("hostile"))
    for name, text in POSTS.items():
        (src / "posts" / "2026" / name).write_text(text, encoding="utf-8")
    # Tokyo's local mean time in the year 1 is +09:18:59: not an RFC 3339 offset.
    app, _ = build(src, freshenv=True, essayist_timezone="Asia/Tokyo")
    return Path(app.outdir)


def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(PROJECT / "tests" / "schemas" / "atom.rng")))


def feeds(outdir: Path) -> dict[str, etree._ElementTree]:
    """Every Atom feed, parsed strictly (a forbidden character is an error)."""
    found = {}
    for path in sorted(outdir.rglob("atom.xml")):
        found[path.relative_to(outdir).as_posix()] = etree.parse(str(path), STRICT)
    return found


def entry(document: etree._ElementTree, title_start: str) -> etree._Element:
    for element in document.getroot().iter(f"{ATOM}entry"):
        if element.findtext(f"{ATOM}title").startswith(title_start):
            return element
    raise AssertionError(f"no entry {title_start!r}")


def meta(page: Path, key: str) -> list[str]:
    return [tag["content"] for tag in soup(page).select(f'head meta[property="{key}"]')]


def sitemap(outdir: Path) -> dict[str, str | None]:
    root = etree.parse(str(outdir / "sitemap.xml"), STRICT).getroot()
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }


def resolves(outdir: Path, url: str) -> bool:
    """Whether ``url`` (under BASE) is a file of the site."""
    assert url.startswith(BASE), url
    assert re.fullmatch(r"[A-Za-z0-9/._~%:-]+", url), f"not percent-encoded: {url!r}"
    return (outdir / unquote(url.removeprefix(BASE))).is_file()


# -- Feeds and the sitemap ---------------------------------------------------------


def test_xml_text_drops_exactly_what_xml_forbids():
    allowed = "\t\n\r Ω\x7f\x85\ud7ff\ue000\ufffd\U00010000\U0010ffff"
    assert xml_text(allowed) == allowed
    assert xml_text(f"a{FORBIDDEN}\x00\ud800\udfffb") == "ab"


def test_feeds_with_forbidden_characters_parse_and_are_valid_atom(hostile):
    found = feeds(hostile)
    assert {"posts/atom.xml", "posts/tag/esctag/atom.xml", "posts/tag/badone/atom.xml"} <= set(
        found
    )
    schema = atom_schema()
    for name, document in found.items():
        assert schema.validate(document), (name, str(schema.error_log))
        raw = (hostile / name).read_bytes()
        assert not any(c.encode() in raw for c in FORBIDDEN), name
        assert b"&#" not in raw.replace(b"&amp;#", b""), name  # no character reference either
    for name in ("posts/atom.xml", "posts/tag/esctag/atom.xml", "posts/tag/badone/atom.xml"):
        hostile_entry = entry(found[name], "Hostile")
        assert hostile_entry.findtext(f"{ATOM}title") == "Hostile  Title "
        terms = [c.get("term") for c in hostile_entry.iter(f"{ATOM}category")]
        assert terms == ["badone", "engines", "esctag"]
        summary = hostile_entry.findtext(f"{ATOM}summary")
        assert summary == "Summary with escape, a bell, and  here."  # spaces folded
        assert "Body with a  form feed,  and  escape." in hostile_entry.findtext(f"{ATOM}content")
    tag_feed = found["posts/tag/esctag/atom.xml"].getroot()
    assert tag_feed.findtext(f"{ATOM}title") == "Publishing Test – Posts tagged esctag"


def test_sitemap_of_odd_file_names_parses(hostile):
    urls = sitemap(hostile)
    assert urls[BASE + "posts/2026/esc%1Bname.html"] == "2026-01-20"
    assert all(resolves(hostile, url) for url in urls)


# -- Dates ---------------------------------------------------------------------------


def test_year_one_is_written_in_four_digits(hostile):
    times = [t.get("datetime") for t in soup(hostile / "posts.html").select("time")]
    assert "0001-01-01" in times
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", t) for t in times), times
    page = hostile / "posts/2026/what now?.html"
    assert meta(page, "article:published_time") == ["0001-01-01"]
    assert sitemap(hostile)[BASE + "posts/2026/what%20now%3F.html"] == "0001-01-01"
    old = entry(feeds(hostile)["posts/atom.xml"], "What Now")
    # Local mean time's offset, rounded to a whole minute as RFC 3339 wants.
    assert old.findtext(f"{ATOM}published") == "0001-01-01T00:00:00+09:19"
    new = entry(feeds(hostile)["posts/atom.xml"], "Notes on the Engine")
    assert new.findtext(f"{ATOM}published") == "2026-02-01T00:00:00+09:00"


# -- URLs from file names ------------------------------------------------------------


def test_odd_file_names_give_percent_encoded_urls(hostile):
    page = hostile / "posts/2026/what now?.html"
    image = meta(page, "og:image")
    url = meta(page, "og:url")
    assert image == [BASE + "_cards/posts/2026/what%20now%3F.png"]
    assert url == [BASE + "posts/2026/what%20now%3F.html"]
    assert resolves(hostile, image[0]) and resolves(hostile, url[0])
    assert BASE + "posts/2026/what%20now%3F.html" in sitemap(hostile)
    link = entry(feeds(hostile)["posts/atom.xml"], "What Now").find(f"{ATOM}link").get("href")
    assert link == url[0]
    odd = meta(hostile / "posts/2026/esc\x1bname.html", "og:image")
    assert odd == [BASE + "_cards/posts/2026/esc%1Bname.png"]
    assert resolves(hostile, odd[0])
    # An ordinary name is as it always was.
    assert meta(hostile / "posts/2026/engine-notes.html", "og:image") == [
        BASE + "_cards/posts/2026/engine-notes.png"
    ]


# -- Social cards of huge titles -----------------------------------------------------

WIDTH = cards.CARD_WIDTH - 2 * cards.MARGIN


class Counting:
    """A drawing that counts its measurements and the characters measured."""

    def __init__(self) -> None:
        self.draw = ImageDraw.Draw(Image.new("P", (cards.CARD_WIDTH, cards.CARD_HEIGHT)))
        self.calls = 0
        self.chars = 0

    def textlength(self, text: str, font=None) -> float:
        self.calls += 1
        self.chars += len(text)
        return self.draw.textlength(text, font=font)


def measured(title: str) -> tuple[Counting, object, list[str]]:
    counting = Counting()
    font, lines = fit_title(counting, title, WIDTH)
    return counting, font, lines


HUGE = {  # a title of about ``n`` characters
    "words": lambda n: ("An Unreasonably Long Title " * (n // 27)).strip(),
    "one word": lambda n: "x" * n,
    "a long word last": lambda n: ("y" * 50 + " ") * 3 + "q" * n + " end",
}


@pytest.mark.parametrize("title", HUGE.values(), ids=HUGE.keys())
def test_a_huge_title_costs_a_bounded_number_of_measurements(title):
    small, font, lines = measured(title(12_000))
    large, *_ = measured(title(120_000))
    # A title ten times as long costs the same: only what a card can show is
    # measured, and no text longer than a line can be.
    assert (large.calls, large.chars) == (small.calls, small.chars)
    assert small.calls <= 150
    assert small.chars <= 150 * cards.MAX_LINE_CHARS
    assert font.size == 48
    assert 1 <= len(lines) <= 4
    assert lines[-1].endswith("…")
    assert all(small.draw.textlength(line, font=font) <= WIDTH for line in lines)


@pytest.mark.parametrize("title", HUGE.values(), ids=HUGE.keys())
def test_a_card_of_a_huge_title_is_drawn(title):
    with Image.open(io.BytesIO(draw_card(Card(title(12_000), "K", "B", "h")))) as img:
        assert img.size == (cards.CARD_WIDTH, cards.CARD_HEIGHT)


def test_no_line_longer_than_the_limit_fits_at_the_smallest_size():
    """Why text longer than MAX_LINE_CHARS is never measured: the narrowest
    character that takes room (a space) repeated that often is wider than a
    line. (Characters that take none, a zero-width space or a combining
    accent, only ever fill a line to that limit, then break it.)"""
    draw = ImageDraw.Draw(Image.new("P", (10, 10)))
    font = cards._font(min(cards.TITLE_SIZES))
    narrowest = min(" .,:;!|iljtf'", key=lambda c: draw.textlength(c, font=font))
    assert draw.textlength(narrowest * (cards.MAX_LINE_CHARS + 1), font=font) > WIDTH
    zero = "\u200b" * 10_000 + " x"
    with Image.open(io.BytesIO(draw_card(Card(zero, "K", "B", "h")))) as img:
        assert img.size == (cards.CARD_WIDTH, cards.CARD_HEIGHT)


def old_fit_title(draw, title: str, width: int):
    """The line breaking before it was bounded (quadratic in a title's length)."""

    def wrap(font) -> list[str]:
        lines: list[str] = []
        for word in title.split():
            if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        return lines

    for size in (72, 64, 56, 48):
        font = cards._font(size)
        lines = wrap(font)
        if len(lines) <= 4:
            return font, lines
    lines = lines[:4]
    while lines[3] and draw.textlength(lines[3] + "…", font=font) > width:
        lines[3] = lines[3].rsplit(" ", 1)[0] if " " in lines[3] else lines[3][:-1]
    lines[3] += "…"
    return font, lines


WORDS = ["Gyp", "jig", "quay", "Ça", "naïve", "façade", "ÀÉÎÕÜ", "—", "«x»", "W.A.V.E."]
WORDS += ["数学", "Ελληνικά", "Кириллица", "ℕ→∞", "🙂", "a", "I", "of", "the", "AI?"]
WORDS += ["Interpretability", "Misalignment", "Mmmmmmmmmmmmmmmm", "counterfactually"]


def test_ordinary_titles_are_broken_into_the_same_lines_as_before():
    """Every title whose lines fitted the card before gets the same lines and
    size (so the same pixels): at every size, short and long, cut with "…"."""
    draw = ImageDraw.Draw(Image.new("P", (10, 10)))
    rng = random.Random(13)
    titles = ["", "A Title", "What Does It Actually Mean to Align an AI?"]
    titles += [" ".join(rng.choices(WORDS, k=rng.randint(1, 50))) for _ in range(200)]
    cut = 0
    for title in titles:
        old_font, old_lines = old_fit_title(draw, title, WIDTH)
        font, lines = fit_title(draw, title, WIDTH)
        assert (font.size, lines) == (old_font.size, old_lines), title
        cut += bool(lines) and lines[-1].endswith("…")
    assert 20 <= cut <= 180  # both kinds were tried


def test_a_word_too_wide_for_the_card_is_broken_not_left_to_overflow():
    """Before, such a word ran off the card at 72 px; now a smaller size is
    chosen, or the word is broken across lines."""
    draw = ImageDraw.Draw(Image.new("P", (10, 10)))
    for title in ["Rechtsschutzversicherungsgesellschaften", "See " + "W" * 60 + " and more"]:
        font, lines = fit_title(draw, title, WIDTH)
        assert all(draw.textlength(line, font=font) <= WIDTH for line in lines), title
        assert "".join(lines).replace(" ", "") == title.replace(" ", "")
