"""What changed between two versions of a plan, item by item, keyed by id.

Pure: two :class:`~feuille.core.plan.Plan` in, a list of :class:`Change` out.  Items
are matched by their id (unique once loaded), never by file or position, so an
action whose file was renamed or moved to another objective's file is the same
action, « moved » rather than removed and added.

Kinds of change (``Change.kind``):

- ``added``, ``removed``: an objective or an action;
- ``moved``: an action now held by another objective (or an objective under another parent);
- ``retitled``: the title;
- ``status``; ``progress`` (declared, with the delta in points);
- ``dates``: planned start or end moved, ``days`` later (positive: slipped) or earlier;
- ``budget`` (planned total), ``spent`` (total spent);
- ``owners``: political owners, administrative owner, lead service;
- ``measurement``: a new dated measurement of an indicator;
- ``file``: the item is now read from another file (rename, move);
- ``field``: any other field (texts, health, actual dates, scores...), old and new value.

Values are plain (str, int, float, list, dict, None): ready for JSON and for the views.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from feuille.core._perf import paused_gc
from feuille.core.fields import of
from feuille.core.model import Action, Indicator, Objective, SubAction
from feuille.core.plan import Plan

KINDS = ("added", "removed", "moved", "retitled", "status", "progress", "dates", "budget", "spent", "owners", "measurement", "file", "field")
# (which kind of change a field makes: the field registry's ``change``, declared in core/model.py; by default ``field``)
#: decision fields (issue 14, validations): their changes wait for the next validation
DECISION_KINDS = frozenset({"added", "removed", "moved", "retitled", "dates", "budget", "owners"})
_CHILDREN = frozenset({"objectives", "actions"})


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    level: str  # action | objective
    item: str  # the item's id
    title: str  # its title (the new one, or the last known)
    objective: str | None  # the group: the objective that holds the action (or the objective itself)
    field: str | None = None
    old: Any = None
    new: Any = None
    delta: Any = None  # progress points, days, amount
    reason: str | None = None  # a deadline move recorded in ``reschedules``: why (its ``reason``)...
    decided: str | None = None  # ...and when (its ``date``, ISO)

    def as_dict(self) -> dict[str, Any]:
        out = {"kind": self.kind, "level": self.level, "id": self.item, "title": self.title, "objective": self.objective,
               "field": self.field, "old": self.old, "new": self.new, "delta": self.delta}
        if self.reason is not None:
            out.update(reason=self.reason, decided=self.decided)
        return out


@dataclass(slots=True)
class PlanDiff:
    changes: list[Change] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # objective id -> title (new, else old), for the groups
    order: list[str] = field(default_factory=list)  # objective ids in plan order (new plan first, then removed ones)

    def groups(self) -> list[tuple[str | None, list[Change]]]:
        by: dict[str | None, list[Change]] = {}
        for c in self.changes:
            by.setdefault(c.objective, []).append(c)
        rank = {o: i for i, o in enumerate(self.order)}
        return sorted(by.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0] or ""))

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def __bool__(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True, slots=True)
class Located:
    item: Objective | Action
    parent: str | None  # the objective holding it (None: a top-level objective)
    file: str  # where it was read, relative to the plan root


def index(plan: Plan | None) -> dict[str, Located]:
    """Every objective and action of ``plan`` by id, with its parent and file."""
    out: dict[str, Located] = {}
    if plan is None:
        return out
    origins = plan.origins
    for obj, parent, _depth in plan.walk():
        out[obj.id] = Located(obj, parent.id if parent else None, origins.get(obj.id, ("", ()))[0])
        for action in obj.actions:
            out[action.id] = Located(action, obj.id, origins.get(action.id, ("", ()))[0])
    return out


def located(plan: Plan | None, ident: str) -> Located | None:
    """``index(plan).get(ident)``, without a :class:`Located` for every other item (``log``: once per revision)."""
    if plan is None:
        return None
    origins = plan.origins
    for obj, parent, _depth in plan.walk():
        if obj.id == ident:
            return Located(obj, parent.id if parent else None, origins.get(obj.id, ("", ()))[0])
        for action in obj.actions:
            if action.id == ident:
                return Located(action, obj.id, origins.get(action.id, ("", ()))[0])
    return None


def titles(plan: Plan | None, into: dict[str, str]) -> dict[str, str]:
    """``into`` updated with every objective's and action's title by id, in the order of :func:`index`."""
    if plan is not None:
        for obj, _parent, _depth in plan.walk():
            into[obj.id] = obj.title
            for action in obj.actions:
                into[action.id] = action.title
    return into


def diff(old: Plan | None, new: Plan | None) -> PlanDiff:
    """The changes from ``old`` to ``new`` (either may be missing: everything added, or removed)."""
    with paused_gc():  # tens of thousands of small objects, none of them garbage
        return _diff(old, new)


def _diff(old: Plan | None, new: Plan | None) -> PlanDiff:
    before, after = index(old), index(new)
    result = PlanDiff()
    if new is not None:
        result.order = [o.id for o, _p, _d in new.walk()]
    if old is not None:
        seen = set(result.order)
        result.order += [o.id for o, _p, _d in old.walk() if o.id not in seen]
    for ident in result.order:
        loc = after.get(ident) or before.get(ident)
        if loc is not None:
            result.titles[ident] = loc.item.title
    for ident, now in after.items():
        result.changes += item_changes(before.get(ident), now)
    for ident, was in before.items():
        if ident not in after:
            result.changes += item_changes(was, None)
    return result


@dataclass(frozen=True, slots=True)
class Brief:
    """An objective or action as the index of its file knows it (io/itemindex.py): where it is, its title, a digest of
    its fields (its children aside); ``ref``: what the caller's ``build`` needs to make the item itself."""

    level: str  # action | objective
    id: str
    title: str
    parent: str | None
    file: str
    digest: bytes
    ref: Any


