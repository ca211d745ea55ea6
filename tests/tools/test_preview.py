"""The warm preview of ``make serve`` (essayist.tools.preview): a builder that
keeps Sphinx loaded and forks a worker per edit builds exactly what a clean
preview build writes, starts again cold when the configuration changes, and
survives a worker that crashes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from blogtools import copy_root

from essayist.tools.preview import BuilderProcess, builder_options, parse_args
from essayist.tools.preview_builder import CRASH_FLAG
from essayist.tools.preview_worker import HOLD_FROM_VAR

DRAFT = "---\ndraft: true\ntags: alpha\n---\n\n# A Draft\n\nNot yet.\n"


def options(src: Path, out: Path) -> dict:
    """What ``make serve`` passes (``-b html -W --keep-going -n``), quiet, with
    the preview on as ``ESSAYIST_PREVIEW=1`` turns it on in the project's conf.py."""
    argv = ["-b", "html", "-W", "--keep-going", "-n", "-q", "-D", "essayist_preview=1"]
    return builder_options(parse_args([*argv, str(src), str(out)]))


def every_file(outdir: Path) -> dict[str, bytes]:
    """Every file of the output folder but Sphinx's doctree pickles (build
    state, not output: a worker's pickles were written at other times)."""
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and ".doctrees" not in p.parts
    }


@pytest.fixture
def warm(tmp_path):
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/draft.md").write_text(DRAFT, encoding="utf-8")
    # Every worker holds the environment pickle (a small site's is not, by default).
    env = {**os.environ, CRASH_FLAG: str(tmp_path / "crash"), HOLD_FROM_VAR: "0"}
    with open(tmp_path / "builder.log", "w") as log:
        builder = BuilderProcess(options(src, tmp_path / "preview"), env=env, log=log)
        try:
            first = builder.start()
            assert first["ok"], (tmp_path / "builder.log").read_text()
            builder.wait_ready()
            yield src, builder, tmp_path
        finally:
            builder.stop()


def clean_build(src: Path, out: Path) -> dict[str, bytes]:
    builder = BuilderProcess(options(src, out))
    try:
        assert builder.start()["ok"]
    finally:
        builder.stop()
    return every_file(out)


def rebuild(builder: BuilderProcess, path: Path) -> dict:
    """Build after ``path`` changed, and wait for the builder's fresh application
    (so that the test's next edit comes after it, always)."""
    result = builder.build([path])
    builder.wait_ready()
    return result


def edit(path: Path, sentence: str) -> Path:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    return path


def test_edits_build_warm_what_a_clean_build_writes(warm):
    src, builder, tmp = warm
    post = src / "posts/2026/ok.md"
    first = rebuild(builder, edit(post, "The first edit."))
    assert (first["mode"], first["ok"]) == ("warm", True)
    second = rebuild(builder, edit(post, "The second edit."))
    assert (second["mode"], second["ok"]) == ("warm", True)
    assert builder.starts == 1  # one builder process, refreshed after each build
    page = (tmp / "preview/posts/2026/ok.html").read_text(encoding="utf-8")
    # The second build started from the first's environment: both edits are there.
    assert "The first edit." in page and "The second edit." in page
    assert (tmp / "preview/posts/2026/draft.html").exists()  # drafts shown in preview
    assert every_file(tmp / "preview") == clean_build(src, tmp / "clean")


def test_static_files_are_made_once_and_published_again_while_only_posts_change(tmp_path):
    """A warm worker publishes Sphinx's static files from what a worker of the
    same application made (making them again, templates rendered and Pygments'
    styles written, took a twentieth of a second at 300 essays); a file changed
    or removed under ``html_static_path`` makes them again. What the kept files
    give is what a clean build writes, Furo's rewritten ``pygments.css`` and
    the pages' ``?v=`` checksums of it too."""
    src = copy_root("minimal", tmp_path)
    conf = src / "conf.py"
    conf.write_text(conf.read_text() + 'html_static_path = ["_static"]\n', encoding="utf-8")
    (src / "_static").mkdir()
    css, old = src / "_static/site.css", src / "_static/old.css"
    css.write_text("p { color: black; }\n", encoding="utf-8")
    old.write_text("a { color: red; }\n", encoding="utf-8")
    post, out = src / "posts/2026/ok.md", tmp_path / "preview"
    builder = BuilderProcess(options(src, out))
    try:
        first = builder.start()
        assert (first["ok"], first["static"]) == (True, "made")
        builder.wait_ready()
        edited = rebuild(builder, edit(post, "The first edit."))
        assert (edited["mode"], edited["ok"], edited["static"]) == ("warm", True, "kept")
        assert every_file(out) == clean_build(src, tmp_path / "clean")
        css.write_text("p { color: navy; }\n", encoding="utf-8")
        old.unlink()
        changed = builder.build([css, old])
        builder.wait_ready()
        assert (changed["mode"], changed["ok"], changed["static"]) == ("fresh", True, "made")
        assert (out / "_static/site.css").read_text() == "p { color: navy; }\n"
        assert not (out / "_static/old.css").exists()
        again = rebuild(builder, edit(post, "The second edit."))
        assert (again["mode"], again["ok"], again["static"]) == ("warm", True, "kept")
    finally:
        builder.stop()
    assert every_file(out) == clean_build(src, tmp_path / "clean2")


