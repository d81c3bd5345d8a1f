"""Spreadsheets (xlsx, csv) into a plan: the sheets towns already keep, and the sheets feuille exported.

:func:`read_sheet` finds the header row (below a title and blank rows), matches headers
whatever their case, accents, punctuation or line breaks (French names of the field, of
iA.PST and of Territoires en Transitions, and ``--map``), fills objectives down, and reads
dates, amounts, percentages, statuses and people the way people write them.  A value it
cannot read is kept verbatim (in the action's notes) and reported with its sheet, row,
column and original text: nothing is dropped.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from feuille.core.i18n import Joined, Msg, msg
from feuille.io import yamlread as _yamlread
from feuille.core.sheet import (COLUMNS_BY_KEY, HASHED, INFO_SHEET, BUDGET_TOTALS, canon, parse_baseline, parse_mark, value_hash)

NAME = "tableur (xlsx, csv)"
SUFFIXES = (".xlsx", ".xlsm", ".csv")
MAX_BYTES = 50 * 1024 * 1024


class SheetError(Exception):
    """The file cannot be read at all, with what to do.  ``msg`` and ``hint_msg`` as given (a
    :class:`Msg` is shown in the user's language by ``fail``); ``message`` and ``hint`` their French."""

    def __init__(self, message: str | Msg, hint: str | Msg = "") -> None:
        self.msg, self.hint_msg = message, hint
        self.message = message("fr") if isinstance(message, Msg) else message
        self.hint = hint("fr") if isinstance(hint, Msg) else hint
        super().__init__(self.message)


@dataclass(slots=True)
class Problem:
    sheet: str
    row: int
    column: str  # letter (xlsx) or number (csv)
    header: str
    text: str  # the original text of the cell
    message: str
    level: str = "à vérifier"  # à vérifier | erreur | info

    def __str__(self) -> str:
        where = f"feuille « {self.sheet} », ligne {self.row}" + (f", colonne {self.column} ({self.header})" if self.column else "")
        shown = f" : « {self.text} »" if self.text else ""
        return f"{where}{shown} — {self.message}"


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
    action_level: str = "Action"
    info: dict[str, str] = field(default_factory=dict)  # from a workbook feuille exported
    exported_ids: list[str] = field(default_factory=list)
    formulas: int = 0
    sheets: list[str] = field(default_factory=list)
    percent_headers: set[str] = field(default_factory=set)  # fields whose header says « (%) »: numbers are percents
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (column, header) of the sheet's columns, empty cells or not
    export_count: int = 0  # rows the export wrote (from each row's « Révision du plan » cell): a CSV's deleted rows are noticed by it
    export_digest: str = ""  # digest of the ids the export wrote
    marked_ids: list[str] = field(default_factory=list)  # ids of the rows that carry that export's mark


def sniff(head: bytes) -> bool:
    """An xlsx (a zip, or an encrypted OLE file: said precisely by the reader) or a text file."""
    return head.startswith((b"PK", b"\xd0\xcf\x11\xe0")) or b"\x00" not in head


def read(sources: list[tuple[str, bytes]], mapping: dict[str, str] | None = None,
         progress: Callable[[int, int], None] | None = None, as_of: dt.date | None = None) -> Any:
    """The registry's entry (:mod:`feuille.io.imports`): one sheet into the files of a new plan, notes for the user."""
    from feuille.io.imports import Imported, ImportProblem

    if len(sources) != 1:
        raise ImportProblem(ONE_SHEET, ONE_SHEET_HINT)
    name, raw = sources[0]
    try:
        sheet, problems = read_sheet(Path(name), raw, mapping, progress)
    except SheetError as exc:
        raise ImportProblem(exc.msg, exc.hint_msg) from None
    built = build_plan(sheet, problems, Path(name).stem.replace("_", " ").replace("-", " ").strip() or "Plan importé", as_of)
    return Imported({rel: _plain(data, dates=True) for rel, data in built.files.items()}, [*built.summary, *map(str, problems)])


# --- headers -------------------------------------------------------------------------------------

def fold(text: Any) -> str:
    """Lower case, no accents, no punctuation, no spaces: « Élu·e référent·e » -> « eluereferente »."""
    s = unicodedata.normalize("NFKD", str(text).replace("œ", "oe").replace("Œ", "oe").casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", s)


SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("Identifiant", "Id", "Référence", "Réf", "N°", "Numéro", "Code", "Numéro de l'action"),
    "title": ("Action", "Action à mener", "Actions", "Titre de l'action", "Titre", "Intitulé", "Intitulé de l'action", "Libellé",
              "Fiche action", "Titre de la fiche action", "Nom de l'action"),
    "political_owners": ("Responsable politique", "Responsable(s) politique(s)", "Responsable mandataire", "Élu·e référent·e", "Élu référent",
                         "Élue référente", "Référent", "Référent politique", "Échevin", "Mandataire", "Élu"),
    "admin_owner": ("Responsable administratif", "Personne pilote", "Pilote", "Porteur de l'action", "Porteur", "Responsable", "Chef de projet",
                    "Agent responsable"),
    "involved": ("Intervenant(s) politique(s)", "Intervenants politiques", "Intervenants"),
    "service": ("Service", "Direction ou service pilote", "Service pilote", "Direction", "Département", "Service responsable"),
    "planned_start": ("Date début", "Date de début", "Date de début prévue", "Début", "Début prévu", "Date début prévue"),
    "planned_end": ("Date fin", "Date de fin", "Date de fin prévue", "Échéance", "Fin prévue", "Fin", "Date d'échéance", "Date fin prévue"),
    "actual_start": ("Début effectif", "Date de début effective", "Date début effective"),
    "actual_end": ("Fin effective", "Date de fin effective", "Date fin effective"),
    "status": ("Statut", "État", "Etat d'avancement", "Statut de l'action", "Situation"),
    "progress": ("Avancement", "% réalisé", "Avancement saisi (%)", "Progression", "Taux d'avancement", "% d'avancement", "Pourcentage",
                 "Avancement (%)", "% avancement"),
    "computed_progress": ("Avancement calculé (%)", "Avancement calculé"),
    "health": ("Indice de santé", "Santé", "Météo"),
    "health_note": ("Note de santé", "Détail de santé", "Détails de santé"),
    "achieved": ("État des réalisations", "Etat des réalisations", "Réalisations", "Ce qui a été fait"),
    "remaining": ("Ce qu'il reste à faire", "Ce qu'il reste à faire pour atteindre l'objectif fixé", "Reste à faire", "Prochaines étapes"),
    "budget_planned": ("Budget", "Budget prévu", "Budget prévu (€)", "Budget prévisionnel", "Budget prévisionnel total € HT", "Montant", "Coût",
                       "Coût estimé", "Budget total"),
    "budget_spent": ("Budget engagé", "Budget engagé (€)", "Engagé", "Dépensé", "Montant engagé", "Dépenses", "Budget dépensé"),
    "tags": ("Tags", "Étiquettes", "Mots-clés", "Thématique", "Thème", "Catégories"),
    "territories": ("Territoire", "Territoires", "Quartier", "Quartiers", "Site", "Sites", "Secteur"),
    "description": ("Description", "Descriptif"),
    "last_reviewed": ("Dernière mise à jour", "Mise à jour", "Date de mise à jour"),
    "volet": ("Volet",),
    "priority_level": ("Niveau de priorité", "Priorité"),
    "notes": ("Observation", "Observations", "Commentaire", "Commentaires", "Remarques", "Notes"),
    "partners": ("Partenaires", "Partenaire"),
    "level1": ("Axe (x)", "Axe", "Objectif stratégique", "Objectif prioritaire", "Objectif", "OS", "Objectif général", "Objectifs stratégiques"),
    "level2": ("Sous-axe (x.x)", "Sous-axe", "Objectif opérationnel", "OO", "Sous-objectif", "Objectifs opérationnels"),
    "level3": ("Sous-sous axe (x.x.x)", "Sous-sous-axe (x.x.x)", "Sous-sous axe", "Sous-sous-axe"),
    "hash": ("Empreinte (ne pas modifier)", "Empreinte"),
    "revision": ("Révision du plan",),
}
FIELDS = tuple(SYNONYMS)
_LOOKUP = {fold(name): key for key, names in SYNONYMS.items() for name in names}
_LONG = sorted(((k, v) for k, v in _LOOKUP.items() if len(k) >= 10), key=lambda kv: -len(kv[0]))
EXPECTED_HINT = msg("'Action' (or 'Action à mener', 'Titre de l'action', 'Intitulé'), 'Statut', 'Responsable politique', "
                    "'Responsable administratif', 'Date début', 'Date fin', 'Budget', 'Avancement'...")
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
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 (avec BOM)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "Windows-1252"


def _split_csv(text: str, sep: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


def _csv_tables(raw: bytes, name: str, problems: list[Problem]) -> list[tuple[str, list[tuple[int, list[Any], set[int]]]]]:
    text, _encoding = _decode_csv(raw)
    if "\x00" in text:
        raise SheetError(msg("'{name}' is not a readable CSV file (it holds null bytes: a renamed Excel workbook?).", name=name),
                         msg("Save it from Excel as 'CSV (semicolon delimited)', or give the .xlsx file."))
    best: tuple[int, str] = (-1, ";")
    lines = text.splitlines()[:30]
    for sep in (";", ",", "\t"):
        for cells in _split_csv("\n".join(lines), sep):
            score = sum(1 for c in cells if match_header(c))
            if score > best[0]:
                best = (score, sep)
    sep = best[1]
    other = [s for s in (";", ",", "\t") if s != sep]
    rows: list[tuple[int, list[Any], set[int]]] = []
    width = 0
    for number, cells in enumerate(_split_csv(text, sep), start=1):
        if len(cells) <= 1 and cells and any(o in cells[0] for o in other) and width > 1:
            o = next(o for o in other if o in cells[0])
            cells = next(iter(_split_csv(cells[0], o)), cells)
            problems.append(Problem(name, number, "", "", "", f"cette ligne est séparée par « {o} » et non par « {sep} » comme les autres : lue avec « {o} » ; vérifiez-la.",
                                    "à vérifier"))
        if width == 0 and sum(1 for c in cells if match_header(c)) >= 2:
            width = len(cells)
        rows.append((number, [c[1:] if c[:1] == "'" and c[1:2] in ("=", "+", "-", "@") else c for c in cells], set()))
    return [(Path(name).stem, rows)]


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _xlsx_tables(raw: bytes, name: str, problems: list[Problem], sheet: Sheet) -> list[tuple[str, list[tuple[int, list[Any], set[int]]]]]:
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
        formulas = any(_FORMULA.search(archive.read(m)) for m in members if m.startswith("xl/worksheets/") and m.endswith(".xml"))
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
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
            sheet.action_level = wanted[0] or "Action"
        else:
            wanted = [n for n in names if wb[n].sheet_state == "visible"]
        for sheet_name in wanted:
            if sheet_name not in names:
                continue
            rows = []
            for number, cells in enumerate(wb[sheet_name].iter_rows(), start=1):
                values, percent = [], set()
                for i, c in enumerate(cells):
                    v = getattr(c, "value", None)
                    values.append(v)
                    if isinstance(v, (int, float)) and "%" in (getattr(c, "number_format", "") or ""):
                        percent.add(i)
                rows.append((number, values, percent))
            tables.append((sheet_name, rows))
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
            raise SheetError(msg("cannot read '{path}': {reason}.", path=str(path), reason=exc.strerror)) from None
    if len(raw) > MAX_BYTES:
        raise SheetError(msg("'{name}' weighs more than {size} MB: too much for a plan's spreadsheet.", name=name, size=MAX_BYTES // 1024 // 1024),
                         msg("Split it, or remove the images."))
    problems: list[Problem] = []
    sheet = Sheet()
    if not raw.strip(b"\xef\xbb\xbf \r\n\t;,"):
        raise SheetError(Msg(EMPTY.msgid, name=name), msg("Check that you saved the right file."))
    suffix = path.suffix.lower()
    tables = _xlsx_tables(raw, name, problems, sheet) if suffix in (".xlsx", ".xlsm") else _csv_tables(raw, name, problems)
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
        level_cols = _level_columns(columns, header_texts, sheet)
        ignored = {fold(k) for k, v in mapping.items() if v == "ignore"}
        for i, text in enumerate(header_texts):  # a column no one recognised: its values go to the notes, never lost
            if i not in columns and text.strip() and fold(text) not in ignored:
                columns[i] = "extra:" + " ".join(text.split())
                problems.append(Problem(sheet_name, rows[index][0], _letter(i), text.strip(), "",
                                        f"colonne non reconnue : ses valeurs sont gardées dans les notes des actions. Pour la reprendre : --map \"{' '.join(text.split())}=champ\" "
                                        "(title, status, planned_end...) ; pour l'ignorer : --map \"...=ignore\".", "info"))
        for i, f in columns.items():
            if f not in ("level", "level_id") and not f.startswith("extra:"):
                sheet.columns.setdefault(f, (_letter(i), header_texts[i].replace("\n", " ").strip()))
            if f == "progress" and "%" in header_texts[i] and fold(header_texts[i]) != "realise":
                sheet.percent_headers.add(f)
        fill: list[tuple[str | None, str | None]] = [(None, None)] * len(level_cols)
        total = len(rows) - index - 1
        for k, (number, cells, percent) in enumerate(rows[index + 1:]):
            if progress is not None and k % 500 == 0:
                progress(k, total)
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
        if progress is not None:
            progress(total, total)
    _read_marks(sheet)
    if not any_content:
        raise SheetError(Msg(EMPTY.msgid, name=name), msg("Check that you saved the right file, and the right sheet."))
    if not sheet.sheets:
        headers = list(dict.fromkeys(seen_headers))[:15]
        seen = Joined(COMMA, [Msg("'{value}'", value=h) for h in headers]) if headers else msg("no text")
        raise SheetError(msg("no header row recognised in '{name}' (looked for in the first 30 rows). Headers seen: {seen}.", name=name, seen=seen),
                         msg("Expected headers: {expected} Or say which to take: --map \"My column=title\".", expected=EXPECTED_HINT))
    if sheet.formulas:
        problems.append(Problem(name, 0, "", "", "", "le classeur contient des formules : leurs dernières valeurs calculées par Excel ont été reprises "
                                "(une formule jamais calculée, par exemple écrite par un autre programme, donne une cellule vide).", "info"))
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


def _level_columns(columns: dict[int, str], header_texts: list[str], sheet: Sheet) -> list[tuple[int | None, int | None]]:
    """(id column, title column) per objective level: feuille's own « Niveau (n°) » columns, else level1..3."""
    out: list[tuple[int | None, int | None]] = []
    names: list[str] = []
    for i, text in enumerate(header_texts):
        if text.strip().endswith("(n°)"):
            base = text.strip()[:-4].strip()
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
           "decembre": 12, "dec": 12}


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
    if m := re.fullmatch(r"(?:(\d{1,2})(?:er)?\s+)?([a-zéèûô]+)\.?\s+(\d{4})", s):
        month = _MONTHS.get(fold(m[2]))
        if month:
            return dt.date(int(m[3]), month, int(m[1])) if m[1] else _month_bound(int(m[3]), month, end)
    if re.fullmatch(r"\d{4}", s):
        return parse_date(int(s), end)
    if re.fullmatch(r"\d{5}", s):
        return parse_date(int(s), end)
    raise ValueError


_NOTHING = {"neant", "aucun", "nul", "na", "nc", "", "sansobjet", "pasdebudget"}


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


# status words -> (status, health or None, note or None)
STATUSES: dict[str, tuple[str, str | None, str | None]] = {}
for _words, _value in (
    (("Réalisé", "Réalisée", "Terminé", "Terminée", "Fait", "Finalisé", "Finalisée", "Achevé", "Clôturé", "Clos", "done"), ("done", None, None)),
    (("En cours", "Démarré", "Commencé", "En exécution", "ongoing"), ("ongoing", None, None)),
    (("En retard",), ("ongoing", "at_risk", "noté « en retard » dans le tableau")),
    (("Non commencé", "Non commencée", "À venir", "A venir", "À faire", "Pas commencé", "En création", "À agender", "À programmer", "Prévu", "not_started"),
     ("not_started", None, None)),
    (("À discuter", "A discuter"), ("not_started", None, "« à discuter » selon le tableau")),
    (("En attente", "Suspendu", "Gelé", "on_hold"), ("on_hold", None, None)),
    (("En pause",), ("on_hold", "paused", None)),
    (("Reporté", "Reportée"), ("on_hold", None, "reportée selon le tableau")),
    (("Bloqué", "Bloquée"), ("on_hold", "blocked", None)),
    (("Annulé", "Annulée", "Abandonné", "Abandonnée", "Supprimé", "cancelled"), ("cancelled", None, None)),
):
    for _w in _words:
        STATUSES[fold(_w)] = _value
HEALTHS = {fold(w): v for w, v in (("Bon", "good"), ("Bonne", "good"), ("OK", "good"), ("Vert", "good"), ("good", "good"), ("Risque", "at_risk"),
                                   ("À risque", "at_risk"), ("Orange", "at_risk"), ("Attention", "at_risk"), ("at_risk", "at_risk"),
                                   ("Blocage", "blocked"), ("Bloqué", "blocked"), ("Bloquée", "blocked"), ("Rouge", "blocked"),
                                   ("blocked", "blocked"), ("En pause", "paused"), ("Pause", "paused"), ("paused", "paused"))}


def split_people(value: Any) -> list[str]:
    parts = re.split(r"\s*(?:;|,|/|&|\n|\s+et\s+)\s*", str(value).strip())
    return [" ".join(p.split()) for p in parts if p and p.strip()]


def split_list(value: Any) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\s*[;,\n]\s*", str(value).strip()) if p.strip()]


@dataclass(slots=True)
class Parsed:
    """One row's values read into feuille's terms (names still names); ``unread`` keeps what could not be read."""

    row: Row
    values: dict[str, Any] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)  # « Colonne : texte » kept in the action's notes
    extra_notes: list[str] = field(default_factory=list)


_WHAT = {"date": ("n'est pas une date lisible", "Écrivez la date JJ/MM/AAAA (31/12/2025), un mois (12/2025) ou une année."),
         "money": ("n'est pas un montant lisible", "Écrivez un nombre : 12500 ou 12 500,50 €."),
         "percent": ("n'est pas un avancement lisible (0 à 100 %)", "Écrivez 60 %, 60 ou 0,6."),
         "status": ("n'est pas un statut connu", "Statuts compris : Non commencé, En cours, En attente, Terminé, Annulé (et Réalisé, À venir, En pause, Bloqué...)."),
         "health": ("n'est pas une santé connue", "Santés comprises : Bon, À risque, Bloqué, En pause.")}


def parse_row(row: Row, sheet: Sheet, problems: list[Problem]) -> Parsed:
    out = Parsed(row)
    v = row.values

    def bad(key: str, kind: str) -> None:
        column, header = row.cells.get(key, ("", key))
        text = str(v[key])
        what, hint = _WHAT[kind]
        problems.append(Problem(row.sheet, row.number, column, header, text, f"{what} : gardé tel quel dans les notes de l'action. {hint}"))
        out.unread.append(f"{header} : {text}")

    for key in v:
        if key.startswith("extra:"):
            out.unread.append(f"{key[6:]} : {_text(v[key]) if not isinstance(v[key], (dt.date, dt.datetime)) else parse_date(v[key]).strftime('%d/%m/%Y')}")
    for key in ("title", "health_note", "achieved", "remaining", "description", "notes"):
        if key in v:
            out.values[key] = str(v[key]).strip() if not isinstance(v[key], (dt.date, dt.datetime)) else parse_date(v[key]).isoformat()
    if "id" in v:
        out.values["id"] = _text(v["id"])
    for key, end in (("planned_start", False), ("planned_end", True), ("actual_start", False), ("actual_end", True), ("last_reviewed", False)):
        if key in v:
            try:
                out.values[key] = parse_date(v[key], end)
            except (ValueError, OverflowError):
                bad(key, "date")
    for key in ("budget_planned", "budget_spent"):
        if key in v:
            try:
                out.values[key] = parse_money(v[key])
            except (ValueError, ArithmeticError):
                bad(key, "money")
    if "progress" in v:
        try:
            out.values["progress"] = parse_progress(v["progress"], "progress" in row.percent_cells, "progress" in sheet.percent_headers)
        except (ValueError, TypeError):
            bad("progress", "percent")
    if "status" in v:
        found = STATUSES.get(fold(v["status"]))
        if found is None:
            bad("status", "status")
        else:
            out.values["status"] = found[0]
            if found[1] and "health" not in v:
                out.values["health"] = found[1]
            if found[2]:
                out.extra_notes.append(f"Statut : {found[2]}.")
    if "health" in v:
        h = HEALTHS.get(fold(v["health"]))
        if h is None:
            bad("health", "health")
        else:
            out.values["health"] = h
    for key in ("political_owners", "involved"):
        if key in v:
            out.values[key] = split_people(v[key])
    if "admin_owner" in v:
        names = split_people(v["admin_owner"])
        out.values["admin_owner"] = names[0] if names else None
        if len(names) > 1:
            out.values.setdefault("involved", []).extend(names[1:])
            column, header = row.cells["admin_owner"]
            problems.append(Problem(row.sheet, row.number, column, header, str(v["admin_owner"]),
                                    f"une action a un seul responsable administratif : « {names[0]} » l'est, les autres sont mis parmi les intervenants."))
    if "service" in v:
        out.values["service"] = _text(v["service"])
    for key in ("tags", "territories", "partners"):
        if key in v:
            out.values[key] = split_list(v[key])
    if "priority_level" in v:
        out.values.setdefault("tags", []).append(f"priorité {str(v['priority_level']).strip().lower()}")
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
    summary: list[str]
    problems: list[Problem]
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


def build_plan(sheet: Sheet, problems: list[Problem], title: str, as_of: dt.date | None = None) -> Built:
    """The files of a new plan from the rows (objectives from the path columns, people and services registries)."""
    as_of = as_of or dt.date.today()
    reg = _Registry()
    levels = list(sheet.levels) or ["Objectif"]
    depth = max(1, len(sheet.levels))
    tops: list[dict[str, Any]] = []
    by_path: dict[tuple[Any, ...], dict[str, Any]] = {}
    numbers: dict[int, str] = {}  # id(objective) -> its number (1, 1.2)
    used_ids: set[str] = set()
    seen_action_ids: dict[str, int] = {}
    dates: list[dt.date] = []
    count = 0
    for row in sheet.rows:
        p = parse_row(row, sheet, problems)
        path = row.levels if sheet.levels else [(None, None)]
        parent: dict[str, Any] | None = None
        key: tuple[Any, ...] = ()
        for d in range(depth):
            ident, otitle = path[d] if d < len(path) else (None, None)
            if ident is None and otitle is None:
                if d == 0:
                    otitle = "Actions sans objectif" if sheet.levels else "Actions importées"
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
                                            f"n'est pas un identifiant utilisable (lettres, chiffres, . _ -, unique) : l'objectif reçoit « {oid} »."))
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
            column, header = row.cells.get("id", ("", "Identifiant"))
            problems.append(Problem(row.sheet, row.number, column, header, wanted,
                                    f"identifiant en double (déjà ligne {seen_action_ids[wanted]}) : cette action reçoit un nouvel identifiant ; vérifiez que ce n'est pas un doublon.",
                                    "erreur"))
            wanted = None
        if wanted and (not _ID.match(wanted) or wanted in used_ids or len(wanted) > 64):
            column, header = row.cells.get("id", ("", "Identifiant"))
            problems.append(Problem(row.sheet, row.number, column, header, wanted, "n'est pas un identifiant utilisable (lettres, chiffres, . _ -) : l'action reçoit un identifiant neuf."))
            wanted = None
        aid = wanted or f"A{number}"
        while aid in used_ids:
            aid += "b"
        used_ids.add(aid)
        seen_action_ids.setdefault(p.values.get("id") or aid, row.number)
        action["id"] = aid
        title = p.values.get("title")
        if not title:
            title = "(sans titre)"
            problems.append(Problem(row.sheet, row.number, "", "Action", "", "ligne sans intitulé d'action : « (sans titre) » ; donnez-lui un titre."))
        action["title"] = title[:500]
        if len(title) > 500:
            p.unread.append(f"Titre complet : {title}")
        for k in ("description",):
            if p.values.get(k):
                action[k] = p.values[k]
        if p.values.get("political_owners"):
            action["political_owners"] = [reg.person(n, True) for n in p.values["political_owners"]]
        if p.values.get("admin_owner"):
            action["admin_owner"] = reg.person(p.values["admin_owner"], False)
        if p.values.get("involved"):
            action["involved"] = [reg.person(n, True) for n in p.values["involved"]]
        if p.values.get("service"):
            action["service"] = reg.service(p.values["service"])
        for k in ("planned_start", "planned_end", "actual_start", "actual_end"):
            if p.values.get(k):
                action[k] = p.values[k]
                dates.append(p.values[k])
        for k in ("status", "progress", "achieved", "remaining", "health", "health_note", "volet", "tags", "territories", "partners"):
            if p.values.get(k) not in (None, "", []):
                action[k] = p.values[k]
        planned, spent = p.values.get("budget_planned"), p.values.get("budget_spent")
        if planned is not None or spent is not None:
            year = next((d.year for d in (p.values.get("planned_start"), p.values.get("planned_end")) if d), as_of.year)
            line: dict[str, Any] = {"amount": planned if planned is not None else Decimal(0), "year": year}
            if spent is not None:
                line["spent"] = spent
            action["budget"] = [line]
        if p.values.get("last_reviewed"):
            action["last_reviewed"] = p.values["last_reviewed"]
        notes = [*([p.values["notes"]] if p.values.get("notes") else []), *p.extra_notes]
        if p.unread:
            notes.append("Repris tel quel du tableau : " + " ; ".join(p.unread))
        if notes:
            action["notes"] = "\n".join(notes)
        parent["actions"].append(action)
        count += 1
    if reg.guessed_first:
        problems.append(Problem(sheet.sheets[0] if sheet.sheets else "", 0, "", "", ", ".join(reg.guessed_first[:10]),
                                "personne(s) citée(s) sans prénom : prénom « ? » dans people.yaml, à compléter."))
    start = min(dates, default=dt.date(as_of.year, 1, 1))
    end = max(dates, default=dt.date(as_of.year + 6, 12, 31))
    if end <= start:
        end = dt.date(start.year + 6, 12, 31)
    plan_levels = [*levels[:depth], sheet.action_level or "Action"]
    plan = {"title": title[:500], "organisations": [{"id": "commune", "name": "Commune (à compléter)"}],
            "term": {"start": start, "end": end}, "levels": plan_levels,
            "notes": f"Importé d'un tableau par feuille import le {as_of.strftime('%d/%m/%Y')}. Organisation, législature et rôles des personnes à vérifier."}
    files: dict[str, dict[str, Any]] = {"plan.yaml": plan,
                                        "people.yaml": {"services": list(reg.services.values()), "people": list(reg.people.values())}}
    for i, obj in enumerate(tops, start=1):
        files[f"objectives/{i:02d}-{_slug(obj['title'], 40)}.yaml"] = _clean(obj)
    n_objectives = len(by_path)
    summary = [f"{count} action(s) dans {n_objectives} objectif(s) ; {len(reg.people)} personne(s) et {len(reg.services)} service(s) créés dans people.yaml."]
    return Built(files, summary, problems, count, n_objectives, len(reg.people), len(reg.services))


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
        texts[rel] = f"# yaml-language-server: $schema={_MODELINE[kind]}\n# Importé par feuille import.\n{body}"
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
        raise SheetError(msg("cannot write in '{folder}': {reason}. Nothing was written.", folder=str(directory), reason=exc.strerror)) from None
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
    conflicts: list[str] = field(default_factory=list)
    by_hand: list[str] = field(default_factory=list)  # changes the writer cannot make: said, never lost
    deleted: list[str] = field(default_factory=list)
    new_rows: list[str] = field(default_factory=list)  # what became of each new row, in words
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


