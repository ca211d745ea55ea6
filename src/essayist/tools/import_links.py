"""Where an old post's links, images and references lead once it is moved.

A link to another imported post becomes a link to its new file; a link to a
page that is not imported becomes an absolute link to the old site; an image
or a file the post uses is copied next to it (``posts/<year>/<slug>/``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from ..blog.frontmatter import markdown_text
from .import_conf import Conf
from .import_myst import role_parts

_SCHEME = re.compile(r"^[A-Za-z][\w+.-]*:")


@dataclass
class OldSite:
    """What every post's links need to know about the old blog and the move."""

    root: Path
    conf: Conf
    docs: dict[str, str]  # old docname -> its source file, relative to root
    moved: dict[str, str] = field(default_factory=dict)  # old docname -> new docname
    labels: dict[str, str] = field(default_factory=dict)  # label -> old docname
    titles: dict[str, str] = field(default_factory=dict)  # old docname -> title
    # Labels the site has (ABlog's own), kept as they are.
    site_labels: set[str] = field(default_factory=set)
    # Old docnames of posts that are drafts here -> why ("it has no date").
    drafts: dict[str, str] = field(default_factory=dict)
    # An imported post's anchors: (with the site's heading depth, with the old one).
    anchors: Callable[[str], tuple[set[str], set[str]]] | None = None

    def url(self, docname: str, fragment: str = "") -> str | None:
        base = self.conf.baseurl
        if base is None:
            return None
        return f"{base}{docname}.html" + (f"#{fragment}" if fragment else "")

    def docname_of(self, rel: str) -> str | None:
        """The old document at ``rel`` (written with or without its suffix, or as
        ``.html``), or None."""
        rel = rel.rstrip("/")
        for suffix in [*self.conf.suffixes, ".html"]:
            if rel.endswith(suffix) and rel[: -len(suffix)] in self.docs:
                return rel[: -len(suffix)]
        if rel in self.docs:
            return rel
        index = posixpath.join(rel, "index") if rel else "index"
        return index if index in self.docs else None


