"""What a person asks ``feuille update`` to change, as the write service takes it (app/write.py).

The values are written as staff write them (app/values.py: « 31/12/2026 », « en cours »); a field is named by its key
or any name the field registry knows (« échéance »); ``--spent`` and ``--measure`` name a budget line by its year and an
indicator by its number or title.  :func:`build_change` gives the :class:`~feuille.app.write.ItemChange`, or an
:class:`~feuille.app.values.InputError` that says what to write instead.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from feuille.app.values import InputError, number, parse_choice, parse_number, parse_progress, person, say, service, write_lang
from feuille.app.values import parse_date as parse_user_date
from feuille.app.write import ItemChange, Nested, shown
from feuille.checks.schema_errors import to_diagnostic
from feuille.compute.filters import _fold, closest, match_id
from feuille.core.errors import UserError
from feuille.core.fields import of
from feuille.core.i18n import N_, Msg, When, msg
from feuille.core.model import Action, BudgetLine, Measurement, SubAction
from feuille.core.registry import FieldName, table
from feuille.io.edit import field_order


def label_of(name: str) -> str:
    """How a field is named to the user (prompts, commit lines): the field registry's label (« échéance »)."""

    return table("label")[write_lang()].get(name, name)


_NOT_BY_SET = {"id": N_("the id does not change (the other files refer to it)"), "budget": N_("use --spent YEAR=AMOUNT, or edit the file"),
               "indicators": N_("use --measure INDICATOR=VALUE@DATE, or edit the file"), "serves": N_("edit the file"),
               "reschedules": N_("use --planned-end DATE --reason '...'"), "objectives": N_("use feuille new"), "actions": N_("use feuille new"),
               "visibility": N_("edit the file (docs/audiences.md)")}


def _kind(item: Any) -> str:
    """« d'une action », « d'un objectif »."""

    if isinstance(item, SubAction):
        return say("of a sub-action")
    return say("of an action") if isinstance(item, Action) else say("of an objective")


def _model(item: Any) -> Any:
    return type(item)


def _base(annotation: Any) -> tuple[Any, bool]:
    """(the type inside Optional / Annotated, whether it is a list)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin is list:
            inner, _ = _base(typing.get_args(annotation)[0])
            return inner, True
        else:
            return annotation, False


def parse_field(plan: Any, item: Any, name: str, text: str, today: dt.date) -> Any:
    """The value of field ``name`` of ``item`` from what the user wrote; :class:`InputError` if it does not fit.

    ``name`` may be the field's key or any name the field registry knows for it (« statut », « échéance »)."""

    registry = of(_model(item))
    fields = _model(item).model_fields
    name = registry.find(name) or name
    if name not in fields:
        near = registry.near(name)
        raise InputError(say("'{name}' is not a field {item} ({id} '{title}').", name=name, item=_kind(item), id=item.id, title=item.title),
                         (say('Did you mean: {near}? ', near=', '.join(near)) if near else "")
                         + say('The fields are described in docs/format.md.'))
    f = registry[name]
    if name in _NOT_BY_SET or f.kind in ("items", "mapping"):  # (a list of budget lines, of indicators...: in the file)
        raise InputError(say("The field {field} is not changed this way: {how}.", field=FieldName(name, _model(item)),
                                 how=say(_NOT_BY_SET.get(name, N_("edit the file")))))
    label = label_of(name)
    base, many = _base(fields[name].annotation)
    raw = text.strip()
    if many:
        parts = [p.strip() for p in raw.split(",") if p.strip()] if raw.lower() not in ("", "-", "aucun", "aucune", "none") else []
        if f.kind == "people":
            return [person(plan, p, label) for p in parts]
        if base is int:
            return [int(number(parse_number(p, label))) for p in parts]
        return parts
    if raw in ("", "-") and not fields[name].is_required():
        return None
    if f.kind == "percent":
        return parse_progress(raw)
    if f.kind == "person":
        return person(plan, raw, label)
    if f.kind == "service":
        return service(plan, raw)
    if f.enum is not None:
        return parse_choice(raw, f.enum, label)
    if base is dt.date:
        return parse_user_date(raw, label, today)
    if base in (int, float, Decimal):
        value = parse_number(raw, label)
        if base is int:
            if value != value.to_integral_value():
                raise InputError(say("{label}: a whole number is expected, not '{text}'.", label=label, text=text))
            return int(value)
        return number(value)
    return raw