def diff_briefs(before: dict[str, Brief], after: dict[str, Brief], order: list[str], build: Callable[[Brief], Objective | Action]) -> PlanDiff:
    """:func:`diff` of two plans known by their items' briefs (each by id, in the order of :func:`index`; ``order``: the
    objective ids as :func:`diff` orders them): the same changes, building only the items whose digests differ."""
    with paused_gc():
        result = PlanDiff(order=order)
        for ident in order:
            loc = after.get(ident) or before.get(ident)
            if loc is not None:
                result.titles[ident] = loc.title
        changes = result.changes
        for ident, now in after.items():
            was = before.get(ident)
            if was is None or was.digest != now.digest or was.parent != now.parent or was.file != now.file or was.level != now.level:
                changes += brief_changes(was, now, build)
        for ident, was in before.items():
            if ident not in after:
                changes += brief_changes(was, None, build)
        return result


def brief_changes(was: Brief | None, now: Brief | None, build: Callable[[Brief], Objective | Action]) -> list[Change]:
    """:func:`item_changes` of two briefs: the items are built only when their fields may differ."""
    if was is None and now is None:
        return []
    if was is not None and now is not None and was.level != now.level:
        return brief_changes(was, None, build) + brief_changes(None, now, build)
    cur = now or was
    assert cur is not None
    group = cur.id if cur.level == "objective" else cur.parent
    if was is None or now is None:
        return [Change("added" if was is None else "removed", cur.level, cur.id, cur.title, group)]
    if was.digest != now.digest:
        return item_changes(Located(build(was), was.parent, was.file), Located(build(now), now.parent, now.file))
    out: list[Change] = []
    if was.parent != now.parent:
        out.append(Change("moved", cur.level, cur.id, cur.title, group, "parent", was.parent, now.parent))
    if was.file != now.file and was.file and now.file:
        out.append(Change("file", cur.level, cur.id, cur.title, group, "file", was.file, now.file))
    return out


