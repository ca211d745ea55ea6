"""``blog``: the author's tools. ``blog new "Title"`` and ``blog check``.

Neither runs a Sphinx build. Both read the site's settings from ``conf.py``
(executed as Sphinx executes it, so ``SITE_TIMEZONE`` and friends apply) and the
posts' front matter with the same parser the build's draft filter uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .frontmatter import FrontMatterError, parse_date, split_front_matter, split_list, today_in

DEFAULT_PATTERNS = ["posts/*/*"]
_HEADING = re.compile(r"^#\s+(\S.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# Characters that would make a poor tag or category: they end up in file names
# and URLs (``posts/tag/<slug>.html``) and in YAML.
_BAD_TERM = re.compile(r"[/\\#<>{}\[\]|\"`\n]")
MAX_TERM = 40


# -- Settings ------------------------------------------------------------------


@dataclass
class Site:
    root: Path
    timezone: str = "UTC"
    authors: dict[str, object] = field(default_factory=dict)
    default_author: str | None = None
    post_patterns: list[str] = field(default_factory=lambda: list(DEFAULT_PATTERNS))
    blog_path: str = "posts"


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
    return Site(
        root=root,
        timezone=ns.get("essayist_timezone") or "UTC",
        authors=dict(authors),
        default_author=ns.get("blog_default_author"),
        post_patterns=list(patterns),
        blog_path=ns.get("blog_path") or "posts",
    )


# -- blog new ------------------------------------------------------------------


def slugify(title: str) -> str:
    """``"What Does It Mean?"`` -> ``"what-does-it-mean"`` (ASCII, hyphens)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it reads back the same, else quoted."""
    try:
        if yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


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
        lines.append(f"author: {_yaml_scalar(author)}")
    if category:
        lines.append(f"category: {_yaml_scalar(category)}")
    if tags:
        lines.append(f"tags: {_yaml_scalar(', '.join(tags))}")
    if draft:
        lines.append("draft: true")
    lines += ["---", "", f"# {title}", "", ""]
    return "\n".join(lines)


def cmd_new(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    title = " ".join(args.title.split())
    slug = slugify(title)
    if not slug:
        raise UsageError(
            f"cannot make a file name from the title {title!r}: use some Latin letters"
        )
    tags = split_list(args.tags)
    category = args.category.strip() if args.category else None
    for term in [*tags, *([category] if category else [])]:
        if problem := term_problem(term):
            raise UsageError(f"{term!r}: {problem}")
    today = today_in(site.timezone)
    rel = Path(site.blog_path) / str(today.year) / f"{slug}.md"
    path = site.root / rel
    text = post_text(title, today, site.default_author, tags, category, args.draft)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise UsageError(
            f"{rel.as_posix()} already exists: edit it, or give the new post another title"
        ) from None
    print(rel.as_posix())
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


def term_problem(term: str) -> str | None:
    """Why ``term`` is not a usable tag or category, or ``None``."""
    if not term.strip():
        return "is empty"
    if _BAD_TERM.search(term):
        return 'contains a character that cannot go in a URL or YAML (/ \\ # < > { } [ ] | " `)'
    if len(term) > MAX_TERM:
        return f"is longer than {MAX_TERM} characters"
    if not slugify(term):
        return "has no letters or digits"
    return None


def find_title(lines: list[str], start: int) -> tuple[str, int] | None:
    """The first ``# Heading`` outside code fences, and its 1-based line."""
    fence = None
    for number, line in enumerate(lines[start - 1 :], start=start):
        m = _FENCE.match(line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is None and (h := _HEADING.match(line)):
            return h.group(1), number
    return None


def post_files(site: Site) -> Iterator[Path]:
    seen = set()
    for pattern in site.post_patterns:
        for path in sorted(site.root.glob(pattern)):
            if path.is_file() and path.suffix == ".md" and path not in seen:
                seen.add(path)
                yield path


def _terms(
    value: object, key: str, rel: str, line: int, problems: list[Problem]
) -> list[tuple[str, int]]:
    if value is None:
        return []
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value)
    ):
        problems.append(Problem(rel, line, f"{key}: write a comma-separated list of words"))
        return []
    raw = value if isinstance(value, list) else str(value).split(",")
    found = []
    for item in raw:
        term = str(item).strip()
        # ``tags: alpha, "Gamma & Delta"``: an item may be quoted.
        if len(term) >= 2 and term[0] == term[-1] and term[0] in "\"'":
            term = term[1:-1].strip()
        if problem := term_problem(term):
            shown = f"{key}: {term!r} {problem}" if term else f"{key}: one of them is empty"
            problems.append(Problem(rel, line, shown))
        else:
            found.append((term, line))
    return found


