"""Rules that look across the plan: each a small function ``(plan, ctx) -> diagnostics``.

Schema problems are found by the loader; these rules check what a single file
cannot: unique ids, references, dates against each other and against the term,
status coherence, staleness.  Every rule is listed in :data:`RULES`, and every
code it can emit is in the catalogue (:mod:`feuille.diagnostics`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from feuille.checks import referentials
from feuille.checks.ecomptes import gaps
from feuille.core import visibility
from feuille.core.diagnostics import CATALOGUE, Diagnostic, Severity
from feuille.core.fields import of
from feuille.core.i18n import Msg, Number, When, msg, msgn
from feuille.core.identifiers import CHECKS, digits
from feuille.core.model import Action, Audience, BudgetLine, Indicator, Objective, PlanFile, Status, SubAction, VoletItem, _Item
from feuille.core.periods import add_period
from feuille.core.plan import Plan, fold_label, subtree
from feuille.core.registry import FieldName, ValueName


@dataclass(frozen=True, slots=True)
class Context:
    as_of: dt.date
    # the plan walked once by run() for all rules (a rule called alone walks it itself)
    items: list[tuple[_Item, Objective | None, int]] | None = None
    actions: list[tuple[Action, Objective]] | None = None
    subs: list[tuple[SubAction, Action]] | None = None


Rule = Callable[[Plan, Context], Iterable[Diagnostic]]


def _emits(*codes: str) -> Callable[[Rule], Rule]:
    """Declare the codes a rule can emit (so callers can skip rules by severity)."""

    def mark(rule: Rule) -> Rule:
        rule.codes = codes  # type: ignore[attr-defined]
        return rule

    return mark


def _at(plan: Plan, item: _Item | SubAction | VoletItem, code: str, where: str | tuple[Any, ...] | None = None, on_key: bool = False, **args: Any) -> Diagnostic:
    rel, path = plan.origin(item)
    if where is not None:
        path = path + (where if isinstance(where, tuple) else (where,))
    ident = item.ident if isinstance(item, VoletItem) else item.id
    return Diagnostic(code, plan.display_path(rel), path, obj_id=ident, obj_title=item.title, args=args, on_key=on_key)


def _suggest(ref: str, known: Iterable[str], what: Msg | str) -> Msg:
    import difflib  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    close = difflib.get_close_matches(ref, list(known), n=3, cutoff=0.5)
    if close:
        listed = ", ".join(close)
        return msg('Did you mean: {listed}?', listed=listed)
    return msg("Add it to {where}, or correct the id.", where=what)


def _items(plan: Plan) -> Iterator[tuple[_Item, Objective | None, int]]:
    """Objectives (with parent and depth) then, after each, its actions (parent = objective)."""
    for obj, parent, depth in plan.walk():
        yield obj, parent, depth
        for action in obj.actions:
            yield action, obj, depth + 1


def _each(plan: Plan, ctx: Context) -> Iterable[tuple[_Item, Objective | None, int]]:
    """:func:`_items`, walked once per run (:func:`run`) rather than once per rule."""
    return ctx.items if ctx.items is not None else _items(plan)


def _actions(plan: Plan, ctx: Context) -> Iterable[tuple[Action, Objective]]:
    """``plan.actions()``, walked once per run."""
    return ctx.actions if ctx.actions is not None else plan.actions()


def _subs(plan: Plan, ctx: Context) -> Iterable[tuple[SubAction, Action]]:
    """Every sub-action with its action, walked once per run."""
    if ctx.subs is not None:
        return ctx.subs
    return [(sub, action) for action, _obj in _actions(plan, ctx) for sub in action.sub_actions]


def _owned(plan: Plan, ctx: Context) -> Iterator[_Item | SubAction | VoletItem]:
    """Everything that names owners: objectives, actions, their sub-actions, the strands of plan.yaml."""
    for item, _parent, _depth in _each(plan, ctx):
        yield item
    for sub, _action in _subs(plan, ctx):
        yield sub
    yield from plan.volets


def _budgeted(plan: Plan, ctx: Context) -> Iterator[tuple[_Item | VoletItem, list[BudgetLine]]]:
    """Everything that holds budget lines: actions, objectives (their own lines), the strands."""
    for item, _parent, _depth in _each(plan, ctx):
        if item.budget:  # type: ignore[attr-defined]
            yield item, item.budget  # type: ignore[attr-defined]
    for volet in plan.volets:
        if volet.budget:
            yield volet, volet.budget


@_emits('F302', 'F303', 'F304')
def references(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    people, services = plan.people, plan.services
    objectives = plan.objective_index()
    orgs = {o.id for o in plan.meta.organisations} if plan.meta else set()
    where_people = "people.yaml"
    for item in _owned(plan, ctx):
        for i, ref in enumerate(item.political_owners):
            if ref not in people:
                yield _at(plan, item, "F302", ("political_owners", i), key="political_owners", ref=ref, suggestion=_suggest(ref, people, where_people))
        if item.admin_owner is not None and item.admin_owner not in people:
            yield _at(plan, item, "F302", "admin_owner", key="admin_owner", ref=item.admin_owner, suggestion=_suggest(item.admin_owner, people, where_people))
        if getattr(item, "service", None) is not None and item.service not in services:  # type: ignore[union-attr]
            yield _at(plan, item, "F304", "service", key="service", ref=item.service, suggestion=_suggest(item.service, services, "people.yaml (services)"))
        if isinstance(item, Action):
            for i, ref in enumerate(item.involved):
                if ref not in people:
                    yield _at(plan, item, "F302", ("involved", i), key="involved", ref=ref, suggestion=_suggest(ref, people, where_people))
            for i, share in enumerate(item.serves):
                if share.objective not in objectives:
                    yield _at(plan, item, "F303", ("serves", i, "objective"), key="serves", ref=share.objective, suggestion=_suggest(share.objective, objectives, msg("the plan")))
    for p in plan.indicators():
        ref = p.indicator.owner
        if ref is not None and ref not in people:
            owner = p.owner
            rel, base = plan.origin(owner) if owner is not None else (next((f for f in plan.files if f.startswith("plan.")), "plan.yaml"), ())
            yield Diagnostic("F302", plan.display_path(rel), base + ("indicators", p.index, "owner"), obj_id=p.where,
                             obj_title=owner.title if owner else None, args={"key": "owner", "ref": ref, "suggestion": _suggest(ref, people, where_people)})
    shown = plan.display_path("people.yaml")
    for i, person in enumerate(plan.people.values()):
        if person.service is not None and person.service not in services:
            yield Diagnostic("F304", shown, ("people", i, "service"), obj_id=person.id, obj_title=person.name, args={"key": "service", "ref": person.service, "suggestion": _suggest(person.service, services, "services")})
        if person.organisation is not None and orgs and person.organisation not in orgs:
            yield Diagnostic("F304", shown, ("people", i, "organisation"), obj_id=person.id, obj_title=person.name, args={"key": "organisation", "ref": person.organisation, "suggestion": _suggest(person.organisation, orgs, "plan.yaml (organisations)")})
    for i, service in enumerate(plan.services.values()):
        if service.head is not None and service.head not in people:
            yield Diagnostic("F302", shown, ("services", i, "head"), obj_id=service.id, obj_title=service.name, args={"key": "head", "ref": service.head, "suggestion": _suggest(service.head, people, where_people)})
        if service.organisation is not None and orgs and service.organisation not in orgs:
            yield Diagnostic("F304", shown, ("services", i, "organisation"), obj_id=service.id, obj_title=service.name, args={"key": "organisation", "ref": service.organisation, "suggestion": _suggest(service.organisation, orgs, "plan.yaml (organisations)")})


@_emits('F308')
def owner_roles(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    for item in _owned(plan, ctx):
        for i, ref in enumerate(item.political_owners):
            person = plan.people.get(ref)
            if person is not None and not person.political:
                yield _at(plan, item, "F308", ("political_owners", i), key="political_owners", field=FieldName("political_owners"), name=person.name, role=person.role_msg())
        person = plan.people.get(item.admin_owner or "")
        if person is not None and person.political:
            yield _at(plan, item, "F308", "admin_owner", key="admin_owner", field=FieldName("admin_owner"), name=person.name, role=person.role_msg())


def _fmt(d: dt.date) -> When:
    """A date in a rule's message, written the way the reader's language writes dates (01/03/2025 in French)."""
    return When(d)


def _days(n: int) -> Msg:
    """« 3 jours », « 1 jour »: a count of days that agrees with its number."""
    return msgn("{n} day", "{n} days", n)


@_emits('F401')
def date_order(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    if plan.meta is not None and plan.meta.term.start > plan.meta.term.end:
        yield Diagnostic("F401", plan.display_path(plan.files[0] if plan.files else ""), ("term", "start"), args={"start_key": "term.start", "start": _fmt(plan.meta.term.start), "end_key": "term.end", "end": _fmt(plan.meta.term.end)})
    for item, _parent, _depth in _each(plan, ctx):
        if item.planned_start and item.planned_end and item.planned_start > item.planned_end:
            yield _at(plan, item, "F401", "planned_end", start_key="planned_start", start=_fmt(item.planned_start), end_key="planned_end", end=_fmt(item.planned_end))
        if isinstance(item, Action) and item.actual_start and item.actual_end and item.actual_start > item.actual_end:
            yield _at(plan, item, "F401", "actual_end", start_key="actual_start", start=_fmt(item.actual_start), end_key="actual_end", end=_fmt(item.actual_end))
    for sub, _action in _subs(plan, ctx):
        for start_key, end_key in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            start, end = getattr(sub, start_key), getattr(sub, end_key)
            if start and end and start > end:
                yield _at(plan, sub, "F401", end_key, start_key=start_key, start=_fmt(start), end_key=end_key, end=_fmt(end))


@_emits('F402')
def deadline_within_parent(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    for item, parent, _depth in _each(plan, ctx):
        if parent is None or item.planned_end is None:
            continue
        # the nearest ancestor-or-parent deadline is the parent's own (objectives inherit nothing)
        if parent.planned_end is not None and item.planned_end > parent.planned_end:
            yield _at(plan, item, "F402", "planned_end", end=_fmt(item.planned_end), parent=f"{parent.id} {parent.title}", parent_end=_fmt(parent.planned_end))
    for sub, action in _subs(plan, ctx):
        if sub.planned_end is not None and action.planned_end is not None and sub.planned_end > action.planned_end:
            yield _at(plan, sub, "F402", "planned_end", end=_fmt(sub.planned_end), parent=f"{action.id} {action.title}", parent_end=_fmt(action.planned_end))


@_emits('F403')
def within_term(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    if plan.meta is None:
        return
    start, end = plan.meta.term.start, plan.meta.term.end
    for item in [*(i for i, _p, _d in _each(plan, ctx)), *(sub for sub, _a in _subs(plan, ctx))]:
        for key in ("planned_start", "planned_end"):
            value: dt.date | None = getattr(item, key)
            if value is not None and (value < start or value > end):
                yield _at(plan, item, "F403", key, key=key, date=_fmt(value), start=_fmt(start), end=_fmt(end))


_OPEN = (Status.not_started, Status.ongoing, Status.on_hold)


@_emits('F404', 'F405')
def schedule(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    today = ctx.as_of
    for action in [*(a for a, _o in _actions(plan, ctx)), *(sub for sub, _a in _subs(plan, ctx))]:
        if action.status not in _OPEN:
            continue
        if action.planned_end is not None and action.planned_end < today:
            yield _at(plan, action, "F404", "planned_end", days=_days((today - action.planned_end).days), end=_fmt(action.planned_end))
        elif action.status is Status.not_started and action.planned_start is not None and action.planned_start < today:
            yield _at(plan, action, "F405", "planned_start", days=_days((today - action.planned_start).days), start=_fmt(action.planned_start))


@_emits('F501', 'F502', 'F503', 'F504', 'F506')
def coherence(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    for action in [*(a for a, _o in _actions(plan, ctx)), *(sub for sub, _a in _subs(plan, ctx))]:
        status = action.status
        if status is Status.done:
            if action.progress is not None and action.progress != 100:
                yield _at(plan, action, "F501", "progress", progress=f"{action.progress:g}")
            if action.actual_end is None:
                yield _at(plan, action, "F502", "status")
        elif status is Status.not_started and "status" in action.model_fields_set:  # not a status left out as invalid ('fini')
            if action.progress:
                yield _at(plan, action, "F503", "progress", detail=msg('its progress is {progress:g}%', progress=action.progress))
            elif action.actual_start is not None:
                yield _at(plan, action, "F503", "actual_start", detail=msg('it has an actual start ({actual_start})', actual_start=_fmt(action.actual_start)))
        if action.actual_end is not None and status not in (Status.done, Status.cancelled):
            yield _at(plan, action, "F506", "actual_end", status=ValueName(status))
        if isinstance(action, Action) and action.health.value != "good" and not action.health_note:
            yield _at(plan, action, "F504", "health", health=ValueName(action.health))


@_emits('F505')
def budget_split(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    for action, obj in _actions(plan, ctx):
        if not action.serves:
            continue
        total = sum(s.percent for s in action.serves)
        if obj.id not in {s.objective for s in action.serves}:
            yield _at(plan, action, "F505", "serves", detail=msg("'serves' does not name the parent objective '{id}'.", id=obj.id))
        if abs(total - 100) > 1e-6:
            yield _at(plan, action, "F505", "serves", detail=msg("The percentages in 'serves' add up to {total:g}% instead of 100%.", total=total))


@_emits('F305', 'F306', 'F307')
def structure(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    if plan.meta is None:
        return
    depth_max = plan.meta.depth
    levels = ", ".join(plan.meta.levels[:-1])
    anywhere = plan.meta.settings.actions_at == "any"  # axes of uneven depth: actions under an objective of any level
    for obj, _parent, depth in plan.walk():
        if depth > depth_max:
            yield _at(plan, obj, "F306", "id", depth=msgn("{n} objective level", "{n} objective levels", depth_max), levels=levels,
                      detail=msgn('This objective is at level {depth}, but the plan has only {n} objective level.',
                                  'This objective is at level {depth}, but the plan has only {n} objective levels.', depth_max, depth=depth))
            continue
        if obj.actions and depth < depth_max and not anywhere:
            yield _at(plan, obj, "F306", "actions", depth=depth_max, levels=levels, detail=msg("This objective ({level}) holds actions, which belong under a '{last_level}'.", level=plan.meta.levels[depth - 1], last_level=plan.meta.levels[depth_max - 1]))
        if not obj.actions and not obj.objectives:
            yield _at(plan, obj, "F305", "id")
        if depth == depth_max and depth_max >= 2:
            if not obj.political_owners and not obj.admin_owner:
                yield _at(plan, obj, "F307", "id", missing=msg("political owner and no administrative owner"))
            elif not obj.political_owners:
                yield _at(plan, obj, "F307", "id", missing=msg("political owner"))
            elif not obj.admin_owner:
                yield _at(plan, obj, "F307", "id", missing=msg("administrative owner"))


@_emits('F406')
def stale(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    if plan.meta is None:
        return
    limit = plan.meta.settings.stale_after_days
    for action, _obj in _actions(plan, ctx):
        if action.status not in _OPEN:
            continue
        if action.last_reviewed is None:
            yield _at(plan, action, "F406", "id", detail=msg("The action was never reviewed (no 'last_reviewed')."))
        elif (ctx.as_of - action.last_reviewed).days > limit:
            days = (ctx.as_of - action.last_reviewed).days
            yield _at(plan, action, "F406", "last_reviewed", detail=msg('Last reviewed on {last_reviewed}, {days} days ago (limit: {limit}).', last_reviewed=_fmt(action.last_reviewed), days=days, limit=limit))


@_emits('F507')
def scores(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    if plan.meta is None:
        return
    lo, hi = plan.meta.scale.min, plan.meta.scale.max
    for item, _parent, _depth in _each(plan, ctx):
        for key in ("stake", "urgency", "roi"):
            value = getattr(item, key)
            if value is not None and not lo <= value <= hi:
                yield _at(plan, item, "F507", key, key=key, value=value, min=lo, max=hi)


@_emits('F509')
def gain_without_cost(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    for item, _parent, _depth in _each(plan, ctx):
        if item.roi is not None or (item.gain is None and item.gain_score is None):
            continue
        if isinstance(item, Action):
            has_cost = any(line.amount > 0 for line in item.budget)
        else:
            has_cost = any(line.amount > 0 for o in subtree(item) for line in o.budget) or \
                any(line.amount > 0 for o in subtree(item) for a in o.actions for line in a.budget)
        if not has_cost:
            key = "gain" if item.gain is not None else "gain_score"
            what = msg("the action") if isinstance(item, Action) else msg("the objective (nor its actions)")
            yield _at(plan, item, "F509", key, what=what)


@_emits('F510')
def funding(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    """A budget line's funders add up to no more than the line, and a line names its funders one way only."""
    for item, lines in _budgeted(plan, ctx):
        for j, line in enumerate(lines):
            if not line.funders:
                continue
            if line.funder is not None:
                yield _at(plan, item, "F510", ("budget", j, "funder"), detail=msg(
                    "The budget line {year} ({amount}) names a 'funder' ({funder}) and 'funders': it would be counted twice.",
                    year=line.year, amount=line.amount, funder=line.funder))
            total = sum((f.amount for f in line.funders), Decimal(0))
            if total > line.amount:
                yield _at(plan, item, "F510", ("budget", j, "funders"), detail=msg(
                    "The funders of the budget line {year} give {total} in all, more than the line's {amount}.",
                    year=line.year, total=total, amount=line.amount))


