"""``blog``: the author's tools. ``blog new "Title"`` and ``blog check``.

Neither runs a Sphinx build. Both read the site's settings from ``conf.py``
(executed as Sphinx executes it, so ``SITE_TIMEZONE`` and friends apply) and the
posts' front matter with the same parser the build's draft filter uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..blog import checks
from ..blog.clashes import find_clashes
from ..blog.dates import (
    DIRECTIVE_DATE,
    check_timezone,
    now_in,
    parse_ablog_date,
    today_in,
    update_problem,
)
from ..blog.drafts import BROKEN_LINK, linked_post
from ..blog.frontmatter import BOM, authors_problem, name_problem, place_problem, size_problem
from ..blog.strays import RST_POST, stray_posts
from ..content.alt import alt_problems
from ..content.blocks import markup_problems
from ..publishing.confine import LINKED_POST, linked_folders, outside_links
from ..scholarship.license import license_problem
from ..scholarship.series_checks import site_problems as series_problems
from . import importer, newpost, sitechecks
from .newpost import slugify

DEFAULT_PATTERNS = ["posts/*/*"]


# -- Settings ------------------------------------------------------------------


@dataclass
class Site:
    root: Path
    timezone: str = "UTC"
    authors: dict[str, object] = field(default_factory=dict)
    default_author: str | None = None
    post_patterns: list[str] = field(default_factory=lambda: list(DEFAULT_PATTERNS))
    blog_path: str = "posts"
    include_patterns: list[str] = field(default_factory=lambda: ["**"])
    exclude_patterns: list[str] = field(default_factory=list)
    post_date_format: str = "%b %d, %Y"
    bibfiles: list[str] = field(default_factory=list)
    bibencoding: str = "utf-8-sig"
    html_images: bool = False  # MyST's html_image: an <img> of its own is an image
    dmath_digits: bool = True  # myst_dmath_allow_digits: is "$5 and $10" a formula

    def post_files(self) -> list[Path]:
        return list(sitechecks.post_files(self.root, self.post_patterns))


class UsageError(Exception):
    """A problem with the command line or the project, told to the user as is."""


def load_site(root: Path) -> Site:
    """The settings ``blog`` needs, from ``root/conf.py``."""
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    conf = root / "conf.py"
    if not conf.is_file():
        raise UsageError(f"{conf}: no conf.py here: run blog in the site's folder or pass --root")
    ns = eval_config_file(conf, Tags())
    authors = ns.get("blog_authors") or {}
    patterns = ns.get("blog_post_pattern") or DEFAULT_PATTERNS
    if isinstance(patterns, str):
        patterns = [patterns]
    timezone = str(ns.get("essayist_timezone") or "UTC").strip()
    if why := check_timezone(timezone):
        raise UsageError(f"{conf}: essayist_timezone (SITE_TIMEZONE): {why}")
    if why := authors_problem(ns.get("blog_authors") or {}):
        raise UsageError(f"{conf}: blog_authors: {why}")
    return Site(
        root=root,
        timezone=timezone,
        include_patterns=list(ns.get("include_patterns") or ["**"]),
        exclude_patterns=list(ns.get("exclude_patterns") or []),
        post_date_format=ns.get("post_date_format") or "%b %d, %Y",
        authors=dict(authors),
        default_author=ns.get("blog_default_author"),
        post_patterns=list(patterns),
        blog_path=ns.get("blog_path") or "posts",
        bibfiles=[str(name) for name in ns.get("bibtex_bibfiles") or ()],
        bibencoding=ns.get("bibtex_encoding") or "utf-8-sig",
        html_images="html_image" in (ns.get("myst_enable_extensions") or ()),
        dmath_digits=bool(ns.get("myst_dmath_allow_digits", True)),
    )


# -- blog new ------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    today = args.today or today_in(site.timezone)

    def check(text: str) -> list[str]:
        _, found = checks.check_post(
            text, site.authors, site.default_author, today, site.timezone, site.post_date_format
        )
        return [p.message for p in found if p.level != "note"]

    existing = [check_post(site, path, today)[1] for path in site.post_files()]
    try:
        post = newpost.plan_post(
            args.title,
            args.tags,
            args.category,
            args.draft,
            today=today,
            author=site.default_author,
            blog_path=site.blog_path,
            existing=existing,
            check=check,
        )
        newpost.write_post(site.root, post)
    except newpost.Refused as exc:
        raise UsageError(str(exc)) from None
    for note in post.notes:
        print(f"note: {note}", file=sys.stderr)
    print(post.rel)
    return 0


# -- blog check ----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    note: bool = False

    def __str__(self) -> str:
        kind = "note: " if self.note else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


def check_post(site: Site, path: Path, today: dt.date) -> tuple[list[Problem], dict]:
    """Problems in one post (the build's own checks), and what the cross-post
    checks need from it."""
    rel = path.relative_to(site.root).as_posix()
    info: dict = {"rel": rel, "slug": path.stem}
    if not path.exists():  # a link to nothing
        return [Problem(rel, 1, BROKEN_LINK.format(target=os.readlink(path)))], info
    if not path.resolve().is_relative_to(site.root.resolve()):
        return [Problem(rel, 1, LINKED_POST.format(target=path.resolve()))], info
    if why := linked_post(site.root, path, site.post_patterns):
        return [Problem(rel, 1, why)], info
    if why := name_problem(path.stem) or place_problem(rel):
        return [Problem(rel, 1, why)], info
    if path.suffix == ".rst":
        return [Problem(rel, 1, RST_POST)], info
    if why := size_problem(path.stat().st_size):
        return [Problem(rel, 1, why)], info  # never read: it may be anything
    try:
        text = path.read_text(encoding="utf-8").removeprefix(BOM)
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return [Problem(rel, line, UNDECODABLE)], info
    info["text"] = text
    front, found = checks.check_post(
        text, site.authors, site.default_author, today, site.timezone, site.post_date_format
    )
    if front is not None:
        info.update(checks.post_terms(front))
    problems = [Problem(rel, p.line or 1, p.message, p.level == "note") for p in found]
    found = markup_problems(text, site.dmath_digits) + alt_problems(text, site.html_images)
    problems += [Problem(rel, line, why) for line, why in sorted(found)]
    if (
        front is not None
        and "license" in front.data
        and (why := license_problem(front.data["license"]))
    ):
        # As the build says it (scholarship.license).
        problems.append(
            Problem(rel, front.lines.get("license", 1), f"{why}; the site's license is used")
        )
    for line, date in update_dates(text):
        moment = parse_ablog_date(date, site.post_date_format)
        if moment is None:
            why = f"update: date {date!r} cannot be read: {DIRECTIVE_DATE}"
            problems.append(Problem(rel, line, why))
        elif why := update_problem(moment, None, today):
            problems.append(Problem(rel, line, why))  # as the build says it
    return problems, info


UNDECODABLE = "not UTF-8 text: save the file as UTF-8 (in your editor: Save with Encoding)"
_UPDATE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\{update\}\s*(.*?)\s*$")


def update_dates(text: str) -> list[tuple[int, str]]:
    """(1-based line, date) of every ``{update}`` directive in MyST ``text``."""
    return [
        (number, m.group(1))
        for number, line in enumerate(text.splitlines(), start=1)
        if (m := _UPDATE.match(line))
    ]


def written_pages(site: Site, infos: list[dict]) -> set[str]:
    """The lists of posts the build writes (ABlog's pages: each tag's,
    category's, author's and year's, and their catalogues), by name."""
    from ..blog.adapter import slugify as term_slug

    bp = site.blog_path
    pages = {bp, *(f"{bp}/{p}" for p in ("archive", "drafts", "tag", "category", "author"))}
    for info in infos:
        for key_name, folder in (("tags", "tag"), ("category", "category")):
            pages |= {f"{bp}/{folder}/{term_slug(t)}" for t, _ in info.get(key_name, [])}
        for key, _ in info.get("author", []) or [(site.default_author, None)]:
            full = site.authors.get(key, (key, None))[0] if key else None
            pages |= {f"{bp}/author/{term_slug(str(full))}"} if full else set()
        if year := re.match(r"[^/]+/([0-9]{4})/", info["rel"]):
            pages.add(f"{bp}/{year[1]}")
    return pages


def site_documents(site: Site) -> set[str]:
    """The site's documents (docnames), as the build finds them."""
    from sphinx.util.matching import Matcher

    included, excluded = Matcher(site.include_patterns), Matcher(site.exclude_patterns)
    docs = set()
    for folder, dirs, files in os.walk(site.root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not excluded((here / d).relative_to(site.root).as_posix())]
        for name in files:
            rel = (here / name).relative_to(site.root).as_posix()
            if name.endswith((".md", ".rst")) and included(rel) and not excluded(rel):
                docs.add(rel.rsplit(".", 1)[0])
    return docs


def check_site(site: Site, today: dt.date) -> list[Problem]:
    """Every problem in every post, in file and line order."""
    problems: list[Problem] = []
    infos = []
    for path in site.post_files():
        found, info = check_post(site, path, today)
        problems += found
        infos.append(info)
    by_docname = {info["rel"].rsplit(".", 1)[0]: info for info in infos}
    pages = site_documents(site) | written_pages(site, infos)
    for docname, line, message, _ in find_clashes(by_docname, pages):
        problems.append(Problem(by_docname[docname]["rel"], line or 1, message))
    found = sitechecks.concepts(site.root, infos)
    found += sitechecks.citations(site.root, site.bibfiles, site.bibencoding, infos)
    found += sitechecks.images(site.root, infos)
    problems += [Problem(*f) for f in found]
    problems += [Problem(*found) for found in series_problems(infos)]
    problems += check_other_pages(site)
    links = linked_folders(site.root, site.exclude_patterns)
    problems += [Problem(rel, 1, m) for rel, m in outside_links(links, site.include_patterns)]
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def check_other_pages(site: Site) -> list[Problem]:
    """Pages written as posts that the site would not publish as posts: the
    build reports the same."""
    problems = []
    posts = {p.relative_to(site.root).as_posix() for p in site.post_files()}
    for docname in sorted(site_documents(site)):
        rel = next(
            (f"{docname}{s}" for s in (".md", ".rst") if (site.root / f"{docname}{s}").is_file()),
            None,
        )
        if rel is None or rel in posts:
            continue
        try:
            text = (site.root / rel).read_text(encoding="utf-8").removeprefix(BOM)
        except (OSError, UnicodeDecodeError):
            continue
        for p in checks.check_page_outside_posts(text):
            problems.append(Problem(rel, p.line or 1, p.message))
    found = stray_posts(site.root, site.include_patterns, site.exclude_patterns, site.post_patterns)
    problems += [Problem(rel, line, message) for rel, line, message in found]
    return problems


def cmd_check(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    # As the build: a post with a time is due from that time (``--today``: all day).
    problems = check_site(site, args.today or now_in(site.timezone))
    for problem in problems:
        print(problem)
    errors = [p for p in problems if not p.note]
    count = len(list(site.post_files()))
    if errors:
        print(f"{len(errors)} problem(s) in {count} post(s)", file=sys.stderr)
        return 1
    print(f"{count} post(s) checked, no problems")
    return 0


# -- blog import ---------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    """Move an old ABlog blog's posts here; status 2 for a usage error."""
    try:
        old_conf = importer.read_old_conf(args.path.resolve())
        site = load_site(args.root)
        today = args.today or today_in(site.timezone)
        target = importer.target_for(site, today, slugify, newpost.yaml_scalar)
    except (UsageError, importer.BadSource) as exc:
        print(f"blog: {exc}", file=sys.stderr)
        return 2
    status, lines = importer.run(args.path.resolve(), old_conf, target, dry_run=args.dry_run)
    print("\n".join(lines))
    return status


# -- Entry point ---------------------------------------------------------------


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: write YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="blog", description="Write and check essays.")
    root_help = "the site's folder, with conf.py (default: the current folder)"
    parser.add_argument("--root", type=Path, default=Path("."), help=root_help)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # --root is accepted after the command too: blog check --root site/
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS, help=root_help)

    new = sub.add_parser("new", parents=[common], help="start a new post: posts/YYYY/<slug>.md")
    new.add_argument("title", help='the title, quoted: blog new "On Proxies"')
    new.add_argument("--tags", help="comma-separated: --tags alignment,interpretability")
    new.add_argument("--category", help="one category: --category Alignment")
    new.add_argument("--draft", action="store_true", help="mark it 'draft: true'")
    new.add_argument("--today", type=_day, help=argparse.SUPPRESS)  # tests: YYYY-MM-DD
    new.set_defaults(func=cmd_new)

    check = sub.add_parser(
        "check", parents=[common], help="validate every post without building the site"
    )
    check.add_argument("--today", type=_day, help=argparse.SUPPRESS)  # tests: YYYY-MM-DD
    check.set_defaults(func=cmd_check)

    imp = sub.add_parser(
        "import", parents=[common], help="move an old Sphinx + ABlog blog's posts into this site"
    )
    imp.add_argument("path", type=Path, help="the old blog's folder, with its conf.py")
    imp.add_argument("--dry-run", action="store_true", help="report only: write nothing")
    imp.add_argument("--today", type=_day, help=argparse.SUPPRESS)  # tests: YYYY-MM-DD
    imp.set_defaults(func=cmd_import)
    return parser


def _utf8_mode(argv: list[str] | None) -> None:
    """Run again in Python's UTF-8 mode when the locale is not UTF-8 (LC_ALL=C
    with PYTHONUTF8=0): a title or file name with an accent was read as
    undecodable bytes, and writing the post failed."""
    if argv is not None or sys.getfilesystemencoding().lower().replace("-", "") == "utf8":
        return
    os.environ["PYTHONUTF8"] = "1"
    os.execv(sys.executable, [sys.executable, "-m", "essayist.tools.cli", *sys.argv[1:]])


def main(argv: list[str] | None = None) -> int:
    _utf8_mode(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"blog: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
