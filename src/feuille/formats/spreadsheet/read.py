"""Spreadsheets (xlsx, csv) into a plan: the sheets towns already keep, and the sheets feuille exported.

:func:`read_sheet` finds the header row (below a title and blank rows), matches headers
whatever their case, accents, punctuation or line breaks (French names of the field, of
iA.PST and of Territoires en Transitions, and ``--map``), fills objectives down, and reads
dates, amounts, percentages, statuses and people the way people write them.  A value it
cannot read is reported with its sheet, row, column and original text; for a new action it
is kept verbatim in the action's notes (nothing is dropped), on the row of an existing
action it is not applied (the plan keeps its value, the report says so).

:func:`build_plan` turns the rows into the files of a new plan; :func:`write_new_plan`
writes them.  :func:`plan_update` compares a returned sheet with an existing plan (cells
against the export's baseline hash and the YAML), :func:`apply_update` writes the changes
through the one safe writer (:mod:`feuille.io.edit`), all files at once.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import re
import shutil
import sys
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from feuille.core.fields import fold, of
from feuille.core.model import Action
from feuille.core.errors import UserError
from feuille.core.i18n import Joined, LANGS, Msg, N_, NC_, Number, When, Words, msg, translator
from feuille.formats.spreadsheet.columns import (COLUMNS_BY_KEY, HASHED, HEADERS, INFO_SHEET, READ_COLUMNS, STATUS_WORDS, WORDS, canon,
                                level_of_id_header, parse_baseline, parse_mark, value_hash)
from feuille.io.files import system_reason

NAME = "tableur (xlsx, csv)"
SUFFIXES = (".xlsx", ".xlsm", ".csv")
MAX_BYTES = 50 * 1024 * 1024
# What a sheet may hold (docs/security.md): past it, the import stops at once and says why, before any work.
MAX_ROWS = 100_000  # rows of a sheet, the header included (a workbook says its size: refused before a row is read)
MAX_COLUMNS = 1_000  # columns holding a value, in any row
MAX_CELL = 1_000_000  # characters in one cell (the csv module's own limit, 131,072, is raised to it for the read)
MAX_PART = 512 * 1024 * 1024  # bytes of one part of a workbook once unzipped (a « zip bomb » is refused before it is opened)


class SheetError(UserError):
    """The file cannot be read at all, with what to do.  ``msg`` and ``hint_msg`` as given (a
    :class:`Msg` is shown in the user's language by ``fail``); ``message`` and ``hint`` their French."""

    code = "sheet"


CHECK, ERROR, INFO = "check", "error", "info"  # how serious a Problem is
LEVEL_WORDS = Words({CHECK: NC_("sheet problem", "to check"), ERROR: NC_("sheet problem", "error"), INFO: NC_("sheet problem", "info")})
UNKNOWN_COLUMN = "unknown_column"  # the kind of the Problem of a column no one recognised


@dataclass(slots=True)
class Problem:
    sheet: str
    row: int
    column: str  # letter (xlsx) or number (csv)
    header: str
    text: str  # the original text of the cell
    msg: str | Msg  # what is wrong and what to do (a Msg: shown in the user's language)
    level: str = CHECK  # CHECK | ERROR | INFO
    kind: str = ""  # UNKNOWN_COLUMN, or nothing

    @property
    def message(self) -> str:
        """What is wrong, in French."""
        said = self.msg
        return said("fr") if isinstance(said, Msg) else said

    def as_msg(self) -> Msg:
        """Where (sheet, row, column), the cell's text and what is wrong, as one message."""
        where = msg("sheet '{sheet}', row {row}", sheet=self.sheet, row=self.row)
        if self.column:
            where = msg("{where}, column {column} ({header})", where=where, column=self.column, header=self.header)
        if self.text:
            return msg("{where}: '{text}' — {problem}", where=where, text=self.text, problem=self.msg)
        return msg("{where} — {problem}", where=where, problem=self.msg)

    def show(self, lang: str) -> str:
        return self.as_msg()(lang)

    def __str__(self) -> str:
        return self.show("fr")


@dataclass(slots=True)
class Row:
    sheet: str
    number: int
    values: dict[str, Any] = field(default_factory=dict)  # field -> raw cell value
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (column, header)
    percent_cells: set[str] = field(default_factory=set)  # fields whose cell is formatted as a percentage
    levels: list[tuple[str | None, str | None]] = field(default_factory=list)  # (id, title) per objective level, filled down


@dataclass(slots=True)
class Sheet:
    rows: list[Row] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)  # names of the objective levels found
    action_level: str = ""  # the name of the actions' level (a workbook feuille exported: its actions sheet)
    lang: str = ""  # the language the sheet is written in (its headers, its words), when it can be told: "fr", "en"
    info: dict[str, str] = field(default_factory=dict)  # from a workbook feuille exported
    exported_ids: list[str] = field(default_factory=list)
    formulas: int = 0
    sheets: list[str] = field(default_factory=list)
    percent_headers: set[str] = field(default_factory=set)  # fields whose header says « (%) »: numbers are percents
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (column, header) of the sheet's columns, empty cells or not
    export_count: int = 0  # rows the export wrote (from each row's « Révision du plan » cell): a CSV's deleted rows are noticed by it
    export_digest: str = ""  # digest of the ids the export wrote
    marked_ids: list[str] = field(default_factory=list)  # ids of the rows that carry that export's mark
    people: frozenset[str] = frozenset()  # the names of the plan's people (folded), when the sheet goes into a plan: kept whole


def sniff(head: bytes) -> bool:
    """An xlsx (a zip, or an encrypted OLE file: said precisely by the reader) or a text file."""
    return head.startswith((b"PK", b"\xd0\xcf\x11\xe0")) or b"\x00" not in head


def read(sources: list[tuple[str, bytes]], mapping: dict[str, str] | None = None,
         progress: Callable[[int, int], None] | None = None, as_of: dt.date | None = None, lang: str = "fr") -> Any:
    """The registry's entry (:mod:`feuille.io.imports`): one sheet into the files of a new plan (written in ``lang``), notes for the user."""
    from feuille.io.imports import Imported, ImportProblem

    if len(sources) != 1:
        raise ImportProblem(ONE_SHEET, ONE_SHEET_HINT)
    name, raw = sources[0]
    try:
        sheet, problems = read_sheet(Path(name), raw, mapping, progress)
    except SheetError as exc:
        raise ImportProblem(exc.msg, exc.hint_msg) from None
    built = build_plan(sheet, problems, Path(name).stem.replace("_", " ").replace("-", " ").strip(), as_of, lang)
    return Imported({rel: _plain(data, dates=True) for rel, data in built.files.items()}, [*built.summary, *(p.as_msg() for p in problems)])


# --- headers -------------------------------------------------------------------------------------

