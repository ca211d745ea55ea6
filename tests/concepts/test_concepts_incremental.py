"""Concepts stay right across incremental and parallel builds.

After any sequence of edits (add or delete a post, add, remove or change concept
references, rename a concept, change tags or a date), an incremental build gives
the same pages, feeds and previews as a clean build, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from blogtools import build, copy_root, output_files
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st


def page(outdir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser")


def backlinks(outdir: Path, slug: str) -> list[str]:
    soup = page(outdir, f"docs/concepts/{slug}.html")
    return [a["href"] for a in soup.select("section#concept-essays a.essay-ref")]


def index_counts(outdir: Path) -> dict[str, str]:
    soup = page(outdir, "docs/concepts/index.html")
    return {
        li.select_one("a")["href"]: li.select_one(".concept-count").get_text()
        for li in soup.select("ul.concepts-index > li")
    }


def related(outdir: Path, post: str) -> list[str]:
    soup = page(outdir, f"posts/2026/{post}.html")
    return [a["href"] for a in soup.select("section#essayist-related li a")]


def concepts_of(outdir: Path, post: str) -> list[str]:
    soup = page(outdir, f"posts/2026/{post}.html")
    return [a["href"] for a in soup.select("section#essayist-concepts li a")]


def post_text(title: str, date: str, tags: str, body: str) -> str:
    return (
        f"---\ndate: {date}\ntags: {tags}\n---\n\n# {title}\n\nThe excerpt of {title}.\n\n{body}\n"
    )


def test_a_new_post_naming_goodhart_appears_after_an_incremental_build(tmp_path):
    src = copy_root("concepts", tmp_path)
    app, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    assert backlinks(app.outdir, "goodharts-law") == [
        "../../posts/2026/third.html",
        "../../posts/2026/first.html",
    ]
    (src / "posts/2026/fifth.md").write_text(
        post_text("Fifth essay", "2026-09-01", "proxies", "On {concept}`Goodhart's Law`."),
        encoding="utf-8",
    )
    app, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    assert backlinks(app.outdir, "goodharts-law") == [
        "../../posts/2026/fifth.html",
        "../../posts/2026/third.html",
        "../../posts/2026/first.html",
    ]
    assert index_counts(app.outdir)["goodharts-law.html"] == "(3 essays)"
    # The first essay shares the concept and a tag with it: it ranks first.
    assert related(app.outdir, "first") == [
        "fifth.html",
        "third.html",
        "fourth.html",
    ]


def test_removing_and_changing_references_update_every_page(tmp_path):
    src = copy_root("concepts", tmp_path)
    build(src, tmp_path / "out")
    third = src / "posts/2026/third.md"
    third.write_text(
        third.read_text(encoding="utf-8").replace("{concept}`this law <goodharts-law>`", "it"),
        encoding="utf-8",
    )
    second = src / "posts/2026/second.md"
    second.write_text(
        second.read_text(encoding="utf-8").replace(
            "`interpretability`", "`the specification problem`"
        ),
        encoding="utf-8",
    )
    app, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    out = app.outdir
    assert backlinks(out, "goodharts-law") == ["../../posts/2026/first.html"]
    assert backlinks(out, "interpretability") == ["../../posts/2026/fourth.html"]
    assert backlinks(out, "specification-problem") == [
        "../../posts/2026/second.html",
        "../../posts/2026/first.html",
    ]
    assert index_counts(out) == {
        "goodharts-law.html": "(1 essay)",
        "interpretability.html": "(1 essay)",
        "specification-problem.html": "(2 essays)",
    }
    assert concepts_of(out, "second") == ["../../docs/concepts/specification-problem.html"]
    assert concepts_of(out, "third") == []
    assert related(out, "third") == []
    assert related(out, "first") == ["second.html", "fourth.html"]


def test_renaming_or_removing_a_concept_flags_posts_still_naming_it(tmp_path):
    src = copy_root("concepts", tmp_path)
    _, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    concept = src / "docs/concepts/goodharts-law.md"
    concept.write_text(
        concept.read_text(encoding="utf-8")
        .replace("Goodhart's Law", "Campbell's Law")
        .replace(":aliases: Goodhart", ":aliases: Campbell"),
        encoding="utf-8",
    )
    first = src / "posts/2026/first.md"
    expected = [
        f"{first}:10: WARNING: unknown concept 'Goodhart’s Law': did you mean "
        "'Campbell's Law'? [concept.unknown]",
        # The role is on line 11, in a paragraph that starts on line 10: MyST
        # gives inline nodes their paragraph's line.
        f"{first}:10: WARNING: unknown concept 'Goodhart': did you mean 'Campbell's Law'? "
        "[concept.unknown]",
    ]
    _, warnings = build(src, tmp_path / "out")
    assert warnings.splitlines() == expected
    # Nothing changed: the warnings come again, so `make html` keeps failing.
    _, warnings = build(src, tmp_path / "out")
    assert warnings.splitlines() == expected

    concept.unlink()
    app, warnings = build(src, tmp_path / "out")
    third = src / "posts/2026/third.md"
    assert sorted(line.split(": WARNING: ")[0] for line in warnings.splitlines()) == [
        f"{first}:10",
        f"{first}:10",
        f"{third}:10",
    ]
    assert list(index_counts(app.outdir)) == ["interpretability.html", "specification-problem.html"]
    assert not (app.outdir / "_previews/docs/concepts/goodharts-law.json").exists()
    assert not (app.outdir / "docs/concepts/goodharts-law/atom.xml").exists()


def test_drafts_never_appear(tmp_path):
    src = copy_root("concepts", tmp_path)
    (src / "posts/2026/draft.md").write_text(
        "---\ntags: alignment\n---\n\n# Draft Zebra\n\nA draft naming {concept}`Goodhart's Law`.\n",
        encoding="utf-8",
    )
    for preview in (False, True):
        app, warnings = build(src, tmp_path / f"out-{preview}", essayist_preview=preview)
        assert warnings == ""
        out = app.outdir
        assert (out / "posts/2026/draft.html").exists() is preview
        assert backlinks(out, "goodharts-law") == [
            "../../posts/2026/third.html",
            "../../posts/2026/first.html",
        ]
        assert index_counts(out)["goodharts-law.html"] == "(2 essays)"
        assert "draft" not in " ".join(related(out, "first"))
        assert not (out / "_previews/posts/2026/draft.json").exists()
        feed = (out / "docs/concepts/goodharts-law/atom.xml").read_text(encoding="utf-8")
        assert "Draft Zebra" not in feed
        assert "Draft Zebra" not in (out / "_previews/docs/concepts/goodharts-law.json").read_text()


def comparable(outdir: Path) -> dict[str, bytes]:
    return output_files(outdir)


def assert_same_output(incremental: Path, clean: Path) -> None:
    mine, theirs = comparable(incremental), comparable(clean)
    differ = sorted(p for p in theirs if mine.get(p) != theirs[p])
    assert differ == []


def test_parallel_build_equals_serial(tmp_path):
    src = copy_root("concepts", tmp_path)
    serial, warnings = build(src, tmp_path / "serial", freshenv=True)
    assert warnings == ""
    parallel, warnings = build(src, tmp_path / "parallel", freshenv=True, parallel=2)
    assert warnings == ""
    assert_same_output(parallel.outdir, serial.outdir)


# -- Incremental builds equal clean builds, for generated edit sequences ------

CONCEPT_NAMES = {
    "goodharts-law": ["Goodhart's Law", "Campbell's Law"],
    "interpretability": ["Interpretability", "Transparency"],
}
TARGETS = [
    "Goodhart’s Law",
    "goodharts-law",
    "Goodhart",
    "interpretability",
    "the specification problem",
]
SLUGS = ["first", "second", "third", "fourth", "fifth"]
TAGS = ["alignment", "proxies", "other"]

posts_st = st.fixed_dictionaries(
    {
        "month": st.integers(1, 10),
        "tags": st.lists(st.sampled_from(TAGS), min_size=1, max_size=2, unique=True),
        "refs": st.lists(st.sampled_from(TARGETS), max_size=3, unique=True),
    }
)
edits_st = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(SLUGS), posts_st),
    st.tuples(st.just("delete"), st.sampled_from(SLUGS)),
    st.tuples(st.just("refs"), st.sampled_from(SLUGS), posts_st.map(lambda p: p["refs"])),
    st.tuples(st.just("tags"), st.sampled_from(SLUGS), posts_st.map(lambda p: p["tags"])),
    st.tuples(st.just("date"), st.sampled_from(SLUGS), st.integers(1, 10)),
    st.tuples(st.just("rename"), st.sampled_from(sorted(CONCEPT_NAMES)), st.integers(0, 1)),
    st.tuples(st.just("drop"), st.sampled_from(sorted(CONCEPT_NAMES)), st.booleans()),
)


def write_if_different(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def render_post(slug: str, post: dict) -> str:
    refs = ", ".join(f"{{concept}}`{t}`" for t in post["refs"]) or "no concept"
    return post_text(
        f"Essay {slug}",
        f"2026-{post['month']:02d}-01",
        ", ".join(post["tags"]),
        f"It names {refs}.",
    )


def render_concept(slug: str, name: str, original: str) -> str:
    return original.replace(CONCEPT_NAMES[slug][0], name)


def apply(state: dict, edit: tuple) -> None:
    kind, target, *rest = edit
    posts = state["posts"]
    if kind == "add":
        posts[target] = dict(rest[0])
    elif kind == "delete":
        posts.pop(target, None)
    elif kind == "rename":
        state["names"][target] = CONCEPT_NAMES[target][rest[0]]
    elif kind == "drop":  # remove a concept's page, or bring it back
        state["dropped"] = (state["dropped"] | {target}) if rest[0] else state["dropped"] - {target}
    elif target in posts:
        key = {"refs": "refs", "tags": "tags", "date": "month"}[kind]
        posts[target] = {**posts[target], key: rest[0]}


def write_state(src: Path, state: dict, originals: dict[str, str]) -> None:
    folder = src / "posts/2026"
    for path in folder.glob("*.md"):
        if path.stem not in state["posts"]:
            path.unlink()
    for slug, post in state["posts"].items():
        write_if_different(folder / f"{slug}.md", render_post(slug, post))
    for slug, name in state["names"].items():
        path = src / f"docs/concepts/{slug}.md"
        if slug in state["dropped"]:
            path.unlink(missing_ok=True)
        else:
            write_if_different(path, render_concept(slug, name, originals[slug]))


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    # Each example is several Sphinx builds: report the failing sequence as
    # generated rather than spend minutes shrinking it.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Every kind of edit, whatever the generated examples turn out to be.
@example(
    initial={"first": {"month": 3, "tags": ["alignment"], "refs": ["Goodhart’s Law"]}},
    edits=[
        ("add", "second", {"month": 5, "tags": ["alignment"], "refs": ["goodharts-law"]}),
        ("rename", "goodharts-law", 1),
        ("refs", "first", ["interpretability", "Goodhart"]),
    ],
)
@example(
    initial={
        "first": {"month": 3, "tags": ["alignment"], "refs": ["interpretability"]},
        "second": {"month": 4, "tags": ["other"], "refs": ["Goodhart"]},
        "third": {"month": 5, "tags": ["proxies"], "refs": []},
    },
    edits=[
        ("tags", "third", ["alignment"]),
        ("date", "first", 9),
        ("delete", "second"),
        ("drop", "interpretability", True),
    ],
)
@given(
    initial=st.dictionaries(st.sampled_from(SLUGS), posts_st, min_size=1, max_size=3),
    edits=st.lists(edits_st, min_size=1, max_size=3),
)
def test_incremental_build_equals_clean_build(tmp_path_factory, initial, edits):
    tmp = tmp_path_factory.mktemp("edits")
    src = copy_root("concepts", tmp)
    originals = {slug: (src / f"docs/concepts/{slug}.md").read_text() for slug in CONCEPT_NAMES}
    state = {
        "posts": initial,
        "names": {slug: names[0] for slug, names in CONCEPT_NAMES.items()},
        "dropped": frozenset(),
    }
    write_state(src, state, originals)
    build(src, tmp / "incremental")
    for step, edit in enumerate(edits):
        apply(state, edit)
        write_state(src, state, originals)
        incremental, _ = build(src, tmp / "incremental")
        clean, _ = build(src, tmp / f"clean-{step}", freshenv=True)
        assert_same_output(incremental.outdir, clean.outdir)


def test_search_index_after_deleting_a_post(tmp_path):
    """Sphinx's ``IndexBuilder.prune`` keeps the words of a deleted post with no
    page ("first": []) where a clean build has none (essayist.incremental.searchindex)."""
    src = copy_root("concepts", tmp_path)
    build(src, tmp_path / "incremental")
    (src / "posts/2026/first.md").unlink()
    incremental, _ = build(src, tmp_path / "incremental")
    clean, _ = build(src, tmp_path / "clean", freshenv=True)
    index = "searchindex.js"
    assert (incremental.outdir / index).read_bytes() == (clean.outdir / index).read_bytes()


def test_model_inputs_ignore_order_and_lines_but_not_content():
    from essayist.concepts.model import model_inputs

    concepts = {"a": {"name": "A"}, "b": {"name": "B"}}
    refs = {"p1": [("A", 3)], "p2": [("B", 7), ("A", 9)]}
    posts = {"p1": {"title": "One"}, "p2": {"title": "Two"}}
    base = model_inputs(concepts, refs, posts, ["docs/index"])
    reordered = dict(reversed(list(refs.items())))
    moved = {"p1": [("A", 30)], "p2": [("B", 70), ("A", 90)]}
    assert (
        model_inputs(dict(reversed(list(concepts.items()))), reordered, posts, ["docs/index"])
        == base
    )
    assert model_inputs(concepts, moved, posts, ["docs/index"]) == base
    assert model_inputs(concepts, {**refs, "p1": [("B", 3)]}, posts, ["docs/index"]) != base
    assert model_inputs(concepts, refs, {**posts, "p1": {"title": "Uno"}}, ["docs/index"]) != base
    assert model_inputs(concepts, refs, posts, []) != base


def test_editing_an_essays_text_keeps_the_concept_model(tmp_path, monkeypatch):
    from essayist.concepts import domain as concepts_domain

    src = copy_root("concepts", tmp_path)
    out = tmp_path / "out"
    app, warnings = build(src, out)
    assert warnings == ""
    built = []
    original = concepts_domain.build_model
    monkeypatch.setattr(concepts_domain, "build_model", lambda *a: built.append(1) or original(*a))
    essay = src / "posts/2026/first.md"
    essay.write_text(essay.read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")
    app, warnings = build(src, out)
    assert warnings == "" and built == []
    assert "A new last line." in (app.outdir / "posts/2026/first.html").read_text(encoding="utf-8")
    # A new concept reference does change the model.
    essay.write_text(
        essay.read_text(encoding="utf-8") + "\nAnd {concept}`interpretability`.\n", encoding="utf-8"
    )
    app, warnings = build(src, out)
    assert warnings == "" and built == [1]
