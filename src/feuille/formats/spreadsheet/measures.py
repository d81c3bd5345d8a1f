"""A table of measurements into an existing plan: ``feuille import mesures.csv`` (or a returned workbook's « Indicateurs » sheet).

The table is long: one row per measurement, with the indicator (its id, or its label), the date, the
value and, if any, a note (core/measures.py: the columns the exports write, and the other names people
give them).  It is recognised by its headers, in a CSV (``;``, ``,`` or tab, any encoding the
spreadsheet import reads) or in any visible sheet of a workbook.  It never makes a plan: it adds
measurements to the plan's indicators.

Nothing is lost: every row with a value ends in exactly one of
- **added**: a new measurement of an indicator of the plan;
- **already there**: the plan has the same value on that date (not written twice);
- **a problem**, with its sheet, row, column and text, and not applied: a date that cannot be read or
  lies after today, a value that is not a number, an indicator the plan does not have (with the
  closest names) or a label several indicators share, the same indicator and date twice in the table
  with two values, or a date where the plan already has another value.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from feuille.core.fields import fold
from feuille.core.i18n import LANGS, Msg, Number, When, msg
from feuille.core.measures import COLUMNS, HEADERS, SYNONYMS
from feuille.core.plan import PlacedIndicator, Plan, fold_label
from feuille.formats.spreadsheet.columns import INFO_SHEET
from feuille.formats.spreadsheet.read import ERROR, INFO, MAX_ROWS, Problem, SheetError, _check_parts, _decode_csv, _letter, too_many_rows
from feuille.formats.spreadsheet.values import parse_date

Table = tuple[str, list[tuple[int, list[Any]]]]  # (sheet name, [(row number, cells)])


def _names() -> dict[str, str]:
    """Folded header -> column key: the exports' headers in every language, and the synonyms."""
    out: dict[str, str] = {}
    for key in COLUMNS:
        for lang in LANGS:
            out.setdefault(fold(HEADERS[lang][key]), key)
    for key, names in SYNONYMS.items():
        for name in names:
            out.setdefault(name, key)
    return out


def header_columns(cells: list[Any]) -> dict[str, int] | None:
    """The columns of a measurements table found in a header row, or None when it is not one
    (it needs a date, a value, and the indicator's id or label)."""
    names = _names()
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        key = names.get(fold(cell))
        if key is not None and key not in found:
            found[key] = i
    if "date" in found and "value" in found and ("indicator" in found or "label" in found):
        return found
    return None


def _find_header(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int]] | None:
    for index, (_n, cells) in enumerate(rows[:30]):
        columns = header_columns(cells)
        if columns is not None:
            return index, columns
    return None


def tables(name: str, raw: bytes, head: int | None = None) -> list[Table]:
    """The tables of a file: a CSV (its separator is the one that shows a measurements header), or each visible sheet of a workbook.
    ``head``: only the first rows of each (enough to recognise a header).  A file past the spreadsheet import's limits (rows,
    unzipped size) is refused before it is read, as the import of actions does."""
    if raw.startswith(b"PK"):
        return _xlsx(name, raw, head)
    text, _encoding = _decode_csv(raw)
    if "\x00" in text:
        raise SheetError(msg("'{name}' is not a readable CSV file (it holds null bytes: a renamed Excel workbook?).", name=name),
                         msg("Save it from Excel as 'CSV (semicolon delimited)', or give the .xlsx file."))
    lines = text.splitlines()
    sample = "\n".join(lines[:30])
    sep = next((s for s in (";", ",", "\t") if any(header_columns(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=s))), ";")
    if head is not None:
        text = "\n".join(lines[:head])
    elif len(lines) > MAX_ROWS:
        raise too_many_rows(name, msg("more than {most}", most=Number(MAX_ROWS)))
    rows = [(n, [c[1:] if c[:1] == "'" and c[1:2] in ("=", "+", "-", "@") else c for c in cells])
            for n, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=sep), start=1)]
    return [(Path(name).stem, rows)]


