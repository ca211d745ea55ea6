"""Each post's excerpt text (its pieces), worked out once per excerpt (essayist.concepts.postinfo,
with incremental.state.KeptByNode)."""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes

from essayist.blog.excerpts import joined_text
from essayist.concepts import postinfo
from essayist.incremental.state import KeptByNode


def excerpt(text: str) -> list[nodes.Node]:
    return [nodes.paragraph(text=text)]


def test_an_excerpt_is_read_once_and_only_the_current_ones_are_kept(monkeypatch):
    first, second = excerpt("A  proxy\n metric."), excerpt("Second.")
    env = SimpleNamespace(
        ablog_posts={"a": [{"excerpt": first}], "b": [{"excerpt": second}], "c": [{}]}
    )
    postinfo.ask_ahead(env)  # as the warm preview's builder does
    kept = postinfo.EXCERPT_TEXT
    assert [joined_text(v) for _, v in kept.kept.values()] == ["A proxy metric.", "Second."]

    read = []
    findall = nodes.Node.findall
    monkeypatch.setattr(
        nodes.Node, "findall", lambda self, *a, **k: read.append(self) or findall(self, *a, **k)
    )
    edited = excerpt("Edited.")  # the post read again: a new excerpt
    assert [joined_text(v) for v in kept.values([first, edited])] == ["A proxy metric.", "Edited."]
    assert read == [edited[0]]  # the known one is not read again
    assert set(kept.kept) == {id(first), id(edited)}  # "b" is not a post any more


def test_a_value_is_made_again_for_a_new_node_with_a_reused_id():
    made = []
    kept = KeptByNode(lambda node: made.append(node) or len(made))
    node = object()
    assert kept.values([node]) == [1]
    assert kept.values([node]) == [1] and made == [node]
    kept.kept[id(node)] = (object(), 99)  # another object once had this id
    assert kept.values([node]) == [2]
