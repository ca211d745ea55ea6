"""Furo's navigation, resolved once per folder and marked for each page.

Furo asks Sphinx for the whole site toctree on every page it writes
(``toctree(collapse=False, titles_only=True, maxdepth=-1, includehidden=True)``),
and Sphinx copies and resolves every entry — with every heading of every page in
the tree — before dropping the headings again; Furo then parses the HTML it got
and writes it out again (``furo/navigation.py``). With 500 concept pages in the
tree that is about 0.3 s a page, for every page: the build grows as N².

Resolved for a page, the tree differs from the same tree resolved for no page
only where it links to that page (``navmarks``): the link points at ``#`` and,
with the ``<li>`` and ``<ul>`` elements that hold it, gets the class ``current``
(in Furo's tree their expand checkboxes are checked too, and the last such
``<li>`` is the ``current-page``). Relative links depend on nothing but the page's folder.
So this module resolves the tree once per folder and set of arguments, for an
imaginary page of that folder, and for each page marks its own links in it, in
Sphinx's HTML and in Furo's (whose rules are in ``essayist.theme.furo``). A page
the tree does not link to gets the folder's string itself, which also lets
Furo's own cache answer.

A page no toctree can list (an essay, an archive page) gets the folder's tree
whatever the arguments. For the other pages Sphinx's own answer is kept where
marking would not be exact: a tree that collapses (what it shows depends on
the page) or is cut at a depth (Sphinx marks the branch of a page listed below
the cut), a page whose toctree ancestors have ``only`` directives in their
table of contents (Sphinx copies those differently for ancestors), and
builders whose addresses are not the ``html`` builder's (``dirhtml``: each page
has its own folder). The first page marked in each tree is checked against
Sphinx's and Furo's own answers: a difference stops the build
(``NavigationChanged``, ``FuroChanged``) rather than publish different pages.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.domains.std import StandardDomain

from ..config import Order
from ..incremental.state import KeptByNode
from ..theme import furo
from .navmarks import (
    Marks,
    NavigationChanged,
    Tag,
    Template,
    apply,
    attributes,
    scan,
    with_class,
    with_href,
)

_CACHE_ATTR = "_essayist_navcache"
# No document is named so: the imaginary page of a folder, for which no entry
# of the tree is current.
_NOBODY = "\x00navigation"


def cache_key(target_uri: str, kwargs: Mapping[str, object]) -> tuple:
    """Pages in one folder, asking with the same arguments, get the same tree."""
    return posixpath.dirname(target_uri), tuple(sorted((k, repr(v)) for k, v in kwargs.items()))


def nobody_in(pagename: str) -> str:
    """The imaginary page in the folder of ``pagename``."""
    return posixpath.join(posixpath.dirname(pagename), _NOBODY)


def html_addresses(builder) -> bool:
    """Whether ``builder`` resolves trees and addresses as the ``html`` builder."""
    cls = type(builder)
    local = getattr(StandaloneHTMLBuilder, "_get_local_toctree", None)
    if local is None:
        raise NavigationChanged("Sphinx has no StandaloneHTMLBuilder._get_local_toctree")
    return (
        isinstance(builder, StandaloneHTMLBuilder)
        and cls._get_local_toctree is local
        and cls.get_target_uri is StandaloneHTMLBuilder.get_target_uri
        and cls.get_relative_uri is StandaloneHTMLBuilder.get_relative_uri
    )


# Whether a table of contents has ``only`` directives, kept by the toc: a
# rebuild looks into the tocs of the documents it read again, not all.
_HAS_ONLY = KeptByNode(lambda toc: next(toc.findall(addnodes.only), None) is not None)


def with_only(env) -> frozenset[str]:
    """Documents whose table of contents has ``only`` directives."""
    names = list(env.tocs)
    flags = _HAS_ONLY.values([env.tocs[d] for d in names])
    return frozenset(d for d, has in zip(names, flags, strict=True) if has)


def visible_marks(kwargs: Mapping[str, object]) -> bool:
    """Whether every entry Sphinx marks current is in the tree it returns: not
    when it collapses branches (by what is current) or cuts the tree at a
    depth after marking it (``maxdepth`` 0 leaves that to each toctree)."""
    try:
        maxdepth = int(kwargs.get("maxdepth", 0) or 0)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False
    return kwargs.get("collapse", True) is False and maxdepth < 0


def toctree_members(includes: Mapping[str, Iterable[str]], root_doc: str) -> frozenset[str]:
    """Every document that is a toctree's parent or child (hidden ones too)."""
    members = {root_doc, *includes}
    for children in includes.values():
        members.update(children)
    return frozenset(members)


def generated_entries() -> frozenset[str]:
    """Pages a toctree may list that are not documents (``genindex``...)."""
    virtual = getattr(StandardDomain, "_virtual_doc_names", {})
    return frozenset({"genindex", "py-modindex", "search"}) | {
        docname for docname, _section in virtual.values()
    }


