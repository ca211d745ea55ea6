"""What essayist knows of Furo's markup (pinned: furo 2025.12.19), in one place.

Furo writes a whole page in one template block (``body`` of its ``page.html``),
so the fixes in ``a11y`` and ``csp`` edit its rendered HTML. Each edit looks for
an exact piece of Furo's markup; when a Furo release changes it, the build
stops with ``FuroChanged`` saying what was not found and where essayist keeps
it, rather than publishing pages that silently lost the fix.
``tests/theme/test_furo_upstream.py`` checks each piece against the installed Furo.

The edits are made on the rendered string, not on a parsed and re-serialised
tree: re-serialising changes bytes all over the page (every self-closed SVG
element, attribute quoting), and parsing the whole page costs 1 to 5 ms a page.
Each edit finds one exact, known start tag and adds to it or moves it.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Mapping, Sequence

from sphinx.errors import ExtensionError

PINNED = "2025.12.19"

# Furo's inline colour-scheme script, at the top of <body>: a CSP without
# 'unsafe-inline' blocks it. (No upstream issue found, searched 2026-12-01.)
FURO_THEME_SCRIPT = (
    "<script>\n"
    '      document.body.dataset.theme = localStorage.getItem("theme") || "auto";\n'
    "    </script>"
)
# The two drawers (``<aside>``, both unnamed: axe ``landmark-unique``; cf.
# pradyunsg/furo#93, closed, on labels).
DRAWERS = ("sidebar-drawer", "toc-drawer")
# The drawers' checkboxes, hidden with ``display: none`` at the top of <body>,
# out of the keyboard's reach (pradyunsg/furo PR #660, open, would fix it).
TOGGLE = '<input type="checkbox" class="sidebar-toggle" name="{0}" id="{0}"'
NAV_TOGGLE_NAME = "__navigation"
TOC_TOGGLE_NAME = "__toc"
# Where the toggles go: the phone header's left part, the article's start.
HEADER_LEFT = '<div class="header-left">'
# Furo's base.html writes <meta name="viewport">; docutils' HTML5 writer adds one
# of its own to the page's ``metatags`` (docutils 0.22; Sphinx skips the first
# two of docutils' tags, and this is the third), so every page had two.
DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
ARTICLE = '<article role="main" id="furo-main-content">'
SKIP_LINK = '<a class="skip-to-content'


def furo_version() -> str:
    try:
        return importlib.metadata.version("furo")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class FuroChanged(ExtensionError):
    """Furo's markup is not what essayist edits."""

    def __init__(self, what: str, where: str) -> None:
        super().__init__(
            f"essayist: Furo {furo_version()} no longer writes {what} as Furo {PINNED} did, "
            f"so essayist cannot fix it. Pin furo=={PINNED}, or update {where} for this Furo."
        )


# -- Furo's navigation tree (furo/navigation.py) --------------------------------
#
# Furo turns Sphinx's toctree HTML into its sidebar by parsing it with
# BeautifulSoup and writing it out again (attributes sorted), for each page: each
# <li> with a <ul> gets the class "has-children" after Sphinx's, and right after
# its link a checkbox, checked when the <li> is "current"; the last "current" <li>
# gets "current-page". Furo caches the result by the HTML, which is the same for
# every page of a folder except where the page itself is in the tree: parsing a
# tree of 500 entries takes about 0.1 s, for each such page.
# ``essayist.speedups.navcache`` marks the page's entries in the folder's tree
# instead; these are the Furo rules it follows, and the shortcut by which Furo
# takes its answer.

HAS_CHILDREN = "has-children"
CURRENT_PAGE = "current-page"
CHECKBOX = ' class="toctree-checkbox"'
CHECKED = ' checked=""'


def navigation_tree(toctree_html: str) -> str:
    """Furo's own navigation tree for Sphinx's toctree HTML."""
    return _ORIGINAL[0](toctree_html) if _ORIGINAL else _furo().get_navigation_tree(toctree_html)