def _xlsx(name: str, raw: bytes, head: int | None = None) -> list[Table]:
    from openpyxl import load_workbook  # noqa: PLC0415 (heavy, loaded when first needed)

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            _check_parts(archive, name)  # rows and unzipped size, before the workbook is opened (openpyxl would read it whole)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError, TypeError) as exc:
        raise SheetError(msg("'{name}' is damaged: Excel might repair it, feuille cannot read it ({error}).", name=name, error=type(exc).__name__),
                         msg("Open it in Excel, save it, then try again.")) from None
    try:
        return [(n, [(i, list(cells)) for i, cells in enumerate(islice(wb[n].iter_rows(values_only=True), head), start=1)])
                for n in wb.sheetnames if wb[n].sheet_state == "visible"]
    finally:
        wb.close()


def find_table(found: list[Table]) -> tuple[str, list[tuple[int, list[Any]]], int, dict[str, int]] | None:
    """The first table whose header row is a measurements header: (sheet, rows, header index, columns)."""
    for sheet, rows in found:
        header = _find_header(rows)
        if header is not None:
            return sheet, rows, header[0], header[1]
    return None


def exported_workbook(raw: bytes) -> bool:
    """Whether ``raw`` is a workbook feuille exported (its hidden information sheet): it goes back to its plan as a returned
    sheet, its « Indicateurs » sheet with it."""

    if not raw.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return f'name="{INFO_SHEET}"'.encode() in archive.read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False


