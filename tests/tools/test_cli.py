"""The ``blog`` command: ``blog new`` and ``blog check``, through ``main(argv)``."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest
from conftest import PROJECT

from essayist.tools import cli
from essayist.tools.cli import main, slugify

CONF = """\
import os
project = "Test"
blog_authors = {"Ada": ("Ada Lovelace", None), "Grace": ("Grace Hopper", None)}
blog_default_author = "Ada"
blog_post_pattern = ["posts/*/*"]
essayist_timezone = os.environ.get("SITE_TIMEZONE", "UTC")
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "conf.py").write_text(CONF, encoding="utf-8")
    return tmp_path


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def check(root: Path, capsys, today: str = "2026-06-01") -> tuple[int, list[str]]:
    """The exit status and the problem lines (the closing success line, on
    standard output with the notes, is checked and left out)."""
    code = main(["--root", str(root), "check", "--today", today])
    lines = capsys.readouterr().out.splitlines()
    if code == 0:
        assert re.fullmatch(r"\d+ post\(s\) checked, no problems", lines[-1])
        lines = lines[:-1]
    return code, lines


GOOD = """
---
date: 2026-03-01
author: Ada
category: Notes
tags: alpha, beta
---

# A Good Post

Text.
"""


# -- blog new ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("What Does It Actually Mean to Align an AI?", "what-does-it-actually-mean-to-align-an-ai"),
        ("Goodhart’s Law, Revisited", "goodharts-law-revisited"),
        ("Café  — naïve   résumé", "cafe-naive-resume"),
        ("???", ""),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_new_writes_a_complete_post(root, capsys, monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "today_in", lambda tz: seen.append(tz) or dt.date(2026, 11, 26))
    monkeypatch.setenv("SITE_TIMEZONE", "Africa/Dar_es_Salaam")
    argv = [
        "--root",
        str(root),
        "new",
        "On Proxies: Goodhart's Law",
        "--tags",
        "alignment, Goodhart's law",
    ]
    code = main([*argv, "--category", "Alignment"])
    assert code == 0
    assert capsys.readouterr().out == "posts/2026/on-proxies-goodharts-law.md\n"
    assert seen == ["Africa/Dar_es_Salaam"]  # today in the site's time zone
    text = (root / "posts/2026/on-proxies-goodharts-law.md").read_text(encoding="utf-8")
    assert text == (
        "---\n"
        "date: 2026-11-26\n"
        "author: Ada\n"
        "category: Alignment\n"
        "tags: alignment, Goodhart's law\n"
        "---\n"
        "\n"
        "# On Proxies: Goodhart's Law\n"
        "\n"
    )
    # What it writes passes the check.
    assert check(root, capsys, "2026-11-26") == (0, [])


def test_new_draft_and_quoting(root, capsys, monkeypatch):
    monkeypatch.setattr(cli, "today_in", lambda tz: dt.date(2027, 1, 2))
    assert main(["new", "Yes", "--category", "On: proxies", "--draft", "--root", str(root)]) == 0
    path = root / "posts/2027/yes.md"
    assert capsys.readouterr().out == "posts/2027/yes.md\n"
    assert path.read_text(encoding="utf-8").splitlines()[:6] == [
        "---",
        "date: 2027-01-02",
        "author: Ada",
        'category: "On: proxies"',
        "draft: true",
        "---",
    ]
    assert check(root, capsys, "2027-01-02") == (
        0,
        ["posts/2027/yes.md:5: note: draft: true, so the post is not published"],
    )