def check_post(site: Site, path: Path, today: dt.date) -> tuple[list[Problem], dict]:
    """Problems in one post, and what the cross-post checks need from it."""
    rel = path.relative_to(site.root).as_posix()
    problems: list[Problem] = []
    info: dict = {"rel": rel, "slug": path.stem, "terms": []}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [Problem(rel, 1, "not UTF-8 text: save the file as UTF-8")], info
    info["text"] = text
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        return [Problem(rel, exc.line, str(exc))], info
    data, where = front.data, front.lines

    draft = data.get("draft")
    if draft is not None and not isinstance(draft, bool):
        problems.append(Problem(rel, where.get("draft", 1), "draft: write 'true' or 'false'"))
    try:
        date = parse_date(data.get("date"))
    except ValueError as exc:
        problems.append(Problem(rel, where.get("date", 1), str(exc)))
        date = dt.date.min
    if date is None:
        problems.append(Problem(rel, 1, "no date: this post is a draft until it has one", True))
    elif draft is True:
        problems.append(Problem(rel, where["draft"], "draft: true: not published", True))
    elif date > today:
        problems.append(
            Problem(rel, where["date"], f"scheduled: published on {date.isoformat()}", True)
        )
    for key in ("update",):
        if key in data:
            try:
                parse_date(data[key])
            except ValueError as exc:
                problems.append(Problem(rel, where.get(key, 1), f"{key}: {exc}"))

    authors = split_list(data.get("author"))
    if not authors and not site.default_author:
        problems.append(
            Problem(rel, 1, "no author, and conf.py sets no blog_default_author: add 'author:'")
        )
    for name in authors:
        if name not in site.authors:
            known = ", ".join(sorted(site.authors)) or "none"
            problems.append(
                Problem(
                    rel,
                    where.get("author", 1),
                    f"unknown author {name!r}: add it to blog_authors in conf.py (known: {known})",
                )
            )

    for key in ("tags", "category"):
        for term, line in _terms(data.get(key), key, rel, where.get(key, 1), problems):
            info["terms"].append((key, term, line))

    lines = text.splitlines()
    title = data.get("title")
    if (
        not (isinstance(title, str) and title.strip())
        and find_title(lines, front.body_line) is None
    ):
        problems.append(
            Problem(rel, front.body_line, "no title: start the post with a '# Title' line")
        )
    return problems, info


def check_concepts(site: Site, infos: list[dict]) -> list[Problem]:
    """Every ``{concept}`` reference names a concept the site defines."""
    try:
        from .concepts import (
            closest_concepts,
            did_you_mean,
            find_concept_refs,
            load_concepts,
            normalize_concept_name,
        )
    except ImportError:
        return []
    known = load_concepts(site.root)
    problems = []
    for info in infos:
        for line, target in find_concept_refs(info.get("text", "")):
            if normalize_concept_name(target) in known:
                continue
            hint = did_you_mean(closest_concepts(target, known))
            message = f"unknown concept {target!r}" + (f": {hint}" if hint else "")
            problems.append(Problem(info["rel"], line, message))
    return problems


def check_site(site: Site, today: dt.date) -> list[Problem]:
    """Every problem in every post, in file and line order."""
    problems: list[Problem] = []
    infos = []
    for path in post_files(site):
        found, info = check_post(site, path, today)
        problems += found
        infos.append(info)

    by_slug: dict[str, str] = {}
    spelled: dict[tuple[str, str], tuple[str, str]] = {}
    for info in infos:
        first = by_slug.setdefault(info["slug"], info["rel"])
        if first != info["rel"]:
            problems.append(
                Problem(
                    info["rel"],
                    1,
                    f"the slug {info['slug']!r} is also used by {first}: rename one of them",
                )
            )
        for key, term, line in info["terms"]:
            spelling = spelled.setdefault((key, slugify(term)), (term, info["rel"]))
            if spelling[0] != term:
                problems.append(
                    Problem(
                        info["rel"],
                        line,
                        f"{key}: {term!r} is written {spelling[0]!r} in {spelling[1]}: "
                        "use one spelling",
                    )
                )
    problems += check_concepts(site, infos)
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def cmd_check(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    today = dt.date.fromisoformat(args.today) if args.today else today_in(site.timezone)
    problems = check_site(site, today)
    for problem in problems:
        print(problem)
    errors = [p for p in problems if not p.note]
    count = len(list(post_files(site)))
    if errors:
        print(f"{len(errors)} problem(s) in {count} post(s)", file=sys.stderr)
        return 1
    print(f"{count} post(s) checked, no problems", file=sys.stderr)
    return 0


# -- Entry point ---------------------------------------------------------------


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
    new.set_defaults(func=cmd_new)

    check = sub.add_parser(
        "check", parents=[common], help="validate every post without building the site"
    )
    check.add_argument("--today", help=argparse.SUPPRESS)  # tests: YYYY-MM-DD
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
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
