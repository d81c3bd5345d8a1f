"""Imports have limits and say so (issue 20, item 5): rows, columns, cell size, unzipped size, malformed CSV,
never an empty plan from a file that had data; names with '/' survive an export and its import."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from _cli import feuille
from feuille.formats.spreadsheet import read as sp
from feuille.formats.spreadsheet.read import SheetError, read_sheet

ROOT = Path(__file__).parent.parent
LL = ROOT / "plans" / "la-louviere"
AS_OF = "2026-07-01"


def _book(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Actions"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_sheet_xml(data: bytes, change) -> bytes:
    """The workbook ``data`` with its first sheet's XML changed by ``change(bytes) -> bytes``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            part = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = change(part)
            dst.writestr(item.filename, part)
    return out.getvalue()


HEAD = [["Action", "Statut", "Échéance"], ["Nettoyer la place", "En cours", "31/12/2026"]]


# --- rows ------------------------------------------------------------------------------------------------


def test_a_workbook_that_declares_a_million_rows_is_refused_before_it_is_read(tmp_path):
    data = _with_sheet_xml(_book(HEAD), lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C1000000"', x))
    path = tmp_path / "million.xlsx"
    path.write_bytes(data)
    start = time.perf_counter()
    with pytest.raises(SheetError) as exc:
        read_sheet(path)
    assert time.perf_counter() - start < 2
    assert exc.value.msg("fr") == ("la feuille « Actions » de « million.xlsx » contient 1\u202f000\u202f000 lignes (sa taille : A1:C1000000) ; "
                                   "feuille importe au plus 100\u202f000 lignes d'une feuille.")
    assert "Scindez" in exc.value.hint_msg("fr")


def _rows_xml(n: int) -> bytes:
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Action %d</t></is></c></row>' % (i, i, i) for i in range(2, n + 2))
    return rows


def test_a_workbook_that_does_not_declare_its_size_is_counted_as_it_streams(tmp_path):
    """Files written by other programs (openpyxl's write-only mode among them) give no dimension: the rows are counted in the
    unzipped stream, and the import stops at the first row too many, before openpyxl opens the workbook."""
    def no_dimension(x: bytes) -> bytes:
        x = re.sub(rb"<dimension[^>]*/>", b"", x)
        return x.replace(b"</sheetData>", _rows_xml(sp.MAX_ROWS) + b"</sheetData>")

    path = tmp_path / "long.xlsx"
    path.write_bytes(_with_sheet_xml(_book(HEAD), no_dimension))
    start = time.perf_counter()
    with pytest.raises(SheetError) as exc:
        read_sheet(path)
    assert time.perf_counter() - start < 5
    assert "contient plus de 100\u202f000 lignes" in exc.value.msg("fr")


def test_the_refused_million_rows_cost_little(tmp_path):
    """The issue's case, as a real process: a 1,000,000-row sheet without a declared size (150 MB unzipped) ran 6 min
    at 3.2 GB; it is now refused in about a second, in the memory of a small command."""
    def million(x: bytes) -> bytes:
        x = re.sub(rb"<dimension[^>]*/>", b"", x)
        return x.replace(b"</sheetData>", _rows_xml(1_000_000) + b"</sheetData>")

    path = tmp_path / "rows1m.xlsx"
    path.write_bytes(_with_sheet_xml(_book(HEAD), million))
    # the child's own peak (VmHWM: since its exec, unlike ru_maxrss, which counts the forked test process too)
    code = ("import os, sys\nfrom feuille.cli import main\nsys.argv = ['feuille', 'import', sys.argv[1], sys.argv[2]]\nreal = os._exit\n"
            "def peak():\n    found = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
            "    sys.stderr.write('PEAK ' + (found[0].split()[1] if found else '0'))\n    sys.stderr.flush()\n"
            "def _exit(code):\n    peak()\n    real(code)\nos._exit = _exit  # main() leaves through os._exit\n"
            "try:\n    main()\nexcept SystemExit:\n    peak()\n    raise\n")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / "p")], capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 1, proc.stderr
    assert "plus de 100\u202f000 lignes" in proc.stderr and not (tmp_path / "p").exists()
    peak_kb = int(proc.stderr.rsplit("PEAK ", 1)[1])
    print(f"\n1 000 000 lignes refusées en {elapsed:.2f} s, {peak_kb // 1024} Mo au plus")
    assert elapsed < 10 and peak_kb < 200 * 1024, (elapsed, peak_kb)


