"""The concept model: what every page shows of concepts, from plain data.

``build_model`` turns definitions, references and the posts' metadata into
backlinks, related concepts, each essay's concepts and related essays, and
counts. ``page_signatures`` says what each page shows of it: a page whose
signature changes is rewritten (``essayist.incremental.pages``). Pure functions,
tested without Sphinx.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import takewhile
from typing import Any

from ..blog.limits import file_slug
from ..incremental.state import digest
from .source import normalize_concept_name, suggested


def name_index(concepts: dict[str, dict]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """normalised name/alias/slug -> slug, and the clashes (key, owner, other).

    A key two concepts claim belongs to the one it names best: the page whose
    file name the key makes (``goodharts-law`` for "Goodhart's Law"), then the
    one whose own name it is, then the one it is an alias of; only then the
    first by slug. A page added later never takes a name from the page made
    for it."""
    claims: dict[str, list[tuple[int, str]]] = {}
    for slug in sorted(concepts):
        c = concepts[slug]
        ranked: dict[str, int] = {}
        for rank, key in ((1, slug), (1, c["name"]), *((2, a) for a in c["aliases"])):
            normal = normalize_concept_name(key)
            best = 0 if file_slug(normal) == slug else rank
            ranked[normal] = min(ranked.get(normal, best), best)
        for normal, rank in ranked.items():
            claims.setdefault(normal, []).append((rank, slug))
    index: dict[str, str] = {}
    clashes = []
    for key, owners in claims.items():
        owners.sort()
        index[key] = owners[0][1]
        clashes += [(key, owners[0][1], slug) for _, slug in owners[1:]]
    return index, clashes


def suggestions(target: str, concepts: dict[str, dict]) -> list[str]:
    """Names of the concepts closest to ``target`` (by name, alias or slug),
    as ``blog check`` offers them (``source.suggested``)."""
    by_key: dict[str, str] = {}
    for slug in sorted(concepts):
        c = concepts[slug]
        for key in (c["name"], *c["aliases"], slug):
            by_key.setdefault(key, c["name"])
    return suggested(target, by_key)


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
    index, _ = name_index(concepts)
    # Each name normalised once, not once a reference or a sort.
    sort_key = {
        slug: (normalize_concept_name(c["name"]), slug) for slug, c in concepts.items()
    }.__getitem__
    targets: dict[str, str | None] = {}
    for docname_refs in refs.values():
        for target, _ in docname_refs:
            if target not in targets:
                targets[target] = index.get(normalize_concept_name(target))

    resolved: dict[str, dict[str, str | None]] = {}
    for docname in sorted(refs):
        resolved[docname] = {target: targets[target] for target, _ in refs[docname]}
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
    return digest(shown)
