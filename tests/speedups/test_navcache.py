"""Furo's navigation resolved once per folder and marked per page: the same
pages byte for byte, with far fewer resolutions and parses than pages."""

from __future__ import annotations

import re
from pathlib import Path

import furo.navigation
import pytest
from blogtools import build, copy_root, output_files
from sphinx.builders.dirhtml import DirectoryHTMLBuilder
from sphinx.builders.html import StandaloneHTMLBuilder

from essayist.speedups import ENV_VAR, navcache
from essayist.speedups.navcache import NavigationCache, cache_key, nobody_in
from essayist.speedups.navmarks import NavigationChanged, Template, attributes, scan
from essayist.theme import SIDEBARS
from essayist.theme import furo as furo_markup

# Every kind of entry a toctree has: nested toctrees three deep, in subfolders,
# hidden toctrees, a page in two toctrees, a caption, ``self``, a generated page
# (genindex), an external link, pages with sections (anchors when titles are not
# the only entries), a page with an ``only`` directive in its table of contents
# (Sphinx copies such a table differently for the page and its ancestors),
# and the concept pages of the test root (a hidden glob toctree).
PAGES = {
    "index.md": """# Test blog

```{postlist}
:excerpts:
```

```{toctree}
:caption: The guide

guide/index
shared
genindex
```

```{toctree}
:hidden:

docs/concepts/index
hidden-page
Example <https://example.org/>
```
""",
    "shared.md": "# Shared page\n\nIn two toctrees.\n\n## A section of it\n\nText.\n",
    "hidden-page.md": "# Hidden page\n\n```{toctree}\n:hidden:\n\nunder-hidden\n```\n",
    "under-hidden.md": "# Under the hidden page\n\nText.\n",
    "guide/index.md": """# Guide

```{toctree}
:maxdepth: 2

self
part-one
part-two
/shared
```
""",
    "guide/part-one.md": """# Part one

## First section

Text.

## Second section

```{toctree}
deep/leaf
deep/other
```
""",
    # reStructuredText: MyST takes the heading out of the ``only`` directive.
    "guide/part-two.rst": """Part two
========

Text.

.. only:: html

   Only in HTML
   ------------

   Text.
""",
    "guide/deep/leaf.md": "# A leaf\n\n## Leaf section\n\nText.\n",
    "guide/deep/other.md": "# Another leaf\n\nText.\n",
}

# Other calls of ``toctree`` than Furo's: with headings (links with anchors),
# cut at a depth (current entries below it still mark their branch), without
# hidden toctrees, collapsing, and with Sphinx's defaults.
EXTRA_SIDEBAR = """<div class="extra-nav">
{{ toctree(collapse=False, titles_only=False, maxdepth=-1) }}
</div><div class="extra-cut">{{ toctree(collapse=False, maxdepth=2) }}</div>
<div class="extra-collapsed">{{ toctree(collapse=True, maxdepth=3) }}</div>
<div class="extra-default">{{ toctree() }}</div>
"""


# More concept pages: the concepts folder has many pages in the tree.
CONCEPTS = {
    f"docs/concepts/extra-{i:02d}.md": f"""# Extra idea {i}

```{{concept}} Extra idea {i}
:summary: The extra idea number {i}.

A short definition of extra idea {i}.
```
"""
    for i in range(12)
}


def navigation_root(tmp_path: Path) -> Path:
    src = copy_root("concepts", tmp_path)
    for name, text in {**PAGES, **CONCEPTS}.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    (src / "_templates").mkdir()
    (src / "_templates" / "extra-nav.html").write_text(EXTRA_SIDEBAR, encoding="utf-8")
    sidebars = [*SIDEBARS[:-1], "extra-nav.html", SIDEBARS[-1]]
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f'templates_path = ["_templates"]\nhtml_sidebars = {{"**": {sidebars!r}}}\n')
    return src


