"""The ``concept`` Domain: definitions, references, and what they imply across documents.

Read time: the ``{concept}`` directive records a definition, the ``{concept}``
role leaves a ``pending_xref`` (recorded by ``process_doc``), and
``{concept-index}`` marks the page that lists them all. Everything lives in
``Domain.data``, keyed by document, so ``clear_doc`` and ``merge_domaindata``
keep it right under incremental and parallel builds.

After reading, the pure ``model.build_model`` turns definitions, references and
the posts' metadata into what pages show; the domain answers
``essayist-page-views`` with what each page shows of it, so a page whose view
changed since the last build is rewritten.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.utils.smartquotes import educate_tokens
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..config import Warn, warn
from ..incremental.pages import EVENT as PAGE_VIEWS
from .mapsetup import note_terms, setup_concept_map
from .model import build_model, model_inputs, name_index, page_signatures, suggestions
from .options import concept_fields
from .postinfo import post_infos
from .source import did_you_mean, normalize_concept_name, split_role_text

logger = logging.getLogger(__name__)

DOMAIN = "concept"
ANCHOR = "concept-{slug}"


# -- Nodes (placeholders filled at write time) -------------------------------


class concept_page_extra(nodes.General, nodes.Element):
    """Where a concept page's related concepts, essays and feed link go."""


class concept_index(nodes.General, nodes.Element):
    """Where the list of every concept goes."""


def concept_slug(docname: str) -> str:
    return docname.rsplit("/", 1)[-1]


@functools.lru_cache(maxsize=4096)
def smart(text: str, language: str | None = "en") -> str:
    """Typographic quotes and dashes, as Sphinx's SmartQuotes gives body text."""
    return "".join(educate_tokens([("text", text)], "qDe", language or "en"))


# -- Directives and role -----------------------------------------------------


class ConceptDirective(SphinxDirective):
    """Define the concept this page is about: ``{concept} Name`` + definition."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "aliases": directives.unchanged,
        "related": directives.unchanged,
        "summary": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        docname = self.env.docname
        slug = concept_slug(docname)
        domain: ConceptDomain = self.env.domains[DOMAIN]
        if domain.concept_in(docname) is not None:
            warn(
                logger,
                Warn.CONCEPT_DUPLICATE,
                "a page defines one concept; this is a second {concept} directive in %s: "
                "move it to its own page under docs/concepts/",
                docname,
                location=(docname, self.lineno),
            )
            return []
        name, aliases, related, summary, problems, refused = concept_fields(
            docname, self.arguments[0], self.options, self.block_text
        )
        for problem in problems:
            warn(logger, Warn.CONCEPT_DEFINITION, problem, location=(docname, self.lineno))
        if refused:
            return []
        box = nodes.container(classes=["concept-definition"], ids=[ANCHOR.format(slug=slug)])
        self.set_source_info(box)
        box += self.parse_content_to_nodes()
        out: list[nodes.Node] = [box]
        if aliases:
            text = "Also called: " + ", ".join(aliases)
            out.append(nodes.paragraph("", text, classes=["concept-aliases"]))
        definition = {
            "name": name,
            "aliases": aliases,
            "related": related,
            "summary": summary,
            "definition": "",
            "docname": docname,
            "lineno": self.lineno,
        }
        if not domain.note_concept(slug, definition):
            return out  # its slug is another page's: no feed, map or list of its own
        out.append(extra := concept_page_extra(concept=slug))
        self.set_source_info(extra)
        note_terms(self.env, [name, *aliases], box["ids"][0], (docname, self.lineno))
        return out


class ConceptIndexDirective(SphinxDirective):
    """Every concept, alphabetically, with its summary and how many essays use it."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = concept_index()
        self.set_source_info(node)
        self.env.domains[DOMAIN].data["indexes"][self.env.docname] = True
        return [node]


