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
