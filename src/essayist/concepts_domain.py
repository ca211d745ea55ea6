"""The ``concept`` Domain: definitions, references, and what they imply across documents.

Read time: the ``{concept}`` directive records a definition, the ``{concept}``
role leaves a ``pending_xref`` (recorded by ``process_doc``), and
``{concept-index}`` marks the page that lists them all. Everything lives in
``Domain.data``, keyed by document, so ``clear_doc`` and ``merge_domaindata``
keep it right under incremental and parallel builds.

After reading (``env-get-updated``) one pure function, ``build_model``, turns
definitions, references and ABlog's post metadata into what pages show:
backlinks, related concepts, each essay's concepts and related essays, counts.
Every page that shows cross-document data gets a signature of what it shows; a
page whose signature changed since the last build is rewritten.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import takewhile
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

from .blogdata import get_blog, month_year
from .concepts import (
    closest_concepts,
    did_you_mean,
    normalize_concept_name,
    parse_list,
)
from .freshness import documents_changed

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
            logger.warning(
                "a page defines one concept; this is a second {concept} directive in %s: "
                "move it to its own page under docs/concepts/",
                docname,
                location=(docname, self.lineno),
                type="concept",
                subtype="duplicate",
            )
            return []
        name = " ".join(self.arguments[0].split())
        aliases = parse_list(self.options.get("aliases"))
        box = nodes.container(classes=["concept-definition"], ids=[ANCHOR.format(slug=slug)])
        self.set_source_info(box)
        box += self.parse_content_to_nodes()
        out: list[nodes.Node] = [box]
        if aliases:
            para = nodes.paragraph(classes=["concept-aliases"])
            para += nodes.Text("Also called: " + ", ".join(aliases))
            out.append(para)
        extra = concept_page_extra(concept=slug)
        self.set_source_info(extra)
        out.append(extra)
        domain.note_concept(
            slug,
            {
                "name": name,
                "aliases": aliases,
                "related": parse_list(self.options.get("related")),
                "summary": " ".join(self.options.get("summary", "").split()),
                "definition": "",
                "docname": docname,
                "lineno": self.lineno,
            },
        )
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


# -- The model: what every page shows, from plain data ----------------------


def name_index(concepts: dict[str, dict]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """normalised name/alias/slug -> slug, and the clashes (key, first slug, second slug)."""
    index: dict[str, str] = {}
    clashes = []
    for slug in sorted(concepts):
        c = concepts[slug]
        for key in dict.fromkeys(
            normalize_concept_name(k) for k in (slug, c["name"], *c["aliases"])
        ):
            if key in index and index[key] != slug:
                clashes.append((key, index[key], slug))
            else:
                index[key] = slug
    return index, clashes


def suggestions(target: str, concepts: dict[str, dict]) -> list[str]:
    """Names of the concepts closest to ``target`` (by name, alias or slug)."""
    by_key: dict[str, str] = {}
    for slug in sorted(concepts):
        c = concepts[slug]
        for key in (c["name"], *c["aliases"], slug):
            by_key.setdefault(key, c["name"])
    names: list[str] = []
    for key in closest_concepts(target, list(by_key), n=5):
        if by_key[key] not in names:
            names.append(by_key[key])
    return names[:3]


def _newest_first(docs: Iterable[str], posts: dict[str, dict]) -> list[str]:
    ordered = sorted(docs, key=lambda d: (posts[d]["title"], d))
    return sorted(ordered, key=lambda d: posts[d]["date"], reverse=True)


def related_posts(
    docname: str,
    post_concepts: dict[str, list[str]],
    posts: dict,
    n: int = 3,
    sharing: dict[tuple, set[str]] | None = None,
    rank: dict[str, int] | None = None,
) -> list[str]:
    """Up to ``n`` other published essays sharing concepts or tags with ``docname``.

    Ranked by the number of shared concepts and tags, then newest first, then
    title. ``sharing`` and ``rank`` (computed once for all posts) save time.
    """
    if sharing is None:
        sharing = _sharing_index(post_concepts, posts)
    if rank is None:
        rank = {d: i for i, d in enumerate(_newest_first(posts, posts))}
    score: Counter[str] = Counter()
    keys = [("c", s) for s in set(post_concepts.get(docname, ()))]
    keys += [("t", t) for t in set(posts[docname]["tags"])]
    for key in keys:
        score.update(sharing.get(key, ()))
    score.pop(docname, None)
    ranked = score.most_common()
    if len(ranked) > n:
        cutoff = ranked[n - 1][1]
        ranked = list(takewhile(lambda item: item[1] >= cutoff, ranked))
    ranked.sort(key=lambda item: (-item[1], rank[item[0]]))
    return [d for d, _ in ranked[:n]]


def _sharing_index(post_concepts: dict[str, list[str]], posts: dict) -> dict[tuple, set[str]]:
    """("c", concept) or ("t", tag) -> the published posts that have it."""
    index: dict[tuple, set[str]] = {}
    for docname, info in posts.items():
        if not info["published"]:
            continue
        for slug in post_concepts.get(docname, ()):
            index.setdefault(("c", slug), set()).add(docname)
        for tag in info["tags"]:
            index.setdefault(("t", tag), set()).add(docname)
    return index


def build_model(concepts: dict[str, dict], refs: dict[str, list], posts: dict[str, dict]) -> dict:
    """Everything the concept pages, the index and the essays show, from plain data.

    ``concepts``: slug -> definition; ``refs``: docname -> [(target, line)];
    ``posts``: docname -> {title, date (ISO), month, excerpt, tags, published}.
    """
    index, clashes = name_index(concepts)

    def sort_key(slug: str) -> tuple[str, str]:
        return normalize_concept_name(concepts[slug]["name"]), slug

    resolved: dict[str, dict[str, str | None]] = {}
    for docname in sorted(refs):
        resolved[docname] = {
            target: index.get(normalize_concept_name(target)) for target, _ in refs[docname]
        }
    post_concepts = {
        docname: sorted({s for s in resolved.get(docname, {}).values() if s}, key=sort_key)
        for docname in sorted(posts)
    }
    backlinks = {slug: [] for slug in concepts}
    for docname, slugs in post_concepts.items():
        if posts[docname]["published"]:
            for slug in slugs:
                backlinks[slug].append(docname)
    backlinks = {slug: _newest_first(docs, posts) for slug, docs in backlinks.items()}
    related: dict[str, set[str]] = {slug: set() for slug in concepts}
    unknown_related: dict[str, list[str]] = {}
    for slug in sorted(concepts):
        for target in concepts[slug]["related"]:
            other = index.get(normalize_concept_name(target))
            if other is None:
                unknown_related.setdefault(slug, []).append(target)
            elif other != slug:
                related[slug].add(other)
                related[other].add(slug)
    sharing = _sharing_index(post_concepts, posts)
    rank = {d: i for i, d in enumerate(_newest_first(posts, posts))}
    return {
        "index": index,
        "clashes": clashes,
        "resolved": resolved,
        "post_concepts": post_concepts,
        "backlinks": backlinks,
        "related": {slug: sorted(v, key=sort_key) for slug, v in related.items()},
        "unknown_related": unknown_related,
        "related_posts": {
            d: related_posts(d, post_concepts, posts, sharing=sharing, rank=rank)
            for d in sorted(posts)
        },
        "order": sorted(concepts, key=sort_key),
        "posts": posts,
    }


def page_signatures(concepts: dict[str, dict], model: dict, indexes: Iterable[str]) -> dict:
    """docname -> what its cross-document parts show; a change means "rewrite it"."""
    posts = model["posts"]

    # Each signature holds only what the page shows: the concepts index shows
    # how many essays use a concept, a post's own list does not; backlinks show
    # excerpts, "Related essays" only titles and dates.
    def post_sig(d: str, excerpt: bool = True) -> tuple:
        p = posts[d]
        return (d, p["title"], p["month"], p["excerpt"] if excerpt else None)

    def concept_sig(s: str, count: bool = False) -> tuple:
        c = concepts[s]
        return (s, c["name"], c["summary"], c["docname"], count and len(model["backlinks"][s]))

    sigs: dict[str, Any] = {}
    for docname, resolved in model["resolved"].items():
        sigs[docname] = {
            "refs": sorted(
                (t, s, concepts[s]["docname"] if s else None) for t, s in resolved.items()
            )
        }
    for slug, c in concepts.items():
        sig = sigs.setdefault(c["docname"], {})
        sig["concept"] = (
            concept_sig(slug),
            [post_sig(d) for d in model["backlinks"][slug]],
            [concept_sig(r) for r in model["related"][slug]],
        )
    for docname in indexes:
        sigs.setdefault(docname, {})["index"] = [concept_sig(s, count=True) for s in model["order"]]
    for docname in posts:
        sig = sigs.setdefault(docname, {})
        sig["post"] = (
            [concept_sig(s) for s in model["post_concepts"][docname]],
            [post_sig(d, excerpt=False) for d in model["related_posts"][docname]],
        )
    # Concept pages are in the site's navigation: a new name shows on every page.
    titles = sorted((c["docname"], c["name"]) for c in concepts.values())
    sigs[""] = titles
    return sigs


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
        "signatures": {},  # docname -> what its cross-document parts showed
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

    def note_concept(self, slug: str, definition: dict) -> None:
        if slug in self.concepts and self.concepts[slug]["docname"] != definition["docname"]:
            other = self.concepts[slug]["docname"]
            logger.warning(
                "concept slug '%s' is already defined in %s: rename one of the two pages",
                slug,
                other,
                location=(definition["docname"], definition["lineno"]),
                type="concept",
                subtype="duplicate",
            )
            return
        self.concepts[slug] = definition

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

    def shown(self, target: str) -> tuple[str, str, str] | None:
        """What a reference to ``target`` shows: (slug, page, name), or None if unknown.

        For caches of rendered output: a cached rendering of a reference is
        stale when this changes.
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
        return concept_reference(builder, fromdocname, self.concepts[slug], contnode)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        slug = self.lookup(target)
        if slug is None:
            return []
        ref = concept_reference(builder, fromdocname, self.concepts[slug], contnode)
        return [(f"{DOMAIN}:concept", ref)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for slug in sorted(self.concepts):
            c = self.concepts[slug]
            yield slug, c["name"], "concept", c["docname"], ANCHOR.format(slug=slug), 1


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


def post_infos(app: Sphinx) -> dict[str, dict]:
    """What concept pages and essays show of each post (from ABlog, after reading)."""
    blog = get_blog(app)
    infos: dict[str, dict] = {}
    for post in [*blog.posts, *blog.drafts]:
        if post.docname in infos:
            continue
        infos[post.docname] = {
            "title": post.title,
            "date": post.date.isoformat() if post.date else "",
            "month": month_year(post.date) if post.date else "",
            "excerpt": " ".join(" ".join(n.astext() for n in post.excerpt).split()),
            "tags": sorted(str(t) for t in post.tags or ()),
            "published": bool(post.published),
        }
    return infos


def model_inputs(
    concepts: dict[str, dict], refs: dict[str, list], posts: dict[str, dict], indexes: Iterable[str]
) -> str:
    """A digest of everything ``build_model`` and ``page_signatures`` read (not
    the line numbers of references, which only locate warnings), in an order
    that does not depend on which documents were read again."""
    shown = (
        sorted(concepts.items()),
        sorted((d, [target for target, _ in r]) for d, r in refs.items()),
        sorted(posts.items()),
        sorted(indexes),
    )
    return hashlib.sha256(repr(shown).encode("utf-8")).hexdigest()


def _problem_pages(domain: ConceptDomain, env: BuildEnvironment) -> list[str]:
    # Pages with a problem are rewritten on every build, so that the warning
    # repeats until the source is fixed (else -W passes on the second build).
    model = domain.data["model"]
    problems = {d for d, res in model["resolved"].items() if None in res.values()}
    problems |= {domain.concepts[s]["docname"] for s in model["unknown_related"]}
    return sorted(problems & set(env.all_docs))


def _get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain: ConceptDomain = env.domains[DOMAIN]
    if not documents_changed(env) and domain.data["model"] is not None:
        # Nothing was read or removed: the model and every page's view of it stand.
        return _problem_pages(domain, env)
    infos = post_infos(app)
    inputs = model_inputs(domain.concepts, domain.refs, infos, domain.data["indexes"])
    if inputs == domain.data.get("inputs") and domain.data["model"] is not None:
        # Documents were read again, but no concept, reference, title, date,
        # excerpt or tag changed (an essay's text was edited): the same model.
        return _problem_pages(domain, env)
    model = build_model(domain.concepts, domain.refs, infos)
    domain.data["model"], domain.data["inputs"] = model, inputs
    signatures = page_signatures(domain.concepts, model, domain.data["indexes"])
    previous, domain.data["signatures"] = domain.data["signatures"], signatures
    if previous.get("") != signatures[""] and previous:
        return sorted(env.all_docs)
    changed = {d for d, sig in signatures.items() if d and previous.get(d) != sig}
    return sorted((changed & set(env.all_docs)).union(_problem_pages(domain, env)))


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
    logger.warning(msg, location=node, type="concept", subtype="unknown")
    return True


def _check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    domain: ConceptDomain = env.domains[DOMAIN]
    _, clashes = name_index(domain.concepts)
    for key, first, second in clashes:
        c = domain.concepts[second]
        logger.warning(
            "concept name or alias '%s' of '%s' is already used by '%s': remove it from one",
            key,
            c["name"],
            domain.concepts[first]["name"],
            location=(c["docname"], c["lineno"]),
            type="concept",
            subtype="duplicate",
        )


def setup_concept_domain(app: Sphinx) -> None:
    app.add_domain(ConceptDomain)
    app.add_directive("concept", ConceptDirective)
    app.add_directive("concept-index", ConceptIndexDirective)
    app.add_role("concept", ConceptRole())
    app.add_node(concept_page_extra)
    app.add_node(concept_index)
    app.connect("doctree-read", _doctree_read)
    app.connect("env-get-updated", _get_updated)
    app.connect("warn-missing-reference", _warn_missing)
    app.connect("env-check-consistency", _check_consistency)