class ConceptRole(XRefRole):
    """``{concept}`Goodhart’s Law``` or ``{concept}`this law <goodharts-law>```."""

    def __init__(self) -> None:
        super().__init__(innernodeclass=nodes.inline, warn_dangling=True)

    def run(self):
        self.refdomain, self.reftype = DOMAIN, "concept"
        self.classes = ["xref", "concept"]
        if self.disabled:
            return self.create_non_xref_node()
        return self.create_xref_node()

    def process_link(self, env, refnode, has_explicit_title: bool, title: str, target: str):
        """As ``blog check`` reads a role (``source.split_role_text``): the last
        ``<…>`` names the concept (``a < b <goodharts-law>``), and a ``~``
        before a name (Sphinx's "last part only") is no part of it."""
        if has_explicit_title:
            title, target = split_role_text(self.text)
        else:
            title = title.lstrip("~")
        return title, target.lstrip("~").strip()


# -- The Domain --------------------------------------------------------------


class ConceptDomain(Domain):
    """Concepts and the references to them, per document."""

    name = DOMAIN
    label = "Concepts"
    object_types = {"concept": ObjType("concept", "concept")}
    directives = {"concept": ConceptDirective, "index": ConceptIndexDirective}
    roles = {"concept": ConceptRole()}
    initial_data: dict[str, Any] = {
        "concepts": {},  # slug -> definition (name, aliases, related, summary, ...)
        "refs": {},  # docname -> [(target, line)]
        "indexes": {},  # docname -> True: pages with a {concept-index}
        "model": None,  # build_model()'s result for this build
        "inputs": None,  # model_inputs() the model was built from
    }
    data_version = 1

    @property
    def concepts(self) -> dict[str, dict]:
        return self.data["concepts"]

    @property
    def refs(self) -> dict[str, list]:
        return self.data["refs"]

    def concept_in(self, docname: str) -> str | None:
        for slug, c in self.concepts.items():
            if c["docname"] == docname:
                return slug
        return None

    def note_concept(self, slug: str, definition: dict) -> bool:
        """Keep ``definition``; False (and a warning) when another page has the slug."""
        if slug in self.concepts and self.concepts[slug]["docname"] != definition["docname"]:
            other = self.concepts[slug]["docname"]
            warn(
                logger,
                Warn.CONCEPT_DUPLICATE,
                "concept slug '%s' is already defined in %s: rename one of the two pages",
                slug,
                other,
                location=(definition["docname"], definition["lineno"]),
            )
            return False
        self.concepts[slug] = definition
        return True

    def clear_doc(self, docname: str) -> None:
        for slug in [s for s, c in self.concepts.items() if c["docname"] == docname]:
            del self.concepts[slug]
        self.refs.pop(docname, None)
        self.data["indexes"].pop(docname, None)

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for slug, c in otherdata["concepts"].items():
            if c["docname"] in docnames:
                self.note_concept(slug, c)
        for docname in docnames:
            if docname in otherdata["refs"]:
                self.refs[docname] = otherdata["refs"][docname]
            if docname in otherdata["indexes"]:
                self.data["indexes"][docname] = True

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        refs = []
        for node in document.findall(addnodes.pending_xref):
            if node.get("refdomain") == DOMAIN:
                refs.append((node["reftarget"], _line(node)))
        if refs:
            self.refs[docname] = refs

    def lookup(self, target: str) -> str | None:
        model = self.data["model"]
        index = model["index"] if model else name_index(self.concepts)[0]
        return index.get(normalize_concept_name(target))

    def essayist_shown(self, target: str) -> tuple[str, str, str] | None:
        """What a reference to ``target`` shows: (slug, page, name), or None if unknown.

        For caches of rendered output (``incremental.outputs``): a cached
        rendering of a reference is stale when this changes.
        """
        slug = self.lookup(target)
        if slug is None:
            return None
        c = self.concepts[slug]
        return slug, c["docname"], c["name"]

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        slug = self.lookup(target)
        if slug is None:
            return None
        if _in_link(node):
            # [see {concept}`x` here](https://…): a link inside a link is not
            # HTML; the words stay the outer link's, marked as the concept.
            return nodes.inline("", "", contnode, classes=["concept-ref"])
        return concept_reference(builder, fromdocname, self.concepts[slug], contnode)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        slug = self.lookup(target)
        if slug is None:
            return []
        ref = concept_reference(builder, fromdocname, self.concepts[slug], contnode)
        return [(f"{DOMAIN}:concept", ref)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """By slug, for objects.inv; -1: not in search, which escapes names and links wrongly."""
        for slug in sorted(self.concepts):
            c = self.concepts[slug]
            yield slug, c["name"], "concept", c["docname"], ANCHOR.format(slug=slug), -1


def _in_link(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.reference):
        parent = parent.parent
    return parent is not None


def _line(node: nodes.Node) -> int | None:
    while node is not None:
        if node.line:
            return node.line
        node = node.parent
    return None


def concept_reference(
    builder: Builder, fromdocname: str, concept: dict, child: nodes.Node
) -> nodes.reference:
    """A link to ``concept``'s page (its top: the title is the concept's name)."""
    ref = nodes.reference("", "", internal=True, classes=["concept-ref"])
    if fromdocname == concept["docname"]:
        ref["refid"] = ANCHOR.format(slug=concept_slug(concept["docname"]))
    else:
        ref["refuri"] = builder.get_relative_uri(fromdocname, concept["docname"])
    ref += child
    return ref


# -- Event handlers ----------------------------------------------------------


def _views(app: Sphinx, env: BuildEnvironment) -> dict[str, dict | None]:
    """What each page shows of concepts; ``None`` when nothing it is built from
    changed (an essay's text was edited, not its concepts, title or excerpt)."""
    domain: ConceptDomain = env.domains[DOMAIN]
    infos = post_infos(app)
    inputs = model_inputs(domain.concepts, domain.refs, infos, domain.data["indexes"])
    if inputs == domain.data.get("inputs") and domain.data["model"] is not None:
        return {"concepts": None}
    model = build_model(domain.concepts, domain.refs, infos)
    domain.data["model"], domain.data["inputs"] = model, inputs
    return {"concepts": page_signatures(domain.concepts, model, domain.data["indexes"])}


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    # After SmartQuotes (which runs after the domains' ``process_doc``): the
    # definition's text as the page shows it, for previews.
    domain: ConceptDomain = app.env.domains[DOMAIN]
    slug = domain.concept_in(app.env.docname)
    if slug is None:
        return
    for box in doctree.findall(nodes.container):
        if "concept-definition" in box["classes"]:
            domain.concepts[slug]["definition"] = " ".join(box.astext().split())
            break


def _warn_missing(app: Sphinx, domain: Domain, node: addnodes.pending_xref) -> bool | None:
    if domain is None or domain.name != DOMAIN:
        return None
    # References in excerpts rendered into listings and feeds carry the post's
    # source: warn once, when the post itself is written.
    source = node.source
    refdoc = node.get("refdoc")
    if refdoc and source and str(app.env.doc2path(refdoc)) != str(source):
        return True
    target = node["reftarget"]
    hint = did_you_mean(suggestions(target, domain.concepts))
    if hint:
        msg = f"unknown concept '{target}': {hint}"
    else:
        msg = (
            f"unknown concept '{target}': no concept has this name, alias or slug; "
            "define it with a {concept} directive on a page under docs/concepts/"
        )
    warn(logger, Warn.CONCEPT_UNKNOWN, msg, location=node)
    return True


def _check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    domain: ConceptDomain = env.domains[DOMAIN]
    _, clashes = name_index(domain.concepts)
    for key, owner, culprit in clashes:
        # Blame the page the key does not go to (see name_index: the page made
        # for the name keeps it; an alias gives way to a concept's own name).
        c, o = domain.concepts[culprit], domain.concepts[owner]
        warn(
            logger,
            Warn.CONCEPT_DUPLICATE,
            "'%s' names two concepts: '%s' here and '%s' in %s (line %s); remove it from "
            "one of them",
            key,
            c["name"],
            o["name"],
            env.doc2path(o["docname"], False),
            o["lineno"],
            location=(c["docname"], c["lineno"]),
        )


def setup_concept_domain(app: Sphinx) -> None:
    app.add_domain(ConceptDomain)
    app.add_directive("concept", ConceptDirective)
    app.add_directive("concept-index", ConceptIndexDirective)
    app.add_role("concept", ConceptRole())
    app.add_node(concept_page_extra)
    app.add_node(concept_index)
    app.connect("doctree-read", _doctree_read)
    app.connect(PAGE_VIEWS, _views)
    app.connect("warn-missing-reference", _warn_missing)
    app.connect("env-check-consistency", _check_consistency)
    setup_concept_map(app, DOMAIN)