@pytest.fixture
def counted(monkeypatch):
    """Every tree Sphinx resolves (by page) and every tree Furo is given to parse."""
    resolved: list[tuple[str, dict]] = []
    parsed: list[str] = []
    resolve = StandaloneHTMLBuilder._get_local_toctree
    parse = furo.navigation.get_navigation_tree.__wrapped__

    def counting_resolve(self, docname, **kwargs):
        resolved.append((docname, dict(kwargs)))
        return resolve(self, docname, **kwargs)

    def counting_parse(html):
        parsed.append(html)
        return parse(html)

    monkeypatch.setattr(StandaloneHTMLBuilder, "_get_local_toctree", counting_resolve)
    # Furo's own cache would hide the parses: count each call.
    furo_markup.install_navigation_shortcut()
    monkeypatch.setattr(furo_markup, "_ORIGINAL", [counting_parse])
    return resolved, parsed


def folder(docname: str) -> str:
    return docname.rsplit("/", 1)[0] if "/" in docname else ""


def furos_call(kwargs: dict) -> bool:
    return kwargs == {
        "collapse": False,
        "titles_only": True,
        "maxdepth": -1,
        "includehidden": True,
    }


def test_marked_navigation_gives_the_same_site(tmp_path, monkeypatch, counted):
    """Every output file byte for byte as Sphinx and Furo write it without the
    speed-ups; the pages in the tree cost one resolution and one parse per
    folder, not one per page."""
    resolved, parsed = counted
    src = navigation_root(tmp_path)
    monkeypatch.setenv(ENV_VAR, "1")
    app, warnings = build(src, tmp_path / "fast", freshenv=True)
    assert not warnings
    fast = output_files(app.outdir)

    concepts = [p for p in fast if re.match(r"docs/concepts/.*\.html$", p)]
    assert len(concepts) == 16
    furos = [doc for doc, kwargs in resolved if furos_call(kwargs)]
    nobody = [doc for doc in furos if "\x00" in doc]
    pages = [doc for doc in furos if "\x00" not in doc]
    # One tree per folder, resolved for nobody in it...
    assert len(nobody) == len(set(nobody)) == len({folder(doc) for doc in furos})
    # ... and one page per folder checked against Sphinx's own answer; the page
    # with ``only`` in its table of contents gets Sphinx's own.
    pages.remove("guide/part-two")
    assert len(pages) == len({folder(doc) for doc in pages})
    assert len([doc for doc in pages if folder(doc) == "docs/concepts"]) == 1
    # Furo parses (once: it caches by string) one tree per folder, and one
    # marked page per folder to check the marks; and part-two's own.
    assert len(set(parsed)) <= 2 * len(nobody) + 1

    # What is marked is there: the page in two toctrees is current twice, the
    # last is Furo's current page, and expanded branches are checked.
    shared = fast["shared.html"].decode()
    sidebar = shared[shared.index('<div class="sidebar-tree">') : shared.index("extra-nav")]
    assert sidebar.count('class="current reference internal" href="#"') == 2
    assert sidebar.count("current-page") == 1
    assert 'checked="" class="toctree-checkbox"' in sidebar
    leaf = fast["guide/deep/leaf.html"].decode()
    assert 'href="#leaf-section"' in leaf  # the extra tree, with headings

    monkeypatch.setenv(ENV_VAR, "0")
    app, warnings = build(src, tmp_path / "plain", freshenv=True)
    assert not warnings
    plain = output_files(app.outdir)
    assert plain.keys() == fast.keys()
    assert [name for name in plain if plain[name] != fast[name]] == []


def test_a_wrong_mark_stops_the_build(tmp_path, monkeypatch):
    src = navigation_root(tmp_path)
    monkeypatch.setenv(ENV_VAR, "1")
    marked = Template.marked
    monkeypatch.setattr(Template, "marked", lambda self, marks: marked(self, marks) + " ")
    with pytest.raises(NavigationChanged, match="ESSAYIST_SPEEDUPS=0"):
        build(src, tmp_path / "out", freshenv=True)


def test_a_wrong_furo_mark_stops_the_build(tmp_path, monkeypatch):
    src = navigation_root(tmp_path)
    monkeypatch.setenv(ENV_VAR, "1")
    monkeypatch.setattr(furo_markup, "CURRENT_PAGE", "this-page")
    with pytest.raises(furo_markup.FuroChanged, match="navigation for a page"):
        build(src, tmp_path / "out", freshenv=True)


