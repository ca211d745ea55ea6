"""The real site, built once with -W -n: what a reader of the first essay gets."""

from __future__ import annotations

import feedparser
import pytest
from conftest import PROJECT, build_site, folder_redirect, html_pages, norm, soup

ESSAY = "posts/2026/what-does-it-mean-to-align-an-ai.html"
SEED = PROJECT / "posts" / "2026" / "what-does-it-mean-to-align-an-ai.md"

# The seed text as the author published it (shared/seeds/alignment-post.txt),
# less the kicker, the title, the headings and the page's foot.
PARAGRAPHS = [
    "“Alignment” is one of those words that gets used constantly in AI discourse and defined precisely almost never. You’ll hear it at safety conferences, in Anthropic blog posts, in congressional hearings — and in each context it seems to mean something slightly different. I want to try to be careful about what the problem actually is.",  # noqa: E501
    "The simplest version goes like this: an AI system is aligned if it does what we want. But this definition dissolves almost immediately under scrutiny. What does “we” mean — the user, the company, humanity? And what does “want” mean — what we say we want, what we’d reflectively endorse, or something else?",  # noqa: E501
    "The challenge is that we can’t fully specify what we want. Human values are complex, context-dependent, sometimes contradictory, and often only legible to us after the fact. We know a bad outcome when we see it — but we struggle to write down the rules that would prevent it in advance.",  # noqa: E501
    "The difficulty is not that we want bad things — it’s that we can’t fully articulate what we want good things to look like.",  # noqa: E501
    "This is sometimes called the specification problem. If you train a system to maximize a reward function, and your reward function is an imperfect proxy for what you actually care about, you’ll get a system that’s very good at maximizing the proxy — not the thing you care about. This is Goodhart’s Law applied to AI.",  # noqa: E501
    "It helps to distinguish two separate failure modes that often get collapsed together:",
    "Both are real concerns. Outer misalignment is already visible today — RLHF-trained models often learn to give responses that seem helpful rather than ones that are helpful. Inner misalignment is more speculative but arguably more dangerous at high capability levels.",  # noqa: E501
    "The naive view is that alignment is a matter of giving AI systems the right values — just tell them to be honest, helpful, and harmless. But values aren’t like rules you can install. They have to generalize correctly across situations the system has never seen. And as systems become more capable, the consequences of subtle misalignment become more severe.",  # noqa: E501
    "A mildly misaligned calculator is fine. A mildly misaligned system operating autonomously at scale — making decisions, writing code, running experiments — is a different story.",  # noqa: E501
    "This is why I find interpretability research so interesting: if we can actually look inside a model and understand what it’s representing and optimizing for, we have a fighting chance at catching misalignment before it matters.",  # noqa: E501
    "I don’t think alignment is unsolvable — but I do think it’s hard in ways that aren’t always acknowledged. It’s not just a technical problem. It’s partly a philosophical one (what do we actually want?), partly a social one (whose values count?), and partly an empirical one (how do we verify that a system has learned what we think it has?).",  # noqa: E501
    "The field is young and the problems are real. I’ll keep writing about this as I think through it.",  # noqa: E501
]
HEADINGS = [
    "The core tension",
    "Two failure modes",
    "Why it’s harder than it sounds",
    "Where does that leave us?",
]


def heading_text(tag) -> str:
    return norm(tag.get_text().replace("¶", ""))


@pytest.fixture(scope="module")
def essay(site):
    return soup(site / ESSAY).select_one("article[role=main]")


def test_essay_title_kicker_and_byline(essay):
    assert heading_text(essay.select_one("h1")) == "What Does It Actually Mean to Align an AI?"
    kicker = essay.select_one(".post-kicker")
    assert norm(kicker.get_text()) == "Alignment"
    # The kicker stands above the title.
    assert kicker.find_next("h1") is essay.select_one("h1")
    meta = norm(essay.select_one(".post-byline .post-meta").get_text())
    assert meta.startswith("March 2026 · Perucy Mussiba · ")
    assert meta.endswith(" min read")


def test_essay_holds_every_paragraph_word_for_word(essay):
    paragraphs = [norm(p.get_text()) for p in essay.select("p")]
    for expected in PARAGRAPHS:
        assert norm(expected) in paragraphs


def test_essay_headings(essay):
    assert [heading_text(h) for h in essay.select("h2")][:4] == [norm(h) for h in HEADINGS]


