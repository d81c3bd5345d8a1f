"""Filters shared by ``status`` (and later ``prioritise`` and ``render``): which actions to count.

A filter names people, services and objectives the way staff do (an id, or a
name); a name that matches nothing is an error listing the closest matches.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from feuille.checks.schema_errors import FRENCH_VALUES
from feuille.core.model import Action, Objective, Status
from feuille.core.plan import Plan, subtree

Keep = Callable[[Action, Objective], bool]


class FilterError(ValueError):
    """A filter value that matches nothing; the message lists the closest matches."""


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


def closest(value: str, choices: dict[str, str]) -> str:
    """'A, B or C' for the choices (id -> label) closest to value."""
    folded = {_fold(label): key for key, label in choices.items()}
    folded.update({_fold(key): key for key in choices})
    near = difflib.get_close_matches(_fold(value), list(folded), n=3, cutoff=0.4)
    keys = list(dict.fromkeys(folded[n] for n in near))
    return ", ".join(f"{k} ({choices[k]})" if choices[k] != k else k for k in keys)


def _fail(kind: str, value: str, choices: dict[str, str]) -> FilterError:
    near = closest(value, choices)
    more = f" Les plus proches : {near}." if near else ""
    unknown = "inconnue" if kind == "Personne" else "inconnu"
    return FilterError(f"{kind} « {value} » {unknown} dans le plan.{more}")


def resolve_people(plan: Plan, value: str) -> set[str]:
    """Ids of the people named by ``value``: an id, a full name or a last name (accents and case ignored)."""
    if value in plan.people:
        return {value}
    wanted = _fold(value)
    found = {p.id for p in plan.people.values() if wanted in (_fold(p.name), _fold(p.last_name), _fold(f"{p.last_name} {p.first_name}"))}
    if not found:
        raise _fail("Personne", value, {p.id: p.name for p in plan.people.values()})
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
        service = filters.service
        if service not in plan.services:
            by_name = [s.id for s in plan.services.values() if _fold(s.name) == _fold(service)]
            if not by_name:
                raise _fail("Service", service, {s.id: s.name for s in plan.services.values()})
            service = by_name[0]

        def in_service(a: Action, o: Objective, sid: str = service) -> bool:
            owner = plan.people.get(a.admin_owner or "")
            return a.service == sid or (a.service is None and owner is not None and owner.service == sid)

        tests.append(in_service)
    if filters.objective:
        index = plan.objective_index()
        if filters.objective not in index:
            raise _fail("Objectif", filters.objective, {k: v.title for k, v in index.items()})
        inside = {o.id for o in subtree(index[filters.objective])}
        tests.append(lambda a, o: o.id in inside or any(s.objective in inside for s in a.serves))
    if filters.status:
        raw = filters.status.strip().lower()
        status = FRENCH_VALUES.get(raw, raw)
        if status not in Status.__members__:
            raise FilterError(f"Statut « {filters.status} » inconnu. Statuts possibles : {', '.join(Status.__members__)}.")
        tests.append(lambda a, o: a.status.value == status)
    if filters.tag:
        tag = _fold(filters.tag)
        tests.append(lambda a, o: _has_tag(a, tag) or _has_tag(o, tag))
    if filters.late:
        tests.append(lambda a, o: a.status not in (Status.done, Status.cancelled) and a.planned_end is not None and a.planned_end < as_of)
    if filters.due_within is not None:
        from feuille.core.bounds import check_days

        try:
            check_days(filters.due_within)
        except ValueError as exc:
            raise FilterError(str(exc)) from None
        limit = as_of + dt.timedelta(days=filters.due_within)
        tests.append(lambda a, o: a.status not in (Status.done, Status.cancelled) and a.planned_end is not None and as_of <= a.planned_end <= limit)
    return lambda a, o: all(t(a, o) for t in tests)


def _has_tag(item: Action | Objective, tag: str) -> bool:
    if any(_fold(t) == tag for t in (*item.tags, *item.territories)):
        return True
    if item.volet is not None and tag in (item.volet.value, "volet " + ("interne" if item.volet.value == "internal" else "externe"), "interne" if item.volet.value == "internal" else "externe"):
        return True
    return any(tag in (f"sdg{n}", f"sdg:{n}", f"sdg {n}", f"odd{n}", f"odd:{n}", f"odd {n}") for n in item.sdgs)
