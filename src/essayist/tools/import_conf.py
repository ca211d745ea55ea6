"""The two ``conf.py`` files of ``blog import``: the old blog's, read without
running it, and the site's, where new authors are inserted without touching
anything else.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.util.matching import Matcher

# The settings read from the old blog's conf.py, and their defaults.
SETTINGS: dict[str, object] = {
    "blog_post_pattern": [],
    "blog_authors": {},
    "blog_default_author": None,
    "author": None,
    "blog_baseurl": None,
    "html_baseurl": None,
    "blog_path": "blog",
    "post_date_format": "%b %d, %Y",
    "post_auto_excerpt": 1,
    "extensions": [],
    "source_suffix": None,
    "exclude_patterns": [],
    "include_patterns": ["**"],
    "templates_path": [],
    "html_static_path": [],
    "html_extra_path": [],
    "myst_enable_extensions": [],
    "myst_heading_anchors": 0,
    "extlinks": {},
    "myst_url_schemes": None,
    "myst_dmath_allow_digits": None,
    # Read to check posts against (the site's, the old blog's), never reported
    # when computed: the posts found do not depend on them.
    "bibtex_bibfiles": [],
    "bibtex_encoding": None,
    "numfig": False,
    "mathjax3_config": None,
    "mathjax_config": None,
}
_CHECKED_ONLY = {
    "myst_dmath_allow_digits",
    "bibtex_bibfiles",
    "bibtex_encoding",
    "numfig",
    "mathjax3_config",
    "mathjax_config",
}


@dataclass
class Conf:
    """Settings of a Sphinx project, as far as they are literals."""

    path: Path
    values: dict[str, object] = field(default_factory=dict)
    # Settings that are set, but not to a literal: they keep their default.
    unreadable: list[str] = field(default_factory=list)
    # Settings changed in code after they are set (extensions.append(...)):
    # read as first written.
    changed: list[str] = field(default_factory=list)
    # Directives and roles its setup() adds (app.add_directive("name", ...)).
    own_directives: set[str] = field(default_factory=set)
    own_roles: set[str] = field(default_factory=set)

    def __getitem__(self, name: str):
        return self.values.get(name, SETTINGS.get(name))

    def strings(self, name: str) -> list[str]:
        value = self[name]
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple)):
            return [v for v in value if isinstance(v, str)]
        return []

    @property
    def suffixes(self) -> dict[str, str]:
        """Source suffix -> "rst", "md" or "ipynb", as Sphinx would read them."""
        value = self["source_suffix"]
        found = {".rst": "rst"}
        if isinstance(value, str):
            value = [value]
        if isinstance(value, dict):
            kinds = {"restructuredtext": "rst", "markdown": "md", "myst-nb": "ipynb"}
            found |= {s: kinds.get(str(k), _kind(s)) for s, k in value.items()}
        elif isinstance(value, (list, tuple)):
            found |= {s: _kind(s) for s in value if isinstance(s, str)}
        extensions = set(self.strings("extensions"))
        if extensions & {"myst_parser", "myst_nb", "myst_parser.sphinx_"}:
            found.setdefault(".md", "md")
        # Notebooks are always looked at: a notebook post is reported, not lost.
        found.setdefault(".ipynb", "ipynb")
        return found

    @property
    def baseurl(self) -> str | None:
        url = self["blog_baseurl"]
        if not isinstance(url, str) or not url.strip():
            url = self["html_baseurl"]  # the same address, for Sphinx itself
        if not isinstance(url, str) or not url.strip():
            return None
        return url.strip().rstrip("/") + "/"


def _kind(suffix: str) -> str:
    return {".md": "md", ".ipynb": "ipynb"}.get(suffix, "rst")


def _literal(node: ast.expr) -> object:
    """A literal's value; ``os.environ.get("X", default)`` is its default."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("get", "getenv")
        and len(node.args) == 2
    ):
        return ast.literal_eval(node.args[1])
    return ast.literal_eval(node)


def _grown(conf: Conf, call: ast.expr) -> bool:
    """Apply ``setting.append(x)``, ``.extend([...])`` or ``.insert(i, x)``
    with literal arguments, at the top of conf.py, to the list read so far."""
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in SETTINGS
        and call.func.attr in ("append", "extend", "insert")
        and not call.keywords
    ):
        return False
    name, method = call.func.value.id, call.func.attr
    try:
        args = [ast.literal_eval(arg) for arg in call.args]
        value = list(conf[name] or [])
        getattr(value, method)(*args)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    conf.values[name] = value
    return True


