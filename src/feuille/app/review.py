"""The review a service head does before the college meeting: which actions ask for a look, and why.

Late, due within ``due_soon_days``, or not reviewed for ``stale_after_days`` (plan.yaml's settings); done and cancelled
actions are left out.  Each change made in the review goes through the write service (app/write.py) and reviews the action.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from feuille.app.values import InputError, day_text, say, say_n, write_lang
from feuille.compute.filters import FilterError, Filters, build


def to_review(loaded: Any, day: dt.date, owner: str | None, service: str | None) -> list[tuple[Any, list[str]]]:
    """[(action, why)] in deadline order: late, due soon, not reviewed; done and cancelled actions are left out."""

    plan = loaded.plan
    try:
        keep = build(plan, Filters(owner=owner, service=service), day)
    except FilterError as exc:  # said in the command's language, with where to find the names
        raise InputError(exc.text(write_lang()), say('Give an id or a name from people.yaml.')) from None
    settings = plan.meta.settings if plan.meta else None
    soon = settings.due_soon_days if settings else 30
    stale = settings.stale_after_days if settings else 180
    out = []
    for a, o in plan.actions():
        if keep is not None and not keep(a, o):
            continue
        if a.status.value in ("done", "cancelled"):
            continue
        why = []
        if a.planned_end is not None and a.planned_end < day:
            why.append(say("late since {day}", day=day_text(a.planned_end)))
        elif a.planned_end is not None and (a.planned_end - day).days <= soon:
            why.append(say("due on {day} (in {n} days)", day=day_text(a.planned_end), n=(a.planned_end - day).days))
        if a.last_reviewed is None:
            why.append(say('never reviewed'))
        elif (day - a.last_reviewed).days > stale:
            why.append(say("not reviewed since {day}", day=day_text(a.last_reviewed)))
        if why:
            out.append((a, why))
    out.sort(key=lambda x: (x[0].planned_end or dt.date.max, x[0].id))
    return out


def split_reviewed(items: list[tuple[Any, list[str]]], day: dt.date) -> tuple[list[tuple[Any, list[str]]], list[Any]]:
    """(what the review asks, the actions already reviewed on ``day``): an action reviewed that day is not asked again, so
    neither the interactive review nor its list (``--non-interactive``) shows it, even if it is late or due soon."""
    todo = [(a, why) for a, why in items if a.last_reviewed != day]
    already = [a for a, _why in items if a.last_reviewed == day]
    return todo, already


def listing(items: list[tuple[Any, list[str]]], day: dt.date, who: str, command: str) -> list[str]:
    """The lines of ``review --non-interactive`` (for an e-mail): what the review will ask, why, the actions already reviewed on
    ``day``, and the command that reviews them (``command``, only when there is something to review)."""
    todo, already = split_reviewed(items, day)
    out = []
    if not todo:
        out.append(say("Nothing to review for {who} on {day}.", who=who, day=day_text(day)))
    else:
        out.append(say_n("{n} action to review for {who} on {day}:", "{n} actions to review for {who} on {day}:", len(todo), who=who, day=day_text(day)))
        out += ["  " + say("{id} '{title}'", id=a.id, title=a.title) + " — " + say("; ").join(why) for a, why in todo]
    if already:
        out.append(say_n("{n} action already reviewed on {day}: {ids}.", "{n} actions already reviewed on {day}: {ids}.", len(already),
                         day=day_text(day), ids=", ".join(a.id for a in already)))
    if todo:
        out.append(say_n("To update it: ", "To update them: ", len(todo)) + command)
    return out


def interrupted(updated: int) -> str:
    """What an interrupted review says (as an interrupted ``update`` does when nothing was written)."""
    if not updated:
        return say('interrupted: nothing was written.')
    return say_n("interrupted: the current action was not written; {n} action before it was. Run the same command again to resume.",
                 "interrupted: the current action was not written; the {n} actions before it were. Run the same command again to resume.", updated)
