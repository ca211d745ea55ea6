"""Markdown MyST reads in silence as something else than was meant is a
warning at its line, from the build and from ``blog check`` alike
(essayist.content.blocks): a fence never closed took the rest of the essay
into a note, and a ``|`` in a table's formula cut the formula and dropped the
rest of its row."""

from __future__ import annotations

import pytest
from blogtools import build, copy_root

from essayist.content.blocks import markup_problems

FENCES = """\
---
date: 2026-02-01
---

# Fences

First paragraph.

::::{note}
A note, closed with too few colons.
:::

## Second section

Text.
"""

TABLE = """\
---
date: 2026-02-01
---

# Norms

In a paragraph $\\|\\theta\\|_2$ is a norm.

| Quantity | Formula |
| --- | --- |
| norm | $\\|\\theta\\|_2$ |
| absolute value | $|x|$ |
| conditional | $p(y|x)$ |
| written well | $p(y \\mid x)$, $\\vert x \\vert$, `a \\| b` |
"""

EXTRA = (
    "this table row has {n} cells and its header 2: a '|' ends a cell even inside a "
    "formula or code, and the cells past the header's are dropped; in a formula write "
    "\\vert, \\mid or \\Vert for a bar, elsewhere \\|"
)
BAR = (
    "in a table, '\\|' in a formula is a plain bar '|' (in a paragraph it is '‖'): "
    "write \\vert for '|' and \\Vert for '‖', so it reads the same everywhere"
)
UNCLOSED_NOTE = (
    "this '::::{note}' fence is never closed, so the rest of the page, its sections too, "
    "is inside it: close it with a line of at least 4 ':'; a fence inside another needs "
    "fewer colons than the one around it"
)


def test_the_build_and_blog_check_name_each_line(tmp_path, capsys):
    from essayist.tools.cli import main

    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/fences.md").write_text(FENCES)
    (src / "posts/2026/norms.md").write_text(TABLE)
    app, warnings = build(src, freshenv=True)
    said = [
        ("fences.md", 9, UNCLOSED_NOTE),
        ("norms.md", 11, BAR),
        ("norms.md", 12, EXTRA.format(n=4)),
        ("norms.md", 13, EXTRA.format(n=3)),
    ]
    assert warnings.splitlines() == [
        f"{src}/posts/2026/{name}:{line}: WARNING: {msg} [essayist.markup]"
        for name, line, msg in said
    ]
    assert main(["--root", str(src), "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if "posts/2026/" in line] == [
        f"posts/2026/{name}:{line}: {msg}" for name, line, msg in said
    ]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # Nested the wrong way round: the outer ':::' closes at '::::', and the
        # stray ':::' after it opens a fence that takes the rest of the page.
        (
            ":::{note}\nouter\n::::{warning}\ninner\n::::\n:::\n\n## After\n",
            [
                (3, "this '::::{warning}' fence is never closed, so the rest of the ':::{note}'"),
                (6, "this ':::' fence is never closed, so the rest of the page"),
            ],
        ),
        # Inside a fence that is closed: the rest of that fence.
        (
            "::::{note}\n:::{tip}\nno end\n::::\n\n## After\n",
            [(2, "this ':::{tip}' fence is never closed, so the rest of the '::::{note}' fence")],
        ),
        ("```python\nprint(1)\n", [(1, "this '```python' fence is never closed")]),
        ("~~~~\ncode\n~~~\n", [(1, "this '~~~~' fence is never closed")]),
        # Written right: no warning.
        ("::::{note}\n:::{tip}\nin\n:::\n::::\n\n## After\n", []),
        ("```{code-block} text\n:::\n```\n", []),  # a code block's text is text
        ("1. ```python\n   code\n   ```\n2. next\n", []),
        ("- item\n\n  ```\n  code\n\nnot in the list\n", []),  # the item ends it
        ("Text with ``` inline ``` code.\n", []),
        ("| a | b |\n|---|---|\n| $x$ | `c \\| d` |\n| one |\n", []),
        ("Prices: $5 | $10\n", []),  # not a table
    ],
)
def test_what_is_read_as_written_and_what_is_not(text, said):
    found = markup_problems(text)
    assert len(found) == len(said), found
    assert [
        (line, msg[: len(start)]) for (line, msg), (_, start) in zip(found, said, strict=True)
    ] == said
