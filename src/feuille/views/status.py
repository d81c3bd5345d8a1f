"""``feuille status`` rendered from a :class:`~feuille.rollup.Rollup`: text, markdown, json, csv.

Each function returns a string (the text one returns styled lines for the
terminal); nothing here computes figures, the rollup does.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from feuille.compute.indicators import read_plan
from feuille.compute.rollup import (
    ActionResult,
    Budget,
    ObjectiveResult,
    Rollup,
    SubActionResult,
    VoletResult,
    combine,
)
from feuille.core import jsontext
from feuille.core.i18n import N_, NPC_, forms_of, translator
from feuille.pipeline import Loaded
from feuille.views import indicators as words
from feuille.views.format import Formatter
from feuille.views.history import caveat_lines, revision_lines, validation_lines
from feuille.views.indicators import indicator_json
from feuille.views.indicators import weather_json as _weather_json
from feuille.views.labels import (  # noqa: F401  (re-exported for templates' helpers)
    SOURCE,
    STATUS,
    VERDICT,
    VERDICT_STYLE,
    Line,
    owners,
    status_count,
)
from feuille.views.notice import left_out_json
from feuille.views.table import Step, Table, fit, fit_lines, wrap_lines

FORMATS = ("text", "markdown", "json", "csv")

# The words of this view: English msgids, translated by the catalogue (src/feuille/locale).
_WORDS = {
    "colon": N_("{label}: {value}"),  # French puts a space before the colon
    "term": N_("Term from {start} to {end}: {pct} elapsed (as of {as_of})"),
    "overall": N_("Overall progress"),
    "expected": N_("expected"),
    "on": NPC_("status", "on {known} action of {n}", "on {known} of {n} actions"),
    "budget": N_("Planned budget"),
    "spent": N_("spent"),
    "objective": N_("Objective"),
    "number": N_("No."),  # the column of ids (« N° »), where a Markdown table needs a header
    "progress": N_("Progress"),
    "actions": N_("Actions"),
    "verdict": N_("Verdict"),
    "late": N_("Late"),
    "due": N_("Due within {days} days"),
    "stale": N_("Not reviewed for more than {days} days"),
    "none": N_("none"),
    "no_actions": N_("The plan has no action yet."),
    "no_match": N_("No action matches the filters."),
    "deadline": N_("due"),
    "days_late": N_("{n} d late"),
    "in_days": N_("in {n} d"),
    "never": N_("never reviewed"),
    "reviewed": N_("reviewed {n} d ago"),
    "joint": N_("All plans together"),
    "filtered": N_("Filter: {what}"),
    "owners": N_("owners"),
    "no_owner": N_("Without a political or administrative owner"),
    "missing": N_("to fill in"),
    "funding": N_("Funding"),
    "revenue": N_("revenue"),
    "sub_action_of": N_("sub-action of {id}"),
    "declared": NPC_("status", "including {n} objective whose progress is declared", "including {n} objectives whose progress is declared"),
    "indicators": N_("Indicators"),
    "ind_behind": N_("Indicators behind their trajectory"),
    "ind_due": N_("Measurements due"),
    "the_plan": N_("the plan"),
    "last": N_("last: {value}"),
}


@functools.cache
def _t(lang: str) -> dict[str, str]:
    """This view's words in ``lang`` (read once: do not modify the dict)."""
    _ = translator(lang)
    return {key: forms_of(msgid, lang) if isinstance(msgid, tuple) else _(msgid) for key, msgid in _WORDS.items()}



