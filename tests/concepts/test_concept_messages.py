"""A concept name clash names both files and blames the page that added the alias."""

from __future__ import annotations

from blogtools import build, copy_root


def test_a_clashing_alias_names_both_pages_and_blames_the_alias(tmp_path):
    src = copy_root("concepts", tmp_path)
    # "aardvark" sorts before "goodharts-law": the page that took another
    # concept's name as an alias is the one blamed.
    (src / "docs/concepts/aardvark.md").write_text(
        "# Aardvark\n\n```{concept} Aardvark\n:aliases: Goodhart's Law\n\nAn animal.\n```\n",
        encoding="utf-8",
    )
    _, warnings = build(src, freshenv=True)
    lines = [line.replace(f"{src}/", "") for line in warnings.splitlines()]
    assert lines == [
        "docs/concepts/aardvark.md:3: WARNING: 'goodhart's law' names two concepts: "
        "'Aardvark' here and 'Goodhart's Law' in docs/concepts/goodharts-law.md (line 3); "
        "remove it from one of them [concept.duplicate]"
    ]
