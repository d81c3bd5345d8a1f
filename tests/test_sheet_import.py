"""Spreadsheets into plans (issue 12): messy sheets the tests build, both round trips, conflicts, bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from _cli import feuille  # noqa: E402
from _plans import EXAMPLES  # noqa: E402
from feuille.core.model import Action  # noqa: E402
from feuille.formats.spreadsheet.build import build_plan, write_new_plan  # noqa: E402
from feuille.formats.spreadsheet.columns import NOT_CARRIED  # noqa: E402
from feuille.formats.spreadsheet.read import SheetError, parse_map, progress_bar, read_sheet  # noqa: E402
from feuille.formats.spreadsheet.update import plan_update, summary_lines  # noqa: E402
from feuille.formats.spreadsheet.values import parse_date, parse_money, parse_progress  # noqa: E402
from feuille.pipeline import LoadOptions, load_path  # noqa: E402

LL = EXAMPLES / "la-louviere"
AS_OF = dt.date(2026, 10, 1)


def _load(root: Path):
    return load_path(root, AS_OF, options=LoadOptions(use_cache=False))


def _export(plan: Path, out: Path, *args: str) -> Path:
    r = feuille("export", str(plan), "--format", out.suffix[1:], "-o", str(out), "--as-of", AS_OF.isoformat(), "--audience", "internal", *args)
    assert r.returncode == 0, r.stderr
    return out


def _import_new(path: Path, target: Path, **kw):
    sheet, problems = read_sheet(path, **kw)
    built = build_plan(sheet, problems, "Plan importé", AS_OF)
    write_new_plan(target, built)
    return built, problems


# --- the model as the sheet carries it -------------------------------------------------------------

CARRIED = {"id", "title", "description", "political_owners", "admin_owner", "involved", "service", "planned_start", "planned_end", "actual_start",
           "actual_end", "status", "progress", "health", "health_note", "achieved", "remaining", "tags", "territories", "last_reviewed", "budget"}


def _projection(plan) -> list[dict]:
    people = {p.id: p.name for p in plan.people.values()}
    services = {s.id: s.name for s in plan.services.values()}
    out = []

    def walk(objs, path):
        for o in objs:
            here = [*path, [o.id, o.title]]
            for a in o.actions:
                d = a.model_dump(mode="json", include=CARRIED - {"budget"})
                d["political_owners"] = [people[p] for p in a.political_owners]
                d["involved"] = [people[p] for p in a.involved]
                d["admin_owner"] = people.get(a.admin_owner) if a.admin_owner else None
                d["service"] = services.get(a.service) if a.service else None
                d["progress"] = float(a.progress) if a.progress is not None else None
                d["budget_planned"] = str(sum((b.amount for b in a.budget), Decimal(0)).normalize()) if a.budget else None
                spent = [b.spent for b in a.budget if b.spent is not None]
                d["budget_spent"] = str(sum(spent, Decimal(0)).normalize()) if spent else None
                d["path"] = here
                out.append(d)
            walk(o.objectives, here)

    walk(plan.objectives, [])
    return out


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_into_a_new_plan_gives_back_the_same_model(tmp_path, suffix):
    sheet_file = _export(LL, tmp_path / f"plan{suffix}")
    built, problems = _import_new(sheet_file, tmp_path / "new")
    assert not [p for p in problems if p.level == "error"]
    original, back = _load(LL), _load(tmp_path / "new")
    assert back.errors == 0, [d.code for d in back.diagnostics]
    assert json.dumps(_projection(back.plan), sort_keys=True, ensure_ascii=False) == json.dumps(_projection(original.plan), sort_keys=True, ensure_ascii=False)
    assert back.plan.meta.levels == original.plan.meta.levels
    lint = feuille("lint", str(tmp_path / "new"))
    assert lint.returncode == 0, lint.stdout


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_notes_sheet_lists_every_field_the_sheet_does_not_carry(lang):
    said = " ".join(NOT_CARRIED[lang].values())
    for name in set(Action.model_fields) - CARRIED:
        assert re.search(rf"\b{name}\b", said), f"the notes sheet does not say that « {name} » is not carried"


# --- an existing plan: one cell, conflicts, deleted rows ---------------------------------------------

def _cell(ws, ident: str, header: str):
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("Identifiant")].value == ident:
            return row[head.index(header)]
    raise KeyError(ident)


def prepare(loaded, sheet, problems):
    """A returned sheet through the write service (app/imports.py), on the day of AS_OF: nothing written yet."""
    from feuille.app.imports import returned_sheet

    return returned_sheet(loaded, sheet, problems, day=AS_OF)


def apply_update(result):
    from feuille.app.write import commit

    assert not result.refused, [r.message("fr") for r in result.refusals]
    return commit(result.write)


def _returned(tmp_path: Path, plan: Path, edit) -> Path:
    xlsx = _export(plan, tmp_path / "retour.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    edit(wb["Action"])
    wb.save(xlsx)
    return xlsx


def test_one_cell_changed_comes_back_as_exactly_that_change(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    before = {p: p.read_bytes() for p in plan.rglob("*.yaml")}
    xlsx = _returned(tmp_path, plan, lambda ws: setattr(_cell(ws, "A1.4", "Avancement saisi (%)"), "value", 70))
    sheet, problems = read_sheet(xlsx)
    loaded = _load(plan)
    result = prepare(loaded, sheet, problems)
    up = result.update
    assert [(c.action_id, c.key, c.new) for c in up.changes] == [("A1.4", "progress", 70)]
    assert not up.conflicts and not up.by_hand and not up.deleted
    reviewed = loaded.plan.action_index()["A1.4"][0].last_reviewed
    assert _changed_lines(up.diff()) == ["-progress: 55", "+progress: 70", f"-last_reviewed: {reviewed}", "+last_reviewed: 2026-10-01"]  # a person's change
    assert before == {p: p.read_bytes() for p in plan.rglob("*.yaml")}  # the diff first: nothing written yet
    apply_update(result)
    changed = [p for p in before if p.read_bytes() != before[p]]
    assert [p.name for p in changed] == ["A1.4-mobilier-urbain.yaml"]
    assert _load(plan).plan.action_index()["A1.4"][0].progress == 70


def test_text_status_and_list_changes_are_written_and_a_budget_of_several_lines_is_said(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)

    def edit(ws):
        _cell(ws, "A1.2", "Statut").value = "En attente"
        _cell(ws, "A1.2", "Fin prévue").value = dt.datetime(2028, 3, 31)
        _cell(ws, "A1.2", "Motif du report").value = "Marché relancé"
        _cell(ws, "A1.4", "Tags").value = "propreté; poubelles"
        _cell(ws, "A1.4", "Budget prévu (€)").value = 99999

    sheet, problems = read_sheet(_returned(tmp_path, plan, edit))
    loaded = _load(plan)
    result = prepare(loaded, sheet, problems)
    up = result.update
    assert sorted((c.action_id, c.key) for c in up.changes) == [("A1.2", "planned_end"), ("A1.2", "status"), ("A1.4", "budget_planned"), ("A1.4", "tags")]
    [said] = [m("fr") for m in up.by_hand]
    assert said.startswith("A1.4 « Cadastre des besoins") and "Budget prévu" in said and "2 lignes" in said and "A1.4-mobilier-urbain.yaml" in said
    apply_update(result)
    index = _load(plan).plan.action_index()
    a = index["A1.2"][0]
    assert a.status.value == "on_hold" and a.planned_end == dt.date(2028, 3, 31)
    assert [(r.from_, r.to, r.reason) for r in a.reschedules][-1:] == [(dt.date(2025, 12, 31), dt.date(2028, 3, 31), "Marché relancé")]
    assert index["A1.4"][0].tags == ["propreté", "poubelles"]


def test_conflict_when_sheet_and_yaml_both_changed_never_overwritten(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    xlsx = _returned(tmp_path, plan, lambda ws: setattr(_cell(ws, "A1.4", "Avancement saisi (%)"), "value", 70))
    f = plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("progress: 55", "progress: 60"), encoding="utf-8")
    sheet, problems = read_sheet(xlsx)
    loaded = _load(plan)
    result = prepare(loaded, sheet, problems)
    up = result.update
    assert not up.changes and len(up.conflicts) == 1 and result.refused and not up.edits
    conflict = up.conflicts[0]("fr")
    assert "A1.4" in conflict and "« 70 »" in conflict and "« 60 »" in conflict
    assert "progress: 60" in f.read_text(encoding="utf-8")
    # the YAML moved on, the sheet did not: nothing to do
    xlsx2 = _returned(tmp_path, LL, lambda ws: None)
    up2 = plan_update(loaded.plan, *read_sheet(xlsx2))
    assert not up2.changes and not up2.conflicts


def test_a_deleted_row_is_reported_never_applied(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)

    def edit(ws):
        row = _cell(ws, "A1.2", "Identifiant").row
        ws.delete_rows(row)

    sheet, problems = read_sheet(_returned(tmp_path, plan, edit))
    loaded = _load(plan)
    up = plan_update(loaded.plan, sheet, problems)
    assert len(up.deleted) == 1 and up.deleted[0]("fr").startswith("A1.2") and not up.changes
    assert any("Lignes supprimées" in line for line in summary_lines(up))


def test_duplicate_ids_in_a_returned_sheet_apply_neither(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)

    def edit(ws):
        _cell(ws, "A1.3", "Avancement saisi (%)").value = 10
        _cell(ws, "A1.3", "Identifiant").value = "A1.2"

    sheet, problems = read_sheet(_returned(tmp_path, plan, edit))
    up = plan_update(_load(plan).plan, sheet, problems)
    assert not [c for c in up.changes if c.action_id == "A1.2"]
    assert any("en double" in p.message and p.text == "A1.2" and p.column == "C" for p in problems)


# --- messy sheets ------------------------------------------------------------------------------------

def _messy(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tableau de bord"
    ws.append(["Tableau de bord de la DPC — mis à jour par les services"])
    ws.append([])
    ws.append([None])
    ws.append(["Axe (x)", "ACTION À MENER", "Responsable\npolitique", "Responsable administratif", "Etat des réalisations", "Ce qu'il reste à faire",
               "Intervenant(s) politique(s)", "Date début", "Échéance", "Budget", "Statut ", "% réalisé", "Territoire", "Divers"])
    rows = [
        ["1. Cadre de vie", "Cadastre des besoins", "A. Sabbatini", "B. Wiaux", "Suivi en continu", "Cartographie", None,
         dt.datetime(2025, 1, 6), "31/12/2025", "12.500 €", "En cours ", "60%", "Centre", "x"],
        [None, "Besoins humains", "A. Sabbatini et M. Dupont", "P. Frasca", None, None, "C. Leroy / D. Martin",
         "2025-03", "2026", "75.500,50 €", "Réalisé", "1", None, None],
        [None, "Mobilier urbain", "A. Sabbatini", "B. Wiaux", None, None, None, "janvier 2025", "fin 2026 ?", "45 000", "Bloqué", "0,5", None, None],
        [None, None, None, None, None, None, None, None, None, None, None, None, None, None],
        ["2. Sécurité", "Caméras", "M. Dupont", "E. Lambert", None, None, None, "2025", "2025-12-31", "néant", "À discuter", "60 %", None, None],
        [None, "Éclairage", "M. Dupont; A. Sabbatini", "E. Lambert", None, None, None, None, None, "beaucoup", "peut-être", "120", None, None],
        [None, "Patrouilles", "M. Dupont", "E. Lambert", None, None, None, None, None, 1200, "Abandonné  ", 0.3, None, None],
    ]
    for r in rows:
        ws.append(r)
    path = tmp_path / "tableau.xlsx"
    wb.save(path)
    return path


def test_a_messy_sheet_becomes_a_plan_that_passes_lint(tmp_path):
    built, problems = _import_new(_messy(tmp_path), tmp_path / "p")
    assert built.actions == 6 and built.objectives == 2
    loaded = _load(tmp_path / "p")
    assert loaded.errors == 0, [(d.code, d.message("fr")) for d in loaded.diagnostics]
    index = loaded.plan.action_index()
    by_title = {a.title: (a, o) for a, o in index.values()}
    a, o = by_title["Besoins humains"]
    assert (o.id, o.title) == ("1", "Cadre de vie")  # filled down; its numbering is its id
    assert a.status.value == "done" and a.progress == 100
    assert a.planned_start == dt.date(2025, 3, 1) and a.planned_end == dt.date(2026, 12, 31)
    assert a.budget[0].amount == Decimal("75500.50")
    assert [loaded.plan.people[p].name for p in a.political_owners] == ["A. Sabbatini", "M. Dupont"]
    assert [loaded.plan.people[p].name for p in a.involved] == ["C. Leroy", "D. Martin"]
    first = by_title["Cadastre des besoins"][0]
    assert first.progress == 60 and first.planned_end == dt.date(2025, 12, 31) and first.budget[0].amount == 12500
    assert first.status.value == "ongoing" and first.territories == ["Centre"]
    mob = by_title["Mobilier urbain"][0]
    assert mob.progress == 50 and mob.health.value == "blocked" and mob.budget[0].amount == 45000 and mob.planned_start == dt.date(2025, 1, 1)
    assert "fin 2026 ?" in mob.notes  # kept verbatim
    cam, cam_obj = by_title["Caméras"]
    assert (cam_obj.id, cam_obj.title) == ("2", "Sécurité") and cam.progress == 60 and cam.budget == [] and "discuter" in cam.notes
    ecl = by_title["Éclairage"][0]
    assert "beaucoup" in ecl.notes and "peut-être" in ecl.notes and "120" in ecl.notes
    assert by_title["Patrouilles"][0].progress == 30 and by_title["Patrouilles"][0].status.value == "cancelled"
    said = [str(p) for p in problems]
    assert any("feuille « Tableau de bord », ligne 7, colonne I (Échéance) : « fin 2026 ? »" in s for s in said)
    assert any("ligne 10, colonne J (Budget) : « beaucoup »" in s for s in said)
    assert any("ligne 10, colonne K (Statut) : « peut-être »" in s for s in said)
    assert any("ligne 10, colonne L (% réalisé) : « 120 »" in s for s in said)


def test_map_option_and_unknown_field():
    mapping = parse_map(["Divers=tags", "Quoi=title"])
    assert mapping == {"divers": "tags", "quoi": "title"}
    with pytest.raises(SheetError, match="Vouliez-vous dire « title »"):
        parse_map(["Quoi=titel"])


def test_map_reads_a_column_no_synonym_knows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Quoi;Qui\nNettoyer;A. Sabbatini\n", encoding="utf-8")
    with pytest.raises(SheetError):
        read_sheet(path)
    sheet, _ = read_sheet(path, mapping=parse_map(["Quoi=title", "Qui=admin_owner"]))
    assert sheet.rows[0].values == {"title": "Nettoyer", "admin_owner": "A. Sabbatini"}


@pytest.mark.parametrize("value,end,expected", [
    ("31/12/2025", False, dt.date(2025, 12, 31)), ("2025-12-31", False, dt.date(2025, 12, 31)), ("12/2025", True, dt.date(2025, 12, 31)),
    ("décembre 2025", False, dt.date(2025, 12, 1)), ("2025", True, dt.date(2025, 12, 31)), (2025, False, dt.date(2025, 1, 1)),
    (45657, False, dt.date(2024, 12, 31)), ("1/2/25", False, dt.date(2025, 2, 1)),
])
def test_dates(value, end, expected):
    assert parse_date(value, end) == expected


@pytest.mark.parametrize("value,expected", [("12.500 €", Decimal("12500")), ("75.500,50 €", Decimal("75500.50")), ("45 000", Decimal("45000")),
                                            ("néant", None), (1200.5, Decimal("1200.50")), ("1 234,5", Decimal("1234.50")), ("12,500.75", Decimal("12500.75"))])
def test_money(value, expected):
    assert parse_money(value) == expected


@pytest.mark.parametrize("value,expected", [("60%", 60), ("60 %", 60), ("0,5", 50), ("0.3", 30), ("1", 100), (0.25, 25), (75, 75)])
def test_progress(value, expected):
    assert parse_progress(value) == expected


def test_csv_windows_1252_with_commas_and_utf8_with_bom(tmp_path):
    text = "Titre de l'action,Statut,Personne pilote,Date de fin,Budget prévisionnel total € HT\nRéfection école,En pause,Élise Lambert,31/12/2026,\"12 500\"\n"
    win = tmp_path / "tet.csv"
    win.write_bytes(text.encode("cp1252"))
    sheet, problems = read_sheet(win)
    row = sheet.rows[0].values
    assert row["title"] == "Réfection école" and row["admin_owner"] == "Élise Lambert" and row["budget_planned"] == "12 500"
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffAction à mener;Statut\nNettoyer;Terminé\n".encode("utf-8"))
    sheet, _ = read_sheet(bom)
    assert sheet.rows[0].values == {"title": "Nettoyer", "status": "Terminé"}


def test_csv_with_mixed_separators_is_read_and_said(tmp_path):
    path = tmp_path / "mixte.csv"
    path.write_text("Action;Statut;Date fin\nNettoyer;En cours;31/12/2025\nPlanter,Terminé,2025\n", encoding="utf-8")
    sheet, problems = read_sheet(path)
    assert [r.values["title"] for r in sheet.rows] == ["Nettoyer", "Planter"]
    assert any(p.row == 3 and "séparée par « , »" in p.message for p in problems)


# --- bad input -----------------------------------------------------------------------------------------

def test_no_recognisable_header_row_says_what_was_seen_and_expected(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Colonne A", "Truc", "Machin"])
    wb.active.append(["x", "y", "z"])
    path = tmp_path / "rien.xlsx"
    wb.save(path)
    with pytest.raises(SheetError) as exc:
        read_sheet(path)
    assert "aucune ligne d'en-tête reconnue" in exc.value.message and "« Truc »" in exc.value.message
    assert "« Action à mener »" in exc.value.hint and "--map" in exc.value.hint


def test_empty_sheet_and_empty_csv(tmp_path):
    wb = openpyxl.Workbook()
    path = tmp_path / "vide.xlsx"
    wb.save(path)
    with pytest.raises(SheetError, match="est vide"):
        read_sheet(path)
    csv_path = tmp_path / "vide.csv"
    csv_path.write_bytes(b"\xef\xbb\xbf\r\n;;\r\n")
    with pytest.raises(SheetError, match="est vide"):
        read_sheet(csv_path)


def test_password_protected_corrupt_and_not_really_xlsx(tmp_path):
    protected = tmp_path / "protege.xlsx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(SheetError, match="mot de passe") as exc:
        read_sheet(protected)
    assert "retirez le mot de passe" in exc.value.hint
    good = _messy(tmp_path)
    corrupt = tmp_path / "abime.xlsx"
    corrupt.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(SheetError, match="endommagé"):
        read_sheet(corrupt)
    fake = tmp_path / "faux.xlsx"
    fake.write_text("Action;Statut\nNettoyer;En cours\n", encoding="utf-8")
    with pytest.raises(SheetError, match="pas un vrai classeur Excel"):
        read_sheet(fake)
    odt = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(odt, "w") as z:
        z.writestr("content.xml", "<x/>")
    with pytest.raises(SheetError, match="archive zip sans classeur"):
        read_sheet(odt)


def test_formulas_use_cached_values_and_say_so(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Action", "Budget", "Statut"])
    ws.append(["Nettoyer", "=1000+500", "En cours"])
    path = tmp_path / "formules.xlsx"
    wb.save(path)
    raw = path.read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v />", b"<v>1500</v>")  # the value Excel computed and saved
            dst.writestr(item, data)
    path.write_bytes(buf.getvalue())
    sheet, problems = read_sheet(path)
    assert sheet.rows[0].values["budget_planned"] == 1500
    assert any("formules" in p.message and "valeurs calculées" in p.message for p in problems)


def test_duplicate_ids_in_a_new_plan_are_renamed_and_said(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("Identifiant;Action\nA1;Nettoyer\nA1;Planter\n", encoding="utf-8")
    built, problems = _import_new(path, tmp_path / "p")
    ids = [a["id"] for f, d in built.files.items() if f.startswith("objectives/") for a in d["actions"]]
    assert ids[0] == "A1" and len(set(ids)) == 2
    assert any(p.level == "error" and "en double" in p.message and p.row == 3 for p in problems)


def test_ten_thousand_rows_with_progress_on_stderr(tmp_path):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Actions")
    ws.append(["Objectif", "Action", "Responsable administratif", "Date fin", "Budget", "Statut", "Avancement"])
    for i in range(10_000):
        ws.append([f"Objectif {i // 500}", f"Action {i}", f"Agent{i % 50} Nom{i % 50}", dt.datetime(2026, 1 + i % 12, 1), 1000 + i, "En cours", 0.5])
    path = tmp_path / "grand.xlsx"
    wb.save(path)
    err = io.StringIO()
    start = time.perf_counter()
    sheet, problems = read_sheet(path, progress=progress_bar(err))
    built = build_plan(sheet, problems, "Grand", AS_OF)
    write_new_plan(tmp_path / "g", built)
    elapsed = time.perf_counter() - start
    assert built.actions == 10_000 and built.objectives == 20
    assert "10001/10001 lignes" in err.getvalue()  # the rows read from the workbook, the header included
    print(f"\n10 000 lignes : lues, construites et écrites en {elapsed:.1f} s")
    assert elapsed < 60
    assert _load(tmp_path / "g").errors == 0


# --- the command ------------------------------------------------------------------------------------

def test_import_command_messy_sheet_prints_what_was_created_and_what_needs_a_look(tmp_path):
    r = feuille("import", str(_messy(tmp_path)), str(tmp_path / "plan"))
    assert r.returncode == 0, r.stderr
    assert "plan créé" in r.stdout and "Créé : 6 actions dans 2 objectifs" in r.stdout
    assert "ligne 7, colonne I (Échéance) : « fin 2026 ? »" in r.stdout
    assert "colonne N (Divers)" in r.stdout and "--map" in r.stdout
    assert feuille("lint", str(tmp_path / "plan")).returncode == 0
    notes = (tmp_path / "plan" / "objectives").glob("*.yaml")
    assert any("Divers : x" in f.read_text(encoding="utf-8") for f in notes)  # an unknown column is kept, not dropped


def test_import_command_returned_sheet_diff_first_then_written(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    xlsx = _returned(tmp_path, plan, lambda ws: setattr(_cell(ws, "A1.4", "Statut"), "value", "Terminé"))
    dry = feuille("import", str(xlsx), str(plan), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    # the same invariants as feuille update: done is at 100 %, ended today, reviewed today (app/write.py)
    assert "-status: ongoing\n-progress: 55\n+actual_end: " in dry.stdout and "+status: done\n+progress: 100\n" in dry.stdout
    assert "Rien n'a été écrit (--dry-run)" in dry.stdout
    assert "status: ongoing" in (plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml").read_text(encoding="utf-8")
    real = feuille("import", str(xlsx), str(plan))
    assert real.returncode == 0, real.stderr
    assert "modifié :" in real.stdout and "status: done" in (plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml").read_text(encoding="utf-8")


def test_a_returned_sheet_without_a_folder_goes_back_to_the_plan_of_the_working_folder(tmp_path):
    """« feuille import retour.xlsx » run in the plan (or a subfolder of it) updates that plan; it never
    makes a new plan of a sheet feuille exported.  Outside any plan it says which folder to give."""
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    xlsx = _returned(tmp_path, plan, lambda ws: setattr(_cell(ws, "A1.4", "Statut"), "value", "Terminé"))
    target = plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"
    r = feuille("import", str(xlsx), cwd=plan / "objectives")
    assert r.returncode == 0, r.stderr
    assert "+status: done\n+progress: 100\n" in r.stdout and "status: done" in target.read_text(encoding="utf-8")
    assert not xlsx.with_suffix("").exists()  # no new plan beside the sheet
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    r = feuille("import", str(xlsx), cwd=elsewhere)
    assert r.returncode == 1
    assert "exporté d'un plan feuille" in r.stderr and "Rien n'a été écrit" in r.stderr and "Indiquez le dossier du plan" in r.stderr
    assert not xlsx.with_suffix("").exists() and list(elsewhere.iterdir()) == []


def test_import_command_conflict_exit_1_nothing_overwritten(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    xlsx = _returned(tmp_path, plan, lambda ws: setattr(_cell(ws, "A1.4", "Avancement saisi (%)"), "value", 70))
    f = plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("progress: 55", "progress: 60"), encoding="utf-8")
    r = feuille("import", str(xlsx), str(plan))
    assert r.returncode == 1 and "import refusé : 1 ligne ou changement à corriger" in r.stderr  # all or nothing
    assert "A1.4" in r.stderr and "« 70 »" in r.stderr and "« 60 »" in r.stderr and "progress: 60" in f.read_text(encoding="utf-8")


@pytest.mark.parametrize("content,expected", [
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "mot de passe"),
    (b"Action;Statut\nx;y\n", "pas un vrai classeur Excel"),
    (b"PK\x03\x04garbage", "endommagé"),
])
def test_import_command_bad_files_french_no_traceback(tmp_path, content, expected):
    path = tmp_path / "f.xlsx"
    path.write_bytes(content)
    r = feuille("import", str(path), str(tmp_path / "p"))
    assert r.returncode == 1 and expected in r.stderr and "Traceback" not in r.stderr + r.stdout
    assert "Rien n'a été écrit" in r.stderr and not (tmp_path / "p").exists()


def test_import_command_no_header(tmp_path):
    path = tmp_path / "rien.csv"
    path.write_text("Colonne A;Truc\nx;y\n", encoding="utf-8")
    r = feuille("import", str(path), str(tmp_path / "p"))
    assert r.returncode == 1 and "En-têtes vus : « Colonne A », « Truc »" in r.stderr and "En-têtes attendus" in r.stderr


def test_a_returned_csv_saved_by_excel_in_windows_1252_updates_the_plan(tmp_path):
    import csv

    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    path = _export(plan, tmp_path / "retour.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    head = rows[0]
    for r in rows[1:]:
        if r[2] == "A1.2":
            r[head.index("Fin prévue")] = "30/06/2028"
            r[head.index("Motif du report")] = "Recours"
        if r[2] == "A1.4":
            r[head.index("État des réalisations")] = "Tout est posé."  # a folded block in the YAML: replaced, nothing else touched
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path.write_bytes(out.getvalue().encode("cp1252"))
    sheet, problems = read_sheet(path)
    loaded = _load(plan)
    result = prepare(loaded, sheet, problems)
    up = result.update
    assert [(c.action_id, c.key, c.new) for c in up.changes] == [("A1.2", "planned_end", dt.date(2028, 6, 30)), ("A1.4", "achieved", "Tout est posé.")]
    assert not up.by_hand and not up.conflicts and not result.refused
    changed = [line for line in _changed_lines(up.diff()) if "last_reviewed" not in line]
    assert changed == ["-planned_end: 2025-12-31", "+planned_end: 2028-06-30", "+reschedules:",
                       "+  - {date: 2026-10-01, from: 2025-12-31, to: 2028-06-30, reason: Recours}", "-achieved: >-",
                       "-  Plan de placement des poubelles pour le Centre Ville réalisé – suivi des bulles",
                       "-  à verre en continu. Achat des poubelles dans le cadre de la réfection des places.", "+achieved: Tout est posé."]


# --- a returned sheet: texts, lists, budgets, new rows, deleted rows, refusals (through the command) ------------

def _yaml(plan: Path, rel: str) -> str:
    return (plan / rel).read_text(encoding="utf-8")


def _changed_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_multi_line_texts_people_lists_and_a_budget_line_are_written_keeping_comments(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    sec = "objectives/02-securite.yaml"
    (plan / sec).write_text(_yaml(plan, sec).replace("    health: good\n", "    health: good  # revu en collège\n", 1), encoding="utf-8")
    before = {p: p.read_bytes() for p in plan.rglob("*.yaml")}

    def edit(ws):
        _cell(ws, "A2.1", "État des réalisations").value = "Douze caméras installées.\nLa phase 2 est attribuée."
        _cell(ws, "A2.1", "Intervenant(s) politique(s)").value = "Sabbatini; M. Dupont"  # names as people write them
        _cell(ws, "A2.2", "Budget prévu (€)").value = 320000
        _cell(ws, "A2.2", "Budget engagé (€)").value = "280.000 €"
        _cell(ws, "A2.2", "Ce qu'il reste à faire").value = None  # emptied: the key goes

    xlsx = _returned(tmp_path, plan, edit)
    dry = feuille("import", str(xlsx), str(plan), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert before == {p: p.read_bytes() for p in plan.rglob("*.yaml")}
    changed = _changed_lines(dry.stdout)
    assert [line for line in changed if "last_reviewed" in line][1::2] == ["+    last_reviewed: " + dt.date.today().isoformat()] * 2  # A2.1, A2.2 reviewed today
    assert [line for line in changed if "last_reviewed" not in line] == [
        "+    involved: [asabbatini, mdupont]",
        "-    achieved: Douze caméras installées place Mansart et aux abords de la gare du Centre.",
        "+    achieved: |-", "+      Douze caméras installées.", "+      La phase 2 est attribuée.",
        "-    remaining: Deux postes encore vacants.",
        "-      - {amount: 310000, year: 2026, source: Plan de cohésion sociale, service: ordinary, article: 330/111-01, spent: 265000, type: expense, "
        "label: \"Recruter et déployer des gardiens de la paix dans les quartiers\"}",
        "+      - {amount: 320000, year: 2026, source: Plan de cohésion sociale, service: ordinary, article: 330/111-01, spent: 280000, type: expense, "
        "label: \"Recruter et déployer des gardiens de la paix dans les quartiers\"}",
    ]
    assert "5 changements et 0 nouvelle action à écrire dans 1 fichier." in dry.stdout
    real = feuille("import", str(xlsx), str(plan))
    assert real.returncode == 0, real.stdout + real.stderr
    assert "health: good  # revu en collège" in _yaml(plan, sec)  # the comment of an untouched line stays
    assert [p.name for p in before if p.read_bytes() != before[p]] == ["02-securite.yaml"]
    a = _load(plan).plan.action_index()
    assert a["A2.1"][0].involved == ["asabbatini", "mdupont"] and a["A2.1"][0].achieved == "Douze caméras installées.\nLa phase 2 est attribuée."
    assert a["A2.2"][0].budget[0].amount == 320000 and a["A2.2"][0].budget[0].spent == 280000 and a["A2.2"][0].remaining is None


def test_a_person_the_plan_does_not_know_is_said_with_the_action_and_never_written(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    xlsx = _returned(tmp_path, plan, lambda ws: setattr(_cell(ws, "A2.1", "Responsable(s) politique(s)"), "value", "Jean Inconnu"))
    r = feuille("import", str(xlsx), str(plan))
    assert r.returncode == 0 and "0 changement " in r.stdout
    assert "A2.1 « Étendre le réseau de caméras" in r.stdout and "« Jean Inconnu » n'est pas une personne du plan ; ajoutez-la dans people.yaml" in r.stdout


def test_new_rows_become_new_actions_with_the_next_id_where_the_layout_puts_them(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)

    def edit(ws):
        head = [c.value for c in ws[1]]
        row = {h: None for h in head}
        ws.append(list({**row, "Objectif prioritaire (n°)": "O1", "Action": "Installer des cendriers", "Responsable(s) politique(s)": "Sabbatini",
                        "Fin prévue": dt.datetime(2027, 12, 31), "Statut": "En cours", "Avancement saisi (%)": 20}.values()))
        ws.append(list({**row, "Objectif prioritaire (n°)": "O4", "Action": "Réhabiliter les logements vides", "Responsable administratif": "Vanhove",
                        "Fin prévue": "31/12/2028", "Tags": "logement; vide"}.values()))
        ws.append(list({**row, "Objectif prioritaire (n°)": "O4", "Action": "Recenser les logements inoccupés", "Statut": "À venir"}.values()))

    xlsx = _returned(tmp_path, plan, edit)
    dry = feuille("import", str(xlsx), str(plan), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "+++ b/" + str(plan / "objectives/01-cadre-de-vie/A1.7-installer-des-cendriers.yaml") in dry.stdout
    assert "+  - id: A4.3\n+    title: Réhabiliter les logements vides\n+    admin_owner: kvanhove\n" in dry.stdout
    assert "+  - id: A4.4\n+    title: Recenser les logements inoccupés\n+    status: not_started\n" in dry.stdout
    assert "0 changement et 3 nouvelles actions" in dry.stdout and "ligne 31 A1.7 « Installer des cendriers » : nouvelle action dans O1" in dry.stdout
    assert not (plan / "objectives/01-cadre-de-vie/A1.7-installer-des-cendriers.yaml").exists()
    before = _yaml(plan, "objectives/04-logement.yaml")
    real = feuille("import", str(xlsx), str(plan))
    assert real.returncode == 0, real.stdout + real.stderr
    assert "créé : " in real.stdout and _yaml(plan, "objectives/04-logement.yaml").startswith(before)  # appended, nothing else touched
    index = _load(plan).plan.action_index()
    assert index["A1.7"][1].id == "O1" and index["A1.7"][0].political_owners == ["asabbatini"] and index["A1.7"][0].progress == 20
    assert index["A4.3"][0].tags == ["logement", "vide"] and index["A4.4"][1].id == "O4"
    assert _yaml(plan, "objectives/01-cadre-de-vie/A1.7-installer-des-cendriers.yaml").startswith("# yaml-language-server: $schema=")
    # the same sheet again: the rows are new again (they have no id): the user is told what each would create
    again = feuille("import", str(xlsx), str(plan), "--dry-run")
    assert "A1.8" in again.stdout


def test_a_new_row_that_cannot_be_placed_or_has_no_title_is_an_error_with_its_row(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)

    def edit(ws):
        width = ws.max_column
        ws.append(["O99", None, None, "Une action perdue"] + [None] * (width - 4))
        ws.append(["O4", None, None, None, None, None, None, None, None, None, None, None, "En cours"] + [None] * (width - 13))

    r = feuille("import", str(_returned(tmp_path, plan, edit)), str(plan))
    assert r.returncode == 1
    assert "ligne 31 : « Une action perdue » — nouvelle action non créée : l'objectif « O99 » n'est pas dans le plan" in r.stdout + r.stderr
    assert "feuille new objective" in r.stdout + r.stderr
    assert "ligne 32, colonne  (Action)" not in r.stdout + r.stderr and "ligne 32" in r.stdout + r.stderr and "sans intitulé" in r.stdout + r.stderr


def test_an_exported_row_whose_action_left_the_plan_is_not_recreated(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    xlsx = _export(plan, tmp_path / "r.xlsx")
    (plan / "objectives/01-cadre-de-vie/A1.6-quartiers-propres.yaml").unlink()
    r = feuille("import", str(xlsx), str(plan))
    assert r.returncode == 1 and "A1.6" in r.stdout + r.stderr and "le plan ne l'a plus" in r.stdout + r.stderr
    assert not (plan / "objectives/01-cadre-de-vie/A1.6-quartiers-propres.yaml").exists()


def test_rows_deleted_from_a_returned_csv_are_named_and_never_applied(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    path = _export(plan, tmp_path / "retour.csv")
    lines = path.read_bytes().split(b"\r\n")
    kept = [line for line in lines if b";A1.2;" not in line and b";A2.3;" not in line]
    path.write_bytes(b"\r\n".join(kept))
    r = feuille("import", str(path), str(plan))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Lignes supprimées (jamais appliqué : l'action reste dans le plan) : 2" in r.stdout
    assert "A1.2 « Cadastre des besoins : détermination des besoins humains » : ligne supprimée du tableau" in r.stdout
    assert "A2.3 « " in r.stdout and "A1.2-besoins-humains.yaml" in r.stdout
    assert (plan / "objectives/01-cadre-de-vie/A1.2-besoins-humains.yaml").exists()


def test_a_row_deleted_from_a_filtered_csv_is_counted(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    path = _export(plan, tmp_path / "proprete.csv", "--owner", "Sabbatini")
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join(line for line in lines if b";A1.3;" not in line))
    r = feuille("import", str(path), str(plan))
    assert "Lignes supprimées" in r.stdout and "1 ligne exportée n'est plus dans le tableau" in r.stdout and "A1.3 « " in r.stdout


def test_a_change_that_would_add_an_error_to_the_plan_is_refused_whole(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    before = {p: p.read_bytes() for p in plan.rglob("*.yaml")}

    def edit(ws):
        _cell(ws, "A2.2", "Début prévu").value = dt.datetime(2027, 6, 1)  # after its end (31/12/2026)
        _cell(ws, "A2.1", "Avancement saisi (%)").value = 45

    returned = _returned(tmp_path, plan, edit)
    r = feuille("import", str(returned), str(plan))
    assert r.returncode == 1
    assert "import refusé : 1 ligne ou changement à corriger ; rien n'a été écrit :" in r.stderr
    # the row and the column the change comes from, the action, the error it would add
    assert re.search(r"- feuille « Action », ligne \d+, colonne I \(Début prévu\) : .*02-securite\.yaml:\d+: F401 A2\.2 ", r.stderr), r.stderr
    assert "Corrigez le tableau puis réimportez" in r.stderr
    assert before == {p: p.read_bytes() for p in plan.rglob("*.yaml")}
    en = feuille("import", str(returned), str(plan), "--lang", "en")
    assert en.returncode == 1
    assert "feuille: import refused: 1 row or change to correct; nothing was written:" in en.stderr
    assert re.search(r"- sheet 'Action', row \d+, column I \(Début prévu\): .*F401 A2\.2 .*planned_start", en.stderr) and "with feuille update." in en.stderr
    assert before == {p: p.read_bytes() for p in plan.rglob("*.yaml")}


def test_a_file_changed_between_the_diff_and_the_write_is_refused(tmp_path):
    from feuille.app.write import WriteError

    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    xlsx = _returned(tmp_path, plan, lambda ws: setattr(_cell(ws, "A1.4", "Avancement saisi (%)"), "value", 70))
    loaded = _load(plan)
    result = prepare(loaded, *read_sheet(xlsx))
    f = plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "# une note\n", encoding="utf-8")
    with pytest.raises(WriteError, match="a été modifié"):
        apply_update(result)
    assert f.read_text(encoding="utf-8").endswith("# une note\n") and "progress: 55" in f.read_text(encoding="utf-8")


def test_inserted_moved_and_renamed_columns_are_still_matched_by_header(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)

    def edit(ws):
        _cell(ws, "A1.4", "Statut").value = "Terminé"
        _cell(ws, "A1.4", "Avancement saisi (%)").value = 100
        head = [c.value for c in ws[1]]
        status_col = head.index("Statut") + 1
        ws.cell(1, status_col).value = "État"  # renamed, as people name it
        ws.move_range(f"{openpyxl.utils.get_column_letter(status_col)}1:{openpyxl.utils.get_column_letter(status_col)}{ws.max_row}",
                      cols=ws.max_column + 2 - status_col)  # moved past the last column
        ws.insert_cols(1)  # a column inserted in front, with a header no one knows
        ws.cell(1, 1).value = "Remarque du service"

    r = feuille("import", str(_returned(tmp_path, plan, edit)), str(plan), "--dry-run")
    assert r.returncode == 0, r.stdout + r.stderr
    changed = [line for line in _changed_lines(r.stdout) if "last_reviewed" not in line and "actual_end" not in line]  # (done: ended, reviewed today)
    assert changed == ["-status: ongoing", "-progress: 55", "+status: done", "+progress: 100"]


def test_a_new_row_keeps_its_own_new_id_an_unusable_one_gets_the_next_and_unknown_people_go_to_its_notes(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)

    def edit(ws):
        head = [c.value for c in ws[1]]
        empty = {h: None for h in head}
        ws.append(list({**empty, "Objectif prioritaire (n°)": "O4", "Identifiant": "A4.20", "Action": "Avec son identifiant"}.values()))
        ws.append(list({**empty, "Objectif prioritaire (n°)": "O4", "Identifiant": "A4 bis !", "Action": "Identifiant inutilisable"}.values()))
        ws.append(list({**empty, "Objectif prioritaire": "Soutenir par des actions concrètes le droit au logement pour tous",
                        "Action": "Par l'intitulé de l'objectif", "Responsable administratif": "Jeanne Nouvelle"}.values()))

    xlsx = _returned(tmp_path, plan, edit)
    wb = openpyxl.load_workbook(xlsx)
    o4 = next(r[1].value for r in wb["Action"].iter_rows(min_row=2) if r[0].value == "O4")
    wb["Action"].cell(30, 2).value = o4
    wb.save(xlsx)
    r = feuille("import", str(xlsx), str(plan))
    assert r.returncode == 0, r.stdout + r.stderr
    index = _load(plan).plan.action_index()
    assert index["A4.20"][0].title == "Avec son identifiant"
    assert "ligne 32, colonne C (Identifiant) : « A4 bis ! » — identifiant déjà pris" in r.stdout and index["A4.21"][0].title == "Identifiant inutilisable"
    new = index["A4.22"][0]
    assert index["A4.22"][1].id == "O4" and new.admin_owner is None and "Jeanne Nouvelle" in new.notes
    assert "ligne 33, colonne F (Responsable administratif) : « Jeanne Nouvelle » — personne inconnue du plan" in r.stdout


def test_both_budget_totals_of_an_action_without_budget_make_one_new_line(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    rel = "objectives/01-cadre-de-vie/A1.2-besoins-humains.yaml"

    def edit(ws):
        _cell(ws, "A1.2", "Budget prévu (€)").value = 12000
        _cell(ws, "A1.2", "Budget engagé (€)").value = "4 500,50"

    r = feuille("import", str(_returned(tmp_path, plan, edit)), str(plan))
    changed = [line for line in _changed_lines(r.stdout) if "last_reviewed" not in line]
    assert "2 changements" in r.stdout and changed == ["+budget:", "+  - {amount: 12000, year: 2025, spent: 4500.5}"]
    assert r.returncode == 1 and "à compléter : F704 A1.2" in r.stderr  # the article and type of a budget line come from its file (eComptes)
    assert _load(plan).plan.action_index()["A1.2"][0].budget[0].spent == Decimal("4500.5")
    assert "budget:\n  - {amount: 12000" in _yaml(plan, rel)


def test_an_emptied_title_refuses_the_sheet_with_its_row(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)

    def edit(ws):
        _cell(ws, "A1.5", "Action").value = None
        _cell(ws, "A1.5", "Avancement saisi (%)").value = 35
        _cell(ws, "A1.4", "Avancement saisi (%)").value = 70

    r = feuille("import", str(_returned(tmp_path, plan, edit)), str(plan))
    assert r.returncode == 1 and "rien n'a été écrit" in r.stderr  # all or nothing: the sheet is corrected, then imported again
    assert "ligne 9, colonne D (Action) — A1.5 « " in r.stderr and "l'intitulé ne peut pas être vide : non appliqué" in r.stderr
    index = _load(plan).plan.action_index()
    assert index["A1.5"][0].title and index["A1.4"][0].progress == 55


def test_a_new_row_the_model_refuses_is_said_with_its_row_and_not_listed_as_created(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)

    def edit(ws):
        head = [c.value for c in ws[1]]
        ws.append(list({**{h: None for h in head}, "Objectif prioritaire (n°)": "O4", "Action": "Trop long", "État des réalisations": "x" * 25_000}.values()))

    r = feuille("import", str(_returned(tmp_path, plan, edit)), str(plan))
    assert r.returncode == 1, r.stdout
    assert "- feuille « Action », ligne 31 : A4.3 : valeur refusée pour « réalisations » : Le champ réalisations (achieved) dépasse 20000 caractères." in r.stderr
    assert "rien n'a été écrit" in r.stderr and "A4.3" not in _load(plan).plan.action_index()


def test_user_errors_in_french_and_in_english(tmp_path: Path) -> None:
    """The import's refusals are French by default and English with --lang en (the same message)."""

    def both(*args: str) -> tuple[str, str]:
        fr, en = feuille("import", *args), feuille("--lang", "en", "import", *args)
        assert fr.returncode == en.returncode == 1, (fr.stderr, en.stderr)
        return fr.stderr, en.stderr

    headerless = tmp_path / "sans-entete.csv"
    headerless.write_text("Truc;Machin\n1;2\n", encoding="utf-8")
    fr, en = both(str(headerless), str(tmp_path / "p1"))
    assert "aucune ligne d'en-tête reconnue dans « sans-entete.csv » (cherchée dans les 30 premières lignes). En-têtes vus : « Truc », « Machin », « 1 », « 2 ». Rien n'a été écrit." in fr
    assert "Rien n'a été écrit." in fr and "En-têtes attendus : « Action » (ou « Action à mener »" in fr
    assert "no header row recognised in 'sans-entete.csv' (looked for in the first 30 rows). Headers seen: 'Truc', 'Machin', '1', '2'. Nothing was written." in en
    assert "Expected headers: 'Action' (or 'Title', 'Action title'), 'Status', 'Political owner'" in en

    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    fr, en = both(str(empty), str(tmp_path / "p2"))
    assert "« vide.csv » est vide : aucune ligne à importer. Rien n'a été écrit." in fr
    assert "'vide.csv' is empty: no row to import. Nothing was written." in en and "Check that you saved the right file." in en

    protected = tmp_path / "protege.xlsx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    fr, en = both(str(protected), str(tmp_path / "p3"))
    assert "« protege.xlsx » est protégé par un mot de passe, ou c'est un ancien classeur Excel (.xls)" in fr
    assert "'protege.xlsx' is protected by a password, or it is an old Excel workbook (.xls): feuille cannot open it." in en

    broken = tmp_path / "casse.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"x" * 100)
    fr, en = both(str(broken), str(tmp_path / "p4"))
    assert "« casse.xlsx » est endommagé" in fr
    assert "'casse.xlsx' is damaged" in en

    fr, en = both(str(headerless), str(tmp_path / "p5"), "--map", "Truc=titel")
    assert "--map « Truc=titel » : champ « titel » inconnu. Vouliez-vous dire « title » ?" in fr and "Champs possibles : " in fr
    assert "--map 'Truc=titel': unknown field 'titel'. Did you mean 'title'?" in en and "Possible fields: " in en


