"""A work that names its container with ``crossref`` gets the container's fields.

DBLP, ACM and many hand-kept bibliographies write a paper as
``@inproceedings{paper, title = {...}, crossref = {conf2020}}`` and the
proceedings once, in ``@proceedings{conf2020, booktitle = {...}, year = ...}``.
BibTeX copies every field the paper lacks from the entry it names. pybtex
(0.26.1) does that only when the style is given the whole bibliography, and
sphinxcontrib-bibtex (2.7.0) never gives it: the reference list showed
"missing booktitle in paper" instead of the work
(mcmtroffaes/sphinxcontrib-bibtex#325, "bug, upstream").

Here, once sphinxcontrib-bibtex has read the files, each entry with a
``crossref`` takes the fields and names it lacks from the entry it names (and
that one's own container, in turn), as BibTeX does; a container with a
``title`` and no ``booktitle`` lends its title as the paper's ``booktitle``,
as biblatex does. A ``crossref`` naming no entry is a warning with the key.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import Warn, warn
from .bibcheck import entry_lines

logger = logging.getLogger(__name__)

# Entries whose container's title is their ``booktitle``.
_IN_CONTAINER = {"inproceedings", "incollection", "inbook", "conference"}
MAX_DEPTH = 8  # containers of containers: BibTeX itself follows one level


def resolve_crossrefs(entries) -> list[tuple[str, str]]:
    """Copy into each entry of ``entries`` (pybtex's, by key) what it lacks from
    the entry its ``crossref`` names; (key, missing container) for each
    ``crossref`` that names no entry."""
    missing = []
    for key, entry in entries.items():
        seen = {key.lower()}
        parent_key = entry.fields.get("crossref", "").strip()
        for _ in range(MAX_DEPTH):
            if not parent_key or parent_key.lower() in seen:
                break
            parent = entries.get(parent_key)
            if parent is None:
                missing.append((key, parent_key))
                break
            seen.add(parent_key.lower())
            _inherit(entry, parent)
            parent_key = parent.fields.get("crossref", "").strip()
    return missing


def _inherit(entry, parent) -> None:
    for name, value in parent.fields.items():
        if name.lower() == "crossref" or name in entry.fields:
            continue
        entry.fields[name] = value
    if (
        entry.type.lower() in _IN_CONTAINER
        and "booktitle" not in entry.fields
        and "title" in parent.fields
    ):
        entry.fields["booktitle"] = parent.fields["title"]
    for role, people in parent.persons.items():
        if role not in entry.persons:
            entry.persons[role] = list(people)


def _builder_inited(app: Sphinx) -> None:
    bibdata = getattr(app.env.domains.get("cite"), "bibdata", None)
    if bibdata is None:
        return
    missing = resolve_crossrefs(bibdata.data.entries)
    lines = {}
    for path in bibdata.bibfiles if missing else ():
        for key, line in entry_lines(path.read_text(encoding="utf-8", errors="replace")).items():
            lines.setdefault(key, f"{path}:{line}")
    for key, container in missing:
        warn(
            logger,
            Warn.CITATION,
            f"the work '{key}' names '{container}' as its crossref, and no entry has "
            "that key: add the container's entry, or correct the key",
            location=lines.get(key.lower()),
        )


def setup_crossref(app: Sphinx) -> None:
    # After sphinxcontrib-bibtex has read the BibTeX files (500).
    app.connect("builder-inited", _builder_inited, priority=600)
