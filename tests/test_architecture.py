"""The shape of the code: no import cycle, imports only downward through the layers, small
modules. Read from the source (every ``import``, at module level or inside a function)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

SRC = REPO / "src" / "missions_kg"

#: Layers, bottom up: a module may import its own layer and the layers below, never above.
LAYERS = {
    "base": {"errors", "iris", "terms", "files", "quiet", "namespaces", "sandbox", "formats",
             "limits", "progress"},
    "data": {"project", "scanning", "loading", "cache", "userdata", "linesort"},
    "dataset": {"store"},
    "reasoning": {"rules", "reasoning", "dataset", "assembly"},
    "validation/queries": {"safety", "syntax", "params", "headers", "catalogue", "bindings",
                           "answer",
                           "engine", "rdflib_engine", "lookup", "labels", "description",
                           "stats", "shacl", "turbo", "redundant_types", "report",
                           "validation", "vocabulary",
                           "query_docs", "verdicts", "locate"},
    "results/formats": {"results", "serialize", "jsonld", "jsonld_framed", "exports",
                        "wikidata", "remote", "publish"},
    "cli/server": {"cli", "server", ""},  # "" is the front door, missions_kg/__init__.py
}
ORDER = list(LAYERS)
MAX_LINES = 300


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """The package modules ``name`` imports (``from . import __version__`` is not an edge:
    every submodule runs the package's ``__init__`` anyway)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                module = ".".join([*base, *([node.module] if node.module else [])])
            elif (node.module or "").startswith("missions_kg"):
                module = node.module.removeprefix("missions_kg").lstrip(".")
            else:
                continue
            for alias in node.names:
                target = f"{module}.{alias.name}".lstrip(".")
                found.add(target if target in MODULES else module)
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("missions_kg").lstrip(".") for a in node.names
                      if a.name.startswith("missions_kg")}
    return {m for m in found if m in MODULES and m != name and m != ""}


GRAPH = {name: _imports(name) for name in MODULES}


def _layer(name: str) -> str:
    top = name.split(".")[0]
    for layer, members in LAYERS.items():
        if top in members:
            return layer
    raise AssertionError(f"module {name} is in no layer: add it to LAYERS in {__file__}")


def test_every_module_has_a_layer():
    for name in MODULES:
        _layer(name)


def test_no_import_cycle():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(GRAPH[node]):
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep):] + [dep]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name)


@pytest.mark.parametrize("name", sorted(MODULES), ids=lambda n: n or "__init__")
def test_imports_go_down_the_layers(name):
    mine = ORDER.index(_layer(name))
    up = sorted(d for d in GRAPH[name] if ORDER.index(_layer(d)) > mine)
    assert not up, (f"{name} ({_layer(name)}) imports a higher layer: "
                    + ", ".join(f"{d} ({_layer(d)})" for d in up))


@pytest.mark.parametrize("name", sorted(MODULES), ids=lambda n: n or "__init__")
def test_modules_are_small(name):
    lines = [line for line in MODULES[name].read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert len(lines) <= MAX_LINES, f"{name}: {len(lines)} non-blank lines (max {MAX_LINES})"


def test_the_front_door_names_exist():
    import missions_kg

    for name in missions_kg.__all__:
        assert getattr(missions_kg, name) is not None, name
    assert callable(missions_kg.build) and callable(missions_kg.export)
