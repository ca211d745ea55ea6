"""A ``{concept}`` directive's fields as its author wrote them, and what is
wrong with them.

MyST hands a directive options written as a YAML block (``aliases: [A, B]``,
or a ``- A`` list) as text, so ``[A`` and ``B]`` became two aliases: they are
read again from the block, as ``blog check`` reads them. A summary is plain
text (a role in it was shown as typed); a name is at most 100 characters (a
longer one shrank the whole concept map); a concept lives on its own page
under ``docs/concepts/`` (one defined in a post made the post a concept page,
with a feed and a preview that overwrote the essay's).
"""

from __future__ import annotations

from typing import NamedTuple

from ..blog.frontmatter import split_list
from .source import CONCEPTS_FOLDER, roles_as_text, yaml_options

MAX_NAME = 100  # characters


class Fields(NamedTuple):
    name: str
    aliases: list[str]
    related: list[str]
    summary: str
    problems: list[str]
    # Misplaced (not on a page of its own in docs/concepts/), or no name: defines nothing.
    refused: bool


def _names(option: str | None, written: object) -> list[str]:
    if isinstance(written, list):
        return [" ".join(str(v).split()) for v in written if str(v).strip()]
    return split_list(option)


def concept_fields(docname: str, argument: str, options: dict, block_text: str) -> Fields:
    """The concept's fields, and the problems to report at its directive."""
    written = yaml_options(block_text.split("\n")[1:])
    name = " ".join(argument.split())
    summary = " ".join(str(options.get("summary", "")).split())
    problems = []
    misplaced = docname.rpartition("/")[0] != CONCEPTS_FOLDER
    if misplaced:
        problems.append(
            f"a concept is defined on its own page in {CONCEPTS_FOLDER}/: move this "
            f"{{concept}} directive to {CONCEPTS_FOLDER}/<name>.md (it is not defined here)"
        )
    wordless = not any(c.isalnum() for c in name)
    if wordless:
        problems.append(
            f"the concept's name {name!r} has no letters or digits: name it in words "
            "(it is not defined)"
        )
    if len(name) > MAX_NAME:
        problems.append(
            f"the concept's name is {len(name)} characters long; at most {MAX_NAME}: "
            "say the rest in its summary"
        )
    if (plain := roles_as_text(summary)) != summary:
        summary = plain
        problems.append("the summary is plain text: write names without {role}`…`")
    aliases = _names(options.get("aliases"), written.get("aliases"))
    for alias in [a for a in aliases if not any(c.isalnum() for c in a)]:
        aliases.remove(alias)
        problems.append(f"the alias {alias!r} has no letters or digits: it is left out")
    return Fields(
        name,
        aliases,
        _names(options.get("related"), written.get("related")),
        summary,
        problems,
        misplaced or wordless,
    )
