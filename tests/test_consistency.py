"""The small inconsistencies of issue 25 (item 6): each one as a clerk met it, with the exact words now shown.

A warning that changes the meaning of a report (a past date read as today's files) is printed in the report
itself, not only on stderr.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLE, EXAMPLES, git, plan_of

# --- status --format markdown: every column has a header -----------------------------------------------------


def test_status_markdown_table_names_every_column():
    result = feuille("status", str(EXAMPLE), "--format", "markdown", "--as-of", "2026-10-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    head = lines.index("| N° | Objectif | Avancement | Attendu | Actions | Budget prévu | État |")
    assert lines[head + 1] == "|---|---|---:|---:|---|---:|---|"
    assert lines[head + 2].startswith("| O1 | Favoriser un cadre de vie")
    english = feuille("status", str(EXAMPLE), "--format", "markdown", "--as-of", "2026-10-01", "--lang", "en").stdout
    assert "| No. | Objective | Progress | Expected | Actions | Planned budget | Verdict |" in english.splitlines()


# --- import: a line number is 1-based, or not said --------------------------------------------------------------


def test_import_problem_about_the_whole_sheet_names_no_line(tmp_path):
    (tmp_path / "p.csv").write_text("Action;Responsable politique;Statut\nNettoyer;Dupont;En cours\nPlanter;Martin;En cours\n", encoding="utf-8")
    result = feuille("import", "p.csv", "nouveau", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout + result.stderr
    assert "ligne 0" not in out
    assert ("  - à vérifier : feuille « p » : « Dupont, Martin » — personnes citées sans prénom : prénom « ? » dans people.yaml, à "
            "compléter.") in out.splitlines(), out


def test_a_sheet_problem_of_a_row_still_names_its_line():
    from feuille.formats.spreadsheet.read import Problem

    assert Problem("Actions", 12, "L", "Avancement", "cent", "?").show("fr") == "feuille « Actions », ligne 12, colonne L (Avancement) : « cent » — ?"
    assert Problem("Actions", 0, "", "", "", "?").show("fr") == "feuille « Actions » — ?"


# --- log and show name the plan's folder, never « .. » ----------------------------------------------------------


def test_log_of_an_unknown_id_names_the_plan_folder_not_dot_dot(repo):
    result = feuille("log", "A2.99", cwd=plan_of(repo) / "objectives")
    assert result.returncode == 2
    assert result.stderr.startswith("feuille : aucun objectif ni action « A2.99 » dans l'historique de plan.\n"), result.stderr
    assert ".." not in result.stderr.splitlines()[0]


def test_show_at_a_revision_names_the_plan_folder_not_dot(repo):
    result = feuille("show", "A2.99", "--rev", "HEAD~1", cwd=plan_of(repo))
    assert result.returncode == 2
    head = git(repo, "rev-parse", "--short=7", "HEAD~1")
    assert f"feuille : aucun objectif ni action « A2.99 » dans plan à la révision {head} (HEAD~1)." in result.stderr, result.stderr


def test_the_folder_name_of_dot_is_the_current_folder(tmp_path, monkeypatch):
    from feuille.core.shell import folder_name

    (tmp_path / "mon-plan" / "objectives").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "mon-plan" / "objectives")
    assert [folder_name(p) for p in ("..", ".", "../objectives", "plans/la-louviere", Path(".."))] == [
        "mon-plan", "objectives", "../objectives", "plans/la-louviere", "mon-plan"]


# --- show --as-of: the history note once, even when the repository holds several plans -------------------------


@pytest.fixture
def two_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with both example plans, one commit on 10/02/2025; history on."""
    monkeypatch.delenv("FEUILLE_HISTORY", raising=False)
    root = tmp_path / "depot"
    root.mkdir()
    for name in ("la-louviere", "plan-strategique"):
        shutil.copytree(EXAMPLES / name, root / name)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Plans", when="2025-02-10T10:00:00+01:00")
    return root


def test_show_as_of_before_the_history_says_it_once(two_plans):
    result = feuille("show", "A2.2", "--as-of", "01/01/2025", cwd=two_plans)
    assert "Action A2.2 — Recruter et déployer des gardiens de la paix dans les quartiers" in result.stdout.splitlines()
    said = "feuille : aucun commit n'est antérieur à la fin du 01/01/2025 (le premier date du 10/02/2025) : le plan est lu tel qu'il est aujourd'hui."
    assert result.stderr.count(said) == 1, result.stderr
    assert result.stderr.count("feuille :") == 1, result.stderr
