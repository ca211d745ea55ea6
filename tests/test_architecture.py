"""The tree explains the design: walls around ABlog and Furo, no import cycles, small modules."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from conftest import PROJECT

PACKAGE = PROJECT / "src" / "essayist"
MAX_LINES = 400
GROUPS = {
    "blog",
    "concepts",
    "content",
    "incremental",
    "publishing",
    "scholarship",
    "speedups",
    "theme",
    "tools",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports (at any depth of the file), absolute."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            # ``from . import theme``: the names may be modules too.
            for alias in node.names:
                found.add(f"{target}.{alias.name}")
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def graph() -> dict[str, set[str]]:
    return {name: {m for m in imports_of(path) if m in MODULES} for name, path in MODULES.items()}


def test_the_tree_is_the_architecture():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == GROUPS
    assert {p.name for p in PACKAGE.glob("*.py")} == {"__init__.py", "config.py"}


def test_only_the_blog_adapter_imports_ablog():
    importers = sorted(
        n for n, p in MODULES.items() if any(m.split(".")[0] == "ablog" for m in imports_of(p))
    )
    assert importers == ["essayist.blog.adapter"]


def test_ruff_bans_ablog_outside_the_adapter():
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert "TID251" in lint["select"]
    assert "ablog" in lint["flake8-tidy-imports"]["banned-api"]
    assert lint["per-file-ignores"]["src/essayist/blog/adapter.py"] == ["TID251"]


def test_only_the_theme_knows_furos_markup():
    knowers = sorted(
        name
        for name, path in MODULES.items()
        if "furo-main-content" in path.read_text(encoding="utf-8")
        or "sidebar-drawer" in path.read_text(encoding="utf-8")
    )
    assert knowers and all(name.startswith("essayist.theme.") for name in knowers)


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle in ``edges`` (as a path that ends where it starts), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_between_modules():
    edges = {name: {m for m in deps if m != name} for name, deps in graph().items()}
    # A package's __init__ importing its own modules is wiring, not a cycle.
    for name in edges:
        edges[name] = {m for m in edges[name] if not name.startswith(m + ".")}
    assert find_cycle(edges) is None


def test_no_import_cycle_between_packages():
    def group(name: str) -> str:
        return name.split(".")[1]  # essayist.blog.adapter -> blog; essayist.config -> config

    edges: dict[str, set[str]] = {}
    for name, deps in graph().items():
        if name == "essayist":
            continue  # the wiring imports every package
        edges.setdefault(group(name), set()).update(
            group(d) for d in deps if d != "essayist" and group(d) != group(name)
        )
    assert find_cycle(edges) is None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_too_long(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines; split it by what it does"


def test_every_warning_has_a_declared_kind():
    # Every warning goes through config.warn with a Warn member.
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        assert "logger.warning(" not in text or name == "essayist.config", name
