"""A title as text: its heading's words, without citation and footnote marks,
and its formulas as text.

``# Goodhart revisited {cite}`manheim2018``` shows the heading with a linked
``[1]`` on its page. But Sphinx keeps the title's text with the key in it and
ABlog adds footnote numbers ("Goodhart revisited manheim2018", "Notes1"), and
``# Why $\\beta$ matters`` was "Why \\beta matters": that text names the page in
``<title>``, the navigation, the page's contents, search results, feeds, link
previews, social cards and ``{ref}`` links. Once Sphinx and ABlog have read a
document, the titles they keep (the page's, its sections', ABlog's record and
labels, the search index's) lose the marks, a textual citation
(``{cite:t}``) becomes the authors' names it shows, and a formula becomes its
text (``content.mathplain``: "Why β matters"). The headings on the page keep
everything. A title that would be left with no words is a warning, and is
kept as it was.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..blog.adapter import post_records
from ..config import Warn, warn
from ..content.mathplain import formula_text
from .references import surnames

logger = logging.getLogger(__name__)

# sphinxcontrib-bibtex's roles: ``{cite}`` and its variants, ``{footcite}``.
_CITE_DOMAINS = frozenset({"cite", "footcite"})
# Its roles that show the authors' names (``{cite:t}`` "Manheim and Garrabrant [1]").
_TEXTUAL = frozenset({"t", "ct", "ts", "cts"})
_MARKS = (nodes.footnote_reference, nodes.citation_reference)
_CLOSING = re.compile(r"^[\s.,;:?!)\]]")


def _citation(node: nodes.Node) -> tuple[str, str] | None:
    """(role, keys) of a citation: a pending reference, or the inline Sphinx's
    copies of titles keep of one."""
    if isinstance(node, addnodes.pending_xref):
        if node.get("refdomain") in _CITE_DOMAINS:
            return node.get("reftype", ""), node.get("reftarget", "")
        return None
    classes = node.get("classes", ()) if isinstance(node, nodes.Element) else ()
    if "xref" in classes and not _CITE_DOMAINS.isdisjoint(classes):
        role = next((c.split("-", 1)[1] for c in classes if c.startswith("cite-")), "")
        return role, node.astext()
    return None


def _authors(app: Sphinx | None, keys: str) -> str:
    domain = app.env.domains.get("cite") if app is not None else None
    entries = getattr(getattr(domain, "bibdata", None), "data", None)
    if entries is None:
        return ""
    found = [entries.entries.get(key.strip()) for key in keys.split(",")]
    people = [p for e in found if e is not None for p in e.persons.get("author", [])]
    return surnames(people) if people else ""


def _remove(mark: nodes.Node) -> None:
    """Take ``mark`` out, and the space before it where nothing follows that
    needs one ("revisited [1]." is "revisited.", "(see [1])" is "(see)")."""
    parent = mark.parent
    index = parent.index(mark)
    before = parent[index - 1] if index > 0 else None
    after = parent[index + 1] if index + 1 < len(parent) else None
    parent.remove(mark)
    closes = after is None or (isinstance(after, nodes.Text) and _CLOSING.match(after))
    if isinstance(before, nodes.Text) and before != before.rstrip() and closes:
        parent.replace(before, nodes.Text(before.rstrip()))


def clean(title: nodes.Element, app: Sphinx | None = None, formulas: bool = True) -> bool:
    """``title`` (a copy) without marks, with textual citations as names and,
    with ``formulas``, formulas as text; whether anything changed."""
    changed = False
    for node in list(title.findall(include_self=False)):
        if node.parent is None:
            continue  # inside something already taken out
        citation = _citation(node)
        if isinstance(node, _MARKS) or citation:
            names = _authors(app, citation[1]) if citation and citation[0] in _TEXTUAL else ""
            if names:
                node.parent.replace(node, nodes.Text(names))
            else:
                _remove(node)
            changed = True
        elif formulas and isinstance(node, nodes.math):
            node.parent.replace(node, nodes.Text(formula_text(node.astext())))
            changed = True
    last = title.children[-1] if title.children else None
    if isinstance(last, nodes.Text) and last != last.rstrip():
        title.replace(last, nodes.Text(last.rstrip()))
    return changed


def title_text(title: nodes.Element, app: Sphinx | None = None) -> str:
    """``title``'s text as ``clean`` leaves it, on one line."""
    copy = title.deepcopy()
    clean(copy, app)
    return " ".join(copy.astext().split())


def _needs_cleaning(title: nodes.Element) -> bool:
    return any(isinstance(n, (*_MARKS, nodes.math)) or _citation(n) for n in title.findall())


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    headings = [t for t in doctree.findall(nodes.title) if isinstance(t.parent, nodes.section)]
    dirty = [t for t in headings if _needs_cleaning(t)]
    first = headings[0] if headings else None
    if first is not None and first in dirty and not title_text(first, app):
        warn(
            logger,
            Warn.CITATION,
            "this title is only a citation or a note: give the page a title in words",
            location=first,
        )
        dirty.remove(first)
    elif first is not None and first in dirty:
        for kept in (env.titles.get(docname), env.longtitles.get(docname)):
            if kept is not None:
                clean(kept, app)
    # The page's contents: marks go, formulas stay (the contents show MathML).
    toc = env.tocs.get(docname)
    for entry in toc.findall(nodes.reference) if toc is not None and dirty else ():
        clean(entry, app, formulas=False)
    if not dirty:
        return
    texts = {t.astext(): title_text(t, app) for t in dirty}
    if first in dirty:
        for record in post_records(env, docname):
            record["title"] = texts.get(record.get("title"), record.get("title"))
    labels = env.domains.standard_domain.labels
    for label, (doc, labelid, *title) in list(labels.items()):
        if doc == docname and len(title) == 1 and title[0] in texts:
            labels[label] = (doc, labelid, texts[title[0]])
    # The search index's titles, by anchor as Sphinx lists them (None: the page's).
    _index_titles(env)[docname] = {
        (None if t is first else (t.parent["ids"] or [None])[0]): texts[t.astext()] for t in dirty
    }


def _index_titles(env) -> dict:
    return env.__dict__.setdefault("essayist_clean_titles", {})


def _purge(app: Sphinx, env, docname: str) -> None:
    _index_titles(env).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    theirs = getattr(other, "essayist_clean_titles", {})
    _index_titles(env).update({d: theirs[d] for d in docnames if d in theirs})


def _page_context(app: Sphinx, pagename: str, templatename: str, context, doctree) -> None:
    """The page was just fed to the search index (``write_doc`` indexes it,
    then renders it): its titles there lose their marks too."""
    indexer = getattr(app.builder, "indexer", None)
    texts = _index_titles(app.env).get(pagename)
    titles = getattr(indexer, "_all_titles", {}).get(pagename) if texts else None
    if titles:
        indexer._all_titles[pagename] = [(texts.get(a, t), a) for t, a in titles]


def setup_titles(app: Sphinx) -> None:
    # After the title collector and ABlog (priority 500) have kept the title.
    app.connect("doctree-read", _doctree_read, priority=600)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("html-page-context", _page_context)
