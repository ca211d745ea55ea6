"""Generate a synthetic blog of N essays for the build benchmark.

Deterministic: the same seed and N give the same files, byte for byte. Each essay
is about 1,200 words of MyST Markdown in this project's own format
(``posts/YYYY/<slug>.md`` with ABlog front matter), with ``##`` headings,
paragraphs, lists, footnotes, ``{doc}`` links to other essays and, when the site
has the ``{concept}`` role, concept references.

Two projects are written from the same essays:

* ``site``: the real project (``conf.py``, ``index.md``, ``docs/``, ``_templates/``,
  ``_static/``) with the generated essays in place of ``posts/``: every feature on;
* ``baseline``: plain Sphinx + MyST + Furo, no blog extension. Essays carry only
  ``orphan: true`` as front matter (so, as in the site, they are in no toctree and
  not in Furo's sidebar), concept roles become plain text, and ``index.md`` links
  to every essay in a list, as the site's "All posts" page does.

Usage: ``python benchmarks/generate.py --n 300 --out benchmarks/_work/n300``.
Not imported by the site or its tests (except the determinism test).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SEED = 20261126
AUTHOR = "Perucy Mussiba"

CATEGORIES = ["Alignment", "Interpretability", "Governance", "Evaluation", "Philosophy"]
TAGS = [
    "alignment", "AI safety", "specification", "interpretability", "reward hacking",
    "RLHF", "Goodhart", "deception", "evaluation", "oversight", "scaling",
    "governance", "policy", "ethics", "robustness", "generalisation", "agency",
    "corrigibility", "mesa-optimisation", "value learning", "forecasting",
    "language models", "benchmarks", "red teaming", "transparency", "incentives",
    "decision theory", "cooperation", "uncertainty", "epistemics",
]  # fmt: skip
assert len(TAGS) == 30 and len(set(TAGS)) == 30

# Names a concept page may carry; only those the site defines are used as roles.
CONCEPT_CANDIDATES = [
    "Goodhart's Law", "specification problem", "outer misalignment",
    "inner misalignment", "RLHF", "interpretability", "reward function",
    "proxy objective", "reward hacking", "mesa-optimisation",
]  # fmt: skip

START = dt.date(2016, 1, 1)
END = dt.date(2025, 12, 31)  # ten years, all in the past: no post is "scheduled"

_SUBJECTS = [
    "a reward model", "the training signal", "an optimiser", "a language model",
    "the overseer", "a learned policy", "the evaluator", "a capable system",
    "the specification", "the benchmark", "a proxy metric", "the deployment",
    "an autonomous agent", "the fine-tuning process", "human feedback",
    "the loss function", "a careful researcher", "the lab", "a regulator",
    "the red team", "an interpretability probe", "the auditor", "the user",
]  # fmt: skip
_VERBS = [
    "rewards", "obscures", "amplifies", "reveals", "misreads", "approximates",
    "generalises", "exploits", "constrains", "measures", "overlooks", "shapes",
    "distorts", "predicts", "encodes", "tolerates", "inherits", "anticipates",
]  # fmt: skip
_OBJECTS = [
    "what we actually care about", "the intended behaviour", "the edge cases",
    "a subtle shortcut", "the distribution shift", "the designer's intent",
    "an unstated assumption", "the easy-to-measure part", "long-horizon goals",
    "the situations training never covered", "a plausible-looking answer",
    "the cost of being wrong", "what people would reflectively endorse",
    "the failure nobody wrote down", "honest uncertainty", "the proxy",
    "its own internal representation", "the limits of oversight",
]  # fmt: skip
_OPENERS = [
    "In practice,", "Put simply,", "More worryingly,", "On reflection,",
    "Historically,", "At small scale,", "Under pressure,", "Seen from outside,",
    "For now,", "In the best case,", "Even so,", "Perhaps surprisingly,",
    "Taken together,", "As capabilities grow,", "By construction,",
]  # fmt: skip
_CLAUSES = [
    "and that gap is where most of the trouble lives",
    "which is easy to miss when every metric looks healthy",
    "so the question is less what it does than why",
    "although nobody designed it to behave that way",
    "because the data rarely covers the cases that matter",
    "and the cost appears only after deployment",
    "which makes the failure quiet rather than dramatic",
    "even when everyone involved means well",
    "and so careful evaluation has to look past the score",
    "which is exactly what the incentives reward",
]  # fmt: skip
_ADJ = [
    "Quiet", "Hidden", "Honest", "Narrow", "Brittle", "Careful", "Uncertain",
    "Robust", "Deceptive", "Slow", "Partial", "Shared", "Measured", "Open",
    "Invisible", "Fragile", "Patient", "Reluctant", "Cheap", "Costly",
]  # fmt: skip
_NOUNS = [
    "Proxies", "Objectives", "Overseers", "Benchmarks", "Incentives", "Rewards",
    "Evaluations", "Shortcuts", "Agents", "Preferences", "Specifications",
    "Models", "Audits", "Promises", "Failures", "Signals", "Feedback", "Limits",
    "Values", "Guarantees", "Mirrors", "Maps",
]  # fmt: skip
_THEMES = [
    "the Alignment Problem", "Human Feedback", "Scalable Oversight",
    "Interpretability", "Reward Design", "Evaluation", "Deployment",
    "Governance", "Generalisation", "Honesty", "Trust", "Optimisation",
]  # fmt: skip
_HEADINGS = [
    "The core tension", "Why it is harder than it sounds", "Two failure modes",
    "What the numbers hide", "A worked example", "Where the proxy breaks",
    "What oversight can catch", "An objection", "Reading the evidence",
    "What would change my mind", "The cost of getting it wrong",
    "A more careful framing", "What the literature says", "Open questions",
    "Where does that leave us?", "Practical consequences", "Back to basics",
]  # fmt: skip


@dataclass
class Post:
    index: int
    date: dt.date
    slug: str
    title: str
    category: str
    tags: list[str]
    # Generated body, with ``{concept}`` roles and ``{doc}`` links.
    body: str = ""
    concepts: list[str] = field(default_factory=list)

    @property
    def docname(self) -> str:
        return f"posts/{self.date.year}/{self.slug}"

    @property
    def path(self) -> str:
        return f"{self.docname}.md"


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def site_concepts(project: Path = PROJECT) -> list[str]:
    """Concept names the project defines, when its ``{concept}`` role exists.

    The role must exist (``essayist.concepts`` in the project or importable) and a page
    (``docs/concepts/*.md``, first ``# `` heading) must name it; otherwise ``[]``.
    """
    if not (project / "src" / "essayist" / "concepts.py").exists():
        try:
            if importlib.util.find_spec("essayist.concepts") is None:
                return []
        except ImportError:
            return []
    titles = {}
    for page in sorted((project / "docs" / "concepts").glob("*.md")):
        if page.stem == "index":
            continue
        m = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.M)
        if m:
            titles[_fold(m.group(1))] = m.group(1).strip()
    return [titles[_fold(c)] for c in CONCEPT_CANDIDATES if _fold(c) in titles]


def _fold(text: str) -> str:
    return text.replace("\u2019", "'").strip().lower()


def _sentence(rng: random.Random) -> str:
    words = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    if rng.random() < 0.5:
        words = f"{rng.choice(_OPENERS)} {words}"
    if rng.random() < 0.6:
        words = f"{words}, {rng.choice(_CLAUSES)}"
    return words[0].upper() + words[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> list[str]:
    return [_sentence(rng) for _ in range(sentences)]


def plan_posts(n: int, seed: int = SEED) -> list[Post]:
    """Dates, titles, slugs, categories and tags of ``n`` essays (plus one spare).

    The spare (index ``n``) is the essay the benchmark adds; the first ``n`` do
    not link to it.
    """
    rng = random.Random(seed)
    span = (END - START).days
    posts, slugs = [], set()
    for i in range(n + 1):
        date = START + dt.timedelta(days=rng.randrange(span + 1))
        title = f"{rng.choice(_ADJ)} {rng.choice(_NOUNS)} and {rng.choice(_THEMES)}"
        slug = slugify(title)
        while slug in slugs:
            slug = f"{slugify(title)}-{len(slugs)}"
        slugs.add(slug)
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        tags = rng.sample(TAGS, rng.randint(2, 5))
        posts.append(Post(i, date, slug, title, category, tags))
    return posts


def write_body(post: Post, others: list[Post], concepts: list[str], rng: random.Random) -> str:
    """An essay of about 1,200 words: intro, five or six sections, footnotes."""
    out: list[str] = []
    links = rng.sample(others, min(3, len(others)))
    used = rng.sample(concepts, min(len(concepts), rng.randint(2, 4))) if concepts else []
    post.concepts = used
    footnotes: list[str] = []

    def para(sentences: int) -> str:
        parts = _paragraph(rng, sentences)
        # Concepts, links and footnotes go into the paragraph's middle sentences.
        if used and rng.random() < 0.5:
            name = rng.choice(used)
            parts[1 % len(parts)] += f" This is {{concept}}`{name}` at work."
        if links and rng.random() < 0.3:
            other = rng.choice(links)
            parts[-1] += (
                f" I made a related argument in {{doc}}`{other.title.lower()} </{other.docname}>`."
            )
        if len(footnotes) < 3 and rng.random() < 0.25:
            footnotes.append(" ".join(_paragraph(rng, 2)))
            parts[0] = parts[0][:-1] + f"[^{len(footnotes)}]."
        return " ".join(parts)

    out.append(para(4))
    out.append(para(4))
    headings = rng.sample(_HEADINGS, rng.randint(4, 6))
    for h, heading in enumerate(headings):
        out.append(f"## {heading}")
        for _ in range(rng.randint(2, 3)):
            out.append(para(rng.randint(3, 6)))
        if h % 2 == 0:
            marker = "-" if rng.random() < 0.6 else "1."
            out.append("\n".join(f"{marker} {_sentence(rng)}" for _ in range(rng.randint(3, 5))))
            out.append(para(3))
    # Every essay links to at least one other, and names each concept at least once.
    if links:
        out.append(
            "See also "
            + ", ".join(f"{{doc}}`/{o.docname}`" for o in links)
            + " for the rest of the argument."
        )
    if used:
        out.append("The ideas at stake here: " + ", ".join(f"{{concept}}`{c}`" for c in used) + ".")
    for k, note in enumerate(footnotes, start=1):
        out.append(f"[^{k}]: {note}")
    return "\n\n".join(out) + "\n"


def generate_posts(n: int, seed: int = SEED, concepts: list[str] | None = None) -> list[Post]:
    """``n + 1`` essays with bodies; the last is the spare the benchmark adds."""
    posts = plan_posts(n, seed)
    concepts = concepts or []
    for post in posts:
        rng = random.Random(f"{seed}-{post.index}")
        others = [p for p in posts[:n] if p.index != post.index]
        post.body = write_body(post, others, concepts, rng)
    return posts


def site_source(post: Post, tags: list[str] | None = None) -> str:
    tags = post.tags if tags is None else tags
    return (
        "---\n"
        f"date: {post.date.isoformat()}\n"
        f"author: {AUTHOR}\n"
        f"category: {post.category}\n"
        f"tags: {', '.join(tags)}\n"
        "---\n\n"
        f"# {post.title}\n\n{post.body}"
    )


_CONCEPT_ROLE = re.compile(r"\{concept\}`([^`<]*?)(?:\s*<[^>]*>)?`")


def baseline_source(post: Post) -> str:
    body = _CONCEPT_ROLE.sub(lambda m: m.group(1), post.body)
    return f"---\norphan: true\n---\n\n# {post.title}\n\n{body}"


BASELINE_CONF = '''"""Plain Sphinx + MyST + Furo: the baseline of the build benchmark."""

project = "Perucy Mussiba"
author = "Perucy Mussiba"
copyright = "2026, Perucy Mussiba"
language = "en"
extensions = ["myst_parser"]
exclude_patterns = ["_build"]
nitpicky = True
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
html_theme = "furo"
html_title = "Perucy Mussiba"
html_copy_source = False
html_show_sourcelink = False
'''


def baseline_index(posts: list[Post]) -> str:
    lines = ["# Perucy Mussiba", "", "Essays on AI alignment.", "", "## All posts", ""]
    for p in sorted(posts, key=lambda p: (p.date, p.docname), reverse=True):
        lines.append(f"- {{doc}}`/{p.docname}` ({p.date:%B %Y})")
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_site(out: Path, posts: list[Post], project: Path = PROJECT) -> None:
    """The real project with ``posts`` (all but the spare) in place of its own."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("conf.py", "index.md", "references.bib"):
        if (project / name).exists():  # conf.py names references.bib
            shutil.copy2(project / name, out / name)
    for name in ("docs", "_templates", "_static"):
        if (project / name).is_dir():
            shutil.copytree(project / name, out / name)
        else:
            (out / name).mkdir()
    for post in posts[:-1]:
        _write(out / post.path, site_source(post))


def write_baseline(out: Path, posts: list[Post]) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _write(out / "conf.py", BASELINE_CONF)
    _write(out / "index.md", baseline_index(posts[:-1]))
    for post in posts[:-1]:
        _write(out / post.path, baseline_source(post))


HUGO_CONFIG = """baseURL = "https://perucymussiba.github.io/essays/"
title = "Perucy Mussiba"
locale = "en"
disableKinds = ["sitemap", "robotsTXT"]

[taxonomies]
tag = "tags"
category = "categories"
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}
<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head><body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<nav><ul>{{ range site.Taxonomies.categories }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "January 2006" }} · {{ .Params.author }} · {{ .ReadingTime }} min read</p>
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Pages.GroupByDate "2006" }}<h2>{{ .Key }}</h2><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}
</ul>{{ end }}{{ end }}
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><ul>
{{ range first 10 (where site.RegularPages "Section" "posts") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}
</ul>{{ end }}
""",
}

_DOC_ROLE = re.compile(r"\{doc\}`(?:([^`<]*?)\s*<)?/?([^`>]+)>?`")


def hugo_source(post: Post, titles: dict[str, str]) -> str:
    """The essay for Hugo: YAML front matter, Markdown links checked by ``ref``."""

    def link(m: re.Match) -> str:
        text, target = m.group(1), m.group(2).strip()
        return f'[{text or titles[target]}]({{{{< ref "/{target}.md" >}}}})'

    body = _CONCEPT_ROLE.sub(lambda m: m.group(1), post.body)
    body = _DOC_ROLE.sub(link, body)
    tags = ", ".join(json.dumps(t) for t in post.tags)
    return (
        f"---\ntitle: {json.dumps(post.title)}\ndate: {post.date.isoformat()}\n"
        f"author: {AUTHOR}\ncategories: [{json.dumps(post.category)}]\ntags: [{tags}]\n---\n\n"
        f"{body}"
    )


def write_hugo(out: Path, posts: list[Post]) -> None:
    """The same essays as a Hugo site with minimal templates (for a peer figure)."""
    if out.exists():
        shutil.rmtree(out)
    titles = {p.docname: p.title for p in posts}
    _write(out / "hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        _write(out / "layouts" / name, text)
    for post in posts[:-1]:
        _write(out / "content" / post.path, hugo_source(post, titles))


MKDOCS_CONFIG = """site_name: Perucy Mussiba
site_url: https://perucymussiba.github.io/essays/
theme:
  name: material
plugins:
  - search
  - blog
  - tags
markdown_extensions:
  - footnotes
"""


def mkdocs_source(post: Post, titles: dict[str, str]) -> str:
    """The essay for mkdocs-material's blog: its front matter (date, categories,
    tags), an excerpt marker after the first paragraph, relative Markdown links."""
    folder = Path(post.docname).parent

    def link(m: re.Match) -> str:
        text, target = m.group(1), m.group(2).strip()
        rel = Path(os.path.relpath(f"{target}.md", folder)).as_posix()
        return f"[{text or titles[target]}]({rel})"

    body = _CONCEPT_ROLE.sub(lambda m: m.group(1), post.body)
    body = _DOC_ROLE.sub(link, body)
    first, _, rest = body.partition("\n\n")
    body = f"# {post.title}\n\n{first}\n\n<!-- more -->\n\n{rest}"
    tags = "".join(f"  - {json.dumps(t)}\n" for t in post.tags)
    return (
        f"---\ndate: {post.date.isoformat()}\ncategories:\n  - {json.dumps(post.category)}\n"
        f"tags:\n{tags}---\n\n{body}"
    )


def write_mkdocs(out: Path, posts: list[Post]) -> None:
    """The same essays as a mkdocs-material blog (for a peer figure): posts under
    ``docs/blog/posts/<year>/``, with the blog, tags and search plugins."""
    if out.exists():
        shutil.rmtree(out)
    titles = {p.docname: p.title for p in posts}
    _write(out / "mkdocs.yml", MKDOCS_CONFIG)
    _write(out / "docs" / "index.md", "# Perucy Mussiba\n\nEssays on AI alignment.\n")
    _write(out / "docs" / "blog" / "index.md", "# Blog\n")
    for post in posts[:-1]:
        _write(out / "docs" / "blog" / f"{post.path}", mkdocs_source(post, titles))


def generate(
    out: Path, n: int, seed: int = SEED, concepts: bool | None = None
) -> tuple[list[Post], list[str]]:
    """Write ``out/site`` and ``out/baseline``; return the posts and concepts used.

    ``concepts``: ``None`` uses them when the site defines the role, ``False`` never.
    """
    names = site_concepts() if concepts is not False else []
    if concepts and not names:
        raise SystemExit("--concepts on: essayist.concepts or docs/concepts/*.md is missing")
    posts = generate_posts(n, seed, names)
    write_site(out / "site", posts)
    write_baseline(out / "baseline", posts)
    return posts, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="number of essays")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=PROJECT / "benchmarks" / "_work" / "gen")
    parser.add_argument("--concepts", choices=["auto", "on", "off"], default="auto")
    args = parser.parse_args(argv)
    flag = {"auto": None, "on": True, "off": False}[args.concepts]
    posts, names = generate(args.out, args.n, args.seed, flag)
    words = sum(len(p.body.split()) for p in posts[:-1]) / max(1, args.n)
    print(
        f"{args.n} essays ({words:.0f} words each on average) in {args.out}/site and "
        f"{args.out}/baseline; concept roles: {', '.join(names) or 'off'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
