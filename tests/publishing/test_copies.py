"""A card in the output is its cached file, linked, and never written through."""

from __future__ import annotations

import os
from types import SimpleNamespace

from essayist.incremental.state import StateFile
from essayist.publishing.copies import CopyRecord


def record(tmp_path) -> CopyRecord:
    return CopyRecord(StateFile(SimpleNamespace(doctreedir=tmp_path / "doctrees"), "copied"))


def test_a_copy_is_a_link_to_the_cache_and_replacing_it_leaves_the_cache_alone(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    cache.mkdir()
    (cache / "a.png").write_bytes(b"card A")
    (cache / "b.png").write_bytes(b"card B, longer")
    target = out / "_cards/posts/x.png"
    copies = record(tmp_path)
    assert copies.copy(cache / "a.png", target, "a")
    assert target.stat().st_ino == (cache / "a.png").stat().st_ino
    assert not copies.copy(cache / "a.png", target, "a")  # the same: left alone
    # The post's card changes: the output follows, the old cached card keeps its bytes.
    assert copies.copy(cache / "b.png", target, "b")
    assert target.read_bytes() == b"card B, longer"
    assert (cache / "a.png").read_bytes() == b"card A"
    assert target.stat().st_ino == (cache / "b.png").stat().st_ino
    # A copy changed by hand (its own file now) is put right from the cache.
    target.unlink()
    target.write_bytes(b"card X, longer")
    assert copies.copy(cache / "b.png", target, "b")
    assert target.read_bytes() == b"card B, longer"


def test_without_hard_links_the_bytes_are_copied(tmp_path, monkeypatch):
    def no_links(source, target):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    cache, target = tmp_path / "cache", tmp_path / "out/x.png"
    cache.mkdir()
    (cache / "a.png").write_bytes(b"card A")
    (cache / "b.png").write_bytes(b"card B")
    copies = record(tmp_path)
    assert copies.copy(cache / "a.png", target, "a")
    assert copies.copy(cache / "b.png", target, "b")
    assert target.read_bytes() == b"card B"
    assert target.stat().st_ino != (cache / "b.png").stat().st_ino
    assert (cache / "a.png").read_bytes() == b"card A"
