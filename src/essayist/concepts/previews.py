"""Hover and focus previews: one small JSON file per concept and per essay.

Under ``_previews/``, named after the page
(``_previews/docs/concepts/goodharts-law.json``), each written only when it
changes; ``essayist-previews.js`` fetches it, from the site itself, when a
reader hovers over or focuses a concept or essay link.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from sphinx.application import Sphinx

from ..config import Order
from ..incremental.outputs import output_state
from ..incremental.state import remove_stale_outputs
from ..publishing.files import json_bytes, write_if_changed
from .domain import DOMAIN, smart

PREVIEW_DIR = "_previews"
# The previews the last build wrote, to delete those of pages gone since.
STATE = "previews"


def preview_path(app: Sphinx, docname: str) -> str:
    """Where a page's preview lives: ``_previews/<page without .html>.json``."""
    uri = app.builder.get_target_uri(docname).split("#", 1)[0]
    suffix = getattr(app.builder, "link_suffix", ".html")
    if uri == "" or uri.endswith("/"):
        uri += "index"
    elif suffix and uri.endswith(suffix):
        uri = uri[: -len(suffix)]
    return f"{PREVIEW_DIR}/{unquote(uri)}.json"


def preview_files(app: Sphinx, model: dict, concepts: dict) -> dict[str, dict]:
    """Preview path -> its data, for every concept and published essay."""
    language = app.config.language
    files = {}
    for slug in sorted(concepts):
        c = concepts[slug]
        files[preview_path(app, c["docname"])] = {
            "kind": "concept",
            "title": smart(c["name"], language),
            "summary": smart(c["summary"], language),
            "text": c["definition"],
        }
    for docname in sorted(model["posts"]):
        info = model["posts"][docname]
        if info["published"]:
            files[preview_path(app, docname)] = {
                "kind": "essay",
                "title": info["title"],
                "date": info["month"],
                "text": info["excerpt"],
            }
    return files


def write_previews(app: Sphinx, model: dict, concepts: dict) -> list[str]:
    """Write each preview whose bytes changed; delete the previews of removed
    pages (only those this module wrote: citations keep theirs here too)."""
    outdir = Path(app.builder.outdir)
    files = preview_files(app, model, concepts)
    changed = [
        rel for rel, data in files.items() if write_if_changed(outdir / rel, json_bytes(data))
    ]
    remove_stale_outputs(app, STATE, sorted(files))
    return changed


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    # After the pages (the open tab of ``make serve`` reloads before this), and
    # before the build's output state is saved.
    if exception is None and app.builder.format == "html":
        domain = app.env.domains[DOMAIN]
        model = domain.data["model"]
        if model is not None and not output_state(app).all_current():
            write_previews(app, model, domain.concepts)


def setup_previews(app: Sphinx) -> None:
    app.connect("build-finished", _build_finished, priority=Order.OUTPUTS_USED)
    app.add_js_file("essayist-previews.js", loading_method="defer")