class Links:
    """Rewrites the links of one post, and collects the files it uses."""

    def __init__(self, site: OldSite, docname: str, new_docname: str, slug: str) -> None:
        self.site, self.old = site, site.conf
        self.docname, self.new_docname, self.slug = docname, new_docname, slug
        self.folder = posixpath.dirname(docname)
        self.assets: dict[str, Path] = {}  # destination (relative to the year) -> source
        self.reasons: list[str] = []
        self.breaking: list[str] = []  # the reasons the strict build fails on
        # Pages of the old blog this post links to: kept as URLs, or not (no address).
        self.kept: dict[str, str] = {}
        self.lost: list[str] = []
        self.missing: dict[str, list[str]] = {}  # "image" or "file" -> targets not found
        self.raw_images: list[str] = []  # copied for <img> tags the build will not publish
        self.extlinks = self.old["extlinks"] if isinstance(self.old["extlinks"], dict) else {}
        self.anchors: set[str] | None = None  # the post's own anchors, for "#x" links
        self.old_anchors: set[str] | None = None
        self.depth = 0  # the site's myst_heading_anchors
        # Whether the site publishes the files <img> tags use (MyST's html_image).
        self.html_images = False
        self.url_schemes = {"http", "https", "mailto", "ftp"}

    def _reason(self, text: str, breaks: bool = True) -> None:
        """Say ``text``; ``breaks``: the strict build fails on what is left."""
        if text not in self.reasons:
            self.reasons.append(text)
        if breaks and text not in self.breaking:
            self.breaking.append(text)

    def _inside(self, target: str) -> str | None:
        """``target`` as a path relative to the old blog's root, or None (reported)
        when it leads outside it."""
        path = unquote(target)
        rel = path.lstrip("/") if path.startswith("/") else posixpath.join(self.folder, path)
        rel = posixpath.normpath(rel) if rel else "."
        if rel == ".." or rel.startswith("../") or rel.startswith("/"):
            self._reason(f"`{target}` is outside the old blog: left as is")
            return None
        return "" if rel == "." else rel

    # -- Links to documents ----------------------------------------------------

    def _to_doc(self, docname: str, fragment: str = "") -> str | None:
        """The new target of a link to old document ``docname``."""
        if docname in self.site.moved:
            if (url := self._draft_address(docname, fragment)) is not None:
                return url
            new = self.site.moved[docname]
            if fragment and self.site.anchors is not None and docname != self.docname:
                self._check_anchor(fragment, *self.site.anchors(docname), f"{new}.md#")
            self._note_draft(docname, new)
            here = posixpath.dirname(self.new_docname)
            target = posixpath.relpath(f"{new}.md", here)
            return target + (f"#{fragment}" if fragment else "")
        url = self.site.url(docname, fragment)
        if url is None:
            self.lost.append(docname)
            return None
        self.kept.setdefault(docname, self.site.url(docname) or url)
        return url

    def _is_draft(self, docname: str) -> bool:
        return docname in self.site.drafts and docname != self.docname

    def _note_draft(self, docname: str, new: str) -> None:
        """A link to a post that is a draft here breaks published builds."""
        if self._is_draft(docname):
            self._reason(
                f"link to {new}.md, a draft here ({self.site.drafts[docname]}): published "
                "builds fail on the link until that post is published"
            )

    def _draft_address(self, docname: str, fragment: str = "") -> str | None:
        """A link to a post that is a draft here goes to its address on the old
        site (where it still is) until it is published here, if there is one:
        the post that links to it need not wait for it."""
        if not self._is_draft(docname):
            return None
        url = self.site.url(docname, fragment)
        if url is not None:
            new = self.site.moved[docname]
            self._reason(
                f"link to {new}.md, a draft here ({self.site.drafts[docname]}): "
                f"links to {self.site.url(docname)} until that post is published",
                breaks=False,
            )
        return url

    def _link_text(self, text: str | None, docname: str, fallback: str = "") -> str:
        """A role's own text (Markdown already), or a page's title as text."""
        if text:
            return text
        return markdown_text(self.site.titles.get(docname) or fallback or docname)

    def page_reasons(self) -> list[str]:
        """What became of links to pages that were not imported, and of files
        that are not there, in a few words (the ones the build fails on are
        added to ``breaking``)."""
        reasons = []
        for what, targets in self.missing.items():
            targets = list(dict.fromkeys(targets))
            s = "s" if len(targets) > 1 else ""
            named = ", ".join(f"`{t}`" for t in targets)
            reasons.append(f"{what}{s} {named} not found in the old blog: left as is")
            self.breaking.append(reasons[-1])
        if self.raw_images:
            named = ", ".join(f"`{t}`" for t in dict.fromkeys(self.raw_images))
            also = "" if self.html_images else ", or add `html_image` to myst_enable_extensions"
            reasons.append(
                f"<img> {named}: copied, but the build publishes no file that only raw HTML "
                f"shows: write it as ![...](...) on a line of its own{also}"
            )
            self.breaking.append(reasons[-1])
        if len(self.kept) == 1:
            (docname, url), *_ = self.kept.items()
            reasons.append(f"link to page `{docname}` kept as {url}")
        elif self.kept:
            named = ", ".join(f"`{d}`" for d in self.kept)
            reasons.append(f"links to pages {named} kept as links to {self.site.conf.baseurl}")
        if self.lost:
            lost = list(dict.fromkeys(self.lost))
            named = ", ".join(f"`{d}`" for d in lost)
            s = "s" if len(lost) > 1 else ""
            reasons.append(
                f"link{s} to page{s} {named}: not imported, and the old blog's conf.py has "
                "no blog_baseurl to link to: fix by hand"
            )
            self.breaking.append(reasons[-1])
        return reasons

    def rewrite(self, kind: str, target: str) -> str | None:
        """A link's, image's or file's new target, or None to leave it."""
        if kind == "refdef":
            # "[label]: target": MyST says nothing of a definition no link uses
            # ("[comment]: <...>" is a common way to write a comment).
            said = (
                list(self.reasons),
                list(self.breaking),
                list(self.lost),
                {k: list(v) for k, v in self.missing.items()},
            )
            new = self.rewrite("link", target)
            self.reasons, self.breaking, self.lost, self.missing = said
            return new
        target = target.strip()
        if not target or target.startswith("//"):
            return None
        if m := _SCHEME.match(target):
            scheme = m[0][:-1].lower()
            if (
                scheme in self.url_schemes
                or kind in ("html", "rawhtml", "image")
                and scheme == "data"
            ):
                return None
            if scheme == "project" and kind == "link":
                new = self.rewrite(kind, target[len("project:") :])
                return None if new is None else new
            if scheme == "path":
                return self.asset(target[len("path:") :], "file")
            self._reason(
                f"link to `{target}`: MyST reads `{scheme}:` as a reference, not a web "
                "address: fix it by hand"
            )
            return None
        if target.startswith("#"):
            self._local_anchor(target[1:])
            return None
        if kind in ("image", "html", "rawhtml", "file"):
            return self.asset(target, kind)
        path, _, fragment = target.partition("#")
        rel = self._inside(path)
        if rel is None:
            return None
        docname = self.site.docname_of(rel)
        if docname is not None:
            return self._to_doc(docname, fragment)
        if rel and (self.site.root / rel).is_file():
            return self.asset(path, "file")
        if "/" not in path and path.lower() in self.site.labels:
            owner = self.site.labels[path.lower()]  # a MyST reference to a label
            return None if owner in self.site.moved else self._to_doc(owner, path.lower())
        if rel.endswith(".html") and self.site.url(rel[:-5]) is not None:
            url = self.site.url(rel[:-5], fragment)
            self._reason(f"link to `{target}` (a page ABlog made) kept as {url}", breaks=False)
            return url
        self._reason(f"link to `{target}`: nothing there in the old blog")
        return None

    def _local_anchor(self, fragment: str) -> None:
        if self.anchors is not None and self.old_anchors is not None:
            self._check_anchor(fragment, self.anchors, self.old_anchors, "#")

    def _check_anchor(self, fragment: str, anchors: set[str], old: set[str], where: str) -> None:
        """Report a link to an anchor the site will not have."""
        key = fragment.lower()
        if key in anchors:
            return
        if key not in old:
            self._reason(f"link to `{where}{fragment}`: no such heading or label there")
        elif self.depth:
            self._reason(
                f"link to `{where}{fragment}`: the site makes anchors for headings down to "
                f"level {self.depth} only: link to a higher heading, or add a (label)= above it"
            )
        else:
            self._reason(
                f"link to `{where}{fragment}`: the site makes no heading anchors: add a "
                "(label)= above the heading, or set myst_heading_anchors"
            )

    # -- Files ---------------------------------------------------------------------

    def asset(self, target: str, kind: str) -> str | None:
        """Copy the file ``target`` names next to the post; its new target."""
        path = target.split("#")[0].split("?")[0]
        rel = self._inside(path)
        if rel is None:
            return None
        source = self.site.root / rel
        what = {"image": "image", "html": "image", "rawhtml": "image"}.get(kind, "file")
        if not rel or not source.is_file():
            self.missing.setdefault(what, []).append(target)
            return None
        if any(rel.endswith(suffix) for suffix in (*self.old.suffixes, ".txt")):
            # Copied next to a post, it would become a page of the site.
            self._reason(f"{what} `{target}` is a page the old blog does not build: not copied")
            return None
        root = self.site.root.resolve()
        if not source.resolve().is_relative_to(root):
            self._reason(f"{what} `{target}` is outside the old blog: left as is")
            return None
        under = posixpath.relpath(rel, self.folder) if self.folder else rel
        if under.startswith("../") or any(p.startswith(".") for p in under.split("/")):
            under = posixpath.basename(rel)
        dest = f"{self.slug}/{under}"
        if self.assets.setdefault(dest, source) != source:
            self._reason(f"two files would both be {dest}: `{target}` left as is")
            return None
        if kind not in ("html", "rawhtml"):
            return dest
        if kind == "rawhtml" or not self.html_images:
            self.raw_images.append(target)
        return quote(dest)

    # -- Roles -----------------------------------------------------------------

    def role(self, name: str, content: str) -> str | None:
        """A role's new text, or None to leave it."""
        text, target = role_parts(content)
        if name == "doc":
            return self._doc_role(text, target)
        if name == "ref":
            return self._ref_role(text, target)
        if name == "download":
            new = self.asset(target, "file")
            if new is None:
                return None
            return f"{{download}}`{text} <{new}>`" if text else f"{{download}}`{new}`"
        if name in self.extlinks:
            return self._extlink(name, text, target)
        return None

    def _doc_role(self, text: str | None, target: str) -> str | None:
        rel = self._inside(target)
        if rel is None:
            return None
        docname = self.site.docname_of(rel)
        if docname is None:
            self._reason(f"{{doc}} `{target}`: no such page in the old blog")
            return None
        if docname in self.site.moved:
            if (url := self._draft_address(docname)) is not None:
                return f"[{self._link_text(text, docname)}]({url})"
            self._note_draft(docname, self.site.moved[docname])
            new = "/" + self.site.moved[docname]
            return f"{{doc}}`{text} <{new}>`" if text else f"{{doc}}`{new}`"
        url = self._to_doc(docname, "")
        if url is None:
            return None
        return f"[{self._link_text(text, docname)}]({url})"

    def _ref_role(self, text: str | None, label: str) -> str | None:
        key = label.lower()
        owner = self.site.labels.get(key)
        if owner is None:
            # ABlog labels each post with its file's name.
            posts = [d for d in self.site.docs if posixpath.basename(d) == label]
            if len(posts) == 1 and posts[0] in self.site.moved:
                if (url := self._draft_address(posts[0])) is not None:
                    return f"[{self._link_text(text, posts[0], label)}]({url})"
                self._note_draft(posts[0], self.site.moved[posts[0]])
                new = "/" + self.site.moved[posts[0]]
                return f"{{doc}}`{text} <{new}>`" if text else f"{{doc}}`{new}`"
            if key not in self.site.site_labels:
                self._reason(f"{{ref}} `{label}`: no such label in the old blog")
            return None
        if owner in self.site.moved:
            if (url := self._draft_address(owner, key)) is not None:
                return f"[{text or label}]({url})"
            self._note_draft(owner, self.site.moved[owner])
            return None  # the label moves with its post
        url = self._to_doc(owner, key)
        return None if url is None else f"[{text or label}]({url})"

    def _extlink(self, name: str, text: str | None, target: str) -> str | None:
        pattern = self.extlinks[name]
        if not isinstance(pattern, (list, tuple)) or not pattern or "%s" not in str(pattern[0]):
            return None
        url = str(pattern[0]).replace("%s", target)
        caption = pattern[1] if len(pattern) > 1 else None
        shown = text or (str(caption).replace("%s", target) if caption else url)
        return f"[{shown}]({url})"
