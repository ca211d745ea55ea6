"""A Content-Security-Policy on every page, and no inline script to break it.

GitHub Pages and Read the Docs let a site set no response headers, so the policy
comes as ``<meta http-equiv="Content-Security-Policy">``, first in ``<head>``.
Furo inlines one script in every page (the colour scheme, at the top of
``<body>``): ``page.html`` passes the body through the ``essayist_csp`` filter,
which swaps it for the same line in ``_static/essayist-theme.js``. Sphinx's
``domainindex.html`` carries another inline script; the site has no domain
index pages, and the tests scan every page for inline scripts and handlers.
"""

from __future__ import annotations

from markupsafe import Markup
from sphinx.application import Sphinx

from ..config import Order
from .furo import FURO_THEME_SCRIPT, FuroChanged

DEFAULT_POLICY = "script-src 'self'; object-src 'none'; base-uri 'self'"


def csp_meta(policy: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def externalize_theme_script(html: str, src: str) -> str:
    """Furo's inline colour-scheme script, loaded from ``src`` instead."""
    if FURO_THEME_SCRIPT not in html:
        raise FuroChanged(
            "its inline colour-scheme script", "essayist.theme.furo.FURO_THEME_SCRIPT"
        )
    return html.replace(FURO_THEME_SCRIPT, f'<script src="{src}"></script>', 1)


def _csp_filter(html: str, src: str) -> Markup:
    return Markup(externalize_theme_script(str(html), src))


def _builder_inited(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["essayist_csp"] = _csp_filter


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    policy = app.config.essayist_csp
    if policy and app.builder.format == "html":
        context["metatags"] = csp_meta(policy) + "\n" + context.get("metatags", "")


def setup_csp(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_context, priority=Order.CSP_META)
