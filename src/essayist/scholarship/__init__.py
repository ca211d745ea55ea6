"""Scholarship: what essays that build on each other and on others' work need.

Each feature has a ``setup_<feature>(app)``, called by ``setup_scholarship``.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .bibcheck import setup_bibcheck
from .citations import setup_citations
from .cite import setup_cite
from .crossref import setup_crossref
from .latexfields import setup_latex_fields
from .license import setup_license
from .series import setup_series
from .sidenotes import setup_sidenotes
from .styles import setup_styles
from .titles import setup_titles


def setup_scholarship(app: Sphinx) -> None:
    setup_series(app)
    setup_sidenotes(app)
    setup_citations(app)
    setup_latex_fields()
    setup_crossref(app)
    setup_bibcheck(app)
    setup_license(app)
    setup_cite(app)
    setup_styles(app)
    setup_titles(app)


def setup(app: Sphinx) -> dict:
    """Load as an extension of its own (tests, before the wiring in ``essayist``)."""
    setup_scholarship(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
