"""An essay's footnotes come right after its text, before the concepts and the
related essays it shares with others."""

from __future__ import annotations

from pathlib import Path

from blogtools import build, copy_root
from bs4 import BeautifulSoup


def test_footnotes_come_before_concepts_and_related_essays(tmp_path):
    src = copy_root("concepts", tmp_path)
    post = src / "posts/2026/first.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA claim.[^a]\n\n[^a]: The note.\n")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    page = BeautifulSoup(
        (Path(app.outdir) / "posts/2026/first.html").read_text(encoding="utf-8"), "html.parser"
    )
    order = [
        el["class"][0]
        for el in page.select("article aside.footnote-list, article .post-concepts, "
                              "article .post-related, article .post-foot")
    ]  # fmt: skip
    assert order == ["footnote-list", "post-concepts", "post-related", "post-foot"]
    # The text before its notes: the last paragraph of the essay precedes the list.
    notes = page.select_one("aside.footnote-list")
    assert notes.find_previous("p").get_text(strip=True).startswith("A claim.")