# --- the user's language, and English plans ---------------------------------------------------------

def _english(tmp_path: Path) -> Path:
    """La Louvière as an English plan (its locale says so): its sheets are written in English."""
    plan = tmp_path / "en"
    shutil.copytree(LL, plan)
    p = plan / "plan.yaml"
    text = p.read_text(encoding="utf-8")
    assert "locale: fr-BE" in text
    p.write_text(text.replace("locale: fr-BE", "locale: en-GB"), encoding="utf-8")
    return plan


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_english_plans_sheet_is_english_and_round_trips(tmp_path, suffix):
    plan = _english(tmp_path)
    sheet_file = _export(plan, tmp_path / f"plan{suffix}")
    if suffix == ".xlsx":
        wb = openpyxl.load_workbook(sheet_file)
        assert wb.sheetnames == ["Objectif prioritaire", "Action", "Indicators", "Funding", "How to use", "_feuille"]
        head = [c.value for c in wb["Action"][1]]
        rows = [list(r) for r in wb["Action"].iter_rows(min_row=2, values_only=True)]
        notes = " ".join(str(c) for r in wb["How to use"].iter_rows(values_only=True) for c in r if c)
        assert "Do not change the 'Id' column (locked)" in notes and "set its status to 'Cancelled'" in notes and "Reference date" in notes
        assert any('"Not started,Ongoing,On hold,Done,Cancelled"' == dv.formula1 for dv in wb["Action"].data_validations.dataValidation)
    else:
        import csv

        head, *rows = list(csv.reader(io.StringIO(sheet_file.read_text(encoding="utf-8-sig")), delimiter=","))
    assert head[:4] == ["Objectif prioritaire (no.)", "Objectif prioritaire", "Id", "Action"]
    assert head[-2:] == ["Fingerprint (do not change)", "Plan revision"]
    assert {"Planned end", "Status", "Health", "Political owner(s)", "Planned budget (€)", "Last updated"} <= set(head)
    a14 = dict(zip(head, next(r for r in rows if r[2] == "A1.4"), strict=True))
    assert a14["Status"] == "Ongoing" and a14["Health"] == "At risk"
    assert re.fullmatch(r"fingerprint [0-9a-f]{12} · 26 rows · list [0-9a-f]{8}", a14["Plan revision"])
    # into a new plan, in English: the same model, an English plan
    new = feuille("import", str(sheet_file), str(tmp_path / "new"), "--lang", "en")
    assert new.returncode == 0, new.stderr
    assert new.stdout.startswith(f"read: {sheet_file} — 29 action rows (sheet")
    assert "Created: 26 actions in 10 objectives; 19 people and 4 services created in people.yaml." in new.stdout
    original, back = _load(plan), _load(tmp_path / "new")
    assert back.errors == 0 and back.plan.lang == "en"
    assert json.dumps(_projection(back.plan), sort_keys=True, ensure_ascii=False) == json.dumps(_projection(original.plan), sort_keys=True, ensure_ascii=False)
    assert "# Imported by feuille import.\n" in (tmp_path / "new" / "plan.yaml").read_text(encoding="utf-8")
    # back into its plan: nothing changed, said in the plan's language (no --lang)
    again = feuille("import", str(sheet_file), str(plan))
    assert again.returncode == 0, again.stderr
    assert "0 changes and 0 new actions to write in 0 files." in again.stdout and "Nothing was written: no change to write." in again.stdout
    assert again.stdout.startswith(f"read: {sheet_file} — 29 action rows (")


