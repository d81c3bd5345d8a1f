"""Indicators for people: their verdicts and reasons in words, one-line summaries, the weather
explained, and the trajectory chart (inline SVG coordinates, the same figures as a table).

Nothing here computes a figure: :mod:`feuille.compute.indicators` does.  The chart is
deterministic (coordinates rounded, ids derived from the indicator's key), has a title, a
description and a data table beside it, and needs no inline style (the site's CSP forbids it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from feuille.compute.indicators import Reading, Signal, Weather, bounds, direction, on_line
from feuille.core.i18n import NC_, Words, translator
from feuille.views.chartsize import CHAR, NARROW, WIDE, room
from feuille.views.format import Formatter
from feuille.views.labels import measure

VERDICT = Words({
    "reached": NC_("indicator verdict", "reached"), "on_track": NC_("indicator verdict", "on track"),
    "behind": NC_("indicator verdict", "behind"), "no_recent": NC_("indicator verdict", "measurement due"),
    "unknown": NC_("indicator verdict", "unknown"),
})
VERDICT_STYLE = {"reached": "bold green", "on_track": "green", "behind": "yellow", "no_recent": "yellow", "unknown": "dim"}

#: Why a figure is empty.
MISSING = Words({
    "no_measurement": NC_("indicator missing", "no measurement yet"),
    "no_baseline": NC_("indicator missing", "no baseline value"),
    "no_target": NC_("indicator missing", "no target"),
    "same_target": NC_("indicator missing", "the target equals the baseline (write a range to keep a value)"),
    "no_range": NC_("indicator missing", "the range has no bound"),
    "no_trajectory": NC_("indicator missing", "no target date, so no trajectory to compare with"),
})

WEATHER = Words({
    "sunny": NC_("weather", "sunny"), "cloudy": NC_("weather", "cloudy"), "rainy": NC_("weather", "rainy"), "stormy": NC_("weather", "stormy"),
})
WEATHER_STYLE = {"sunny": "bold green", "cloudy": "green", "rainy": "yellow", "stormy": "bold red"}
WEATHER_ICON = {"sunny": "☀", "cloudy": "⛅", "rainy": "☂", "stormy": "⚡"}

FREQUENCY = Words({
    "weekly": NC_("frequency", "weekly"), "monthly": NC_("frequency", "monthly"), "quarterly": NC_("frequency", "quarterly"),
    "half_yearly": NC_("frequency", "half-yearly"), "yearly": NC_("frequency", "yearly"),
})

DIRECTION = Words({
    "increase": NC_("direction", "increase"), "decrease": NC_("direction", "decrease"), "range": NC_("direction", "stay within a range"),
})


def value(fmt: Formatter, v: float | None, ind: Any) -> str:
    """A value of this indicator with its unit (« 8,6 % », « 412 logements »)."""
    return measure(fmt, v, getattr(ind, "unit", None))


def range_text(ind: Any, fmt: Formatter) -> str:
    """« entre 95 et 105 », « au plus 8 % », « au moins 60 % »."""
    _ = translator(fmt.lang)
    low, high = bounds(ind)
    if low is not None and high is not None:
        return _("between {low} and {high}").format(low=value(fmt, low, ind), high=value(fmt, high, ind))
    if high is not None:
        return _("at most {high}").format(high=value(fmt, high, ind))
    if low is not None:
        return _("at least {low}").format(low=value(fmt, low, ind))
    return "–"


def target_text(ind: Any, fmt: Formatter) -> str:
    """« 7,2 % au 31/12/2027 », « entre 95 et 105 », « cible non renseignée »."""
    _ = translator(fmt.lang)
    if direction(ind) == "range":
        aim = range_text(ind, fmt)
    elif getattr(ind, "target", None) is None:
        return _("no target")
    else:
        aim = value(fmt, ind.target, ind)
    day = getattr(ind, "target_date", None)
    return _("{value} by {date}").format(value=aim, date=fmt.date(day)) if day else aim


def reason(r: Reading, lang: str) -> str | None:
    """Why the verdict is unknown, in words."""
    key = r.reason
    return MISSING[lang][key] if key else None


def verdict(r: Reading, lang: str) -> str:
    """The verdict in words, with « date dépassée » when the target date passed without the target."""
    _ = translator(lang)
    words = VERDICT[lang][r.verdict]
    if r.verdict == "behind" and r.past_target:
        return _("{verdict}, target date passed").format(verdict=words)
    return words


def summary(r: Reading, fmt: Formatter) -> str:
    """One line: « 8,6 % au 31/12/2025 (départ 9,2 %, cible 7,2 % au 31/12/2026) : 30 %, attendu 50 % ».

    Without a measurement, or without a figure, the reason takes the place of the number."""
    _ = translator(fmt.lang)
    ind = r.indicator
    parts = []
    if getattr(ind, "baseline", None) is not None:
        parts.append(_("baseline {value}").format(value=value(fmt, ind.baseline, ind)))
    parts.append(_("target {value}").format(value=target_text(ind, fmt)) if getattr(ind, "target", None) is not None or direction(ind) == "range"
                 else _("no target"))
    frame = ", ".join(parts)
    if r.current is None:
        return _("{frame}: no measurement yet").format(frame=frame)
    now = _("{value} on {date}").format(value=value(fmt, r.current.value, ind), date=fmt.date(r.current.date))
    if r.progress is None:
        figure = MISSING[fmt.lang][r.missing] if r.missing else "?"
        return _("{now} ({frame}): progress not computed, {why}").format(now=now, frame=frame, why=figure)
    if r.expected_progress is not None:
        return _("{now} ({frame}): {progress} of the way, {expected} expected").format(
            now=now, frame=frame, progress=fmt.pct(r.progress), expected=fmt.pct(r.expected_progress))
    return _("{now} ({frame}): {progress} of the way").format(now=now, frame=frame, progress=fmt.pct(r.progress))


def due_text(r: Reading, fmt: Formatter) -> str | None:
    """« mesure attendue depuis le 31/12/2026 (annuelle) » when one is due."""
    if not r.due or r.next_due is None:
        return None
    _ = translator(fmt.lang)
    freq = getattr(r.indicator, "frequency", None)
    freq = getattr(freq, "value", freq)
    return _("measurement due since {date} ({frequency})").format(date=fmt.date(r.next_due), frequency=FREQUENCY[fmt.lang].get(str(freq), str(freq)))


def expected_today(r: Reading, fmt: Formatter) -> str | None:
    """« attendu au 06/12/2026 sur la trajectoire : 8,3 % »."""
    if r.expected is None:
        return None
    _ = translator(fmt.lang)
    return _("expected on {date} on the trajectory: {value}").format(date=fmt.date(r.as_of), value=value(fmt, r.expected, r.indicator))


def explain(r: Reading, fmt: Formatter, start_name: str | None = None) -> list[str]:
    """The sentences that explain an indicator's figures (``show``, its page)."""
    _ = translator(fmt.lang)
    out = [summary(r, fmt)]
    if r.progress is not None:
        ind = r.indicator
        if direction(ind) == "range":
            out.append(_("Progress: 100% inside the range ({range}); outside it, 0% unless it started outside on the same side.").format(
                range=range_text(ind, fmt)))
        elif r.current is not None:
            out.append(_("Progress = (measurement − baseline) / (target − baseline) = ({m} − {b}) / ({t} − {b}) = {p}, kept between 0 and 100%.").format(
                m=fmt.number(r.current.value, 2), b=fmt.number(ind.baseline, 2), t=fmt.number(ind.target, 2), p=fmt.pct(r.progress)))
    today = expected_today(r, fmt)
    if today:
        out.append(today[:1].upper() + today[1:] + ".")
    if r.start_assumed and start_name:
        out.append(_("No baseline date: the trajectory starts on {start}.").format(start=start_name))
    line = _("Verdict: {verdict}.").format(verdict=verdict(r, fmt.lang))
    why = reason(r, fmt.lang)
    if why:
        line = _("Verdict: {verdict} ({why}).").format(verdict=verdict(r, fmt.lang), why=why)
    out.append(line)
    due = due_text(r, fmt)
    if due:
        out.append(due[:1].upper() + due[1:] + ".")
    return out


