"""essayist.incremental: the views registry, state files, per-document data."""

from __future__ import annotations

from types import SimpleNamespace

from blogtools import build, copy_root

from essayist.incremental.pages import compare_views
from essayist.incremental.state import DocData, StateFile, digest


def test_a_view_seen_first_rewrites_nothing():
    stored: dict = {}
    assert compare_views(stored, {"v": {"a": 1, "b": 2}}) == (set(), False)
    assert stored == {"v": {"a": digest(1), "b": digest(2)}}


def test_a_changed_signature_rewrites_that_page_only():
    stored: dict = {}
    compare_views(stored, {"v": {"a": 1, "b": 2}, "w": {"a": 0}})
    assert compare_views(stored, {"v": {"a": 1, "b": 3}, "w": {"a": 0}}) == ({"b"}, False)
    # A page new to a view is rewritten; a page gone from it is not asked for.
    assert compare_views(stored, {"v": {"a": 1, "c": 1}, "w": {"a": 0}}) == ({"c"}, False)


def test_what_every_page_shows_rewrites_every_page():
    stored: dict = {}
    compare_views(stored, {"v": {"": ("nav", 1), "a": 1}})
    assert compare_views(stored, {"v": {"": ("nav", 2), "a": 1}}) == (set(), True)


def test_an_unchanged_view_keeps_its_digests():
    stored: dict = {}
    compare_views(stored, {"v": {"a": 1}})
    before = dict(stored["v"])
    assert compare_views(stored, {"v": None}) == (set(), False)
    assert stored["v"] == before


def test_state_file_round_trip_and_no_rewrite_when_unchanged(tmp_path):
    app = SimpleNamespace(doctreedir=tmp_path)
    state = StateFile(app, "probe")
    assert state.load({"default": True}) == {"default": True}
    state.save({"b": 1, "a": [1, 2]})
    assert state.path == tmp_path / "essayist-probe.json"
    assert state.load() == {"a": [1, 2], "b": 1}
    stamp = state.path.stat().st_mtime_ns
    state.save({"a": [1, 2], "b": 1})
    assert state.path.stat().st_mtime_ns == stamp
    state.path.write_text("{not json", encoding="utf-8")
    assert state.load([]) == []
    assert not list(tmp_path.glob("*.tmp"))


def test_doc_data_is_cleared_and_merged_per_document():
    domain = DocData.__new__(DocData)
    domain.data = {"docs": {"f": {"a": 1, "b": 2}, "g": {"a": 3}}}
    domain.clear_doc("a")
    assert domain.data["docs"] == {"f": {"b": 2}, "g": {}}
    domain.merge_domaindata(["c"], {"docs": {"f": {"c": 4, "d": 5}, "h": {"c": 6}}})
    assert domain.data["docs"] == {"f": {"b": 2, "c": 4}, "g": {}, "h": {"c": 6}}


def test_the_feed_of_a_tag_no_post_has_any_more_is_removed(tmp_path):
    src = copy_root("blog", tmp_path)
    out = tmp_path / "out"
    app, warnings = build(src, out)
    assert warnings == ""
    gamma = app.outdir / "posts/tag/gamma-delta/atom.xml"
    assert gamma.is_file()
    third = src / "posts/2026/third.md"
    third.write_text(third.read_text().replace('tags: alpha, "Gamma & Delta"', "tags: alpha"))
    app, warnings = build(src, out)
    assert warnings == ""
    assert not gamma.exists()
    assert (app.outdir / "posts/tag/alpha/atom.xml").is_file()


def test_a_posts_excerpt_is_digested_once_as_it_is_read(tmp_path):
    """What listings show of a post is compared on every build; its excerpt's
    digest is worked out when the post is read, and kept with ABlog's record."""
    from essayist.blog.adapter import get_blog
    from essayist.incremental.outputs import (
        EXCERPT_DIGEST,
        excerpt_signature,
        post_signature,
    )

    src = copy_root("blog", tmp_path)
    app, warnings = build(src, tmp_path / "out")
    assert warnings == ""
    records = [r for rs in app.env.ablog_posts.values() for r in rs]
    assert records and all(r[EXCERPT_DIGEST] == excerpt_signature(r["excerpt"]) for r in records)
    post = next(iter(get_blog(app).posts))
    assert post_signature(post)[-1] == excerpt_signature(post.excerpt)


def test_an_unchanged_archive_page_named_in_any_script_is_not_written_again(tmp_path):
    """A tag page named 日本語 is kept like any other: its file is found by
    its name, not by its %-escaped address (it was written on every build)."""
    src = copy_root("blog", tmp_path)
    third = src / "posts/2026/third.md"
    third.write_text(
        third.read_text().replace('tags: alpha, "Gamma & Delta"', "tags: alpha, 日本語")
    )
    out = tmp_path / "out"
    app, warnings = build(src, out)
    assert warnings == ""
    (page,) = [p for p in (app.outdir / "posts/tag").glob("*.html") if not p.stem.isascii()]
    before = page.stat().st_mtime_ns
    app, warnings = build(src, out)
    assert warnings == "" and page.stat().st_mtime_ns == before


def test_a_feed_entry_follows_the_files_its_post_shows(tmp_path):
    """A post's feed entry was kept while its text was the same: the image its
    first build missed kept a broken address in every feed, and an edited
    ``{literalinclude}`` its old text, after builds a clean one disagreed with."""
    from pathlib import Path

    src = copy_root("minimal", tmp_path)
    post = src / "posts/2026/chart.md"
    post.write_text(
        "---\ndate: 2026-04-01\n---\n\n# A chart\n\nThe first paragraph.\n\n"
        "![The reward curve](chart.png)\n\n```{literalinclude} numbers.txt\n```\n"
    )
    (src / "posts/2026/numbers.txt").write_text("VERSIONONE\n")
    out = tmp_path / "out"
    _, warnings = build(src, out)
    assert "chart.png" in warnings  # not there yet
    (src / "posts/2026/chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (src / "posts/2026/numbers.txt").write_text("VERSIONTWO\n")
    app, warnings = build(src, out)
    assert warnings == ""
    feed = (Path(app.outdir) / "posts/atom.xml").read_text(encoding="utf-8")
    clean, _ = build(src, tmp_path / "clean", freshenv=True)
    assert feed == (Path(clean.outdir) / "posts/atom.xml").read_text(encoding="utf-8")
    assert "_images/chart.png" in feed
    assert "VERSIONTWO" in feed and "VERSIONONE" not in feed
