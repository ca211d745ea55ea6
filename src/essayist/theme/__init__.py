"""Everything that knows Furo: templates, static files, and fixes to its markup.

* ``templates/``: Furo-compatible templates for posts, archives and search;
* ``static/``: the site's CSS and scripts (no inline script anywhere);
* ``furo``: the pieces of Furo's markup essayist edits, and the error when a
  Furo release changes them; one viewport tag a page (Furo's), not two;
* ``a11y``: names, levels and focus order Furo's pages lack;
* ``csp``: the Content-Security-Policy meta tag, and Furo's inline script moved
  to a file;
* ``links``: ``rel="noopener noreferrer"`` on external links;
* ``direction``: a paragraph in a right-to-left script reads right to left;
* ``assets``: each page loads only the stylesheets and scripts its content uses.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ..config import Order
from . import furo
from .a11y import setup_a11y
from .assets import setup_assets
from .csp import setup_csp
from .direction import setup_direction
from .links import setup_links

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


def _extension_static(config: Config) -> list[str]:
    """Static folders other extensions add when the builder starts (see
    ``_static_path_once``)."""
    if "sphinx_copybutton" not in config.extensions:
        return []
    import sphinx_copybutton

    return [str((Path(sphinx_copybutton.__file__).parent / "_static").absolute())]


def from_confdir(confdir: str | os.PathLike, path: str | os.PathLike) -> str:
    """``path`` as a setting names a folder: from the project's folder, where
    it can be, so that a checkout's settings (and the ``.buildinfo`` Sphinx
    writes from them) are the same wherever the checkout is."""
    try:
        return Path(os.path.relpath(os.path.join(confdir, path), confdir)).as_posix()
    except ValueError:  # another drive
        return str(path)


def _same_folder(confdir: str | os.PathLike, path: str | os.PathLike) -> str:
    return os.path.normpath(os.path.join(confdir, path))


def templates_path(config: Config, confdir: str, after: list[str]) -> list[str]:
    """The project's own templates, then the theme's, then ``after`` (ABlog's)."""
    ours = [from_confdir(confdir, p) for p in (TEMPLATES, *after)]
    known = {_same_folder(confdir, p) for p in ours}
    user = [p for p in config.templates_path if _same_folder(confdir, p) not in known]
    return [*user, *ours]


def _config_inited(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC), *_extension_static(config)]
    if not config.html_sidebars:
        config.html_sidebars = {"**": SIDEBARS}


def _folders_from_project(app: Sphinx, config: Config) -> None:
    """Every folder of ``html_static_path`` named from the project's folder
    (ABlog, sphinx-copybutton and the theme add theirs by full path)."""
    config.html_static_path = [from_confdir(app.confdir, p) for p in config.html_static_path]


def _static_path_once(app: Sphinx) -> None:
    """sphinx-copybutton appends its folder to ``html_static_path`` when the
    builder starts, after Sphinx compared this build's configuration with the
    last one's: each build then said "The configuration has changed
    ('html_static_path')". ``_config_inited`` puts the folder there first (so
    the comparison sees the same list); here the second copy goes again."""
    seen: dict[str, str] = {}
    for path in app.config.html_static_path:
        seen.setdefault(_same_folder(app.confdir, path), str(path))
    app.config.html_static_path = list(seen.values())


def _one_viewport(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Furo's viewport tag only (``furo.DOCUTILS_VIEWPORT``)."""
    metatags = context.get("metatags")
    if metatags and furo.DOCUTILS_VIEWPORT in metatags:
        context["metatags"] = metatags.replace(furo.DOCUTILS_VIEWPORT, "")


def setup_theme(app: Sphinx) -> None:
    # Furo's table wrapper repeats the table's id (theme.furo).
    app.add_node(
        nodes.container,
        override=True,
        html=(furo.visit_container, furo.depart_container),
    )
    # Furo registers its own settings (pygments_dark_style) when the theme is
    # loaded, after Sphinx compared this build's configuration with the last
    # one's: set it up now, so that the comparison knows them (furo
    # 2025.12.19; loading it twice is a no-op, and Furo's check that it is not
    # listed in ``extensions`` reads conf.py's list, which this does not touch).
    app.setup_extension("furo")
    app.connect("config-inited", _config_inited)
    app.connect("config-inited", _folders_from_project, priority=Order.FOLDERS_FROM_PROJECT)
    app.connect("builder-inited", _static_path_once, priority=Order.STATIC_PATH_ONCE)
    app.connect("html-page-context", _one_viewport)
    setup_a11y(app)
    setup_csp(app)
    setup_direction(app)
    setup_links(app)
    setup_assets(app)
    app.add_css_file("essayist.css")
