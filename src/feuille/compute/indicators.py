"""An indicator's figures as of a date, and an objective's weather.  Pure; nothing here prints.

The rules (documented in docs/rollup.md, « Les indicateurs »):

* **progress to target** (PILOTE's rule): ``(current - baseline) / (target - baseline)``,
  clamped to 0-100.  The formula is direction-aware by construction (a decrease has its
  target below its baseline).  It is **empty, with the reason**, when an input is missing:
  no baseline, no target, target equal to the baseline, no measurement at the date;
* **stay within a range** (``direction: range``): 100 inside the range; outside, when the
  baseline was outside on the same side, the progress toward the nearest bound, else 0;
* the **trajectory**: the baseline at its date, the yearly milestones (each at 31 December
  of its year), the target at its date; the **expected value** at a date is read on the
  straight lines between those points (the baseline before the start, the target after its
  date).  Without a baseline date, the trajectory starts at ``start`` (the caller passes
  the plan's adoption or the term's start);
* the **verdict**: ``unknown`` (progress empty), ``no_recent`` (its frequency says a
  measurement is due and none came), ``reached`` (the latest measurement is at or beyond the
  target), ``on_track`` (its progress is within :data:`TOLERANCE` points of the progress
  expected at that measurement's date; a range: inside it), ``behind`` (else; also when
  the target date has passed without the target reached: ``past_target``);
* the **weather** of an objective (4 levels, 1 sunny to 4 stormy) combines the signal of
  its actions (late actions: 4; else the gap between expected and computed progress:
  up to 10 points 1, 20 points 2, 30 points 3, beyond 4) with its indicators' (reached or on
  track 1, measurement due 2, behind 3, behind past the target date 4): the mean of the
  two, the indicators counting as their mean, rounded to the nearest level (half-way goes to
  the worse one).  With neither, no weather, and the reason.

Measurements are read up to the date asked: a later one does not exist yet.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from feuille.core.periods import FREQUENCIES, add_period

TOLERANCE = 10.0  # points of progress below expected still counted "on track" (as for actions)

VERDICTS = ("behind", "no_recent", "on_track", "reached", "unknown")  # the worst first

#: Why an indicator's progress is empty.
MISSING = ("no_measurement", "no_baseline", "no_target", "same_target", "no_range")

WEATHERS = ("sunny", "cloudy", "rainy", "stormy")  # level 1 to 4


@dataclass(frozen=True, slots=True)
class Point:
    day: dt.date
    value: float
    kind: str  # baseline | milestone | target


@dataclass(frozen=True, slots=True)
class Reading:
    """An indicator as of a date: its figures, and why one is missing."""

    indicator: Any  # core.model.Indicator
    as_of: dt.date
    current: Any | None  # the latest Measurement at the date, else None
    progress: float | None  # 0-100
    missing: str | None  # why progress is None (one of MISSING)
    expected: float | None  # the value expected at the date on the trajectory
    expected_progress: float | None  # the progress expected at the latest measurement's date
    verdict: str  # one of VERDICTS
    past_target: bool  # the target date has passed and the target is not reached
    next_due: dt.date | None  # when the next measurement is due (its frequency), else None
    due: bool  # a measurement is due and none came
    trajectory: tuple[Point, ...] = ()
    start_assumed: bool = False  # the trajectory starts at the caller's start (no baseline date)

    @property
    def reason(self) -> str | None:
        """Why the verdict is unknown: the progress's missing input, else ``no_trajectory`` (no target date to draw it)."""
        if self.verdict != "unknown":
            return None
        return self.missing or "no_trajectory"


def _get(ind: Any, name: str, default: Any = None) -> Any:
    return getattr(ind, name, default)


def direction(ind: Any) -> str:
    d = _get(ind, "direction")
    return str(getattr(d, "value", d) or "increase")


def bounds(ind: Any) -> tuple[float | None, float | None]:
    """A range indicator's bounds (low, high), each None when not given."""
    r = _get(ind, "range")
    if r is None:
        return None, None
    return _get(r, "min"), _get(r, "max")


