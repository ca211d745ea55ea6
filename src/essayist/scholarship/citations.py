"""Citations: ``{cite}`key``` in a post or a page, with sphinxcontrib-bibtex.

The works are in the project's BibTeX files (``bibtex_bibfiles``). A document
that cites anything ends with a "References" section listing what it cites,
and only that, without the author writing a ``{bibliography}`` directive: a
``doctree-read`` handler appends one, as the directive would, with the filter
``docname in docnames`` (a document that has a bibliography of its own keeps
it, and gets no other). Each work's entry has the id ``ref-<slug>``
(``references``): a citation links there, and shows the work on hover and
keyboard focus, from ``_previews/references/<slug>.json``.

sphinxcontrib-bibtex is made for one bibliography per project: a work in two
essays' lists is a "duplicate citation", and two essays' first works share the
label "1". Both are how per-essay lists work, so those two warnings are off;
an unknown key still fails the build, with file and line
(``bibtex.key_not_found``).
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.directives import BibliographyKey, BibliographyValue
from sphinxcontrib.bibtex.nodes import bibliography

from ..blog.adapter import post_records
from ..blog.frontmatter import url_problem
from ..config import Warn, warn
from ..incremental.state import StateFile, digest, doc_data
from . import references
from .bibcheck import SPELLED
from .references import (
    ID_PREFIX,
    PREVIEW_DIR,
    reference_slugs,
    surnames,
    write_reference_previews,
)

logger = logging.getLogger(__name__)
BIBTEX = "sphinxcontrib.bibtex"
DOMAIN = "cite"
# The warnings a list per essay makes on every build (see above).
EXPECTED = ("bibtex.duplicate_citation", "bibtex.duplicate_label")
REFERENCES_TITLE = "References"
REFERENCES_CLASS = "essayist-references"
# incremental.outputs: the digest of each document's source, read at source-read.
SOURCE_SHA = "sources:sha"
CITE_REF = "cite-ref"
FILTER = "docname in docnames"
# doctree-read: before Sphinx's table of contents (500), so that "References"
# is in the page's contents.
REFERENCES_ORDER = 450
# doctree-read: after ABlog has copied the post's excerpt (500).
EXCERPT_ORDER = 510
# The roles that name the authors in the sentence ({cite:t}`key`: "Amodei et al.
# [2]"); the others only add a mark ("[2]").
TEXTUAL = {"t", "ts", "ct", "cts", "author", "authors", "cauthor", "cauthors"}


def cite_domain(app: Sphinx):
    return app.env.domains[DOMAIN]


PREVIEWS_STATE = "reference-previews"


def bib_entries(app: Sphinx) -> dict:
    """Every work in the project's BibTeX files, by key."""
    return dict(cite_domain(app).bibdata.data.entries)


def cited_keys(app: Sphinx, docname: str) -> list[str]:
    """The keys ``docname`` cites, in order, each once."""
    keys: dict[str, None] = {}
    for ref in cite_domain(app).citation_refs:
        if ref.docname == docname:
            keys.update((t.key, None) for t in ref.targets)
    return list(keys)


def _unique_id(doctree: nodes.document, wanted: str) -> str:
    """``wanted``, or, if the page has that id already (a heading "Ref X", a
    label), ``wanted--2``...: a slug never holds ``--`` (``make_id``), so the
    previews' script still finds the work's slug in the link (``ref-x--2`` is
    work ``x``, ``ref-x-2`` work ``x-2``)."""
    if wanted not in doctree.ids:
        return wanted
    n = 2
    while f"{wanted}--{n}" in doctree.ids:
        n += 1
    return f"{wanted}--{n}"


def references_section(app: Sphinx, doctree: nodes.document, docname: str, keys: list[str]):
    """A "References" section holding a bibliography of ``keys`` (the works
    this document cites that are in the BibTeX files), registered with
    sphinxcontrib-bibtex as its ``{bibliography}`` directive registers one."""
    domain = cite_domain(app)
    bibfiles = list(domain.bibdata.bibfiles)
    slugs = reference_slugs(domain.bibdata.data.entries)
    citation_nodes = {}
    for key in keys:
        citation = nodes.citation(ids=[_unique_id(doctree, ID_PREFIX + slugs[key])])
        doctree.note_explicit_target(citation, citation)
        citation_nodes[key] = citation
    node = bibliography("", docname=docname, ids=[_unique_id(doctree, "bibliography")])
    doctree.note_explicit_target(node, node)
    line = min((r.line for r in domain.citation_refs if r.docname == docname and r.line), default=0)
    domain.bibliographies[BibliographyKey(docname=docname, id_=node["ids"][0])] = BibliographyValue(
        line=line,
        bibfiles=bibfiles,
        style=app.config.bibtex_default_style,
        list_="citation",
        enumtype="arabic",
        start=1,
        labelprefix="",
        keyprefix="",
        filter_=ast.parse(FILTER),
        citation_nodes=citation_nodes,
        keys=[],
    )
    section = nodes.section(classes=[REFERENCES_CLASS])
    section["names"].append(REFERENCES_TITLE.lower())
    doctree.note_implicit_target(section, section)
    section += nodes.title(text=REFERENCES_TITLE)
    section += node
    return section


