"""What a person asks ``feuille new action|objective|sub-action`` to create, as the write service takes it (app/write.py).

The options are read as staff write them (app/values.py: « 31/12/2028 », « Vanhove », « terminé »); :func:`values`
gives the new item's fields, :func:`prepare` hands them to the write service, which gives the id (the next of the
plan's own sequence, never one used on a branch of the repository), applies the same rules as every write (a status
fills the actual dates it implies, the item is reviewed the day a person creates it), puts the item where the plan's
layout says, in its file's block style, and checks the result.  An :class:`~feuille.app.values.InputError` says what
to write instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from feuille.app import write
from feuille.app.update import find_item, label_of
from feuille.app.values import InputError, parse_choice, person, say, service, write_lang
from feuille.app.values import parse_date as parse_user_date
from feuille.core.i18n import NC_, Words
from feuille.core.model import Action, Objective, Status, SubAction, Volet
from feuille.io.place import ids_on_branches

#: the kinds ``feuille new`` creates, as they may be written
KINDS = {"action": "action", "objective": "objective", "objectif": "objective", "sub-action": "sub_action", "sub_action": "sub_action",
         "subaction": "sub_action", "sous-action": "sub_action", "sous_action": "sub_action", "sousaction": "sub_action"}

#: the options of ``feuille new`` a sub-action has no field for (it has a title, owners, dates, a status; its action the rest)
NOT_FOR_SUB_ACTIONS = {"description": "--description", "service": "--service", "volet": "--volet"}

#: who a person given with --political-owner or --admin-owner is, in the messages about them
OWNER = Words({"political": NC_("owner", "political owner"), "administrative": NC_("owner", "administrative owner")})

_EXAMPLE = 'feuille new action --in O4 --title "..."'
_SUB_EXAMPLE = 'feuille new sub-action --in A1.1 --title "..."'


def kind_of(text: str) -> str:
    """``action`` or ``objective`` (« objectif » too); :class:`InputError` otherwise."""
    kind = KINDS.get(text.lower())
    if kind is None:
        raise InputError(say("'{kind}': feuille new creates an action, a sub-action or an objective.", kind=text), say('Example: ') + _EXAMPLE)
    return kind


def parent_of(loaded: Any, kind: str, parent_id: str | None) -> Any:
    """The objective ``--in`` names (None: a top-level objective), the action for a sub-action; :class:`InputError` for an
    item of the wrong kind, an unknown id, or an action or sub-action without ``--in``."""
    if parent_id is None:
        if kind == "action":
            raise InputError(say('an action goes in an objective: give --in ID.'), say('Example: ') + _EXAMPLE)
        if kind == "sub_action":
            raise InputError(say('a sub-action goes in an action: give --in ID.'), say('Example: ') + _SUB_EXAMPLE)
        return None
    parent = find_item(loaded, parent_id)
    if kind == "sub_action":
        if isinstance(parent, SubAction):
            raise InputError(say("'{parent_id}' is a sub-action: sub-actions have one level.", parent_id=parent.id),
                             say("Give --in with its action's id ({action}).", action=loaded.plan.sub_action_index()[parent.id][1].id))
        if not isinstance(parent, Action):
            raise InputError(say("'{parent_id}' is an objective: a sub-action goes in an action.", parent_id=parent.id),
                             say("Give --in with an action's id; an objective takes actions: feuille new action --in {parent_id}.", parent_id=parent.id))
        return parent
    if isinstance(parent, SubAction):
        raise InputError(say("'{parent_id}' is a sub-action: actions and objectives go in an objective.", parent_id=parent.id),
                         say("Give --in with an objective's id."))
    if not isinstance(parent, Objective):
        raise InputError(say("'{parent_id}' is an action: actions and objectives go in an objective.", parent_id=parent_id),
                         say("Give --in with an objective's id."))
    return parent


def intro(kind: str, parent: Any) -> str:
    """What the questions of a new item begin with (« Nouvelle action dans O4 « Logement » — Entrée laisse un champ vide. »)."""
    if kind == "action":
        return say("New action in {id} '{title}' — Enter leaves a field empty.", id=parent.id, title=parent.title)
    if kind == "sub_action":
        return say("New sub-action in {id} '{title}' — Enter leaves a field empty.", id=parent.id, title=parent.title)
    if parent is not None:
        return say("New objective in {id} '{title}' — Enter leaves a field empty.", id=parent.id, title=parent.title)
    return say("New objective — Enter leaves a field empty.")


@dataclass(slots=True)
class Asked:
    """The options of ``feuille new``, as written (None: not given)."""

    title: str | None = None
    description: str | None = None
    political_owners: list[str] = field(default_factory=list)
    admin_owner: str | None = None
    service: str | None = None
    planned_start: str | None = None
    planned_end: str | None = None
    status: str | None = None
    volet: str | None = None


def readers(plan: Any, day: dt.date) -> dict[str, tuple[str, Callable[[str], Any]]]:
    """field -> (the question, how to read an answer) for the fields :func:`values` reads from text; each reader raises
    :class:`InputError` with what to write instead."""
    political, administrative = OWNER[write_lang()]["political"], OWNER[write_lang()]["administrative"]
    the_start, the_end = say("the planned start"), say("the deadline")
    return {
        "political_owners": (say("political owners (ids or names, separated by commas)"),
                             lambda a: [person(plan, p, political) for p in a.split(",") if p.strip()]),
        "admin_owner": (say("administrative owner (id or name)"), lambda a: person(plan, a, administrative)),
        "service": (say("lead service (id or name)"), lambda a: service(plan, a)),
        "planned_start": (say("planned start (DD/MM/YYYY)"), lambda a: parse_user_date(a, the_start, day)),
        "planned_end": (say("deadline (DD/MM/YYYY)"), lambda a: parse_user_date(a, the_end, day)),
        "status": (label_of("status"), lambda a: parse_choice(a, Status, label_of("status"))),
        "volet": (label_of("volet"), lambda a: parse_choice(a, Volet, label_of("volet"))),
    }


#: the fields a person is asked for when ``feuille new`` asks (``-i``, or no --title), in this order
ASKED = ("political_owners", "admin_owner", "service", "planned_start", "planned_end")


def asked_of(kind: str) -> tuple[str, ...]:
    """The fields :data:`ASKED` that a new ``kind`` has (a sub-action has no lead service)."""
    return tuple(n for n in ASKED if not (kind == "sub_action" and n in NOT_FOR_SUB_ACTIONS))


def values(plan: Any, kind: str, asked: Asked, day: dt.date) -> dict[str, Any]:
    """The new item's fields from the options (None or [] where not given): :class:`InputError` for a value that cannot
    be read, or an option a sub-action has no field for.  An action's or a sub-action's status is « à venir » unless given."""
    read = readers(plan, day)
    if kind == "sub_action":
        for name, option in NOT_FOR_SUB_ACTIONS.items():
            if getattr(asked, name):
                raise InputError(say("a sub-action has no {option}: it has a title, owners, dates and a status.", option=option),
                                 say("Drop {option}; its action carries it (feuille update ACTION).", option=option))
    data: dict[str, Any] = {
        "title": (asked.title or "").strip(),
        "description": asked.description.strip() if asked.description else None,
        "political_owners": [person(plan, p, OWNER[write_lang()]["political"]) for p in asked.political_owners],  # one per option
    }
    for name in ("admin_owner", "service", "planned_start", "planned_end", "volet"):
        text = getattr(asked, name)
        data[name] = read[name][1](text) if text else None
    if kind == "sub_action":
        for name in NOT_FOR_SUB_ACTIONS:
            data.pop(name, None)
    if kind in ("action", "sub_action"):
        data["status"] = read["status"][1](asked.status) if asked.status else "not_started"
    return data


def prepare(loaded: Any, kind: str, parent: Any, data: dict[str, Any], day: dt.date, ident: str | None = None) -> Any:
    """The write service's :class:`~feuille.app.write.Write` that creates the item (not written: ``write.commit``).

    Its id is ``ident`` if given and free, else the next of the plan's sequence, never one used on any branch of the
    plan's repository."""
    asked = write.NewItem(kind, parent.id if parent is not None else None, data, id=ident)
    return write.prepare(loaded, new=[asked], day=day, taken=ids_on_branches(loaded.plan.root))


def commit_message(created: Any, parent: Any) -> str:
    """The commit's line for a new item (« A4.3 : nouvelle action « ... » dans O4 »), in the command's language."""
    if created.kind == "action":
        return say("{id}: new action '{title}' in {parent}", id=created.id, title=created.title, parent=parent.id)
    if created.kind == "sub_action":
        return say("{id}: new sub-action '{title}' in {parent}", id=created.id, title=created.title, parent=parent.id)
    if parent is not None:
        return say("{id}: new objective '{title}' in {parent}", id=created.id, title=created.title, parent=parent.id)
    return say("{id}: new objective '{title}'", id=created.id, title=created.title)
