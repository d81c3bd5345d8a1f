"""The values of a sheet's cells read the way people write them: dates (31/12/2025, « mars 2026 », 2026), amounts
(12 500 €), percentages (60 %, 0,6), statuses and health in any tool's words, people and lists.

:func:`parse_row` reads one row into feuille's terms (:class:`Parsed`).  A value it cannot read is
reported with its sheet, row, column and original text; for a new action it is kept verbatim in the
action's notes (nothing is dropped), on the row of an existing action it is not applied (the plan keeps
its value, the report says so).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from feuille.core.fields import fold, of
from feuille.core.i18n import N_, When, msg, translator
from feuille.core.model import Action
from feuille.formats.spreadsheet.columns import COLUMNS_BY_KEY, READ_COLUMNS, canon
from feuille.formats.spreadsheet.read import ERROR, Problem, Row, Sheet, _text

_MONTHS = {"janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6,
           "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
           "decembre": 12, "dec": 12,
           "january": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7,
           "jul": 7, "august": 8, "aug": 8, "september": 9, "october": 10, "november": 11, "december": 12}


def _month_bound(year: int, month: int, end: bool) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def parse_date(value: Any, end: bool = False) -> dt.date | None:
    """A date as people write it; a month or a bare year gives its first (start) or last (end) day. ValueError if unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2200:
            return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
        if 20000 <= value <= 80000:  # an Excel serial date written as a number
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError
    s = str(value).strip().lower()
    if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", s):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        return dt.date(y + 2000 if y < 100 else y, mo, d)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{2}:\d{2}(?::\d{2})?)?", s):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{4})", s):
        return _month_bound(int(m[2]), int(m[1]), end)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", s):
        return _month_bound(int(m[1]), int(m[2]), end)
    if m := re.fullmatch(r"(?:(\d{1,2})(?:er|st|nd|rd|th)?\s+)?([a-zéèûô]+)\.?\s+(\d{4})", s):
        month = _MONTHS.get(fold(m[2]))
        if month:
            return dt.date(int(m[3]), month, int(m[1])) if m[1] else _month_bound(int(m[3]), month, end)
    if re.fullmatch(r"\d{4}", s):
        return parse_date(int(s), end)
    if re.fullmatch(r"\d{5}", s):
        return parse_date(int(s), end)
    raise ValueError


_NOTHING = {"neant", "aucun", "nul", "na", "nc", "", "sansobjet", "pasdebudget", "none", "nil", "notapplicable", "nobudget"}


def parse_money(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    s = str(value).strip().lower()
    if fold(s) in _NOTHING or s in ("-", "–", "—"):
        return None
    s = re.sub(r"(€|eur(os?)?|\bht\b|\btvac\b|\bttc\b)", "", s)
    s = re.sub(r"[\s\u00a0\u202f']", "", s)
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in s:
        s = s.replace(",", ".") if re.fullmatch(r"-?\d+,\d{1,2}", s) else s.replace(",", "")
    elif "." in s and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        raise ValueError
    try:
        return Decimal(s).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError from None


def parse_progress(value: Any, percent_cell: bool = False, percent_header: bool = False) -> float | None:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float, Decimal)):
        v = float(value)
        if percent_cell:
            v *= 100
        elif not percent_header and 0 <= v <= 1:
            v *= 100
    else:
        s = str(value).strip().replace("\u00a0", " ").replace("\u202f", " ")
        if not s or fold(s) in _NOTHING:
            return None
        m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*%", s)
        if m:
            v = float(m[1].replace(",", "."))
        elif re.fullmatch(r"\d+(?:[.,]\d+)?", s):
            return parse_progress(float(s.replace(",", ".")), False, percent_header)
        else:
            raise ValueError
    if not 0 <= v <= 100:
        raise ValueError
    return round(v, 2) if not float(v).is_integer() else int(v)


