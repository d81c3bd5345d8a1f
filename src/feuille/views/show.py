"""``feuille show ID``: one objective or action, with how its figures were computed.

The fields are named and placed as the field registry says (:mod:`feuille.core.fields`: each field's
heading and its ``show`` section, declared in core/model.py).  Sections that gather several fields
(owners, the planned and actual periods, scores, tags) or figures (progress, budget) are laid out
here; a field in the ``facts`` or ``texts`` section is shown on its own line with its heading, so a
new field shows with no change here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from feuille.compute.indicators import latest, progress_of, read, read_plan, start_of
from feuille.compute.rollup import ActionResult, Budget, ObjectiveResult, Rollup, SubActionResult, VoletResult
from feuille.core.errors import UserError
from feuille.core.fields import of, words_of
from feuille.core.i18n import NC_, Words, msg, plural_translator, translator
from feuille.core.model import Action, BudgetLine, BudgetService, Objective, SubAction
from feuille.core.plan import Plan
from feuille.core.registry import table
from feuille.views.assessment import action_assessment, objective_assessment
from feuille.views.format import Formatter
from feuille.views.indicators import item_lines, show_lines, weather_lines
from feuille.views.labels import HEALTH, SOURCE, STATUS, VERDICT, VOLET, WEIGHTING, Line, field_text, owners

_L = Words({
    'objective': NC_('show', 'Objective'),
    'action': NC_('show', 'Action'),
    'sub_action': NC_('show', 'Sub-action'),
    'volet': NC_('show', 'Strand'),
    'of_action': NC_('show', 'Part of the action'),
    'funding': NC_('show', 'Funding'),
    'revenue': NC_('show', 'Revenue'),
    'declared': NC_('show', 'Declared progress'),
    'file': NC_('show', 'File'),
    'owners': NC_('show', 'Owners (political / administrative)'),
    'planned': NC_('show', 'Planned'),
    'actual': NC_('show', 'Actual'),
    'expected': NC_('show', 'Expected'),
    'verdict': NC_('show', 'Verdict'),
    'assessment': NC_('show', 'In short'),
    'scores': NC_('show', 'Stake / urgency / ROI'),
    'children': NC_('show', 'Contents'),
    'elapsed': NC_('show', 'time elapsed between planned start and end'),
    'tags': NC_('show', 'Tags'),
    'shared': NC_('show', 'Shared with'),
    'spent': NC_('show', 'spent'),
    'year': NC_('show', 'year'),
    'source': NC_('show', 'source'),
    'target': NC_('show', 'target'),
    'baseline': NC_('show', 'baseline'),
    'serves_here': NC_('show', 'actions of other objectives serving this one'),
    'no_progress': NC_('show', 'unknown: no progress, no measured indicator, no status implying it'),
})


class ShowError(UserError, LookupError):
    """No objective nor action of that id in the plan (``feuille show`` then looks in the next plan)."""

    code = "show"

    def __init__(self, ident: str, where: str) -> None:
        super().__init__(msg("no objective or action '{id}' in {where}.", id=ident, where=where))
        self.ident = ident


def _find(rollup: Rollup, ident: str) -> ObjectiveResult | ActionResult | SubActionResult | VoletResult | None:
    stack = list(rollup.objectives)
    while stack:
        r = stack.pop()
        if r.objective.id == ident:
            return r
        for a in r.actions:
            if a.action.id == ident:
                return a
            for sub in a.subs:
                if sub.sub.id == ident:
                    return sub
        stack.extend(r.children)
    return next((v for v in rollup.volets if v.ident == ident), None)


def lines(plan: Plan, rollup: Rollup, ident: str, fmt: Formatter) -> list[Line]:

    found = _find(rollup, ident)
    if found is None:
        named = plan.find_indicators(ident)  # an indicator, by id or label (views/indicators.py)
        if len(named) != 1:
            raise ShowError(ident, str(plan.root))

        return show_lines(plan, named[0], read(named[0].indicator, rollup.as_of, start_of(plan)), fmt)
    readings = read_plan(plan, rollup)
    if isinstance(found, ActionResult):
        return _action(plan, found, fmt, rollup.as_of, readings)
    if isinstance(found, SubActionResult):
        return _sub_action(plan, found, fmt)
    if isinstance(found, VoletResult):
        return _volet(plan, found, fmt, readings)
    return _objective(plan, found, fmt, rollup, readings)


def _kv(label: str, value: object, lang: str) -> Line:
    _ = translator(lang)
    return ("", "  " + _("{label}: {value}").format(label=label, value=value))


def _lines(plan: Plan, item: object, section: str, fmt: Formatter) -> list[Line]:
    """The fields of a generic section (``facts``, ``texts``), one line each with its heading, those that are set."""
    out = []
    for f in of(type(item)).section(section):
        value = getattr(item, f.name)
        if value not in (None, "", []):
            out.append(_kv(f.heading(fmt.lang), field_text(plan, f, value, fmt), fmt.lang))
    return out


def _common(plan: Plan, item: Action | Objective, fmt: Formatter, kind: str) -> list[Line]:
    t, h = _L[fmt.lang], table("heading")[fmt.lang]
    _ = translator(fmt.lang)
    rel, _path = plan.origin(item)
    out: list[Line] = [("bold", f"{t[kind]} {item.id} — {item.title}"), _kv(t["file"], plan.display_path(rel), fmt.lang)]
    if item.description:
        out.append(_kv(h["description"], " ".join(item.description.split()), fmt.lang))
    unset = fmt.period(None, None)  # « non renseigné », never a dash
    pol = ", ".join(plan.people[p].name if p in plan.people else p for p in item.political_owners) or unset
    adm = plan.people[item.admin_owner].name if item.admin_owner in plan.people else (item.admin_owner or unset)
    out.append(_kv(t["owners"], f"{pol} / {adm}", fmt.lang))
    if item.service:
        out.append(_kv(h["service"], plan.services[item.service].name if item.service in plan.services else item.service, fmt.lang))
    if item.planned_start or item.planned_end:
        out.append(_kv(t["planned"], fmt.period(item.planned_start, item.planned_end), fmt.lang))
    out += _moves(item, fmt)
    if any(v is not None for v in (item.stake, item.urgency, item.roi)):
        out.append(_kv(t["scores"], " / ".join("–" if v is None else str(v) for v in (item.stake, item.urgency, item.roi)), fmt.lang))
    tags = [*item.tags, *item.territories, *(_("SDG {n}").format(n=n) for n in item.sdgs)] + ([VOLET[fmt.lang][item.volet.value]] if item.volet else [])
    if tags:
        out.append(_kv(t["tags"], ", ".join(tags), fmt.lang))
    return out + _lines(plan, item, "facts", fmt)


def _moves(item: Action | Objective | SubAction, fmt: Formatter) -> list[Line]:
    """Its deadline moves (feuille update --planned-end ... --reason ...), one line each: when, from, to, why."""
    if not item.reschedules:
        return []
    _ = translator(fmt.lang)
    out: list[Line] = [("bold", "  " + table("heading")[fmt.lang]["reschedules"])]
    for m in item.reschedules:
        out.append(("", "    " + _("{date}: {old} → {new} — {reason}").format(date=fmt.date(m.date), old=fmt.date(m.from_), new=fmt.date(m.to), reason=m.reason)))
    return out


def _action(plan: Plan, r: ActionResult, fmt: Formatter, as_of: dt.date, readings: Any = None) -> list[Line]:
    t, h = _L[fmt.lang], table("heading")[fmt.lang]
    _ = translator(fmt.lang)
    a = r.action
    out = _common(plan, a, fmt, "action")
    if a.actual_start or a.actual_end:
        out.append(_kv(t["actual"], fmt.period(a.actual_start, a.actual_end), fmt.lang))
    out.append(_kv(h["status"], STATUS[fmt.lang][a.status.value], fmt.lang))
    health = HEALTH[fmt.lang][a.health.value] + (f" — {a.health_note}" if a.health_note else "")
    out.append(_kv(h["health"], health, fmt.lang))
    out.append(("bold", _kv(h["progress"], f"{fmt.pct(r.progress)} ({_explain_action(plan, r, fmt, as_of)})", fmt.lang)[1]))
    if r.expected is not None:
        out.append(_kv(t["expected"], f"{fmt.pct(r.expected)} ({t['elapsed']})", fmt.lang))
    out.append(_kv(t["verdict"], VERDICT[fmt.lang][r.verdict], fmt.lang))
    out.append(_kv(t["assessment"], action_assessment(r, fmt, editors=True), fmt.lang))
    out += _lines(plan, a, "texts", fmt)
    if r.subs:
        out.append(("bold", f"  {h['sub_actions']}"))
        out += [("", "    " + _sub_row(plan, sub, fmt)) for sub in r.subs]
    if a.serves:
        out.append(_kv(t["shared"], ", ".join(f"{s.objective} ({fmt.pct(s.percent)})" for s in a.serves), fmt.lang))
    if a.budget:
        out.append(("bold", f"  {h['budget']}"))
        out += _budget_lines(plan, a.budget, fmt)
        out += _funding(r.budget, fmt)
    if readings is not None:

        out += item_lines(plan, readings.of_item.get(a.id, []), fmt)
    if a.last_reviewed:
        out.append(_kv(h["last_reviewed"], fmt.date(a.last_reviewed), fmt.lang))
    return out


def _explain_action(plan: Plan, r: ActionResult, fmt: Formatter, as_of: dt.date) -> str:
    t = _L[fmt.lang]
    if r.source == "unknown":
        return t["no_progress"]
    text = SOURCE[fmt.lang][r.source]
    _ = translator(fmt.lang)
    if r.source == "indicators":

        parts = []
        for ind in plan.indicators_of(r.action):
            current = latest(ind, as_of)
            progress = progress_of(ind, current.value if current is not None else None)[0]
            if progress is None or current is None:
                continue
            if ind.direction.value == "range":
                parts.append(_("{label}: {value}").format(label=ind.label, value=fmt.pct(progress)))
                continue
            parts.append(_("{label}: {value}").format(
                label=ind.label, value=f"({fmt.number(current.value, 2)} − {fmt.number(ind.baseline, 2)}) / ({fmt.number(ind.target, 2)} − {fmt.number(ind.baseline, 2)})"))
        text = _("{label}: {value}").format(label=text, value=_("; ").join(parts))
    elif r.source == "status":
        text += " " + _("'{value}'").format(value=STATUS[fmt.lang][r.action.status.value])
    elif r.source == "sub_actions":
        n_ = plural_translator(fmt.lang)
        text += _("; ") + n_("{known} of {total} known", "{known} of {total} known", r.subs_counted).format(known=r.subs_known, total=r.subs_counted)
    return text


def _sub_row(plan: Plan, r: SubActionResult, fmt: Formatter) -> str:
    """One line for a sub-action under its action: its id, progress, verdict, title, where its progress comes from, its owners."""
    _ = translator(fmt.lang)
    return (f"{r.sub.id:<8} {fmt.pct(r.progress):>5}  {VERDICT[fmt.lang][r.verdict]:<14} {r.sub.title}  "
            f"({SOURCE[fmt.lang][r.source]}{_('; ')}{owners(plan, r.sub)})")


def _sub_action(plan: Plan, r: SubActionResult, fmt: Formatter) -> list[Line]:
    """A sub-action: its fields, its progress and verdict, and the action it belongs to."""
    t, h = _L[fmt.lang], table("heading")[fmt.lang]
    _ = translator(fmt.lang)
    sub = r.sub
    rel, _path = plan.origin(sub)
    out: list[Line] = [("bold", f"{t['sub_action']} {sub.id} — {sub.title}"), _kv(t["file"], plan.display_path(rel), fmt.lang),
                       _kv(t["of_action"], f"{r.action.id} — {r.action.title}", fmt.lang)]
    unset = fmt.period(None, None)
    pol = ", ".join(plan.people[p].name if p in plan.people else p for p in sub.political_owners) or unset
    adm = plan.people[sub.admin_owner].name if sub.admin_owner in plan.people else (sub.admin_owner or unset)
    out.append(_kv(t["owners"], f"{pol} / {adm}", fmt.lang))
    if sub.planned_start or sub.planned_end:
        out.append(_kv(t["planned"], fmt.period(sub.planned_start, sub.planned_end), fmt.lang))
    out += _moves(sub, fmt)
    if sub.actual_start or sub.actual_end:
        out.append(_kv(t["actual"], fmt.period(sub.actual_start, sub.actual_end), fmt.lang))
    out.append(_kv(h["status"], STATUS[fmt.lang][sub.status.value], fmt.lang))
    how = t["no_progress"] if r.source == "unknown" else SOURCE[fmt.lang][r.source]
    if r.source == "status":
        how += " " + _("'{value}'").format(value=STATUS[fmt.lang][sub.status.value])
    out.append(("bold", _kv(h["progress"], f"{fmt.pct(r.progress)} ({how})", fmt.lang)[1]))
    if r.expected is not None:
        out.append(_kv(t["expected"], f"{fmt.pct(r.expected)} ({t['elapsed']})", fmt.lang))
    out.append(_kv(t["verdict"], VERDICT[fmt.lang][r.verdict], fmt.lang))
    return out + _lines(plan, sub, "texts", fmt)


def _budget_lines(plan: Plan, lines: list[BudgetLine], fmt: Formatter) -> list[Line]:
    """Each budget line on its own row (year, amount, source, service, article, what is spent, its note), then its other
    fields (the registry's facts of budget lines: its type, its funders...)."""
    t = _L[fmt.lang]
    out = []
    for line in lines:
        spent = f", {t['spent']} {fmt.money(line.spent, cents=True)}" if line.spent is not None else ""
        extra = f" — {line.note}" if line.note else ""
        article = f", {line.article}" if line.article else ""
        out.append(("", f"    {line.year} · {fmt.money(line.amount, cents=True)} · {line.source or '?'} · {words_of(BudgetService).word(line.service, fmt.lang)}{article}{spent}{extra}"))
        out += [("", "  " + text) for _s, text in _lines(plan, line, "facts", fmt)]
    return out


def _funding(b: Budget, fmt: Formatter) -> list[Line]:
    """The revenues and the amounts of each funder (the largest first), when the budget names any."""
    t = _L[fmt.lang]
    out = []
    if b.revenue:
        out.append(_kv(t["revenue"], fmt.money(b.revenue), fmt.lang))
    if b.by_funder:
        _ = translator(fmt.lang)
        funders = sorted(b.by_funder.items(), key=lambda x: (-x[1], x[0]))
        out.append(_kv(t["funding"], _("; ").join(f"{name} {fmt.money(amount)}" for name, amount in funders), fmt.lang))
    return out


def _budget_total(r: ObjectiveResult | VoletResult, fmt: Formatter, below: str) -> str:
    """« 65 000 € (25 000 € of its own, 40 000 € from below), spent … »."""
    t = _L[fmt.lang]
    _ = translator(fmt.lang)
    text = fmt.money(r.budget.planned)
    if r.own_budget.planned:
        text += " " + _("({own} of its own, {below} from {what})").format(
            own=fmt.money(r.own_budget.planned), below=fmt.money(r.budget.planned - r.own_budget.planned), what=below)
    if r.budget.spent_known:
        text += f", {t['spent']} {fmt.money(r.budget.spent)}"
    return text


def _declared(r: ObjectiveResult | VoletResult, fmt: Formatter) -> str:
    """« 30 % (declared on 30 June 2026, Rapport au Collège) »."""
    _ = translator(fmt.lang)
    assert r.declared is not None
    said = _("declared on {date}").format(date=fmt.date(r.declared.date))
    if r.declared.source:
        said += f", {r.declared.source}"
    return f"{fmt.pct(r.declared.value)} ({said})"


def _progress_line(r: ObjectiveResult | VoletResult, how: str, fmt: Formatter) -> list[Line]:
    """The progress of an objective or a strand, said computed or declared, and the declaration not used, to compare."""
    t, h = _L[fmt.lang], table("heading")[fmt.lang]
    _ = translator(fmt.lang)
    n_ = plural_translator(fmt.lang)
    if r.progress_from == "declared":
        return [("bold", _kv(h["progress"], _declared(r, fmt) + " — " + _("nothing below it has a progress"), fmt.lang)[1])]
    if r.declared_below:
        how += _("; ") + n_("including {n} objective whose progress is declared", "including {n} objectives whose progress is declared",
                            r.declared_below).format(n=r.declared_below)
    out: list[Line] = [("bold", _kv(h["progress"], f"{fmt.pct(r.progress)} ({how})", fmt.lang)[1])]
    if r.declared is not None:
        out.append(_kv(t["declared"], _declared(r, fmt) + " — " + _("not used: computed from what is below it"), fmt.lang))
    return out


def _volet(plan: Plan, r: VoletResult, fmt: Formatter, readings: Any = None) -> list[Line]:
    """A strand of the PST: what plan.yaml says of it, the progress and budget of its objectives."""
    t, h = _L[fmt.lang], table("heading")[fmt.lang]
    _ = translator(fmt.lang)
    n_ = plural_translator(fmt.lang)
    item = r.item
    title = (item.title if item is not None else None) or _("Strand {name}").format(name=VOLET[fmt.lang][r.key])
    out: list[Line] = [("bold", f"{t['volet']} {r.ident} — {title}")]
    if item is not None:
        out.append(_kv(t["file"], plan.display_path(plan.origin(item)[0]), fmt.lang))
        if item.description:
            out.append(_kv(h["description"], " ".join(item.description.split()), fmt.lang))
        unset = fmt.period(None, None)
        pol = ", ".join(plan.people[p].name if p in plan.people else p for p in item.political_owners) or unset
        adm = plan.people[item.admin_owner].name if item.admin_owner in plan.people else (item.admin_owner or unset)
        out.append(_kv(t["owners"], f"{pol} / {adm}", fmt.lang))
        if item.service:
            out.append(_kv(h["service"], plan.services[item.service].name if item.service in plan.services else item.service, fmt.lang))
    how = n_("mean of its {n} objective", "mean of its {n} objectives", len(r.objectives)).format(n=len(r.objectives))
    out += _progress_line(r, how, fmt)
    if r.expected is not None:
        out.append(_kv(t["expected"], fmt.pct(r.expected), fmt.lang))
    out.append(_kv(h["budget"], _budget_total(r, fmt, _("its objectives")), fmt.lang))
    if item is not None and item.budget:
        out += _budget_lines(plan, item.budget, fmt)
    out += _funding(r.budget, fmt)
    if item is not None and item.notes:
        out.append(_kv(h["notes"], " ".join(item.notes.split()), fmt.lang))
    out.append(("bold", f"  {t['children']}"))
    for c in r.objectives:
        out.append(("", f"    {c.objective.id:<8} {fmt.pct(c.progress):>5}  {VERDICT[fmt.lang][c.verdict]:<14} {c.objective.title}"))
    if readings is not None:
        out += item_lines(plan, readings.of_item.get(r.ident, []), fmt)
    return out


def _objective(plan: Plan, r: ObjectiveResult, fmt: Formatter, rollup: Rollup, readings: Any = None) -> list[Line]:
    t = _L[fmt.lang]
    _ = translator(fmt.lang)
    out = _common(plan, r.objective, fmt, "objective")
    weighting = plan.meta.settings.rollup_weights if plan.meta else "equal"
    n_children = len(r.children) + len([a for a in r.actions if a.verdict != "cancelled"]) + len(r.shared_in)
    n_ = plural_translator(fmt.lang)
    how = n_("mean of {n}, {weighting}; {known} of {total} action known", "mean of {n}, {weighting}; {known} of {total} actions known",
             r.total).format(n=n_children, weighting=WEIGHTING[fmt.lang].get(weighting, weighting), known=r.known, total=r.total)
    out += _progress_line(r, how, fmt)
    if r.expected is not None:
        out.append(_kv(t["expected"], fmt.pct(r.expected), fmt.lang))
    out.append(_kv(t["verdict"], VERDICT[fmt.lang][r.verdict], fmt.lang))
    out.append(_kv(t["assessment"], objective_assessment(r, fmt), fmt.lang))
    if readings is not None and r.objective.id in readings.weather:

        head, *signals = weather_lines(readings.weather[r.objective.id], fmt)
        out.append(("bold", f"  {head}"))
        out += [("", f"    {line}") for line in signals]
    out.append(_kv(table("heading")[fmt.lang]["budget"], _budget_total(r, fmt, _("its actions and sub-objectives")), fmt.lang))
    out += _budget_lines(plan, r.objective.budget, fmt)
    out += _funding(r.budget, fmt)
    out.append(("bold", f"  {t['children']}"))
    for c in r.children:
        out.append(("", f"    {c.objective.id:<8} {fmt.pct(c.progress):>5}  {VERDICT[fmt.lang][c.verdict]:<14} {c.objective.title}"))
    for a in r.actions:
        out.append(("", f"    {a.action.id:<8} {fmt.pct(a.progress):>5}  {VERDICT[fmt.lang][a.verdict]:<14} {a.action.title}  ({SOURCE[fmt.lang][a.source]}{_('; ')}{owners(plan, a.action)})"))
        out += [("", "      " + _sub_row(plan, sub, fmt)) for sub in a.subs]
    for a, pct in r.shared_in:
        out.append(("", f"    {a.action.id:<8} {fmt.pct(a.progress):>5}  {VERDICT[fmt.lang][a.verdict]:<14} {a.action.title}  [{t['serves_here']}, {fmt.pct(pct)}]"))
    if readings is not None:

        out += item_lines(plan, readings.of_item.get(r.objective.id, []), fmt)
    return out