# --- weather ----------------------------------------------------------------------------------------


def weather_word(w: Weather, lang: str) -> str:
    _ = translator(lang)
    return WEATHER[lang][w.name] if w.name else _("no weather")


def _signal_text(s: Signal, fmt: Formatter) -> str:
    _ = translator(fmt.lang)
    level = WEATHER[fmt.lang][("sunny", "cloudy", "rainy", "stormy")[s.level - 1]] if s.level else _("says nothing")
    if s.kind == "actions":
        if s.reason == "late":
            what = _("actions: {n} late").format(n=s.late)
        elif s.reason == "no_progress":
            what = _("actions: no known progress")
        elif s.reason == "no_expected":
            what = _("actions: {progress} done, no expected progress (no dates)").format(progress=fmt.pct(s.progress))
        else:
            what = _("actions: {progress} done, {expected} expected").format(progress=fmt.pct(s.progress), expected=fmt.pct(s.expected))
        return _("{what} → {level}").format(what=what, level=level)
    r = s.reading
    label = getattr(r.indicator, "label", "") if r is not None else ""
    state = verdict(r, fmt.lang) if r is not None else ""
    if r is not None and r.verdict == "unknown" and reason(r, fmt.lang):
        state = f"{state} ({reason(r, fmt.lang)})"
    return _("indicator « {label} »: {state} → {level}").format(label=label, state=state, level=level)


