"""The same changes through every path that writes a plan: the same YAML, or the same refusal (issue 21, the write service).

``feuille update``, a returned sheet (xlsx and csv), ``feuille review`` and ``feuille new`` all hand their changes to
app/write.py: status, progress and actual dates follow the same rules, a moved deadline needs its reason and is kept
in ``reschedules``, the action is reviewed the day a person changes it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests._cli import feuille

BASE = Path(__file__).parent / "cases" / "_base"
DAY = dt.date.today()  # a returned sheet is written on the day it is imported: every path runs on it
ACTION = "objectives/01-base.yaml"
OBJECTIVE = """id: O1
title: Objectif de base
actions:
  - id: A1.1
    title: Action de base
    political_owners: [echevin]
    admin_owner: agent
    planned_start: 2025-01-01
    planned_end: 2029-12-31
    status: ongoing
    progress: 40
    stake: 4
    urgency: 3
    roi: 2
    last_reviewed: 2020-01-01
"""


@pytest.fixture
def make(tmp_path):
    """A fresh copy of one small plan, one per path."""
    count = iter(range(100))

    def one() -> Path:
        root = tmp_path / f"plan{next(count)}"
        shutil.copytree(BASE, root)
        (root / ACTION).write_text(OBJECTIVE, encoding="utf-8")
        return root

    return one


def update(root: Path, *args: str):
    return feuille("update", "A1.1", *args, "--plan", root, "--as-of", DAY.isoformat())


def sheet(root: Path, suffix: str, cells: dict[str, object]):
    """Export the plan to a sheet, change A1.1's ``cells`` (by header) as a person would, import it back."""
    out = root.parent / f"{root.name}-retour{suffix}"
    assert feuille("export", root, "-f", suffix[1:], "-o", out).returncode == 0
    if suffix == ".xlsx":
        wb = openpyxl.load_workbook(out)
        ws = wb["Action"]
        head = [c.value for c in ws[1]]
        row = next(r for r in ws.iter_rows(min_row=2) if r[head.index("Identifiant")].value == "A1.1")
        for header, value in cells.items():
            row[head.index(header)].value = value
        wb.save(out)
    else:
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
        head = rows[0]
        row = next(r for r in rows[1:] if "A1.1" in r)
        for header, value in cells.items():
            row[head.index(header)] = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
        text = io.StringIO()
        csv.writer(text, delimiter=";").writerows(rows)
        out.write_text(text.getvalue(), encoding="utf-8-sig")
    return feuille("import", out, root)


def review(root: Path, answers: list[str]):
    """``feuille review`` of the action's owner, answering its questions (Enter keeps a value)."""
    return feuille("review", "--owner", "agent", "--plan", root, "--as-of", DAY.isoformat(), input="\n".join(answers) + "\n")


def action_text(root: Path) -> str:
    return (root / ACTION).read_text(encoding="utf-8")


# --- the same change: the same YAML -------------------------------------------------------------------


def test_a_status_done_through_every_path_writes_the_same_yaml(make):
    results = {}
    root = make()
    assert update(root, "--status", "terminé").returncode == 0
    results["update"] = action_text(root)
    for suffix in (".xlsx", ".csv"):
        root = make()
        r = sheet(root, suffix, {"Statut": "Terminé"})
        assert r.returncode == 0, r.stdout + r.stderr
        results[f"sheet{suffix}"] = action_text(root)
    root = make()
    # Enter: update; status; progress kept (40), asked again for a done action (100); achieved, remaining, health,
    # actual start, actual end, deadline kept; « Enregistrer ? » yes
    r = review(root, ["", "terminé", "", "", "", "", "", "", "", "", "o"])
    assert r.returncode == 0, r.stdout + r.stderr
    results["review"] = action_text(root)
    expected = OBJECTIVE.replace("    status: ongoing\n    progress: 40\n", f"    actual_end: {DAY}\n    status: done\n    progress: 100\n").replace(
        "    last_reviewed: 2020-01-01\n", f"    last_reviewed: {DAY}\n")
    assert results == {path: expected for path in results}
    root = make()  # a new action said done: the same rules (ended today, reviewed today), in its file's block style
    r = feuille("new", "action", "--in", "O1", "--title", "Action de base", "--status", "terminé", "--plan", root, "--as-of", DAY.isoformat())
    assert r.returncode == 0, r.stdout + r.stderr
    assert action_text(root).endswith(f"  - id: A1.2\n    title: Action de base\n    actual_end: {DAY}\n    status: done\n    last_reviewed: {DAY}\n")


