"""The wheel carries every package and every built-in template without a list to keep (issue 21, item 4).

pyproject.toml finds the packages under src/ (``packages.find``, no namespace packages) and the templates by
their extensions in every folder: these tests fail on what a wheel would silently leave out.  (Building and
installing the wheel itself: tests/test_wheel.py.)
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "feuille"
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_packages_are_found_not_listed():
    assert isinstance(CONFIG["packages"], dict)  # not a list to keep: it would miss the next package (feuille.app was missing)
    find = CONFIG["packages"]["find"]
    assert find["where"] == ["src"] and find["namespaces"] is False


def test_every_folder_of_modules_is_a_package():
    """With ``namespaces = false``, a folder of modules without ``__init__.py`` would not be in the wheel."""
    missing = sorted(str(d.relative_to(SRC)) for d in SRC.rglob("*") if d.is_dir() and d.name != "__pycache__"
                     and any(d.glob("*.py")) and not (d / "__init__.py").exists())
    assert not missing, missing


def test_every_package_is_found():
    from setuptools import find_packages

    found = set(find_packages(str(ROOT / "src"), include=["feuille*"]))
    expected = {"feuille." + ".".join(d.relative_to(SRC).parts) if d != SRC else "feuille"
                for d in [SRC, *SRC.rglob("*")] if d.is_dir() and (d / "__init__.py").exists()}
    assert {"feuille.app", "feuille.formats.spreadsheet", "feuille.formats.ecomptes", "feuille.templates"} <= found
    assert found == expected


def test_every_data_file_is_in_the_package_data():
    """Templates, the catalogues, the eComptes schema: every file that is not Python matches a package-data pattern."""
    data = CONFIG["package-data"]
    left_out = []
    for path in SRC.rglob("*"):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        package = path.parent
        while not (package / "__init__.py").exists():
            package = package.parent
        name = ".".join(("feuille", *package.relative_to(SRC).parts)) if package != SRC else "feuille"
        rel = path.relative_to(package).as_posix()
        patterns = [p for key, ps in data.items() if key == name for p in ps]
        if not any(fnmatch.fnmatch(rel, p) or (p.startswith("**/") and fnmatch.fnmatch(rel.rsplit("/", 1)[-1], p[3:])) for p in patterns):
            left_out.append(f"{name}: {rel}")
    assert not left_out, left_out
