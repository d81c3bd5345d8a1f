"""The small inconsistencies of issue 25 (item 6): each one as a clerk met it, with the exact words now shown.

A warning that changes the meaning of a report (a past date read as today's files) is printed in the report
itself, not only on stderr.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLE, EXAMPLES, edit, git, plan_of

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


# --- diff and log: a deadline moved with its reason is said once -------------------------------------------------


def test_diff_says_a_recorded_deadline_move_once(plan, tmp_path):
    old = tmp_path / "avant"
    shutil.copytree(plan, old)
    done = feuille("update", "A2.3", "--plan", plan, "--planned-end", "31/03/2029", "--reason", "Retard du fournisseur", "--as-of", "2026-10-01")
    assert done.returncode == 0, done.stderr
    result = feuille("diff", "--plan", plan, "--against", old)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2] == "1 élément modifié dans 1 objectif : 1 date prévue, 1 autre champ."
    assert "    échéance reportée de 90 jours (31/12/2028 → 31/03/2029), le 01/10/2026 : Retard du fournisseur" in lines
    assert sum("31/03/2029" in line for line in lines) == 1, result.stdout
    english = feuille("diff", "--plan", plan, "--against", old, "--lang", "en").stdout
    assert "    deadline slipped by 90 days (31 Dec 2028 → 31 Mar 2029), on 1 Oct 2026: Retard du fournisseur" in english.splitlines(), english
    doc = json.loads(feuille("diff", "--plan", plan, "--against", old, "--format", "json").stdout)
    [moved] = [c for g in doc["groups"] for c in g["changes"] if c["kind"] == "dates"]
    assert (moved["field"], moved["old"], moved["new"], moved["delta"], moved["reason"], moved["decided"]) == (
        "planned_end", "2028-12-31", "2029-03-31", 90, "Retard du fournisseur", "2026-10-01")
    assert [c["field"] for g in doc["groups"] for c in g["changes"]] == ["planned_end", "last_reviewed"]


def test_log_says_a_recorded_deadline_move_once(repo):
    plan = plan_of(repo)
    done = feuille("update", "A2.3", "--plan", plan, "--planned-end", "31/03/2029", "--reason", "Retard du fournisseur", "--as-of", "2026-10-01",
                   "--commit")
    assert done.returncode == 0, done.stderr
    result = feuille("log", "A2.3", cwd=plan)
    assert result.returncode == 0, result.stderr
    first = result.stdout.split("\n\n")[1].splitlines()
    assert first[1:] == ["  échéance reportée de 90 jours (31/12/2028 → 31/03/2029), le 01/10/2026 : Retard du fournisseur",
                         "  dernière revue : 18/09/2026 → 01/10/2026"], result.stdout


def test_deadline_moves_edited_by_hand_are_still_said(plan, tmp_path):
    """A reschedule entry that does not match the deadline's change (typed by hand) is not merged: both are said."""
    old = tmp_path / "avant"
    shutil.copytree(plan, old)
    edit(plan / "objectives" / "02-securite.yaml", "planned_end: 2028-12-31\n",
         "planned_end: 2029-03-31\n    reschedules:\n      - {date: 2026-10-01, from: 2028-06-30, to: 2029-03-31, reason: Autre chose}\n")
    lines = feuille("diff", "--plan", plan, "--against", old).stdout.splitlines()
    assert "    échéance reportée de 90 jours (31/12/2028 → 31/03/2029)" in lines
    assert "    échéance reportée du 30/06/2028 au 31/03/2029 (le 01/10/2026) : Autre chose" in lines


# --- a past date read from today's files: the report itself says so ---------------------------------------------

BEFORE = ("aucun commit n'est antérieur à la fin du 01/01/2025 (le premier date du 10/02/2025) : le plan est lu tel qu'il est "
          "aujourd'hui.")


def test_status_before_the_first_commit_says_it_in_the_report(repo):
    plan = plan_of(repo)
    md = feuille("status", plan, "--as-of", "01/01/2025", "--format", "markdown")
    assert md.stderr.count(BEFORE) == 1  # as before, on stderr...
    head = md.stdout.split("\n\n")[1].splitlines()  # ...and in the report itself, under its date
    assert head[1:3] == ["Législature du 02/12/2024 au 01/12/2030 : 1 % du temps écoulé (au 01/01/2025)  ", f"Attention : {BEFORE}  "], md.stdout
    text = feuille("status", plan, "--as-of", "01/01/2025", "--wide")
    assert f"Attention : {BEFORE}" in text.stdout.splitlines()
    english = feuille("status", plan, "--as-of", "01/01/2025", "--wide", "--lang", "en").stdout
    assert ("Warning: no commit is older than the end of 2025-01-01 (the first is of 2025-02-10): the plan is read as it is today."
            in english.splitlines()), english
    # a date the history holds: the report says which commit (as before), no warning
    past = feuille("status", plan, "--as-of", "01/07/2025", "--format", "markdown").stdout
    assert "Attention" not in past and "Historique : le plan tel qu'enregistré à la fin du 01/07/2025" in past


def test_render_before_the_first_commit_says_it_on_the_home_page(repo, tmp_path):
    result = feuille("render", plan_of(repo), "--as-of", "01/01/2025", "-o", tmp_path / "site", "--allow-errors")
    assert result.returncode in (0, 1), result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Attention : " + BEFORE.replace("'", "&#39;") in page


# --- the internal site shows what it says it shows -------------------------------------------------------------


def test_internal_site_shows_the_contacts_it_says_it_shows(plan, tmp_path):
    edit(plan / "people.yaml", "head: kvanhove}", "head: kvanhove, email: logement@example.be}")
    edit(plan / "people.yaml", "email: direction@example.be}", "email: direction@example.be, phone: 064 27 78 11}")
    internal = feuille("render", plan, "-o", tmp_path / "i", "--audience", "internal")
    assert internal.returncode == 0, internal.stderr
    assert internal.stdout.endswith("(version interne ; tout est montré).\n"), internal.stdout
    person = (tmp_path / "i" / "people" / "cleroy.html").read_text(encoding="utf-8")
    assert ('<p class="contact">Courriel : <a href="mailto:direction@example.be">direction@example.be</a> · Téléphone : 064 27 78 11</p>'
            in person)
    service = (tmp_path / "i" / "services" / "logement.html").read_text(encoding="utf-8")
    assert '<p class="contact">Courriel : <a href="mailto:logement@example.be">logement@example.be</a></p>' in service
    md = feuille("render", plan, "-o", tmp_path / "m", "--audience", "internal", "--format", "md")
    assert md.returncode == 0, md.stderr
    assert "\n\nCourriel : direction@example.be · Téléphone : 064 27 78 11\n\n" in (tmp_path / "m" / "people" / "cleroy.md").read_text(encoding="utf-8")
    assert "\n\nCourriel : logement@example.be\n\n" in (tmp_path / "m" / "services" / "logement.md").read_text(encoding="utf-8")
    # the council's version withholds them, and says so
    council = feuille("render", plan, "-o", tmp_path / "c", "--audience", "council")
    assert "2 adresses e-mail" in council.stdout and "1 numéro de téléphone" in council.stdout, council.stdout
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "c").rglob("*.html"))
    assert "@example.be" not in pages and "064 27 78 11" not in pages and 'class="contact"' not in pages