def test_a_moved_deadline_with_its_reason_through_every_path_writes_the_same_yaml(make):
    new_end = dt.date(2030, 6, 30)
    results = {}
    root = make()
    assert update(root, "--planned-end", "30/06/2030", "--reason", "Marché relancé").returncode == 0
    results["update"] = action_text(root)
    for suffix in (".xlsx", ".csv"):
        root = make()
        r = sheet(root, suffix, {"Fin prévue": new_end, "Motif du report": "Marché relancé"})
        assert r.returncode == 0, r.stdout + r.stderr
        results[f"sheet{suffix}"] = action_text(root)
    root = make()
    r = review(root, ["", "", "", "", "", "", "", "", "30/06/2030", "Marché relancé", "o"])
    assert r.returncode == 0, r.stdout + r.stderr
    results["review"] = action_text(root)
    expected = OBJECTIVE.replace("    planned_end: 2029-12-31\n", "    planned_end: 2030-06-30\n    reschedules:\n"
                                 f"      - {{date: {DAY}, from: 2029-12-31, to: 2030-06-30, reason: Marché relancé}}\n").replace(
                                 "    last_reviewed: 2020-01-01\n", f"    last_reviewed: {DAY}\n")
    assert results == {path: expected for path in results}


# --- the same change refused: the same reason, nothing written ---------------------------------------------------


def test_done_at_60_percent_is_refused_by_every_path_with_the_same_words(make):
    said = "A1.1 : statut « terminée » et avancement 60 % se contredisent ; rien n'a été écrit."
    root = make()
    r = update(root, "--status", "terminé", "--progress", "60")
    assert r.returncode == 2 and said in r.stderr and action_text(root) == OBJECTIVE
    for suffix in (".xlsx", ".csv"):
        root = make()
        r = sheet(root, suffix, {"Statut": "Terminé", "Avancement saisi (%)": 60})
        assert r.returncode == 1 and said in r.stderr and action_text(root) == OBJECTIVE, r.stdout + r.stderr
        assert "colonne " in r.stderr and "(Avancement saisi (%)) : " + said in r.stderr  # the row and the column to correct
    root = make()  # a new action: the same rule, through the write service (`feuille new` has no --progress)
    from feuille.app import write
    from feuille.pipeline import load_path

    planned = write.prepare(load_path(root, DAY), new=[write.NewItem("action", "O1", {"title": "Nouvelle", "status": "done", "progress": 60})], day=DAY)
    assert planned.refused and [r.message("fr") for r in planned.refusals] == [said.replace("A1.1", "A1.2")] and not planned.edits


def test_a_moved_deadline_without_a_reason_is_refused_by_every_path(make):
    root = make()
    r = update(root, "--planned-end", "30/06/2030")
    said = "A1.1 : l'échéance passerait du 31/12/2029 au 30/06/2030 sans raison ; rien n'a été écrit."
    assert r.returncode == 2 and said in r.stderr and action_text(root) == OBJECTIVE
    for suffix in (".xlsx", ".csv"):
        root = make()
        r = sheet(root, suffix, {"Fin prévue": dt.date(2030, 6, 30)})
        assert r.returncode == 1 and said in r.stderr and action_text(root) == OBJECTIVE, r.stdout + r.stderr
        assert "« Motif du report »" in r.stderr  # where the reason goes in a sheet