def weather_lines(w: Weather, fmt: Formatter) -> list[str]:
    """The weather and each signal that makes it, for ``show`` and the objective's page."""
    _ = translator(fmt.lang)
    lines = [_signal_text(s, fmt) for s in w.signals]
    if w.level is None:
        head = _("Weather: none (neither the actions nor the indicators give a figure).")
    elif w.actions_level is not None and w.indicators_level is not None:
        head = _("Weather: {weather} (mean of the actions, {a}, and of the indicators, {i}, rounded; levels 1 sunny to 4 stormy).").format(
            weather=weather_word(w, fmt.lang), a=fmt.number(w.actions_level, 1), i=fmt.number(w.indicators_level, 2))
    elif w.actions_level is not None:
        head = _("Weather: {weather} (from its actions; no indicator with a verdict).").format(weather=weather_word(w, fmt.lang))
    else:
        head = _("Weather: {weather} (from its indicators; the actions give no figure).").format(weather=weather_word(w, fmt.lang))
    return [head, *lines]


# --- the chart ---------------------------------------------------------------------------------------


def chart(r: Reading, fmt: Formatter, ident: str, width: int = WIDE, height: int = 280) -> dict[str, Any] | None:
    """The trajectory against the measurements: coordinates, labels, and the same figures as table rows;
    ``narrow`` is the same chart drawn for a phone (views/chartsize.py).

    None when there is nothing to draw (no measurement and no trajectory)."""
    _ = translator(fmt.lang)
    ind = r.indicator
    measured = sorted((m for m in getattr(ind, "measurements", ()) or () if m.date <= r.as_of), key=lambda m: m.date)
    path = list(r.trajectory)
    if not measured and len(path) < 2:
        return None
    low, high = bounds(ind) if direction(ind) == "range" else (None, None)
    days = [m.date for m in measured] + [p.day for p in path] + [r.as_of]
    values = [m.value for m in measured] + [p.value for p in path] + [v for v in (low, high) if v is not None]
    if getattr(ind, "target", None) is not None and direction(ind) != "range":
        values.append(float(ind.target))
    if getattr(ind, "baseline", None) is not None:
        values.append(float(ind.baseline))
    first, last = min(days), max(days)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 if hi > lo else max(1.0, abs(hi) * 0.1)
    lo, hi = lo - pad, hi + pad
    if min(values) >= 0 > lo:
        lo = 0.0  # a count or a rate never goes below zero on the axis
    span = max(1, (last - first).days)
    unit_on_axis = (getattr(ind, "unit", None) or "").strip() == "%"  # a longer unit is said in the caption, not beside each tick
    ticks = [(v, value(fmt, v, ind) if unit_on_axis else fmt.number(v, 2)) for v in _ticks(lo, hi)]
    labels = [_("{label}: {value}").format(label=fmt.date(m.date), value=value(fmt, m.value, ind)) for m in measured]

    def geometry(width: int, height: int) -> dict[str, Any]:
        top, bottom, left, right = 16, height - 30, room([label for _v, label in ticks], 14), width - 16

        def x(day: dt.date) -> float:
            return round(left + (day - first).days / span * (right - left), 1)

        def y(v: float) -> float:
            return round(bottom - (v - lo) / (hi - lo) * (bottom - top), 1)

        points = [{"x": x(m.date), "y": y(m.value), "label": text} for m, text in zip(measured, labels, strict=True)]
        trajectory = [{"x": x(p.day), "y": y(p.value)} for p in path]
        band = None
        if low is not None or high is not None:
            y_top = y(high) if high is not None else top
            y_bottom = y(low) if low is not None else bottom
            band = {"y": min(y_top, y_bottom), "height": round(abs(y_bottom - y_top), 1)}
        years = [{"x": x(dt.date(year, 1, 1)), "label": str(year)} for year in range(first.year + 1, last.year + 1)
                 if left + 30 < x(dt.date(year, 1, 1)) < right - 30]
        if len(years) > 1 and years[1]["x"] - years[0]["x"] < 4 * CHAR + 12:  # too close to be read apart: every other year
            years = years[::2]
        return {"width": width, "height": height, "points": points, "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
                "trajectory": " ".join(f"{p['x']},{p['y']}" for p in trajectory), "trajectory_points": trajectory,
                "band": band, "grid": [{"y": y(v), "label": label} for v, label in ticks], "years": years,
                "left": left, "right": right, "top": top, "bottom": bottom,
                "today": x(r.as_of) if first <= r.as_of <= last else None}

    expected_at = {p.day: p.value for p in path}
    rows = []
    for m in measured:
        aimed = on_line(path, m.date)
        rows.append({"date": fmt.date(m.date), "value": value(fmt, m.value, ind),
                     "expected": value(fmt, aimed, ind) if aimed is not None else "", "note": getattr(m, "note", None) or ""})
    for p in path:
        if p.kind != "baseline" and p.day > (measured[-1].date if measured else dt.date.min) and p.day not in {m.date for m in measured}:
            rows.append({"date": fmt.date(p.day), "value": "", "expected": value(fmt, expected_at[p.day], ind), "note": _kind_word(p.kind, fmt.lang)})
    desc = [summary(r, fmt)]
    today = expected_today(r, fmt)
    if today:
        desc.append(today)
    desc.append(verdict(r, fmt.lang))
    label = getattr(ind, "label", "")
    unit = getattr(ind, "unit", None)
    return {
        "id": "ind-" + "".join(c if c.isalnum() else "-" for c in ident),
        "title": _("{label}: trajectory and measurements").format(label=label), "description": _("; ").join(desc),
        **geometry(width, height), "narrow": geometry(NARROW, 260), "today_label": _("today"),
        "first_label": fmt.date(first), "last_label": fmt.date(last),
        "rows": rows, "caption": _("{label} ({unit})").format(label=label, unit=unit) if unit else label,
        "date_label": _("Date"), "value_label": _("Measurement"), "expected_label": _("On the trajectory"), "note_label": _("Note"),
        "legend_measured": _("measurements"), "legend_trajectory": _("trajectory (baseline, milestones, target)"), "legend_range": _("range to stay within"),
    }


