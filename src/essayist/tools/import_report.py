"""What ``blog import`` says: which directives and roles the site knows, which
extension provides the others, and the table of posts."""

from __future__ import annotations

from dataclasses import dataclass, field


def _words(text: str) -> set[str]:
    return set(text.split())


# Directives the site knows: docutils', Sphinx's, MyST's, ABlog's, essayist's.
KNOWN_DIRECTIVES = _words(
    """
    acks admonition attention caution centered class code code-block codeauthor compound
    container contents cssclass csv-table danger date default-domain default-role
    deprecated describe epigraph error figure figure-md footer header highlight highlights
    hint hlist image important include index line-block list-table literalinclude math meta
    moduleauthor note object only parsed-literal pull-quote raw replace role rst-class
    rubric section-numbering sectionauthor sectnum seealso sidebar sourcecode table
    tabularcolumns target-notes tip title toctree topic unicode version-added
    version-changed version-deprecated version-removed versionadded versionchanged
    versionremoved warning eval-rst glossary productionlist program option cmdoption envvar
    confval post postlist update concept concept-index
    """
)
# Roles the site knows (the default domain's, py, included).
KNOWN_ROLES = _words(
    """
    ab abbr abbreviation ac acronym any code command cve cwe dfn doc download emphasis eq
    file guilabel i index kbd keyword literal mailheader makevar manpage math menuselection
    mimetype newsgroup numref option pep program ref regexp rfc samp strong sub subscript
    sup superscript t term title title-reference token uri url envvar confval concept
    attr class const data deco exc func meth mod obj type
    """
)
# Domains whose directives and roles Sphinx has (``{py:function}``, ``{c:func}``).
DOMAINS = {"py", "c", "cpp", "js", "rst", "std", "math", "concept"}


@dataclass(frozen=True)
class Provider:
    package: str  # what provides it, as people name it
    extension: str  # what to add to ``extensions``
    pip: str | None  # the pip package, when it is not Sphinx itself


SD = Provider("sphinx-design", "sphinx_design", "sphinx-design")
NB = Provider("myst-nb", "myst_nb", "myst-nb")
BIB = Provider("sphinxcontrib-bibtex", "sphinxcontrib.bibtex", "sphinxcontrib-bibtex")
TABS = Provider("sphinx-tabs", "sphinx_tabs.tabs", "sphinx-tabs")
JS = Provider("jupyter-sphinx", "jupyter_sphinx", "jupyter-sphinx")


def _sphinx(extension: str) -> Provider:
    return Provider("Sphinx", extension, None)


def _names(text: str, provider: Provider) -> dict[str, Provider]:
    return dict.fromkeys(text.split(), provider)


DIRECTIVE_PROVIDERS: dict[str, Provider] = {
    **_names(
        "grid grid-item grid-item-card card card-carousel dropdown tab-set tab-item "
        "tab-set-code button-link button-ref article-info",
        SD,
    ),
    "mermaid": Provider("sphinxcontrib-mermaid", "sphinxcontrib.mermaid", "sphinxcontrib-mermaid"),
    **_names("code-cell glue:any glue:figure glue:math glue:md", NB),
    **_names("jupyter-execute jupyter-kernel jupyter-download-notebook thebe-button", JS),
    "plot": Provider("matplotlib", "matplotlib.sphinxext.plot_directive", "matplotlib"),
    **_names("bibliography footbibliography", BIB),
    **_names("tabs tab group-tab code-tab", TABS),
    "toggle": Provider("sphinx-togglebutton", "sphinx_togglebutton", "sphinx-togglebutton"),
    **_names("panels link-button", Provider("sphinx-panels", "sphinx_panels", "sphinx-panels")),
    **_names(
        "youtube vimeo",
        Provider("sphinxcontrib-youtube", "sphinxcontrib.youtube", "sphinxcontrib-youtube"),
    ),  # fmt: skip
    **_names(
        "exercise solution", Provider("sphinx-exercise", "sphinx_exercise", "sphinx-exercise")
    ),
    "example": Provider("sphinx-examples", "sphinx_examples", "sphinx-examples"),
    "thumbnail": Provider("sphinxcontrib-images", "sphinxcontrib.images", "sphinxcontrib-images"),
    "ipython": Provider("IPython", "IPython.sphinxext.ipython_directive", "ipython"),
    **_names("todo todolist", _sphinx("sphinx.ext.todo")),
    **_names("graphviz graph digraph", _sphinx("sphinx.ext.graphviz")),
    "inheritance-diagram": _sphinx("sphinx.ext.inheritance_diagram"),
    "ifconfig": _sphinx("sphinx.ext.ifconfig"),
    **_names(
        "automodule autoclass autofunction automethod autoattribute autodata autoexception "
        "autodecorator autoproperty autoclasstoc",
        _sphinx("sphinx.ext.autodoc"),
    ),
    "autosummary": _sphinx("sphinx.ext.autosummary"),
    **_names("doctest testcode testoutput testsetup testcleanup", _sphinx("sphinx.ext.doctest")),
}
ROLE_PROVIDERS: dict[str, Provider] = {
    **_names("cite cite:p cite:t cite:ps cite:ts cite:author cite:year footcite footcite:p", BIB),
    **_names("octicon fab fas far bdg", SD),
    **{
        f"bdg-{c}{o}": SD
        for c in ("", "link-", "ref-")
        for o in (
            "primary",
            "secondary",
            "success",
            "info",
            "warning",
            "danger",
            "light",
            "dark",
            "primary-line",
            "secondary-line",
            "success-line",
            "info-line",
            "warning-line",
            "danger-line",
            "light-line",
            "dark-line",
            "muted",
        )
    },  # fmt: skip
    **_names("glue glue:text glue:md glue:any glue:math glue:figure", NB),
}
# A theme's own directives: the site's theme (Furo) has none.
THEME_DIRECTIVES = {"margin": "sphinx-book-theme"}


