"""``feuille show ID``: one objective or action, with how its figures were computed."""

from __future__ import annotations

import datetime as dt

from feuille.compute.rollup import ActionResult, ObjectiveResult, Rollup
from feuille.core.model import Action, Objective
from feuille.core.plan import Plan
from feuille.views.format import Formatter
from feuille.views.labels import HEALTH, SOURCE, STATUS, VERDICT, VOLET, Line, owners

_L = {
    "fr": {"objective": "Objectif", "action": "Action", "file": "Fichier", "owners": "Responsables (politique / administratif)",
           "service": "Service", "involved": "Intervenants", "partners": "Partenaires", "planned": "Prévu", "actual": "Effectif",
           "status": "Statut", "health": "Santé", "progress": "Avancement", "expected": "Attendu", "verdict": "État",
           "achieved": "Réalisé", "remaining": "Reste à faire", "budget": "Budget", "indicators": "Indicateurs", "scores": "Enjeu / urgence / retour",
           "children": "Contenu", "reviewed": "Dernière revue", "from": "du", "to": "au", "weights": "pondération", "elapsed": "temps écoulé entre le début et la fin prévus",
           "mean": "moyenne de", "of": "sur", "known": "connues", "tags": "Tags", "shared": "Partagée avec", "description": "Description",
           "notes": "Notes", "spent": "engagé", "year": "exercice", "source": "source", "target": "cible", "baseline": "départ",
           "serves_here": "actions d'autres objectifs qui servent celui-ci", "no_progress": "inconnu : ni avancement, ni indicateur mesuré, ni statut qui le donne"},
    "en": {"objective": "Objective", "action": "Action", "file": "File", "owners": "Owners (political / administrative)",
           "service": "Service", "involved": "Involved", "partners": "Partners", "planned": "Planned", "actual": "Actual",
           "status": "Status", "health": "Health", "progress": "Progress", "expected": "Expected", "verdict": "Verdict",
           "achieved": "Achieved", "remaining": "Remaining", "budget": "Budget", "indicators": "Indicators", "scores": "Stake / urgency / ROI",
           "children": "Contents", "reviewed": "Last reviewed", "from": "from", "to": "to", "weights": "weights", "elapsed": "time elapsed between planned start and end",
           "mean": "mean of", "of": "of", "known": "known", "tags": "Tags", "shared": "Shared with", "description": "Description",
           "notes": "Notes", "spent": "spent", "year": "year", "source": "source", "target": "target", "baseline": "baseline",
           "serves_here": "actions of other objectives serving this one", "no_progress": "unknown: no progress, no measured indicator, no status implying it"},
}


class ShowError(LookupError):
    pass


def _find(results: list[ObjectiveResult], ident: str) -> ObjectiveResult | ActionResult | None:
    stack = list(results)
    while stack:
        r = stack.pop()
        if r.objective.id == ident:
            return r
        for a in r.actions:
            if a.action.id == ident:
                return a
        stack.extend(r.children)
    return None


def lines(plan: Plan, rollup: Rollup, ident: str, fmt: Formatter) -> list[Line]:
    found = _find(rollup.objectives, ident)
    if found is None:
        raise ShowError(ident)
    if isinstance(found, ActionResult):
        return _action(plan, found, fmt, rollup.as_of)
    return _objective(plan, found, fmt, rollup)


def _kv(label: str, value: object, lang: str) -> Line:
    return ("", f"  {label}{' :' if lang == 'fr' else ':'} {value}")


def _common(plan: Plan, item: Action | Objective, fmt: Formatter, kind: str) -> list[Line]:
    t = _L[fmt.lang]
    rel, _path = plan.origin(item)
    out: list[Line] = [("bold", f"{t[kind]} {item.id} — {item.title}"), _kv(t["file"], plan.display_path(rel), fmt.lang)]
    if item.description:
        out.append(_kv(t["description"], " ".join(item.description.split()), fmt.lang))
    pol = ", ".join(plan.people[p].name if p in plan.people else p for p in item.political_owners) or "–"
    adm = plan.people[item.admin_owner].name if item.admin_owner in plan.people else (item.admin_owner or "–")
    out.append(_kv(t["owners"], f"{pol} / {adm}", fmt.lang))
    if item.service:
        out.append(_kv(t["service"], plan.services[item.service].name if item.service in plan.services else item.service, fmt.lang))
    if item.planned_start or item.planned_end:
        out.append(_kv(t["planned"], f"{t['from']} {fmt.date(item.planned_start)} {t['to']} {fmt.date(item.planned_end)}", fmt.lang))
    if item.reschedules:  # deadlines moved (feuille update --planned-end ... --reason ...)
        out.append(("bold", "  Glissements" if fmt.lang == "fr" else "  Deadline moves"))
        for m in item.reschedules:
            out.append(("", f"    {fmt.date(m.date)} : {fmt.date(m.from_)} → {fmt.date(m.to)} — {m.reason}" if fmt.lang == "fr"
                            else f"    {fmt.date(m.date)}: {fmt.date(m.from_)} → {fmt.date(m.to)} — {m.reason}"))
    if any(v is not None for v in (item.stake, item.urgency, item.roi)):
        out.append(_kv(t["scores"], " / ".join("–" if v is None else str(v) for v in (item.stake, item.urgency, item.roi)), fmt.lang))
    tags = [*item.tags, *item.territories, *(f"ODD {n}" for n in item.sdgs)] + ([VOLET[fmt.lang][item.volet.value]] if item.volet else [])
    if tags:
        out.append(_kv(t["tags"], ", ".join(tags), fmt.lang))
    return out


