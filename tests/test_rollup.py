"""Rollup numbers on small plans whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from _plans import PLAN, PST, make
from _plans import action_row as action
from _plans import objective_row as by_id
from feuille.compute.rollup import compute
from feuille.pipeline import LoadOptions, load_path

AS_OF = dt.date(2026, 7, 2)

def test_equal_weights_mean_of_explicit_progress(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: A1, title: a, status: ongoing, progress: 40}
          - {id: A2, title: b, status: ongoing, progress: 80}
    """})
    r = compute(plan, AS_OF)
    assert by_id(r, "O1").progress == pytest.approx(60)
    assert (by_id(r, "O1").known, by_id(r, "O1").total) == (2, 2)


def test_unknown_inputs_are_reported_never_zero(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: A1, title: a, status: ongoing, progress: 50}
          - {id: A2, title: b, status: done, actual_end: 2026-01-10}
          - {id: A3, title: c, status: ongoing}
    """})
    r = compute(plan, AS_OF)
    o = by_id(r, "O1")
    assert o.progress == pytest.approx(75)  # (50 + 100) / 2, A3 unknown
    assert (o.known, o.total) == (2, 3)
    a3 = action(r, "A3")
    assert a3.progress is None and a3.source == "unknown" and a3.verdict == "unknown"
    assert action(r, "A2").source == "status"


def test_all_unknown_gives_no_figure(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: A1, title: a, status: ongoing}
    """})
    r = compute(plan, AS_OF)
    assert by_id(r, "O1").progress is None and r.progress is None
    assert by_id(r, "O1").verdict == "unknown"


def test_cancelled_actions_are_left_out(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: A1, title: a, status: ongoing, progress: 50}
          - {id: A2, title: b, status: cancelled, progress: 0}
    """})
    r = compute(plan, AS_OF)
    o = by_id(r, "O1")
    assert o.progress == pytest.approx(50) and o.total == 1 and o.counts["cancelled"] == 1
    assert action(r, "A2").verdict == "cancelled"


def test_indicators_direction_clamping_and_dates(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - id: UP
            title: hausse
            status: ongoing
            indicators:
              - {label: x, baseline: 10, target: 30, measurements: [{date: 2026-01-01, value: 20}, {date: 2026-12-01, value: 30}]}
          - id: DOWN
            title: baisse
            status: ongoing
            indicators:
              - {label: y, baseline: 18, target: 10, direction: decrease, measurements: [{date: 2026-06-30, value: 15.5}]}
          - id: OVER
            title: dépasse
            status: ongoing
            indicators:
              - {label: z, baseline: 0, target: 10, measurements: [{date: 2026-06-30, value: 14}]}
          - id: WORSE
            title: recule
            status: ongoing
            indicators:
              - {label: w, baseline: 50, target: 100, measurements: [{date: 2026-06-30, value: 40}]}
          - id: TWO
            title: deux indicateurs
            status: ongoing
            indicators:
              - {label: p, baseline: 0, target: 100, measurements: [{date: 2026-06-30, value: 20}]}
              - {label: q, baseline: 0, target: 10, measurements: [{date: 2026-06-30, value: 6}]}
              - {label: not measured yet, baseline: 0, target: 10}
    """})
    r = compute(plan, AS_OF)
    assert action(r, "UP").progress == pytest.approx(50)  # the December measurement is after the date
    assert action(r, "UP").source == "indicators"
    assert action(r, "DOWN").progress == pytest.approx(31.25)  # (15.5 - 18) / (10 - 18)
    assert action(r, "OVER").progress == 100
    assert action(r, "WORSE").progress == 0
    assert action(r, "TWO").progress == pytest.approx(40)  # mean of 20 and 60; the unmeasured one is skipped
    assert compute(plan, dt.date(2026, 12, 2)).actions[0].progress == pytest.approx(100)


def test_explicit_progress_wins_over_indicators(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - id: A1
            title: a
            status: ongoing
            progress: 10
            indicators: [{label: x, baseline: 0, target: 10, measurements: [{date: 2026-01-01, value: 9}]}]
    """})
    assert compute(plan, AS_OF).actions[0].progress == 10


def test_budget_weights(tmp_path):
    body = """
        id: O1
        title: O
        actions:
          - {id: A1, title: a, status: done, actual_end: 2026-01-01, budget: [{amount: 300, year: 2026}]}
          - {id: A2, title: b, status: ongoing, progress: 0, budget: [{amount: 100, year: 2026}]}
    """
    equal = make(tmp_path / "equal", {"o.yaml": body})
    assert by_id(compute(equal, AS_OF), "O1").progress == pytest.approx(50)
    weighted = make(tmp_path / "budget", {"o.yaml": body}, PLAN + "settings: {rollup_weights: budget}\n")
    assert by_id(compute(weighted, AS_OF), "O1").progress == pytest.approx(75)


def test_explicit_weights(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: A1, title: a, status: ongoing, progress: 100, weight: 3}
          - {id: A2, title: b, status: ongoing, progress: 0}
    """}, PLAN + "settings: {rollup_weights: weight}\n")
    assert by_id(compute(plan, AS_OF), "O1").progress == pytest.approx(75)


