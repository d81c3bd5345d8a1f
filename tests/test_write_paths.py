"""The same changes through every path that writes a plan: the same YAML, or the same refusal (issue 21, the write service).

``feuille update``, a returned sheet (xlsx and csv), ``feuille review``, ``feuille new``, ``feuille measure``, a table of
measurements and ``prioritise --mark-*`` all hand their changes to app/write.py: status, progress and actual dates follow
the same rules, a moved deadline needs its reason and is kept in ``reschedules``, the action is reviewed the day a person
changes it (not when a machine does), a change that adds an error is refused with the same words, a sheet all or nothing.
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


def sheet(root: Path, suffix: str, cells: dict[str, object], others: dict[str, dict[str, object]] | None = None):
    """Export the plan to a sheet, change A1.1's ``cells`` (by header; None empties a cell) and the ``others`` rows' (by
    id) as a person would, import it back."""
    out = root.parent / f"{root.name}-retour{suffix}"
    assert feuille("export", root, "-f", suffix[1:], "-o", out).returncode == 0
    by_id = {"A1.1": cells, **(others or {})}
    if suffix == ".xlsx":
        wb = openpyxl.load_workbook(out)
        ws = wb["Action"]
        head = [c.value for c in ws[1]]
        for ident, changes in by_id.items():
            row = next(r for r in ws.iter_rows(min_row=2) if r[head.index("Identifiant")].value == ident)
            for header, value in changes.items():
                row[head.index(header)].value = value
        wb.save(out)
    else:
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
        head = rows[0]
        for ident, changes in by_id.items():
            row = next(r for r in rows[1:] if r[head.index("Identifiant")] == ident)
            for header, value in changes.items():
                row[head.index(header)] = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else "" if value is None else str(value)
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
    by_machine = action_text(root)
    assert by_machine == OBJECTIVE.replace("    roi: 2\n", "    roi: 2\n    priority: 1\n")
    root = make()  # the same value set by a person: the same line, in the same place, and the action reviewed today
    assert update(root, "--set", "priority=1").returncode == 0
    assert action_text(root) == by_machine.replace("    last_reviewed: 2020-01-01\n", f"    last_reviewed: {DAY}\n")


def test_emptying_a_field_through_every_path_writes_the_same_yaml(make):
    def with_achieved() -> Path:
        root = make()
        (root / ACTION).write_text(OBJECTIVE.replace("    progress: 40\n", "    progress: 40\n    achieved: Étude faite\n"), encoding="utf-8")
        return root

    results = {}
    root = with_achieved()
    r = update(root, "--set", "achieved=-")  # « - » empties a field
    assert r.returncode == 0 and "A1.1 : réalisations : vidé" in r.stdout, r.stdout + r.stderr
    results["update"] = action_text(root)
    for suffix in (".xlsx", ".csv"):
        root = with_achieved()
        r = sheet(root, suffix, {"État des réalisations": None})  # the cell emptied
        assert r.returncode == 0, r.stdout + r.stderr
        results[f"sheet{suffix}"] = action_text(root)
    root = with_achieved()
    # Enter: update; status, progress kept; achieved « - »; remaining, health, actual start, actual end, deadline kept; save
    r = review(root, ["", "", "", "-", "", "", "", "", "", "o"])
    assert r.returncode == 0, r.stdout + r.stderr
    results["review"] = action_text(root)
    assert results == {path: OBJECTIVE.replace("    last_reviewed: 2020-01-01\n", f"    last_reviewed: {DAY}\n") for path in results}


def test_a_change_that_adds_an_error_is_refused_by_every_path_with_the_same_words(make):
    said = "F401 A1.1 Le champ début prévu (planned_start) tombe le 01/06/2030, après le champ échéance (planned_end), le 31/12/2029."
    root = make()
    r = update(root, "--set", "début prévu=01/06/2030")
    assert r.returncode == 1 and said in r.stderr and action_text(root) == OBJECTIVE, r.stdout + r.stderr
    assert "modification refusée : elle ajouterait 1 erreur au plan (A1.1) ; rien n'a été écrit." in r.stderr
    for suffix in (".xlsx", ".csv"):
        root = make()
        r = sheet(root, suffix, {"Début prévu": dt.date(2030, 6, 1)})
        assert r.returncode == 1 and said in r.stderr and action_text(root) == OBJECTIVE, r.stdout + r.stderr
        assert "colonne I (Début prévu) : " in r.stderr  # the cell to correct
    root = make()  # a new action with the same dates: the same error (not one that only completing the action fixes), refused
    r = feuille("new", "action", "--in", "O1", "--title", "Nouvelle", "--planned-start", "01/06/2030", "--planned-end", "31/12/2029",
                "--plan", root, "--as-of", DAY.isoformat())
    assert r.returncode == 1 and said.replace("A1.1", "A1.2") in r.stderr and action_text(root) == OBJECTIVE, r.stdout + r.stderr
    assert "modification refusée : elle ajouterait 1 erreur au plan (A1.2) ; rien n'a été écrit." in r.stderr  # the id it would have had


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_returned_sheet_is_all_or_nothing_and_lists_every_bad_row_at_once(make, suffix):
    root = make()
    text = OBJECTIVE + ("  - id: A1.2\n    title: Deuxième\n    planned_start: 2025-01-01\n    planned_end: 2028-12-31\n    status: ongoing\n"
                        "    progress: 10\n    last_reviewed: 2020-01-01\n"
                        "  - id: A1.3\n    title: Troisième\n    planned_start: 2025-01-01\n    planned_end: 2027-12-31\n    status: ongoing\n"
                        "    last_reviewed: 2020-01-01\n"
                        "  - id: A1.4\n    title: Quatrième\n    status: ongoing\n    progress: 20\n    last_reviewed: 2020-01-01\n")
    (root / ACTION).write_text(text, encoding="utf-8")
    r = sheet(root, suffix, {"Statut": "Terminé", "Avancement saisi (%)": 60}, {
        "A1.2": {"Fin prévue": dt.date(2029, 6, 30)},  # no reason
        "A1.3": {"Début prévu": dt.date(2028, 1, 1)},  # after its end: an error it would add
        "A1.4": {"Avancement saisi (%)": 30}})  # a good row: waits for the others to be corrected
    assert r.returncode == 1, r.stdout + r.stderr
    assert action_text(root) == text  # all or nothing
    name = "Action" if suffix == ".xlsx" else f"{root.name}-retour"
    assert "import refusé : 3 lignes ou changements à corriger ; rien n'a été écrit :" in r.stderr
    lines = [x.strip() for x in r.stderr.splitlines() if x.strip().startswith("- feuille")]
    assert lines == [  # every bad row at once: the sheet, the row, the column, the id, and why
        f"- feuille « {name} », ligne 2, colonne O (Avancement saisi (%)) : A1.1 : statut « terminée » et avancement 60 % se contredisent ; rien n'a été écrit.",
        f"- feuille « {name} », ligne 3, colonne J (Fin prévue) : A1.2 : l'échéance passerait du 31/12/2028 au 30/06/2029 sans raison ; rien n'a été écrit.",
        f"- feuille « {name} », ligne 4, colonne I (Début prévu) : {root / ACTION}:26: F401 A1.3 Le champ début prévu (planned_start) tombe le 01/01/2028, "
        "après le champ échéance (planned_end), le 31/12/2027."], r.stderr
    # what to do, in the sheet's terms (not the command line's options)
    assert "Une action terminée est à 100 % : écrivez 100 dans l'avancement de la ligne, ou gardez le statut « en cours »." in r.stderr
    assert "« Motif du report »" in r.stderr and "--progress" not in r.stderr


def test_a_measurement_through_every_path_writes_the_same_yaml(make):
    indicator = ("    roi: 2\n    indicators:\n      - id: frequentation\n        label: Fréquentation\n        unit: visiteurs\n"
                 "        measurements:\n          - {date: 2026-01-31, value: 70}\n")

    def with_indicator() -> Path:
        root = make()
        (root / ACTION).write_text(OBJECTIVE.replace("    roi: 2\n", indicator), encoding="utf-8")
        return root

    results = {}
    root = with_indicator()
    assert update(root, "--measure", "1=81@30/06/2026").returncode == 0
    results["update --measure"] = action_text(root)
    root = with_indicator()
    r = feuille("measure", "frequentation", "81", "--date", "30/06/2026", "--plan", root, "--as-of", DAY.isoformat())
    assert r.returncode == 0, r.stdout + r.stderr
    results["measure"] = action_text(root)
    root = with_indicator()
    table = root.parent / f"{root.name}-mesures.csv"
    table.write_text("Indicateur;Date;Valeur;Note\nfrequentation;30/06/2026;81;\n", encoding="utf-8-sig")
    r = feuille("import", table, root)
    assert r.returncode == 0, r.stdout + r.stderr
    results["a table of measurements"] = action_text(root)
    root = with_indicator()
    out = root.parent / f"{root.name}-retour.xlsx"
    assert feuille("export", root, "-f", "xlsx", "-o", out).returncode == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["Indicateurs"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "frequentation" and ws.cell(r, 5).value is None)
    ws.cell(row, 5).value, ws.cell(row, 6).value = dt.datetime(2026, 6, 30), 81
    wb.save(out)
    r = feuille("import", out, root)
    assert r.returncode == 0, r.stdout + r.stderr
    results["a returned workbook"] = action_text(root)
    expected = OBJECTIVE.replace("    roi: 2\n", indicator + "          - {date: 2026-06-30, value: 81}\n").replace(
        "    last_reviewed: 2020-01-01\n", f"    last_reviewed: {DAY}\n")  # a measurement is a person's change: reviewed today
    assert results == {path: expected for path in results}


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
    assert ": F401 " in r.stdout and "01/01/2099" in r.stdout and f"feuille lint {tmp_path / 'nouveau'}" in r.stdout


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
