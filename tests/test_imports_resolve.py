"""Every ``from feuille.x import name`` in the code names something ``feuille.x`` has, function-level imports
included: a name moved to another module (``find_plans``: io/sources -> io/discovery) while a branch still
imports it from the old place fails here, not in front of a user on the one path no test runs."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import feuille

SRC = Path(feuille.__file__).parent


def _missing(paths: list[Path], root: Path) -> list[str]:
    missing = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.split(".")[0] == "feuille"):
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                name = alias.name
                submodule = hasattr(module, "__path__") and importlib.util.find_spec(f"{node.module}.{name}") is not None
                if name != "*" and not hasattr(module, name) and not submodule:
                    missing.append(f"{path.relative_to(root)}:{node.lineno}: {node.module}.{name}")
    return missing


def test_every_name_imported_from_feuille_exists():
    assert not _missing(sorted(SRC.rglob("*.py")), SRC)


def test_a_name_imported_from_the_module_it_left_is_found(tmp_path):
    old = tmp_path / "old.py"
    old.write_text("def f():\n    from feuille.io.sources import SourceError, find_plans\n    from feuille.io import discovery\n", encoding="utf-8")
    assert _missing([old], tmp_path) == ["old.py:2: feuille.io.sources.find_plans"]
