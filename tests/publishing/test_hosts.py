"""One address per host: SITE_BASE_URL, else Read the Docs' own address, else the default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from blogtools import build, copy_root
from bs4 import BeautifulSoup
from lxml import etree

from essayist.publishing.hosts import detect_base_url

RTD = "https://essays.readthedocs.io/en/latest/"
GH = "https://someone.github.io/essays/"
DEFAULT = "https://default.example/essays/"


def test_detect_base_url():
    rtd = {"READTHEDOCS": "True", "READTHEDOCS_CANONICAL_URL": RTD}
    assert detect_base_url("", rtd, DEFAULT) == RTD
    assert detect_base_url(GH, rtd, DEFAULT) == GH  # SITE_BASE_URL wins
    assert detect_base_url("", {}, DEFAULT) == DEFAULT
    assert detect_base_url("", {"READTHEDOCS_CANONICAL_URL": RTD}, DEFAULT) == DEFAULT
    assert detect_base_url("  ", {"READTHEDOCS": "True"}, DEFAULT) == DEFAULT


def every_absolute_url(out: Path) -> set[str]:
    """The site's addresses in canonical links, og: tags, sitemap, robots, feeds."""
    urls = set()
    for path in out.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for link in page.select('link[rel="canonical"]'):
            urls.add(link["href"])
        for meta in page.select('meta[property="og:url"], meta[property="og:image"]'):
            urls.add(meta["content"])
    sitemap = etree.parse(str(out / "sitemap.xml"))
    urls.update(sitemap.xpath("//*[local-name()='loc']/text()"))
    urls.add((out / "robots.txt").read_text().split("Sitemap: ")[1].strip())
    for feed in out.rglob("atom.xml"):
        tree = etree.parse(str(feed))
        urls.update(tree.xpath("//*[local-name()='link']/@href"))
    return urls


