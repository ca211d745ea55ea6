"""The concept map: its SVG and links, the same as lists, determinism, incremental builds.

Also ``time_site_map``: the layout of 50 concepts and 300 essays, timed (printed,
never asserted: ``pytest -s -k scale`` shows it).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from blogtools import build, copy_root
from bs4 import BeautifulSoup
from conftest import PROJECT

from essayist.concepts.map import Concept, Essay, local_map, map_svg, site_map, wrap

MAP_PAGE = "# Concept map\n\n```{concept-map}\n```\n"
MAP = "docs/concepts/map.html"
CONCEPT_PAGES = [
    "docs/concepts/goodharts-law.html",
    "docs/concepts/interpretability.html",
    "docs/concepts/specification-problem.html",
]


def with_map(tmp_path: Path) -> Path:
    src = copy_root("concepts", tmp_path)
    (src / "docs/concepts/map.md").write_text(MAP_PAGE, encoding="utf-8")
    return src


def page(outdir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser")


def svg_links(svg) -> list[tuple[str, str, str]]:
    """(kind, href, name) of each link in the map, in document (keyboard) order."""
    found = []
    for a in svg.find_all("a"):
        kind = "concept" if "map-concept" in a["class"] else "essay"
        name = " ".join(a.get_text(" ").split()) if kind == "concept" else a["aria-label"]
        found.append((kind, a["href"], name))
    return found


def text_version(soup: BeautifulSoup) -> list:
    """The lists after the map: [(concept, href, {group: [(text, href)]})]."""
    out = []
    for li in soup.select("ul.concept-map-list > li"):
        a = li.select_one(":scope > p > a")
        groups = {}
        for sub in li.select(":scope > ul > li"):
            label = sub.select_one(":scope > p").get_text()
            groups[label] = [(x.get_text(), x["href"]) for x in sub.select("ul a")]
        out.append((a.get_text(), a["href"], groups))
    return out


# -- The map page and the concept pages ----------------------------------------


def test_the_map_page_shows_every_concept_and_essay_as_links(tmp_path):
    app, warnings = build(with_map(tmp_path), tmp_path / "out")
    assert warnings == ""
    soup = page(app.outdir, MAP)
    (svg,) = soup.select("div.concept-map svg.concept-map-svg")
    assert "role" not in svg.attrs
    assert svg["aria-labelledby"] == "concept-map-title"
    assert svg["aria-describedby"] == "concept-map-desc"
    title = svg.find("title", recursive=False)
    assert title["id"] == "concept-map-title"
    assert title.get_text() == "Map of the concepts: 3 concepts and 4 essays"
    assert svg.find("desc", recursive=False)["id"] == "concept-map-desc"
    assert len(svg.select("a.map-concept")) == 3
    assert len(svg.select("a.map-essay")) == 4
    # Concepts round the circle from the first by name, each next the most
    # linked to it; then essays, newest first.
    assert svg_links(svg) == [
        ("concept", "goodharts-law.html", "Goodhart’s Law"),
        ("concept", "specification-problem.html", "Specification problem"),
        ("concept", "interpretability.html", "Interpretability"),
        ("essay", "../../posts/2026/third.html", "Third essay"),
        ("essay", "../../posts/2026/fourth.html", "Fourth essay"),
        ("essay", "../../posts/2026/second.html", "Second essay"),
        ("essay", "../../posts/2026/first.html", "First essay"),
    ]
    # One line between related concepts; one from each essay to each of its concepts.
    assert len(svg.select("g.map-related line")) == 1
    assert len(svg.select("g.map-uses line")) == 5
    # No script, and every link is reached from the keyboard (none is taken out).
    assert not soup.select("article script") and not svg.select("[tabindex]")
    assert text_version(soup) == [
        (
            "Goodhart’s Law",
            "goodharts-law.html",
            {
                "Related concepts": [("Specification problem", "specification-problem.html")],
                "Essays that use it": [
                    ("Third essay", "../../posts/2026/third.html"),
                    ("First essay", "../../posts/2026/first.html"),
                ],
            },
        ),
        (
            "Interpretability",
            "interpretability.html",
            {
                "Essays that use it": [
                    ("Fourth essay", "../../posts/2026/fourth.html"),
                    ("Second essay", "../../posts/2026/second.html"),
                ]
            },
        ),
        (
            "Specification problem",
            "specification-problem.html",
            {
                "Related concepts": [("Goodhart’s Law", "goodharts-law.html")],
                "Essays that use it": [("First essay", "../../posts/2026/first.html")],
            },
        ),
    ]
    # The stylesheet comes with a map, and only with one.
    css = "essayist-map.css"
    assert soup.select_one(f'link[href*="{css}"]') is not None
    assert page(app.outdir, "posts/2026/first.html").select_one(f'link[href*="{css}"]') is None


def test_each_concept_page_has_its_own_small_map(tmp_path):
    app, _ = build(with_map(tmp_path), tmp_path / "out")
    soup = page(app.outdir, "docs/concepts/goodharts-law.html")
    section = soup.select_one("section#concept-map-local")
    assert section.select_one("h2").get_text().strip("#¶ ") == "This idea on the map"
    (svg,) = section.select("svg.concept-map-svg")
    assert svg["aria-labelledby"] == "concept-map-local-title"
    assert svg.find("title").get_text() == ("Map of Goodhart’s Law: 1 related concept and 2 essays")
    assert svg_links(svg) == [
        ("concept", "#concept-goodharts-law", "Goodhart’s Law"),
        ("concept", "specification-problem.html", "Specification problem"),
        ("essay", "../../posts/2026/third.html", "Third essay"),
        ("essay", "../../posts/2026/first.html", "First essay"),
    ]
    more = section.select_one("p.concept-map-more a")
    assert (more.get_text(), more["href"]) == ("See every concept on the map", "map.html")
    interpretability = page(app.outdir, "docs/concepts/interpretability.html")
    svg = interpretability.select_one("svg.concept-map-svg")
    assert svg.find("title").get_text() == (
        "Map of Interpretability: 0 related concepts and 2 essays"
    )


def test_two_clean_builds_give_the_same_map_byte_for_byte(tmp_path):
    src = with_map(tmp_path)
    first, _ = build(src, tmp_path / "one", freshenv=True)
    second, _ = build(src, tmp_path / "two", freshenv=True)
    for name in [MAP, *CONCEPT_PAGES]:
        assert (first.outdir / name).read_bytes() == (second.outdir / name).read_bytes(), name


# -- Incremental builds -------------------------------------------------------------


def maps_match_a_clean_build(src: Path, outdir: Path, clean: Path) -> None:
    """The map page and every concept page as a clean build writes them."""
    app, warnings = build(src, clean, freshenv=True)
    assert warnings == ""
    for name in [MAP, *CONCEPT_PAGES, "docs/concepts/reward-hacking.html"]:
        assert (outdir / name).read_bytes() == (app.outdir / name).read_bytes(), name


def test_the_maps_follow_a_new_concept_and_a_new_essay(tmp_path):
    src = with_map(tmp_path)
    build(src, tmp_path / "out")
    (src / "docs/concepts/reward-hacking.md").write_text(
        "# Reward hacking\n\n```{concept} Reward hacking\n:related: Goodhart's Law\n"
        ":summary: Scoring well without doing the task.\n\nGaming the reward.\n```\n",
        encoding="utf-8",
    )
    app, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    svg = page(app.outdir, MAP).select_one("svg.concept-map-svg")
    assert svg.find("title").get_text() == "Map of the concepts: 4 concepts and 4 essays"
    assert ("concept", "reward-hacking.html", "Reward hacking") in svg_links(svg)
    local = page(app.outdir, "docs/concepts/goodharts-law.html").select_one("svg.concept-map-svg")
    assert local.find("title").get_text() == (
        "Map of Goodhart’s Law: 2 related concepts and 2 essays"
    )
    maps_match_a_clean_build(src, app.outdir, tmp_path / "clean-1")

    (src / "posts/2026/fifth.md").write_text(
        "---\ndate: 2026-09-01\ntags: other\n---\n\n# Fifth essay\n\nIts excerpt.\n\n"
        "On {concept}`Interpretability` and {concept}`reward hacking`.\n",
        encoding="utf-8",
    )
    app, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    svg = page(app.outdir, MAP).select_one("svg.concept-map-svg")
    assert svg.find("title").get_text() == "Map of the concepts: 4 concepts and 5 essays"
    assert ("essay", "../../posts/2026/fifth.html", "Fifth essay") in svg_links(svg)
    assert len(svg.select("g.map-uses line")) == 7
    maps_match_a_clean_build(src, app.outdir, tmp_path / "clean-2")
    for name in ("reward-hacking", "interpretability"):
        html = (app.outdir / f"docs/concepts/{name}.html").read_text(encoding="utf-8")
        assert "../../posts/2026/fifth.html" in html


# -- The layout, without Sphinx ------------------------------------------------------


def test_labels_wrap_at_word_boundaries():
    assert wrap("Reinforcement learning from human feedback") == (
        "Reinforcement",
        "learning from",
        "human feedback",
    )
    assert wrap("RLHF") == ("RLHF",)


def test_the_layout_is_the_same_for_the_same_data():
    concepts, essays = synthetic(12, 40)
    one = map_svg(site_map(concepts, essays), "m", "Map", "All of it")
    two = map_svg(site_map(list(concepts), list(essays)), "m", "Map", "All of it")
    assert one == two
    local = local_map(concepts[0], concepts[1:4], essays[:5])
    assert [n.kind for n in local.nodes] == ["concept"] * 4 + ["essay"] * 5


def synthetic(n_concepts: int, n_essays: int, seed: int = 17) -> tuple[list, list]:
    """Concepts with up to three related ones, essays each using one to four."""
    rng = random.Random(seed)
    words = [
        "goal",
        "reward",
        "proxy",
        "model",
        "value",
        "honest",
        "harm",
        "agent",
        "policy",
        "oversight",
        "debate",
    ]
    slugs = [f"concept-{i:02d}" for i in range(n_concepts)]
    concepts = [
        Concept(
            slug,
            " ".join(rng.choice(words) for _ in range(rng.randint(1, 3))).capitalize() + f" {i}",
            f"{slug}.html",
            tuple(rng.sample(slugs, rng.randint(0, 3))),
        )
        for i, slug in enumerate(slugs)
    ]
    essays = [
        Essay(
            f"posts/e{i}", f"Essay {i}", f"e{i}.html", tuple(rng.sample(slugs, rng.randint(1, 4)))
        )
        for i in range(n_essays)
    ]
    return concepts, essays


def time_site_map(n_concepts: int = 50, n_essays: int = 300, runs: int = 5) -> float:
    """The best of ``runs`` times to lay out and draw a map of this size, in seconds."""
    concepts, essays = synthetic(n_concepts, n_essays)
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        map_svg(site_map(concepts, essays), "concept-map", "Map", "All of it")
        best = min(best, time.perf_counter() - start)
    return best


def test_fifty_concepts_and_three_hundred_essays_lay_out(capsys):
    concepts, essays = synthetic(50, 300)
    layout = site_map(concepts, essays)
    assert sum(n.kind == "concept" for n in layout.nodes) == 50
    assert sum(n.kind == "essay" for n in layout.nodes) == 300
    # Every essay inside the circle of concepts, no two on top of each other.
    ring = max(abs(complex(n.x, n.y)) for n in layout.nodes if n.kind == "concept")
    spots = {(n.x, n.y) for n in layout.nodes if n.kind == "essay"}
    assert len(spots) == 300
    assert all(abs(complex(x, y)) < ring for x, y in spots)
    with capsys.disabled():
        print(f"\nconcept map, 50 concepts and 300 essays: {time_site_map():.3f} s")


def test_the_real_site_has_a_map_page():
    text = (PROJECT / "docs/concepts/map.md").read_text(encoding="utf-8")
    assert "```{concept-map}" in text
    index = (PROJECT / "docs/concepts/index.md").read_text(encoding="utf-8")
    assert "{doc}`concept map <map>`" in index