# --- audiences -----------------------------------------------------------------------------------

@functools.cache
def _text_fields(model: type) -> tuple[str, ...]:
    """The fields of free text people write in (title, description, notes...: the field registry's ``line`` and ``text`` kinds)."""
    return tuple(n for n in of(model).order if of(model)[n].kind in ("line", "text"))


def _items_with_visibility(plan: Plan) -> bool:
    """Whether any objective, action, indicator or budget line of the plan says who may see it (once per plan)."""
    if plan.sets_visibility is None:
        plan.sets_visibility = _any_visibility(plan)
    return plan.sets_visibility


def _any_visibility(plan: Plan) -> bool:
    for volet in plan.volets:
        if volet.visibility or any(line.visibility for line in volet.budget):
            return True
    if plan.meta is not None and any(ind.visibility for ind in plan.meta.indicators):
        return True
    for obj, _parent, _depth in plan.walk():
        if obj.visibility or any(ind.visibility for ind in obj.indicators):
            return True
        for line in obj.budget:
            if line.visibility:
                return True
        for a in obj.actions:  # plain loops: this runs over every action of a large plan
            if a.visibility:
                return True
            for line in a.budget:
                if line.visibility:
                    return True
            for ind in a.indicators:
                if ind.visibility:
                    return True
            for sub in a.sub_actions:
                if sub.visibility:
                    return True
    return False