def test_a_new_post_refreshes_the_application_first(warm):
    src, builder, tmp = warm
    new = src / "posts/2026/new.md"
    new.write_text("---\ndate: 2026-02-01\ntags: alpha\n---\n\n# New\n\nHello.\n")
    result = rebuild(builder, new)
    assert (result["mode"], result["ok"]) == ("fresh", True)
    assert (tmp / "preview/posts/2026/new.html").exists()
    assert every_file(tmp / "preview") == clean_build(src, tmp / "clean")


def test_a_change_to_conf_py_starts_the_builder_cold(warm):
    src, builder, tmp = warm
    conf = src / "conf.py"
    conf.write_text(conf.read_text() + 'project = "Renamed Blog"\n', encoding="utf-8")
    result = rebuild(builder, conf)
    assert (result["mode"], result["ok"]) == ("cold", True)
    assert result["reason"] == "conf.py changed"
    assert builder.starts == 2
    assert "Renamed Blog" in (tmp / "preview/index.html").read_text(encoding="utf-8")
    again = rebuild(builder, edit(src / "posts/2026/ok.md", "After the restart."))
    assert (again["mode"], again["ok"]) == ("warm", True)
    assert "After the restart." in (tmp / "preview/posts/2026/ok.html").read_text()
    # Not compared with a clean build: after a change of ``project``, plain
    # ``sphinx-build`` leaves ABlog's archive pages with the old name too (an
    # incremental-build bug of its own, outside the preview).


def test_a_post_left_out_starts_the_builder_cold(warm):
    src, builder, tmp = warm
    draft = src / "posts/2026/draft.md"
    draft.write_text("   \n", encoding="utf-8")  # blank: left out, even in preview
    result = rebuild(builder, draft)
    assert result["mode"] == "cold", result
    assert result["reason"] == "the posts left out of the build changed"


def test_a_crashed_worker_is_reported_and_the_next_edit_builds(warm):
    src, builder, tmp = warm
    post = src / "posts/2026/ok.md"
    (tmp / "crash").touch()  # the worker kills itself while reading
    crashed = rebuild(builder, edit(post, "Written while the worker crashed."))
    assert crashed["ok"] is False and crashed["crashed"] is True
    assert crashed["why"] == "killed by signal 9 (SIGKILL)"
    assert crashed["mode"] == "warm"  # the builder itself lives on
    (tmp / "crash").unlink()
    fixed = rebuild(builder, edit(post, "The next edit."))
    assert (fixed["mode"], fixed["ok"]) == ("warm", True)
    assert builder.starts == 1
    page = (tmp / "preview/posts/2026/ok.html").read_text(encoding="utf-8")
    assert "Written while the worker crashed." in page and "The next edit." in page
    assert every_file(tmp / "preview") == clean_build(src, tmp / "clean")


def test_a_builder_that_died_is_said_to_have_died_and_started_again(warm, capsys):
    import signal

    src, builder, tmp = warm
    builder.process.send_signal(signal.SIGKILL)
    builder.process.wait()
    result = rebuild(builder, edit(src / "posts/2026/ok.md", "After the builder died."))
    assert (result["mode"], result["ok"], builder.starts) == ("cold", True, 2)
    out = capsys.readouterr().out
    assert "[preview] the builder had stopped (killed by signal 9): starting it again" in out
    assert "After the builder died." in (tmp / "preview/posts/2026/ok.html").read_text("utf-8")


