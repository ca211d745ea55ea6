"""Which pages load the scholarship stylesheet and the previews script.

``app.add_css_file`` at setup would give every page the stylesheet: here it
is added, in ``html-page-context``, only to pages with a citation, a list of
references or a "Cite this essay" box. Those pages also need the previews
script (``essayist-previews.js``: citations' previews, the BibTeX's copy
button), and a page with a citation the stylesheet of the preview's box
(``essayist-concepts.css``); the concepts register both, and ``theme.assets``
keeps them only on pages with a concept or essay link: they are added back
here after it has decided.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .citations import CITE_REF, REFERENCES_CLASS
from .cite import CITE_CLASS

STYLESHEET = "essayist-scholarship.css"
PREVIEWS_SCRIPT = "essayist-previews.js"
# Where the previews' box is styled (concepts.render registers it).
PREVIEWS_STYLESHEET = "essayist-concepts.css"
STYLED = frozenset({CITE_CLASS, REFERENCES_CLASS, CITE_REF})
# html-page-context: after theme.assets (800) has taken out what a page does not use.
ASSETS_ORDER = 850


def classes_used(doctree: nodes.Node) -> set[str]:
    """The classes of ``STYLED`` that elements of ``doctree`` have."""
    found: set[str] = set()
    # A walk of its own, cheaper than ``findall(nodes.Element)`` (which yields
    # every element through a generator a level): any order finds the same set.
    stack = [doctree]
    while stack:
        node = stack.pop()
        children = node.children
        if children:
            stack.extend(children)
        elif not isinstance(node, nodes.Element):
            continue  # text
        classes = node.attributes.get("classes")
        if classes and not STYLED.isdisjoint(classes):
            found.update(STYLED.intersection(classes))
            if found == STYLED:
                break
    return found


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or doctree is None:
        return
    used = classes_used(doctree)
    if used:
        app.add_css_file(STYLESHEET)
    if used & {CITE_REF, CITE_CLASS}:
        # As concepts registers it: the same asset, not a second copy. It shows
        # citations' previews and copies the BibTeX of "Cite this essay".
        app.add_js_file(PREVIEWS_SCRIPT, loading_method="defer")
    if CITE_REF in used:
        app.add_css_file(PREVIEWS_STYLESHEET)


def setup_styles(app: Sphinx) -> None:
    app.connect("html-page-context", _page_context, priority=ASSETS_ORDER)
