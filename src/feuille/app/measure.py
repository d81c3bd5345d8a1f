"""Measurements of indicators, through the one write service (app/write.py): ``feuille measure`` and ``feuille import`` of a table.

An indicator is named by its id (or, when it has none, where it is: « A1.1/1 »), else by a label unique in
the plan (case and accents aside).  Each measurement is appended to the ``measurements`` of the indicator
where it is declared — the plan or one of its strands (plan.yaml), an objective or an action — with its date, its value and, if
given, a note and who entered it (``entered_by``: internal by default).  The service checks it with the
model, writes only those lines, in the file's style, all files or none, and refuses a write that would add an
error to the plan.  Nothing here prints: messages are :class:`~feuille.core.i18n.Msg` values.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from pydantic import ValidationError

from feuille.app.write import PLAN, ItemChange, Lazy, Nested, Write, prepare
from feuille.checks.schema_errors import to_diagnostic
from feuille.core.errors import UserError
from feuille.core.i18n import Number, When, msg
from feuille.core.model import Measurement
from feuille.core.plan import PlacedIndicator, fold_label
from feuille.io.edit import field_order


class MeasureError(UserError):
    """An indicator that cannot be found, or a measurement the model refuses: nothing was written."""

    code = "measure"


def find(plan: Any, name: str) -> PlacedIndicator:
    """The indicator ``name`` designates, or :class:`MeasureError` with the closest names (or the candidates, for a shared label)."""
    found: list[PlacedIndicator] = plan.find_indicators(name)
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"{p.key} ({p.where or 'plan.yaml'})" for p in found)
        raise MeasureError(msg("{n} indicators are labelled '{name}'; nothing was written.", n=len(found), name=name),
                           msg("Name one by its id: {listed}.", listed=listed))
    every = plan.indicators()
    if not every:
        raise MeasureError(msg("the plan has no indicator; nothing was written."), msg("First declare the indicator in the plan (docs/format.md, the section on indicators)."))
    keys = [p.key for p in every]
    labels = {fold_label(p.indicator.label): p.key for p in every}
    near = difflib.get_close_matches(name, keys, n=3, cutoff=0.6)
    near += [labels[c] for c in difflib.get_close_matches(fold_label(name), list(labels), n=3, cutoff=0.6) if labels[c] not in near]
    hint = msg("Closest: {names}.", names=", ".join(near[:3])) if near else msg("The indicators: {names}.", names=", ".join(keys[:12]) + (" …" if len(keys) > 12 else ""))
    raise MeasureError(msg("no indicator '{name}' in the plan; nothing was written.", name=name), hint)


def change(placed: PlacedIndicator, when: dt.date, value: float, note: str | None = None, by: str | None = None) -> ItemChange:
    """The change that appends one measurement to ``placed`` (for :func:`feuille.app.write.prepare`)."""

    data: dict[str, Any] = {"date": when, "value": _plain(value)}
    if note:
        data["note"] = note
    if by:
        data["entered_by"] = by
    words = msg("measurement '{label}' {value} on {day}", label=placed.indicator.label, value=Number(_plain(value)), day=When(when))
    nested = Nested("append", (*placed.at, "indicators", placed.index), "measurements", data, words, field_order(Measurement))
    if placed.owner is None or placed.at:  # the plan's own, or a strand's: in plan.yaml
        return ItemChange(PLAN, nested=[nested])
    owner = placed.owner.id
    assert owner is not None  # an objective or an action (a strand's indicators are in plan.yaml, above)
    return ItemChange(owner, nested=[nested])


def _plain(value: float) -> float | int:
    """9.0 is written 9."""
    return int(value) if float(value).is_integer() else value


def check(placed: PlacedIndicator, when: dt.date, value: float, note: str | None, by: str | None, today: dt.date) -> None:
    """The measurement as the model and the calendar take it, else :class:`MeasureError` (said as lint says it)."""

    if when > today:
        raise MeasureError(msg("the date {day} is after today: a measurement refers to a date that has passed; nothing was written.", day=When(when)),
                           msg("Give the date the value refers to with --date (for a yearly figure, 31 December of its year)."))
    data = {"date": when, "value": value, **({"note": note} if note else {}), **({"entered_by": by} if by else {})}
    try:
        Measurement.model_validate(data)
    except ValidationError as exc:
        found = to_diagnostic(dict(exc.errors()[0]), Measurement, "", (), data)
        raise MeasureError(msg("value refused: {reason}", reason=Lazy(found.message)), Lazy(found.hint)) from None
    if any(m.date == when for m in placed.indicator.measurements):
        have = next(m.value for m in placed.indicator.measurements if m.date == when)
        raise MeasureError(msg("'{label}' already has a measurement on {day} ({value}); nothing was written.", label=placed.indicator.label,
                               day=When(when), value=Number(have)),
                           msg("To correct it, change it in the file ({file}).", file=_file(placed)))


def _file(placed: PlacedIndicator) -> str:
    return placed.where or "plan.yaml"


def measure(loaded: Any, name: str, value: float, *, day: dt.date, when: dt.date, note: str | None = None, by: str | None = None) -> Write:
    """``feuille measure``: one measurement of the indicator ``name``; the service's :class:`Write` (not written yet)."""
    placed = find(loaded.plan, name)
    check(placed, when, value, note, by, day)
    return prepare(loaded, [change(placed, when, value, note, by)], day=day, by_person=True)


def from_table(loaded: Any, found: Any, *, day: dt.date, by: str | None = None) -> Write:
    """``feuille import`` of a table of measurements (formats/spreadsheet/measures.py read it): every measurement to add, one write."""
    by_owner: dict[str, ItemChange] = {}
    for f in found.added:
        c = change(f.placed, f.date, f.value, f.note, by)
        if c.id in by_owner:
            by_owner[c.id].nested += c.nested
        else:
            by_owner[c.id] = c
    return prepare(loaded, list(by_owner.values()), day=day, by_person=True)
