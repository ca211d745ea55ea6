"""``blog import`` brings the works the imported posts cite (essayist.tools.import_bib):
from the old blog's BibTeX files into the site's, as written, and only what
means the same there."""

from __future__ import annotations

import textwrap
from pathlib import Path

from blogtools import build, copy_root
from bs4 import BeautifulSoup

from essayist.tools.cli import main
from essayist.tools.import_bib import cited_keys, entries

TODAY = "2026-06-01"
OLD_CONF = """\
project = "Old notes"
extensions = ["myst_parser", "ablog", "sphinxcontrib.bibtex"]
blog_post_pattern = "posts/*"
bibtex_bibfiles = ["refs.bib"]
"""
JMLR = "@string{jmlr = {Journal of Machine Learning Research}}"
SOMEONE = """\
@article{someone2020,
  author  = {Someone, Ann and Other, Bo},
  title   = {On {Proxies} and \\{Braces\\}},
  journal = jmlr,
  year    = {2020},
}"""
CHILD = """\
@inproceedings{child2021,
  author   = {Child, Cy},
  title    = {A Paper in Proceedings},
  crossref = {conf2021},
}"""
CONF2021 = """\
@proceedings{conf2021,
  title     = {Proceedings of the Conference},
  year      = {2021},
  publisher = {Press},
}"""
OLD_BIB = f"""\
{JMLR}

% The old blog's own comment.
{SOMEONE}

{CHILD}

{CONF2021}

@book{{uncited2019, title = {{Never Cited}}, author = {{No, One}}, year = {{2019}}}}

@book{{other2019, title = {{Another Book}}, author = {{Else, Some}}, year = {{2019}}}}
"""
SITE_BIB = "@book{other2019, title={Other}, author={Ann Other}, year={2019}, publisher={P}}\n"
POSTS = {
    "cited.md": "As shown {cite}`someone2020`, twice {footcite}`someone2020`.",
    "crossref.md": "See {cite:p}`child2021`.",
    "other.md": "And {cite:t}`other2019`.",
}


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def old_blog(tmp_path: Path, bib: str = OLD_BIB) -> Path:
    old = tmp_path / "old"
    posts = {
        f"posts/{name}": f"---\nblogpost: true\ndate: 2024-03-0{n}\n---\n\n# {name[:-3]}\n\n"
        f"{body}\n"
        for n, (name, body) in enumerate(POSTS.items(), start=1)
    }
    write_tree(old, {"conf.py": OLD_CONF, "refs.bib": bib, **posts})
    return old


def bibtex_site(tmp_path: Path, bib: str = SITE_BIB) -> Path:
    site = copy_root("minimal", tmp_path)
    with (site / "conf.py").open("a", encoding="utf-8") as f:
        f.write('extensions.append("sphinxcontrib.bibtex")\nbibtex_bibfiles = ["references.bib"]\n')
    (site / "references.bib").write_text(bib, encoding="utf-8")
    return site


def run(site: Path, old: Path, capsys, *extra: str) -> tuple[int, str]:
    code = main(["--root", str(site), "import", str(old), "--today", TODAY, *extra])
    return code, capsys.readouterr().out


def test_entries_are_read_as_written():
    found = entries(OLD_BIB)
    assert [(e.kind, e.key) for e in found] == [
        ("string", "jmlr"), ("article", "someone2020"), ("inproceedings", "child2021"),
        ("proceedings", "conf2021"), ("book", "uncited2019"), ("book", "other2019"),
    ]  # fmt: skip
    assert found[1].text == SOMEONE and found[0].text == JMLR
    assert [e.key for e in entries("@misc(paren, title = {a (b}) }\n@misc{open,\n")] == ["paren"]
    assert cited_keys(["{cite}`a,b` and {cite:p}`c` and `{cite}`code``", "{footcite}`a`"]) == [
        "a", "b", "c"
    ]  # fmt: skip


def test_the_works_the_posts_cite_come_with_them(tmp_path, capsys):
    old, site = old_blog(tmp_path), bibtex_site(tmp_path)
    code, out = run(site, old, capsys)
    assert code == 0, out
    added = "\n\n".join([JMLR, SOMEONE, CHILD, CONF2021])
    expected = SITE_BIB + f"\n% From the old blog's refs.bib (blog import)\n{added}\n"
    assert (site / "references.bib").read_text(encoding="utf-8") == expected
    assert (
        "references.bib: added 3 work(s) the posts cite, from the old blog's: "
        "someone2020, child2021, conf2021"
    ) in out
    assert (
        "references.bib: 'other2019' is also in the old blog's BibTeX file, as another entry: "
        "the imported posts cite this site's; check it is the same work"
    ) in out
    assert "3 post(s) found: 3 imported fully" in out
    assert strict(site, tmp_path / "out") == ""
    html = (tmp_path / "out/html/posts/2024/cited.html").read_text(encoding="utf-8")
    assert "On Proxies and {braces}" in html  # sentence case; the escaped braces stay
    assert "Journal of Machine Learning Research" in html
    html = (tmp_path / "out/html/posts/2024/crossref.html").read_text(encoding="utf-8")
    assert "Proceedings of the Conference" in html
    # Again: every key is here now, as written there: nothing is added twice.
    code, out = run(site, old, capsys)
    assert (site / "references.bib").read_text(encoding="utf-8") == expected
    assert "work(s) the posts cite" not in out


