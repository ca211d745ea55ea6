"""Where each imported post goes: its slug and year, its tags spelled as the
site spells them, the old addresses it keeps, and the authors the site needs."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..blog.adapter import slugify as term_slug
from ..blog.checks import term_problem
from ..blog.frontmatter import (
    BOM,
    MAX_NAME,
    FrontMatterError,
    redirect_problem,
    split_front_matter,
    url_problem,
)
from .import_conf import Conf, Target, source_files
from .import_convert import Post
from .import_links import OldSite

_SLUG = re.compile(r"[a-z0-9-]+")


def _existing_posts(target: Target) -> list[tuple[str, dict]]:
    """(path, front matter) of the site's posts."""
    found = []
    for pattern in target.post_patterns:
        for path in sorted(target.root.glob(pattern)):
            if path.is_file() and path.suffix == ".md":
                try:
                    text = path.read_text(encoding="utf-8").removeprefix(BOM)
                    data = split_front_matter(text).data
                except (OSError, UnicodeDecodeError, FrontMatterError):
                    data = {}
                found.append((path.relative_to(target.root).as_posix(), data))
    return found


def _slug(post: Post, target: Target) -> str:
    parts = PurePosixPath(post.docname).parts
    stem = parts[-2] if parts[-1] == "index" and len(parts) > 1 else parts[-1]
    slug = stem if _SLUG.fullmatch(stem) else target.slugify(stem)
    if len(slug) > MAX_NAME:
        # The build writes files named after it: cut at a word within the limit,
        # unless that would leave less than half of it.
        cut = slug[: MAX_NAME + 1].rsplit("-", 1)[0].strip("-")
        slug = (cut if len(cut) >= MAX_NAME // 2 else slug[:MAX_NAME]).strip("-")
        if slug:
            post.notes.append(f"file name shortened to {slug}.md (at most {MAX_NAME} characters)")
    return slug


def _year(post: Post, target: Target) -> int:
    return post.date.year if post.date else target.today.year


def plan(posts: list[Post], old: OldSite, target: Target) -> None:
    """Give each post its slug, year, new docname, tags spelled as elsewhere,
    and old addresses that stay free."""
    existing = _existing_posts(target)
    taken = {PurePosixPath(rel).stem: rel for rel, _ in existing}
    # Tags and categories are spelled one way each (their pages are separate).
    spelling: dict[str, dict[str, tuple[str, str]]] = {"tags": {}, "categories": {}}
    claimed: dict[str, str] = {}
    for rel, data in existing:
        for key, field in (("tags", "tags"), ("category", "categories")):
            for term in _terms(data.get(key)):
                spelling[field].setdefault(term_slug(term), (term, rel))
        for address in _terms(data.get("redirect")):
            claimed.setdefault(address.removesuffix(".html"), rel)
    documents = set(source_files(target.root, target.conf))
    fresh: dict[str, str] = {}
    for post in (p for p in posts if p.skip is None):
        slug = _slug(post, target)
        if not slug:
            post.skip = f"cannot make a file name from {PurePosixPath(post.docname).name!r}"
            continue
        if slug in taken:
            parent = target.slugify(PurePosixPath(post.docname).parent.name)
            if slug in fresh and parent and f"{parent}-{slug}" not in taken:
                post.notes.append(f"named {parent}-{slug}: {fresh[slug]} is {slug}")
                slug = f"{parent}-{slug}"
            elif taken[slug] == f"{target.blog_path}/{_year(post, target)}/{slug}.md":
                # Imported before: links to it lead there.
                post.skip = f"conflict: {taken[slug]} exists: not overwritten"
                old.moved[post.docname] = taken[slug].removesuffix(".md")
                continue
            else:
                post.skip = f"conflict: the site has a post with the slug `{slug}` ({taken[slug]})"
                continue
        post.slug, post.new_docname = slug, f"{target.blog_path}/{_year(post, target)}/{slug}"
        taken[slug] = fresh[slug] = post.rel
        old.moved[post.docname] = post.new_docname
        if post.date is None:
            post.notes.append("no date: imported as a draft")
    new_docs = set(old.moved.values())
    for post in (p for p in posts if p.skip is None):
        for key in ("tags", "categories"):
            terms: list[str] = []
            for term in getattr(post, key):
                if why := term_problem(term):
                    what = "tag" if key == "tags" else "category"
                    post.reasons.append(f"{what} {term!r} {why}: left out")
                    continue
                first, where = spelling[key].setdefault(term_slug(term), (term, post.rel))
                if first != term:
                    post.notes.append(f"{term!r} written {first!r}, as in {where}")
                if first not in terms:
                    terms.append(first)
            setattr(post, key, terms)
        addresses = [post.docname] if post.docname != post.new_docname else []
        addresses += [a.strip().lstrip("/").removesuffix(".html") for a in post.redirects]
        post.redirects = []
        for address in dict.fromkeys(a for a in addresses if a):
            if why := redirect_problem(address):
                post.reasons.append(f"old address not kept: {why}")
            elif address in documents or address in new_docs:
                post.reasons.append(
                    f"old address `{address}` not kept: a page of the site is there"
                )
            elif claimed.setdefault(address, post.rel) != post.rel:
                post.reasons.append(f"old address `{address}` not kept: {claimed[address]} has it")
            else:
                post.redirects.append(address)


def _terms(value: object) -> list[str]:
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t).strip() for t in value if str(t).strip()]
    return []


# -- Authors --------------------------------------------------------------------------


def new_authors(posts: list[Post], conf: Conf, target: Target) -> dict[str, tuple[str, str | None]]:
    """Authors the imported posts name that the site does not know, with the
    old blog's full name and link for each when it has them."""
    old_authors = conf["blog_authors"] if isinstance(conf["blog_authors"], dict) else {}
    # ABlog's default author; else the project's author (who wrote the blog).
    default = conf["blog_default_author"] or conf["author"]
    new: dict[str, tuple[str, str | None]] = {}
    for post in posts:
        if post.skip is not None:
            continue
        if not post.authors and isinstance(default, str) and default.strip():
            post.authors = [default.strip()]
        elif not post.authors and target.default_author:
            post.notes.append(
                f"no author: the site's default author ({target.default_author}) shows"
            )
        for name in post.authors:
            if name in target.authors or name in new:
                continue
            value = old_authors.get(name)
            if isinstance(value, (list, tuple)) and len(value) == 2:
                full, link = value
                if link and url_problem(str(link)):
                    post.notes.append(f"author {name!r}: link {link!r} is not http(s): left out")
                    link = None
                new[name] = (str(full or name), str(link) if link else None)
            else:
                new[name] = (name, None)
    return new
