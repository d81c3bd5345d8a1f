"""Installing without the package index: the wheel that ``make dist`` builds installs in a fresh venv and runs.

The wheel is built from a copy of the source tree (``python -m build --no-isolation``: the
setuptools of this environment, no download), then installed with ``pip --no-index --no-deps``
into a new virtual environment that sees this environment's packages only as its dependencies
(a ``.pth`` line: the editable feuille of the tests is not on it).  ``feuille status`` on the
example plan must then work from the wheel alone: every package, template, catalogue and
vendored schema travels in it.  No network is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("build")
setuptools = pytest.importorskip("setuptools")


def _source_copy(dest: Path) -> Path:
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard", "-z"], capture_output=True, check=True)
    for rel in filter(None, listed.stdout.decode("utf-8").split("\0")):
        if rel.startswith(("tests/", "plans/", "bench/", "docs/")) or not (ROOT / rel).is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if tuple(int(x) for x in setuptools.__version__.split(".")[:2]) < (70, 1):
        pytest.skip(f"setuptools {setuptools.__version__} cannot build a wheel without the 'wheel' package: pip install '.[test]'")
    src = _source_copy(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(src)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    [built] = out.glob("feuille-*.whl")
    return built


def test_the_wheel_carries_every_package_and_data_folder(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    src = ROOT / "src" / "feuille"
    expected = {f"feuille/{p.relative_to(src).as_posix()}" for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    expected |= {f"feuille/templates/{p.relative_to(ROOT / 'templates').as_posix()}" for p in (ROOT / "templates").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts}
    assert sorted(expected - names) == []


def test_the_wheel_installs_in_a_fresh_venv_and_runs_status(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)  # this pip installs into it (--python)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")  # typer, pydantic... from here
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-index", "--no-deps", str(wheel)],
                          capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    where = subprocess.run([str(python), "-c", "import feuille; print(feuille.__file__)"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr  # the wheel's feuille, not the tests' editable one
    script = venv / ("Scripts/feuille.exe" if os.name == "nt" else "bin/feuille")
    run = subprocess.run([str(script), "status", str(ROOT / "plans" / "la-louviere"), "--as-of", "2026-07-01", "--no-cache"], capture_output=True,
                         text=True, env={**env, "FEUILLE_CACHE_DIR": str(tmp_path / "cache")}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Déclaration de politique communale 2024-2030" in run.stdout and "Avancement global" in run.stdout
    export = subprocess.run([str(script), "export", str(ROOT / "plans" / "la-louviere"), "--format", "projets-te", "-o", str(tmp_path / "te")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert export.returncode == 0 and (tmp_path / "te" / "projets.csv").exists(), export.stderr  # the vendored schema is in the wheel
