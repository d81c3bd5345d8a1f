"""``feuille show ID``: the first plan that has the item (« a1.4 » is A1.4), its figures computed as of a day and laid
out by :mod:`feuille.views.show`; an id no plan has: the closest ids, and what is missing from the plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from feuille.compute.filters import closest, match_id
from feuille.compute.rollup import compute
from feuille.core.errors import UserError
from feuille.core.i18n import Msg, translator
from feuille.core.plan import Plan
from feuille.core.run import Run
from feuille.pipeline import Loaded
from feuille.views.format import Formatter, plan_formatter
from feuille.views.notice import notice_lines
from feuille.views.show import ShowError, lines


def _titles(plan: Plan) -> dict[str, str]:
    """Id -> title of everything ``show`` shows: objectives, actions, sub-actions, the strands of plan.yaml."""
    out = {o.id: o.title for o, _p, _d in plan.walk()}
    out.update({a.id: a.title for a, _o in plan.actions()})
    out.update({s.id: s.title for s, _a, _o in plan.sub_actions() if s.id is not None})
    out.update({v.ident: v.title or v.ident for v in plan.volets})
    return out


def item(run: Run, loaded: list[Loaded], ident: str, day: dt.date) -> tuple[Loaded, Formatter, list[Any]]:
    """The plan of ``loaded`` that has ``ident``, its formatter, and the lines that show the item."""
    for x in loaded:
        fmt = plan_formatter(x, run.speak(x.plan.lang))
        try:
            return x, fmt, lines(x.plan, compute(x.plan, day), match_id(ident, _titles(x.plan)) or ident, fmt)  # « a1.4 » is A1.4
        except ShowError:  # not in this plan: the next one
            continue
    known: dict[str, str] = {}
    for x in loaded:
        known.update(_titles(x.plan))
        known.update({p.indicator.id: p.indicator.label for p in x.plan.indicators() if p.indicator.id})
    near = closest(ident, known)
    missing = [line for x in loaded for line in notice_lines(x, plan_formatter(x, run.speak(x.plan.lang)))]
    _ = translator(run.said)
    hint = _("Closest: {names}.").format(names=near) if near else _("Check the id (feuille status shows it).")
    if missing:
        hint += "\n  " + "\n  ".join(missing)
    where = ", ".join(x.source.label(run.said) if isinstance(x.source.label, Msg) else str(x.source.label) for x in loaded)
    raise UserError(_("no objective or action '{id}' in {where}.").format(id=ident, where=where), hint, code="usage")
