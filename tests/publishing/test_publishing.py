"""What sharing expects (sitemap, robots.txt, canonical links, descriptions,
OpenGraph, social cards, redirects, the 404 page) and the hosting files."""

from __future__ import annotations

import io
import os
import random
import re
import shlex
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
import yaml
from blogtools import build, copy_root, output_files
from conftest import PROJECT, folder_redirect, html_pages, norm, soup
from PIL import Image, ImageDraw

from essayist.incremental.state import build_cache
from essayist.publishing import cards
from essayist.publishing.cards import (
    Card,
    CardWorker,
    cached_card,
    card_key,
    draw_card,
    missing_cards,
)
from essayist.publishing.cardtext import drawable, fit_line
from essayist.publishing.notfound import notfound_body, served_prefix
from essayist.publishing.social import PageMeta, meta_tags, shorten

BASE = "https://example.org/site/"
SITE_BASE = "https://perucymussiba.github.io/essays/"
ESSAY = "posts/2026/what-does-it-mean-to-align-an-ai"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

PUBLISHED_PAGES = [
    "docs/colophon.html",
    "index.html",
    "posts.html",
    "posts/2026.html",
    "posts/2026/engine-notes.html",
    "posts/archive.html",
    "posts/author.html",
    "posts/author/ada-lovelace.html",
    "posts/category.html",
    "posts/category/engines.html",
    "posts/tag.html",
    "posts/tag/bernoulli-numbers.html",
    "posts/tag/engines.html",
]
# Titles and slugs of the test root's draft, scheduled and undated posts, and
# the tag and category only the draft uses.
UNPUBLISHED_MARKERS = [
    "Hidden Plan Okapi",
    "hidden-plan",
    "Later Essay Pangolin",
    "later-essay",
    "Undated Idea Axolotl",
    "undated-idea",
    "okapi",
    "Okapi",
]


@pytest.fixture(scope="module")
def pub(tmp_path_factory) -> Path:
    src = copy_root("publishing", tmp_path_factory.mktemp("publishing"))
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    return Path(app.outdir)


def sitemap_entries(outdir: Path) -> dict[str, str | None]:
    root = ET.parse(outdir / "sitemap.xml").getroot()
    assert root.tag == f"{{{NS['sm']}}}urlset"
    out = {}
    for url in root.findall("sm:url", NS):
        lastmod = url.find("sm:lastmod", NS)
        out[url.find("sm:loc", NS).text] = lastmod.text if lastmod is not None else None
    return out


def head_meta(page) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in page.select("head meta[property], head meta[name]"):
        key = tag.get("property") or tag.get("name")
        found.setdefault(key, []).append(tag["content"])
    return found


# -- Sitemap and robots.txt ----------------------------------------------------


def test_sitemap_lists_every_published_page_at_its_url(pub):
    entries = sitemap_entries(pub)
    assert list(entries) == [BASE + page for page in PUBLISHED_PAGES]
    # A post's lastmod is its latest {update}, other pages have none.
    assert entries[BASE + "posts/2026/engine-notes.html"] == "2026-03-15"
    assert entries[BASE + "index.html"] is None


def test_robots_txt_points_at_the_sitemap(pub):
    assert (pub / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    )
    # GitHub Pages must not run Jekyll, which drops _static/ and _cards/.
    assert (pub / ".nojekyll").read_bytes() == b""


def test_sitemap_complete_after_incremental_builds(tmp_path):
    src = copy_root("publishing", tmp_path)
    build(src, freshenv=True)
    (src / "posts/2026/fresh-post.md").write_text(
        "---\ndate: 2026-05-01\ntags: engines\n---\n\n# Fresh Post\n\nNew.\n", encoding="utf-8"
    )
    app, warnings = build(src)
    assert warnings == ""
    outdir = Path(app.outdir)
    expected = sorted([*PUBLISHED_PAGES, "posts/2026/fresh-post.html"])
    assert list(sitemap_entries(outdir)) == [BASE + page for page in expected]
    # Nothing changed: nothing re-written, and the sitemap still lists everything.
    app, _ = build(src)
    assert list(sitemap_entries(Path(app.outdir))) == [BASE + page for page in expected]


