"""The package's layers point down only, and no import cycle hides anywhere.

Every ``import`` in ``src/spectrace`` is read with ``ast`` (function-level imports included:
they hid a cycle through ``api`` before), giving a graph of modules. ``from spectrace import
xmlsafe`` counts as importing ``spectrace.xmlsafe``, as Python loads it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "src"

#: Each top-level part of the package and its layer: a part imports only parts of its own
#: layer or below (model ← readers/transforms ← config ← writers/store/trace/site ← api ←
#: the integrations).
LAYERS = {
    **dict.fromkeys(
        ("errors", "limits", "text", "labels", "findings", "xmlsafe", "fileio", "cache"), 0
    ),
    **dict.fromkeys(("outputs", "background"), 0),
    "progress": 0,
    "model": 1,
    "readers": 2,
    "transforms": 2,
    "config": 3,
    **dict.fromkeys(("writers", "store", "trace", "site", "inputs"), 4),
    "api": 5,
    **dict.fromkeys(("cli", "serve", "sphinx", "pytest_plugin", "__main__", ""), 6),
}
#: Imports up the layers that are meant, each with why.
ALLOWED_UP = {
    # The canonical reader accepts a file only if rendering what it read gives the file back.
    ("spectrace.readers.rst.canonical", "spectrace.writers.rst"),
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SOURCE / "spectrace").rglob("*.py"):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imported(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the spectrace modules ``module`` imports, anywhere in its code."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
            names = submodules + ([base] if len(submodules) < len(node.names) else [])
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name.startswith("spectrace") and name != module:
                targets.add(name)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imported(name, path, modules) for name, path in modules.items()}


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected parts of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.append(member)
                    if member == node:
                        break
                if len(part) > 1:
                    found.append(sorted(part))
    return found


def test_every_part_of_the_package_has_a_layer():
    assert sorted({_part(m) for m in _graph()} - set(LAYERS)) == []


def test_no_module_imports_one_of_a_higher_layer():
    upward = [
        (module, target)
        for module, targets in _graph().items()
        for target in sorted(targets)
        if LAYERS[_part(target)] > LAYERS[_part(module)] and (module, target) not in ALLOWED_UP
    ]
    assert upward == []


def test_there_is_no_import_cycle_even_through_function_level_imports():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
