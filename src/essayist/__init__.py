"""essayist: the Sphinx extension behind Perucy Mussiba's essays.

ABlog supplies post metadata, archives and listings; Furo renders every page.
This package makes the two work together and adds what a blog of essays needs.
Each group of features is a package with a ``setup_<group>(app)``; this module
only wires them, in this order:

1. ``incremental``: what is kept between builds and what is redone (the
   events other packages answer);
2. ``blog``: ABlog, behind its adapter (the only package that imports it);
3. ``concepts``: concept pages, references, previews and feeds;
   ``content``: what a post's text holds beyond prose (mathematics as MathML);
4. ``publishing``: feeds, sitemap, social meta, cards, the 404 page;
   ``scholarship``: citations, "cite this essay", license, series, sidenotes;
5. ``theme``: Furo's templates, static files and markup fixes;
6. ``speedups``: faster builds, the same output.

Where handlers of one event must run in a given order, ``config.Order`` says so.
"""

from __future__ import annotations

# Not ``typing.TYPE_CHECKING``: the publish step imports this package, and
# nothing else it runs needs ``typing``.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "0.1.0"


def _config_inited(app: Sphinx, config: Config) -> None:
    from . import theme
    from .blog.adapter import templates_path as ablog_templates

    # The project's templates, then the theme's Furo-compatible ones, then
    # ABlog's (whose ``page.html`` Furo cannot render).
    config.templates_path = theme.templates_path(config, app.confdir, after=[ablog_templates()])
    # One setting for the site's address: canonical links follow blog_baseurl.
    if not config.html_baseurl and config.blog_baseurl:
        config.html_baseurl = config.blog_baseurl


def setup(app: Sphinx) -> dict:
    # Imported here, not above: ``essayist.tools`` (the publish step, the
    # ``blog`` command) start without loading Sphinx and every feature.
    from .blog import setup_blog
    from .concepts import setup_concepts
    from .config import add_events, add_settings, install_report
    from .content import setup_content
    from .incremental import setup_incremental
    from .publishing import setup_publishing
    from .scholarship import setup_scholarship
    from .speedups import setup_speedups
    from .theme import setup_theme

    install_report()  # an author's mistake is not printed as a crash
    add_settings(app)
    add_events(app)
    setup_incremental(app)
    setup_blog(app)
    app.connect("config-inited", _config_inited)
    setup_concepts(app)
    setup_content(app)
    setup_publishing(app)
    setup_scholarship(app)
    setup_theme(app)
    setup_speedups(app)
    return {
        "version": __version__,
        "env_version": 4,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
