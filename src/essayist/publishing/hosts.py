"""One address per host, detected: where the built site will be served.

Every absolute URL (canonical links, og:url, the sitemap, robots.txt, feeds,
social cards, the 404 page's links) derives from ABlog's ``blog_baseurl``. It
is, in this order:

1. ``SITE_BASE_URL`` (``conf.py`` reads it into ``blog_baseurl``), when set: the
   author's choice, and what the GitHub Pages workflow passes (the address
   ``actions/configure-pages`` reports);
2. on Read the Docs (``READTHEDOCS=True``), the address Read the Docs serves
   this build at, ``READTHEDOCS_CANONICAL_URL`` (it holds the language and
   version: ``https://<project>.readthedocs.io/en/latest/``);
3. ``essayist_default_base_url`` from ``conf.py``.

Where this build is served may differ from that address: the guide's "one
canonical host" names one host's address on both. What must be found on the
host that serves it (the 404 page's links and styles, served at any depth)
follows ``served_url``: ``SITE_SERVED_URL`` (the GitHub Pages workflow passes
the Pages address), Read the Docs' ``READTHEDOCS_CANONICAL_URL``, else the
site's address.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ..config import Order, Warn, config_error, warn

logger = logging.getLogger(__name__)


def detect_base_url(configured: str, environ: Mapping[str, str], default: str) -> str:
    """The site's address for this build (see the module's docstring)."""
    if configured.strip():
        return configured.strip()
    if environ.get("READTHEDOCS") == "True" and environ.get("READTHEDOCS_CANONICAL_URL"):
        return environ["READTHEDOCS_CANONICAL_URL"].strip()
    return default.strip()


def served_url(base_url: str, environ: Mapping[str, str]) -> str:
    """Where this build is served (see the module's docstring)."""
    if served := environ.get("SITE_SERVED_URL", "").strip():
        return served
    if environ.get("READTHEDOCS") == "True" and environ.get("READTHEDOCS_CANONICAL_URL"):
        return environ["READTHEDOCS_CANONICAL_URL"].strip()
    return base_url


def host_text(base_url: str) -> str:
    """The site's address as a reader sees it, with no scheme (a card's corner)."""
    parts = urlsplit(base_url)
    return (parts.netloc + parts.path).rstrip("/")


def address_problem(url: str) -> str | None:
    """Why ``url`` cannot be the site's address, or None (empty is no address)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be a full address, such as https://example.org/essays/"
    if parts.query or parts.fragment or any(c.isspace() for c in url):
        return "must be an address with no query, fragment or spaces"
    return None


def is_preview(environ: Mapping[str, str]) -> bool:
    """A pull request's preview on Read the Docs (served on readthedocs.build):
    a page search engines should not list beside the real one."""
    return environ.get("READTHEDOCS") == "True" and (
        environ.get("READTHEDOCS_VERSION_TYPE") == "external"
    )


def language_problem(written: object, built: object, environ: Mapping[str, str]) -> str | None:
    """Why the language Read the Docs builds with is not the site's, or None.
    Read the Docs passes its project's language (``-D language=fr``) over
    ``conf.py``'s, in silence: the pages said ``lang="fr"``, the search index
    stemmed English with French rules, and the theme's words were French."""
    if environ.get("READTHEDOCS") != "True" or not written or written == built:
        return None
    return (
        f"Read the Docs builds the site in language {built!r} (its project's language), "
        f"and conf.py says {written!r}: set the project's language to the site's in Read "
        "the Docs (Settings → Language), or change language in conf.py"
    )


def _setting_line(app: Sphinx, name: str) -> str:
    """``conf.py:N``, N the line that sets ``name`` (1 when none does)."""
    path = Path(app.confdir) / "conf.py"
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        lines = []
    line = next((n for n, t in enumerate(lines, 1) if re.match(rf"{name}\s*=", t)), 1)
    return f"{path}:{line}"


def _config_inited(app: Sphinx, config: Config) -> None:
    written = getattr(config, "_raw_config", {}).get("language")  # conf.py's, before -D
    if why := language_problem(written, config.language, os.environ):
        warn(logger, Warn.LANGUAGE, why, location=_setting_line(app, "language"))
    if config.essayist_noindex is None:
        config.essayist_noindex = is_preview(os.environ)
    config.blog_baseurl = detect_base_url(
        config.blog_baseurl or "", os.environ, config.essayist_default_base_url
    )
    if why := address_problem(config.blog_baseurl):
        # Feeds, the sitemap and every canonical link would be relative to it.
        raise config_error(
            f"the site's address {config.blog_baseurl!r} (SITE_BASE_URL, Read the "
            f"Docs' READTHEDOCS_CANONICAL_URL, or essayist_default_base_url) {why}"
        )
    served = os.environ.get("SITE_SERVED_URL", "").strip()
    if why := address_problem(served):
        # The 404 page's links and styles would lead under it.
        raise config_error(f"SITE_SERVED_URL {served!r} (where this build is served) {why}")


def setup_hosts(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited, priority=Order.SITE_ADDRESS)
