"""``blog import PATH``: an old Sphinx + ABlog blog moved into the site."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path

import pytest
from blogtools import build, copy_root
from bs4 import BeautifulSoup

from essayist.tools.cli import main
from essayist.tools.import_conf import add_authors, read_conf
from essayist.tools.import_myst import scan
from essayist.tools.importer import FIX_HEADER

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

It links to [the directive post](https://old.example/blog/2024/Directive_Post.html#the-end) and to
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
draft: true
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

HELD = "the strict build fails on it: `draft: true` until then"
TO_DIRECTIVE_POST = (
    "link to posts/2024/directive-post.md, a draft here (until its problems are fixed): "
    "links to https://old.example/blog/2024/Directive_Post.html until that post is published"
)
TABLE = [
    "old                          new                           notes",
    f"articles/first-post.md       posts/2023/first-post.md      {TO_DIRECTIVE_POST}; "
    "link to page `about` kept as https://old.example/about.html",
    f"blog/2024/Directive_Post.md  posts/2024/directive-post.md  {HELD}; 1 line(s) to fix "
    "below; note: 'beta' written 'Beta', as in articles/first-post.md",
    "blog/2024/example.md         posts/2024/example.md         "
    "note: the post directive on line 11 (an example) is shown as code",
    "blog/2024/notebook.ipynb     skipped                       notebook post: skipped",
    "",
    FIX_HEADER,
    "posts/2024/directive-post.md:15: directive `grid` comes from sphinx-design: add "
    "`sphinx_design` to extensions in conf.py (pip package sphinx-design), or rewrite that part",
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
        f.write('myst_enable_extensions = ["colon_fence", "html_image"]\n')
        f.write("myst_heading_anchors = 3\n")
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
        "4 post(s) found: 1 imported fully, 2 with problems (1 of them drafts until fixed), "
        "1 skipped",
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


def strict(site: Path, out: Path, **overrides) -> str:
    """The warnings of a build as `make html` builds (``-n``; ``-W`` fails on any)."""
    return build(site, out, freshenv=True, nitpicky=True, **overrides)[1].strip()


def test_the_imported_site_builds_strictly_and_then_with_the_drafts_fixed(
    site, old, capsys, tmp_path
):
    assert run(site, old, capsys)[0] == 1
    # At once: the posts the build would fail on are drafts, left out.
    assert strict(site, tmp_path / "out") == ""
    html = tmp_path / "out/html"
    assert not (html / "posts/2024/directive-post.html").exists()
    # A post linking to the draft is published, the link to the draft's old address.
    first = (html / "posts/2023/first-post.html").read_text(encoding="utf-8")
    assert 'href="https://old.example/blog/2024/Directive_Post.html#the-end"' in first
    assert (html / "posts/2024/example.html").is_file()
    # The author does what the report says: the grid rewritten, draft: true out,
    # then the link pointed at the post here.
    path = site / "posts/2024/directive-post.md"
    text = path.read_text(encoding="utf-8").replace("draft: true\n", "")
    path.write_text(text.replace("```{grid} 2\nCells.\n```", "Cells."), encoding="utf-8")
    path = site / "posts/2023/first-post.md"
    text = path.read_text(encoding="utf-8")
    old_address = "https://old.example/blog/2024/Directive_Post.html#the-end"
    path.write_text(text.replace(old_address, "../2024/directive-post.md#the-end"))
    assert strict(site, tmp_path / "out2") == ""
    html = tmp_path / "out2/html"
    first = (html / "posts/2023/first-post.html").read_text(encoding="utf-8")
    assert 'href="../2024/directive-post.html#the-end"' in first
    assert 'href="https://old.example/about.html"' in first
    assert 'src="../../_images/dog.png"' in first  # an <img> of its own (html_image)
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
        "4 post(s) found: 1 would be imported fully, 2 with problems (1 of them drafts until "
        "fixed), 1 skipped (dry run: nothing written)",
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
        f"posts/2023/first-post/img/cat.png exists: not overwritten; {TO_DIRECTIVE_POST}; "
        "link to page `about` kept as https://old.example/about.html"
    )
    assert out[2] == (
        f"blog/2024/Directive_Post.md  posts/2024/directive-post.md  {HELD}; 1 line(s) to fix "
        "below; link to page "
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
    # list (MyST's tasklist), a raw <img> of a file outside the post's folder
    # inside other HTML (MyST's html_image leaves it raw HTML).
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

        <p align="center"><img src="../../_static/x.png" alt="x"></p>
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
draft: true
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
        f"news/2022/Rust_Governance.md  posts/2022/rust-governance.md  {HELD}; 2 line(s) to fix "
        "below; heading `Deep down` jumps "
        "from H1 to H4: MyST warns; link to `about:blank`: MyST reads `about:` as a reference, "
        "not a web address: fix it by hand; link to `#deep-down`: the site makes anchors for "
        "headings down to level 3 only: link to a higher heading, or add a (label)= above it; "
        "link to page `guide/index` kept as https://docs.example/guide/index.html",
        f"news/2023/cards.md            posts/2024/cards.md            {HELD}; fix what "
        "follows; uses the MyST extension `tasklist` (- [ ] task lists): add it to "
        "myst_enable_extensions; <img> `../../_static/x.png`: copied, but the build publishes "
        "no file that only raw HTML shows: write it as ![...](...) on a line of its own; "
        "note: 'CICD' written 'cicd', as in news/2022/Rust_Governance.md",
        "team/ana/index.md             posts/2023/ana.md              link to "
        "posts/2026/bo.md, a draft here (it has no date): links to "
        "https://docs.example/team/bo/index.html until that post is published",
        "team/bo/index.md              posts/2026/bo.md               "
        "note: no date: imported as a draft",
        "",
        FIX_HEADER,
        "posts/2022/rust-governance.md:20: directive `code-cell` comes from myst-nb: add "
        "`myst_nb` to extensions in conf.py (pip package myst-nb), or rewrite that part",
        "posts/2022/rust-governance.md:24: directive `socialpost` comes from the old blog's "
        "conf.py: port it, or rewrite that part",
        "",
        "conf.py: added to blog_authors: 'The Team', 'Will Graham', 'Ana', '@anaツ', 'Bo'",
        "",
        "4 post(s) found: 1 imported fully, 3 with problems (2 of them drafts until fixed), "
        "0 skipped",
    ]
    assert (site / "posts/2022/rust-governance.md").read_text(encoding="utf-8") == RUST
    assert (
        (site / "posts/2024/cards.md")
        .read_text(encoding="utf-8")
        .endswith('<p align="center"><img src="cards/x.png" alt="x"></p>\n')
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
        "Read [Bo's page](https://docs.example/team/bo/index.html).\n"
        "\n"
        "```{postlist}\n"
        ":author: @anaツ\n"
        "```\n"
    )
    assert (site / "posts/2026/bo.md").read_text(encoding="utf-8") == (
        "---\nauthor: Bo\nredirect: team/bo/index\n---\n\n# Bo\n\nNo date yet.\n"
    )
    # The posts the report names are drafts: the site builds.
    assert strict(site, tmp_path / "out") == ""
    # In preview (drafts built, ana's link to bo resolves), every warning of
    # the drafts is one the report named.
    _, warnings = build(site, tmp_path / "preview", freshenv=True, essayist_preview=True)
    found = sorted(re.findall(r"(posts/\S+?\.md):(\d+): WARNING: (.*?) \[", warnings))
    assert found == [
        ("posts/2022/rust-governance.md", "13", "'myst' cross-reference target not found: "
         "'about:blank'"),
        ("posts/2022/rust-governance.md", "20", "Unknown directive type: 'code-cell'"),
        ("posts/2022/rust-governance.md", "24", "Unknown directive type: 'socialpost'"),
        ("posts/2022/rust-governance.md", "27", "Non-consecutive header level increase; H1 to H4"),
        ("posts/2024/cards.md", "15", "<img> 'cards/x.png': the build publishes no file that "
         "only raw HTML shows: write it as ![...](cards/x.png) on a line of its own"),
    ]  # fmt: skip
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
        f"2024/wrapped.md  posts/2024/wrapped.md  {HELD}; fix what follows; link to page "
        "`about`: not imported, and the old blog's conf.py has no blog_baseurl to link to: "
        "fix by hand",
        "",
        'conf.py: no blog_authors = {...} found: add "Zoe": ("Zoe", None)',
        "",
        "1 post(s) found: 0 imported fully, 1 with problems (1 of them drafts until fixed), "
        "0 skipped",
    ]
    assert conf.read_bytes() == conf_before
    assert (site / "posts/2024/wrapped.md").read_text(encoding="utf-8") == (
        "---\n"
        "date: 2024-05-06\n"
        "author: Zoe\n"
        "redirect: 2024/wrapped\n"
        "draft: true\n"
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


def test_a_reference_style_link_to_a_page_not_imported_is_held(site, tmp_path, capsys):
    """``[about][ab]`` with ``[ab]: /about`` is a link like ``[about](/about)``:
    reported and held as a draft, not called "ok" and then failing the build.
    A definition no link uses (a comment) is still left alone."""
    old = tmp_path / "old-refs"
    write_tree(
        old,
        {
            "conf.py": 'extensions = ["myst_parser", "ablog"]\nblog_post_pattern = "posts/*/*"\n',
            "about.md": "# About\n",
            "posts/2020/refs.md": """
                ```{post} 2020-05-06
                :author: Ada
                ```

                # Refs

                See [about][ab] and [the about page].

                [ab]: /about
                [the about page]: /about
                [comment]: <not a link>
                """,
        },
    )
    code, out = run(site, old, capsys)
    assert code == 1
    assert out[1] == (
        f"posts/2020/refs.md  posts/2020/refs.md  {HELD}; fix what follows; link to page "
        "`about`: not imported, and the old blog's conf.py has no blog_baseurl to link to: "
        "fix by hand"
    )


# -- What the site's Sphinx cannot build: patterns of real blogs -------------------

BUILD_CONF = """\
extensions = ["myst_parser", "ablog", "sphinx_design", "sphinx_needs", "sphinxcontrib.mermaid"]
blog_post_pattern = ["posts/*/*"]
blog_baseurl = "https://old.example/"
myst_enable_extensions = ["colon_fence"]
blog_default_author = "Ada"
"""

BUILD_POSTS = {
    # sphinx-design's grid, cards (twice) and dropdown; a mermaid diagram.
    "posts/2020/design.md": """
        ---
        blogpost: true
        date: 2020-05-01
        ---

        # Design

        ::::{grid} 2
        :::{grid-item-card} One
        :::
        :::{grid-item-card} Two
        :::
        ::::

        ```{mermaid}
        graph LR; a --> b
        ```

        ```{dropdown} More
        Hidden.
        ```
        """,
    # myst-nb's code-cell; a language Pygments does not know; JSON cut short.
    "posts/2022/cells.md": """
        ---
        blogpost: true
        date: 2022-01-02
        ---

        # Cells

        ```{code-cell} python
        print(1)
        ```

        ```txt
        plain
        ```

        ```json
        {"a": 1, ...}
        ```
        """,
    # Written for another MyST: a postlist option ABlog lacks, a title beside
    # options, option values that YAML reads as comments; sphinx-needs' role,
    # and its directive in an eval-rst block.
    "posts/2024/other-myst.md": """
        ---
        blogpost: true
        date: 2024-03-04
        ---

        # Other MyST

        ```{postlist}
        :number: 3
        ```

        ````{note} Click to see
        :class: dropdown
        Text.
        ````

        ```{literalinclude} other-myst/deploy.py
        :start-at: # Deploy
        ```

        See {need}`REQ_1`.

        ```{eval-rst}
        .. needtable::
        ```
        """,
    # A post that builds, linking to one that does not yet: a draft too.
    "posts/2024/fine.md": """
        ---
        blogpost: true
        date: 2024-05-06
        ---

        # Fine

        Read [the design post](../2020/design.md) and [the code](https://x.example/).
        """,
    "posts/2024/other-myst/deploy.py": "# Deploy\nprint(1)\n",
    "posts/2024/alone.md": "---\nblogpost: true\ndate: 2024-06-07\n---\n\n# Alone\n\nText.\n",
}

SD = "comes from sphinx-design: add `sphinx_design` to extensions in conf.py (pip package "
NEEDS = (
    "one of the old blog's extensions (`sphinx_design`, `sphinx_needs`, "
    "`sphinxcontrib.mermaid`) has it, or rewrite it"
)
POSTLIST_OPTIONS = (
    "'author', 'category', 'date', 'excerpts', 'expand', 'format', 'language', 'list-style', "
    "'location', 'sort', 'tags'"
)


def test_what_the_site_cannot_build_is_a_draft_with_its_lines_named(site, tmp_path, capsys):
    old = tmp_path / "old5"
    write_tree(old, {"conf.py": BUILD_CONF, **BUILD_POSTS})
    code, out = run(site, old, capsys)
    assert code == 1
    assert out == [
        "old                       new                       notes",
        f"posts/2020/design.md      posts/2020/design.md      {HELD}; 4 line(s) to fix below",
        f"posts/2022/cells.md       posts/2022/cells.md       {HELD}; 3 line(s) to fix below",
        "posts/2024/alone.md       posts/2024/alone.md       ok",
        "posts/2024/fine.md        posts/2024/fine.md        link to posts/2020/design.md, a "
        "draft here (until its problems are fixed): links to "
        "https://old.example/posts/2020/design.html until that post is published",
        f"posts/2024/other-myst.md  posts/2024/other-myst.md  {HELD}; 6 line(s) to fix below",
        "",
        FIX_HEADER,
        f"posts/2020/design.md:9: directive `grid` {SD}sphinx-design), or rewrite that part",
        f"posts/2020/design.md:10: directive `grid-item-card` (2 times) {SD}sphinx-design), "
        "or rewrite that part",
        "posts/2020/design.md:16: directive `mermaid` comes from sphinxcontrib-mermaid: add "
        "`sphinxcontrib.mermaid` to extensions in conf.py (pip package sphinxcontrib-mermaid), "
        "or rewrite that part",
        f"posts/2020/design.md:20: directive `dropdown` {SD}sphinx-design), or rewrite that part",
        "posts/2022/cells.md:9: directive `code-cell` comes from myst-nb: add `myst_nb` to "
        "extensions in conf.py (pip package myst-nb), or rewrite that part",
        "posts/2022/cells.md:13: code language `txt` is not one Pygments knows: write `text`, "
        "or its name",
        "posts/2022/cells.md:17: code marked `json` is not valid json (Pygments stops at '.'): "
        "mark it `text`, or fix it",
        "posts/2024/other-myst.md:10: {postlist}: Unknown option key: 'number' (allowed: "
        f"[{POSTLIST_OPTIONS}]): MyST warns",
        "posts/2024/other-myst.md:13: {note}: Splitting content across first line and body, "
        "when an options block is present, is not recommended: MyST warns",
        "posts/2024/other-myst.md:19: {literalinclude}: Directive options has # comments, "
        "which may not be supported in future versions.: MyST warns",
        "posts/2024/other-myst.md:19: {literalinclude}: Invalid option value for 'start-at': "
        "None: argument required but none supplied: MyST warns",
        f"posts/2024/other-myst.md:22: unknown role `need`: {NEEDS}",
        f"posts/2024/other-myst.md:25: unknown directive `needtable`: {NEEDS}",
        "",
        "5 post(s) found: 1 imported fully, 4 with problems (3 of them drafts until fixed), "
        "0 skipped",
    ]
    for rel in ("2020/design", "2022/cells", "2024/other-myst"):
        assert "\ndraft: true\n" in (site / f"posts/{rel}.md").read_text(encoding="utf-8")
    assert "draft:" not in (site / "posts/2024/fine.md").read_text(encoding="utf-8")
    # `make html` builds the site at once; the drafts are left out; the post that
    # links to one is published, its link to the draft's old address.
    assert strict(site, tmp_path / "out") == ""
    assert (tmp_path / "out/html/posts/2024/alone.html").is_file()
    assert not (tmp_path / "out/html/posts/2020/design.html").exists()
    fine = (tmp_path / "out/html/posts/2024/fine.html").read_text(encoding="utf-8")
    assert 'href="https://old.example/posts/2020/design.html"' in fine
    # In preview, each line the report named is a line the build names.
    _, warnings = build(site, tmp_path / "preview", freshenv=True, essayist_preview=True)
    found = {
        (rel, int(line))
        for rel, line in re.findall(r"(posts/\S+?\.md):(\d+): (?:WARNING|ERROR)", warnings)
    }
    said = "\n".join(out)
    named = {(rel, int(line)) for rel, line in re.findall(r"^(posts/\S+?\.md):(\d+): ", said, re.M)}
    # The cards inside the unknown grid are read only once the grid is known.
    assert named - found == {("posts/2020/design.md", 10)}, warnings
    assert found <= named, warnings


def test_without_the_old_address_a_post_linking_to_a_draft_waits_for_it(site, tmp_path, capsys):
    """With no ``blog_baseurl`` in the old conf.py there is no old address to link
    to: the post that links to a draft is a draft too, and says why."""
    old = tmp_path / "old6"
    conf = BUILD_CONF.replace('blog_baseurl = "https://old.example/"\n', "")
    write_tree(old, {"conf.py": conf, **BUILD_POSTS})
    code, out = run(site, old, capsys)
    assert code == 1
    fine = next(line for line in out if line.startswith("posts/2024/fine.md"))
    assert fine.endswith(
        f"{HELD}; fix what follows; link to posts/2020/design.md, a draft here (until its "
        "problems are fixed): published builds fail on the link until that post is published"
    )
    assert "\ndraft: true\n" in (site / "posts/2024/fine.md").read_text(encoding="utf-8")
    assert strict(site, tmp_path / "out") == ""


def test_doc_and_ref_links_to_a_draft_go_to_its_old_address(site, tmp_path, capsys):
    """A member page that cannot be built yet, named by other posts with ``{doc}``
    and with ABlog's post label: those posts are published, their links to the
    page's address on the old site."""
    old = tmp_path / "old7"
    write_tree(
        old,
        {
            "conf.py": BUILD_CONF,
            "posts/2020/member.md": BUILD_POSTS["posts/2020/design.md"],
            "posts/2024/event.md": """
                ---
                blogpost: true
                date: 2024-05-06
                ---

                # Event

                Opened by {doc}`the member </posts/2020/member>`, see {ref}`member`.
                """,
        },
    )
    code, out = run(site, old, capsys)
    assert code == 1
    event = next(line for line in out if line.startswith("posts/2024/event.md"))
    assert event.endswith(
        "link to posts/2020/member.md, a draft here (until its problems are fixed): links "
        "to https://old.example/posts/2020/member.html until that post is published"
    )
    text = (site / "posts/2024/event.md").read_text(encoding="utf-8")
    assert "draft:" not in text
    assert "[the member](https://old.example/posts/2020/member.html)" in text
    assert "see [Design](https://old.example/posts/2020/member.html)." in text
    assert strict(site, tmp_path / "out") == ""
    assert (tmp_path / "out/html/posts/2024/event.html").is_file()


def test_titles_and_file_names_from_the_old_blog_stay_text(site, tmp_path, capsys):
    """A title written with markup becomes the post's heading as text; a title
    that holds brackets stays one link's text; a file name with a control
    character is shown escaped in the report, not sent to the terminal."""
    old = tmp_path / "old8"
    marked = "Using <div> tags *well* [1] {sub-ref}`today`"
    write_tree(
        old,
        {
            "conf.py": BUILD_CONF,
            "posts/2024/marked.md": f"""
                ---
                blogpost: true
                date: 2024-05-06
                title: '{marked}'
                ---

                Text, and {{doc}}`/posts/2024/bracket`.
                """,
            "posts/2024/bracket.md": """
                ---
                blogpost: true
                date: 2024-05-07
                ---

                # Draft ] with [bracket

                Text.
                """,
            "posts/2024/e\x1bred.md": "---\nblogpost: true\ndate: 2024-05-08\n---\n\n# Red\n\nT.\n",
        },
    )
    _, out = run(site, old, capsys)
    assert "\x1b" not in "\n".join(out)
    assert any(line.startswith("posts/2024/e\\x1bred.md") for line in out), out
    assert strict(site, tmp_path / "out") == ""
    html = tmp_path / "out/html/posts/2024"
    page = BeautifulSoup((html / "marked.html").read_text(encoding="utf-8"), "html.parser")
    [h1] = page.find_all("h1")
    assert h1.get_text(strip=True).rstrip("¶") == marked
    assert h1.find(["div", "em"]) is None
    [link] = page.select("article a[href$='bracket.html']")
    assert link.get_text() == "Draft ] with [bracket"


def test_a_file_name_too_long_to_build_is_shortened_at_a_word(site, tmp_path, capsys):
    """An old post named with 250 characters imports to a name the build can
    write files after, cut at a word, and says so; the site then builds it."""
    old = tmp_path / "old-long"
    name = "-".join(["alignment"] * 25)  # 249 characters
    write_tree(
        old,
        {
            "conf.py": 'extensions = ["myst_parser"]\nblog_post_pattern = ["posts/*"]\n',
            f"posts/{name}.md": "---\ndate: 2024-05-01\n---\n\n# Long\n\nText.\n",
        },
    )
    _, out = run(site, old, capsys)
    short = "-".join(["alignment"] * 20)  # 199 characters
    assert (site / f"posts/2024/{short}.md").is_file(), out
    assert f"file name shortened to {short}.md (at most 200 characters)" in "\n".join(out)
    assert main(["--root", str(site), "check", "--today", "2026-06-01"]) == 0


@pytest.mark.parametrize("where", ["top", "if", "function"])
def test_settings_changed_in_code(site, tmp_path, capsys, where):
    """An old conf.py that adds myst_parser in code: at its top level the list
    is read as it ends up; under an ``if`` it is read as first written and the
    report says so, and why its .md posts are not found (not a bare "0
    post(s) found"); in a function it is the function's own name."""
    old = tmp_path / f"old-{where}"
    add = {
        "top": 'extensions.append("myst_parser")\n',
        "if": 'if True:\n    extensions.append("myst_parser")\n',
        "function": 'def setup(app):\n    extensions = []\n    extensions.append("x")\n',
    }[where]
    first = '["ablog", "myst_parser"]' if where == "function" else '["ablog"]'
    write_tree(
        old,
        {
            "conf.py": f"extensions = {first}\n{add}blog_post_pattern = ['posts/*']\n",
            "posts/one.md": "---\nblogpost: true\ndate: 2024-05-01\n---\n\n# One\n\nText.\n",
        },
    )
    code, out = run(site, old, capsys)
    text = "\n".join(out)
    changed = (
        f"{old / 'conf.py'}: changed in code after it is set, so read as first written: "
        "extensions (write what the code adds into the value itself, then import again)"
    )
    unread = (
        "1 file(s) match blog_post_pattern but are not documents of the old site as its "
        "conf.py reads (posts/one.md): a .md post needs myst_parser in extensions"
    )
    if where == "if":
        assert code == 1 and changed in text and unread in text
    else:
        assert code == 0 and changed not in text and unread not in text, text
        assert (site / "posts/2024/one.md").is_file()


def test_a_post_linked_from_outside_the_old_blog_is_not_read(site, tmp_path, capsys):
    old = tmp_path / "old-link"
    secret = tmp_path / "secret.md"
    secret.write_text("---\ndate: 2024-05-01\n---\n\n# Secret\n\nNot the blog's.\n")
    write_tree(old, {"conf.py": 'extensions = ["myst_parser"]\nblog_post_pattern = ["posts/*"]\n'})
    (old / "posts").mkdir()
    (old / "posts" / "linked.md").symlink_to(secret)
    code, out = run(site, old, capsys)
    assert code == 1
    assert any(
        "posts/linked.md" in line and "a link to a file outside the old blog: not read" in line
        for line in out
    ), out
    assert not list((site / "posts").rglob("linked.md"))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("![pic](img/p.png){w=200px}", True),
        ("![pic](img/p.png){.wide}", True),
        ("[link](x.md){#anchor}", True),
        ("A set {w=200px} in prose", False),
        ("`code`{.python}", True),
    ],
)
def test_attributes_are_recognised_in_every_form(text, found):
    """``{w=200px}`` after an image needs ``attrs_inline`` as ``{.class}`` does:
    without it the page shows the braces as text."""
    import re

    from essayist.tools.import_convert import SYNTAX

    assert bool(re.search(SYNTAX["attrs_inline"][0], text, re.M)) is found