def test_an_english_sheet_comes_back_with_its_changes_conflicts_and_deleted_rows_in_either_language(tmp_path):
    plan = _english(tmp_path)

    def edit(ws):
        head = [c.value for c in ws[1]]

        def cell(ident: str, header: str):
            return next(row[head.index(header)] for row in ws.iter_rows(min_row=2) if row[head.index("Id")].value == ident)

        ws.delete_rows(cell("A1.3", "Id").row)
        cell("A1.5", "Status").value = "Done"
        cell("A1.4", "Progress entered (%)").value = 70

    xlsx = _returned(tmp_path, plan, edit)
    f = plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("progress: 55", "progress: 60"), encoding="utf-8")
    en = feuille("import", str(xlsx), str(plan), "--dry-run")
    fr = feuille("import", str(xlsx), str(plan), "--dry-run", "--lang", "fr")
    assert en.returncode == fr.returncode == 1, (en.stdout, fr.stdout)  # a conflict: the sheet is refused whole (all or nothing)
    assert "import refused: 1 row or change to correct; nothing was written:\n  - A1.4 'Cadastre des besoins" in en.stderr
    assert "Progress entered (%) (sheet 'Action', row 7, column O): the sheet says '70', the plan says '60' since the export" in en.stderr
    assert "Deleted rows (never applied: the action stays in the plan): 1\n  - A1.3 '" in en.stdout
    assert "To drop it, set its status to 'Cancelled'; to remove it, delete it in" in en.stdout
    assert "import refusé : 1 ligne ou changement à corriger ; rien n'a été écrit :\n  - A1.4 « Cadastre des besoins" in fr.stderr
    assert "Progress entered (%) (feuille « Action », ligne 7, colonne O) : le tableau dit « 70 », le plan dit « 60 » depuis l'export" in fr.stderr
    assert "Lignes supprimées (jamais appliqué : l'action reste dans le plan) : 1\n  - A1.3 « " in fr.stdout
    assert "mettez son statut à « Cancelled »" in fr.stdout  # the sheet's own word
    assert _load(plan).plan.action_index()["A1.5"][0].status.value != "done"
    f.write_text(f.read_text(encoding="utf-8").replace("progress: 60", "progress: 55"), encoding="utf-8")  # the conflict settled in the plan
    dry = feuille("import", str(xlsx), str(plan), "--dry-run")
    assert dry.returncode == 0 and "+status: done" in dry.stdout and "2 changes and 0 new actions to write in 2 files." in dry.stdout, dry.stdout
    assert "Nothing was written (--dry-run)." in dry.stdout
    done = feuille("import", str(xlsx), str(plan))
    assert done.returncode == 0 and "changed: " in done.stdout, done.stdout + done.stderr
    assert _load(plan).plan.action_index()["A1.5"][0].status.value == "done"


