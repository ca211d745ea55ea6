"""A problem stays loud until it is fixed.

Sphinx reports a warning once: after ``-W --keep-going`` fails on a broken link,
the next incremental build neither re-reads nor rewrites that document, so it
passes with the link still broken. We note every document that warned (reading
or writing) in ``<doctreedir>/essayist-warned.json`` when the build finishes,
and mark those documents outdated on the next build, so their warnings come
again until they are fixed. This is the one way a problem stays loud: every
feature's warning that names its document is covered.
"""

from __future__ import annotations

import logging as std_logging

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.nodes import get_node_source

from .state import StateFile

STATE = "warned"


def warned_docname(location: object, env: BuildEnvironment) -> str | None:
    """The document a warning's raw ``location`` points at, if any."""
    if isinstance(location, tuple):
        location = location[0]
    if isinstance(location, nodes.Node):
        try:
            source = get_node_source(location)
        except ValueError:
            return None
        location = source.split(":", 1)[0] if source else None
        return env.path2doc(location) if location else None
    if isinstance(location, str):
        if location in env.all_docs or location in env.found_docs:
            return location
        path = location.rsplit(":", 1)[0] if ":" in location else location
        return env.path2doc(path)
    return None


class _WarnedDocs(std_logging.Filter):
    """Records which document each warning is about; never drops a record."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app
        self.docnames: set[str] = set()

    def filter(self, record: std_logging.LogRecord) -> bool:
        if record.levelno < std_logging.WARNING:
            return True
        env = getattr(self.app, "env", None)
        if env is None:
            return True
        docname = warned_docname(getattr(record, "location", None), env)
        if docname is None:
            docname = env.temp_data.get("docname") or getattr(
                self.app.builder, "current_docname", None
            )
        if docname:
            self.docnames.add(docname)
        return True


def _get_outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    previous = StateFile(app, STATE).load([])
    return sorted(d for d in previous if d in env.found_docs and d not in removed)


def _warning_handlers() -> list[std_logging.Handler]:
    return [
        h
        for h in std_logging.getLogger(logging.NAMESPACE).handlers
        if isinstance(h, logging.WarningStreamHandler)
    ]


def setup_loud(app: Sphinx) -> None:
    recorder = _WarnedDocs(app)

    def builder_inited(app: Sphinx) -> None:
        for handler in _warning_handlers():
            # First, so it sees every warning before -W turns one into an error.
            handler.filters.insert(0, recorder)

    def build_finished(app: Sphinx, exception: Exception | None) -> None:
        for handler in _warning_handlers():
            if recorder in handler.filters:
                handler.removeFilter(recorder)
        if exception is not None:
            return  # keep the previous list: those documents are read again next time
        StateFile(app, STATE).save(sorted(recorder.docnames))

    app.connect("builder-inited", builder_inited)
    app.connect("env-get-outdated", _get_outdated)
    app.connect("build-finished", build_finished)
