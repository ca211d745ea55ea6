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

DEFAULT_POLICY = "script-src 'self'; object-src 'none'; base-uri 'self'"
FURO_THEME_SCRIPT = (
    "<script>\n"
    '      document.body.dataset.theme = localStorage.getItem("theme") || "auto";\n'
    "    </script>"
)
THEME_FILE = "_static/essayist-theme.js"


def csp_meta(policy: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def externalize_theme_script(html: str, src: str) -> str:
    """Furo's inline colour-scheme script, loaded from ``src`` instead."""
    if FURO_THEME_SCRIPT not in html:
        raise ValueError(
            "essayist: Furo's inline theme script was not found; its markup changed. "
            "Update essayist.csp.FURO_THEME_SCRIPT for this Furo version."
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
    app.add_config_value("essayist_csp", DEFAULT_POLICY, "html", str)
    app.connect("builder-inited", _builder_inited)
    # Early, so the policy comes before every other meta tag.
    app.connect("html-page-context", _page_context, priority=100)