def item_changes(was: Located | None, now: Located | None) -> list[Change]:
    """The changes of one item between two versions (``None``: it did not exist)."""
    if was is None and now is None:
        return []
    if was is not None and now is not None and _level(was.item) != _level(now.item):
        return item_changes(was, None) + item_changes(None, now)
    cur = now or was
    assert cur is not None
    item = cur.item
    level = _level(item)
    group = item.id if level == "objective" else cur.parent

    def change(kind: str, name: str | None = None, old: Any = None, new: Any = None, delta: Any = None, objective: str | None = group) -> Change:
        return Change(kind, level, item.id, item.title, objective, name, old, new, delta)

    if was is None:
        return [change("added", objective=group)]
    if now is None:
        return [change("removed")]
    out: list[Change] = []
    if was.parent != now.parent:
        out.append(change("moved", "parent", was.parent, now.parent))
    if was.file != now.file and was.file and now.file:
        out.append(change("file", "file", was.file, now.file))
    a, b = was.item, now.item
    if type(a) is type(b) and _same(a, b):
        return out
    registry = of(type(b))
    for name in type(b).model_fields:
        if name in _CHILDREN:
            continue
        x, y = getattr(a, name), getattr(b, name)
        if x == y:
            continue
        kind = registry[name].meta.change or "field"
        if kind == "sub_actions":
            out += _sub_actions(x, y, group)
            continue
        if kind == "retitled":
            out.append(change("retitled", name, x, y))
        elif kind == "status":
            out.append(change("status", name, _plain(x), _plain(y)))
        elif kind == "progress":
            x, y = _percent(x), _percent(y)  # a declared progress ({value, date, source}) compares by its value
            if x == y:
                continue
            out.append(change("progress", name, x, y, round(y - x, 1) if x is not None and y is not None else None))
        elif kind == "dates":
            out.append(change("dates", name, _plain(x), _plain(y), (y - x).days if x is not None and y is not None else None))
        elif kind == "owners":
            out.append(change("owners", name, _plain(x), _plain(y)))
        elif kind == "budget":
            out += _budget(change, a, b)
        elif kind == "measurement":
            out += _measurements(change, getattr(a, name), getattr(b, name))
        else:
            out.append(change("field", name, _plain(x), _plain(y)))
    return _one_move(out)


def _one_move(changes: list[Change]) -> list[Change]:
    """A deadline moved with its reason (``feuille update --planned-end ... --reason``) is one change, not two: the
    ``planned_end`` change carries the reason and date of the one ``reschedules`` entry added for it (from its old to
    its new value), and that entry is not said again.  Anything else (entries edited, removed, several) stays as it is."""
    moves = [c for c in changes if c.field == "reschedules" and c.kind == "field"]
    ends = [c for c in changes if c.field == "planned_end" and c.kind == "dates"]
    if len(moves) != 1 or len(ends) != 1:
        return changes
    move, end = moves[0], ends[0]
    old = move.old if isinstance(move.old, list) else []
    new = move.new if isinstance(move.new, list) else []
    added = [m for m in new if m not in old]
    if len(added) != 1 or any(m not in new for m in old) or not isinstance(added[0], dict):
        return changes
    entry = added[0]
    if (entry.get("from_") or entry.get("from")) != end.old or entry.get("to") != end.new:
        return changes
    merged = dataclasses.replace(end, reason=str(entry.get("reason") or ""), decided=entry.get("date"))
    return [merged if c is end else c for c in changes if c is not move]


