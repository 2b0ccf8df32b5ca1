"""Every dependency between the product's modules runs one way: no module imports, even
lazily inside a function, one that imports it back."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import rencontre

PACKAGE_ROOT = Path(rencontre.__file__).parent


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root``, by dotted name (a package by its own name)."""
    names: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imported_names(module: str, path: Path) -> set[str]:
    """What ``module`` imports anywhere in its body (top level, functions, type-checking blocks).

    ``from a.b import c`` counts as ``a.b`` and ``a.b.c``: ``c`` may be a module or a name in one.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = module_names(root)
    return {
        module: {name for name in imported_names(module, path) if name in modules and name != module}
        for module, path in modules.items()
    }


def first_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        cycle: list[str] = error.args[1]
        return cycle
    return None


class TestModulesImportOneWay:
    def test_no_module_of_the_product_imports_one_that_imports_it_back(self) -> None:
        graph = import_graph(PACKAGE_ROOT)
        assert len(graph) > 50  # the whole package was read, not an empty folder
        assert first_cycle(graph) is None

    def test_the_health_check_reads_the_database_probe_without_the_app(self) -> None:
        graph = import_graph(PACKAGE_ROOT)
        assert "rencontre.app" not in graph["rencontre.health"]
        assert "rencontre.db" in graph["rencontre.health"]

    def test_the_broker_interface_knows_no_broker_that_implements_it(self) -> None:
        graph = import_graph(PACKAGE_ROOT)
        assert "rencontre.feed.postgres" not in graph["rencontre.feed.broker"]


class TestTheCycleCheckSeesLazyImports:
    def test_an_import_inside_a_function_that_closes_a_circle_is_found(self, tmp_path: Path) -> None:
        package = tmp_path / "circle"
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "first.py").write_text("from circle.second import helper\n")
        (package / "second.py").write_text("def helper():\n    from . import first\n    return first\n")
        cycle = first_cycle(import_graph(package))
        assert cycle is not None
        assert set(cycle) == {"circle.first", "circle.second"}
