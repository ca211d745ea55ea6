"""Smart quotes touch only the text they change (essayist.speedups.smartquotes):
what they give is docutils' and Sphinx's own, piece by piece and page by page."""

from __future__ import annotations

import random

import pytest
from blogtools import build, copy_root, output_files
from docutils import nodes
from docutils.utils import new_document
from docutils.utils.smartquotes import educate_tokens as docutils_educate
from sphinx import addnodes
from sphinx.transforms import SphinxSmartQuotes

from essayist.speedups import ENV_VAR
from essayist.speedups.smartquotes import QuickSmartQuotes, educate_tokens

# Pieces of text an author writes: words, spaces, every character smart quotes
# look at, Sphinx's null-escape, entities, digits (the '80s), other scripts.
BITS = ["word", " ", "'", '"', "`", "``", "''", "-", "--", "---", ".", "...", ". . .", "\\"]
BITS += ["\\'", '\\"', "&#34;", "&#39;", "&#92;", "&", "\x00", "80s", "(", ")", "é", "Ω", "\n"]
ACTIONS = ["qDe", "qde", "qbBDe", "qi", "1", "2", "3", "0", "w", "qDew"]
LANGUAGES = ["en", "de", "fr", "en-x-altquot", "de-ch", ""]


def pieces(rng: random.Random) -> list[tuple[str, str]]:
    tokens = []
    for _ in range(rng.randint(1, 6)):
        kind = rng.choice(["plain", "plain", "plain", "literal", "tag"])
        text = "".join(rng.choice(BITS) for _ in range(rng.randint(0, 8)))
        tokens.append((kind, text))
    return tokens


def test_each_piece_comes_out_as_docutils_gives_it():
    rng = random.Random(18)
    changed = unchanged = 0
    for _ in range(6000):
        tokens = pieces(rng)
        attr, language = rng.choice(ACTIONS), rng.choice(LANGUAGES)
        theirs = list(docutils_educate(iter(tokens), attr=attr, language=language))
        assert list(educate_tokens(tokens, attr, language)) == theirs, (tokens, attr, language)
        changed += theirs != [text for _, text in tokens]
        unchanged += theirs == [text for _, text in tokens]
    assert changed > 1000 and unchanged > 1000  # both ways were tried
    # Nothing at all, empty pieces only, and one paragraph of 20,000 characters
    # with quotes only at its ends and in its middle.
    long = '"' + "word " * 2000 + "it's" + " word" * 2000 + '"'
    for tokens in ([], [("plain", ""), ("literal", "")], [("plain", long)]):
        theirs = list(docutils_educate(iter(tokens), attr="qDe", language="en"))
        assert list(educate_tokens(tokens, "qDe", "en")) == theirs


def block() -> tuple[nodes.document, list[nodes.Text]]:
    """A paragraph with text smart quotes leave alone for each of Sphinx's reasons."""
    document = new_document("<test>")
    para = nodes.paragraph()
    document += para
    kept = nodes.inline()
    kept["support_smartquotes"] = False
    para += [
        nodes.Text('Said "so"'),
        nodes.literal("", "", nodes.Text('"code"')),
        nodes.emphasis("", "", nodes.Text("it\x00's")),
        kept,
        addnodes.desc_signature("", "", nodes.Text('f("x")')),
        nodes.Text("end -- ..."),
    ]
    kept += nodes.Text('"kept"')
    marked = nodes.Text('"marked"')
    marked.support_smartquotes = False
    para += marked
    return document, list(para.findall(nodes.Text))


def test_the_pieces_are_sphinxs_own():
    document, texts = block()
    mine = list(QuickSmartQuotes(document, None).get_tokens(texts))
    assert mine == list(SphinxSmartQuotes(document, None).get_tokens(texts))
    assert [kind for kind, _ in mine].count("literal") == 4


POST = """---
date: 2026-02-02
tags: quotes
---

# "Quoted" -- and 'Single' Titles

She said "it's the proxy's fault" --- and 'we' agreed... or did we? . . .
The '80s, the ``backticks'' and \\"escaped\\" quotes; rock 'n' roll.

- A list item with "quotes" and -- dashes.
- `"code stays"` and $x'' = "y"$ in maths.

| "cell" | it's |
|---|---|
| -- | ... |

```text
"preformatted" -- stays
```

[A "link" text](https://example.org/it's) and &#34;an entity&#34; and &amp;#34;.

Nothing to change in this paragraph at all
"""


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_site_is_the_same_byte_for_byte(tmp_path, monkeypatch, language):
    src = copy_root("minimal", tmp_path)
    (src / "posts/2026/quotes.md").write_text(POST, encoding="utf-8")
    builds = {}
    for setting in ("1", "0"):
        monkeypatch.setenv(ENV_VAR, setting)
        app, warnings = build(src, tmp_path / setting, freshenv=True, language=language)
        assert warnings == ""
        used = QuickSmartQuotes in app.registry.transforms
        assert used == (setting == "1")
        builds[setting] = output_files(app.outdir)
    assert builds["1"].keys() == builds["0"].keys()
    assert [name for name in builds["1"] if builds["1"][name] != builds["0"][name]] == []
    page = builds["1"]["posts/2026/quotes.html"].decode()
    opening = {"en": "“", "de": "„"}[language]
    assert f"She said {opening}it’s the proxy’s fault" in page
    assert "—" in page and "…" in page and '"preformatted" -- stays' in page
