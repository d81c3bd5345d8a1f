"""Finding the plans of a repository: ``feuille lint .`` at its root finds a plan in ``plans/ma-commune/`` (or deeper),
honouring .gitignore, never looking into .git, a rendered site, a virtual environment, nor through a link to a folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from _cli import feuille
from feuille.io.discovery import plans_below

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "plans" / "la-louviere"


def _git(repo: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
                   check=True, capture_output=True, env=env)


def _plan(where: Path) -> Path:
    shutil.copytree(EXAMPLE, where)
    return where


@pytest.fixture
def repo(tmp_path) -> Path:
    """A town's repository: the plan two folders down, and places where a plan.yaml must not be looked for."""
    root = tmp_path / "depot"
    _plan(root / "plans" / "ma-commune")
    (root / "README.md").parent.mkdir(parents=True, exist_ok=True)
    (root / "README.md").write_text("Plan de la commune\n", encoding="utf-8")
    _plan(root / "archives" / "ancien")  # ignored by .gitignore
    (root / ".gitignore").write_text("archives/\n", encoding="utf-8")
    _plan(root / "site" / "copie")  # a rendered site's folder
    venv = root / "venv" / "lib"
    _plan(venv / "exemple")
    (root / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")  # a virtual environment
    _plan(root / ".cache" / "plan")
    os.symlink(root / "plans" / "ma-commune", root / "lien")  # a link to a folder: never followed
    _git(root, "init", "-q")
    return root


def test_every_plan_under_the_root_and_only_those(repo):
    assert plans_below(repo) == [repo / "plans" / "ma-commune"]


def test_lint_dot_at_the_root_finds_the_plan_in_its_subfolder(repo):
    run = feuille("lint", ".", cwd=repo)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "plans/ma-commune" in run.stdout
    assert feuille("lint", cwd=repo).returncode == 0  # the pre-commit hook's « entry: feuille lint », no argument
    assert feuille("status", ".", "--as-of", "2026-07-01", cwd=repo).returncode == 0


def test_outside_git_the_walk_still_skips_sites_virtualenvs_and_links(repo):
    shutil.rmtree(repo / ".git")
    found = plans_below(repo)
    assert repo / "plans" / "ma-commune" in found and repo / "archives" / "ancien" in found  # no git: no .gitignore to honour
    assert not any(part in ("site", "venv", ".cache", "lien") for p in found for part in p.relative_to(repo).parts)


def test_two_plans_in_a_repository_are_both_linted_and_named_for_one_plan_commands(repo):
    _plan(repo / "plans" / "cpas")
    run = feuille("lint", ".", cwd=repo)
    assert run.returncode == 0 and "plans/cpas" in run.stdout and "plans/ma-commune" in run.stdout
    render = feuille("render", ".", "--out", str(repo.parent / "out"), cwd=repo)
    assert render.returncode == 2 and "plans/cpas" in render.stderr and "plans/ma-commune" in render.stderr