def test_the_old_blogs_excerpt_length_is_kept(site, tmp_path, capsys):
    """``post_auto_excerpt = 2`` in the old conf.py: each post's listings kept
    two paragraphs, so each imported post says ``excerpt: 2`` (one that says
    its own keeps it)."""
    old = tmp_path / "old-excerpt"
    write_tree(
        old,
        {
            "conf.py": 'extensions = ["myst_parser", "ablog"]\nblog_post_pattern = "posts/*/*"\n'
            "post_auto_excerpt = 2\n",
            "posts/2020/two.md": "---\nblogpost: true\ndate: 2020-05-06\nauthor: Ada\n---\n\n"
            "# Two\n\nOne.\n\nTwo.\n",
            "posts/2020/own.md": "---\nblogpost: true\ndate: 2020-05-07\nauthor: Ada\n"
            "excerpt: 3\n---\n\n# Own\n\nOne.\n",
        },
    )
    code, out = run(site, old, capsys)
    assert code == 0, out
    two = (site / "posts/2020/two.md").read_text(encoding="utf-8")
    own = (site / "posts/2020/own.md").read_text(encoding="utf-8")
    assert "\nexcerpt: 2\n" in two.split("---")[1]
    assert "\nexcerpt: 3\n" in own.split("---")[1]


