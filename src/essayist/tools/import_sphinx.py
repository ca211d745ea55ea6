"""What the site's Sphinx can build, asked of Sphinx itself, and the lines of an
imported post that the site's strict build (``-W -n``) would fail on.

The site's ``conf.py`` is loaded as ``make html`` loads it (its extensions set
up, nothing read or written in the site); the directives, roles and code
languages it then knows are the ones a post may use. A post's directives are
parsed as MyST parses them, so a wrong option is found here, not in the build.
"""

from __future__ import annotations

import importlib
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..blog.frontmatter import FrontMatterError, split_front_matter
from . import import_myst as myst
from .import_report import unknown_reason

# MyST reads these itself: no extension registers them.
MYST_DIRECTIVES = {"eval-rst"}
# Code blocks with these languages are highlighted as Python, or not at all.
_PYTHON = {"py", "python", "py3", "python3", "default", "pycon3", "guess", "none", ""}
_CODE = {"code", "code-block", "sourcecode"}
# reStructuredText in an eval-rst block: ``.. name::`` and ``:name:`text```.
_RST_DIRECTIVE = re.compile(r"^\s*\.\.\s+([A-Za-z][\w:+.-]*)::")
_RST_ROLE = re.compile(r"(?<![\w`]):([A-Za-z][\w:+.-]*):`")


class SiteError(Exception):
    """The site's Sphinx cannot be set up (its conf.py fails)."""


@dataclass
class Registry:
    """The directives (name -> class, when there is one), roles and code
    languages of the site's Sphinx."""

    directives: dict[str, object] = field(default_factory=dict)
    roles: set[str] = field(default_factory=set)
    lexers: set[str] = field(default_factory=set)
    extensions: set[str] = field(default_factory=set)

    def knows(self, name: str, kind: str) -> bool:
        return name in (self.directives if kind == "directive" else self.roles)

    def directive_warnings(self, name: str, first: str, content: str) -> list[tuple[int, str]]:
        """(line offset, message) of what MyST says parsing directive ``name``."""
        from docutils.parsers.rst import Directive
        from docutils.parsers.rst.states import MarkupError
        from myst_parser.parsers.directives import parse_directive_text

        cls = self.directives.get(name)
        if not (isinstance(cls, type) and issubclass(cls, Directive)):
            return []
        try:
            result = parse_directive_text(cls, first, content, line=0)
        except MarkupError as exc:
            return [(0, str(exc))]
        return [(w.lineno or 0, w.msg) for w in result.warnings]

    def code_problem(self, lang: str, source: str) -> str | None:
        """What Sphinx says highlighting ``source`` as ``lang``, or None."""
        from pygments.filters import ErrorToken
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound

        if lang in _PYTHON or lang in self.lexers:
            return None
        try:
            lexer = get_lexer_by_name(lang)
        except ClassNotFound:
            return f"code language `{lang}` is not one Pygments knows: write `text`, or its name"
        lexer.add_filter("raiseonerror")
        try:
            for _ in lexer.get_tokens(source):
                pass
        except ErrorToken as exc:
            return (
                f"code marked `{lang}` is not valid {lang} (Pygments stops at {str(exc)!r}): "
                "mark it `text`, or fix it"
            )
        return None


_CACHE: dict[bytes, Registry] = {}


def site_registry(root: Path) -> Registry:
    """The site's registry: its ``conf.py`` loaded by Sphinx, as for a build."""
    conf = (root / "conf.py").read_bytes()
    if conf not in _CACHE:
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        warnings = io.StringIO()
        try:
            with (
                tempfile.TemporaryDirectory() as tmp,
                patch_docutils(root),
                docutils_namespace(),
            ):
                out = Path(tmp)
                app = Sphinx(root, root, out / "html", out / "doctrees", "html", status=None,
                             warning=warnings, freshenv=True)  # fmt: skip
                _CACHE[conf] = _collect(app)
        except Exception as exc:  # the site's own conf.py: anything may fail
            said = warnings.getvalue().strip()
            raise SiteError(f"{root / 'conf.py'}: Sphinx cannot set it up: {exc} {said}") from None
    return _CACHE[conf]


def _collect(app) -> Registry:
    from docutils.parsers.rst import directives, roles
    from docutils.parsers.rst.languages import en
    from sphinx.highlighting import lexer_classes, lexers

    reg = Registry()
    for name, (module, cls) in directives._directive_registry.items():
        mod = importlib.import_module(f"docutils.parsers.rst.directives.{module}")
        reg.directives[name] = getattr(mod, cls, None)
    reg.directives.update(directives._directives)
    reg.roles = set(roles._role_registry) | set(roles._roles)
    # English aliases: ``sub`` is ``subscript``, ``sidebar`` itself, ...
    for alias, name in en.directives.items():
        if name in reg.directives:
            reg.directives.setdefault(alias, reg.directives[name])
    reg.roles |= {alias for alias, name in en.roles.items() if name in reg.roles}
    bare = {app.config.primary_domain, "std"}
    for domain in app.env.domains.sorted():
        for name, cls in domain.directives.items():
            reg.directives[f"{domain.name}:{name}"] = cls
            if domain.name in bare:
                reg.directives.setdefault(name, cls)
        for name in domain.roles:
            reg.roles.add(f"{domain.name}:{name}")
            if domain.name in bare:
                reg.roles.add(name)
    reg.directives.update(dict.fromkeys(MYST_DIRECTIVES))
    reg.lexers = set(lexer_classes) | set(lexers)
    reg.extensions = set(app.extensions)
    return reg