def _who(action: Any) -> str:
    return f"{action.id} « {_short(action.title)} »"


def plan_update(plan: Any, sheet: Sheet, problems: list[Problem]) -> Update:
    """What a returned sheet changes in ``plan`` (matched by id), what conflicts, what is new, what was deleted."""
    from feuille.core.sheet import action_values

    up = Update(problems=problems)
    index = {a.id: a for a, _o in plan.actions()}
    for p in problems:  # into an existing plan, an unknown column's values are not kept in an existing action's notes: say so
        if p.message.startswith("colonne non reconnue"):
            filled = sum(1 for r in sheet.rows if f"extra:{' '.join(p.header.split())}" in r.values and _text(r.values.get("id")) in index)
            p.message = (f"colonne non reconnue : ses {filled} valeur(s) sur des actions existantes ne sont pas reprises (seule une nouvelle ligne "
                         "les garde dans ses notes). Pour reprendre la colonne : --map \"" + " ".join(p.header.split()) + "=champ\" (achieved, remaining, "
                         "description...) ; pour la taire : --map \"...=ignore\".")
            p.level = "à vérifier" if filled else "info"
    seen: dict[str, int] = {}
    dup: set[str] = set()
    for row in sheet.rows:
        ident = _text(row.values.get("id"))
        if ident:
            if ident in seen:
                dup.add(ident)
                column, header = row.cells["id"]
                what = f" ({_who(index[ident])})" if ident in index else ""
                problems.append(Problem(row.sheet, row.number, column, header, ident,
                                        f"identifiant en double{what}, déjà ligne {seen[ident]} : aucune des deux lignes n'est appliquée. "
                                        "Gardez une seule ligne par action (une nouvelle action se met sur une ligne sans identifiant).", "erreur"))
            seen.setdefault(ident, row.number)
    for row in sheet.rows:
        ident = _text(row.values.get("id"))
        base = parse_baseline(row.values.get("hash"))
        if not ident or (ident not in index and ident not in dup and base is None):
            _new_row(plan, sheet, row, ident, up)
            continue
        if ident in dup:
            continue
        action = index.get(ident)
        if action is None:
            column, header = row.cells["id"]
            title = _text(row.values.get("title")) or ""
            problems.append(Problem(row.sheet, row.number, column, header, ident,
                                    f"l'action « {title} » a été exportée avec cet identifiant, mais le plan ne l'a plus (retirée ou renommée depuis l'export) : "
                                    "ligne non appliquée. Pour la recréer, videz sa cellule « Identifiant » et réimportez.", "erreur"))
            continue
        up.baseline = up.baseline or base is not None
        p = parse_row(row, sheet, problems)
        current = action_values(plan, action)
        for key in HASHED:
            if key == "id":
                continue
            column, header = row.cells.get(key) or sheet.columns.get(key) or ("", COLUMNS_BY_KEY[key].header)
            if key not in row.cells and key not in ("title",):
                if base is None:
                    continue  # an empty cell with no export baseline to compare with: nothing to say
                if base[key] == value_hash(COLUMNS_BY_KEY[key].kind, None) or key not in sheet.columns:
                    continue  # empty when exported, or a column the sheet does not have
            kind = COLUMNS_BY_KEY[key].kind
            cell = _sheet_value(key, p, row, sheet)
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
                    up.conflicts.append(f"{_who(action)}, {header} (feuille « {row.sheet} », ligne {row.number}, colonne {column}) : le tableau dit "
                                        f"« {cell_text} », le plan dit « {yaml_text} » depuis l'export ; rien n'est écrasé : choisissez, "
                                        f"puis corrigez le fichier ({plan.display_path(plan.origin(action)[0])}) ou la cellule et réimportez.")
                    continue
            new = _yaml_value(key, cell, plan)
            if key == "title" and (new is None or len(str(new)) > 500):
                problems.append(Problem(row.sheet, row.number, column, header, cell_text[:80],
                                        f"{_who(action)} : " + ("l'intitulé ne peut pas être vide" if new is None else "un intitulé a 500 caractères au plus")
                                        + " : non appliqué. Remettez un intitulé (la description peut être longue) et réimportez.", "erreur"))
                continue
            if new is _UNREAD:
                up.by_hand.append(f"{_who(action)}, {header} (ligne {row.number}) : « {cell_text} » n'est pas "
                                  + ("un service du plan ; ajoutez-le dans people.yaml (services), ou choisissez un service connu, puis réimportez."
                                     if key == "service" else "une personne du plan ; ajoutez-la dans people.yaml, ou choisissez un nom connu, puis réimportez."))
                continue
            if key in ("political_owners", "involved", "admin_owner", "service") and new == getattr(action, key):
                continue  # the same people (or service), named another way
            up.changes.append(Change(ident, key, current.get(key), new, row, header))
    if sheet.exported_ids:
        gone = [i for i in sheet.exported_ids if i not in seen and i in index]
        up.deleted = [_deleted(plan, index[i]) for i in gone]
    elif sheet.export_count:
        _deleted_from_count(plan, sheet, seen, index, up)
    return up


