"""The package's layers: each imports only the ones below it (docs: README, « Pour les développeurs »)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "feuille"
LAYERS = ["core", "io", "checks", "pipeline", "compute", "views", "app", "cli"]  # bottom to top
SAME_LEVEL = {"formats": "views"}  # formats/ (one package per file format) sits beside views/: neither imports the other's callers


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "feuille" or len(parts) < 2:
        return None
    name = SAME_LEVEL.get(parts[1], parts[1])
    return LAYERS.index(name) if name in LAYERS else None


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] in {*LAYERS, *SAME_LEVEL, "pipeline.py"})


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            out += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_each_module_imports_only_its_layer_and_those_below(path):
    rel = path.relative_to(SRC)
    own = LAYERS.index(SAME_LEVEL.get(rel.parts[0], rel.parts[0]).removesuffix(".py"))
    wrong = [f"line {line}: {name} ({LAYERS[layer]})" for line, name in _imports(path) if (layer := _layer(name)) is not None and layer > own]
    assert not wrong, f"{rel} ({LAYERS[own]}) imports from a layer above it: {wrong}"


def test_no_module_is_left_outside_the_layers():
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "pipeline.py"]


# --- no import cycle ------------------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Each module of feuille and the modules of feuille it imports, wherever (module level or in a function), except
    under ``if TYPE_CHECKING:`` (annotations only): a function-level import still ties two modules together."""
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                       for n in ast.walk(node)}
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("feuille"):
                found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("feuille")}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    assert not _cycles(_import_graph()), "modules that import each other (directly or through others)"


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_test_module_imports_another():
    """Shared fixtures live in tests/conftest.py, shared helpers in tests/_cli.py, _plans.py, catalogue.py."""
    tests = Path(__file__).parent
    wrong = []
    for path in sorted(tests.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            wrong += [f"{path.name}: {n}" for n in names if n.startswith(("test_", "tests.test_"))]
    assert not wrong


# --- the command line goes through the use cases ----------------------------------------------------------------


def _cli_reaching_below_app() -> list[str]:
    """Each import of io/ or compute/ by a module of cli/ (module level or in a function): a command reaches them
    through app/ (the use cases: app/plans, app/output, app/console, app/publish...)."""
    wrong = []
    for path in sorted((SRC / "cli").rglob("*.py")):
        for line, name in _imports(path):
            if name.startswith(("feuille.io", "feuille.compute")) and name.split(".")[1] in {"io", "compute"}:
                wrong.append(f"{path.relative_to(SRC)}:{line}: {name}")
    return sorted(set(wrong))


def test_no_cli_module_imports_io_or_compute():
    assert not _cli_reaching_below_app(), "cli/ reaches io/ or compute/ without going through app/"


def test_the_cli_rule_sees_a_function_level_import(tmp_path, monkeypatch):
    (tmp_path / "cli").mkdir()
    (tmp_path / "cli" / "x.py").write_text("def f():\n    from feuille.io.files import write_file\n    from feuille.app.output import write_file\n",
                                           encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    assert _cli_reaching_below_app() == ["cli/x.py:2: feuille.io.files", "cli/x.py:2: feuille.io.files.write_file"]


# --- the command line stays thin: a command parses options, calls one use case, hands the result to one view ----------------------

CLI_MODULE_LINES = 150  # each module of cli/ (a command, the frame, the shared options): what is more is logic for app/ or views/
CLI_LINES = 2_000  # the whole of cli/


def _cli_sizes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): len(p.read_text(encoding="utf-8").splitlines()) for p in sorted((root / "cli").rglob("*.py"))}


def _too_big(sizes: dict[str, int]) -> list[str]:
    wrong = [f"{name}: {n} lines (at most {CLI_MODULE_LINES})" for name, n in sizes.items() if n > CLI_MODULE_LINES]
    if sum(sizes.values()) > CLI_LINES:
        wrong.append(f"cli/: {sum(sizes.values())} lines (at most {CLI_LINES})")
    return wrong


def test_the_command_line_is_thin():
    assert not _too_big(_cli_sizes(SRC)), "move the logic to a use case (app/) or a view (views/)"


def test_the_size_rule_sees_a_module_and_the_whole_grow(tmp_path):
    (tmp_path / "cli").mkdir()
    (tmp_path / "cli" / "small.py").write_text("x = 1\n" * CLI_MODULE_LINES, encoding="utf-8")
    assert _too_big(_cli_sizes(tmp_path)) == []
    (tmp_path / "cli" / "big.py").write_text("x = 1\n" * (CLI_MODULE_LINES + 1), encoding="utf-8")
    assert _too_big(_cli_sizes(tmp_path)) == [f"cli/big.py: {CLI_MODULE_LINES + 1} lines (at most {CLI_MODULE_LINES})"]
    for i in range(14):
        (tmp_path / "cli" / f"m{i}.py").write_text("x = 1\n" * CLI_MODULE_LINES, encoding="utf-8")
    assert _too_big(_cli_sizes(tmp_path))[-1].startswith("cli/: ")
