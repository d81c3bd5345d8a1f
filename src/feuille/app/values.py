"""Values as staff write them (« 31/12/2026 », « 60 % », « en cours », « Vanhove »), read for the write use cases
(``update``, ``new``, ``review``): each a value the model takes, or an :class:`InputError` that says what to write.

The write itself, its rules, its check, its diff and its commit are the write service's (app/write.py)."""

from __future__ import annotations

import contextvars
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from feuille.compute.filters import FilterError, _fold, closest, resolve_people
from feuille.core.errors import UserError
from feuille.core.fields import words_of
from feuille.core.i18n import DEFAULT_LANG, N_, msg, msgn

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


def say_n(singular: str, plural: str, n: int, /, **kwargs: object) -> str:
    """:func:`say` whose words agree with the count ``n`` (the catalogue's plural forms)."""
    return msgn(singular, plural, n, **kwargs)(write_lang())


def day_text(day: Any) -> str:
    """31/12/2026 in French, 2026-12-31 in English."""
    return str(day.strftime(say("%Y-%m-%d")))


class InputError(UserError, ValueError):
    """A value the user gave that cannot be used; ``hint`` says what to write instead (both already in the command's language)."""

    code = "input"


# --- values as staff write them --------------------------------------------------------------------

_DATE_FORMS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


# The hint of a date that cannot be read (every form :func:`read_date` takes is worth the same).
DATE_HINT = N_('Write the date DD/MM/YYYY (31/12/2026) or YYYY-MM-DD (2026-12-31).')


def read_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The one reader of the dates staff write (``2026-12-31``, ``31/12/2026``, ``31-12-2026``, ``31.12.2026``,
    « aujourd'hui »), for update's values and every date option alike; ``None`` when ``text`` is none of them."""
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
    return None


def parse_date(text: str, what: str, today: dt.date | None = None) -> dt.date:
    """:func:`read_date`, or an :class:`InputError` that says how to write a date."""
    day = read_date(text, today)
    if day is None:
        raise InputError(say("invalid date for {what}: '{text}'.", what=what, text=text), say(DATE_HINT))
    return day


def option_date(value: str | None, option: str, today: dt.date) -> dt.date:
    """The date of an option (``--as-of``, ``--since``), written as ``update`` takes dates (31/12/2025, 2025-12-31,
    « aujourd'hui »: :func:`read_date`), ``today`` (the run's) when it is not given; else a user error (exit 2)."""
    if value is None:
        return today
    day = read_date(value, today)
    if day is None:
        raise UserError(msg("invalid date for {option}: '{value}'.", option=option, value=value), msg(DATE_HINT), code="usage")
    return day


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
    try:
        found = resolve_people(plan, text.strip())
    except FilterError as exc:
        raise InputError(say("{label}: {value}", label=what, value=exc.text(write_lang())), say("Give the id from people.yaml or the name ('Sabbatini', 'Alain Sabbatini').")) from None
    if len(found) > 1:
        raise InputError(say("{what}: '{text}' names several people ({join}).", what=what, text=text, join=', '.join(sorted(found))),
                         say('Give the id.'))
    return next(iter(found))


def service(plan: Any, text: str) -> str:
    raw = text.strip()
    if raw in plan.services:
        return raw
    by_name = [s.id for s in plan.services.values() if _fold(s.name) == _fold(raw)]
    if len(by_name) == 1:
        return str(by_name[0])
    near = closest(raw, {s.id: s.name for s in plan.services.values()})
    raise InputError(say("unknown service '{text}' in the plan.", text=text),
                     say('Closest: {near}.', near=near) if near else say('Services are listed in people.yaml.'))
