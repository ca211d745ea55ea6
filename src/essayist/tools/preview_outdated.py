"""Which documents a warm worker reads and writes, asked of the disk ahead.

Before reading, Sphinx looks at every document: its source's time against
when it was read, its doctree pickle, its dependencies (``get_outdated_files``),
and its page's time against its source's (``get_outdated_docs``). At 1,000
essays that is some 3,000 looks at the disk, 0.05 s of each worker before the
essay is read, to find the one file the watcher has just named.

So the builder asks Sphinx's own two questions once, right after its fresh
application is made, with the same arguments Sphinx will pass (``OutdatedAhead.ask``),
and a ``warm`` worker answers them with those answers and what changed since
(``OutdatedAhead.install``):

* every file changed since the answers were taken was named by the watcher,
  which is running then: the builder asks ahead only once it has been sent a
  change (``WarmBuilder.watched``), never for the application made before the
  server watches (a save then would be missed);
* a ``warm`` build's named files are documents the environment knows
  (``WarmBuilder.classify``), so the answers gain those documents, read and
  written again whether or not their time moved (a save of the same text
  builds what a clean build writes, as always);
* what the watcher does not see is asked of the disk again, as Sphinx asks it:
  every dependency of every document (an image, an included file; one in an
  ignored folder is never named) and the documents Sphinx re-reads always.

Pages are written only by workers, and the builder's own folder is not the
author's to edit: a page's time cannot go back between the answers and the
worker. ``conf.py``, templates and code changed start the builder cold, and a
cold builder's first build asks Sphinx itself (so the answers never meet the
``.buildinfo`` of other settings, which Sphinx's HTML builder moves aside when
asked). A source in a folder the watcher is told to ignore is never named: its
edit is seen by the next answers, one build later than Sphinx would see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import CONFIG_OK


def _mtime(path: Path) -> int:
    """A file's time as Sphinx keeps it: microseconds, rounded up."""
    return -(path.stat().st_mtime_ns // -1_000)


def dependencies_changed(env) -> set[str]:
    """The documents a dependency of which is missing or newer than the
    document's last read (Sphinx's own test, for dependencies only)."""
    changed = set()
    for docname, paths in env.dependencies.items():
        read = env.all_docs.get(docname)
        if read is None:
            continue
        for path in paths:
            try:
                newer = not Path(path).is_file() or _mtime(Path(path)) > read
            except OSError:
                newer = True  # Sphinx gives it another chance too
            if newer:
                changed.add(docname)
                break
    return changed


class OutdatedAhead:
    """Sphinx's answers to "what is out of date", taken before the worker."""

    def __init__(self, documents: dict, files: tuple, docs: list) -> None:
        self.documents = documents  # each document's source, resolved: its name
        self.added, self.changed, self.removed = (set(s) for s in files)
        self.docs = docs

    @classmethod
    def ask(cls, app: Sphinx, documents: dict[Path, str]) -> OutdatedAhead | None:
        """The answers for ``app``, just made (``documents``: each document's
        source, resolved as the watcher names it, with its name); None if Sphinx
        would build every document anyway (a changed configuration)."""
        env = app.env
        if env.config_status != CONFIG_OK:
            return None
        files = env.get_outdated_files(False)
        docs = app.builder.get_outdated_docs()
        if isinstance(docs, str):  # "all" (some builders): nothing to save
            return None
        return cls(documents, files, sorted(docs))

    def install(self, app: Sphinx, paths: Iterable[Path]) -> None:
        """In a warm worker: answer with what was asked ahead and ``paths``
        (the files the watcher named since, every one a known document;
        if one is not, Sphinx asks the disk as it always does)."""
        env, builder = app.env, app.builder
        named = {self.documents.get(Path(p).resolve()) for p in paths}
        if None in named:
            return
        cls = type(env)
        asked_files = cls.get_outdated_files

        def get_outdated_files(this, config_changed: bool) -> tuple[set, set, set]:
            if this is not env or config_changed:
                return asked_files(this, config_changed)
            changed = self.changed | named | set(env.reread_always)
            changed |= dependencies_changed(env)
            return set(self.added), changed, set(self.removed)

        def get_outdated_docs() -> Iterator[str]:
            yield from sorted(set(self.docs) | named)

        # On the class, in this worker only: the environment is pickled.
        cls.get_outdated_files = get_outdated_files
        builder.get_outdated_docs = get_outdated_docs


def known_documents(project, *args, **kwargs) -> set[str]:
    """``Project.discover`` in a worker of a ``warm`` build: no file was added or
    removed since the environment was pickled, so the documents are those it
    knows (walking the source folder again costs hundredths of a second at
    1,000 essays)."""
    return project.docnames


def ask_the_disk_less(app: Sphinx, ahead: OutdatedAhead | None, named: Iterable[Path]) -> None:
    """In a worker of a ``warm`` build (``named``: the files the watcher named):
    the documents are those the environment knows, and what is out of date is
    what was asked ahead and what was named since (when asked ahead)."""
    from sphinx.project import Project

    Project.discover = known_documents  # in this worker only
    if ahead is not None:
        ahead.install(app, named)