def parse_named(plan: Any, item: Any, name: str, text: str, today: dt.date) -> tuple[str, Any]:
    """(the field's name in the model, its value): French names are understood (« statut », « échéance »)."""

    name = of(_model(item)).find(name) or name
    return name, parse_field(plan, item, name, text, today)


def show_value(name: str, value: Any) -> str:
    return shown(name, value, write_lang())


def build_change(plan: Any, item: Any, values: dict[str, Any], day: dt.date, *, reason: str | None = None,
                 spent: Sequence[str] = (), measures: Sequence[str] = (), reviewed: bool = False, auto: bool = True) -> Any:
    """The change of ``item`` the options ask for, for the write service (app/write.py: the invariants, the words, the check).

    ``values``: field -> parsed value; ``spent`` and ``measures`` as written after --spent and --measure.
    Raises :class:`InputError` for an option that cannot be read."""

    nested: list[Any] = []
    for spec in spent:
        year_text, sep, amount_text = spec.partition("=")
        if not sep:
            raise InputError(say("--spent '{spec}': write YEAR=AMOUNT, for example --spent 2026=12500.", spec=spec))
        which = 1
        if "/" in year_text:
            year_text, _s, which_text = year_text.partition("/")
            which = int(which_text) if which_text.strip().isdigit() else 0
        year = int(year_text) if year_text.strip().isdigit() else None
        lines = [i for i, b in enumerate(getattr(item, "budget", [])) if b.year == year]
        if year is None or not lines:
            years = sorted({b.year for b in getattr(item, "budget", [])})
            raise InputError(say("{id} has no budget line for the year '{year}'; nothing was written.", id=item.id, year=year_text),
                             say("Years planned: {years}.", years=", ".join(map(str, years))) if years else say("First add the budget line in the file."))
        if len(lines) > 1 and "/" not in spec.split("=")[0]:
            raise InputError(say("{id} has {n} budget lines in {year}; which one?", id=item.id, n=len(lines), year=year),
                             say("Write --spent {year}/1=AMOUNT for the first, {year}/2=... for the second.", year=year))
        if not 1 <= which <= len(lines):
            raise InputError(say("{id} has no budget line number {n} in {year}.", id=item.id, n=which, year=year))
        amount = parse_number(amount_text, say("the amount spent in {year}", year=year))
        try:
            BudgetLine.model_validate({"amount": 0, "year": year, "spent": amount})
        except ValidationError as exc:
            raise _refused(item, BudgetLine, exc, {"spent": amount}) from None
        index = lines[which - 1]
        old = item.budget[index].spent
        nested.append(Nested("set", ("budget", index), "spent", number(amount),
                             msg("{label} {year} {old} → {new}", label=msg("spent"), year=year, old=old if old is not None else "–", new=number(amount)),
                             field_order(BudgetLine)))
    for spec in measures:
        label_text, sep, rest = spec.partition("=")
        if not sep:
            raise InputError(say("--measure '{spec}': write INDICATOR=VALUE@DATE, for example --measure 1=81@30/06/2026.", spec=spec))
        value_text, _at, date_text = rest.partition("@")
        indicators = getattr(item, "indicators", [])
        index = _indicator(indicators, label_text.strip(), item)
        value = number(parse_number(value_text, say("the measurement")))
        when = parse_user_date(date_text, say("the date of the measurement"), day) if date_text.strip() else day
        try:
            Measurement.model_validate({"date": when, "value": value})
        except ValidationError as exc:
            raise _refused(item, Measurement, exc, {"value": value}) from None
        nested.append(Nested("append", ("indicators", index), "measurements", {"date": when, "value": value},
                             msg("measurement '{label}' {value} on {day}", label=indicators[index].label, value=value, day=When(when)),
                             field_order(Measurement)))
    return ItemChange(item.id, dict(values), reason=reason, nested=nested, auto=auto, reviewed=reviewed)


