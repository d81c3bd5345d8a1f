"""``feuille prioritise``: objectives and actions ranked by stake, urgency and return (:mod:`feuille.compute.ranking`)
for the items the filters keep, with the weights the user gives (``--weights``); and ``--mark-*``, the ranks written
into the plan's files through the write service like any other write: refused only when it would add an error."""

from __future__ import annotations

import datetime as dt

from feuille.app.write import ItemChange, Write, prepare
from feuille.compute.filters import Filters, build
from feuille.compute.ranking import Ranking, parse_weights, rank
from feuille.core.errors import UserError
from feuille.core.i18n import msg
from feuille.core.plan import Plan
from feuille.pipeline import Loaded

__all__ = ["marks", "ranking"]


def ranking(plan: Plan, day: dt.date, filters: Filters, *, level: str, method: str | None, weights: str | None, lang: str) -> Ranking:
    """The items ``filters`` keep, ranked on ``day`` (a filter or a weight that cannot be used: a user error said in ``lang``)."""
    try:
        keep = build(plan, filters, day)
        defaults = dict(plan.meta.priorities.weights) if plan.meta else {"stake": 1.0, "urgency": 1.0, "roi": 1.0}  # (not model_dump: no serializer to build)
        return rank(plan, day, level=level, method=method, weights=parse_weights(weights, defaults), keep=keep)
    except UserError as exc:
        raise exc.said_in(lang) from None


def check_marks(writing: bool, rev: str | None) -> None:
    """``--mark-*`` writes today's files: not with ``--rev``, which reads a past revision."""
    if writing and rev is not None:
        raise UserError(msg("--mark-priority and --mark-above write into the plan's files: not possible with --rev, which reads a past revision."),
                        msg("Remove --rev to write into the plan as it is on disk."), code="usage")


def marks(loaded: Loaded, ranked: Ranking, mark_priority: int | None, mark_above: float | None) -> tuple[int, Write]:
    """``priority: rank`` for the N first items (``--mark-priority``) or those whose total reaches ``--mark-above``, removed
    from the others: how many are marked, and the write (nothing is written: :func:`feuille.app.write.commit`).  A
    machine's change through the write service: no review date, the same check (refused only if it adds an error),
    diff and transaction as any write."""
    chosen = ranked.top(mark_priority) if mark_priority is not None else [s for s in ranked.ranked if (s.total or 0) >= (mark_above or 0)]
    ranks = {s.item.id: s.rank for s in chosen}
    changes = [ItemChange(s.item.id, {"priority": ranks.get(s.item.id)}, auto=False)
               for s in [*ranked.ranked, *ranked.unranked] if s.item.priority != ranks.get(s.item.id)]
    return len(chosen), prepare(loaded, changes, day=ranked.as_of, by_person=False)
