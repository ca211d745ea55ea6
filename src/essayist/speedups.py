"""Two costs of Sphinx's own work, cut for this blog.

Neither changes a byte of output, and plain Sphinx pays both; the benchmark
turns them off (``ESSAYIST_SPEEDUPS=0``) to show what the blog's own features
cost, like for like.

**Stemming, once per build.** Sphinx's search index stems every word of every
page, memoising only within a page (``IndexBuilder.feed``). Essays on one
subject share most of their words, so stemming was a quarter of writing the
pages (3 s of 19 at 300 essays). The search index's language object gets its
``stem`` memoised for its life, one build, before the first page is indexed;
nothing outside that object changes. Snowball stemmers are pure functions of
the word, so the index is the same (Chinese, whose stemmer remembers the Latin
terms it has seen, is left alone).

**Exit, without collecting.** When Python exits, it collects and frees every
object the build left behind: the environment, every cached doctree, the search
index. For this blog that takes 0.3 s at 100 essays and 0.9 s at 1,000 — on a
rebuild where nothing changed, a third of the time an author waits. At exit,
and only then, the objects still alive are moved out of the garbage
collector's reach (``gc.freeze()``): the operating system takes the memory back
at once. Open files are still flushed and closed (Sphinx closes its own;
logging's exit handler runs after this one), and nothing changes while the
process runs, so Sphinx used as a library (the tests) is unaffected.
"""

from __future__ import annotations

import atexit
import functools
import gc
import os

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

ENV_VAR = "ESSAYIST_SPEEDUPS"


def speedups_wanted(environ: dict[str, str]) -> bool:
    return environ.get(ENV_VAR, "1").strip().lower() not in ("0", "false", "no", "off")


# -- Stemming once per build ------------------------------------------------

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


# -- Exit without collecting -------------------------------------------------


def _freeze_at_exit() -> None:
    gc.freeze()


def setup_speedups(app: Sphinx) -> None:
    # atexit runs handlers last-registered first: logging's, registered when
    # it was imported, still runs after this one. Registered once per process.
    atexit.unregister(_freeze_at_exit)
    if speedups_wanted(os.environ):
        atexit.register(_freeze_at_exit)
        app.connect("doctree-resolved", _memoise_stemmer)