def test_new_refuses_to_overwrite(root, capsys, monkeypatch):
    monkeypatch.setattr(cli, "today_in", lambda tz: dt.date(2026, 3, 1))
    existing = write(root, "posts/2026/a-good-post.md", GOOD)
    before = existing.read_text(encoding="utf-8")
    assert main(["--root", str(root), "new", "A Good Post"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "blog: posts/2026/a-good-post.md already exists: "
        "edit it, or give the new post another title\n"
    )
    assert existing.read_text(encoding="utf-8") == before


def test_new_refuses_a_name_that_differs_in_case_only(root, capsys, monkeypatch):
    """posts/2026/A-Good-Post.md and a-good-post.md are one file on macOS and Windows."""
    monkeypatch.setattr(cli, "today_in", lambda tz: dt.date(2026, 3, 1))
    write(root, "posts/2025/A-Good-Post.md", GOOD)
    assert main(["--root", str(root), "new", "A Good Post"]) == 1
    assert capsys.readouterr().err == (
        "blog: posts/2025/A-Good-Post.md has the slug 'a-good-post' already (a post's address "
        "and feed id): give the new post another title, or edit that one\n"
    )
    assert not (root / "posts/2026/a-good-post.md").exists()


def test_new_rejects_a_title_without_letters_and_bad_tags(root, capsys):
    assert main(["--root", str(root), "new", "???"]) == 1
    assert "cannot make a file name from the title '???'" in capsys.readouterr().err
    assert main(["--root", str(root), "new", "Fine", "--tags", "a, ?!"]) == 1
    assert "tags: '?!' has no letters or digits" in capsys.readouterr().err
    assert not (root / "posts").exists()


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("ما معنى المحاذاة؟", "ما-معنى-المحاذاة"),
        ("对齐意味着什么", "对齐意味着什么"),
        ("संरेखण का अर्थ", "संरेखण-का-अर्थ"),  # its vowel signs kept
        ("Ελληνικά 2", "ελληνικά-2"),  # not "2"
        ("../../етика/", "етика"),  # a path is no part of it
    ],
)
def test_new_names_a_title_with_no_latin_letters_in_its_own_script(
    root, title, name, capsys, monkeypatch
):
    """It refused ("use some Latin letters"), while the build publishes such
    names (their addresses percent-encoded)."""
    monkeypatch.setattr(cli, "today_in", lambda tz: dt.date(2026, 3, 1))
    assert main(["--root", str(root), "new", title]) == 0
    assert capsys.readouterr().out.strip() == f"posts/2026/{name}.md"
    assert (root / f"posts/2026/{name}.md").is_file()
    assert main(["--root", str(root), "check", "--today", "2026-03-01"]) == 0
    assert main(["--root", str(root), "new", "🎉🎉"]) == 1
    assert capsys.readouterr().err.endswith("use some letters or digits\n")