def _refused(item: Any, model: type, exc: Any, data: Any) -> InputError:
    """A value the model refuses, said as lint says it (checks/schema_errors.py: the same bounds and words)."""

    err = exc.errors()[0]
    field = next((str(p) for p in err["loc"] if isinstance(p, str)), "?")
    found = to_diagnostic(err, model, "", (), data)
    return InputError(say("{id}: value refused for {field}: {reason}", id=item.id, field=label_of(field), reason=found.message(write_lang())),
                      found.hint(write_lang()) or say('Allowed values are described in docs/format.md.'))


def _indicator(indicators: list[Any], text: str, item: Any) -> int:
    if not indicators:
        raise InputError(say("{id} has no indicator; nothing was written.", id=item.id), say("First add the indicator in the file (docs/format.md)."))
    if text.isdigit() and 1 <= int(text) <= len(indicators):
        return int(text) - 1
    exact = [i for i, x in enumerate(indicators) if _fold(x.label) == _fold(text)]
    part = [i for i, x in enumerate(indicators) if _fold(text) in _fold(x.label)]
    found = exact or part
    if len(found) == 1:
        return found[0]
    listed = "; ".join(f"{i + 1}. {x.label}" for i, x in enumerate(indicators))
    problem = say("{id}: ambiguous indicator '{text}'.", id=item.id, text=text) if found else say("{id}: unknown indicator '{text}'.", id=item.id, text=text)
    raise InputError(problem, say("Give its number or its title: {listed}.", listed=listed))


def find_item(loaded: Any, ident: str) -> Any:
    """The objective, action or sub-action ``ident`` names (« a4.2 » is A4.2, A1.1.2 a sub-action of A1.1), or an :class:`InputError` with the closest ids."""

    plan = loaded.plan
    index = {**plan.objective_index(), **{a.id: a for a, _o in plan.actions()}, **{k: v[0] for k, v in plan.sub_action_index().items()}}
    found = match_id(ident, {k: v.title for k, v in index.items()})  # « a4.2 » is A4.2
    if found is not None:
        return index[found]
    near = closest(ident, {k: v.title for k, v in index.items()})
    missing = [x.file for x in loaded.left_out]
    hint = say('Closest: {near}.', near=near) if near else say('Check the id (feuille status shows it).')
    if missing:
        hint += say('\n  Part of the plan could not be read ({missing}): run feuille lint.', missing=', '.join(missing))
    raise InputError(say("no objective or action '{ident}' in the plan {loaded}.", ident=ident, loaded=plan_name(loaded)), hint)


def plan_name(loaded: Any) -> str:
    label = loaded.source.label
    label = label(write_lang()) if isinstance(label, Msg) else str(label)
    return label if not label.startswith(".") and label else str(Path(loaded.plan.root).resolve())


def asked_values(plan: Any, item: Any, raw: dict[str, str | None], sets: Sequence[str], political_owners: Sequence[str], partners: Sequence[str],
                 day: dt.date) -> dict[str, Any]:
    """The values ``feuille update`` is given for ``item``: its options (``raw``: field -> text, None when not given), each
    ``--set FIELD=VALUE``, the political owners (replacing the list) and the partners added, read as the model takes them."""
    given = {k: v for k, v in raw.items() if v is not None}
    for spec in sets:
        name, sep, value = spec.partition("=")
        if not sep:
            raise UserError(say("--set '{spec}': write FIELD=VALUE, for example --set stake=4.", spec=spec), code="usage")
        given[name.strip()] = value
    values = dict(parse_named(plan, item, name, text, day) for name, text in given.items())
    if political_owners:
        values["political_owners"] = parse_field(plan, item, "political_owners", ",".join(political_owners), day)
    if partners:
        parse_field(plan, item, "partners", "", day)
        values["partners"] = list(dict.fromkeys([*getattr(item, "partners", []), *partners]))
    return values