def strict(site: Path, out: Path) -> str:
    return build(site, out, freshenv=True, nitpicky=True)[1].strip()


def test_a_dry_run_says_what_it_would_add(tmp_path, capsys):
    old, site = old_blog(tmp_path), bibtex_site(tmp_path)
    code, out = run(site, old, capsys, "--dry-run")
    assert (site / "references.bib").read_text(encoding="utf-8") == SITE_BIB
    assert "references.bib: would add 3 work(s) the posts cite" in out


def test_an_abbreviation_the_site_defines_otherwise_keeps_the_work_out(tmp_path, capsys):
    """``journal = jmlr`` would name another journal here: someone2020 is not
    copied, and its post is held with the key named, as before."""
    site_bib = SITE_BIB + "@string{jmlr = {Journal of Mundane Results}}\n"
    old, site = old_blog(tmp_path), bibtex_site(tmp_path, site_bib)
    code, out = run(site, old, capsys)
    assert code == 1
    text = (site / "references.bib").read_text(encoding="utf-8")
    assert "someone2020" not in text and "child2021" in text and "conf2021" in text
    assert "added 2 work(s) the posts cite, from the old blog's: child2021, conf2021" in out
    assert "posts/2024/cited.md:9: " in out and "someone2020" in out
    assert strict(site, tmp_path / "out") == ""  # held as a draft: the site builds


def test_without_a_bibtex_file_in_the_site_the_citing_posts_are_held(tmp_path, capsys):
    """They were "imported fully", and the next ``make html`` failed: could not
    find bibtex key."""
    old, site = old_blog(tmp_path), copy_root("minimal", tmp_path)
    code, out = run(site, old, capsys)
    assert not (site / "references.bib").exists()
    assert "work(s) the posts cite" not in out and code == 1
    assert (
        'posts/2024/cited.md:9: could not find bibtex key "someone2020": the site has no '
        "BibTeX file: add one (references.bib) with the work, and list it in bibtex_bibfiles "
        "in conf.py"
    ) in out
    assert "3 post(s) found: 0 imported fully" in out
    assert strict(site, tmp_path / "out") == ""


def test_a_bibtex_file_outside_the_old_blog_is_not_read(tmp_path, capsys):
    old, site = old_blog(tmp_path), bibtex_site(tmp_path)
    (tmp_path / "shared.bib").write_text(OLD_BIB, encoding="utf-8")
    conf = old / "conf.py"
    conf.write_text(conf.read_text("utf-8").replace('["refs.bib"]', '["../shared.bib"]'), "utf-8")
    code, out = run(site, old, capsys)
    assert (site / "references.bib").read_text(encoding="utf-8") == SITE_BIB
    assert (
        "the old conf.py's bibtex_bibfiles names '../shared.bib', outside the old blog: not read "
        "(copy it into the old blog's folder and name it there, then import again)"
    ) in out
    assert code == 1 and "posts/2024/cited.md:9: " in out


def test_what_an_old_entry_holds_stays_text(tmp_path, capsys):
    """Markup in a carried entry is shown as text on the page; a control
    character in its key is shown escaped in the report, not sent to the terminal."""
    evil = (
        "@misc{ev\x1b[31mil, title = {<script>alert(1)</script> and <b>bold</b>},"
        " author = {Mallory, M.}, year = {2020}}"
    )
    marked = (
        "@misc{marked2020, title = {<img src=x onerror=alert(2)> Marked},"
        " author = {Mallory, M.}, year = {2021}}"
    )
    old = old_blog(tmp_path, f"{OLD_BIB}{evil}\n{marked}\n")
    post = "---\nblogpost: true\ndate: 2024-03-{day}\n---\n\n# {title}\n\nSee {{cite}}`{key}`.\n"
    (old / "posts/marked.md").write_text(post.format(day=10, title="Marked", key="marked2020"))
    (old / "posts/evil.md").write_text(post.format(day=11, title="Evil", key="ev\x1b[31mil"))
    site = bibtex_site(tmp_path)
    code, out = run(site, old, capsys)
    assert "\x1b" not in out
    assert "ev\\x1b[31mil" in out and "marked2020" in out
    text = (site / "references.bib").read_text(encoding="utf-8")
    assert f"\n{marked}\n" in text and f"\n{evil}\n" in text
    # The post whose text holds a control character is refused by the site
    # (held); the site builds, and the entry's markup is text on the page.
    assert strict(site, tmp_path / "out") == ""
    page = BeautifulSoup(
        (tmp_path / "out/html/posts/2024/marked.html").read_text("utf-8"), "html.parser"
    )
    article = page.select_one("article")
    assert article.find("img", src="x") is None
    assert article.find(attrs={"onerror": True}) is None  # the text may say it, no element has it
    assert "<img src=x onerror=alert(2)> marked" in article.get_text()  # sentence case
