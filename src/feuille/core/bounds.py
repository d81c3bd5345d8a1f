"""Bounds on numbers typed on the command line, with the sentence to show.

Each check returns its value when it is sensible and raises :class:`BoundError` (a
:class:`~feuille.core.errors.UserError` and a :class:`ValueError`) whose message is ready for the user (what is wrong, and what to type
instead; ``exc.msg`` is the catalogue message, ``str(exc)`` its French),
so no command meets a year 0 or a window of a billion days (a date overflow,
which used to end in « erreur interne »).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg

#: Years a plan can speak of (the same bounds as a budget line's year).
MIN_YEAR, MAX_YEAR = 1900, 2200
#: Longest window in days (about a century: beyond, dates leave the calendar).
MAX_DAYS = 36_600


@dataclass(frozen=True)
class Bound:
    """The bounds of one kind of number a plan holds, and what to tell the user when a value is out of them.

    Each bounded type of :mod:`feuille.core.model` is ``Annotated[float, Field(ge=B.low, le=B.high), B]``:
    pydantic checks the bounds, ``checks/schema_errors.py`` finds ``B`` from the error's place and says
    « '{key}' must be {expected}, not {found}. » with ``example`` as the hint (the wording of amounts).
    """

    low: int | float | Decimal
    high: int | float | Decimal
    expected: Msg  # what the value must be: « an amount below 100 billion, 0 or more »
    example: Msg  # how to write one


class BoundError(UserError, ValueError):
    """A number out of its bounds: ``msg`` says which and what to type instead."""

    code = "bound"


def check_year(year: int, option: str = "--year") -> int:
    """A calendar year between 1900 and 2200."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise BoundError(msg("{option} expects a year in digits, for example {option} 2026.", option=option))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BoundError(msg("{option} {year}: the year must be between {low} and {high}, for example {option} 2026.", option=option, year=year, low=MIN_YEAR, high=MAX_YEAR))
    return year


def check_days(days: int, option: str = "--due-within") -> int:
    """A number of days between 0 and 36 600 (about a century)."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise BoundError(msg("{option} expects a number of days in digits, for example {option} 60.", option=option))
    if days < 0:
        raise BoundError(msg("{option} {days}: the number of days cannot be negative; write for example {option} 60.", option=option, days=days))
    if days > MAX_DAYS:
        raise BoundError(msg("{option} {days}: {high} days at most (about a hundred years); write for example {option} 365.", option=option, days=days, high=MAX_DAYS))
    return days
