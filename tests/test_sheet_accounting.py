"""Other tools' sheets come in whole (issue 23): hierarchy from a parent-id column, from numbering, from level columns
of any depth; a template's type row and example rows skipped and said; HTML made Markdown; multi-line cells as blocks;
and an import report that accounts for every non-empty cell of the source.  The files are built here, in each format
(xlsx, csv in UTF-8 with BOM and in Windows-1252), from what these tools' formats are publicly described to hold."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")
import yaml  # noqa: E402

from _cli import feuille  # noqa: E402
from feuille.core.fields import fold  # noqa: E402
from feuille.formats.spreadsheet.build import build_plan, write_new_plan  # noqa: E402
from feuille.formats.spreadsheet.html import clean_text  # noqa: E402
from feuille.formats.spreadsheet.read import read_sheet, split_number  # noqa: E402
from feuille.formats.spreadsheet.report import report  # noqa: E402
from feuille.pipeline import LoadOptions, load_path  # noqa: E402

AS_OF = dt.date(2026, 10, 1)


def _load(root: Path):
    return load_path(root, AS_OF, options=LoadOptions(use_cache=False))


def _write(tmp_path: Path, name: str, sheets: dict[str, list[list[Any]]], fmt: str) -> Path:
    """The sheets as an xlsx workbook, or the first as a CSV (« utf8 »: UTF-8 with BOM and « ; », « cp1252 »: Excel's « , »)."""
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for title, rows in sheets.items():
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append(r)
        path = tmp_path / f"{name}.xlsx"
        wb.save(path)
        return path
    rows = next(iter(sheets.values()))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if fmt == "utf8" else ",", lineterminator="\r\n")
    for r in rows:
        writer.writerow(["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in r])
    path = tmp_path / f"{name}.csv"
    path.write_bytes(out.getvalue().encode("utf-8-sig" if fmt == "utf8" else "cp1252"))
    return path


def _import(path: Path, target: Path, **kw):
    sheet, problems = read_sheet(path, **kw)
    built = build_plan(sheet, problems, "Plan importé", AS_OF)
    write_new_plan(target, built)
    return sheet, built, problems


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


def _plan_text(root: Path) -> str:
    """Every value of the plan's files, each on one line (a YAML block or folded line read back)."""
    out = []
    for f in sorted(root.rglob("*.yaml")):
        out += [" ".join(s.split()) for s in _strings(yaml.safe_load(f.read_text(encoding="utf-8")))]
    return "\n".join(out)


_TEXT_FIELDS = {"title", "sub_action_title", "description", "notes", "achieved", "remaining", "health_note", "aims", "means", "participation", "lead_structure"}


def _cells(path: Path, sheet) -> list[tuple[str, int, str, Any]]:
    """Every non-empty cell of the source: (sheet, row, column letter, value)."""
    from openpyxl.utils import get_column_letter

    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        return [(ws.title, c.row, get_column_letter(c.column), c.value) for ws in wb for r in ws.iter_rows() for c in r
                if c.value not in (None, "") and str(c.value).strip()]
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
    sep = ";" if text.count(";") > text.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    return [(sheet.sheets[0], n, get_column_letter(i + 1), v) for n, r in enumerate(rows, start=1) for i, v in enumerate(r) if v.strip()]


def assert_accounted(path: Path, sheet, root: Path) -> None:
    """Each non-empty cell of the source is in the report's skipped list, or its column went somewhere (the report says where) and its
    row became an action, an objective or a section; a text's words are then in the plan (its field or its notes)."""
    lines = [m("fr") for m in report(sheet)]
    assert lines, "no import report"
    skipped_sheets = {s.sheet for s in sheet.skipped if s.row == 0}
    skipped_rows = {(s.sheet, s.row) for s in sheet.skipped if s.row and not s.column}
    skipped_cells = {(s.sheet, s.row, s.column) for s in sheet.skipped if s.column}
    uses = {(u.sheet, u.column): u for u in sheet.uses}
    headers = {}
    taken = {(r.sheet, r.number) for r in [*sheet.rows, *sheet.sections, *sheet.objective_rows.values()]}
    text = _plan_text(root)
    missing = []
    for name, row, column, value in _cells(path, sheet):
        if name in skipped_sheets or (name, row) in skipped_rows or (name, row, column) in skipped_cells:
            continue
        use = uses.get((name, column))
        if use is None:
            missing.append((name, row, column, value, "no column use"))
            continue
        headers.setdefault((name, column), row)
        if headers[(name, column)] == row:
            continue  # the header itself
        if (name, row) not in taken:
            missing.append((name, row, column, value, "row not taken"))
            continue
        if use.key in _TEXT_FIELDS or use.key.startswith("extra:"):
            words = " ".join(clean_text(str(value), plain=use.key == "title")[0].split())
            numbered = split_number(words) if use.key == "title" and sheet.hierarchy == "numbering" else None
            if numbered is not None:  # « 1.2 Vélo »: the id 1.2, the title « Vélo »
                if not all(part in text.split("\n") for part in numbered):
                    missing.append((name, row, column, value, "numbered title not in the plan"))
            elif words not in text:
                missing.append((name, row, column, value, "text not in the plan"))
    assert not missing, missing


# --- a parent-id export with HTML descriptions ------------------------------------------------------------


def _parent_rows() -> list[list[Any]]:
    return [
        ["Export des résultats — 2026"],
        [],
        ["ID", "Parent ID", "Titre", "Description", "Statut", "Progression", "Date de début", "Date de fin", "Responsable administratif"],
        [10, None, "Une ville qui respire", "<p>Axe <strong>environnement</strong> du programme.</p>", None, None, None, None, None],
        [11, 10, "Verdir les quartiers", "<p>Objectif opérationnel.</p>", "En cours", None, None, None, "Élise Lambert"],
        [12, 11, "Planter 1 000 arbres", "<p>Avec les écoles&nbsp;:</p><ul><li>écoles primaires</li><li>écoles <em>secondaires</em></li></ul>",
         "En cours", "40%", dt.date(2025, 3, 1), dt.date(2026, 12, 31), "Élise Lambert"],
        [13, 11, "Toitures vertes", "<p>Voir <a href=\"https://example.org/toitures\">le guide</a>.</p>", "Non commencé", None, None,
         dt.date(2027, 6, 30), "Marc Dubois"],
        [20, None, "Une ville sûre", None, None, None, None, None, None],
        [21, 20, "Éclairer les rues", None, None, None, None, None, None],
        [22, 21, "Remplacer 500 luminaires", "Ligne 1\nLigne 2", "Terminé", "100%", None, dt.date(2025, 12, 31), "Marc Dubois"],
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "utf8", "cp1252"])
def test_a_parent_id_export_with_html_becomes_a_plan_that_lints_and_accounts_for_every_cell(tmp_path, fmt):
    path = _write(tmp_path, "resultats", {"Résultats": _parent_rows()}, fmt)
    sheet, built, problems = _import(path, tmp_path / "p")
    assert sheet.hierarchy == "parent"
    loaded = _load(tmp_path / "p")
    assert loaded.errors == 0, [(d.code, d.message("fr")) for d in loaded.diagnostics if d.severity.value == "error"]
    plan = loaded.plan
    index = plan.objective_index()
    assert index["10"].title == "Une ville qui respire" and [o.id for o in index["10"].objectives] == ["11"]
    assert index["10"].description == "Axe **environnement** du programme."
    assert [a.id for a in index["11"].actions] == ["12", "13"] and [a.id for a in index["21"].actions] == ["22"]
    trees = plan.action_index()
    assert trees["12"][0].description == "Avec les écoles :\n\n- écoles primaires\n- écoles *secondaires*"
    assert trees["13"][0].description == "Voir [le guide](https://example.org/toitures)."
    assert trees["12"][0].progress == 40 and trees["12"][0].planned_end == dt.date(2026, 12, 31)
    assert "Statut : En cours" in index["11"].notes  # an objective holds no status: kept in its notes, as the sheet said it
    assert plan.people[index["11"].admin_owner].name == "Élise Lambert"
    text = (tmp_path / "p" / "objectives").glob("*.yaml")
    assert any("description: |-\n" in f.read_text(encoding="utf-8") for f in text)  # a text of several lines is a block
    lines = [m("fr") for m in built.report]
    assert any("colonne B (Parent ID) : 5 valeurs → la hiérarchie (l'identifiant de la ligne parente)" in line for line in lines), lines
    assert "colonne « Description » : 4 cellules en HTML, écrites en Markdown (un titre en texte simple)" in lines, lines
    assert any("ligne 1 (« Export des résultats — 2026 ») — au-dessus de la ligne d'en-tête" in line for line in lines), lines
    assert_accounted(path, sheet, tmp_path / "p")


def test_a_parent_that_no_row_has_and_a_loop_are_said_and_the_rows_kept(tmp_path):
    rows = [["ID", "Parent", "Titre"], ["1", None, "Axe"], ["2", "1", "Action une"], ["3", "99", "Orpheline"],
            ["4", "5", "Boucle A"], ["5", "4", "Boucle B"], ["6", "4", "Sous boucle"]]
    path = _write(tmp_path, "p", {"Feuil1": rows}, "utf8")
    sheet, built, problems = _import(path, tmp_path / "p")
    said = [str(p) for p in problems]
    assert any("ligne 4, colonne B (Parent) : « 99 » — aucune ligne du tableau n'a cet identifiant" in s for s in said), said
    assert any("ligne 5" in s and "boucle" in s for s in said), said
    titles = {a.title for a, _o in _load(tmp_path / "p").plan.actions()}
    assert {"Action une", "Orpheline", "Sous boucle"} <= titles


# --- numbering -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "utf8", "cp1252"])
def test_numbering_in_titles_gives_the_hierarchy_and_the_ids(tmp_path, fmt):
    rows = [["Intitulé", "Statut", "Échéance"],
            ["1. Mobilité", None, None], ["1.1 Vélo", None, None], ["1.1.1 Pistes cyclables", "En cours", "2026"],
            ["1.1.2 Parkings vélo", "Terminé", "2025"], ["2. Propreté", None, None], ["2.1 Dépôts", None, None],
            ["2.1.1 Caméras mobiles", "Non commencé", "2027"]]
    path = _write(tmp_path, "num", {"Plan": rows}, fmt)
    sheet, built, _problems = _import(path, tmp_path / "p")
    assert sheet.hierarchy == "numbering"
    loaded = _load(tmp_path / "p")
    assert loaded.errors == 0, [(d.code, d.message("fr")) for d in loaded.diagnostics if d.severity.value == "error"]
    index = loaded.plan.objective_index()
    assert (index["1"].title, index["1.1"].title) == ("Mobilité", "Vélo")
    assert [(a.id, a.title) for a in index["1.1"].actions] == [("1.1.1", "Pistes cyclables"), ("1.1.2", "Parkings vélo")]
    assert_accounted(path, sheet, tmp_path / "p")


def test_os_oo_a_references_give_the_hierarchy_and_stay_the_ids(tmp_path):
    rows = [["Référence", "Intitulé", "Responsable politique"],
            ["OS.1", "Être une commune durable", None], ["OO.1.1", "Réduire l'énergie", "Anne Martin"],
            ["A.1.1.1", "Isoler les écoles", "Anne Martin"], ["A.1.1.2", "Relighting LED", "Anne Martin"],
            ["OO.1.2", "Mobilité", None], ["A.1.2.1", "Plan vélo", "Paul Henry"]]
    path = _write(tmp_path, "ref", {"PST": rows}, "xlsx")
    sheet, built, _problems = _import(path, tmp_path / "p")
    plan = _load(tmp_path / "p").plan
    index = plan.objective_index()
    assert [o.id for o in index["OS.1"].objectives] == ["OO.1.1", "OO.1.2"]
    assert [a.id for a in index["OO.1.1"].actions] == ["A.1.1.1", "A.1.1.2"] and index["OO.1.1"].title == "Réduire l'énergie"
    assert plan.people[index["OO.1.1"].political_owners[0]].name == "Anne Martin"
    assert_accounted(path, sheet, tmp_path / "p")


def test_numbers_in_a_title_are_no_numbering():
    from feuille.formats.spreadsheet.read import split_number

    assert split_number("1 000 arbres plantés") is None and split_number("2030 : ville neutre") is None
    assert split_number("OO.1.2 : Vélo") == ("OO.1.2", "Vélo") and split_number("3) Propreté") == ("3", "Propreté")


# --- level columns of any depth, a template's rows, English headers -----------------------------------------------


def test_four_level_columns_a_type_row_an_example_row_and_an_instructions_sheet(tmp_path):
    rows = [["Niveau 1", "Niveau 2", "Niveau 3", "Niveau 4", "Titre de l'action", "Statut", "Date de fin", "Commentaire interne"],
            ["Liste", "Liste", "Liste", "Liste", "Champ texte", "Liste", "Date", "Champ texte"],
            ["Exemple : Transition", "Exemple", None, None, "Exemple : installer des panneaux", "En cours", None, None],
            ["1. Transition", "1.1 Énergie", "1.1.1 Bâtiments", "1.1.1.1 Écoles", "Isoler l'école du centre", "En cours", dt.date(2026, 6, 30),
             "Première ligne\nDeuxième ligne"],
            [None, None, None, None, "Isoler l'école des Prés", "Non commencé", None, None],
            [None, None, None, "1.1.1.2 Crèches", "Chaudière de la crèche", "Terminé", dt.date(2025, 1, 31), None]]
    wb_sheets = {"Mode d'emploi": [["Comment remplir ce modèle"], ["Une ligne par action."]], "Actions": rows}
    path = _write(tmp_path, "modele", wb_sheets, "xlsx")
    sheet, built, problems = _import(path, tmp_path / "p")
    loaded = _load(tmp_path / "p")
    assert loaded.errors == 0, [(d.code, d.message("fr")) for d in loaded.diagnostics if d.severity.value == "error"]
    plan = loaded.plan
    assert plan.meta.depth == 4 and plan.objective_index()["1.1.1.1"].title == "Écoles"
    assert len(list(plan.actions())) == 3
    lines = [m("fr") for m in built.report]
    assert any("ligne 2 (« Liste | Liste | Liste | Liste | Champ texte" in line and "type de chaque colonne" in line for line in lines), lines
    assert any("ligne 3 (« Exemple : Transition" in line and "une ligne d'exemple" in line for line in lines), lines
    assert any("feuille « Mode d'emploi » (« Comment remplir ce modèle » ) " in line.replace("»)", "» )") or
               ("feuille « Mode d'emploi »" in line and "instructions" in line) for line in lines), lines
    text = "\n".join(f.read_text(encoding="utf-8") for f in (tmp_path / "p" / "objectives").glob("*.yaml"))
    assert "notes: |-\n" in text and "Première ligne\n" in text
    assert_accounted(path, sheet, tmp_path / "p")


def test_english_headers_and_an_ignored_column_are_reported(tmp_path):
    rows = [["Objective", "Action title", "Status", "Due date", "Owner", "Internal code"],
            ["Clean town", "Street sweeping", "In progress", "31/12/2026", "Jane Smith", "X-12"],
            [None, "Bins", "Completed", "2025", "Jane Smith", "X-13"]]
    path = _write(tmp_path, "en", {"Sheet1": rows}, "utf8")
    from feuille.formats.spreadsheet.read import parse_map

    sheet, built, _p = _import(path, tmp_path / "p", mapping=parse_map(["Internal code=ignore"]))
    lines = [m("en") for m in built.report]
    assert any("column F (Internal code): 2 values → not imported (--map \"Internal code=ignore\")" in line for line in lines), lines
    assert any("column D (Due date): 2 values → the field 'planned_end'" in line for line in lines), lines
    assert_accounted(path, sheet, tmp_path / "p")


def test_the_import_command_prints_the_report(tmp_path):
    path = _write(tmp_path, "resultats", {"Résultats": _parent_rows()}, "xlsx")
    r = feuille("import", str(path), str(tmp_path / "plan"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Rapport d'import (où va chaque valeur) :" in r.stdout
    assert "colonne C (Titre) : 7 valeurs → le champ « title »" in r.stdout, r.stdout
    r = feuille("import", str(path), str(tmp_path / "plan2"), "--dry-run", "--lang", "en")
    assert "Import report (where each value went):" in r.stdout and "hierarchy: from the column of parent ids" in r.stdout


def test_fold_of_headers():
    assert fold("Niveau 4") == "niveau4"


# --- Territoires en Transitions: its import template --------------------------------------------------------------

TET_HEADERS = ["Axe (x)", "Sous-axe (x.x)", "Sous-sous axe (x.x.x)", "Titre de l'action", "Titre de la sous-action", "Descriptif",
               "Instances de gouvernance", "Objectifs", "Indicateurs liés", "Structure pilote", "Moyens humains et techniques", "Partenaires",
               "Direction ou service pilote", "Personne pilote", "Élu·e référent·e", "Participation Citoyenne", "Financements", "Financeur 1",
               "Montant € HT", "Financeur 2", "Montant € HT", "Financeur 3", "Montant € HT", "Budget prévisionnel total € HT", "Statut",
               "Niveau de priorité", "Date de début", "Date de fin"]
TET_TYPES = ["Champ texte", "Champ texte", "Champ texte", "Champ texte", "Champ texte", "Champ texte", "Liste", "Champ texte", "Liste",
             "Liste", "Champ texte", "Liste", "Liste", "Liste", "Liste", "Champ texte", "Champ texte", "Liste", "Nombre", "Liste", "Nombre",
             "Liste", "Nombre", "Nombre", "Liste", "Liste", "Date", "Date"]


def _tet(**cells: Any) -> list[Any]:
    row: list[Any] = [None] * len(TET_HEADERS)
    names = {"axe": 0, "sous_axe": 1, "sous_sous_axe": 2, "titre": 3, "sous_action": 4, "descriptif": 5, "gouvernance": 6, "objectifs": 7,
             "indicateurs": 8, "structure": 9, "moyens": 10, "partenaires": 11, "service": 12, "pilote": 13, "elu": 14, "participation": 15,
             "financements": 16, "f1": 17, "m1": 18, "f2": 19, "m2": 20, "f3": 21, "m3": 22, "budget": 23, "statut": 24, "priorite": 25,
             "debut": 26, "fin": 27}
    for key, value in cells.items():
        row[names[key]] = value
    return row


def _tet_rows() -> list[list[Any]]:
    return [
        ["Plan d'actions — import Territoires en Transitions"],
        TET_HEADERS,
        TET_TYPES,
        _tet(axe="1 - Mobilité", sous_axe="1.1 Vélo", sous_sous_axe="1.1.1 Infrastructures", titre="Créer un réseau de pistes cyclables",
             descriptif="<p>Relier les écoles.</p>", gouvernance="Comité de pilotage; Collège", objectifs="Doubler la part modale du vélo",
             indicateurs="Km de pistes", structure="Commune", moyens="1 ETP voirie", partenaires="SPW; GRACQ", service="Mobilité",
             pilote="Élise Lambert", elu="Anne Martin", participation="Balades participatives", financements="Plan Wallonie cyclable",
             f1="Région wallonne", m1=400000, f2="FEDER", m2="150 000", f3="Fonds propres", m3=50000, budget=600000, statut="En cours",
             priorite="Élevé", debut=dt.date(2025, 1, 1), fin=dt.date(2027, 12, 31)),
        _tet(axe="1 - Mobilité", sous_axe="1.1 Vélo", sous_sous_axe="1.1.1 Infrastructures", titre="Créer un réseau de pistes cyclables",
             sous_action="Étude de tracé", pilote="Marc Dubois", statut="Réalisé", fin=dt.date(2025, 6, 30), descriptif="Bureau d'études"),
        _tet(axe="1 - Mobilité", sous_axe="1.1 Vélo", sous_sous_axe="1.1.1 Infrastructures", titre="Créer un réseau de pistes cyclables",
             sous_action="Travaux phase 1", pilote="Marc Dubois", statut="En cours", debut=dt.date(2025, 9, 1), fin=dt.date(2026, 12, 31),
             structure="Commune"),
        _tet(axe="2 - Énergie", titre="Cadastre solaire", statut="À venir", priorite="Moyen", f1="Région wallonne", m1=20000,
             pilote="Élise Lambert", elu="Anne Martin"),
        _tet(axe="2 - Énergie", sous_axe="2.1 Bâtiments", titre="Isoler les écoles", sous_action="Audit énergétique", statut="En cours",
             pilote="Marc Dubois", elu="Anne Martin"),
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "utf8", "cp1252"])
def test_a_territoires_en_transitions_workbook_with_sub_actions_uneven_axes_and_three_funders(tmp_path, fmt):
    path = _write(tmp_path, "tet", {"Plan d'actions": _tet_rows(), "Listes": [["Statuts"], ["À venir"], ["En cours"]]}, fmt)
    sheet, built, problems = _import(path, tmp_path / "p")
    loaded = _load(tmp_path / "p")
    assert loaded.errors == 0, [(d.code, d.message("fr")) for d in loaded.diagnostics if d.severity.value == "error"]
    plan = loaded.plan
    assert plan.meta.settings.actions_at == "any"  # « Cadastre solaire » sits under its axe: uneven axes, no F306
    by_title = {a.title: (a, o) for a, o in plan.actions()}
    assert set(by_title) == {"Créer un réseau de pistes cyclables", "Cadastre solaire", "Isoler les écoles"}  # sub-actions are no actions
    pistes, infra = by_title["Créer un réseau de pistes cyclables"]
    assert (infra.id, infra.title) == ("1.1.1", "Infrastructures")
    assert [(s.title, s.status.value) for s in pistes.sub_actions] == [("Étude de tracé", "done"), ("Travaux phase 1", "ongoing")]
    assert plan.people[pistes.sub_actions[0].admin_owner].name == "Marc Dubois"
    assert "Descriptif : Bureau d'études" in pistes.sub_actions[0].notes  # not its action's: kept with the sub-action
    assert pistes.sub_actions[1].notes is None  # « Structure pilote : Commune » is its action's, said again
    assert pistes.aims == "Doubler la part modale du vélo" and pistes.means == "1 ETP voirie" and pistes.lead_structure == "Commune"
    assert pistes.participation == "Balades participatives" and pistes.governance == ["Comité de pilotage", "Collège"]
    assert pistes.priority_level.value == "high" and pistes.partners == ["SPW", "GRACQ"] and pistes.description == "Relier les écoles."
    [line] = pistes.budget
    assert line.amount == 600000 and [(f.name, f.amount) for f in line.funders] == [("Région wallonne", 400000), ("FEDER", 150000),
                                                                                    ("Fonds propres", 50000)]
    assert "Indicateurs liés : Km de pistes" in pistes.notes and "Financements : Plan Wallonie cyclable" in pistes.notes
    cadastre = by_title["Cadastre solaire"][0]
    assert cadastre.budget[0].amount == 20000 and cadastre.budget[0].funders[0].name == "Région wallonne"
    ecoles = by_title["Isoler les écoles"][0]
    assert [s.title for s in ecoles.sub_actions] == ["Audit énergétique"] and ecoles.sub_actions[0].status.value == "ongoing"
    lines = [m("fr") for m in built.report]
    assert any("ligne 3 (« Champ texte | Champ texte" in line and "type de chaque colonne" in line for line in lines), lines
    assert any("colonne E (Titre de la sous-action) : 3 valeurs → les sous-actions de leur action" in line for line in lines), lines
    assert any("colonne S (Montant € HT) : 2 valeurs → budget : les montants des financeurs (funders)" in line for line in lines), lines
    assert "3 sous-actions sous leur action." in [m("fr") for m in built.summary]
    assert not [p.header for p in problems if p.kind == "unknown_column"]  # every column of the template is known
    assert_accounted(path, sheet, tmp_path / "p")


def test_a_parent_id_tree_of_uneven_depth_and_an_objectives_own_progress_and_budget(tmp_path):
    rows = [["ID", "Parent", "Titre", "Progression", "Budget", "Statut"],
            ["1", None, "Climat", "30%", "10000", "En cours"], ["2", "1", "Plan vélo", "50%", None, "En cours"],
            ["3", None, "Cohésion", None, None, None], ["4", "3", "Jeunesse", None, None, None], ["5", "4", "Maison des jeunes", "20%", None, "En cours"],
            ["6", None, "Sport", "40%", None, "En cours"], ["7", "6", "Piscine", None, None, "Non commencé"]]
    path = _write(tmp_path, "arbre", {"Feuil1": rows}, "utf8")
    sheet, built, _problems = _import(path, tmp_path / "p")
    loaded = _load(tmp_path / "p")
    assert loaded.errors == 0, [(d.code, d.message("fr")) for d in loaded.diagnostics if d.severity.value == "error"]
    plan = loaded.plan
    assert plan.meta.settings.actions_at == "any" and plan.meta.depth == 2
    index = plan.objective_index()
    assert [a.id for a in index["1"].actions] == ["2"] and [a.id for a in index["4"].actions] == ["5"]
    assert (index["1"].progress_declared.value, index["1"].budget[0].amount) == (30, 10000)  # the objective's own row
    assert index["6"].progress_declared.value == 40 and "Statut : En cours" in index["6"].notes
    assert not [d for d in loaded.diagnostics if d.code == "F707"]
    assert_accounted(path, sheet, tmp_path / "p")


def test_a_funder_without_amount_an_amount_without_funder_and_an_unreadable_amount_are_kept_and_said(tmp_path):
    rows = [TET_HEADERS,
            _tet(axe="1 Climat", titre="Isoler", f1="Région wallonne", f2=None, m2="3000", f3="FEDER", m3="beaucoup"),
            _tet(axe="1 Climat", titre="Planter", f1="Province", budget=5000)]
    path = _write(tmp_path, "f", {"Plan": rows}, "xlsx")
    sheet, built, problems = _import(path, tmp_path / "p")
    said = [str(p) for p in problems]
    assert any("ligne 2, colonne U (Montant € HT) : « 3000 » — un montant sans son financeur : gardé dans les notes de l'action." in s for s in said), said
    assert any("ligne 2, colonne W (Montant € HT) : « beaucoup » — n'est pas un montant lisible" in s for s in said), said
    plan = _load(tmp_path / "p").plan
    by_title = {a.title: a for a, _o in plan.actions()}
    isoler = by_title["Isoler"]
    assert "Montant € HT : 3000" in isoler.notes and "Montant € HT : beaucoup" in isoler.notes
    assert "Financeur sans montant : FEDER" in isoler.notes and "Financeur sans montant : Région wallonne" in isoler.notes
    assert isoler.budget == []  # names without amounts and no budget: no line made of nothing
    planter = by_title["Planter"]
    assert (planter.budget[0].amount, planter.budget[0].funder) == (5000, "Province")
    assert_accounted(path, sheet, tmp_path / "p")


def test_map_names_the_parent_column_and_a_fourth_level(tmp_path):
    from feuille.formats.spreadsheet.read import parse_map

    rows = [["Réf", "Rattachement", "Libellé"], ["T1", None, "Transition"], ["T1.1", "T1", "Isoler les écoles"], ["T1.2", "T1", "Planter"]]
    path = _write(tmp_path, "map", {"Feuil1": rows}, "utf8")
    sheet, built, _p = _import(path, tmp_path / "p", mapping=parse_map(["Rattachement=parent"]))
    assert sheet.hierarchy == "parent"
    assert [a.id for a in _load(tmp_path / "p").plan.objective_index()["T1"].actions] == ["T1.1", "T1.2"]
    assert parse_map(["Chantier=level4"]) == {"chantier": "level4"}
    assert_accounted(path, sheet, tmp_path / "p")
