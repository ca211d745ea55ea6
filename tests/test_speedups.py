"""Sphinx's own work made cheaper, output unchanged (essayist.speedups)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.search import languages
from sphinx.search.en import SearchEnglish

from essayist.speedups import ENV_VAR, memoising, search_language_class, speedups_wanted

HERE = Path(__file__).parent

# Registered before the build, so it runs after essayist's handler (LIFO).
SCRIPT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
sys.path.insert(0, {tests!r})
from blogtools import build, copy_root
from pathlib import Path
import sphinx.search
src = copy_root({root!r}, Path({tmp!r}))
app, warnings = build(src, freshenv=True)
assert warnings == "", warnings
print("frozen after build:", gc.get_freeze_count() > 0)
print("search language:", sphinx.search.languages["en"].__name__)
"""


def test_speedups_wanted():
    assert speedups_wanted({})
    assert speedups_wanted({ENV_VAR: "1"})
    for off in ("0", "false", "No", " off "):
        assert not speedups_wanted({ENV_VAR: off})


def test_search_language_class_follows_sphinx_lookup(monkeypatch):
    # Builds earlier in this process registered the memoised class for "en".
    monkeypatch.setitem(languages, "en", SearchEnglish)
    assert search_language_class("en") == ("en", SearchEnglish)
    key, cls = search_language_class("de_AT")  # a dotted path, imported
    assert (key, cls.__name__) == ("de", "SearchGerman")
    assert search_language_class("xx") is None


def test_memoised_stemmer_stems_like_sphinx_once_per_word():
    cls = memoising("en", SearchEnglish)
    assert issubclass(cls, SearchEnglish) and cls.lang == "en"
    assert memoising("en", cls) is cls
    plain, memo = SearchEnglish({}), cls({})
    words = ["Running", "runs", "alignment", "aligned", "Goodhart's", "optimisation"]
    assert [memo.stem(w) for w in words * 2] == [plain.stem(w) for w in words * 2]
    info = memo.stem.cache_info()
    assert (info.hits, info.misses) == (len(words), len(words))
    # One cache per search index, not per process.
    assert cls({}).stem.cache_info().currsize == 0


def run_build(tmp_path: Path, setting: str, root: str = "minimal") -> tuple[list[str], bytes]:
    script = SCRIPT.format(tests=str(HERE), tmp=str(tmp_path), root=root)
    env = {**os.environ, ENV_VAR: setting}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    index = (tmp_path / "src" / "_build" / "html" / "searchindex.js").read_bytes()
    return out, index


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("1", ["frozen after build: False", "search language: MemoisedSearchEnglish"]),
        ("0", ["frozen after build: False", "search language: SearchEnglish"]),
    ],
)
def test_speedups_on_and_off(tmp_path, setting, expected):
    out, _ = run_build(tmp_path, setting)
    assert out == [*expected, f"frozen at exit: {setting == '1'}"]


def test_search_index_is_the_same_with_the_memoised_stemmer(tmp_path):
    _, fast = run_build(tmp_path / "on", "1", "concepts")
    _, plain = run_build(tmp_path / "off", "0", "concepts")
    assert b"goodhart" in fast.lower()
    assert fast == plain
