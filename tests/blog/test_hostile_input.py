"""Hostile and broken input: a located warning or a safe page, never a traceback,
a hang, a file outside the site or a silent loss.

Each case adds files to a copy of ``tests/roots/test-minimal`` (one post,
``posts/2026/ok.md``, tag ``alpha``), builds it, and checks the exact warnings
(paths relative to the source folder) and, where it matters, what was written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from blogtools import build, copy_root
from bs4 import BeautifulSoup

POST = "posts/2026/bad.md"
OUTSIDE = "[file outside the project: not published]"


def post(front: str, body: str = "# A Title\n\nText.\n") -> str:
    return f"---\n{front}\n---\n\n{body}"


def w(line: int | None, message: str, kind: str, path: str = POST) -> str:
    where = f"{path}:{line}" if line else path
    return f"{where}: WARNING: {message} [essayist.{kind}]"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def written(out: Path) -> str:
    """Every text file the build wrote, concatenated."""
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(out.rglob("*"))
        if p.is_file()
        # Not the source as written (html_copy_source), nor Sphinx's own scripts.
        and not {"_sources", "_static"}.intersection(p.parts)
        and p.suffix in (".html", ".xml", ".js", ".json", ".txt", ".inv")
    )


def no_control_characters(out: Path) -> bool:
    """No page, feed or index the build wrote holds a control character (the
    source as written, ``_sources/``, is the author's file)."""
    control = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
    return not any(
        control.search(p.read_text(encoding="utf-8"))
        for p in out.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".xml", ".js", ".json", ".txt")
        and "_sources" not in p.parts
    )


REDIRECT_LEAVES = "'{0}' leaves the site: '..' is not allowed"
REDIRECT_PATH = "'{0}' must be a path inside the site, like posts/2019/old-slug"
LINK = "'{0}' is not an http(s) address: only https://... links are allowed"
SECRET = "TOP-SECRET-LINE-6f1c"
CONTROL = (
    "invisible control {0}, which no web page may hold (pasted from a terminal or a PDF?): "
    "delete {1}; the page is built without {1}"
)
CONTROL_ESCAPED = (
    "{0}: invisible control {1} (written as an escape), which no web page may hold: "
    "delete {2}; the page is built without {2}"
)
BIG = post("date: 2026-01-01", "# Big\n\n" + "word " * 420_000)