def test_shared_action_budget_split_and_counted_once(tmp_path):
    plan = make(tmp_path, {
        "1.yaml": """
            id: O1
            title: O1
            actions:
              - id: A1
                title: partagée
                status: ongoing
                progress: 40
                budget: [{amount: 1000, year: 2026, source: région, spent: 500}]
                serves: [{objective: O1, percent: 60}, {objective: O2, percent: 40}]
        """,
        "2.yaml": """
            id: O2
            title: O2
            actions:
              - {id: A2, title: b, status: ongoing, progress: 100, budget: [{amount: 200, year: 2027, source: propre}]}
        """,
    })
    r = compute(plan, AS_OF)
    o1, o2 = by_id(r, "O1"), by_id(r, "O2")
    assert o1.budget.planned == Decimal(600) and o1.budget.spent == Decimal(300)
    assert o2.budget.planned == Decimal(600)  # 400 from A1 + 200
    assert o2.budget.by_year == {2026: Decimal(400), 2027: Decimal(200)}
    assert o2.progress == pytest.approx(70)  # A2 100 and the shared A1 40
    assert r.budget.planned == Decimal(1200)  # each action once
    assert r.budget.by_source == {"région": Decimal(1000), "propre": Decimal(200)}
    assert r.budget.used == pytest.approx(500 / 1200 * 100)
    assert o2.counts == {"ongoing": 1}  # the shared action is counted where it is filed


def test_expected_progress_and_verdicts(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: HALF, title: a, status: ongoing, progress: 45, planned_start: 2026-01-01, planned_end: 2026-12-31}
          - {id: BEHIND, title: b, status: ongoing, progress: 10, planned_start: 2026-01-01, planned_end: 2026-12-31}
          - {id: LATE, title: c, status: ongoing, progress: 90, planned_start: 2025-01-01, planned_end: 2026-06-30}
          - {id: SOON, title: d, status: not_started, planned_start: 2026-09-01, planned_end: 2027-06-30}
          - {id: SLOW, title: e, status: not_started, planned_start: 2026-03-01, planned_end: 2027-06-30}
    """})
    r = compute(plan, AS_OF)
    assert action(r, "HALF").expected == pytest.approx(182 / 364 * 100)
    assert [action(r, i).verdict for i in ("HALF", "BEHIND", "LATE", "SOON", "SLOW")] == ["on_track", "behind", "late", "not_started", "behind"]
    assert action(r, "LATE").days_late == 2
    o = by_id(r, "O1")
    assert o.verdict == "at_risk" and o.late == 1
    assert [a.action.id for a in r.late()] == ["LATE"]
    assert [a.action.id for a in r.due_within(200)] == ["BEHIND", "HALF"]  # same day: by id


def test_objective_verdicts(tmp_path):
    plan = make(tmp_path, {
        "done.yaml": "id: D\ntitle: d\nactions:\n  - {id: D1, title: x, status: done, actual_end: 2026-01-01}\n",
        "todo.yaml": "id: T\ntitle: t\nactions:\n  - {id: T1, title: x, status: not_started, planned_start: 2027-01-01}\n",
    })
    r = compute(plan, AS_OF)
    assert by_id(r, "D").verdict == "done" and by_id(r, "T").verdict == "not_started"


def test_nested_objectives_weight_children_equally(tmp_path):
    plan = make(tmp_path, {"os.yaml": """
        id: OS1
        title: stratégique
        objectives:
          - id: OO1
            title: a
            actions:
              - {id: A1, title: x, status: ongoing, progress: 50}
          - id: OO2
            title: b
            actions:
              - {id: A2, title: y, status: ongoing, progress: 100}
              - {id: A3, title: z, status: ongoing, progress: 100}
              - {id: A4, title: w, status: ongoing, progress: 100}
    """}, PST)
    r = compute(plan, AS_OF)
    os1 = by_id(r, "OS1")
    assert os1.progress == pytest.approx(75)  # mean of OO1 (50) and OO2 (100)
    assert (os1.known, os1.total) == (4, 4)
    assert os1.counts == {"ongoing": 4}


def test_stale_and_without_owner(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: FRESH, title: a, status: ongoing, last_reviewed: 2026-06-01, political_owners: [x], admin_owner: y}
          - {id: OLD, title: b, status: ongoing, last_reviewed: 2025-06-01}
          - {id: NEVER, title: c, status: ongoing}
          - {id: CLOSED, title: d, status: done, actual_end: 2025-01-01}
    """})
    r = compute(plan, AS_OF)
    assert [a.action.id for a in r.stale()] == ["NEVER", "OLD"]
    assert [a.action.id for a in r.without_owner()] == ["OLD", "NEVER"]