def _kind_word(kind: str, lang: str) -> str:
    _ = translator(lang)
    return {"milestone": _("milestone"), "target": _("target"), "baseline": _("baseline")}[kind]


def _ticks(lo: float, hi: float) -> list[float]:
    """Three round values across [lo, hi] for the grid."""
    import math  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    span = hi - lo
    if span <= 0:
        return [lo]
    step = 10 ** math.floor(math.log10(span / 2))
    for m in (1, 2, 2.5, 5, 10):
        if span / (step * m) <= 4:
            step *= m
            break
    start = math.ceil(lo / step) * step
    out = []
    v = start
    while v <= hi + 1e-9 and len(out) < 6:
        out.append(round(v, 10))
        v += step
    return out


# --- feuille show ---------------------------------------------------------------------------------

_SHOW = Words({
    "indicator": NC_("show", "Indicator"),
    "file": NC_("show", "File"),
    "declared_on": NC_("show", "Declared on"),
    "cited_by": NC_("show", "Cited by"),
    "unit": NC_("show", "Unit"),
    "direction": NC_("show", "Direction"),
    "baseline": NC_("show", "Baseline"),
    "target": NC_("show", "Target"),
    "milestones": NC_("show", "Yearly milestones"),
    "source": NC_("show", "Source"),
    "owner": NC_("show", "Measured by"),
    "frequency": NC_("show", "Frequency"),
    "figures": NC_("show", "Figures"),
    "measurements": NC_("show", "Measurements"),
    "the_plan": NC_("show", "the plan"),
    "weather": NC_("show", "Weather"),
    "indicators": NC_("show", "Indicators"),
})


