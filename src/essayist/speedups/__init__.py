"""Speed-ups that change no byte of output, behind one switch.

* ``navcache``: Furo's navigation resolved once per folder, and marked for
  each page in it (``navmarks``);
* ``stemming``: the search index stems each word once per build;
* ``release``: a written page's doctree is freed at once;
* ``exit``: no garbage collection of the whole build at exit;
* ``settings``: docutils' settings worked out once per build, not per document;
* ``smartquotes``: smart quotes touch only the text they change;
* ``collector``: the garbage collector told what lives for the whole build;
* ``targets``: each page's address and paths, and each asset's checksum,
  worked out once per build.

``ESSAYIST_SPEEDUPS=0`` turns them all off: the benchmark does, to show what
the blog's own features cost, like for like with plain Sphinx.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from sphinx.application import Sphinx

from .collector import setup_collector
from .exit import setup_exit
from .navcache import setup_navcache
from .release import setup_release
from .settings import setup_settings
from .smartquotes import setup_smartquotes
from .stemming import setup_stemming
from .targets import setup_targets

ENV_VAR = "ESSAYIST_SPEEDUPS"


def speedups_wanted(environ: Mapping[str, str]) -> bool:
    return environ.get(ENV_VAR, "1").strip().lower() not in ("0", "false", "no", "off")


def setup_speedups(app: Sphinx) -> None:
    enabled = speedups_wanted(os.environ)
    setup_exit(enabled)
    setup_settings(enabled)
    if enabled:
        setup_collector(app)
        setup_navcache(app)
        setup_stemming(app)
        setup_release(app)
        setup_smartquotes(app)
    setup_targets(app, enabled)
