"""Incremental builds that equal clean ones: what is kept, and what is redone.

* ``state``: per-build caches, state files between builds, per-document data;
* ``pages``: one registry of what each page shows of other documents, and the
  one ``env-get-updated`` handler that rewrites the pages whose view changed;
* ``outputs``: generated outputs (archive pages, feeds, cards) made again only
  when what they show changed;
* ``loud``: a document that warned is read again next build, so the warning
  repeats until it is fixed;
* ``published``: the output folder holds exactly what a clean build would (no
  page of a removed document), and a build that was killed is repaired;
* ``searchindex``: no word is left in the search index with no page.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..config import Order
from .loud import setup_loud
from .outputs import setup_outputs
from .pages import setup_pages
from .published import setup_published
from .searchindex import setup_search_index
from .state import DocData, forget_build


def setup_incremental(app: Sphinx) -> None:
    app.add_domain(DocData)
    setup_pages(app)
    setup_outputs(app)
    setup_loud(app)
    setup_published(app)
    setup_search_index()
    app.connect("build-finished", forget_build, priority=Order.FORGET_BUILD)
