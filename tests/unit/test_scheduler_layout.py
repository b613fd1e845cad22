"""The scheduler's modules import each other without a cycle, and its rooms
stand in layers: `problem` below `plan` below `model` below the search and
the explanations, which the entry modules (`solver`, `people`, ...) drive.

Every import counts: at module level, inside functions, and under
`TYPE_CHECKING` (a cycle hidden there is still a cycle of meaning).
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "scheduler"
# A room may import only rooms of a lower layer or its own.
LAYERS = {"problem": 0, "plan": 1, "model": 2, "search": 3, "explain": 3}
# Top-level modules every room may read: how a solve is run, its errors, and
# the strategy's figures. They import no room.
SHARED = ("scheduler.options", "scheduler.errors", "scheduler.strategy")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported(tree: ast.AST, known: dict[str, Path]) -> set[str]:
    """The scheduler modules a file imports, wherever the import stands."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                names.add(child if child in known else node.module)
    return {name for name in names if name in known}


def import_graph() -> dict[str, set[str]]:
    """Module -> the scheduler modules it imports."""
    known = modules()
    return {
        name: imported(ast.parse(path.read_text()), known) - {name}
        for name, path in known.items()
    }


def edges(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return [(source, target) for source, targets in graph.items() for target in targets]


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in LAYERS else None


def test_the_graph_sees_the_modules_and_their_imports() -> None:
    graph = import_graph()
    assert "scheduler.model.variables" in graph["scheduler.model.constraints"]
    assert "scheduler.plan.validator" in graph["scheduler.solver.planning"]
    assert "scheduler.plan.validator.whole" in graph["scheduler.plan.validator"]
    assert len(graph) > 30


def test_no_module_takes_part_in_an_import_cycle() -> None:
    try:
        TopologicalSorter(import_graph()).prepare()
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_rooms_import_only_lower_layers_and_never_the_entry_modules() -> None:
    wrong = []
    for source, target in edges(import_graph()):
        here, there = room(source), room(target)
        if here is None:
            continue
        if there is None:
            if target not in SHARED:
                wrong.append(f"{source} -> {target}")
        elif there != here and LAYERS[there] >= LAYERS[here]:
            wrong.append(f"{source} -> {target}")
    assert wrong == []


def test_the_shared_top_modules_import_no_room() -> None:
    graph = import_graph()
    assert all(room(target) is None for name in SHARED for target in graph[name])


def test_every_room_says_what_belongs_in_it() -> None:
    """The rooms and every sub-package in or beside them (the solver's
    steps, the portfolio, the validator's rules)."""
    packages = {path.parent for path in PACKAGE.rglob("__init__.py")} - {PACKAGE}
    assert {PACKAGE / name for name in LAYERS} <= packages
    assert PACKAGE / "plan" / "validator" in packages
    for package in packages:
        docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
        assert docstring is not None, package
        assert "belong" in docstring.lower(), package


def test_no_scheduler_module_passes_the_size_of_a_room() -> None:
    """Modules stay small (STYLE: under ~300 lines): a larger one is split
    into rooms by job."""
    lines = {
        name: len(path.read_text().splitlines()) for name, path in modules().items()
    }
    assert {name: n for name, n in lines.items() if n > 300} == {}