def _action(plan: Plan, r: ActionResult, fmt: Formatter, as_of: dt.date) -> list[Line]:
    t = _L[fmt.lang]
    a = r.action
    out = _common(plan, a, fmt, "action")
    if a.involved:
        out.append(_kv(t["involved"], ", ".join(plan.people[p].name if p in plan.people else p for p in a.involved), fmt.lang))
    if a.partners:
        out.append(_kv(t["partners"], ", ".join(a.partners), fmt.lang))
    if a.actual_start or a.actual_end:
        out.append(_kv(t["actual"], f"{t['from']} {fmt.date(a.actual_start)} {t['to']} {fmt.date(a.actual_end)}", fmt.lang))
    out.append(_kv(t["status"], STATUS[fmt.lang][a.status.value], fmt.lang))
    health = HEALTH[fmt.lang][a.health.value] + (f" — {a.health_note}" if a.health_note else "")
    out.append(_kv(t["health"], health, fmt.lang))
    out.append(("bold", _kv(t["progress"], f"{fmt.pct(r.progress)} ({_explain_action(r, fmt, as_of)})", fmt.lang)[1]))
    if r.expected is not None:
        out.append(_kv(t["expected"], f"{fmt.pct(r.expected)} ({t['elapsed']})", fmt.lang))
    out.append(_kv(t["verdict"], VERDICT[fmt.lang][r.verdict], fmt.lang))
    for key in ("achieved", "remaining", "notes"):
        value = getattr(a, key)
        if value:
            out.append(_kv(t[key], " ".join(value.split()), fmt.lang))
    if a.serves:
        out.append(_kv(t["shared"], ", ".join(f"{s.objective} ({fmt.pct(s.percent)})" for s in a.serves), fmt.lang))
    if a.budget:
        out.append(("bold", f"  {t['budget']}"))
        for line in a.budget:
            spent = f", {t['spent']} {fmt.money(line.spent, cents=True)}" if line.spent is not None else ""
            extra = f" — {line.note}" if line.note else ""
            article = f", {line.article}" if line.article else ""
            out.append(("", f"    {line.year} · {fmt.money(line.amount, cents=True)} · {line.source or '?'} · {line.service.value}{article}{spent}{extra}"))
    if a.indicators:
        out.append(("bold", f"  {t['indicators']}"))
        for ind in a.indicators:
            unit = f" {ind.unit}" if ind.unit else ""
            out.append(("", f"    {ind.label} — {t['baseline']} {fmt.number(ind.baseline, 2)}{unit}, {t['target']} {fmt.number(ind.target, 2)}{unit}"
                            f" ({ind.direction.value}, {fmt.date(ind.target_date)})"))
            for m in sorted(ind.measurements, key=lambda m: m.date):
                out.append(("", f"      {fmt.date(m.date)} : {fmt.number(m.value, 2)}{unit}" if fmt.lang == "fr" else f"      {fmt.date(m.date)}: {fmt.number(m.value, 2)}{unit}"))
    if a.last_reviewed:
        out.append(_kv(t["reviewed"], fmt.date(a.last_reviewed), fmt.lang))
    return out


def _explain_action(r: ActionResult, fmt: Formatter, as_of: dt.date) -> str:
    t = _L[fmt.lang]
    if r.source == "unknown":
        return t["no_progress"]
    text = SOURCE[fmt.lang][r.source]
    if r.source == "indicators":
        parts = []
        for ind in r.action.indicators:
            dated = [m for m in ind.measurements if m.date <= as_of]
            if ind.baseline is None or ind.target is None or ind.target == ind.baseline or not dated:
                continue
            current = max(dated, key=lambda m: m.date).value
            parts.append(f"{ind.label} : ({fmt.number(current, 2)} − {fmt.number(ind.baseline, 2)}) / ({fmt.number(ind.target, 2)} − {fmt.number(ind.baseline, 2)})")
        text += " : " + " ; ".join(parts)
    elif r.source == "status":
        text += f" « {r.action.status.value} »"
    return text


def _objective(plan: Plan, r: ObjectiveResult, fmt: Formatter, rollup: Rollup) -> list[Line]:
    t = _L[fmt.lang]
    out = _common(plan, r.objective, fmt, "objective")
    weighting = plan.meta.settings.rollup_weights if plan.meta else "equal"
    n_children = len(r.children) + len([a for a in r.actions if a.verdict != "cancelled"]) + len(r.shared_in)
    out.append(("bold", _kv(t["progress"], f"{fmt.pct(r.progress)} ({t['mean']} {n_children}, {t['weights']} {weighting} ; "
                                             f"{r.known} {t['of']} {r.total} actions {t['known']})", fmt.lang)[1]))
    if r.expected is not None:
        out.append(_kv(t["expected"], fmt.pct(r.expected), fmt.lang))
    out.append(_kv(t["verdict"], VERDICT[fmt.lang][r.verdict], fmt.lang))
    out.append(_kv(t["budget"], f"{fmt.money(r.budget.planned)}" + (f", {t['spent']} {fmt.money(r.budget.spent)}" if r.budget.spent_known else ""), fmt.lang))
    out.append(("bold", f"  {t['children']}"))
    for c in r.children:
        out.append(("", f"    {c.objective.id:<8} {fmt.pct(c.progress):>5}  {VERDICT[fmt.lang][c.verdict]:<14} {c.objective.title}"))
    for a in r.actions:
        out.append(("", f"    {a.action.id:<8} {fmt.pct(a.progress):>5}  {VERDICT[fmt.lang][a.verdict]:<14} {a.action.title}  ({SOURCE[fmt.lang][a.source]}; {owners(plan, a.action)})"))
    for a, pct in r.shared_in:
        out.append(("", f"    {a.action.id:<8} {fmt.pct(a.progress):>5}  {VERDICT[fmt.lang][a.verdict]:<14} {a.action.title}  [{t['serves_here']}, {fmt.pct(pct)}]"))
    return out
