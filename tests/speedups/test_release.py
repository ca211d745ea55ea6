"""A page's doctree is let go as soon as the page is written (essayist.release)."""

from __future__ import annotations

import gc

from blogtools import build, copy_root, output_files
from docutils import nodes

from essayist.speedups import release
from essayist.speedups.release import untie


def test_untie_cuts_every_link():
    doc = nodes.document(None, None)
    section = nodes.section()
    para = nodes.paragraph(text="Some text.")
    section += para
    doc += section
    assert untie(doc) == 4  # document, section, paragraph, text
    assert doc.children == [] and section.children == [] and para.children == []
    assert section.parent is None and para.parent is None


def test_written_doctrees_are_freed_without_a_full_collection(tmp_path, monkeypatch):
    """The same site, and no page's doctree left for the garbage collector."""
    src = copy_root("concepts", tmp_path)
    app, warnings = build(src, tmp_path / "plain", freshenv=True)
    assert warnings == ""
    expected = output_files(app.outdir)

    seen = []
    original = release._page_context

    def watching(app, pagename, templatename, context, doctree):
        original(app, pagename, templatename, context, doctree)
        if doctree is not None:
            seen.append(doctree)

    monkeypatch.setattr(release, "_page_context", watching)
    gc.disable()
    try:
        app, warnings = build(src, tmp_path / "released", freshenv=True)
    finally:
        gc.enable()
    assert warnings == ""
    assert output_files(app.outdir) == expected
    assert len(seen) >= 5
    assert all(not tree.children for tree in seen)
