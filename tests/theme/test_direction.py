"""A paragraph in Arabic or Hebrew reads right to left (``dir="auto"``); every
other paragraph is written as before."""

from __future__ import annotations

from blogtools import build, copy_root
from conftest import soup

POST = """\
---
date: 2026-02-03
---

# Two Scripts

An English paragraph.

قانون جودهارت: عندما يصبح المقياس هدفًا، يتوقف عن كونه مقياسًا جيدًا.

חוק גודהארט, בעברית.

English that quotes שלום once.

- a list item
- פריט ברשימה
"""


def test_right_to_left_paragraphs_get_dir_auto(tmp_path):
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/scripts.md").write_text(POST, encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    article = soup(app.outdir / "posts/2026/scripts.html").find("article")
    directions = {p.get_text(" ", strip=True)[:12]: p.get("dir") for p in article.find_all("p")}
    assert directions["An English p"] is None
    assert directions["قانون جودهار"] == "auto"
    assert directions["חוק גודהארט,"] == "auto"
    # The browser takes the direction from the first strong letter: English.
    assert directions["English that"] == "auto"
    assert directions["a list item"] is None
    assert directions["פריט ברשימה"] == "auto"