def test_a_csv_past_the_rows_limit_is_refused(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("Action;Statut\n" + "Nettoyer;En cours\n" * sp.MAX_ROWS, encoding="utf-8")
    with pytest.raises(SheetError) as exc:
        read_sheet(path)
    assert exc.value.msg("fr") == "« long.csv » contient plus de 100\u202f000 lignes ; feuille importe au plus 100\u202f000 lignes d'une feuille."


# --- columns, cells, parts ---------------------------------------------------------------------------------


def test_two_hundred_thousand_columns_are_refused_at_their_row(tmp_path):
    path = tmp_path / "large.csv"
    path.write_text("Action;Statut" + ";x" * 200_000 + "\nNettoyer;En cours\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(SheetError) as exc:
        read_sheet(path)
    assert time.perf_counter() - start < 3
    assert exc.value.msg("fr") == "« large.csv », ligne 1 : 200\u202f002 colonnes contiennent une valeur ; feuille en lit au plus 1\u202f000."


def test_a_wide_workbook_row_is_refused_and_a_wide_declared_size_is_not(tmp_path, monkeypatch):
    monkeypatch.setattr(sp, "MAX_COLUMNS", 5)
    declared = _with_sheet_xml(_book(HEAD), lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD2"', x))
    path = tmp_path / "wide.xlsx"
    path.write_bytes(declared)
    sheet, _problems = read_sheet(path)  # 16,384 columns declared, three used: read as three
    assert [r.values["title"] for r in sheet.rows] == ["Nettoyer la place"]
    path.write_bytes(_book([HEAD[0], [*HEAD[1], None, None, "x", "y", "z"]]))
    with pytest.raises(SheetError) as exc:
        read_sheet(path)
    assert exc.value.msg("fr").startswith("« wide.xlsx », ligne 2 : 8 colonnes contiennent une valeur")


def test_a_cell_over_the_csv_modules_limit_is_read_and_one_past_ours_is_refused(tmp_path):
    path = tmp_path / "long-cell.csv"
    import csv

    before = csv.field_size_limit()  # 131072 unless a library imported earlier in the process changed it
    path.write_text('Action;Statut;Description\nA;En cours;"' + "x" * 200_000 + '"\n', encoding="utf-8")
    sheet, _problems = read_sheet(path)  # over 128 KiB: the csv module's own limit, raised for the read
    assert len(sheet.rows[0].values["description"]) == 200_000
    assert csv.field_size_limit() == before  # and put back
    path.write_text('Action;Statut\nA;En cours\nB;"' + "x" * (sp.MAX_CELL + 1) + '"\n', encoding="utf-8")
    with pytest.raises(SheetError) as exc:
        read_sheet(path)
    assert exc.value.msg("fr") == ("« long-cell.csv », ligne 3 : une cellule contient plus de 1\u202f000\u202f000 caractères ; feuille en lit "
                                   "au plus 1\u202f000\u202f000 par cellule.")


def test_a_workbook_part_too_large_once_unzipped_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sp, "MAX_PART", 50_000)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_with_sheet_xml(_book(HEAD), lambda x: x.replace(b"</sheetData>", b"<row r=\"9\"></row>" * 5000 + b"</sheetData>")))
    with pytest.raises(SheetError) as exc:
        read_sheet(path)
    assert "xl/worksheets/sheet1.xml" in exc.value.msg("fr") and "Mo" in exc.value.msg("fr")


# --- malformed CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ('Action;Statut\nA;En cours\n"B;En cours\nC;En cours\nD;En cours\n',
     "« q.csv », ligne 3 : un guillemet (\") ouvert dans cette ligne n'est jamais fermé : le reste du fichier serait lu comme une seule cellule."),
    ('Action;Statut\nA;En cours\n"B"x;En cours\nC;En cours\n',
     "« q.csv », ligne 3 : un guillemet (\") ferme une cellule mais est suivi d'autres caractères avant le « ; » suivant."),
])
def test_malformed_csv_is_reported_with_its_line_and_nothing_is_created(tmp_path, text, message):
    path = tmp_path / "q.csv"
    path.write_text(text, encoding="utf-8")
    result = feuille("import", path, tmp_path / "plan")
    assert result.returncode == 1
    assert message in result.stderr and "Rien n'a été écrit" in result.stderr
    assert not (tmp_path / "plan").exists()


