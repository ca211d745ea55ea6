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
        # What MyST reads as written (they were named): a fence shown in code,
        # indented 4 spaces (code in the fence, not its end) ...
        ("```markdown\nIndented code:\n\n    ```\n    not a fence\n    ```\n```\n\n## After\n", []),
        (":::{note}\nCode:\n\n    :::\n    not an end\n\nStill the note.\n:::\n", []),
        # ... HTML that keeps its text, a comment, a displayed formula ...
        ("<pre>\n```\n</pre>\n\n## After\n", []),
        ("<!--\n```\n-->\n\n## After\n", []),
        ("$$\na ::: b\n:::\n$$\n\n## After\n", []),
        # ... and directives whose body is not Markdown.
        ("```{eval-rst}\n.. code-block:: markdown\n\n   ```{note}\n   shown\n```\n", []),
        ("````{doctest}\n```\n````\n", []),
        # A quoted table beside a table; money and code in cells.
        ("| x | y |\n|---|---|\n| 1 | 2 |\n\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n", []),
        ("| Command | Does |\n|---|---|\n| `cat $LOG \\| grep $USER` | lines |\n", []),
        ("| Plan | Price |\n|---|---|\n| Basic | $5 a month \\| $50 a year |\n", []),
        # Still named: a quoted row that loses a cell; a formula's bar.
        (
            "> | a | b |\n> |---|---|\n> | 1 | $p(y|x)$ |\n",
            [(3, "this table row has 3 cells and its header 2")],
        ),
        ("| a | b |\n|---|---|\n| n | $\\|x\\|$ |\n", [(3, "in a table, '\\|' in a formula")]),
    ],
)
def test_what_is_read_as_written_and_what_is_not(text, said):
    found = markup_problems(text, allow_digits=False)  # the site's: "$5 … $50" is money
    assert len(found) == len(said), found
    assert [
        (line, msg[: len(start)]) for (line, msg), (_, start) in zip(found, said, strict=True)
    ] == said


def test_no_line_takes_long_and_no_nesting_is_too_deep():
    """A line of list markers made the fence pattern try every way to match it
    (13 stars took ten seconds); 1,200 nested notes overflowed the stack."""
    import time

    start = time.process_time()
    assert markup_problems("*    " * 40 + "x\n" + "-  " * 40 + "x\n") == []
    assert time.process_time() - start < 5  # a bound no build comes near, not a timing
    deep = "".join(f"{':' * (1300 - n)}{{note}}\n" for n in range(1200))
    deep += "".join(f"{':' * (101 + n)}\n" for n in range(1200))
    assert markup_problems(deep) == []
