"""Indicators on the PST's strands (``volets:`` of plan.yaml): declared there like anywhere else, read, shown,
checked, measured and published like the plan's own (issue 24, item 1: « the plan, volets, objectives and actions »)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from _cli import feuille
from _plans import with_strand_indicators

AS_OF = "2026-11-22"



@pytest.fixture
def ps(tmp_path: Path) -> Path:
    return with_strand_indicators(tmp_path / "ps")


def test_a_strands_indicators_are_read_in_plan_order_and_named_by_the_strand(ps):
    from feuille.pipeline import load_path

    plan = load_path(ps, dt.date(2026, 11, 22)).plan
    placed = [(p.key, p.where, p.at) for p in plan.indicators()][:2]
    assert placed == [("formations-volet", "VOLET-INTERNE", ("volets", 0)), ("VOLET-INTERNE/2", "VOLET-INTERNE", ("volets", 0))]
    assert [p.key for p in plan.linked(plan.volets[0])] == ["absenteisme"]


def test_lint_places_a_strands_indicator_findings_in_plan_yaml_with_the_strand(ps):
    r = feuille("lint", ps, "--format", "json", "--as-of", AS_OF)
    found = [(d["code"], d["object"]["id"], d["path"], d["line"], d["hint"]) for d in json.loads(r.stdout)["diagnostics"] if d["code"] in ("F526", "F527")]
    assert found == [("F526", "VOLET-INTERNE", "volets[0].indicators[1].label", 45, "Ajoutez un identifiant (id: VOLET-INTERNE-2), court et unique dans le plan.")]


def test_a_strand_citing_an_unknown_indicator_is_told_where(ps):
    text = (ps / "plan.yaml").read_text(encoding="utf-8").replace("linked_indicators: [absenteisme]", "linked_indicators: [absenteism]")
    (ps / "plan.yaml").write_text(text, encoding="utf-8")
    r = feuille("lint", ps, "--as-of", AS_OF, "--lang", "en")
    assert r.returncode == 1
    assert "plan.yaml:51:25: error F527  VOLET-INTERNE 'Une administration moderne'\n" in r.stdout
    assert "no indicator of the plan has the id or the label 'absenteism'. Did you mean: absenteisme" in r.stdout


def test_show_a_strand_lists_its_indicators_and_show_the_indicator_says_where(ps):
    r = feuille("show", "VOLET-INTERNE", "--plan", ps, "--as-of", AS_OF, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "formations-volet — Agents formés dans l'année" in r.stdout
    assert "absenteisme — Taux d'absentéisme du personnel (Ville et CPAS)" in r.stdout  # cited: shown with it
    r = feuille("show", "formations-volet", "--plan", ps, "--as-of", AS_OF, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "VOLET-INTERNE Une administration moderne" in r.stdout
    r = feuille("show", "absenteisme", "--plan", ps, "--as-of", AS_OF, "--lang", "en")
    assert "VOLET-INTERNE" in r.stdout  # cited by the strand


def test_a_measurement_of_a_strands_indicator_goes_under_it_in_plan_yaml(ps):
    before = (ps / "plan.yaml").read_text(encoding="utf-8")
    r = feuille("measure", "formations-volet", "260", "--date", "2026-09-30", "--plan", ps, "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    after = (ps / "plan.yaml").read_text(encoding="utf-8")
    assert after == before.replace("          - {date: 2025-12-31, value: 180, entered_by: rh-saisie}\n",
                                   "          - {date: 2025-12-31, value: 180, entered_by: rh-saisie}\n          - {date: 2026-09-30, value: 260}\n")
    r = feuille("measure", "VOLET-INTERNE/2", "14", "--date", "2026-06-30", "--plan", ps, "--as-of", AS_OF)  # no id: where it is
    assert r.returncode == 0, r.stderr
    assert "        visibility: internal\n        measurements:\n          - {date: 2026-06-30, value: 14}\n    linked_indicators: [absenteisme]\n" \
        in (ps / "plan.yaml").read_text(encoding="utf-8")
    assert feuille("lint", ps, "--as-of", AS_OF).returncode == 0  # still no error (F526 is an info)


def test_an_import_of_measurements_reaches_a_strands_indicator(ps, tmp_path):
    table = tmp_path / "mesures.csv"
    table.write_text("Indicateur;Date;Valeur\nformations-volet;30/06/2026;300\nAgents en télétravail structurel;31/12/2025;12\n", encoding="utf-8")
    r = feuille("import", table, ps)
    assert r.returncode == 0, r.stderr + r.stdout
    text = (ps / "plan.yaml").read_text(encoding="utf-8")
    assert "{date: 2026-06-30, value: 300}" in text and "{date: 2025-12-31, value: 12}" in text


def test_a_strands_internal_indicator_and_who_entered_a_measurement_are_not_published(ps):
    r = feuille("export", ps, "--format", "json", "--audience", "council", "--as-of", AS_OF)  # the plan is for the council
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    text = json.dumps(doc, ensure_ascii=False)
    assert "télétravail" not in text and "rh-saisie" not in text
    assert [i["id"] for i in doc["plan"]["volets"][0]["indicators"]] == ["formations-volet"]
    assert doc["plan"]["volets"][0]["indicators"][0]["measurements"] == [{"date": "2025-12-31", "value": 180}]
    inside = json.loads(feuille("export", ps, "--format", "json", "--audience", "internal", "--as-of", AS_OF).stdout)
    assert {i["key"]: i["declared_on"] for i in inside["indicators"]}["VOLET-INTERNE/2"] == "VOLET-INTERNE"
    assert "rh-saisie" in json.dumps(inside, ensure_ascii=False)


def test_the_site_has_a_page_for_a_strands_indicator(ps, tmp_path):
    out = tmp_path / "site"
    r = feuille("render", ps, "--out", out, "--as-of", AS_OF, "--audience", "council")
    assert r.returncode == 0, r.stderr
    page = next(p for p in (out / "indicators").glob("*.html") if "formations-volet" in p.name)
    html = page.read_text(encoding="utf-8")
    assert "VOLET-INTERNE Une administration moderne" in html and "<svg" in html