def _deleted(plan: Any, action: Any) -> str:
    where = plan.display_path(plan.origin(action)[0])
    return (f"{_who(action)} : ligne supprimée du tableau ; l'action reste dans le plan. Pour l'abandonner, mettez son statut à « Annulé » ; "
            f"pour la retirer, supprimez-la dans {where}.")


def _deleted_from_count(plan: Any, sheet: Sheet, seen: dict[str, int], index: dict[str, Any], up: Update) -> None:
    """A CSV has no list of the ids exported, only their number and a digest of the list in each row: enough to notice, and usually to name."""
    from feuille.core.sheet import ids_digest

    present = [i for i in seen if i in index]
    missing = sheet.export_count - len([i for i in present if i in sheet.marked_ids])
    if missing <= 0:
        return
    candidates = [i for i in index if i not in seen]
    if ids_digest([*sheet.marked_ids, *candidates]) == sheet.export_digest:
        up.deleted = [_deleted(plan, index[i]) for i in candidates]
        return
    shown = ", ".join(_who(index[i]) for i in candidates[:10]) + (" ..." if len(candidates) > 10 else "")
    up.deleted = [f"{missing} ligne(s) exportée(s) ne sont plus dans le tableau (l'export en comptait {sheet.export_count}) ; "
                  f"les actions restent dans le plan. L'export était filtré ou le plan a changé depuis : feuille ne peut pas dire lesquelles"
                  + (f" ; parmi : {shown}." if candidates else ".")]


