"""Reading a spreadsheet (xlsx, csv): the sheets towns already keep, and the sheets feuille exported.

:func:`read_sheet` finds the header row (below a title and blank rows), matches headers whatever their
case, accents, punctuation or line breaks (the field registry's names and the other names people give a
column: iA.PST, Territoires en Transitions, ``--map``), fills objectives down and gives the rows, each a
field -> raw cell value, with the :class:`Problem` s met on the way.  The limits of a sheet (rows,
columns, cell size, a workbook's parts) are checked before the work they protect (docs/security.md).
The values are read by :mod:`.values`; a new plan is built by :mod:`.build`, a returned sheet compared
with its plan by :mod:`.update`.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import sys
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feuille.core.errors import UserError
from feuille.core.fields import fold
from feuille.core.i18n import LANGS, NC_, Joined, Msg, Number, Words, msg, translator
from feuille.formats.spreadsheet.columns import HEADERS, INFO_SHEET, READ_COLUMNS, level_of_id_header, parse_mark
from feuille.formats.spreadsheet.html import clean_text
from feuille.io.files import system_reason

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
    row: int  # 1-based; 0: the whole sheet (no row is named)
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
        """Where (sheet, row, column), the cell's text and what is wrong, as one message (row 0, about the whole sheet: no row)."""
        where = msg("sheet '{sheet}', row {row}", sheet=self.sheet, row=self.row) if self.row else msg("sheet '{sheet}'", sheet=self.sheet)
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
class Skipped:
    """A value of the source the import did not take, and why (the import report lists them: nothing vanishes unsaid)."""

    sheet: str
    row: int  # 0: the whole sheet
    column: str  # "": the whole row
    text: str  # what the cell(s) held, shortened
    why: Msg


@dataclass(slots=True)
class ColumnUse:
    """Where a column of the source went: ``key`` is a field, ``extra:<header>`` (the notes), ``level`` (objective titles),
    ``parent`` (the hierarchy), ``ignore`` (``--map``); ``count`` the cells it held."""

    sheet: str
    column: str
    header: str
    key: str
    count: int = 0


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
    uses: list[ColumnUse] = field(default_factory=list)  # where each column went (the import report)
    skipped: list[Skipped] = field(default_factory=list)  # what was not taken, and why (the import report)
    sections: list[Row] = field(default_factory=list)  # rows that only name objectives (their titles: the objectives')
    objective_rows: dict[tuple[str, ...], Row] = field(default_factory=dict)  # an objective's own row (a parent-id or numbered sheet), by path key
    html: dict[str, int] = field(default_factory=dict)  # header -> cells whose HTML became Markdown or plain text
    hierarchy: str = ""  # where the objectives came from: "levels", "parent", "numbering", or nothing


# --- headers -------------------------------------------------------------------------------------

