"""Furo's navigation, resolved once per folder for pages outside the toctree.

Furo asks Sphinx for the whole site toctree on every page it writes
(``toctree(collapse=False, titles_only=True, maxdepth=-1, includehidden=True)``),
and Sphinx copies and resolves every entry — with every heading of every page in
the tree — before dropping the headings again. That is about 10 ms a page here,
and a blog has hundreds of pages the tree does not list: the essays, archives,
tag and category pages.

For such a page nothing in that tree is "current", so the resolved HTML differs
from one page to another only by its relative links, which depend on nothing but
the page's folder. This module resolves it once per folder and set of arguments
and gives pages of the same folder the same string (which also lets Furo's own
cache of the parsed tree answer). Pages in the toctree get Sphinx's own answer.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping

from sphinx.application import Sphinx

from ..config import Order

_CACHE_ATTR = "_essayist_navcache"


def toctree_members(includes: Mapping[str, Iterable[str]], root_doc: str) -> frozenset[str]:
    """Every document that is a toctree's parent or child (hidden ones too)."""
    members = {root_doc, *includes}
    for children in includes.values():
        members.update(children)
    return frozenset(members)


def cache_key(target_uri: str, kwargs: Mapping[str, object]) -> tuple:
    """Pages in one folder, asking with the same arguments, get the same tree."""
    return posixpath.dirname(target_uri), tuple(sorted((k, repr(v)) for k, v in kwargs.items()))


class NavigationCache:
    """The resolved toctrees of one build, for pages outside the toctree."""

    def __init__(self, members: frozenset[str]) -> None:
        self.members = members
        self.trees: dict[tuple, str] = {}

    def wrap(self, pagename: str, target_uri: str, toctree: Callable[..., str]):
        if pagename in self.members:
            return toctree

        def cached_toctree(**kwargs) -> str:
            key = cache_key(target_uri, kwargs)
            html = self.trees.get(key)
            if html is None:
                html = self.trees[key] = toctree(**kwargs)
            return html

        return cached_toctree


def _write_started(app: Sphinx, builder) -> None:
    # The toctrees are final once reading is over: one cache per writing pass.
    members = toctree_members(app.env.toctree_includes, app.config.root_doc)
    setattr(app.builder, _CACHE_ATTR, NavigationCache(members))


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    cache = getattr(app.builder, _CACHE_ATTR, None)
    if cache is None or "toctree" not in context:
        return
    context["toctree"] = cache.wrap(
        pagename, app.builder.get_target_uri(pagename), context["toctree"]
    )


def setup_navcache(app: Sphinx) -> None:
    app.connect("write-started", _write_started)
    app.connect("html-page-context", _page_context, priority=Order.NAV_CACHE)