def measurements(ind: Any, as_of: dt.date) -> list[Any]:
    """The measurements taken at or before ``as_of``, oldest first (stable for equal dates)."""
    return sorted((m for m in _get(ind, "measurements", ()) or () if m.date <= as_of), key=lambda m: m.date)


def latest(ind: Any, as_of: dt.date) -> Any | None:
    dated = measurements(ind, as_of)
    return dated[-1] if dated else None


def _effective_target(ind: Any) -> float | None:
    """The value aimed at: the target; for a range, the bound nearest an outside baseline."""
    if direction(ind) != "range":
        return _get(ind, "target")
    low, high = bounds(ind)
    base = _get(ind, "baseline")
    if base is None:
        return None
    if low is not None and base < low:
        return low
    if high is not None and base > high:
        return high
    return None


def inside(ind: Any, value: float) -> bool:
    """Whether ``value`` is inside a range indicator's bounds."""
    low, high = bounds(ind)
    return (low is None or value >= low) and (high is None or value <= high)


def progress_of(ind: Any, value: float | None) -> tuple[float | None, str | None]:
    """The progress (0-100) a value means for this indicator, or (None, why)."""
    if value is None:
        return None, "no_measurement"
    if direction(ind) == "range":
        low, high = bounds(ind)
        if low is None and high is None:
            return None, "no_range"
        if inside(ind, value):
            return 100.0, None
        target = _effective_target(ind)
        base = _get(ind, "baseline")
        if target is None or base is None or (value - target) * (base - target) <= 0:
            return 0.0, None  # outside, and not on the side it started from
        return _ratio(value, base, target), None
    base, target = _get(ind, "baseline"), _get(ind, "target")
    if base is None:
        return None, "no_baseline"
    if target is None:
        return None, "no_target"
    if target == base:
        return None, "same_target"
    return _ratio(value, base, target), None


def _ratio(value: float, base: float, target: float) -> float:
    return min(100.0, max(0.0, (value - base) / (target - base) * 100))


def reached(ind: Any, value: float | None) -> bool:
    """Whether ``value`` is at or beyond the target, in the indicator's direction."""
    if value is None:
        return False
    if direction(ind) == "range":
        return inside(ind, value)
    target = _get(ind, "target")
    if target is None:
        return False
    base = _get(ind, "baseline")
    if base is not None and base != target:
        return (value - target) * (target - base) >= 0
    return value <= target if direction(ind) == "decrease" else value >= target


def trajectory(ind: Any, start: dt.date | None = None) -> tuple[tuple[Point, ...], bool]:
    """The trajectory's points in date order, and whether its start was assumed (``start``)."""
    points: list[Point] = []
    assumed = False
    base = _get(ind, "baseline")
    base_day = _get(ind, "baseline_date")
    if base is not None:
        if base_day is None and start is not None:
            base_day, assumed = start, True
        if base_day is not None:
            points.append(Point(base_day, float(base), "baseline"))
    target_day = _get(ind, "target_date")
    target = _effective_target(ind)
    for year, value in sorted((_get(ind, "milestones") or {}).items()):
        day = dt.date(int(year), 12, 31)
        if (not points or day > points[0].day) and (target_day is None or day < target_day):
            points.append(Point(day, float(value), "milestone"))
    if target is not None and target_day is not None and (not points or target_day > points[-1].day):
        points.append(Point(target_day, float(target), "target"))
    return tuple(points), assumed and len(points) > 1


def expected_value(ind: Any, day: dt.date, start: dt.date | None = None) -> float | None:
    """The value expected at ``day`` on the trajectory, or None without two points to draw it."""
    points, _assumed = trajectory(ind, start)
    return on_line(points, day)


def on_line(points: Sequence[Point], day: dt.date) -> float | None:
    """The value at ``day`` on the straight lines through ``points`` (the first before them, the last after), None without two points."""
    if len(points) < 2:
        return None
    if day <= points[0].day:
        return points[0].value
    for a, b in zip(points, points[1:], strict=False):
        if day <= b.day:
            return a.value + (b.value - a.value) * (day - a.day).days / (b.day - a.day).days
    return points[-1].value


