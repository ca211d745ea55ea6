"""What ``blog check`` reads beyond each post, as the build reads it: the concepts
a post names (and concepts that claim one name), the BibTeX files and the keys a
post cites, the images a post shows. Each problem is (file relative to the site,
line, message)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ..blog.frontmatter import outside_fences
from ..concepts.model import name_index
from ..concepts.source import (
    CONCEPTS_FOLDER,
    concept_names,
    concept_pages,
    did_you_mean,
    find_concept_refs,
    find_roles,
    normalize_concept_name,
    suggested,
)
from ..publishing.confine import OUTSIDE_MESSAGE, inside
from ..scholarship.bibcheck import (
    bibfile_keys,
    bibfile_problem,
    cite_keys,
    is_cite_role,
    unknown_keys,
)
from .import_myst import rewrite_prose

Found = tuple[str, int, str]


def post_files(root: Path, patterns: list[str]) -> Iterator[Path]:
    """The posts the build reads (``.md``, and ``.rst``, which it refuses), and
    links to nothing, which it refuses too; not through a folder link, which the
    build leaves out of its search (``confine.linked_folders`` names those)."""
    seen = set()
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            if path.suffix not in (".md", ".rst") or path in seen:
                continue
            if not (path.is_file() or path.is_symlink()):
                continue
            if any((root / p).is_symlink() for p in path.relative_to(root).parents):
                continue
            seen.add(path)
            yield path


def concepts(root: Path, infos: list[dict]) -> list[Found]:
    """Every ``{concept}`` reference names a concept the site defines, and no
    name belongs to two concepts (the build's ``concept.duplicate``)."""
    pages = dict(concept_pages(root))
    # The build's index: names, aliases and slugs ranked as the build ranks them.
    known, clashes = name_index(pages)
    names = concept_names(root)
    problems = []
    for info in infos:
        for line, target in find_concept_refs(info.get("text", "")):
            if normalize_concept_name(target) in known:
                continue
            hint = did_you_mean(suggested(target, names))
            message = f"unknown concept {target!r}" + (f": {hint}" if hint else "")
            problems.append((info["rel"], line, message))
    for key, owner, culprit in clashes:
        c, o = pages[culprit], pages[owner]
        problems.append(
            (
                f"{CONCEPTS_FOLDER}/{culprit}.md",
                c["line"],
                f"{key!r} names two concepts: {c['name']!r} here and {o['name']!r} in "
                f"{CONCEPTS_FOLDER}/{owner}.md (line {o['line']}); remove it from one of them",
            )
        )
    return problems


NO_BIBFILE = (
    'could not find bibtex key "{key}": the site has no BibTeX file: add one '
    "(references.bib) with the work, and list it in bibtex_bibfiles in conf.py"
)


def citations(
    root: Path, bibfiles: list[str], encoding: str, infos: list[dict], added: set[str] = frozenset()
) -> list[Found]:
    """The BibTeX files the build reads, and every key a post cites (``added``:
    keys about to be added to them, by ``blog import``)."""
    problems, keys = [], set(added)
    for name in bibfiles:
        path = root / name
        if not path.is_file():
            conf = (root / "conf.py").read_text(encoding="utf-8").split("\n")
            line = next((n for n, t in enumerate(conf, 1) if "bibtex_bibfiles" in t), 1)
            message = f"bibtex_bibfiles names {name!r}, and there is no such file: add it"
            return [*problems, ("conf.py", line, message)]
        if found := bibfile_problem(path, encoding):
            return [*problems, (name, *found)]  # keys of a file not read are unknown
        keys |= bibfile_keys(path, encoding)
    for info in infos:
        for line, _, content in find_roles(info.get("text", ""), is_cite_role):
            found = unknown_keys(content, keys)
            if not bibfiles:  # sphinxcontrib-bibtex finds no key at all
                found = [NO_BIBFILE.format(key=key) for key in cite_keys(content)]
            problems += [(info["rel"], line, m) for m in found]
    return problems


_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\s*\{(?:figure|image)\}\s*(\S+)")


def _images(line: str) -> list[str]:
    """The images ``line`` shows in Markdown, read as blog import reads them
    (code spans left out)."""
    found: list[str] = []

    def collect(kind: str, target: str) -> None:
        if kind in ("image", "html"):  # an <img> of its own is an image (html_image)
            found.append(target)

    rewrite_prose(line, collect, lambda name, content: None)
    return found


_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.I)


def images(root: Path, infos: list[dict]) -> list[Found]:
    """Every image a post shows (``![...](...)``, ``{figure}``, ``{image}``) is
    a file the build can copy: a missing one fails the build ("image file not
    readable")."""
    problems = []
    for info in infos:
        folder = (root / info["rel"]).parent
        for line, text in outside_fences(info.get("text", "").split("\n")):
            targets = _images(text)
            if directive := _DIRECTIVE.match(text):
                targets.append(directive[1])
            for target in targets:
                if _EXTERNAL.match(target):
                    continue
                path = root / target.lstrip("/") if target.startswith("/") else folder / target
                if not path.is_file():
                    path = Path(unquote(str(path)))
                if not path.is_file():
                    problems.append(
                        (info["rel"], line, f"image {target!r} is not there: add the file, or "
                         "correct its path (relative to the post)")
                    )  # fmt: skip
                elif not inside(root, path):
                    # As the build says it (publishing.confine), which fails on it.
                    where = path.resolve()
                    problems.append((info["rel"], line, OUTSIDE_MESSAGE % where))
    return problems
