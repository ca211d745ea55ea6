"""Each page loads the stylesheets and scripts its own content needs, no others.

Sphinx gives every page every asset an extension registers: the copy button
(sphinx-copybutton's script and stylesheet, and the clipboard library) and
Pygments' colours load on essays without a line of code, the concept previews'
script on pages without a concept or essay link. ``needed_assets`` decides,
from a page's body HTML, which of the assets ``RULES`` names the page uses;
the ``html-page-context`` handler takes the others out of ``css_files`` and
``script_files`` before Furo's template writes them.

A page whose content a template writes (ABlog's listings, which render their
excerpts while the page is written, after ``<head>``) has no body to read: it
keeps every asset. Sphinx's own search and index pages hold no code or
concept links. An asset no rule names is always kept.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sphinx.application import Sphinx

from ..config import Order

# After every handler that adds a page's assets (Furo, ABlog, content.math: 500).

# Pages made from a template alone, whose content is known: nothing a rule names.
BODYLESS_TEMPLATES = frozenset({"search.html", "genindex.html", "genindex-split.html"})


@dataclass(frozen=True)
class Rule:
    """``files`` (paths under ``_static/``) are needed when the body has any
    element in ``tags`` or any element with a class in ``classes``."""

    files: tuple[str, ...]
    tags: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()

    def needed(self, tags: set[str], classes: set[str]) -> bool:
        return bool(self.tags & tags or self.classes & classes)


RULES = (
    # sphinx-copybutton puts a button on ``div.highlight pre``
    # (``copybutton_selector``): any <pre> keeps it, to be safe.
    Rule(("copybutton.css", "clipboard.min.js", "copybutton.js"), tags=frozenset({"pre"})),
    # Pygments' token colours: highlighted blocks and inline code.
    Rule(
        ("pygments.css", "pygments_dark.css"),
        tags=frozenset({"pre"}),
        classes=frozenset({"highlight"}),
    ),
    # Furo's styles for other extensions: code's copy buttons, sphinx-design and
    # sphinx-panels boxes, Read the Docs' injected menus (blocked by the CSP).
    # Its ``[role=main] .container`` rule also takes the side padding off every
    # docutils container: kept where a container is styled with one (a concept's
    # definition and map), so those pages look as before.
    Rule(
        ("styles/furo-extensions.css",),
        tags=frozenset({"pre"}),
        classes=frozenset(
            {
                "highlight",
                "copybtn",
                "sphinx-bs",
                "shadow",
                "sd-card",
                "sd-tab-content",
                "sd-cards-carousel",
                "sd-card-hover",
                "sd-shadow-sm",
                "sd-shadow-md",
                "sd-shadow-lg",
                "concept-definition",
                "concept-map",
                "concept-map-section",
            }
        ),
    ),
    # Hover and focus previews of concept and essay links (concepts.previews).
    Rule(("essayist-previews.js",), classes=frozenset({"concept-ref", "essay-ref"})),
    # What essayist-concepts.css styles (the previews' own box is made by the
    # script above, so it comes with a concept or essay link).
    Rule(
        ("essayist-concepts.css",),
        classes=frozenset(
            {
                "concept-ref",
                "essay-ref",
                "concept-definition",
                "concept-aliases",
                "concept-count",
                "concept-feed",
                "concept-list",
                "essay-list",
                "essay-item-title",
                "essay-item-date",
                "essay-item-excerpt",
            }
        ),
    ),
)

_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)

A = TypeVar("A")


def tags_and_classes(html: str) -> tuple[set[str], set[str]]:
    """The element names and the class names used in ``html``."""
    tags = {t.lower() for t in _TAG.findall(html)}
    classes = {c for m in _CLASS.finditer(html) for c in "".join(m.groups("")).split()}
    return tags, classes


def static_name(asset: object) -> str:
    """An asset's path under ``_static/`` ("" for an inline script or another host)."""
    name = str(getattr(asset, "filename", asset) or "")
    name = name.split("?", 1)[0].split("#", 1)[0]
    if "://" in name or name.startswith("//"):
        return ""
    name = posixpath.normpath(name) if name else ""
    return name.removeprefix("_static/") if name.startswith("_static/") else ""


def unneeded_files(body: str | None, rules: Iterable[Rule] = RULES) -> set[str]:
    """The ``_static/`` files of ``rules`` a page with this body does not use.

    ``body`` is None for a page whose content is not known: it needs them all.
    """
    if body is None:
        return set()
    tags, classes = tags_and_classes(body)
    needed: set[str] = set()
    unneeded: set[str] = set()
    for rule in rules:
        (needed if rule.needed(tags, classes) else unneeded).update(rule.files)
    # A file two rules name stays when either needs it.
    return unneeded - needed


def needed_assets(body: str | None, assets: Sequence[A], rules: Iterable[Rule] = RULES) -> list[A]:
    """``assets`` (Sphinx's ``css_files`` or ``script_files``, or their
    names) without those a page with this body does not use, in order."""
    drop = unneeded_files(body, rules)
    return [a for a in assets if static_name(a) not in drop]


def page_body(templatename: str, context: dict) -> str | None:
    """What the page shows that a rule could need, or None when it is not known."""
    body = context.get("body")
    if isinstance(body, str):
        return body
    if templatename in BODYLESS_TEMPLATES:
        return ""
    return None


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html":
        return
    body = page_body(templatename, context)
    if body is None:
        return
    drop = unneeded_files(body)  # once a page: reading the body is the cost
    for key in ("css_files", "script_files"):
        assets = context.get(key)
        if isinstance(assets, list):
            # In place: the builder's own list, restored for the next page.
            assets[:] = [a for a in assets if static_name(a) not in drop]


def setup_assets(app: Sphinx) -> None:
    app.connect("html-page-context", _page_context, priority=Order.ASSETS)