# Columns by what they hold (the field registry's kinds, columns.READ_COLUMNS), in the sheet's order.
_TEXTS = tuple(c.key for c in READ_COLUMNS if c.kind == "text" and c.editable)  # title, health_note, achieved, remaining, description, notes
_DATES = tuple((c.key, c.end) for c in READ_COLUMNS if c.kind == "date")  # (key, a date that ends a period)
_MONEY = tuple(c.key for c in READ_COLUMNS if c.kind == "money")
_PERCENT = tuple(c.key for c in READ_COLUMNS if c.kind == "percent")
_PEOPLE = tuple(c.key for c in READ_COLUMNS if c.kind == "people")
_LISTS = tuple(c.key for c in READ_COLUMNS if c.kind == "list")
_KIND = {c.key: c.kind for c in READ_COLUMNS}
_VALUES = {c.key: w for c in READ_COLUMNS if (f := of(Action).get(c.key)) is not None and (w := f.words) is not None and c.key != "volet"}  # status, health
# (a volet is read apart: « Volet interne - gouvernance » is internal, a text that names no volet becomes a tag)
_PARSED = (*(k for k, _e in _DATES), *_MONEY, *_PERCENT, *_VALUES)
# The fields a new action takes from its row as they were read (the people, the service, the budget and the notes are done apart).
_AS_READ = tuple(c.key for c in READ_COLUMNS if c.kind not in ("people", "person", "service", "money", "computed") and c.editable
                 and c.key not in ("title", "notes"))
_PERIODS = tuple(f.name for f in of(Action) if f.kind == "date" and f.meta.show in ("planned", "actual"))  # the dates the plan's term spans


def _as_read(p: Parsed) -> dict[str, Any]:
    """The fields of :data:`_AS_READ` that the row gives."""
    return {k: p.values[k] for k in _AS_READ if p.values.get(k) not in (None, "", [])}


def _in_file_order(data: dict[str, Any]) -> dict[str, Any]:
    """An action's fields in the order of the files (the field registry's, docs/format.md)."""
    order = of(Action).order
    return {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}
  # cells read into a typed value (a date, an amount, a status...)


def split_people(value: Any, known: frozenset[str] = frozenset()) -> list[str]:
    """The names in a cell: separated by ';' (what feuille's exports write) or a line break, then, in a part that is
    not the name of someone ``known`` (folded names of the plan's people), by ',', '/', '&' or 'et': a person whose
    name holds a '/' (« Dupont/Martin ») comes back whole."""
    out: list[str] = []
    text = str(value).strip()
    for part in [text] if fold(text) in known else re.split(r"\s*[;\n]\s*", text):
        if fold(part) in known:
            out.append(" ".join(part.split()))
        else:
            out += [" ".join(p.split()) for p in re.split(r"\s*(?:,|/|&|\s+et\s+)\s*", part) if p and p.strip()]
    return out


def split_list(value: Any) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\s*[;,\n]\s*", str(value).strip()) if p.strip()]


@dataclass(slots=True)
class Parsed:
    """One row's values read into feuille's terms (names still names); ``unread`` keeps what could not be read."""

    row: Row
    values: dict[str, Any] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)  # « Colonne : texte » kept in the action's notes (in the plan's language)
    extra_notes: list[str] = field(default_factory=list)


_WHAT = {"date": (msg("is not a readable date"), msg("Write the date DD/MM/YYYY (31/12/2025), a month (12/2025) or a year.")),
         "money": (msg("is not a readable amount"), msg("Write a number: 12500 or 12,500.50 €.")),
         "percent": (msg("is not a readable progress (0 to 100%)"), msg("Write 60%, 60 or 0.6.")),
         "status": (msg("is not a known status"), msg("Statuses understood: Not started, Ongoing, On hold, Done, Cancelled (and Completed, In "
                                                     "progress, Paused, Blocked...), or their French words.")),
         "health": (msg("is not a known health"), msg("Health words understood: Good, At risk, Blocked, Paused (or their French words).")),
         "value": (msg("is not a known value"), msg("Choose one of the values of the list."))}
KEPT_IN_NOTES = N_("{what}: kept as is in the action's notes. {how}")  # a new action: the text goes to its notes (see :func:`build_plan`, :func:`_new_row`)
NOT_APPLIED = N_("{what}: not applied, the plan keeps '{value}'. {how}")  # an existing action: the cell is not applied, its notes untouched
NOT_APPLIED_EMPTY = N_("{what}: not applied, the plan keeps this field empty. {how}")
LABELLED = "{label}: {value}"  # a value kept in an action's notes with the header it came from (content: the plan's language)