def recognised(name: str, raw: bytes) -> bool:
    """Whether the file holds a table of measurements (and is not a plan's sheet of actions)."""
    try:
        return find_table(tables(name, raw, head=30)) is not None
    except SheetError:
        return False


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def parse_value(value: Any) -> float:
    """A measured value as people write it: 8,6 · 8.6 · 1 234,5 · 12 % · 4 100 t. ValueError if it is not a number."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value)
    s = str(value).strip().replace("\u00a0", " ").replace("\u202f", " ")
    s = re.sub(r"\s*(%|[^\d\s.,\-]+\.?)$", "", s)  # a unit after the number
    s = re.sub(r"[\s']", "", s)
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in s:
        s = s.replace(",", ".")
    if not _NUMBER.fullmatch(s):
        raise ValueError
    return float(s)


@dataclass(slots=True)
class Found:
    """A measurement to add to an indicator of the plan."""

    placed: PlacedIndicator
    date: dt.date
    value: float
    note: str | None
    sheet: str
    row: int


@dataclass(slots=True)
class MeasureImport:
    file: str
    sheet: str
    columns: dict[str, str]  # key -> the header found
    rows: int = 0  # rows with a value or a date (the others are empty lines)
    added: list[Found] = field(default_factory=list)
    already: list[Found] = field(default_factory=list)  # the plan has the same value on that date
    repeated: list[Found] = field(default_factory=list)  # the same row again in the table: counted once
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return sum(1 for p in self.problems if p.level == ERROR)

    def by_indicator(self) -> dict[str, list[Found]]:
        out: dict[str, list[Found]] = {}
        for f in self.added:
            out.setdefault(f.placed.key, []).append(f)
        return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _closest(plan: Plan, text: str) -> Msg | str:
    names = {p.key: p.key for p in plan.indicators()} | {fold_label(p.indicator.label): p.indicator.id or p.indicator.label for p in plan.indicators()}
    near = difflib.get_close_matches(text, [p.key for p in plan.indicators()], n=3, cutoff=0.6)
    near += [names[c] for c in difflib.get_close_matches(fold_label(text), list(names), n=3, cutoff=0.6) if names[c] not in near]
    return msg(" Did you mean: {listed}?", listed=", ".join(near[:3])) if near else ""


def read_measures(name: str, raw: bytes, plan: Plan, today: dt.date) -> MeasureImport:
    """Read a table of measurements and sort each row: added, already there, repeated, or a problem (core of ``feuille import``)."""
    table = find_table(tables(name, raw))
    if table is None:
        raise SheetError(msg("'{name}' has no table of measurements: no header row with an indicator (its id or its label), a date and a value.", name=name),
                         msg("Give the table a header row naming the indicator (its id, or its label), the date and the value, and if you wish a note; "
                             "or start from the « Indicators » sheet of feuille export -f xlsx."))
    sheet, rows, header_index, columns = table
    header = rows[header_index][1]
    result = MeasureImport(name, sheet, {k: _text(header[i]) for k, i in columns.items()})
    seen: dict[tuple[str, dt.date], Found] = {}
    clashes: set[tuple[str, dt.date]] = set()

    def cell(cells: list[Any], key: str) -> Any:
        i = columns.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    def problem(number: int, key: str | None, text: str, said: Msg, level: str = ERROR) -> None:
        i = columns.get(key) if key else None
        result.problems.append(Problem(sheet, number, _letter(i) if i is not None else "", _text(header[i]) if i is not None else "", text, said, level))

    for number, cells in rows[header_index + 1:]:
        date_cell, value_cell = cell(cells, "date"), cell(cells, "value")
        if _text(date_cell) == "" and _text(value_cell) == "":
            continue  # an empty line (the export leaves one per indicator for the next measurement)
        result.rows += 1
        ident, label = _text(cell(cells, "indicator")), _text(cell(cells, "label"))
        found = plan.find_indicators(ident) if ident else []
        if not found and label:
            found = plan.find_indicators(label)
        if len(found) != 1:
            said = ident or label
            if not said:
                problem(number, "indicator" if "indicator" in columns else "label", "", msg("no indicator named on this row: not applied."))
            elif found:
                problem(number, "indicator" if ident else "label", said, msg("{n} indicators have this label ({where}): give the indicator's id. Not applied.",
                                                                             n=len(found), where=", ".join(p.where or "plan.yaml" for p in found)))
            else:
                problem(number, "indicator" if ident else "label", said, msg("the plan has no such indicator.{more} Not applied.", more=_closest(plan, said)))
            continue
        placed = found[0]
        try:
            day = parse_date(date_cell, end=True)
            if day is None:
                raise ValueError
        except ValueError:
            problem(number, "date", _text(date_cell), msg("not a date (write 31/12/2025, 2025-12-31, 12/2025 or 2025): not applied.") if _text(date_cell)
                    else msg("the date is missing: not applied."))
            continue
        except OverflowError:
            problem(number, "date", _text(date_cell), msg("not a date (write 31/12/2025, 2025-12-31, 12/2025 or 2025): not applied."))
            continue
        if day > today:
            problem(number, "date", _text(date_cell), msg("the date is after today: a measurement refers to a date that has passed. Not applied."))
            continue
        try:
            value = parse_value(value_cell)
        except ValueError:
            problem(number, "value", _text(value_cell), msg("not a number: not applied.") if _text(value_cell) else msg("the value is missing: not applied."))
            continue
        note = _text(cell(cells, "note")) or None
        f = Found(placed, day, value, note, sheet, number)
        key = (placed.key, day)
        if key in seen:
            first = seen[key]
            if first.value == value:
                result.repeated.append(f)
                problem(number, "date", _text(date_cell), msg("the same measurement as row {row}: counted once.", row=first.row), INFO)
            else:
                clashes.add(key)
                problem(number, "value", _text(value_cell), msg("row {row} gives {first} for the same indicator and date: neither is applied; keep one.",
                                                                  row=first.row, first=Number(first.value)))
            continue
        seen[key] = f
        have = [m for m in placed.indicator.measurements if m.date == day]
        if have and any(m.value == value for m in have):
            result.already.append(f)
        elif have:
            problem(number, "value", _text(value_cell), msg("the plan already has {value} on {date} for this indicator: not applied (correct it in the file if the table is right).",
                                                              value=Number(have[0].value), date=When(day)))
        else:
            result.added.append(f)
    for key in clashes:  # two values for one date: the first row is not applied either
        first = seen[key]
        if first in result.added:
            result.added.remove(first)
            problem(first.row, "value", _text(first.value), msg("another row gives another value for the same indicator and date: not applied."))
    return result