def note_works(app: Sphinx, docname: str, keys: list[str]) -> None:
    """Count the works a document cites as part of its source, for the caches
    of what is made from it (``incremental.outputs``: feed entries, feeds):
    a changed entry in a BibTeX file changes them, as a changed line would.
    The document is read again when a BibTeX file changes."""
    domain = cite_domain(app)
    for bibfile in domain.bibdata.bibfiles:
        app.env.note_dependency(str(bibfile))
    entries = domain.bibdata.data.entries
    works = tuple((k, entries[k].to_string("bibtex") if k in entries else None) for k in keys)
    shas = doc_data(app.env, SOURCE_SHA)
    shas[docname] = digest((shas.get(docname), works))


def misspelled(doctree: nodes.document, spelled: dict[str, str]) -> None:
    """Warn, at its line, of each key ``doctree`` cites in another case than
    its BibTeX file (``spelled``: lower-case key -> key in the file): pybtex
    finds it, sphinxcontrib-bibtex does not link it."""
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("refdomain") != DOMAIN:
            continue
        try:
            targets = parse_citation_targets(xref.get("reftarget", ""))
        except ValueError:
            continue
        for target in targets:
            right = spelled.get(target.key.lower(), target.key)
            if right != target.key:
                warn(
                    logger,
                    Warn.CITATION,
                    SPELLED.format(key=target.key, right=right),
                    location=xref,
                )


