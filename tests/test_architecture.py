"""The package's layers: each imports only the ones below it (docs: README, « Pour les développeurs »)."""

from __future__ import annotations

import ast
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
