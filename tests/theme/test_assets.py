"""Each page loads only the stylesheets and scripts its content uses (issue 15).

The pure decision (``essayist.theme.assets``); a test root built with
sphinx-copybutton, a post with code and one without, and the copy button
clicked in Chromium; the real site's essay within its page-weight budget, as
``benchmarks/pageweight.py`` measures it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest
from blogtools import build, copy_root
from browser.conftest import CHROMIUM_ARGS, DESKTOP, Served, serve_folder
from browser.systemtools import HOW_CHROMIUM, chromium_executable, missing
from conftest import PROJECT, soup
from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

from essayist.theme import STATIC
from essayist.theme.assets import (
    RULES,
    Rule,
    needed_assets,
    page_body,
    static_name,
    tags_and_classes,
    unneeded_files,
)

COPY = {"copybutton.css", "clipboard.min.js", "copybutton.js"}
EVERY_PAGE = {"styles/furo.css", "essayist.css", "doctools.js", "scripts/furo.js"}
ASSETS = [
    "pygments.css",
    "styles/furo.css",
    "essayist-concepts.css",
    "essayist.css",
    "copybutton.css",
    "doctools.js",
    "scripts/furo.js",
    "essayist-previews.js",
    "clipboard.min.js",
    "copybutton.js",
]
CODE_BLOCK = (
    '<div class="highlight-python notranslate"><div class="highlight">'
    '<pre><span></span><span class="n">x</span> <span class="o">=</span> 1\n</pre></div></div>'
)
CONCEPT_LINK = '<p><a class="concept-ref reference internal" href="c.html">Goodhart</a></p>'
ESSAY_LINK = '<p><a class="essay-ref reference internal" href="e.html">An essay</a></p>'


def kept(body: str | None) -> set[str]:
    return {static_name(a) for a in needed_assets(body, [f"_static/{a}" for a in ASSETS])}


# -- The decision ---------------------------------------------------------------


def test_tags_and_classes():
    tags, classes = tags_and_classes(
        CODE_BLOCK + "<P CLASS=lead>Write &lt;pre&gt; and class=&quot;x&quot;.</P>"
    )
    assert tags == {"div", "pre", "span", "p"}
    assert {"highlight-python", "notranslate", "highlight", "n", "o", "lead"} <= classes
    assert "x" not in classes


def test_prose_needs_no_copy_button_colours_or_previews():
    assert kept("<p>Prose, with <code class='docutils literal'>inline</code> code.</p>") == (
        EVERY_PAGE
    )
    assert kept("") == EVERY_PAGE
    # Words in the text are not markup.
    assert kept("<p>The &lt;pre&gt; element; a highlight; concept-ref.</p>") == EVERY_PAGE


def test_a_code_block_needs_the_copy_button_and_colours():
    assert kept(CODE_BLOCK) == EVERY_PAGE | COPY | {"pygments.css"}
    # A <pre> Pygments did not colour still gets a copy button.
    assert kept("<pre>plain</pre>") == EVERY_PAGE | COPY | {"pygments.css"}


def test_highlighted_inline_code_needs_the_colours_only():
    body = '<p><code class="code highlight python docutils literal">x</code></p>'
    assert kept(body) == EVERY_PAGE | {"pygments.css"}


def test_concept_and_essay_links_need_previews():
    both = {"essayist-previews.js", "essayist-concepts.css"}
    assert kept(CONCEPT_LINK) == EVERY_PAGE | both
    assert kept(ESSAY_LINK) == EVERY_PAGE | both
    # A concept page's definition is styled, but has nothing to preview.
    assert kept('<div class="concept-definition">…</div>') == EVERY_PAGE | {"essayist-concepts.css"}


def test_a_page_of_unknown_content_keeps_everything():
    assert kept(None) == set(ASSETS)
    assert page_body("ablog/collection.html", {"pagename": "posts"}) is None
    assert page_body("ablog/catalog.html", {"body": None}) is None
    assert page_body("search.html", {}) == ""
    assert page_body("genindex.html", {}) == ""
    assert page_body("page.html", {"body": CODE_BLOCK}) == CODE_BLOCK
    assert page_body("page.html", {"body": ""}) == ""


def test_sphinx_assets_keep_their_order_and_objects():
    assets = [
        _CascadingStyleSheet("_static/pygments.css", priority=200),
        _CascadingStyleSheet("_static/styles/furo.css", priority=200),
        _JavaScript("", body="var inline = 1;"),
        _JavaScript("https://cdn.example/copybutton.js"),
        _JavaScript("_static/clipboard.min.js", priority=500),
        _JavaScript("_static/essayist-previews.js", loading_method="defer"),
        _JavaScript("_static/other.js?v=1"),
    ]
    out = needed_assets("<p>Prose.</p>", assets)
    assert out == [assets[1], assets[2], assets[3], assets[6]]
    assert needed_assets(CODE_BLOCK + CONCEPT_LINK, assets) == assets


def test_static_name():
    assert static_name("_static/copybutton.js") == "copybutton.js"
    assert static_name("_static/styles/furo.css?v=7bdb33bb") == "styles/furo.css"
    assert static_name(_JavaScript("_static/./clipboard.min.js")) == "clipboard.min.js"
    assert static_name("https://example.org/_static/copybutton.js") == ""
    assert static_name("//example.org/_static/copybutton.js") == ""
    assert static_name("") == ""
    assert static_name("searchindex.js") == ""


def test_a_file_two_rules_name_stays_when_either_needs_it():
    rules = (
        Rule(("shared.js", "a.css"), tags=frozenset({"pre"})),
        Rule(("shared.js",), classes=frozenset({"c"})),
    )
    assert unneeded_files('<p class="c">x</p>', rules) == {"a.css"}
    assert unneeded_files("<p>x</p>", rules) == {"a.css", "shared.js"}
    assert unneeded_files(None, rules) == set()


def test_the_concepts_rule_names_every_class_its_stylesheet_styles():
    css = (STATIC / "essayist-concepts.css").read_text(encoding="utf-8")
    selectors = re.sub(r"\{[^{}]*\}", "", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    styled = set(re.findall(r"\.([a-zA-Z][\w-]*)", selectors))
    (rule,) = [r for r in RULES if "essayist-concepts.css" in r.files]
    # The preview box is made by essayist-previews.js, which needs a link the rule names.
    made_by_script = {c for c in styled if c.startswith("essayist-preview")}
    assert styled - made_by_script <= rule.classes
    assert made_by_script


# -- A built test root ----------------------------------------------------------

CODE_POST = """---
date: 2026-03-01
category: Notes
tags: alpha
---

