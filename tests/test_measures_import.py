"""A table of measurements read against a plan (issue 24, item 2): recognised by its columns, every row
accounted for — added, already there, or reported with its row and text (bad dates, unknown indicators,
duplicates) — nothing lost."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from feuille.formats.spreadsheet.measures import parse_value, read_measures, recognised
from feuille.formats.spreadsheet.read import ERROR, INFO, SheetError
from feuille.pipeline import LoadOptions, load_path

LL = Path(__file__).parent.parent / "plans" / "la-louviere"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def plan():
    return load_path(LL, TODAY, options=LoadOptions(use_cache=False, rules="none")).plan


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8-sig")


def test_a_measurements_csv_is_recognised_by_its_columns_and_a_plan_sheet_is_not():
    assert recognised("mesures.csv", csv_bytes("Indicateur;Date;Valeur\nlogements-remis;31/12/2026;40\n"))
    assert recognised("m.csv", csv_bytes("indicator,date,value,note\nlogements-remis,2026-06-30,31,x\n"))
    assert not recognised("actions.csv", csv_bytes("Id;Action;Statut;Avancement\nA1.1;Cadastre;en cours;60\n"))


def test_rows_are_added_already_there_or_repeated(plan):
    text = ("Indicateur (id);Date de la mesure;Valeur;Note\n"
            "logements-remis;30/09/2026;38;Troisième trimestre\n"       # added
            "logements-remis;30/06/2026;31;\n"                          # already in the plan (same value)
            "Logements inoccupés remis sur le marché (cumul depuis 2025);30/09/2026;38;\n"  # the same row again, by its label
            "dechets-centre;2026-09-30;360,5;\n"                        # a decimal comma
            ";;;\n")                                                    # an empty line: not a row
    r = read_measures("mesures.csv", csv_bytes(text), plan, TODAY)
    assert r.sheet == "mesures" and r.columns == {"indicator": "Indicateur (id)", "date": "Date de la mesure", "value": "Valeur", "note": "Note"}
    assert [(f.placed.key, f.date, f.value, f.note, f.row) for f in r.added] == [
        ("logements-remis", dt.date(2026, 9, 30), 38.0, "Troisième trimestre", 2), ("dechets-centre", dt.date(2026, 9, 30), 360.5, None, 5)]
    assert [(f.placed.key, f.row) for f in r.already] == [("logements-remis", 3)]
    assert [(f.row) for f in r.repeated] == [4]
    assert [(p.row, p.level) for p in r.problems] == [(4, INFO)]
    assert r.rows == 4 == len(r.added) + len(r.already) + len(r.repeated)


def test_bad_dates_unknown_indicators_and_clashes_are_reported_with_their_row_and_not_applied(plan):
    text = ("Indicateur;Date;Valeur\n"
            "logements-remis;31/13/2026;40\n"        # 2: not a date
            "logements-remis;;40\n"                  # 3: no date
            "logement-remis;30/09/2026;40\n"         # 4: unknown, a close id
            "logements-remis;31/12/2027;40\n"        # 5: after today
            "logements-remis;30/09/2026;beaucoup\n"  # 6: not a number
            "dechets-centre;30/09/2026;360\n"        # 7 and 8: two values for one date
            "dechets-centre;30/09/2026;365\n"
            "logements-remis;30/06/2026;33\n")       # 9: the plan has 31 on that date
    r = read_measures("m.csv", csv_bytes(text), plan, TODAY)
    assert r.added == []
    said = {p.row: (p.column, p.text, p.msg("en"), p.level) for p in r.problems}
    assert said[2] == ("B", "31/13/2026", "not a date (write 31/12/2025, 2025-12-31, 12/2025 or 2025): not applied.", ERROR)
    assert said[3][2] == "the date is missing: not applied."
    assert said[4] == ("A", "logement-remis", "the plan has no such indicator. Did you mean: logements-remis, logements-publics? Not applied.", ERROR)
    assert said[5][2] == "the date is after today: a measurement refers to a date that has passed. Not applied."
    assert said[6][:3] == ("C", "beaucoup", "not a number: not applied.")
    assert said[8][2] == "row 7 gives 360 for the same indicator and date: neither is applied; keep one."
    assert said[7][2] == "another row gives another value for the same indicator and date: not applied."
    assert said[9][2].startswith("the plan already has 31 on 2026-06-30 for this indicator: not applied")
    assert r.rows == 8 and len(said) == 8  # every row accounted for
    french = next(p for p in r.problems if p.row == 4).show("fr")
    assert french == "feuille « m », ligne 4, colonne A (Indicateur) : « logement-remis » — le plan n'a pas cet indicateur. Vouliez-vous dire : logements-remis, logements-publics ? Non appliquée."


def test_a_label_several_indicators_share_asks_for_the_id(tmp_path):
    (tmp_path / "plan.yaml").write_text("title: T\norganisations: [{id: v, name: V}]\nterm: {start: 2024-12-02, end: 2030-12-01}\n"
                                        "levels: [Objectif, Action]\n", encoding="utf-8")
    (tmp_path / "objectives").mkdir()
    (tmp_path / "objectives" / "o.yaml").write_text(
        "id: O1\ntitle: O\nindicators: [{label: Logements, baseline: 0, target: 9, target_date: 2029-12-31}]\n"
        "actions:\n  - {id: A1, title: a, indicators: [{label: Logements, baseline: 0, target: 5, target_date: 2029-12-31}]}\n", encoding="utf-8")
    plan = load_path(tmp_path, TODAY, options=LoadOptions(use_cache=False, rules="none")).plan
    r = read_measures("m.csv", csv_bytes("Indicateur;Date;Valeur\nLogements;2025;3\nO1/1;2025;4\n"), plan, TODAY)
    assert r.problems[0].msg("en") == "2 indicators have this label (O1, A1): give the indicator's id. Not applied."
    assert [(f.placed.key, f.date) for f in r.added] == [("O1/1", dt.date(2025, 12, 31))]  # a bare year: its last day


def test_a_returned_workbook_s_indicators_sheet_is_read(plan, tmp_path):
    import openpyxl

    from _cli import feuille

    out = tmp_path / "plan.xlsx"
    assert feuille("export", LL, "-f", "xlsx", "-o", out, "--as-of", "2026-11-22").returncode == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["Indicateurs"]
    blank = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "logements-remis" and ws.cell(r, 5).value is None)
    ws.cell(blank, 5).value = dt.datetime(2026, 9, 30)
    ws.cell(blank, 6).value = 38
    buffer = io.BytesIO()
    wb.save(buffer)
    r = read_measures("plan.xlsx", buffer.getvalue(), plan, TODAY)
    assert r.sheet == "Indicateurs"
    assert [(f.placed.key, f.date, f.value, f.row) for f in r.added] == [("logements-remis", dt.date(2026, 9, 30), 38.0, blank)]
    assert r.problems == [] and len(r.already) == r.rows - 1  # every other measurement is already in the plan


def test_a_file_without_a_measurements_table_is_refused_with_the_columns_to_give(plan):
    with pytest.raises(SheetError) as exc:
        read_measures("m.csv", csv_bytes("Quoi;Quand\nx;2025\n"), plan, TODAY)
    assert exc.value.msg("en") == "'m.csv' has no table of measurements: no header row with an indicator (its id or its label), a date and a value."


@pytest.mark.parametrize(("text", "value"), [("8,6", 8.6), ("8.6", 8.6), ("1 234,5", 1234.5), ("12 %", 12.0), ("4 100 t", 4100.0), ("-3", -3.0),
                                             ("1.234,5", 1234.5), (7, 7.0)])
def test_values_as_people_write_them(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize("text", ["beaucoup", "", "1,2,3", True])
def test_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_value(text)


def test_a_measurements_table_past_the_rows_limit_is_refused_before_it_is_read(plan):
    from feuille.formats.spreadsheet.read import MAX_ROWS

    text = "Indicateur;Date;Valeur\n" + "logements-remis;2025;3\n" * MAX_ROWS
    assert recognised("m.csv", csv_bytes(text))  # its first rows say what it is
    with pytest.raises(SheetError) as exc:
        read_measures("m.csv", csv_bytes(text), plan, TODAY)
    assert exc.value.msg("fr") == "« m.csv » contient plus de 100\u202f000 lignes ; feuille importe au plus 100\u202f000 lignes d'une feuille."


def test_recognising_a_long_workbook_reads_only_its_first_rows(tmp_path):
    """A workbook of 200,000 rows that does not declare its size is not opened to see whether it is a table of
    measurements: it is past the import's limit, counted as it streams by (openpyxl would read it whole, seconds)."""
    import re
    import time
    import zipfile

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Actions")
    ws.append(["Action", "Statut"])
    small = io.BytesIO()
    wb.save(small)
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Action {i}</t></is></c><c r="B{i}" t="inlineStr"><is><t>en cours</t></is></c></row>'
                   for i in range(2, 200_002))  # the 200,000 rows written as Excel writes them, without openpyxl's seconds
    buffer = io.BytesIO()
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data).replace(b"</row>", b"</row>" + rows.encode(), 1)
            out.writestr(item, data)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as check:  # the workbook holds them all
        sheet = next(n for n in check.namelist() if n.startswith("xl/worksheets/sheet"))
        assert check.read(sheet).count(b"<row ") == 200_001
    start = time.perf_counter()
    assert not recognised("long.xlsx", buffer.getvalue())
    assert time.perf_counter() - start < 3
