"""The one filter every published output goes through: the plan as an audience may see it.

:func:`publish` computes the rollup on the whole plan (a withheld action still counts
in its objective's progress and budget: the figures stay honest), then gives the
views a copy of the plan and of the rollup from which everything the audience may
not see is gone: every item of every kind (objectives, actions, indicators, budget
lines, people, services, and any model with a ``visibility`` field) the audience may
not see, and the fields it may not see (set to empty).  A field that names a withheld
item by its id (a :class:`~feuille.core.model.Ref`: owners, a service, an objective
served) names « non publié » instead, so no id of a withheld person reaches an output.
Views and exporters never see the original plan, so no template can forget to hide
something.  :class:`Withheld` says what was kept back.

The walk is generic: it reads the kinds and fields from the model (core/visibility.py),
so a new kind of item or a new field is filtered without code here.  Who may see a
person or a service is always what today's people.yaml says (``today``), also when the
plan published is a past revision: a person made internal today, or removed, never
comes back through history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from feuille.compute.rollup import ActionResult, Budget, ObjectiveResult, Rollup, compute
from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg
from feuille.core.model import Audience, Objective, PlanFile
from feuille.core.plan import Plan
from feuille.core.visibility import (
    DEFAULT_FIELDS,
    ITEM,
    PLAN_SETTINGS,
    Shape,
    Slot,
    field_level,
    item_level,
    kind_of,
    narrowest,
    plan_level,
    registry_kinds,
    sees,
    shape,
)


@dataclass(slots=True)
class Withheld:
    """What an audience does not see (counts, for the summary line and the pages)."""

    items: Counter[str] = field(default_factory=Counter)  # kind (the model's name: Action, Person...) -> items not shown
    fields: Counter[str] = field(default_factory=Counter)  # field name -> how many values withheld

    @property
    def objectives(self) -> int:
        return self.items["Objective"]

    @property
    def actions(self) -> int:
        return self.items["Action"]

    @property
    def indicators(self) -> int:
        return self.items["Indicator"]

    @property
    def budget_lines(self) -> int:
        return self.items["BudgetLine"]

    @property
    def people(self) -> int:
        return self.items["Person"]

    @property
    def services(self) -> int:
        return self.items["Service"]

    @property
    def anything(self) -> bool:
        return bool(+self.items or +self.fields)


@dataclass(slots=True)
class Published:
    audience: Audience
    plan: Plan  # what the audience may see
    rollup: Rollup  # figures of the whole plan, listing only what is shown
    withheld: Withheld
    hidden_below: dict[str, int]  # objective id -> actions under it not shown (counted in its figures)
    hidden_lines: dict[str, int] = field(default_factory=dict)  # action id -> budget lines not shown (counted in its totals)
    positions: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> id -> its place in its file (people.yaml), for findings


AUDIENCES = msg("--audience public: the citizens' site; council: the elected members; internal: the administration (docs/audiences.md).")


class UnknownAudience(UserError, ValueError):
    """An audience name that is none of them; ``msg`` says so in the reader's language, ``str(exc)`` in French."""

    code = "audience"

    def __init__(self, message: Msg) -> None:
        super().__init__(message, AUDIENCES)


WITHHELD = msg("not published")  # the name a withheld funding source gets in published budgets


def parse_audience(value: str) -> Audience:
    """``public``, ``council`` or ``internal`` (also in French); :class:`UnknownAudience` (a ValueError) with suggestions otherwise."""
    words = {"interne": "internal", "administration": "internal", "conseil": "council", "college": "council", "collège": "council", "publique": "public"}
    key = words.get(value.strip().lower(), value.strip().lower())
    try:
        return Audience(key)
    except ValueError:

        close = difflib.get_close_matches(key, [a.value for a in Audience], n=1)
        if close:
            raise UnknownAudience(msg("unknown audience '{value}': choose public, council or internal. Did you mean '{close}'?",
                                      value=value, close=close[0])) from None
        raise UnknownAudience(msg("unknown audience '{value}': choose public, council or internal.", value=value)) from None


def _things(value: Any) -> Iterator[BaseModel]:
    """The models a field's value holds: itself, or those of a list or of a mapping."""
    if isinstance(value, BaseModel):
        yield value
    elif isinstance(value, (list, tuple)):
        yield from (v for v in value if isinstance(v, BaseModel))
    elif isinstance(value, dict):
        yield from (v for v in value.values() if isinstance(v, BaseModel))


