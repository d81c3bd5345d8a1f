"""One sentence that explains an item's verdict and reconciles it with its health.

The verdict (« dans les temps », « en retard »...) is computed from dates and progress; the health
(« à risque », « bloquée »...) is the service's own judgement.  Shown side by side they can seem
to disagree (« Santé : à risque » beside « État : dans les temps »), so ``show`` and the site say
both in one place, e.g.:

    Dans les temps : 55 % réalisés pour 64 % attendus à ce jour (écart toléré : 10 points).
    Mais son service la juge à risque : « Crédit épuisé pour les cendriers ».
"""

from __future__ import annotations

from feuille.compute.rollup import TOLERANCE, ActionResult, ObjectiveResult
from feuille.core.i18n import N_, plural_translator, translator
from feuille.views.format import Formatter

_SHOWN_IDS = 5  # ids named in an objective's sentence; the rest are counted

# The schedule, from dates and progress (compute/rollup.py).
_DONE = N_("Done.")
_DONE_ON = N_("Done on {date}.")
_CANCELLED = N_("Cancelled: not counted in its objective's progress.")
_NOT_STARTED_LATE = N_("Behind schedule: still not started although it was to start on {date}.")
_NOT_STARTED = N_("Not started yet: it is to start on {date}.")
_NOT_STARTED_UNDATED = N_("Not started yet.")
_ON_TRACK = N_("On track: {progress} done, {expected} expected by now.")
_ON_TRACK_MARGIN = N_("On track: {progress} done, {expected} expected by now (a gap of up to {margin} points is tolerated).")
_BEHIND = N_("Behind schedule: {progress} done, {expected} expected by now.")
_NO_PROGRESS = N_("Schedule unknown: its progress is not known (give a progress, an indicator measure or a status).")
_NO_DATES = N_("Schedule unknown: it has no planned dates to compare its progress with.")

# The service's judgement (health), after a schedule that looks fine...
_BUT = {
    "at_risk": (N_("But its service judges it at risk: {note}"), N_("But its service judges it at risk.")),
    "blocked": (N_("But its service reports it blocked: {note}"), N_("But its service reports it blocked.")),
    "paused": (N_("But its service has paused it: {note}"), N_("But its service has paused it.")),
}
# ...or after one that does not.
_ALSO = {
    "at_risk": (N_("Its service also judges it at risk: {note}"), N_("Its service also judges it at risk.")),
    "blocked": (N_("Its service reports it blocked: {note}"), N_("Its service reports it blocked.")),
    "paused": (N_("Its service has paused it: {note}"), N_("Its service has paused it.")),
    "good": (N_("Yet its service judges it in good health: {note}"), N_("Yet its service judges it in good health.")),
}
# For the plan's editors (``show``), when the service gave no reason.
_SAY_WHY = N_("(Say why in health_note.)")
_CHECK = N_("(Check its dates and progress, or say why in health_note.)")
_GOOD_SCHEDULE = frozenset({"on_track", "not_started", "done", "cancelled", "unknown"})

# Objectives.
_OBJ_NOT_STARTED = N_("Not started: none of its actions has started.")
_OBJ_EMPTY = N_("No action counted (none, or all cancelled).")
_OBJ_UNKNOWN = N_("Schedule unknown: the progress or the dates of its actions are not known ({coverage}).")
_OBJ_ON_TRACK = N_("On track: {progress} done, {expected} expected by now ({coverage}).")
_OBJ_BEHIND = N_("Behind schedule: {progress} done, {expected} expected by now ({coverage}).")
_DECLARED_ON_TRACK = N_("On track as declared on {date}: {progress} done, {expected} expected by now (nothing below it has a progress).")
_DECLARED_BEHIND = N_("Behind schedule as declared on {date}: {progress} done, {expected} expected by now (nothing below it has a progress).")


