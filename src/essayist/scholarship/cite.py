"""Cite this essay: a citation and BibTeX on every post, and Google Scholar's tags.

After the essay's text (and its references), before "Concepts in this
essay", each post has a "Cite this essay" box: the citation as a reader
would write it (author, year, title, site, address, and "updated <date>"
when the post records a correction), the same as BibTeX in a collapsed
``<details>`` (with a copy button, from essayist-previews.js: a script of the
site's own, as the pages' ``script-src 'self'`` wants), and the post's license
(``license``).

In the page's head, the Highwire Press tags Google Scholar reads:
``citation_title``, ``citation_author`` (one per author),
``citation_publication_date`` (``YYYY/MM/DD``) and ``citation_public_url``.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata
from urllib.parse import urljoin

from docutils import nodes
from sphinx.application import Sphinx

from ..blog.adapter import builds_blog, get_blog, get_post, unordered_posts
from ..config import NO_SEARCH, site_url
from ..incremental.pages import EVENT as PAGE_VIEWS
from ..incremental.state import build_cache
from .citations import footnotes_into
from .license import License, post_license

CITE_CLASS = "cite-this"
CITE_ID = "cite-this-essay"
# doctree-resolved: after the post's furniture (500), before the concept
# sections (600), which are appended to the same section after it.
CITE_ORDER = 550
# Title words a BibTeX key skips, as Google Scholar's do.
_SKIP = {"a", "an", "the", "on", "of", "in", "at", "to", "for", "and", "or", "with", "from", "by"}
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def day_month_year(date: dt.date) -> str:
    """ "2 April 2026"."""
    return f"{date.day} {date:%B} {date.year}"


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def post_authors(app: Sphinx, post) -> list[str]:
    return [a.name for a in post.author] or [get_blog(app).blog_title]


def site_name(app: Sphinx) -> str:
    return app.config.essayist_site_name or app.config.project


def post_url(app: Sphinx, docname: str) -> str:
    """The post's public address, or "" when the site has none: the original's,
    for a copy of an essay first published elsewhere (``canonical_link``)."""
    post = get_post(app, docname)
    if post is not None and getattr(post, "canonical_link", None):
        return post.canonical_link
    base = site_url(app.config)
    return urljoin(base, app.builder.get_target_uri(docname)) if base else ""


def updated(post) -> dt.date | None:
    """The date of the post's correction, when it has one after publication."""
    if post.update and post.date and post.update.date() != post.date.date():
        return post.update.date()
    return None


def citation_text(authors: list[str], year: int, title: str, site: str, update=None) -> str:
    """ "Perucy Mussiba (2026). “Title.” Site, updated 2 April 2026." (without
    the address, which follows it). Quotation marks in the title become single
    ones inside the citation's double ones, as style guides have it."""
    title = title.translate({ord("“"): "‘", ord("”"): "’"})
    closed = title if title.endswith((".", "?", "!")) else f"{title}."
    where = f"{site}, updated {day_month_year(update)}." if update else f"{site}."
    return f"{join_names(authors)} ({year}). “{closed}” {where}"


def latex_escape(text: str) -> str:
    return "".join(_LATEX.get(c, c) for c in text)


_NOT_KEY = re.compile(r"[^a-z0-9]")


@functools.lru_cache(maxsize=16384)  # every post's title, on every build
def _ascii_word(word: str) -> str:
    """A word in ASCII letters and digits: accents dropped, a Greek letter
    spelled ("β" -> "beta"), anything else left out."""
    if word.isascii():  # most words: no Unicode names to look up
        return _NOT_KEY.sub("", word.lower())
    spelled = "".join(
        f" {unicodedata.name(c).split()[-1]} " if "GREEK" in unicodedata.name(c, "") else c
        for c in word
    )
    folded = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return _NOT_KEY.sub("", folded.lower())


def bibtex_key(authors: list[str], year: int, title: str, day: str = "") -> str:
    """ "mussiba2026whatdoes": the first author's last name, the year, and the
    title's first two words that are not articles or prepositions. One word
    ("mussiba2026why") named every "Why …" essay of a year alike, and a reader
    citing two got one key; a title with no such words (in another script)
    takes the post's ``day`` (``"1203"``) instead. ``site_keys`` makes each
    post's key its own."""
    last = _ascii_word(authors[0].split()[-1]) if authors and authors[0].split() else ""
    words = [w for w in (_ascii_word(w) for w in title.split()) if w and w not in _SKIP]
    return f"{last or 'essay'}{year}{''.join(words[:2]) or day}"


def site_keys(app: Sphinx) -> dict[str, str]:
    """Every post's BibTeX key, each its own: of two posts whose titles make
    one key ("Why β Matters", "Why β Matters, Again"), the later (by date,
    then file) gets a letter after it, "b" and on, as reference managers do."""
    cache = build_cache(app)
    if "cite_keys" not in cache:
        blog = get_blog(app)
        posts = [p for p in unordered_posts(blog.posts) if p.date]
        made = [
            (
                post.docname,
                bibtex_key(
                    post_authors(app, post), post.date.year, post.title, f"{post.date:%m%d}"
                ),
            )
            for post in sorted(posts, key=lambda p: (p.date, p.docname))
        ]
        cache["cite_keys"] = unique_keys(made)
    return cache["cite_keys"]


