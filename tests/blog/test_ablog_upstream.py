"""ABlog's defects that essayist works around are still there.

Each test names the workaround in ``essayist.blog.adapter`` it justifies. When
one fails, ABlog changed: check whether the workaround can go.
"""

from __future__ import annotations

import importlib.metadata
import inspect
from pathlib import Path

import ablog
import ablog.post
import pytest
from ablog.blog import Blog, revise_pending_xrefs
from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes

from essayist.blog import adapter


def test_ablog_is_the_pinned_version():
    assert importlib.metadata.version("ablog") == "0.11.13"


def test_ablog_page_template_extends_layout_html():
    # Why adapter._config_inited skips ABlog's templates before Furo's.
    page = Path(ablog.get_html_templates_path()) / "page.html"
    assert 'extends "layout.html"' in page.read_text(encoding="utf-8")


def test_ablog_is_still_unsafe_for_parallel_reading():
    # sunpy/ablog#264: adapter._merge_info merges its records and flips the flag.
    assert '"parallel_read_safe": False' in inspect.getsource(ablog.setup)


@pytest.mark.sphinx("html", testroot="minimal", freshenv=True)
def test_ablog_still_rewrites_no_page_on_incremental_builds(app):
    # sunpy/ablog#316: blog.freshness declares the post lists' views.
    handlers = [listener.handler for listener in app.events.listeners["env-get-updated"]]
    assert not [h for h in handlers if h.__module__.startswith("ablog")]


def test_ablog_still_connects_its_own_generators():
    # The adapter disconnects these: essayist's archives and feeds replace them.
    source = inspect.getsource(ablog.setup)
    assert "generate_archive_pages" in source and "generate_atom_feeds" in source


@pytest.mark.sphinx("html", testroot="minimal", freshenv=True)
def test_essayist_disconnects_them(app):
    assert list(adapter.ablog_generators(app)) == []


def test_ablog_still_copies_the_whole_document_of_a_post():
    # adapter._skip_whole_copy: the copy is stored in the record and unused.
    assert ".deepcopy()" in inspect.getsource(ablog.post.process_posts)


def test_ablog_still_breaks_relative_doc_links_in_excerpts():
    # adapter.absolutize_doc_targets: ABlog points a fragment's references at
    # the page that shows it, so a relative {doc} target resolves from there.
    def excerpt() -> tuple[nodes.document, addnodes.pending_xref]:
        doctree = new_document("")
        ref = addnodes.pending_xref(refdomain="std", reftype="doc", reftarget="other")
        ref["refdoc"] = "posts/2026/a"
        doctree += nodes.paragraph("", "", ref)
        return doctree, ref

    doctree, ref = excerpt()
    revise_pending_xrefs(doctree, "index")
    assert (ref["refdoc"], ref["reftarget"]) == ("index", "other")  # would resolve to /other
    doctree, ref = excerpt()
    adapter.absolutize_doc_targets(doctree, "posts/2026/a")
    revise_pending_xrefs(doctree, "index")
    assert ref["reftarget"] == "/posts/2026/other"


def test_ablog_still_keeps_posts_in_a_process_wide_singleton():
    # adapter.reset_blog clears it for every new application.
    assert isinstance(Blog._dict, dict)
    assert Blog.__init__.__code__.co_names.count("_dict") >= 1
