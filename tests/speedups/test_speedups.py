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


def test_memoised_stemmer_stems_like_sphinx_once_per_word(monkeypatch):
    from essayist.speedups import stemming

    monkeypatch.setattr(stemming, "STEMS", {})
    plain, memo = SearchEnglish({}), SearchEnglish({})
    assert memoise_stemmer(memo) and memoise_stemmer(memo)  # once
    words = ["Running", "runs", "alignment", "aligned", "Goodhart's", "optimisation"]
    assert [memo.stem(w) for w in words * 2] == [plain.stem(w) for w in words * 2]
    info = memo.stem.cache_info()
    assert (info.hits, info.misses) == (len(words), len(words))
    # Memoised per search index: another instance, or the class, is untouched;
    # the stems are the process's: a later index finds them.
    assert not hasattr(SearchEnglish({}).stem, "cache_info")
    later = SearchEnglish({})
    memoise_stemmer(later)
    assert [later.stem(w) for w in words] == [plain.stem(w) for w in words]
    assert (later.stem.cache_info().hits, later.stem.cache_info().misses) == (len(words), 0)
    # What a warm preview's worker found reaches its builder.
    counts = stemming.stem_counts()
    later.stem("interpretability")
    found = stemming.new_stems(counts)
    assert found == {stemming.language_key(later): {"interpretability": "interpret"}}
    monkeypatch.setattr(stemming, "STEMS", {})
    stemming.add_stems(found)
    assert found == stemming.STEMS


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
    from essayist.speedups import stemming

    monkeypatch.setattr(stemming, "STEMS", {})
    monkeypatch.setenv(ENV_VAR, "1")
    app, warnings = build(copy_root("concepts", tmp_path / "on"), freshenv=True)
    assert warnings == ""
    stem = app.builder.indexer.lang.stem
    assert stem.cache_info().hits > stem.cache_info().misses > 0  # words repeat across pages
    assert "_word_collector" in vars(app.builder.indexer)  # each page's words once each
    fast = (app.outdir / "searchindex.js").read_bytes()

    # Off, in the same process: nothing of the first build is left behind.
    monkeypatch.setenv(ENV_VAR, "0")
    app, warnings = build(copy_root("concepts", tmp_path / "off"), freshenv=True)
    assert warnings == ""
    assert not hasattr(app.builder.indexer.lang.stem, "cache_info")
    assert "_word_collector" not in vars(app.builder.indexer)
    plain = (app.outdir / "searchindex.js").read_bytes()
    assert b"goodhart" in fast.lower()
    assert fast == plain


def test_a_pages_words_reach_the_index_once_each_in_order_of_first_use():
    from types import SimpleNamespace

    from essayist.speedups.stemming import words_once

    class Indexer:
        def _word_collector(self, doctree):
            return SimpleNamespace(words=["b", "a", "b", "c", "a"], title_words=["t", "t", "u"])

    indexer = Indexer()
    assert words_once(indexer) is True
    store = indexer._word_collector(None)
    assert (store.words, store.title_words) == (["b", "a", "c"], ["t", "u"])
    assert words_once(indexer) is True  # once per index
    assert words_once(SimpleNamespace()) is False  # a Sphinx without it keeps its way


def test_docutils_settings_are_made_once_per_build_and_the_same(tmp_path, monkeypatch):
    """Each document still gets settings of its own (a new ``Values``, a new
    dependency list), with the values Sphinx's own ``_get_settings`` gives; the
    option parser behind them is made once per build, not once per document."""
    import sphinx.util.docutils as sphinx_docutils
    from docutils import frontend
    from docutils.readers import standalone
    from myst_parser.parsers.sphinx_ import MystParser

    monkeypatch.setenv(ENV_VAR, "1")
    made = []

    counting = type("Counting", (frontend.OptionParser,), {})
    original_init = frontend.OptionParser.__init__

    def init(self, *args, **kwargs):
        made.append(kwargs.get("components") or args[:1])
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(counting, "__init__", init)
    monkeypatch.setattr(frontend, "OptionParser", counting)
    app, warnings = build(copy_root("concepts", tmp_path / "on"), freshenv=True)
    assert warnings == ""
    documents = len(app.env.all_docs)
    assert documents > 3
    assert len(made) <= 3  # Sphinx's (once per build) and MyST's: not one per document

    get = sphinx_docutils._get_settings
    assert get.essayist_original is not None
    defaults = {"traceback": True, **app.env.settings}
    components = (standalone.Reader, MystParser)
    first = get(*components, defaults=defaults, read_config_files=True)
    second = get(*components, defaults=defaults, read_config_files=True)
    plain = get.essayist_original(*components, defaults=defaults, read_config_files=True)
    assert first is not second
    assert first.record_dependencies is not second.record_dependencies
    as_dict = {k: v for k, v in vars(first).items() if k != "record_dependencies"}
    assert as_dict == {k: v for k, v in vars(plain).items() if k != "record_dependencies"}
    fast = {p.relative_to(app.outdir): p.read_bytes() for p in app.outdir.rglob("*") if p.is_file()}

    # Off, in the same process: Sphinx's own function answers.
    monkeypatch.setenv(ENV_VAR, "0")
    made.clear()
    app, warnings = build(copy_root("concepts", tmp_path / "off"), freshenv=True)
    assert warnings == ""
    assert len(made) >= len(app.env.all_docs)
    slow = {p.relative_to(app.outdir): p.read_bytes() for p in app.outdir.rglob("*") if p.is_file()}
    assert fast.keys() == slow.keys()
    assert [k for k in fast if fast[k] != slow[k]] == []