def _outside_functions(tree: ast.Module):
    """Every node of ``tree`` but those inside a function or a class (a name
    there is the function's own)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


_CHANGING = {"append", "extend", "insert", "update", "remove", "pop", "add", "discard", "clear"}


def _changed_setting(node: ast.AST) -> str | None:
    """The setting ``node`` changes in place (``extensions.append(...)``,
    ``html_context["x"] = ...``), or None."""
    target = None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _CHANGING
    ):
        target = node.func.value
    elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        target = next((t.value for t in targets if isinstance(t, ast.Subscript)), None)
    if isinstance(target, ast.Name) and target.id in SETTINGS:
        return target.id
    return None


def read_conf(path: Path) -> Conf:
    """The literal settings of ``path`` (a conf.py), read with ``ast``: the
    file is never executed. Raises ``SyntaxError`` or ``OSError``."""
    source = path.read_bytes()
    tree = ast.parse(source, filename=str(path))
    conf = Conf(path)
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name) and t.id in SETTINGS]
            if not names or node.value is None:
                continue
            try:
                value = _literal(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                conf.unreadable += [
                    n for n in names if n not in conf.unreadable and n not in _CHECKED_ONLY
                ]
                continue
            for name in names:
                if isinstance(node, ast.AugAssign):
                    try:
                        value = conf[name] + value
                    except TypeError:
                        continue
                conf.values[name] = value
        elif isinstance(node, ast.Expr) and _grown(conf, node.value):
            continue  # extensions.append("myst_parser"): read as the list it makes
    applied = {id(n.value) for n in tree.body if isinstance(n, ast.Expr)}
    for node in _outside_functions(tree):
        name = _changed_setting(node) if id(node) not in applied else None
        if name and name not in _CHECKED_ONLY and name not in conf.changed:
            conf.changed.append(name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("add_directive", "add_role")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            owner = conf.own_directives if node.func.attr == "add_directive" else conf.own_roles
            owner.add(node.args[0].value)
    return conf


@dataclass
class Target:
    """The site posts are imported into."""

    root: Path
    conf: Conf
    authors: dict[str, object]
    default_author: str | None
    timezone: str
    today: dt.date
    blog_path: str
    post_patterns: list[str]
    slugify: Callable[[str], str]
    scalar: Callable[[str], str]
    registry: object = None  # import_sphinx.Registry: what the site's Sphinx knows
    # Works the import adds to the site's BibTeX file (import_bib): known keys.
    bib_keys: set[str] = field(default_factory=set)

    @property
    def myst_extensions(self) -> set[str]:
        return set(self.conf.strings("myst_enable_extensions"))

    @property
    def url_schemes(self) -> set[str]:
        """What MyST reads as a web address in a link (the rest are references)."""
        schemes = self.conf["myst_url_schemes"]
        if isinstance(schemes, (list, tuple, dict)):
            return {str(s).lower() for s in schemes}
        return {"http", "https", "mailto", "ftp"}

    @property
    def heading_anchors(self) -> int:
        depth = self.conf["myst_heading_anchors"]
        return depth if isinstance(depth, int) else 0


def source_files(
    root: Path, conf: Conf, shadowed: list[tuple[str, str]] | None = None
) -> dict[str, str]:
    """Every document of the project at ``root`` (docname -> file), as Sphinx
    finds them: source suffixes, include and exclude patterns. A second file of
    the same name (``post.md`` beside ``post.ipynb``, a jupytext pair), which
    Sphinx does not read, goes into ``shadowed`` as (docname, file)."""
    suffixes = sorted(conf.suffixes, key=len, reverse=True)
    include = Matcher(conf.strings("include_patterns") or ["**"])
    excluded = [
        *conf.strings("exclude_patterns"),
        *conf.strings("templates_path"),
        *conf.strings("html_static_path"),
        *conf.strings("html_extra_path"),
        "**/_sources", ".#*", "**/.#*", "*.lproj/**",
    ]  # fmt: skip
    exclude = Matcher(excluded)
    docs: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d != "node_modules"
            and not (here / d / "pyvenv.cfg").exists()
            and not exclude((here / d).relative_to(root).as_posix())
        )
        for name in sorted(files):
            rel = (here / name).relative_to(root).as_posix()
            suffix = next((s for s in suffixes if name.endswith(s) and name != s), None)
            if not (suffix and include(rel) and not exclude(rel)):
                continue
            docname = rel[: -len(suffix)]
            if docs.setdefault(docname, rel) != rel and shadowed is not None:
                shadowed.append((docname, rel))
    return docs


# -- Adding authors to the site's conf.py --------------------------------------


def author_entry(name: str, value: tuple[str, str | None]) -> str:
    full, link = value
    return f"{json.dumps(name, ensure_ascii=False)}: ({json.dumps(full, ensure_ascii=False)}, " + (
        f"{json.dumps(link, ensure_ascii=False)})" if link else "None)"
    )


def add_authors(source: bytes, authors: dict[str, tuple[str, str | None]]) -> bytes | None:
    """``source`` (a conf.py) with ``authors`` added to its ``blog_authors = {...}``
    literal, every other byte unchanged; ``None`` when there is no such dict."""
    if not authors:
        return source
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    found = None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "blog_authors" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            found = node.value
    if found is None or None in found.keys:
        return None
    starts = [0]
    for line in source.split(b"\n"):
        starts.append(starts[-1] + len(line) + 1)
    entries = [author_entry(n, v) for n, v in authors.items()]
    if not found.values:
        # "{}": between the braces. end_col_offset is after "}".
        at = starts[found.end_lineno - 1] + found.end_col_offset - 1
        return source[:at] + ", ".join(entries).encode() + source[at:]
    last = found.values[-1]
    at = starts[last.end_lineno - 1] + last.end_col_offset
    if found.lineno == found.end_lineno:
        insert = "".join(f", {e}" for e in entries)
    else:
        first_key = found.keys[-1]
        line = source[starts[first_key.lineno - 1] : starts[first_key.lineno]].decode()
        indent = line[: len(line) - len(line.lstrip())] or "    "
        insert = "".join(f",\n{indent}{e}" for e in entries)
    return source[:at] + insert.encode() + source[at:]