def parse_row(row: Row, sheet: Sheet, problems: list[Problem], lang: str = "fr", current: dict[str, Any] | None = None) -> Parsed:
    """One row's values read; what cannot be read is reported and kept for the action's notes, written in ``lang`` (the plan's).

    ``current``: the row is an existing action's (its values as :func:`feuille.formats.spreadsheet.columns.action_values` gives them): a cell
    that cannot be read is then not applied, the plan keeps its value, and the report says so (nothing goes to its notes)."""
    out = Parsed(row)
    v = row.values
    _ = translator(lang)

    def bad(key: str, kind: str) -> None:
        column, header = row.cells.get(key, ("", key))
        text = str(v[key])
        what, how = _WHAT[kind]
        if current is None:
            problems.append(Problem(row.sheet, row.number, column, header, text, msg(KEPT_IN_NOTES, what=what, how=how)))
            out.unread.append(_(LABELLED).format(label=header, value=text))
            return
        value = current.get(key)
        kept = When(value) if isinstance(value, dt.date) else canon(COLUMNS_BY_KEY[key].kind, value)  # a date as the reader writes it
        said = msg(NOT_APPLIED, what=what, value=kept, how=how) if kept else msg(NOT_APPLIED_EMPTY, what=what, how=how)
        problems.append(Problem(row.sheet, row.number, column, header, text, said, ERROR))

    for key in v:
        if key.startswith("extra:"):
            value = _text(v[key]) if not isinstance(v[key], (dt.date, dt.datetime)) else When(parse_date(v[key]))(lang)
            out.unread.append(_(LABELLED).format(label=key[6:], value=value))
    for key in _TEXTS:
        if key in v:
            out.values[key] = str(v[key]).strip() if not isinstance(v[key], (dt.date, dt.datetime)) else parse_date(v[key]).isoformat()
    if "id" in v:
        out.values["id"] = _text(v["id"])
    for key, end in _DATES:
        if key in v:
            try:
                out.values[key] = parse_date(v[key], end)
            except (ValueError, OverflowError):
                bad(key, "date")
    for key in _MONEY:
        if key in v:
            try:
                out.values[key] = parse_money(v[key])
            except (ValueError, ArithmeticError):
                bad(key, "money")
    for key in _PERCENT:
        if key in v:
            try:
                out.values[key] = parse_progress(v[key], key in row.percent_cells, key in sheet.percent_headers)
            except (ValueError, TypeError):
                bad(key, "percent")
    for key, words in _VALUES.items():  # « En cours », « Terminé », and the statuses of other tools (« Bloqué »: on hold, health blocked)
        if key in v:
            found = words.read(v[key])
            if found is None:
                bad(key, key if key in _WHAT else "value")
                continue
            out.values[key] = found[0]
            for other, value in found[1]:
                if other not in v:
                    out.values[other] = value
            if found[2]:
                out.extra_notes.append(_("Status: {note}.").format(note=found[2](lang)))
    for key in _PEOPLE:
        if key in v:
            out.values[key] = split_people(v[key], sheet.people)
    if "admin_owner" in v:
        names = split_people(v["admin_owner"], sheet.people)
        out.values["admin_owner"] = names[0] if names else None
        if len(names) > 1:
            out.values.setdefault("involved", []).extend(names[1:])
            column, header = row.cells["admin_owner"]
            problems.append(Problem(row.sheet, row.number, column, header, str(v["admin_owner"]),
                                    msg("an action has a single administrative owner: '{name}' is, the others are put among the contributors.",
                                        name=names[0])))
    if "service" in v:
        out.values["service"] = _text(v["service"])
    for key in _LISTS:
        if key in v:
            out.values[key] = split_list(v[key])
    if "volet" in v:
        key = fold(v["volet"])
        if "intern" in key:
            out.values["volet"] = "internal"
        elif "extern" in key:
            out.values["volet"] = "external"
        else:
            out.values.setdefault("tags", []).append(str(v["volet"]).strip())
    return out
