"""The packages are layered: each imports, at run time, only from those below it.

Imports under ``if TYPE_CHECKING:`` are for the type checker and never run, so
they do not count; every other import does, wherever it stands (a function's
body included), since it runs the first time that code does.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import mobility


if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

PACKAGE = Path(mobility.__file__).parent

#: Lowest first. A package may import from its own layer's modules only within
#: itself, and from every layer below its own.
LAYERS = (
    ("errors", "_kinds", "_lazy", "_plotting", "_words"),
    ("model",),
    ("safety",),
    ("formats",),
    ("catalog", "progress", "research"),
    ("cli",),
    ("__main__",),
)
LAYER = {package: rank for rank, names in enumerate(LAYERS) for package in names}


def module_name(path: Path) -> str:
    """``.../mobility/formats/json.py`` -> ``mobility.formats.json``."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    """Whether a dotted name is a module of the package (not a name in one)."""
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (
        PACKAGE / relative / "__init__.py"
    ).is_file()


def run_time_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node outside an ``if TYPE_CHECKING:`` block."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *ast.walk(child)])
            continue
        yield node
        yield from run_time_nodes(node)


def run_time_imports(path: Path) -> set[str]:
    """The mobility modules a module imports when it runs."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in run_time_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("mobility")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if not target.startswith("mobility"):
                continue
            modules = {f"{target}.{a.name}" for a in node.names}
            modules = {m for m in modules if is_module(m)}
            # `from .. import _lazy` runs the package, as every import of a
            # submodule does; only a name that is not a module uses it.
            if len(modules) < len(node.names):
                found.add(target)
            found |= modules
    found.discard(name)
    return found


def package_of(module: str) -> str:
    """``mobility.formats.json`` -> ``formats``; the root package is ``mobility``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "mobility"


def package_graph() -> dict[str, set[str]]:
    """Each package and the other packages its modules import at run time."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = package_of(module_name(path))
        for target in run_time_imports(path):
            if package_of(target) != source:
                graph.setdefault(source, set()).add(package_of(target))
    return graph


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the nodes along it, or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph.get(node, ())):
            cycle = visit(target, [*path, node])
            if cycle:
                return cycle
        done.add(node)
        return None

    for node in sorted(graph):
        cycle = visit(node, [])
        if cycle:
            return cycle
    return None


class TestTheCheckerItself:
    def test_it_finds_a_cycle(self) -> None:
        """A checker that cannot see a cycle would pass any layout."""
        graph = {"formats": {"model", "progress"}, "progress": {"formats"}}
        assert find_cycle(graph) == ["formats", "progress", "formats"]
        assert find_cycle({"formats": {"model"}, "progress": {"formats"}}) is None

    def test_it_counts_imports_in_functions_and_not_for_the_type_checker(
        self,
    ) -> None:
        """A deferred import runs and counts; a TYPE_CHECKING one never runs."""
        module = PACKAGE / "formats" / "json.py"
        found = run_time_imports(module)
        assert "mobility.model" in found
        assert "mobility.progress" not in found  # imported for the type checker
        assert not any(m.startswith("mobility.safety") for m in found)
        converter = run_time_imports(PACKAGE / "formats" / "_converter.py")
        assert "mobility.safety.validator" in converter  # inside report_hook()


class TestLayers:
    def test_every_package_has_a_layer(self) -> None:
        """A new package must be placed before the other checks can hold it."""
        packages = {package_of(module_name(p)) for p in PACKAGE.rglob("*.py")}
        assert packages - {"mobility"} == set(LAYER)

    def test_no_package_imports_from_above_or_beside_it(self) -> None:
        """Each import points down: the layering the docs describe holds."""
        upward = sorted(
            f"{source} imports {target}"
            for source, targets in package_graph().items()
            if source != "mobility"
            for target in targets
            if target == "mobility" or LAYER[target] >= LAYER[source]
        )
        assert upward == []

    def test_no_import_cycle_between_packages(self) -> None:
        """The issue's own criterion, checked apart from the layer order."""
        assert find_cycle(package_graph()) is None

    @pytest.mark.parametrize(
        ("code", "absent"),
        [
            (
                (
                    "from mobility import catalog, from_json, to_json\n"
                    "from_json(to_json(catalog.get('lower-trunk-rotation')))"
                ),
                ("mobility.safety.validator", "mobility.progress._record"),
            ),
            (
                "import mobility.catalog",
                ("mobility.formats._converter", "mobility.safety.validator"),
            ),
            (
                "from mobility.progress import SessionRecord",
                ("mobility.safety.validator",),
            ),
        ],
    )
    def test_a_job_loads_only_what_it_needs(
        self, code: str, absent: tuple[str, ...]
    ) -> None:
        """Reading a document never loads the validator; the catalogue, no format."""
        loaded = f"print(sorted(set(sys.modules) & {set(absent)!r}))"
        script = f"{code}\nimport sys\n{loaded}"
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == "[]"
