"""``blog new``: a new post that ``blog check`` and the build accept as written.

The post is checked before it is written, with the build's own checks (a
title too long, a control character, too many tags) and against the site's
other posts (a slug another post has, in any year): what is wrong is refused
with what to do, and nothing is written. Tags and a category the site already
spells another way (``ai safety`` for ``AI safety``) take the site's spelling,
and say so. The title is written as text: Markdown's characters in it are
escaped, so ``Learning C #`` and ``*Not* emphasised`` are published as typed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..blog.adapter import slugify as term_slug
from ..blog.frontmatter import split_list
from ..blog.limits import file_slug as slugify
from ..blog.limits import script_slug

# Characters with a meaning in a MyST line of text (emphasis, code, links,
# roles, HTML, entities, math, a heading's closing #s): each is escaped.
_MARKUP = re.compile(r"([\\`*_\[\]<>#$&{}|~!])")


class Refused(Exception):
    """What makes the post unfit to write, told to the author as is."""


@dataclass
class NewPost:
    rel: str  # posts/YYYY/<slug>.md
    text: str
    notes: list[str] = field(default_factory=list)


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it reads back the same, else quoted."""
    try:
        if yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def title_markdown(title: str) -> str:
    """``title`` as MyST text that shows exactly ``title``."""
    return _MARKUP.sub(r"\\\1", title)


def post_text(
    title: str,
    date: dt.date,
    author: str | None,
    tags: list[str],
    category: str | None,
    draft: bool,
) -> str:
    """A new post: complete front matter and its title."""
    lines = ["---", f"date: {date.isoformat()}"]
    if author:
        lines.append(f"author: {yaml_scalar(author)}")
    if category:
        lines.append(f"category: {yaml_scalar(category)}")
    if tags:
        lines.append(f"tags: {yaml_scalar(', '.join(tags))}")
    if draft:
        lines.append("draft: true")
    lines += ["---", "", f"# {title_markdown(title)}", "", ""]
    return "\n".join(lines)


def _respelled(terms: list[str], spelled: dict[str, tuple[str, str]], what: str, notes) -> list:
    """``terms`` as the site's other posts spell them, each once."""
    out: list[str] = []
    for term in terms:
        first, where = spelled.get(term_slug(term), (term, ""))
        if first != term:
            notes.append(f"{what} {term!r} written {first!r}, as in {where}")
        if term_slug(first) in {term_slug(t) for t in out}:
            continue
        out.append(first)
    return out


def plan_post(
    typed_title: str,
    tags: str | None,
    category: str | None,
    draft: bool,
    *,
    today: dt.date,
    author: str | None,
    blog_path: str,
    existing: list[dict],
    check,
) -> NewPost:
    """The post ``blog new`` would write, checked; raises ``Refused``.

    ``existing``: the site's posts as ``blog check`` reads them (``rel``,
    ``slug``, ``tags``, ``category``); ``check(text)``: the build's checks of
    a post's text, as messages (errors only)."""
    # Its length, characters, tags and the rest: the build's own checks, below.
    title = " ".join(typed_title.split())
    slug = slugify(title)
    if not re.search("[a-z]", slug):  # no Latin letters: its own script's
        slug = script_slug(title)[:60].strip("-") or slug
    if not slug:
        raise Refused(
            f"cannot make a file name from the title {title!r}: use some letters or digits"
        )
    rel = f"{blog_path}/{today.year}/{slug}.md"
    for info in existing:
        if info["rel"] == rel:
            raise Refused(f"{rel} already exists: edit it, or give the new post another title")
        if str(info.get("slug", "")).casefold() == slug.casefold():  # Foo.md is foo.md on a Mac
            raise Refused(
                f"{info['rel']} has the slug {slug!r} already (a post's address and feed id): "
                "give the new post another title, or edit that one"
            )
    spelled: dict[str, dict[str, tuple[str, str]]] = {"tags": {}, "category": {}}
    for info in sorted(existing, key=lambda i: i["rel"]):
        for key in spelled:
            for term, _ in info.get(key, []):
                spelled[key].setdefault(term_slug(term), (term, info["rel"]))
    notes: list[str] = []
    terms = _respelled(split_list(tags), spelled["tags"], "tag", notes)
    typed_category = [category.strip()] if category and category.strip() else []
    cats = _respelled(typed_category, spelled["category"], "category", notes)
    text = post_text(title, today, author, terms, cats[0] if cats else None, draft)
    problems = check(text)
    if problems:
        raise Refused("; ".join(problems))
    return NewPost(rel, text, notes)


def write_post(root: Path, post: NewPost) -> Path:
    """Write ``post`` under ``root``, never over a file and never outside the
    site (a folder on the way may be a link elsewhere); raises ``Refused``."""
    path = root / post.rel
    if not path.parent.resolve().is_relative_to(root.resolve()):
        raise Refused(
            f"{Path(post.rel).parent.as_posix()} leads outside the site "
            f"(to {path.parent.resolve()}): a post must live inside it"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(post.text)
    except FileExistsError:
        raise Refused(
            f"{post.rel} already exists: edit it, or give the new post another title"
        ) from None
    return path