def _containers(plan: Plan) -> Iterator[tuple[str, Any]]:
    """The fields of a loaded plan that hold items (people, services, objectives...), the plan file apart."""
    for f in dataclasses.fields(plan):
        value = getattr(plan, f.name)
        if f.name != "meta" and isinstance(value, (dict, list)) and any(True for _ in _things(value)):
            yield f.name, value


class _Filter:
    def __init__(self, plan: Plan, audience: Audience, label: str, today: Plan | None) -> None:
        self.audience, self.meta, self.label = audience, plan.meta, label
        self.top = plan_level(plan.meta)
        self.withheld = Withheld()
        self.visible: dict[str, set[str]] = {}  # kind -> ids of the items the audience sees (first pass)
        self.shown: dict[str, dict[str, Any]] = {}  # kind -> original id -> filtered copy
        self.dropped: dict[tuple[str, str], Counter[str]] = {}  # (kind, id) of an item shown -> kinds of its parts not shown
        # people and services: who may see them is today's people.yaml's say (None: the plan published is today's)
        self.today: dict[str, dict[str, BaseModel]] | None = None
        self.today_meta, self.today_top = plan.meta, self.top
        if today is not None:
            kinds = registry_kinds()
            self.today = {kind: {} for kind in kinds}
            for _name, value in _containers(today):
                for thing in _things(value):
                    if kind_of(type(thing)) in kinds:
                        self.today[kind_of(type(thing))][getattr(thing, "id", "")] = thing
            if today.meta is not None:
                self.today_meta = today.meta
                self.today_top = narrowest(self.top, plan_level(today.meta))

    def _judge(self, thing: BaseModel, parent: Audience) -> tuple[dict[str, Audience] | None, PlanFile | None, Audience]:
        """Who may see an item: its visibility mapping, the plan file whose defaults apply, its level."""
        values = thing.__dict__
        if self.today is not None:
            now_of = self.today.get(shape(type(thing)).kind)
            if now_of is not None:
                now = now_of.get(values.get("id", ""))
                visibility = now.visibility if now is not None else {ITEM: Audience.internal}  # type: ignore[attr-defined]  # gone from today's file: never published again
                return visibility, self.today_meta, item_level(visibility, narrowest(parent, self.today_top))
        visibility = values.get("visibility")
        return visibility, self.meta, item_level(visibility, parent)

    def _field_shown(self, name: str, visibility: dict[str, Audience] | None, level: Audience, meta: PlanFile | None) -> bool:
        return sees(self.audience, field_level(name, visibility, level, meta))

    def _looked_at(self, sh: Shape, visibility: dict[str, Audience] | None, level: Audience, meta: PlanFile | None) -> Iterable[Slot]:
        """The fields of an item that may need work: all when its own level is narrower than the audience
        (the plan file), else those that hold models or name items, and those some setting or default narrows."""
        if not sees(self.audience, level):
            return sh.slots
        narrowed = [sh.by_name[n] for names in (DEFAULT_FIELDS, visibility or (), (meta.visibility or ()) if meta is not None else ())
                    for n in names if n in sh.by_name]
        return dict.fromkeys((*sh.active, *narrowed)) if narrowed else sh.active

    # --- first pass: which items the audience sees (a reference may name an item met later) --------------
    def mark(self, thing: BaseModel, parent: Audience) -> None:
        sh = shape(type(thing))
        values = thing.__dict__
        visibility, meta, level = None, self.meta, parent
        if sh.item:
            visibility, meta, level = self._judge(thing, parent)
            if not sees(self.audience, level):
                return
            ident = values.get("id")
            if ident is not None:
                self.visible.setdefault(sh.kind, set()).add(ident)
        for slot in sh.active:
            value = values.get(slot.name)
            if not slot.holds or not value or (not slot.required and not self._field_shown(slot.name, visibility, level, meta)):
                continue
            for child in _things(value):
                self.mark(child, level)

    # --- second pass: the copies ------------------------------------------------------------------------
    def count(self, thing: BaseModel) -> int:
        """Count ``thing`` and every item below it as not shown; how many items that is."""
        sh = shape(type(thing))
        n = 0
        if sh.item:
            self.withheld.items[sh.kind] += 1
            n = 1
        for slot in sh.active:
            if slot.holds:
                n += sum(self.count(child) for child in _things(thing.__dict__.get(slot.name)))
        return n

    def _drop(self, holder: BaseModel, child: BaseModel) -> None:
        ident = holder.__dict__.get("id")
        if ident is not None:
            self.dropped.setdefault((shape(type(holder)).kind, ident), Counter())[shape(type(child)).kind] += 1

    def ref(self, kind: str, value: Any) -> Any:
        """``value`` (an id or a list of ids of ``kind``) with each id of an item not shown replaced by « non publié »."""
        visible = self.visible.get(kind, set())
        if isinstance(value, str):
            return value if value in visible else self.label
        if isinstance(value, list) and not all(x in visible for x in value):
            out: list[Any] = []
            for x in value:
                y = x if x in visible else self.label
                if y != self.label or y not in out:
                    out.append(y)
            return out
        return value

    def value(self, value: Any, level: Audience, holder: BaseModel | None) -> Any:
        """A field's value that holds models, filtered (the same object when nothing changes)."""
        if isinstance(value, BaseModel):
            return self.copy(value, level)
        if isinstance(value, (list, dict)):
            pairs = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
            out: list[tuple[Any, Any]] = []
            changed = False
            for key, v in pairs:
                if isinstance(v, BaseModel):
                    c = self.copy(v, level)
                    if c is None:
                        changed = True
                        if holder is not None:
                            self._drop(holder, v)
                        continue
                    changed = changed or c is not v
                    v = c
                out.append((key, v))
            if not changed:
                return value
            return dict(out) if isinstance(value, dict) else [v for _k, v in out]
        return value

    def copy(self, thing: BaseModel, parent: Audience, *, always: bool = False) -> Any:
        """``thing`` as the audience may see it, or None (counted) when it may not see it at all
        (``always``: given anyway, every field it may not see emptied: the plan file)."""
        model = type(thing)
        sh = shape(model)
        values = thing.__dict__
        visibility, meta, level = None, self.meta, parent
        if sh.item:
            visibility, meta, level = self._judge(thing, parent)
            if not always and not sees(self.audience, level):
                self.count(thing)
                return None
        skip = PLAN_SETTINGS if model is PlanFile else ()
        update: dict[str, Any] = {}
        for slot in self._looked_at(sh, visibility, level, meta):
            name = slot.name
            value = values.get(name)
            if name in skip or value is None or (isinstance(value, (str, list, dict)) and not value):
                continue
            if not slot.required and not self._field_shown(name, visibility, level, meta):
                update[name] = model.model_fields[name].get_default(call_default_factory=True)
                counted = 0
                for child in _things(value) if slot.holds else ():
                    counted += self.count(child)
                    if shape(type(child)).item:
                        self._drop(thing, child)
                if not counted:
                    self.withheld.fields[name] += 1
                continue
            if slot.holds:
                new = self.value(value, level, thing)
            elif slot.refers is not None:
                new = self.ref(slot.refers, value)
            else:
                continue
            if new is not value:
                update[name] = new
        result = thing.model_copy(update=update) if update else thing
        ident = values.get("id")
        if sh.item and ident is not None:
            self.shown.setdefault(sh.kind, {})[ident] = result
        return result

    def plan(self, plan: Plan) -> Plan:
        for _name, value in _containers(plan):
            for thing in _things(value):
                self.mark(thing, self.top)
        updates: dict[str, Any] = {name: self.value(value, self.top, None) for name, value in _containers(plan)}
        meta = self.copy(plan.meta, self.top, always=True) if plan.meta is not None else None
        shown_ids = {i for ids in self.shown.values() for i in ids}
        origins = {k: v for k, v in plan.origins.items() if k in shown_ids}
        kept = {rel for rel, _path in origins.values()}
        files = [f for f in plan.files if f in kept or "/" not in f]  # the plan's own files (plan.yaml, people.yaml), and those of items shown
        return dataclasses.replace(plan, meta=meta, origins=origins, files=files, **updates)


