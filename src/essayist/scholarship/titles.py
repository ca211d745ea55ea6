"""A title as text: its heading's words, without citation and footnote marks
or raw HTML, and its formulas as text.

``# Goodhart revisited {cite}`manheim2018``` shows the heading with a linked
``[1]`` on its page. But Sphinx keeps the title's text with the key in it and
ABlog adds footnote numbers ("Goodhart revisited manheim2018", "Notes1"), and
``# Why $\\beta$ matters`` was "Why \\beta matters": that text names the page in
``<title>``, the navigation, the page's contents, search results, feeds, link
previews, social cards and ``{ref}`` links. Once Sphinx and ABlog have read a
document, the titles they keep (the page's, its sections', ABlog's record and
labels, the search index's) lose the marks, a textual citation
(``{cite:t}``) becomes the authors' names it shows (as excerpts are made plain:
``citations.plain_citations``), and a formula becomes its text
(``content.mathplain``: "Why β matters"). The headings on the page keep
everything. A title that would be left with no words is a warning, and is
kept as it was; so is raw HTML in a heading (``# Proxies & <Targets>``: its
words vanished from the title, and the page's ``<h1>`` was broken).
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxContentsFilter
from sphinx.util import logging

from ..blog.adapter import post_records
from ..config import Warn, warn
from ..content.mathplain import formula_text
from ..incremental.state import doc_data
from .citations import DOMAIN, plain_citations, remove_mark

logger = logging.getLogger(__name__)

FEATURE = "scholarship:titles"  # a page's cleaned titles, by anchor (search results)
_MARKS = (nodes.footnote_reference, nodes.citation_reference)


def _needs_cleaning(node: nodes.Node) -> bool:
    return isinstance(node, (*_MARKS, nodes.math, nodes.raw)) or (
        isinstance(node, addnodes.pending_xref) and node.get("refdomain") == DOMAIN
    )


def cleaned(title: nodes.Element, entries, formulas: bool = True) -> nodes.Element:
    """A copy of ``title`` (a heading, before references are resolved) as
    excerpts are made plain (``citations.plain_citations``): marks and raw
    HTML out, textual citations as the authors' names; with ``formulas``,
    formulas as their text."""
    copy = title.deepcopy()
    plain_citations(copy, entries)
    for mark in list(copy.findall(lambda n: isinstance(n, _MARKS))):
        remove_mark(mark)
    for raw in list(copy.findall(nodes.raw)):  # ``<i>`` in a heading: no text of its own
        raw.parent.remove(raw)
    for formula in list(copy.findall(nodes.math)) if formulas else ():
        formula.parent.replace(formula, nodes.Text(formula_text(formula.astext())))
    last = copy.children[-1] if copy.children else None
    if isinstance(last, nodes.Text) and last != last.rstrip():
        copy.replace(last, nodes.Text(last.rstrip()))
    return copy


def title_text(title: nodes.Element, entries=None) -> str:
    """``title``'s text as ``cleaned`` leaves it, on one line."""
    return " ".join(cleaned(title, entries or {}).astext().split())


def _kept(doctree: nodes.document, title: nodes.Element) -> list[nodes.Node]:
    """What Sphinx keeps of a title (for ``env.titles`` and the contents)."""
    visitor = SphinxContentsFilter(doctree)
    title.walkabout(visitor)
    return visitor.get_entry_text()


def _anchor(title: nodes.Element, first: nodes.Element) -> str | None:
    return None if title is first else (title.parent["ids"] or [None])[0]


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    headings = [t for t in doctree.findall(nodes.title) if isinstance(t.parent, nodes.section)]
    dirty = [t for t in headings if any(map(_needs_cleaning, t.findall()))]
    if not dirty:
        return
    for title in dirty:
        if raws := [r.astext() for r in title.findall(nodes.raw)]:
            warn(
                logger,
                Warn.TITLE,
                "this heading holds raw HTML (%s), which the page's title and feeds leave "
                "out: write *emphasis* in Markdown, and a <word> in `backticks` (or as \\<word>)",
                " ".join(raws),
                location=title,
            )
    bibdata = getattr(env.domains.get(DOMAIN), "bibdata", None)
    entries = bibdata.data.entries if bibdata is not None else {}
    first = headings[0]
    texts = {id(t): title_text(t, entries) for t in dirty}
    if first in dirty and not texts[id(first)]:
        warn(
            logger,
            Warn.CITATION,
            "this title is only a citation or a note: give the page a title in words",
            location=first,
        )
        dirty.remove(first)
    elif first in dirty:
        # As Sphinx's title collector keeps it, from the cleaned heading.
        title = nodes.title("", "", *_kept(doctree, cleaned(first, entries)))
        if env.longtitles.get(docname) is env.titles.get(docname):
            env.longtitles[docname] = title
        env.titles[docname] = title
        for record in post_records(env, docname):
            if record.get("title") == first.astext():
                record["title"] = texts[id(first)]
    # The page's contents: marks go, formulas stay (the contents show MathML).
    by_anchor = {_anchor(t, first) or "": t for t in dirty}
    toc = env.tocs.get(docname)
    for entry in toc.findall(nodes.reference) if toc is not None else ():
        title = by_anchor.get(entry.get("anchorname", "").lstrip("#"))
        if title is not None:
            entry.children = []
            entry.extend(_kept(doctree, cleaned(title, entries, formulas=False)))
    labels = env.domains.standard_domain.labels
    raw = {t.astext(): texts[id(t)] for t in dirty}
    for label, (doc, labelid, *shown) in list(labels.items()):
        if doc == docname and len(shown) == 1 and shown[0] in raw:
            labels[label] = (doc, labelid, raw[shown[0]])
    # The search index's titles, by anchor as Sphinx lists them (None: the page's).
    doc_data(env, FEATURE)[docname] = {_anchor(t, first): texts[id(t)] for t in dirty}


def _page_context(app: Sphinx, pagename: str, templatename: str, context, doctree) -> None:
    """The page was just fed to the search index (``write_doc`` indexes it,
    then renders it): its titles there lose their marks too."""
    indexer = getattr(app.builder, "indexer", None)
    texts = doc_data(app.env, FEATURE).get(pagename)
    titles = getattr(indexer, "_all_titles", {}).get(pagename) if texts else None
    if titles:
        indexer._all_titles[pagename] = [(texts.get(a, t), a) for t, a in titles]


def setup_titles(app: Sphinx) -> None:
    # After the title collector and ABlog (priority 500) have kept the title.
    app.connect("doctree-read", _doctree_read, priority=600)
    app.connect("html-page-context", _page_context)
