"""A page's title as text: its heading without citation and footnote marks.

``# Goodhart revisited {cite}`manheim2018``` shows the heading with a linked
``[1]`` on the page. But Sphinx keeps the title's text with the citation key
in it, and ABlog adds footnote numbers too ("Goodhart revisited manheim2018",
"Notes1"). That text names the page in ``<title>``, the navigation, the search
results, feeds, link previews and social cards. Once both have read a
document, the titles they keep lose those marks; the heading on the page keeps
them.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from .adapter import post_records

# sphinxcontrib-bibtex's roles: ``{cite}`` and its variants, ``{footcite}``.
_CITE_DOMAINS = frozenset({"cite", "footcite"})
_MARKS = (nodes.footnote_reference, nodes.citation_reference)


def _is_mark(node: nodes.Node) -> bool:
    if isinstance(node, _MARKS):
        return True
    if isinstance(node, addnodes.pending_xref):
        return node.get("refdomain") in _CITE_DOMAINS
    # In the copies Sphinx keeps, a citation is the inline its role made.
    classes = node.get("classes", ()) if isinstance(node, nodes.Element) else ()
    return "xref" in classes and not _CITE_DOMAINS.isdisjoint(classes)


def drop_marks(title: nodes.Element) -> bool:
    """Remove citation and footnote marks from ``title`` (in place); whether
    there were any."""
    marks = [n for n in title.findall(include_self=False) if _is_mark(n)]
    for mark in marks:
        mark.parent.remove(mark)
    # The space written before a mark (or before one Sphinx's copy left out)
    # would end the title.
    last = title.children[-1] if title.children else None
    if isinstance(last, nodes.Text) and last != last.rstrip():
        title.replace(last, nodes.Text(last.rstrip()))
    return bool(marks)


def title_text(title: nodes.Element) -> str:
    """``title``'s text without its marks, on one line."""
    copy = title.deepcopy()
    drop_marks(copy)
    return " ".join(copy.astext().split())


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    for kept in (env.titles.get(docname), env.longtitles.get(docname)):
        if kept is not None:
            drop_marks(kept)
    heading = next(doctree.findall(nodes.title), None)
    if heading is None or not any(_is_mark(n) for n in heading.findall()):
        return
    raw, text = heading.astext(), title_text(heading)
    labels = env.domains.standard_domain.labels
    for record in post_records(env, docname):
        if record.get("title") == raw:
            record["title"] = text
    # ABlog's label for the post (its title, slugified) shows the title too.
    for label, (doc, labelid, *title) in list(labels.items()):
        if doc == docname and title == [raw]:
            labels[label] = (doc, labelid, text)


def setup_titles(app: Sphinx) -> None:
    # After the title collector and ABlog (priority 500) have kept the title.
    app.connect("doctree-read", _doctree_read, priority=600)