def test_a_failed_build_is_reported_and_repaired(warm):
    src, builder, tmp = warm
    post = src / "posts/2026/ok.md"
    served = every_file(tmp / "preview")
    failed = rebuild(builder, edit(post, "A claim.[^n]"))  # no such footnote: an error
    assert (failed["ok"], failed["crashed"], failed["why"]) == (False, False, "exit status 1")
    # The tab keeps the last good site; the build's own folder has the failed build.
    assert failed["pages_served"] is False
    assert every_file(tmp / "preview") == served
    assert "A claim." in (tmp / "preview.build/posts/2026/ok.html").read_text(encoding="utf-8")
    fixed = rebuild(builder, edit(post, "[^n]: The note."))
    assert (fixed["mode"], fixed["ok"]) == ("warm", True)
    assert every_file(tmp / "preview") == clean_build(src, tmp / "clean")


def test_a_post_that_cannot_be_read_leaves_the_served_site_as_it_was(warm):
    """A typo in the front matter takes the post out of the failed build (its
    tag page and its year's archive are gone from the build's folder): the tab
    keeps every page until the post is fixed."""
    src, builder, tmp = warm
    post = src / "posts/2026/ok.md"
    served = every_file(tmp / "preview")
    assert "posts/tag/alpha.html" in served
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("tags: alpha", "tags: [alpha"), encoding="utf-8")
    failed = rebuild(builder, post)
    assert failed["ok"] is False
    assert every_file(tmp / "preview") == served
    post.write_text(text, encoding="utf-8")
    assert rebuild(builder, post)["ok"]
    assert every_file(tmp / "preview") == clean_build(src, tmp / "clean")


def test_a_refresh_collects_the_last_application_and_what_was_kept_of_it(tmp_path):
    """A refresh frees the last application, its environment and the nodes
    kept from it (tables of contents, excerpts) then and there: held any
    longer, they were frozen, garbage, with the next application, and every
    refresh kept two in memory and collected twice as much."""
    import weakref

    from essayist.tools.preview_builder import WarmBuilder

    src = copy_root("minimal", tmp_path)
    builder = WarmBuilder(
        src, tmp_path / "preview", quiet=True, confoverrides={"essayist_preview": 1}
    )
    try:
        builder.refresh()
        assert builder.build()["ok"]
        builder.refresh()
        env = builder.app.env
        excerpts = [r["excerpt"] for rs in env.ablog_posts.values() for r in rs]
        kept = [*env.tocs.values(), *(node for excerpt in excerpts for node in excerpt or ())]
        assert env.tocs and len(kept) > len(env.tocs)  # tables of contents and excerpts
        gone = [weakref.ref(x) for x in (builder.app, env, *kept)]
        del env, excerpts, kept
        builder.refresh()
        assert [ref() for ref in gone] == [None] * len(gone)
    finally:
        builder.close()


def test_the_builder_imports_what_the_last_worker_imported(monkeypatch):
    """A module the last worker imported while building (pybtex's LaTeX codec,
    say) is imported by the builder before the next fork; one that cannot be
    imported is left to the worker."""
    import sys

    from essayist.tools.preview_worker import import_modules

    monkeypatch.delitem(sys.modules, "tabnanny", raising=False)
    import_modules(["tabnanny", "essayist_no_such_module"])
    assert "tabnanny" in sys.modules
    assert "essayist_no_such_module" not in sys.modules


def test_the_builder_compiles_a_template_once_until_its_source_changes(tmp_path):
    """Each refresh's new template environment takes the templates the last
    one compiled from the builder's memory; an edited template is compiled
    again from its new source."""
    from types import SimpleNamespace

    from jinja2 import Environment, FileSystemLoader

    from essayist.tools.preview_worker import compile_templates

    (tmp_path / "page.html").write_text("<p>{{ title }}</p>", encoding="utf-8")
    compiled = []

    def application():
        environment = Environment(loader=FileSystemLoader(tmp_path))
        compile = environment.compile
        environment.compile = lambda *args, **kw: compiled.append(args[1]) or compile(*args, **kw)
        templates = SimpleNamespace(environment=environment)
        return environment, SimpleNamespace(builder=SimpleNamespace(templates=templates))

    def render(environment):
        return environment.get_template("page.html").render(title="A")

    compile_templates(application()[1], ["page.html"])
    second, app = application()
    compile_templates(app, ["page.html", "missing.html"])
    assert compiled == ["page.html"]  # once, by the first environment
    assert render(second) == "<p>A</p>"
    (tmp_path / "page.html").write_text("<h1>{{ title }}</h1>", encoding="utf-8")
    third, app = application()
    compile_templates(app, ["page.html"])
    assert compiled == ["page.html", "page.html"]
    assert render(third) == "<h1>A</h1>"


