"""Sphinx's own work made cheaper, output unchanged (essayist.speedups)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from blogtools import build, copy_root
from sphinx.search.en import SearchEnglish
from sphinx.search.zh import SearchChinese

from essayist.speedups import ENV_VAR, speedups_wanted
from essayist.speedups.stemming import memoise_stemmer

HERE = Path(__file__).parent.parent  # tests/, where blogtools is

# Registered before the build, so it runs after essayist's handler (LIFO).
SCRIPT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
sys.path.insert(0, {tests!r})
from blogtools import build, copy_root
from pathlib import Path
src = copy_root("minimal", Path({tmp!r}))
app, warnings = build(src, freshenv=True)
assert warnings == "", warnings
print("frozen after build:", gc.get_freeze_count() > 0)
"""


def test_speedups_wanted():
    assert speedups_wanted({})
    assert speedups_wanted({ENV_VAR: "1"})
    for off in ("0", "false", "No", " off "):
        assert not speedups_wanted({ENV_VAR: off})


def test_memoised_stemmer_stems_like_sphinx_once_per_word():
    plain, memo = SearchEnglish({}), SearchEnglish({})
    assert memoise_stemmer(memo) and memoise_stemmer(memo)  # once
    words = ["Running", "runs", "alignment", "aligned", "Goodhart's", "optimisation"]
    assert [memo.stem(w) for w in words * 2] == [plain.stem(w) for w in words * 2]
    info = memo.stem.cache_info()
    assert (info.hits, info.misses) == (len(words), len(words))
    # One cache per search index: another instance, or the class, is untouched.
    assert not hasattr(SearchEnglish({}).stem, "cache_info")


def test_a_stemmer_that_remembers_what_it_saw_is_left_alone():
    lang = SearchChinese({})
    assert not memoise_stemmer(lang)
    assert not hasattr(lang.stem, "cache_info")


@pytest.mark.parametrize("setting", ["1", "0"])
def test_objects_are_frozen_at_exit_and_not_before(tmp_path, setting):
    script = SCRIPT.format(tests=str(HERE), tmp=str(tmp_path))
    env = {**os.environ, ENV_VAR: setting}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["frozen after build: False", f"frozen at exit: {setting == '1'}"]


def test_the_search_index_stems_once_per_build_and_is_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, "1")
    app, warnings = build(copy_root("concepts", tmp_path / "on"), freshenv=True)
    assert warnings == ""
    stem = app.builder.indexer.lang.stem
    assert stem.cache_info().hits > stem.cache_info().misses > 0  # words repeat across pages
    fast = (app.outdir / "searchindex.js").read_bytes()

    # Off, in the same process: nothing of the first build is left behind.
    monkeypatch.setenv(ENV_VAR, "0")
    app, warnings = build(copy_root("concepts", tmp_path / "off"), freshenv=True)
    assert warnings == ""
    assert not hasattr(app.builder.indexer.lang.stem, "cache_info")
    plain = (app.outdir / "searchindex.js").read_bytes()
    assert b"goodhart" in fast.lower()
    assert fast == plain
