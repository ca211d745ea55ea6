"""essayist: the Sphinx extension behind Perucy Mussiba's essays.

ABlog supplies post metadata, archives and listings; Furo renders every page.
This package makes the two work together and adds what a blog of essays needs.
Each feature lives in its own module with a ``setup_<feature>(app)``.
"""

from __future__ import annotations

from pathlib import Path

import ablog
from sphinx.application import Sphinx

from .a11y import setup_a11y
from .archives import setup_archives
from .blogdata import setup_blogdata
from .cards import setup_cards
from .concepts import setup_concepts
from .csp import setup_csp
from .drafts import setup_drafts
from .feeds import setup_feeds
from .freshness import setup_freshness
from .links import setup_links
from .loud import setup_loud
from .navcache import setup_navcache
from .notfound import setup_notfound
from .outputs import setup_outputs
from .postpage import setup_postpage
from .release import setup_release
from .seo import setup_seo
from .sitemap import setup_sitemap
from .speedups import setup_speedups
from .validate import setup_validate

__version__ = "0.1.0"

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
# Furo's sidebar, with the blog's own links after the page tree.
SIDEBARS = [
    "sidebar/brand.html",
    "sidebar/search.html",
    "sidebar/scroll-start.html",
    "sidebar/navigation.html",
    "essayist/blog-links.html",
    "sidebar/scroll-end.html",
]


def _config_inited(app: Sphinx, config) -> None:
    # Our Furo-compatible templates come after the project's own and before
    # ABlog's, whose ``page.html`` extends the ``layout.html`` Furo refuses to
    # render (every post would become Furo's error page, and -W would pass).
    config.skip_injecting_base_ablog_templates = True
    ablog_templates = ablog.get_html_templates_path()
    user = [p for p in config.templates_path if p not in (ablog_templates, str(TEMPLATES))]
    config.templates_path = [*user, str(TEMPLATES), ablog_templates]
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    # One setting for the site's address: canonical links follow blog_baseurl.
    if not config.html_baseurl and config.blog_baseurl:
        config.html_baseurl = config.blog_baseurl
    if not config.html_sidebars:
        config.html_sidebars = {"**": SIDEBARS}


def setup(app: Sphinx) -> dict:
    app.setup_extension("ablog")
    setup_blogdata(app)
    app.connect("config-inited", _config_inited)
    setup_drafts(app)
    setup_archives(app)
    setup_feeds(app)
    setup_freshness(app)
    setup_postpage(app)
    setup_concepts(app)
    setup_validate(app)
    setup_loud(app)
    setup_links(app)
    setup_navcache(app)
    setup_outputs(app)
    setup_seo(app)
    setup_cards(app)
    setup_sitemap(app)
    setup_notfound(app)
    setup_a11y(app)
    setup_csp(app)
    setup_speedups(app)
    setup_release(app)
    app.add_css_file("essayist.css")
    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
