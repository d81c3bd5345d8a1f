"""Totals by funder in the spreadsheet exports (formats/spreadsheet/funding_table.py): the xlsx « Financement » sheet, read back
with openpyxl, and the csv's third file ``plan-financement.csv``; only what the audience sees; a returned workbook still imports."""

from __future__ import annotations

from decimal import Decimal

from tests._cli import feuille

AS_OF = "2026-11-30"


def export(plan, tmp_path, fmt, *args):
    out = tmp_path / f"plan.{fmt}"
    r = feuille("export", plan, "--format", fmt, "-o", out, "--as-of", AS_OF, *args)
    assert r.returncode == 0, r.stderr
    return out


def funding_sheet(path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    assert "Financement" in wb.sheetnames, wb.sheetnames
    return [list(row) for row in wb["Financement"].iter_rows(values_only=True)]


def test_the_workbook_has_the_totals_by_funder_of_the_plan_its_objectives_and_actions(plan, tmp_path):
    rows = funding_sheet(export(plan, tmp_path, "xlsx"))
    assert rows[0] == ["Id", "Intitulé", "Financeur", "Montant (€)", "Part du budget prévu (%)"]
    assert rows[1][:3] == [None, "Ensemble du plan", "Région wallonne"] and rows[1][3] == 25000
    assert rows[2][:2] == [None, "Ensemble du plan"] and rows[2][2] == "Fonds propres"
    ids = [r[0] for r in rows[1:]]
    assert "O1" in ids and "A1.4" in ids
    a14 = [r for r in rows if r[0] == "A1.4"]
    assert [r[2] for r in a14] == ["Région wallonne", "Fonds propres"]
    assert a14[0][3] == 25000
    assert a14[0][4] + a14[1][4] == 100.0 or a14[1][3] == 0  # each share of the planned budget; own funds what is left


def test_the_amounts_add_up_with_the_plans_planned_budget(plan, tmp_path):
    import json

    rows = funding_sheet(export(plan, tmp_path, "xlsx"))
    status = json.loads(feuille("status", plan, "--format", "json", "--as-of", AS_OF).stdout)["plans"][0]
    whole = [r for r in rows[1:] if r[1] == "Ensemble du plan"]
    planned = sum(Decimal(str(r[3])) for r in whole)
    assert planned == Decimal(str(status["budget"]["planned"])), (whole, status["budget"])  # the funders and the own funds: the whole
    assert whole[0][2:4] == ["Région wallonne", status["budget"]["by_funder"]["Région wallonne"]]
    assert whole[0][4] == round(25000 / status["budget"]["planned"] * 100, 1)


def test_the_csv_export_writes_the_funding_file_beside_the_actions(plan, tmp_path):
    out = export(plan, tmp_path, "csv")
    funding = (tmp_path / "plan-financement.csv").read_text(encoding="utf-8-sig").splitlines()
    assert funding[0] == "Id;Intitulé;Financeur;Montant (€);Part du budget prévu (%)"
    assert funding[1].startswith(";Ensemble du plan;Région wallonne;25000")
    assert any(line.startswith("A1.4;") and ";Région wallonne;25000" in line for line in funding)
    assert out.exists() and (tmp_path / "plan-indicateurs.csv").exists()


def test_a_filtered_export_has_only_the_totals_it_keeps(plan, tmp_path):
    rows = funding_sheet(export(plan, tmp_path, "xlsx", "--objective", "O1"))
    assert {r[0] for r in rows[1:]} <= {"O1", "A1.1", "A1.2", "A1.3", "A1.4", "A1.5", "A1.6"}
    assert "Ensemble du plan" not in [r[1] for r in rows]


def test_a_plan_without_funders_has_no_funding_sheet(plan, tmp_path):
    path = plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"
    text = path.read_text(encoding="utf-8")
    assert ", funders: [{name: Région wallonne, amount: 25000}]" in text
    path.write_text(text.replace(", funders: [{name: Région wallonne, amount: 25000}]", ""), encoding="utf-8")
    from openpyxl import load_workbook

    out = tmp_path / "plain.xlsx"
    r = feuille("export", plan, "--format", "xlsx", "-o", out, "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    assert "Financement" not in load_workbook(out).sheetnames


def test_a_returned_workbook_with_its_funding_sheet_imports_unchanged(plan, tmp_path):
    out = export(plan, tmp_path, "xlsx")
    r = feuille("import", out, plan, "--dry-run")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Financement" not in r.stderr


def test_a_withheld_lines_funder_is_not_named_in_a_public_export(plan, tmp_path):
    path = plan / "objectives/01-cadre-de-vie/A1.4-mobilier-urbain.yaml"
    funded = "funders: [{name: Région wallonne, amount: 25000}]}"
    text = path.read_text(encoding="utf-8")
    assert funded in text
    path.write_text(text.replace(funded, "funders: [{name: Fonds ZORGLUB, amount: 25000}], visibility: council}"), encoding="utf-8")
    public = funding_sheet(export(plan, tmp_path, "xlsx", "--audience", "public"))
    assert not [r for r in public if "ZORGLUB" in str(r)]
    assert [r[2:4] for r in public if r[1] == "Ensemble du plan"][0] == ["non publié", 25000]  # the amount still counts
    council = funding_sheet(export(plan, tmp_path, "xlsx", "--audience", "council"))
    assert [r[2:4] for r in council if r[1] == "Ensemble du plan"][0] == ["Fonds ZORGLUB", 25000]
