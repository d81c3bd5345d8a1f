"""docs/donnees-ouvertes.md's DuckDB queries, run with the ``duckdb`` package over the open-data packages of both
example plans, give the figures of ``feuille status`` (progress, budget, late actions) and the indicators behind
their target that the plan files say.  The SQL is read from the doc itself: what readers copy is what is tested."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from _cli import feuille

duckdb = pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2027-12-31"  # late actions in both plans


def _sql() -> list[str]:
    doc = (ROOT / "docs" / "donnees-ouvertes.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```sql\n(.*?)```", doc, flags=re.S)
    return [s.strip() for s in block.split(";\n") if s.strip() and not all(line.startswith("--") for line in s.strip().splitlines())]


@pytest.fixture(scope="module")
def towns(tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    """communes/<plan>/ for both example plans, and each plan's ``feuille status --format json``.

    The administration's plan is for the council (``visibility: council``): its public package names nothing,
    so it is exported here as its administration would publish it, with ``visibility: public``."""
    base = tmp_path_factory.mktemp("duckdb")
    strategique = base / "src" / "plan-strategique"
    shutil.copytree(ROOT / "plans" / "plan-strategique", strategique)
    text = (strategique / "plan.yaml").read_text(encoding="utf-8")
    (strategique / "plan.yaml").write_text(re.sub(r"(?m)^visibility: council\b", "visibility: public", text), encoding="utf-8")
    status = {}
    for name, plan in (("la-louviere", ROOT / "plans" / "la-louviere"), ("plan-strategique", strategique)):
        run = feuille("export", str(plan), "--format", "opendata", "-o", str(base / "communes" / name), "--as-of", AS_OF)
        assert run.returncode == 0, run.stderr
        shown = feuille("status", str(plan), "--format", "json", "--as-of", AS_OF)
        status[name] = json.loads(shown.stdout)["plans"][0]
    return base, status


@pytest.fixture(scope="module")
def answers(towns):
    base, _status = towns
    con = duckdb.connect()
    out = []
    import os

    here = os.getcwd()
    os.chdir(base)  # the doc's paths are relative: communes/*/...
    try:
        for statement in _sql():
            result = con.execute(statement)
            if statement.lstrip("- \n").upper().startswith("SELECT") or "\nSELECT" in statement:
                out.append(result.fetchall())
    finally:
        os.chdir(here)
    return out


def test_the_doc_has_the_four_queries(answers):
    assert len(answers) == 4


def test_budget_by_organisation_adds_up_to_each_plans_budget(towns, answers):
    _base, status = towns
    by_org = answers[0]
    for town, s in status.items():
        assert float(sum(amount for commune, _org, amount in by_org if commune == town)) == s["budget"]["planned"]
    assert {org for commune, org, _ in by_org if commune == "la-louviere"} == {"Ville de La Louvière", "CPAS de La Louvière"}


def test_late_actions_are_those_of_feuille_status(towns, answers):
    _base, status = towns
    late = answers[1]
    for town, s in status.items():
        assert sorted(i for commune, i, *_ in late if commune == town) == sorted(s["late"])
    assert len(late) == 15 and all(days > 0 for *_, days in late)


def test_progress_budget_and_late_count_per_plan(towns, answers):
    _base, status = towns
    rows = {commune: rest for commune, *rest in answers[2]}
    assert sorted(rows) == ["la-louviere", "plan-strategique"]
    for town, s in status.items():
        progress, expected, budget, late = rows[town]
        assert (round(progress, 2), round(expected, 2), float(budget), late) == (round(s["progress"], 2), round(s["expected"], 2),
                                                                               s["budget"]["planned"], len(s["late"]))


def test_indicators_behind_target_are_those_the_plan_files_say(towns, answers):
    import datetime as dt

    from feuille.pipeline import load_path

    day = dt.date.fromisoformat(AS_OF)
    expected = []
    for town, plan in (("la-louviere", ROOT / "plans" / "la-louviere"), ("plan-strategique", towns[0] / "src" / "plan-strategique")):
        loaded = load_path(plan, day)
        for placed in loaded.plan.indicators():  # the plan's own, each objective's and each action's
            ind = placed.indicator
            measured = sorted((m for m in ind.measurements if m.date <= day), key=lambda m: m.date)
            if measured and ind.target is not None:
                last = measured[-1].value
                if (last < ind.target) if ind.direction.value == "increase" else (last > ind.target):
                    expected.append((town, f"{placed.owner.id if placed.owner is not None else 'plan'}.i{placed.index + 1}"))
    assert sorted((commune, i) for commune, i, *_ in answers[3]) == sorted(expected) and expected
