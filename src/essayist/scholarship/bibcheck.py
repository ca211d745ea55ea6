"""A BibTeX file that cannot be read stops the build with its file, line and
what to do, before anything is built.

pybtex reads the whole file at once and fails with "syntax error in line 136:
premature end of file" (the last line, not the entry left open), inside a
Sphinx traceback; a key used twice made it stop reading, so every later work
"could not be found". Then the file is scanned entry by entry to say which
one.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from ..config import config_error
from ..incremental.state import StateFile

_ENTRY = re.compile(r"^\s*@(?P<type>\w+)\s*[{(]\s*(?P<key>[^,\s]*)")
_NOT_WORKS = {"comment", "preamble", "string"}


def _braces(line: str) -> int:
    line = re.sub(r"\\[{}]", "", line)
    return line.count("{") - line.count("}")


def bib_problems(text: str) -> list[tuple[int, str]]:
    """(line, what to do) for entries whose braces never close and keys used twice."""
    problems: list[tuple[int, str]] = []
    keys: dict[str, int] = {}
    depth, start = 0, 0
    for number, line in enumerate(text.splitlines(), start=1):
        entry = _ENTRY.match(line)
        if entry and depth > 0:
            problems.append((start, "this entry's braces { } do not close: close them"))
            depth = 0
        if entry and depth == 0:
            start = number
            key = entry.group("key")
            if entry.group("type").lower() not in _NOT_WORKS and key:
                first = keys.setdefault(key.lower(), number)
                if first != number:
                    problems.append(
                        (number, f"the key {key!r} is used again (first at line {first}): "
                         "rename one, or remove the repeated entry")
                    )  # fmt: skip
        depth = max(depth + _braces(line), 0)
    if depth > 0:
        problems.append((start, "this entry's braces { } do not close: close them"))
    return problems


def _config_inited(app: Sphinx, config: Config) -> None:
    """Read each BibTeX file that changed since it was last read well."""
    state = StateFile(app, "bibfiles")
    read_well = state.load({})
    for name in config.bibtex_bibfiles or ():
        path = Path(app.srcdir) / name
        if not path.is_file():
            continue  # sphinxcontrib-bibtex says so
        stamp = [path.stat().st_size, path.stat().st_mtime_ns]
        if read_well.get(name) == stamp:
            continue
        if problem := bibfile_problem(path, config.bibtex_encoding):
            raise config_error(f"{path}:{problem[0]}: {problem[1]}")
        read_well[name] = stamp
    state.save(read_well)


def entry_lines(text: str) -> dict[str, int]:
    """Each work's key (lower case) and the line its entry starts on."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        entry = _ENTRY.match(line)
        if entry and entry.group("type").lower() not in _NOT_WORKS and entry.group("key"):
            lines.setdefault(entry.group("key").lower(), number)
    return lines


def _parse(path: Path, encoding: str):
    # As sphinxcontrib-bibtex reads it (``parse_bibdata``): BibTeX whatever the
    # file's suffix, in ``bibtex_encoding``.
    from pybtex.database.input.bibtex import Parser

    return Parser(encoding=encoding).parse_file(str(path))


def bibfile_problem(path: Path, encoding: str = "utf-8-sig") -> tuple[int, str] | None:
    """(line, what to do) when pybtex cannot read the BibTeX file ``path``:
    the build stops on it, ``blog check`` reports it."""
    try:
        _parse(path, encoding)
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return line, (
            f"BibTeX cannot read it: it is not {encoding} text; save it as UTF-8, or set "
            "bibtex_encoding in conf.py to its encoding"
        )
    except Exception as error:  # pybtex raises many kinds
        text = path.read_text(encoding="utf-8", errors="replace")
        found = bib_problems(text)
        line, message = found[0] if found else (getattr(error, "lineno", 1) or 1, str(error))
        return line, f"BibTeX cannot read it: {message}"
    return None


def bibfile_keys(path: Path, encoding: str = "utf-8-sig") -> set[str]:
    """The keys of the works in a BibTeX file pybtex can read."""
    return set(_parse(path, encoding).entries.keys())


# A key cited in another case than its file's: the build and blog check say it so.
SPELLED = "citation key '{key}' is spelled '{right}' in the BibTeX file: write it the same way"


def is_cite_role(name: str) -> bool:
    """sphinxcontrib-bibtex's roles: ``cite`` and ``footcite``, with their
    variants (``cite:p``, ``cite:t``, ``footcite:ts``)."""
    return name.split(":")[0] in ("cite", "footcite")


def cite_keys(content: str) -> list[str]:
    """The keys a citation role's ``content`` names (none if it cannot be read:
    the build reports that)."""
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets

    try:
        return [target.key for target in parse_citation_targets(content)]
    except ValueError:
        return []


def unknown_keys(content: str, keys: set[str]) -> list[str]:
    """What to do about each key a citation role's ``content`` names that
    ``keys`` lacks, as the build says it."""
    folded = {key.lower(): key for key in keys}
    problems = []
    for key in cite_keys(content):
        if key in keys:
            continue
        right = folded.get(key.lower())
        problems.append(
            SPELLED.format(key=key, right=right)
            if right
            else f'could not find bibtex key "{key}": add the work to the '
            "BibTeX file, or correct the key"
        )
    return problems


def setup_bibcheck(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited, priority=900)