def test_pull_quote_is_a_blockquote(essay):
    quote = essay.select_one("blockquote.pull-quote")
    assert norm(quote.get_text()) == norm(PARAGRAPHS[3])


def test_failure_modes_restored_and_marked_for_review(essay):
    terms = [norm(dt.get_text()) for dt in essay.select("dl dt")]
    assert terms == ["Outer misalignment", "Inner misalignment"]
    source = SEED.read_text(encoding="utf-8")
    assert "% RECONSTRUCTED" in source
    assert "RECONSTRUCTED" not in str(essay)


def test_essay_foot_links_to_all_posts(site, essay):
    foot = essay.select_one(".post-foot")
    link = foot.select_one("a.post-all-posts")
    assert norm(link.get_text()) == "← All posts"
    assert norm(foot.select_one(".post-signature").get_text()) == "Perucy Mussiba · March 2026"
    listing = (site / ESSAY).parent / link["href"]
    assert listing.resolve() == (site / "posts.html").resolve()
    titles = [norm(a.get_text()) for a in soup(listing).select(".post-card-title a")]
    assert "What Does It Actually Mean to Align an AI?" in titles


@pytest.mark.parametrize(
    "archive",
    [
        "posts/tag/alignment.html",
        "posts/category/alignment.html",
        "posts/2026.html",
        "posts/author/perucy-mussiba.html",
    ],
)
def test_archives_list_the_essay(site, archive):
    page = soup(site / archive)
    hrefs = [a["href"] for a in page.select(".post-card-title a")]
    target = (site / archive).parent
    assert any((target / h).resolve() == (site / ESSAY).resolve() for h in hrefs)


def test_home_page(site):
    page = soup(site / "index.html")
    main = page.select_one("article[role=main]")
    assert heading_text(main.select_one("h1")) == "Perucy Mussiba"
    assert "AI alignment" in norm(main.select_one("p").get_text())
    recent = [a["href"] for a in main.select(".postlist .ablog-post-title a")]
    assert recent[0] == ESSAY
    assert any(a["href"] == "posts.html" for a in main.select("a"))


def test_every_page_has_one_main_and_one_h1_and_no_furo_error(site):
    pages = html_pages(site)
    assert len(pages) > 10
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "does not support this" not in text, path
        page = soup(path)
        # A folder's page (/posts/) is not Furo's: one <main>, and it forwards.
        main = "main" if folder_redirect(path) else "[role=main]"
        assert len(page.select(main)) == 1, path
        assert len(page.select("h1")) == 1, path


def test_about_page(site):
    main = soup(site / "docs/about.html").select_one("article[role=main]")
    assert heading_text(main.select_one("h1")) == "About"
    assert "Perucy Mussiba" in main.get_text()


def test_site_feeds_parse_with_author_and_absolute_links(site):
    feeds = sorted((site / "posts").rglob("atom.xml"))
    assert len(feeds) >= 1 + 4 + 1  # site, four tags, one category
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, path
        assert feed.feed.author == "Perucy Mussiba", path
        for entry in feed.entries:
            assert entry.link.startswith("https://"), path
            for link in soup_links(entry.content[0].value):
                assert link.startswith("https://"), (path, link)


def soup_links(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    tree = BeautifulSoup(html, "html.parser")
    return [t.get("href") or t.get("src") for t in tree.select("[href], [src]")]


def test_site_feed_entry(site):
    feed = feedparser.parse((site / "posts/atom.xml").read_bytes())
    entry = feed.entries[0]
    assert entry.title == "What Does It Actually Mean to Align an AI?"
    assert entry.id == (
        "tag:perucymussiba.github.io,2026:posts/2026-03-01/what-does-it-mean-to-align-an-ai"
    )
    assert entry.published == "2026-03-01T00:00:00+00:00"
    assert feed.feed.updated == "2026-03-01T00:00:00+00:00"
    text = norm(entry.content[0].value)
    assert "Goodhart" in text


def test_two_clean_builds_are_byte_identical(site, tmp_path):
    """Every output file — pages, feeds, sitemap, search index, social cards."""
    out = tmp_path / "html"
    result = build_site(out, "-d", str(tmp_path / "doctrees"))
    assert result.returncode == 0, result.stderr

    def files(root):
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and ".doctrees" not in p.parts
        }

    first, second = files(site), files(out)
    assert first.keys() == second.keys()
    assert any(name.endswith(".png") for name in first)
    assert [name for name in first if first[name] != second[name]] == []
