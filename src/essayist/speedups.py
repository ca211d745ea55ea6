"""Two costs of Sphinx's own work, cut for this blog.

Neither changes a byte of output, and plain Sphinx pays both; the benchmark
turns them off (``ESSAYIST_SPEEDUPS=0``) to show what the blog's own features
cost, like for like.

**Stemming, once per build.** Sphinx's search index stems every word of every
page, memoising only within a page (``IndexBuilder.feed``). Essays on one
subject share most of their words, so stemming was a quarter of writing the
pages (3 s of 19 at 300 essays). The site's search language is registered
again (``app.add_search_language``, Sphinx's API) as a subclass whose
``stem`` is memoised for the life of the index, one build. The stemmer is a
pure function of the word, so the index is the same.

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
from importlib import import_module

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage, languages

ENV_VAR = "ESSAYIST_SPEEDUPS"


def speedups_wanted(environ: dict[str, str]) -> bool:
    return environ.get(ENV_VAR, "1").strip().lower() not in ("0", "false", "no", "off")


# -- Stemming once per build ------------------------------------------------


def search_language_class(lang: str) -> tuple[str, type[SearchLanguage]] | None:
    """The key and class Sphinx's search index uses for ``lang``
    (``IndexBuilder.__init__``'s lookup), or None if it falls back."""
    key = lang if lang in languages else lang.partition("_")[0]
    found = languages.get(key)
    if found is None:
        return None
    if isinstance(found, str):
        module, name = found.rsplit(".", 1)
        found = getattr(import_module(module), name)
    return key, found


def memoising(key: str, cls: type[SearchLanguage]) -> type[SearchLanguage]:
    """``cls`` with ``stem`` memoised per instance (per search index)."""
    if getattr(cls, "essayist_memoised", False):
        return cls

    def init(self, options: dict) -> None:
        cls.__init__(self, options)
        self.stem = functools.cache(self.stem)

    return type(
        f"Memoised{cls.__name__}",
        (cls,),
        {"__init__": init, "lang": key, "essayist_memoised": True, "__module__": __name__},
    )


def _memoise_stemmer(app: Sphinx) -> None:
    if not getattr(app.builder, "search", False):
        return
    found = search_language_class(app.config.html_search_language or app.config.language)
    if found is not None and not getattr(found[1], "essayist_memoised", False):
        app.add_search_language(memoising(*found))


# -- Exit without collecting -------------------------------------------------


def _freeze_at_exit() -> None:
    gc.freeze()


def setup_speedups(app: Sphinx) -> None:
    # atexit runs handlers last-registered first: logging's, registered when
    # it was imported, still runs after this one. Registered once per process.
    atexit.unregister(_freeze_at_exit)
    if speedups_wanted(os.environ):
        atexit.register(_freeze_at_exit)
        app.connect("builder-inited", _memoise_stemmer)
