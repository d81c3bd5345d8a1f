"""Words for the plan's values (statuses, verdicts, health, sources of progress), shared by every view.

Each table is English msgids of the catalogue (``core/i18n.py``), with a context of its own
(« not started » is « pas commencé » as a verdict, « à venir » as a status); ``VERDICT[lang]``
gives the table in a language.  The words of the model's values (statuses, health, volets) are
the field registry's (:func:`feuille.core.fields.words_of`, declared in ``core/model.py``).
"""

from __future__ import annotations

import datetime as dt

from feuille.core.fields import FieldDef, of, words_of
from feuille.core.i18n import NC_, Words, plural_translator, translator
from feuille.core.model import Action, Health, Status, SubAction, Volet
from feuille.core.plan import Plan
from feuille.views.format import Formatter

Line = tuple[str, str]  # (rich style or "", text)

VERDICT = Words({
    "late": NC_("verdict", "late"), "at_risk": NC_("verdict", "at risk"), "behind": NC_("verdict", "behind"),
    "on_track": NC_("verdict", "on track"), "not_started": NC_("verdict", "not started"), "done": NC_("verdict", "done"),
    "unknown": NC_("verdict", "unknown"), "cancelled": NC_("verdict", "cancelled"),
})
VERDICT_STYLE = {"late": "bold red", "at_risk": "red", "behind": "yellow", "on_track": "green", "not_started": "dim",
                 "done": "bold green", "unknown": "dim", "cancelled": "dim"}
STATUS = words_of(Status).shown
HEALTH = words_of(Health).shown
WEIGHTING = Words({"equal": NC_("weighting", "equal weights"), "weight": NC_("weighting", "weighted by each item's weight"),
                   "budget": NC_("weighting", "weighted by budget")})
VOLET = words_of(Volet).shown


def status_count(n: int, status: str, lang: str) -> str:
    """« 3 terminées », « 1 en cours »."""
    n_ = plural_translator(lang)
    forms = {
        "not_started": lambda: n_("{n} not started", "{n} not started", n),
        "ongoing": lambda: n_("{n} ongoing", "{n} ongoing", n),
        "on_hold": lambda: n_("{n} on hold", "{n} on hold", n),
        "done": lambda: n_("{n} done", "{n} done", n),
        "cancelled": lambda: n_("{n} cancelled", "{n} cancelled", n),
    }
    return forms[status]().format(n=n)


SOURCE = Words({
    "progress": NC_("source", "progress entered"), "indicators": NC_("source", "computed from indicators"),
    "status": NC_("source", "implied by the status"), "unknown": NC_("source", "unknown"),
    "cancelled": NC_("source", "cancelled (not counted)"), "children": NC_("source", "mean of children"),
    "sub_actions": NC_("source", "mean of its sub-actions"), "declared": NC_("source", "declared"),
})


def owners(plan: Plan, action: Action | SubAction) -> str:
    names = [plan.people[p].short_name if p in plan.people else p for p in action.political_owners]
    admin = plan.people[action.admin_owner].short_name if action.admin_owner in plan.people else (action.admin_owner or "–")
    return f"{', '.join(names) or '–'} / {admin}"


def field_text(plan: Plan, f: FieldDef, value: object, fmt: Formatter) -> str:
    """A field's value on one line, as its kind is written (names of people, words of values, dates...): how
    ``show`` and the site write a field they show with no layout of their own (the registry's ``facts``)."""
    if f.kind in ("people", "person"):
        ids = value if isinstance(value, list) else [value]
        return ", ".join(plan.people[p].name if p in plan.people else str(p) for p in ids)
    if f.kind == "service":
        return plan.services[value].name if value in plan.services else str(value)
    if f.words is not None:
        return f.words.word(value, fmt.lang)  # type: ignore[arg-type]
    if isinstance(value, dt.date):
        return fmt.date(value)
    if f.item_model is not None:  # a list of small items ({name, amount}): each one's fields set, in file order
        items = value if isinstance(value, list) else [value]
        return ", ".join(" ".join(field_text(plan, sub, getattr(it, sub.name), fmt) for sub in of(f.item_model)
                                  if getattr(it, sub.name) not in (None, "", [])) for it in items)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if f.kind == "money":
        return fmt.money(value)
    if f.kind == "percent":
        return fmt.pct(value)  # type: ignore[arg-type]
    if f.kind in ("number", "int", "score") and not isinstance(value, bool):
        return fmt.number(value, 2)  # type: ignore[arg-type]
    return " ".join(str(value).split())



# The loader's stages (pipeline.STAGES), as ``lint --timings`` names them.
STAGE = Words({
    "discover": NC_("stage", "discover"), "read": NC_("stage", "read"), "validate": NC_("stage", "validate"),
    "assemble": NC_("stage", "assemble"), "rules": NC_("stage", "rules"), "locate": NC_("stage", "locate"), "total": NC_("stage", "total"),
})


def measure(fmt: Formatter, value: float | None, unit: str | None) -> str:
    """An indicator's value with its unit, as the reader's language writes it: « 17,5 % », "17.5%", « 12 km »."""
    number = fmt.number(value, 2)
    if value is None or not unit:
        return number
    if unit.strip() == "%":
        _ = translator(fmt.lang)
        return _("{n}%").format(n=number)
    return f"{number} {unit}"