# id -> (files, expected warnings, check of the output or None)
CASES: dict[str, tuple[dict[str, str | bytes], list[str], object]] = {
    # -- redirect: never outside the site, never over a page ------------------
    "redirect-parent": (
        {POST: post("date: 2026-01-01\nredirect: ../../_templates/page")},
        [w(3, "redirect: " + REDIRECT_LEAVES.format("../../_templates/page"), "redirect")],
        lambda src, out: (
            not (src / "_templates").exists() and not (out.parent / "_templates").exists()
        ),
    ),
    "redirect-absolute": (
        {POST: post("date: 2026-01-01\nredirect: /etc/cron.d/job")},
        [w(3, "redirect: " + REDIRECT_PATH.format("/etc/cron.d/job"), "redirect")],
        lambda src, out: not list(out.rglob("job.html")),
    ),
    "redirect-url": (
        {POST: post("date: 2026-01-01\nredirect: https://evil.example/x")},
        [w(3, "redirect: " + REDIRECT_PATH.format("https://evil.example/x"), "redirect")],
        lambda src, out: not (out / "https:").exists(),
    ),
    "redirect-backslash": (
        {POST: post("date: 2026-01-01\nredirect: 'posts\\..\\..\\x'")},
        [
            w(
                3,
                "redirect: " + REDIRECT_LEAVES.format("posts\\..\\..\\x").replace("\\", "\\\\"),
                "redirect",
            )
        ],
        None,
    ),
    "redirect-reserved-folder": (
        {POST: post("date: 2026-01-01\nredirect: _static/basic")},
        [
            w(
                3,
                "redirect: '_static/basic' must be letters, digits, '-', '_' and '.' in folders "
                "separated by '/', starting with a letter or digit",
                "redirect",
            )
        ],
        lambda src, out: not (out / "_static/basic.html").exists(),
    ),
    "redirect-over-the-home-page": (
        {POST: post("date: 2026-01-01\nredirect: index")},
        [
            w(
                3,
                "redirect: 'index' is a page of the site; an old address must be free, or the "
                "page there would be replaced: remove it",
                "redirect",
            )
        ],
        lambda src, out: "(moved)" not in (out / "index.html").read_text(encoding="utf-8"),
    ),
    "redirect-over-a-post": (
        {POST: post("date: 2026-01-01\nredirect: posts/2026/ok")},
        [
            w(
                3,
                "redirect: 'posts/2026/ok' is a page of the site; an old address must be free, "
                "or the page there would be replaced: remove it",
                "redirect",
            )
        ],
        lambda src, out: "(moved)" not in (out / "posts/2026/ok.html").read_text("utf-8"),
    ),
    "redirect-claimed-twice": (
        {
            POST: post("date: 2026-01-01\nredirect: posts/2019/old"),
            "posts/2026/zz.md": post("date: 2026-01-02\nredirect: posts/2019/old"),
        },
        [
            w(
                3,
                "redirect: 'posts/2019/old' is already an old address of posts/2026/bad: an "
                "address can lead to one post only",
                "redirect",
                "posts/2026/zz.md",
            )
        ],
        None,
    ),
    "redirect-not-a-list": (
        {POST: post("date: 2026-01-01\nredirect: {a: b}")},
        [
            w(
                3,
                "redirect must be an old address or a list of them (posts/2019/old-slug)",
                "redirect",
            )
        ],
        None,
    ),
    "redirect-that-works": (
        {POST: post("date: 2026-01-01\nredirect: posts/2019/old-name.html")},
        [],
        lambda src, out: re.fullmatch(
            r"\d+; url=\.\./2026/bad\.html",
            soup(out / "posts/2019/old-name.html").find("meta", attrs={"http-equiv": "refresh"})[
                "content"
            ],
        ),
    ),
    # -- links: http and https only -------------------------------------------
    "external-link-javascript": (
        {POST: post("date: 2026-01-01\nexternal_link: javascript:alert(1)")},
        [w(3, "external_link: " + LINK.format("javascript:alert(1)"), "url")],
        lambda src, out: "javascript:" not in written(out),
    ),
    "canonical-link-javascript": (
        {POST: post("date: 2026-01-01\ncanonical_link: 'javascript:alert(1)'")},
        [w(3, "canonical_link: " + LINK.format("javascript:alert(1)"), "url")],
        lambda src, out: "javascript:" not in written(out),
    ),
    "external-link-data": (
        {POST: post("date: 2026-01-01\nexternal_link: 'data:text/html,<b>x</b>'")},
        [w(3, "external_link: " + LINK.format("data:text/html,<b>x</b>"), "url")],
        lambda src, out: "data:text/html" not in written(out),
    ),
    "external-link-quote": (
        {POST: post("date: 2026-01-01\nexternal_link: 'https://a.example/\"onmouseover=x'")},
        [
            w(
                3,
                "external_link: 'https://a.example/\"onmouseover=x' holds characters a link "
                "cannot hold",
                "url",
            )
        ],
        None,
    ),
    # -- dates ------------------------------------------------------------------
    "date-with-offset": (
        # 23:30 at UTC-5 is the next day in the site's time zone (UTC).
        {POST: post("date: 2026-01-01T23:30:00-05:00")},
        [],
        lambda src, out: (
            [t["datetime"] for t in soup(out / "posts.html").find_all("time")]
            == ["2026-01-10", "2026-01-02"]
        ),
    ),
    "date-in-utc": ({POST: post("date: 2026-01-01T10:00Z")}, [], None),
    "date-past-the-year-9999": (
        # In the site's time zone (UTC) it is in the year 10000: the build crashed.
        {POST: post("date: 9999-12-31T23:30-05:00")},
        [
            w(
                2,
                "date '9999-12-31T23:30:00-05:00' is outside the years 1 to 9999 in the "
                "site's time zone: write a date within them",
                "date",
            )
        ],
        None,
    ),
    "date-with-a-bad-time": (
        {POST: post("date: 2026-01-01T25:00")},
        [
            w(
                2,
                "date '2026-01-01T25:00' has a time that cannot be read: write it as "
                "YYYY-MM-DDTHH:MM, with an optional offset such as +02:00",
                "date",
            )
        ],
        None,
    ),
    "date-as-a-list": (
        {POST: post("date: [2026, 1, 1]")},
        [
            w(
                2,
                "date '[2026, 1, 1]' is not a date: write it as YYYY-MM-DD (or "
                "YYYY-MM-DDTHH:MM with an optional +HH:MM offset)",
                "date",
            )
        ],
        None,
    ),
    "update-directive-impossible-date": (
        {POST: post("date: 2026-01-01", "# T\n\n```{update} 2026-02-30\nFixed.\n```\n")},
        [
            w(
                7,
                "update: date '2026-02-30' cannot be read: write it as YYYY-MM-DD (a time may "
                "follow, as YYYY-MM-DDTHH:MM; a directive's date takes no offset)",
                "date",
            )
        ],
        lambda src, out: "Fixed." in (out / "posts/2026/bad.html").read_text("utf-8"),
    ),
    "update-front-matter-impossible": (
        {POST: post("date: 2026-01-01\nupdate: 2026-13-01")},
        [w(3, "update: date '2026-13-01' does not exist (month must be in 1..12)", "date")],
        None,
    ),
    "draft-not-a-boolean": (
        {POST: post("date: 2026-01-01\ndraft: maybe")},
        [w(3, "draft must be true or false, not 'maybe'", "draft")],
        None,
    ),
    # -- numbers ABlog converts -------------------------------------------------
    "excerpt-not-a-number": (
        {POST: post("date: 2026-01-01\nexcerpt: abc")},
        [w(3, "excerpt must be a whole number of paragraphs (0 or more), not 'abc'", "excerpt")],
        None,
    ),
    "excerpt-negative": (
        {POST: post("date: 2026-01-01\nexcerpt: -3")},
        [w(3, "excerpt must be a whole number of paragraphs (0 or more), not -3", "excerpt")],
        None,
    ),
    "image-not-a-number": (
        {POST: post("date: 2026-01-01\nimage: first")},
        [w(3, "image must be a whole number (which image to show), not 'first'", "excerpt")],
        None,
    ),
    # -- YAML -------------------------------------------------------------------
    "alias-bomb": (
        {
            POST: post(
                "date: 2026-01-01\n"
                + "a: &a [x, x, x, x, x, x, x, x, x]\n"
                + "\n".join(
                    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]"
                    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
                )
            )
        },
        [
            w(
                3,
                "front matter uses a YAML anchor or alias (&name or *name): write each value out "
                "in full: fix the block between the '---' lines",
                "yaml",
            )
        ],
        None,
    ),
    "front-matter-too-long": (
        {POST: post("date: 2026-01-01\nnote: " + "x" * 17_000)},
        [
            w(
                1,
                "front matter is longer than 16,000 characters: keep it to the post's date, "
                "title, tags and the like: fix the block between the '---' lines",
                "yaml",
            )
        ],
        None,
    ),
    "front-matter-a-list": (
        {POST: post("- date\n- 2026-01-01")},
        [
            w(
                2,
                "front matter must be a mapping of 'key: value' lines: fix the block between "
                "the '---' lines",
                "yaml",
            )
        ],
        None,
    ),
    "front-matter-unclosed": (
        {POST: "---\ndate: 2026-01-01\n\n# T\n\nText.\n"},
        [
            w(
                1,
                "front matter has no closing '---' line: fix the block between the '---' lines",
                "yaml",
            )
        ],
        None,
    ),
    # -- encodings and empty files: never a silent draft -------------------------
    "byte-order-mark": (
        {POST: "\ufeff" + post("date: 2026-01-01", "# With a BOM\n\nText.\n")},
        [],
        lambda src, out: "With a BOM" in (out / "posts/2026/bad.html").read_text("utf-8"),
    ),
    "windows-line-endings": (
        {POST: post("date: 2026-01-01", "# Windows\n\nText.\n").replace("\n", "\r\n")},
        [],
        lambda src, out: "Windows" in (out / "posts.html").read_text("utf-8"),
    ),
    "white-space-only": (
        {POST: " \n\t\n" * 100},
        [
            w(
                1,
                "the post is empty: give it front matter and a '# Title' line, or delete the file",
                "empty",
            )
        ],
        None,
    ),
    "not-utf-8": (
        {POST: post("date: 2026-01-01", "# Caf\xe9\n\nText.\n").encode("latin-1")},
        [
            w(
                5,
                "the post is not UTF-8 text, so it is left out: save it as UTF-8 (in your "
                "editor: Save with Encoding)",
                "encoding",
            )
        ],
        lambda src, out: not (out / "posts/2026/bad.html").exists(),
    ),
    # A tag with no letters or digits: reported, and no page named ".html".
    "letterless-tag": (
        {POST: post("date: 2026-01-01\ntags: ok, ']]>'")},
        [w(3, "tags: ']]>' has no letters or digits", "tags")],
        lambda src, out: (
            (out / "posts/tag/ok.html").is_file()
            and not (out / "posts/tag/.html").exists()
            and not (out / "posts/tag/atom.xml").exists()
            and "tag/.html" not in (out / "sitemap.xml").read_text(encoding="utf-8")
        ),
    ),
    # -- limits ------------------------------------------------------------------
    "too-many-tags": (
        {POST: post("date: 2026-01-01\ntags: " + ", ".join(f"t{i}" for i in range(25)))},
        [w(3, "tags lists 25 names; a post has at most 20: keep the 20 that matter most", "limit")],
        lambda src, out: len(list((out / "posts/tag").glob("t*.html"))) == 20,
    ),
    "title-too-long": (
        {POST: post("date: 2026-01-01", "# " + "Long " * 60 + "\n\nText.\n")},
        [w(5, "the title is 299 characters long; at most 200", "limit")],
        None,
    ),
    "front-matter-title-too-long": (
        {POST: post("date: 2026-01-01\ntitle: " + "T" * 201)},
        [w(3, "title must be text of at most 200 characters", "limit")],
        None,
    ),
    "post-too-large": (
        {POST: BIG},
        [w(1, f"the post is {len(BIG):,} bytes; at most 2,000,000: split it into parts", "limit")],
        None,
    ),
    # -- names ---------------------------------------------------------------------
    "author-empty": (
        {POST: post('date: 2026-01-01\nauthor: ""')},
        [w(3, "author is empty: write a name, or remove the 'author:' line", "author")],
        None,
    ),
    "tags-a-list-of-mappings": (
        {POST: post("date: 2026-01-01\ntags: [{a: 1}]")},
        [w(3, "tags must be a comma-separated string or a YAML list of names", "tags")],
        None,
    ),
    # -- files from outside the project ------------------------------------------------
    "literalinclude-outside": (
        {
            POST: post(
                "date: 2026-01-01",
                "# T\n\n```{literalinclude} ../../../outside/secret.txt\n```\n",
            )
        },
        ["OUTSIDE:secret.txt:7"],
        lambda src, out: SECRET not in written(out) and OUTSIDE in written(out),
    ),
    "image-outside": (
        {POST: post("date: 2026-01-01", "# T\n\n![x](../../../outside/picture.svg)\n")},
        ["OUTSIDE:picture.svg:7"],
        lambda src, out: not list(out.rglob("picture*.svg")),
    ),
    "include-outside": (
        {POST: post("date: 2026-01-01", "# T\n\n```{include} ../../../outside/secret.txt\n```\n")},
        ["OUTSIDE:secret.txt:7"],
        lambda src, out: SECRET not in written(out) and OUTSIDE in written(out),
    ),
    # -- control characters (a terminal's colour codes, a PDF's) -------------
    "control-characters-in-a-post": (
        {
            POST: post(
                "date: 2026-01-01\ntags: a\x07b", "# Bell\x07 and \x1b[31mRed\n\nNul\x00 here.\n"
            )
        },
        [
            w(3, CONTROL.format("character U+0007", "it"), "character"),
            w(6, CONTROL.format("characters U+0007, U+001B", "them"), "character"),
            w(8, CONTROL.format("character U+0000", "it"), "character"),
        ],
        lambda src, out: (
            no_control_characters(out)
            and soup(out / "posts/2026/bad.html").h1.get_text() == "Bell and [31mRed¶"
            and (out / "posts/tag/ab.html").is_file()
        ),
    ),
    "control-character-beside-draft-true": (
        {POST: post("date: 2026-01-01\ndraft: true\ntitle: Secret\x07 plan", "Do not publish.\n")},
        [],  # a draft is not read by a published build (the preview reports it)
        lambda src, out: (
            not (out / "posts/2026/bad.html").exists()
            and "publish" not in (out / "searchindex.js").read_text(encoding="utf-8")
        ),
    ),
    "control-character-in-a-scheduled-post": (
        {POST: post("date: 2099-12-31\ntags: emb\x1bargo", "# Embargo\n\nNot yet.\n")},
        [],
        lambda src, out: not (out / "posts/2026/bad.html").exists(),
    ),
    "nothing-but-control-characters": (
        {POST: "\x00\x07\x1b\n"},
        [
            w(
                1,
                "the post is empty: give it front matter and a '# Title' line, or delete the file",
                "empty",
            ),
        ],
        lambda src, out: not (out / "posts/2026/bad.html").exists(),
    ),
    "carriage-returns-only": (
        {POST: post("date: 2026-01-01\ntags: alpha", "# Old Mac\n\nText.\n").replace("\n", "\r")},
        [],
        lambda src, out: soup(out / "posts/2026/bad.html").h1.get_text() == "Old Mac¶",
    ),
    "control-characters-as-yaml-escapes": (
        {
            POST: post(
                'date: 2026-01-01\ntitle: "Ti\\atle \\e[31m red"\ntags: ["a\\ab", plain]',
                "Text.\n",
            )
        },
        [
            w(3, CONTROL_ESCAPED.format("title", "characters U+0007, U+001B", "them"), "character"),
            w(4, CONTROL_ESCAPED.format("tags", "character U+0007", "it"), "character"),
        ],
        lambda src, out: (
            no_control_characters(out)
            and soup(out / "posts/2026/bad.html").h1.get_text() == "Title [31m red¶"
            and (out / "posts/tag/ab.html").is_file()
        ),
    ),
    "control-characters-in-included-files": (
        {
            POST: post(
                "date: 2026-01-01",
                "# Shown\n\n```{include} part.md\n```\n\n```{literalinclude} code.txt\n```\n",
            ),
            "posts/2026/part.md": "---\norphan: true\n---\n\nIncluded\x07 text.\n",
            "posts/2026/code.txt": "print('\x1b[31m')\n",
        },
        [
            w(5, CONTROL.format("character U+0007", "it"), "character", "posts/2026/part.md"),
            w(
                None,
                "the page would hold invisible control characters (U+001B) that are not in its "
                "own text: from a file it shows ({literalinclude}), a substitution or a BibTeX "
                "entry; they are left out: delete them there",
                "character",
            ),
        ],
        lambda src, out: (
            no_control_characters(out)
            and "Included text." in (out / "posts/2026/bad.html").read_text(encoding="utf-8")
        ),
    ),
    "control-characters-in-a-page": (
        {
            "docs/pasted.md": (
                "---\norphan: true\n---\n\n# Pasted\n\nA \x85 next line and a \x7f delete.\n"
            )
        },
        [w(7, CONTROL.format("characters U+007F, U+0085", "them"), "character", "docs/pasted.md")],
        lambda src, out: (
            no_control_characters(out)
            and re.search(r"A\s+next line and a\s+delete\.", written(out)) is not None
        ),
    ),
    "download-outside": (
        {POST: post("date: 2026-01-01", "# T\n\n{download}`get <../../../outside/secret.txt>`\n")},
        ["OUTSIDE:secret.txt:7"],
        lambda src, out: SECRET not in written(out) and not list(out.rglob("secret.txt")),
    ),
}


