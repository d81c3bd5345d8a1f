"""`feuille export --format xlsx|csv` (issue 12): the workbook a college meeting gets, the CSV French Excel opens, --split-by."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from _cli import feuille  # noqa: E402
from _plans import EXAMPLES  # noqa: E402
from feuille.formats.spreadsheet.columns import ACTION_COLUMNS, INFO_SHEET, parse_baseline  # noqa: E402

# A French plan's sheet keeps its French words exactly (an English plan's: tests/test_sheet_import.py, the round trip in English)
HASH_HEADER, REVISION_HEADER, NOTES_SHEET = "Empreinte (ne pas modifier)", "Révision du plan", "Mode d'emploi"

LL = EXAMPLES / "la-louviere"
AS_OF = "2026-10-01"


def _export(tmp_path: Path, *args: str, plan: Path = LL, name: str = "plan.xlsx") -> Path:
    out = tmp_path / name
    result = feuille("export", str(plan), "--format", out.suffix[1:], "-o", str(out), "--as-of", AS_OF, *args)
    assert result.returncode == 0, result.stderr
    return out


def _actions(wb):
    return wb[wb[INFO_SHEET]["B5"].value]


def test_xlsx_one_sheet_per_level_notes_and_hidden_info(tmp_path):
    wb = openpyxl.load_workbook(_export(tmp_path))
    assert wb.sheetnames == ["Objectif prioritaire", "Action", "Indicateurs", "Financement", NOTES_SHEET, INFO_SHEET]
    assert wb[INFO_SHEET].sheet_state == "hidden"
    notes = "\n".join(str(c.value) for row in wb[NOTES_SHEET].iter_rows() for c in row if c.value)
    assert "Révision du plan" in notes and "empreinte " in notes and "indicateurs" in notes
    objectives = wb["Objectif prioritaire"]
    assert [c.value for c in objectives[2]][1] == "O1"
    assert objectives.max_row == 11  # header + ten objectives


def test_xlsx_indicators_sheet_is_the_long_table_of_measurements_with_a_row_for_the_next_one(tmp_path):
    wb = openpyxl.load_workbook(_export(tmp_path))
    ws = wb["Indicateurs"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["Indicateur (id)", "Indicateur", "Déclaré sur", "Unité", "Date de la mesure", "Valeur", "Note"]
    absent = [r for r in rows if r[0] == "logements-remis"]
    assert [(r[4].date() if r[4] else None, r[5]) for r in absent] == [(dt.date(2025, 6, 30), 9), (dt.date(2025, 12, 31), 18), (dt.date(2026, 6, 30), 31), (None, None)]
    assert absent[0][1:4] == ["Logements inoccupés remis sur le marché (cumul depuis 2025)", "O4", "logements"]
    assert ws["E2"].number_format == "DD/MM/YYYY"


def test_csv_export_writes_the_measurements_beside_the_actions(tmp_path):
    out = tmp_path / "plan.csv"
    result = feuille("export", LL, "-f", "csv", "-o", out, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    beside = (tmp_path / "plan-indicateurs.csv").read_text(encoding="utf-8-sig").splitlines()
    assert beside[0] == "Indicateur (id);Indicateur;Déclaré sur;Unité;Date de la mesure;Valeur;Note"
    assert "logements-remis;Logements inoccupés remis sur le marché (cumul depuis 2025);O4;logements;31/12/2025;18;" in beside
    on_screen = feuille("export", LL, "-f", "csv", "--as-of", AS_OF)
    assert "Date de la mesure" not in on_screen.stdout  # on screen: the actions only


def test_xlsx_action_rows_typed_locked_validated(tmp_path):
    wb = openpyxl.load_workbook(_export(tmp_path))
    ws = _actions(wb)
    head = [c.value for c in ws[1]]
    assert head[:4] == ["Objectif prioritaire (n°)", "Objectif prioritaire", "Identifiant", "Action"]
    assert head[-2:] == [HASH_HEADER, REVISION_HEADER]
    assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")
    rows = {r[2]: dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    a14 = rows["A1.4"]
    assert a14["Objectif prioritaire (n°)"] == "O1"
    assert a14["Responsable(s) politique(s)"] == "A. Sabbatini" and a14["Responsable administratif"] == "B. Wiaux"
    assert a14["Fin prévue"] == dt.datetime(2027, 12, 31)  # a real date cell
    assert a14["Statut"] == "En cours" and a14["Santé"] == "À risque"
    assert a14["Budget prévu (€)"] == 65000 and a14["Budget engagé (€)"] == 40000
    assert a14["Avancement saisi (%)"] == 55
    assert parse_baseline(a14[HASH_HEADER]) is not None
    assert a14[REVISION_HEADER].startswith("empreinte ")
    # money format, the id column locked and the others open, protection without password
    budget_col = head.index("Budget prévu (€)") + 1
    assert "€" in ws.cell(2, budget_col).number_format
    assert ws.protection.sheet and not ws.protection.password
    assert ws.cell(2, 3).protection.locked and not ws.cell(2, 4).protection.locked
    # hidden hash column; drop-down lists for status and health
    from openpyxl.utils import get_column_letter

    assert ws.column_dimensions[get_column_letter(len(head) - 1)].hidden
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("En cours" in f for f in lists) and any("À risque" in f for f in lists)
    assert "Non repris" not in head


def test_formula_text_is_never_a_formula(tmp_path):
    plan = tmp_path / "p"
    shutil.copytree(LL, plan)
    f = plan / "objectives/01-cadre-de-vie/A1.2-besoins-humains.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("title:", "title: \"=HYPERLINK(\\\"http://x\\\")\"\nx_old_title:", 1).replace("x_old_title:", "description:", 1)
                 if "description:" not in text else text, encoding="utf-8")
    xlsx = _export(tmp_path, plan=plan)
    ws = _actions(openpyxl.load_workbook(xlsx))
    titles = [r[3] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert "=HYPERLINK(\"http://x\")" in titles
    cell = next(r[3] for r in ws.iter_rows(min_row=2) if r[3].value.startswith("="))
    assert cell.data_type == "s"
    text = _export(tmp_path, plan=plan, name="plan.csv").read_text(encoding="utf-8-sig")
    assert ";'=HYPERLINK" in text.replace('"', "")


def test_csv_for_french_excel(tmp_path):
    raw = _export(tmp_path, name="plan.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    head = rows[0]
    a14 = dict(zip(head, next(r for r in rows if r[2] == "A1.4"), strict=True))
    assert a14["Fin prévue"] == "31/12/2027"
    assert a14["Budget prévu (€)"] == "65000"
    computed = next(r for r in rows[1:] if "," in r[head.index("Avancement calculé (%)")])
    assert computed  # decimal comma


def test_filters_as_in_status(tmp_path):
    ws = _actions(openpyxl.load_workbook(_export(tmp_path, "--owner", "Sabbatini")))
    ids = [r[2] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert ids and all(i.startswith("A1.") for i in ids)
    bad = feuille("export", str(LL), "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"), "--service", "propret")
    assert bad.returncode == 2 and "Service « propret » inconnu" in bad.stderr and "Traceback" not in bad.stderr


def test_split_by_service_one_workbook_per_service_with_revision(tmp_path):
    out = tmp_path / "classeurs"
    result = feuille("export", str(LL), "--format", "xlsx", "--split-by", "service", "-o", str(out), "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    books = sorted(p.name for p in out.iterdir())
    assert "proprete.xlsx" in books and len(books) == result.stdout.count("écrit :")
    assert "Service Propreté publique (P. Frasca)" in result.stdout
    wb = openpyxl.load_workbook(out / "proprete.xlsx")
    ws = _actions(wb)
    services = {r[7] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert services == {"Service Propreté publique"}
    assert wb[INFO_SHEET]["B2"].value.startswith("empreinte ")
    by_owner = feuille("export", str(LL), "--format", "xlsx", "--split-by", "owner", "-o", str(tmp_path / "o"), "--as-of", AS_OF)
    assert by_owner.returncode == 0 and (tmp_path / "o" / "asabbatini.xlsx").exists()
    refused = feuille("export", str(LL), "--format", "csv", "--split-by", "service", "-o", str(tmp_path / "c"))
    assert refused.returncode == 2 and "--format xlsx" in refused.stderr
    assert "feuille : --split-by produit des classeurs Excel : ajoutez --format xlsx." in refused.stderr
    assert "Exemple : feuille export --format xlsx --split-by service -o classeurs/" in refused.stderr
    refused = feuille("export", str(LL), "--format", "csv", "--split-by", "service", "-o", str(tmp_path / "c"), "--lang", "en")
    assert refused.returncode == 2 and "feuille: --split-by makes Excel workbooks: add --format xlsx." in refused.stderr
    assert "Example: feuille export --format xlsx --split-by service -o workbooks/" in refused.stderr
    for lang, text in (("fr", "valeur inconnue pour --split-by : « etage »."), ("en", "unknown value for --split-by: 'etage'.")):
        refused = feuille("export", str(LL), "--format", "xlsx", "--split-by", "etage", "-o", str(tmp_path / "e"), "--lang", lang)
        assert refused.returncode == 2 and text in refused.stderr
    target = tmp_path / "un-fichier"
    target.write_text("")
    refused = feuille("export", str(LL), "--format", "xlsx", "--split-by", "service", "-o", str(target), "--lang", "en")
    assert f"'{target}' is a file: --split-by writes into a folder." in refused.stderr


def test_every_column_has_a_header_and_the_hash_covers_editable_fields():
    for lang in ("fr", "en"):
        assert len({c.header(lang) for c in ACTION_COLUMNS}) == len(ACTION_COLUMNS)
    assert Decimal("1") == Decimal("1.0")


def test_csv_goes_through_the_one_csv_writer_and_comes_back_in_english_too(tmp_path):
    out = tmp_path / "plan-en.csv"
    r = feuille("export", str(EXAMPLES / "la-louviere"), "--format", "csv", "--lang", "en", "-o", str(out), "--audience", "internal")
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=","))
    head = rows[0]
    a14 = dict(zip(head, next(r for r in rows if r[2] == "A1.4"), strict=True))
    assert a14["Fin prévue"] == "2027-12-31" and a14["Budget prévu (€)"] == "65000"
    assert re.fullmatch(r"empreinte [0-9a-f]{12} · 26 lignes · liste [0-9a-f]{8}", a14["Révision du plan"])
    plan = tmp_path / "ll"
    shutil.copytree(EXAMPLES / "la-louviere", plan)
    back = feuille("import", str(out), str(plan))
    assert back.returncode == 0 and "0 changement et 0 nouvelle action" in back.stdout