TREE = (
    '<p class="caption" role="heading"><span class="caption-text">Guide</span></p>\n'
    "<ul>\n"
    '<li class="toctree-l1"><a class="reference internal" href="../index.html">Home</a></li>\n'
    '<li class="toctree-l1"><a class="reference internal" href="part.html">Part</a><ul>\n'
    '<li class="toctree-l2"><a class="reference internal" href="leaf.html">Leaf</a></li>\n'
    '<li class="toctree-l2"><a class="reference internal" href="part.html#s">S</a></li>\n'
    "</ul>\n</li>\n"
    '<li class="toctree-l1"><a class="reference external" href="https://x.org/">X</a></li>\n'
    "</ul>\n"
)


def test_scan_finds_lists_items_and_links_and_their_nesting():
    tags = scan(TREE)
    assert [t.name for t in tags] == ["ul", "li", "a", "li", "a", "ul", "li", "a", "li", "a"] + [
        "li",
        "a",
    ]
    assert [t.parent for t in tags][:8] == [-1, 0, 1, 0, 3, 3, 5, 6]
    assert TREE[tags[4].close - 4 : tags[4].close] == "</a>"
    assert scan("<ul><li></ul>") is None
    assert scan('<a href="x"><ul></ul></a>') is None


def test_marks_of_a_page_are_its_branch_and_its_links():
    template = Template(TREE)
    assert template.marks("nothing.html").current == {}
    leaf = template.marked(template.marks("leaf.html"))
    assert leaf == (
        TREE.replace("<ul>\n<li", '<ul class="current">\n<li', 1)
        .replace(
            '"toctree-l1"><a class="reference internal" href="part',
            '"toctree-l1 current"><a class="reference internal" href="part',
        )
        .replace("</a><ul>", '</a><ul class="current">')
        .replace(
            '<li class="toctree-l2"><a class="reference internal" href="leaf.html">',
            '<li class="toctree-l2 current"><a class="current reference internal" href="#">',
        )
    )
    part = template.marked(template.marks("part.html"))
    assert 'href="#s"' in part and 'href="#"' in part
    assert '<li class="toctree-l2"><a class="reference internal" href="#s">' in part


def test_marking_unknown_markup_is_loud():
    odd = '<ul><li class="mine"><a class="reference internal" href="a.html">A</a></li></ul>'
    template = Template(odd)
    with pytest.raises(NavigationChanged, match="class 'mine'"):
        template.marks("a.html")


def furo_case():
    """Furo's tree of TREE, its tags, the marks of "leaf.html", and the class
    of a tag in Furo's tree."""
    furo_html = furo.navigation.get_navigation_tree.__wrapped__(TREE)
    tags = scan(furo_html)
    marks = Template(TREE).marks("leaf.html")

    def class_of(index):
        return attributes(furo_html[tags[index].start : tags[index].end]).get("class")

    return furo_html, tags, marks, class_of


def test_furos_rules_for_a_page_in_its_navigation():
    furo_html, tags, marks, class_of = furo_case()

    classes, checkboxes = furo_markup.current_classes(furo_html, tags, marks.current, class_of)
    assert classes == {
        0: (None, "current"),
        3: ("toctree-l1 has-children", "toctree-l1 current has-children"),
        5: (None, "current"),
        6: ("toctree-l2", "toctree-l2 current current-page"),
        7: ("reference internal", "current reference internal"),
    }
    [(start, end, checkbox)] = checkboxes
    assert furo_html[start:end].replace(' class="', ' checked="" class="') == checkbox
    assert checkbox.startswith('<input aria-label="Toggle navigation of Part" checked=""')


def test_furos_rules_are_loud_about_other_markup():
    furo_html, tags, marks, class_of = furo_case()

    with pytest.raises(furo_markup.FuroChanged, match="class"):
        furo_markup.current_classes(furo_html, tags, marks.current, lambda index: "other")
    other_box = furo_html.replace("toctree-checkbox", "toctree-checkbix")  # same length
    with pytest.raises(furo_markup.FuroChanged, match="checkbox"):
        furo_markup.current_classes(other_box, tags, marks.current, class_of)


def test_furos_navigation_is_what_the_rules_expect():
    """Furo's own tree for a marked Sphinx tree is the unmarked Furo tree, marked."""
    template = Template(TREE)
    marks = template.marks("leaf.html")
    cache = NavigationCache.__new__(NavigationCache)
    cache.templates, cache.furo_trees = {"k": template}, {}
    marked = template.marked(marks)
    assert cache.furo_tree("k", marks, check=marked) == furo.navigation.get_navigation_tree(marked)
    assert re.search(r'<li class="toctree-l2 current current-page">', cache.furo_tree("k", marks))


