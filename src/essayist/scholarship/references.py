"""What a citation shows on hover: one small JSON file per work in the bibliography.

``_previews/references/<slug>.json``, next to the concept and essay previews
(``concepts.previews``) and fetched by the same script from the site itself.
A work's ``slug`` is its key made safe for an address and an ``id``; the
reference lists give each work the id ``ref-<slug>``, so a citation's link
(``#ref-manheim2018``) names the file its preview is in.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from docutils.nodes import make_id
from pybtex.database import Entry, Person
from pybtex.exceptions import PybtexError
from pybtex.plugin import find_plugin

from ..blog.frontmatter import url_problem
from ..publishing.files import json_bytes, write_if_changed
from .latexfields import rich_latex

PREVIEW_DIR = "_previews/references"
ID_PREFIX = "ref-"


def reference_slugs(keys: Iterable[str]) -> dict[str, str]:
    """Each key's slug: its ``make_id``; keys that would share one are told
    apart by a number, in the order of the sorted keys (stable across builds)."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(keys):
        base = make_id(key) or "reference"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        slugs[key] = slug
        taken.add(slug)
    return slugs


@functools.cache
def _text_backend():
    # pybtex looks a backend up through the installed packages' entry points
    # on every render_as() call: 0.5 s a build for five works. Once is enough.
    text = find_plugin("pybtex.backends", "text")

    class Backend(text):
        """Text, with a formula's superscripts and subscripts marked as
        written (``x^(i,j)``): pybtex's own text drops the marks."""

        def format_tag(self, tag_name, text):
            mark = {"sup": "^", "sub": "_"}.get(tag_name)
            if mark is None:
                return text
            return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"

    return Backend()


@functools.cache
def latex_text(value: str) -> str:
    """A field's text as a reader sees it (``latexfields``): braces gone,
    ``{\\'e}`` as é, ``$O(n^2)$`` as O(n²). LaTeX pybtex cannot read (an
    unclosed brace) is shown as written, less its braces: one bad field never
    stops the build."""
    try:
        return " ".join(rich_latex(value).render(_text_backend()).split())
    except (PybtexError, ValueError):  # UnicodeDecodeError is a ValueError
        return " ".join(value.replace("{", "").replace("}", "").split())


def person_name(person: Person) -> str:
    """A name in its usual order: "Chris van Merwijk", not "van Merwijk, Chris"."""
    parts = [
        *person.first_names,
        *person.middle_names,
        *person.prelast_names,
        *person.last_names,
        *person.lineage_names,
    ]
    return latex_text(" ".join(parts))


def names(people: list[Person], most: int = 3) -> str:
    """ "A", "A and B", "A, B and C"; past ``most`` people, "A et al."."""
    shown = [person_name(p) for p in people]
    if len(shown) > most:
        return f"{shown[0]} et al."
    if len(shown) <= 2:
        return " and ".join(shown)
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def surnames(people: list[Person]) -> str:
    """How a sentence names the authors: "Goodhart", "Manheim and Garrabrant",
    "Amodei et al."."""
    last = [latex_text(" ".join([*p.prelast_names, *p.last_names])) for p in people]
    if len(last) > 2:
        return f"{last[0]} et al."
    return " and ".join(last)


def entry_url(entry: Entry) -> str:
    """Where the work is: its DOI, else its URL, else its arXiv page."""
    fields = entry.fields
    if fields.get("doi"):
        return f"https://doi.org/{fields['doi']}"
    if fields.get("url"):
        # Only a web address is a link (a .bib may hold "javascript:…").
        return "" if url_problem(str(fields["url"])) else str(fields["url"])
    if fields.get("eprint"):
        return f"https://arxiv.org/abs/{fields['eprint']}"
    return ""


def entry_source(entry: Entry) -> str:
    """Where the work appeared, in a line: journal or book, publisher, arXiv."""
    fields = entry.fields
    parts = []
    if fields.get("journal"):
        parts.append(latex_text(fields["journal"]))
    elif fields.get("booktitle"):
        parts.append("In " + latex_text(fields["booktitle"]))
    elif fields.get("howpublished"):
        parts.append(latex_text(fields["howpublished"]))
    if fields.get("publisher"):
        parts.append(latex_text(fields["publisher"]))
    if fields.get("eprint"):
        parts.append(f"arXiv:{fields['eprint']}")
    if fields.get("doi"):
        parts.append(f"doi:{fields['doi']}")
    return " · ".join(parts)


def preview_data(entry: Entry) -> dict:
    """What the preview of a citation of ``entry`` shows."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    return {
        "kind": "reference",
        "key": entry.key,
        "title": latex_text(entry.fields.get("title", "")),
        "authors": names(people),
        "date": str(entry.fields.get("year", "")),
        "text": entry_source(entry),
        "url": entry_url(entry),
    }


def write_reference_previews(outdir: Path, entries: dict[str, Entry]) -> list[str]:
    """Write the preview of every work in ``entries`` (key -> entry) whose bytes
    changed, and remove those of works no longer there; the paths written."""
    slugs = reference_slugs(entries)
    files = {
        f"{PREVIEW_DIR}/{slugs[key]}.json": json_bytes(preview_data(entry))
        for key, entry in entries.items()
    }
    written = [rel for rel, data in sorted(files.items()) if write_if_changed(outdir / rel, data)]
    folder = outdir / PREVIEW_DIR
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            if f"{PREVIEW_DIR}/{path.name}" not in files:
                path.unlink()
    return written
