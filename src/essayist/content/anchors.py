"""Every heading's address is its own name.

Docutils gives a heading it cannot name uniquely (a second "Notes", a title of
emoji) a numbered id (``#id2``) from a counter the whole document shares:
a footnote added above it makes that ``#id3``, and ``#id2`` then points at
another heading. Those ids were the headings' permalinks (the ¶ a reader
copies), their entries in the contents and the search results, so a link
another site made to a section broke, or led elsewhere, with the next edit.

Such a section's address becomes the GitHub-style name MyST gives it for
``[](#notes-1)`` links (``notes-1``: the second "Notes"), or that name made
from its title where MyST gives none (deeper headings); a title with no
letters or digits is ``section``, ``section-1``... The numbered id stays on
the section as a second anchor. Explicit targets (``(name)=``) keep theirs.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.transforms import Transform
from myst_parser.slugs import github_slugify
from sphinx.application import Sphinx

# docutils' ids for what it could not name: ``id`` and a number.
_NUMBERED = re.compile(r"id\d+")


class NameHeadings(Transform):
    """Give each section whose first id is docutils' numbered one its name."""

    # After MyST adds the slugs (700) and before it resolves ``[](#slug)``
    # links (879), which then point at the name too.
    default_priority = 701

    def apply(self, **kwargs) -> None:
        document = self.document
        slugs: dict = getattr(document, "myst_slugs", {})
        for section in document.findall(nodes.section):
            ids = section["ids"]
            if not ids or not section.children:
                continue
            numbered = ids[0]
            slug = section.get("slug")
            if not _NUMBERED.fullmatch(numbered):
                # An author's (name)= first: a [](#slug) link leads there too.
                if slug in slugs and _NUMBERED.fullmatch(slugs[slug][1]):
                    slugs[slug] = (slugs[slug][0], numbered, slugs[slug][2])
                continue
            title = section[0].astext()
            if numbered in section["names"] or nodes.make_id(title) == numbered:
                continue  # a title that reads "id2" is named so
            if slug in ids:
                name = slug
            else:
                name = _unique(github_slugify(title) or "section", document.ids)
                document.ids[name] = section
            if name in ids:
                ids.remove(name)
            ids.insert(0, name)
            if slug in slugs and slugs[slug][1] == numbered:
                slugs[slug] = (slugs[slug][0], name, slugs[slug][2])
            elif name not in slugs:
                # A name MyST gave no slug (a title of emoji, a deep heading):
                # other posts' [](post.md#section) links find it too.
                slugs[name] = (section.line, name, title)
        if slugs and not hasattr(document, "myst_slugs"):
            document.myst_slugs = slugs
        env = getattr(document.settings, "env", None)
        if slugs and env is not None and env.docname in env.metadata:
            env.metadata[env.docname].setdefault("myst_slugs", slugs)


def _unique(name: str, taken: dict) -> str:
    if name not in taken:
        return name
    n = 1
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"


def setup_anchors(app: Sphinx) -> None:
    app.add_transform(NameHeadings)
