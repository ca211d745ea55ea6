"""ABlog's own post syntax works, and nothing written as a post is dropped in silence.

The build and ``blog check`` agree on every post: each case builds a copy of
``tests/roots/test-minimal`` and runs ``blog check`` on the same files.
"""

from __future__ import annotations

import re
from pathlib import Path

from blogtools import build, copy_root
from bs4 import BeautifulSoup
from conftest import soup

from essayist.tools.cli import main

INCLUDE = ["index.md", "posts/**", "docs/**"]


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    src = copy_root("minimal", tmp_path)
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + f'include_patterns = {INCLUDE!r}\nmyst_enable_extensions = ["colon_fence"]\n',
        encoding="utf-8",
    )
    for rel, text in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    return src


def warnings_of(src: Path) -> tuple[object, list[str]]:
    app, warnings = build(src, freshenv=True)
    return app, [line.replace(f"{src}/", "") for line in warnings.splitlines() if line]


def check_lines(src: Path, capsys) -> tuple[int, list[str]]:
    code = main(["--root", str(src), "check", "--today", "2026-06-01"])
    out = capsys.readouterr().out.splitlines()
    return code, [line for line in out if not re.fullmatch(r"\d+ post\(s\) checked.*", line)]


DIRECTIVE_POST = (
    "# A Directive Post\n\n"
    "```{post} Mar 3, 2026\n:tags: beta, gamma\n:category: Notes\n```\n\n"
    "The excerpt of a post dated the ABlog way.\n"
)


def test_a_post_directive_with_an_ablog_date_is_published(tmp_path, capsys):
    src = site(tmp_path, {"posts/2026/directive.md": DIRECTIVE_POST})
    app, lines = warnings_of(src)
    assert lines == []
    out = Path(app.outdir)
    page = BeautifulSoup((out / "posts/2026/directive.html").read_text("utf-8"), "html.parser")
    assert page.select_one(".post-date").get_text() == "March 2026"
    assert [a.get_text() for a in page.select(".post-tags a")] == ["beta", "gamma"]
    assert (out / "posts/tag/gamma.html").is_file()
    assert check_lines(src, capsys) == (0, [])


def test_a_scheduled_post_directive_is_left_out_and_noted(tmp_path, capsys):
    src = site(tmp_path, {"posts/2026/later.md": "# Later\n\n```{post} 2026-12-24\n```\n\nSoon.\n"})
    app, lines = warnings_of(src)
    assert lines == []
    assert not (Path(app.outdir) / "posts/2026/later.html").exists()
    assert check_lines(src, capsys) == (
        0,
        ["posts/2026/later.md:3: note: scheduled: published on 2026-12-24"],
    )


def test_an_unreadable_post_directive_date_is_located(tmp_path, capsys):
    src = site(tmp_path, {"posts/2026/odd.md": "# Odd\n\n```{post} the day after\n```\n\nText.\n"})
    _, lines = warnings_of(src)
    assert lines == [
        "posts/2026/odd.md:3: WARNING: post date 'the day after' cannot be read: write it as "
        "YYYY-MM-DD (a time may follow, as YYYY-MM-DDTHH:MM; a directive's date takes no "
        "offset) [essayist.date]"
    ]
    assert check_lines(src, capsys) == (
        1,
        [
            "posts/2026/odd.md:3: post date 'the day after' cannot be read: write it as YYYY-MM-DD "
            "(a time may follow, as YYYY-MM-DDTHH:MM; a directive's date takes no offset)"
        ],
    )


def test_a_post_directive_inside_a_block_is_an_example_and_never_hangs(tmp_path, capsys):
    # ablog 0.11.13 loops forever on a second post node that is not in a section.
    text = (
        DIRECTIVE_POST
        + ":::{note}\nHow to write one:\n\n```{post} 2020-01-01\nExample body.\n```\n:::\n"
    )
    src = site(tmp_path, {"posts/2026/directive.md": text})
    app, lines = warnings_of(src)
    assert lines == []
    out = Path(app.outdir)
    listed = BeautifulSoup((out / "posts.html").read_text("utf-8"), "html.parser")
    titles = [h.get_text(strip=True) for h in listed.select(".post-card-title")]
    assert titles.count("A Directive Post") == 1
    assert "Example body." in (out / "posts/2026/directive.html").read_text("utf-8")
    assert check_lines(src, capsys) == (0, [])


def test_blogpost_true_outside_the_posts_folder_is_reported_and_stays_a_page(tmp_path, capsys):
    page = "---\nblogpost: true\ndate: 2026-01-01\n---\n\n# Not Here\n\nText.\n"
    src = site(tmp_path, {"docs/stray.md": page})
    (src / "index.md").write_text("# Home\n\n```{toctree}\n:hidden:\n\ndocs/stray\n```\n")
    app, lines = warnings_of(src)
    message = (
        "blog front matter (blogpost, date) on a page outside the posts folder is ignored: "
        "move the file into posts/YYYY/ to publish it as a post, or remove those keys"
    )
    assert lines == [f"docs/stray.md:2: WARNING: {message} [essayist.not_a_post]"]
    listed = BeautifulSoup((Path(app.outdir) / "posts.html").read_text("utf-8"), "html.parser")
    assert "Not Here" not in listed.select_one(".post-list").get_text()
    assert check_lines(src, capsys) == (1, [f"docs/stray.md:2: {message}"])


