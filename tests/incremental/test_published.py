"""The output folder holds exactly what a clean build would (issue 13).

Each scenario builds a copy of ``test-blog``, changes its sources, builds again
into the same folder, and compares the result with a clean build of the same
sources into another folder: the same files, with the same bytes. The one
normalisation is in ``searchindex.js``: Sphinx's ``IndexBuilder.prune`` keeps
the words of a removed document as terms with no documents (``"zebra": []``),
which a clean build does not write; those empty terms are dropped before
comparing (what every term points to is still compared exactly).
"""

from __future__ import annotations

import base64
from io import StringIO
from pathlib import Path

import pytest
from blogtools import build, copy_root, output_files
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

import essayist
from essayist.incremental.published import UNFINISHED, remove_file, stale_files
from essayist.incremental.state import StateFile

FIRST = "posts/2025/first.md"
THIRD = "posts/2026/third.md"
# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
MEDIA = "\n![A chart](chart.png)\n\n{download}`The data <data.csv>`\n"


def edit(src: Path, rel: str, old: str, new: str) -> None:
    path = src / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def unlink_third(src: Path) -> None:
    """The first post's links to the third, which is going away."""
    edit(src, FIRST, "{doc}`a doc link <../2026/third>`", "a doc link")
    edit(src, FIRST, "{doc}`the third post <../2026/third>`", "the third post")


def make_draft(src: Path) -> None:
    edit(src, THIRD, "tags: alpha", "draft: true\ntags: alpha")
    unlink_third(src)


def delete_post(src: Path) -> None:
    (src / THIRD).unlink()
    unlink_third(src)


def drop_tag(src: Path) -> None:
    edit(src, THIRD, 'tags: alpha, "Gamma & Delta"', "tags: alpha")


def move_site(src: Path) -> None:
    # Every page's canonical link, og:url and feed links follow the address.
    edit(src, "conf.py", "https://example.org/blog/", "https://example.net/essays/")


def add_about(src: Path) -> None:
    (src / "about.md").write_text("# About\n\nA page in every sidebar.\n", encoding="utf-8")
    with (src / "index.md").open("a", encoding="utf-8") as f:
        f.write("\n```{toctree}\n:hidden:\n\nabout\n```\n")


def retitle_about(src: Path) -> None:
    # Every page's sidebar shows the new title, not only the page's own.
    edit(src, "about.md", "# About", "# About Us")


THEME_LINKS = Path(essayist.__file__).parent / "theme/templates/essayist/blog-links.html"