def test_sitemap_urls_are_the_canonical_links_of_the_real_site(site):
    canonical = set()
    for path in html_pages(site):
        link = soup(path).select("head link[rel=canonical]")
        rel = path.relative_to(site).as_posix()
        if rel in ("404.html", "genindex.html", "search.html"):
            continue
        if folder_redirect(path):  # /posts/: its canonical link is where it leads
            assert [a["href"] for a in link] == [
                SITE_BASE + rel.removesuffix("/index.html") + ".html"
            ]
            continue
        assert len(link) == 1, rel
        assert link[0]["href"] == SITE_BASE + rel
        canonical.add(link[0]["href"])
    assert set(sitemap_entries(site)) == canonical
    assert sitemap_entries(site)[f"{SITE_BASE}{ESSAY}.html"] == "2026-03-01"
    assert (site / "robots.txt").read_text().endswith(f"Sitemap: {SITE_BASE}sitemap.xml\n")


# -- Drafts leave no trace -------------------------------------------------------


def test_published_build_holds_no_trace_of_unpublished_posts(pub):
    files = output_files(pub)
    assert "sitemap.xml" in files and "searchindex.js" in files and "objects.inv" in files
    texts = {}
    for name, data in files.items():
        if name == "objects.inv":
            *header, body = data.split(b"\n", 4)
            data = b"\n".join(header) + b"\n" + zlib.decompress(body)
        texts[name] = data.decode("utf-8", errors="replace")
    assert "Notes on the Engine" in texts["searchindex.js"]
    assert "engine-notes" in texts["objects.inv"]
    leaks = [
        (name, marker)
        for name, text in texts.items()
        for marker in UNPUBLISHED_MARKERS
        if marker in name or marker in text
    ]
    assert leaks == []


# -- Canonical link, description, OpenGraph, Twitter -----------------------------


def test_post_head_tags(pub):
    page = soup(pub / "posts/2026/engine-notes.html")
    url = BASE + "posts/2026/engine-notes.html"
    assert [link["href"] for link in page.select("head link[rel=canonical]")] == [url]
    excerpt = "The engine weaves algebraic patterns as the loom weaves flowers."
    assert head_meta(page) == {
        "viewport": head_meta(page)["viewport"],
        "color-scheme": ["light dark"],
        "description": [excerpt],
        "og:type": ["article"],
        "og:title": ["Notes on the Engine"],
        "og:description": [excerpt],
        "og:url": [url],
        "og:site_name": ["Publishing Test"],
        "og:image": [BASE + "_cards/posts/2026/engine-notes.png"],
        "og:image:type": ["image/png"],
        "og:image:width": ["1200"],
        "og:image:height": ["630"],
        "og:image:alt": ["Notes on the Engine – Publishing Test"],
        "article:published_time": ["2026-02-01"],
        "article:modified_time": ["2026-03-15"],
        "article:author": ["Ada Lovelace"],
        "article:tag": ["engines", "Bernoulli numbers"],
        "twitter:card": ["summary_large_image"],
        # Google Scholar's (Highwire Press) tags: scholarship.cite
        "citation_title": ["Notes on the Engine"],
        "citation_author": ["Ada Lovelace"],
        "citation_publication_date": ["2026/02/01"],
        "citation_public_url": ["https://example.org/site/posts/2026/engine-notes.html"],
    }


@pytest.mark.parametrize(
    ("page", "title", "description"),
    [
        ("index.html", "Publishing Test", "Notes on analytical engines, published with care."),
        ("docs/colophon.html", "Colophon", "Set in the default font, built with Sphinx."),
        (
            "posts/tag/engines.html",
            "Posts tagged engines",
            "Posts tagged engines: Ada's notes on engines.",
        ),
    ],
)
def test_other_pages_are_described_too(pub, page, title, description):
    tags = head_meta(soup(pub / page))
    assert tags["description"] == [description]
    assert tags["og:type"] == ["website"]
    assert tags["og:title"] == [title]
    assert tags["og:url"] == [BASE + page]
    assert tags["twitter:card"] == ["summary"]
    assert "og:image" not in tags