def test_a_warm_worker_collects_garbage_only_when_it_builds_many_documents():
    """An edit's worker leaves its garbage to its exit; a build that reads or
    writes more than a few documents collects as any build does."""
    import gc
    from types import SimpleNamespace

    from essayist.tools.preview_worker import FEW_DOCUMENTS, collect_only_when_many

    def worker():
        listeners = {}
        written = []
        builder = SimpleNamespace(write=lambda *args: written.append(args))
        app = SimpleNamespace(
            builder=builder,
            env=SimpleNamespace(found_docs=set(range(FEW_DOCUMENTS * 2))),
            connect=lambda event, listener: listeners.setdefault(event, listener),
        )
        collect_only_when_many(app)
        return app, listeners["env-before-read-docs"], written

    try:
        app, before_read, written = worker()
        before_read(app, app.env, ["posts/edited"])
        app.builder.write(["posts/edited"], {"posts/edited", "index"}, "update")
        assert not gc.isenabled() and len(written) == 1  # an edit: no collection
        app, before_read, _ = worker()
        before_read(app, app.env, [f"posts/{n}" for n in range(FEW_DOCUMENTS + 1)])
        assert gc.isenabled()  # a branch switched: many documents read
        app, _, written = worker()
        app.builder.write(["__all__"], set(), "all")
        assert gc.isenabled() and written == [(["__all__"], set(), "all")]
    finally:
        gc.enable()


def test_the_tab_may_reload_once_every_page_is_written(warm):
    """A warm build says when its pages are written (the open tab reloads then),
    before the search index and the feeds; then the build's own result."""
    src, builder, tmp = warm
    post = edit(src / "posts/2026/ok.md", "An edit seen early.")
    seen = []

    def on_pages(message: dict) -> None:
        page = (tmp / "preview/posts/2026/ok.html").read_text(encoding="utf-8")
        seen.append((message["event"], "An edit seen early." in page))

    result = builder.build([post], on_pages)
    builder.wait_ready()
    assert seen == [("pages", True)]
    assert (result["event"], result["mode"], result["ok"]) == ("built", "warm", True)
    # The feeds, which no page shows, are written after the pages (at
    # build-finished): written all the same, with the edit.
    for feed in ("posts/atom.xml", "posts/tag/alpha/atom.xml"):
        assert "An edit seen early." in (tmp / "preview" / feed).read_text(encoding="utf-8")
    # The environment was pickled beside the pages, by a forked process, not
    # before them by Sphinx (if Sphinx changes how it pickles, this says so).
    assert result["env_pickle"] == "held"
    assert every_file(tmp / "preview") == clean_build(src, tmp / "clean")


def test_a_small_environment_is_pickled_by_sphinx_itself(tmp_path):
    """Below ``HOLD_FROM_BYTES`` (a small site) the fork would cost what the
    pickling saves: Sphinx pickles before the pages, as in ``sphinx-build``."""
    src = copy_root("minimal", tmp_path)
    env = {k: v for k, v in os.environ.items() if k != HOLD_FROM_VAR}
    builder = BuilderProcess(options(src, tmp_path / "preview"), env=env)
    try:
        assert builder.start()["ok"]
        builder.wait_ready()
        result = rebuild(builder, edit(src / "posts/2026/ok.md", "A small edit."))
    finally:
        builder.stop()
    assert (result["mode"], result["ok"], result["env_pickle"]) == ("warm", True, "sphinx")


def test_a_worker_says_which_document_nested_too_deeply():
    """A RecursionError's thousand frames are not what the author needs."""
    from types import SimpleNamespace

    from essayist.tools.preview_worker import recursion_message

    env = SimpleNamespace(docname="posts/2026/deep", doc2path=lambda d: f"/site/{d}.md")
    assert recursion_message(SimpleNamespace(env=env)) == (
        "Recursion error while reading /site/posts/2026/deep.md: it is nested too deeply "
        "(hundreds of blocks or lists inside each other): flatten it"
    )
    assert recursion_message(None).startswith("Recursion error: it is nested too deeply")