def test_new_in_a_c_locale_writes_the_title_as_typed(root):
    """Under LC_ALL=C with UTF-8 mode off, Python reads an accented argument as
    undecodable bytes: ``blog`` runs again in UTF-8 mode (it stopped with a
    UnicodeEncodeError)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    env["PYTHONCOERCECLOCALE"] = "0"
    cmd = [sys.executable, "-m", "essayist.tools.cli", "--root", str(root), "new", "Café à Noël"]
    done = subprocess.run(cmd, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    (post,) = (root / "posts").glob("*/cafe-a-noel.md")
    assert "# Café à Noël\n" in post.read_text(encoding="utf-8")


def test_new_without_conf_py(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "new", "Title"]) == 1
    assert "no conf.py here" in capsys.readouterr().err


@pytest.mark.parametrize(
    "title",
    [
        "Learning C #",
        "*Not* emphasised_",
        "A & B <i>x</i> &amp;",
        "Why `date` matters; $5 per $HOME",
        "[a link](https://example.com) and {sub}`x`",
        "Back\\slash ~~struck~~ | pipes | !",
    ],
)
def test_new_writes_the_title_as_typed(root, capsys, title):
    """The title is text, not Markdown: MyST (with the site's extensions)
    reads back exactly what was typed."""
    from bs4 import BeautifulSoup
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    assert main(["--root", str(root), "new", title, "--today", "2026-03-01"]) == 0
    rel = capsys.readouterr().out.strip()
    text = (root / rel).read_text(encoding="utf-8")
    config = MdParserConfig(enable_extensions={"colon_fence", "deflist", "dollarmath", "amsmath"})
    html = create_md_parser(config, RendererHTML).render(text.split("---\n", 2)[2])
    assert BeautifulSoup(html, "html.parser").h1.get_text() == title


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["A" * 201], "the title is 201 characters long; at most 200"),
        (["A" * 10_000], "the title is 10,000 characters long; at most 200"),
        (["Escape \x1b[31m red"], "invisible control character U+001B, which no web page may"),
        (["Nul \x00 here"], "invisible control character U+0000, which no web page may hold"),
        (
            ["Fine", "--tags", ",".join(f"t{n}" for n in range(21))],
            "tags lists 21 names; a post has at most 20",
        ),
    ],
)
def test_new_refuses_what_check_would_refuse(root, capsys, argv, message):
    assert main(["--root", str(root), "new", *argv, "--today", "2026-03-01"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and message in err, err
    assert not (root / "posts").exists()


def test_new_refuses_a_slug_another_year_has(root, capsys):
    write(root, "posts/2025/a-good-post.md", GOOD.replace("2026-03-01", "2025-03-01"))
    assert main(["--root", str(root), "new", "A Good Post!", "--today", "2026-03-01"]) == 1
    assert capsys.readouterr().err == (
        "blog: posts/2025/a-good-post.md has the slug 'a-good-post' already (a post's address "
        "and feed id): give the new post another title, or edit that one\n"
    )
    assert not (root / "posts/2026").exists()


def test_new_spells_tags_and_category_as_the_site_does(root, capsys):
    write(root, "posts/2026/a-good-post.md", GOOD)
    argv = ["new", "Another", "--tags", "ALPHA, gamma, Gamma", "--category", "notes"]
    assert main(["--root", str(root), *argv, "--today", "2026-03-02"]) == 0
    out, err = capsys.readouterr()
    assert out == "posts/2026/another.md\n"
    assert err.splitlines() == [
        "note: tag 'ALPHA' written 'alpha', as in posts/2026/a-good-post.md",
        "note: category 'notes' written 'Notes', as in posts/2026/a-good-post.md",
    ]
    front = (root / out.strip()).read_text(encoding="utf-8").splitlines()[1:5]
    assert front == ["date: 2026-03-02", "author: Ada", "category: Notes", "tags: alpha, gamma"]
    assert check(root, capsys, "2026-03-02") == (0, [])


def test_new_never_writes_through_a_link_outside_the_site(root, tmp_path_factory, capsys):
    outside = tmp_path_factory.mktemp("outside")
    (root / "posts").mkdir()
    (root / "posts" / "2026").symlink_to(outside, target_is_directory=True)
    assert main(["--root", str(root), "new", "Through a link", "--today", "2026-03-01"]) == 1
    assert "posts/2026 leads outside the site" in capsys.readouterr().err
    assert list(outside.iterdir()) == []


def test_a_hidden_date_that_is_no_date_is_a_usage_error(root, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--root", str(root), "new", "Title", "--today", "2026-02-30"])
    assert exit_.value.code == 2
    assert "'2026-02-30' is not a date: write YYYY-MM-DD" in capsys.readouterr().err


# -- blog check --------------------------------------------------------------


def test_check_passes_the_real_site(capsys):
    assert main(["--root", str(PROJECT), "check"]) == 0
    out, err = capsys.readouterr()
    assert re.fullmatch(r"\d+ post\(s\) checked, no problems\n", out) and err == ""


def test_check_reports_each_problem_with_its_line(root, capsys):
    write(root, "posts/2026/good.md", GOOD)
    write(
        root,
        "posts/2026/bad-date.md",
        """
        ---
        author: Ada
        date: 2026-02-30
        ---

        # Bad Date
        """,
    )
    write(
        root,
        "posts/2026/strangers.md",
        """
        ---
        date: 2026-01-01
        author: Ada, Alan
        tags: alpha, , "Beta"
        category: "&&"
        ---

        # Strangers
        """,
    )
    write(
        root,
        "posts/2026/untitled.md",
        """
        ---
        date: 2026-01-02
        tags: Alpha
        ---

        ```text
        # not a title: inside a code block
        ```

        Just text.
        """,
    )
    write(root, "posts/2025/good.md", GOOD)
    write(root, "posts/2025/broken-yaml.md", "---\ndate: 2026-01-01\ntags: [a, b\n---\n\n# T\n")
    code, lines = check(root, capsys)
    assert code == 1
    # The same checks, and messages, as the build's (essayist.validate).
    assert lines == [
        "posts/2025/broken-yaml.md:3: front matter is not valid YAML: the list opened with "
        "'[' on this line is not closed (expected ',' or ']', but got '<stream end>'): fix the "
        "block between the '---' lines",
        "posts/2026/bad-date.md:3: date '2026-02-30' does not exist "
        "(day is out of range for month)",
        "posts/2026/good.md:1: two posts have the slug 'good' (posts/2025/good and "
        "posts/2026/good): their feed ids and labels would clash; rename one",
        "posts/2026/strangers.md:3: unknown author 'Alan': use one of 'Ada', 'Grace', "
        "or add it to blog_authors in conf.py",
        "posts/2026/strangers.md:4: tag 'Beta' is spelled 'beta' in posts/2025/good and "
        "both become the same tag page: spell it one way",
        "posts/2026/strangers.md:4: tags has an empty name: remove the stray comma",
        "posts/2026/strangers.md:5: category: '&&' has no letters or digits",
        "posts/2026/untitled.md:3: tag 'Alpha' is spelled 'alpha' in posts/2025/good and "
        "both become the same tag page: spell it one way",
        "posts/2026/untitled.md:5: the post has no title: start its text with a '# Title' line",
    ]


def test_check_reports_control_characters_by_line(root, capsys):
    write(root, "posts/2026/pasted.md", GOOD.replace("Notes", "Notes\x1b[0m") + "\nA\x00b.\n")
    write(root, "docs/pasted.md", "# Pasted\n\nTab\tand form feed\x0c are fine; \x85 is not.\n")
    code, lines = check(root, capsys)
    assert code == 1
    message = (
        "invisible control character {}, which no web page may hold (pasted from a "
        "terminal or a PDF?): delete it; the page is built without it"
    )
    assert lines == [
        "docs/pasted.md:3: " + message.format("U+0085"),
        "posts/2026/pasted.md:4: " + message.format("U+001B"),
        "posts/2026/pasted.md:12: " + message.format("U+0000"),
    ]


def test_a_file_full_of_control_characters_is_reported_once_a_line_ten_lines_at_most():
    from essayist.blog.characters import MAX_REPORTED, control_lines, without_control_characters

    text = "\n".join(f"line {n}\x07" for n in range(50))
    assert [line for line, _ in control_lines(text)] == list(range(1, MAX_REPORTED + 1))
    kept = "tab\tCR\r\nform feed\x0c, é, \u00a0, \u2028"
    assert control_lines(kept) == [] and without_control_characters(kept) == kept
    assert without_control_characters("a\x00b\x1bc\x7fd\x9fe") == "abcde"


def test_check_notes_drafts_and_scheduled_posts_without_failing(root, capsys):
    write(root, "posts/2026/idea.md", "---\ntags: alpha\n---\n\n# An Idea\n")
    write(root, "posts/2026/later.md", "---\ndate: 2026-12-24\n---\n\n# Later\n")
    write(root, "posts/2026/titled.md", "---\ndate: 2026-01-01\ntitle: By Key\n---\n\nText.\n")
    code, lines = check(root, capsys)
    assert code == 0
    assert lines == [
        "posts/2026/idea.md:1: note: the post has no date, so it is a draft: "
        "add 'date: YYYY-MM-DD' to publish it",
        "posts/2026/later.md:2: note: scheduled: published on 2026-12-24",
    ]


def test_check_concept_references(root, capsys):
    write(
        root,
        "docs/concepts/goodharts-law.md",
        """
        # Goodhart's law

        ```{concept} Goodhart's law
        :aliases: Goodhart
        :summary: A measure that becomes a target stops measuring.
        ```
        """,
    )
    write(
        root,
        "posts/2026/proxies.md",
        """
        ---
        date: 2026-01-01
        ---

        # Proxies

        See {concept}`Goodhart`, {concept}`the law <goodharts-law>`
        and {concept}`Goodhart’s Law`, but not {concept}`mesa-optimiser`.

        ```text
        {concept}`ignored-in-code`
        ```
        """,
    )
    code, lines = check(root, capsys)
    assert code == 1
    assert lines == ["posts/2026/proxies.md:8: unknown concept 'mesa-optimiser'"]
    write(
        root, "posts/2026/typo.md", "---\ndate: 2026-01-01\n---\n\n# Typo\n\n{concept}`goodhard`\n"
    )
    code, lines = check(root, capsys)
    assert lines[-1] == (
        "posts/2026/typo.md:7: unknown concept 'goodhard': did you mean 'Goodhart's law'?"
    )


def make_new(root: Path, *assignments: str) -> str:
    """``make new`` run in ``root`` with the test's venv (as a user runs it, not
    as a sub-make of ``make test``); the path of the post it wrote."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    result = subprocess.run(
        ["make", "--no-print-directory", "-f", str(PROJECT / "Makefile"), "new", *assignments,
         f"BIN={Path(sys.executable).parent}", "STAMP="],
        cwd=root, capture_output=True, text=True, env={**env, "SITE_TIMEZONE": "UTC"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (rel,) = [line for line in result.stdout.splitlines() if re.fullmatch(r"posts/\S+\.md", line)]
    return rel


def test_make_new_takes_the_title_as_typed(root, tmp_path_factory):
    """``make new TITLE=...``: make expands no ``$`` in it and the shell runs
    nothing in it (a backquote, a ``;``), and quotes stay."""
    marker = tmp_path_factory.mktemp("marker") / "ran"
    title = f'Why `date` matters; touch {marker} "q" $5 per $$HOME $(shell id)'
    rel = make_new(root, f"TITLE={title}", 'TAGS=a "b", c`id`')
    assert not marker.exists()
    text = (root / rel).read_text(encoding="utf-8")
    assert 'tags: a "b", c`id`' in text.splitlines(), text
    heading = next(line for line in text.splitlines() if line.startswith("# "))
    assert heading == "# " + re.sub(r"([\\`*_\[\]<>#$&{}|~!])", r"\\\1", title)
    # A title that looks like an option is a title.
    written = (root / make_new(root, "TITLE=--help", "TAGS=-x")).read_text(encoding="utf-8")
    assert "# --help" in written.splitlines() and "tags: -x" in written.splitlines()


def test_check_reads_what_the_build_reads(root, capsys, tmp_path_factory):
    """Posts the build would refuse or never read are reported by blog check
    too: a reST post, a name too long for the files the build writes, an
    ending Sphinx does not read, and a link to a file outside the site (never
    read: it may be anything)."""
    post = GOOD.replace("2026-03-01", "2026-01-01")
    write(root, "posts/2026/a-good-post.md", GOOD)
    write(root, "posts/2026/old.rst", "Old\n===\n\n.. post:: 2020-01-01\n\nText.\n")
    write(root, "posts/2026/" + "l" * 201 + ".md", post)
    write(root, "posts/2026/shout.MD", post)
    secret = tmp_path_factory.mktemp("outside") / "secret.md"
    secret.write_text(post, encoding="utf-8")
    (root / "posts/2026/linked.md").symlink_to(secret)
    code, lines = check(root, capsys)
    assert code == 1
    assert lines == [
        f"posts/2026/linked.md:1: this post is a link to {secret.resolve()}, outside the "
        "project, so it is not published: put the file itself here, in place of the link",
        "posts/2026/" + "l" * 201 + ".md:1: the file name is 201 bytes long, and the site "
        "writes files named after it: rename it to at most 200 (the slug is the post's address)",
        "posts/2026/old.rst:1: a post is MyST Markdown, and this one is reStructuredText: "
        "rewrite it as a .md file (its title as '# Title', its post directive's date and "
        "tags as front matter)",
        "posts/2026/shout.MD:2: this file is written as a blog post, but the site reads only "
        "files ending in .md, so it is not published: rename it to shout.md",
    ]


def test_a_title_is_as_long_as_it_shows(root, capsys):
    """Markdown escapes in the written title do not count against its limit."""
    title = "a_" * 97 + "b"  # 195 characters, 292 once escaped
    assert main(["--root", str(root), "new", title, "--today", "2026-03-01"]) == 0
    capsys.readouterr()
    assert check(root, capsys, "2026-03-01") == (0, [])


def test_check_reports_a_license_as_the_build_does(root, capsys):
    write(
        root, "posts/2026/a-good-post.md", GOOD.replace("tags: alpha, beta", "license: [CC BY 4.0]")
    )
    code, lines = check(root, capsys, "2026-03-01")
    assert (code, lines) == (
        1,
        [
            "posts/2026/a-good-post.md:5: license: must be the name of a license, such as "
            "'CC BY 4.0', or a statement such as 'All rights reserved'; the site's license is used"
        ],
    )


def test_check_reports_a_bibtex_file_the_build_cannot_read(root, capsys):
    """The build stops on it (scholarship.bibcheck): blog check says so first."""
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nbibtex_bibfiles = ["refs.bib", "missing.bib"]\n')
    write(root, "posts/2026/a-good-post.md", GOOD)
    write(
        root,
        "refs.bib",
        """
        @misc{first2020,
          title = {Fine},
          year = {2020}
        }

        @misc{open2021,
          title = {Never closed,
          year = {2021}

        @misc{last2022,
          title = {Also fine},
          year = {2022}
        }
        """,
    )
    assert check(root, capsys, "2026-03-01") == (
        1,
        ["refs.bib:6: BibTeX cannot read it: this entry's braces { } do not close: close them"],
    )
    write(root, "refs.bib", "@misc{first2020,\n  title = {Fine},\n  year = {2020}\n}\n")
    write(root, "refs.bib", "@misc{first2020,\n  title = {Fine},\n  year = {2020}\n}\n")
    conf = (root / "conf.py").read_text(encoding="utf-8")
    line = conf.split("\n").index('bibtex_bibfiles = ["refs.bib", "missing.bib"]') + 1
    assert check(root, capsys, "2026-03-01") == (
        1,
        [f"conf.py:{line}: bibtex_bibfiles names 'missing.bib', and there is no such file: add it"],
    )
    (root / "conf.py").write_text(
        conf.replace('"missing.bib"', '"other.BIBTEX"') + 'bibtex_encoding = "latin-1"\n',
        encoding="utf-8",
    )
    # Read as the build reads it: BibTeX whatever the suffix, in bibtex_encoding.
    (root / "other.BIBTEX").write_bytes(
        b"@misc{zu2021,\n  title = {Gr\xfc\xdfe},\n  year = 2021\n}\n"
    )
    write(root, "refs.bib", "@misc{first2020,\n  title = {Fine},\n  year = {2020}\n}\n")
    assert check(root, capsys, "2026-03-01") == (0, [])


def test_check_reports_citation_keys_as_the_build_does(root, capsys):
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nbibtex_bibfiles = ["refs.bib"]\n')
    write(root, "refs.bib", "@misc{first2020,\n  title = {Fine},\n  year = {2020}\n}\n")
    post = GOOD + (
        "\nAs shown {cite}`first2020` and {cite:t}`{see}First2020{p. 2}, nope2019`.\n"
        "\n``{cite}`inline2000` `` is code; so is this:\n\n```\n{footcite}`fenced1999`\n```\n"
        "\nA footnote cites {footcite:p}`gone2001`.\n"
        "\n<!--\n{cite}`commented2000` is not read, as the build does not read it\n-->\n"
        "\nNor <!-- {cite}`inline2001` --> this.\n"
        "\nAn indented code block is code too:\n\n    {cite}`indented1998`\n"
        "\n- but in a list item\n\n    {cite}`listed1997` is text\n"
    )
    write(root, "posts/2026/a-good-post.md", post)
    start = len(textwrap.dedent(GOOD).lstrip("\n").splitlines())
    assert check(root, capsys, "2026-03-01") == (
        1,
        [
            f"posts/2026/a-good-post.md:{start + 2}: citation key 'First2020' is spelled "
            "'first2020' in the BibTeX file: write it the same way",
            f'posts/2026/a-good-post.md:{start + 2}: could not find bibtex key "nope2019": add '
            "the work to the BibTeX file, or correct the key",
            f'posts/2026/a-good-post.md:{start + 10}: could not find bibtex key "gone2001": add '
            "the work to the BibTeX file, or correct the key",
            f'posts/2026/a-good-post.md:{start + 24}: could not find bibtex key "listed1997": '
            "add the work to the BibTeX file, or correct the key",
        ],
    )


def test_check_reports_two_authors_who_would_share_a_page(root, capsys):
    """ "Ada" and "@ada" both make posts/author/ada.html, which lists one of
    them: the other's posts vanish from it. The build says the same."""
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('blog_authors["@ada"] = ("Ada at home", None)\n')
    write(root, "posts/2026/a-good-post.md", GOOD)
    write(root, "posts/2026/second.md", GOOD.replace("author: Ada", "author: '@ada'"))
    assert check(root, capsys, "2026-03-01") == (
        1,
        [
            "posts/2026/second.md:3: author '@ada' is spelled 'Ada' in "
            "posts/2026/a-good-post and both become the same author page: spell it one way"
        ],
    )


def test_check_reports_a_name_two_concepts_claim_as_the_build_does(root, capsys):
    write(root, "posts/2026/a-good-post.md", GOOD)
    write(root, "docs/concepts/x-risk.md", "# X-risk\n\n```{concept} X-risk\n\nA risk.\n```\n")
    write(
        root,
        "docs/concepts/doom.md",
        "# Doom\n\n```{concept} Doom\n:aliases: x risk\n\nThe end.\n```\n",
    )
    assert check(root, capsys, "2026-03-01") == (
        1,
        [
            "docs/concepts/doom.md:3: 'x risk' names two concepts: 'Doom' here and 'X-risk' "
            "in docs/concepts/x-risk.md (line 3); remove it from one of them"
        ],
    )


def test_check_reports_an_image_that_is_not_there(root, capsys):
    """A missing image fails the build ("image file not readable"): blog check
    names it at its line first. Code, other hosts and files that exist pass."""
    post = GOOD + (
        "\n![here](img/ok.png) and ![gone](img/none.png)\n"
        "\n```{figure} pics/gone.svg\nA caption.\n```\n"
        "\n`![code](nope.png)` and ![far](https://example.org/x.png)\n"
        "\n```\n![in code](also-nope.png)\n```\n"
        "\n![spaced](<img/my chart.png>)\n"
        '\n<img src="img/ok.png" alt="ok"> and <img src="img/no.png" alt="no">\n'
    )
    write(root, "posts/2026/a-good-post.md", post)
    (root / "posts/2026/img").mkdir()
    (root / "posts/2026/img/ok.png").write_bytes(b"png")
    (root / "posts/2026/img/my chart.png").write_bytes(b"png")
    start = len(textwrap.dedent(GOOD).lstrip("\n").splitlines())
    assert check(root, capsys, "2026-03-01") == (
        1,
        [
            f"posts/2026/a-good-post.md:{start + 2}: image 'img/none.png' is not there: add the "
            "file, or correct its path (relative to the post)",
            f"posts/2026/a-good-post.md:{start + 4}: image 'pics/gone.svg' is not there: add "
            "the file, or correct its path (relative to the post)",
            f"posts/2026/a-good-post.md:{start + 16}: image 'img/no.png' is not there: add "
            "the file, or correct its path (relative to the post)",
        ],
    )


def test_check_refuses_what_the_build_refuses_outside_and_onto_written_pages(root, capsys):
    """An image outside the project (by path or by link) and an old address
    that is a list the site writes: the build fails on each; blog check said
    "no problems"."""
    outside = root.parent / "outside.png"
    outside.write_bytes(b"png")
    post = GOOD.replace("tags: alpha, beta", "tags: alpha, beta\nredirect: posts/tag/alpha")
    post += "\n![far](../../../outside.png)\n\n![linked](linked.png)\n"
    write(root, "posts/2026/a-good-post.md", post)
    (root / "posts/2026/linked.png").symlink_to(outside)
    said = f"{outside.resolve()} is outside the project, so it is not published: copy the "
    said += "file into the project (next to the post) and refer to it there"
    assert check(root, capsys, "2026-03-01") == (
        1,
        [
            "posts/2026/a-good-post.md:6: redirect: 'posts/tag/alpha' is a page of the site; "
            "an old address must be free, or the page there would be replaced: remove it",
            f"posts/2026/a-good-post.md:13: {said}",
            f"posts/2026/a-good-post.md:15: {said}",
        ],
    )


def test_check_names_a_correction_dated_after_today_as_the_build_does(root, capsys):
    """In front matter and in an {update} directive (the build says both)."""
    post = GOOD.replace("tags: alpha, beta", "tags: alpha, beta\nupdate: 2099-01-01")
    post += "\n```{update} 2099-05-05\nLater.\n```\n\n```{update} 2026-05-01\nFine.\n```\n"
    write(root, "posts/2026/a-good-post.md", post)
    said = "is after today (2026-06-01): date a correction the day it is made"
    assert check(root, capsys) == (
        1,
        [
            f"posts/2026/a-good-post.md:6: update: 2099-01-01 {said}",
            f"posts/2026/a-good-post.md:13: update: 2099-05-05 {said}",
        ],
    )