def where_declared(plan: Any, placed: Any, lang: str) -> str:
    """« A1.1 Cadastre des besoins… », « VOLET-EXTERNE Volet externe », « le plan »."""
    owner = placed.owner
    if owner is None:
        return _SHOW[lang]["the_plan"]
    return f"{placed.where} {owner.title}" if owner.title else placed.where


def cited_by(plan: Any, placed: Any) -> list[Any]:
    """The strands, objectives and actions that cite this indicator in ``linked_indicators``."""
    out = [v for v in plan.volets if v.linked_indicators and any(p is placed or p.indicator is placed.indicator for p in plan.linked(v))]
    for obj, _parent, _depth in plan.walk():
        for item in (obj, *obj.actions):
            if item.linked_indicators and any(p is placed or p.indicator is placed.indicator for p in plan.linked(item)):
                out.append(item)
    return out


def show_lines(plan: Any, placed: Any, r: Reading, fmt: Formatter) -> list[tuple[str, str]]:
    """``feuille show IND``: the indicator, where it is, its trajectory, its figures explained, its measurements."""
    _ = translator(fmt.lang)
    t = _SHOW[fmt.lang]
    ind = placed.indicator

    def kv(label: str, text: str) -> tuple[str, str]:
        return ("", "  " + _("{label}: {value}").format(label=label, value=text))

    rel = plan.origin(placed.owner)[0] if placed.owner is not None else next((f for f in plan.files if f.startswith("plan.")), "plan.yaml")
    title = f"{t['indicator']} {ind.id} — {ind.label}" if ind.id else f"{t['indicator']} — {ind.label}"
    out: list[tuple[str, str]] = [("bold", title), kv(t["file"], plan.display_path(rel)), kv(t["declared_on"], where_declared(plan, placed, fmt.lang))]
    users = cited_by(plan, placed)
    if users:
        out.append(kv(t["cited_by"], ", ".join(getattr(x, "ident", x.id) for x in users)))
    if ind.unit:
        out.append(kv(t["unit"], ind.unit))
    out.append(kv(t["direction"], DIRECTION[fmt.lang][ind.direction.value] + (f" ({range_text(ind, fmt)})" if ind.direction.value == "range" else "")))
    if ind.baseline is not None:
        out.append(kv(t["baseline"], value(fmt, ind.baseline, ind) + (f" ({fmt.date(ind.baseline_date)})" if ind.baseline_date else "")))
    if ind.target is not None or ind.direction.value == "range":
        out.append(kv(t["target"], target_text(ind, fmt)))
    if ind.milestones:
        out.append(kv(t["milestones"], _("; ").join(_("{label}: {value}").format(label=y, value=value(fmt, v, ind)) for y, v in sorted(ind.milestones.items()))))
    if ind.source:
        out.append(kv(t["source"], ind.source))
    if ind.owner:
        person = plan.people.get(ind.owner)
        out.append(kv(t["owner"], person.name if person is not None else ind.owner))
    if ind.frequency:
        out.append(kv(t["frequency"], FREQUENCY[fmt.lang][ind.frequency.value]))
    out.append(("bold", f"  {t['figures']}"))
    start = fmt.date(r.trajectory[0].day) if r.start_assumed and r.trajectory else None
    out += [("", f"    {line}") for line in explain(r, fmt, start)]
    measured = sorted(ind.measurements, key=lambda m: m.date)
    if measured:
        out.append(("bold", f"  {t['measurements']}"))
        for m in measured:
            aimed = on_line(r.trajectory, m.date)
            text = _("{label}: {value}").format(label=fmt.date(m.date), value=value(fmt, m.value, ind))
            if aimed is not None:
                text += " (" + _("expected {value}").format(value=value(fmt, aimed, ind)) + ")"
            if m.date > r.as_of:
                text += " — " + _("after the reference date, not counted")
            if m.note:
                text += f" — {m.note}"
            out.append(("", f"    {text}"))
    return out


