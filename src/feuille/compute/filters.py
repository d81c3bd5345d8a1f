"""Filters shared by ``status`` (and later ``prioritise`` and ``render``): which actions to count.

A filter names people, services and objectives the way staff do (an id, or a
name), case and accents ignored (« propreté » is the service « Service Propreté
publique », « o1 » is O1); a value that matches nothing is an error listing the closest
matches, in the reader's language (:class:`FilterError` holds a catalogue message).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from feuille.core.bounds import BoundError, check_days
from feuille.core.errors import UserError
from feuille.core.fields import words_of
from feuille.core.i18n import NC_, Joined, Msg, msg
from feuille.core.model import Action, Objective, Status
from feuille.core.plan import Plan, subtree

Keep = Callable[[Action, Objective], bool]


class FilterError(UserError, ValueError):
    """A filter value that matches nothing; the message lists the closest matches."""

    code = "filter"


@dataclass(frozen=True, slots=True)
class Filters:
    owner: str | None = None
    service: str | None = None
    objective: str | None = None
    status: str | None = None
    tag: str | None = None
    late: bool = False
    due_within: int | None = None

    def active(self) -> bool:
        return any((self.owner, self.service, self.objective, self.status, self.tag, self.late, self.due_within is not None))


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


fold = _fold  # case and accents ignored: « Propreté » == « proprete »


def match_key(value: str, choices: dict[str, str]) -> list[str]:
    """The keys of ``choices`` (id -> name) that ``value`` names, case and accents ignored: the id, the
    whole name, else the names that hold ``value`` as whole words (« propreté » in « Service Propreté
    publique »).  Empty: nothing matches; several: ``value`` is ambiguous."""
    if value in choices:
        return [value]
    wanted = _fold(value.strip())
    if not wanted:
        return []
    exact = [k for k, name in choices.items() if wanted in (_fold(k), _fold(name))]
    if exact:
        return exact
    words = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    return [k for k, name in choices.items() if words.search(_fold(name))]


def match_id(value: str, ids: dict[str, str]) -> str | None:
    """The id (of ``ids``: id -> title) that ``value`` names, case and accents ignored (« a1.4 » is A1.4)."""
    if value in ids:
        return value
    found = [k for k in ids if _fold(k) == _fold(value.strip())]
    return found[0] if len(found) == 1 else None


def closest(value: str, choices: dict[str, str]) -> str:
    """'A, B or C' for the choices (id -> label) closest to value."""
    folded = {_fold(label): key for key, label in choices.items()}
    folded.update({_fold(key): key for key in choices})
    near = difflib.get_close_matches(_fold(value), list(folded), n=3, cutoff=0.4)
    keys = list(dict.fromkeys(folded[n] for n in near))
    return ", ".join(f"{k} ({choices[k]})" if choices[k] != k else k for k in keys)


_UNKNOWN = {
    "person": msg("Unknown person '{value}' in the plan.{more}"),
    "service": msg("Unknown service '{value}' in the plan.{more}"),
    "objective": msg("Unknown objective '{value}' in the plan.{more}"),
    "tag": msg("Unknown tag '{value}' in the plan: no action or objective has it.{more}"),
}


def _fail(kind: str, value: str, choices: dict[str, str]) -> FilterError:
    near = closest(value, choices)
    more = msg(" Closest: {names}.", names=near) if near else ""
    template = _UNKNOWN[kind]
    return FilterError(msg(template.msgid, value=value, more=more))


# how a reader types the strand and an SDG as a tag, in their language (_has_tag accepts both languages)
_TAG_WORDS = {"internal": NC_("tag", "internal"), "external": NC_("tag", "external"), "sdg": NC_("tag", "sdg{n}")}


def _unknown_tag(value: str, items: list[Action | Objective]) -> FilterError:
    """« Étiquette inconnue ... Les plus proches : externe, propreté », the strand and SDGs named as the reader
    would type them: interne, odd3 in French, internal, sdg3 in English."""
    names: dict[str, Msg | str] = {}  # what is compared (either language's spelling) -> what is shown
    for item in items:
        for t in (*item.tags, *item.territories):
            names[_fold(t)] = t
        for n in item.sdgs:
            shown = msg(_TAG_WORDS["sdg"], n=n)
            names.update({f"odd{n}": shown, f"sdg{n}": shown})
        if item.volet is not None:
            shown = msg(_TAG_WORDS[item.volet.value])
            names.update({item.volet.value: shown, "interne" if item.volet.value == "internal" else "externe": shown})
    near = difflib.get_close_matches(_fold(value), list(names), n=3, cutoff=0.4)
    shown_once = list(dict.fromkeys(names[n] for n in near))
    more = msg(" Closest: {names}.", names=Joined(msg(", "), [x if isinstance(x, Msg) else msg("{text}", text=x) for x in shown_once])) if near else ""
    return FilterError(msg(_UNKNOWN["tag"].msgid, value=value, more=more))


def _ambiguous(value: str, keys: list[str], choices: dict[str, str]) -> FilterError:
    listed = ", ".join(f"{k} ({choices[k]})" if choices[k] != k else k for k in keys)
    return FilterError(msg("'{value}' names several: {names}. Give the id.", value=value, names=listed))


def resolve_people(plan: Plan, value: str) -> set[str]:
    """Ids of the people named by ``value``: an id, a full name or a last name (accents and case ignored)."""
    if value in plan.people:
        return {value}
    wanted = _fold(value.strip())
    found = {p.id for p in plan.people.values()
             if wanted in (_fold(p.id), _fold(p.name), _fold(p.last_name), _fold(f"{p.last_name} {p.first_name}"), _fold(f"{p.first_name} {p.last_name}"))}
    if not found:
        raise _fail("person", value, {p.id: p.name for p in plan.people.values()})
    return found


def build(plan: Plan, filters: Filters, as_of: dt.date) -> Keep | None:
    """A predicate over (action, objective), or None when no filter is set."""
    if not filters.active():
        return None
    tests: list[Keep] = []
    if filters.owner:
        people = resolve_people(plan, filters.owner)
        tests.append(lambda a, o: bool(people.intersection(a.political_owners)) or a.admin_owner in people)
    if filters.service:
        names = {s.id: s.name for s in plan.services.values()}
        found = match_key(filters.service, names)
        if not found:
            raise _fail("service", filters.service, names)
        if len(found) > 1:
            raise _ambiguous(filters.service, found, names)
        service = found[0]

        def in_service(a: Action, o: Objective, sid: str = service) -> bool:
            owner = plan.people.get(a.admin_owner or "")
            return a.service == sid or (a.service is None and owner is not None and owner.service == sid)

        tests.append(in_service)
    if filters.objective:
        index = plan.objective_index()
        titles = {k: v.title for k, v in index.items()}
        ident = match_id(filters.objective, titles)
        if ident is None:
            raise _fail("objective", filters.objective, titles)
        inside = {o.id for o in subtree(index[ident])}
        tests.append(lambda a, o: o.id in inside or any(s.objective in inside for s in a.serves))
    if filters.status:

        status = words_of(Status).parse(filters.status)
        if status not in Status.__members__:
            raise FilterError(msg("Unknown status '{value}'. Possible statuses: {names}.", value=filters.status, names=", ".join(Status.__members__)))
        tests.append(lambda a, o: a.status.value == status)
    if filters.tag:
        tag = _fold(filters.tag.strip())
        items = [*(o for o, _p, _d in plan.walk()), *(a for a, _o in plan.actions())]
        if not any(_has_tag(item, tag) for item in items):
            raise _unknown_tag(filters.tag, items)
        tests.append(lambda a, o: _has_tag(a, tag) or _has_tag(o, tag))
    if filters.late:
        tests.append(lambda a, o: a.status not in (Status.done, Status.cancelled) and a.planned_end is not None and a.planned_end < as_of)
    if filters.due_within is not None:

        try:
            check_days(filters.due_within)
        except BoundError as exc:
            raise FilterError(exc.msg) from None
        limit = as_of + dt.timedelta(days=filters.due_within)
        tests.append(lambda a, o: a.status not in (Status.done, Status.cancelled) and a.planned_end is not None and as_of <= a.planned_end <= limit)
    return lambda a, o: all(t(a, o) for t in tests)


def _has_tag(item: Action | Objective, tag: str) -> bool:
    if any(_fold(t) == tag for t in (*item.tags, *item.territories)):
        return True
    if item.volet is not None and tag in (item.volet.value, "volet " + ("interne" if item.volet.value == "internal" else "externe"), "interne" if item.volet.value == "internal" else "externe"):
        return True
    return any(tag in (f"sdg{n}", f"sdg:{n}", f"sdg {n}", f"odd{n}", f"odd:{n}", f"odd {n}") for n in item.sdgs)
