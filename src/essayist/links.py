"""External links carry ``rel="noopener noreferrer"``.

docutils writes external references as ``<a class="reference external" href=…>``
with no ``rel``. The rendered body is in the page context before the template
runs, so the attribute is added there (and in feed content by
``feeds.entry_from_body``, with the same rule).
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

REL = "noopener noreferrer"
_EXTERNAL_A = re.compile(
    r'<a (?![^>]*\srel=)([^>]*\bclass="[^"]*\breference external\b[^"]*"[^>]*)>'
)


def add_rel(html: str) -> str:
    """Add ``rel="noopener noreferrer"`` to every external reference in ``html``."""
    return _EXTERNAL_A.sub(lambda m: f'<a {m.group(1)} rel="{REL}">', html)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = add_rel(context["body"])


def setup_links(app: Sphinx) -> None:
    app.connect("html-page-context", _page_context)