def _outside_files(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "picture.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', encoding="utf-8"
    )
    return outside


def _matches(expected: str, line: str, outside: Path) -> bool:
    if not expected.startswith("OUTSIDE:"):
        return expected == line
    _, name, number = expected.split(":")
    message = (
        f"{outside / name} is outside the project, so it is not published: copy the file into "
        "the project (next to the post) and refer to it there [essayist.outside]"
    )
    where = re.escape(POST) + (f":{number}" if number else r"(:\d+)?")
    return re.fullmatch(f"{where}: WARNING: {re.escape(message)}", line) is not None


def test_at_least_forty_hostile_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_gets_a_located_warning_or_a_safe_page(case, tmp_path):
    files, expected, check = CASES[case]
    outside = _outside_files(tmp_path)
    src = copy_root("minimal", tmp_path)
    for rel, content in files.items():
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))
    app, warnings = build(src, freshenv=True)
    lines = [line.replace(f"{src}/", "") for line in warnings.splitlines() if line.strip()]
    assert len(lines) == len(expected), "\n".join(lines)
    for want, got in zip(expected, lines, strict=True):
        assert _matches(want, got, outside.resolve()), f"{want}\n!=\n{got}"
    out = Path(app.outdir)
    # Nothing written outside the output folder or into the sources.
    assert not (src / "_templates").exists()
    if check is not None:
        assert check(src, out)