def test_each_open_tab_reloads_once_a_build_and_a_new_tab_does_not(tmp_path):
    """A build done with no tab open reloads no tab opened later; a build
    reloads every tab open, once."""
    import asyncio

    from sphinx_autobuild.filter import IgnoreFilter

    from essayist.tools.preview import make_app

    builder = BuilderProcess({})  # never started
    app = make_app(builder, [tmp_path], IgnoreFilter([], []), tmp_path, "127.0.0.1:1")
    watcher = app.routes[0].endpoint

    class Tab:
        def __init__(self) -> None:
            self.said: list[str] = []

        async def send_text(self, text: str) -> None:
            self.said.append(text)

    async def scenario() -> tuple[list[str], list[str]]:
        watcher.notify()  # a build with no tab open
        first, second = Tab(), Tab()
        tasks = [asyncio.create_task(watcher.watch_reloads(t)) for t in (first, second)]
        await asyncio.sleep(0.05)
        assert first.said == second.said == []
        watcher.notify()
        await asyncio.sleep(0.05)
        watcher.notify()
        await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        return first.said, second.said

    # In a thread of its own: the browser tests' Playwright keeps a loop running here.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        said = pool.submit(asyncio.run, scenario()).result()
    assert said == (["refresh", "refresh"], ["refresh", "refresh"])


OTHER = (
    "---\ndate: 2026-01-11\ntags: alpha\n---\n\n# Other\n\n"
    "```{literalinclude} ../../extra/snippet.txt\n:language: text\n```\n"
)


def outdated_site(tmp_path: Path):
    """A site with a post that includes a file, built once by a builder that
    has been sent a change (so the server watches): the answers asked ahead."""
    from essayist.tools.preview_builder import WarmBuilder

    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/other.md").write_text(OTHER, encoding="utf-8")
    (src / "extra").mkdir()
    (src / "extra/snippet.txt").write_text("The first line.\n", encoding="utf-8")
    builder = WarmBuilder(
        src, tmp_path / "preview", quiet=True, confoverrides={"essayist_preview": 1}
    )
    builder.refresh()
    assert builder.outdated is None  # before the server watches, nothing is asked ahead
    assert builder.build()["ok"]
    builder.watched = True
    return src, builder


def later(path: Path, text: str) -> None:
    """Write ``path`` with a time surely after the last build's."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_a_warm_worker_answers_what_is_out_of_date_as_sphinx_without_looking_at_every_source(
    tmp_path, monkeypatch
):
    """What Sphinx asks of every source before a warm worker reads (its time
    against its read, its page's against its own) is asked once when the
    application is made; the worker adds what the watcher named since, and
    asks again only what no watcher names (a dependency, maybe in an ignored
    folder). Its answers are Sphinx's own, and no unnamed source is looked at."""
    from sphinx.environment import BuildEnvironment

    src, builder = outdated_site(tmp_path)
    try:
        later(src / "index.md", (src / "index.md").read_text() + "\nBefore the answers.\n")
        builder.refresh()
        ahead, app = builder.outdated, builder.app
        assert (ahead.changed, ahead.docs) == ({"index"}, ["index"])
        post = src / "posts/2026/ok.md"
        later(post, post.read_text() + "\nNamed by the watcher.\n")
        later(src / "extra/snippet.txt", "A line no watcher names.\n")
        expected_files = app.env.get_outdated_files(False)
        expected_docs = sorted(app.builder.get_outdated_docs())
        assert expected_files[1] == {"index", "posts/2026/ok", "posts/2026/other"}

        monkeypatch.setattr(  # put back after the test
            BuildEnvironment, "get_outdated_files", BuildEnvironment.get_outdated_files
        )
        looked: list[str] = []
        real = os.stat

        def stat(path, *args, **kwargs):
            looked.append(str(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, "stat", stat)
        ahead.install(app, [post])
        assert app.env.get_outdated_files(False) == expected_files
        assert sorted(app.builder.get_outdated_docs()) == expected_docs
        unnamed = {str(app.env.doc2path(d)) for d in app.env.found_docs} - {str(post)}
        assert looked and not set(looked) & unnamed
        assert str(src / "extra/snippet.txt") in looked
    finally:
        builder.close()


def test_a_warm_build_from_the_answers_asked_ahead_writes_what_a_clean_build_writes(tmp_path):
    """Edits before the answers, edits named after them and a dependency no
    watcher names all reach the pages."""
    src, builder = outdated_site(tmp_path)
    post = src / "posts/2026/ok.md"
    try:
        later(src / "index.md", (src / "index.md").read_text() + "\nBefore the answers.\n")
        builder.refresh()
        later(post, post.read_text() + "\nNamed by the watcher.\n")
        later(src / "extra/snippet.txt", "A line no watcher names.\n")
        assert builder.build(same_files=True, named=[post])["ok"]
    finally:
        builder.close()
    page = (tmp_path / "preview/posts/2026/other.html").read_text(encoding="utf-8")
    assert "A line no watcher names." in page
    assert every_file(tmp_path / "preview") == clean_build(src, tmp_path / "clean")