def test_real_essay_is_described_by_its_excerpt(site):
    page = soup(site / f"{ESSAY}.html")
    tags = head_meta(page)
    first = norm(page.select_one("article[role=main] section > p:not([class])").get_text())
    assert norm(tags["description"][0]) == first
    assert norm(first).startswith('"Alignment" is one of those words')
    assert tags["og:description"] == tags["description"]
    assert tags["og:url"] == [f"{SITE_BASE}{ESSAY}.html"]
    assert tags["og:image"] == [f"{SITE_BASE}_cards/{ESSAY}.png"]
    with Image.open(site / f"_cards/{ESSAY}.png") as img:
        assert img.size == (1200, 630)


def test_every_real_page_has_one_description_and_opengraph(site):
    for path in html_pages(site):
        rel = path.relative_to(site).as_posix()
        tags = head_meta(soup(path))
        if rel == "404.html" or folder_redirect(path):  # a folder's page forwards
            assert tags["robots"] == ["noindex"]
            continue
        assert len(tags["description"]) == 1, rel
        assert tags["description"][0].strip(), rel
        assert len(tags["og:title"]) == 1, rel
        assert tags["og:url"] == [SITE_BASE + rel], rel


def test_favicon_and_copy_buttons(site):
    page = soup(site / f"{ESSAY}.html")
    assert page.select_one("head link[rel='shortcut icon']")["href"] == "../../_static/favicon.svg"
    assert (site / "_static/favicon.svg").read_text().startswith("<svg")
    # The copy button loads where there is code to copy, not on an essay
    # without code (theme.assets; tests/theme/test_assets.py).
    scripts = [s.get("src", "") for s in page.select("script")]
    assert not any("copybutton" in src or "clipboard" in src for src in scripts)
    assert (site / "_static/copybutton.js").is_file()


def test_meta_tags_escape_and_order():
    meta = PageMeta(title='A "quoted" <title>', url="https://x.org/a.html", description="d & e",
                    site_name="S")  # fmt: skip
    assert meta_tags(meta).splitlines() == [
        '<meta name="description" content="d &amp; e">',
        '<meta property="og:type" content="website">',
        '<meta property="og:title" content="A &quot;quoted&quot; &lt;title&gt;">',
        '<meta property="og:description" content="d &amp; e">',
        '<meta property="og:url" content="https://x.org/a.html">',
        '<meta property="og:site_name" content="S">',
        '<meta name="twitter:card" content="summary">',
    ]
    meta.with_description = False
    assert 'name="description"' not in meta_tags(meta)


def test_shorten_cuts_at_a_word():
    assert shorten("one two  three", 100) == "one two three"
    assert shorten("alpha beta gamma delta", 16) == "alpha beta…"


# -- Social cards ------------------------------------------------------------------


def test_card_is_deterministic_and_cached(tmp_path, monkeypatch):
    card = Card(title="A Title", kicker="Site · Tagline", byline="May 2026 · Ada", host="x.org")
    first = draw_card(card)
    assert first == draw_card(card)
    assert first.startswith(b"\x89PNG")
    calls = []
    monkeypatch.setattr(cards, "draw_card", lambda c: calls.append(c) or first)
    path = cached_card(card, tmp_path)
    assert path.name == f"{card_key(card)}.png"
    assert cached_card(card, tmp_path) == path
    assert calls == [card]  # drawn once, then taken from the cache
    other = Card(title="Another", kicker=card.kicker, byline=card.byline, host=card.host)
    assert card_key(other) != card_key(card)


def test_long_titles_fit_on_the_card():
    title = "An Unreasonably Long Title " * 8
    with Image.open(io.BytesIO(draw_card(Card(title, "K", "B", "h")))) as img:
        assert img.size == (1200, 630)
        assert img.mode == "P"


def test_cards_identical_across_clean_builds_and_removed_with_the_post(pub, tmp_path):
    src = copy_root("publishing", tmp_path)
    app, _ = build(src, freshenv=True)
    outdir = Path(app.outdir)
    card = "_cards/posts/2026/engine-notes.png"
    assert (outdir / card).read_bytes() == (pub / card).read_bytes()
    assert sorted(p.relative_to(outdir).as_posix() for p in outdir.glob("_cards/**/*.png")) == [
        card
    ]
    # The post becomes a draft again: its card goes with it.
    post = src / "posts/2026/engine-notes.md"
    post.write_text(post.read_text().replace("---\n\n#", "draft: true\n---\n\n#", 1))
    app, _ = build(src)
    assert not (outdir / card).exists()


