"""A series of essays: each part's place, the series' page, the index, the feed,
the numbering checks (build and ``blog check``), drafts, and incremental builds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from blogtools import build, copy_root, output_files
from bs4 import BeautifulSoup

from essayist.config import Warn
from essayist.scholarship.series_checks import Part, check_series, part_of
from essayist.tools.cli import main as blog

EXTENSIONS = ["myst_parser", "essayist"]
NAME = "Learning to <Want>"
ATOM = "{http://www.w3.org/2005/Atom}"


def part_text(
    title: str, date: str, order: int | None, *, name: str = NAME, extra: str = ""
) -> str:
    lines = ["---", f"date: {date}", f'series: "{name}"']
    if order is not None:
        lines.append(f"series_order: {order}")
    lines += [
        *([extra] if extra else []),
        "---",
        "",
        f"# {title}",
        "",
        f"The excerpt of {title}.",
        "",
    ]
    return "\n".join(lines)


PARTS = {
    "want-one": ("What We Want", "2026-02-10", 1),
    "want-two": ("Wanting to Want", "2026-03-10", 2),
    "want-three": ("Wants That Last", "2026-04-10", 3),
}


def write_parts(src: Path, parts: dict = PARTS) -> None:
    for slug, (title, date, order) in parts.items():
        (src / f"posts/2026/{slug}.md").write_text(part_text(title, date, order), encoding="utf-8")


def site(tmp_path: Path, name: str = "site") -> Path:
    src = copy_root("blog", tmp_path / name)
    write_parts(src)
    return src


def run(src: Path, builddir: Path | None = None, **overrides):
    return build(src, builddir, extensions=EXTENSIONS, **overrides)


def page(outdir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(outdir) / name).read_text(encoding="utf-8"), "html.parser")


def place(outdir: Path, slug: str) -> dict:
    nav = page(outdir, f"posts/2026/{slug}.html").select_one("div.series-nav")
    around = nav.select_one(".series-around")
    return {
        "text": nav.select_one(".series-place").get_text(),
        "series": nav.select_one("a.series-name")["href"],
        "around": around.get_text() if around else None,
        "links": [a["href"] for a in around.select("a")] if around else [],
    }


# -- What a build shows ----------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    src = site(tmp_path_factory.mktemp("series"))
    app, warnings = run(src)
    assert warnings == ""
    return Path(app.outdir)


def test_each_part_says_where_it_is_in_its_series(built):
    assert place(built, "want-one") == {
        "text": "Part 1 of 3 in Learning to <Want>",
        "series": "../series/learning-to-want.html",
        "around": "Next: Wanting to Want →",
        "links": ["want-two.html"],
    }
    assert place(built, "want-two") == {
        "text": "Part 2 of 3 in Learning to <Want>",
        "series": "../series/learning-to-want.html",
        "around": "← Previous: What We Want · Next: Wants That Last →",
        "links": ["want-one.html", "want-three.html"],
    }
    assert place(built, "want-three") == {
        "text": "Part 3 of 3 in Learning to <Want>",
        "series": "../series/learning-to-want.html",
        "around": "← Previous: Wanting to Want",
        "links": ["want-two.html"],
    }
    html = (built / "posts/2026/want-two.html").read_text(encoding="utf-8")
    # Right after the byline, escaped, skipped by search, styled on this page only.
    assert '<div class="series-nav no-search docutils container">' in html
    article = html[html.index("<article") :]
    assert article.index("post-byline") < article.index("series-nav") < article.index("The excerpt")
    assert "Learning to &lt;Want&gt;" in html and "<Want>" not in html
    assert "essayist-series.css" in html
    assert "series-nav" not in (built / "posts/2026/third.html").read_text(encoding="utf-8")
    assert "essayist-series.css" not in (built / "posts/2026/third.html").read_text("utf-8")


def test_the_series_page_lists_its_parts_in_order_with_excerpts(built):
    soup = page(built, "posts/series/learning-to-want.html")
    assert soup.title.get_text() == "Learning to <Want> - Test Blog documentation"
    assert soup.select_one("h1#series-title").get_text() == NAME
    assert soup.select_one(".series-count").get_text() == "A series in 3 parts."
    cards = soup.select("ol.series-parts > li.post-list-item article.post-card")
    assert [c.select_one(".post-card-title a").get_text() for c in cards] == [
        "What We Want",
        "Wanting to Want",
        "Wants That Last",
    ]
    assert [c.select_one(".post-card-title a")["href"] for c in cards] == [
        "../2026/want-one.html",
        "../2026/want-two.html",
        "../2026/want-three.html",
    ]
    assert [c.select_one(".post-excerpt").get_text(strip=True) for c in cards] == [
        "The excerpt of What We Want.",
        "The excerpt of Wanting to Want.",
        "The excerpt of Wants That Last.",
    ]
    assert soup.select_one(".collection-feed a")["href"] == "learning-to-want/atom.xml"
    feed = soup.select_one('link[rel="alternate"][href="learning-to-want/atom.xml"]')
    assert feed["title"] == "Learning to <Want> (Atom)"
    assert soup.select_one(".series-kicker a")["href"] == "../series.html"
    html = (built / "posts/series/learning-to-want.html").read_text(encoding="utf-8")
    assert "<Want>" not in html


def test_the_index_of_series(built):
    soup = page(built, "posts/series.html")
    assert soup.select_one("h1").get_text() == "Series"
    groups = soup.select("section.catalog-group")
    assert len(groups) == 1
    heading = groups[0].select_one("h2")
    assert heading.get_text() == "Learning to <Want> (3 parts)"
    assert heading.select_one("a")["href"] == "series/learning-to-want.html"
    assert [a["href"] for a in groups[0].select("ol li a")] == [
        "2026/want-one.html",
        "2026/want-two.html",
        "2026/want-three.html",
    ]


def sitemap_locs(outdir: Path) -> list[str]:
    root = ET.parse(outdir / "sitemap.xml").getroot()
    return [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def test_the_sitemap_lists_the_series_pages(built):
    locs = sitemap_locs(built)
    assert "https://example.org/blog/posts/series.html" in locs
    assert "https://example.org/blog/posts/series/learning-to-want.html" in locs
    assert not [loc for loc in locs if "atom.xml" in loc]


def test_the_series_feed_has_its_parts_newest_first(built):
    root = ET.parse(built / "posts/series/learning-to-want/atom.xml").getroot()
    assert root.findtext(f"{ATOM}title") == "Test Blog – Learning to <Want>"
    assert root.findtext(f"{ATOM}id") == "tag:example.org,2026:feeds/series/learning-to-want"
    alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == "https://example.org/blog/posts/series/learning-to-want.html"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Wants That Last",
        "Wanting to Want",
        "What We Want",
    ]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "https://example.org/blog/posts/2026/want-three.html",
        "https://example.org/blog/posts/2026/want-two.html",
        "https://example.org/blog/posts/2026/want-one.html",
    ]


def test_without_series_order_the_parts_go_by_date(tmp_path):
    src = site(tmp_path)
    for slug, title, date in (
        ("late", "Later Note", "2026-05-01"),
        ("early", "Early Note", "2026-01-20"),
    ):
        text = part_text(title, date, None, name="Side Notes")
        (src / f"posts/2026/{slug}.md").write_text(text, encoding="utf-8")
    app, warnings = run(src)
    assert warnings == ""
    assert place(app.outdir, "early")["text"] == "Part 1 of 2 in Side Notes"
    assert place(app.outdir, "late")["text"] == "Part 2 of 2 in Side Notes"
    groups = page(app.outdir, "posts/series.html").select("section.catalog-group h2")
    assert [g.get_text() for g in groups] == [
        "Learning to <Want> (3 parts)",
        "Side Notes (2 parts)",
    ]


def test_drafts_count_in_preview_only(tmp_path):
    src = site(tmp_path)
    draft = part_text("Wanting Less", "2026-05-10", 4, extra="draft: true")
    (src / "posts/2026/want-four.md").write_text(draft, encoding="utf-8")
    app, warnings = run(src)
    assert warnings == ""  # the draft fills no gap, makes none
    assert place(app.outdir, "want-three")["text"] == "Part 3 of 3 in Learning to <Want>"
    assert not (Path(app.outdir) / "posts/2026/want-four.html").exists()
    root = ET.parse(Path(app.outdir) / "posts/series/learning-to-want/atom.xml").getroot()
    assert len(root.findall(f"{ATOM}entry")) == 3
    preview, warnings = run(src, tmp_path / "preview", essayist_preview=True)
    assert warnings == ""
    assert place(preview.outdir, "want-three")["text"] == "Part 3 of 4 in Learning to <Want>"
    assert place(preview.outdir, "want-four")["text"] == "Part 4 of 4 in Learning to <Want>"
    cards = page(preview.outdir, "posts/series/learning-to-want.html").select(".post-card")
    assert cards[-1].select_one(".post-meta").get_text() == "Draft"


# -- Gaps and duplicates ---------------------------------------------------------


def check_lines(src: Path, capsys) -> list[str]:
    status = blog(["--root", str(src), "check", "--today", "2026-06-01"])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    return [line for line in out if ": note: " not in line]


def assert_reported(src: Path, capsys, found: dict[str, str]) -> None:
    """The build and `blog check` both say each message, at line 4 of its part."""
    _, warnings = run(src)
    assert warnings.splitlines() == [
        f"{src}/posts/2026/{slug}.md:4: WARNING: {message} [essayist.series]"
        for slug, message in found.items()
    ]
    assert check_lines(src, capsys) == [
        f"posts/2026/{slug}.md:4: {message}" for slug, message in found.items()
    ]


def test_a_duplicate_number_is_reported_with_its_line(tmp_path, capsys):
    src = site(tmp_path)
    write_parts(src, {"want-three": ("Wants That Last", "2026-04-10", 2)})
    # Each of the two is told which other part has its number.
    found = {
        "want-three": "series 'Learning to <Want>': series_order 2 is also that of "
        "posts/2026/want-two.md: give each part its own number",
        "want-two": "series 'Learning to <Want>': series_order 2 is also that of "
        "posts/2026/want-three.md: give each part its own number",
    }
    assert_reported(src, capsys, found)


def test_a_gap_is_reported_with_its_line(tmp_path, capsys):
    src = site(tmp_path)
    write_parts(src, {"want-three": ("Wants That Last", "2026-04-10", 4)})
    message = (
        "series 'Learning to <Want>' has no part 3 (its parts are numbered 1, 2, 4): "
        "number the parts from 1, without gaps"
    )
    assert_reported(src, capsys, {"want-three": message})


def test_a_huge_number_is_refused_before_the_gaps_are_counted(tmp_path, capsys):
    """A part numbered 10^20 made the gap check list every missing number (the
    build and blog check ran out of memory)."""
    src = site(tmp_path)
    write_parts(src, {"want-three": ("Wants That Last", "2026-04-10", 10**20)})
    message = "series_order 100000000000000000000 is too large: a series has at most 1,000 parts"
    # Without a number of its own, the part is also one of a series numbered otherwise.
    mixed = (
        "series 'Learning to <Want>': this part has no series_order and the others have "
        "one: give every part its series_order, or none (to order them by date)"
    )
    _, warnings = run(src)
    assert f"posts/2026/want-three.md:4: WARNING: {message} [essayist.series]" in warnings
    assert f"posts/2026/want-three.md:4: {message}" in check_lines(src, capsys)
    assert mixed in warnings


def test_a_draft_part_is_counted_by_the_checks(tmp_path, capsys):
    # A published build does not read drafts, and still sees the number they take.
    src = site(tmp_path)
    draft = part_text("Wanting Less", "2026-05-10", 3, extra="draft: true")
    (src / "posts/2026/want-four.md").write_text(draft, encoding="utf-8")
    found = {
        "want-four": "series 'Learning to <Want>': series_order 3 is also that of "
        "posts/2026/want-three.md: give each part its own number",
        "want-three": "series 'Learning to <Want>': series_order 3 is also that of "
        "posts/2026/want-four.md: give each part its own number",
    }
    assert_reported(src, capsys, found)


def test_the_checks_themselves():
    def part(path: str, order: int | None, name: str = "S") -> Part:
        return Part(path, name, order, 4)

    assert check_series([part("a.md", 1), part("b.md", 2), part("c.md", 3)]) == []
    assert check_series([part("a.md", None), part("b.md", None)]) == []
    assert check_series([part("a.md", 1), part("b.md", 5), part("c.md", 7)]) == [
        ("b.md", 4, "series 'S' has no parts 2 to 4 (its parts are numbered 1, 5, 7): "
         "number the parts from 1, without gaps"),
        ("c.md", 4, "series 'S' has no part 6 (its parts are numbered 1, 5, 7): "
         "number the parts from 1, without gaps"),
    ]  # fmt: skip
    assert check_series([part("a.md", 1), part("b.md", None)]) == [
        ("b.md", 4, "series 'S': this part has no series_order and the others have one: "
         "give every part its series_order, or none (to order them by date)"),
    ]  # fmt: skip
    assert check_series([part("a.md", None), part("b.md", None, "s")]) == [
        ("b.md", 4, "series 's' is spelled 'S' in a.md, and both are the same series: "
         "spell it one way"),
    ]  # fmt: skip


WHOLE = "series_order must be a whole number from 1 (the part's place), not"


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (
            "series_order: 2",
            2,
            "series_order without series: add 'series: <its name>', or remove the line",
        ),
        (
            "series: ''",
            2,
            "series is empty: write the series' name, or remove the 'series:' line",
        ),
        (
            "series: [a, b]",
            2,
            "series must be the name of the series, as text: series: Learning to Want",
        ),
        ("series: '!!'", 2, "series: '!!' has no letters or digits (its page needs an address)"),
        (
            "series: " + "字" * 150,  # under 200 characters, 450 bytes as a file name
            2,
            "series: its page's file name would be 450 bytes long; at most 200: shorten the name",
        ),
        ("series: S\nseries_order: two", 3, f"{WHOLE} 'two'"),
        ("series: S\nseries_order: 0", 3, f"{WHOLE} 0"),
    ],
)
def test_what_is_wrong_with_the_fields(front, line, message):
    _, problems = part_of(f"---\n{front}\n---\n\n# T\n", "p.md")
    assert [(p.line, p.message, p.kind) for p in problems] == [(line, message, Warn.SERIES)]


# -- Incremental builds ----------------------------------------------------------

FOURTH = ("Wanting Together", "2026-05-10", 4)
SHOWN = [
    "posts/2026/want-one.html",
    "posts/2026/want-two.html",
    "posts/2026/want-three.html",
    "posts/2026/want-four.html",
    "posts/series/learning-to-want.html",
    "posts/series.html",
    "posts/series/learning-to-want/atom.xml",
]


def test_adding_a_part_updates_the_others_as_a_clean_build_does(tmp_path):
    src = site(tmp_path)
    run(src, tmp_path / "out")
    write_parts(src, {"want-four": FOURTH})
    app, warnings = run(src, tmp_path / "out")
    assert warnings == ""
    out = Path(app.outdir)
    for slug, n in (("want-one", 1), ("want-two", 2), ("want-three", 3), ("want-four", 4)):
        assert place(out, slug)["text"] == f"Part {n} of 4 in Learning to <Want>"
    assert place(out, "want-three")["links"] == ["want-two.html", "want-four.html"]
    cards = page(out, "posts/series/learning-to-want.html").select(".post-card-title a")
    assert [a.get_text() for a in cards][-1] == "Wanting Together"
    clean_src = site(tmp_path, "clean")
    write_parts(clean_src, {"want-four": FOURTH})
    clean, _ = run(clean_src, tmp_path / "clean-out", freshenv=True)
    assert output_files(out).keys() == output_files(Path(clean.outdir)).keys()
    for name in SHOWN:
        assert (out / name).read_bytes() == (Path(clean.outdir) / name).read_bytes(), name


def test_an_unchanged_rebuild_rewrites_no_series_page(tmp_path):
    src = site(tmp_path)
    app, _ = run(src, freshenv=True)
    out = Path(app.outdir)
    before = {name: (out / name).stat().st_mtime_ns for name in SHOWN if (out / name).exists()}
    run(src)
    assert {name: (out / name).stat().st_mtime_ns for name in before} == before


def test_a_series_gone_takes_its_pages_and_feed_with_it(tmp_path):
    src = site(tmp_path)
    app, _ = run(src)
    for slug in PARTS:
        (src / f"posts/2026/{slug}.md").unlink()
    app, warnings = run(src)
    assert warnings == ""
    out = Path(app.outdir)
    assert not (out / "posts/series.html").exists()
    assert not (out / "posts/series/learning-to-want.html").exists()
    assert not (out / "posts/series/learning-to-want/atom.xml").exists()
    assert not [loc for loc in sitemap_locs(out) if "/series" in loc]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        # ABlog's slugs, as for tags: no "/" nor ".." survives.
        ("../../_templates/page", "_templatespage"),
        ("/etc/passwd", "etcpasswd"),
        ("Learning\x1b to \u202eWant", "learning-to-want"),
        ("<script>alert(1)</script>", "scriptalert1script"),
    ],
)
def test_a_series_page_stays_in_the_series_folder_whatever_its_name(name, slug):
    from essayist.blog.frontmatter import split_front_matter
    from essayist.scholarship.series_checks import series_fields
    from essayist.scholarship.series_model import series_page

    text = f"---\nseries: {json.dumps(name)}\n---\n"
    part, problems = series_fields(split_front_matter(text), "posts/2026/a.md")
    assert problems == [] and part.slug == slug
    assert series_page("posts", part.slug) == f"posts/series/{slug}"


def test_a_redirect_onto_a_series_page_is_reported_and_never_replaces_it(tmp_path):
    src = site(tmp_path)
    app, _ = run(src, tmp_path / "first")  # where the series page is
    (series_page,) = [
        p.relative_to(app.outdir).with_suffix("").as_posix()
        for p in (Path(app.outdir) / "posts/series").glob("*.html")
        if p.name != "index.html"
    ]
    (src / "posts/2026/mover.md").write_text(
        f"---\ndate: 2026-01-18\nredirect: {series_page}\n---\n\n# Mover\n\nText.\n",
        encoding="utf-8",
    )
    app, warnings = run(src, tmp_path / "second")
    assert (
        f"posts/2026/mover.md:3: WARNING: redirect: '{series_page}' is a page the site writes "
        "(a list of posts or a series): an old address must be free: remove it [essayist.redirect]"
    ) in [line.replace(f"{src}/", "") for line in warnings.splitlines()]
    written = page(app.outdir, f"{series_page}.html")
    assert written.find("meta", attrs={"http-equiv": "refresh"}) is None  # not a redirect
    assert "What We Want" in written.get_text()