def test_a_french_sheet_read_in_english_makes_an_english_plan_with_english_notes(tmp_path):
    fr = feuille("import", str(_messy(tmp_path)), str(tmp_path / "fr"))
    en = feuille("import", str(_messy(tmp_path)), str(tmp_path / "en"), "--lang", "en")
    assert fr.returncode == en.returncode == 0, (fr.stderr, en.stderr)
    assert fr.stdout.startswith(f"lu : {tmp_path / 'tableau.xlsx'} — 6 lignes d'actions (feuille « Tableau de bord ») en ")
    assert f"plan créé : {tmp_path / 'fr'} (8 fichiers, en " in fr.stdout
    assert "Créé : 6 actions dans 2 objectifs ; 7 personnes et 0 service créés dans people.yaml." in fr.stdout
    assert "À vérifier (5) :\n  - à vérifier : feuille « Tableau de bord », ligne 7, colonne I (Échéance) : « fin 2026 ? » — n'est pas une date lisible" in fr.stdout
    assert "  - info : feuille « Tableau de bord », ligne 4, colonne N (Divers) — colonne non reconnue" in fr.stdout
    assert "Les valeurs non lues sont gardées telles quelles dans les notes de leur action." in fr.stdout
    assert en.stdout.startswith(f"read: {tmp_path / 'tableau.xlsx'} — 6 action rows (sheet 'Tableau de bord') in ")
    assert f"plan created: {tmp_path / 'en'} (8 files, in " in en.stdout
    assert "Created: 6 actions in 2 objectives; 7 people and 0 services created in people.yaml." in en.stdout
    assert ("To check (5):\n  - to check: sheet 'Tableau de bord', row 7, column I (Échéance): 'fin 2026 ?' — is not a readable date: kept as is in "
            "the action's notes. Write the date DD/MM/YYYY (31/12/2025), a month (12/2025) or a year.") in en.stdout
    assert "'peut-être' — is not a known status: kept as is in the action's notes. Statuses understood: Not started, Ongoing" in en.stdout
    assert ("  - info: sheet 'Tableau de bord', row 4, column N (Divers) — column not recognised: its values are kept in the actions' notes. "
            "To take it: --map \"Divers=field\"") in en.stdout
    assert "The values not read are kept as they are in the notes of their action." in en.stdout
    # what the import writes into the plan: in the plan's language
    fr_text = "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "fr").rglob("*.yaml")))
    en_text = "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "en").rglob("*.yaml")))
    assert "Repris tel quel du tableau : Divers : x" in fr_text and "Statut : « à discuter » selon le tableau." in fr_text
    assert "Taken as is from the sheet: Divers: x" in en_text and "Status: ''to be discussed'' according to the sheet." in en_text
    assert "name: Commune (à compléter)" in fr_text and "name: Municipality (to be completed)" in en_text
    assert _load(tmp_path / "fr").plan.lang == "fr" and _load(tmp_path / "en").plan.lang == "en"
    assert "locale:" not in (tmp_path / "fr" / "plan.yaml").read_text(encoding="utf-8")  # French: the default, not written
    assert _load(tmp_path / "fr").plan.meta.title == _load(tmp_path / "en").plan.meta.title == "tableau"  # the file's name, not an action's title
    assert feuille("lint", str(tmp_path / "en")).returncode == 0


