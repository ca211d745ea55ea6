"""The benchmark's essay generator is deterministic (benchmarks/generate.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("bench_generate", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules["bench_generate"]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def test_same_seed_same_files(gen, tmp_path):
    concepts = ["Goodhart's Law", "RLHF"]
    for name in ("a", "b"):
        posts = gen.generate_posts(8, seed=7, concepts=concepts)
        gen.write_baseline(tmp_path / name / "baseline", posts)
        for post in posts[:-1]:
            gen._write(tmp_path / name / "site" / post.path, gen.site_source(post))
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert len([k for k in a if k.startswith("site/posts/")]) == 8
    assert a == b
    other = gen.generate_posts(8, seed=8, concepts=concepts)
    assert [p.slug for p in other] != [p.slug for p in gen.generate_posts(8, seed=7)]


def test_essay_shape(gen):
    posts = gen.generate_posts(20, concepts=["Goodhart's Law", "RLHF"])
    essays, spare = posts[:-1], posts[-1]
    assert len({p.slug for p in posts}) == 21
    site = gen.site_source(essays[0])
    assert site.startswith(f"---\ndate: {essays[0].date.isoformat()}\nauthor: Perucy Mussiba\n")
    assert "\n# " in site and "\n## " in site and "[^1]" in "".join(p.body for p in essays)
    words = [len(p.body.split()) for p in essays]
    assert 1100 < sum(words) / len(words) < 1350 and min(words) > 700 and max(words) < 1900
    for post in essays:
        assert "\n\nSee also {doc}`/posts/" in post.body  # the benchmark edits before it
        assert "{concept}`" in post.body
        assert "{concept}" not in gen.baseline_source(post)
        assert spare.docname not in post.body  # the added essay is linked by none
