"""A folder of the site's addresses leads to its page: ``/posts/`` to all posts.

Every essay's address is inside folders a reader can trim it to:
``/posts/2026/on-proxies.html`` to ``/posts/2026/`` and ``/posts/``. The HTML
builder writes the page for those folders beside them (``posts.html``,
``posts/2026.html``), so a host served the trimmed address as "not found".
Now, wherever a folder has a page of the same name and no ``index`` page of its
own, the folder gets an ``index.html`` that sends the reader on to that page
at once: a redirect page as ABlog writes for a post's old address (its
template, ``ablog/redirect.html``), marked ``noindex``, with the page's address
as its canonical link, in no sitemap, feed or search index. The ``dirhtml``
builder writes ``posts/index.html`` itself, and gets none.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from sphinx.application import Sphinx

REDIRECT = "ablog/redirect.html"


def folder_redirects(pagenames: Iterable[str]) -> list[tuple[str, str]]:
    """``(folder/index, folder)`` for each folder of ``pagenames`` that has a
    page of its own name and no ``index`` page, sorted."""
    names = set(pagenames)
    folders = set()
    for name in names:
        folder = posixpath.dirname(name)
        while folder:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    return sorted(
        (f"{folder}/index", folder)
        for folder in folders
        if folder in names and f"{folder}/index" not in names
    )


def folder_pages(
    app: Sphinx, pages: list[tuple[str, dict, str]], taken: set[str]
) -> list[tuple[str, dict, str]]:
    """The folders' redirect pages, for ABlog's generated ``pages`` and the
    pages ``taken`` by documents and other features."""
    if app.builder.name != "html":
        return []
    titles = {pagename: context.get("title") for pagename, context, _ in pages}
    moved = {pagename for pagename, _, template in pages if template == REDIRECT}
    env = app.env
    out = []
    for index, target in folder_redirects(taken | set(titles)):
        if target in moved:
            continue  # an old address: never a redirect to a redirect
        title = titles.get(target)
        if title is None and target in env.titles:
            title = env.titles[target].astext()
        context = {"redirect": target, "essayist_folder": True, "title": title or target}
        context["header"] = target  # the signature of the page: where it leads
        out.append((index, context, REDIRECT))
    return out
