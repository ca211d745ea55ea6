"""Cite this essay: the citation, its BibTeX, Google Scholar's tags and the license."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from blogtools import build, copy_root
from conftest import norm, soup
from docutils import nodes

from essayist.scholarship.cite import (
    bibtex,
    bibtex_key,
    citation_text,
    license_line,
    unique_keys,
)
from essayist.scholarship.license import License, resolve

BASE = "https://example.org/blog/"
ATOM = "{http://www.w3.org/2005/Atom}"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
EXTENSIONS = ["myst_parser", "essayist"]

CONF = f"""
extensions = {EXTENSIONS!r}
essayist_license = "CC BY 4.0"
essayist_license_url = "{CC_BY}"
"""

POSTS = {
    # Updated after publication.
    "proxies.md": """\
---
date: 2026-02-03
update: 2026-04-02
tags: proxies
---

# On Proxies

A measure that becomes a target stops being one.
""",
    # Its own license, as written; a title BibTeX must escape.
    "costs.md": """\
---
date: 2026-03-05
tags: costs
license: All rights reserved
---

# Costs & Benefits of 100% Proxies

Some text.
""",
    # A Creative Commons license named in any case.
    "shared.md": """\
---
date: 2026-04-10
tags: shared
license: cc by-nc 4.0
---

# Shared Alike

Some text.
""",
    # A license that is not text.
    "listed.md": """\
---
date: 2026-05-01
tags: listed
license:
  - CC BY 4.0
---

# Listed

Some text.
""",
}

PROXIES_CITATION = (
    "Ada Lovelace (2026). “On Proxies.” Test Blog, updated 2 April 2026. "
    f"{BASE}posts/2026/proxies.html"
)
PROXIES_BIBTEX = f"""\
@misc{{lovelace2026proxies,
  author = {{Ada Lovelace}},
  title = {{{{On Proxies}}}},
  howpublished = {{Test Blog}},
  year = {{2026}},
  url = {{{BASE}posts/2026/proxies.html}},
  note = {{Updated 2 April 2026}}
}}"""
OK_CITATION = f"Ada Lovelace (2026). “A Good Post.” Test Blog. {BASE}posts/2026/ok.html"
OK_BIBTEX = f"""\
@misc{{lovelace2026goodpost,
  author = {{Ada Lovelace}},
  title = {{{{A Good Post}}}},
  howpublished = {{Test Blog}},
  year = {{2026}},
  url = {{{BASE}posts/2026/ok.html}}
}}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    src = copy_root("minimal", tmp_path_factory.mktemp("cite"))
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(CONF)
    for name, text in POSTS.items():
        (src / "posts" / "2026" / name).write_text(text, encoding="utf-8")
    app, warnings = build(src)
    return src, Path(app.outdir), warnings


def cite_box(out: Path, name: str):
    box = soup(out / "posts" / "2026" / f"{name}.html").find("section", class_="cite-this")
    assert box is not None
    return box


def feed_rights(out: Path) -> dict[str, str | None]:
    feed = ET.parse(out / "posts" / "atom.xml").getroot()
    return {
        e.find(f"{ATOM}title").text: getattr(e.find(f"{ATOM}rights"), "text", None)
        for e in feed.iter(f"{ATOM}entry")
    }


def test_only_the_license_that_is_not_text_warns(site):
    src, _, warnings = site
    path = src / "posts" / "2026" / "listed.md"
    assert warnings == (
        f"{path}:4: WARNING: license: must be the name of a license, such as 'CC BY 4.0', "
        "or a statement such as 'All rights reserved'; the site's license is used "
        "[essayist.license]\n"
    )