def _new_row(plan: Any, sheet: Sheet, row: Row, ident: str | None, up: Update) -> None:
    """A row without id (or with an id the plan has never had): a new action in the objective its path columns name."""
    p = parse_row(row, sheet, up.problems)
    title = p.values.get("title")
    label = f"« {title} »" if title else "(sans intitulé)"
    if not title:
        up.problems.append(Problem(row.sheet, row.number, "", "Action", "", "nouvelle ligne sans intitulé d'action : non créée. Écrivez l'intitulé "
                                   "dans la colonne « Action », ou videz la ligne.", "erreur"))
        return
    parent, why = _parent_of(plan, row, sheet)
    if parent is None:
        up.problems.append(Problem(row.sheet, row.number, "", "", title, f"nouvelle action non créée : {why}", "erreur"))
        return
    data, unread = _new_action_data(plan, p, row, up.problems)
    notes = [*([p.values["notes"]] if p.values.get("notes") else []), *p.extra_notes]
    if p.unread or unread:
        notes.append("Repris tel quel du tableau : " + " ; ".join([*p.unread, *unread]))
    if notes:
        data["notes"] = "\n".join(notes)
    up.new_actions.append(NewAction(row, parent, data, ident))
    up.new_rows.append(f"ligne {row.number} {label} : nouvelle action dans {parent.id} « {_short(parent.title)} »")


