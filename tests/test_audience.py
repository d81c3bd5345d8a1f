"""Who sees what: every published output goes through one audience filter, and nothing internal leaks."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from _cli import feuille

from feuille import pipeline
from feuille.compute.audience import parse_audience, publish
from feuille.core.model import Audience

ROOT = Path(__file__).parent.parent
LL = ROOT / "plans" / "la-louviere"
AS_OF = "2026-07-01"
DAY = dt.date(2026, 7, 1)


def load(plan: Path):
    return pipeline.load_path(plan, DAY, options=pipeline.LoadOptions(use_cache=False))


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    target = tmp_path / "ll"
    shutil.copytree(LL, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


A14 = Path("objectives") / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"


def test_defaults_withhold_notes_health_notes_and_contacts(plan):
    loaded = load(plan)
    public = publish(loaded.plan, Audience.public, DAY)
    internal = publish(loaded.plan, Audience.internal, DAY)
    original = {a.id: a for a, _o in loaded.plan.actions()}
    shown = {a.id: a for a, _o in public.plan.actions()}
    assert set(shown) == set(original)  # no visibility set: every action is public
    assert any(a.health_note for a in original.values())
    assert not any(a.health_note or a.notes for a in shown.values())
    assert not any(p.email or p.phone for p in public.plan.people.values())
    assert any(p.email for p in internal.plan.people.values())
    assert public.withheld.fields["health_note"] == sum(1 for a in original.values() if a.health_note)
    assert not internal.withheld.anything


def test_a_withheld_action_still_counts_in_its_objective(plan):
    edit(plan / A14, "progress: 55", "progress: 55\nvisibility: council")
    loaded = load(plan)
    full = publish(loaded.plan, Audience.internal, DAY)
    public = publish(loaded.plan, Audience.public, DAY)
    council = publish(loaded.plan, Audience.council, DAY)
    ids = lambda p: {a.id for a, _o in p.plan.actions()}  # noqa: E731
    assert "A1.4" not in ids(public) and "A1.4" in ids(council)
    o1_full = next(r for r in full.rollup.objectives if r.objective.id == "O1")
    o1_public = next(r for r in public.rollup.objectives if r.objective.id == "O1")
    assert o1_public.progress == o1_full.progress and o1_public.budget.planned == o1_full.budget.planned
    assert "A1.4" not in {a.action.id for a in o1_public.actions}
    assert public.hidden_below["O1"] == 1 and public.withheld.actions == 1
    assert public.rollup.progress == full.rollup.progress


def test_an_internal_objective_hides_everything_below_it(plan):
    edit(plan / "objectives" / "04-logement.yaml", "\ntitle:", "\nvisibility: internal\ntitle:")
    loaded = load(plan)
    assert loaded.errors == 0
    public = publish(loaded.plan, Audience.public, DAY)
    assert "O4" not in {o.id for o, _p, _d in public.plan.walk()}
    assert not [a for a, o in public.plan.actions() if a.id.startswith("A4.")]
    assert public.withheld.objectives == 1 and public.withheld.actions == sum(1 for a, _o in loaded.plan.actions() if a.id.startswith("A4."))


def test_a_field_can_be_opened_to_a_wider_audience(plan):
    edit(plan / A14, "progress: 55", "progress: 55\nvisibility: {health_note: public}")
    loaded = load(plan)
    public = publish(loaded.plan, Audience.public, DAY)
    a14 = next(a for a, _o in public.plan.actions() if a.id == "A1.4")
    original = next(a for a, _o in loaded.plan.actions() if a.id == "A1.4")
    assert a14.health_note == original.health_note


def test_audience_names_in_french_and_unknown_ones():
    assert parse_audience("conseil") is Audience.council and parse_audience("Public") is Audience.public
    with pytest.raises(ValueError, match="council"):
        parse_audience("counsil")


def test_lint_reports_unknown_audience_with_a_suggestion(plan):
    edit(plan / A14, "progress: 55", "progress: 55\nvisibility: interne")
    result = feuille("lint", plan, "--as-of", AS_OF)
    assert result.returncode == 1 and "F204" in result.stdout and "internal" in result.stdout