def action_assessment(r: ActionResult, fmt: Formatter, editors: bool = False) -> str:
    """The verdict of one action explained, then its health when the service says more than « good »
    (or « good » for an action late or behind).  ``editors``: a hint to fill ``health_note`` when it is empty
    (``show``; not on published pages, where a withheld note is empty too)."""
    _ = translator(fmt.lang)
    n_ = plural_translator(fmt.lang)
    a = r.action
    v = r.verdict
    if v == "done":
        text = _(_DONE_ON).format(date=fmt.date(a.actual_end)) if a.actual_end else _(_DONE)
    elif v == "cancelled":
        text = _(_CANCELLED)
    elif v == "late":
        text = n_("Late: its deadline ({date}) passed {n} day ago and it is not done.",
                   "Late: its deadline ({date}) passed {n} days ago and it is not done.", r.days_late).format(date=fmt.date(a.planned_end), n=r.days_late)
    elif v == "not_started":
        text = _(_NOT_STARTED).format(date=fmt.date(a.planned_start)) if a.planned_start else _(_NOT_STARTED_UNDATED)
    elif v == "behind" and a.status.value == "not_started":
        text = _(_NOT_STARTED_LATE).format(date=fmt.date(a.planned_start))
    elif v in ("on_track", "behind"):
        words = {"progress": fmt.pct(r.progress), "expected": fmt.pct(r.expected), "margin": f"{TOLERANCE:g}"}
        if v == "behind":
            text = _(_BEHIND).format(**words)
        elif r.progress is not None and r.expected is not None and r.progress < r.expected:
            text = _(_ON_TRACK_MARGIN).format(**words)
        else:
            text = _(_ON_TRACK).format(**words)
    else:
        text = _(_NO_PROGRESS) if r.progress is None else _(_NO_DATES)
    health = a.health.value
    if v in ("done", "cancelled") or (health == "good" and v in _GOOD_SCHEDULE):
        return text
    table = _BUT if v in _GOOD_SCHEDULE else _ALSO
    with_note, without = table[health]
    note = " ".join(a.health_note.split()) if a.health_note else ""
    if note:
        return f"{text} {_(with_note).format(note=note)}"
    hint = f" {_(_CHECK if health == 'good' else _SAY_WHY)}" if editors else ""
    return f"{text} {_(without)}{hint}"


def objective_assessment(r: ObjectiveResult, fmt: Formatter) -> str:
    """The verdict of one objective explained, with the actions its services judge at risk or blocked."""
    _ = translator(fmt.lang)
    n_ = plural_translator(fmt.lang)
    v = r.verdict
    coverage = n_("{known} of {total} actions with a known progress",
                  "{known} of {total} actions with a known progress", r.known).format(known=r.known, total=r.total)
    words = {"progress": fmt.pct(r.progress), "expected": fmt.pct(r.expected), "coverage": coverage}
    if r.progress_from == "declared" and r.declared is not None:  # nothing below it has a progress: said as declared, never as computed
        said = {"date": fmt.date(r.declared.date), **words}
        if v == "done":
            text = _("Done, as declared on {date}: nothing below it has a progress.").format(**said)
        elif v in ("on_track", "behind"):
            template = _DECLARED_ON_TRACK if v == "on_track" else _DECLARED_BEHIND
            text = _(template).format(**said)
        else:
            text = _("{progress} as declared on {date}: nothing below it has a progress, and it has no planned dates to compare it with.").format(**said)
    elif v == "done":
        text = n_("Done: its {n} action is done.", "Done: its {n} actions are done.", r.total).format(n=r.total)
    elif v == "at_risk":
        text = n_("At risk: {late} of its {total} actions is late.",
                   "At risk: {late} of its {total} actions are late.", r.late).format(late=r.late, total=r.total)
    elif v == "not_started":
        text = _(_OBJ_NOT_STARTED)
    elif v in ("on_track", "behind"):
        template = _OBJ_ON_TRACK if v == "on_track" else _OBJ_BEHIND
        text = _(template).format(**words)
    elif r.total == 0:
        text = _(_OBJ_EMPTY)
    else:
        text = _(_OBJ_UNKNOWN).format(**words)
    troubled = sorted({a.action.id for a in _all_actions(r)
                       if a.action.health.value in ("at_risk", "blocked") and a.verdict not in ("done", "cancelled")})
    if troubled:
        ids = ", ".join(troubled[:_SHOWN_IDS]) + ("…" if len(troubled) > _SHOWN_IDS else "")
        text += " " + n_("{n} action judged at risk or blocked by its service: {ids}.",
                      "{n} actions judged at risk or blocked by their service: {ids}.", len(troubled)).format(n=len(troubled), ids=ids)
    return text


def _all_actions(r: ObjectiveResult):
    yield from r.actions
    for child in r.children:
        yield from _all_actions(child)