def test_a_town_sheet_with_english_headers_is_understood(tmp_path):
    path = tmp_path / "council-plan.csv"
    path.write_text("Council action plan\n\nObjective,Action title,Status,Due date,Owner,Progress,Health,Budget (€)\n"
                    "Housing,Build homes,In progress,31 December 2027,Jane Doe,40%,Amber,\"12,500.50\"\n"
                    ",Renovate the library,Not started,March 2026,John Smith,0,Good,none\n", encoding="utf-8")
    sheet, problems = read_sheet(path)
    assert not problems and sheet.lang == "en" and sheet.levels == ["Objective"]
    built = build_plan(sheet, problems, "Council", AS_OF, "en")
    [objective] = [d for f, d in built.files.items() if f.startswith("objectives/")]
    first, second = objective["actions"]
    assert (first["status"], first["planned_end"], first["progress"], first["health"]) == ("ongoing", dt.date(2027, 12, 31), 40, "at_risk")
    assert first["budget"][0]["amount"] == Decimal("12500.50")
    assert (second["status"], second["planned_end"], second["health"]) == ("not_started", dt.date(2026, 3, 31), "good")
    assert "budget" not in second


def test_a_returned_sheet_outside_any_plan_and_a_plan_with_errors_in_both_languages(tmp_path):
    xlsx = _export(LL, tmp_path / "retour.xlsx")
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    fr = feuille("import", str(xlsx), cwd=outside)
    en = feuille("import", str(xlsx), "--lang", "en", cwd=outside)
    assert fr.returncode == en.returncode == 1
    assert f"feuille : « {xlsx} » a été exporté d'un plan feuille, mais le dossier courant n'est dans aucun plan. Rien n'a été écrit." in fr.stderr
    assert f"Indiquez le dossier du plan où reporter les changements : feuille import {xlsx} plans/ma-commune" in fr.stderr
    assert f"feuille: '{xlsx}' was exported from a feuille plan, but the current folder is in no plan. Nothing was written." in en.stderr
    assert f"Give the folder of the plan to copy the changes into: feuille import {xlsx} plans/my-town" in en.stderr

    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    f = plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("status: ongoing", "status: someday"), encoding="utf-8")
    fr = feuille("import", str(xlsx), str(plan))
    en = feuille("import", str(xlsx), str(plan), "--lang", "en")
    assert fr.returncode == en.returncode == 1
    assert f"feuille : le plan « {plan} » a 1 erreur : l'import n'y écrit pas, pour ne pas bâtir sur un plan faux. Rien n'a été écrit." in fr.stderr
    assert f"  Corrigez-la d'abord (feuille lint {plan})." in fr.stderr
    assert f"feuille: the plan '{plan}' has 1 error: the import does not write into it, so as not to build on a wrong plan. Nothing was written." in en.stderr
    assert f"  Fix it first (feuille lint {plan})." in en.stderr


