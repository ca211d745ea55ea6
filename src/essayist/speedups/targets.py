"""Each page's address worked out once per build.

Every link between two pages asks the builder for both pages' addresses
(``get_relative_uri`` calls ``get_target_uri`` twice): the navigation of every
page, every listing, every concept section and the map. For the HTML builders
that address is the page's name quoted, plus the suffix (``dirhtml``: a
folder), a pure function of the name and the builder's settings, worked out
about 57,000 times in a build of 300 essays. The builder's ``get_target_uri``
is memoised for the build; a builder that answers otherwise (its own
``get_target_uri``) is left alone.
"""

from __future__ import annotations

import functools

from sphinx.application import Sphinx
from sphinx.builders.dirhtml import DirectoryHTMLBuilder
from sphinx.builders.html import StandaloneHTMLBuilder

# Sphinx's own answers, which depend on the document's name only.
PURE = (StandaloneHTMLBuilder.get_target_uri, DirectoryHTMLBuilder.get_target_uri)


def memoise_target_uri(builder) -> bool:
    """Memoise ``builder.get_target_uri`` for its life (one build); true if it is."""
    if "get_target_uri" in vars(builder):
        return True  # already
    if type(builder).get_target_uri not in PURE:
        return False
    builder.get_target_uri = functools.cache(builder.get_target_uri)
    return True


def _builder_inited(app: Sphinx) -> None:
    memoise_target_uri(app.builder)


def setup_targets(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