def drawn_part_by_part(card: Card) -> bytes:
    """A card drawn as it was before templates: everything, in order, on each card."""
    img = Image.new("P", (1200, 630), 0)
    img.putpalette(cards.PALETTE)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 15, 630), fill=1)
    small = cards._font(30)
    if drawable(card.kicker):
        draw.text((80, 70), card.kicker.upper(), font=small, fill=3)
    if drawable(card.title):
        font, lines = cards.fit_title(draw, card.title, 1040)
        draw.multiline_text((80, 160), "\n".join(lines), font=font, fill=2, spacing=16)
    if drawable(card.byline):
        alone = Image.new("L", (1200, 630), 0)
        ImageDraw.Draw(alone).text((1120, 550), card.host, font=small, fill=255, anchor="rs")
        host = alone.getbbox()
        room = host[0] - 80 - 40 if host else 1200
        draw.text(
            (80, 550), fit_line(draw, card.byline, small, room), font=small, fill=3, anchor="ls"
        )
    draw.text((1120, 550), card.host, font=small, fill=1, anchor="rs")
    out = io.BytesIO()
    img.save(out, "PNG", compress_level=1)
    return out.getvalue()


def random_cards(count: int) -> list[Card]:
    words = ["Gyp", "jig", "quay", "Ça", "naïve", "façade", "ÀÉÎÕÜ", "—", "«x»", "W.A.V.E."]
    words += ["数学", "Ελληνικά", "Кириллица", "ℕ→∞", "🙂"]  # some not in the font
    rng = random.Random(6)

    def text(most: int) -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, most)))

    return [Card(text(40), text(8), text(12), text(6)) for _ in range(count)]


SMALL_PRINT_OVER_HOST = [
    # The byline would run under the host name (it is cut short before it), and
    # the host name into the byline (drawn again over it).
    Card("T", "K", "March 2026 · " + " & ".join(["Ada Lovelace"] * 4), "example.org/blog"),
    Card("T", "K", "May 2026 · Ada", "example.org/" + "very-long-path/" * 4),
]


def test_cards_from_the_template_are_the_cards_drawn_part_by_part():
    overlapping = SMALL_PRINT_OVER_HOST
    draw = ImageDraw.Draw(Image.new("P", (1200, 630)))
    small = cards._font(30)
    for card in overlapping:  # each would overlap the other
        byline = draw.textbbox((80, 550), card.byline, font=small, anchor="ls")
        host = draw.textbbox((1120, 550), card.host, font=small, anchor="rs")
        assert byline[2] > host[0]
    samples = [
        Card("A Title", "Site · Tagline", "May 2026 · Ada", "x.org"),
        Card("", "", "", ""),
        Card("Gyp jig quay " * 9, "K" * 80, "B", "h"),  # four lines at the largest size
        Card("An Unreasonably Long Title " * 8, "K", "B", "h"),  # cut short with "…"
        *overlapping,
        *random_cards(40),
    ]
    for card in samples:
        assert draw_card(card) == drawn_part_by_part(card), card


def test_missing_cards_are_the_new_ones_once(tmp_path):
    old, new = Card("Old", "K", "B", "h"), Card("New", "K", "B", "h")
    cached_card(old, tmp_path)
    assert missing_cards([old, new, new], tmp_path) == [new]
    assert missing_cards([new], tmp_path / "none-yet") == [new]


CARD_FILES = "_cards/**/*.png"


def card_files(outdir: Path) -> dict[str, bytes]:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in outdir.glob(CARD_FILES)}


def gone(pid: int) -> bool:
    """Whether process ``pid`` neither runs nor waits to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(scope="module")
def inline_cards(tmp_path_factory) -> dict[str, bytes]:
    """The blog root's cards, drawn by the build process itself."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cards, "can_fork", lambda app: False)
        app, _ = build(copy_root("blog", tmp_path_factory.mktemp("inline")), freshenv=True)
    drawn = card_files(Path(app.outdir))
    assert len(drawn) == 3
    return drawn


@pytest.fixture
def workers(monkeypatch) -> list:
    """Each card worker's (pid, answer or error); a worker even for a few cards."""
    seen = []
    result = CardWorker.result

    def watched(self):
        pid = self.process.pid
        try:
            answer = result(self)
        except Exception as err:
            seen.append((pid, err))
            raise
        seen.append((pid, answer))
        return answer

    monkeypatch.setattr(CardWorker, "result", watched)
    monkeypatch.setattr(cards, "MIN_WORKER_CARDS", 1)
    # Earlier tests of the session (the browser tests' server) leave threads
    # running, and a build with other threads draws inline (see the next test).
    monkeypatch.setattr(cards.threading, "active_count", lambda: 1)
    return seen


