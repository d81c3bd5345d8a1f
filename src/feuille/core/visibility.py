"""Who may see what: the effective audience of every item and field (docs/audiences.md).

``visibility`` can be set on the plan and on every kind of item (objective, action,
indicator, budget line, person, service, and any model that has a ``visibility`` field):
a level (``council``) or a mapping of field names (``{item: public, health_note:
internal}``, ``item`` being the thing itself).  Levels are inherited downwards and never
widened: an action under an internal objective is internal whatever it says.  A field's
level is its own setting, else the plan's setting for that field, else the default below,
and never wider than its item's.  Pure functions of the model, used by the rules (checks)
and by the audience filter that every published output goes through (compute.audience).

What a kind of item is, which fields hold other items and which name another item by its
id (a :class:`~feuille.core.model.Ref` in the field's type) is read from the model itself
(:func:`slots`, :func:`item_kinds`): a new kind or field is covered without code here.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass

from pydantic import BaseModel

from feuille.core.model import FILE_MODELS, Audience, PeopleFile, PlanFile, Ref

RANK = {Audience.internal: 0, Audience.council: 1, Audience.public: 2}
ITEM = "item"

#: Fields kept for a narrower audience unless the plan or the item says otherwise (by name, on every kind).
DEFAULT_FIELDS: dict[str, Audience] = {
    "notes": Audience.internal,  # internal notes (items and the plan)
    "health_note": Audience.internal,  # why an action is at risk: often about contractors, people, money
    "email": Audience.internal,  # contact details of people and services
    "phone": Audience.internal,
    "entered_by": Audience.internal,  # who entered an indicator's measurement: a person
}

#: Fields that cannot be withheld on their own (withhold the whole item instead).
ALWAYS_SHOWN = frozenset({"id", "title", "first_name", "last_name", "label", "amount", "year", "visibility"})

#: Fields of plan.yaml that are settings rather than content: always given (every output is built with them).
PLAN_SETTINGS = frozenset({"visibility", "licence", "organisations", "term", "levels", "scale", "settings", "priorities", "rules", "locale",
                           "currency", "transmission", "defaults"})


def narrowest(*levels: Audience) -> Audience:
    return min(levels, key=RANK.__getitem__)


def sees(audience: Audience, level: Audience) -> bool:
    """Whether ``audience`` may see something whose level is ``level``."""
    return RANK[level] >= RANK[audience]


def own_level(visibility: dict[str, Audience] | None) -> Audience | None:
    return visibility.get(ITEM) if visibility else None


def item_level(visibility: dict[str, Audience] | None, parent: Audience) -> Audience:
    """An item's level: its own setting, else its parent's; never wider than its parent's."""
    own = own_level(visibility)
    return parent if own is None else narrowest(own, parent)


def plan_level(meta: PlanFile | None) -> Audience:
    return (own_level(meta.visibility) if meta is not None else None) or Audience.public


def field_level(name: str, visibility: dict[str, Audience] | None, level: Audience, meta: PlanFile | None) -> Audience:
    """The level of field ``name`` of an item whose own level is ``level``."""
    if name in ALWAYS_SHOWN:
        return level
    wanted = (visibility or {}).get(name)
    if wanted is None and meta is not None and meta.visibility:
        wanted = meta.visibility.get(name)
    if wanted is None:
        wanted = DEFAULT_FIELDS.get(name, level)
    return narrowest(wanted, level)


# --- the model, read once ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """One field of a model, as the audience filter needs to know it."""

    name: str
    required: bool  # goes with its item (cannot be withheld on its own)
    refers: str | None  # the kind of item it names by id (a Ref in its type), else None
    holds: tuple[type[BaseModel], ...]  # the models it may hold (a model, a list or a mapping of them)


def _walk_type(annotation: typing.Any) -> typing.Iterator[typing.Any]:
    """Every type and annotation met inside ``annotation`` (Optional, list, dict, Annotated unwrapped)."""
    stack = [annotation]
    while stack:
        t = stack.pop()
        yield t
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            stack.append(typing.get_args(t)[0])
            yield from t.__metadata__
        elif origin is not None or isinstance(t, types.UnionType):
            stack.extend(typing.get_args(t))


@functools.cache
def slots(model: type[BaseModel]) -> tuple[Slot, ...]:
    """The fields of ``model`` in order, each with what it refers to and what models it holds."""
    out = []
    for name, spec in model.model_fields.items():
        found = [*_walk_type(spec.annotation), *spec.metadata]
        refers = next((x.kind for x in found if isinstance(x, Ref)), None)
        holds = tuple(dict.fromkeys(x for x in found if isinstance(x, type) and issubclass(x, BaseModel)))
        out.append(Slot(name, spec.is_required(), refers, holds))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Shape:
    """A model as the audience filter walks it (worked out once per model)."""

    kind: str  # kind_of(model)
    item: bool  # is_item(model)
    slots: tuple[Slot, ...]
    by_name: dict[str, Slot]
    active: tuple[Slot, ...]  # the fields always looked at: those that hold models or name an item


@functools.cache
def shape(model: type[BaseModel]) -> Shape:
    found = slots(model)
    return Shape(kind_of(model), is_item(model), found, {s.name: s for s in found}, tuple(s for s in found if s.holds or s.refers))


def is_item(model: type[BaseModel]) -> bool:
    """Whether things of this model are items with an audience of their own (they have a ``visibility`` field)."""
    return "visibility" in model.model_fields


def kind_of(model: type[BaseModel]) -> str:
    """The kind of an item, as :class:`Withheld` counts it and :class:`~feuille.core.model.Ref` names it: the model's name."""
    return model.__name__


def _reachable(roots: typing.Iterable[type[BaseModel]]) -> list[type[BaseModel]]:
    seen: dict[type[BaseModel], None] = {}
    stack = list(roots)
    while stack:
        model = stack.pop(0)
        if model in seen:
            continue
        seen[model] = None
        stack.extend(m for s in slots(model) for m in s.holds)
    return list(seen)


def item_kinds() -> list[type[BaseModel]]:
    """Every kind of item of a plan's files (each model with a ``visibility`` field), the plan itself first."""
    return [m for m in _reachable(FILE_MODELS.values()) if is_item(m)]


def registry_kinds() -> frozenset[str]:
    """The kinds listed in people.yaml (people, services): who may see them is always today's people.yaml's say."""
    return frozenset(kind_of(m) for m in _reachable([PeopleFile]) if is_item(m))


def fields_of(model: type[BaseModel]) -> frozenset[str]:
    """The fields a ``visibility`` mapping may withhold: the optional ones (a required field goes with its item)."""
    return frozenset(name for name, f in model.model_fields.items() if not f.is_required())


#: Field names a ``visibility`` mapping may name, by kind of thing; the plan's mapping sets the defaults of every kind.
SETTABLE: dict[type, frozenset[str]] = {
    kind: fields_of(kind) - ALWAYS_SHOWN - {"objectives", "actions"} for kind in item_kinds() if kind is not PlanFile
}
SETTABLE[PlanFile] = frozenset().union(*SETTABLE.values(), fields_of(PlanFile) - ALWAYS_SHOWN - PLAN_SETTINGS)
