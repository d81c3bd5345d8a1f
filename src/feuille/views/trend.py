"""How the plan's progress over time is shown: terminal lines, Markdown, JSON and an SVG chart.

The trend itself comes from :mod:`feuille.compute.trend` (read by app/trend.py from the commit
history, or from the plan's own dated data).  Every view says which source it came from.
The chart is inline SVG with a title, a description and the same figures in a table: no
script, readable by a screen reader, printable.
"""

from __future__ import annotations

from typing import Any

from feuille.compute.trend import PLAN_KEY, Trend, TrendResult
from feuille.core.i18n import N_, plural_translator, translator
from feuille.views.chartsize import NARROW, WIDE, room
from feuille.views.format import Formatter
from feuille.views.mdsafe import md_text

SPARK = "▁▂▃▄▅▆▇█"
ARROW = {"up": "↑", "flat": "→", "down": "↓", "new": "+", "unknown": "?"}
STYLE = {"up": "green", "flat": "", "down": "bold red", "new": "dim", "unknown": "dim"}
DIRECTION = {"up": N_("up"), "flat": N_("flat"), "down": N_("down"), "new": N_("new"), "unknown": N_("unknown")}
SOURCE_NOTE = {
    "git": N_("From the git history: a commit's date is when an update was typed, not when the work happened."),
    "plan": N_("From the plan's own dated data (start and end dates, dated measurements, progress at its last review, "
               "interpolated in between): there is no git history of this period; actions added or reoriented since cannot be told apart."),
}


def direction(word: str, lang: str) -> str:
    _ = translator(lang)
    return _(DIRECTION[word])


def title(result: TrendResult, fmt: Formatter) -> str:
    """« Tendance depuis le 01/03/2025, par trimestre (9 points, 4 commits relus) »."""
    _, n_ = translator(fmt.lang), plural_translator(fmt.lang)
    start = fmt.date(result.since)
    since = _("since the validation of {date}").format(date=start) if result.why == "validation" else _("since {date}").format(date=start)
    every = _("monthly") if result.every == "month" else _("quarterly")
    points = n_("{n} point", "{n} points", len(result.points)).format(n=len(result.points))
    if result.source == "git":
        return _("Trend {since}, {every} ({points}, {commits})").format(since=since, every=every, points=points,
                                                                      commits=n_("{n} commit read", "{n} commits read", result.commits).format(n=result.commits))
    return _("Trend {since}, {every} ({points})").format(since=since, every=every, points=points)


def source_note(result: TrendResult, lang: str) -> str:
    _ = translator(lang)
    return _(SOURCE_NOTE[result.source])


def _ends(t: Trend) -> tuple[float | None, float | None]:
    first = next((v for v in t.series if v is not None), None)
    last = next((v for v in reversed(t.series) if v is not None), None)
    return first, last


def _delta(t: Trend, fmt: Formatter) -> str:
    if t.delta is None:
        return ""
    return f"{'+' if t.delta > 0 else ''}{fmt.number(t.delta, 1)} pt" + ("s" if abs(t.delta) >= 2 else "")


def name(t: Trend, lang: str) -> str:
    _ = translator(lang)
    return _("Plan") if t.id == PLAN_KEY else t.id


def text_lines(result: TrendResult, fmt: Formatter) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = [("", ""), ("bold", title(result, fmt)), ("dim", source_note(result, fmt.lang))]
    width = max([4, *(len(t.id) for t in result.rows)])
    for t in result.rows:
        first, last = _ends(t)
        spark = "".join(" " if v is None else SPARK[min(7, int(v / 100 * 8))] for v in t.series)
        out.append((STYLE[t.direction], f"  {name(t, fmt.lang).ljust(width)}  {ARROW[t.direction]} {direction(t.direction, fmt.lang):<10} "
                                        f"{fmt.pct(first):>5} → {fmt.pct(last):>5}  {_delta(t, fmt):<9} {spark}".rstrip()))
    return out


def markdown_lines(result: TrendResult, fmt: Formatter) -> list[str]:
    _ = translator(fmt.lang)
    out = [f"## {md_text(title(result, fmt))}", "", f"*{md_text(source_note(result, fmt.lang))}*", "",
           f"| {_('Objective')} | {_('Trend')} | {_('From')} | {_('To')} | {_('Change')} |", "|---|---|---:|---:|---:|"]
    for t in result.rows:
        first, last = _ends(t)
        label = name(t, fmt.lang) if t.id == PLAN_KEY else f"{t.id} {t.title}"
        out.append(f"| {md_text(label)} | {ARROW[t.direction]} {direction(t.direction, fmt.lang)} | {fmt.pct(first)} | {fmt.pct(last)} | {_delta(t, fmt)} |")
    return out


def _geometry(result: TrendResult, t: Trend, fmt: Formatter, width: int, height: int) -> dict[str, Any]:
    """Where the points, the grid and its labels go in a chart ``width`` units wide: the plot starts right of the
    widest grid label (« 100 % » is never cut)."""
    ticks = [{"value": v, "label": fmt.pct(v)} for v in (0, 50, 100)]
    top, bottom, left, right = 12, height - 22, room([g["label"] for g in ticks]), width - 12
    n = len(result.points)

    def x(i: int) -> float:
        return round(left + (i / (n - 1) if n > 1 else 0.5) * (right - left), 1)

    def y(v: float) -> float:
        return round(bottom - max(0.0, min(100.0, v)) / 100 * (bottom - top), 1)

    points = [{"x": x(i), "y": y(v)} for i, v in enumerate(t.series) if v is not None]
    return {"width": width, "height": height, "points": points, "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
            "grid": [{"y": y(g["value"]), "label": g["label"]} for g in ticks], "left": left, "right": right, "bottom": bottom}


def chart(result: TrendResult, t: Trend, fmt: Formatter, width: int = WIDE, height: int = 260) -> dict[str, Any]:
    """One objective's trend as chart coordinates (0 to 100 %), with its title, description and table rows;
    ``narrow`` is the same chart drawn for a phone (views/chartsize.py)."""
    _ = translator(fmt.lang)
    first, last = _ends(t)
    label = name(t, fmt.lang) if t.id == PLAN_KEY else f"{t.id} {t.title}"
    heading = _("Progress over time: {item}").format(item=label)
    description = _("{direction}: from {first} to {last} between {start} and {end}.").format(
        direction=direction(t.direction, fmt.lang).capitalize(), first=fmt.pct(first), last=fmt.pct(last),
        start=fmt.date(result.points[0].day), end=fmt.date(result.points[-1].day))
    return {
        "id": "trend-" + ("plan" if t.id == PLAN_KEY else "".join(c if c.isalnum() else "-" for c in t.id)),
        "title": heading, "description": description, "note": source_note(result, fmt.lang),
        **_geometry(result, t, fmt, width, height), "narrow": _geometry(result, t, fmt, NARROW, 240),
        "first_label": fmt.date(result.points[0].day), "last_label": fmt.date(result.points[-1].day),
        "rows": [{"date": fmt.date(p.day), "value": fmt.pct(v) if v is not None else "–"} for p, v in zip(result.points, t.series, strict=True)],
        "caption": title(result, fmt), "direction": direction(t.direction, fmt.lang), "arrow": ARROW[t.direction], "delta": _delta(t, fmt),
        "date_label": _("Date"), "value_label": _("Progress"),
    }


def charts(result: TrendResult | None, fmt: Formatter) -> dict[str, dict[str, Any]]:
    """Every row's chart by objective id (``""`` for the plan)."""
    if result is None:
        return {}
    return {t.id: chart(result, t, fmt) for t in result.rows}