# A Post With Code

The excerpt.

```python
print("copied")
```
"""
WITH_CODE = "posts/2026/with-code.html"
WITHOUT_CODE = "posts/2026/second.html"


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    src = copy_root("blog", tmp_path_factory.mktemp("assets"))
    (src / "posts" / "2026" / "with-code.md").write_text(CODE_POST, encoding="utf-8")
    app, warnings = build(
        src, freshenv=True, extensions=["myst_parser", "essayist", "sphinx_copybutton"]
    )
    assert warnings == ""
    return Path(app.outdir)


def loaded(page: Path) -> list[str]:
    """The ``_static/`` files a page loads, in order."""
    html = soup(page)
    refs = [s["src"] for s in html.select("script[src]")]
    refs += [link["href"] for link in html.select('link[rel="stylesheet"]')]
    names = [static_name(re.sub(r"^(\.\./)+", "", r)) for r in refs]
    return [n for n in names if n]


def test_a_post_without_code_loads_no_copy_button(root):
    assets = loaded(root / WITHOUT_CODE)
    assert not COPY & set(assets)
    assert "pygments.css" not in assets
    assert set(assets) >= EVERY_PAGE


def test_a_post_with_code_loads_the_copy_button(root):
    assets = loaded(root / WITH_CODE)
    assert COPY | {"pygments.css"} <= set(assets)
    assert assets.index("clipboard.min.js") < assets.index("copybutton.js")
    assert set(assets) >= EVERY_PAGE
    for name in COPY | {"pygments.css"}:
        assert (root / "_static" / name).is_file(), name


def test_a_listing_whose_content_a_template_writes_keeps_everything(root):
    assert set(loaded(root / "posts.html")) >= COPY


@pytest.fixture(scope="module")
def root_served(root) -> Iterator[Served]:
    with serve_folder(root) as server:
        yield server


def in_own_thread(check):
    """Run ``check`` in a thread of its own: Playwright's sync API refuses a
    thread whose event loop is taken, as the browser tests' session Chromium
    (tests/browser/conftest.py, not visible here) takes the main one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(check).result()