def parents_of(includes: Mapping[str, list[str]]) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {}
    for parent, children in includes.items():
        for child in children:
            parents.setdefault(child, set()).add(parent)
    return parents


class NavigationCache:
    """The resolved toctrees of one writing pass, by folder and arguments."""

    def __init__(self, builder, *, furo_navigation: bool = True) -> None:
        self.builder = builder
        self.furo_navigation = furo_navigation
        self.usable = html_addresses(builder)
        self.templates: dict[tuple, Template] = {}
        self.furo_trees: dict[tuple, tuple[str, list[Tag]]] = {}
        self.checked: set[tuple] = set()
        env = builder.env
        self.parents = parents_of(env.toctree_includes)
        # The pages a tree can mark current, by a link to them.
        self.referable = toctree_members(env.toctree_includes, env.config.root_doc)
        self.referable |= generated_entries()
        self.with_only = with_only(env)

    def ancestors_have_only(self, pagename: str) -> bool:
        """Whether the page or a toctree ancestor of it has ``only`` in its ToC."""
        seen, todo = set(), [pagename]
        while todo:
            doc = todo.pop()
            if doc in self.with_only:
                return True
            if doc not in seen:
                seen.add(doc)
                todo.extend(self.parents.get(doc, ()))
        return False

    def wrap(self, pagename: str, target_uri: str, toctree: Callable[..., str]):
        builder = self.builder
        if not self.usable or self.ancestors_have_only(pagename):
            return toctree
        nobody = nobody_in(pagename)
        if posixpath.dirname(builder.get_target_uri(nobody)) != posixpath.dirname(target_uri):
            return toctree
        address = builder.get_relative_uri(nobody, pagename)

        referable = pagename in self.referable

        def cached_toctree(**kwargs) -> str:
            key = cache_key(target_uri, kwargs)
            template = self.templates.get(key)
            if template is None:
                html = builder._get_local_toctree(nobody, **dict(kwargs))
                template = self.templates[key] = Template(html)
            if not referable:
                return template.html  # nothing in the tree is this page
            if not template.usable or not visible_marks(kwargs):
                return toctree(**kwargs)
            if address not in template.links:
                return template.html
            marks = template.marks(address)
            html = template.marked(marks)
            checking = key not in self.checked
            if checking:
                self.checked.add(key)
                if html != toctree(**kwargs):
                    raise NavigationChanged(
                        f"Sphinx resolves the navigation of {pagename!r} otherwise"
                    )
            if self.furo_navigation:
                furo.offer_navigation(
                    html, lambda: self.furo_tree(key, marks, html if checking else None)
                )
            return html

        return cached_toctree

    def furo_tree(self, key: tuple, marks: Marks, check: str | None = None) -> str:
        """Furo's navigation for the page of ``marks``; compared with Furo's own
        answer for Sphinx's HTML ``check`` when given."""
        template = self.templates[key]
        if key not in self.furo_trees:
            html = furo.navigation_tree(template.html)
            tags = scan(html)
            if tags is None or [t.name for t in tags] != [t.name for t in template.tags]:
                raise furo.FuroChanged(
                    "the lists and links of its navigation", "essayist.theme.furo.navigation_tree"
                )
            self.furo_trees[key] = html, tags
        html, tags = self.furo_trees[key]

        def class_of(index: int) -> str | None:
            return attributes(html[tags[index].start : tags[index].end]).get("class")

        classes, edits = furo.current_classes(html, tags, marks.current, class_of)
        for index in classes.keys() | marks.links:
            tag = tags[index]
            start_tag = html[tag.start : tag.end]
            if index in classes:
                start_tag = with_class(start_tag, *classes[index])
            if index in marks.links:
                start_tag = with_href(start_tag)
            edits.append((tag.start, tag.end, start_tag))
        marked = apply(html, edits)
        if check is not None and marked != furo.navigation_tree(check):
            raise furo.FuroChanged(
                "its navigation for a page in it", "essayist.theme.furo.current_classes"
            )
        return marked


def _write_started(app: Sphinx, builder) -> None:
    # The toctrees are final once reading is over: one cache per writing pass.
    uses_furo = "furo" in app.extensions
    if uses_furo:
        furo.install_navigation_shortcut()
    setattr(app.builder, _CACHE_ATTR, NavigationCache(app.builder, furo_navigation=uses_furo))


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    cache = getattr(app.builder, _CACHE_ATTR, None)
    if cache is None or "toctree" not in context:
        return
    context["toctree"] = cache.wrap(
        pagename, app.builder.get_target_uri(pagename), context["toctree"]
    )


def setup_navcache(app: Sphinx) -> None:
    app.connect("write-started", _write_started)
    app.connect("html-page-context", _page_context, priority=Order.NAV_CACHE)
