"""A Content-Security-Policy on every page, and no inline script to break it.

GitHub Pages and Read the Docs let a site set no response headers, so the policy
comes as ``<meta http-equiv="Content-Security-Policy">``, first in ``<head>``.
Furo inlines one script in every page (the colour scheme, at the top of
``<body>``): ``page.html`` passes the body through the ``essayist_csp`` filter,
which swaps it for the same line in ``_static/essayist-theme.js``. Sphinx's
``domainindex.html`` carries another inline script; the site has no domain
index pages, and the tests scan every page for inline scripts and handlers.

The live preview (``make serve``) is the one exception: sphinx-autobuild adds
an inline script to every page it serves, which opens a WebSocket and reloads
the page when a rebuild is done. A preview build (``essayist_preview``) allows
exactly that script, by its hash, for the address the preview is served at
(``ESSAYIST_SERVE_ADDRESS``, which ``make serve`` sets); published builds never.
"""

from __future__ import annotations

import base64
import hashlib
import os

from markupsafe import Markup
from sphinx.application import Sphinx

from ..config import Order
from .furo import FURO_THEME_SCRIPT, FuroChanged

DEFAULT_POLICY = "script-src 'self'; object-src 'none'; base-uri 'self'"


SERVE_ADDRESS = "ESSAYIST_SERVE_ADDRESS"


def autobuild_script(address: str) -> str:
    """The inline script sphinx-autobuild (2024.10+) adds to each page it serves
    at ``address`` (``host:port``): the text between ``<script>`` and
    ``</script>`` of ``sphinx_autobuild.middleware.web_socket_script``."""
    return (
        f'\nconst ws = new WebSocket("ws://{address}/websocket-reload");\n'
        "ws.onmessage = () => window.location.reload();\n"
    )


def script_hash(script: str) -> str:
    """A CSP source that allows exactly ``script`` inline."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def preview_policy(policy: str, address: str | None) -> str:
    """``policy`` with the live preview's reload script allowed by its hash."""
    if not address or "script-src" not in policy:
        return policy
    allowed = script_hash(autobuild_script(address))
    return policy.replace("script-src", f"script-src {allowed}", 1)


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
    if policy and app.config.essayist_preview:
        policy = preview_policy(policy, os.environ.get(SERVE_ADDRESS))
    if policy and app.builder.format == "html":
        context["metatags"] = csp_meta(policy) + "\n" + context.get("metatags", "")


def setup_csp(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_context, priority=Order.CSP_META)