def _actions_below(obj: Objective):
    stack = [obj]
    while stack:
        o = stack.pop()
        yield from o.actions
        stack.extend(o.objectives)


def _lines(plan: Plan) -> Iterator[Any]:
    """Every budget line of the plan: actions', objectives' own, strands' own."""
    for volet in plan.volets:
        yield from volet.budget
    for obj, _parent, _depth in plan.walk():
        yield from obj.budget
        for a in obj.actions:
            yield from a.budget


def _sources(plan: Plan) -> set[str]:
    return {line.source for line in _lines(plan) if line.source}


def _funders(plan: Plan) -> set[str]:
    return {name for line in _lines(plan) for name in ([f.name for f in line.funders] if line.funders else [line.funder] if line.funder else [])}


def _relabel(budget: Budget, names: dict[str, str], funders: dict[str, str] | None = None) -> Budget:
    """The same budget with the names of withheld funding sources and funders replaced (their amounts still count)."""
    funders = funders or {}
    if not (names and any(s in names for s in budget.by_source)) and not (funders and any(f in funders for f in budget.by_funder)):
        return budget
    by_source: dict[str, Any] = {}
    for source, amount in budget.by_source.items():
        key = names.get(source, source)
        by_source[key] = by_source.get(key, 0) + amount
    by_funder: dict[str, Any] = {}
    for funder, amount in budget.by_funder.items():
        key = funders.get(funder, funder)
        by_funder[key] = by_funder.get(key, 0) + amount
    return dataclasses.replace(budget, by_source=by_source, by_year=dict(budget.by_year), by_funder=by_funder)