def build_problems(text: str, registry: Registry, old) -> list[tuple[int, str]]:
    """(line, what to do) for each line of ``text`` (a post as written here)
    that the strict build fails on: unknown directives and roles (once a name,
    "N times"), directives MyST cannot parse, code Pygments cannot highlight.
    ``old`` is the old blog's ``Conf``, to say where a name came from."""
    try:
        offset = split_front_matter(text).body_line - 1
    except FrontMatterError:
        offset = 0
    s = myst.scan("\n".join(text.split("\n")[offset:]))
    found: list[tuple[int, str]] = []
    unknown: dict[tuple[str, str], list[int]] = {}
    for b in s.blocks:
        line = b.start + offset + 1
        if b.name is None:
            lang = b.arg.split()[0] if b.arg and b.mark[0] != ":" else ""
            source = "\n".join(s.lines[b.start + 1 : b.end])
            if why := registry.code_problem(lang, source):
                found.append((line, why))
            continue
        if not registry.knows(b.name, "directive"):
            unknown.setdefault((b.name, "directive"), []).append(line)
            continue
        content = "\n".join(s.lines[b.start + 1 : b.end])
        if b.name == "eval-rst":
            for k in range(b.body, b.end):
                for m in _RST_DIRECTIVE.finditer(s.lines[k]):
                    if not registry.knows(m[1], "directive"):
                        unknown.setdefault((m[1], "directive"), []).append(k + offset + 1)
                for m in _RST_ROLE.finditer(s.lines[k]):
                    if not registry.knows(m[1], "role"):
                        unknown.setdefault((m[1], "role"), []).append(k + offset + 1)
        for at, message in registry.directive_warnings(b.name, b.arg, content):
            found.append((line + at, f"{{{b.name}}}: {message}: MyST warns"))
        if b.name in _CODE and b.arg:
            source = "\n".join(s.lines[b.body : b.end])
            if why := registry.code_problem(b.arg.split()[0], source):
                found.append((line, why))
    for at, name in myst.roles_at(s):
        if not registry.knows(name, "role"):
            unknown.setdefault((name, "role"), []).append(at + offset + 1)
    for (name, kind), lines in unknown.items():
        times = f" ({len(lines)} times)" if len(lines) > 1 else ""
        found.append((lines[0], unknown_reason(name, kind, old, registry.extensions, times)))
    return sorted(found)


NUMREF = (
    "{numref} needs numbered figures and tables, which this site does not have "
    "(numfig in conf.py): refer to it with {ref}, or set numfig = True"
)
MACRO = (
    "{name} is a MathJax macro of the old blog's conf.py (mathjax3_config), which "
    "formulas here do not have: write it out ({name} stands for {value})"
)


def site_problems(text: str, rel: str, target, old) -> list[tuple[int, str]]:
    """(line, what to do) for what else the site's build (and ``blog check``)
    names in a post as imported: an unclosed fence or a table that loses cells,
    an image with no alt text, a key its BibTeX files lack, ``{numref}``
    without numbered figures, the old blog's MathJax macros. They passed the
    import as "imported fully", and the next ``make html`` failed on them.
    ``target`` is the site (``Target``), ``old`` the old blog's ``Conf``."""
    from ..content.alt import alt_problems
    from ..content.blocks import markup_problems
    from .sitechecks import citations

    digits = target.conf["myst_dmath_allow_digits"]
    found = markup_problems(text, True if digits is None else bool(digits))
    found += alt_problems(text, "html_image" in target.myst_extensions)
    bibfiles = target.conf.strings("bibtex_bibfiles")
    encoding = target.conf["bibtex_encoding"] or "utf-8-sig"
    info = {"rel": rel, "text": text}
    cited = citations(target.root, bibfiles, encoding, [info], target.bib_keys)
    found += [(line, msg) for where, line, msg in cited if where == rel]
    if not target.conf["numfig"]:
        found += [(line, NUMREF) for line, name in _roles(text) if name == "numref"]
    for line, name, value in _macros(text, old):
        found.append((line, MACRO.format(name=name, value=value)))
    return found


def _roles(text: str) -> list[tuple[int, str]]:
    s = myst.scan(text)
    return [(at + 1, name) for at, name in myst.roles_at(s)]


def _macros(text: str, old) -> list[tuple[int, str, str]]:
    """Each use of one of the old blog's MathJax macros, once a macro."""
    config = old["mathjax3_config"] or old["mathjax_config"] or {}
    tex = config.get("tex", config.get("TeX", {})) if isinstance(config, dict) else {}
    macros = tex.get("macros", tex.get("Macros", {})) if isinstance(tex, dict) else {}
    found = []
    for name, value in macros.items() if isinstance(macros, dict) else ():
        command = re.compile(rf"\\{re.escape(str(name))}(?![A-Za-z])")
        for number, line in enumerate(text.split("\n"), start=1):
            if command.search(line):
                shown = value[0] if isinstance(value, (list, tuple)) and value else value
                found.append((number, f"\\{name}", str(shown)))
                break
    return found