def test_no_worker_while_other_threads_run():
    """Forking a process with other threads can deadlock the child."""

    class App:
        parallel = 0

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert not cards.can_fork(App())
    finally:
        stop.set()
        thread.join()


def test_the_worker_draws_the_cards_the_build_would(inline_cards, workers, tmp_path):
    src = copy_root("blog", tmp_path)
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    [(pid, keys)] = workers
    assert len(keys) == 3 and gone(pid)
    assert card_files(Path(app.outdir)) == inline_cards
    cache = Path(app.doctreedir) / cards.CACHE_FOLDER
    assert sorted(p.name for p in cache.iterdir()) == sorted(f"{key}.png" for key in keys)
    # Nothing new to draw: no worker.
    build(src, freshenv=True)
    assert len(workers) == 1


def test_no_worker_beside_sphinx_own_workers(inline_cards, workers, tmp_path):
    app, _ = build(copy_root("blog", tmp_path), parallel=2, freshenv=True)
    assert workers == []
    assert card_files(Path(app.outdir)) == inline_cards


@pytest.mark.parametrize("failure", ["error", "crash"])
def test_a_failing_worker_leaves_the_cards_to_the_build(
    inline_cards, workers, monkeypatch, tmp_path, failure
):
    build_pid, draw = os.getpid(), cards.draw_card

    def draw_but_not_in_the_worker(card: Card) -> bytes:
        if os.getpid() != build_pid:
            if failure == "crash":
                os._exit(3)
            raise OSError("disk full")
        return draw(card)

    monkeypatch.setattr(cards, "draw_card", draw_but_not_in_the_worker)
    app, warnings = build(copy_root("blog", tmp_path), freshenv=True)
    assert warnings == ""
    [(pid, error)] = workers
    assert isinstance(error, RuntimeError) and gone(pid)
    expected = "OSError: disk full" if failure == "error" else "ended without an answer"
    assert expected in str(error)
    assert card_files(Path(app.outdir)) == inline_cards
    assert not list((Path(app.doctreedir) / cards.CACHE_FOLDER).glob("*.tmp"))


class FakeApp:
    pass


def test_a_failed_build_stops_the_worker_at_once(monkeypatch, tmp_path):
    def half_write(card: Card) -> bytes:
        (tmp_path / "half.tmp").write_bytes(b"half a card")
        time.sleep(60)

    monkeypatch.setattr(cards, "draw_card", half_write)
    app = FakeApp()
    build_cache(app)["card_worker"] = worker = CardWorker([Card("T", "K", "B", "h")], tmp_path)
    pid = worker.process.pid
    deadline = time.monotonic() + 10
    while not (tmp_path / "half.tmp").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    start = time.monotonic()
    cards._build_finished(app, RuntimeError("the build failed"))
    assert time.monotonic() - start < 5
    assert gone(pid) and "card_worker" not in build_cache(app)
    assert list(tmp_path.iterdir()) == []


def test_a_hung_worker_is_given_up(monkeypatch, tmp_path):
    monkeypatch.setattr(cards, "draw_card", lambda card: time.sleep(60))
    worker = CardWorker([Card("T", "K", "B", "h")], tmp_path)
    worker.timeout, pid = 0.2, worker.process.pid
    with pytest.raises(TimeoutError):
        worker.result()
    assert gone(pid)


# -- Redirects and the 404 page --------------------------------------------------


def test_old_url_forwards_to_the_post(pub):
    page = soup(pub / "posts/2025/old-engine-notes.html")
    refresh = page.select_one("meta[http-equiv=refresh]")["content"]
    assert refresh == "0; url=../2026/engine-notes.html"
    target = (pub / "posts/2025" / refresh.split("url=")[1]).resolve()
    assert target == (pub / "posts/2026/engine-notes.html").resolve()
    assert page.select_one("link[rel=canonical]")["href"] == BASE + "posts/2026/engine-notes.html"
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert page.select_one("main a")["href"] == "../2026/engine-notes.html"
    assert "does not support this" not in str(page)


