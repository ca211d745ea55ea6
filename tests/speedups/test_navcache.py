"""Furo's navigation resolved once per folder: same pages, far fewer resolutions."""

from __future__ import annotations

import re

import pytest
from blogtools import build, copy_root, output_files

from essayist.speedups import navcache
from essayist.speedups.navcache import NavigationCache, cache_key, toctree_members


def test_toctree_members_are_parents_children_and_the_root():
    includes = {"index": ["docs/about", "docs/concepts/index"], "docs/concepts/index": ["docs/a"]}
    assert toctree_members(includes, "index") == {
        "index",
        "docs/about",
        "docs/concepts/index",
        "docs/a",
    }
    assert toctree_members({}, "index") == {"index"}


def test_cache_key_is_the_folder_and_the_arguments():
    a = cache_key("posts/2026/first.html", {"collapse": False, "maxdepth": -1})
    b = cache_key("posts/2026/second.html", {"maxdepth": -1, "collapse": False})
    assert a == b
    assert a != cache_key("posts/2025/first.html", {"collapse": False, "maxdepth": -1})
    assert a != cache_key("posts/2026/first.html", {"collapse": True, "maxdepth": -1})
    assert cache_key("posts.html", {}) != cache_key("posts/tag.html", {})


def test_pages_in_the_toctree_get_sphinxs_own_answer():
    calls = []

    def toctree(**kwargs):
        calls.append(kwargs)
        return f"<ul>{len(calls)}</ul>"

    cache = NavigationCache(frozenset({"index", "docs/about"}))
    assert cache.wrap("docs/about", "docs/about.html", toctree) is toctree
    first = cache.wrap("posts/2026/a", "posts/2026/a.html", toctree)
    second = cache.wrap("posts/2026/b", "posts/2026/b.html", toctree)
    other = cache.wrap("posts/2025/c", "posts/2025/c.html", toctree)
    assert first(collapse=False) == second(collapse=False) == "<ul>1</ul>"
    assert other(collapse=False) == "<ul>2</ul>"
    assert first(collapse=True) == "<ul>3</ul>"
    assert len(calls) == 3


@pytest.mark.parametrize("name", ["blog", "concepts"])
def test_cached_navigation_gives_the_same_site(tmp_path, monkeypatch, name):
    """Byte for byte the site Sphinx gives without the cache, with far fewer
    toctree resolutions than pages."""
    src = copy_root(name, tmp_path)
    resolved = []
    wrap = NavigationCache.wrap

    def counting_wrap(self, pagename, target_uri, toctree):
        def counted(**kwargs):
            resolved.append(pagename)
            return toctree(**kwargs)

        return wrap(self, pagename, target_uri, counted)

    monkeypatch.setattr(NavigationCache, "wrap", counting_wrap)
    app, warnings = build(src, tmp_path / "cached", freshenv=True)
    assert not warnings
    cached = output_files(app.outdir)
    posts = [p for p in cached if re.match(r"posts/\d{4}/.*\.html$", p)]
    folders = {p.rsplit("/", 1)[0] for p in posts}
    assert len(posts) > len(folders)
    # One resolution per folder of posts, not one per post.
    assert len([p for p in resolved if re.match(r"posts/\d{4}/", p)]) == len(folders)

    monkeypatch.setattr(NavigationCache, "wrap", lambda self, page, uri, toctree: toctree)
    app, warnings = build(src, tmp_path / "plain", freshenv=True)
    assert not warnings
    assert output_files(app.outdir) == cached


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