def _parent_of(plan: Any, row: Row, sheet: Sheet) -> tuple[Any, str]:
    """The objective a new row's path names: the deepest level given, by id, else by title."""
    objectives = plan.objective_index()
    levels = [(i, t) for i, t in row.levels if i or t]
    if not levels:
        return None, ("aucun objectif n'est indiqué sur la ligne ni au-dessus. Remplissez les colonnes de l'objectif "
                      f"({', '.join(sheet.levels) or 'Objectif'}) avec l'identifiant d'un objectif du plan (par exemple {next(iter(objectives), 'O1')}).")
    ident, title = levels[-1]
    if ident and ident in objectives:
        return objectives[ident], ""
    if title:
        same = [o for o in objectives.values() if fold(o.title) == fold(title)]
        if len(same) == 1:
            return same[0], ""
    named = f"« {ident or title} »"
    return None, (f"l'objectif {named} n'est pas dans le plan. Indiquez l'identifiant d'un objectif existant, "
                  "ou créez d'abord l'objectif (feuille new objective), puis réimportez.")


def _new_action_data(plan: Any, p: Parsed, row: Row, problems: list[Problem]) -> tuple[dict[str, Any], list[str]]:
    """The fields of a new action from its row; names the plan does not know are kept (as text) for its notes."""
    data: dict[str, Any] = {"id": None, "title": p.values["title"][:500]}
    unread: list[str] = [f"Titre complet : {p.values['title']}"] if len(p.values["title"]) > 500 else []

    def unknown(key: str, names: list[str], what: str) -> None:
        column, header = row.cells.get(key, ("", key))
        problems.append(Problem(row.sheet, row.number, column, header, ", ".join(names),
                                f"{what} inconnu(e) du plan : gardé(e) dans les notes de la nouvelle action ; ajoutez-le(la) dans people.yaml puis "
                                "reportez-le(la) dans l'action (feuille update)."))
        unread.append(f"{header} : {', '.join(names)}")

    if p.values.get("description"):
        data["description"] = p.values["description"]
    for key, what in (("political_owners", "personne"), ("involved", "personne")):
        if p.values.get(key):
            ids, missing = _people_ids(plan, p.values[key])
            if ids:
                data[key] = list(dict.fromkeys(ids))
            if missing:
                unknown(key, missing, what)
    if p.values.get("admin_owner"):
        ids, missing = _people_ids(plan, [p.values["admin_owner"]])
        if ids:
            data["admin_owner"] = ids[0]
        else:
            unknown("admin_owner", missing, "personne")
    if p.values.get("service"):
        sid = _yaml_value("service", p.values["service"], plan)
        if sid is _UNREAD:
            unknown("service", [p.values["service"]], "service")
        else:
            data["service"] = sid
    for k in ("planned_start", "planned_end", "actual_start", "actual_end"):
        if p.values.get(k):
            data[k] = p.values[k]
    data["status"] = p.values.get("status") or "not_started"
    for k in ("progress", "achieved", "remaining", "health", "health_note", "volet", "partners", "territories", "tags", "last_reviewed"):
        if p.values.get(k) not in (None, "", []):
            data[k] = p.values[k]
    planned, spent = p.values.get("budget_planned"), p.values.get("budget_spent")
    if planned is not None or spent is not None:
        year = next((d.year for d in (p.values.get("planned_start"), p.values.get("planned_end")) if d), dt.date.today().year)
        line: dict[str, Any] = {"amount": planned if planned is not None else Decimal(0), "year": year}
        if spent is not None:
            line["spent"] = spent
        data["budget"] = [line]
    return data, unread


