"""Every page works under a strict Content-Security-Policy: no inline scripts."""

from __future__ import annotations

import pytest
from blogtools import build, copy_root
from conftest import html_pages, soup

from essayist.theme.csp import DEFAULT_POLICY, externalize_theme_script
from essayist.theme.furo import FURO_THEME_SCRIPT, FuroChanged


def inline_code(page) -> list[str]:
    found = []
    for script in page.find_all("script"):
        if not script.get("src"):
            found.append(str(script)[:120])
    for tag in page.find_all(True):
        found += [f"{tag.name}[{a}]" for a in tag.attrs if a.lower().startswith("on")]
    return found


def test_every_page_carries_the_policy_and_no_inline_script(site):
    pages = html_pages(site)
    assert any(p.name == "404.html" for p in pages)
    for path in pages:
        page = soup(path)
        meta = page.select('meta[http-equiv="Content-Security-Policy"]')
        assert [m["content"] for m in meta] == [DEFAULT_POLICY], path
        # First in <head> after the charset and viewport, before any script.
        assert meta[0].find_previous("script") is None, path
        assert inline_code(page) == [], path


def test_every_page_has_one_viewport_tag(site):
    """Furo's; docutils' HTML5 writer added a second one to every page."""
    for path in html_pages(site):
        tags = soup(path).select('meta[name="viewport"]')
        assert [t["content"] for t in tags] == ["width=device-width,initial-scale=1"], path


def test_theme_script_is_a_static_file(site):
    page = soup(site / "index.html")
    first = page.body.find("script")
    assert first["src"] == "_static/essayist-theme.js"
    assert "localStorage" in (site / "_static/essayist-theme.js").read_text()


def test_redirect_pages_carry_the_policy(tmp_path):
    src = copy_root("publishing", tmp_path)
    app, _ = build(src, freshenv=True)
    redirects = [p for p in html_pages(app.outdir) if 'http-equiv="refresh"' in p.read_text()]
    assert redirects
    for path in redirects:
        page = soup(path)
        assert page.select_one('meta[http-equiv="Content-Security-Policy"]'), path
        assert inline_code(page) == [], path


def test_a_changed_furo_is_a_clear_error():
    with pytest.raises(FuroChanged, match="no longer writes its inline colour-scheme script"):
        externalize_theme_script("<body><p>no script</p></body>", "x.js")
    html = f"<body>{FURO_THEME_SCRIPT}</body>"
    assert externalize_theme_script(html, "t.js") == '<body><script src="t.js"></script></body>'
