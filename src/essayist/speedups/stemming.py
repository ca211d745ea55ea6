"""Stemming, once per build.

Sphinx's search index stems every word of every
page, memoising only within a page (``IndexBuilder.feed``). Essays on one
subject share most of their words, so stemming was a quarter of writing the
pages (3 s of 19 at 300 essays). The search index's language object gets its
``stem`` memoised for its life, one build, before the first page is indexed;
nothing outside that object changes. Snowball stemmers are pure functions of
the word, so the index is the same (Chinese, whose stemmer remembers the Latin
terms it has seen, is left alone).
"""

from __future__ import annotations

import functools

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

# Languages whose stemmer depends on more than the word (Chinese keeps Latin
# terms it has seen unstemmed): their stems are not memoised.
STATEFUL_STEMMERS = frozenset({"zh"})


def memoise_stemmer(lang: SearchLanguage) -> bool:
    """Memoise ``lang.stem`` on this instance (one search index, one build);
    true if it is memoised now."""
    if getattr(lang, "essayist_memoised", False):
        return True
    if lang.lang in STATEFUL_STEMMERS:
        return False
    lang.stem = functools.cache(lang.stem)
    lang.essayist_memoised = True
    return True


def _memoise_stemmer(app: Sphinx, doctree, docname: str) -> None:
    # The search index is made in ``prepare_writing``, after write-started;
    # each page is resolved (this event) before it is indexed.
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None:
        memoise_stemmer(indexer.lang)


def setup_stemming(app: Sphinx) -> None:
    app.connect("doctree-resolved", _memoise_stemmer)
