"""``blog import PATH``: move an old Sphinx + ABlog blog's posts into this site.

The old blog's ``conf.py`` is read with ``ast``, never run. Its posts are found
as ABlog finds them (``blog_post_pattern``, ``blogpost: true``, a ``post``
directive), converted one by one (``import_convert``), given a place here
(``posts/<year>/<slug>.md``, the old address kept as a redirect) and written
with the files they use, never over an existing file. New authors go into the
site's ``blog_authors``. One table says what happened to each post.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from ..blog.checks import check_post
from ..blog.frontmatter import BOM, FrontMatterError, split_front_matter
from . import import_myst as myst
from .import_bib import Carried, carry
from .import_conf import Conf, Target, add_authors, author_entry, read_conf, source_files
from .import_convert import Post, convert_post, read_post
from .import_links import Links, OldSite
from .import_plan import new_authors, plan
from .import_report import Row, printable, summary, table
from .import_sphinx import SiteError, build_problems, site_problems, site_registry

__all__ = ["Target", "convert_post", "find_posts", "read_old_conf", "run", "target_for"]

RST_SKIPPED = "reST post: not converted (write it as MyST or copy it by hand)"
NOTEBOOK_SKIPPED = "notebook post: skipped"
_MYST_LABEL = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$|^\s*:name:\s*(?P<name>\S+)\s*$", re.M)
_RST_LABEL = re.compile(r"^\.\.\s+_(?P<label>[^:`]+):\s*$|^\s+:name:\s*(?P<name>\S+)\s*$", re.M)
_RST_TITLE = re.compile(r"^(?P<title>\S.*)\n(?P<line>[=\-~^\"'`#*+]{3,})\s*$", re.M)
_RST_POST = re.compile(r"^\.\.\s+post::", re.M)
_RST_BLOGPOST = re.compile(r"^:blogpost:", re.M)
_ATX_TITLE = re.compile(r"^#\s+(?P<title>.+?)\s*$", re.M)
FIX_HEADER = (
    "Lines `make html` fails on (their posts are drafts until they are fixed; for an "
    'extension, see the guide\'s "Adding a Sphinx extension"):'
)
# ABlog's own labels, which the site has too.
ABLOG_LABELS = {"blog-posts", "blog-drafts", "blog-archives", "blog-tags", "blog-categories"}


class BadSource(Exception):
    """The old blog (or the site's conf.py) cannot be read: a usage error."""


def read_old_conf(source: Path) -> Conf:
    """The old blog's settings, from ``source/conf.py`` (never executed)."""
    path = source / "conf.py"
    if not path.is_file():
        raise BadSource(f"{path}: no conf.py here: give the old blog's folder (with its conf.py)")
    try:
        return read_conf(path)
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadSource(f"{path}: cannot be read: {exc}") from None


def target_for(
    site, today: dt.date, slugify: Callable[[str], str], scalar: Callable[[str], str]
) -> Target:
    """The site to import into, from ``blog``'s settings (``cli.load_site``)."""
    try:
        conf = read_conf(site.root / "conf.py")
    except (OSError, SyntaxError, ValueError) as exc:
        raise BadSource(f"{site.root / 'conf.py'}: cannot be read: {exc}") from None
    try:
        registry = site_registry(site.root)
    except SiteError as exc:
        raise BadSource(str(exc)) from None
    return Target(
        root=site.root,
        conf=conf,
        authors=dict(site.authors),
        default_author=site.default_author,
        timezone=site.timezone,
        today=today,
        blog_path=site.blog_path,
        post_patterns=list(site.post_patterns),
        slugify=slugify,
        scalar=scalar,
        registry=registry,
    )


# -- Finding the old blog's documents and posts -----------------------------------


def _notebook_is_post(text: str) -> bool:
    try:
        nb = json.loads(text)
    except ValueError:
        return False
    if not isinstance(nb, dict):
        return False
    if "blogpost" in (nb.get("metadata") or {}):
        return True
    for cell in nb.get("cells") or []:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source") or ""
            source = "".join(source) if isinstance(source, list) else str(source)
            if any(b.depth == 0 for b in myst.scan(source).directives("post")):
                return True
    return False


def _title(kind: str, text: str) -> str | None:
    if kind == "md":
        try:
            title = split_front_matter(text).data.get("title")
        except FrontMatterError:
            title = None
        if isinstance(title, str) and title.strip():
            return title.strip()
        m = _ATX_TITLE.search(text)
    else:
        m = _RST_TITLE.search(text)
    return m["title"].strip() if m else None


def find_posts(root: Path, conf: Conf) -> tuple[list[Post], OldSite]:
    """The old blog's posts (sorted by path), and what links need to know about
    its other documents."""
    shadowed: list[tuple[str, str]] = []
    docs = source_files(root, conf, shadowed)
    matched = set()
    for pattern in conf.strings("blog_post_pattern"):
        for path in glob.glob(pattern, root_dir=root, recursive=True):
            matched.add(PurePosixPath(path).with_suffix("").as_posix())
    old = OldSite(root, conf, docs)
    posts = []
    for docname, rel in sorted(docs.items(), key=lambda item: item[1]):
        kind = conf.suffixes[rel[len(docname) :]]
        post = Post(rel, docname, kind)
        if not (root / rel).resolve().is_relative_to(root.resolve()):
            if docname in matched:
                post.skip = "a link to a file outside the old blog: not read (copy the file in)"
                posts.append(post)
            continue
        try:
            text = (root / rel).read_text(encoding="utf-8").removeprefix(BOM)
        except (OSError, UnicodeDecodeError):
            if docname in matched:
                post.skip = "not UTF-8 text: save it as UTF-8"
                posts.append(post)
            continue
        if kind != "ipynb":
            pattern = _MYST_LABEL if kind == "md" else _RST_LABEL
            for m in pattern.finditer(text):
                label = m["label"] or m.groupdict().get("name") or ""
                old.labels.setdefault(label.strip().lower(), docname)
            if title := _title(kind, text):
                old.titles[docname] = title
        if kind == "md":
            read_post(post, text, str(conf["post_date_format"]), docname in matched)
            if post.skip == "not a post":
                continue
            auto = conf["post_auto_excerpt"]  # the old blog's excerpt length, kept
            if post.excerpt is None and isinstance(auto, int) and auto >= 2:
                post.excerpt = auto
        elif kind == "rst":
            if not (docname in matched or _RST_BLOGPOST.search(text) or _RST_POST.search(text)):
                continue
            post.skip = RST_SKIPPED
        else:
            if docname not in matched and not _notebook_is_post(text):
                continue
            post.skip = NOTEBOOK_SKIPPED
        posts.append(post)
    for docname, rel in shadowed:  # beside a post of the same name: said, not lost
        if any(p.docname == docname for p in posts):
            post = Post(rel, docname, conf.suffixes.get(rel[len(docname) :], "md"))
            post.skip = f"the same document as {docs[docname]}, which Sphinx reads instead: skipped"
            posts.append(post)
    posts.sort(key=lambda p: p.rel)
    return posts, old


# -- Converting and writing ------------------------------------------------------------


def _convert(post: Post, old: OldSite, target: Target, authors: set[str]) -> tuple[str, Links]:
    links = Links(old, post.docname, post.new_docname, post.slug)
    s = myst.scan(post.body)
    links.depth = target.heading_anchors
    links.anchors = myst.anchors(s, target.heading_anchors)
    links.html_images = "html_image" in target.myst_extensions
    links.url_schemes = target.url_schemes
    old_depth = old.conf["myst_heading_anchors"]
    links.old_anchors = myst.anchors(s, old_depth if isinstance(old_depth, int) else 0)
    text = convert_post(post, links, target)
    post.reasons += [r for r in links.reasons + links.page_reasons() if r not in post.reasons]
    post.breaking += [r for r in links.breaking if r not in post.breaking]
    post.lines = build_problems(text, target.registry, old.conf)
    rel = f"{post.new_docname}.md"
    post.lines = sorted(post.lines + site_problems(text, rel, target, old.conf))
    _, problems = check_post(
        text, authors, default_author=target.default_author, tz=target.timezone
    )
    for problem in problems:
        if problem.level == "error":
            post.reasons.append(f"the site's check: line {problem.line or 1}: {problem.message}")
            post.breaking.append(post.reasons[-1])
    return text, links


def _anchors(posts: list[Post], conf: Conf, target: Target):
    """A post's anchors, with the site's and with the old blog's heading depth."""
    bodies = {p.docname: p.body for p in posts if p.kind == "md"}
    old_depth = conf["myst_heading_anchors"] if isinstance(conf["myst_heading_anchors"], int) else 0
    cache: dict[str, tuple[set[str], set[str]]] = {}

    def anchors(docname: str) -> tuple[set[str], set[str]]:
        if docname not in cache:
            s = myst.scan(bodies.get(docname, ""))
            cache[docname] = (myst.anchors(s, target.heading_anchors), myst.anchors(s, old_depth))
        return cache[docname]

    return anchors


def _conflict(path: Path, data: bytes, root: Path) -> str | None:
    """Why ``data`` cannot be written at ``path``; None when it can (or is there)."""
    if not path.resolve().is_relative_to(root.resolve()):
        return f"{path} is outside the site"
    if path.exists() and (not path.is_file() or path.read_bytes() != data):
        return f"conflict: {path.relative_to(root).as_posix()} exists: not overwritten"
    return None


def _write(path: Path, data: bytes) -> None:
    if path.exists():
        return  # the same bytes (checked before)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as f:
        f.write(data)


def _convert_all(posts: list[Post], old: OldSite, target: Target, authors: set[str]) -> list:
    """Each post's new files, converted. A post the strict build would fail on
    is held back as a draft, and so is a post linking to a draft; a post whose
    files would overwrite others is skipped. Each time, the rest are converted
    again, so links to them follow."""
    said = {p.rel: (list(p.reasons), list(p.notes)) for p in posts}
    while True:
        files, conflicts, held = [], [], []
        for post in (p for p in posts if p.skip is None):
            post.reasons, post.notes = (list(x) for x in said[post.rel])
            post.breaking = []
            text, links = _convert(post, old, target, authors)
            if (post.breaking or post.lines) and not post.held:
                held.append(post)
            year = target.root / posixpath.dirname(post.new_docname)
            mine = [(target.root / f"{post.new_docname}.md", text.encode("utf-8"))]
            mine += [(year / dest, src.read_bytes()) for dest, src in links.assets.items()]
            found = [c for path, data in mine if (c := _conflict(path, data, target.root))]
            if mine[0][0].exists():
                found.insert(0, f"conflict: {post.new_docname}.md exists: not overwritten")
            if found:
                conflicts.append((post, found[0]))
            files += mine
        for post in held:
            post.held = True
            old.drafts.setdefault(post.docname, "until its problems are fixed")
        if held:
            continue
        if not conflicts:
            return files
        for post, why in conflicts:
            post.skip = why
            old.moved.pop(post.docname, None)


def _encoding(conf: Conf) -> str:
    return str(conf["bibtex_encoding"] or "utf-8-sig")


def _works(posts: list[Post], source: Path, conf: Conf, target: Target) -> Carried:
    """The works the posts to import cite, from the old blog's BibTeX files."""
    texts = [p.body for p in posts if p.skip is None and p.kind == "md"]
    old_files, site_files = conf.strings("bibtex_bibfiles"), target.conf.strings("bibtex_bibfiles")
    return carry(
        texts, source, old_files, _encoding(conf), target.root, site_files, _encoding(target.conf)
    )


def _works_said(works: Carried, root: Path, dry_run: bool) -> list[str]:
    """The report's lines on the works (keys from the old file: shown, not acted on)."""
    said = [] if not works.keys else [
        f"{works.path.relative_to(root).as_posix()}: {'would add' if dry_run else 'added'} "
        f"{len(works.keys)} work(s) the posts cite, from the old blog's: {', '.join(works.keys)}"
    ]  # fmt: skip
    said = [printable(line) for line in [*said, *works.notes]]
    return ["", *said] if said else []


def _unread_matches(root: Path, conf: Conf) -> list[str]:
    """Files ``blog_post_pattern`` matches that are not the old site's sources."""
    sources = set(source_files(root, conf).values())
    found = set()
    for pattern in conf.strings("blog_post_pattern"):
        for path in glob.glob(pattern, root_dir=root, recursive=True):
            rel = PurePosixPath(path).as_posix()
            suffix = PurePosixPath(rel).suffix.lower()
            if suffix in (".md", ".markdown", ".rst", ".ipynb") and rel not in sources:
                found.add(rel)
    return sorted(found)


def run(source: Path, conf: Conf, target: Target, dry_run: bool = False) -> tuple[int, list[str]]:
    """Import the blog at ``source`` (settings ``conf``) into ``target``: the exit
    status (0: all imported fully, 1: not) and the report's lines."""
    posts, old = find_posts(source, conf)
    plan(posts, old, target)
    authors = new_authors(posts, conf, target)
    old.site_labels = set(ABLOG_LABELS)
    old.anchors = _anchors(posts, conf, target)
    old.drafts = {p.docname: "it has no date" for p in posts if p.kind == "md" and p.date is None}
    works = _works(posts, source, conf, target)
    target.bib_keys = set(works.keys)
    writes = _convert_all(posts, old, target, set(target.authors) | set(authors))
    rows = []
    for post in posts:
        row = Row(post.rel, None if post.skip else f"{post.new_docname}.md")
        row.reasons = ([post.skip] if post.skip else []) + post.reasons
        row.notes = list(post.notes)
        row.held = post.skip is None and post.held
        if row.held:
            fix = f"{len(post.lines)} line(s) to fix below" if post.lines else "fix what follows"
            draft = "a draft until then" if post.date is None else "`draft: true` until then"
            row.reasons.insert(0, f"the strict build fails on it: {draft}; {fix}")
        rows.append(row)
    used = {n for p in posts if p.skip is None for n in p.authors}
    authors = {n: v for n, v in authors.items() if n in used}
    lines = table(rows)
    to_fix = [
        f"{p.new_docname}.md:{line}: {what}"
        for p in sorted(posts, key=lambda p: p.new_docname)
        if p.skip is None
        for line, what in p.lines
    ]
    if to_fix:
        lines += ["", FIX_HEADER, *to_fix]
    conf_path = target.root / "conf.py"
    status = 0 if rows and all(r.complete for r in rows) else 1
    if conf.unreadable:
        # Computed settings keep ABlog's defaults here: posts may be missed.
        names = ", ".join(conf.unreadable)
        lines += ["", f"{source / 'conf.py'}: not plain values, so read as the defaults: {names}"]
        status = 1
    if conf.changed:
        # Read as first written: what code adds later is not seen.
        names = ", ".join(conf.changed)
        lines += [
            "",
            f"{source / 'conf.py'}: changed in code after it is set, so read as first "
            f"written: {names} (write what the code adds into the value itself, then import "
            "again)",
        ]
        status = 1
    if not posts and (unread := _unread_matches(source, conf)):
        lines += [
            "",
            f"{len(unread)} file(s) match blog_post_pattern but are not documents of the old "
            f"site as its conf.py reads ({', '.join(unread[:3])}"
            f"{', …' if len(unread) > 3 else ''}): a .md post needs myst_parser in extensions",
        ]
    edited = None
    if authors:
        edited = add_authors(conf_path.read_bytes(), authors)
        names = ", ".join(repr(n) for n in authors)
        if edited is None:
            entries = ", ".join(author_entry(n, v) for n, v in authors.items())
            lines += ["", f"conf.py: no blog_authors = {{...}} found: add {entries}"]
            status = 1
        else:
            verb = "would add" if dry_run else "added"
            lines += ["", f"conf.py: {verb} to blog_authors: {names}"]
    lines += _works_said(works, target.root, dry_run)
    if not dry_run:
        for path, data in writes:
            _write(path, data)
        if edited is not None:
            conf_path.write_bytes(edited)
        if works.text and works.path is not None:
            with works.path.open("ab") as bib:  # after what is there, never over it
                bib.write(works.text.encode(_encoding(target.conf).removesuffix("-sig")))
    lines += ["", summary(rows, dry_run) + (" (dry run: nothing written)" if dry_run else "")]
    return status, lines
