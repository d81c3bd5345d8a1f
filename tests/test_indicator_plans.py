"""Indicators on plans read from files: at every level, shared by reference, feeding progress and the weather."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from _plans import PLAN, load_small
from feuille.compute.indicators import read_plan
from feuille.compute.rollup import compute

AS_OF = dt.date(2026, 7, 1)

ABSENTEEISM = """\
  - id: absenteisme
    label: Taux d'absentéisme
    unit: "%"
    baseline: 9.2
    baseline_date: 2024-12-31
    target: 7.2
    target_date: 2028-12-31
    direction: decrease
    frequency: yearly
    measurements:
      - {date: 2025-12-31, value: 8.7}
"""


def load(tmp_path: Path, objectives: dict[str, str], plan: str = PLAN, rules: str = "none"):
    return load_small(tmp_path, objectives, AS_OF, plan, rules)


def test_a_plan_written_with_the_old_indicator_fields_reads_and_computes_as_before(tmp_path):
    loaded = load(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - id: A1
            title: a
            status: ongoing
            indicators:
              - label: Consommation d'énergie
                unit: MWh
                baseline: 14200
                target: 11360
                target_date: 2028-12-31
                direction: decrease
                measurements:
                  - {date: 2025-12-31, value: 13450}
    """})
    assert loaded.errors == 0
    a = compute(loaded.plan, AS_OF).actions[0]
    assert (round(a.progress, 1), a.source) == (26.4, "indicators")  # (13450 - 14200) / (11360 - 14200)


def test_indicators_are_found_on_the_plan_objectives_and_actions_in_plan_order(tmp_path):
    plan = PLAN + "adopted: 2025-01-30\nindicators:\n" + ABSENTEEISM
    loaded = load(tmp_path, {"o.yaml": """
        id: O1
        title: O
        indicators:
          - {label: Logements rénovés, baseline: 0, target: 120, target_date: 2029-12-31}
        actions:
          - id: A1
            title: a
            indicators:
              - {id: demarches, label: Démarches en ligne, unit: "%", baseline: 12, target: 60, target_date: 2029-12-31}
    """}, plan=plan)
    assert loaded.errors == 0, [d.message("en") for d in loaded.diagnostics]
    p = loaded.plan
    assert [(x.key, x.owner.id if x.owner else None) for x in p.indicators()] == [("absenteisme", None), ("O1/1", "O1"), ("demarches", "A1")]
    assert p.meta.adopted == dt.date(2025, 1, 30)
    assert [x.key for x in p.find_indicators("logements renoves")] == ["O1/1"]  # a label, case and accents aside
    assert [x.key for x in p.find_indicators("demarches")] == ["demarches"]


def test_a_linked_indicator_feeds_the_action_s_progress_like_its_own(tmp_path):
    loaded = load(tmp_path, {"o.yaml": """
        id: O1
        title: O
        indicators:
""" + textwrap.indent(ABSENTEEISM, " " * 8) + """
        actions:
          - {id: A1, title: a, status: ongoing, linked_indicators: [absenteisme]}
          - {id: A2, title: b, status: ongoing, linked_indicators: ["Taux d'absentéisme"]}
          - {id: A3, title: c, status: ongoing}
    """})
    assert loaded.errors == 0, [d.message("en") for d in loaded.diagnostics]
    r = compute(loaded.plan, AS_OF)
    progress = {a.action.id: (a.progress, a.source) for a in r.actions}
    assert progress["A1"] == (pytest.approx(25), "indicators")  # (8.7 - 9.2) / (7.2 - 9.2)
    assert progress["A2"] == progress["A1"]
    assert progress["A3"] == (None, "unknown")


def test_an_objective_s_indicators_count_in_its_progress_only_when_the_plan_says_so(tmp_path):
    body = """
        id: O1
        title: O
        indicators:
          - {id: logements, label: Logements rénovés, baseline: 0, baseline_date: 2025-01-01, target: 100, target_date: 2027-01-01,
             measurements: [{date: 2026-06-30, value: 80}]}
        actions:
          - {id: A1, title: a, status: ongoing, progress: 40, planned_start: 2025-01-01, planned_end: 2027-01-01}
    """
    off = compute(load(tmp_path / "off", {"o.yaml": body}).plan, AS_OF).objectives[0]
    assert off.progress == pytest.approx(40)
    plan = PLAN + "settings: {indicators_in_progress: true}\n"
    on = compute(load(tmp_path / "on", {"o.yaml": body}, plan=plan).plan, AS_OF).objectives[0]
    assert on.progress == pytest.approx(60)  # (40 + 80) / 2
    assert on.expected == pytest.approx((off.expected + 100 * 546 / 730) / 2)