def test_the_import_command_has_its_own_lang_option(tmp_path):
    assert "--lang" in feuille("import", "--help").stdout
    bad = feuille("import", str(_messy(tmp_path)), str(tmp_path / "p"), "--lang", "de")
    assert bad.returncode == 2 and "langue inconnue « de »" in bad.stderr and not (tmp_path / "p").exists()
    env = feuille("import", str(_messy(tmp_path)), str(tmp_path / "q"), env={"FEUILLE_LANG": "en"})
    assert env.returncode == 0 and "plan created: " in env.stdout


def test_progress_of_a_long_sheet_in_the_users_language(tmp_path):
    for lang, text in (("fr", "\rlecture : [###############...............] 1000/2000 lignes"), ("en", "\rreading: [###############...............] 1000/2000 rows")):
        err = io.StringIO()
        progress_bar(err, lang)(1000, 2000)
        assert err.getvalue() == text


# --- format names: every name a help text shows is taken, and the errors name them in the reader's language ----------

def _help_formats(command: str, lang: str) -> list[str]:
    """The format names the ``--format`` help of ``command`` shows in ``lang``: the items after its colon, and a single
    lower-case word in their brackets (« ecomptes, tableur (xlsx, csv) » -> ecomptes, tableur, xlsx, csv; « json, xlsx (Excel) » -> json, xlsx)."""
    import typer.main

    from feuille.cli import app
    from feuille.core.i18n import help_translator

    option = next(p for p in typer.main.get_command(app).commands[command].params if "--format" in getattr(p, "opts", ()))
    text, depth, cut = help_translator(lang)(option.help), 0, 0
    for i, ch in enumerate(text):  # after the last colon outside parentheses: a format may explain itself with one
        depth += (ch == "(") - (ch == ")")
        if ch == ":" and depth == 0:
            cut = i + 1
    listed = text[cut:].strip().rstrip(".")
    return [w.strip() for w in re.split(r"[,()]", listed) if re.fullmatch(r"[a-z]+(?:-[a-z]+)?", w.strip())]  # (projets-te)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_import_format_the_help_shows_is_taken(tmp_path, lang):
    shown = _help_formats("import", lang)
    assert {"ecomptes", "xlsx", "csv", "tableur" if lang == "fr" else "spreadsheet"} <= set(shown), shown
    sheet = _messy(tmp_path)
    for i, name in enumerate(n for n in shown if n != "ecomptes"):
        r = feuille("--lang", lang, "import", "-f", name, str(sheet), str(tmp_path / f"p{i}"))
        assert r.returncode == 0 and (tmp_path / f"p{i}" / "plan.yaml").exists(), (name, r.stderr)
    r = feuille("--lang", lang, "import", "-f", "ecomptes", str(sheet), str(tmp_path / "e"))
    assert r.returncode == 1 and "XML" in r.stderr  # taken as eComptes, then refused for what it is


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_export_format_the_help_shows_is_taken(tmp_path, lang):
    shown = _help_formats("export", lang)
    assert {"json", "xlsx", "csv", "ecomptes"} <= set(shown), shown
    for name in shown:
        r = feuille("--lang", lang, "export", str(LL), "-f", name.upper(), "-o", str(tmp_path / f"out-{name}.x"), "--as-of", AS_OF.isoformat())
        assert "unknown format" not in r.stderr and "format inconnu" not in r.stderr, (name, r.stderr)


