"""A post's license: the site's (``essayist_license``), or its own (``license:``).

The site's default is set in ``conf.py`` (``essayist_license`` and
``essayist_license_url``); a post's front matter may say otherwise
(``license: CC BY-NC 4.0``, or ``license: All rights reserved``). A Creative
Commons name, or its SPDX id (``CC-BY-NC-4.0``), is linked to its deed without
a URL; an address is linked to itself; any other text is shown as written.
The license is stated at the foot of the post's "Cite this essay" box
(``cite``) and in each of its feed entries (Atom ``<rights>``: the statement
is left for ``publishing.feeds`` while the post is read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from ..blog.adapter import post_records
from ..blog.frontmatter import FrontMatterError, split_front_matter, url_problem
from ..config import Warn, config_error, warn
from ..incremental.state import doc_data
from ..publishing.feeds import RIGHTS

logger = logging.getLogger(__name__)

FIELD = "license"
FEATURE = "scholarship:license"
MAX_LICENSE = 200  # characters
# doctree-read: after ABlog has recorded the post (500).
LICENSE_ORDER = 560

_CC = "https://creativecommons.org/"
KNOWN = {
    "CC BY 4.0": f"{_CC}licenses/by/4.0/",
    "CC BY-SA 4.0": f"{_CC}licenses/by-sa/4.0/",
    "CC BY-NC 4.0": f"{_CC}licenses/by-nc/4.0/",
    "CC BY-NC-SA 4.0": f"{_CC}licenses/by-nc-sa/4.0/",
    "CC BY-ND 4.0": f"{_CC}licenses/by-nd/4.0/",
    "CC BY-NC-ND 4.0": f"{_CC}licenses/by-nc-nd/4.0/",
    "CC0 1.0": f"{_CC}publicdomain/zero/1.0/",
}


def _folded(name: str) -> str:
    """A license name compared without case, spaces, hyphens or dashes, or a
    closing period: SPDX's ``CC-BY-4.0`` and ``cc by 4.0.`` are the deed's
    "CC BY 4.0"."""
    return re.sub(r"[\s\-\u2010-\u2015\u2212]+", " ", name).strip().rstrip(".").casefold()


def _deed(address: str) -> str:
    return re.sub(r"^https?://", "", address.strip()).rstrip("/").casefold()


_KNOWN_FOLDED = {_folded(name): name for name in KNOWN}
_KNOWN_DEEDS = {_deed(url): name for name, url in KNOWN.items()}


@dataclass(frozen=True)
class License:
    """A license by name and address; without an address, a statement shown as
    written ("All rights reserved")."""

    name: str
    url: str = ""

    def statement(self) -> str:
        """The license in a sentence of plain text, for a feed's ``<rights>``."""
        if self.url:
            named = "" if self.name == self.url else f"{self.name}: "
            return f"Licensed under {named}{self.url}"
        return self.name if self.name.endswith((".", "!", "?")) else f"{self.name}."


def resolve(name: str, config: Config) -> License | None:
    """The license called ``name``: the site's own (with its address), a
    Creative Commons one (with its deed), or a statement as written."""
    name = " ".join(name.split())
    if not name:
        return None
    site = " ".join((config.essayist_license or "").split())
    if site and name.casefold() == site.casefold():
        return License(site, config.essayist_license_url or KNOWN.get(site, ""))
    known = _KNOWN_FOLDED.get(_folded(name)) or _KNOWN_DEEDS.get(_deed(name))
    if known is not None:
        return License(known, KNOWN[known])
    if url_problem(name) is None:
        # An address (``license: https://example.org/terms``) is a link to it.
        return License(name, name)
    return License(name)


def site_license(config: Config) -> License | None:
    return resolve(config.essayist_license or "", config)


def license_problem(value: object) -> str | None:
    """Why a front matter ``license:`` cannot be used, or None."""
    if not isinstance(value, str) or not value.strip():
        return (
            "license: must be the name of a license, such as 'CC BY 4.0', or a statement "
            "such as 'All rights reserved'"
        )
    if len(value) > MAX_LICENSE:
        return f"license: is longer than {MAX_LICENSE} characters: name the license"
    return None


def _front_matter_value(app: Sphinx, docname: str) -> tuple[object, int] | None:
    """The post's ``license:`` as written (typed, not MyST's text) and its line."""
    try:
        text = Path(app.env.doc2path(docname)).read_text(encoding="utf-8-sig")
        front = split_front_matter(text)
    except (OSError, UnicodeDecodeError, FrontMatterError):
        return None  # reported by blog.validate
    if FIELD not in front.data:
        return None
    return front.data[FIELD], front.lines.get(FIELD, 1)


def _doctree_read(app: Sphinx, doctree) -> None:
    env = app.env
    docname = env.docname
    if not post_records(env, docname):
        return  # not a post
    found = None
    if FIELD in env.metadata.get(docname, {}):
        written = _front_matter_value(app, docname)
        if written is not None:
            value, line = written
            problem = license_problem(value)
            if problem:
                warn(
                    logger,
                    Warn.LICENSE,
                    "%s; the site's license is used",
                    problem,
                    location=(docname, line),
                )
            else:
                found = resolve(value, app.config)
    found = found or site_license(app.config)
    if found is not None:
        doc_data(env, FEATURE)[docname] = (found.name, found.url)
        doc_data(env, RIGHTS)[docname] = found.statement()


def post_license(app: Sphinx, docname: str) -> License | None:
    """The license of the post ``docname``, or None when none is stated."""
    found = doc_data(app.env, FEATURE).get(docname)
    return License(*found) if found else None


def _config_inited(app: Sphinx, config: Config) -> None:
    url = config.essayist_license_url
    if url and (problem := url_problem(url)):
        raise config_error(f"essayist_license_url: {problem}")
    if url and not config.essayist_license:
        raise config_error("essayist_license_url is set but essayist_license is not: name it")


def setup_license(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited)
    app.connect("doctree-read", _doctree_read, priority=LICENSE_ORDER)