def test_each_objective_gets_its_weather_from_its_actions_and_its_indicators(tmp_path):
    loaded = load(tmp_path, {"o.yaml": """
        id: O1
        title: O
        indicators:
          - {id: logements, label: Logements rénovés, baseline: 0, baseline_date: 2025-01-01, target: 100, target_date: 2027-01-01,
             measurements: [{date: 2026-06-30, value: 30}]}
        actions:
          - {id: A1, title: a, status: ongoing, progress: 75, planned_start: 2025-01-01, planned_end: 2027-01-01}
    """})
    p = loaded.plan
    r = compute(p, AS_OF)
    found = read_plan(p, r)
    w = found.weather["O1"]
    assert w.actions_level == 1  # 75 done, 75 expected
    assert [s.reason for s in w.signals] == ["on_track", "behind"]  # 30 measured, 74.7 expected on 30/06/2026
    assert (w.indicators_level, w.level, w.name) == (3, 2, "cloudy")  # (1 + 3) / 2
    assert found.counts() == {"behind": 1}
    assert [x.key for x, _r in found.behind()] == ["logements"]


def test_a_measurement_due_is_listed_the_longest_overdue_first(tmp_path):
    loaded = load(tmp_path, {"o.yaml": """
        id: O1
        title: O
        indicators:
          - {id: tonnage, label: Tonnage de déchets, baseline: 100, baseline_date: 2024-12-31, target: 80, target_date: 2028-12-31,
             direction: decrease, frequency: quarterly, measurements: [{date: 2025-12-31, value: 96}]}
          - {id: enquete, label: Satisfaction, baseline: 60, baseline_date: 2024-12-31, target: 75, target_date: 2028-12-31,
             frequency: yearly, measurements: [{date: 2025-06-30, value: 62}]}
          - {id: fresh, label: Frais, baseline: 0, target: 10, target_date: 2028-12-31, frequency: yearly, measurements: [{date: 2026-03-31, value: 2}]}
        actions:
          - {id: A1, title: a, status: ongoing}
    """})
    p = loaded.plan
    found = read_plan(p, compute(p, AS_OF))
    assert [(x.key, r.next_due) for x, r in found.due()] == [("tonnage", dt.date(2026, 3, 31)), ("enquete", dt.date(2026, 6, 30))]


@pytest.mark.parametrize(("linked", "message"), [
    ("absenteism", "'linked_indicators': no indicator of the plan has the id or the label 'absenteism'. Did you mean: absenteisme?"),
    ("Logements", "'linked_indicators': 'Logements' is the label of 2 indicators (O1, A2): name one by its id."),
])
def test_a_link_to_an_unknown_or_ambiguous_indicator_is_an_error_with_a_way_out(tmp_path, linked, message):
    loaded = load(tmp_path, {"o.yaml": f"""
        id: O1
        title: O
        indicators:
          - {{id: absenteisme, label: Taux d'absentéisme, baseline: 9.2, target: 7.2, target_date: 2028-12-31}}
          - {{label: Logements, baseline: 0, target: 10, target_date: 2028-12-31}}
        actions:
          - {{id: A1, title: a, status: ongoing, linked_indicators: ["{linked}"]}}
          - {{id: A2, title: b, status: ongoing, indicators: [{{label: Logements, baseline: 0, target: 5, target_date: 2028-12-31}}]}}
    """}, rules="all")
    found = [d for d in loaded.diagnostics if d.code == "F527"]
    assert [(d.obj_id, d.message("en"), d.line) for d in found] == [("A1", message, 8)]
    french = found[0].message("fr")
    assert french.startswith("Indicateurs liés (linked_indicators) : ")


def test_the_owner_of_an_indicator_is_a_known_person(tmp_path):
    loaded = load(tmp_path, {"o.yaml": """
        id: O1
        title: O
        indicators:
          - {id: x, label: X, owner: nobody}
        actions:
          - {id: A1, title: a, status: ongoing}
    """}, rules="all")
    found = [d for d in loaded.diagnostics if d.code == "F302"]
    assert [(d.obj_id, d.path[-1]) for d in found] == [("O1", "owner")]
