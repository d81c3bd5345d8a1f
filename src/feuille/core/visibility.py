"""Who may see what: the effective audience of every item and field (docs/audiences.md).

``visibility`` can be set on the plan, an objective, an action, an indicator, a
budget line and a person: a level (``council``) or a mapping of field names
(``{item: public, health_note: internal}``, ``item`` being the thing itself).
Levels are inherited downwards and never widened: an action under an internal
objective is internal whatever it says.  A field's level is its own setting, else
the plan's setting for that field, else the default below, and never wider than
its item's.  Pure functions of the model, used by the rules (checks) and by the
audience filter that every published output goes through (compute.audience).
"""

from __future__ import annotations

from feuille.core.model import Action, Audience, BudgetLine, Indicator, Objective, Person, PlanFile

RANK = {Audience.internal: 0, Audience.council: 1, Audience.public: 2}
ITEM = "item"

#: Fields kept for a narrower audience unless the plan or the item says otherwise.
DEFAULT_FIELDS: dict[str, Audience] = {
    "notes": Audience.internal,  # internal notes (items and the plan)
    "health_note": Audience.internal,  # why an action is at risk: often about contractors, people, money
    "email": Audience.internal,  # people's contact details
    "phone": Audience.internal,
    "entered_by": Audience.internal,  # who entered an indicator's measurement: a person
}

#: Fields that cannot be withheld on their own (withhold the whole item instead).
ALWAYS_SHOWN = frozenset({"id", "title", "first_name", "last_name", "label", "amount", "year", "visibility"})


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


def fields_of(model: type) -> frozenset[str]:
    """The fields a ``visibility`` mapping may withhold: the optional ones (a required field goes with its item)."""
    return frozenset(name for name, f in model.model_fields.items() if not f.is_required())


#: Field names a ``visibility`` mapping may name, by kind of thing.
SETTABLE: dict[type, frozenset[str]] = {
    kind: fields_of(kind) - ALWAYS_SHOWN - {"objectives", "actions"} for kind in (Action, Objective, Indicator, BudgetLine, Person)
}
SETTABLE[PlanFile] = SETTABLE[Action] | SETTABLE[Objective] | SETTABLE[Person]
