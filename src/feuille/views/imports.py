"""What ``feuille import`` says of a spreadsheet: its problems by level, where each column went, the measurements of a
table, the refusals (a plan with errors, rows to correct) and the lines of a new plan made of a sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from feuille.core.i18n import Joined, Msg, msg, msgn, number, translator
from feuille.core.shell import shell_arg
from feuille.formats.spreadsheet.read import CHECK, ERROR, INFO, LEVEL_WORDS
from feuille.io.transaction import CREATED


def plan_errors(n: int, folder: Path) -> Msg:
    return msgn("the plan '{folder}' has {n} error: the import does not write into it, so as not to build on a wrong plan. Nothing was written.",
                "the plan '{folder}' has {n} errors: the import does not write into it, so as not to build on a wrong plan. Nothing was written.",
                n, folder=str(folder))


def refused(n: int) -> Msg:
    return msgn("import refused: {n} row or change to correct; nothing was written:",
                "import refused: {n} rows or changes to correct; nothing was written:", n)


def problem_lines(problems: list[Any], lang: str) -> list[str]:
    """« À vérifier (3) : », then each problem with its level, the errors first, in the sheet's order."""
    if not problems:
        return []
    _ = translator(lang)
    order = {ERROR: 0, CHECK: 1, INFO: 2}
    words = LEVEL_WORDS[lang]
    out = [_("To check ({n}):").format(n=len(problems))]
    out += ["  " + _("- {level}: {problem}").format(level=words.get(p.level, p.level), problem=p.show(lang))
            for p in sorted(problems, key=lambda p: (order.get(p.level, 3), p.sheet, p.row, len(p.column), p.column))]
    return out


def report_lines(lines: list[Msg], lang: str) -> list[str]:
    """The import report: where each column went, what was skipped and why."""
    if not lines:
        return []
    _ = translator(lang)
    return [_("Import report (where each value went):"), *("  - " + line(lang) for line in lines)]


def measures_summary(found: Any, lang: str) -> str:
    """« Mesures : 3 ajoutées, 41 déjà dans le plan, 0 répétée, 1 refusée (sur 45 lignes) »."""
    refused_rows = sum(1 for p in found.problems if p.level == ERROR)
    return msg("Measurements: {added}, {already} already in the plan, {repeated}, {refused} (of {rows}).",
               added=msgn("{n} added", "{n} added", len(found.added)), already=len(found.already),
               repeated=msgn("{n} repeated", "{n} repeated", len(found.repeated)), refused=msgn("{n} refused", "{n} refused", refused_rows),
               rows=msgn("{n} row", "{n} rows", found.rows))(lang)


def table_read(path: Path, found: Any, directory: Path, lang: str) -> str:
    """« lu : mesures.csv — un tableau de mesures (feuille 'Mesures', colonnes ...) : dans le plan ... »."""
    _ = translator(lang)
    columns = Joined(msg(", "), [msg("'{value}'", value=h) for h in found.columns.values()])(lang)
    return _("read: {file} — a table of measurements (sheet '{sheet}', columns {columns}): into the plan {plan}").format(
        file=path, sheet=found.sheet, columns=columns, plan=directory if str(directory) not in ("", ".") else directory.resolve())


def nothing_written(dry_run: bool, changes: bool, lang: str) -> str:
    _ = translator(lang)
    return _("Nothing was written (--dry-run).") if dry_run and changes else _("Nothing was written: no change to write.")


def created_lines(directory: Path, written: list[str], seconds: float, built: Any, problems: list[Any], lang: str) -> list[str]:
    """What a new plan made of a sheet says: the folder, what it holds, the problems, the report, what to complete."""
    _ = translator(lang)
    return [_("plan created: {folder} ({n} files, in {seconds} s)").format(folder=directory, n=len(written), seconds=number(seconds, lang, 1)),
            _("Created: {summary}").format(summary=built.summary[0](lang)), *problem_lines(problems, lang), *report_lines(built.report, lang),
            _("The values not read are kept as they are in the notes of their action. Complete the organisation and the term in plan.yaml, "
              "the roles in people.yaml, then: feuille lint {folder}").format(folder=shell_arg(directory))]


def written(done: list[tuple[str, Any]], lang: str) -> list[str]:
    """« créé : FICHIER » or « modifié : FICHIER » for each file a write changed."""
    _ = translator(lang)
    return [(_("created: {file}") if what == CREATED else _("changed: {file}")).format(file=shown) for shown, what in done]
