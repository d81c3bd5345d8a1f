"""Names and ids as staff type them: case and accents ignored, « vouliez-vous dire » when nothing matches,
an unknown filter value is an error (exit 2), an empty selection says so (issue 11)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from _cli import feuille

LL = str(Path(__file__).resolve().parent.parent / "plans" / "la-louviere")
AS_OF = ("--as-of", "2026-11-22")


def _status(*args: str, lang: str | None = None):
    return feuille(*(("--lang", lang) if lang else ()), "status", LL, *AS_OF, *args)


@pytest.mark.parametrize(("typed", "canonical"), [
    (("--service", "Propreté"), ("--service", "proprete")),          # a word of the service's name, with its accent
    (("--service", "service propreté publique"), ("--service", "proprete")),  # the whole name, any case
    (("--owner", "SABBATINI"), ("--owner", "asabbatini")),
    (("--objective", "o1"), ("--objective", "O1")),
    (("--status", "à venir"), ("--status", "not_started")),
    (("--tag", "ODD11"), ("--tag", "odd11")),
])
def test_filters_ignore_case_and_accents(typed, canonical):
    a, b = _status(*typed), _status(*canonical)
    assert a.returncode == b.returncode == 0, a.stderr
    strip = [line for line in a.stdout.splitlines() if not line.startswith(("Filtre", "Filter"))]
    assert strip == [line for line in b.stdout.splitlines() if not line.startswith(("Filtre", "Filter"))]


@pytest.mark.parametrize(("args", "said"), [
    (("--owner", "sabatini"), "Personne « sabatini » inconnue dans le plan. Les plus proches : asabbatini (A. Sabbatini)"),
    (("--service", "propete"), "Service « propete » inconnu dans le plan. Les plus proches : proprete (Service Propreté publique)"),
    (("--service", "service"), "« service » en désigne plusieurs : proprete (Service Propreté publique)"),
    (("--objective", "O99"), "Objectif « O99 » inconnu dans le plan."),
    (("--tag", "propretee"), "Tag « propretee » inconnu dans le plan : aucune action ni aucun objectif ne l'a. Les plus proches : propreté"),
    (("--status", "pret"), "Statut « pret » inconnu. Statuts possibles : not_started, ongoing"),
])
def test_an_unknown_filter_value_is_an_error_with_suggestions(args, said):
    r = _status(*args)
    assert r.returncode == 2 and said in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert r.stdout == ""


def test_unknown_filter_value_in_english():
    r = _status("--owner", "sabatini", lang="en")
    assert r.returncode == 2 and "Unknown person 'sabatini' in the plan. Closest: asabbatini (A. Sabbatini)" in r.stderr


def test_an_empty_selection_says_so():
    r = _status("--status", "cancelled")
    assert r.returncode == 0 and "Aucune action ne correspond aux filtres." in r.stdout
    r = feuille("prioritise", LL, *AS_OF, "--status", "done")
    assert r.returncode == 0 and "Aucun élément ne correspond aux filtres : rien à classer." in r.stdout
    # the done actions the filter kept are not ranked, but listed (issue 25)
    assert "Hors classement : actions terminées ou abandonnées (5)\n  A1.2     Cadastre des besoins" in r.stdout


def test_ids_ignore_case_in_show_and_update(tmp_path):
    a, b = feuille("show", "a1.4", "--plan", LL, *AS_OF), feuille("show", "A1.4", "--plan", LL, *AS_OF)
    assert a.returncode == 0 and a.stdout == b.stdout
    r = feuille("show", "A1.44", "--plan", LL, *AS_OF)
    assert r.returncode == 2 and "aucun objectif ni action « A1.44 »" in r.stderr and "A1.4 (" in r.stderr
    plan = tmp_path / "plan"
    shutil.copytree(LL, plan)
    r = feuille("update", "a4.2", "--progress", "50", "--dry-run", "--plan", str(plan), *AS_OF)
    assert r.returncode == 0, r.stderr
    assert "A4.2" in r.stdout