def override_template(src: Path) -> None:
    (src / "_templates/essayist").mkdir(parents=True)
    text = THEME_LINKS.read_text(encoding="utf-8").replace("All posts", "Every post")
    (src / "_templates/essayist/blog-links.html").write_text(text, encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('templates_path = ["_templates"]\n')


def drop_template(src: Path) -> None:
    # Sphinx looks at the newest template's time only: a removal changed none.
    (src / "_templates/essayist/blog-links.html").unlink()


def add_media(src: Path) -> None:
    (src / "posts/2026/chart.png").write_bytes(PNG)
    (src / "posts/2026/data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with (src / THIRD).open("a", encoding="utf-8") as f:
        f.write(MEDIA)


def drop_media(src: Path) -> None:
    edit(src, THIRD, MEDIA, "\n")


def link_third_by_title(src: Path) -> None:
    # The excerpt's reference shows the third post's title: in the listings,
    # the first post's description and its feed summary.
    edit(src, FIRST, "{doc}`a doc link <../2026/third>`", "{doc}`../2026/third`")


def retitle_third(src: Path) -> None:
    edit(src, THIRD, "# Third Post", "# The Third Post, Retitled")


def add_static(src: Path) -> None:
    (src / "_static/sub").mkdir(parents=True)
    (src / "_static/keep.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    (src / "_static/old.css").write_text("p { color: teal }\n", encoding="utf-8")
    (src / "_static/sub/old.js").write_text("// gone soon\n", encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('html_static_path = ["_static"]\n')


def drop_static(src: Path) -> None:
    # Sphinx copies static files over what is there and never deletes one.
    (src / "_static/old.css").unlink()
    (src / "_static/sub/old.js").unlink()


# The files of the third post, and of its only tag and its only category.
THIRD_POST = {"posts/2026/third.html", "_sources/posts/2026/third.md.txt"}
THIRD_EXTRAS = {"_cards/posts/2026/third.png", "_previews/posts/2026/third.json"}
GAMMA = {"posts/tag/gamma-delta.html", "posts/tag/gamma-delta/atom.xml"}
ESSAYS = {"posts/category/essays.html", "posts/category/essays/atom.xml"}
DOWNLOAD = "_downloads/{}/data.csv"

SCENARIOS = {
    "draft": (None, make_draft, THIRD_POST | THIRD_EXTRAS | GAMMA | ESSAYS),
    "deleted": (None, delete_post, THIRD_POST | THIRD_EXTRAS | GAMMA | ESSAYS),
    "tag gone": (None, drop_tag, GAMMA),
    "site moved": (None, move_site, set()),
    "page retitled": (add_about, retitle_about, set()),
    "template removed": (override_template, drop_template, set()),
    "media unused": (add_media, drop_media, {"_images/chart.png", DOWNLOAD}),
    "static file removed": (add_static, drop_static, {"_static/old.css", "_static/sub/old.js"}),
    "excerpt's link retitled": (link_third_by_title, retitle_third, set()),
}


def build_with(builder: str, src: Path, builddir: Path, **overrides):
    if builder == "html":
        return build(src, builddir, **overrides)
    app = SphinxTestApp(
        builder,
        srcdir=src,
        builddir=builddir,
        confoverrides=overrides or None,
        status=StringIO(),
        warning=StringIO(),
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app, strip_escape_sequences(app.warning.getvalue())


def assert_same_as_clean(outdir: Path, clean: Path) -> dict[str, bytes]:
    ours, theirs = output_files(outdir), output_files(clean)
    assert sorted(ours) == sorted(theirs)
    for rel, data in theirs.items():
        assert ours[rel] == data, rel
    # No folder left empty where a removed page (or its preview) was.
    empty = [p for p in outdir.rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert empty == []
    return ours


def dirhtml_name(rel: str) -> str:
    """Where dirhtml puts what html puts at ``rel``: ``a/b.html`` in ``a/b/index.html``."""
    for suffix in (".html", ".json"):
        if rel.endswith(suffix) and not rel.startswith(("_cards/", "_sources/")):
            return f"{rel.removesuffix(suffix)}/index{suffix}"
    return rel


def download_dir(outdir: Path) -> str:
    (folder,) = (outdir / "_downloads").iterdir()
    return folder.name


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_an_incremental_build_writes_what_a_clean_build_writes(tmp_path, scenario, builder):
    before, change, gone = SCENARIOS[scenario]
    if builder == "dirhtml":
        gone = {dirhtml_name(rel) for rel in gone}
    src = copy_root("blog", tmp_path)
    if before:
        before(src)
    build_with(builder, src, tmp_path / "inc")
    outdir = tmp_path / "inc" / builder
    first = output_files(outdir)
    if DOWNLOAD in gone:
        gone = gone - {DOWNLOAD} | {DOWNLOAD.format(download_dir(outdir))}
    assert gone <= set(first)
    change(src)
    build_with(builder, src, tmp_path / "inc")
    build_with(builder, src, tmp_path / "clean")
    ours = assert_same_as_clean(outdir, tmp_path / "clean" / builder)
    assert set(first) - set(ours) == gone


def test_files_the_build_never_listed_are_kept(tmp_path):
    """A user's own file in the output folder is never deleted, even where a
    removed page's files are; nor is anything outside the folder."""
    src = copy_root("blog", tmp_path)
    build(src, tmp_path / "out")
    outdir = tmp_path / "out/html"
    mine = {"extra.html": b"mine", "posts/2026/notes.html": b"notes", "_images/logo.png": PNG}
    for rel, data in mine.items():
        (outdir / rel).parent.mkdir(parents=True, exist_ok=True)
        (outdir / rel).write_bytes(data)
    outside = tmp_path / "outside.html"
    outside.write_text("outside")
    manifest = StateFile(SimpleApp(tmp_path / "out/doctrees"), "published")
    listed = manifest.load()
    (key,) = listed
    listed[key] += ["../../outside.html", str(outside)]
    manifest.save(listed)
    delete_post(src)
    build(src, tmp_path / "out")
    assert not (outdir / "posts/2026/third.html").exists()
    assert {rel: (outdir / rel).read_bytes() for rel in mine} == mine
    assert outside.read_text() == "outside"
    # The manifest lists what the build expects now, and nothing of the user's.
    now = set(manifest.load()[key])
    assert "posts/2026/third.html" not in now and "index.html" in now
    assert not now & set(mine)


class SimpleApp:
    def __init__(self, doctreedir: Path) -> None:
        self.doctreedir = doctreedir


def test_stale_files_are_only_relative_paths_inside(tmp_path):
    listed = {"a.html", "b.html", "../up.html", "/abs.html", "x/../../up.html", ""}
    assert stale_files(listed, {"b.html"}) == ["a.html"]
    outdir = tmp_path / "out"
    (outdir / "deep/er").mkdir(parents=True)
    (outdir / "deep/er/page.html").write_text("p")
    (outdir / "keep").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.html").write_text("e")
    (outdir / "linked").symlink_to(elsewhere)
    assert remove_file(outdir, "linked/page.html") is False
    assert (elsewhere / "page.html").exists()
    assert remove_file(outdir, "deep/er/page.html") is True
    assert not (outdir / "deep").exists() and (outdir / "keep").is_dir()
    assert remove_file(outdir, "deep/er/page.html") is False


@pytest.fixture
def killed_at(monkeypatch):
    """Make the next build die (as on Ctrl-C or SIGKILL: no ``build-finished``,
    the environment kept) just before it writes the page ``pagename``."""

    def arm(pagename: str) -> None:
        handle_page = StandaloneHTMLBuilder.handle_page

        def dying(self, name, *args, **kwargs):
            if name == pagename:
                monkeypatch.setattr(StandaloneHTMLBuilder, "handle_page", handle_page)
                raise KeyboardInterrupt
            return handle_page(self, name, *args, **kwargs)

        monkeypatch.setattr(StandaloneHTMLBuilder, "handle_page", dying)

    return arm


def test_a_build_after_a_killed_first_build_indexes_every_page(tmp_path, killed_at):
    src = copy_root("blog", tmp_path)
    killed_at("posts/2026/second")
    with pytest.raises(KeyboardInterrupt):
        build(src, tmp_path / "inc")
    outdir = tmp_path / "inc/html"
    assert (outdir / "posts/2025/first.html").is_file()
    assert not (outdir / "searchindex.js").exists()
    app, _ = build(src, tmp_path / "inc")
    status = strip_escape_sequences(app.status.getvalue())
    assert f"the last build into {outdir} did not finish; writing every page again" in status
    build(src, tmp_path / "clean")
    clean = tmp_path / "clean/html"
    assert (outdir / "searchindex.js").read_bytes() == (clean / "searchindex.js").read_bytes()
    assert_same_as_clean(outdir, clean)
    assert StateFile(SimpleApp(tmp_path / "inc/doctrees"), UNFINISHED).load() is None
    # Repaired once: the next build writes no document.
    again, _ = build(src, tmp_path / "inc")
    assert "did not finish" not in again.status.getvalue()
    assert "no targets are out of date" in strip_escape_sequences(again.status.getvalue())


def test_a_build_after_a_killed_update_indexes_the_new_text(tmp_path, killed_at):
    src = copy_root("blog", tmp_path)
    build(src, tmp_path / "inc")
    edit(src, THIRD, "# Third Post\n", "# Third Post\n\nXylophones quietly.\n")
    edit(src, "posts/2026/second.md", "# Second Post\n", "# Second Post\n\nZithers loudly.\n")
    killed_at("posts/2026/third")
    with pytest.raises(KeyboardInterrupt):
        build(src, tmp_path / "inc")
    outdir = tmp_path / "inc/html"
    assert b"Zithers" in (outdir / "posts/2026/second.html").read_bytes()
    build(src, tmp_path / "inc")
    build(src, tmp_path / "clean")
    clean = tmp_path / "clean/html"
    index = (outdir / "searchindex.js").read_bytes()
    assert b'"zither"' in index and b'"xylophon"' in index
    assert index == (clean / "searchindex.js").read_bytes()
    assert_same_as_clean(outdir, clean)


def test_a_failed_build_keeps_the_mark_and_deletes_nothing(tmp_path, monkeypatch):
    src = copy_root("blog", tmp_path)
    build(src, tmp_path / "inc")
    outdir = tmp_path / "inc/html"
    delete_post(src)

    def broken(self, docname, doctree):
        raise RuntimeError("broken")

    monkeypatch.setattr(StandaloneHTMLBuilder, "write_doc", broken)
    with pytest.raises(RuntimeError):
        build(src, tmp_path / "inc")
    assert (outdir / "posts/2026/third.html").is_file()
    marked = StateFile(SimpleApp(tmp_path / "inc/doctrees"), UNFINISHED).load()
    assert marked == ["../html"]


def test_a_killed_build_writes_archive_pages_again(tmp_path, killed_at):
    """Archive pages written by a killed build are written again, even when the
    sources went back to what the last finished build saw."""
    src = copy_root("blog", tmp_path)
    build(src, tmp_path / "inc")
    edit(src, THIRD, "# Third Post\n", "# Third Post, Renamed\n")
    killed_at("posts")
    with pytest.raises(KeyboardInterrupt):
        build(src, tmp_path / "inc")
    outdir = tmp_path / "inc/html"
    assert b"Renamed" in (outdir / "posts/tag/gamma-delta.html").read_bytes()
    edit(src, THIRD, "# Third Post, Renamed\n", "# Third Post\n")
    build(src, tmp_path / "inc")
    build(src, tmp_path / "clean")
    assert_same_as_clean(outdir, tmp_path / "clean/html")


def test_pages_a_killed_build_wrote_go_with_their_source(tmp_path, killed_at):
    """A killed build lists the pages it writes before writing them: a post it
    added, and that post's new tag page, go when the post is deleted."""
    src = copy_root("blog", tmp_path)
    build(src, tmp_path / "inc")
    fourth = src / "posts/2026/fourth.md"
    fourth.write_text(
        "---\ndate: 2026-04-20\ntags: epsilon\n---\n\n# Fourth Post\n\nText.\n",
        encoding="utf-8",
    )
    killed_at("posts")
    with pytest.raises(KeyboardInterrupt):
        build(src, tmp_path / "inc")
    outdir = tmp_path / "inc/html"
    assert (outdir / "posts/2026/fourth.html").is_file()
    assert (outdir / "posts/tag/epsilon.html").is_file()
    fourth.unlink()
    build(src, tmp_path / "inc")
    build(src, tmp_path / "clean")
    assert_same_as_clean(outdir, tmp_path / "clean/html")


def test_a_template_added_by_an_incremental_build_and_removed_leaves_no_trace(tmp_path):
    """Adding a template rewrites every page but reads no document, so Sphinx
    does not save the environment: the list of templates must be kept anyway,
    or removing the template later rewrites nothing (its text stayed on every
    page)."""
    src = copy_root("blog", tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('templates_path = ["_templates"]\n')
    (src / "_templates").mkdir()
    build(src, tmp_path / "inc")
    override_template(src)  # appends templates_path again: the same setting
    build(src, tmp_path / "inc")
    assert "Every post" in (tmp_path / "inc/html/index.html").read_text(encoding="utf-8")
    drop_template(src)
    build(src, tmp_path / "inc")
    build(src, tmp_path / "clean")
    assert_same_as_clean(tmp_path / "inc/html", tmp_path / "clean/html")


def test_stale_outputs_go_with_their_empty_folders_and_nothing_outside(tmp_path):
    from types import SimpleNamespace

    from essayist.incremental.state import remove_stale_outputs

    outdir = tmp_path / "out"
    app = SimpleNamespace(doctreedir=tmp_path / "dt", builder=SimpleNamespace(outdir=outdir))
    (tmp_path / "dt").mkdir()
    for rel in ("_previews/posts/2026/a.json", "_previews/posts/2025/b.json", "keep.json"):
        (outdir / rel).parent.mkdir(parents=True, exist_ok=True)
        (outdir / rel).write_text("{}", encoding="utf-8")
    (tmp_path / "outside.json").write_text("mine", encoding="utf-8")
    listed = ["_previews/posts/2026/a.json", "_previews/posts/2025/b.json", "keep.json"]
    StateFile(app, "previews").save([*listed, "../outside.json", "..", "/etc/hostname"])
    remove_stale_outputs(app, "previews", ["_previews/posts/2025/b.json", "keep.json"])
    assert sorted(p.relative_to(outdir).as_posix() for p in outdir.rglob("*")) == [
        "_previews",
        "_previews/posts",
        "_previews/posts/2025",
        "_previews/posts/2025/b.json",
        "keep.json",
    ]
    assert (tmp_path / "outside.json").read_text(encoding="utf-8") == "mine"
    assert StateFile(app, "previews").load() == ["_previews/posts/2025/b.json", "keep.json"]
