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
import os
import posixpath
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import docname_join

from ..config import Order
from .pages import template_files
from .state import StateFile, build_cache, digest, doc_data

STATE = "outputs"
GLOBAL_KEY = "__all__"
OUTPUTS_KEY = "__files__"
# Settings whose change can change a generated page or feed.
_SETTINGS = ("blog_", "post_", "essayist_", "html_", "myst_", "project", "language", "copyright")
_PACKAGE = Path(__file__).parent.parent
# Where a post's record (ABlog's, kept in the environment) holds its excerpt's digest.
EXCERPT_DIGEST = "essayist_excerpt_digest"
# ... and the references in its excerpt.
EXCERPT_XREFS = "essayist_excerpt_xrefs"


def _code_signature() -> tuple:
    """This package's files, so that a change to its code rewrites its outputs."""
    return tuple(
        sorted(
            (p.relative_to(_PACKAGE).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
            for p in _PACKAGE.rglob("*")
            if p.is_file() and p.suffix in (".py", ".html", ".css", ".js")
        )
    )


def post_signature(post) -> tuple:
    """What a listing can show of one post (computed once per post object:
    ABlog's posts are rebuilt for every build)."""
    cached = getattr(post, "_essayist_signature", None)
    if cached is None:
        cached = post._essayist_signature = _post_signature(post)
    return cached


def excerpt_signature(excerpt) -> str:
    """A digest of a post's excerpt (its nodes, as docutils prints them)."""
    return digest(tuple(n.pformat() for n in excerpt))


def _post_signature(post) -> tuple:
    # The excerpt's digest, worked out when the post was read (blog.adapter):
    # printing a thousand excerpts is most of a rebuild's work on the listings.
    excerpt = (getattr(post, "options", None) or {}).get(EXCERPT_DIGEST)
    return (
        post.docname,
        post.title,
        post.date.isoformat() if post.date else "",
        post.update.isoformat() if post.update else "",
        bool(post.published),
        tuple(str(t) for t in post.tags),
        tuple(str(c) for c in post.category),
        tuple(str(a) for a in post.author),
        excerpt or excerpt_signature(post.excerpt),
    )


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    sha = hashlib.sha256(source[0].encode("utf-8")).hexdigest()
    doc_data(app.env, "sources:sha")[docname] = sha


def xref_target(ref: addnodes.pending_xref) -> str:
    """A reference's target; a document's as an absolute name (``/posts/2026/x``).
    Relative (``../2026/x``, ``x.md``) it named no title here, so a post whose
    text shows another's title was not rewritten when that title changed."""
    target = ref.get("reftarget", "")
    if ref.get("reftype") not in ("doc", "myst") or target.startswith(("/", "#")):
        return target
    if "://" in target or not ref.get("refdoc"):
        return target
    path = target.split("#", 1)[0]
    if ref.get("reftype") == "myst":
        path = posixpath.splitext(path)[0]
    return "/" + docname_join(ref["refdoc"], path)


def xref_targets(tree: nodes.Node) -> list[tuple[str, str, str]]:
    """(domain, type, target) of every reference in ``tree``."""
    return [
        (ref.get("refdomain"), ref.get("reftype"), xref_target(ref))
        for ref in tree.findall(addnodes.pending_xref)
    ]


def excerpt_xrefs(excerpt) -> list[tuple[str, str, str]]:
    """(domain, type, target) of every reference in a post's excerpt."""
    return [t for n in excerpt for t in xref_targets(n)]


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    doc_data(app.env, "sources:xrefs")[app.env.docname] = xref_targets(doctree)


def xref_shown(env, refdomain: str, reftype: str, target: str):
    """What a reference shows of what it names: a document's title (text), a
    label's (docname, id, title), what an essayist domain says; or None."""
    if reftype in ("doc", "myst"):
        docname = target.lstrip("/")
        return env.titles[docname].astext() if docname in env.titles else None
    domain = env.domains.get(refdomain)
    if hasattr(domain, "essayist_shown"):
        # A domain of essayist's own says what a reference to it shows.
        return domain.essayist_shown(target)
    return env.domains["std"].labels.get(target)


def _xref_titles(app: Sphinx, targets: list[tuple[str, str, str]]) -> tuple:
    """What references show of other documents (their titles)."""
    # Asked after reading, when titles are final: one answer per target a build.
    known = build_cache(app).setdefault("outputs:xref-titles", {})
    shown = []
    for xref in targets:
        if xref not in known:
            known[xref] = xref_shown(app.env, *xref)
        shown.append((*xref, known[xref]))
    return tuple(shown)


def post_fingerprint(app: Sphinx, post, full: bool) -> tuple:
    """What a listing (``full=False``: metadata and excerpt) or a feed entry
    (``full=True``: the whole text too) can show of one post, with the files
    it shows or includes (an image added after a build that missed it, an
    edited ``{literalinclude}``: the post's own text is the same)."""
    files = _dependencies(app, post.docname)
    if not full:
        targets = (getattr(post, "options", None) or {}).get(EXCERPT_XREFS)
        if targets is None:
            targets = excerpt_xrefs(post.excerpt)
        return (post_signature(post), _xref_titles(app, targets), files)
    targets = doc_data(app.env, "sources:xrefs").get(post.docname, [])
    sha = doc_data(app.env, "sources:sha").get(post.docname)
    return (post_signature(post), sha, _xref_titles(app, targets), files)


def _dependencies(app: Sphinx, docname: str) -> list:
    """Each file ``docname`` depends on, as it is now: its size and time, or
    ``None`` when it is not there."""
    found = []
    for path in sorted(map(str, app.env.dependencies.get(docname, ()))):
        try:
            stat = os.stat(path)
        except OSError:
            found.append((path, None))
        else:
            found.append((path, stat.st_size, stat.st_mtime_ns))
    return found


class OutputState:
    """Signatures of the last successful build's generated outputs."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.file = StateFile(app, STATE)
        self.previous: dict[str, str] = self.file.load({})
        self.current: dict[str, str] = {}
        # Feed entries rendered this build (feeds.py prunes its cache after one).
        self.entries_rendered = 0
        self._site: str | None = None
        self._all_current: bool | None = None
        self._posts: dict[tuple[str, bool], str] = {}

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
                    _config_hash(app),
                    templates.newest_template_mtime() if templates else 0,
                    template_files(app),  # a template removed, too
                    files,
                    nav,
                    _code_signature(),
                )
            )
        return self._site

    def all_current(self) -> bool:
        """True when nothing a generated output can show has changed since the
        last build: no source, setting, template, static file or code. Then no
        per-page signature is worked out at all."""
        if self._all_current is None:
            app = self.app
            sha = doc_data(app.env, "sources:sha")
            settings = sorted(
                (name, repr(app.config[name]))
                for name in app.config._options
                if name.startswith(_SETTINGS)
            )
            signature = digest(
                (
                    self.site_signature(),
                    sorted(sha.items()),
                    # What the documents show or include besides their text.
                    [(doc, _dependencies(app, doc)) for doc in sorted(app.env.dependencies)],
                    settings,
                    os.environ.get("SOURCE_DATE_EPOCH"),
                )
            )
            self.current[GLOBAL_KEY] = signature
            self._all_current = self.previous.get(GLOBAL_KEY) == signature and all(
                (Path(app.builder.outdir) / path).is_file()
                for key, path in self.previous.get(OUTPUTS_KEY, {}).items()
            )
            if self._all_current:
                self.current.update(self.previous)
        return self._all_current

    def posts(self, posts: Iterable, full: bool = False) -> tuple:
        out = []
        for post in posts:
            key = (post.docname, full)
            if key not in self._posts:
                self._posts[key] = digest(post_fingerprint(self.app, post, full))
            out.append(self._posts[key])
        return tuple(out)

    def is_current(self, key: str, signature: str, outfile: Path) -> bool:
        """Record ``signature``; true when the output is already up to date."""
        self.current[key] = signature
        outputs = self.current.setdefault(OUTPUTS_KEY, {})
        outputs[key] = outfile.relative_to(self.app.builder.outdir).as_posix()
        return self.previous.get(key) == signature and outfile.is_file()

    def save(self) -> None:
        self.file.save(self.current)


def _config_hash(app: Sphinx) -> tuple[str, str]:
    """Sphinx's hashes of the settings and tags a page depends on (the site's
    address, its name, the theme's options): any change rewrites every page."""
    info = getattr(app.builder, "build_info", None)
    return getattr(info, "config_hash", ""), getattr(info, "tags_hash", "")


def output_state(app: Sphinx) -> OutputState:
    cache = build_cache(app)
    if "outputs" not in cache:
        cache["outputs"] = OutputState(app)
    return cache["outputs"]


def page_signature(
    state: OutputState, pagename: str, context: dict, template: str, members=iter
) -> str:
    """An archive page's signature: its title and the posts it lists.

    ``members(collection)``: a collection's posts, in any order that depends
    only on the posts (the order a page lists them in follows from what the
    signature holds of each: its date and title)."""
    shown = []
    if "collection" in context:
        shown.append(state.posts(members(context["collection"])))
    for collection in context.get("catalog") or ():
        shown.append((str(collection), collection.docname, state.posts(members(collection))))
    extra = (context.get("title"), context.get("header"), context.get("feed_path"))
    return digest((state.site_signature(), pagename, template, extra, shown))


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    state = build_cache(app).get("outputs")
    if state is not None and exception is None and state.current:
        state.save()


def setup_outputs(app: Sphinx) -> None:
    app.connect("source-read", _source_read)
    app.connect("doctree-read", _doctree_read)
    app.connect("build-finished", _build_finished, priority=Order.OUTPUTS_SAVED)