class _Unread:
    pass


_UNREAD = _Unread()


def _sheet_value(key: str, p: Parsed, row: Row, sheet: Sheet) -> Any:
    """The cell in the sheet's terms (what :func:`feuille.core.sheet.action_values` gives for the YAML)."""
    from feuille.core.sheet import HEALTH_WORDS, STATUS_WORDS

    if key in row.values and key in ("planned_start", "planned_end", "actual_start", "actual_end", "last_reviewed", "budget_planned", "budget_spent",
                                     "progress", "status", "health") and key not in p.values:
        return _UNREAD
    if key == "status":
        return STATUS_WORDS[p.values["status"]] if "status" in p.values else None
    if key == "health":
        return HEALTH_WORDS[p.values["health"]] if "health" in p.values else None
    if key in ("political_owners", "involved", "tags", "territories"):
        return p.values.get(key) or []
    return p.values.get(key)


def _yaml_value(key: str, cell: Any, plan: Any) -> Any:
    from feuille.core.sheet import HEALTH_WORDS, STATUS_WORDS

    if cell in (None, "", []):
        return None
    if key == "status":
        return next(k for k, w in STATUS_WORDS.items() if w == cell)
    if key == "health":
        return next(k for k, w in HEALTH_WORDS.items() if w == cell)
    if key == "admin_owner":
        ids, unknown = _people_ids(plan, [cell])
        return ids[0] if ids else _UNREAD
    if key in ("political_owners", "involved"):
        ids, unknown = _people_ids(plan, list(cell))
        return _UNREAD if unknown else list(dict.fromkeys(ids))
    if key == "service":
        for s in plan.services.values():
            if fold(s.name) == fold(cell) or s.id == cell:
                return s.id
        return _UNREAD
    return cell