# The headers of the columns that are fields of an action (or their totals) are the field registry's: each field's column,
# with the other headers people give it in any language, is declared with the field (core/model.py; core/sheet.READ_COLUMNS).
# These columns are the sheet's own: the objective path (iA.PST, Territoires en Transitions), the priority, the export's marks.
# Each has its place among the fields (--map lists them in this order) and the headers people give it, in any language.
_SHEET_ONLY: dict[str, tuple[int, tuple[str, ...]]] = {
    "priority_level": (250, ("Niveau de priorité", "Priorité", "Priority", "Priority level")),
    "level1": (300, ("Axe (x)", "Axe", "Objectif stratégique", "Objectif prioritaire", "Objectif", "OS", "Objectif général", "Objectifs stratégiques",
                     "Objective", "Strategic objective", "Goal", "Theme (x)", "Objectives", "Strategic objectives")),
    "level2": (310, ("Sous-axe (x.x)", "Sous-axe", "Objectif opérationnel", "OO", "Sous-objectif", "Objectifs opérationnels",
                     "Operational objective", "Sub-objective", "Operational objectives")),
    "level3": (320, ("Sous-sous axe (x.x.x)", "Sous-sous-axe (x.x.x)", "Sous-sous axe", "Sous-sous-axe")),
    "hash": (330, ("Empreinte (ne pas modifier)", "Empreinte", "Fingerprint (do not change)", "Fingerprint")),
    "revision": (340, ("Révision du plan", "Plan revision")),
}
FIELDS = tuple(key for _at, key in sorted([(c.at, c.key) for c in READ_COLUMNS] + [(at, key) for key, (at, _w) in _SHEET_ONLY.items()]))
_LOOKUP = {fold(name): c.key for c in READ_COLUMNS for name in c.words} | {fold(name): key for key, (_at, names) in _SHEET_ONLY.items() for name in names}
_LOOKUP.update({fold(text): key for lang in LANGS for key, text in HEADERS[lang].items()})  # what feuille exports, in every language
_LONG = sorted(((k, v) for k, v in _LOOKUP.items() if len(k) >= 10), key=lambda kv: -len(kv[0]))
EXPECTED_HINT = msg("'Action' (or 'Title', 'Action title'), 'Status', 'Political owner', 'Administrative owner', 'Start date', 'End date', "
                    "'Budget', 'Progress'... (or their French names)")
ONE_SHEET = msg("a spreadsheet is imported on its own: give one .xlsx or .csv file at a time.")
ONE_SHEET_HINT = msg("Example: feuille import sheet.xlsx my-plan")
COMMA = msg(", ")
EMPTY = msg("'{name}' is empty: no row to import.")
RESAVE_HINT = msg("Open it in Excel, save it again as .xlsx, then try again.")


def match_header(text: Any, mapping: dict[str, str] | None = None) -> str | None:
    if text is None:
        return None
    key = fold(text)
    if not key:
        return None
    if mapping and key in mapping:
        return mapping[key]
    if key in _LOOKUP:
        return _LOOKUP[key]
    for long, name in _LONG:  # « Ce qu'il reste à faire pour atteindre... », « Budget prévisionnel 2025 »
        if key.startswith(long):
            return name
    return None


def parse_map(items: list[str]) -> dict[str, str]:
    """``--map "Colonne=field"`` -> {folded column: field}; SheetError in French for a bad one."""
    out = {}
    for item in items:
        if "=" not in item:
            raise SheetError(msg("--map '{item}': write 'Column name=field'.", item=item),
                             msg("Possible fields: {names}.", names=", ".join(f for f in FIELDS if f not in ("hash", "revision"))))
        column, name = item.rsplit("=", 1)
        name = name.strip()
        if name not in FIELDS and name != "ignore":
            import difflib

            close = difflib.get_close_matches(name, FIELDS, n=1)
            more = msg(" Did you mean '{value}'?", value=close[0]) if close else ""
            raise SheetError(msg("--map '{item}': unknown field '{name}'.{more}", item=item, name=name, more=more),
                             msg("Possible fields: {names}, or ignore.", names=", ".join(FIELDS)))
        out[fold(column)] = name
    return out


# --- files -----------------------------------------------------------------------------------------