def item_lines(plan: Any, readings: list[Reading], fmt: Formatter) -> list[tuple[str, str]]:
    """An objective's or action's indicators in ``show``: one summary line each, with its verdict."""
    if not readings:
        return []
    t = _SHOW[fmt.lang]
    _ = translator(fmt.lang)
    out: list[tuple[str, str]] = [("bold", f"  {t['indicators']}")]
    for r in readings:
        ind = r.indicator
        name = f"{ind.id} — {ind.label}" if ind.id else ind.label
        out.append(("", f"    {name}"))
        out.append(("", f"      {summary(r, fmt)}"))
        line = _("Verdict: {verdict}.").format(verdict=verdict(r, fmt.lang))
        if reason(r, fmt.lang):
            line = _("Verdict: {verdict} ({why}).").format(verdict=verdict(r, fmt.lang), why=reason(r, fmt.lang))
        due = due_text(r, fmt)
        out.append(("", f"      {line}" + (f" {due[:1].upper()}{due[1:]}." if due else "")))
        for m in sorted(ind.measurements, key=lambda m: m.date):
            out.append(("", "      " + _("{label}: {value}").format(label=fmt.date(m.date), value=value(fmt, m.value, ind))))
    return out


# --- the site -----------------------------------------------------------------------------------------

SITE = Words({
    "indicators": NC_("site", "Indicators"),
    "indicator": NC_("site", "Indicator"),
    "declared_on": NC_("site", "Declared on"),
    "the_plan": NC_("site", "the whole plan"),
    "cited_by": NC_("site", "Also followed by"),
    "unit": NC_("site", "Unit"),
    "direction": NC_("site", "Direction"),
    "baseline": NC_("site", "Baseline"),
    "target": NC_("site", "Target"),
    "milestones": NC_("site", "Yearly milestones"),
    "source": NC_("site", "Source"),
    "measured_by": NC_("site", "Measured by"),
    "frequency": NC_("site", "Frequency"),
    "progress": NC_("site", "Progress to target"),
    "latest": NC_("site", "Latest measurement"),
    "expected_today": NC_("site", "Expected today"),
    "verdict": NC_("site", "Verdict"),
    "how": NC_("site", "How it is computed"),
    "chart": NC_("site", "Trajectory and measurements"),
    "weather": NC_("site", "Weather"),
    "where": NC_("site", "Where"),
    "none_measured": NC_("site", "No measurement yet."),
    "next_due": NC_("site", "Next measurement due"),
    "all": NC_("site", "Indicators of the plan"),
})


