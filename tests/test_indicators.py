"""An indicator's progress, trajectory, verdict and an objective's weather, worked out by hand (docs/rollup.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from feuille.compute import indicators as ix

D = dt.date


@dataclass
class M:
    date: dt.date
    value: float
    note: str | None = None


@dataclass
class R:
    min: float | None = None
    max: float | None = None


@dataclass
class Ind:
    label: str = "x"
    baseline: float | None = None
    baseline_date: dt.date | None = None
    target: float | None = None
    target_date: dt.date | None = None
    milestones: dict[int, float] = field(default_factory=dict)
    direction: str = "increase"
    range: R | None = None
    frequency: str | None = None
    measurements: list[M] = field(default_factory=list)


def ind(**kw: Any) -> Ind:
    kw["measurements"] = [M(d, v) for d, v in kw.get("measurements", [])]
    return Ind(**kw)


# --- progress to target (PILOTE's rule) ------------------------------------------------------


def test_increase_progress_is_the_share_of_the_way_from_baseline_to_target():
    i = ind(baseline=0, target=120, measurements=[(D(2025, 6, 30), 45), (D(2026, 6, 30), 81)])
    r = ix.read(i, D(2026, 7, 1))
    assert r.progress == pytest.approx(67.5)  # 81 / 120
    assert r.current.value == 81 and r.missing is None


def test_decrease_progress_uses_the_same_formula_with_the_target_below():
    i = ind(baseline=9.2, target=7.2, direction="decrease", measurements=[(D(2025, 12, 31), 8.6)])
    assert ix.read(i, D(2026, 7, 1)).progress == pytest.approx(30)  # (8.6 - 9.2) / (7.2 - 9.2)


def test_progress_is_clamped_to_0_and_100():
    up = ind(baseline=10, target=20, measurements=[(D(2026, 1, 1), 25)])
    down = ind(baseline=10, target=20, measurements=[(D(2026, 1, 1), 4)])
    worse = ind(baseline=9.2, target=7.2, direction="decrease", measurements=[(D(2026, 1, 1), 10.1)])
    assert ix.read(up, D(2026, 7, 1)).progress == 100
    assert ix.read(down, D(2026, 7, 1)).progress == 0
    assert ix.read(worse, D(2026, 7, 1)).progress == 0


@pytest.mark.parametrize(("kw", "why"), [
    ({"target": 10, "measurements": [(D(2026, 1, 1), 5)]}, "no_baseline"),
    ({"baseline": 0, "measurements": [(D(2026, 1, 1), 5)]}, "no_target"),
    ({"baseline": 10, "target": 10, "measurements": [(D(2026, 1, 1), 5)]}, "same_target"),
    ({"baseline": 0, "target": 10}, "no_measurement"),
    ({"baseline": 0, "target": 10, "measurements": [(D(2026, 9, 1), 5)]}, "no_measurement"),  # after the date asked
    ({"direction": "range", "measurements": [(D(2026, 1, 1), 5)]}, "no_range"),
])
def test_progress_is_empty_with_the_reason_when_an_input_is_missing(kw, why):
    r = ix.read(ind(**kw), D(2026, 7, 1))
    assert r.progress is None
    assert r.missing == why
    assert r.verdict == "unknown" and r.reason == why


def test_only_measurements_up_to_the_date_count():
    i = ind(baseline=0, target=100, measurements=[(D(2026, 1, 1), 20), (D(2026, 12, 1), 90)])
    assert ix.read(i, D(2026, 6, 1)).progress == 20
    assert ix.read(i, D(2026, 12, 1)).progress == 90


# --- trajectory and expected value -----------------------------------------------------------


def test_expected_value_is_read_on_the_line_from_baseline_to_target():
    i = ind(baseline=0, baseline_date=D(2025, 1, 1), target=100, target_date=D(2027, 1, 1))
    assert ix.expected_value(i, D(2024, 6, 1)) == 0  # before the start: the baseline
    assert ix.expected_value(i, D(2026, 1, 1)) == pytest.approx(100 * 365 / 730)
    assert ix.expected_value(i, D(2028, 1, 1)) == 100  # after the target date: the target


def test_yearly_milestones_bend_the_trajectory():
    i = ind(baseline=9.2, baseline_date=D(2024, 12, 31), target=7.2, target_date=D(2027, 12, 31),
            milestones={2025: 9.0, 2026: 8.0}, direction="decrease")
    points, assumed = ix.trajectory(i)
    assert [(p.day, p.value, p.kind) for p in points] == [
        (D(2024, 12, 31), 9.2, "baseline"), (D(2025, 12, 31), 9.0, "milestone"),
        (D(2026, 12, 31), 8.0, "milestone"), (D(2027, 12, 31), 7.2, "target")]
    assert not assumed
    assert ix.expected_value(i, D(2025, 12, 31)) == pytest.approx(9.0)
    assert ix.expected_value(i, D(2026, 7, 2)) == pytest.approx(9.0 - 1.0 * 183 / 365)


def test_a_milestone_outside_the_trajectory_is_left_out():
    i = ind(baseline=0, baseline_date=D(2025, 6, 1), target=10, target_date=D(2026, 6, 30), milestones={2024: 1, 2026: 12})
    assert [p.kind for p in ix.trajectory(i)[0]] == ["baseline", "target"]


def test_without_a_baseline_date_the_trajectory_starts_where_the_caller_says_and_says_so():
    i = ind(baseline=0, target=100, target_date=D(2027, 1, 1))
    assert ix.expected_value(i, D(2026, 1, 1)) is None  # nothing to start from
    points, assumed = ix.trajectory(i, start=D(2025, 1, 1))
    assert assumed and points[0].day == D(2025, 1, 1)
    assert ix.read(i, D(2026, 1, 1), start=D(2025, 1, 1)).start_assumed


# --- verdict ------------------------------------------------------------------------------------


LINE = {"baseline": 0, "baseline_date": D(2025, 1, 1), "target": 100, "target_date": D(2027, 1, 1)}  # 50 expected on 2026-01-01


def test_on_track_within_the_tolerance_of_the_progress_expected_at_the_measurement_date():
    r = ix.read(ind(**LINE, measurements=[(D(2026, 1, 1), 41)]), D(2026, 3, 1))
    assert r.expected_progress == pytest.approx(50)
    assert r.verdict == "on_track"


def test_behind_beyond_the_tolerance():
    r = ix.read(ind(**LINE, measurements=[(D(2026, 1, 1), 39)]), D(2026, 3, 1))
    assert r.verdict == "behind" and not r.past_target


def test_the_expected_value_today_is_also_given():
    r = ix.read(ind(**LINE, measurements=[(D(2026, 1, 1), 39)]), D(2026, 7, 2))
    assert r.expected == pytest.approx(100 * 547 / 730)


def test_reached_when_the_latest_measurement_is_at_or_beyond_the_target():
    up = ix.read(ind(**LINE, measurements=[(D(2026, 1, 1), 100)]), D(2026, 3, 1))
    down = ix.read(ind(baseline=9.2, target=7.2, direction="decrease", measurements=[(D(2026, 1, 1), 7.0)]), D(2026, 3, 1))
    assert up.verdict == "reached" and down.verdict == "reached"


def test_reached_is_known_even_without_a_baseline_from_the_direction():
    r = ix.read(ind(target=7.2, direction="decrease", measurements=[(D(2026, 1, 1), 7.0)]), D(2026, 3, 1))
    assert r.progress is None and r.missing == "no_baseline"
    assert r.verdict == "reached"


def test_past_the_target_date_without_the_target_is_behind_whatever_the_trajectory():
    r = ix.read(ind(**LINE, measurements=[(D(2026, 12, 1), 95)]), D(2027, 3, 1))
    assert r.verdict == "behind" and r.past_target
    assert r.expected_progress == 100
    assert r.progress == 95


def test_past_the_target_date_with_the_target_reached_is_reached():
    r = ix.read(ind(**LINE, measurements=[(D(2026, 12, 1), 101)]), D(2027, 3, 1))
    assert r.verdict == "reached" and not r.past_target


def test_no_trajectory_no_verdict_but_the_progress_stays():
    r = ix.read(ind(baseline=0, target=100, measurements=[(D(2026, 1, 1), 30)]), D(2026, 3, 1))
    assert r.progress == 30
    assert r.verdict == "unknown" and r.missing is None and r.reason == "no_trajectory"


# --- measurement frequency ------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "frequency", "then"), [
    (D(2025, 12, 31), "yearly", D(2026, 12, 31)),
    (D(2025, 6, 30), "half_yearly", D(2025, 12, 31)),  # a month's last day stays the last day
    (D(2025, 11, 30), "quarterly", D(2026, 2, 28)),
    (D(2024, 1, 31), "monthly", D(2024, 2, 29)),
    (D(2026, 1, 15), "monthly", D(2026, 2, 15)),
    (D(2026, 1, 1), "weekly", D(2026, 1, 8)),
])
def test_the_next_measurement_is_one_period_after_the_last(day, frequency, then):
    assert ix.add_period(day, frequency) == then


def test_no_recent_measurement_when_the_frequency_says_one_is_due():
    i = ind(**LINE, frequency="yearly", measurements=[(D(2025, 12, 31), 49)])
    assert ix.read(i, D(2026, 12, 31)).verdict == "on_track"  # due that day, not yet late
    r = ix.read(i, D(2027, 1, 1))
    assert r.due and r.next_due == D(2026, 12, 31)
    assert r.verdict == "no_recent"


def test_without_any_measurement_the_first_is_due_one_period_after_the_baseline():
    r = ix.read(ind(**LINE, frequency="quarterly"), D(2025, 4, 2))
    assert r.next_due == D(2025, 4, 1) and r.due
    assert r.verdict == "unknown"  # nothing measured: no figure to judge


# --- stay within a range -----------------------------------------------------------------------


def test_range_inside_is_on_track_and_full():
    i = ind(direction="range", range=R(95, 105), baseline=100, measurements=[(D(2026, 1, 1), 98)])
    r = ix.read(i, D(2026, 3, 1))
    assert r.progress == 100 and r.verdict == "on_track"


def test_range_leaving_it_is_behind_with_no_progress():
    i = ind(direction="range", range=R(95, 105), baseline=100, measurements=[(D(2026, 1, 1), 107)])
    r = ix.read(i, D(2026, 3, 1))
    assert r.progress == 0 and r.verdict == "behind"


def test_range_coming_back_from_outside_counts_the_way_to_the_nearest_bound():
    i = ind(direction="range", range=R(None, 8), baseline=12, baseline_date=D(2025, 1, 1), target_date=D(2027, 1, 1),
            measurements=[(D(2026, 1, 1), 10)])
    r = ix.read(i, D(2026, 3, 1))
    assert r.progress == pytest.approx(50)  # (10 - 12) / (8 - 12)
    assert r.expected_progress == pytest.approx(50)
    assert r.verdict == "on_track"
    overshoot = ind(direction="range", range=R(5, 8), baseline=12, measurements=[(D(2026, 1, 1), 3)])
    assert ix.read(overshoot, D(2026, 3, 1)).progress == 0  # below the range after starting above it


def test_action_attainment_is_the_mean_of_the_computable_indicators():
    a = ind(baseline=0, target=100, measurements=[(D(2026, 1, 1), 40)])
    b = ind(baseline=10, target=0, direction="decrease", measurements=[(D(2026, 1, 1), 2)])
    c = ind(baseline=0, target=100)  # not measured: left out, never 0
    assert ix.attainment([a, b, c], D(2026, 3, 1)) == pytest.approx(60)
    assert ix.attainment([c], D(2026, 3, 1)) is None


# --- weather --------------------------------------------------------------------------------------


def reading(verdict: str, past: bool = False) -> ix.Reading:
    return ix.Reading(None, D(2026, 1, 1), None, 50.0, None, None, 50.0, verdict, past, None, False)


@pytest.mark.parametrize(("progress", "expected", "late", "level"), [
    (60, 65, 0, 1), (50, 65, 0, 2), (40, 65, 0, 3), (30, 65, 0, 4), (90, 65, 1, 4),
])
def test_the_actions_signal_from_the_gap_and_late_actions(progress, expected, late, level):
    w = ix.weather_of(progress, expected, late, [])
    assert w.level == level and w.actions_level == level and w.indicators_level is None


def test_weather_is_the_mean_of_actions_and_indicators_rounded_to_the_nearest_level():
    w = ix.weather_of(60, 65, 0, [reading("behind"), reading("on_track")])  # actions 1, indicators (3 + 1) / 2 = 2
    assert (w.actions_level, w.indicators_level, w.level, w.name) == (1, 2.0, 2, "cloudy")  # 1.5 -> 2
    w = ix.weather_of(60, 65, 0, [reading("reached"), reading("no_recent")])  # (1 + 1.5) / 2 = 1.25 -> 1
    assert w.level == 1 and w.name == "sunny"
    w = ix.weather_of(40, 65, 0, [reading("behind", past=True)])  # (3 + 4) / 2 = 3.5 -> 4
    assert w.name == "stormy"
    assert [s.reason for s in w.signals] == ["gap", "past_target"]


def test_weather_from_indicators_alone_and_from_nothing():
    assert ix.weather_of(None, None, 0, [reading("on_track"), reading("behind")]).level == 2
    none = ix.weather_of(None, None, 0, [reading("unknown")])
    assert none.level is None and none.name is None
    assert [s.reason for s in none.signals] == ["no_progress", "unknown"]
    assert ix.weather_of(50, None, 0, []).signals[0].reason == "no_expected"