def read(ind: Any, as_of: dt.date, start: dt.date | None = None) -> Reading:
    """The indicator's figures as of ``as_of`` (``start``: where a trajectory without baseline date begins)."""
    current = latest(ind, as_of)
    value = current.value if current is not None else None
    progress, missing = progress_of(ind, value)
    points, assumed = trajectory(ind, start)
    expected = on_line(points, as_of)
    frequency = _get(ind, "frequency")
    frequency = str(getattr(frequency, "value", frequency)) if frequency else None
    next_due = None
    if frequency in FREQUENCIES:
        last = current.date if current is not None else (points[0].day if points and points[0].kind == "baseline" else _get(ind, "baseline_date"))
        if last is not None:
            next_due = add_period(last, frequency)
    due = next_due is not None and as_of > next_due
    target_day = _get(ind, "target_date")
    is_reached = reached(ind, value)
    past = target_day is not None and as_of > target_day and not is_reached and current is not None
    expected_progress = None
    if current is not None:
        at_measure = on_line(points, current.date)
        expected_progress = progress_of(ind, at_measure)[0] if at_measure is not None else None
        if past:
            expected_progress = 100.0
    if progress is None and not (is_reached and direction(ind) != "range"):
        verdict = "unknown"
    elif due:
        verdict = "no_recent"
    elif direction(ind) == "range":
        if inside(ind, value):  # type: ignore[arg-type]
            verdict = "on_track"
        elif expected_progress is not None and not past and progress is not None and progress + TOLERANCE >= expected_progress:
            verdict = "on_track"  # still on its way back into the range
        else:
            verdict = "behind"
    elif is_reached:
        verdict = "reached"
    elif past:
        verdict = "behind"
    elif expected_progress is None or progress is None:
        verdict = "unknown"
    else:
        verdict = "on_track" if progress + TOLERANCE >= expected_progress else "behind"
    return Reading(ind, as_of, current, progress, missing, expected, expected_progress, verdict, past, next_due, due, points, assumed)


def attainment(indicators: Iterable[Any], as_of: dt.date) -> float | None:
    """Mean progress of the indicators whose progress can be computed, in % (an action's progress from its indicators)."""
    values = [p for ind in indicators if (p := progress_of(ind, v.value if (v := latest(ind, as_of)) is not None else None)[0]) is not None]
    return sum(values) / len(values) if values else None


# --- the weather --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signal:
    """One part of an objective's weather: its actions, or one of its indicators."""

    kind: str  # actions | indicator
    level: int | None  # 1 (sunny) to 4 (stormy); None: says nothing (why in ``reason``)
    reason: str  # late | gap | no_progress | no_expected | on_track | reached | no_recent | behind | past_target | unknown
    progress: float | None = None
    expected: float | None = None
    late: int = 0
    reading: Reading | None = None


@dataclass(frozen=True, slots=True)
class Weather:
    level: int | None  # 1-4, None when nothing is known
    signals: tuple[Signal, ...] = field(default=())
    actions_level: int | None = None
    indicators_level: float | None = None  # the mean of the indicators' levels

    @property
    def name(self) -> str | None:
        return WEATHERS[self.level - 1] if self.level else None


def actions_signal(progress: float | None, expected: float | None, late: int) -> Signal:
    """What an objective's actions say: late ones make a storm; else the gap between expected and computed progress."""
    if late:
        return Signal("actions", 4, "late", progress, expected, late)
    if progress is None:
        return Signal("actions", None, "no_progress", progress, expected)
    if expected is None:
        return Signal("actions", None, "no_expected", progress, expected)
    gap = expected - progress
    level = 1 if gap <= TOLERANCE else 2 if gap <= 2 * TOLERANCE else 3 if gap <= 3 * TOLERANCE else 4
    return Signal("actions", level, "gap" if level > 1 else "on_track", progress, expected)


def indicator_signal(reading: Reading) -> Signal:
    verdict = reading.verdict
    if verdict in ("reached", "on_track"):
        level: int | None = 1
    elif verdict == "no_recent":
        level = 2
    elif verdict == "behind":
        level = 4 if reading.past_target else 3
    else:
        level = None
    reason = "past_target" if verdict == "behind" and reading.past_target else verdict
    return Signal("indicator", level, reason, reading.progress, reading.expected_progress, reading=reading)