@pytest.mark.parametrize(
    ("environ", "expected", "served"),
    [
        ({"READTHEDOCS": "True", "READTHEDOCS_CANONICAL_URL": RTD}, RTD, RTD),
        # One canonical host: the site's address is GitHub's on Read the Docs
        # too, and the 404 page is still served at Read the Docs' path (it
        # named GitHub's: unstyled, its links more 404s).
        ({"READTHEDOCS": "True", "READTHEDOCS_CANONICAL_URL": RTD, "SITE_BASE_URL": GH}, GH, RTD),
        # The Pages workflow, with a repository variable naming Read the Docs.
        ({"SITE_BASE_URL": RTD, "SITE_SERVED_URL": GH}, RTD, GH),
        ({}, DEFAULT, DEFAULT),
    ],
    ids=["read-the-docs", "site-base-url-wins", "pages-served-elsewhere", "default"],
)
def test_every_address_follows_the_host(environ, expected, served, tmp_path, monkeypatch):
    for name in ("READTHEDOCS", "READTHEDOCS_CANONICAL_URL", "SITE_BASE_URL", "SITE_SERVED_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    src = copy_root("publishing", tmp_path)
    conf = src / "conf.py"
    text = conf.read_text(encoding="utf-8")
    text = text.replace(
        'blog_baseurl = "https://example.org/site/"',
        'import os\nblog_baseurl = os.environ.get("SITE_BASE_URL", "")',
    )
    text = text.replace(
        "html_baseurl = blog_baseurl\n", f'essayist_default_base_url = "{DEFAULT}"\n'
    )
    conf.write_text(text, encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    urls = every_absolute_url(Path(app.outdir))
    assert len(urls) > 10
    assert {u for u in urls if not u.startswith(expected)} == set()
    notfound = (Path(app.outdir) / "404.html").read_text(encoding="utf-8")
    prefix = "/" + served.split("/", 3)[3]
    assert f'href="{prefix}index.html"' in notfound
    styles = re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', notfound)
    assert styles and all(href.startswith(prefix + "_static/") for href in styles), styles


@pytest.mark.parametrize("version_type", ["external", "branch"])
def test_a_pull_request_preview_is_not_indexed(version_type, tmp_path, monkeypatch):
    """Read the Docs builds a pull request's preview on readthedocs.build
    (READTHEDOCS_VERSION_TYPE=external): search engines are told to leave it."""
    monkeypatch.delenv("SITE_BASE_URL", raising=False)
    monkeypatch.setenv("READTHEDOCS", "True")
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", RTD)
    monkeypatch.setenv("READTHEDOCS_VERSION_TYPE", version_type)
    src = copy_root("publishing", tmp_path)
    conf = src / "conf.py"
    text = conf.read_text(encoding="utf-8").replace(
        'blog_baseurl = "https://example.org/site/"', 'blog_baseurl = ""'
    )
    conf.write_text(text.replace("html_baseurl = blog_baseurl\n", ""), encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    out = Path(app.outdir)
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    pages = [p for p in out.rglob("*.html") if "_static" not in p.parts]
    tagged = [
        p for p in pages if BeautifulSoup(p.read_text("utf-8"), "html.parser").find(
            "meta", attrs={"name": "robots", "content": "noindex"})
    ]  # fmt: skip
    if version_type == "external":
        assert robots == "User-agent: *\nDisallow: /\n"
        assert len(tagged) == len(pages) > 5
    else:
        assert robots == f"User-agent: *\nAllow: /\n\nSitemap: {RTD}sitemap.xml\n"
        # Only the pages never meant to be found: 404, search, old addresses,
        # folders' pages (posts/index.html forwards to posts.html).
        assert {p.name for p in tagged} == {
            "404.html", "search.html", "old-engine-notes.html", "index.html"
        }  # fmt: skip
        assert out / "index.html" not in tagged


@pytest.mark.parametrize(
    "address",
    ["example.org/essays/", "ftp://example.org/", "https://", "https://example.org/?x=1"],
)
def test_an_address_that_is_no_address_stops_the_build(address, tmp_path, monkeypatch):
    """Without a scheme, every link in feeds, the sitemap and canonical tags
    would be relative (example.org/essays/posts/atom.xml): the build stops
    before anything is written, and says which setting and what to write."""
    from sphinx.errors import ConfigError

    monkeypatch.setenv("SITE_BASE_URL", address)
    src = copy_root("blog", tmp_path)
    (src / "conf.py").write_text(
        (src / "conf.py").read_text().replace('blog_baseurl = "https://example.org/blog/"', ""),
    )
    with pytest.raises(ConfigError, match="must be a"):
        build(src, tmp_path / "out", blog_baseurl=address)
    assert not (tmp_path / "out" / "html" / "index.html").exists()


@pytest.mark.parametrize(
    ("environ", "said"),
    [
        ({"READTHEDOCS": "True"}, True),
        ({}, False),  # -D language=fr of one's own: meant
    ],
)
def test_read_the_docs_language_over_the_sites_is_named(environ, said, tmp_path, monkeypatch):
    """Read the Docs passes its project's language (-D language=fr) over conf.py's,
    in silence: the pages said lang="fr" and the search stemmed English as French."""
    for name in ("READTHEDOCS", "READTHEDOCS_CANONICAL_URL", "SITE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    src = copy_root("publishing", tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('language = "en"\n')
    _, warnings = build(src, freshenv=True, language="fr")
    line = (src / "conf.py").read_text(encoding="utf-8").split("\n").index('language = "en"') + 1
    message = (
        f"{src}/conf.py:{line}: WARNING: Read the Docs builds the site in language 'fr' "
        "(its project's language), and conf.py says 'en': set the project's language to "
        "the site's in Read the Docs (Settings → Language), or change language in conf.py "
        "[essayist.language]"
    )
    assert (message in warnings) is said
    _, warnings = build(src, tmp_path / "same", freshenv=True, language="en")
    assert "essayist.language" not in warnings


def test_a_served_address_that_is_no_address_stops_the_build(tmp_path, monkeypatch):
    """SITE_SERVED_URL is where the 404 page's links lead: one that is not a
    full address stops the build, saying so (as SITE_BASE_URL does)."""
    from sphinx.errors import ConfigError

    monkeypatch.setenv("SITE_SERVED_URL", "someone.github.io/essays")
    src = copy_root("publishing", tmp_path)
    with pytest.raises(ConfigError) as caught:
        build(src, freshenv=True)
    assert str(caught.value) == (
        "essayist: SITE_SERVED_URL 'someone.github.io/essays' (where this build is served) "
        "must be a full address, such as https://example.org/essays/"
    )
