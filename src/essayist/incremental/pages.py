"""Which pages must be rewritten because what they show of other documents changed.

Sphinx rewrites a page when its own source changes. Pages also show other
documents: a post list, a post's previous and next posts, an essay's concepts
and related essays, a concept's backlinks. Each feature declares what every page
shows of other documents by answering the ``essayist-page-views`` event::

    def views(app, env) -> dict[str, dict[str, object] | None]:
        return {"blog:postlists": {docname: signature, ...}}

A view maps a docname to a signature of what that page shows (the key ``""``
is what every page shows, such as navigation titles: when it changes every page
is rewritten); ``None`` says "unchanged since the last build". The signatures'
digests are kept in the environment; ``env-get-updated`` returns exactly the
pages whose signature changed. When a build read and removed no document,
nothing a page shows of others can have changed, and no view is asked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from ..config import Event
from .state import StateFile, build_cache, digest

EVENT = Event.PAGE_VIEWS.value


class PageViews(Domain):
    """The digests of what each page showed of other documents, by view."""

    name = "essayist-views"
    label = "essayist page views"
    initial_data: dict[str, Any] = {"views": {}}

    def clear_doc(self, docname: str) -> None:
        pass  # views are worked out after reading, from every document

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        pass  # parallel readers work out no views

    def resolve_any_xref(self, *args, **kwargs):
        return []


def _changed_docs(app: Sphinx) -> set[str]:
    return build_cache(app).setdefault("changed_docs", set())


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _changed_docs(app).update(docnames)


def _purged(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _changed_docs(app).add(docname)


def documents_changed(app: Sphinx) -> bool:
    """Whether this build read or removed any document."""
    return bool(_changed_docs(app))


def compare_views(
    stored: dict[str, dict[str, str]], views: dict[str, dict[str, object] | None]
) -> tuple[set[str], bool]:
    """Update ``stored`` (view -> docname -> digest) with ``views``; return the
    pages whose signature changed, and whether what every page shows changed."""
    changed: set[str] = set()
    everything = False
    for name, view in views.items():
        if view is None:
            continue
        new = {docname: digest(sig) for docname, sig in view.items()}
        old = stored.get(name)
        if old is not None:
            everything |= old.get("") != new.get("")
            changed.update(d for d, sig in new.items() if d and old.get(d) != sig)
        stored[name] = new
    return changed, everything


def _get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    stored = env.domains[PageViews.name].data["views"]
    if stored and not documents_changed(app):
        return []
    views: dict[str, dict[str, object] | None] = {}
    for answer in app.emit(EVENT, env):
        views.update(answer or {})
    changed, everything = compare_views(stored, views)
    if everything:
        return sorted(env.all_docs)
    # Documents that were just read are written anyway.
    return sorted(changed & set(env.all_docs))


def _navigation(app: Sphinx, env: BuildEnvironment) -> dict[str, dict[str, object]]:
    """What every page's sidebar shows: the title of each page in the site's
    tables of contents, and their order (a page's new title was shown on
    that page and its neighbours only)."""
    titles = sorted(
        (d, env.titles[d].astext())
        for d in env.all_docs
        if d in env.titles and not env.metadata.get(d, {}).get("orphan")
    )
    tree = sorted((d, list(children)) for d, children in env.toctree_includes.items())
    return {"site:navigation": {"": (titles, tree)}}


def template_files(app: Sphinx) -> list[tuple[str, int, int]]:
    """The project's own templates (``templates_path``), by path, size and
    time: a template removed changes this, where the newest time would not."""
    found = []
    for folder in app.config.templates_path:
        root = Path(app.srcdir, folder)
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    found.append((path.as_posix(), stat.st_size, stat.st_mtime_ns))
    return found


def _outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Every document, when a template of the last build is gone (Sphinx looks
    only at the newest template's time: an edit or a new one it sees itself).
    The list is kept in a file of its own, not the environment: a build that
    only added a template read no document, and Sphinx then does not save the
    environment."""
    current = [path for path, _, _ in template_files(app)]
    state = StateFile(app, "templates")
    before = state.load()
    state.save(current)
    return sorted(env.found_docs) if before is not None and set(before) - set(current) else []


def setup_pages(app: Sphinx) -> None:
    app.add_domain(PageViews)
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-purge-doc", _purged)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-get-updated", _get_updated)
    app.connect(EVENT, _navigation)