def test_a_header_without_actions_never_makes_an_empty_plan(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_text("Action;Statut;Échéance\n;;\n", encoding="utf-8")
    result = feuille("import", path, tmp_path / "plan")
    assert result.returncode == 1 and not (tmp_path / "plan").exists()
    assert "aucune ligne d'action dans « vide.csv »" in result.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("Action;Statut\n" + "".join(f"Action {i};En cours\n" for i in range(3000)), encoding="utf-8")
    result = feuille("import", path, tmp_path / "plan")
    assert result.returncode == 0, result.stderr
    assert "lecture" not in result.stderr and "\r" not in result.stderr


# --- names with a '/' survive the round trip -----------------------------------------------------------------


@pytest.fixture
def slashed(tmp_path):
    plan = tmp_path / "la-louviere"
    shutil.copytree(LL, plan)
    people = plan / "people.yaml"
    text = people.read_text(encoding="utf-8")
    assert "last_name: Sabbatini" in text
    people.write_text(text.replace("last_name: Sabbatini", "last_name: Sabbatini/Durand", 1), encoding="utf-8")
    return plan


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_owner_whose_name_holds_a_slash_comes_back_whole(slashed, tmp_path, fmt):
    out = tmp_path / f"retour.{fmt}"
    assert feuille("export", slashed, "-f", fmt, "-o", out, "--as-of", AS_OF).returncode == 0
    result = feuille("import", out, slashed, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "0 changement " in result.stdout and "n'est pas une personne du plan" not in result.stdout + result.stderr


def test_split_by_owner_keeps_two_owners_whose_names_fold_alike(slashed, tmp_path):
    people = slashed / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("id: asabbatini", "id: a.sabbatini", 1).replace("id: lcollin", "id: a-sabbatini", 1), encoding="utf-8")
    for f in (slashed / "objectives").rglob("*.yaml"):
        f.write_text(f.read_text(encoding="utf-8").replace("asabbatini", "a.sabbatini").replace("lcollin", "a-sabbatini"), encoding="utf-8")
    result = feuille("export", slashed, "-f", "xlsx", "--split-by", "owner", "-o", tmp_path / "books", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "books").glob("a-sabbatini*.xlsx"))
    assert names == ["a-sabbatini-2.xlsx", "a-sabbatini.xlsx"]


def test_a_value_the_model_refuses_is_said_in_lints_words(tmp_path):
    path = tmp_path / "long-title.csv"
    path.write_text("Action;Statut\n" + "x" * 25_000 + ";En cours\n", encoding="utf-8")
    result = feuille("import", path, tmp_path / "plan")
    assert result.returncode == 1 and not (tmp_path / "plan").exists()
    assert "(objectives/01-actions-importees.yaml : actions.0.notes : Le champ « notes » dépasse 20000 caractères.)" in result.stderr
    assert "String should" not in result.stderr and "type=" not in result.stderr  # never pydantic's English
