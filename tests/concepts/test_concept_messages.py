"""A concept name clash names both files and blames the page that added the alias."""

from __future__ import annotations

from blogtools import build, copy_root


def add_to_first_post(src, text: str) -> None:
    post = src / "posts/2026/first.md"
    post.write_text(f"{post.read_text(encoding='utf-8')}\n{text}\n", encoding="utf-8")


CLASH = (
    "docs/concepts/{page}.md:3: WARNING: 'goodhart's law' names two concepts: "
    "'{name}' here and 'Goodhart's Law' in docs/concepts/goodharts-law.md (line 3); "
    "remove it from one of them [concept.duplicate]"
)


def build_with_page(tmp_path, page: str, text: str):
    src = copy_root("concepts", tmp_path)
    (src / f"docs/concepts/{page}.md").write_text(text, encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    return app, [line.replace(f"{src}/", "") for line in warnings.splitlines()]


def test_a_clashing_alias_names_both_pages_and_blames_the_alias(tmp_path):
    # "aardvark" sorts before "goodharts-law": the page that took another
    # concept's name as an alias is the one blamed.
    _, lines = build_with_page(
        tmp_path,
        "aardvark",
        "# Aardvark\n\n```{concept} Aardvark\n:aliases: Goodhart's Law\n\nAn animal.\n```\n",
    )
    assert lines == [CLASH.format(page="aardvark", name="Aardvark")]


def test_a_page_added_later_never_takes_a_name_from_the_page_made_for_it(tmp_path):
    """A second page naming Goodhart's Law (its file sorting first) is blamed,
    and every reference still goes to goodharts-law.html."""
    from conftest import soup

    app, lines = build_with_page(
        tmp_path,
        "goodhart-dup",
        "# Dup\n\n```{concept} Goodhart’s law\n\nThe same law again.\n```\n",
    )
    assert lines == [CLASH.format(page="goodhart-dup", name="Goodhart’s law")]
    links = {
        a["href"]
        for page in app.outdir.joinpath("posts").rglob("*.html")
        for a in soup(page).select("a.concept-ref")
        if "oodhart" in a.get_text()
    }
    assert links and all(href.endswith("goodharts-law.html") for href in links), links


def test_what_a_concept_definition_holds_is_read_as_written(tmp_path):
    """Options as a YAML block (lists stay lists), a role in a summary, a name
    over 100 characters, and a concept defined outside docs/concepts/ or in a
    subfolder there (whose name would be another page's)."""
    from conftest import soup

    src = copy_root("concepts", tmp_path)
    (src / "docs/concepts/yaml-options.md").write_text(
        '# Yaml\n\n```{concept} Yaml Options\n---\naliases: [Yaml Alias One, "Two, Too"]\n'
        "related:\n  - Interpretability\nsummary: See {concept}`interpretability` too.\n---\n\n"
        "Defined.\n```\n",
        encoding="utf-8",
    )
    (src / "docs/concepts/long.md").write_text(
        f"# Long\n\n```{{concept}} {'Long ' * 25}\n\nToo long a name.\n```\n", encoding="utf-8"
    )
    (src / "docs/concepts/sub").mkdir()
    (src / "docs/concepts/sub/interpretability.md").write_text(
        "---\norphan: true\n---\n\n# Sub\n\n```{concept} Nested\n\nIn a subfolder.\n```\n",
        encoding="utf-8",
    )
    add_to_first_post(
        src,
        "```{concept} Rogue\n\nIn a post.\n```\n\nSee {concept}`Two, Too` "
        "and {concept}`Yaml Alias One`, [see {concept}`interpretability` here](https://x.org).",
    )
    app, warnings = build(src, freshenv=True)
    lines = sorted(line.replace(f"{src}/", "") for line in warnings.splitlines())
    where = "a concept is defined on its own page in docs/concepts/: move this {concept} "
    assert sorted(line.split(" WARNING: ")[1] for line in lines) == sorted(
        [
            "the concept's name is 124 characters long; at most 100: say the rest in its "
            "summary [concept.definition]",
            where + "directive to docs/concepts/<name>.md (it is not defined here) "
            "[concept.definition]",
            where + "directive to docs/concepts/<name>.md (it is not defined here) "
            "[concept.definition]",
            "the summary is plain text: write names without {role}`…` [concept.definition]",
        ]
    ), lines
    page = soup(app.outdir / "docs/concepts/yaml-options.html")
    assert page.select_one(".concept-aliases").get_text() == "Also called: Yaml Alias One, Two, Too"
    assert not (app.outdir / "_previews/posts/2026/first.json").read_text().count("Rogue")
    assert not (app.outdir / "docs/concepts/sub/interpretability/atom.xml").exists()
    # A concept inside a link: the link's words, marked, never a link in a link.
    first = soup(app.outdir / "posts/2026/first.html")
    assert first.select("a a") == []
    assert first.select_one('a[href="https://x.org"] .concept-ref').get_text() == "interpretability"


def test_blog_check_and_the_build_read_a_reference_alike(tmp_path, capsys):
    """A ``~`` before a name, a ``<`` in the shown words (the last ``<…>``
    names the concept), and a role inside inline code (text, not a role)."""
    from essayist.tools.cli import main

    src = copy_root("concepts", tmp_path)
    add_to_first_post(
        src,
        "{concept}`~Goodhart's Law`, {concept}`a < b <goodharts-law>`, and the "
        "role written out: ``{concept}`Some Name` ``.",
    )
    app, warnings = build(src, freshenv=True)
    assert "concept" not in warnings, warnings
    from conftest import soup

    shown = [
        a.get_text() for a in soup(app.outdir / "posts/2026/first.html").select("a.concept-ref")
    ]
    assert shown.count("Goodhart’s Law") >= 2 and "a < b" in shown  # smart quotes
    assert main(["--root", str(src), "check", "--today", "2026-12-31"]) == 0, capsys.readouterr()


def test_names_that_differ_by_a_hyphen_are_one_name(tmp_path):
    """ "Goodhart's-Law" is Goodhart's Law: a second page defining it is a clash,
    and a reference written with the hyphen links to the first page."""
    from conftest import soup

    src = copy_root("concepts", tmp_path)
    (src / "docs/concepts/hyphened.md").write_text(
        "# Hyphened\n\n```{concept} Goodhart's-Law\n\nThe law with a hyphen.\n```\n",
        encoding="utf-8",
    )
    add_to_first_post(src, "Also {concept}`goodhart’s–law` and {concept}`Goodharts-Law`.")
    app, warnings = build(src, freshenv=True)
    lines = [line.replace(f"{src}/", "") for line in warnings.splitlines()]
    assert lines == [CLASH.format(page="hyphened", name="Goodhart's-Law")]
    first = soup(app.outdir / "posts/2026/first.html")
    refs = [
        a
        for a in first.select("a.concept-ref")
        if a.get_text() in {"goodhart’s–law", "Goodharts-Law"}
    ]
    assert [a.get_text() for a in refs] == ["goodhart’s–law", "Goodharts-Law"]
    assert {a["href"] for a in refs} == {"../../docs/concepts/goodharts-law.html"}


def test_every_dash_is_a_hyphen_and_a_name_needs_letters(tmp_path):
    """An em dash, a minus sign or a full-width hyphen in a name is a hyphen;
    a name or alias of dashes alone names nothing."""
    src = copy_root("concepts", tmp_path)
    (src / "docs/concepts/trust-verify.md").write_text(
        "# Trust—verify\n\n```{concept} Trust—verify\n:aliases: -, Verify−then−trust\n\n"
        "Check, then rely.\n```\n",
        encoding="utf-8",
    )
    (src / "docs/concepts/dashes.md").write_text(
        "# Dashes\n\n```{concept} --\n\nNothing.\n```\n", encoding="utf-8"
    )
    add_to_first_post(src, "See {concept}`trust-verify` and {concept}`verify－then－trust`.")
    app, warnings = build(src, freshenv=True)
    lines = [line.replace(f"{src}/", "") for line in warnings.splitlines()]
    assert lines == [
        "docs/concepts/dashes.md:3: WARNING: the concept's name '--' has no letters or "
        "digits: name it in words (it is not defined) [concept.definition]",
        "docs/concepts/trust-verify.md:3: WARNING: the alias '-' has no letters or digits: "
        "it is left out [concept.definition]",
    ]


def test_an_excerpts_reference_reads_as_its_current_title_in_backlinks(tmp_path):
    """A ``{doc}`` with no text of its own in an excerpt reads as the title it
    shows in a concept page's backlinks and the essay's hover preview (it read
    as "second"), and as the new title after that essay is retitled, in an
    incremental build as in a clean one."""
    import json

    from bs4 import BeautifulSoup

    src = copy_root("concepts", tmp_path)
    post = src / "posts/2026/first.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(
        text.replace("The first paragraph of the first essay.", "Before {doc}`second`, this."),
        encoding="utf-8",
    )

    def shown(app) -> tuple[list[str], str]:
        page = (app.outdir / "docs/concepts/goodharts-law.html").read_text(encoding="utf-8")
        excerpts = BeautifulSoup(page, "html.parser").select(".essay-item-excerpt")
        preview = json.loads((app.outdir / "_previews/posts/2026/first.json").read_text())
        texts = [" ".join(e.get_text().split()) for e in excerpts]
        return [t for t in texts if t.startswith("Before")], preview["text"]

    app, warnings = build(src, tmp_path / "inc")
    assert warnings == ""
    assert shown(app) == (["Before Second essay, this."], "Before Second essay, this.")
    second = src / "posts/2026/second.md"
    second.write_text(
        second.read_text(encoding="utf-8").replace("# Second essay", "# The Sequel"),
        encoding="utf-8",
    )
    expected = (["Before The Sequel, this."], "Before The Sequel, this.")
    assert shown(build(src, tmp_path / "inc")[0]) == expected
    assert shown(build(src, tmp_path / "clean")[0]) == expected