def test_the_shortcut_answers_only_for_the_offered_string(monkeypatch):
    furo_markup.install_navigation_shortcut()
    furo_markup.install_navigation_shortcut()  # once
    import furo as furo_module

    assert furo_module.get_navigation_tree is furo_markup._shortcut_navigation_tree
    offered = "".join(["<ul>", "</ul>"])
    furo_markup.offer_navigation(offered, lambda: "answer")
    assert furo_module.get_navigation_tree("<ul></ul>") == "<ul></ul>"  # equal, not the same
    assert furo_module.get_navigation_tree(offered) == "answer"
    assert furo_module.get_navigation_tree(offered) == "<ul></ul>"  # once


def test_a_furo_without_the_function_is_loud(monkeypatch):
    import furo as furo_module

    monkeypatch.setattr(furo_module, "get_navigation_tree", furo.navigation.get_navigation_tree)
    monkeypatch.delattr(furo_module, "_compute_navigation_tree")
    with pytest.raises(furo_markup.FuroChanged, match="get_navigation_tree"):
        furo_markup.install_navigation_shortcut()


def test_cache_key_is_the_folder_and_the_arguments():
    a = cache_key("posts/2026/first.html", {"collapse": False, "maxdepth": -1})
    b = cache_key("posts/2026/second.html", {"maxdepth": -1, "collapse": False})
    assert a == b
    assert a != cache_key("posts/2025/first.html", {"collapse": False, "maxdepth": -1})
    assert a != cache_key("posts/2026/first.html", {"collapse": True, "maxdepth": -1})
    assert cache_key("posts.html", {}) != cache_key("posts/tag.html", {})


def test_nobody_is_in_the_pages_folder_and_is_no_page():
    assert nobody_in("docs/concepts/goodharts-law").startswith("docs/concepts/")
    assert nobody_in("index").count("/") == 0
    assert "\x00" in nobody_in("index")


def test_other_builders_get_sphinxs_own_answer():
    class Config:
        root_doc = "index"

    class Env:
        tocs: dict = {}
        toctree_includes: dict = {"index": ["docs/about"]}
        config = Config()

    builder = DirectoryHTMLBuilder.__new__(DirectoryHTMLBuilder)
    builder.env = Env()

    def toctree(**kwargs):
        return "<ul></ul>"

    cache = NavigationCache(builder)
    assert cache.wrap("docs/about", "docs/about/", toctree) is toctree


def test_no_cache_outside_a_writing_pass():
    # html-page-context without write-started (e.g. another extension's pages
    # written by hand) leaves the context alone.
    class Builder:
        pass

    class App:
        builder = Builder()

    context = {"toctree": object()}
    before = dict(context)
    navcache._page_context(App(), "page", "page.html", context, None)
    assert context == before


def test_tocs_with_only_are_looked_into_once_per_toc(monkeypatch):
    """A rebuild looks for ``only`` in the tocs of the documents it read again
    (new nodes), not in every toc; the answer is the same as a full look."""
    from types import SimpleNamespace

    from docutils import nodes
    from sphinx import addnodes

    from essayist.speedups import navcache

    def toc(with_only: bool) -> nodes.bullet_list:
        item = nodes.list_item("", nodes.paragraph(text="x"))
        if with_only:
            item += addnodes.only("", nodes.paragraph(text="y"), expr="html")
        return nodes.bullet_list("", item)

    env = SimpleNamespace(tocs={"a": toc(True), "b": toc(False), "c": toc(False)})
    assert navcache.with_only(env) == {"a"}
    looked = []
    findall = nodes.Element.findall
    monkeypatch.setattr(
        nodes.Element, "findall", lambda self, *a: looked.append(self) or findall(self, *a)
    )
    assert navcache.with_only(env) == {"a"}
    assert looked == []
    env.tocs["b"] = toc(True)  # "b" read again, now with ``only``
    del env.tocs["c"]
    assert navcache.with_only(env) == {"a", "b"}
    assert looked == [env.tocs["b"]]
    assert len(navcache._HAS_ONLY.kept) == 2  # only this environment's tocs are kept