def copy_the_code(served: Served) -> tuple[int, str, str, list[str]]:
    """In Chromium: copy buttons on the post without code, and on the post with
    code the button's message and the clipboard after a click, and script errors."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the lock installs it
        missing("Python Playwright", "run `make test` (it installs requirements.lock)")
    executable = chromium_executable()
    errors: list[str] = []
    with sync_playwright() as playwright:
        if executable is None and not Path(playwright.chromium.executable_path).exists():
            missing("Chromium", HOW_CHROMIUM)
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport=DESKTOP)
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.origin)
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(served.url(WITHOUT_CODE), wait_until="load")
            buttons_without_code = page.locator("button.copybtn").count()
            page.goto(served.url(WITH_CODE), wait_until="load")
            button = page.locator("div.highlight button.copybtn")
            button.wait_for(state="attached")
            page.locator("div.highlight pre").hover()
            button.click()
            message = button.get_attribute("data-tooltip")
            copied = page.evaluate("navigator.clipboard.readText()")
        finally:
            browser.close()
    return buttons_without_code, message, copied, errors


def test_the_copy_button_copies_the_code(root_served):
    buttons_without_code, message, copied, errors = in_own_thread(
        partial(copy_the_code, root_served)
    )
    assert buttons_without_code == 0
    assert message == "Copied!"
    assert copied.strip() == 'print("copied")'
    assert errors == []


# -- The real site's weight -----------------------------------------------------

ESSAY = "posts/2026/what-does-it-mean-to-align-an-ai.html"


@pytest.fixture(scope="module")
def pageweight():
    path = PROJECT / "benchmarks" / "pageweight.py"
    spec = importlib.util.spec_from_file_location("bench_pageweight", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_pageweight"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["bench_pageweight"]


def test_the_essay_weighs_at_most_30_kib(site, pageweight):
    essay = pageweight.measure(site, ESSAY)
    files = {f["file"] for f in essay["files"]}
    assert ESSAY in files
    assert not {f"_static/{n}" for n in COPY | {"pygments.css"}} & files
    assert {"_static/styles/furo.css", "_static/essayist-previews.js"} <= files
    assert essay["total"] == sum(f["gzip"] for f in essay["files"])
    assert essay["total"] <= pageweight.BUDGET_KIB * 1024 == 30 * 1024


def test_the_real_essay_loads_no_copy_button(site):
    # The site's pages hold no code now (the guide is repository documentation);
    # a page with code keeps the button: test_a_post_with_code_loads_the_copy_button.
    assert not COPY & set(loaded(site / ESSAY))


def test_pageweight_reads_only_same_origin_scripts_and_stylesheets(pageweight, tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.css").write_text("body { color: red }\n" * 50)
    (tmp_path / "_static" / "b.js").write_text("console.log(1);\n" * 50)
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="_static/a.css?v=1">'
        '<link rel="icon" href="_static/a.css"><link rel="preload" href="_static/b.js">'
        '<script src="_static/b.js"></script><script src="https://cdn.example/x.js"></script>'
        '<script src="//cdn.example/y.js"></script><script>inline()</script>'
    )
    result = pageweight.measure(tmp_path, "index.html")
    assert [f["file"] for f in result["files"]] == ["index.html", "_static/a.css", "_static/b.js"]
    assert set(result["gzip"]) == {"html", "css", "js"}
    assert all(0 < f["gzip"] < f["bytes"] for f in result["files"][1:])


def test_pageweight_json(pageweight, site, capsys):
    assert pageweight.main([str(site), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["pages"]) == {"essay", "home", "concept", "archive", "all posts"}
    assert data["pages"]["essay"]["page"] == ESSAY
