"""Stemming, once per word.

Sphinx's search index stems every word of every
page, memoising only within a page (``IndexBuilder.feed``). Essays on one
subject share most of their words, so stemming was a quarter of writing the
pages (3 s of 19 at 300 essays). The search index's language object gets its
``stem`` memoised before the first page is indexed, in a table per language
kept for the process's life (``STEMS``): the warm preview's builder keeps the
stems its workers found (``new_stems``, ``add_stems``), so editing an essay
again does not stem its words again (0.03 s a page). Snowball stemmers are
pure functions of the word, so the index is the same (Chinese, whose stemmer
remembers the Latin terms it has seen, is left alone).

The index also looked at every word of a page as often as the page used it
(about 1,300 words an essay, a few hundred different): each page's words are
given to it once each, in the order they first appear, so the terms, the pages
they list and the order the index first meets them are the same.
"""

from __future__ import annotations

from typing import NamedTuple

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

# Languages whose stemmer depends on more than the word (Chinese keeps Latin
# terms it has seen unstemmed): their stems are not memoised.
STATEFUL_STEMMERS = frozenset({"zh"})


# Stems found in this process: language (its class and code) -> word -> stem.
STEMS: dict[str, dict[str, str]] = {}


class StemInfo(NamedTuple):
    """Like ``functools.lru_cache``'s ``cache_info()``, for this build's index."""

    hits: int
    misses: int
    currsize: int


class MemoisedStem:
    """A language's ``stem``, answered from ``STEMS`` when it can be."""

    def __init__(self, stem, stems: dict[str, str]) -> None:
        self.stem, self.stems = stem, stems
        self.hits = self.misses = 0

    def __call__(self, word: str) -> str:
        try:
            found = self.stems[word]
        except KeyError:
            self.misses += 1
            found = self.stems[word] = self.stem(word)
            return found
        self.hits += 1
        return found

    def cache_info(self) -> StemInfo:
        return StemInfo(self.hits, self.misses, len(self.stems))


def language_key(lang: SearchLanguage) -> str:
    return f"{type(lang).__module__}.{type(lang).__qualname__}:{lang.lang}"


def memoise_stemmer(lang: SearchLanguage) -> bool:
    """Memoise ``lang.stem`` on this instance (one search index, one build),
    from the process's stems of its language; true if it is memoised now."""
    if getattr(lang, "essayist_memoised", False):
        return True
    if lang.lang in STATEFUL_STEMMERS:
        return False
    lang.stem = MemoisedStem(lang.stem, STEMS.setdefault(language_key(lang), {}))
    lang.essayist_memoised = True
    return True


def stem_counts() -> dict[str, int]:
    """How many stems each language has now (for ``new_stems``)."""
    return {key: len(stems) for key, stems in STEMS.items()}


def new_stems(counts: dict[str, int]) -> dict[str, dict[str, str]]:
    """The stems found since ``stem_counts()`` gave ``counts``."""
    out = {}
    for key, stems in STEMS.items():
        if len(stems) > counts.get(key, 0):
            out[key] = dict(list(stems.items())[counts.get(key, 0) :])
    return out


def add_stems(found: dict[str, dict[str, str]]) -> None:
    """Keep stems another process found (a warm preview's worker)."""
    for key, stems in found.items():
        STEMS.setdefault(key, {}).update(stems)


def words_once(indexer) -> bool:
    """Give ``indexer`` each page's words once each, in order of first use
    (its ``_word_collector``, on this instance); true if it is done now."""
    if "_word_collector" in vars(indexer):
        return True
    collect = getattr(indexer, "_word_collector", None)
    if collect is None:
        return False  # another Sphinx: its own way

    def collector(doctree):
        store = collect(doctree)
        store.words = list(dict.fromkeys(store.words))
        store.title_words = list(dict.fromkeys(store.title_words))
        return store

    indexer._word_collector = collector
    return True


def _memoise_stemmer(app: Sphinx, doctree, docname: str) -> None:
    # The search index is made in ``prepare_writing``, after write-started;
    # each page is resolved (this event) before it is indexed.
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None:
        memoise_stemmer(indexer.lang)
        words_once(indexer)


def setup_stemming(app: Sphinx) -> None:
    app.connect("doctree-resolved", _memoise_stemmer)