def _round_level(value: float) -> int:
    """The nearest level; half-way goes to the worse (higher) one."""
    return max(1, min(4, math.floor(value + 0.5)))


def weather_of(progress: float | None, expected: float | None, late: int, readings: Iterable[Reading]) -> Weather:
    """An objective's weather from its actions' figures and its indicators' readings."""
    signals = [actions_signal(progress, expected, late)] + [indicator_signal(r) for r in readings]
    a = signals[0].level
    levels = [s.level for s in signals[1:] if s.level is not None]
    i = sum(levels) / len(levels) if levels else None
    if a is None and i is None:
        return Weather(None, tuple(signals))
    combined = a if i is None else _round_level(i) if a is None else _round_level((a + i) / 2)
    return Weather(combined, tuple(signals), a, i)


# --- a whole plan -------------------------------------------------------------------------------


def start_of(plan: Any) -> dt.date | None:
    """Where a trajectory without baseline date starts: the plan's adoption, else the term's start."""
    meta = plan.meta
    if meta is None:
        return None
    return meta.adopted or meta.term.start


@dataclass(slots=True)
class PlanIndicators:
    """Every indicator of a plan read as of a date, and each objective's weather."""

    as_of: dt.date
    start: dt.date | None
    readings: list[tuple[Any, Reading]]  # (core.plan.PlacedIndicator, its reading), in plan order
    of_item: dict[str, list[Reading]]  # objective or action id -> readings of its own and linked indicators
    weather: dict[str, Weather]  # objective id -> its weather
    plan_readings: list[Reading] = field(default_factory=list)  # the plan's own indicators and its strands'

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _p, r in self.readings:
            out[r.verdict] = out.get(r.verdict, 0) + 1
        return out

    def behind(self) -> list[tuple[Any, Reading]]:
        return [(p, r) for p, r in self.readings if r.verdict == "behind"]

    def due(self) -> list[tuple[Any, Reading]]:
        """Those whose frequency says a measurement is due, the longest overdue first."""
        found = [(p, r) for p, r in self.readings if r.due]
        return sorted(found, key=lambda pr: (pr[1].next_due or dt.date.min, pr[0].key))


def read_plan(plan: Any, rollup: Any) -> PlanIndicators:
    """Read every indicator of ``plan`` as of the rollup's date, and give each objective its weather.

    Pass the plan an audience sees (compute/audience.publish) and its rollup: an indicator it may
    not see is then neither read nor named, and the actions' figures stay those of the whole plan."""
    as_of = rollup.as_of
    start = start_of(plan)
    by_indicator: dict[int, Reading] = {}
    readings = []
    for placed in plan.indicators():
        r = read(placed.indicator, as_of, start)
        by_indicator[id(placed.indicator)] = r
        readings.append((placed, r))

    def of(item: Any) -> list[Reading]:
        return [by_indicator[id(ind)] if id(ind) in by_indicator else read(ind, as_of, start) for ind in plan.indicators_of(item)]

    of_item: dict[str, list[Reading]] = {}
    weather: dict[str, Weather] = {}

    def walk(result: Any) -> list[Reading]:
        mine = of(result.objective)
        of_item[result.objective.id] = mine
        below = [x for child in result.children for x in walk(child)]
        for a in result.actions:
            if (a.action.indicators or a.action.linked_indicators) and a.action.id not in of_item:  # most actions have none
                of_item[a.action.id] = of(a.action)
        seen: set[int] = set()
        every = [x for x in mine + below if not (id(x.indicator) in seen or seen.add(id(x.indicator)))]  # type: ignore[func-returns-value]
        weather[result.objective.id] = weather_of(result.progress, result.expected, result.late, every)
        return every

    for top in rollup.objectives:
        walk(top)
    for volet in plan.volets:  # a strand's own indicators and those it cites (shown with it; no weather: it has objectives for that)
        if volet.indicators or volet.linked_indicators:
            of_item[volet.ident] = of(volet)
    own = [r for p, r in readings if p.top]  # the plan's and its strands'
    return PlanIndicators(as_of, start, readings, of_item, weather, own)
