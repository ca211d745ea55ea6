"""What ``blog import`` says: which extension provides a directive or a role
the site does not have, and the table of posts."""

from __future__ import annotations

from dataclasses import dataclass, field


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


def unknown_reason(name: str, kind: str, old, has: set[str], times: str = "") -> str:
    """Why the site cannot build directive (or role) ``name``, and what to do.
    ``old`` is the old blog's ``Conf``, ``has`` the site's extensions; ``times``
    is said after the name."""
    provider = (DIRECTIVE_PROVIDERS if kind == "directive" else ROLE_PROVIDERS).get(name)
    what = f"{kind} `{name}`{times}"
    if provider is not None:
        where = f" (pip package {provider.pip})" if provider.pip else ""
        return (
            f"{what} comes from {provider.package}: add `{provider.extension}` to extensions "
            f"in conf.py{where}, or rewrite that part"
        )
    if kind == "directive" and name in THEME_DIRECTIVES:
        return f"{what} comes from the theme {THEME_DIRECTIVES[name]}: rewrite that part"
    if name in (old.own_directives if kind == "directive" else old.own_roles):
        return f"{what} comes from the old blog's conf.py: port it, or rewrite that part"
    lacking = [e for e in old.strings("extensions") if e not in has]
    if lacking:
        named = ", ".join(f"`{e}`" for e in lacking)
        return f"unknown {what}: one of the old blog's extensions ({named}) has it, or rewrite it"
    return f"unknown {what}: rewrite that part"


# -- The table ---------------------------------------------------------------------


@dataclass
class Row:
    old: str
    new: str | None = None  # None: skipped
    reasons: list[str] = field(default_factory=list)  # why it is not converted fully
    notes: list[str] = field(default_factory=list)  # said, but nothing is lost
    held: bool = False  # a draft until what the strict build fails on is fixed

    @property
    def complete(self) -> bool:
        return self.new is not None and not self.reasons


def printable(text: str) -> str:
    """``text`` on one line, safe for a terminal: a control character (a file
    name's ESC, a newline in a link) is shown escaped, not acted on."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def table(rows: list[Row]) -> list[str]:
    """One line a post: old path, new path (or "skipped"), what to know."""
    cells = [("old", "new", "notes")]
    for row in sorted(rows, key=lambda r: r.old):
        said = row.reasons + [f"note: {n}" for n in row.notes]
        cells.append(
            (
                printable(row.old),
                printable(row.new or "skipped"),
                printable("; ".join(said) or "ok"),
            )
        )
    widths = [max(len(c[i]) for c in cells) for i in range(2)]
    return [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in cells]


def summary(rows: list[Row], dry_run: bool) -> str:
    imported = [r for r in rows if r.new is not None]
    full = [r for r in imported if r.complete]
    verb = "would be imported" if dry_run else "imported"
    held = sum(r.held for r in imported)
    drafts = f" ({held} of them drafts until fixed)" if held else ""
    return (
        f"{len(rows)} post(s) found: {len(full)} {verb} fully, "
        f"{len(imported) - len(full)} with problems{drafts}, "
        f"{len(rows) - len(imported)} skipped"
    )
