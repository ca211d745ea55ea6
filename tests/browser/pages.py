"""The pages the reader's-view tests visit: one of every kind the site has."""

from __future__ import annotations

ESSAY = "posts/2026/what-does-it-mean-to-align-an-ai.html"
ESSAY_TITLE = "What Does It Actually Mean to Align an AI?"
CONCEPT = "docs/concepts/goodharts-law.html"
CONCEPTS = "docs/concepts/index.html"
MISSING = "no/such/page.html"

# Every kind of page, by name: each is checked with axe at both widths in both
# colour schemes, and from the keyboard.
KINDS = {
    "home": "index.html",
    "all-posts": "posts.html",
    "essay": ESSAY,
    "tag": "posts/tag/alignment.html",
    "tags": "posts/tag.html",
    "category": "posts/category/alignment.html",
    "categories": "posts/category.html",
    "year": "posts/2026.html",
    "archive": "posts/archive.html",
    "author": "posts/author/perucy-mussiba.html",
    "authors": "posts/author.html",
    "concept": CONCEPT,
    "concepts": CONCEPTS,
    "concept-map": "docs/concepts/map.html",
    "search": "search.html?q=alignment",
    "404": MISSING,
}
