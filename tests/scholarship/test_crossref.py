"""A work that names its container with ``crossref`` (as DBLP and ACM export
papers) is listed with the container's fields, as BibTeX lists it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from blogtools import bibtex_root, build
from conftest import soup
from pybtex.database import parse_string

from essayist.scholarship.crossref import resolve_crossrefs

BIB = r"""
@inproceedings{paper2020,
  author = {Ann Author},
  title = {A Paper in Proceedings},
  pages = {1--10},
  crossref = {conf2020}
}

@proceedings{conf2020,
  editor = {Ed Itor},
  booktitle = {Proceedings of the Test Conference},
  title = {Proceedings of the Test Conference},
  publisher = {Test Press},
  year = {2020}
}

@incollection{chapter2019,
  author = {Bea Writer},
  title = {A Chapter},
  year = {2019},
  crossref = {BOOK2019}
}

@book{book2019,
  title = {The Book of Chapters},
  publisher = {Book House},
  year = {2018},
  crossref = {series2019}
}

@misc{series2019,
  note = {A series note},
  crossref = {book2019}
}

@article{orphan2021,
  author = {Cy Lone},
  title = {An Orphan},
  journal = {J. Tests},
  year = {2021},
  crossref = {nowhere2021}
}
"""


def test_an_entry_takes_what_it_lacks_from_its_container():
    entries = parse_string(BIB, "bibtex").entries
    missing = resolve_crossrefs(entries)
    assert missing == [("orphan2021", "nowhere2021")]
    paper = entries["paper2020"]
    assert paper.fields["booktitle"] == "Proceedings of the Test Conference"
    assert (paper.fields["year"], paper.fields["publisher"]) == ("2020", "Test Press")
    assert paper.fields["title"] == "A Paper in Proceedings"  # its own stays
    assert [str(p) for p in paper.persons["editor"]] == ["Itor, Ed"]
    chapter = entries["chapter2019"]
    # Its own year wins; the book's title is its booktitle; the key in any case;
    # the container's container too, and a cycle ends.
    assert chapter.fields["year"] == "2019"
    assert chapter.fields["booktitle"] == "The Book of Chapters"
    assert chapter.fields["note"] == "A series note"
    assert "booktitle" not in entries["book2019"].fields  # a book is no container's part
    # Resolving twice changes nothing.
    before = {k: dict(e.fields) for k, e in entries.items()}
    assert resolve_crossrefs(entries) == missing
    assert {k: dict(e.fields) for k, e in entries.items()} == before


POST = """\
---
date: 2026-02-03
---

# Papers

Cited {cite}`paper2020`, {cite}`chapter2019` and {cite}`orphan2021`.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src = bibtex_root(tmp_path_factory.mktemp("crossref"), BIB, {"papers.md": POST})
    app, warnings = build(src, freshenv=True)
    return src, Path(app.outdir), warnings


def test_the_reference_list_shows_the_container(built):
    src, out, warnings = built
    page = soup(out / "posts/2026/papers.html")
    assert page.find("div", id="ref-paper2020").p.get_text() == (
        "Ann Author. A paper in proceedings. In Ed\xa0Itor, editor, Proceedings of the Test "
        "Conference, 1–10. Test Press, 2020."
    )
    assert page.find("div", id="ref-chapter2019").p.get_text() == (
        "Bea Writer. A chapter. In The Book of Chapters. Book House, 2019."
    )
    preview = json.loads((out / "_previews/references/paper2020.json").read_text("utf-8"))
    assert (preview["date"], preview["text"]) == (
        "2020",
        "In Proceedings of the Test Conference · Test Press",
    )


def test_a_crossref_to_no_entry_is_a_located_warning(built):
    src, out, warnings = built
    line = (src / "references.bib").read_text().splitlines().index("@article{orphan2021,") + 1
    assert warnings.splitlines() == [
        f"{src / 'references.bib'}:{line}: WARNING: the work 'orphan2021' names "
        "'nowhere2021' as its crossref, and no entry has that key: add the container's "
        "entry, or correct the key [essayist.citation]"
    ]
