"""Regenerate archive pages and feeds only when what they show has changed.

ABlog yields every archive page, and writes every feed, on every build: with
300 essays a build where nothing changed spends seconds re-rendering pages that
come out identical. Each generated output gets a signature of everything it
shows — the posts listed (their metadata, excerpt and source), the page's
title, and the site-wide parts every page carries (navigation titles, theme
templates, static files, configuration). The signatures of the last successful
build are kept in ``<doctreedir>/essayist-outputs.json``; an output whose
signature and file are unchanged is skipped.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain

from .freshness import post_signature

STATE_FILE = "essayist-outputs.json"


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


class SourcesDomain(Domain):
    """The hash of each document's source, to tell when a post's text changed."""

    name = "essayist-sources"
    label = "Sources"
    initial_data = {"sha": {}}

    def clear_doc(self, docname: str) -> None:
        self.data["sha"].pop(docname, None)

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for docname in docnames:
            if docname in otherdata["sha"]:
                self.data["sha"][docname] = otherdata["sha"][docname]

    def resolve_any_xref(self, *args, **kwargs):
        return []


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    sha = hashlib.sha256(source[0].encode("utf-8")).hexdigest()
    app.env.domains[SourcesDomain.name].data["sha"][docname] = sha


def _xref_titles(app: Sphinx, tree: nodes.Node) -> tuple:
    """What a post's references show of other documents (their titles)."""
    env = app.env
    labels = env.domains["std"].labels
    shown = []
    for ref in tree.findall(addnodes.pending_xref):
        target = ref.get("reftarget", "")
        title = None
        if ref.get("reftype") in ("doc", "myst"):
            docname = target.lstrip("/")
            title = env.titles[docname].astext() if docname in env.titles else None
        elif ref.get("refdomain") == "concept" and "concept" in env.domains:
            # The concept's slug, page and name, or None when it is unknown.
            title = env.domains["concept"].shown(target)
        elif target in labels:
            title = labels[target]
        shown.append((ref.get("refdomain"), ref.get("reftype"), target, title))
    return tuple(shown)


def post_fingerprint(app: Sphinx, post, full: bool) -> tuple:
    """What a listing (``full=False``: metadata and excerpt) or a feed entry
    (``full=True``: the whole text too) can show of one post."""
    if not full:
        excerpt = nodes.container()
        excerpt.extend(n.deepcopy() for n in post.excerpt)
        return (post_signature(post), _xref_titles(app, excerpt))
    sha = app.env.domains[SourcesDomain.name].data["sha"].get(post.docname)
    return (post_signature(post), sha, _xref_titles(app, post.doctree))


class OutputState:
    """Signatures of the last successful build's generated outputs."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.path = Path(app.doctreedir) / STATE_FILE
        try:
            self.previous: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.previous = {}
        self.current: dict[str, str] = {}
        self._site: str | None = None
        self._posts: dict[tuple[str, bool], tuple] = {}

    def site_signature(self) -> str:
        """What every generated page shows besides its own content."""
        if self._site is None:
            app, env = self.app, self.app.env
            static = Path(app.builder.outdir) / "_static"
            # By content: Sphinx rewrites some static files on every build.
            files = sorted(
                (p.relative_to(static).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest())
                for p in static.rglob("*")
                if p.is_file()
            )
            nav = sorted(
                (d, env.titles[d].astext())
                for d in env.all_docs
                if d in env.titles and not env.metadata.get(d, {}).get("orphan")
            )
            templates = app.builder.templates
            self._site = digest(
                (
                    getattr(app.builder, "config_hash", ""),
                    templates.newest_template_mtime() if templates else 0,
                    files,
                    nav,
                )
            )
        return self._site

    def posts(self, posts: Iterable, full: bool = False) -> tuple:
        out = []
        for post in posts:
            key = (post.docname, full)
            if key not in self._posts:
                self._posts[key] = post_fingerprint(self.app, post, full)
            out.append(self._posts[key])
        return tuple(out)

    def is_current(self, key: str, signature: str, outfile: Path) -> bool:
        """Record ``signature``; true when the output is already up to date."""
        self.current[key] = signature
        return self.previous.get(key) == signature and outfile.is_file()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.current, sort_keys=True), encoding="utf-8")


_STATES: weakref.WeakKeyDictionary[Sphinx, OutputState] = weakref.WeakKeyDictionary()


def output_state(app: Sphinx) -> OutputState:
    if app not in _STATES:
        _STATES[app] = OutputState(app)
    return _STATES[app]


def page_signature(state: OutputState, pagename: str, context: dict, template: str) -> str:
    """An archive page's signature: its title and the posts it lists."""
    shown = []
    if "collection" in context:
        shown.append(state.posts(context["collection"]))
    for collection in context.get("catalog") or ():
        shown.append((str(collection), collection.docname, state.posts(collection)))
    extra = (context.get("title"), context.get("header"), context.get("feed_path"))
    return digest((state.site_signature(), pagename, template, extra, shown))


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    state = _STATES.pop(app, None)
    if state is not None and exception is None and state.current:
        state.save()


def setup_outputs(app: Sphinx) -> None:
    app.add_domain(SourcesDomain)
    app.connect("source-read", _source_read)
    app.connect("build-finished", _build_finished)
