"""A table Furo wraps (for scrolling on phones) keeps its id once: Furo copies
every attribute of the table to its wrapper, ids too (theme.furo)."""

from __future__ import annotations

from collections import Counter

from blogtools import build, copy_root
from conftest import soup

POST = """\
---
date: 2026-02-03
---

# Tables

```{list-table} Comparison of methods
:name: methods
* - A
  - B
* - 1
  - 2
```

| plain | table |
|-------|-------|
| x     | y     |

See {ref}`the comparison <methods>`.
"""


def test_a_wrapped_table_has_its_id_once(tmp_path):
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/tables.md").write_text(POST, encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    page = soup(app.outdir / "posts/2026/tables.html")
    ids = Counter(el["id"] for el in page.find_all(id=True))
    assert [i for i, n in ids.items() if n > 1] == []
    wrappers = page.select("div.table-wrapper")
    assert len(wrappers) == 2 and not any(w.get("id") for w in wrappers)
    assert wrappers[0].find("table")["id"] == "methods"
    links = [a.get_text() for a in page.select('a[href="#methods"]')]
    assert "the comparison" in links