def test_the_citation_of_an_updated_post(site):
    _, out, _ = site
    box = cite_box(out, "proxies")
    assert norm(box.find("h2").get_text()) == "Cite this essay¶"
    assert box.find("p", class_="cite-text").get_text() == PROXIES_CITATION
    # The address is there to be copied: not a link to the page itself.
    assert box.find("p", class_="cite-text").find("a") is None
    assert box.find("span", class_="cite-url").get_text() == f"{BASE}posts/2026/proxies.html"
    details = box.find("details", class_="cite-bibtex")
    assert details.find("summary").get_text() == "BibTeX"
    assert details.select_one(".cite-bibtex-code > code").get_text() == PROXIES_BIBTEX
    assert "open" not in details.attrs
    # No <pre>: it would bring Pygments' colours and sphinx-copybutton to every
    # post; essayist-previews.js adds the copy button.
    assert box.find("pre") is None


def test_the_citation_of_a_post_never_updated(site):
    _, out, _ = site
    box = cite_box(out, "ok")
    assert box.find("p", class_="cite-text").get_text() == OK_CITATION
    assert box.select_one(".cite-bibtex-code code").get_text() == OK_BIBTEX


def test_the_box_follows_the_text_and_is_not_searched(site):
    _, out, _ = site
    page = soup(out / "posts" / "2026" / "proxies.html")
    box = page.find("section", class_="cite-this")
    assert box["id"] == "cite-this-essay"
    assert "no-search" in box["class"]
    # Inside the essay's section, after its text; the page's foot after it.
    assert box.parent.name == "section" and box.parent.find("h1")
    assert box.find_previous("p").get_text() == "A measure that becomes a target stops being one."
    assert box.find_next("div", class_="post-foot") is not None


def test_google_scholar_tags(site):
    _, out, _ = site
    page = soup(out / "posts" / "2026" / "proxies.html")
    tags = [
        (m["name"], m["content"])
        for m in page.find_all("meta", attrs={"name": True})
        if m["name"].startswith("citation_")
    ]
    assert tags == [
        ("citation_title", "On Proxies"),
        ("citation_author", "Ada Lovelace"),
        ("citation_publication_date", "2026/02/03"),
        ("citation_public_url", f"{BASE}posts/2026/proxies.html"),
    ]
    costs = soup(out / "posts" / "2026" / "costs.html")
    title = costs.find("meta", attrs={"name": "citation_title"})
    assert title["content"] == "Costs & Benefits of 100% Proxies"
    # Not on pages that are not posts.
    assert soup(out / "index.html").find("meta", attrs={"name": "citation_title"}) is None


def test_the_site_license_on_the_page_and_in_the_feed(site):
    _, out, _ = site
    line = cite_box(out, "proxies").find("p", class_="cite-license")
    assert line.get_text() == "© 2026 Ada Lovelace. Licensed under CC BY 4.0."
    assert line.find("a")["href"] == CC_BY
    assert line.find("a").get_text() == "CC BY 4.0"
    rights = feed_rights(out)
    assert rights["On Proxies"] == f"© 2026 Ada Lovelace. Licensed under CC BY 4.0: {CC_BY}"
    assert rights["A Good Post"] == f"© 2026 Ada Lovelace. Licensed under CC BY 4.0: {CC_BY}"
    # The one whose ``license:`` was refused has the site's.
    assert rights["Listed"] == f"© 2026 Ada Lovelace. Licensed under CC BY 4.0: {CC_BY}"
    # Each tag's feed says the same.
    tag_feed = ET.parse(out / "posts" / "tag" / "proxies" / "atom.xml").getroot()
    assert tag_feed.find(f"{ATOM}entry/{ATOM}rights").text == rights["On Proxies"]


def test_a_post_with_its_own_license(site):
    _, out, _ = site
    costs = cite_box(out, "costs").find("p", class_="cite-license")
    assert costs.get_text() == "© 2026 Ada Lovelace. All rights reserved."
    assert costs.find("a") is None
    shared = cite_box(out, "shared").find("p", class_="cite-license")
    assert shared.get_text() == "© 2026 Ada Lovelace. Licensed under CC BY-NC 4.0."
    assert shared.find("a")["href"] == "https://creativecommons.org/licenses/by-nc/4.0/"
    rights = feed_rights(out)
    assert rights["Costs & Benefits of 100% Proxies"] == "© 2026 Ada Lovelace. All rights reserved."
    assert rights["Shared Alike"] == (
        "© 2026 Ada Lovelace. Licensed under CC BY-NC 4.0: "
        "https://creativecommons.org/licenses/by-nc/4.0/"
    )


