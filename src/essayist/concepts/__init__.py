"""Concepts: recurring ideas (Goodhart's Law, RLHF...) cross-referenced between essays.

A concept is defined once, on its own page (``docs/concepts/<slug>.md``), with
the ``{concept}`` directive; essays name it with the ``{concept}`` role.

* ``source``: concept sources read without Sphinx (``blog check`` uses it);
* ``domain``: the ``concept`` Domain, its directives and role;
* ``model``: what every page shows of concepts, from plain data;
* ``render``: concept pages, the index, an essay's concepts and related essays;
* ``previews``: the JSON files behind hover and focus previews;
* ``feeds``: an Atom feed per concept.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .domain import setup_concept_domain
from .feeds import setup_concept_feeds
from .previews import setup_previews
from .render import setup_render


def setup_concepts(app: Sphinx) -> None:
    setup_concept_domain(app)
    setup_render(app)
    setup_previews(app)
    setup_concept_feeds(app)
