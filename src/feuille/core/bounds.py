"""Bounds on numbers typed on the command line, with the French sentence to show.

Each check returns its value when it is sensible and raises :class:`ValueError`
whose message is ready for the user (what is wrong, and what to type instead),
so no command meets a year 0 or a window of a billion days (a date overflow,
which used to end in « erreur interne »).
"""

from __future__ import annotations

#: Years a plan can speak of (the same bounds as a budget line's year).
MIN_YEAR, MAX_YEAR = 1900, 2200
#: Longest window in days (about a century: beyond, dates leave the calendar).
MAX_DAYS = 36_600


def check_year(year: int, option: str = "--year") -> int:
    """A calendar year between 1900 and 2200."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"{option} attend une année en chiffres, par exemple {option} 2026.")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{option} {year} : l'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}, par exemple {option} 2026.")
    return year


def check_days(days: int, option: str = "--due-within") -> int:
    """A number of days between 0 and 36 600 (about a century)."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValueError(f"{option} attend un nombre de jours en chiffres, par exemple {option} 60.")
    if days < 0:
        raise ValueError(f"{option} {days} : le nombre de jours ne peut pas être négatif ; écrivez par exemple {option} 60.")
    if days > MAX_DAYS:
        raise ValueError(f"{option} {days} : au plus {MAX_DAYS} jours (une centaine d'années) ; écrivez par exemple {option} 365.")
    return days