def _letter(index: int) -> str:
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def _decode_csv(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "Windows-1252"


def _split_csv(text: str, sep: str) -> list[list[str]]:
    """A few lines split leniently (to guess the separator, or a row written with another one)."""
    try:
        with _field_limit():
            return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error:
        return []


class _field_limit:
    """The csv module's cell limit raised to :data:`MAX_CELL` for one read, then put back (it is the module's, not ours)."""

    def __enter__(self) -> None:
        self.old = csv.field_size_limit(MAX_CELL)

    def __exit__(self, *exc: object) -> None:
        csv.field_size_limit(self.old)


def too_many_rows(name: str, rows: int | str) -> SheetError:
    return SheetError(msg("'{name}' holds {rows} rows; feuille imports at most {most} rows from a sheet.", name=name, rows=rows, most=Number(MAX_ROWS)),
                      msg("Split the sheet into several files, or delete the empty rows below the table (select them, Delete) and save again."))


def too_many_columns(name: str, row: int, columns: int) -> SheetError:
    return SheetError(msg("'{name}', row {row}: {columns} columns hold a value; feuille reads at most {most}.", name=name, row=row, columns=Number(columns),
                          most=Number(MAX_COLUMNS)),
                      msg("Keep only the plan's table in the sheet (one column per field), or delete the columns to the right of it."))


def _width(cells: list[Any]) -> int:
    """The number of cells up to the last one holding a value."""
    n = len(cells)
    while n and cells[n - 1] in (None, ""):
        n -= 1
    return n


def _csv_records(text: str, sep: str, name: str) -> Any:
    """``(line, cells)`` for each record of a CSV, strictly read: a quote never closed, a quote followed by other
    characters, a cell past :data:`MAX_CELL`, too many rows or columns stop the import with the line (never a silent
    half-read file)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    start, count = 1, 0
    with _field_limit():
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _csv_error(name, str(exc), start, reader.line_num, sep) from None
            count += 1
            if count > MAX_ROWS:
                raise too_many_rows(name, msg("more than {most}", most=Number(MAX_ROWS)))
            if len(cells) > MAX_COLUMNS and _width(cells) > MAX_COLUMNS:
                raise too_many_columns(name, count, _width(cells))
            yield start, cells
            start = reader.line_num + 1


def _csv_error(name: str, error: str, start: int, line: int, sep: str) -> SheetError:
    if "field larger than field limit" in error:
        return SheetError(msg("'{name}', line {line}: a cell holds more than {most} characters; feuille reads at most {most} in a cell.",
                              name=name, line=start, most=Number(MAX_CELL)),
                          msg("A cell that long is not a plan's value (a whole document pasted?): shorten it, or check the file's quotes."))
    if "unexpected end of data" in error:
        return SheetError(msg("'{name}', line {line}: a quote (\") opened in this row is never closed: the rest of the file would be read as "
                              "one cell.", name=name, line=start),
                          msg("Close the quote, or remove it (a quote inside a quoted cell is written twice: \"\"); or open the file in Excel "
                              "and save it again as CSV."))
    if "expected after" in error:
        return SheetError(msg("'{name}', line {line}: a quote (\") ends a cell but is followed by other characters before the next '{sep}'.",
                              name=name, line=line, sep=sep),
                          msg("Write a quote inside a quoted cell twice (\"\"), or remove the quotes around the cell."))
    return SheetError(msg("'{name}', line {line}: the CSV file cannot be read ({error}).", name=name, line=line, error=error), RESAVE_CSV_HINT)


RESAVE_CSV_HINT = msg("Open it in Excel and save it again as 'CSV (semicolon delimited)'.")


def _csv_tables(raw: bytes, name: str, problems: list[Problem],
                progress: Callable[[int, int], None] | None = None) -> list[tuple[str, list[tuple[int, list[Any], set[int]]]]]:
    text, _encoding = _decode_csv(raw)
    if "\x00" in text:
        raise SheetError(msg("'{name}' is not a readable CSV file (it holds null bytes: a renamed Excel workbook?).", name=name),
                         msg("Save it from Excel as 'CSV (semicolon delimited)', or give the .xlsx file."))
    best: tuple[int, str] = (-1, ";")
    lines = text.splitlines()[:30]
    for sep in (";", ",", "\t"):
        for cells in _split_csv("\n".join(lines), sep):
            score = sum(1 for c in cells[: MAX_COLUMNS + 1] if match_header(c))
            if score > best[0]:
                best = (score, sep)
    sep = best[1]
    other = [s for s in (";", ",", "\t") if s != sep]
    rows: list[tuple[int, list[Any], set[int]]] = []
    width = 0
    total = text.count("\n") + 1  # lines: as many records, but for cells over several lines
    for number, (_line, cells) in enumerate(_csv_records(text, sep, name), start=1):
        if progress is not None and number % 1000 == 0:
            progress(min(number, total), total)
        if len(cells) <= 1 and cells and any(o in cells[0] for o in other) and width > 1:
            o = next(o for o in other if o in cells[0])
            cells = next(iter(_split_csv(cells[0], o)), cells)
            problems.append(Problem(name, number, "", "", "", msg("this row is separated by '{used}', not by '{sep}' like the others: read with '{used}'; "
                                                                  "check it.", used=o, sep=sep), CHECK))
        if width == 0 and sum(1 for c in cells if match_header(c)) >= 2:
            width = len(cells)
        rows.append((number, [c[1:] if c[:1] == "'" and c[1:2] in ("=", "+", "-", "@") else c for c in cells], set()))
    if progress is not None:
        progress(len(rows), len(rows))
    return [(Path(name).stem, rows)]


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?[A-Z]*\$?\d*:?\$?([A-Z]+)\$?(\d+)\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + c - 64
    return n


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name (``xl/worksheets/sheet1.xml``) -> the sheet's name, from the workbook and its relations (read safely)."""
    import defusedxml.ElementTree as DET

    try:
        rels = DET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        book = DET.fromstring(archive.read("xl/workbook.xml"))
    except Exception:  # noqa: BLE001 - only names for a message: the read itself says what is damaged
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            out[part] = el.get("name", "")
    return out


def _check_parts(archive: zipfile.ZipFile, name: str) -> tuple[int, bool]:
    """Before the workbook is opened: no part too large once unzipped, no sheet past :data:`MAX_ROWS`, by the size
    it declares (its ``dimension``, in the first bytes of the part) or, when it declares none (files written by
    programs other than Excel), by its rows counted as the part streams by (stopping at the first row too many).
    Returns the most rows a sheet holds (for the progress bar) and whether a sheet holds formulas."""
    most, formulas = 0, False
    names = None
    for info in archive.infolist():
        if info.file_size > MAX_PART:
            raise SheetError(msg("'{name}' holds a part of {size} MB once unzipped ({part}); feuille opens at most {most} MB.", name=name,
                                 size=info.file_size // 1024 // 1024, part=info.filename, most=MAX_PART // 1024 // 1024), RESAVE_HINT)
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with archive.open(info) as part:
            head = part.read(64 * 1024)
            dimension = _DIMENSION.search(head)
            declared = int(dimension.group(2)) if dimension is not None else None
            counted, chunk, tail = 0, head, b""
            while chunk:  # the part streams by, never held whole: its formulas, and its rows if it does not say how many
                window = tail + chunk
                formulas = formulas or _FORMULA.search(window) is not None
                if declared is None:
                    counted += sum(1 for m in _ROW.finditer(window) if m.end() > len(tail))
                rows = declared if declared is not None else counted
                if rows > MAX_ROWS:
                    names = names if names is not None else _sheet_names(archive)
                    sheet_name = names.get(info.filename) or info.filename
                    said = msg("{rows} rows (its size: {ref})", rows=Number(rows), ref=dimension.group(0).split(b'"')[1].decode("ascii")) \
                        if dimension is not None else msg("more than {most} rows", most=Number(MAX_ROWS))
                    raise SheetError(msg("the sheet '{sheet}' of '{name}' holds {rows}; feuille imports at most {most} rows from a sheet.",
                                         sheet=sheet_name, name=name, rows=said, most=Number(MAX_ROWS)),
                                     msg("Split the sheet into several files, or delete the empty rows below the table (select them, Delete) "
                                         "and save again."))
                if declared is not None and formulas:
                    break
                tail = chunk[-16:]
                chunk = part.read(1024 * 1024)
            most = max(most, declared if declared is not None else counted)
    return most, formulas


def _xlsx_tables(raw: bytes, name: str, problems: list[Problem], sheet: Sheet,
                 progress: Callable[[int, int], None] | None = None) -> list[tuple[str, list[tuple[int, list[Any], set[int]]]]]:
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(msg("'{name}' is protected by a password, or it is an old Excel workbook (.xls): feuille cannot open it.", name=name),
                         msg("Open it in Excel, remove the password (File > Info > Protect Workbook) or save it as .xlsx, then try again."))
    if not raw.startswith(b"PK"):
        what = msg("a text file (CSV?)") if raw[:200].count(b";") + raw[:200].count(b",") > 2 else msg("something else")
        raise SheetError(msg("'{name}' is not a real Excel workbook (.xlsx): it is {what}, renamed.", name=name, what=what),
                         msg("Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give it its real name (.csv)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.namelist()
        declared, formulas = _check_parts(archive, name)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, zlib.error) as exc:
        raise SheetError(msg("'{name}' is damaged: it is not a readable workbook ({error}).", name=name, error=type(exc).__name__),
                         msg("Open it in Excel (which offers to repair it), save it, then try again.")) from None
    if "xl/workbook.xml" not in members:
        raise SheetError(msg("'{name}' is not an Excel workbook: it is a zip archive without a workbook (a Word or LibreOffice document?).", name=name),
                         msg("Save the spreadsheet as 'Excel Workbook (.xlsx)'; feuille does not read .ods files."))
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged file must be a message, never a traceback
        raise SheetError(msg("'{name}' is damaged: Excel might repair it, feuille cannot read it ({error}).", name=name, error=type(exc).__name__),
                         RESAVE_HINT) from None
    tables = []
    try:
        names = wb.sheetnames
        if INFO_SHEET in names:
            info_rows = list(wb[INFO_SHEET].iter_rows(values_only=True))
            sheet.info = {str(r[0]): str(r[1]) for r in info_rows if r and r[0] is not None and len(r) > 1 and r[1] is not None}
            sheet.exported_ids = [str(r[2]) for r in info_rows if r and len(r) > 2 and r[2] is not None]
            wanted = [sheet.info.get("actions_sheet", "")]
            sheet.action_level = wanted[0]
            if sheet.info.get("lang") in LANGS:
                sheet.lang = sheet.info["lang"]
        else:
            wanted = [n for n in names if wb[n].sheet_state == "visible"]
        for sheet_name in wanted:
            if sheet_name not in names:
                continue
            rows = []
            ws = wb[sheet_name]
            if sheet_name != INFO_SHEET:
                ws.reset_dimensions()  # rows as long as their cells, not padded to a declared width (16,384 columns for some files)
            for number, cells in enumerate(ws.iter_rows(), start=1):
                if number > MAX_ROWS:  # a sheet that did not declare its size, or declared it wrong
                    raise too_many_rows(name, msg("more than {most}", most=Number(MAX_ROWS)))
                if len(cells) > MAX_COLUMNS and (width := _width([getattr(c, "value", None) for c in cells])) > MAX_COLUMNS:
                    raise too_many_columns(name, number, width)
                if progress is not None and number % 1000 == 0:
                    progress(number, max(declared, number))
                values, percent = [], set()
                for i, c in enumerate(cells):
                    v = getattr(c, "value", None)
                    values.append(v)
                    if isinstance(v, (int, float)) and "%" in (getattr(c, "number_format", "") or ""):
                        percent.add(i)
                rows.append((number, values, percent))
            if progress is not None:
                progress(len(rows), len(rows))
            tables.append((sheet_name, rows))
    except SheetError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise SheetError(msg("'{name}' is damaged: a sheet cannot be read ({error}).", name=name, error=type(exc).__name__),
                         RESAVE_HINT) from None
    finally:
        wb.close()
    if formulas:
        sheet.formulas = 1
    return tables


def _header_row(rows: list[tuple[int, list[Any], set[int]]], mapping: dict[str, str]) -> tuple[int, dict[int, str], list[str]] | None:
    best = None
    for index, (_number, cells, _p) in enumerate(rows[:30]):
        found = {i: f for i, c in enumerate(cells) if (f := match_header(c, mapping)) is not None and f != "ignore"}
        score = len(set(found.values()))
        if "title" in found.values() and score >= 2 and (best is None or score > best[2]):
            best = (index, found, score)
    if best is None:
        return None
    return best[0], best[1], [str(c) if c is not None else "" for c in rows[best[0]][1]]


def read_sheet(path: Path | str, raw: bytes | None = None, mapping: dict[str, str] | None = None,
               progress: Callable[[int, int], None] | None = None) -> tuple[Sheet, list[Problem]]:
    """The rows of a spreadsheet, each a field -> raw value; SheetError when nothing can be read."""
    path = Path(path)
    name = path.name
    mapping = mapping or {}
    if raw is None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise SheetError(msg("the file '{path}' does not exist.", path=str(path)), msg("Check the name and the folder.")) from None
        except IsADirectoryError:
            raise SheetError(msg("'{path}' is a folder, not a spreadsheet.", path=str(path))) from None
        except OSError as exc:
            raise SheetError(msg("cannot read '{path}': {reason}.", path=str(path), reason=system_reason(exc))) from None
    if len(raw) > MAX_BYTES:
        raise SheetError(msg("'{name}' weighs more than {size} MB: too much for a plan's spreadsheet.", name=name, size=MAX_BYTES // 1024 // 1024),
                         msg("Split it, or remove the images."))
    problems: list[Problem] = []
    sheet = Sheet()
    if not raw.strip(b"\xef\xbb\xbf \r\n\t;,"):
        raise SheetError(Msg(EMPTY.msgid, name=name), msg("Check that you saved the right file."))
    suffix = path.suffix.lower()
    tables = _xlsx_tables(raw, name, problems, sheet, progress) if suffix in (".xlsx", ".xlsm") else _csv_tables(raw, name, problems, progress)
    seen_headers: list[str] = []
    any_content = False
    for sheet_name, rows in tables:
        if not any(any(v not in (None, "") for v in cells) for _n, cells, _p in rows):
            continue
        any_content = True
        found = _header_row(rows, mapping)
        if found is None:
            for _n, cells, _p in rows[:10]:
                seen_headers += [str(c).strip() for c in cells if c not in (None, "") and len(str(c)) < 60][:12]
            continue
        index, columns, header_texts = found
        sheet.sheets.append(sheet_name)
        sheet.lang = sheet.lang or _language(header_texts)
        level_cols = _level_columns(columns, header_texts, sheet)
        ignored = {fold(k) for k, v in mapping.items() if v == "ignore"}
        for i, text in enumerate(header_texts):  # a column no one recognised: its values go to the notes, never lost
            if i not in columns and text.strip() and fold(text) not in ignored:
                columns[i] = "extra:" + " ".join(text.split())
                problems.append(Problem(sheet_name, rows[index][0], _letter(i), text.strip(), "",
                                        msg("column not recognised: its values are kept in the actions' notes. To take it: --map \"{column}=field\" "
                                            "(title, status, planned_end...); to ignore it: --map \"...=ignore\".", column=" ".join(text.split())),
                                        INFO, UNKNOWN_COLUMN))
        for i, f in columns.items():
            if f not in ("level", "level_id") and not f.startswith("extra:"):
                sheet.columns.setdefault(f, (_letter(i), header_texts[i].replace("\n", " ").strip()))
            if f == "progress" and "%" in header_texts[i] and fold(header_texts[i]) != "realise":
                sheet.percent_headers.add(f)
        fill: list[tuple[str | None, str | None]] = [(None, None)] * len(level_cols)
        for number, cells, percent in rows[index + 1:]:
            if not any(v not in (None, "") and str(v).strip() for v in cells):
                continue
            row = Row(sheet_name, number)
            for i, f in columns.items():
                if i < len(cells) and f not in ("level", "level_id"):
                    v = cells[i]
                    if isinstance(v, str):
                        v = v.strip()
                    if v not in (None, ""):
                        row.values[f] = v
                        row.cells[f] = (_letter(i), header_texts[i].replace("\n", " ").strip())
                        if i in percent:
                            row.percent_cells.add(f)
            # objectives written once and left blank below: filled down; a new upper level clears the lower ones
            for depth, (id_col, title_col) in enumerate(level_cols):
                ident = _text(cells[id_col]) if id_col is not None and id_col < len(cells) else None
                title = _text(cells[title_col]) if title_col is not None and title_col < len(cells) else None
                if ident or title:
                    fill[depth] = (ident, title)
                    fill[depth + 1:] = [(None, None)] * (len(level_cols) - depth - 1)
            row.levels = list(fill)
            if "title" not in row.values and not {k for k in row.values if k not in ("hash", "revision") and not k.startswith("extra:")}:
                continue  # a row that only names an objective (a section line)
            sheet.rows.append(row)
    _read_marks(sheet)
    if not any_content:
        raise SheetError(Msg(EMPTY.msgid, name=name), msg("Check that you saved the right file, and the right sheet."))
    if not sheet.sheets:
        headers = list(dict.fromkeys(seen_headers))[:15]
        seen = Joined(COMMA, [Msg("'{value}'", value=h) for h in headers]) if headers else msg("no text")
        raise SheetError(msg("no header row recognised in '{name}' (looked for in the first 30 rows). Headers seen: {seen}.", name=name, seen=seen),
                         msg("Expected headers: {expected} Or say which to take: --map \"My column=title\".", expected=EXPECTED_HINT))
    if not sheet.rows:  # a header and nothing under it that reads as an action: never an empty plan from a file that had data
        raise SheetError(msg("no action row in '{name}': the header row was found (sheet '{sheet}'), but no row under it gives an action.",
                             name=name, sheet=sheet.sheets[0]),
                         msg("Check that the actions are under the header row, one per row, with their title in the '{column}' column.",
                             column=sheet.columns.get("title", ("", "Action"))[1]))
    if sheet.formulas:
        problems.append(Problem(name, 0, "", "", "", msg("the workbook holds formulas: their last values computed by Excel were taken "
                                                         "(a formula never computed, for example written by another program, gives an empty cell)."), INFO))
    return sheet, problems


def _read_marks(sheet: Sheet) -> None:
    """The export's revision and row count, from the rows' « Révision du plan » cells (the first export seen)."""
    for row in sheet.rows:
        found = parse_mark(row.values.get("revision"))
        if found is None:
            continue
        rev, count, digest = found
        if not sheet.export_count:
            sheet.export_count, sheet.export_digest = count, digest
            sheet.info.setdefault("revision", rev)
        if (count, digest) == (sheet.export_count, sheet.export_digest) and (ident := _text(row.values.get("id"))):
            sheet.marked_ids.append(ident)


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = " ".join(str(v).split())
    return s or None


def _language(header_texts: list[str]) -> str:
    """The language of a sheet's headers, when they tell it (the headers feuille exports in one language and not in the other)."""
    folded = {fold(t) for t in header_texts}
    words = {lang: {fold(w) for w in HEADERS[lang].values()} for lang in LANGS}
    found = {lang: len(folded & (mine - set().union(*(words[o] for o in LANGS if o != lang)))) for lang, mine in words.items()}
    best = max(found.values())
    winners = [lang for lang, n in found.items() if n == best]
    return winners[0] if best and len(winners) == 1 else ""


def _level_columns(columns: dict[int, str], header_texts: list[str], sheet: Sheet) -> list[tuple[int | None, int | None]]:
    """(id column, title column) per objective level: feuille's own « Niveau (n°) » columns, else level1..3."""
    out: list[tuple[int | None, int | None]] = []
    names: list[str] = []
    for i, text in enumerate(header_texts):
        base = level_of_id_header(text)
        if base is not None:
            title = next((j for j, t in enumerate(header_texts) if t.strip() == base), None)
            out.append((i, title))
            names.append(base)
            for j in (i, title):
                if j is not None:
                    columns[j] = "level"
    if not out:
        for depth, key in enumerate(("level1", "level2", "level3")):
            cols = [i for i, f in columns.items() if f == key]
            if cols:
                out.append((None, cols[0]))
                names.append(header_texts[cols[0]].replace("\n", " ").strip())
                columns[cols[0]] = "level"
            elif depth == 0:
                break
    sheet.levels = sheet.levels or names
    return out


# --- values ------------------------------------------------------------------------------------------

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


# Columns by what they hold (the field registry's kinds, core/sheet.READ_COLUMNS), in the sheet's order.
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
    if "priority_level" in v:
        out.values.setdefault("tags", []).append(_("priority {level}").format(level=str(v["priority_level"]).strip().lower()))
    if "volet" in v:
        key = fold(v["volet"])
        if "intern" in key:
            out.values["volet"] = "internal"
        elif "extern" in key:
            out.values["volet"] = "external"
        else:
            out.values.setdefault("tags", []).append(str(v["volet"]).strip())
    return out


# --- a new plan -----------------------------------------------------------------------------------

def _slug(text: str, limit: int = 40) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:limit].strip("-") or "x"


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


@dataclass(slots=True)
class Built:
    files: dict[str, dict[str, Any]]  # relative path -> YAML data
    summary: list[Msg]
    problems: list[Problem]
    lang: str = "fr"  # the language the plan is written in (its placeholders, notes and comments)
    actions: int = 0
    objectives: int = 0
    people: int = 0
    services: int = 0


class _Registry:
    """People and services named in the sheet, each created once (matched by name, accents and case ignored)."""

    def __init__(self) -> None:
        self.people: dict[str, dict[str, Any]] = {}  # folded name -> person
        self.services: dict[str, dict[str, Any]] = {}
        self.ids: set[str] = set()
        self.guessed_first: list[str] = []

    def _unique(self, base: str) -> str:
        ident, n = base, 2
        while ident in self.ids:
            ident, n = f"{base}{n}", n + 1
        self.ids.add(ident)
        return ident

    def person(self, name: str, political: bool) -> str:
        key = fold(name)
        if key in self.people:
            return self.people[key]["id"]
        words = name.split()
        if len(words) >= 2:
            first, last = words[0], " ".join(words[1:])
        else:
            first, last = "?", name
            self.guessed_first.append(name)
        ident = self._unique(_slug(first[:1] + last, 30).replace("-", "") or "personne")
        self.people[key] = {"id": ident, "first_name": first, "last_name": last, "role": "alderman" if political else "head_of_service"}
        return ident

    def service(self, name: str) -> str:
        key = fold(name)
        if key not in self.services:
            self.services[key] = {"id": self._unique(_slug(name, 30)), "name": name[:500]}
        return self.services[key]["id"]


def build_plan(sheet: Sheet, problems: list[Problem], title: str, as_of: dt.date | None = None, lang: str = "fr") -> Built:
    """The files of a new plan from the rows (objectives from the path columns, people and services registries), written in ``lang``:
    its placeholders (« (sans titre) »), notes and level names where the sheet gives none."""
    as_of = as_of or dt.date.today()
    _ = translator(lang)
    title = title or _("Imported plan")
    reg = _Registry()
    levels = list(sheet.levels) or [WORDS[lang]["objective"]]
    depth = max(1, len(sheet.levels))
    tops: list[dict[str, Any]] = []
    by_path: dict[tuple[Any, ...], dict[str, Any]] = {}
    numbers: dict[int, str] = {}  # id(objective) -> its number (1, 1.2)
    used_ids: set[str] = set()
    seen_action_ids: dict[str, int] = {}
    dates: list[dt.date] = []
    count = 0
    for row in sheet.rows:
        p = parse_row(row, sheet, problems, lang)
        path = row.levels if sheet.levels else [(None, None)]
        parent: dict[str, Any] | None = None
        key: tuple[Any, ...] = ()
        for d in range(depth):
            ident, otitle = path[d] if d < len(path) else (None, None)
            if ident is None and otitle is None:
                if d == 0:
                    otitle = _("Actions without an objective") if sheet.levels else _("Imported actions")
                else:
                    break
            key = (*key, fold(ident or "") or fold(otitle or ""))
            obj = by_path.get(key)
            if obj is None:
                siblings = parent["objectives"] if parent is not None else tops
                number = f"{numbers[id(parent)]}.{len(siblings) + 1}" if parent is not None else str(len(tops) + 1)
                oid = ident if ident and _ID.match(ident) and ident not in used_ids and len(ident) <= 64 else f"O{number}"
                if ident and oid != ident:
                    problems.append(Problem(row.sheet, row.number, "", levels[d] if d < len(levels) else "", ident,
                                            msg("is not a usable id (letters, digits, . _ -, unique): the objective gets '{id}'.", id=oid)))
                used_ids.add(oid)
                obj = {"id": oid, "title": (otitle or ident or oid)[:500], "objectives": [], "actions": []}
                numbers[id(obj)] = number
                siblings.append(obj)
                by_path[key] = obj
            parent = obj
        assert parent is not None
        action: dict[str, Any] = {}
        wanted = p.values.get("id")
        number = f"{numbers[id(parent)]}.{len(parent['actions']) + 1}"
        if wanted and wanted in seen_action_ids:
            column, header = row.cells.get("id", ("", HEADERS[lang]["id"]))
            problems.append(Problem(row.sheet, row.number, column, header, wanted,
                                    msg("duplicate id (already row {row}): this action gets a new id; check that it is not a duplicate.",
                                        row=seen_action_ids[wanted]), ERROR))
            wanted = None
        if wanted and (not _ID.match(wanted) or wanted in used_ids or len(wanted) > 64):
            column, header = row.cells.get("id", ("", HEADERS[lang]["id"]))
            problems.append(Problem(row.sheet, row.number, column, header, wanted, msg("is not a usable id (letters, digits, . _ -): the action gets a new id.")))
            wanted = None
        aid = wanted or f"A{number}"
        while aid in used_ids:
            aid += "b"
        used_ids.add(aid)
        seen_action_ids.setdefault(p.values.get("id") or aid, row.number)
        action["id"] = aid
        named = p.values.get("title")  # (not ``title``: the plan's, written below)
        if not named:
            named = _("(untitled)")
            problems.append(Problem(row.sheet, row.number, "", HEADERS[lang]["title"], "", msg("row without an action title: '{title}'; give it a title.", title=named)))
        action["title"] = named[:500]
        if len(named) > 500:
            p.unread.append(_("Full title: {title}").format(title=named))
        for c in READ_COLUMNS:  # people and services, each created once, in the sheet's order
            if not p.values.get(c.key):
                continue
            if c.kind == "people":
                action[c.key] = [reg.person(n, True) for n in p.values[c.key]]
            elif c.kind == "person":
                action[c.key] = reg.person(p.values[c.key], False)
            elif c.kind == "service":
                action[c.key] = reg.service(p.values[c.key])
        action.update(_as_read(p))
        dates += [action[k] for k in _PERIODS if action.get(k)]
        planned, spent = p.values.get("budget_planned"), p.values.get("budget_spent")
        if planned is not None or spent is not None:
            year = next((d.year for d in (p.values.get("planned_start"), p.values.get("planned_end")) if d), as_of.year)
            line: dict[str, Any] = {"amount": planned if planned is not None else Decimal(0), "year": year}
            if spent is not None:
                line["spent"] = spent
            action["budget"] = [line]
        notes = [*([p.values["notes"]] if p.values.get("notes") else []), *p.extra_notes]
        if p.unread:
            notes.append(_("Taken as is from the sheet: {values}").format(values=_("; ").join(p.unread)))
        if notes:
            action["notes"] = "\n".join(notes)
        parent["actions"].append(_in_file_order(action))
        count += 1
    if reg.guessed_first:
        problems.append(Problem(sheet.sheets[0] if sheet.sheets else "", 0, "", "", ", ".join(reg.guessed_first[:10]),
                                msg("person(s) named without a first name: first name '?' in people.yaml, to be completed.")))
    start = min(dates, default=dt.date(as_of.year, 1, 1))
    end = max(dates, default=dt.date(as_of.year + 6, 12, 31))
    if end <= start:
        end = dt.date(start.year + 6, 12, 31)
    plan_levels = [*levels[:depth], sheet.action_level or HEADERS[lang]["title"]]
    plan: dict[str, Any] = {"title": title[:500], "organisations": [{"id": "commune", "name": _("Municipality (to be completed)")}],
                            "term": {"start": start, "end": end}, "levels": plan_levels,
                            "notes": _("Imported from a spreadsheet by feuille import on {date}. Organisation, term and people's roles to be checked.").format(
                                date=When(as_of)(lang))}
    from feuille.core.model import PlanFile

    locale = WORDS[lang]["locale"]
    if locale != PlanFile.model_fields["locale"].default:
        plan["locale"] = locale  # an English plan says so (feuille then speaks English to it)
    files: dict[str, dict[str, Any]] = {"plan.yaml": plan,
                                        "people.yaml": {"services": list(reg.services.values()), "people": list(reg.people.values())}}
    for i, obj in enumerate(tops, start=1):
        files[f"objectives/{i:02d}-{_slug(obj['title'], 40)}.yaml"] = _clean(obj)
    n_objectives = len(by_path)
    summary = [msg("{actions} action(s) in {objectives} objective(s); {people} person(s) and {services} service(s) created in people.yaml.",
                   actions=count, objectives=n_objectives, people=len(reg.people), services=len(reg.services))]
    return Built(files, summary, problems, lang, count, n_objectives, len(reg.people), len(reg.services))


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in obj.items() if k not in ("objectives", "actions")}
    if obj["objectives"]:
        out["objectives"] = [_clean(o) for o in obj["objectives"]]
    if obj["actions"]:
        out["actions"] = obj["actions"]
    return out


def _plain(value: Any, dates: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v, dates) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, dates) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date) and not dates:
        return value.isoformat()
    return value


_MODELINE = {"plan": "schema/plan.schema.json", "people": "schema/people.schema.json", "objective": "../schema/objective.schema.json"}


def write_new_plan(directory: Path, built: Built) -> list[str]:
    """Check every file against the model, then write the plan into a new (or empty) folder; SheetError otherwise. Nothing half-written."""
    import yaml

    from feuille.core.model import FILE_MODELS, json_schemas
    from feuille.io.files import write_atomic
    from feuille.io.sources import enclosing_plan

    if (directory / "plan.yaml").exists():
        raise SheetError(msg("'{folder}' already holds a plan: to update it, import the spreadsheet into this plan (the changes are shown first).", folder=str(directory)))
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise SheetError(msg("'{folder}' is not an empty folder: the import does not write a new plan there. Nothing was written.", folder=str(directory)),
                         msg("Give a folder that does not exist yet."))
    above = enclosing_plan(directory.resolve().parent)
    if above is not None:
        raise SheetError(msg("'{folder}' would be inside the plan '{plan}'. Nothing was written.", folder=str(directory), plan=str(above)))
    texts: dict[str, str] = {}
    _ = translator(built.lang)
    imported = _("Imported by feuille import.")  # in the plan's language, as its content
    for rel, data in built.files.items():
        kind = "plan" if rel == "plan.yaml" else "people" if rel == "people.yaml" else "objective"
        plain = _plain(data)
        try:
            FILE_MODELS[kind].model_validate(json.loads(json.dumps(plain)))
        except ValueError as exc:
            first = " ".join(x.strip() for x in str(exc).splitlines()[1:3])
            raise SheetError(msg("the spreadsheet gives a value that feuille's format cannot take ({file}: {detail}). Nothing was written.", file=rel, detail=first)) from None
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: 10,000 actions in 1 s instead of 20
        body = yaml.dump(_plain(data, dates=True), Dumper=dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
        texts[rel] = f"# yaml-language-server: $schema={_MODELINE[kind]}\n# {imported}\n{body}"
    for name, schema in json_schemas().items():
        texts[f"schema/{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    staging = Path(tempfile.mkdtemp(prefix=".feuille-import-", dir=directory.resolve().parent if directory.resolve().parent.exists() else None))
    try:
        for rel, text in texts.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, text.encode("utf-8"), durable=False)
        if directory.exists():
            directory.rmdir()
        staging.rename(directory)  # the whole plan appears at once
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SheetError(msg("cannot write in '{folder}': {reason}. Nothing was written.", folder=str(directory), reason=system_reason(exc))) from None
    return sorted(texts)


# --- an existing plan --------------------------------------------------------------------------------

@dataclass(slots=True)
class Change:
    action_id: str
    key: str  # the sheet's field (a YAML key, or budget_planned / budget_spent)
    old: Any
    new: Any  # the YAML value: ids for people, a list for tags, a Decimal for a budget total
    row: Row
    header: str


@dataclass(slots=True)
class NewAction:
    """A row with no id (or an id the plan does not have and no export hash): a new action in ``parent``."""

    row: Row
    parent: Any  # the Objective
    data: dict[str, Any]  # the action's fields, id allocated in :func:`prepare`
    wanted_id: str | None = None


@dataclass(slots=True)
class Update:
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Msg] = field(default_factory=list)
    by_hand: list[Msg] = field(default_factory=list)  # changes the writer cannot make: said, never lost
    deleted: list[Msg] = field(default_factory=list)
    new_rows: list[Msg] = field(default_factory=list)  # what became of each new row (its kwarg ``row``: the row's number)
    new_actions: list[NewAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    baseline: bool = False
    edits: list[Any] = field(default_factory=list)  # FileEdit, once prepared
    created_ids: list[str] = field(default_factory=list)  # ids of the new actions, once prepared

    def diff(self) -> str:
        return "".join(e.diff() for e in self.edits)


def _people_ids(plan: Any, names: list[str]) -> tuple[list[str], list[str]]:
    """The ids of the people named (id, full name, « Nom Prénom », last name, or an initial and the last name), and the names
    no one or several people answer to (never guessed)."""
    index: dict[str, set[str]] = {}
    for p in plan.people.values():
        for form in (p.id, p.name, p.last_name, f"{p.last_name} {p.first_name}", p.short_name):
            index.setdefault(fold(form), set()).add(p.id)
    ids, unknown = [], []
    for n in names:
        found = index.get(fold(n), set())
        if not found and len(words := n.split()) >= 2:  # « Alain Sabbatini » for « A. Sabbatini »
            last, initial = fold(" ".join(words[1:])), fold(words[0])[:1]
            found = {p.id for p in plan.people.values() if fold(p.last_name) == last and fold(p.first_name)[:1] == initial}
        (ids.append(next(iter(found))) if len(found) == 1 else unknown.append(n))
    return ids, unknown


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _who(action: Any) -> Msg:
    return msg("{id} '{title}'", id=action.id, title=_short(action.title))


def plan_update(plan: Any, sheet: Sheet, problems: list[Problem]) -> Update:
    """What a returned sheet changes in ``plan`` (matched by id), what conflicts, what is new, what was deleted."""
    from feuille.formats.spreadsheet.columns import action_values

    up = Update(problems=problems)
    sheet.people = frozenset(fold(form) for p in plan.people.values() for form in (p.id, p.name, f"{p.last_name} {p.first_name}", p.short_name))
    lang = sheet.lang or plan.lang  # the words of the sheet (a status: « En cours », « Ongoing »), as it was exported
    index = {a.id: a for a, _o in plan.actions()}
    for p in problems:  # into an existing plan, an unknown column's values are not kept in an existing action's notes: say so
        if p.kind == UNKNOWN_COLUMN:
            filled = sum(1 for r in sheet.rows if f"extra:{' '.join(p.header.split())}" in r.values and _text(r.values.get("id")) in index)
            p.msg = msg("column not recognised: its {n} value(s) on existing actions are not taken (only a new row keeps them in its notes). "
                        "To take the column: --map \"{column}=field\" (achieved, remaining, description...); to silence it: --map \"...=ignore\".",
                        n=filled, column=" ".join(p.header.split()))
            p.level = CHECK if filled else INFO
    seen: dict[str, int] = {}
    dup: set[str] = set()
    for row in sheet.rows:
        ident = _text(row.values.get("id"))
        if ident:
            if ident in seen:
                dup.add(ident)
                column, header = row.cells["id"]
                what = msg(" ({action})", action=_who(index[ident])) if ident in index else ""
                problems.append(Problem(row.sheet, row.number, column, header, ident,
                                        msg("duplicate id{action}, already row {row}: neither row is applied. Keep one row per action "
                                            "(a new action goes on a row without an id).", action=what, row=seen[ident]), ERROR))
            seen.setdefault(ident, row.number)
    for row in sheet.rows:
        ident = _text(row.values.get("id"))
        base = parse_baseline(row.values.get("hash"))
        if not ident or (ident not in index and ident not in dup and base is None):
            _new_row(plan, sheet, row, ident, up, lang)
            continue
        if ident in dup:
            continue
        action = index.get(ident)
        if action is None:
            column, header = row.cells["id"]
            title = _text(row.values.get("title")) or ""
            problems.append(Problem(row.sheet, row.number, column, header, ident,
                                    msg("the action '{title}' was exported with this id, but the plan no longer has it (removed or renamed since the "
                                        "export): row not applied. To create it again, empty its '{id}' cell and import again.", title=title, id=header), ERROR))
            continue
        up.baseline = up.baseline or base is not None
        current = action_values(plan, action, lang)
        p = parse_row(row, sheet, problems, plan.lang, current)  # a cell it cannot read is not applied (said so), never put in the notes
        for key in HASHED:
            if key == "id":
                continue
            column, header = row.cells.get(key) or sheet.columns.get(key) or ("", COLUMNS_BY_KEY[key].header(lang))
            if key not in row.cells and key not in ("title",):
                if base is None:
                    continue  # an empty cell with no export baseline to compare with: nothing to say
                if base[key] == value_hash(COLUMNS_BY_KEY[key].kind, None) or key not in sheet.columns:
                    continue  # empty when exported, or a column the sheet does not have
            kind = COLUMNS_BY_KEY[key].kind
            cell = _sheet_value(key, p, row, lang)
            if cell is _UNREAD:
                continue  # already reported, never written
            cell_text, yaml_text = canon(kind, cell), canon(kind, current.get(key))
            if cell_text == yaml_text:
                continue
            if base is not None:
                changed_in_sheet = value_hash(kind, cell) != base[key]
                changed_in_yaml = value_hash(kind, current.get(key)) != base[key]
                if not changed_in_sheet:
                    continue  # the plan moved on since the export; the sheet did not touch this cell
                if changed_in_yaml:
                    up.conflicts.append(msg("{action}, {header} (sheet '{sheet}', row {row}, column {column}): the sheet says '{cell}', the plan "
                                            "says '{value}' since the export; nothing is overwritten: choose, then correct the file ({file}) or the "
                                            "cell and import again.", action=_who(action), header=header, sheet=row.sheet, row=row.number,
                                            column=column, cell=cell_text, value=yaml_text, file=plan.display_path(plan.origin(action)[0])))
                    continue
            new = _yaml_value(key, cell, plan, lang)
            if key == "title" and (new is None or len(str(new)) > 500):
                problems.append(Problem(row.sheet, row.number, column, header, cell_text[:80],
                                        msg("{action}: the title cannot be empty: not applied. Put a title back (the description may be long) and "
                                            "import again.", action=_who(action)) if new is None else
                                        msg("{action}: a title has 500 characters at most: not applied. Put a title back (the description may be "
                                            "long) and import again.", action=_who(action)), ERROR))
                continue
            if new is _UNREAD:
                up.by_hand.append(msg("{action}, {header} (row {row}): '{cell}' is not a service of the plan; add it in people.yaml (services), "
                                      "or choose a known service, then import again.", action=_who(action), header=header, row=row.number, cell=cell_text)
                                  if _KIND.get(key) == "service" else
                                  msg("{action}, {header} (row {row}): '{cell}' is not a person of the plan; add them in people.yaml, or choose a "
                                      "known name, then import again.", action=_who(action), header=header, row=row.number, cell=cell_text))
                continue
            if _KIND.get(key) in ("people", "person", "service") and new == getattr(action, key):
                continue  # the same people (or service), named another way
            up.changes.append(Change(ident, key, current.get(key), new, row, header))
    if sheet.exported_ids:
        gone = [i for i in sheet.exported_ids if i not in seen and i in index]
        up.deleted = [_deleted(plan, index[i], lang) for i in gone]
    elif sheet.export_count:
        _deleted_from_count(plan, sheet, seen, index, up, lang)
    return up


def _deleted(plan: Any, action: Any, lang: str) -> Msg:
    where = plan.display_path(plan.origin(action)[0])
    return msg("{action}: row deleted from the sheet; the action stays in the plan. To drop it, set its status to '{cancelled}'; to remove it, "
               "delete it in {file}.", action=_who(action), cancelled=STATUS_WORDS[lang]["cancelled"], file=where)


def _deleted_from_count(plan: Any, sheet: Sheet, seen: dict[str, int], index: dict[str, Any], up: Update, lang: str) -> None:
    """A CSV has no list of the ids exported, only their number and a digest of the list in each row: enough to notice, and usually to name."""
    from feuille.formats.spreadsheet.columns import ids_digest

    present = [i for i in seen if i in index]
    missing = sheet.export_count - len([i for i in present if i in sheet.marked_ids])
    if missing <= 0:
        return
    candidates = [i for i in index if i not in seen]
    if ids_digest([*sheet.marked_ids, *candidates]) == sheet.export_digest:
        up.deleted = [_deleted(plan, index[i], lang) for i in candidates]
        return
    shown = Joined(msg(", "), [_who(index[i]) for i in candidates[:10]])
    more = " ..." if len(candidates) > 10 else ""
    up.deleted = [msg("{n} exported row(s) are no longer in the sheet (the export had {exported}); the actions stay in the plan. The export "
                      "was filtered or the plan has changed since: feuille cannot say which; among: {actions}{more}.", n=missing,
                      exported=sheet.export_count, actions=shown, more=more) if candidates else
                  msg("{n} exported row(s) are no longer in the sheet (the export had {exported}); the actions stay in the plan. The export "
                      "was filtered or the plan has changed since: feuille cannot say which.", n=missing, exported=sheet.export_count)]


def _new_row(plan: Any, sheet: Sheet, row: Row, ident: str | None, up: Update, lang: str) -> None:
    """A row without id (or with an id the plan has never had): a new action in the objective its path columns name."""
    content = plan.lang  # what is written into the plan (notes), in the plan's language
    _ = translator(content)
    p = parse_row(row, sheet, up.problems, content)
    title = p.values.get("title")
    if not title:
        header = sheet.columns.get("title", ("", HEADERS[lang]["title"]))[1]
        up.problems.append(Problem(row.sheet, row.number, "", header, "", msg("new row without an action title: not created. Write the title "
                                                                              "in the '{column}' column, or empty the row.", column=header), ERROR))
        return
    parent, why = _parent_of(plan, row, sheet)
    if parent is None:
        up.problems.append(Problem(row.sheet, row.number, "", "", title, msg("new action not created: {why}", why=why), ERROR))
        return
    data, unread = _new_action_data(plan, p, row, up.problems, content)
    notes = [*([p.values["notes"]] if p.values.get("notes") else []), *p.extra_notes]
    if p.unread or unread:
        notes.append(_("Taken as is from the sheet: {values}").format(values=_("; ").join([*p.unread, *unread])))
    if notes:
        data["notes"] = "\n".join(notes)
    up.new_actions.append(NewAction(row, parent, data, ident))
    up.new_rows.append(msg("row {row} {id}'{title}': new action in {parent} '{parent_title}'", row=row.number, id="", title=title,
                           parent=parent.id, parent_title=_short(parent.title)))


def _parent_of(plan: Any, row: Row, sheet: Sheet) -> tuple[Any, Msg | str]:
    """The objective a new row's path names: the deepest level given, by id, else by title."""
    objectives = plan.objective_index()
    levels = [(i, t) for i, t in row.levels if i or t]
    if not levels:
        return None, msg("no objective is given on the row nor above it. Fill in the objective's columns ({levels}) with the id of an "
                         "objective of the plan (for example {example}).", levels=", ".join(sheet.levels) or WORDS[plan.lang]["objective"],
                         example=next(iter(objectives), "O1"))
    ident, title = levels[-1]
    if ident and ident in objectives:
        return objectives[ident], ""
    if title:
        same = [o for o in objectives.values() if fold(o.title) == fold(title)]
        if len(same) == 1:
            return same[0], ""
    return None, msg("the objective '{objective}' is not in the plan. Give the id of an existing objective, or first create the objective "
                     "(feuille new objective), then import again.", objective=ident or title)


def _new_action_data(plan: Any, p: Parsed, row: Row, problems: list[Problem], lang: str = "fr") -> tuple[dict[str, Any], list[str]]:
    """The fields of a new action from its row; names the plan does not know are kept (as text, in ``lang``) for its notes."""
    _ = translator(lang)
    data: dict[str, Any] = {"id": None, "title": p.values["title"][:500]}
    unread: list[str] = [_("Full title: {title}").format(title=p.values["title"])] if len(p.values["title"]) > 500 else []

    def unknown(key: str, names: list[str], what: str) -> None:
        column, header = row.cells.get(key, ("", key))
        problems.append(Problem(row.sheet, row.number, column, header, ", ".join(names), _UNKNOWN[what]))
        unread.append(_(LABELLED).format(label=header, value=", ".join(names)))

    for key in _PEOPLE:
        if p.values.get(key):
            ids, missing = _people_ids(plan, p.values[key])
            if ids:
                data[key] = list(dict.fromkeys(ids))
            if missing:
                unknown(key, missing, "person")
    if p.values.get("admin_owner"):
        ids, missing = _people_ids(plan, [p.values["admin_owner"]])
        if ids:
            data["admin_owner"] = ids[0]
        else:
            unknown("admin_owner", missing, "person")
    if p.values.get("service"):
        sid = _yaml_value("service", p.values["service"], plan, lang)
        if sid is _UNREAD:
            unknown("service", [p.values["service"]], "service")
        else:
            data["service"] = sid
    data.update(_as_read(p))
    data["status"] = p.values.get("status") or "not_started"
    planned, spent = p.values.get("budget_planned"), p.values.get("budget_spent")
    if planned is not None or spent is not None:
        year = next((d.year for d in (p.values.get("planned_start"), p.values.get("planned_end")) if d), dt.date.today().year)
        line: dict[str, Any] = {"amount": planned if planned is not None else Decimal(0), "year": year}
        if spent is not None:
            line["spent"] = spent
        data["budget"] = [line]
    return _in_file_order(data), unread


_UNKNOWN = {"person": msg("person unknown to the plan: kept in the new action's notes; add them in people.yaml, then copy them into the action "
                           "(feuille update)."),
            "service": msg("service unknown to the plan: kept in the new action's notes; add it in people.yaml, then copy it into the action "
                           "(feuille update).")}


class _Unread:
    pass


_UNREAD = _Unread()


def _sheet_value(key: str, p: Parsed, row: Row, lang: str) -> Any:
    """The cell in the sheet's terms, its words in ``lang`` (what :func:`feuille.formats.spreadsheet.columns.action_values` gives for the YAML)."""
    if key in row.values and key in _PARSED and key not in p.values:
        return _UNREAD
    if key in _VALUES:
        return _VALUES[key].sheet[lang][p.values[key]] if key in p.values else None
    if _KIND.get(key) in ("people", "list"):
        return p.values.get(key) or []
    return p.values.get(key)


def _yaml_value(key: str, cell: Any, plan: Any, lang: str) -> Any:
    if cell in (None, "", []):
        return None
    if key in _VALUES:
        return next(k for k, w in _VALUES[key].sheet[lang].items() if w == cell)
    kind = _KIND.get(key)
    if kind == "person":
        ids, unknown = _people_ids(plan, [cell])
        return ids[0] if ids else _UNREAD
    if kind == "people":
        ids, unknown = _people_ids(plan, list(cell))
        return _UNREAD if unknown else list(dict.fromkeys(ids))
    if kind == "service":
        for s in plan.services.values():
            if fold(s.name) == fold(cell) or s.id == cell:
                return s.id
        return _UNREAD
    return cell


def summary_lines(update: Update, lang: str = "fr") -> list[str]:
    """What an update will write, and what it will not (conflicts, changes to copy by hand, deleted and new rows), in ``lang``."""
    _ = translator(lang)
    out = [_("{changes} change(s) and {new} new action(s) to write in {files} file(s).").format(changes=len(update.changes), new=len(update.created_ids),
                                                                                                 files=len(update.edits))]
    if not update.baseline:
        out.append(_("This sheet has no export fingerprint (hidden '{column}' column): every cell that differs from the plan is taken as a "
                     "change, without detecting conflicts.").format(column=HEADERS[lang]["hash"].split(" (")[0]))
    for title, items in ((_("Conflicts (nothing is overwritten): {n}"), update.conflicts), (_("To copy by hand: {n}"), update.by_hand),
                         (_("Deleted rows (never applied: the action stays in the plan): {n}"), update.deleted), (_("New rows: {n}"), update.new_rows)):
        if items:
            out.append(title.format(n=len(items)))
            out += [f"  - {i(lang)}" for i in items]
    return out


def progress_bar(stream: Any = None, lang: str = "fr") -> Callable[[int, int], None]:
    """Progress of a long sheet on stderr (only past 2,000 rows), in ``lang``."""
    stream = stream or sys.stderr
    _ = translator(lang)
    reading = _("reading: [{bar}] {done}/{total} rows")

    def show(done: int, total: int) -> None:
        if total < 2000:
            return
        width = 30
        filled = width * done // max(total, 1)
        stream.write("\r" + reading.format(bar="#" * filled + "." * (width - filled), done=done, total=total))
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
