"""Docutils' settings worked out once per build, not once per document.

For each document it reads, Sphinx builds a docutils ``OptionParser`` (every
option of the reader and the parser, and the ``docutils.conf`` files read
again) only to take its default values (``sphinx.util.docutils._get_settings``);
MyST's renderer builds another one, for a document it then does not use (its
``make_document()`` is the default of an ``options.get`` and is evaluated
either way). Together about 2 ms a document: 0.7 s at 300 essays.

Both parsers are kept, by the components' classes (Sphinx passes a new parser
object for each document; one with settings of its own, not its class's, gets
a parser of its own as before), and asked again (when a ``docutils.conf`` is
read, Sphinx's is made for each document as before: it may name a dependency
file): ``get_default_values()`` makes new
``Values`` (with a new ``DependencyList``) from the parser's defaults on every
call, as before, so every document still gets settings of its own. Sphinx's
parser is kept for one set of defaults (they hold the build's environment, so
a new build makes a new one); MyST's, by the components asked for.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any

# Whether the last application set up asked for the speed-ups (the functions
# replaced are the process's; a build with the speed-ups off gets the originals).
_state: dict[str, Any] = {"enabled": False, "installed": False}
_lock = threading.Lock()


# What docutils' OptionParser reads of a component (SettingsSpec).
_SPEC = (
    "settings_spec",
    "settings_defaults",
    "settings_default_overrides",
    "relative_path_settings",
    "config_section",
    "config_section_dependencies",
)


def _components_key(components: tuple) -> tuple | None:
    """The components' classes (Sphinx passes a new parser object per document),
    or ``None`` when an object carries settings of its own, not its class's."""
    key = []
    for component in components:
        if isinstance(component, type):
            key.append(component)
        elif any(name in vars(component) for name in _SPEC if hasattr(component, "__dict__")):
            return None
        else:
            key.append(type(component))
    return tuple(key)


class _Last:
    """Sphinx's parser for the last defaults seen (one build's)."""

    key: tuple | None = None
    defaults: dict | None = None
    parser: Any = None


def _sphinx_settings(original):
    from docutils.frontend import OptionParser
    from docutils.utils import DependencyList

    def _get_settings(*components, defaults, read_config_files: bool = False):
        if not _state["enabled"]:
            return original(*components, defaults=defaults, read_config_files=read_config_files)
        classes = _components_key(components)
        if classes is None:
            return original(*components, defaults=defaults, read_config_files=read_config_files)
        key = (classes, read_config_files)
        with _lock:
            if _Last.key != key or _Last.defaults != defaults:
                with warnings.catch_warnings(action="ignore", category=DeprecationWarning):
                    # As Sphinx does (docutils deprecates OptionParser and Option).
                    parser = OptionParser(
                        components=components,
                        defaults=defaults,
                        read_config_files=read_config_files,
                    )
                _Last.key, _Last.defaults, _Last.parser = key, dict(defaults), parser
            parser = _Last.parser
        if parser.config_files:
            # A docutils.conf may name a dependency file (opened for each
            # document): exactly as Sphinx does, then.
            return original(*components, defaults=defaults, read_config_files=read_config_files)
        with warnings.catch_warnings(action="ignore", category=DeprecationWarning):
            values = parser.get_default_values()
        # Read from no configuration file, the defaults' dependency list is the
        # empty one a new parser would make: each document gets its own.
        values.record_dependencies = DependencyList()
        return values

    _get_settings.essayist_original = original
    return _get_settings


def _myst_settings(original):
    from docutils.frontend import OptionParser

    parsers: dict[tuple, Any] = {}

    def get_default_settings(*components):
        key = _components_key(components)
        if not _state["enabled"] or key is None:
            return original(*components)
        with _lock:
            parser = parsers.get(key)
            if parser is None:
                with warnings.catch_warnings(action="ignore", category=DeprecationWarning):
                    parser = parsers[key] = OptionParser(components=components)
        with warnings.catch_warnings(action="ignore", category=DeprecationWarning):
            return parser.get_default_values()

    get_default_settings.essayist_original = original
    return get_default_settings


def install() -> None:
    """Replace the two functions, once per process."""
    import sphinx.util.docutils as sphinx_docutils

    if _state["installed"]:
        return
    sphinx_docutils._get_settings = _sphinx_settings(sphinx_docutils._get_settings)
    try:
        import myst_parser.mdit_to_docutils.base as myst_base
    except ImportError:  # a site without MyST
        pass
    else:
        myst_base.get_default_settings = _myst_settings(myst_base.get_default_settings)
    _state["installed"] = True


def setup_settings(enabled: bool) -> None:
    _state["enabled"] = enabled
    if enabled:
        install()
    else:
        with _lock:
            _Last.key = _Last.defaults = _Last.parser = None
