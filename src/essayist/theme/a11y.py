"""Accessibility fixes to the markup Furo and Sphinx write around every page.

Furo's ``page.html`` writes the whole page in one template block, so the fixes
are made to its rendered HTML: ``page.html`` passes Furo's ``body`` block through
the ``essayist_a11y`` template filter registered here.

- Furo's two drawers are both ``<aside>``: each gets a name of its own (axe
  ``landmark-unique``).
- Toctree captions are ``<p class="caption" role="heading">`` with no level
  (the Nu validator's error on every page that has one): they get
  ``aria-level``.
- Furo's drawers open from two checkboxes it hides with ``display: none``, so
  the keyboard never reaches them. They are moved next to what they control,
  inside landmarks (axe ``region``): the navigation toggle into the phone's
  header, the contents toggle to the top of the article; ``essayist.css`` keeps
  them in the tab order where their icons show and restyles the drawers with
  ``:has()``.
- Code blocks scroll sideways on a phone: they take the focus, so the keyboard
  can scroll them (axe ``scrollable-region-focusable``).
- The "Skip to content" link comes first, so it is the first thing the Tab key
  reaches.
- ``essayist.css`` (its comments are kept short: readers download them) also
  restates Furo's open-drawer rules with ``:has()`` for the moved checkboxes,
  takes a closed drawer out of the tab order (it was off screen, its links
  still focusable), makes heading permalinks transparent rather than hidden
  (so the keyboard reaches them), shows sphinx-copybutton's button and a focus
  ring when focused, gives the contents' links a 24px target (WCAG 2.5.8), and
  on paper wraps code, fits tables and prints each outside link's address.
- ``essayist-theme.js``: a drawer opened from the keyboard takes the focus;
  Escape, or Tab past its last link, closes it (the focus stayed on the dimmed
  page behind it).
- A list of references (docutils' citations, which sphinxcontrib-bibtex
  writes) is a ``role="list"`` of ``role="doc-biblioentry"`` entries: a role
  ARIA deprecates, and no list item (axe ``aria-required-children``, critical,
  on every essay that cites). Each entry is a ``listitem``.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx

from . import furo
from .furo import FuroChanged

DRAWER_NAMES = {"sidebar-drawer": "Site navigation", "toc-drawer": "On this page"}
CAPTION_LEVEL = 2

_DRAWER = re.compile(r'<aside class="(sidebar-drawer|toc-drawer)\b([^"]*)"(?![^>]*aria-label)')
_CAPTION = re.compile(r'<p class="caption" role="heading"(?![^>]*aria-level)')
# Found by their literal start, then the whitespace before them: a pattern that
# starts with ``\s*`` is tried at every position of the page (1 ms a page).
_NAV_TOGGLE = re.compile(re.escape(furo.TOGGLE.format(furo.NAV_TOGGLE_NAME)) + "[^>]*>")
_TOC_TOGGLE = re.compile(re.escape(furo.TOGGLE.format(furo.TOC_TOGGLE_NAME)) + "[^>]*>")
_CODE = re.compile(r'<div class="highlight"><pre>')
_SKIP_LINK = re.compile(r"\s*" + re.escape(furo.SKIP_LINK) + r'\b[^"]*"[^>]*>.*?</a>', re.DOTALL)


def name_drawers(html: str) -> str:
    """Give Furo's navigation and table-of-contents drawers distinct accessible names."""
    if not all(f'<aside class="{drawer}' in html for drawer in furo.DRAWERS):
        raise FuroChanged("its two drawers", "essayist.theme.furo.DRAWERS")
    return _DRAWER.sub(
        lambda m: f'<aside class="{m[1]}{m[2]}" aria-label="{DRAWER_NAMES[m[1]]}"', html
    )


def level_captions(html: str, level: int = CAPTION_LEVEL) -> str:
    """Add ``aria-level`` to toctree captions written as ``role="heading"``."""
    return _CAPTION.sub(lambda m: f'{m[0]} aria-level="{level}"', html)


def focusable_code(html: str) -> str:
    """Let the keyboard focus (and so scroll) highlighted code blocks."""
    return _CODE.sub('<div class="highlight"><pre tabindex="0">', html)


def _cut(html: str, pattern: re.Pattern) -> tuple[str, str] | None:
    """``html`` without the first match of ``pattern`` and the whitespace
    before it, and the match."""
    m = pattern.search(html)
    if m is None:
        return None
    start = len(html[: m.start()].rstrip())
    return html[:start] + html[m.end() :], m[0]


def move_drawer_toggles(html: str) -> str:
    """Move Furo's two drawer checkboxes into the header and the article."""
    if furo.HEADER_LEFT not in html or furo.ARTICLE not in html:
        raise FuroChanged("its header and article", "essayist.theme.furo.HEADER_LEFT/ARTICLE")
    nav = _cut(html, _NAV_TOGGLE)
    toc = _cut(nav[0], _TOC_TOGGLE) if nav else None
    if not (nav and toc):
        raise FuroChanged("its drawer checkboxes", "essayist.theme.furo.TOGGLE")
    html = toc[0].replace(furo.HEADER_LEFT, furo.HEADER_LEFT + "\n" + nav[1], 1)
    return html.replace(furo.ARTICLE, furo.ARTICLE + "\n" + toc[1], 1)


def skip_link_first(html: str) -> str:
    """Move Furo's "Skip to content" link to the start of the page's body."""
    match = _SKIP_LINK.search(html)
    if match is None:
        raise FuroChanged("its skip link", "essayist.theme.furo.SKIP_LINK")
    if not html[: match.start()].strip():
        return html
    link = match[0].strip()
    return link + "\n" + html[: match.start()] + html[match.end() :]


def fix_page(html: str) -> str:
    """All of this module's fixes, for the ``essayist_a11y`` template filter."""
    html = level_captions(name_drawers(html))
    return skip_link_first(move_drawer_toggles(focusable_code(html)))


def _builder_inited(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.filters["essayist_a11y"] = fix_page


def visit_citation(self, node: nodes.citation) -> None:
    """docutils' ``visit_citation``, each entry a list item."""
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def setup_a11y(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