def _edits_for(plan: Any, action: Any, changes: list[Change], update: Update) -> list[Any]:
    """The structural edits (:class:`feuille.io.edit.Change`) of one action's changes; budget totals go to its budget line."""
    from feuille.core.model import Action, BudgetLine
    from feuille.io.edit import Change as Edit, field_order

    order = field_order(Action)
    out: list[tuple[list[Change], list[Any]]] = []  # the sheet's changes and the edits that make them
    budget = [c for c in changes if c.key in BUDGET_TOTALS]
    for c in changes:
        if c.key in BUDGET_TOTALS:
            continue
        if c.new is None or c.new == []:
            out.append(([c], [Edit("remove", c.key, None)]))
        else:
            out.append(([c], [Edit("set", c.key, c.new, (), order)]))
    if budget:
        lines = action.budget
        where = plan.display_path(plan.origin(action)[0])
        line_order = tuple(BudgetLine.model_fields)
        planned = next((c for c in budget if c.key == "budget_planned"), None)
        spent = next((c for c in budget if c.key == "budget_spent"), None)
        if len(lines) > 1:
            amounts = ", ".join(f"{b.year} : {format(b.amount.normalize(), 'f')} €" for b in lines)
            for c in budget:
                update.by_hand.append(f"{_who(action)}, {c.header} (ligne {c.row.number}) : « {canon('money', c.old)} » → « {canon('money', c.new)} » — "
                                      f"le budget a {len(lines)} lignes ({amounts}) et le tableau n'en donne que le total : reportez le changement "
                                      f"sur la bonne ligne dans {where}.")
        elif not lines:
            if any(c.new is not None for c in budget):
                year = action.planned_start or action.planned_end
                for c in changes:
                    if c.key in ("planned_start", "planned_end") and c.new:
                        year = c.new
                line: dict[str, Any] = {"amount": (planned.new if planned is not None and planned.new is not None else Decimal(0)),
                                        "year": year.year if year else dt.date.today().year}
                if spent is not None and spent.new is not None:
                    line["spent"] = spent.new
                out.append((budget, [Edit("set", "budget", [line], (), order)]))  # one new line carries both totals
        else:
            for c, key in ((planned, "amount"), (spent, "spent")):
                if c is None:
                    continue
                if c.new is None and key == "amount":
                    update.by_hand.append(f"{_who(action)}, {c.header} (ligne {c.row.number}) : cellule vidée — feuille ne retire pas une ligne "
                                          f"budgétaire depuis un tableau ; retirez-la dans {where} si c'est voulu.")
                    continue
                op = Edit("remove", key, None, ("budget", 0)) if c.new is None else Edit("set", key, c.new, ("budget", 0), line_order)
                out.append(([c], [op]))
    return out