def test_import_format_names_in_both_languages_in_the_errors(tmp_path):
    sheet = _messy(tmp_path)
    en = feuille("--lang", "en", "import", "-f", "spreadsheet", str(sheet), str(tmp_path / "en"))
    fr = feuille("import", "-f", "tableur", str(sheet), str(tmp_path / "fr"))
    cross = feuille("import", "-f", "Spreadsheet", str(sheet), str(tmp_path / "cross"))  # the other language's name, any case
    assert en.returncode == fr.returncode == cross.returncode == 0, (en.stderr, fr.stderr, cross.stderr)
    assert "plan created: " in en.stdout and "plan créé : " in fr.stdout
    bad_fr = feuille("import", "-f", "pdf", str(sheet), str(tmp_path / "x"))
    bad_en = feuille("import", "-f", "pdf", str(sheet), str(tmp_path / "x"), "--lang", "en")
    assert bad_fr.returncode == bad_en.returncode == 2 and not (tmp_path / "x").exists()
    assert "feuille : format d'import inconnu « pdf ».\n  Formats possibles : ecomptes, tableur.\n" == bad_fr.stderr
    assert "feuille: unknown import format 'pdf'.\n  Possible formats: ecomptes, spreadsheet.\n" == bad_en.stderr
    text = tmp_path / "notes.txt"
    text.write_bytes(b"\x00\x01binary")
    bad_fr = feuille("import", str(text), str(tmp_path / "x"))
    bad_en = feuille("--lang", "en", "import", str(text), str(tmp_path / "x"))
    assert bad_fr.returncode == bad_en.returncode == 1
    assert f"« {text} » n'est pas un fichier que feuille sait importer (formats : ecomptes, tableur)." in bad_fr.stderr
    assert f"'{text}' is not a file feuille can import (formats: ecomptes, spreadsheet)." in bad_en.stderr