def current_classes(
    html: str,
    tags: Sequence,
    current: Mapping[int, tuple[str | None, str]],
    class_of: Callable[[int], str | None],
) -> tuple[dict[int, tuple[str | None, str]], list[tuple[int, int, str]]]:
    """What Furo writes differently for a page in its navigation ``html``.

    ``html`` is Furo's tree where nothing is current; ``tags`` its ``<ul>``,
    ``<li>`` and ``<a>`` elements in document order (each with ``name``,
    ``parent`` and, for a link, ``close``: where its end tag ends), the same as
    in Sphinx's tree; ``current`` the tags Sphinx marks current for the page
    (index: Sphinx's class before and after); ``class_of(index)`` the class of a
    tag in ``html``. Returns the classes Furo writes for these tags (index:
    before, after) and the checkboxes it checks (start, end, new start tag).
    """
    last = max((i for i in current if tags[i].name == "li"), default=-1)
    classes: dict[int, tuple[str | None, str]] = {}
    checkboxes = []
    for index, (sphinx_old, sphinx_new) in current.items():
        name, furo_old = tags[index].name, class_of(index)
        expands = name == "li" and furo_old == f"{sphinx_old} {HAS_CHILDREN}"
        if not expands and furo_old != sphinx_old:
            raise FuroChanged(
                f"the class {sphinx_old!r} of a navigation {name}", f"{__name__}.HAS_CHILDREN"
            )
        furo_new = sphinx_new + (f" {HAS_CHILDREN}" if expands else "")
        classes[index] = furo_old, furo_new + (f" {CURRENT_PAGE}" if index == last else "")
        if expands:
            checkboxes.append(_checked_checkbox(html, tags, index))
    return classes, checkboxes


def _checked_checkbox(html: str, tags: Sequence, item: int) -> tuple[int, int, str]:
    """The expand checkbox of a navigation item (right after its link), checked."""
    link = tags[item + 1] if item + 1 < len(tags) else None
    at = link.close if link is not None and link.name == "a" and link.parent == item else -1
    end = html.find(">", at) + 1
    tag = html[at:end] if at >= 0 else ""
    if not tag.startswith("<input ") or tag.count(CHECKBOX) != 1 or CHECKED in tag:
        raise FuroChanged("the checkbox of a navigation item", f"{__name__}.CHECKBOX")
    return at, end, tag.replace(CHECKBOX, CHECKED + CHECKBOX)


def _furo():
    import furo

    return furo


# Furo's ``_compute_navigation_tree`` calls ``get_navigation_tree`` (a global of
# its module) on what ``toctree(...)`` returned. The shortcut answers for the one
# string navcache last returned, with navcache's answer for it; any other string
# goes to Furo's own function.
_ORIGINAL: list = []
_OFFERED: list = [None, None]


def offer_navigation(toctree_html: str, answer) -> None:
    """Furo, given exactly this string (this object), takes ``answer()``."""
    _OFFERED[:] = [toctree_html, answer]


def _shortcut_navigation_tree(toctree_html: str) -> str:
    offered, answer = _OFFERED
    if offered is not None and toctree_html is offered:
        _OFFERED[:] = [None, None]
        return answer()
    return _ORIGINAL[0](toctree_html)


def install_navigation_shortcut() -> None:
    """Let Furo take navcache's navigation trees (idempotent)."""
    furo = _furo()
    current = getattr(furo, "get_navigation_tree", None)
    if current is _shortcut_navigation_tree:
        return
    compute = getattr(furo, "_compute_navigation_tree", None)
    if current is None or compute is None or "get_navigation_tree" not in compute.__code__.co_names:
        raise FuroChanged(
            "its navigation tree with get_navigation_tree",
            f"{__name__}.install_navigation_shortcut",
        )
    _ORIGINAL[:] = [current]
    furo.get_navigation_tree = _shortcut_navigation_tree


# Furo's ``WrapTableAndMathInAContainerTransform`` wraps each table in a
# ``div.table-wrapper`` and copies every attribute of the table to it, its ids
# too: a captioned table's id was on both, twice in the page (the HTML
# validator's "Duplicate ID"; a link to it went to either). No upstream issue
# found (searched 2026-12-02). ``content.math`` writes a formula's id once the
# same way.
TABLE_WRAPPER = "table-wrapper"
# A table or formula wider than the column scrolls sideways in its wrapper:
# the wrapper takes the focus, so the keyboard can scroll it (axe
# ``scrollable-region-focusable``), and is named for the one who lands there.
SCROLLERS = {TABLE_WRAPPER: "Table", "math-wrapper": "Formula"}


def visit_container(self, node) -> None:
    """Sphinx's HTML ``visit_container``: a table wrapper's ids are written on
    the table only, and a table or formula wrapper takes the focus (no walk of
    the document: each node is written anyway)."""
    from sphinx.writers.html5 import HTML5Translator

    label = next((SCROLLERS[c] for c in node["classes"] if c in SCROLLERS), None)
    if label is None:
        HTML5Translator.visit_container(self, node)
        return
    focus = {"tabindex": "0", "role": "group", "aria-label": label}
    ids = node["ids"]
    if TABLE_WRAPPER in node["classes"]:
        node["ids"] = []
    node.html5tagname = "div"  # for docutils' depart_container
    try:
        self.body.append(self.starttag(node, "div", CLASS="docutils container", **focus))
    finally:
        node["ids"] = ids


def depart_container(self, node) -> None:
    from sphinx.writers.html5 import HTML5Translator

    HTML5Translator.depart_container(self, node)
