"""Each post's excerpt text, worked out once per excerpt (essayist.concepts.postinfo)."""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes

from essayist.concepts import postinfo


def excerpt(text: str) -> list[nodes.Node]:
    return [nodes.paragraph(text=text)]


def test_an_excerpt_is_read_once_and_only_the_current_ones_are_kept(monkeypatch):
    first, second = excerpt("A  proxy\n metric."), excerpt("Second.")
    env = SimpleNamespace(
        ablog_posts={"a": [{"excerpt": first}], "b": [{"excerpt": second}], "c": [{}]}
    )
    postinfo.ask_ahead(env)  # as the warm preview's builder does
    assert {v[1] for v in postinfo._texts.values()} == {"A proxy metric.", "Second."}

    read = []
    astext = nodes.Element.astext
    monkeypatch.setattr(nodes.Element, "astext", lambda self: read.append(self) or astext(self))
    kept = {}
    assert postinfo.excerpt_text(first, kept) == "A proxy metric."
    assert read == []  # known: not read again
    edited = excerpt("Edited.")  # the post read again: a new excerpt
    assert postinfo.excerpt_text(edited, kept) == "Edited."
    assert read == [edited[0]]
    postinfo._keep(kept)
    assert set(postinfo._texts) == {id(first), id(edited)}  # "b" is not a post any more