def prepare(plan: Any, update: Update, taken: set[str] | None = None) -> Update:
    """Compute the edits (and so the diff) of every change and every new action, without touching the plan.

    Each action's changes become structural edits of its file (:func:`feuille.io.edit.change_item`:
    only the changed lines differ, comments and order kept, checked by reading back); several
    actions of one file build on one another.  A new action gets the next id of its objective's
    sequence (as ``feuille new``, never one in ``taken``) and goes where the plan's layout puts it
    (:func:`feuille.io.place.place`).  A change the writer refuses is said « à reporter à la main »,
    the others go on.  :func:`apply_update` writes the edits, all files or none.
    """
    from feuille.io.edit import EditError, change_item, change_items
    from feuille.io.place import next_action_id, place

    index = {a.id: a for a, _o in plan.actions()}
    by_file: dict[str, Any] = {}  # rel -> the FileEdit so far
    order: list[str] = []
    by_action: dict[str, list[Change]] = {}
    for c in update.changes:
        by_action.setdefault(c.action_id, []).append(c)
    kept: list[Change] = []

    def edit(rel: str, make: Any) -> Any:
        result = make(by_file.get(rel))
        if rel not in by_file:
            order.append(rel)
        by_file[rel] = result
        return result

    planned: dict[str, list[tuple[Any, list[tuple[list[Change], list[Any]]]]]] = {}  # file -> [(action, [(changes, edits)])]
    for ident, changes in by_action.items():
        action = index[ident]
        todo = _edits_for(plan, action, changes, update)
        if todo:
            planned.setdefault(plan.origin(action)[0], []).append((action, todo))
    for rel, actions in planned.items():
        try:  # every action of the file at once (read and checked once)
            edit(rel, lambda base, actions=actions: change_items(plan, [(a, [e for _c, es in todo for e in es]) for a, todo in actions], base=base))
            kept += [c for _a, todo in actions for cs, _e in todo for c in cs]
            continue
        except EditError:
            pass
        for action, todo in actions:  # else action by action, then change by change: a change the writer refuses is said, the others go on
            try:
                edit(rel, lambda base, action=action, todo=todo: change_item(plan, action, [e for _c, es in todo for e in es], base=base))
                kept += [c for cs, _e in todo for c in cs]
                continue
            except EditError:
                pass
            for cs, es in todo:
                try:
                    edit(rel, lambda base, action=action, es=es: change_item(plan, action, es, base=base))
                    kept += cs
                except EditError as exc:
                    update.by_hand += [f"{_who(action)}, {c.header} (ligne {c.row.number}) : « {canon('text', c.old)} » → « {canon('text', c.new)} » — "
                                       f"à reporter à la main ({exc})." for c in cs]
    update.changes = kept
    if update.new_actions:
        taken = set(taken or ()) | set(index) | set(plan.objective_index())
        given: dict[str, list[str]] = {}
        for new in update.new_actions:
            wanted = new.wanted_id
            if wanted and (not _ID.match(wanted) or wanted in taken or len(wanted) > 64):
                column, header = new.row.cells.get("id", ("", "Identifiant"))
                update.problems.append(Problem(new.row.sheet, new.row.number, column, header, wanted,
                                               "identifiant déjà pris (dans le plan ou sur une branche du dépôt) ou inutilisable : la nouvelle action "
                                               "reçoit l'identifiant suivant de son objectif."))
                wanted = None
            ident = wanted or next_action_id(plan, new.parent, taken, given.get(new.parent.id, []))
            taken.add(ident)
            given.setdefault(new.parent.id, []).append(ident)
            new.data["id"] = ident
            data = {k: v for k, v in new.data.items() if v is not None}
            problem = _invalid(data)
            if problem:
                update.problems.append(Problem(new.row.sheet, new.row.number, "", "", new.data["title"],
                                               f"nouvelle action non créée : {problem}. Corrigez la ligne et réimportez.", "erreur"))
                update.new_rows = [m for m in update.new_rows if not m.startswith(f"ligne {new.row.number} ")]
                continue
            rel = plan.origin(new.parent)[0]
            try:
                made = place(plan, "action", new.parent, data, base=by_file.get(rel))
            except EditError as exc:
                update.problems.append(Problem(new.row.sheet, new.row.number, "", "", new.data["title"], f"nouvelle action non créée : {exc}", "erreur"))
                update.new_rows = [m for m in update.new_rows if not m.startswith(f"ligne {new.row.number} ")]
                continue
            key = rel if not made.created else f"new:{made.shown}"
            if key not in by_file:
                order.append(key)
            by_file[key] = made
            update.created_ids.append(ident)
            update.new_rows = [s.replace(f"ligne {new.row.number} ", f"ligne {new.row.number} {ident} ", 1) if s.startswith(f"ligne {new.row.number} ") else s
                               for s in update.new_rows]
    update.edits = [by_file[k] for k in order]
    return update


def _invalid(data: dict[str, Any]) -> str:
    from pydantic import ValidationError

    from feuille.core.model import Action

    try:
        Action.model_validate(json.loads(json.dumps(_plain(data))))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(x) for x in err["loc"]]
        column = COLUMNS_BY_KEY.get(loc[0]) if loc else None
        where = f"« {column.header} »" if column is not None else f"« {'.'.join(loc)} »"
        ctx = err.get("ctx") or {}
        why = {"string_too_long": f"texte trop long ({ctx.get('max_length', '?')} caractères au plus)",
               "string_too_short": "texte vide", "greater_than_equal": f"valeur trop petite (au moins {ctx.get('ge', '?')})",
               "less_than_equal": f"valeur trop grande (au plus {ctx.get('le', '?')})", "enum": "valeur inconnue"}.get(err["type"], "valeur que le format du plan n'accepte pas")
        return f"valeur refusée pour {where} ({why})"
    return ""


def apply_update(update: Update) -> list[tuple[str, str]]:
    """Write every prepared edit, all files or none (the transaction of :func:`feuille.io.edit.write`)."""
    from feuille.io.edit import write

    return write(update.edits)


def summary_lines(update: Update) -> list[str]:
    out = [f"{len(update.changes)} changement(s) et {len(update.created_ids)} nouvelle(s) action(s) à écrire dans {len(update.edits)} fichier(s)."]
    if not update.baseline:
        out.append("Ce tableau n'a pas d'empreinte d'export (colonne masquée « Empreinte ») : chaque cellule qui diffère du plan est prise comme un changement, sans détection de conflit.")
    for title, items in (("Conflits (rien n'est écrasé)", update.conflicts), ("À reporter à la main", update.by_hand),
                         ("Lignes supprimées (jamais appliqué : l'action reste dans le plan)", update.deleted), ("Nouvelles lignes", update.new_rows)):
        if items:
            out.append(f"{title} : {len(items)}")
            out += [f"  - {i}" for i in items]
    return out


def progress_bar(stream: Any = None) -> Callable[[int, int], None]:
    """Progress of a long sheet on stderr (only past 2,000 rows)."""
    stream = stream or sys.stderr

    def show(done: int, total: int) -> None:
        if total < 2000:
            return
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\rlecture : [{'#' * filled}{'.' * (width - filled)}] {done}/{total} lignes")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