def test_a_symlinked_post_from_outside_is_not_published(tmp_path):
    outside = _outside_files(tmp_path)
    (outside / "post.md").write_text(post("date: 2026-01-01", f"# Linked\n\n{SECRET}\n"))
    src = copy_root("minimal", tmp_path)
    (src / POST).symlink_to(outside / "post.md")
    app, warnings = build(src, freshenv=True)
    # Said as blog check says it (tests/tools/test_cli.py).
    assert warnings.strip() == (
        f"{src / POST}:1: WARNING: this post is a link to {(outside / 'post.md').resolve()}, "
        "outside the project, so it is not published: put the file itself here, in place "
        "of the link [essayist.outside]"
    )
    assert SECRET not in written(Path(app.outdir))


def test_a_folder_link_out_of_the_project_is_named_and_not_walked(tmp_path, capsys):
    """Sphinx follows folder links when it looks for documents: a link to ``/``
    made the build walk the whole disk in silence, and one to its own folder
    read every post forty times over. Each is named, by the build and by blog
    check, and not read; a link inside the project is left out of the search
    for documents without a word (its files are read where they are)."""
    from essayist.tools.cli import main

    outside = _outside_files(tmp_path)
    (outside / "post.md").write_text(post("date: 2026-01-01", f"# Linked\n\n{SECRET}\n"))
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/elsewhere").symlink_to(outside, target_is_directory=True)
    (src / "posts/2026/loop").symlink_to(".", target_is_directory=True)
    (src / "media").mkdir()
    (src / "posts/2026/media").symlink_to("../../media", target_is_directory=True)
    app, warnings = build(src, freshenv=True)
    said = "outside the project (or around itself): the site does not read it; copy what the "
    said += "posts need into the project and remove the link [essayist.outside]"
    assert warnings.splitlines() == [
        f"WARNING: posts/2026/elsewhere: this folder is a link to {outside.resolve()}, {said}",
        f"WARNING: posts/2026/loop: this folder is a link to {(src / 'posts/2026').resolve()}, "
        f"{said}",
    ]
    assert SECRET not in written(Path(app.outdir))
    assert sorted(d for d in app.env.found_docs if d.startswith("posts/")) == ["posts/2026/ok"]
    assert main(["--root", str(src), "check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": this folder")[0] for line in lines] == [
        "posts/2026/elsewhere:1",
        "posts/2026/loop:1",
    ]


def test_a_bad_time_zone_is_a_configuration_error(tmp_path):
    from sphinx.errors import ConfigError

    src = copy_root("minimal", tmp_path)
    with pytest.raises(ConfigError, match="'Mars/Olympus' is not a time zone: use an IANA name"):
        build(src, freshenv=True, essayist_timezone="Mars/Olympus")


def test_blog_check_refuses_a_bad_time_zone(tmp_path, capsys):
    from essayist.tools.cli import main

    src = copy_root("minimal", tmp_path)
    conf = src / "conf.py"
    conf.write_text(conf.read_text() + '\nessayist_timezone = "Nowhere/Land"\n')
    assert main(["--root", str(src), "check"]) == 1
    err = capsys.readouterr().err
    assert "essayist_timezone (SITE_TIMEZONE): 'Nowhere/Land' is not a time zone" in err


def test_an_authors_link_that_is_not_a_web_address_stops_the_build(tmp_path, capsys):
    """ABlog published an author's link as it was, ``javascript:`` too."""
    from sphinx.errors import ConfigError

    from essayist.tools.cli import main

    src = copy_root("minimal", tmp_path)
    bad = {"Ada": ("Ada Lovelace", "javascript:alert(1)")}
    message = "blog_authors in conf.py: the link of 'Ada': 'javascript:alert(1)' is not an http(s)"
    with pytest.raises(ConfigError, match=re.escape(message)):
        build(src, freshenv=True, blog_authors=bad)
    conf = src / "conf.py"
    conf.write_text(conf.read_text() + f"\nblog_authors = {bad!r}\n", encoding="utf-8")
    assert main(["--root", str(src), "check"]) == 1
    assert "blog_authors: the link of 'Ada': 'javascript:alert(1)' is not an http(s)" in (
        capsys.readouterr().err
    )


def test_a_post_that_is_a_link_to_nothing_is_named_alike_by_the_build_and_blog_check(
    tmp_path, capsys
):
    """The build said "Ignored unreadable document" of a ``.rst`` file that does
    not exist, and ``blog check`` passed."""
    from essayist.tools.cli import main

    src = copy_root("minimal", tmp_path)
    (src / POST).symlink_to(tmp_path / "gone.md")
    said = (
        f"this post is a link to {tmp_path / 'gone.md'}, which does not exist: put the file "
        "itself here, or delete the link"
    )
    app, warnings = build(src, freshenv=True)
    assert warnings.splitlines() == [f"{src / POST}:1: WARNING: {said} [essayist.outside]"]
    assert main(["--root", str(src), "check"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == f"{POST}:1: {said}"


def test_blog_check_reads_no_post_through_a_folder_link_as_the_build(tmp_path, capsys):
    """``posts/2027`` a link to ``posts/2026``: the build leaves it out of its
    search; ``blog check`` read every post twice and called them clashing slugs."""
    from essayist.tools.cli import main

    src = copy_root("minimal", tmp_path)
    (src / "posts/2027").symlink_to("2026", target_is_directory=True)
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    assert main(["--root", str(src), "check"]) == 0, capsys.readouterr().out


def test_a_post_that_is_a_link_to_another_post_is_refused_alike_by_the_build_and_blog_check(
    tmp_path, capsys
):
    """It was published twice: two addresses, two entries in every list and feed.
    What an author means by it (the old address of a moved post) is a redirect."""
    from essayist.tools.cli import main

    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/old-name.md").symlink_to("ok.md")
    (src / "posts/2025").mkdir()
    (src / "posts/2025/also.md").symlink_to("../2026/ok.md")
    said = (
        "this post is a link to posts/2026/ok.md, another post, so it would be published "
        "twice: delete the link; to keep this address working, add 'redirect: {old}' to "
        "that post's front matter"
    )
    app, warnings = build(src, freshenv=True)
    assert warnings.splitlines() == [
        f"{src}/posts/2025/also.md:1: WARNING: {said.format(old='posts/2025/also')} "
        "[essayist.outside]",
        f"{src}/posts/2026/old-name.md:1: WARNING: {said.format(old='posts/2026/old-name')} "
        "[essayist.outside]",
    ]
    out = Path(app.outdir)
    assert not (out / "posts/2026/old-name.html").exists()
    assert not (out / "posts/2025/also.html").exists()
    assert (out / "posts/2026/ok.html").is_file()
    feed = (out / "posts/atom.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 1
    assert main(["--root", str(src), "check"]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"posts/2025/also.md:1: {said.format(old='posts/2025/also')}",
        f"posts/2026/old-name.md:1: {said.format(old='posts/2026/old-name')}",
    ]