def test_a_machines_change_does_not_review_the_action(make):
    root = make()
    r = feuille("prioritise", root, "--mark-priority", "1", "--as-of", DAY.isoformat())
    assert r.returncode == 0, r.stderr
    assert "    priority: 1\n" in action_text(root) and "    last_reviewed: 2020-01-01\n" in action_text(root)


# --- a new plan from an import: written, and the source's own errors listed -----------------------------------


def test_an_import_that_creates_a_plan_writes_it_and_lists_the_sources_own_errors(tmp_path):
    plans = Path(__file__).parent.parent / "plans"
    assert feuille("export", plans / "la-louviere", "-f", "ecomptes", "-o", tmp_path / "pst.xml").returncode == 0
    text = (tmp_path / "pst-ville.xml").read_text(encoding="utf-8")
    start = text.index("<DateDebut>") + len("<DateDebut>")
    (tmp_path / "pst-ville.xml").write_text(text[:start] + "2099-01-01" + text[start + 10:], encoding="utf-8")  # a start after its end, in the file
    r = feuille("import", tmp_path / "pst-ville.xml", tmp_path / "nouveau")
    assert r.returncode == 1 and (tmp_path / "nouveau" / "plan.yaml").is_file(), r.stdout + r.stderr  # written all the same
    assert "Le nouveau plan contient 1 erreur qui vient du fichier (écrite telle qu'il la donnait) :" in r.stdout
    assert ": F401 " in r.stdout and "2099-01-01" in r.stdout and f"feuille lint {tmp_path / 'nouveau'}" in r.stdout


def test_new_rows_of_a_sheet_in_two_objectives_interleaved_keep_their_ids_and_block_style(make, tmp_path):
    root = make()
    (root / "objectives" / "02-autre.yaml").write_text("id: O2\ntitle: Autre objectif\nactions:\n  - id: A2.1\n    title: Existante\n"
                                                       "    status: ongoing\n    last_reviewed: 2026-06-01\n", encoding="utf-8")
    out = root.parent / "retour.csv"
    assert feuille("export", root, "-f", "csv", "-o", out).returncode == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    head = rows[0]
    for parent, title in (("O1", "Première"), ("O2", "Deuxième"), ("O1", "Troisième")):
        row = [""] * len(head)
        row[0], row[head.index("Action")] = parent, title
        rows.append(row)
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(rows)
    out.write_text(text.getvalue(), encoding="utf-8-sig")
    r = feuille("import", out, root)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ligne 4 A1.2 « Première »" in r.stdout and "ligne 5 A2.2 « Deuxième »" in r.stdout and "ligne 6 A1.3 « Troisième »" in r.stdout
    assert action_text(root).endswith(f"  - id: A1.2\n    title: Première\n    status: not_started\n    last_reviewed: {DAY}\n"
                                      f"  - id: A1.3\n    title: Troisième\n    status: not_started\n    last_reviewed: {DAY}\n")


def test_a_change_against_a_baseline_the_plan_has_moved_from_is_a_conflict(make):
    from feuille.app import write
    from feuille.pipeline import load_path

    root = make()
    loaded = load_path(root, DAY)
    seen_40 = {"progress": lambda now: now == 40}  # what the person saw when they chose the new value
    assert not write.prepare(loaded, [write.ItemChange("A1.1", {"progress": 50}, baseline=seen_40)], day=DAY).refused
    (root / ACTION).write_text(OBJECTIVE.replace("progress: 40", "progress: 45"), encoding="utf-8")  # a colleague, meanwhile
    planned = write.prepare(load_path(root, DAY), [write.ItemChange("A1.1", {"progress": 50}, baseline=seen_40)], day=DAY)
    assert [(r.kind, r.message("fr")) for r in planned.refusals] == [
        ("conflict", "A1.1, avancement : le plan dit « 45 % » depuis qu'il a été lu ; rien n'est écrasé.")]
    assert not planned.edits
