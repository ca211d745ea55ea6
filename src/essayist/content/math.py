"""Mathematics as MathML, written into the page when it is built.

Sphinx's HTML builder shows math with MathJax from a CDN, which the site's
Content-Security-Policy (``script-src 'self'``) refuses, and feed readers run
no script. essayist registers its own HTML math renderer instead, chosen
unless ``conf.py`` names another in ``html_math_renderer``: every ``$…$``,
``$$…$$``, ``{math}`` and amsmath environment becomes MathML
(``mathml.convert``), which browsers lay out natively and feeds carry as it
is. A page with math loads ``essayist-math.css`` (from the theme's static
files); a page without loads nothing more. A formula that cannot be converted
is a warning (``essayist.math``) at its file and line when the document is
read, and its page shows its source as code.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

from ..config import Warn, find_nodes, warn
from ..incremental.state import doc_data

if TYPE_CHECKING:
    from .mathml import Formula

logger = logging.getLogger(__name__)

RENDERER = "essayist-mathml"
STYLESHEET = "essayist-math.css"
FEATURE = "content:math"
# Sphinx's pages made from a template alone, with no formula.
_NO_CONTENT = frozenset({"search.html", "genindex.html", "genindex-split.html"})
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def formula_of(node: nodes.Element) -> Formula:
    """The MathML of a ``math`` or ``math_block`` node (cached by its LaTeX).
    The converter is imported here, by the first formula: a build with none
    never loads latex2mathml."""
    from .latex import block_latex
    from .mathml import convert

    if isinstance(node, nodes.math_block):
        return convert(block_latex(node.astext(), bool(node.get("nowrap"))), True)
    return convert(node.astext(), False)


def unrendered(formula: Formula) -> str:
    """A formula that cannot be shown as mathematics: its source, as code."""
    return f'<code class="math-unrendered">{html.escape(formula.latex, quote=False)}</code>'


def _own_ids(node: nodes.Element) -> list[str]:
    """``node``'s ids less those its parent already carries (a wrapper that
    copied them): an id is written once."""
    parent_ids = set(node.parent.get("ids", ())) if node.parent is not None else set()
    return [i for i in node["ids"] if i not in parent_ids]


def _id_attributes(ids: list[str]) -> tuple[str, str]:
    """(the ``id`` attribute for the first id, empty anchors for the rest)."""
    if not ids:
        return "", ""
    return f' id="{ids[0]}"', "".join(f'<span id="{i}"></span>' for i in ids[1:])


def visit_math(self, node: nodes.math) -> None:
    formula = formula_of(node)
    attribute, anchors = _id_attributes(_own_ids(node))
    body = formula.mathml or unrendered(formula)
    if attribute:
        body = f"<span{attribute}>{anchors}{body}</span>"
    self.body.append(body)
    raise nodes.SkipNode


def visit_math_block(self, node: nodes.math_block) -> None:
    formula = formula_of(node)
    # ``$$…$$`` inside a paragraph: a block element there is not HTML.
    tag = "span" if isinstance(node.parent, nodes.TextElement) else "div"
    classes = " ".join(["math", *node.get("classes", ())])
    attribute, anchors = _id_attributes(_own_ids(node))
    self.body.append(f'<{tag} class="{classes}"{attribute}>{anchors}')
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    elif formula.tag:
        # Its own number (\tag), where Sphinx shows its numbers.
        self.body.append(f'<span class="eqno">{html.escape(formula.tag)}</span>')
    self.body.append(formula.mathml or unrendered(formula))
    self.body.append(f"</{tag}>\n")
    raise nodes.SkipNode


def _shorten(latex: str, limit: int = 80) -> str:
    text = " ".join(latex.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_formulas(app: Sphinx, doctree: nodes.document, found: list | None = None) -> None:
    """Every formula of a document, converted once as it is read: one that
    cannot be shown is a warning at its file and line. ``found``: the
    document's ``math`` and ``math_block`` nodes, when already collected."""
    if found is None:
        found = find_nodes(doctree, (nodes.math, nodes.math_block))
    if found:
        doc_data(app.env, FEATURE)[app.env.docname] = True
    for node in found:
        formula = formula_of(node)
        if formula.tag and node.get("number"):
            warn(
                logger,
                Warn.MATH,
                "formula numbered twice, by Sphinx and by \\tag%s: %s: keep one (a starred "
                "environment, such as equation*, has no number of Sphinx's)",
                formula.tag,
                _shorten(formula.latex),
                location=node,
            )
        if formula.problems:
            warn(
                logger,
                Warn.MATH,
                "formula not shown as mathematics: %s: %s",
                "; ".join(formula.problems),
                _shorten(formula.latex),
                location=node,
            )


def stable_amsmath_labels(app: Sphinx, doctree: nodes.document, blocks: list | None = None) -> None:
    """MyST numbers an amsmath environment under a random label (a uuid), so
    its id changed with every build: give it one from its document and number.
    ``blocks``: the document's ``math_block`` nodes, when already collected."""
    equations = app.env.get_domain("math").equations
    ids = {}
    for node in doctree.findall(nodes.math_block) if blocks is None else blocks:
        old = node.get("label")
        if "amsmath" not in node["classes"] or not old or not _UUID.match(old):
            continue
        new = f"{app.env.docname}-{node['number']}"
        if old in equations:
            equations[new] = equations.pop(old)
        node["label"] = new
        ids[nodes.make_id(f"equation-{old}")] = nodes.make_id(f"equation-{new}")
    if not ids:
        return
    for element in doctree.findall(nodes.Element):
        if any(i in ids for i in element["ids"]):
            element["ids"] = [ids.get(i, i) for i in element["ids"]]
        if element.get("refid") in ids:
            element["refid"] = ids[element["refid"]]


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    # One walk finds the formulas both handlers need; most pages have none.
    found = find_nodes(doctree, (nodes.math, nodes.math_block))
    if not found:
        return
    stable_amsmath_labels(app, doctree, [n for n in found if isinstance(n, nodes.math_block)])
    check_formulas(app, doctree, found)


def _config_inited(app: Sphinx, config: Config) -> None:
    if config.html_math_renderer is None:
        config.html_math_renderer = RENDERER


def shows_math(context: dict, templatename: str, any_math: bool) -> bool:
    """Whether a page shows a formula: its body has one, or its template
    writes what it shows (ABlog's listings, with the posts' excerpts) and
    some document has one."""
    if context.get("has_maths_elements"):
        return True
    return any_math and "body" not in context and templatename not in _NO_CONTENT


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html":
        return
    if shows_math(context, templatename, bool(doc_data(app.env, FEATURE))):
        app.builder.add_css_file(STYLESHEET)


def setup_math(app: Sphinx) -> None:
    app.add_html_math_renderer(
        RENDERER,
        inline_renderers=(visit_math, None),
        block_renderers=(visit_math_block, None),
    )
    app.connect("config-inited", _config_inited)
    app.connect("doctree-read", _doctree_read)
    app.connect("html-page-context", _page_context)