def publish(plan: Plan, audience: Audience, as_of: dt.date, rollup: Rollup | None = None, withheld_label: str | None = None,
            today: Plan | None = None) -> Published:
    """The plan and its figures as ``audience`` may see them (``withheld_label`` names what is counted but not shown:
    by default « non publié », or « not published » for a plan in English).

    ``today``: the plan as today's files say (its people and services at least: :func:`feuille.pipeline.read_registry`)
    when ``plan`` is a past revision; who may see a person or a service is then what ``today`` says, and one that is no
    longer there is not published.  None: ``plan`` is today's."""
    if withheld_label is None:
        withheld_label = WITHHELD(plan.lang)
    rollup = rollup if rollup is not None else compute(plan, as_of)
    f = _Filter(plan, audience, withheld_label, today)
    shown_plan = f.plan(plan)
    actions_shown = f.shown.get("Action", {})
    objectives_shown = f.shown.get("Objective", {})
    hidden_lines = {ident: c["BudgetLine"] for (kind, ident), c in f.dropped.items() if kind == "Action" and c["BudgetLine"]}
    hidden_below: dict[str, int] = {}
    names = {source: withheld_label for source in _sources(plan) - _sources(shown_plan)}  # a source only withheld lines name
    funders = {name: withheld_label for name in _funders(plan) - _funders(shown_plan)}  # likewise a funder
    subs_shown = f.shown.get("SubAction", {})

    def action_result(a: ActionResult) -> ActionResult | None:
        copy = actions_shown.get(a.action.id)
        holder = objectives_shown.get(a.objective.id)
        if copy is None or holder is None:
            return None
        subs = [dataclasses.replace(s, sub=subs_shown[s.sub.id], action=copy, objective=holder) for s in a.subs if s.sub.id in subs_shown]
        return dataclasses.replace(a, action=copy, objective=holder, budget=_relabel(a.budget, names, funders), subs=subs)

    results: dict[str, ActionResult] = {}
    for a in rollup.actions:
        r = action_result(a)
        if r is not None:
            results[a.action.id] = r

    def objective_result(r: ObjectiveResult) -> ObjectiveResult | None:
        copy = objectives_shown.get(r.objective.id)
        if copy is None:
            return None
        children = [c for child in r.children if (c := objective_result(child)) is not None]
        actions = [results[a.action.id] for a in r.actions if a.action.id in results]
        shared = [(results[a.action.id], pct) for a, pct in r.shared_in if a.action.id in results]
        below = sum(1 for _ in _actions_below(r.objective))
        shown_below = sum(1 for a in _actions_below(r.objective) if a.id in results)
        hidden_below[r.objective.id] = below - shown_below
        return dataclasses.replace(r, objective=copy, children=children, actions=actions, shared_in=shared, budget=_relabel(r.budget, names, funders),
                                   own_budget=_relabel(r.own_budget, names, funders))

    objectives = [c for r in rollup.objectives if (c := objective_result(r)) is not None]
    tops = {r.objective.id: r for r in objectives}
    volets_shown = {v.ident: v for v in shown_plan.volets}
    volets = [dataclasses.replace(v, item=volets_shown.get(v.ident) if v.item is not None else None, objectives=[tops[t.objective.id] for t in v.objectives if t.objective.id in tops],
                                  own_budget=_relabel(v.own_budget, names, funders), budget=_relabel(v.budget, names, funders)) for v in rollup.volets]
    shown_rollup = dataclasses.replace(
        rollup, plan=shown_plan, budget=_relabel(rollup.budget, names, funders), objectives=objectives,
        actions=[results[a.action.id] for a in rollup.actions if a.action.id in results], volets=volets)
    positions = {kind_of(type(next(_things(value)))): {k: i for i, k in enumerate(value)} for _n, value in _containers(plan) if isinstance(value, dict)}
    return Published(audience, shown_plan, shown_rollup, f.withheld, hidden_below, hidden_lines, positions)
