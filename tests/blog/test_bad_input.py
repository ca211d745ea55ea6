"""Bad input: each mistake gets a warning naming file, line and what to do."""

from __future__ import annotations

import pytest
from blogtools import build, copy_root

CASES = {
    "invalid-yaml": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\ntags: [a, b\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:3: WARNING: front matter is not valid YAML: the list opened with "
        "'[' on this line is not closed (expected ',' or ']', but got '<stream end>'): fix the "
        "block between the '---' lines [essayist.yaml]",
    ),
    "unclosed-list-before-a-key": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\ntags: [a, b\nauthor: Ada\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:3: WARNING: front matter is not valid YAML: the list opened with "
        "'[' on this line is not closed (expected ',' or ']', but got ':' on line 4): fix the "
        "block between the '---' lines [essayist.yaml]",
    ),
    "unclosed-quotation": (
        "posts/2026/bad.md",
        '---\ndate: 2026-01-01\ntitle: "Open\nauthor: Ada\n---\n\n# T\n\nText.\n',
        "posts/2026/bad.md:3: WARNING: front matter is not valid YAML: the quotation opened "
        "on this line is not closed (found unexpected end of stream): fix the block between "
        "the '---' lines [essayist.yaml]",
    ),
    "number-too-long": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\nseries_order: " + "9" * 5000 + "\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:3: WARNING: a number is too long to read: shorten it: fix the "
        "block between the '---' lines [essayist.yaml]",
    ),
    "duplicate-key": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\ntags: a\ndate: 2027-01-01\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:4: WARNING: front matter sets 'date' twice (lines 2 and 4): keep "
        "one: fix the block between the '---' lines [essayist.yaml]",
    ),
    "impossible-date": (
        "posts/2026/bad.md",
        "---\ndate: 2026-02-30\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:2: WARNING: date '2026-02-30' does not exist "
        "(day is out of range for month) [essayist.date]",
    ),
    "unparseable-date": (
        "posts/2026/bad.md",
        "---\ndate: next tuesday\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:2: WARNING: date 'next tuesday' is not a date: "
        "write it as YYYY-MM-DD (or YYYY-MM-DDTHH:MM with an optional +HH:MM offset) "
        "[essayist.date]",
    ),
    "a-key-in-capitals": (
        # Read as "no date", the post was a draft in silence.
        "posts/2026/bad.md",
        "---\nDate: 2026-01-01\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:2: WARNING: front matter key 'Date' is not one the site reads: "
        "write 'date' [essayist.yaml]",
    ),
    "a-key-spelled-otherwise": (
        # The page said the default licence, not the author's.
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\nlicence: CC BY-NC 4.0\nmy_note: kept\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:3: WARNING: front matter key 'licence' is not one the site reads: "
        "write 'license' [essayist.yaml]",
    ),
    "a-correction-from-the-future": (
        # Its feed entry would have led every feed reader's list until 2099.
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\nupdate: 2099-01-01\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:3: WARNING: update: 2099-01-01 is after today (2026-06-01): date "
        "a correction the day it is made [essayist.date]",
    ),
    "a-correction-directive-from-the-future": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\n---\n\n# T\n\nText.\n\n```{update} 2099-05-05\nLater.\n```\n",
        "posts/2026/bad.md:9: WARNING: update: 2099-05-05 is after today (2026-06-01): date "
        "a correction the day it is made [essayist.date]",
    ),
    "a-tag-that-reads-reversed": (
        "posts/2026/bad.md",
        '---\ndate: 2026-01-01\ntags: ["evil\\u202egnp.exe", ok]\n---\n\n# T\n\nText.\n',
        "posts/2026/bad.md:3: WARNING: tags: bidirectional override U+202E (written as an "
        "escape), which reverses the text after it on the page (the site sets right-to-left "
        "text's direction itself): delete it; the page is built without it [essayist.character]",
    ),
    "a-title-that-reads-reversed": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\n---\n\n# Invoice \u202efdp.exe\n\nText.\n",
        "posts/2026/bad.md:5: WARNING: bidirectional override U+202E, which reverses the text "
        "after it on the page (the site sets right-to-left text's direction itself) (pasted "
        "from a terminal or a PDF?): delete it; the page is built without it "
        "[essayist.character]",
    ),
    "a-tag-with-a-zero-width-space": (
        "posts/2026/bad.md",
        '---\ndate: 2026-01-01\ntags: ["a\\u200bb"]\n---\n\n# T\n\nText.\n',
        "posts/2026/bad.md:3: WARNING: tags: 'a\\u200bb' holds U+200B, which shows as nothing "
        "(or as another name): delete it [essayist.tags]",
    ),
    "a-category-with-a-line-break": (
        "posts/2026/bad.md",
        '---\ndate: 2026-01-01\ncategory: "x\\ndraft: true"\n---\n\n# T\n\nText.\n',
        "posts/2026/bad.md:3: WARNING: category: 'x\\ndraft: true' holds a line break: write "
        "the name on one line [essayist.category]",
    ),
    "a-tag-of-dashes": (
        "posts/2026/bad.md",
        '---\ndate: 2026-01-01\ntags: ["---"]\n---\n\n# T\n\nText.\n',
        "posts/2026/bad.md:3: WARNING: tags: '---' has no letters or digits [essayist.tags]",
    ),
    "names-that-differ-in-case": (
        # One file on macOS and Windows: a checkout there kept one of the two.
        "posts/2026/OK.md",
        "---\ndate: 2026-01-02\n---\n\n# Shouting\n\nText.\n",
        "posts/2026/ok.md: WARNING: two posts' names differ in case only (posts/2026/OK and "
        "posts/2026/ok): macOS and Windows keep one of the two files, and their feed ids "
        "would clash; rename one [essayist.duplicate_slug]",
    ),
    "a-date-yaml-reads-as-true": (
        "posts/2026/bad.md",
        "---\ndate: yes\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:2: WARNING: date reads as true (YAML reads yes, no, on and off "
        "so), not a date: write it as YYYY-MM-DD [essayist.date]",
    ),
    "a-title-yaml-reads-as-a-number": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\ntitle: 12\n---\n\n# T\n\nText.\n",
        'posts/2026/bad.md:3: WARNING: title reads as 12, not text: quote it (title: "12") '
        "[essayist.limit]",
    ),
    "post-outside-a-year-folder": (
        # Its address would have been the tag page's, which it replaced.
        "posts/tag/alpha.md",
        "---\ndate: 2026-01-01\n---\n\n# Not the tag page\n\nText.\n",
        "posts/tag/alpha.md:1: WARNING: a post lives in a year's folder, and 'tag' is not a "
        "year: move it into posts/YYYY/ (the year it is published) [essayist.limit]",
    ),
    "unknown-author": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\nauthor: Nobody\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:3: WARNING: unknown author 'Nobody': use one of 'Ada', "
        "or add it to blog_authors in conf.py [essayist.author]",
    ),
    "malformed-tags": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\ntags: {a: b}\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:3: WARNING: tags must be a comma-separated string or a YAML "
        "list of names [essayist.tags]",
    ),
    "empty-tag": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\ntags: a, , b\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:3: WARNING: tags has an empty name: remove the stray comma "
        "[essayist.tags]",
    ),
    "no-title": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\n---\n\nJust text.\n",
        "posts/2026/bad.md:4: WARNING: the post has no title: start its text with a "
        "'# Title' line [essayist.title]",
    ),
    "empty-file": (
        "posts/2026/bad.md",
        "",
        "posts/2026/bad.md:1: WARNING: the post is empty: give it front matter and a "
        "'# Title' line, or delete the file [essayist.empty]",
    ),
    "same-slug": (
        "posts/2025/ok.md",
        "---\ndate: 2025-01-01\n---\n\n# Same Slug\n\nText.\n",
        "posts/2026/ok.md: WARNING: two posts have the slug 'ok' (posts/2025/ok and "
        "posts/2026/ok): their feed ids and labels would clash; rename one "
        "[essayist.duplicate_slug]",
    ),
    "tags-collide-in-post": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\ntags: AI Safety, ai-safety\n---\n\n# T\n\nText.\n",
        "posts/2026/bad.md:3: WARNING: tags 'AI Safety' and 'ai-safety' are the same once "
        "made into a URL: spell it one way [essayist.collision]",
    ),
    "tags-collide-across-posts": (
        "posts/2026/zz.md",
        "---\ndate: 2026-01-01\ntags: Alpha\n---\n\n# T\n\nText.\n",
        "posts/2026/zz.md:3: WARNING: tag 'Alpha' is spelled 'alpha' in posts/2026/ok and "
        "both become the same tag page: spell it one way [essayist.collision]",
    ),
    "blog-front-matter-outside-posts": (
        "docs/page.md",
        "---\ndate: 2026-01-01\ntags: a\n---\n\n# Page\n\nText.\n",
        "docs/page.md:2: WARNING: blog front matter (date, tags) on a page outside the posts "
        "folder is ignored: move the file into posts/YYYY/ to publish it as a post, or remove "
        "those keys [essayist.not_a_post]",
    ),
    "broken-doc-link": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\n---\n\n# T\n\nSee {doc}`missing`.\n",
        "posts/2026/bad.md:7: WARNING: unknown document: 'missing' [ref.doc]",
    ),
    "broken-ref-link": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\n---\n\n# T\n\nSee {ref}`nowhere`.\n",
        "posts/2026/bad.md:7: WARNING: undefined label: 'nowhere' [ref.ref]",
    ),
    "missing-image": (
        "posts/2026/bad.md",
        "---\ndate: 2026-01-01\n---\n\n# T\n\n![alt](missing.png)\n",
        # Sphinx's words, and what to do (essayist.content.rawfiles).
        "posts/2026/bad.md:7: WARNING: image file not readable: posts/2026/missing.png: add "
        "the file, or correct its path (relative to the page, or from the site's folder when "
        "it starts with /) [image.not_readable]",
    ),
    # A file name the build cannot write files after (a doctree, a page, a card).
    "long-file-name": (
        "posts/2026/llllllllllllllllllllllllllllllllllllllll" + "l" * 161 + ".md",
        "---\ndate: 2026-01-01\n---\n\n# T\n\nText.\n",
        "posts/2026/" + "l" * 201 + ".md:1: WARNING: the file name is 201 bytes long, and the "
        "site writes files named after it: rename it to at most 200 (the slug is the post's "
        "address) [essayist.limit]",
    ),
    # Endings Sphinx never reads, so the post would vanish.
    "upper-case-ending": (
        "posts/2026/shout.MD",
        "---\ndate: 2026-01-01\n---\n\n# T\n\nText.\n",
        "posts/2026/shout.MD:2: WARNING: this file is written as a blog post, but the site "
        "reads only files ending in .md, so it is not published: rename it to shout.md "
        "[essayist.not_a_post]",
    ),
    "markdown-ending": (
        "posts/2026/long.markdown",
        "---\ndate: 2026-01-01\n---\n\n# T\n\nText.\n",
        "posts/2026/long.markdown:2: WARNING: this file is written as a blog post, but the "
        "site reads only files ending in .md, so it is not published: rename it to long.md "
        "[essayist.not_a_post]",
    ),
    # ABlog's reST post, copied in: said plainly, not "no '# Title' line".
    "rst-post-undated": (
        "posts/2026/undated.rst",
        "Undated\n=======\n\nText, and no post directive.\n",
        "posts/2026/undated.rst:1: WARNING: a post is MyST Markdown, and this one is "
        "reStructuredText: rewrite it as a .md file (its title as '# Title', its post "
        "directive's date and tags as front matter) [essayist.not_a_post]",
    ),
    "rst-post": (
        "posts/2026/old.rst",
        "Old Post\n========\n\n.. post:: 2020-01-01\n   :tags: a\n\nText.\n",
        "posts/2026/old.rst:1: WARNING: a post is MyST Markdown, and this one is "
        "reStructuredText: rewrite it as a .md file (its title as '# Title', its post "
        "directive's date and tags as front matter) [essayist.not_a_post]",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_with_file_and_line(case, tmp_path):
    relpath, text, expected = CASES[case]
    src = copy_root("minimal", tmp_path)
    target = src / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    if relpath.startswith("docs/"):
        (src / "index.md").write_text(
            "# Minimal\n\n```{toctree}\n:hidden:\n\ndocs/page\n```\n", encoding="utf-8"
        )
    _, warnings = build(src, freshenv=True)
    lines = [line.replace(f"{src}/", "") for line in warnings.splitlines()]
    assert expected in lines, "\n".join(lines)
    assert "Traceback" not in warnings and "Exception occurred" not in warnings


@pytest.mark.parametrize(
    "tags",
    ["alpha, beta", "[alpha, beta]", "\n  - alpha\n  - beta"],
    ids=["comma", "flow", "block"],
)
def test_tags_as_comma_string_or_yaml_list(tags, tmp_path):
    src = copy_root("minimal", tmp_path)
    post = f"---\ndate: 2026-01-02\ntags: {tags}\n---\n\n# Tagged\n\nText.\n"
    (src / "posts/2026/tagged.md").write_text(post, encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    alpha = (app.outdir / "posts/tag/alpha.html").read_text(encoding="utf-8")
    beta = (app.outdir / "posts/tag/beta.html").read_text(encoding="utf-8")
    assert "Tagged" in alpha
    assert "Tagged" in beta


def test_a_missing_date_makes_a_draft_not_an_error(tmp_path):
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/undated.md").write_text("# Undated\n\nText.\n", encoding="utf-8")
    app, warnings = build(src, freshenv=True)
    assert warnings == ""
    assert not (app.outdir / "posts/2026/undated.html").exists()


def test_a_problem_stays_loud_until_fixed(tmp_path):
    """Sphinx alone passes the second incremental build with the link still broken."""
    src = copy_root("minimal", tmp_path)
    post = src / "posts/2026/ok.md"
    good = post.read_text(encoding="utf-8")
    post.write_text(good + "\nSee {ref}`nowhere`.\n", encoding="utf-8")
    for _ in range(2):
        _, warnings = build(src)
        assert "undefined label: 'nowhere'" in warnings
    post.write_text(good, encoding="utf-8")
    _, warnings = build(src)
    assert warnings == ""
    _, warnings = build(src)
    assert warnings == ""