# --- cells that cannot be read: kept in a new action's notes, never applied to an existing action; the message says which --------

UNREADABLE = {"Statut": "peut-être", "Santé": "bof", "Avancement": "120", "Échéance": "fin 2026 ?", "Budget": "beaucoup"}


def _unreadable_sheet(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Axe", "Action", *UNREADABLE])
    ws.append(["1. Cadre de vie", "Éclairage", *UNREADABLE.values()])
    ws.append([None, "Caméras", "En cours", "Bon", "50", "2026", "100"])
    path = tmp_path / "tableau.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("lang,kept,notes", [
    ("fr", "gardé tel quel dans les notes de l'action",
     "Repris tel quel du tableau : Échéance : fin 2026 ? ; Budget : beaucoup ; Avancement : 120 ; Statut : peut-être ; Santé : bof"),
    ("en", "kept as is in the action's notes",
     "Taken as is from the sheet: Échéance: fin 2026 ?; Budget: beaucoup; Avancement: 120; Statut: peut-être; Santé: bof"),
])
def test_unreadable_cells_of_a_new_plan_are_in_the_notes_of_their_action(tmp_path, lang, kept, notes):
    r = feuille("import", str(_unreadable_sheet(tmp_path)), str(tmp_path / "p"), "--lang", lang)
    assert r.returncode == 0, r.stderr
    for header, text in UNREADABLE.items():
        said = next(line for line in r.stdout.splitlines() if f"({header})" in line)
        assert text in said and kept in said, said
    a = {x.title: x for x, _o in _load(tmp_path / "p").plan.action_index().values()}
    assert " ".join(a["Éclairage"].notes.split()) == notes  # what the message promised, in the plan's language
    assert a["Éclairage"].status.value == "not_started" and a["Éclairage"].progress is None and a["Éclairage"].budget == []
    assert a["Caméras"].notes is None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_unreadable_cells_of_a_returned_sheet_refuse_it_and_are_said_each_with_its_cell(tmp_path, lang):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    action = plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"
    before = action.read_bytes()
    cells = {"Statut": "peut-être", "Santé": "bof", "Avancement saisi (%)": "120", "Fin prévue": "fin 2026 ?", "Budget prévu (€)": "beaucoup"}

    def edit(ws):
        for header, text in cells.items():
            _cell(ws, "A1.4", header).value = text
        _cell(ws, "A1.5", "Avancement saisi (%)").value = 45  # a readable change beside them waits for the sheet to be corrected
        head = [c.value for c in ws[1]]
        ws.append(list({**{h: None for h in head}, "Objectif prioritaire (n°)": "O1", "Action": "Installer des cendriers",
                        "Statut": "peut-être", "Fin prévue": "fin 2026 ?"}.values()))

    xlsx = _returned(tmp_path, plan, edit)
    r = feuille("import", str(xlsx), str(plan), "--lang", lang)
    assert r.returncode == 1, r.stdout + r.stderr  # all or nothing: a cell of the sheet cannot be read, nothing is written
    assert action.read_bytes() == before  # nothing applied, nothing put in its notes
    lines = r.stderr.splitlines()
    if lang == "fr":
        expected = {"Statut": "n'est pas un statut connu : non appliqué, le plan garde « En cours ».",
                    "Santé": "n'est pas une santé connue : non appliqué, le plan garde « À risque ».",
                    "Avancement saisi (%)": "n'est pas un avancement lisible (0 à 100 %) : non appliqué, le plan garde « 55 ».",
                    "Fin prévue": "n'est pas une date lisible : non appliqué, le plan garde « 31/12/2027 ».",
                    "Budget prévu (€)": "n'est pas un montant lisible : non appliqué, le plan garde « 65000 »."}
        new_row = "n'est pas un statut connu : gardé tel quel dans les notes de l'action."
        new_notes = "Repris tel quel du tableau : Fin prévue : fin 2026 ? ; Statut : peut-être"
    else:
        expected = {"Statut": "is not a known status: not applied, the plan keeps 'En cours'.",
                    "Santé": "is not a known health: not applied, the plan keeps 'À risque'.",
                    "Avancement saisi (%)": "is not a readable progress (0 to 100%): not applied, the plan keeps '55'.",
                    "Fin prévue": "is not a readable date: not applied, the plan keeps '2027-12-31'.",
                    "Budget prévu (€)": "is not a readable amount: not applied, the plan keeps '65000'."}
        new_row = "is not a known status: kept as is in the action's notes."
        new_notes = "Repris tel quel du tableau : Fin prévue : fin 2026 ? ; Statut : peut-être"  # the plan is French: its notes too
    refused = [x for x in lines if "non appliqué" in x or "not applied" in x]
    assert len(refused) == 5 and all(x.startswith(("  - feuille « Action », ligne 8, colonne ", "  - sheet 'Action', row 8, column ")) for x in refused), r.stderr
    for header, said in expected.items():
        line = next(x for x in refused if f"({header})" in x)
        assert cells[header] in line and said in line, line
    assert any(new_row in x and "peut-être" in x for x in r.stdout.splitlines()), r.stdout  # the new row: to check, not an error
    assert _load(plan).plan.action_index()["A1.5"][0].progress == 35
    exported = openpyxl.load_workbook(_export(plan, tmp_path / "tel-quel.xlsx"))["Action"]
    wb = openpyxl.load_workbook(xlsx)  # corrected: the unreadable cells back to what was exported
    for header in cells:
        _cell(wb["Action"], "A1.4", header).value = _cell(exported, "A1.4", header).value
    wb.save(xlsx)
    r = feuille("import", str(xlsx), str(plan), "--lang", lang)
    assert "rien n'a été écrit" not in r.stderr and "nothing was written" not in r.stderr, r.stdout + r.stderr
    a = _load(plan).plan.action_index()
    assert a["A1.5"][0].progress == 45
    made = next(x for x, _o in a.values() if x.title == "Installer des cendriers")
    assert " ".join(made.notes.split()) == new_notes and made.planned_end is None
