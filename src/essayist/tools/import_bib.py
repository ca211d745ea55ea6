"""``blog import``: the works the imported posts cite come with them.

An old blog with sphinxcontrib-bibtex keeps its works in its own BibTeX files
(``bibtex_bibfiles`` of its ``conf.py``). A post citing a key the site's file
lacks would fail the build, so the import held it as a draft and said "copy the
entry over". Now the import copies it: each entry an imported post cites (and
the entry it ``crossref``s, and the ``@string`` abbreviations it uses) is added
to the end of the site's first BibTeX file, as the old file has it, byte for
byte, under a comment naming where it came from. Before anything is written
the new file is read as the build reads it (pybtex): an entry that would not
mean there what it meant in the old blog (an abbreviation the site defines
otherwise) is not copied, and its posts stay held with the key named. A key the
site already has is never copied again: when the two entries differ, the
report says so, and the posts cite the site's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..concepts.source import find_roles
from ..scholarship.bibcheck import cite_keys, is_cite_role

_START = re.compile(r"@(?P<type>[A-Za-z]+)\s*(?P<open>[{(])\s*(?P<key>[^,\s{}()]*)")
_CROSSREF = re.compile(r"\bcrossref\s*=\s*[{\"]\s*(?P<key>[^}\"\s]+)\s*[}\"]", re.I)
_WORD = re.compile(r"[A-Za-z][\w:.+/-]*")
_NOT_WORKS = ("string", "comment", "preamble")


@dataclass
class Entry:
    kind: str  # lower case: article, string, ...
    key: str
    text: str  # as the file has it


@dataclass
class Carried:
    """What the import adds to the site's BibTeX file, and what it says."""

    path: Path | None = None  # the site's file
    keys: list[str] = field(default_factory=list)  # the works copied
    text: str = ""  # what is appended
    notes: list[str] = field(default_factory=list)


def entries(text: str) -> list[Entry]:
    """The entries of BibTeX ``text`` in order, each its exact text (braces
    counted as ``bibcheck`` counts them: ``\\{`` is not a brace)."""
    found: list[Entry] = []
    at = 0
    while (m := _START.search(text, at)) is not None:
        paren = m["open"] == "("
        depth, i, end = 0, m.end("open"), None
        while i < len(text) and end is None:
            ch = text[i]
            if ch == "\\":
                i += 1
            elif ch == "{":
                depth += 1
            elif depth == 0 and ch == (")" if paren else "}"):
                end = i
            elif ch == "}":
                depth -= 1
            i += 1
        if end is None:
            break  # never closed: the build names it (bibcheck)
        found.append(Entry(m["type"].lower(), m["key"], text[m.start() : end + 1]))
        at = end + 1
    return found


def cited_keys(texts: list[str]) -> list[str]:
    """Every key the citation roles of ``texts`` name, in order, once."""
    keys: dict[str, None] = {}
    for text in texts:
        for _, _, content in find_roles(text, is_cite_role):
            keys.update((key, None) for key in cite_keys(content))
    return list(keys)


def _macros(entry: Entry, defined: dict[str, Entry]) -> list[str]:
    """The ``@string`` names of ``defined`` that ``entry`` uses: a bare word
    after ``=`` or ``#``, outside braces and quotes."""
    body = entry.text[entry.text.find(",") + 1 :] if "," in entry.text else ""
    masked, depth, quoted = [], 0, False
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        masked.append(ch if depth == 0 and not quoted and ch not in '{}"' else " ")
    plain = "".join(masked)
    used = []
    for m in _WORD.finditer(plain):
        before = plain[: m.start()].rstrip()
        if before.endswith(("=", "#")) and m[0].lower() in defined:
            used.append(m[0].lower())
    return used


def _same(here, there, key: str) -> bool:
    """Whether pybtex reads entry ``key`` the same in both files' entries."""
    return here.get(key) is not None and here.get(key) == there.get(key)