def _bar(value: float | None, width: int = 10) -> str:
    if value is None:
        return "·" * width
    filled = round(max(0.0, min(100.0, value)) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _counts(r: ObjectiveResult | Rollup, lang: str) -> str:
    c = r.counts
    parts = [status_count(c[s], s, lang) for s in ("done", "ongoing", "on_hold", "not_started", "cancelled") if c.get(s)]
    return ", ".join(parts) or "–"


def _budget_text(b: Budget, fmt: Formatter) -> str:
    text = fmt.money(b.planned)
    if b.used is not None:
        text += f" ({fmt.pct(b.used)} {_t(fmt.lang)['spent']})"
    return text


def _walk(results: Sequence[ObjectiveResult], depth: int | None):
    for r in results:
        if depth is not None and r.depth > depth:
            continue
        yield r
        yield from _walk(r.children, depth)


def header_lines(rollup: Rollup, fmt: Formatter, notice: Sequence[str] = ()) -> list[Line]:
    t = _t(fmt.lang)
    plan = rollup.plan
    out: list[Line] = []
    if plan.meta is not None:
        out.append(("bold", plan.meta.title))
        out.append(("", " · ".join(o.name for o in plan.meta.organisations)))
        out.append(("", t["term"].format(start=fmt.date(plan.meta.term.start), end=fmt.date(plan.meta.term.end), pct=fmt.pct(rollup.term_elapsed), as_of=fmt.date(rollup.as_of))))
    out += [("bold red", line) for line in caveat_lines(plan, fmt.lang)]  # a past date read from today's files: said here too, not only on stderr
    out += [("dim", line) for line in revision_lines(plan, fmt)]  # history: which commit (views/history.py)
    out += [("bold" if i else "", line) for i, line in enumerate(validation_lines(plan.validation, fmt))]  # since the last validation
    out += [("bold red", line) for line in notice]  # errors and missing parts, before any figure
    if rollup.total == 0 and not rollup.actions:
        return out
    sep = t["colon"].format(label="", value="")
    declared = f", {t['declared'].format(n=rollup.declared)}" if rollup.declared else ""
    out.append(("bold", f"{t['overall']}{sep}{fmt.pct(rollup.progress)} ({t['expected']} {fmt.pct(rollup.expected)}), {t['on'].format(known=rollup.known, n=rollup.total)}{declared}"))
    out.append(("", f"{t['budget']}{sep}{_budget_text(rollup.budget, fmt)} · {_counts(rollup, fmt.lang)}"))
    funding = funding_text(rollup.budget, fmt)
    if funding:
        out.append(("", f"{t['funding']}{sep}{funding}"))
    return out


def funding_text(b: Budget, fmt: Formatter) -> str:
    """« Région wallonne 48 000 € · FEDER 5 000 € (recettes 24 000 €) »: the amounts of each funder, the largest first, and the revenue; empty
    when the budget names no funder and has no revenue line."""
    t = _t(fmt.lang)
    funders = " · ".join(f"{name} {fmt.money(amount)}" for name, amount in sorted(b.by_funder.items(), key=lambda x: (-x[1], x[0])))
    revenue = f"{t['revenue']} {fmt.money(b.revenue)}" if b.revenue else ""
    if funders and revenue:
        return f"{funders} ({revenue})"
    return funders or revenue


def objective_rows(rollup: Rollup, fmt: Formatter, depth: int | None) -> list[list[str]]:
    rows = []
    for r in _walk(rollup.objectives, depth):
        indent = "  " * (r.depth - 1)
        coverage = "" if r.known == r.total else f" ({r.known}/{r.total})"
        rows.append([
            f"{indent}{r.objective.id}",
            _cut(r.objective.title, 48 - len(indent)),
            f"{_bar(r.progress)} {fmt.pct(r.progress):>5}{coverage}",
            fmt.pct(r.expected),
            _counts(r, fmt.lang),
            _budget_text(r.budget, fmt),
            VERDICT[fmt.lang][r.verdict],
            r.verdict,
        ])
    return rows


def action_lines(rollup: Rollup, fmt: Formatter, due_days: int) -> list[Line]:
    t = _t(fmt.lang)
    plan = rollup.plan
    out: list[Line] = []
    def of(a: ActionResult | SubActionResult) -> str:  # a sub-action says whose it is
        return f" · {t['sub_action_of'].format(id=a.action.id)}" if isinstance(a, SubActionResult) else ""

    sections: list[tuple[str, Sequence[Any], Any, str]] = [
        (t["late"], rollup.late_items(), lambda a: f"{t['deadline']} {fmt.date(a.item.planned_end)}, {t['days_late'].format(n=a.days_late)}{of(a)}", "bold red"),
        (t["due"].format(days=due_days), rollup.due_items(due_days), lambda a: f"{t['deadline']} {fmt.date(a.item.planned_end)}, {t['in_days'].format(n=a.due_in)}{of(a)}", "yellow"),
        (t["stale"].format(days=plan.meta.settings.stale_after_days if plan.meta else 180), rollup.stale(),
         lambda a: t["never"] if a.stale_days is None else t["reviewed"].format(n=a.stale_days), "yellow"),
    ]
    no_owner = rollup.without_owner()
    if no_owner:  # shown only when some action lacks an owner
        sections.append((t["no_owner"], no_owner, lambda a: t["missing"], "yellow"))
    for title, items, detail, style in sections:
        out.append(("", ""))
        out.append(("bold", f"{title} ({len(items)})"))
        if not items:
            out.append(("dim", f"  {t['none']}"))
        for a in items:
            out.append((style, f"  {a.item.id:<8} {_cut(a.item.title, 60)}"))
            out.append(("", f"  {'':<8} {detail(a)} · {owners(plan, a.item)}"))
    return out


def _indicators(rollup: Rollup, filtered: bool) -> list[tuple[Any, Any]]:
    """Every indicator read as of the rollup's date; with a filter, those of the objectives and actions shown."""

    found = read_plan(rollup.plan, rollup).readings
    if not filtered:
        return found
    shown = {a.action.id for a in rollup.actions} | {r.objective.id for r in _walk(rollup.objectives, None)}
    return [(p, r) for p, r in found if p.where is not None and p.where in shown]


def indicator_lines(rollup: Rollup, fmt: Formatter, filtered: bool = False) -> list[Line]:
    """The « Indicateurs » block: how many on track, reached, behind; those behind; the measurements due."""

    found = _indicators(rollup, filtered)
    if not found:
        return []
    t = _t(fmt.lang)
    sep = t["colon"].format(label="", value="")
    counts: dict[str, int] = {}
    for _p, r in found:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    order = ("reached", "on_track", "behind", "no_recent", "unknown")
    said = " · ".join(f"{counts[v]} {words.VERDICT[fmt.lang][v]}" for v in order if counts.get(v))
    out: list[Line] = [("", ""), ("bold", f"{t['indicators']} ({len(found)}){sep}{said}")]
    width = max(8, *(len(p.key) for p, _r in found))

    def where(p: Any) -> str:
        return p.where or t["the_plan"]

    behind = [(p, r) for p, r in found if r.verdict == "behind"]
    due = sorted(((p, r) for p, r in found if r.due), key=lambda pr: (pr[1].next_due, pr[0].key))
    for title, items, style, detail in (
        (t["ind_behind"], behind, "yellow", lambda p, r: words.summary(r, fmt) + (f" ({words.verdict(r, fmt.lang)})" if r.past_target else "")),
        (t["ind_due"], due, "yellow", lambda p, r: words.due_text(r, fmt) + (
            " · " + t["last"].format(value=words.value(fmt, r.current.value, p.indicator) + " (" + fmt.date(r.current.date) + ")") if r.current else "")),
    ):
        out.append(("", ""))
        out.append(("bold", f"{title} ({len(items)})"))
        if not items:
            out.append(("dim", f"  {t['none']}"))
        for p, r in items:
            out.append((style, f"  {p.key:<{width}} {_cut(p.indicator.label, 60)}"))
            out.append(("", f"  {'':<{width}} {detail(p, r)} · {where(p)}"))
    return out


# The order in which the status table gives room to a narrow terminal (README, « Tableaux qui tiennent »),
# after titles are shortened: the bar (the percentage stays), the actions by status, the budget, the expected progress.
DROP_ORDER = ("bar", "actions", "budget", "expected")


def objective_table(rollup: Rollup, fmt: Formatter, depth: int | None, width: int | None) -> Table:
    """The table of objectives, fitted to ``width`` columns (``None``: every column)."""
    t = _t(fmt.lang)
    _ = translator(fmt.lang)
    rows = objective_rows(rollup, fmt, depth)
    head = [t["objective"], "", t["progress"], t["expected"].capitalize(), t["actions"], t["budget"], t["verdict"]]
    keys = ["id", "title", "progress", "expected", "actions", "budget", "verdict"]
    table = Table(head, [r[:7] for r in rows], title=1, styles=[VERDICT_STYLE[r[7]] for r in rows])
    names = {"bar": _("progress bar"), "actions": t["actions"], "budget": t["budget"], "expected": t["expected"].capitalize()}
    steps = [Step("progress", names["bar"], [r[2].split(" ", 1)[1].strip() for r in rows]) if k == "bar" else Step(k, names[k]) for k in DROP_ORDER]
    return fit(table, keys, width, steps)


def text_lines(rollups: Sequence[Rollup], fmt_of: Any, notices: Sequence[Sequence[str]], depth: int | None, filtered: str | None,
               width: int | None = None) -> list[Line]:
    """Plain lines (the terminal view adds colours); at most ``width`` columns wide unless ``None``."""
    out: list[Line] = []
    for rollup, notice in zip(rollups, notices, strict=True):
        fmt: Formatter = fmt_of(rollup)
        t = _t(fmt.lang)
        _ = translator(fmt.lang)
        out += wrap_lines(header_lines(rollup, fmt, notice), width)
        if filtered:
            out += wrap_lines([("dim", t["filtered"].format(what=filtered))], width)
        if not rollup.actions:
            out.append(("bold", t["no_match"] if filtered else t["no_actions"]))
            out.append(("", ""))
            continue
        out.append(("", ""))
        table = objective_table(rollup, fmt, depth, width)
        out += fit_lines(table.lines(), width)
        if table.dropped:
            out += wrap_lines([("dim", _("Left out to fit {width} columns: {columns} (--wide shows every column).").format(
                width=width, columns=", ".join(table.dropped)))], width)
        due = rollup.plan.meta.settings.due_soon_days if rollup.plan.meta else 30
        out += wrap_lines(action_lines(rollup, fmt, due), width)
        out += wrap_lines(indicator_lines(rollup, fmt, bool(filtered)), width)
        out.append(("", ""))
    if len(rollups) > 1:
        fmt = fmt_of(rollups[0])
        joint = combine(list(rollups))
        t = _t(fmt.lang)
        sep = t["colon"].format(label="", value="")
        out.append(("bold", t["joint"]))
        out += wrap_lines([("", f"{t['overall']}{sep}{fmt.pct(joint['progress'])} ({t['expected']} {fmt.pct(joint['expected'])}), {t['on'].format(known=joint['known'], n=joint['total'])}"),
                           ("", f"{t['budget']}{sep}{_budget_text(joint['budget'], fmt)} · {t['late']}{sep}{joint['late']}")], width)
    return out


def text(rollups: Sequence[Rollup], fmt_of: Any, notices: Sequence[Sequence[str]], depth: int | None = None, filtered: str | None = None) -> str:
    return "\n".join(line for _s, line in text_lines(rollups, fmt_of, notices, depth, filtered)).rstrip() + "\n"


# --- markdown ----------------------------------------------------------------------------


def _md(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").split())


def markdown(rollups: Sequence[Rollup], fmt_of: Any, notices: Sequence[Sequence[str]], depth: int | None = None, filtered: str | None = None,
             trends: Sequence[Any] | None = None) -> str:
    from feuille.views.trend import markdown_lines  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    out: list[str] = []
    for i, (rollup, notice) in enumerate(zip(rollups, notices, strict=True)):
        fmt: Formatter = fmt_of(rollup)
        t = _t(fmt.lang)
        head = header_lines(rollup, fmt, notice)
        if head:
            out.append(f"# {_md(head[0][1])}")
            out.append("")
            out += [f"{_md(line)}  " for _s, line in head[1:]]
            out.append("")
        if filtered:
            out += [f"*{_md(t['filtered'].format(what=filtered))}*", ""]
        out.append(f"| {t['number']} | {t['objective']} | {t['progress']} | {t['expected'].capitalize()} | {t['actions']} | {t['budget']} | {t['verdict']} |")
        out.append("|---|---|---:|---:|---|---:|---|")
        for row in objective_rows(rollup, fmt, depth):
            progress = row[2].split(" ", 1)[1].strip()
            out.append(f"| {_md(row[0].strip())} | {_md(row[1])} | {_md(progress)} | {row[3]} | {_md(row[4])} | {_md(row[5])} | {row[6]} |")
        due = rollup.plan.meta.settings.due_soon_days if rollup.plan.meta else 30
        for _style, line in action_lines(rollup, fmt, due) + indicator_lines(rollup, fmt, bool(filtered)):
            if not line:
                out.append("")
            elif not line.startswith("  "):
                out.append(f"## {_md(line)}")
                out.append("")
            elif line.startswith("  " + " " * 8):
                out[-1] += f" — {_md(line.strip())}"
            else:
                out.append(f"- {_md(line.strip())}")
        out.append("")
        if trends is not None:
            out += [*markdown_lines(trends[i], fmt), ""]
    return "\n".join(out).rstrip() + "\n"


# --- json and csv ---------------------------------------------------------------------------


def _num(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _budget_json(b: Budget) -> dict[str, Any]:
    return {
        "planned": _num(b.planned),
        "spent": _num(b.spent) if b.spent_known else None,
        "by_year": {str(y): _num(v) for y, v in sorted(b.by_year.items())},
        "by_source": {s: _num(v) for s, v in sorted(b.by_source.items())},
        "revenue": _num(b.revenue),
        "by_funder": {f: _num(v) for f, v in sorted(b.by_funder.items())},
    }


def _sub_json(s: SubActionResult) -> dict[str, Any]:
    x = s.sub
    return {
        "id": x.id, "title": x.title, "action": s.action.id, "status": x.status.value, "progress": _num(s.progress), "progress_source": s.source,
        "expected": _num(s.expected), "verdict": s.verdict, "planned_start": x.planned_start.isoformat() if x.planned_start else None,
        "planned_end": x.planned_end.isoformat() if x.planned_end else None, "political_owners": x.political_owners, "admin_owner": x.admin_owner,
        "days_late": s.days_late, "due_in_days": s.due_in,
    }


def _declared_json(d: Any) -> dict[str, Any] | None:
    return None if d is None else {"value": _num(d.value), "date": d.date.isoformat(), "source": d.source}


def _volet_json(v: VoletResult) -> dict[str, Any]:
    item = v.item
    return {
        "id": v.ident, "volet": v.key, "title": item.title if item is not None else None, "progress": _num(v.progress), "progress_from": v.progress_from,
        "declared": _declared_json(v.declared), "expected": _num(v.expected), "objectives": [t.objective.id for t in v.objectives],
        "political_owners": item.political_owners if item is not None else [], "admin_owner": item.admin_owner if item is not None else None,
        "service": item.service if item is not None else None, "own_budget": _budget_json(v.own_budget), "budget": _budget_json(v.budget),
    }


def _action_json(a: ActionResult) -> dict[str, Any]:
    x = a.action
    return {
        "id": x.id, "title": x.title, "objective": a.objective.id, "status": x.status.value,
        "progress": _num(a.progress), "progress_source": a.source, "expected": _num(a.expected), "verdict": a.verdict,
        "planned_start": x.planned_start.isoformat() if x.planned_start else None,
        "planned_end": x.planned_end.isoformat() if x.planned_end else None,
        "political_owners": x.political_owners, "admin_owner": x.admin_owner, "health": x.health.value,
        "days_late": a.days_late, "due_in_days": a.due_in, "days_since_review": a.stale_days, "stale": a.stale,
        "budget": _budget_json(a.budget), "sub_actions": [_sub_json(s) for s in a.subs],
    }


def _objective_json(r: ObjectiveResult, weather: dict[str, Any] | None = None) -> dict[str, Any]:

    return {
        "id": r.objective.id, "title": r.objective.title, "depth": r.depth, "progress": _num(r.progress), "expected": _num(r.expected),
        "verdict": r.verdict, "weather": _weather_json((weather or {}).get(r.objective.id)), "actions_known": r.known, "actions_counted": r.total,
        "late": r.late, "status_counts": dict(sorted(r.counts.items())), "budget": _budget_json(r.budget), "own_budget": _budget_json(r.own_budget),
        "progress_from": r.progress_from, "declared": _declared_json(r.declared), "declared_below": r.declared_below,
        "objectives": [_objective_json(c, weather) for c in r.children],
        "actions": [a.action.id for a in r.actions],
        "shared_actions": [{"id": a.action.id, "percent": pct} for a, pct in r.shared_in],
    }


def to_json(rollups: Sequence[Rollup], loaded: Sequence[Loaded], due_days: Sequence[int], trends: Sequence[Any] | None = None) -> str:
    plans = []

    for i, (rollup, x, due) in enumerate(zip(rollups, loaded, due_days, strict=True)):
        meta = rollup.plan.meta
        found = read_plan(rollup.plan, rollup)
        plans.append({
            "root": str(rollup.plan.root), "title": meta.title if meta else None,
            "organisations": [o.name for o in meta.organisations] if meta else [],
            "term": {"start": meta.term.start.isoformat(), "end": meta.term.end.isoformat(), "elapsed": _num(rollup.term_elapsed)} if meta else None,
            "lint_errors": x.errors, "left_out": left_out_json(x), "revision": rollup.plan.revision,
            "validation": rollup.plan.validation.as_dict() if rollup.plan.validation is not None else None,
            "progress": _num(rollup.progress), "expected": _num(rollup.expected), "actions_known": rollup.known, "actions_counted": rollup.total,
            "status_counts": dict(sorted(rollup.counts.items())), "budget": _budget_json(rollup.budget),
            "objectives": [_objective_json(r, found.weather) for r in rollup.objectives],
            "actions": [_action_json(a) for a in rollup.actions],
            "volets": [_volet_json(v) for v in rollup.volets], "objectives_declared": rollup.declared,
            "indicators": [indicator_json(p, r) for p, r in found.readings],  # views/indicators.py
            "late": [a.action.id for a in rollup.late()],
            "late_sub_actions": [s.sub.id for s in rollup.late_items() if isinstance(s, SubActionResult)],
            "due_soon": {"days": due, "actions": [a.action.id for a in rollup.due_within(due)],
                         "sub_actions": [s.sub.id for s in rollup.due_items(due) if isinstance(s, SubActionResult)]},
            "stale": [a.action.id for a in rollup.stale()],
            "without_owner": [a.action.id for a in rollup.without_owner()],
        })
        if trends is not None:
            plans[-1]["trend"] = trends[i].as_dict()
    doc: dict[str, Any] = {"version": 1, "as_of": rollups[0].as_of.isoformat() if rollups else None, "plans": plans}
    if len(rollups) > 1:
        joint = combine(list(rollups))
        doc["joint"] = {"progress": _num(joint["progress"]), "expected": _num(joint["expected"]), "actions_known": joint["known"],
                        "actions_counted": joint["total"], "late": joint["late"], "status_counts": dict(sorted(joint["counts"].items())),
                        "budget": _budget_json(joint["budget"])}
    return jsontext.dumps(doc) + "\n"


CSV_HEADER = (N_("Plan"), N_("Level"), N_("Id"), N_("Title"), N_("Parent"), N_("Status"), N_("Progress (%)"), N_("Progress from"),
              N_("Expected (%)"), N_("Verdict"), N_("Planned start"), N_("Planned end"), N_("Political owners"), N_("Administrative owner"),
              N_("Planned budget"), N_("Committed budget"))


def to_csv(rollups: Sequence[Rollup], lang: str) -> bytes:
    """One row per objective and per action, for a spreadsheet in ``lang`` (:mod:`feuille.views.csv_out`)."""
    from feuille.views import csv_out  # only for CSV (the csv module is not needed in a terminal)  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    _ = translator(lang)
    rows = []
    for rollup in rollups:
        plan = rollup.plan
        name = plan.meta.title if plan.meta else str(plan.root)
        for r in _walk(rollup.objectives, None):
            o = r.objective
            rows.append((name, csv_out.level_name(plan, r.depth, lang), o.id, o.title, "", "", _num(r.progress), SOURCE[lang]["children"], _num(r.expected),
                         VERDICT[lang][r.verdict], o.planned_start, o.planned_end, ", ".join(o.political_owners), o.admin_owner,
                         _num(r.budget.planned), _num(r.budget.spent) if r.budget.spent_known else None))
        for a in rollup.actions:
            x = a.action
            rows.append((name, csv_out.level_name(plan, None, lang), x.id, x.title, a.objective.id, STATUS[lang][x.status.value], _num(a.progress),
                         SOURCE[lang].get(a.source, a.source), _num(a.expected), VERDICT[lang][a.verdict], x.planned_start, x.planned_end,
                         ", ".join(x.political_owners), x.admin_owner, _num(a.budget.planned), _num(a.budget.spent) if a.budget.spent_known else None))
    return csv_out.to_csv([_(h) for h in CSV_HEADER], rows, lang)