def _visible_things(plan: Plan) -> Iterator[tuple[_Item | SubAction, Audience, Audience]]:
    """Each objective, action and sub-action with its own effective level and its parent's."""
    top = visibility.plan_level(plan.meta)
    stack: list[tuple[Objective, Audience]] = [(o, top) for o in reversed(plan.objectives)]
    while stack:
        obj, parent = stack.pop()
        level = visibility.item_level(obj.visibility, parent)
        yield obj, level, parent
        for action in obj.actions:
            own = visibility.item_level(action.visibility, level)
            yield action, own, level
            for sub in action.sub_actions:
                yield sub, visibility.item_level(sub.visibility, own), own
        stack.extend((child, level) for child in reversed(obj.objectives))


@_emits('F801')
def personal_data(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    public = Audience.public
    suspects = plan.personal_files  # the files where the loader saw personal data (None: not known, look everywhere)
    if suspects is not None and not suspects:  # the usual plan
        return
    if visibility.plan_level(plan.meta) is public and not _items_with_visibility(plan):  # every item public
        things: Iterable[tuple[_Item | SubAction, Audience, Audience]] = (
            (item, public, public) for item in [*(i for i, _p, _d in _each(plan, ctx)), *(sub for sub, _a in _subs(plan, ctx))])
    else:
        things = _visible_things(plan)
    from feuille.core import privacy  # only for a plan where the loader saw some  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    for item, level, _parent in things:
        if level is not public or (suspects is not None and plan.origin(item)[0] not in suspects):
            continue
        texts = [(key, value) for key in _text_fields(type(item)) if (value := getattr(item, key, None))]
        if not texts or privacy.found_in("\n".join(str(v) for _k, v in texts)) is None:  # one cheap look per item
            continue
        for key, value in texts:
            if visibility.field_level(key, item.visibility, level, plan.meta) is public and (found := privacy.found_in(str(value))):
                yield _at(plan, item, "F801", key, key=key, what=found)


@_emits('F802')
def wider_than_parent(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    if not _items_with_visibility(plan):
        return
    for item, level, parent in _visible_things(plan):
        own = visibility.own_level(item.visibility)
        if own is not None and visibility.RANK[own] > visibility.RANK[parent]:
            yield _at(plan, item, "F802", ("visibility",), own=ValueName(own, code=True), parent=ValueName(parent, code=True))
        if isinstance(item, (Action, Objective)):
            for key in [k for k in ("indicators", "budget") if k in type(item).model_fields]:
                for i, part in enumerate(getattr(item, key)):
                    sub = visibility.own_level(part.visibility)
                    if sub is not None and visibility.RANK[sub] > visibility.RANK[level]:
                        yield _at(plan, item, "F802", (key, i, "visibility"), own=ValueName(sub, code=True), parent=ValueName(level, code=True))


def _bad_visibility_keys(mapping: dict[str, Audience] | None, kind: type) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    import difflib  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    allowed = visibility.SETTABLE[kind]
    for key in mapping or {}:
        if key == visibility.ITEM or key in allowed:
            continue
        if key in kind.model_fields:
            yield key, msg('which cannot be withheld on its own'), msg("To withhold the whole item, write 'visibility: internal' (or council).")
            continue
        close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
        fix = msg("Did you mean {field}?", field=FieldName(close[0])) if close else msg("Write 'item' (the item itself) or one of its fields (health_note, notes...).")
        yield key, msg('which does not exist here'), fix


@_emits('F803')
def visibility_fields(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    def diag(shown: str, path: tuple[Any, ...], key: str, why: dict[str, str], fix: dict[str, str], item: _Item | SubAction | VoletItem | None = None) -> Diagnostic:
        ident = (item.ident if isinstance(item, VoletItem) else item.id) if item else None
        return Diagnostic("F803", shown, path + ("visibility", key), on_key=True, obj_id=ident, obj_title=item.title if item else None,
                          args={"key": key, "why": why, "fix": fix})

    if plan.meta is not None:
        plan_file = next((f for f in plan.files if f.startswith("plan.")), "plan.yaml")
        for key, why, fix in _bad_visibility_keys(plan.meta.visibility, PlanFile):
            yield diag(plan.display_path(plan_file), (), key, why, fix)
        for i, ind in enumerate(plan.meta.indicators):
            for key, why, fix in _bad_visibility_keys(ind.visibility, Indicator):
                yield diag(plan.display_path(plan_file), ("indicators", i), key, why, fix)
    people_file = next((f for f in plan.files if f.startswith("people.")), None)
    for section, things in (("services", plan.services), ("people", plan.people)):
        for i, thing in enumerate(things.values()):
            for key, why, fix in _bad_visibility_keys(thing.visibility, type(thing)):
                yield diag(plan.display_path(people_file or "people.yaml"), (section, i), key, why, fix)
    if not _items_with_visibility(plan):
        return
    for item in [*(i for i, _p, _d in _each(plan, ctx)), *(sub for sub, _a in _subs(plan, ctx)), *plan.volets]:
        parts = [(f, i, kind, part) for f, kind in (("indicators", Indicator), ("budget", BudgetLine)) if f in type(item).model_fields
                 for i, part in enumerate(getattr(item, f)) if part.visibility]
        if not item.visibility and not parts:
            continue
        rel, base = plan.origin(item)
        for key, why, fix in _bad_visibility_keys(item.visibility, type(item)):
            yield diag(plan.display_path(rel), base, key, why, fix, item)  # type: ignore[arg-type]
        for field_name, i, kind, part in parts:
            for key, why, fix in _bad_visibility_keys(part.visibility, kind):
                yield diag(plan.display_path(rel), base + (field_name, i), key, why, fix, item)

@_emits('F701', 'F702', 'F703', 'F704', 'F705', 'F706', 'F707', 'F708', 'F709')
def transmission(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    """What eComptes needs, when the plan says it is transmitted (``transmission: {ecomptes: true}``)."""
    if plan.meta is None or plan.meta.transmission is None or not plan.meta.transmission.ecomptes:
        return

    yield from gaps(plan, ctx.as_of)


# --- open data --------------------------------------------------------------------------------


@_emits('F901')
def identifiers(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    """The national identifiers of each organisation are well formed (INS, BCE/KBO, INSEE, SIREN, SIRET with their check digits)."""
    if plan.meta is None:
        return

    shown = plan.display_path(plan.files[0] if plan.files else "plan.yaml")
    ecomptes = plan.meta.transmission is not None and plan.meta.transmission.ecomptes
    for i, org in enumerate(plan.meta.organisations):
        for name, (label, check) in CHECKS.items():
            value = getattr(org, name)
            if value is None or (name == "ins_code" and ecomptes):  # eComptes checks the INS code itself (F701)
                continue
            why = check(value)
            if why is not None:
                yield Diagnostic("F901", shown, ("organisations", i, name), obj_id=org.id, obj_title=org.name,
                                 args={"name": label, "organisation": org.name, "value": value, "why": why})
        if org.siren and org.siret and digits(org.siret)[:9] != digits(org.siren):
            yield Diagnostic("F901", shown, ("organisations", i, "siret"), obj_id=org.id, obj_title=org.name,
                             args={"name": msg("SIRET"), "organisation": org.name, "value": org.siret,
                                   "why": msg("it does not start with the SIREN '{siren}'", siren=org.siren)})


_REFERENTIAL_NAMES = {"competence": msg("the M57 competence"), "levier": msg("the SGPE lever")}


@_emits('F902')
def referential_tags(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    """Tags ``m57:CODE`` and ``sgpe:LEVER`` name codes of the national referentials (read only when a plan has such a tag)."""

    for item, _parent, _depth in _each(plan, ctx):
        for i, tag in enumerate(item.tags):
            found = referentials.split_tag(tag)
            if found is None or referentials.resolve(*found) is not None:
                continue
            kind, value = found
            close = referentials.closest(kind, value)
            prefix = tag.partition(":")[0]
            names = referentials.competences() if kind == "competence" else {}
            listed = ", ".join(f"{prefix}:{c}" + (f" ({names[c]})" if c in names else "") for c in close)
            more = msg(" Did you mean: {listed}?", listed=listed) if close else ""
            yield _at(plan, item, "F902", ("tags", i), tag=tag, referential=_REFERENTIAL_NAMES[kind], value=value, more=more)


# --- indicators -----------------------------------------------------------------------------------


def _ind_at(plan: Plan, placed: Any, code: str, where: tuple[Any, ...] = (), on_key: bool = False, **args: Any) -> Diagnostic:
    """A finding about an indicator: where it is declared (plan.yaml for the plan's and its strands', or its objective's or action's file), and which."""
    owner = placed.owner
    if owner is None:
        rel, path = next((f for f in plan.files if f.startswith("plan.")), "plan.yaml"), ()
    else:
        rel, path = plan.origin(owner)
    path = path + ("indicators", placed.index) + where
    return Diagnostic(code, plan.display_path(rel), path, obj_id=placed.where,
                      obj_title=owner.title if owner is not None else None, args={"label": placed.indicator.label, **args}, on_key=on_key)


def _percent_values(ind: Indicator) -> Iterator[tuple[tuple[Any, ...], float]]:
    for key in ("baseline", "target"):
        v = getattr(ind, key)
        if v is not None:
            yield (key,), v
    for year, v in ind.milestones.items():
        yield ("milestones", year), v
    if ind.range is not None:
        for key in ("min", "max"):
            v = getattr(ind.range, key)
            if v is not None:
                yield ("range", key), v
    for i, m in enumerate(ind.measurements):
        yield ("measurements", i, "value"), m.value


_LONG_BEFORE = 5 * 365 + 1  # days: a measurement five years before the baseline date is more likely a mistyped year than history


@_emits('F521', 'F522', 'F523', 'F524', 'F525', 'F526', 'F527', 'F528', 'F529')
def indicators(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    """Indicators: a target without date, measurements out of time, units, measurements due, ids and references."""

    placed = plan.indicators()
    ids: dict[str, Any] = {}
    units: dict[str, tuple[Any, str]] = {}  # folded label -> the first indicator with a unit, and its unit
    for p in placed:
        ind = p.indicator
        key = p.key
        if ind.id is not None:
            if ind.id in ids:
                first = ids[ind.id]
                yield _ind_at(plan, p, "F528", ("id",), id=ind.id, other=first.where or "plan.yaml")
            else:
                ids[ind.id] = p
        else:
            yield _ind_at(plan, p, "F526", ("label",), suggestion=_id_suggestion(p, ids, placed))
        if ind.direction.value == "range":
            if ind.range is None or (ind.range.min is None and ind.range.max is None):
                yield _ind_at(plan, p, "F529", ("direction",), detail=msg("'direction: range' needs a 'range' with its 'min', its 'max' or both."))
            elif ind.range.min is not None and ind.range.max is not None and ind.range.min > ind.range.max:
                yield _ind_at(plan, p, "F529", ("range",), detail=msg("the range's 'min' ({min}) is above its 'max' ({max}).", min=Number(ind.range.min), max=Number(ind.range.max)))
        elif ind.range is not None:
            yield _ind_at(plan, p, "F529", ("range",), detail=msg("it gives a 'range' but its direction is '{direction}': the range is not used.", direction=ind.direction.value))
        if ind.target is not None and ind.target_date is None and ind.direction.value != "range":
            yield _ind_at(plan, p, "F521", ("target",), target=Number(ind.target))
        for i, m in enumerate(ind.measurements):
            if m.date > ctx.as_of:
                yield _ind_at(plan, p, "F522", ("measurements", i, "date"), date=_fmt(m.date), as_of=_fmt(ctx.as_of))
            elif ind.baseline_date is not None and (ind.baseline_date - m.date).days > _LONG_BEFORE:
                yield _ind_at(plan, p, "F523", ("measurements", i, "date"), date=_fmt(m.date), baseline_date=_fmt(ind.baseline_date))
        unit = (ind.unit or "").strip()
        if unit == "%":
            wrong = next(((where, v) for where, v in _percent_values(ind) if not 0 <= v <= 100), None)
            if wrong is not None:
                yield _ind_at(plan, p, "F524", wrong[0], detail=msg("its unit is '%' but it holds {value}, outside 0-100.", value=Number(wrong[1])))
        if unit:
            folded = fold_label(ind.label)
            seen = units.get(folded)
            if seen is None:
                units[folded] = (p, unit)
            elif seen[1] != unit:
                other = seen[0].where or "plan.yaml"
                yield _ind_at(plan, p, "F524", ("unit",), detail=msg("an indicator of the same name in {other} is measured in '{first}', this one in '{unit}'.",
                                                                      other=other, first=seen[1], unit=unit))
        if ind.frequency is not None:
            dated = [m.date for m in ind.measurements if m.date <= ctx.as_of]
            last = max(dated) if dated else ind.baseline_date
            if last is not None:
                due = add_period(last, ind.frequency.value)
                if ctx.as_of > due:
                    yield _ind_at(plan, p, "F525", ("frequency",), frequency=_FREQUENCY_WORDS[ind.frequency.value], due=_fmt(due),
                                  last=_fmt(last), key=key)
    for item in (*plan.volets, *(item for item, _parent, _depth in _each(plan, ctx))):
        for i, name in enumerate(item.linked_indicators):
            found = plan.find_indicators(name)
            if len(found) == 1:
                continue
            if found:
                detail = msg("'{name}' is the label of {n} indicators ({where}): name one by its id.", name=name, n=len(found),
                             where=", ".join(f.where or "plan.yaml" for f in found))
            else:
                import difflib  # noqa: PLC0415 (not on the start-up path of status, lint and show)

                labels = {fold_label(x.indicator.label): x.indicator.id or x.indicator.label for x in placed}
                near = difflib.get_close_matches(name, [x.indicator.id for x in placed if x.indicator.id], n=3, cutoff=0.5)
                near += [labels[c] for c in difflib.get_close_matches(fold_label(name), list(labels), n=3, cutoff=0.6) if labels[c] not in near]
                detail = msg("no indicator of the plan has the id or the label '{name}'.{more}", name=name,
                             more=msg(" Did you mean: {listed}?", listed=", ".join(near[:3])) if near else "")
            yield _at(plan, item, "F527", ("linked_indicators", i), detail=detail)


_FREQUENCY_WORDS = {
    "weekly": msg("every week"), "monthly": msg("every month"), "quarterly": msg("every quarter"), "half_yearly": msg("every half-year"),
    "yearly": msg("every year"),
}


def _id_suggestion(p: Any, ids: dict[str, Any], placed: list[Any]) -> str:
    """An id to suggest for an indicator without one: its owner's id and its rank (« A1.1-1 »), or « I1 » on the plan."""
    base = f"{p.where}-{p.index + 1}" if p.where is not None else f"I{p.index + 1}"
    taken = {x.indicator.id for x in placed if x.indicator.id}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


SEVERITY_NAMES = ("error", "warning", "info", "off")
_SEVERITY_BY_NAME = {"error": Severity.error, "warning": Severity.warning, "info": Severity.info}


@_emits('F601')
def rule_settings(plan: Plan, ctx: Context) -> Iterator[Diagnostic]:
    if plan.meta is None:
        return
    shown = plan.display_path(plan.files[0] if plan.files else "plan.yaml")
    for code, value in plan.meta.rules.items():
        if code not in CATALOGUE:
            import difflib  # noqa: PLC0415 (not on the start-up path of status, lint and show)

            close = difflib.get_close_matches(code, list(CATALOGUE), n=1)
            more = msg(" Did you mean {value}?", value=close[0]) if close else ""
            yield Diagnostic("F601", shown, ("rules", code), on_key=True, args={"detail": msg("Unknown rule code '{code}'.{more}", code=code, more=more)})
        elif not CATALOGUE[code].configurable:
            yield Diagnostic("F601", shown, ("rules", code), on_key=True, args={"detail": msg('Rule {code} cannot be changed (an unreadable file or a duplicate id stays an error).', code=code)})
        elif value not in SEVERITY_NAMES:
            yield Diagnostic("F601", shown, ("rules", code), args={"detail": msg("Unknown severity '{value}' for {code}.", value=value, code=code)})


RULES: tuple[Rule, ...] = (
    references,
    owner_roles,
    date_order,
    deadline_within_parent,
    within_term,
    schedule,
    coherence,
    budget_split,
    structure,
    stale,
    scores,
    gain_without_cost,
    funding,
    personal_data,
    wider_than_parent,
    visibility_fields,
    rule_settings,
    transmission,
    identifiers,
    referential_tags,
    indicators,
)


def effective_severity(plan: Plan, code: str) -> Severity | None:
    """The severity of ``code`` in this plan (None when the plan turns it off)."""
    default = CATALOGUE[code].severity
    wanted = plan.meta.rules.get(code) if plan.meta is not None else None
    if wanted is None or not CATALOGUE[code].configurable:
        return default
    if wanted == "off":
        return None
    return _SEVERITY_BY_NAME.get(wanted, default)  # an unknown name is reported by F601 and ignored here


def run(plan: Plan, ctx: Context, at_least: Severity | None = None) -> list[Diagnostic]:
    """Every rule's findings; with ``at_least``, only rules that can emit that severity here."""
    out: list[Diagnostic] = []
    if ctx.items is None:
        items = list(_items(plan))
        actions = [(item, parent) for item, parent, _depth in items if type(item) is Action]
        ctx = Context(ctx.as_of, items, actions, [(sub, action) for action, _p in actions for sub in action.sub_actions])  # type: ignore[misc, union-attr]
    for rule in RULES:
        if at_least is not None:
            levels = [effective_severity(plan, c) for c in rule.codes]  # type: ignore[attr-defined]
            if not any(level is not None and level >= at_least for level in levels):
                continue
        out.extend(rule(plan, ctx))
    return out