def _parse(text: str):
    from pybtex.database.input.bibtex import Parser

    return Parser().parse_string(text)


def carry(
    texts: list[str], old_root: Path, old_files: list[str], old_encoding: str,
    site_root: Path, site_files: list[str], site_encoding: str,
) -> Carried:  # fmt: skip
    """What to add to the site's first BibTeX file for the keys ``texts`` cite."""
    done = Carried()
    if not site_files or not old_files:
        return done
    done.path = site_root / site_files[0]
    if not done.path.resolve().is_relative_to(site_root.resolve()):
        return Carried()  # nothing is written outside the site
    site_text = ""
    site_entries: list[Entry] = []
    for name in site_files:
        path = site_root / name
        if path.is_file():
            text = path.read_text(encoding=site_encoding)
            site_text += text
            site_entries += entries(text)
    old: dict[str, Entry] = {}
    strings: dict[str, Entry] = {}
    old_text = ""
    for name in old_files:
        path = old_root / name
        if not path.resolve().is_relative_to(old_root.resolve()):
            done.notes.append(
                f"the old conf.py's bibtex_bibfiles names {name!r}, outside the old blog: not "
                "read (copy it into the old blog's folder and name it there, then import again)"
            )
            continue
        if not path.is_file():
            continue
        text = path.read_text(encoding=old_encoding, errors="replace")
        old_text += text + "\n"
        for entry in entries(text):
            if entry.kind == "string":
                strings.setdefault(entry.key.split("=")[0].strip().lower(), entry)
            elif entry.kind not in _NOT_WORKS:
                old.setdefault(entry.key.lower(), entry)
    have = {e.key.lower(): e for e in site_entries if e.kind not in _NOT_WORKS}
    site_strings = {e.key.split("=")[0].strip().lower() for e in site_entries if e.kind == "string"}
    wanted: list[str] = []
    parents: list[str] = []  # crossref'd entries: after every entry citing them
    for key in cited_keys(texts):
        k = key.lower()
        if k in have:
            if k in old and " ".join(old[k].text.split()) != " ".join(have[k].text.split()):
                done.notes.append(
                    f"{done.path.name}: {key!r} is also in the old blog's BibTeX file, as "
                    "another entry: the imported posts cite this site's; check it is the same work"
                )
            continue
        if k in old and k not in wanted:
            wanted.append(k)
            parent = _CROSSREF.search(old[k].text)
            if parent and parent["key"].lower() in old and parent["key"].lower() not in have:
                parents.append(parent["key"].lower())
    wanted += [k for k in parents if k not in wanted]
    if not wanted:
        return done
    text = ""
    try:
        old_parsed = _parse(old_text).entries
    except Exception:  # noqa: BLE001 - pybtex raises many kinds: copy nothing
        return done
    chosen = list(dict.fromkeys(wanted))
    while chosen:
        macros = dict.fromkeys(
            m for k in chosen for m in _macros(old[k], strings) if m not in site_strings
        )
        block = [strings[m].text for m in macros] + [old[k].text for k in chosen]
        text = "\n\n".join(block) + "\n"
        try:
            parsed = _parse(site_text + "\n" + text).entries
        except Exception:  # noqa: BLE001 - pybtex raises many kinds: copy nothing
            return done
        same = [k for k in chosen if _same(parsed, old_parsed, old[k].key)]
        if same == chosen:
            break
        chosen = same  # what means something else here stays out, and its posts held
    if not chosen:
        return done
    sources = ", ".join(old_files)
    try:
        text.encode(site_encoding.removesuffix("-sig"))
    except (UnicodeError, LookupError):
        done.notes.append(f"{done.path.name}: the works the posts cite are not {site_encoding} "
                          "text: copy them over from the old blog's by hand")  # fmt: skip
        return done
    done.keys = [old[k].key for k in chosen]
    done.text = f"\n% From the old blog's {sources} (blog import)\n{text}"
    return done
