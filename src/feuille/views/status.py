"""``feuille status`` rendered from a :class:`~feuille.rollup.Rollup`: text, markdown, json, csv.

Each function returns a string (the text one returns styled lines for the
terminal); nothing here computes figures, the rollup does.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from feuille.compute.rollup import (
    ActionResult,
    Budget,
    ObjectiveResult,
    Rollup,
    combine,
)
from feuille.pipeline import Loaded
from feuille.views.format import Formatter
from feuille.views.labels import (  # noqa: F401  (re-exported for templates' helpers)
    STATUS,
    VERDICT,
    VERDICT_STYLE,
    Line,
    owners,
    status_count,
)
from feuille.views.history import revision_lines
from feuille.views.notice import left_out_json

FORMATS = ("text", "markdown", "json", "csv")

_T = {
    "fr": {"term": "Législature du {start} au {end} : {pct} du temps écoulé (au {as_of})", "overall": "Avancement global",
           "expected": "attendu", "on": "sur {known} des {total} actions", "budget": "Budget prévu", "spent": "engagé",
           "objective": "Objectif", "progress": "Avancement", "actions": "Actions", "verdict": "État", "late": "En retard",
           "due": "Échéance dans les {days} jours", "stale": "Non revues depuis plus de {days} jours", "none": "aucune",
           "no_actions": "Le plan ne contient encore aucune action.", "no_match": "Aucune action ne correspond aux filtres.",
           "deadline": "échéance", "days_late": "{n} j de retard", "in_days": "dans {n} j", "never": "jamais revue",
           "reviewed": "revue il y a {n} j", "joint": "Ensemble des plans", "filtered": "Filtre : {what}", "owners": "responsables",
           "no_owner": "Sans responsable politique ou administratif", "missing": "à compléter"},
    "en": {"term": "Term from {start} to {end}: {pct} elapsed (as of {as_of})", "overall": "Overall progress",
           "expected": "expected", "on": "on {known} of {total} actions", "budget": "Planned budget", "spent": "spent",
           "objective": "Objective", "progress": "Progress", "actions": "Actions", "verdict": "Verdict", "late": "Late",
           "due": "Due within {days} days", "stale": "Not reviewed for more than {days} days", "none": "none",
           "no_actions": "The plan has no action yet.", "no_match": "No action matches the filters.",
           "deadline": "due", "days_late": "{n} d late", "in_days": "in {n} d", "never": "never reviewed",
           "reviewed": "reviewed {n} d ago", "joint": "All plans together", "filtered": "Filter: {what}", "owners": "owners",
           "no_owner": "Without a political or administrative owner", "missing": "to fill in"},
}



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
        text += f" ({fmt.pct(b.used)} {_T[fmt.lang]['spent']})"
    return text


def _walk(results: Sequence[ObjectiveResult], depth: int | None):
    for r in results:
        if depth is not None and r.depth > depth:
            continue
        yield r
        yield from _walk(r.children, depth)


def header_lines(rollup: Rollup, fmt: Formatter, notice: Sequence[str] = ()) -> list[Line]:
    t = _T[fmt.lang]
    plan = rollup.plan
    out: list[Line] = []
    if plan.meta is not None:
        out.append(("bold", plan.meta.title))
        out.append(("", " · ".join(o.name for o in plan.meta.organisations)))
        out.append(("", t["term"].format(start=fmt.date(plan.meta.term.start), end=fmt.date(plan.meta.term.end), pct=fmt.pct(rollup.term_elapsed), as_of=fmt.date(rollup.as_of))))
    out += [("dim", line) for line in revision_lines(plan, fmt)]  # history: which commit (views/history.py)
    out += [("bold red", line) for line in notice]  # errors and missing parts, before any figure
    if rollup.total == 0 and not rollup.actions:
        return out
    out.append(("bold", f"{t['overall']} : {fmt.pct(rollup.progress)} ({t['expected']} {fmt.pct(rollup.expected)}), {t['on'].format(known=rollup.known, total=rollup.total)}"
                if fmt.lang == "fr" else f"{t['overall']}: {fmt.pct(rollup.progress)} ({t['expected']} {fmt.pct(rollup.expected)}), {t['on'].format(known=rollup.known, total=rollup.total)}"))
    sep = " : " if fmt.lang == "fr" else ": "
    out.append(("", f"{t['budget']}{sep}{_budget_text(rollup.budget, fmt)} · {_counts(rollup, fmt.lang)}"))
    return out


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
    t = _T[fmt.lang]
    plan = rollup.plan
    out: list[Line] = []
    sections = [
        (t["late"], rollup.late(), lambda a: f"{t['deadline']} {fmt.date(a.action.planned_end)}, {t['days_late'].format(n=a.days_late)}", "bold red"),
        (t["due"].format(days=due_days), rollup.due_within(due_days), lambda a: f"{t['deadline']} {fmt.date(a.action.planned_end)}, {t['in_days'].format(n=a.due_in)}", "yellow"),
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
            out.append((style, f"  {a.action.id:<8} {_cut(a.action.title, 60)}"))
            out.append(("", f"  {'':<8} {detail(a)} · {owners(plan, a.action)}"))
    return out


def text_lines(rollups: Sequence[Rollup], fmt_of: Any, notices: Sequence[Sequence[str]], depth: int | None, filtered: str | None) -> list[Line]:
    """Plain lines (the terminal view adds colours and a table)."""
    out: list[Line] = []
    for rollup, notice in zip(rollups, notices, strict=True):
        fmt: Formatter = fmt_of(rollup)
        t = _T[fmt.lang]
        out += header_lines(rollup, fmt, notice)
        if filtered:
            out.append(("dim", t["filtered"].format(what=filtered)))
        if not rollup.actions:
            out.append(("bold", t["no_match"] if filtered else t["no_actions"]))
            out.append(("", ""))
            continue
        out.append(("", ""))
        rows = objective_rows(rollup, fmt, depth)
        head = [t["objective"], "", t["progress"], t["expected"].capitalize(), t["actions"], t["budget"], t["verdict"]]
        widths = [max(len(str(x)) for x in col) for col in zip(head, *[r[:7] for r in rows], strict=False)]
        out.append(("bold", "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()))
        for row in rows:
            out.append((VERDICT_STYLE[row[7]], "  ".join(c.ljust(w) for c, w in zip(row[:7], widths, strict=True)).rstrip()))
        due = rollup.plan.meta.settings.due_soon_days if rollup.plan.meta else 30
        out += action_lines(rollup, fmt, due)
        out.append(("", ""))
    if len(rollups) > 1:
        fmt = fmt_of(rollups[0])
        joint = combine(list(rollups))
        t = _T[fmt.lang]
        sep = " : " if fmt.lang == "fr" else ": "
        out.append(("bold", t["joint"]))
        out.append(("", f"{t['overall']}{sep}{fmt.pct(joint['progress'])} ({t['expected']} {fmt.pct(joint['expected'])}), {t['on'].format(known=joint['known'], total=joint['total'])}"))
        out.append(("", f"{t['budget']}{sep}{_budget_text(joint['budget'], fmt)} · {t['late']}{sep}{joint['late']}"))
    return out


def text(rollups: Sequence[Rollup], fmt_of: Any, notices: Sequence[Sequence[str]], depth: int | None = None, filtered: str | None = None) -> str:
    return "\n".join(line for _s, line in text_lines(rollups, fmt_of, notices, depth, filtered)).rstrip() + "\n"


# --- markdown ----------------------------------------------------------------------------


def _md(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").split())


def markdown(rollups: Sequence[Rollup], fmt_of: Any, notices: Sequence[Sequence[str]], depth: int | None = None, filtered: str | None = None) -> str:
    out: list[str] = []
    for rollup, notice in zip(rollups, notices, strict=True):
        fmt: Formatter = fmt_of(rollup)
        t = _T[fmt.lang]
        head = header_lines(rollup, fmt, notice)
        if head:
            out.append(f"# {_md(head[0][1])}")
            out.append("")
            out += [f"{_md(line)}  " for _s, line in head[1:]]
            out.append("")
        if filtered:
            out += [f"*{_md(t['filtered'].format(what=filtered))}*", ""]
        out.append(f"| {t['objective']} | | {t['progress']} | {t['expected'].capitalize()} | {t['actions']} | {t['budget']} | {t['verdict']} |")
        out.append("|---|---|---:|---:|---|---:|---|")
        for row in objective_rows(rollup, fmt, depth):
            progress = row[2].split(" ", 1)[1].strip()
            out.append(f"| {_md(row[0].strip())} | {_md(row[1])} | {_md(progress)} | {row[3]} | {_md(row[4])} | {_md(row[5])} | {row[6]} |")
        due = rollup.plan.meta.settings.due_soon_days if rollup.plan.meta else 30
        for _style, line in action_lines(rollup, fmt, due):
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
        "budget": _budget_json(a.budget),
    }


def _objective_json(r: ObjectiveResult) -> dict[str, Any]:
    return {
        "id": r.objective.id, "title": r.objective.title, "depth": r.depth, "progress": _num(r.progress), "expected": _num(r.expected),
        "verdict": r.verdict, "actions_known": r.known, "actions_counted": r.total, "late": r.late,
        "status_counts": dict(sorted(r.counts.items())), "budget": _budget_json(r.budget),
        "objectives": [_objective_json(c) for c in r.children],
        "actions": [a.action.id for a in r.actions],
        "shared_actions": [{"id": a.action.id, "percent": pct} for a, pct in r.shared_in],
    }


def to_json(rollups: Sequence[Rollup], loaded: Sequence[Loaded], due_days: Sequence[int]) -> str:
    plans = []
    for rollup, x, due in zip(rollups, loaded, due_days, strict=True):
        meta = rollup.plan.meta
        plans.append({
            "root": str(rollup.plan.root), "title": meta.title if meta else None,
            "organisations": [o.name for o in meta.organisations] if meta else [],
            "term": {"start": meta.term.start.isoformat(), "end": meta.term.end.isoformat(), "elapsed": _num(rollup.term_elapsed)} if meta else None,
            "lint_errors": x.errors, "left_out": left_out_json(x), "revision": rollup.plan.revision,
            "progress": _num(rollup.progress), "expected": _num(rollup.expected), "actions_known": rollup.known, "actions_counted": rollup.total,
            "status_counts": dict(sorted(rollup.counts.items())), "budget": _budget_json(rollup.budget),
            "objectives": [_objective_json(r) for r in rollup.objectives],
            "actions": [_action_json(a) for a in rollup.actions],
            "late": [a.action.id for a in rollup.late()],
            "due_soon": {"days": due, "actions": [a.action.id for a in rollup.due_within(due)]},
            "stale": [a.action.id for a in rollup.stale()],
            "without_owner": [a.action.id for a in rollup.without_owner()],
        })
    doc: dict[str, Any] = {"version": 1, "as_of": rollups[0].as_of.isoformat() if rollups else None, "plans": plans}
    if len(rollups) > 1:
        joint = combine(list(rollups))
        doc["joint"] = {"progress": _num(joint["progress"]), "expected": _num(joint["expected"]), "actions_known": joint["known"],
                        "actions_counted": joint["total"], "late": joint["late"], "status_counts": dict(sorted(joint["counts"].items())),
                        "budget": _budget_json(joint["budget"])}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rollups: Sequence[Rollup]) -> str:
    """One row per objective and per action; ';' separated for spreadsheet users."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(["plan", "level", "id", "title", "parent", "status", "progress", "progress_source", "expected", "verdict",
                     "planned_start", "planned_end", "political_owners", "admin_owner", "budget_planned", "budget_spent"])
    for rollup in rollups:
        root = str(rollup.plan.root)
        for r in _walk(rollup.objectives, None):
            writer.writerow([_cell(v) for v in (root, f"objective{r.depth}", r.objective.id, r.objective.title, "", "", _num(r.progress), "children",
                                                  _num(r.expected), r.verdict, r.objective.planned_start, r.objective.planned_end,
                                                  ",".join(r.objective.political_owners), r.objective.admin_owner, _num(r.budget.planned),
                                                  _num(r.budget.spent) if r.budget.spent_known else None)])
        for a in rollup.actions:
            x = a.action
            writer.writerow([_cell(v) for v in (root, "action", x.id, x.title, a.objective.id, x.status.value, _num(a.progress), a.source,
                                                  _num(a.expected), a.verdict, x.planned_start, x.planned_end, ",".join(x.political_owners),
                                                  x.admin_owner, _num(a.budget.planned), _num(a.budget.spent) if a.budget.spent_known else None)])
    return buf.getvalue()