def site_globals(found: Any, fmt: Formatter) -> dict[str, Any]:
    """What the templates need to show indicators: their words, readings, charts, verdicts and each objective's weather."""
    lang = fmt.lang
    by_indicator = {id(p.indicator): (p, r) for p, r in found.readings}
    return {
        "ti": SITE[lang], "indicator_verdicts": VERDICT[lang], "weathers": WEATHER[lang], "weather_icons": WEATHER_ICON,
        "frequencies": FREQUENCY[lang], "directions": DIRECTION[lang],
        "indicator_readings": found.readings,
        "readings_of": lambda ident: found.of_item.get(ident, []),
        "placed_of": lambda ind: by_indicator.get(id(ind), (None, None))[0],
        "indicator_chart": lambda r, key: chart(r, fmt, key),
        "indicator_summary": lambda r: summary(r, fmt),
        "indicator_explain": lambda r: explain(r, fmt, fmt.date(r.trajectory[0].day) if r.start_assumed and r.trajectory else None),
        "indicator_verdict_text": lambda r: verdict(r, lang),
        "indicator_reason": lambda r: reason(r, lang),
        "indicator_value": lambda v, ind: value(fmt, v, ind),
        "indicator_target": lambda ind: target_text(ind, fmt),
        "indicator_range": lambda ind: range_text(ind, fmt),
        "indicator_due": lambda r: due_text(r, fmt),
        "weather_of": lambda ident: found.weather.get(ident),
        "weather_explained": lambda w: weather_lines(w, fmt),
    }


# --- for machines (status --format json, export json): never translated ------------------------------


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def indicator_json(p: Any, r: Any) -> dict[str, Any]:
    """An indicator and its figures as of the date (status --format json, export json): never translated."""
    ind = p.indicator

    def day(d: Any) -> str | None:
        return d.isoformat() if d is not None else None

    return {
        "key": p.key, "id": ind.id, "label": ind.label, "declared_on": p.where, "unit": ind.unit,
        "direction": ind.direction.value, "baseline": ind.baseline, "baseline_date": day(ind.baseline_date), "target": ind.target,
        "target_date": day(ind.target_date), "range": {"min": ind.range.min, "max": ind.range.max} if ind.range is not None else None,
        "milestones": {str(y): v for y, v in sorted(ind.milestones.items())}, "frequency": ind.frequency.value if ind.frequency else None,
        "current": {"date": day(r.current.date), "value": r.current.value} if r.current is not None else None,
        "progress": _round(r.progress), "progress_missing": r.missing, "expected_value": _round(r.expected),
        "expected_progress": _round(r.expected_progress), "verdict": r.verdict, "verdict_unknown_because": r.reason,
        "past_target_date": r.past_target, "next_measurement_due": day(r.next_due), "measurement_due": r.due,
        "measurements": [{"date": m.date.isoformat(), "value": m.value} for m in sorted(ind.measurements, key=lambda m: m.date)],
    }


def weather_json(w: Any) -> dict[str, Any] | None:
    if w is None:
        return None
    return {"level": w.level, "name": w.name, "actions_level": w.actions_level,
            "indicators_level": _round(w.indicators_level), "signals": [
                {"kind": s.kind, "level": s.level, "reason": s.reason, "indicator": getattr(s.reading.indicator, "label", None) if s.reading else None}
                for s in w.signals]}