def test_404_page_in_furo_with_absolute_links(pub):
    page = soup(pub / "404.html")
    assert [norm(h.get_text()) for h in page.select("h1")] == ["Page not found"]
    assert page.select_one("article[role=main]") is not None
    assert page.select("link[rel=canonical]") == []
    links = [a["href"] for a in page.select("article[role=main] a")]
    assert links == ["/site/index.html", "/site/posts.html", "/site/search.html"]
    stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert stylesheets and all(href.startswith("/site/_static/") for href in stylesheets)
    feeds = [link["href"] for link in page.select("link[type='application/atom+xml']")]
    assert feeds == ["/site/posts/atom.xml"]
    relative = [
        a["href"]
        for a in page.select("a[href]")
        if not a["href"].startswith(("/", "#", "https://"))
    ]
    assert relative == []


def test_served_prefix():
    assert served_prefix("https://u.github.io/essays/") == "/essays/"
    assert served_prefix("https://example.org") == "/"
    assert served_prefix("https://e.readthedocs.io/en/latest/") == "/en/latest/"
    # From a variable of the host's: nothing in it can end the page's attribute.
    assert served_prefix('https://x.io/a"b/<s>/') == "/a%22b/%3Cs%3E/"
    assert served_prefix("https://x.io/café/caf%C3%A9/&x") == "/caf%C3%A9/caf%C3%A9/%26x/"


def test_notfound_body_has_one_heading():
    body = notfound_body("/a/index.html", "/a/posts.html", None)
    assert body.count("<h1>") == 1
    assert re.findall(r'href="([^"]+)"', body) == ["/a/index.html", "/a/posts.html"]


# -- Hosting files -----------------------------------------------------------------


def readme_commands() -> list[str]:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]


def makefile_recipe(target: str) -> list[str]:
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    m = re.search(rf"^{target}:([^\n]*)\n((?:\t[^\n]*\n)+)", text, re.M)
    assert m, target
    return [m.group(1).strip(), *(line.strip() for line in m.group(2).splitlines())]


def test_readme_commands_are_make_html_and_make_test():
    commands = readme_commands()
    assert "make html" in commands
    assert "make test" in commands
    # `make html` and `make test` install from the lock first.
    assert makefile_recipe("html")[0] == "$(STAMP)"
    assert "$(STAMP)" in makefile_recipe("test")[0].split()
    stamp = makefile_recipe(r"\$\(STAMP\)")
    assert "-r requirements.lock" in " ".join(stamp)


def test_read_the_docs_builds_as_make_html_does():
    config = yaml.safe_load((PROJECT / ".readthedocs.yaml").read_text())
    assert config["version"] == 2
    assert config["python"]["install"] == [
        {"requirements": "requirements.lock"},
        {"method": "pip", "path": "."},
    ]
    assert config["sphinx"] == {
        "configuration": "conf.py",
        "builder": "html",
        "fail_on_warning": True,
    }
    # `make html` runs Sphinx with -n; Read the Docs cannot pass it, conf.py says it.
    options = re.search(r"SPHINXOPTS \?= (.*)", (PROJECT / "Makefile").read_text())[1]
    assert "-n" in options.split()
    assert re.search(r"^nitpicky = True$", (PROJECT / "conf.py").read_text(), re.M)


