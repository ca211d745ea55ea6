"""Sphinx's resolved navigation HTML as a template: which tags change for a page.

Resolved for a page, Sphinx's toctree differs from the same tree resolved for no
page (nothing current) only where the tree links to that page
(``sphinx.environment.adapters.toctree``, ``_toctree_add_classes``):

* a link to the page itself, without an anchor, gets the class ``current``, and
  so does every ``<li>`` and ``<ul>`` that holds it, up to the top;
* every link to the page gets the address ``#`` (``#anchor`` with an anchor),
  as the page's address relative to itself is empty.

``scan`` finds the ``<ul>``, ``<li>`` and ``<a>`` tags of such HTML, with their
nesting; ``Template`` keeps them for one folder's tree and says, for a page
(its address relative to that folder), which tags change and how (``Marks``).
The same marks apply to any HTML with the same tags in the same order: Furo's
navigation, which ``essayist.theme.furo`` marks with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sphinx.errors import ExtensionError

_TAG = re.compile(r"<(/?)(ul|li|a)(?=[\s>])([^>]*)>")
_ATTR = re.compile(r' ([a-z-]+)="([^"]*)"')
_HREF = re.compile(r' href="([^"]*)"')
CURRENT = "current"
# The classes Sphinx's (docutils') HTML writer gives these tags of its own, after
# the node's classes: where ``current``, a node class, goes.
_WRITER_CLASSES = {"ul": {"simple"}, "a": {"reference", "internal"}}


class NavigationChanged(ExtensionError):
    """Sphinx's navigation HTML is not what ``essayist.speedups.navcache`` marks."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"essayist: {what}, so essayist.speedups.navcache cannot mark a page in "
            "Sphinx's navigation tree as Sphinx does. Build with ESSAYIST_SPEEDUPS=0, "
            "and update essayist/speedups/navmarks.py for this Sphinx."
        )


@dataclass
class Tag:
    """One ``<ul>``, ``<li>`` or ``<a>`` element: where its start tag is, and
    where its end tag ends."""

    name: str
    start: int
    end: int
    parent: int  # index of the enclosing <li> or <ul>; -1 at the top
    close: int = -1


def scan(html: str) -> list[Tag] | None:
    """The ``ul``, ``li`` and ``a`` elements of ``html`` in document order;
    None if they do not nest properly (a title made of raw HTML, say)."""
    tags: list[Tag] = []
    stack: list[int] = []
    for match in _TAG.finditer(html):
        closing, name, _attrs = match.groups()
        if closing:
            if not stack or tags[stack[-1]].name != name:
                return None
            tags[stack.pop()].close = match.end()
            continue
        if stack and tags[stack[-1]].name == "a":
            return None
        tags.append(Tag(name, match.start(), match.end(), stack[-1] if stack else -1))
        stack.append(len(tags) - 1)
    return None if stack else tags


def attributes(start_tag: str) -> dict[str, str]:
    """The attributes of a start tag as written by docutils or BeautifulSoup:
    each ``name="value"``, one space before each."""
    name_end = start_tag.find(" ") if " " in start_tag else len(start_tag) - 1
    rest = start_tag[name_end:-1]
    found = _ATTR.findall(rest)
    if "".join(f' {k}="{v}"' for k, v in found) != rest:
        raise NavigationChanged(f"Sphinx wrote the start tag {start_tag!r}")
    return dict(found)


def with_class(start_tag: str, old: str | None, new: str) -> str:
    """``start_tag`` with its class ``old`` (None: no attribute at all) made ``new``."""
    if old is None:
        if start_tag[-1] != ">" or " " in start_tag:
            raise NavigationChanged(f"Sphinx wrote the start tag {start_tag!r}")
        return f'{start_tag[:-1]} class="{new}">'
    written = f' class="{old}"'
    if start_tag.count(written) != 1:
        raise NavigationChanged(f"Sphinx wrote {start_tag!r}, not of class {old!r}")
    return start_tag.replace(written, f' class="{new}"')


def with_href(start_tag: str) -> str:
    """A link's start tag made to point at the page itself: ``#``, or only its anchor."""
    found = _HREF.findall(start_tag)
    if len(found) != 1:
        raise NavigationChanged(f"Sphinx wrote the link {start_tag!r}")
    old = found[0]
    new = old[old.index("#") :] if "#" in old else "#"
    return start_tag.replace(f' href="{old}"', f' href="{new}"')


def current_class(name: str, old: str | None) -> str:
    """The class Sphinx writes for a tag marked current that had class ``old``."""
    if name == "li":
        # ``toctree-lN`` is a node class and docutils adds none: ``current`` last.
        if not old or not old.startswith("toctree-l"):
            raise NavigationChanged(f"Sphinx wrote a list item of class {old!r}")
        return f"{old} {CURRENT}"
    # Nodes of <ul> and <a> have no classes of their own: ``current`` comes
    # before the writer's.
    if old is not None and not set(old.split()) <= _WRITER_CLASSES[name]:
        raise NavigationChanged(f"Sphinx wrote a {name} of class {old!r}")
    if name == "a" and old != "reference internal":
        raise NavigationChanged(f"Sphinx wrote a link to the page of class {old!r}")
    return CURRENT if old is None else f"{CURRENT} {old}"


@dataclass(frozen=True)
class Marks:
    """What changes in a tree for one page: tags that become current (index:
    class before, class after, as Sphinx writes them) and links to the page."""

    current: dict[int, tuple[str | None, str]] = field(default_factory=dict)
    links: frozenset[int] = frozenset()


def apply(html: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``html`` with each ``(start, end, text)`` of ``edits`` (not overlapping)
    in place of what was between start and end."""
    parts = []
    at = 0
    for start, end, text in sorted(edits):
        parts.append(html[at:start])
        parts.append(text)
        at = end
    parts.append(html[at:])
    return "".join(parts)


class Template:
    """One resolved tree with no page current, ready to be marked for a page."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.tags = scan(html)
        self.links: dict[str, list[int]] = {}
        for index, tag in enumerate(self.tags or ()):
            # Lenient here: only the tags of a page's marks must be as expected.
            href = _HREF.search(html, tag.start, tag.end) if tag.name == "a" else None
            if href:
                self.links.setdefault(href[1].split("#", 1)[0], []).append(index)

    @property
    def usable(self) -> bool:
        return self.tags is not None

    def start_tag(self, index: int) -> str:
        tag = self.tags[index]
        return self.html[tag.start : tag.end]

    def marks(self, address: str) -> Marks:
        """The marks for the page at ``address`` (relative to the tree's folder)."""
        links = self.links.get(address, ())
        current: dict[int, tuple[str | None, str]] = {}
        for index in links:
            if "#" in attributes(self.start_tag(index))["href"]:
                continue  # a link to a section: only its address changes
            while index != -1 and index not in current:
                name = self.tags[index].name
                old = attributes(self.start_tag(index)).get("class")
                current[index] = (old, current_class(name, old))
                index = self.tags[index].parent
        return Marks(current, frozenset(links))

    def marked(self, marks: Marks) -> str:
        """The tree as Sphinx resolves it for the page of ``marks``."""
        edits = []
        for index in marks.current.keys() | marks.links:
            start_tag = self.start_tag(index)
            if index in marks.current:
                start_tag = with_class(start_tag, *marks.current[index])
            if index in marks.links:
                start_tag = with_href(start_tag)
            edits.append((self.tags[index].start, self.tags[index].end, start_tag))
        return apply(self.html, edits)