def _append_references(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    cited = cited_keys(app, docname)
    if not cited:
        return
    note_works(app, docname, cited)
    if any(True for _ in doctree.findall(bibliography)):
        return  # the author placed a list
    # A key in another case than the file's is said, by line; the list holds
    # each work once, by its key in the file.
    spelled = {k.lower(): k for k in cite_domain(app).bibdata.data.entries}
    misspelled(doctree, spelled)
    keys = list(dict.fromkeys(spelled[k.lower()] for k in cited if k.lower() in spelled))
    if not keys:
        return  # nothing to list; an unknown key is reported when resolved
    parent = next(iter(doctree.findall(nodes.section)), doctree)
    parent += references_section(app, doctree, docname, keys)


def remove_mark(node: nodes.Element) -> None:
    """Take a citation mark out of a sentence, with the space before it."""
    parent = node.parent
    index = parent.index(node)
    before = parent[index - 1] if index else None
    after = parent[index + 1] if index + 1 < len(parent) else None
    if (
        isinstance(before, nodes.Text)
        and before.endswith((" ", "\n"))
        and (after is None or (isinstance(after, nodes.Text) and after[:1] in " \n.,;:!?)"))
    ):
        parent.replace(before, nodes.Text(before.rstrip(" \n")))
    parent.remove(node)


def plain_citations(fragment: nodes.Node, entries) -> None:
    """A post's excerpt as other pages and feed summaries show it, as plain
    text: without its citation marks (their list is on the post's page), the
    authors a sentence names kept by name ("Amodei et al.")."""
    for xref in list(fragment.findall(addnodes.pending_xref)):
        if xref.get("refdomain") != DOMAIN:
            continue
        if xref.get("reftype") not in TEXTUAL:
            remove_mark(xref)
            continue
        try:
            keys = [t.key for t in parse_citation_targets(xref.get("reftarget", ""))]
        except ValueError:
            keys = []
        people = [entries[k].persons.get("author", []) for k in keys if k in entries]
        text = "; ".join(surnames(ps) for ps in people if ps)
        # The citation's ids (its backlink target) stay with the post's own copy.
        xref["ids"] = []
        xref.replace_self(nodes.Text(text or xref.astext()))


def _plain_excerpts(app: Sphinx, doctree: nodes.document) -> None:
    entries = cite_domain(app).bibdata.data.entries
    for info in post_records(app.env, app.env.docname):
        for fragment in info["excerpt"]:
            plain_citations(fragment, entries)
            # A footnote's number too: its note is on the post's page only (on a
            # listing the link led nowhere, and two excerpts repeated its id).
            for mark in list(fragment.findall(nodes.footnote_reference)):
                remove_mark(mark)


def mark_citations(doctree: nodes.Node) -> None:
    """Give every citation's link the ``cite-ref`` class: it gets a preview."""
    for inline in doctree.findall(nodes.inline):
        if "bibtex-citation" in inline["classes"]:
            for ref in inline.findall(nodes.reference):
                if CITE_REF not in ref["classes"]:
                    ref["classes"].append(CITE_REF)


def footnotes_into(doctree: nodes.document, section: nodes.section, before=None) -> None:
    """Move the essay's footnotes (MyST puts them, and a transition, after its
    sections) into ``section``, before ``before`` or at its end: they belong
    with the text, before its references and what follows them."""
    at = doctree.index(section) if section.parent is doctree else None
    if at is None:
        return
    for child in list(doctree.children[at + 1 :]):
        if isinstance(child, nodes.footnote) or (
            isinstance(child, nodes.transition) and "footnotes" in child["classes"]
        ):
            doctree.remove(child)
            if before is None:
                section += child
            else:
                section.insert(section.index(before), child)


def _unlink_foreign(doctree: nodes.Node) -> None:
    """A reference list's link that is not a web address (a .bib's
    ``url = {javascript:…}``) is its text only."""
    for section in doctree.findall(nodes.section):
        if REFERENCES_CLASS not in section["classes"]:
            continue
        for ref in list(section.findall(nodes.reference)):
            uri = ref.get("refuri")
            if (
                uri
                and ":" in uri.split("/")[0]
                and url_problem(uri)
                and not uri.startswith("mailto:")
            ):
                ref.replace_self(nodes.Text(ref.astext()))


def join_words(root: nodes.Node) -> None:
    """Adjacent text pieces of a reference made one: pybtex writes a braced
    letter (``Man{\\'e}``) as a piece of its own, and the search index reads
    each piece as words apart ("Man" and "é": searching "Mané" found nothing)."""
    for element in root.findall(nodes.TextElement):
        children = element.children
        if not any(isinstance(a, nodes.Text) and isinstance(b, nodes.Text)
                   for a, b in zip(children, children[1:], strict=False)):  # fmt: skip
            continue
        joined: list[nodes.Node] = []
        for child in children:
            if joined and isinstance(child, nodes.Text) and isinstance(joined[-1], nodes.Text):
                joined[-1] = nodes.Text(joined[-1] + child)
            else:
                joined.append(child)
        element.children = []
        element.extend(joined)


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    for citation in doctree.findall(nodes.citation):
        join_words(citation)
    _unlink_foreign(doctree)
    mark_citations(doctree)
    if doctree.get("source"):  # the page itself, not a fragment of it
        section = next(iter(doctree.findall(nodes.section)), None)
        for references in doctree.findall(nodes.section):
            if REFERENCES_CLASS in references["classes"] and references.parent is section:
                footnotes_into(doctree, section, before=references)
                break


def _config_inited(app: Sphinx, config: Config) -> None:
    # A site without references: nothing to cite, and no error for it.
    if config.bibtex_bibfiles is None:
        config.bibtex_bibfiles = []
    config.suppress_warnings = [
        *config.suppress_warnings,
        *(w for w in EXPECTED if w not in config.suppress_warnings),
    ]


def previews_signature(bibfiles: list[Path]) -> str:
    """What the reference previews are made from: the BibTeX files' bytes and
    the code that turns them into previews."""
    code = Path(references.__file__)
    return digest(
        (
            [(p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in bibfiles],
            code.stat().st_mtime_ns,
            code.stat().st_size,
        )
    )


def _collect_pages(app: Sphinx):
    if app.builder.format != "html":
        return
    # Rendering a work's fields (pybtex's LaTeX) costs more than the rest of a
    # one-essay rebuild's pages: only when the bibliography or its code changed.
    outdir = Path(app.builder.outdir)
    record = StateFile(app, PREVIEWS_STATE)
    previous = record.load({})
    bibfiles = [Path(f) for f in cite_domain(app).bibdata.bibfiles]
    signature = previews_signature(bibfiles)
    files = previous.get("files", [])
    if previous.get("signature") != signature or not all((outdir / f).is_file() for f in files):
        write_reference_previews(outdir, bib_entries(app))
        files = sorted(
            p.relative_to(outdir).as_posix() for p in (outdir / PREVIEW_DIR).glob("*.json")
        )
        record.save({"signature": signature, "files": files})
    yield from ()


def setup_citations(app: Sphinx) -> None:
    app.setup_extension(BIBTEX)
    app.connect("config-inited", _config_inited)
    app.connect("doctree-read", _append_references, priority=REFERENCES_ORDER)
    app.connect("doctree-read", _plain_excerpts, priority=EXCERPT_ORDER)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("html-collect-pages", _collect_pages)