def test_page_addresses_are_memoised_for_html_builders_only(tmp_path, monkeypatch):
    from essayist.speedups.targets import memoise_target_uri

    monkeypatch.setenv(ENV_VAR, "1")
    app, warnings = build(copy_root("minimal", tmp_path / "html"), freshenv=True)
    assert warnings == ""
    uri = app.builder.get_target_uri
    assert hasattr(uri, "cache_info") and uri.cache_info().hits > 0
    assert uri("posts/2026/ok") == "posts/2026/ok.html"
    assert hasattr(app.builder.get_output_path, "cache_info")
    # A document's source path, kept until the documents are found again.
    project = app.project
    assert project.doc2path("posts/2026/ok", True) is project.doc2path("posts/2026/ok", True)
    first = project.doc2path("posts/2026/ok", True)
    project.discover()
    assert project.doc2path("posts/2026/ok", True) is not first
    assert project.doc2path("posts/2026/ok", True) == first
    # Each asset's checksum, once per build, as Sphinx's own gives it.
    import sphinx.builders.html as html_builder

    from essayist.speedups import targets

    checksum = html_builder._file_checksum
    assert checksum.essayist_original is not None
    assert len(targets._checksums) >= 3  # Furo's stylesheets and scripts at least
    for (outdir, name), value in targets._checksums.items():
        assert value == checksum.essayist_original(Path(outdir), name)
    page = (app.outdir / "posts/2026/ok.html").read_text()
    assert "furo.css?v=" in page
    with pytest.raises(Exception, match="query strings"):
        checksum(app.outdir, "_static/x.css?v=1")

    # Asked ahead (the warm preview's parent): every document's answers kept.
    from essayist.speedups.targets import ask_ahead

    app.builder.get_output_path.cache_clear()
    ask_ahead(app.builder, app.env.found_docs)
    assert app.builder.get_output_path.cache_info().currsize == len(app.env.found_docs)
    assert app.builder.get_target_uri.cache_info().currsize >= len(app.env.found_docs)

    class Own:  # a builder with its own answer (singlehtml's, say) is left alone
        def get_target_uri(self, docname, typ=None):
            return "#" + docname

    own = Own()
    assert memoise_target_uri(own) is False
    assert "get_target_uri" not in vars(own)


def test_the_collector_is_given_everything_back_after_a_build(tmp_path, monkeypatch):
    """During a build what was loaded before it is frozen and young objects are
    collected less often; after it, the collector is as it was."""
    import gc

    from essayist.speedups import collector

    monkeypatch.setenv(ENV_VAR, "1")
    before = gc.get_threshold(), gc.isenabled()
    seen = {}
    finished = collector._finished

    def recorded(app, exception):
        seen.update(frozen=gc.get_freeze_count(), threshold=gc.get_threshold())
        seen["enabled"] = gc.isenabled()
        finished(app, exception)

    monkeypatch.setattr(collector, "_finished", recorded)
    app, warnings = build(copy_root("minimal", tmp_path), freshenv=True)
    assert warnings == ""
    assert seen["frozen"] > 0 and seen["enabled"]
    assert seen["threshold"] == collector.BUILD_THRESHOLDS
    assert (gc.get_threshold(), gc.isenabled()) == before
    assert gc.get_freeze_count() == 0


def test_a_process_that_leaves_its_garbage_to_the_exit_has_no_collection_after_its_build():
    """A warm preview's worker turns the collector off for the rest of its
    build and after it (``restore`` leaves it off); turned on again, the
    collector is restored as it was before the build."""
    import gc

    from essayist.speedups import collector

    before = gc.get_threshold(), gc.isenabled()
    try:
        collector._hold()
        collector._loaded(None)
        collector.leave_to_exit()
        assert not gc.isenabled()
        collector.restore()
        assert not gc.isenabled() and gc.get_freeze_count() == 0
        collector._hold()
        collector._loaded(None)
        collector.leave_to_exit()
        collector.leave_to_exit(False)
        assert gc.isenabled()
        collector.restore()
        assert (gc.get_threshold(), gc.isenabled()) == before
    finally:
        gc.unfreeze()
        gc.enable()