def test_a_jupytext_pair_is_listed_not_lost(site, tmp_path, capsys):
    """A notebook post's jupytext text (``a.md`` beside ``a.ipynb``) is the same
    document, which Sphinx does not read: the table says so."""
    old = tmp_path / "old-nb"
    conf = 'extensions = ["myst_nb", "ablog"]\nblog_post_pattern = ["posts/*"]\n'
    pair = "---\njupytext:\n  formats: ipynb,md:myst\n---\n\n# A Notebook\n"
    write_tree(
        old,
        {
            "conf.py": conf,
            "posts/a.md": pair,
            "posts/b.md": "---\ndate: 2024-01-02\n---\n\n# B\n\nText.\n",
        },
    )
    (old / "posts/a.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    _, out = run(site, old, capsys, "--dry-run")
    assert out[:4] == [
        "old            new              notes",
        "posts/a.ipynb  skipped          notebook post: skipped",
        "posts/a.md     skipped          the same document as posts/a.ipynb, which Sphinx "
        "reads instead: skipped",
        "posts/b.md     posts/2024/b.md  note: no author: the site's default author (Ada) shows",
    ]


def test_an_old_authors_link_that_is_not_a_web_address_is_left_out(site, tmp_path, capsys):
    old = tmp_path / "old-authors"
    conf = (
        'extensions = ["myst_parser", "ablog"]\nblog_post_pattern = ["posts/*"]\n'
        'blog_authors = {"Mallory": ("Mallory M.", "javascript:alert(1)")}\n'
    )
    post = "---\ndate: 2024-01-02\nauthor: Mallory\n---\n\n# B\n\nText.\n"
    write_tree(old, {"conf.py": conf, "posts/b.md": post})
    _, out = run(site, old, capsys)
    text = (site / "conf.py").read_text(encoding="utf-8")
    assert '"Mallory": ("Mallory M.", None)' in text and "javascript" not in text
    assert "note: author 'Mallory': link 'javascript:alert(1)' is not http(s): left out" in (out[1])


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (dt.datetime(2023, 1, 15), "2023-01-15"),
        (dt.datetime(2023, 1, 15, 10, 30), "2023-01-15T10:30"),
        # Seconds are kept (they order a day's posts); they were cut.
        (dt.datetime(2023, 1, 15, 10, 30, 45), "2023-01-15T10:30:45"),
        # The offset is kept, for the build to take into the site's time zone:
        # dropped, the post was hours off.
        (
            dt.datetime(2023, 1, 16, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2023-01-16T10:30+02:00",
        ),
        (
            dt.datetime(2023, 1, 16, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2023-01-16T00:00+02:00",
        ),
    ],
)
def test_an_imported_date_keeps_its_time_seconds_and_offset(moment, written):
    from essayist.blog.dates import parse_moment
    from essayist.tools.import_convert import iso

    assert iso(moment) == written
    kept = parse_moment(written, "UTC")
    if moment.tzinfo is not None:
        assert kept == moment.astimezone(dt.UTC).replace(tzinfo=None)
    elif moment.time() != dt.time(0):
        assert kept == moment


GAPS_CONF = """\
project = "Old maths"
extensions = ["myst_parser", "ablog", "sphinxcontrib.bibtex"]
blog_post_pattern = "posts/*"
bibtex_bibfiles = ["refs.bib"]
numfig = True
myst_enable_extensions = ["colon_fence", "dollarmath", "substitution"]
myst_substitutions = {"date": "today"}
mathjax3_config = {"tex": {"macros": {"set": ["\\\\{#1\\\\}", 1], "R": "\\\\mathbb{R}"}}}
"""

GAPS = {
    "no-alt.md": "```{image} chart.png\n```",
    "cited.md": "As shown {cite}`someone2020`.",
    "numbered.md": "(fig-a)=\n```{figure} chart.png\n:alt: a chart\n\nA chart.\n```\n\n"
    "See {numref}`fig-a`.",
    "macro.md": "Let $x \\in \\R$ and $S = \\set{x}$.",
    "fence.md": "::::{note}\nA note.\n:::\n\n## Later\n\nText.",
    "fine.md": "Nothing the site refuses.",
    # Published as typed, "Posted on {{ date }}", with no substitution here.
    "subst.md": "Posted on {{ date }}.",
}


def test_what_the_site_refuses_is_held_and_named_at_import(tmp_path, capsys):
    """An image with no alt text, a key the site's BibTeX file lacks, {numref}
    without numbered figures, the old blog's MathJax macros and a fence never
    closed passed the import as "imported fully", and the next ``make html``
    failed on them: each post is held as a draft, its lines named."""
    old = tmp_path / "old"
    posts = {
        f"posts/{name}": f"---\nblogpost: true\ndate: 2024-03-0{n}\n---\n\n# {name[:-3]}\n\n"
        f"{body}\n"
        for n, (name, body) in enumerate(GAPS.items(), start=1)
    }
    write_tree(old, {"conf.py": GAPS_CONF, "refs.bib": "", **posts})
    (old / "posts/chart.png").write_bytes(b"\x89PNG chart")
    site = copy_root("minimal", tmp_path)
    with (site / "conf.py").open("a", encoding="utf-8") as f:
        f.write('myst_enable_extensions = ["colon_fence", "dollarmath"]\n')
        f.write('extensions.append("sphinxcontrib.bibtex")\nbibtex_bibfiles = ["references.bib"]\n')
    (site / "references.bib").write_text(
        "@book{other2019, title={Other}, author={Ann Other}, year={2019}}\n", encoding="utf-8"
    )
    code = main(["--root", str(site), "import", str(old), "--today", TODAY])
    out = capsys.readouterr().out
    assert code == 1
    fix = out[out.index(FIX_HEADER) :].split("\n\n")[0].splitlines()[1:]
    assert [line.split(": ", 1)[0] for line in fix] == [
        "posts/2024/cited.md:9",
        "posts/2024/fence.md:9",
        "posts/2024/macro.md:9",
        "posts/2024/macro.md:9",
        "posts/2024/no-alt.md:9",
        "posts/2024/numbered.md:16",
    ]
    said = "\n".join(fix)
    assert "someone2020" in said
    assert "this '::::{note}' fence is never closed" in said
    assert "\\R is a MathJax macro of the old blog's conf.py" in said
    assert "\\set is a MathJax macro" in said
    assert "image 'no-alt/chart.png' has no alt text" in said
    assert "{numref} needs numbered figures" in said
    assert "7 post(s) found: 1 imported fully" in out
    row = next(line for line in out.splitlines() if line.startswith("posts/subst.md"))
    assert "the strict build fails on it" in row
    assert "uses the MyST extension `substitution`" in row and "write each value out" in row
    # Held as drafts: the site builds strictly at once, with the one that is fine.
    assert strict(site, tmp_path / "out") == ""
    html = tmp_path / "out/html/posts/2024"
    assert (html / "fine.html").is_file()
    assert not any((html / f"{name[:-3]}.html").exists() for name in GAPS if name != "fine.md")