def test_bibtex_escapes_what_latex_reads(site):
    _, out, _ = site
    code = cite_box(out, "costs").select_one(".cite-bibtex-code code").get_text()
    assert code == (
        "@misc{lovelace2026costsbenefits,\n"
        "  author = {Ada Lovelace},\n"
        "  title = {{Costs \\& Benefits of 100\\% Proxies}},\n"
        "  howpublished = {Test Blog},\n"
        "  year = {2026},\n"
        f"  url = {{{BASE}posts/2026/costs.html}}\n"
        "}"
    )


def test_without_a_site_license_nothing_is_stated(tmp_path):
    src = copy_root("minimal", tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\nextensions = {EXTENSIONS!r}\n")
    app, warnings = build(src)
    out = Path(app.outdir)
    assert warnings == ""
    box = cite_box(out, "ok")
    assert box.find("p", class_="cite-license") is None
    assert box.find("p", class_="cite-text").get_text() == OK_CITATION
    assert feed_rights(out) == {"A Good Post": None}
    assert "<rights" not in (out / "posts" / "atom.xml").read_text(encoding="utf-8")


def test_citation_text_and_keys():
    import datetime as dt

    assert citation_text(["A", "B", "C"], 2026, "Why?", "Site") == "A, B and C (2026). “Why?” Site."
    # Quotation marks in the title: single ones inside the citation's.
    assert citation_text(["A"], 2026, "On “proxies”", "S") == "A (2026). “On ‘proxies’.” S."
    assert (
        citation_text(["A"], 2026, "T", "S", dt.date(2026, 4, 2))
        == "A (2026). “T.” S, updated 2 April 2026."
    )
    assert bibtex_key(["Perucy Mussiba"], 2026, "What Does It Actually Mean?") == (
        "mussiba2026whatdoes"
    )
    assert bibtex_key(["Zoë Ångström"], 2025, "On the Élan of Proxies") == (
        "angstrom2025elanproxies"
    )
    # Two "Why …" essays, two parts of a series: two keys.
    assert bibtex_key(["A B"], 2026, "Why Proxies Fail") == "b2026whyproxies"
    assert bibtex_key(["A B"], 2026, "Why Metrics Drift") == "b2026whymetrics"
    assert bibtex_key(["A B"], 2026, "Part One: Wanting") != bibtex_key(["A B"], 2026, "Part Two")
    # A Greek letter is spelled: "Why β matters" and "Why γ matters" differ.
    assert bibtex_key(["A B"], 2026, "Why β Matters") == "b2026whybeta"
    assert bibtex_key(["A B"], 2026, "Why γ Matters") == "b2026whygamma"
    # No Latin words: the post's day.
    assert bibtex_key(["A B"], 2026, "代理の問題", "1203") == "b20261203"
    assert bibtex_key([], 2025, "") == "essay2025"
    assert bibtex(["A B", "C D"], 2025, "T_x", "S", "").splitlines()[1:3] == [
        "  author = {A B and C D},",
        "  title = {{T\\_x}},",
    ]


def test_a_later_posts_letter_is_no_other_posts_key():
    made = [("one", "k"), ("two", "k"), ("three", "kb"), ("four", "k"), ("five", "kb")]
    assert unique_keys(made) == {
        "one": "k",
        "two": "kc",  # "kb" is the third post's own key
        "three": "kb",
        "four": "kd",
        "five": "kbb",
    }
    many = unique_keys([(str(n), "k") for n in range(30)])
    assert len(set(many.values())) == 30
    assert many["1"] == "kb" and many["25"] == "kz" and many["26"] == "kba"


def test_two_posts_whose_titles_make_one_key_get_two_keys(tmp_path):
    """The later (by date) of two posts with one key gets a "b"; a post added
    or retitled since rewrites the pages whose key it changed, as a clean
    build writes them."""
    src = copy_root("minimal", tmp_path)
    post = "---\ndate: 2026-0{month}-01\n---\n\n# {title}\n\nText.\n"
    for name, month, title in (
        ("one", 2, "Why Proxies Fail"),
        ("two", 3, "Why Proxies Fail, Again"),
    ):
        (src / f"posts/2026/{name}.md").write_text(post.format(month=month, title=title), "utf-8")

    def keys(out: Path) -> dict[str, str]:
        return {
            name: re.search(r"@misc\{([^,]+),", cite_box(out, name).get_text())[1]
            for name in ("one", "two")
        }

    app, _ = build(src, tmp_path / "inc")
    assert keys(Path(app.outdir)) == {
        "one": "lovelace2026whyproxies",
        "two": "lovelace2026whyproxiesb",
    }
    (src / "posts/2026/one.md").write_text(post.format(month=2, title="Why Metrics Drift"), "utf-8")
    app, _ = build(src, tmp_path / "inc")
    expected = {"one": "lovelace2026whymetrics", "two": "lovelace2026whyproxies"}
    assert keys(Path(app.outdir)) == expected
    assert keys(Path(build(src, tmp_path / "clean")[0].outdir)) == expected


def test_license_names():
    class Config:
        essayist_license = "CC BY 4.0"
        essayist_license_url = ""

    assert resolve("cc  by 4.0", Config) == License("CC BY 4.0", CC_BY)
    assert resolve("CC0 1.0", Config) == License(
        "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    assert resolve("MIT", Config) == License("MIT")
    assert License("MIT").statement() == "MIT."
    # SPDX ids, as many blogs and repositories write them.
    assert resolve("CC-BY-4.0", Config) == License("CC BY 4.0", CC_BY)
    assert resolve("cc-by-nc-sa-4.0", Config) == License(
        "CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    )
    assert resolve("CC0-1.0", Config).name == "CC0 1.0"
    assert resolve("CC\u2011BY\u20114.0", Config) == License("CC BY 4.0", CC_BY)
    assert resolve("CC BY 4.0.", Config) == License("CC BY 4.0", CC_BY)
    # The deed's own address is the license it names.
    assert resolve("http://creativecommons.org/licenses/by/4.0", Config) == License(
        "CC BY 4.0", CC_BY
    )
    # An address with a space is no link.
    assert resolve("https://exa mple.org/terms", Config) == License("https://exa mple.org/terms")
    # An address is a link to itself, not a statement ending in a period.
    terms = "https://example.org/terms"
    assert resolve(terms, Config) == License(terms, terms)
    assert resolve(terms, Config).statement() == f"Licensed under {terms}"
    assert resolve("javascript:alert(1)", Config) == License("javascript:alert(1)")
    para = license_line(resolve(terms, Config), 2026, ["Ada"])
    assert para.astext() == f"© 2026 Ada. Licensed under {terms}."
    assert para.next_node(nodes.reference)["refuri"] == terms
    assert resolve("  ", Config) is None


def test_a_name_bibtex_would_split_stays_one_author():
    entry = bibtex(["Rock and Roll", "Doe, Jane", "Ada Lovelace"], 2026, "T", "S", "")
    assert "  author = {{Rock and Roll} and {Doe, Jane} and Ada Lovelace},\n" in entry
    assert "  author = {Sandy Anderson},\n" in bibtex(["Sandy Anderson"], 2026, "T", "S", "")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("CC BY 4.0", None),
        ("x" * 200, None),
        ("x" * 201, "license: is longer than 200 characters: name the license"),
        (["CC BY 4.0"], "license: must be the name of a license"),
        (4.0, "license: must be the name of a license"),
        ("   ", "license: must be the name of a license"),
    ],
)
def test_a_license_that_cannot_be_used_says_why(value, problem):
    from essayist.scholarship.license import license_problem

    found = license_problem(value)
    assert (found is None) if problem is None else found.startswith(problem)
