"""What ``update``, ``new`` and ``review`` share: values as staff write them (the write itself, its check,
its diff and its commit are the write service's: app/write.py)."""

from __future__ import annotations

import contextvars
import datetime as dt
import re
import typing
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from feuille.core.errors import UserError
from feuille.core.i18n import DEFAULT_LANG, N_, msg

# The language update, new and review write their messages in, once the plan is read.  Until the
# write service returns messages (app/write.py), these commands' helpers are handed it here: each
# command runs in a context of its own (``FeuilleCommand.invoke``), so it is gone when the command ends.
_WRITE_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("feuille_write_lang", default=DEFAULT_LANG)


def set_write_lang(lang: str) -> None:
    """The language of this run's messages for update, new and review (--lang, else the plan's), once known."""
    _WRITE_LANG.set(lang)


def write_lang() -> str:
    """The language set by :func:`set_write_lang` for this run (French before it is known)."""
    return _WRITE_LANG.get()


def say(msgid: str, /, **kwargs: object) -> str:
    """``msgid`` (English, in the catalogue) in the command's language, its ``{placeholders}`` filled."""
    return msg(msgid, **kwargs)(write_lang())


def day_text(day: Any) -> str:
    """31/12/2026 in French, 2026-12-31 in English."""
    return day.strftime(say("%Y-%m-%d"))


class InputError(UserError, ValueError):
    """A value the user gave that cannot be used; ``hint`` says what to write instead (both already in the command's language)."""

    code = "input"


# --- values as staff write them --------------------------------------------------------------------

_DATE_FORMS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


def parse_date(text: str, what: str, today: dt.date | None = None) -> dt.date:
    """``2026-12-31``, ``31/12/2026``, ``31-12-2026``, ``31.12.2026``, « aujourd'hui »."""
    raw = text.strip()
    if raw.lower() in ("aujourd'hui", "aujourdhui", "today") and today is not None:
        return today
    for form in _DATE_FORMS:
        try:
            day = dt.datetime.strptime(raw, form).date()
        except ValueError:
            continue
        if 1900 <= day.year <= 2200:
            return day
    raise InputError(say("invalid date for {what}: '{text}'.", what=what, text=text),
                     say('Write the date DD/MM/YYYY (31/12/2026) or YYYY-MM-DD (2026-12-31).'))


def parse_number(text: str, what: str) -> Decimal:
    raw = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "").replace("EUR", "")
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):  # 12.500: thousands
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InputError(say("invalid number for {what}: '{text}'.", what=what, text=text),
                         say('Write a number, for example 12500 or 12500.50.')) from None
    if not value.is_finite():
        raise InputError(say("invalid number for {what}: '{text}'.", what=what, text=text), say('Write a number, for example 12500.'))
    return value


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_progress(text: str) -> int | float:
    """``60``, ``60%``, ``60 %``, ``0,6`` (a fraction: 60 %)."""
    raw = text.strip()
    percent = raw.endswith("%")
    value = parse_number(raw.rstrip("%").strip(), say("the progress"))
    if not percent and ("," in raw or "." in raw) and value <= 1:
        value = value * 100
    if not 0 <= value <= 100:
        raise InputError(say("progress out of bounds: '{text}'.", text=text),
                         say('Progress goes from 0 to 100% (60, 60% or 0.6).'))
    return number(value.quantize(Decimal("0.1")) if value != value.to_integral_value() else value)


def parse_choice(text: str, enum: type[Enum], what: str) -> str:
    """The value of ``enum`` that ``text`` names, as staff write it (« terminé », « fini », « Done », « done »: the field
    registry's words, :mod:`feuille.core.fields`); else :class:`InputError` with the closest word and the words to choose from."""
    from feuille.core.fields import words_of

    words = words_of(enum)
    value = words.parse(text)
    if value is not None:
        return value
    lang = write_lang()
    near = words.near(text, lang)
    hint = say('Did you mean: {value}? ', value=say("'{value}'", value=near)) if near else ""
    raise InputError(say("unknown value for {what}: '{text}'.", what=what, text=text),
                     hint + say('Possible values: ') + ", ".join(words.choices(lang)) + ".")


def person(plan: Any, text: str, what: str) -> str:
    from feuille.compute.filters import FilterError, resolve_people

    try:
        found = resolve_people(plan, text.strip())
    except FilterError as exc:
        raise InputError(say("{label}: {value}", label=what, value=exc.text(write_lang())), say("Give the id from people.yaml or the name ('Sabbatini', 'Alain Sabbatini').")) from None
    if len(found) > 1:
        raise InputError(say("{what}: '{text}' names several people ({join}).", what=what, text=text, join=', '.join(sorted(found))),
                         say('Give the id.'))
    return next(iter(found))


def service(plan: Any, text: str) -> str:
    from feuille.compute.filters import _fold, closest

    raw = text.strip()
    if raw in plan.services:
        return raw
    by_name = [s.id for s in plan.services.values() if _fold(s.name) == _fold(raw)]
    if len(by_name) == 1:
        return by_name[0]
    near = closest(raw, {s.id: s.name for s in plan.services.values()})
    raise InputError(say("unknown service '{text}' in the plan.", text=text),
                     say('Closest: {near}.', near=near) if near else say('Services are listed in people.yaml.'))


# --- a field of an item, as staff write it and as it is shown to them (update, review, the questions) --------------


def label_of(name: str) -> str:
    """How a field is named to the user (prompts, commit lines): the field registry's label (« échéance »)."""
    from feuille.core.registry import table

    return table("label")[write_lang()].get(name, name)


_NOT_BY_SET = {"id": N_("the id does not change (the other files refer to it)"), "budget": N_("use --spent YEAR=AMOUNT, or edit the file"),
               "indicators": N_("use --measure INDICATOR=VALUE@DATE, or edit the file"), "serves": N_("edit the file"),
               "reschedules": N_("use --planned-end DATE --reason '...'"), "objectives": N_("use feuille new"), "actions": N_("use feuille new"),
               "visibility": N_("edit the file (docs/audiences.md)")}


def _kind(item: Any) -> str:
    """« d'une action », « d'un objectif »."""
    from feuille.core.model import Action

    return say("of an action") if isinstance(item, Action) else say("of an objective")


def _model(item: Any) -> type:
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
    from feuille.core.fields import of

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
        raise InputError(say("'{name}' is not changed this way: {how}.", name=name, how=say(_NOT_BY_SET.get(name, N_("edit the file")))))
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
        return parse_date(raw, label, today)
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
    from feuille.core.fields import of

    name = of(_model(item)).find(name) or name
    return name, parse_field(plan, item, name, text, today)


def show_value(name: str, value: Any) -> str:
    from feuille.app.write import shown

    return shown(name, value, write_lang())
