"""The search index of an incremental build is the clean build's.

Sphinx's HTML builder loads the last ``searchindex.js``, takes the pages it
writes again out of it (``IndexBuilder.prune``) and feeds them in anew. A word
that only those pages had stays behind with no page (``"first": []``), and
such words pile up edit after edit; a clean build has none of them. Each word
left with no page goes as the index is pruned.
"""

from __future__ import annotations

from collections.abc import Iterable

from sphinx.search import IndexBuilder

_prune = IndexBuilder.prune


def prune(self: IndexBuilder, docnames: Iterable[str]) -> None:
    """Sphinx's ``prune``, then every word no page has any more removed."""
    _prune(self, docnames)
    for mapping in (self._mapping, self._title_mapping):
        for word in [word for word, pages in mapping.items() if not pages]:
            del mapping[word]


def setup_search_index() -> None:
    if IndexBuilder.prune is not prune:
        IndexBuilder.prune = prune