def _sub_actions(old: list[Any], new: list[Any], group: str | None) -> list[Change]:
    """The changes of an action's sub-actions, each under its own id (said like an action's: added, status, progress, dates...)."""
    before, after = {s.id: s for s in old}, {s.id: s for s in new}
    registry = of(SubAction)
    out: list[Change] = []
    for sid in dict.fromkeys([*after, *before]):
        a, b = before.get(sid), after.get(sid)
        sub = b if b is not None else a
        assert sub is not None

        def change(kind: str, name: str | None = None, x: Any = None, y: Any = None, delta: Any = None, sid: str = sid, sub: Any = sub) -> Change:
            return Change(kind, "action", sid, sub.title, group, name, x, y, delta)

        if a is None or b is None:
            out.append(change("added" if a is None else "removed"))
            continue
        for name in SubAction.model_fields:
            x, y = getattr(a, name), getattr(b, name)
            if x == y or name == "id":
                continue
            kind = registry[name].meta.change or "field"
            if kind in ("retitled", "status", "owners"):
                out.append(change(kind, name, _plain(x), _plain(y)))
            elif kind == "progress":
                out.append(change("progress", name, x, y, round(y - x, 1) if x is not None and y is not None else None))
            elif kind == "dates":
                out.append(change("dates", name, _plain(x), _plain(y), (y - x).days if x is not None and y is not None else None))
            else:
                out.append(change("field", name, _plain(x), _plain(y)))
    return [c for sid in dict.fromkeys(c.item for c in out) for c in _one_move([c for c in out if c.item == sid])]


def _percent(value: Any) -> Any:
    """A progress as a number: itself, or the value of a declared progress (``progress_declared``)."""
    return value.value if hasattr(value, "date") and hasattr(value, "value") else value


def _same(a: Objective | Action, b: Objective | Action) -> bool:
    """Equal fields, children aside (fast path: most items do not change between two commits)."""
    if isinstance(a, Action):
        return a.__dict__ == b.__dict__
    return all(v == b.__dict__.get(k) for k, v in a.__dict__.items() if k not in _CHILDREN)


def _budget(change: Any, a: Action, b: Action) -> list[Change]:
    out = []
    planned_a, planned_b = sum((x.amount for x in a.budget), Decimal(0)), sum((x.amount for x in b.budget), Decimal(0))
    spent_a = sum((x.spent for x in a.budget if x.spent is not None), Decimal(0))
    spent_b = sum((x.spent for x in b.budget if x.spent is not None), Decimal(0))
    if planned_a != planned_b:
        out.append(change("budget", "budget", _plain(planned_a), _plain(planned_b), _plain(planned_b - planned_a)))
    if spent_a != spent_b:
        out.append(change("spent", "budget.spent", _plain(spent_a), _plain(spent_b), _plain(spent_b - spent_a)))
    if not out:  # same totals, other lines (years, sources, articles)
        out.append(change("field", "budget", [_plain(x.model_dump(exclude_none=True)) for x in a.budget],
                          [_plain(x.model_dump(exclude_none=True)) for x in b.budget]))
    return out


def _measurements(change: Any, old: list[Indicator], new: list[Indicator]) -> list[Change]:
    out = []
    before = {i.label: i for i in old}
    other = False
    for ind in new:
        prev = before.get(ind.label)
        known = {(m.date, m.value) for m in prev.measurements} if prev else set()
        for m in ind.measurements:
            if (m.date, m.value) not in known:
                out.append(change("measurement", "indicators", None, {"indicator": ind.label, "date": m.date.isoformat(), "value": m.value, "unit": ind.unit}))
        if prev is None or prev.model_dump(exclude={"measurements"}) != ind.model_dump(exclude={"measurements"}):
            other = True
    if other or {i.label for i in old} - {i.label for i in new} or (not out and old != new):
        out.append(change("field", "indicators", [i.label for i in old], [i.label for i in new]))
    return out


def _level(item: Objective | Action) -> str:
    return "action" if isinstance(item, Action) else "objective"


def _plain(value: Any) -> Any:
    """A value as JSON has it: dates in ISO, amounts as numbers, enums by value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump(exclude_none=True))
    return value


def changed_ids(d: PlanDiff) -> Iterator[str]:
    return iter(dict.fromkeys(c.item for c in d.changes))