def test_status_map_is_configurable(tmp_path):
    plan = make(tmp_path, {"o.yaml": "id: O1\ntitle: O\nactions:\n  - {id: A1, title: a, status: on_hold}\n"},
                PLAN + "settings: {status_progress: {on_hold: 25, done: 100}}\n")
    a = compute(plan, AS_OF).actions[0]
    assert (a.progress, a.source) == (25, "status")


def test_filter_keeps_only_matching_actions(tmp_path):
    plan = make(tmp_path, {"o.yaml": """
        id: O1
        title: O
        actions:
          - {id: A1, title: a, status: ongoing, progress: 20}
          - {id: A2, title: b, status: ongoing, progress: 80}
    """, "p.yaml": "id: O2\ntitle: P\nactions:\n  - {id: B1, title: c, status: ongoing, progress: 10}\n"})
    r = compute(plan, AS_OF, keep=lambda a, o: a.id == "A2")
    assert [o.objective.id for o in r.objectives] == ["O1"]
    assert by_id(r, "O1").progress == pytest.approx(80)


def test_rollup_is_linear_in_actions(tmp_path):
    """Not a timing test: the rollup visits each action a bounded number of times."""
    lines = ["id: O1", "title: O", "actions:"] + [f"  - {{id: A{i}, title: a, status: ongoing, progress: {i % 100}}}" for i in range(2000)]
    plan = make(tmp_path, {"o.yaml": "\n".join(lines) + "\n"})
    r = compute(plan, AS_OF)
    assert r.total == 2000 and by_id(r, "O1").progress == pytest.approx(sum(i % 100 for i in range(2000)) / 2000)


def _every_progress(rollup):
    values, stack = {"": rollup.progress}, list(rollup.objectives)
    while stack:
        r = stack.pop()
        values[r.objective.id] = r.progress
        stack.extend(r.children)
    return values


@pytest.mark.parametrize("weights", ["equal", "weight", "budget", "equal, indicators_in_progress: true"])
def test_a_trends_progress_is_the_rollups_to_the_last_bit(tmp_path, weights):
    """compute/trend.py's points reckon progress alone (rollup.progress_by_objective): the very floats compute() gives."""
    from feuille.compute.rollup import progress_by_objective
    from feuille.compute.trend import snapshot

    plans = [load_path(Path(__file__).parent.parent / "plans" / name, AS_OF, options=LoadOptions(use_cache=False, rules="none")).plan
             for name in ("la-louviere", "plan-strategique")]
    plans.append(make(tmp_path / weights.split(",")[0], {
        "1.yaml": """
            id: O1
            title: O1
            weight: 2
            objectives:
              - {id: O1.1, title: s, weight: 0.5, actions: [{id: A0, title: z, status: ongoing, progress: 33.3, weight: 7}]}
            actions:
              - {id: A1, title: a, status: ongoing, progress: 10, weight: 3, budget: [{amount: 100, year: 2026}],
                 serves: [{objective: O1, percent: 60}, {objective: O2, percent: 40}]}
              - {id: A2, title: b, status: cancelled, progress: 90}
              - {id: A3, title: c, status: done}
              - id: A4
                title: d
                status: ongoing
                indicators: [{label: l, baseline: 0, target: 10, measurements: [{date: 2026-01-01, value: 3}, {date: 2026-06-01, value: 7}]}]
        """,
        "2.yaml": """
            id: O2
            title: O2
            indicators: [{id: i2, label: m, baseline: 10, baseline_date: 2025-01-01, target: 0, target_date: 2028-01-01,
                          measurements: [{date: 2025-06-01, value: 8}, {date: 2026-06-01, value: 5}]}]
            actions: [{id: B1, title: e, status: not_started, budget: [{amount: 50.5, year: 2027}]}, {id: B2, title: f, status: on_hold},
                      {id: B3, title: g, status: ongoing, linked_indicators: [i2]}]
        """}, PLAN + f"settings: {{rollup_weights: {weights}}}\n"))
    memo: dict = {}
    for plan in plans:
        for day in (AS_OF, dt.date(2026, 3, 1), dt.date(2029, 1, 1)):
            expected = _every_progress(compute(plan, day))
            assert progress_by_objective(plan, day)[1] == {k: v for k, v in expected.items() if k}
            assert progress_by_objective(plan, day, memo)[0] == expected[""]
            point = snapshot(plan, day, None, memo)
            assert list(point.progress.items()) == list(expected.items())  # the same values, in the same order (JSON)