def test_a_post_in_ablogs_usual_folder_is_named_not_lost(tmp_path, capsys):
    src = site(
        tmp_path, {"blog/2023/old-post.md": "---\ndate: 2023-05-01\n---\n\n# Old\n\nText.\n"}
    )
    _, lines = warnings_of(src)
    message = (
        "this file is written as a blog post but is not part of the site, so it is not "
        "published: move it into posts/YYYY/ (blog import converts a whole ABlog blog)"
    )
    assert lines == [f"blog/2023/old-post.md:2: WARNING: {message} [essayist.not_a_post]"]
    assert check_lines(src, capsys) == (1, [f"blog/2023/old-post.md:2: {message}"])


def page_of(app, rel: str) -> BeautifulSoup:
    return soup(Path(app.outdir) / rel)


def h1_texts(page: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True).rstrip("¶") for h in page.find_all("h1")]


def test_a_title_in_front_matter_is_the_posts_title_and_its_only_h1(tmp_path, capsys):
    text = (
        "---\ndate: 2026-01-01\ntitle: Titled By Key\n---\n\n"
        "Intro.\n\n## One\n\nA.\n\n## Two\n\nB.\n"
    )
    src = site(tmp_path, {"posts/2026/titled.md": text})
    app, lines = warnings_of(src)
    assert lines == []
    page = page_of(app, "posts/2026/titled.html")
    assert page.title.get_text().startswith("Titled By Key")
    assert h1_texts(page) == ["Titled By Key"]
    h2 = [h.get_text(strip=True).rstrip("¶") for h in page.find_all("h2")]
    assert h2 == ["One", "Two", "Cite this essay"]
    assert check_lines(src, capsys) == (0, [])


def test_links_by_published_address_resolve_or_say_what_to_do(tmp_path):
    text = (
        "---\ndate: 2026-01-02\n---\n\n# Linker\n\n"
        "See [ok](ok.html), [home](../../index.html) and [gone](nope.html).\n"
    )
    src = site(tmp_path, {"posts/2026/linker.md": text})
    app, lines = warnings_of(src)
    assert lines == [
        "posts/2026/linker.md:7: WARNING: nope.html is not the address of a page of this site: "
        "link to the source file instead (other-post.md), which is checked [essayist.address]"
    ]
    page = BeautifulSoup(
        (Path(app.outdir) / "posts/2026/linker.html").read_text("utf-8"), "html.parser"
    )
    hrefs = {a.get_text(): a["href"] for a in page.select("article p a.reference")}
    assert hrefs["ok"] == "ok.html" and hrefs["home"] == "../../index.html"
    assert "gone" not in hrefs


def test_a_title_in_front_matter_is_text_not_markup(tmp_path, capsys):
    title = "Why <img src=x onerror=alert(1)> *fails* {sub-ref}`today` & more"
    text = f"---\ndate: 2026-01-01\ntitle: '{title}'\n---\n\nIntro.\n\n## One\n\nA.\n"
    src = site(tmp_path, {"posts/2026/marked.md": text})
    app, lines = warnings_of(src)
    assert lines == []
    page = page_of(app, "posts/2026/marked.html")
    assert h1_texts(page) == [title]
    [h1] = page.find_all("h1")
    assert h1.find(["img", "em"]) is None
    assert page.find("img", src="x") is None


def test_old_addresses_of_a_post_directive_are_checked_like_front_matters(tmp_path, capsys):
    text = (
        "# Moved\n\n```{post} 2026-01-02\n:redirect: posts/2019/old, ../../x, index\n```\n\nText.\n"
    )
    src = site(tmp_path, {"posts/2026/moved.md": text})
    app, lines = warnings_of(src)
    assert lines == [
        "posts/2026/moved.md:3: WARNING: redirect: '../../x' leaves the site: '..' is not "
        "allowed [essayist.redirect]",
        "posts/2026/moved.md:3: WARNING: redirect: 'index' is a page of the site; an old "
        "address must be free, or the page there would be replaced: remove it "
        "[essayist.redirect]",
    ]
    out = Path(app.outdir)
    assert (out / "posts/2019/old.html").is_file()
    assert "Moved" not in (out / "index.html").read_text("utf-8").split("<title>")[1][:40]


def test_a_heading_inside_a_note_is_not_the_posts_title(tmp_path, capsys):
    text = (
        "---\ndate: 2026-01-01\ntitle: The Real Title\n---\n\n"
        ":::{note}\n# Inside the note\n:::\n\nIntro.\n"
    )
    src = site(tmp_path, {"posts/2026/noted.md": text})
    app, lines = warnings_of(src)
    page = page_of(app, "posts/2026/noted.html")
    assert page.title.get_text().startswith("The Real Title")
    assert h1_texts(page)[0] == "The Real Title"


def test_a_titled_post_with_text_before_its_first_heading_keeps_its_title(tmp_path):
    """``title:`` then an introduction, then ``# First section``: the section
    named the page, while listings and feeds said the title."""
    text = (
        "---\ndate: 2026-01-01\ntitle: The Real Title\n---\n\nIntro.\n\n# First section\n\nText.\n"
    )
    src = site(tmp_path, {"posts/2026/intro.md": text})
    app, lines = warnings_of(src)
    assert lines == []
    page = page_of(app, "posts/2026/intro.html")
    assert page.title.get_text().startswith("The Real Title")
    assert h1_texts(page)[0] == "The Real Title"
    assert page.find("meta", property="og:title")["content"] == "The Real Title"


def test_an_old_address_in_another_script_is_kept(tmp_path):
    """``posts/2020/café``, an old post's address as ABlog wrote it, leads to
    the post (blog import keeps it too)."""
    text = "---\ndate: 2026-01-01\nredirect: posts/2020/café\n---\n\n# Café\n\nText.\n"
    src = site(tmp_path, {"posts/2026/cafe.md": text})
    app, lines = warnings_of(src)
    assert lines == []
    page = page_of(app, "posts/2020/café.html")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == (
        "5; url=../2026/cafe.html"
    )
