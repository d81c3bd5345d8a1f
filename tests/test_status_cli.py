"""`feuille status` and `feuille show` as users run them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLES, no_traceback
from catalogue import build

SNAPSHOTS = Path(__file__).parent / "snapshots"
LL = str(EXAMPLES / "la-louviere")
AS_OF = "2026-11-22"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_plain_output_snapshot(lang):
    result = feuille("status", LL, "--as-of", AS_OF, "--lang", lang)
    assert result.returncode == 0, result.stderr
    expected = (SNAPSHOTS / f"status_la_louviere_{lang}.txt").read_text(encoding="utf-8")
    assert result.stdout == expected, "status output changed: review it, then refresh tests/snapshots/"


def test_french_and_english_number_formats():
    fr = feuille("status", LL, "--as-of", AS_OF).stdout
    en = feuille("status", LL, "--as-of", AS_OF, "--lang", "en").stdout
    assert "4\u202f687\u202f000\u00a0€" in fr or "4\u202f687\u202f000 €" in fr
    assert "02/12/2024" in fr and "33\u202f%" in fr
    assert "€4,687,000" in en and "2 Dec 2024" in en and "33%" in en


def test_owner_filter_is_my_actions():
    result = feuille("status", LL, "--as-of", AS_OF, "--owner", "Sabbatini", "--format", "json")
    doc = json.loads(result.stdout)
    ids = [a["id"] for a in doc["plans"][0]["actions"]]
    assert ids == ["A1.1", "A1.2", "A1.3", "A1.4", "A1.5", "A1.6"]
    assert [o["id"] for o in doc["plans"][0]["objectives"]] == ["O1"]


def test_admin_owner_filter_by_id():
    doc = json.loads(feuille("status", LL, "--as-of", AS_OF, "--owner", "pfrasca", "--format", "json").stdout)
    assert [a["id"] for a in doc["plans"][0]["actions"]] == ["A1.2", "A1.3", "A1.5"]


@pytest.mark.parametrize("args,expected", [
    (["--service", "proprete"], ["A1.2", "A1.3", "A1.5"]),
    (["--objective", "O4"], ["A4.1", "A4.2"]),
    (["--objective", "O5"], ["A4.2", "A5.1", "A5.2"]),  # A4.2 serves O5 too
    (["--status", "not_started"], ["A1.6", "A3.3", "A6.3", "A8.2"]),
    (["--status", "terminé"], ["A1.2", "A1.3", "A5.2", "A6.2", "A7.1"]),
    (["--tag", "mobilier urbain"], ["A1.4"]),
    (["--tag", "odd7"], ["A7.2"]),
    (["--due-within", "45"], ["A2.2", "A3.1", "A8.1"]),
])
def test_filters(args, expected):
    doc = json.loads(feuille("status", LL, "--as-of", AS_OF, "--format", "json", *args).stdout)
    assert [a["id"] for a in doc["plans"][0]["actions"]] == expected


def test_late_filter_and_late_section():
    result = feuille("status", LL, "--as-of", "2027-07-15", "--late")
    assert "En retard (9)" in result.stdout  # 7 actions and 2 sub-actions of A1.1
    assert "A1.1.2   Cartographie des zones de responsabilité des intervenants (…\n           échéance 31/03/2027, 106 j de retard · sous-action de A1.1" in result.stdout
    doc = json.loads(feuille("status", LL, "--as-of", "2027-07-15", "--late", "--format", "json").stdout)
    # most late first (196, 196, 196, 106, 15, 15, 15 days), ties by id
    assert doc["plans"][0]["late"] == ["A2.2", "A3.1", "A8.1", "A9.2", "A1.1", "A4.1", "A8.2"]
    assert sorted(a["id"] for a in doc["plans"][0]["actions"]) == sorted(doc["plans"][0]["late"])


def test_unknown_filter_values_list_closest_matches():
    result = feuille("status", LL, "--owner", "Sabatini")
    no_traceback(result)
    assert result.returncode == 2
    assert "Personne « Sabatini » inconnue" in result.stderr and "asabbatini (A. Sabbatini)" in result.stderr
    result = feuille("status", LL, "--objective", "O11")
    assert result.returncode == 2 and "Objectif « O11 » inconnu" in result.stderr and "O1" in result.stderr
    result = feuille("status", LL, "--status", "bof")
    assert result.returncode == 2 and "Statuts possibles" in result.stderr


@pytest.mark.parametrize("word", ["fini", "terminées", "Done", "réalisé"])
def test_status_filter_takes_the_words_people_write(word):
    expected = feuille("status", LL, "--status", "done", "--as-of", AS_OF)
    result = feuille("status", LL, "--status", word, "--as-of", AS_OF)
    assert result.returncode == expected.returncode == 0
    assert result.stdout.replace(f"--status {word}", "--status done") == expected.stdout  # (the filter is said as given)


def test_depth_limits_objective_rows():
    full = feuille("status", str(EXAMPLES / "plan-strategique"), "--as-of", AS_OF).stdout
    top = feuille("status", str(EXAMPLES / "plan-strategique"), "--as-of", AS_OF, "--depth", "1").stdout
    assert "  L1.1 " in full and "  L1.1 " not in top and "L1 " in top


def test_json_has_progress_budget_and_coverage():
    doc = json.loads(feuille("status", LL, "--as-of", AS_OF, "--format", "json").stdout)
    plan = doc["plans"][0]
    assert doc["version"] == 1 and doc["as_of"] == AS_OF
    assert plan["actions_counted"] == 26 and plan["lint_errors"] == 0
    assert plan["budget"]["planned"] == 4687000.0
    o4 = next(o for o in plan["objectives"] if o["id"] == "O4")
    assert o4["progress"] == 40.0 and o4["verdict"] == "behind"
    o5 = next(o for o in plan["objectives"] if o["id"] == "O5")
    assert o5["shared_actions"] == [{"id": "A4.2", "percent": 40.0}]
    assert o5["budget"]["planned"] == 436000.0  # 260 000 of its own + 40 % of A4.2's 440 000


def test_csv_for_spreadsheets():
    out = feuille("status", LL, "--as-of", AS_OF, "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Plan", "Niveau", "Id", "Titre"]
    assert len(rows) == 1 + 10 + 26
    assert any(r[2] == "A1.1" and r[5] == "en cours" for r in rows)


def test_markdown_output():
    out = feuille("status", LL, "--as-of", AS_OF, "--format", "markdown").stdout
    assert out.startswith("# Déclaration de politique communale 2024-2030")
    assert "| O1 | Favoriser un cadre de vie" in out and "## Échéance dans les 60 jours (3)" in out


def test_several_plans_give_a_joint_view():
    result = feuille("status", LL, str(EXAMPLES / "plan-strategique"), "--as-of", AS_OF)
    assert result.returncode == 0
    assert "Ensemble des plans" in result.stdout
    doc = json.loads(feuille("status", LL, str(EXAMPLES / "plan-strategique"), "--as-of", AS_OF, "--format", "json").stdout)
    assert doc["joint"]["actions_counted"] == 26 + 16
    assert doc["joint"]["budget"]["planned"] == sum(p["budget"]["planned"] for p in doc["plans"])


def test_plan_with_lint_errors_still_shows_a_status(tmp_path):
    plan = build(tmp_path / "plan", {"objectives/02.yaml": "id: O2\ntitle: Objectif\nactions:\n  - {id: A2.1, title: a, status: en_cours, progress: 30}\n"})
    result = feuille("status", str(plan), "--as-of", "2026-07-01")
    no_traceback(result)
    assert result.returncode == 1  # a script notices
    assert "1 erreur dans le plan" in result.stdout and f"feuille lint {plan}" in result.stdout
    # said at the top, before the figures
    assert result.stdout.index("erreur dans le plan") < result.stdout.index("Avancement global")
    assert "O2" in result.stdout  # the action is kept without its bad field


def test_plan_without_actions_says_so(tmp_path):
    plan = build(tmp_path / "plan", {})
    (plan / "objectives" / "01-base.yaml").write_text("id: O1\ntitle: Objectif\n", encoding="utf-8")
    result = feuille("status", str(plan))
    assert result.returncode == 0 and "aucune action" in result.stdout


def test_show_action_explains_its_figures():
    out = feuille("show", "A1.1", "--plan", LL, "--as-of", AS_OF).stdout
    assert "Action A1.1 — Cadastre des besoins" in out
    assert "Avancement : 60 % (avancement saisi)".replace(" %", "\u202f%") in out
    assert "15\u202f000,00\u00a0€" in out and "30/06/2026 : 81 sites" in out


def test_show_indicator_based_progress():
    out = feuille("show", "A7.2", "--plan", LL, "--as-of", AS_OF, "--lang", "en").stdout
    assert "computed from indicators" in out and "(13,450 − 14,200) / (11,360 − 14,200)" in out


def test_show_objective_lists_children_and_shared():
    out = feuille("show", "O5", "--plan", LL, "--as-of", AS_OF).stdout
    assert "A5.1" in out and "A4.2" in out and "actions d'autres objectifs qui servent celui-ci" in out


def test_show_unknown_id_suggests():
    result = feuille("show", "A1.9", "--plan", LL)
    assert result.returncode == 2 and "« A1.9 »" in result.stderr and "Les plus proches : A1." in result.stderr


def test_actions_without_owner_are_listed(tmp_path):
    plan = build(tmp_path / "plan", {"objectives/02.yaml": "id: O2\ntitle: Objectif\nactions:\n  - {id: A2.1, title: Orpheline, status: ongoing, last_reviewed: 2026-06-01}\n"})
    result = feuille("status", str(plan), "--as-of", "2026-07-01")
    assert "Sans responsable politique ou administratif (1)" in result.stdout and "Orpheline" in result.stdout
    doc = json.loads(feuille("status", str(plan), "--as-of", "2026-07-01", "--format", "json").stdout)
    assert doc["plans"][0]["without_owner"] == ["A2.1"]
    assert "Sans responsable" not in feuille("status", LL, "--as-of", AS_OF).stdout