def known(name: str, kind: str, extensions: set[str]) -> bool:
    """Whether the site knows directive (or role) ``name`` with ``extensions``."""
    names, providers = (
        (KNOWN_DIRECTIVES, DIRECTIVE_PROVIDERS)
        if kind == "directive"
        else (KNOWN_ROLES, ROLE_PROVIDERS)
    )
    if name in names:
        return True
    domain, _, rest = name.partition(":")
    if rest and domain in DOMAINS:
        return True
    provider = providers.get(name)
    return provider is not None and provider.extension in extensions


def unknown_reasons(names: list[str], kind: str, own: set[str]) -> list[str]:
    """Why the site cannot build directives (or roles) ``names``, and what to do,
    one reason for each extension (or origin)."""
    providers = DIRECTIVE_PROVIDERS if kind == "directive" else ROLE_PROVIDERS
    groups: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        provider = providers.get(name)
        if provider is not None:
            where = f" (pip package {provider.pip})" if provider.pip else ""
            what = f"from {provider.package}: add `{provider.extension}` to extensions{where}"
        elif kind == "directive" and name in THEME_DIRECTIVES:
            what = f"from the theme {THEME_DIRECTIVES[name]}: rewrite that part"
        elif name in own:
            what = "from the old blog's conf.py: port it, or rewrite that part"
        else:
            what = ""
        groups.setdefault(what, []).append(name)
    reasons = []
    for what, group in groups.items():
        named = ", ".join(f"`{n}`" for n in group)
        plural = kind + ("s" if len(group) > 1 else "")
        reasons.append(f"{plural} {named} {what}" if what else f"unknown {plural} {named}")
    return reasons


# -- The table ---------------------------------------------------------------------


@dataclass
class Row:
    old: str
    new: str | None = None  # None: skipped
    reasons: list[str] = field(default_factory=list)  # why it is not converted fully
    notes: list[str] = field(default_factory=list)  # said, but nothing is lost

    @property
    def complete(self) -> bool:
        return self.new is not None and not self.reasons


def table(rows: list[Row]) -> list[str]:
    """One line a post: old path, new path (or "skipped"), what to know."""
    cells = [("old", "new", "notes")]
    for row in sorted(rows, key=lambda r: r.old):
        said = row.reasons + [f"note: {n}" for n in row.notes]
        cells.append((row.old, row.new or "skipped", "; ".join(said) or "ok"))
    widths = [max(len(c[i]) for c in cells) for i in range(2)]
    return [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in cells]


def summary(rows: list[Row], dry_run: bool) -> str:
    imported = [r for r in rows if r.new is not None]
    full = [r for r in imported if r.complete]
    verb = "would be imported" if dry_run else "imported"
    return (
        f"{len(rows)} post(s) found: {len(full)} {verb} fully, "
        f"{len(imported) - len(full)} with problems, {len(rows) - len(imported)} skipped"
    )
