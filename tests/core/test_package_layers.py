"""The package's shape, read from its source: layers that import only downward.

The core is the lesson, so it must stay small and stand alone; no two modules may import each
other, directly or around a loop (a function-level import counts too); kernels are array math
with no ``Function`` and no ``Tensor``; no file grows past what a reader takes in.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "tinygrad_acts"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """The package modules that ``name`` imports, anywhere in its source."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] + [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for n in names:
            while n and n not in MODULES:
                n = n.rpartition(".")[0]
            # a module importing its own package's __init__ is how Python loads it, not a loop
            if n and n != name and not name.startswith(n + "."):
                found.add(n)
    return found


GRAPH = {name: _imports(name) for name in MODULES}


def _cycle() -> list[str] | None:
    """A loop in the import graph, if there is one (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in GRAPH:
        if start in state:
            continue
        path, stack = [start], [iter(sorted(GRAPH[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(GRAPH[nxt])))
    return None


def test_no_module_imports_itself_around_a_loop():
    assert _cycle() is None, " -> ".join(_cycle() or [])


def test_the_search_finds_a_loop_when_there_is_one():
    GRAPH["tinygrad_acts.core.tensor"].add("tinygrad_acts.core.engine")  # engine imports tensor
    try:
        loop = _cycle()
    finally:
        GRAPH["tinygrad_acts.core.tensor"].discard("tinygrad_acts.core.engine")
    assert loop is not None and loop[0] == loop[-1]


def test_the_core_imports_nothing_of_the_package_outside_itself():
    core = {n for n in MODULES if n.startswith("tinygrad_acts.core")}
    outside = {(n, t) for n in core for t in GRAPH[n] if not t.startswith("tinygrad_acts.core")}
    assert not outside, outside


def test_the_core_reads_in_one_sitting():
    lines = sum(len(p.read_text().splitlines()) for n, p in MODULES.items() if ".core" in n)
    assert 300 < lines <= 900


def test_kernels_are_array_math_only():
    for name in (n for n in MODULES if n.startswith("tinygrad_acts.kernels")):
        assert not GRAPH[name] - {n for n in MODULES if n.startswith("tinygrad_acts.kernels")}


def test_each_layer_imports_only_the_layers_below_it():
    order = ["core", "kernels", "ops", "torch_compat"]
    for name, targets in GRAPH.items():
        layer = name.split(".")[1] if "." in name else ""
        if layer not in order:
            continue
        allowed = set(order[: order.index(layer) + 1])
        for target in targets:
            assert target.split(".")[1] in allowed, f"{name} imports {target}"


def test_no_file_is_longer_than_a_reader_takes_in():
    long = {n: len(p.read_text().splitlines()) for n, p in MODULES.items()}
    assert {n: k for n, k in long.items() if k > 600} == {}


def test_every_op_has_one_derivative_rule():
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                assert node.name not in ("array_backward", "backward_array"), name
