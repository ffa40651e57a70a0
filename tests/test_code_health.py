"""The code's own shape: no import cycles (imports inside functions included), one exception base."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import deckgen

PACKAGE = Path(deckgen.__file__).resolve().parent


def _module_name(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")


def import_graph() -> dict[str, set[str]]:
    """Each deckgen module → the deckgen modules it imports anywhere (top level, functions, TYPE_CHECKING)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "_compiled_themes" in path.parts:
            continue
        name = _module_name(path)
        package_parts = name.split(".")[:-1]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package_parts[: len(package_parts) - (node.level - 1)] if node.level > 1 else package_parts
                    stem = ".".join([*base, node.module] if node.module else base)
                    if node.module:
                        targets.add(stem)
                    else:  # `from . import x`: x is a module of the package, or a name its __init__ holds
                        for alias in node.names:
                            module = ".".join([*base, alias.name])
                            is_module = PACKAGE.joinpath(*module.split(".")).with_suffix(".py").is_file()
                            targets.add(module if is_module else ".".join([*base, "__init__"]))
                elif node.module and node.module.startswith("deckgen."):
                    targets.add(node.module.removeprefix("deckgen."))
            elif isinstance(node, ast.Import):
                targets.update(a.name.removeprefix("deckgen.") for a in node.names if a.name.startswith("deckgen."))
        known = {_module_name(p) for p in PACKAGE.rglob("*.py")}
        graph[name] = {t for t in targets if t in known and t != name}  # the package itself (`__init__`) too
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, as the modules around it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycles_even_through_imports_inside_functions() -> None:
    graph = import_graph()
    assert "builder" in graph and "loader" in graph["builder"]  # the graph sees the package's imports
    assert "builder" in graph["__init__"] and "importers.__init__" in graph["importers.reading"]  # and the packages' own
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph) or [])


def test_every_exception_of_the_package_shares_one_exported_base() -> None:
    import importlib

    found = []
    for name in sorted(set(import_graph()) - {"__main__"}):  # __main__ runs the command
        module = importlib.import_module(f"deckgen.{name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith("deckgen"):
                found.append(value)
    assert len(found) >= 6
    for exception in found:
        assert issubclass(exception, deckgen.DeckgenError), exception
    for name in ("DeckError", "SetupError", "ThemeError", "PdfError", "ServeError"):
        assert issubclass(getattr(deckgen, name), deckgen.DeckgenError)
