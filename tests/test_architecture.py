"""The house rules of ../ENGINEERING.md, read from the source: the arrows between the layers,
no import cycles, SQL only in the store, a pure domain, and rooms of a readable size."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "oastrack"

# Which layer may import which (every layer may import itself and oastrack.errors).
ALLOWED: dict[str, set[str]] = {
    "cli": {"live", "core", "store", "io", "render"},
    "live": {"core", "store", "render"},
    "io": {"store", "core"},
    "render": {"core"},
    "store": {"core"},
    "core": set(),
}
SHARED = {"oastrack", "oastrack.errors"}  # the package itself (its version) and the errors
PURE_FORBIDDEN = ("typer", "rich", "textual", "sqlalchemy", "sqlmodel", "alembic", "psycopg")
MAX_LINES = 450
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TEMPORARY\s+)?TABLE)\b",
    re.S | re.I,
)


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_module(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """Every oastrack module a module imports, at the top or inside a function."""
    path = modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {target for target in found if target in modules() and target != name}


def _layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def test_the_arrows_point_down() -> None:
    wrong = []
    for name in modules():
        layer = _layer(name)
        if layer is None:
            continue
        for target in _imports(name):
            other = _layer(target)
            if target in SHARED or other in (None, layer):
                if other is None and target not in SHARED and not target.endswith("__main__"):
                    wrong.append(f"{name} -> {target}")
                continue
            if other not in ALLOWED[layer]:
                wrong.append(f"{name} -> {target}")
    assert not wrong, "imports against the arrows:\n" + "\n".join(sorted(wrong))


def test_nothing_imports_the_face() -> None:
    importers = {
        name
        for name in modules()
        if _layer(name) != "cli" and any(_layer(t) == "cli" for t in _imports(name))
    }
    assert importers <= {"oastrack.__main__"}


def test_no_import_cycles() -> None:
    graph = {name: _imports(name) - {name.rpartition(".")[0]} for name in modules()}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in graph:
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_domain_is_pure() -> None:
    impure = []
    for name, path in modules().items():
        if _layer(name) != "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            impure += [f"{name}: {n}" for n in names if n.split(".")[0] in PURE_FORBIDDEN]
    assert not impure


def test_sql_only_in_the_store() -> None:
    found = []
    for name, path in modules().items():
        if _layer(name) == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SQL.search(node.value)
            ):
                found.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "SQL outside store/:\n" + "\n".join(found)


def test_no_module_is_too_long() -> None:
    long = {
        name: count
        for name, path in modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
