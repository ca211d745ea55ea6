"""YAML front matter read safely: no anchors or aliases (an "alias bomb"), no
key set twice, no implicit dates (``2026-02-30`` stays text for the date
check), libyaml's speed with the Python loader's clearer messages."""

from __future__ import annotations

import functools
import re

import yaml


class FrontMatterError(ValueError):
    """A post's front matter cannot be used; ``line`` is 1-based in the file."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def _without_dates(loader: type) -> type:
    """``loader`` with no implicit dates: ``2026-02-30`` stays text for ``parse_date``."""
    cls = type(f"NoDate{loader.__name__}", (loader,), {})
    cls.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return cls


# libyaml's loader when PyYAML has it (the draft filter reads every post's front
# matter before a build); on an error the Python loader, whose messages and
# line numbers are clearer, says what is wrong.
_FastLoader = _without_dates(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
_Loader = _without_dates(yaml.SafeLoader)


def _refuse_aliases(block: str) -> None:
    """YAML anchors and aliases can expand a few lines into gigabytes (an "alias
    bomb"); no front matter needs them. Scanning for them is linear."""
    if "&" not in block and "*" not in block:
        return
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for token in yaml.scan(block, Loader=loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                line = token.start_mark.line + 2
                raise FrontMatterError(
                    "front matter uses a YAML anchor or alias (&name or *name): "
                    "write each value out in full",
                    line,
                )
    except yaml.YAMLError:
        return  # reported by the loader, with its line


@functools.lru_cache(maxsize=512)
def load_block(block: str) -> object:
    """A front matter block's YAML value ({} for none)."""
    _refuse_aliases(block)
    if not block.strip():
        return {}
    for loader_class in (_FastLoader, _Loader):
        try:
            return _load(loader_class, block)
        except FrontMatterError:
            raise
        except ValueError:  # Python reads no number of over 4,300 digits
            lines = block.split("\n")
            line = next((n for n, t in enumerate(lines, 2) if re.search(r"\d{100}", t)), 1)
            raise FrontMatterError("a number is too long to read: shorten it", line) from None
        except yaml.YAMLError as exc:
            if loader_class is _FastLoader:
                continue  # the Python loader says what is wrong more clearly
            problem, line = _problem(exc)
            raise FrontMatterError(f"front matter is not valid YAML: {problem}", line) from None
    return {}


# What PyYAML was reading when it stopped, in the author's words: it notices an
# unclosed bracket or quotation lines later, on the next key.
_OPENED = {
    "while parsing a flow sequence": "the list opened with '[' on this line is not closed",
    "while parsing a flow mapping": "the mapping opened with '{' on this line is not closed",
    "while scanning a quoted scalar": "the quotation opened on this line is not closed",
}


def _problem(exc: yaml.YAMLError) -> tuple[str, int]:
    """What is wrong, and its line in the post (the block starts on line 2)."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 2 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc)
    opened = _OPENED.get(getattr(exc, "context", None) or "")
    start = getattr(exc, "context_mark", None)
    if opened and start is not None and start.line + 2 <= line:
        ended = "<stream end>" in problem or "end of stream" in problem
        where = "" if ended or start.line + 2 == line else f" on line {line}"
        return f"{opened} ({problem}{where})", start.line + 2
    return problem, line


def _load(loader_class: type, block: str) -> object:
    loader = loader_class(block)  # the Python reader refuses characters here
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        _refuse_duplicates(node)
        data = loader.construct_document(node)
        return {} if data is None else data
    finally:
        loader.dispose()


def _refuse_duplicates(root: yaml.Node) -> None:
    """YAML keeps the last of two equal keys silently (a post dated by either
    of two dates): a key set twice in any mapping is refused, at its line."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple, int] = {}
            for key, value in node.value:
                line = key.start_mark.line + 2
                if isinstance(key, yaml.ScalarNode):
                    if (key.tag, key.value) in seen:
                        first = seen[key.tag, key.value]
                        where = f"lines {first} and {line}" if first != line else f"line {line}"
                        raise FrontMatterError(
                            f"front matter sets {key.value!r} twice ({where}): keep one", line
                        )
                    seen[key.tag, key.value] = line
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