def test_pages_workflow_runs_the_readme_commands_and_deploys(tmp_path):
    flow = yaml.safe_load((PROJECT / ".github/workflows/pages.yml").read_text())
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert len(triggers["schedule"]) == 1
    assert flow["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
        "actions": "write",
    }
    steps = flow["jobs"]["build"]["steps"]
    runs = [
        shlex.split(step["run"])
        for step in steps
        if "run" in step and "\n" not in step["run"].strip()
    ]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert ["make", ".venv/.installed"] in runs  # the lock
    assert ["make", "test"] in runs
    html = next(r for r in runs if r[:2] == ["make", "html"])
    assert html == ["make", "html", "SPHINXOPTS=-E -W --keep-going -n"]
    assert ["touch", "_build/html/.nojekyll"] in runs
    assert runs.index(["make", "test"]) < runs.index(html)
    assert uses[-1] == "actions/upload-pages-artifact"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "_build/html"
    # The address Pages reports is the site's, unless a repository variable says.
    assert uses[uses.index("actions/configure-pages")] and steps[2].get("id") == "pages"
    address = next(s for s in steps if "PAGES_URL" in s.get("env", {}))
    assert address["env"]["PAGES_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert steps.index(address) < steps.index(
        next(s for s in steps if s.get("run", "").startswith("make html"))
    )
    # The addresses the step exports: the canonical one (a repository variable
    # wins), and where Pages serves this build (the 404 page's links).
    for variable, exported in (
        (
            "",
            [
                "SITE_BASE_URL=https://a.github.io/essays/",
                "SITE_SERVED_URL=https://a.github.io/essays/",
            ],
        ),
        (
            "https://essays.readthedocs.io/en/latest/",
            [
                "SITE_BASE_URL=https://essays.readthedocs.io/en/latest/",
                "SITE_SERVED_URL=https://a.github.io/essays/",
            ],
        ),
    ):
        env_file = tmp_path / f"env{len(variable)}"
        env = {"PATH": os.environ["PATH"], "GITHUB_ENV": str(env_file)}
        env |= {"BASE_URL": variable, "PAGES_URL": "https://a.github.io/essays", "TIMEZONE": ""}
        subprocess.run(["bash", "-c", address["run"]], env=env, check=True)
        assert env_file.read_text().splitlines() == exported
    # The daily run rebuilds without the browser suite, and keeps itself alive.
    by_name = {s.get("name"): s for s in steps}
    assert by_name["Test"]["if"] == "github.event_name != 'schedule'"
    assert by_name["Keep the daily schedule alive"]["if"] == "github.event_name == 'schedule'"
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    for command in ("make html", "make test"):
        assert command in readme_commands()


def test_a_feed_takes_the_newest_posts_as_a_full_sort_would():
    """``newest`` picks the first ``length`` of the posts sorted newest first
    (date, then title), ties in the order given, as ``sorted`` would."""
    import datetime as dt
    from types import SimpleNamespace

    from essayist.publishing.feeds import newest

    rng = random.Random(7)
    day = dt.datetime(2026, 1, 1)
    posts = [
        SimpleNamespace(
            date=day + dt.timedelta(days=rng.randrange(5)), title=rng.choice("ABC"), n=i
        )
        for i in range(60)
    ]
    expected = sorted(posts, key=lambda p: (p.date, p.title), reverse=True)
    for length in (None, 1, 7, 60, 100):
        assert [p.n for p in newest(posts, length)] == [p.n for p in expected[:length]]


def test_a_copy_of_an_essay_published_elsewhere_points_there(tmp_path):
    """``canonical_link``: the original's address is the canonical one, so the
    copy is left out of the sitemap and cited by the original's address."""
    src = copy_root("publishing", tmp_path)
    original = "https://original.example/essays/on-copies"
    (src / "posts" / "2026" / "copied.md").write_text(
        f"---\ndate: 2026-02-01\ncanonical_link: {original}\n---\n\n# Copied\n\nFirst shown "
        "elsewhere.\n",
        encoding="utf-8",
    )
    app, _ = build(src, tmp_path / "out")
    out = Path(app.outdir)
    page = soup(out / "posts" / "2026" / "copied.html")
    assert page.find("link", rel="canonical")["href"] == original
    assert page.find("meta", attrs={"name": "citation_public_url"})["content"] == original
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "copied" not in sitemap and "posts/2026/" in sitemap


def test_a_card_shows_no_box_and_no_text_over_text():
    """A text in a script the card's font lacks is left off (never boxes); the
    byline stops before the host name, cut short with "…"."""
    with_accents = Card("Café naïve – façade € Ελληνικά Кириллица", "Site", "Ада", "x.org")
    assert all(drawable(text) for text in vars(with_accents).values())
    assert not drawable("数学") and not drawable("🙂") and drawable("   ")
    long_byline = Card("T", "K", "March 2026 · " + " & ".join(["Alexandra Konst"] * 4), "x.io/en")
    with Image.open(io.BytesIO(draw_card(long_byline))) as img:
        # Just before the host name (x.io/en starts at about x = 1035): background.
        assert img.crop((1002, 515, 1030, 560)).getextrema() == (0, 0)
        assert img.crop((900, 515, 990, 560)).getextrema() != (0, 0)  # the byline, cut