# The headers of the columns that are fields of an action (or their totals) are the field registry's: each field's column,
# with the other headers people give it in any language, is declared with the field (core/model.py; columns.READ_COLUMNS).
# These columns are the sheet's own: the objective path (iA.PST, Territoires en Transitions), the priority, the export's marks.
# Each has its place among the fields (--map lists them in this order) and the headers people give it, in any language.
_SHEET_ONLY: dict[str, tuple[int, tuple[str, ...]]] = {
    "priority_level": (250, ("Niveau de priorité", "Priorité", "Priority", "Priority level")),
    "level1": (300, ("Axe (x)", "Axe", "Objectif stratégique", "Objectif prioritaire", "Objectif", "OS", "Objectif général", "Objectifs stratégiques",
                     "Objective", "Strategic objective", "Goal", "Theme (x)", "Objectives", "Strategic objectives")),
    "level2": (310, ("Sous-axe (x.x)", "Sous-axe", "Objectif opérationnel", "OO", "Sous-objectif", "Objectifs opérationnels",
                     "Operational objective", "Sub-objective", "Operational objectives")),
    "level3": (320, ("Sous-sous axe (x.x.x)", "Sous-sous-axe (x.x.x)", "Sous-sous axe", "Sous-sous-axe")),
    "sub_action_title": (25, ("Titre de la sous-action", "Sous-action", "Sous-actions", "Intitulé de la sous-action", "Tâche", "Sub-action",
                              "Sub-action title", "Subaction", "Task")),
    "funder1": (191, ("Financeur 1", "Financeur", "Funder 1", "Funder")),
    "funder2": (192, ("Financeur 2", "Funder 2")),
    "funder3": (193, ("Financeur 3", "Funder 3")),
    "funder4": (194, ("Financeur 4", "Funder 4")),
    "funder5": (195, ("Financeur 5", "Funder 5")),
    "parent": (325, ("Parent", "ID parent", "Id du parent", "Identifiant parent", "Identifiant du parent", "N° parent", "Référence parent",
                     "Élément parent", "Rattaché à", "Résultat parent", "Parent id", "Parent identifier", "Parent reference", "Parent result",
                     "Parent_id", "Child of")),
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


#: Level columns of any depth: « Niveau 4 », « Level 2 », « Axe 1 », « Échelon 3 » (folded).
_LEVEL_N = re.compile(r"^(?:niveau|level|echelon|axe|tier)(\d{1,2})$")
LEVEL_KEY = re.compile(r"^level(\d{1,2})$")


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
    if (m := _LEVEL_N.match(key)) and 1 <= int(m[1]) <= 20:
        return f"level{int(m[1])}"
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
        if name not in FIELDS and name != "ignore" and not (LEVEL_KEY.match(name) and 1 <= int(name[5:]) <= 20):

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
    import defusedxml.ElementTree as DET  # noqa: PLC0415 (heavy, loaded when first needed)

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

    from openpyxl import load_workbook  # noqa: PLC0415 (heavy, loaded when first needed)

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


#: Columns other tools write that have no field of their own in feuille: kept in the notes with their header, as any column
#: not recognised, but known (Territoires en Transitions' « Indicateurs liés » names indicators by their title, « Financements »
#: says in words how the action is funded): no « column not recognised » said of them.
_TO_NOTES = frozenset(fold(h) for h in ("Indicateurs liés", "Financements", "Linked indicators", "Funding"))
#: The amount column that follows a funder's (Territoires en Transitions: « Financeur 1 », « Montant € HT », « Financeur 2 », « Montant € HT »...).
_AMOUNT = ("montant", "amount", "somme")
#: A column a sheet names like its objective levels but that holds the fiche's aims (« Objectifs » beside « Axe (x) »).
_AIMS = ("objectifs", "objectives")


def _pair_columns(columns: dict[int, str], header_texts: list[str], problems: list[Problem], sheet_name: str, row: int) -> None:
    """Columns read by their place: a funder's amount right after it; a second column for a field already taken (« Objectifs »
    beside « Axe (x) »: the aims; any other: kept in the notes, said)."""
    for i, text in enumerate(header_texts):
        before = columns.get(i - 1, "")
        if before.startswith("funder") and fold(text).startswith(_AMOUNT) and not before.startswith("funder_amount") \
                and columns.get(i) in (None, "budget_planned"):
            columns[i] = "funder_amount" + before[6:]
    levels = any(LEVEL_KEY.match(f) for f in columns.values())
    for i, text in enumerate(header_texts):  # « Objectifs »: the fiche's aims beside the axes, else the objectives themselves
        if i not in columns and fold(text) in _AIMS:
            columns[i] = "aims" if levels else "level1"
    taken: dict[str, int] = {}
    for i in sorted(columns):
        f = columns[i]
        if f.startswith("extra:") or f == "ignore":
            continue
        if f not in taken:
            taken[f] = i
            continue
        header = " ".join(header_texts[i].split())
        if fold(header) in _AIMS and "aims" not in taken:
            columns[i] = taken["aims"] = "aims"
            continue
        if LEVEL_KEY.match(f) and (free := next((f"level{n}" for n in range(int(f[5:]) + 1, 21) if f"level{n}" not in columns.values()), None)):
            columns[i] = taken[free] = free  # « Axe », then « Objectif »: two levels, the second below the first
            continue
        columns[i] = "extra:" + header
        problems.append(Problem(sheet_name, row, _letter(i), header, "",
                                msg("a second column for the same field as column {first} ({header}): its values are kept in the notes. To take "
                                    "it instead: --map \"{column}=field\".", first=_letter(taken[f]), header=" ".join(header_texts[taken[f]].split()),
                                    column=header), INFO, UNKNOWN_COLUMN))


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
            sheet.skipped.append(Skipped(sheet_name, 0, "", _cells_text(next(c for _n, c, _p in rows if any(v not in (None, "") for v in c))),
                                         msg("no table of actions recognised in this sheet (instructions, lists of values?): not read")))
            continue
        index, columns, header_texts = found
        _pair_columns(columns, header_texts, problems, sheet_name, rows[index][0])
        sheet.sheets.append(sheet_name)
        sheet.lang = sheet.lang or _language(header_texts)
        for number, cells, _p in rows[:index]:  # a title, a date, a note above the table
            if any(v not in (None, "") and str(v).strip() for v in cells):
                sheet.skipped.append(Skipped(sheet_name, number, "", _cells_text(cells), msg("above the header row (a title or a note of the sheet)")))
        level_cols = _level_columns(columns, header_texts, sheet)
        ignored = {fold(k) for k, v in mapping.items() if v == "ignore"}
        ignored_cols = [i for i, text in enumerate(header_texts) if text.strip() and fold(text) in ignored]
        for i, text in enumerate(header_texts):  # a column no one recognised: its values go to the notes, never lost
            if i not in columns and text.strip() and fold(text) not in ignored:
                columns[i] = "extra:" + " ".join(text.split())
                if fold(text) in _TO_NOTES:
                    continue  # a column known to have no field of its own: its notes, as the report says, without a word more
                problems.append(Problem(sheet_name, rows[index][0], _letter(i), text.strip(), "",
                                        msg("column not recognised: its values are kept in the actions' notes. To take it: --map \"{column}=field\" "
                                            "(title, status, planned_end...); to ignore it: --map \"...=ignore\".", column=" ".join(text.split())),
                                        INFO, UNKNOWN_COLUMN))
        for i, f in columns.items():
            if f not in ("level", "level_id") and not f.startswith("extra:"):
                sheet.columns.setdefault(f, (_letter(i), header_texts[i].replace("\n", " ").strip()))
            if f == "progress" and "%" in header_texts[i] and fold(header_texts[i]) != "realise":
                sheet.percent_headers.add(f)
        uses = {i: ColumnUse(sheet_name, _letter(i), header_texts[i].replace("\n", " ").strip(), f) for i, f in sorted(columns.items())}
        uses.update({i: ColumnUse(sheet_name, _letter(i), header_texts[i].replace("\n", " ").strip(), "ignore") for i in ignored_cols})
        for depth, (id_col, title_col) in enumerate(level_cols):
            for i in (id_col, title_col):
                if i is not None:
                    uses[i].key = f"level{depth + 1}"
        fill: list[tuple[str | None, str | None]] = [(None, None)] * len(level_cols)
        for number, cells, percent in rows[index + 1:]:
            if not any(v not in (None, "") and str(v).strip() for v in cells):
                continue
            texts = {i: v for i, v in enumerate(cells) if v not in (None, "") and str(v).strip()}
            skip = _template_row(texts, columns)
            if skip is not None:
                sheet.skipped.append(Skipped(sheet_name, number, "", _cells_text(cells), skip))
                continue
            for i, v in texts.items():
                if i in uses:
                    uses[i].count += 1
                    if i in ignored_cols:
                        sheet.skipped.append(Skipped(sheet_name, number, _letter(i), _short(v), msg("column ignored (--map \"{column}=ignore\")",
                                                                                                 column=uses[i].header)))
                else:  # a value under no header: no one can say what it is
                    sheet.skipped.append(Skipped(sheet_name, number, _letter(i), _short(v), msg("a value in a column without a header: not read "
                                                                                                "(give the column a header, then import again)")))
            row = Row(sheet_name, number)
            for i, f in columns.items():
                if i < len(cells) and f not in ("level", "level_id"):
                    v = cells[i]
                    if isinstance(v, str):
                        v = _clean_cell(v, f, header_texts[i], sheet)
                    if v not in (None, ""):
                        row.values[f] = v
                        row.cells[f] = (_letter(i), header_texts[i].replace("\n", " ").strip())
                        if i in percent:
                            row.percent_cells.add(f)
            # objectives written once and left blank below: filled down; a new upper level clears the lower ones
            for depth, (id_col, title_col) in enumerate(level_cols):
                ident = _text(cells[id_col]) if id_col is not None and id_col < len(cells) else None
                title = _text(_clean_cell(cells[title_col], "title", header_texts[title_col], sheet)) \
                    if title_col is not None and title_col < len(cells) and isinstance(cells[title_col], str) else \
                    (_text(cells[title_col]) if title_col is not None and title_col < len(cells) else None)
                if ident is None and title is not None and (split := split_number(title)) is not None:
                    ident, title = split  # « 1.2 Mobilité douce »: id 1.2, title « Mobilité douce »
                if ident or title:
                    fill[depth] = (ident, title)
                    fill[depth + 1:] = [(None, None)] * (len(level_cols) - depth - 1)
            row.levels = list(fill)
            if "title" not in row.values and not {k for k in row.values if k not in ("hash", "revision") and not k.startswith("extra:")}:
                sheet.sections.append(row)
                continue  # a row that only names an objective (a section line)
            sheet.rows.append(row)
        sheet.uses += uses.values()
        if level_cols:
            sheet.hierarchy = "levels"
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


# --- what a sheet holds besides actions ----------------------------------------------------------------

#: The words of a template's row that describes each column's type (Territoires en Transitions' import template:
#: « Champ texte », « Date », « Liste »...), folded; a row whose cells are mostly these is no action.
_TYPE_WORDS = ("champ", "texte", "text", "date", "liste", "list", "nombre", "number", "numerique", "entier", "integer", "decimal", "montant",
               "amount", "pourcentage", "percentage", "ouinon", "yesno", "booleen", "boolean", "selection", "choix", "dropdown", "menu",
               "obligatoire", "facultatif", "optionnel", "required", "optional", "format", "email", "url", "lien", "annee", "year")
_EXAMPLE = re.compile(r"^\s*[(\[]?\s*(?:exemple|example|ex\.|e\.g\.)\s*\d*\s*(?:[:)\].\-–—]|$)", re.IGNORECASE)
#: The fields whose text is kept with its paragraphs (Markdown); the others are one line.
_RICH = {c.key for c in READ_COLUMNS if c.kind == "text" and c.key not in ("title", "id", "reschedule_reason")} | {"notes"}


def _template_row(texts: dict[int, Any], columns: dict[int, str]) -> Msg | None:
    """Why a row under the header is no action: a template's row of types, or an example; None for a real row."""
    words = [fold(v) for v in texts.values() if isinstance(v, str)]
    typed = [w for w in words if len(w) <= 40 and w.startswith(_TYPE_WORDS)]
    if len(typed) >= 2 and len(typed) >= 0.6 * len(texts):
        return msg("a row describing the type of each column (a template's: « Champ texte », « Date », « Liste »...), not an action: skipped")
    title = next((texts[i] for i, f in columns.items() if f == "title" and i in texts), None)
    first = texts[min(texts)] if texts else None
    if any(isinstance(v, str) and _EXAMPLE.match(v) for v in (title, first)):
        return msg("an example row (« Exemple : … »), not an action: skipped")
    return None


def _clean_cell(value: Any, key: str, header: str, sheet: Sheet) -> Any:
    """A text cell ready for the plan: HTML made Markdown (a text field, the notes) or plain text (a title, a name, a word), line ends
    made ``\\n``; the cells that held HTML are counted by header (the import report says so)."""
    if not isinstance(value, str):
        return value
    rich = key in _RICH or key.startswith("extra:")
    text, was_html = clean_text(value, plain=not rich)
    if was_html:
        name = " ".join(header.split())
        sheet.html[name] = sheet.html.get(name, 0) + 1
    return text


def _short(value: Any, most: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _cells_text(cells: list[Any]) -> str:
    return _short(" | ".join(" ".join(str(v).split()) for v in cells if v not in (None, "") and str(v).strip()), 80)


#: A numbering before a title (« 1. », « 1.2 », « OS.1 », « OO.1.2 », « A.1.2.3 », « 2) »), or a whole reference; each part at most 3 digits
#: (« 2025 Budget » is no numbering).
_NUMBERED = re.compile(r"^(?P<num>(?:(?P<letters>[A-Za-z]{1,3})[.\- ]?)?(?P<digits>\d{1,3}(?:\.\d{1,3})*))(?P<end>\.|\)|\s*[-–—:])?(?:\s+(?P<rest>\S.*))?$",
                       re.DOTALL)


def _numbered(text: str) -> re.Match[str] | None:
    m = _NUMBERED.match(text.strip())
    if m is not None and m["rest"] and not m["letters"] and "." not in m["digits"] and not m["end"]:
        return None  # « 1 000 arbres », « 3 écoles »: a number in the title, no numbering
    return m


def split_number(text: str) -> tuple[str, str] | None:
    """(« 1.2 », « Mobilité douce ») from « 1.2. Mobilité douce »; None when the title has no numbering."""
    m = _numbered(text)
    if m is None or not m["rest"]:
        return None
    return number_id(m), m["rest"].strip()


def number_id(m: re.Match[str]) -> str:
    """The id a numbering gives, as written: « OS.1 », « 1.2 », « Axe2 » (spaces and a trailing dot dropped)."""
    return re.sub(r"\s+", "", m["num"])


def numbering(text: Any) -> tuple[str, tuple[int, ...], str] | None:
    """(id, digits, rest of the title) of a numbered title or reference: (« OO.1.2 », (1, 2), « Vélo »); None without numbering."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    m = _numbered(str(text))
    if m is None:
        return None
    return number_id(m), tuple(int(d) for d in m["digits"].split(".")), (m["rest"] or "").strip()


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
        most = max((int(m[1]) for f in columns.values() if (m := LEVEL_KEY.match(f))), default=0)
        for depth, key in enumerate(f"level{n}" for n in range(1, most + 1)):  # « Niveau 1 » ... « Niveau 6 »: any depth
            cols = [i for i, f in columns.items() if f == key]
            if cols:
                out.append((None, cols[0]))
                names.append(header_texts[cols[0]].replace("\n", " ").strip())
                columns[cols[0]] = "level"
            elif depth == 0:
                break
    sheet.levels = sheet.levels or names
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
