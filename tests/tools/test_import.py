"""``blog import PATH``: an old Sphinx + ABlog blog moved into the site."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from blogtools import build, copy_root

from essayist.tools.cli import main
from essayist.tools.import_conf import add_authors, read_conf
from essayist.tools.import_myst import scan

TODAY = "2026-06-01"

OLD_CONF = """\
import os

project = "Old notes"
extensions = ["myst_parser", "ablog"]
blog_post_pattern = "blog/*/*"
post_date_format = "%b %d, %Y"
blog_baseurl = os.environ.get("OLD_BLOG_URL", "https://old.example/")
blog_authors = {
    "Grace": ("Grace Hopper", "https://grace.example/"),
    "Ada": ("Ada Lovelace", None),
}
blog_default_author = "Grace"
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "**/template.md"]
"""

# name -> text, each a pattern the importer meets in real blogs.
OLD_FILES = {
    "about.md": "# About me\n\nA page, not a post.\n",
    # blogpost: true outside blog_post_pattern, an ABlog date, an image, a raw
    # <img>, a link to another post and to a page, an update with an ABlog date.
    "articles/first-post.md": """
        ---
        blogpost: true
        date: Nov 1, 2023
        tags: alpha, "Beta"
        category: Notes
        ---

        # The First Post

        It links to [the directive post](../blog/2024/Directive_Post.md#the-end) and to
        [my page](../about.md), shows ![a cat](img/cat.png) and

        <img src="img/dog.png" alt="a dog" width="80">

        ```{update} Dec 5, 2023
        A typo fixed.
        ```
        """,
    # A post directive with tags, category, author, an excerpt and a date in
    # post_date_format; a {doc} link back; sphinx-design's grid.
    "blog/2024/Directive_Post.md": """
        # A Directive Post

        ```{post} Feb 3, 2024
        :tags: beta, gamma
        :category: Notes
        :author: Ada
        :excerpt: 2
        ```

        It answers {doc}`the first post </articles/first-post>`.

        ```{grid} 2
        Cells.
        ```

        ## The end

        Done.
        """,
    # A post directive shown as an example inside a ::: block is not a post.
    "blog/2024/example.md": """
        ---
        date: 2024-03-01
        author: Linus
        ---

        # How to Write a Post

        Write this:

        :::{note}
        ```{post} 2024-01-01
        :tags: example
        ```
        :::
        """,
    # A post written in a code fence only, and an excluded template: no posts.
    "notes/howto.md": "# How to\n\n```\n```{post} 2024-01-01\n```\n```\n",
    "blog/2024/template.md": "```{post} 2024-01-01\n```\n\n# Template\n",
}

NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}

FIRST_POST = """\
---
date: 2023-11-01
author: Grace
category: Notes
tags: alpha, Beta
update: 2023-12-05
redirect: articles/first-post
---

# The First Post

It links to [the directive post](../2024/directive-post.md#the-end) and to
[my page](https://old.example/about.html), shows ![a cat](first-post/img/cat.png) and

<img src="first-post/img/dog.png" alt="a dog" width="80">

```{update} 2023-12-05
A typo fixed.
```
"""

DIRECTIVE_POST = """\
---
date: 2024-02-03
author: Ada
category: Notes
tags: Beta, gamma
excerpt: 2
redirect: blog/2024/Directive_Post
---

# A Directive Post

It answers {doc}`the first post </posts/2023/first-post>`.

```{grid} 2
Cells.
```

## The end

Done.
"""

EXAMPLE = """\
---
date: 2024-03-01
author: Linus
redirect: blog/2024/example
---

# How to Write a Post

Write this:

:::{note}
````markdown
```{post} 2024-01-01
:tags: example
```
````
:::
"""

IMG = (
    "<img> `img/dog.png`: copied, but the build publishes no file only raw HTML uses: "
    "write it as ![...](...), or add `html_image` to myst_enable_extensions"
)
GRID = (
    "directive `grid` from sphinx-design: add `sphinx_design` to extensions "
    "(pip package sphinx-design)"
)
TABLE = [
    "old                          new                           notes",
    "articles/first-post.md       posts/2023/first-post.md      "
    f"{IMG}; link to page `about` kept as https://old.example/about.html",
    f"blog/2024/Directive_Post.md  posts/2024/directive-post.md  {GRID}; "
    "note: 'beta' written 'Beta', as in articles/first-post.md",
    "blog/2024/example.md         posts/2024/example.md         "
    "note: the post directive on line 11 (an example) is shown as code",
    "blog/2024/notebook.ipynb     skipped                       notebook post: skipped",
]


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def old(tmp_path: Path) -> Path:
    root = tmp_path / "old"
    write_tree(root, {"conf.py": OLD_CONF, **OLD_FILES})
    (root / "articles/img").mkdir()
    (root / "articles/img/cat.png").write_bytes(b"\x89PNG cat")
    (root / "articles/img/dog.png").write_bytes(b"\x89PNG dog")
    (root / "blog/2024/notebook.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = copy_root("minimal", tmp_path)
    with (root / "conf.py").open("a", encoding="utf-8") as f:
        f.write('myst_enable_extensions = ["colon_fence"]\nmyst_heading_anchors = 3\n')
    return root


def run(site: Path, old: Path, capsys, *extra: str) -> tuple[int, list[str]]:
    code = main(["--root", str(site), "import", str(old), "--today", TODAY, *extra])
    return code, capsys.readouterr().out.splitlines()


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "_build" not in p.parts
    }


def test_import_writes_each_post_its_files_and_the_authors(site, old, capsys):
    conf_before = (site / "conf.py").read_bytes()
    before = files(site)
    code, out = run(site, old, capsys)
    assert code == 1  # the grid, the raw <img>, a page of the old site, the notebook
    assert out == [
        *TABLE,
        "",
        "conf.py: added to blog_authors: 'Grace', 'Linus'",
        "",
        "4 post(s) found: 1 imported fully, 2 with problems, 1 skipped",
    ]
    written = {k: v for k, v in files(site).items() if before.get(k) != v}
    assert sorted(written) == [
        "conf.py",
        "posts/2023/first-post.md",
        "posts/2023/first-post/img/cat.png",
        "posts/2023/first-post/img/dog.png",
        "posts/2024/directive-post.md",
        "posts/2024/example.md",
    ]
    assert written["posts/2023/first-post.md"].decode() == FIRST_POST
    assert written["posts/2024/directive-post.md"].decode() == DIRECTIVE_POST
    assert written["posts/2024/example.md"].decode() == EXAMPLE
    assert written["posts/2023/first-post/img/cat.png"] == b"\x89PNG cat"
    assert written["posts/2023/first-post/img/dog.png"] == b"\x89PNG dog"
    # The new authors go into the dict literal; every other byte stays.
    old_line = b'blog_authors = {"Ada": ("Ada Lovelace", None)}'
    new_line = (
        b'blog_authors = {"Ada": ("Ada Lovelace", None), '
        b'"Grace": ("Grace Hopper", "https://grace.example/"), "Linus": ("Linus", None)}'
    )
    assert conf_before.count(old_line) == 1
    assert written["conf.py"] == conf_before.replace(old_line, new_line)


def test_the_imported_site_builds_with_only_the_predicted_warnings(site, old, capsys, tmp_path):
    assert run(site, old, capsys)[0] == 1
    _, warnings = build(site, tmp_path / "out", freshenv=True)
    lines = [line for line in warnings.splitlines() if line.strip()]
    # The one warning is the one the report names: the grid (sphinx-design).
    assert len(lines) == 1, warnings
    assert re.search(
        r"posts/2024/directive-post\.md:\d+: WARNING: Unknown directive type: 'grid'", lines[0]
    )
    html = tmp_path / "out/html"
    first = (html / "posts/2023/first-post.html").read_text(encoding="utf-8")
    assert 'href="../2024/directive-post.html#the-end"' in first
    assert 'href="https://old.example/about.html"' in first
    assert 'src="first-post/img/dog.png"' in first  # raw HTML, as the report says
    assert (html / "_images/cat.png").is_file()
    # The old addresses forward to the new ones.
    assert "posts/2023/first-post.html" in (html / "articles/first-post.html").read_text("utf-8")
    assert (html / "blog/2024/Directive_Post.html").is_file()
    # The example is code, not a second post: no tag "example" anywhere.
    assert not (html / "posts/tag/example.html").exists()
    example = (html / "posts/2024/example.html").read_text(encoding="utf-8")
    assert "{post} 2024-01-01" in example


def test_dry_run_writes_nothing(site, old, capsys):
    before = files(site)
    code, out = run(site, old, capsys, "--dry-run")
    assert code == 1
    assert out == [
        *TABLE,
        "",
        "conf.py: would add to blog_authors: 'Grace', 'Linus'",
        "",
        "4 post(s) found: 1 would be imported fully, 2 with problems, 1 skipped "
        "(dry run: nothing written)",
    ]
    assert files(site) == before


def test_a_second_import_overwrites_nothing(site, old, capsys):
    assert run(site, old, capsys)[0] == 1
    (site / "posts/2024/example.md").write_text("# Edited by hand\n", encoding="utf-8")
    before = files(site)
    code, out = run(site, old, capsys)
    assert code == 1
    assert out == [
        "old                          new      notes",
        "articles/first-post.md       skipped  conflict: posts/2023/first-post.md exists: "
        "not overwritten",
        "blog/2024/Directive_Post.md  skipped  conflict: posts/2024/directive-post.md exists: "
        "not overwritten",
        "blog/2024/example.md         skipped  conflict: posts/2024/example.md exists: "
        "not overwritten",
        "blog/2024/notebook.ipynb     skipped  notebook post: skipped",
        "",
        "4 post(s) found: 0 imported fully, 0 with problems, 4 skipped",
    ]
    assert files(site) == before


def test_a_changed_file_next_to_a_post_is_a_conflict(site, old, capsys):
    image = site / "posts/2023/first-post/img/cat.png"
    image.parent.mkdir(parents=True)
    image.write_bytes(b"another cat")
    code, out = run(site, old, capsys)
    assert code == 1
    assert out[1] == (
        "articles/first-post.md       skipped                       conflict: "
        f"posts/2023/first-post/img/cat.png exists: not overwritten; {IMG}; "
        "link to page `about` kept as https://old.example/about.html"
    )
    assert out[2] == (
        f"blog/2024/Directive_Post.md  posts/2024/directive-post.md  {GRID}; link to page "
        "`articles/first-post` kept as https://old.example/articles/first-post.html; "
        "note: 'beta' written 'Beta', as in articles/first-post.md"
    )
    assert image.read_bytes() == b"another cat"
    assert not (site / "posts/2023/first-post.md").exists()
    assert not (site / "posts/2023/first-post/img/dog.png").exists()
    # No link leads to the post that was not written.
    text = (site / "posts/2024/directive-post.md").read_text(encoding="utf-8")
    assert "[the first post](https://old.example/articles/first-post.html)" in text


def test_usage_errors(site, old, tmp_path, capsys):
    # No conf.py at PATH, one that is not Python, no site: status 2, nothing written.
    before = files(site)
    assert main(["--root", str(site), "import", str(tmp_path / "nowhere")]) == 2
    assert "no conf.py here: give the old blog's folder" in capsys.readouterr().err
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "conf.py").write_text("blog_authors = {\n", encoding="utf-8")
    assert main(["--root", str(site), "import", str(broken)]) == 2
    assert "conf.py: cannot be read" in capsys.readouterr().err
    assert main(["--root", str(tmp_path / "nowhere"), "import", str(old)]) == 2
    assert "no conf.py here: run blog in the site's folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["import"])
    assert exc.value.code == 2
    assert files(site) == before


# -- The pieces ----------------------------------------------------------------


def test_the_old_conf_is_read_not_run(tmp_path):
    conf = tmp_path / "conf.py"
    conf.write_text(
        "import os\n"
        "raise SystemExit('never run')\n"
        "blog_post_pattern = ['posts/*', 'notes/*.md']\n"
        "blog_baseurl = os.environ.get('URL', 'https://old.example')\n"
        "extensions = ['ablog']\n"
        "extensions += ['myst_nb']\n"
        "post_date_format = compute()\n",
        encoding="utf-8",
    )
    old = read_conf(conf)
    assert old["blog_post_pattern"] == ["posts/*", "notes/*.md"]
    assert old.baseurl == "https://old.example/"
    assert old.strings("extensions") == ["ablog", "myst_nb"]
    assert old["post_date_format"] == "%b %d, %Y"  # ABlog's default
    assert old.unreadable == ["post_date_format"]
    assert old.suffixes == {".rst": "rst", ".md": "md", ".ipynb": "ipynb"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "blog_authors = {}\nx = 1\n",
            'blog_authors = {"B": ("Bea", None)}\nx = 1\n',
        ),
        (
            '# top\nblog_authors = {\n    "A": ("Ann", None),\n}  # end\n',
            '# top\nblog_authors = {\n    "A": ("Ann", None),\n    "B": ("Bea", None),\n}  # end\n',
        ),
        (
            'blog_authors = {\n    "A": ("Ann", None)\n}\n',
            'blog_authors = {\n    "A": ("Ann", None),\n    "B": ("Bea", None)\n}\n',
        ),
        (
            'blog_authors = {"É": ("É", None)}',
            'blog_authors = {"É": ("É", None), "B": ("Bea", None)}',
        ),
        ("blog_authors = dict(A=1)\n", None),
        ("authors = {}\n", None),
    ],
)
def test_add_authors_inserts_into_the_dict_literal(source, expected):
    result = add_authors(source.encode(), {"B": ("Bea", None)})
    assert result == (None if expected is None else expected.encode())


def test_post_directives_in_code_or_in_other_blocks_are_not_the_post():
    text = "````{note}\n```{post} 2024-01-01\n```\n````\n\n```\n```{post} x\n```\n"
    s = scan(text)
    assert [(b.name, b.depth) for b in s.blocks] == [("note", 0), ("post", 1), (None, 0)]


def test_a_post_without_a_date_is_a_draft_and_an_unreadable_date_is_skipped(site, tmp_path, capsys):
    old = tmp_path / "old2"
    write_tree(
        old,
        {
            "conf.py": 'extensions = ["myst_parser"]\nblog_post_pattern = ["posts/*"]\n',
            "posts/Draft Post.md": "# Someday\n\nNot yet.\n",
            "posts/bad.md": "---\ndate: someday\n---\n\n# Bad\n",
            "posts/old.rst": "Old\n===\n\n.. post:: 2020-01-01\n\nText.\n",
        },
    )
    code, out = run(site, old, capsys)
    assert code == 1
    assert out[1:4] == [
        "posts/Draft Post.md  posts/2026/draft-post.md  old address not kept: 'posts/Draft Post' "
        "must be letters, digits, '-', '_' and '.' in folders separated by '/', starting with "
        "a letter or digit; note: no date: imported as a draft; note: no author: the site's "
        "default author (Ada) shows",
        "posts/bad.md         skipped                   date 'someday' unreadable: write it as "
        "YYYY-MM-DD",
        "posts/old.rst        skipped                   reST post: not converted (write it as "
        "MyST or copy it by hand)",
    ]
    assert (site / "posts/2026/draft-post.md").read_text(encoding="utf-8") == (
        "# Someday\n\nNot yet.\n"
    )


# -- Patterns met in real ABlog blogs --------------------------------------------

PATTERNS_CONF = """\
extensions = ["myst_nb", "ablog", "sphinx_design", "sphinx.ext.extlinks"]
exclude_patterns = ["_build", "**/template*"]
html_baseurl = "https://docs.example/"
blog_post_pattern = ["news/*/*", "team/*/index.md"]
myst_enable_extensions = ["colon_fence", "tasklist"]
myst_heading_anchors = 4
extlinks = {"issue": ("https://git.example/issues/%s", "issue %s")}
author = "The Team"


def setup(app):
    app.add_directive("socialpost", object)
"""

PATTERNS = {
    "guide/index.md": """
        (install-guide)=
        # Guide

        ```{figure} ../_static/x.png
        :name: fig-x
        ```

        #### Deep heading
        """,
    # jupytext front matter, a quoted tag, ABlog's redirect, a setext title,
    # an extlinks role, a MyST link to a label, {ref} to a :name:, a URL
    # scheme MyST does not know, a footnote, a "comment" definition, myst-nb's
    # code-cell, a directive the old conf.py defined, an H4 anchor.
    "news/2022/Rust_Governance.md": """
        ---
        jupytext:
          formats: md:myst
        date: "2022-11-27"
        tags: cicd, "github actions"
        redirect: rust-governance-2018
        ---

        Rust Governance
        ===============

        See {issue}`12`, the [install guide](install-guide), {ref}`the figure <fig-x>`,
        [a blank](about:blank) and [a deep one](#deep-down).[^1]

        [^1]: A footnote, not a link.

        [comment]: <this is not a link>

        ```{code-cell} python
        print(1)
        ```

        ```{socialpost} https://example.social/1
        ```

        #### Deep down

        The end.
        """,
    # dateutil's date, two authors, a tag spelled otherwise elsewhere, a task
    # list (MyST's tasklist), a raw <img> of a file outside the post's folder.
    "news/2023/cards.md": """
        ---
        date: Jan 8th, 2024
        author: Will Graham, Ana
        category: Release
        tags: CICD
        ---

        # Cards

        - [x] done
        - [ ] to do

        <img src="../../_static/x.png" alt="x">
        """,
    # index.md in a folder per person, a quoted author (in a postlist too),
    # ABlog's location and language, a link to a post without a date.
    "team/ana/index.md": """
        ```{post} 2023-10-23
        :author: "@anaツ"
        :tags: member
        :location: Colombia
        :language: Español
        ```

        # @anaツ

        Read [Bo's page](../bo/index.md).

        ```{postlist}
        :author: "@anaツ"
        ```
        """,
    "team/bo/index.md": "# Bo\n```{post}\n:author: Bo\n```\n\nNo date yet.\n",
    "team/ana/template.md": "```{post} 2023-01-01\n:tags: nota, ...\n```\n# TITLE\n",
}

RUST = """\
---
date: 2022-11-27
author: The Team
tags: cicd, github actions
redirect: news/2022/Rust_Governance, rust-governance-2018
jupytext:
  formats: md:myst
---

# Rust Governance

See [issue 12](https://git.example/issues/12), the \
[install guide](https://docs.example/guide/index.html#install-guide), \
[the figure](https://docs.example/guide/index.html#fig-x),
[a blank](about:blank) and [a deep one](#deep-down).[^1]

[^1]: A footnote, not a link.

[comment]: <this is not a link>

```{code-cell} python
print(1)
```

```{socialpost} https://example.social/1
```

#### Deep down

The end.
"""


def test_patterns_of_real_blogs(site, tmp_path, capsys):
    old = tmp_path / "old"
    write_tree(old, {"conf.py": PATTERNS_CONF, **PATTERNS})
    (old / "_static").mkdir()
    (old / "_static/x.png").write_bytes(b"x")
    code, out = run(site, old, capsys)
    assert code == 1
    assert out == [
        "old                           new                            notes",
        "news/2022/Rust_Governance.md  posts/2022/rust-governance.md  directive `code-cell` from "
        "myst-nb: add `myst_nb` to extensions (pip package myst-nb); directive `socialpost` "
        "from the old blog's conf.py: port it, or rewrite that part; heading `Deep down` jumps "
        "from H1 to H4: MyST warns; link to `about:blank`: MyST reads `about:` as a reference, "
        "not a web address: fix it by hand; link to `#deep-down`: the site makes anchors for "
        "headings down to level 3 only: link to a higher heading, or add a (label)= above it; "
        "link to page `guide/index` kept as https://docs.example/guide/index.html",
        "news/2023/cards.md            posts/2024/cards.md            uses the MyST extension "
        "`tasklist` (- [ ] task lists): add it to myst_enable_extensions; <img> "
        "`../../_static/x.png`: copied, but the build publishes no file only raw HTML uses: "
        "write it as ![...](...), or add `html_image` to myst_enable_extensions; "
        "note: 'CICD' written 'cicd', as in news/2022/Rust_Governance.md",
        "team/ana/index.md             posts/2023/ana.md              link to posts/2026/bo.md: "
        "a draft here (it has no date), so the link breaks in published builds until it has one",
        "team/bo/index.md              posts/2026/bo.md               "
        "note: no date: imported as a draft",
        "",
        "conf.py: added to blog_authors: 'The Team', 'Will Graham', 'Ana', '@anaツ', 'Bo'",
        "",
        "4 post(s) found: 1 imported fully, 3 with problems, 0 skipped",
    ]
    assert (site / "posts/2022/rust-governance.md").read_text(encoding="utf-8") == RUST
    assert (
        (site / "posts/2024/cards.md")
        .read_text(encoding="utf-8")
        .endswith('<img src="cards/x.png" alt="x">\n')
    )
    assert (site / "posts/2024/cards/x.png").read_bytes() == b"x"
    assert (site / "posts/2023/ana.md").read_text(encoding="utf-8") == (
        "---\n"
        "date: 2023-10-23\n"
        'author: "@anaツ"\n'
        "tags: member\n"
        "redirect: team/ana/index\n"
        "location: Colombia\n"
        "language: Español\n"
        "---\n"
        "\n"
        "# @anaツ\n"
        "\n"
        "Read [Bo's page](../2026/bo.md).\n"
        "\n"
        "```{postlist}\n"
        ":author: @anaツ\n"
        "```\n"
    )
    assert (site / "posts/2026/bo.md").read_text(encoding="utf-8") == (
        "---\nauthor: Bo\nredirect: team/bo/index\n---\n\n# Bo\n\nNo date yet.\n"
    )
    # Every warning of the build is one the report named.
    _, warnings = build(site, tmp_path / "out", freshenv=True)
    found = sorted(re.findall(r"(posts/\S+?\.md):\d+: WARNING: (.*?) \[", warnings))
    assert found == [
        ("posts/2022/rust-governance.md", "'myst' cross-reference target not found: 'about:blank'"),
        ("posts/2022/rust-governance.md", "Non-consecutive header level increase; H1 to H4"),
        ("posts/2022/rust-governance.md", "Unknown directive type: 'code-cell'"),
        ("posts/2022/rust-governance.md", "Unknown directive type: 'socialpost'"),
        ("posts/2023/ana.md", "Unknown source document 'posts/2026/bo'"),
    ]
    assert len(warnings.strip().splitlines()) == len(found)


def test_settings_that_are_not_plain_values_are_reported(site, tmp_path, capsys):
    old = tmp_path / "old3"
    write_tree(old, {"conf.py": "blog_post_pattern = sorted(['posts/*'])\n", "posts/a.md": "# A\n"})
    code, out = run(site, old, capsys, "--dry-run")
    assert code == 1
    assert out == [
        "old  new  notes",
        "",
        f"{old / 'conf.py'}: not plain values, so read as the defaults: blog_post_pattern",
        "",
        "0 post(s) found: 0 would be imported fully, 0 with problems, 0 skipped "
        "(dry run: nothing written)",
    ]


def test_directive_text_files_and_a_blog_without_an_address(site, tmp_path, capsys):
    # No blog_baseurl: links to pages are reported, not guessed. The site's
    # blog_authors is not a literal: the report says what to add.
    conf = site / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'blog_authors = {"Ada": ("Ada Lovelace", None)}',
            'blog_authors = dict(Ada=("Ada Lovelace", None))',
        ),
        encoding="utf-8",
    )
    conf_before = conf.read_bytes()
    old = tmp_path / "old4"
    write_tree(
        old,
        {
            "conf.py": 'extensions = ["myst_parser"]\n',
            "about.md": "# About\n",
            "2024/wrapped.md": """
                ```{post} 2024-05-06
                :author: Zoe
                :title: Wrapped Up

                The text inside the directive stays, and so does
                {download}`the data <files/data.csv>`.
                ```

                ```{figure} pics/chart.svg
                A chart.
                ```

                See {doc}`../about`.
                """,
        },
    )
    (old / "2024/files").mkdir()
    (old / "2024/files/data.csv").write_text("a,b\n", encoding="utf-8")
    (old / "2024/pics").mkdir()
    (old / "2024/pics/chart.svg").write_text("<svg/>", encoding="utf-8")
    code, out = run(site, old, capsys)
    assert code == 1
    assert out == [
        "old              new                    notes",
        "2024/wrapped.md  posts/2024/wrapped.md  link to page `about`: not imported, and the "
        "old blog's conf.py has no blog_baseurl to link to: fix by hand",
        "",
        'conf.py: no blog_authors = {...} found: add "Zoe": ("Zoe", None)',
        "",
        "1 post(s) found: 0 imported fully, 1 with problems, 0 skipped",
    ]
    assert conf.read_bytes() == conf_before
    assert (site / "posts/2024/wrapped.md").read_text(encoding="utf-8") == (
        "---\n"
        "date: 2024-05-06\n"
        "author: Zoe\n"
        "redirect: 2024/wrapped\n"
        "---\n"
        "\n"
        "# Wrapped Up\n"
        "\n"
        "The text inside the directive stays, and so does\n"
        "{download}`the data <wrapped/files/data.csv>`.\n"
        "\n"
        "```{figure} wrapped/pics/chart.svg\n"
        "A chart.\n"
        "```\n"
        "\n"
        "See {doc}`../about`.\n"
    )
    assert (site / "posts/2024/wrapped/files/data.csv").read_text(encoding="utf-8") == "a,b\n"
    assert (site / "posts/2024/wrapped/pics/chart.svg").is_file()
