"""What leaves the site for other programs: feeds, sitemap, social meta, cards, 404.

* ``hosts``: the site's address on GitHub Pages, Read the Docs or elsewhere;
* ``feeds``: one Atom writer for the site's, tags', categories' and concepts'
  feeds; ``entries``: a post's feed text, kept across builds;
* ``sitemap``: ``sitemap.xml``, ``robots.txt``, ``.nojekyll``;
* ``social``: description, OpenGraph and Twitter meta tags;
* ``cards``: a social card (PNG) per post; ``copies``: cached files copied
  into the output, each read only when it may have changed;
* ``notfound``: the 404 page, working at any depth;
* ``files``: outputs written only when their bytes change;
* ``confine``: nothing from outside the project is published.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .cards import setup_cards
from .confine import setup_confine
from .feeds import setup_feeds
from .hosts import setup_hosts
from .notfound import setup_notfound
from .sitemap import setup_sitemap
from .social import setup_social


def setup_publishing(app: Sphinx) -> None:
    setup_hosts(app)
    setup_confine(app)
    setup_feeds(app)
    setup_social(app)
    setup_cards(app)
    setup_sitemap(app)
    setup_notfound(app)