def unique_keys(made: list[tuple[str, str]]) -> dict[str, str]:
    """docname -> its key, from (docname, key) in date order: the first post
    with a key keeps it; each later one gets the next letter ("b", "c", …) that
    is no post's key ("whyb" may be another title's own)."""
    taken = {base for _, base in made}
    keys: dict[str, str] = {}
    letters: dict[str, int] = {}
    for docname, base in made:
        if base not in letters:
            letters[base] = 0
            keys[docname] = base
            continue
        while True:
            letters[base] += 1
            key = f"{base}{_letter(letters[base])}"
            if key not in taken:
                break
        taken.add(key)
        keys[docname] = key
    return keys


def _letter(n: int) -> str:
    """1 -> "b", 25 -> "z", 26 -> "ba": a suffix of letters only."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if n == 0:
            return out


def _views(app: Sphinx, env) -> dict[str, dict]:
    """Each post's page shows its key, which another post's title can change."""
    if not builds_blog(app):
        return {}
    return {"cite:keys": dict(site_keys(app))}


def _bibtex_name(name: str) -> str:
    """One author for BibTeX: a name with " and " or a comma in it ("Rock and
    Roll", a blog's title) is braced, or BibTeX reads several people in it."""
    escaped = latex_escape(name)
    return "{" + escaped + "}" if re.search(r"\sand\s|,", name, re.I) else escaped


def bibtex(
    authors: list[str], year: int, title: str, site: str, url: str, update=None, key: str = ""
) -> str:
    """The post as a BibTeX ``@misc`` entry (read by BibTeX and biblatex)."""
    fields = [
        ("author", " and ".join(_bibtex_name(a) for a in authors)),
        # Double braces: the title keeps its capitals in every style.
        ("title", "{" + latex_escape(title) + "}"),
        ("howpublished", latex_escape(site)),
        ("year", str(year)),
    ]
    if url:
        fields.append(("url", url))
    if update:
        fields.append(("note", f"Updated {day_month_year(update)}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key or bibtex_key(authors, year, title)},\n{body}\n}}"


def bibtex_html(code: str) -> str:
    """The BibTeX, collapsed under "BibTeX". Not a ``<pre>``: every ``<pre>``
    brings Pygments' colours and sphinx-copybutton (``theme.assets``), 10 KiB
    for a block that needs neither; essayist-previews.js adds a copy button."""
    return (
        '<details class="cite-bibtex">\n<summary>BibTeX</summary>\n'
        f'<div class="cite-bibtex-code"><code>{html.escape(code)}</code></div>\n'
        "</details>\n"
    )


def _external(url: str, text: str) -> nodes.reference:
    return nodes.reference("", text, refuri=url, internal=False)


def license_line(lic: License, year: int, authors: list[str]) -> nodes.paragraph:
    """ "© 2026 Perucy Mussiba. Licensed under CC BY 4.0." (the name linked)."""
    para = nodes.paragraph(classes=["cite-license"])
    para += nodes.Text(f"© {year} {' & '.join(authors)}. ")
    if lic.url:
        para += nodes.Text("Licensed under ")
        para += _external(lic.url, lic.name)
        para += nodes.Text(".")
    else:
        para += nodes.Text(lic.statement())
    return para


def cite_section(app: Sphinx, docname: str, post) -> nodes.section:
    authors = post_authors(app, post)
    year = post.date.year
    url = post_url(app, docname)
    update = updated(post)
    section = nodes.section(classes=[CITE_CLASS, NO_SEARCH])
    section += nodes.title(text="Cite this essay")
    para = nodes.paragraph(classes=["cite-text"])
    para += nodes.Text(citation_text(authors, year, post.title, site_name(app), update))
    if url:
        # The page's own address, to be copied: text, not a link to itself.
        para += nodes.Text(" ")
        para += nodes.inline(url, url, classes=["cite-url"])
    section += para
    key = site_keys(app).get(docname) or bibtex_key(authors, year, post.title, f"{post.date:%m%d}")
    code = bibtex(authors, year, post.title, site_name(app), url, update, key)
    section += nodes.raw("", bibtex_html(code), format="html")
    lic = post_license(app, docname)
    if lic is not None:
        section += license_line(lic, year, authors)
    return section


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    # Fragments (excerpts, feed text) have no source: only the post's page.
    if app.builder.format != "html" or not doctree.get("source"):
        return
    post = get_post(app, docname)
    if post is None or not post.date:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    # The essay's footnotes stay with its text, before the box.
    footnotes_into(doctree, section)
    box = cite_section(app, docname, post)
    if CITE_ID not in doctree.ids:  # else the essay has a heading of that name
        box["ids"].append(CITE_ID)
    section += box


def citation_meta(app: Sphinx, docname: str, post) -> str:
    """The Highwire Press ``<meta>`` elements of a post, one a line."""

    def tag(name: str, value: str) -> str:
        return f'<meta name="{name}" content="{html.escape(value, quote=True)}">'

    out = [tag("citation_title", post.title)]
    out += [tag("citation_author", name) for name in post_authors(app, post)]
    out.append(tag("citation_publication_date", f"{post.date:%Y/%m/%d}"))
    if url := post_url(app, docname):
        out.append(tag("citation_public_url", url))
    return "\n".join(out) + "\n"


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html" or doctree is None:
        return
    post = get_post(app, pagename)
    if post is None or not post.date:
        return
    context["metatags"] = (context.get("metatags") or "") + citation_meta(app, pagename, post)


def setup_cite(app: Sphinx) -> None:
    app.connect(PAGE_VIEWS, _views)
    app.connect("doctree-resolved", _doctree_resolved, priority=CITE_ORDER)
    app.connect("html-page-context", _page_context)
