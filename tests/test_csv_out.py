"""CSV that opens right in a spreadsheet: French Excel (`;`, decimal comma, BOM, French headers) or English."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from _plans import EXAMPLES
from feuille.cli import app
from feuille.views.csv_out import CsvStyle, cell, neutralise, number, to_csv

LL = str(EXAMPLES / "la-louviere")
PS = str(EXAMPLES / "plan-strategique")
AS_OF = "2026-11-22"


def raw(*args: str, env=None) -> bytes:
    result = CliRunner().invoke(app, [*args, "--as-of", AS_OF], env=env, prog_name="feuille")
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def rows_of(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_status_csv_for_french_excel():
    data = raw("status", LL, "--format", "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents
    first = data[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert first.startswith("Plan;Niveau;Id;Titre;Parent;Statut;Avancement (%);")
    assert ";58,33;" in data.decode("utf-8")  # a decimal comma, not 58.33
    assert ";627000;" in data.decode("utf-8")  # a whole number stays whole (not 627000.0)
    rows = rows_of(data, ";")
    by_id = {r[2]: r for r in rows[1:]}
    assert by_id["O1"][1] == "Objectif prioritaire" and by_id["A1.1"][1] == "Action"  # the plan's `levels`, not objective1
    assert by_id["A1.1"][5] == "en cours" and by_id["O2"][9] == "à la traîne"
    assert "sécurité" in by_id["O2"][3]  # an accented title round-trips
    assert len(rows) == 1 + 10 + 26


def test_status_csv_in_english():
    data = raw("status", PS, "--format", "csv", "--lang", "en")
    rows = rows_of(data, ",")
    assert rows[0][:4] == ["Plan", "Level", "Id", "Title"] and rows[0][-1] == "Committed budget"
    by_id = {r[2]: r for r in rows[1:]}
    assert by_id["L1"][1] == "Levier de progrès" and by_id["L1.1"][1] == "Objectif de progrès"  # the plan's own names
    assert by_id["L1"][6] == "83.75" and by_id["L1"][9] == "on track"
    env_en = raw("status", PS, "--format", "csv", env={"FEUILLE_LANG": "en"})
    assert env_en == data


def test_prioritise_csv_for_french_excel():
    data = raw("prioritise", LL, "--format", "csv")
    assert data.startswith("\ufeffRang;Niveau;Id;Titre;Enjeu;Urgence;Retour;Total;Quadrant;Ex aequo;Notes manquantes\r\n".encode())
    rows = rows_of(data, ";")
    assert rows[1][0] == "1" and rows[1][1] == "Action" and "," in rows[1][7]  # 83,33
    assert any(r[9] == "oui" for r in rows[1:])
    en = rows_of(raw("prioritise", LL, "--format", "csv", "--lang", "en"), ",")
    assert en[0][:4] == ["Rank", "Level", "Id", "Title"] and "." in en[1][7]


def test_formula_like_titles_are_neutralised(tmp_path):
    plan = tmp_path / "ll"
    shutil.copytree(LL, plan)
    f = plan / "objectives" / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace('title: "Cadastre des besoins', 'title: "=HYPERLINK(\\"http://x\\") Cadastre des besoins', 1), encoding="utf-8")
    rows = rows_of(raw("status", str(plan), "--format", "csv"), ";")
    a14 = next(r for r in rows if r[2] == "A1.4")
    assert a14[3].startswith("'=HYPERLINK(")


@pytest.mark.parametrize(("value", "fr", "en"), [(58.333, "58,33", "58.33"), (617000.0, "617000", "617000"), (Decimal("0.50"), "0,5", "0.5"),
                                               (-3.25, "-3,25", "-3.25"), (12, "12", "12")])
def test_numbers(value, fr, en):
    assert number(value, CsvStyle.for_lang("fr")) == fr and number(value, CsvStyle.for_lang("en")) == en


def test_cells():
    fr = CsvStyle.for_lang("fr")
    assert [neutralise(x) for x in ("=1+1", "+32 64", "-x", "@SUM(A1)", "Action")] == ["'=1+1", "'+32 64", "'-x", "'@SUM(A1)", "Action"]
    assert cell(-5, fr) == "-5"  # a number is a number, not a formula
    assert cell(None, fr) == ""
    data = to_csv(["Titre"], [["Rénovation ; école"]], "fr")
    assert data == "\ufeffTitre\r\n\"Rénovation ; école\"\r\n".encode()
    assert to_csv(["x"], [[1.23456]], "fr", digits=None).endswith(b"1,23456\r\n")
    assert rows_of(to_csv(["Note"], [["deux\nlignes"]], "en"), ",")[1] == ["deux\nlignes"]  # a line break survives
