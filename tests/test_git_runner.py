"""One hardened git runner (issue 21, item 6): history, validate, ``--commit`` and the ids taken on other
branches all run git through ``feuille.io.git`` (:class:`Git`, :class:`Repo`), with the same hardening:
no shell, no hook, no prompt, no network, literal paths, and the variables that would point git at
another repository (set when feuille runs from a git hook) removed."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

import feuille
from _cli import feuille as run_feuille

SRC = Path(feuille.__file__).parent
PLANS = Path(__file__).parent.parent / "plans"
AS_OF = "2026-11-30"
O4 = "objectives/04-logement.yaml"
WHO = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@x", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path):
    """A repository whose plan sits in a folder named like a git pathspec pattern."""
    top = tmp_path / "depot"
    plan = top / "plans" / "[ab]*"
    shutil.copytree(PLANS / "la-louviere", plan)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "commit", "-qm", "init")
    return top, plan


def test_only_the_git_module_starts_a_process():
    starts = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import | ast.ImportFrom) else []
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if "subprocess" in names or module == "subprocess" or (isinstance(node, ast.Attribute) and node.attr == "which"):
                starts.append(str(path.relative_to(SRC)))
    assert sorted(set(starts)) == ["io/git.py"]


def test_commit_goes_to_the_plans_repository_even_from_a_hook_of_another(repo, tmp_path):
    """A hook sets GIT_DIR and GIT_INDEX_FILE for its own repository: --commit must not write there."""
    top, plan = repo
    other = tmp_path / "autre"
    other.mkdir()
    git(other, "init", "-q")
    env = {**WHO, "GIT_DIR": str(other / ".git"), "GIT_INDEX_FILE": str(other / ".git" / "index"), "GIT_WORK_TREE": str(other)}
    r = run_feuille("update", "A4.2", "--progress", "35", "--plan", str(plan), "--as-of", AS_OF, "--commit", env=env)
    assert r.returncode == 0, r.stderr
    assert git(top, "log", "-1", "--format=%s").startswith("A4.2 : avancement 30 → 35")
    assert git(top, "show", "--name-only", "--format=", "HEAD").split() == [f"plans/[ab]*/{O4}"]
    assert subprocess.run(["git", "log"], cwd=other, capture_output=True).returncode != 0  # still no commit there


def test_a_commit_that_git_refuses_is_said_and_the_files_stay_written(repo):
    top, plan = repo
    (top / ".git" / "index.lock").write_text("")  # another git command at work
    r = run_feuille("update", "A4.2", "--progress", "35", "--plan", str(plan), "--as-of", AS_OF, "--commit", env=WHO)
    assert r.returncode == 2
    assert "les fichiers sont écrits mais le commit a échoué : " in r.stderr and "index.lock" in r.stderr, r.stderr
    assert "progress: 35" in (plan / O4).read_text()


def test_ids_on_another_branch_are_found_in_a_folder_whose_name_is_a_pattern(repo):
    top, plan = repo
    git(top, "checkout", "-q", "-b", "collegue")
    (plan / O4).write_text((plan / O4).read_text() + "  - id: A4.3\n    title: Sur une autre branche\n    status: not_started\n")
    git(top, "commit", "-qam", "A4.3")
    git(top, "checkout", "-q", "main")
    r = run_feuille("new", "action", "--in", "O4", "--title", "Nouvelle", "--dry-run", "--plan", str(plan), "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    assert "+  - id: A4.4" in r.stdout


def test_the_history_of_a_plan_in_a_folder_whose_name_is_a_pattern(repo):
    top, plan = repo
    (plan / O4).write_text((plan / O4).read_text().replace("progress: 30", "progress: 45", 1))
    git(top, "commit", "-qam", "A4.2 à 45")
    r = run_feuille("log", "A4.2", "--plan", str(plan))
    assert r.returncode == 0, r.stderr
    assert "A4.2 à 45" in r.stdout
