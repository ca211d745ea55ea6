"""Concepts: the pure functions, the test root's pages, previews, feeds and warnings."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import feedparser
import pytest
from blogtools import build, copy_root
from bs4 import BeautifulSoup
from conftest import PROJECT, norm

from essayist.concepts.model import build_model, name_index, related_posts
from essayist.concepts.source import (
    closest_concepts,
    concept_pages,
    find_concept_refs,
    normalize_concept_name,
)

ESSAY = "posts/2026/what-does-it-mean-to-align-an-ai"


def page(outdir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser")


def links(soup: BeautifulSoup, selector: str) -> list[tuple[str, str]]:
    return [(norm(a.get_text()), a["href"]) for a in soup.select(selector)]


# -- Pure functions ----------------------------------------------------------


def test_normalize_concept_name():
    assert normalize_concept_name("Goodhart’s  LAW") == "goodhart's law"
    assert normalize_concept_name(" Goodhart's\nLaw ") == "goodhart's law"
    assert normalize_concept_name("“Alignment”") == '"alignment"'
    assert normalize_concept_name("RLHF") == "rlhf"


def test_find_concept_refs():
    text = (
        "---\n"
        "title: {concept}`not in front matter`\n"
        "---\n"
        "\n"
        "A {concept}`Goodhart’s Law` and {concept}`this law <goodharts-law>`.\n"
        "% a comment: {concept}`not this`\n"
        "```python\n"
        "{concept}`nor this`\n"
        "```\n"
        ":::{note}\n"
        "But this: {concept}`RLHF`-trained, and a role that\n"
        "spans {concept}`two\n"
        "lines`.\n"
        ":::\n"
    )
    assert find_concept_refs(text) == [
        (5, "Goodhart’s Law"),
        (5, "goodharts-law"),
        (11, "RLHF"),
        (12, "two lines"),
    ]


def test_find_concept_refs_in_the_essay():
    text = (PROJECT / f"{ESSAY}.md").read_text(encoding="utf-8")
    assert find_concept_refs(text) == [
        (10, "ai-alignment"),
        (22, "specification problem"),
        (22, "reward function"),
        (22, "Goodhart’s Law"),
        (32, "Outer misalignment"),
        (37, "Inner misalignment"),
        (42, "RLHF"),
        (46, "helpful-honest-harmless"),
        (50, "interpretability"),
    ]


def test_the_concept_pages_are_read_without_a_build():
    known, clashes = name_index(dict(concept_pages(PROJECT)))
    assert clashes == []
    assert known["goodhart's law"] == "goodharts-law"
    assert known["goodhart"] == "goodharts-law"
    assert known["goodharts law"] == "goodharts-law"  # the file name, hyphens as spaces
    assert known["reward function"] == "proxy-objective"
    assert known["rlhf"] == "rlhf"
    assert known["the specification problem"] == "specification-problem"
    assert sorted(set(known.values())) == [
        "ai-alignment",
        "goodharts-law",
        "helpful-honest-harmless",
        "inner-misalignment",
        "interpretability",
        "outer-misalignment",
        "proxy-objective",
        "rlhf",
        "specification-problem",
    ]
    # Every reference in every post is known: what `blog check` verifies.
    for post in sorted((PROJECT / "posts").rglob("*.md")):
        for line, target in find_concept_refs(post.read_text(encoding="utf-8")):
            assert normalize_concept_name(target) in known, (post, line, target)


def test_closest_concepts():
    names = ["Goodhart's Law", "Interpretability", "RLHF", "Inner misalignment"]
    assert closest_concepts("Goodhard’s law", names) == ["Goodhart's Law"]
    assert closest_concepts("inner misalignement", names) == ["Inner misalignment"]
    assert closest_concepts("zebra", names) == []
    assert closest_concepts("goodhart law", {"goodhart's law": "goodharts-law"}) == [
        "goodhart's law"
    ]


def _post(title, date, tags=(), published=True):
    return {
        "title": title,
        "date": date,
        "month": "",
        "excerpt": "",
        "tags": list(tags),
        "published": published,
    }


def test_related_posts_rank_by_overlap_then_date_then_title():
    posts = {
        "a": _post("A", "2026-01-01", ["x", "y"]),
        "b": _post("B", "2026-02-01", ["x"]),  # 1 shared tag
        "c": _post("C", "2026-03-01", ["x", "y"]),  # 2 shared tags
        "d": _post("D", "2026-02-01", ["z"]),  # 1 shared concept, same date as b
        "e": _post("E", "2026-04-01", ["x", "y"], published=False),  # a draft
        "f": _post("F", "2026-05-01", []),  # nothing shared
        "g": _post("Aa", "2026-02-01", ["y"]),  # ties with b and d: title first
    }
    concepts = {"a": ["k"], "d": ["k"]}
    assert related_posts("a", concepts, posts) == ["c", "g", "b"]
    assert related_posts("a", concepts, posts, n=5) == ["c", "g", "b", "d"]


def test_build_model_backlinks_newest_first_without_drafts():
    concepts = {
        slug: {
            "name": name,
            "aliases": aliases,
            "related": related,
            "summary": "",
            "docname": f"c/{slug}",
        }
        for slug, name, aliases, related in [
            ("goodharts-law", "Goodhart's Law", ["Goodhart"], ["spec"]),
            ("spec", "Specification problem", [], []),
        ]
    }
    refs = {
        "p1": [("Goodhart’s law", 3)],
        "p2": [("GOODHART", 4), ("nope", 5)],
        "p3": [("goodharts-law", 1)],
        "c/spec": [("Goodhart's Law", 9)],
    }
    posts = {
        "p1": _post("One", "2026-01-01"),
        "p2": _post("Two", "2026-06-01"),
        "p3": _post("Three", "2026-09-01", published=False),
    }
    model = build_model(concepts, refs, posts)
    assert model["backlinks"] == {"goodharts-law": ["p2", "p1"], "spec": []}
    assert model["resolved"]["p2"] == {"GOODHART": "goodharts-law", "nope": None}
    assert model["post_concepts"]["p3"] == ["goodharts-law"]
    assert model["related"] == {"goodharts-law": ["spec"], "spec": ["goodharts-law"]}


# -- The test root -----------------------------------------------------------


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    src = copy_root("concepts", tmp_path_factory.mktemp("concepts"))
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    return app.outdir


def test_concept_page_lists_essays_newest_first(root):
    soup = page(root, "docs/concepts/goodharts-law.html")
    items = soup.select("section#concept-essays li.essay-item")
    assert [
        (
            norm(li.select_one("a").get_text()),
            li.select_one("a")["href"],
            li.select_one(".essay-item-date").get_text(),
            norm(li.select_one(".essay-item-excerpt").get_text()),
        )
        for li in items
    ] == [
        ("Third essay", "../../posts/2026/third.html", "July 2026", "The third essay comes last."),
        (
            "First essay",
            "../../posts/2026/first.html",
            "March 2026",
            "The first paragraph of the first essay.",
        ),
    ]
    assert links(soup, "section#concept-related li a") == [
        ("Specification problem", "specification-problem.html")
    ]
    assert norm(soup.select_one(".concept-aliases").get_text()) == "Also called: Goodhart"
    feed = soup.select_one("a.concept-feed-link")["href"]
    assert feed == "goodharts-law/atom.xml"
    head = [(lk["title"], lk["href"]) for lk in soup.select('link[type="application/atom+xml"]')]
    assert ("Essays on Goodhart’s Law (Atom)", "goodharts-law/atom.xml") in head


def test_related_concepts_are_symmetric(root):
    soup = page(root, "docs/concepts/specification-problem.html")
    assert links(soup, "section#concept-related li a") == [("Goodhart's Law", "goodharts-law.html")]
    assert links(soup, "section#concept-essays a.essay-ref") == [
        ("First essay", "../../posts/2026/first.html")
    ]
    soup = page(root, "docs/concepts/interpretability.html")
    assert soup.select("section#concept-related") == []
    assert links(soup, "section#concept-essays a.essay-ref") == [
        ("Fourth essay", "../../posts/2026/fourth.html"),
        ("Second essay", "../../posts/2026/second.html"),
    ]


def test_concepts_index(root):
    soup = page(root, "docs/concepts/index.html")
    rows = soup.select("ul.concepts-index > li")
    assert [
        (
            norm(li.select_one("a").get_text()),
            li.select_one("a")["href"],
            norm(li.select_one(".concept-summary").get_text()),
            li.select_one(".concept-count").get_text(),
        )
        for li in rows
    ] == [
        (
            "Goodhart's Law",
            "goodharts-law.html",
            "A measure that becomes a target stops being a good measure.",
            "(2 essays)",
        ),
        ("Interpretability", "interpretability.html", "Looking inside a model.", "(2 essays)"),
        (
            "Specification problem",
            "specification-problem.html",
            "We cannot fully write down what we want.",
            "(1 essay)",
        ),
    ]


def test_essay_links_its_concepts_and_ends_with_them(root):
    soup = page(root, "posts/2026/first.html")
    body = soup.select_one("article[role=main]")
    assert links(body.select_one("section#first-essay > p:nth-of-type(2)"), "a.concept-ref") == [
        ("specification problem", "../../docs/concepts/specification-problem.html"),
        ("Goodhart's Law", "../../docs/concepts/goodharts-law.html"),
        ("Goodhart", "../../docs/concepts/goodharts-law.html"),
    ]
    assert links(body, "section#essayist-concepts li a") == [
        ("Goodhart's Law", "../../docs/concepts/goodharts-law.html"),
        ("Specification problem", "../../docs/concepts/specification-problem.html"),
    ]
    assert links(body, "section#essayist-related li a") == [
        ("Third essay", "third.html"),
        ("Fourth essay", "fourth.html"),
        ("Second essay", "second.html"),
    ]
    # Both sections come after the essay and before its foot.
    headings = [norm(h.get_text()).rstrip("¶").strip() for h in body.select("h2")]
    assert headings == ["Cite this essay", "Concepts in this essay", "Related essays"]
    foot = body.select_one(".post-foot")
    assert foot is not None
    assert foot.find_previous("section")["id"] == "essayist-related"


def test_related_essays_rank_by_shared_concepts_and_tags(root):
    def related(name):
        return [a["href"] for a in page(root, name).select("section#essayist-related li a")]

    assert related("posts/2026/second.html") == ["fourth.html", "first.html"]
    assert related("posts/2026/third.html") == ["first.html"]
    assert related("posts/2026/fourth.html") == ["second.html", "first.html"]


def test_previews_are_one_small_file_per_target(root):
    previews = sorted(p.relative_to(root).as_posix() for p in (root / "_previews").rglob("*"))
    assert previews == [
        "_previews/docs",
        "_previews/docs/concepts",
        "_previews/docs/concepts/goodharts-law.json",
        "_previews/docs/concepts/interpretability.json",
        "_previews/docs/concepts/specification-problem.json",
        "_previews/posts",
        "_previews/posts/2026",
        "_previews/posts/2026/first.json",
        "_previews/posts/2026/fourth.json",
        "_previews/posts/2026/second.json",
        "_previews/posts/2026/third.json",
    ]
    concept = json.loads((root / "_previews/docs/concepts/goodharts-law.json").read_text())
    assert concept == {
        "kind": "concept",
        "title": "Goodhart’s Law",
        "summary": "A measure that becomes a target stops being a good measure.",
        "text": "When a measure becomes a target, it ceases to be a good measure.",
    }
    essay = json.loads((root / "_previews/posts/2026/first.json").read_text())
    assert essay == {
        "kind": "essay",
        "title": "First essay",
        "date": "March 2026",
        "text": "The first paragraph of the first essay.",
    }


def test_preview_script_and_link_classes(root):
    soup = page(root, "posts/2026/second.html")
    scripts = [s.get("src", "") for s in soup.select("script")]
    assert any(s.startswith("../../_static/essayist-previews.js") for s in scripts)
    assert all(s.get("src") for s in soup.select("script") if "essayist" in str(s))
    assert (root / "_static/essayist-previews.js").is_file()
    styles = [lk["href"] for lk in soup.select('link[rel="stylesheet"]')]
    assert any(h.startswith("../../_static/essayist-concepts.css") for h in styles)
    body = soup.select_one("article[role=main]")
    # A {doc} link to another essay gets a preview; the concept link its own.
    assert links(body, "a.essay-ref") == [
        ("First essay", "first.html"),
        ("Fourth essay", "fourth.html"),
        ("First essay", "first.html"),
    ]
    assert links(body, "p a.concept-ref")[0] == (
        "interpretability",
        "../../docs/concepts/interpretability.html",
    )
    # Each preview the page can ask for exists.
    for a in body.select("a.concept-ref, a.essay-ref"):
        target = (root / "posts/2026" / a["href"]).resolve().relative_to(root)
        assert (root / "_previews" / target.with_suffix(".json")).is_file(), a["href"]
    # The home page's post list gets previews too.
    home = page(root, "index.html").select_one("article[role=main]")
    assert sorted({a["href"] for a in home.select("a.essay-ref")}) == [
        "posts/2026/first.html",
        "posts/2026/fourth.html",
        "posts/2026/second.html",
        "posts/2026/third.html",
    ]


def test_concept_feed(root):
    raw = (root / "docs/concepts/goodharts-law/atom.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert feed.bozo == 0
    assert feed.feed.title == "Blog – Goodhart’s Law"
    assert feed.feed.id == "tag:example.org,2026:feeds/concepts/goodharts-law"
    assert feed.feed.link == "https://example.org/docs/concepts/goodharts-law.html"
    assert [e.link for e in feed.entries] == [
        "https://example.org/posts/2026/third.html",
        "https://example.org/posts/2026/first.html",
    ]
    for entry in feed.entries:
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        for tag in content.select("[href], [src]"):
            url = tag.get("href") or tag.get("src")
            assert url.startswith("https://example.org/"), url


def test_concept_feeds_are_valid_atom(root):
    from lxml import etree

    schema = etree.RelaxNG(etree.parse(str(PROJECT / "tests/schemas/atom.rng")))
    for path in sorted((root / "docs/concepts").rglob("atom.xml")):
        assert schema.validate(etree.parse(str(path))), (path, schema.error_log)


def test_objects_inv_exposes_concepts(root):
    raw = (root / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    entries = sorted(line for line in body.splitlines() if " concept:concept " in line)
    assert entries == [
        "goodharts-law concept:concept -1 docs/concepts/goodharts-law.html#concept-$ "
        "Goodhart's Law",
        "interpretability concept:concept -1 docs/concepts/interpretability.html#concept-$ "
        "Interpretability",
        "specification-problem concept:concept -1 "
        "docs/concepts/specification-problem.html#concept-$ Specification problem",
    ]


# -- Warnings ------------------------------------------------------------------


def test_unknown_concept_warns_with_file_line_and_suggestion(tmp_path):
    src = copy_root("concepts", tmp_path)
    post = src / "posts/2026/first.md"
    post.write_text(
        post.read_text(encoding="utf-8") + "\nA typo: {concept}`Goodhart Law`.\n\n"
        "And {concept}`Nonexistent idea`.\n",
        encoding="utf-8",
    )
    _, warnings = build(src, freshenv=True)
    assert warnings.splitlines() == [
        f"{post}:13: WARNING: unknown concept 'Goodhart Law': did you mean 'Goodhart's Law'? "
        "[concept.unknown]",
        f"{post}:15: WARNING: unknown concept 'Nonexistent idea': no concept has this name, "
        "alias or slug; define it with a {concept} directive on a page under docs/concepts/ "
        "[concept.unknown]",
    ]
    # With nothing changed, the next build repeats the warning: -W keeps failing.
    _, warnings = build(src)
    assert len(warnings.splitlines()) == 2
    assert "unknown concept 'Goodhart Law'" in warnings


def test_unknown_related_concept_warns(tmp_path):
    src = copy_root("concepts", tmp_path)
    page_src = src / "docs/concepts/interpretability.md"
    page_src.write_text(
        page_src.read_text().replace(":summary:", ":related: Goodhard\n:summary:"),
        encoding="utf-8",
    )
    _, warnings = build(src, freshenv=True)
    assert warnings.splitlines() == [
        f"{page_src}:3: WARNING: unknown related concept 'Goodhard' in the definition of "
        "'Interpretability'; use a concept's name, alias or slug [concept.unknown]"
    ]


def test_duplicate_alias_warns(tmp_path):
    src = copy_root("concepts", tmp_path)
    page_src = src / "docs/concepts/interpretability.md"
    page_src.write_text(
        page_src.read_text().replace(":summary:", ":aliases: Goodhart\n:summary:"),
        encoding="utf-8",
    )
    _, warnings = build(src, freshenv=True)
    assert warnings.splitlines() == [
        f"{page_src}:3: WARNING: 'goodhart' names two concepts: 'Interpretability' here and "
        "'Goodhart's Law' in docs/concepts/goodharts-law.md (line 3); remove it from one of "
        "them [concept.duplicate]"
    ]


# -- The real site -------------------------------------------------------------


def test_every_concept_in_the_essay_links_to_a_page_that_lists_it(site):
    essay = page(site, f"{ESSAY}.html")
    body = essay.select_one("article[role=main]")
    refs = [(norm(a.get_text()), a["href"]) for a in body.select("a.concept-ref")]
    inline = refs[:9]
    assert inline == [
        ("Alignment", "../../docs/concepts/ai-alignment.html"),
        ("specification problem", "../../docs/concepts/specification-problem.html"),
        ("reward function", "../../docs/concepts/proxy-objective.html"),
        ("Goodhart's Law", "../../docs/concepts/goodharts-law.html"),
        ("Outer misalignment", "../../docs/concepts/outer-misalignment.html"),
        ("Inner misalignment", "../../docs/concepts/inner-misalignment.html"),
        ("RLHF", "../../docs/concepts/rlhf.html"),
        ("honest, helpful, and harmless", "../../docs/concepts/helpful-honest-harmless.html"),
        ("interpretability", "../../docs/concepts/interpretability.html"),
    ]
    for _, href in inline:
        concept = page(site, f"posts/2026/{href}")
        backlinks = [a["href"] for a in concept.select("section#concept-essays a.essay-ref")]
        assert backlinks == [f"../../{ESSAY}.html"], href
    listed = [href for _, href in refs[9:]]
    assert sorted(listed) == sorted(href for _, href in inline)


def test_the_essay_reads_word_for_word(site):
    body = norm(page(site, f"{ESSAY}.html").select_one("article[role=main]").get_text())
    for sentence in [
        '"Alignment" is one of those words that gets used constantly in AI discourse',
        "This is sometimes called the specification problem. If you train a system to "
        "maximize a reward function, and your reward function is an imperfect proxy",
        "This is Goodhart's Law applied to AI.",
        "Outer misalignment is already visible today — RLHF-trained models often learn",
        "just tell them to be honest, helpful, and harmless. But values aren't like rules",
        "This is why I find interpretability research so interesting",
    ]:
        assert sentence in body


def test_site_concepts_index(site):
    soup = page(site, "docs/concepts/index.html")
    names = [norm(a.get_text()) for a in soup.select("ul.concepts-index > li > p > a")]
    assert names == [
        "AI alignment",
        "Goodhart's Law",
        "Helpful, honest and harmless",
        "Inner misalignment",
        "Interpretability",
        "Outer misalignment",
        "Proxy objective",
        "Reinforcement learning from human feedback",
        "Specification problem",
    ]
    counts = {c.get_text() for c in soup.select("ul.concepts-index .concept-count")}
    assert counts == {"(1 essay)"}


def test_intersphinx_links_to_concepts_both_ways(root, tmp_path):
    # Another essayist site names our concepts with {concept}`essays:slug`; any
    # Sphinx site can link to a concept's page with {external+essays:doc}.
    src = copy_root("concepts", tmp_path)
    with open(src / "conf.py", "a", encoding="utf-8") as conf:
        conf.write(
            'extensions.append("sphinx.ext.intersphinx")\n'
            "intersphinx_mapping = "
            f'{{"essays": ("https://essays.example/", "{root}/objects.inv")}}\n'
        )
    post = src / "posts/2026/third.md"
    post.write_text(
        post.read_text(encoding="utf-8") + "\nElsewhere: {concept}`essays:interpretability`, "
        "{external+essays:doc}`docs/concepts/goodharts-law`.\n",
        encoding="utf-8",
    )
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    soup = page(app.outdir, "posts/2026/third.html")
    assert links(soup.select_one("article[role=main]"), "a.reference.external") == [
        (
            "Interpretability",
            "https://essays.example/docs/concepts/interpretability.html#concept-interpretability",
        ),
        ("Goodhart's Law", "https://essays.example/docs/concepts/goodharts-law.html"),
    ]


def test_search_index_skips_the_furniture(root):
    """Byline, kicker, foot, "Concepts in this essay" and "Related essays" name
    other pages: a search must find an essay by its own words, not theirs."""
    text = (root / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    assert "Related essays" not in index["alltitles"]
    assert "Concepts in this essay" not in index["alltitles"]
    essays = {i for i, name in enumerate(index["docnames"]) if name.startswith("posts/2026/")}
    assert essays
    # "min" only occurs in the byline's "N min read".
    found = index["terms"].get("min", [])
    found = {found} if isinstance(found, int) else set(found)
    assert not found & essays
    # The essays' own words are still there.
    assert essays & set(index["terms"]["paragraph"])
