"""``feuille import`` for spreadsheets: a new plan from a town's sheet, or a returned sheet into an existing plan (diff first).

Messages are in the user's language (``--lang``, else FEUILLE_LANG; into an existing plan, else the
plan's); a new plan is written in the language asked for (« (sans titre) », its notes, an English
plan's locale), an existing plan's new notes in the plan's own language.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

import typer

from feuille.cli.options import echo, nothing_written
from feuille.cli.outcome import FINDINGS, fail, finish, note
from feuille.core.i18n import Joined, Msg, Number, msg, msgn, number, translator
from feuille.core.run import Run
from feuille.core.shell import shell_arg


def _PLAN_ERRORS(n: int, folder: Path) -> Msg:
    return msgn("the plan '{folder}' has {n} error: the import does not write into it, so as not to build on a wrong plan. Nothing was written.",
                "the plan '{folder}' has {n} errors: the import does not write into it, so as not to build on a wrong plan. Nothing was written.",
                n, folder=str(folder))


def _REFUSED(n: int) -> Msg:
    return msgn("import refused: {n} row or change to correct; nothing was written:",
                "import refused: {n} rows or changes to correct; nothing was written:", n)


def _say(lines: list[str], run: Run) -> None:
    echo("".join(line + "\n" for line in lines), run)


def _problems(problems: list, lang: str) -> list[str]:
    from feuille.formats.spreadsheet.read import CHECK, ERROR, INFO, LEVEL_WORDS

    if not problems:
        return []
    _ = translator(lang)
    order = {ERROR: 0, CHECK: 1, INFO: 2}
    words = LEVEL_WORDS[lang]
    out = [_("To check ({n}):").format(n=len(problems))]
    out += ["  " + _("- {level}: {problem}").format(level=words.get(p.level, p.level), problem=p.show(lang))
            for p in sorted(problems, key=lambda p: (order.get(p.level, 3), p.sheet, p.row, len(p.column), p.column))]
    return out


def _report(lines: list[Msg], lang: str) -> list[str]:
    """The import report: where each column went, what was skipped and why."""
    if not lines:
        return []
    _ = translator(lang)
    return [_("Import report (where each value went):"), *("  - " + line(lang) for line in lines)]


def import_sheet(run: Run, path: Path, directory: Path, map_items: list[str], dry_run: bool, folder_given: bool = True) -> None:
    from feuille.app.output import link_on_the_way, not_a_folder
    from feuille.formats.spreadsheet.build import build_plan, write_new_plan
    from feuille.formats.spreadsheet.read import ERROR, SheetError, parse_map, progress_bar, read_sheet

    start = time.perf_counter()
    said = run.said  # before a plan is read: --lang, FEUILLE_LANG, else French
    _ = translator(said)
    try:
        mapping = parse_map(map_items)
        bar = progress_bar(sys.stderr, said) if getattr(sys.stderr, "isatty", lambda: False)() else None  # on a terminal only
        sheet, problems = read_sheet(path, mapping=mapping, progress=bar)
    except SheetError as exc:
        fail(nothing_written(exc.msg), exc.hint_msg, code=FINDINGS)
    seconds = Number(time.perf_counter() - start, 1)
    names = Joined(msg(", "), [msg("'{value}'", value=s) for s in sheet.sheets])
    read = msg("read: {file} — {rows} ({sheets}) in {seconds} s", file=str(path), rows=msgn("{n} action row", "{n} action rows", len(sheet.rows)),
               seconds=seconds, sheets=msgn("sheet {names}", "sheets {names}", len(sheet.sheets), names=names))
    if not folder_given and sheet.info.get("revision"):  # a sheet feuille exported, come back: to the plan it came from
        directory = _home_plan(path, read, said, run)
    if (directory / "plan.yaml").exists():
        return _update(run, read, directory, sheet, problems, dry_run, path)  # said once the plan's language is known
    echo(read(said) + "\n", run)
    built = build_plan(sheet, problems, path.stem.replace("_", " ").replace("-", " ").strip(), lang=said)  # the new plan in the language asked for
    if dry_run:
        _say([*(m(said) for m in built.summary), *_problems(problems, said), *_report(built.report, said), _("Nothing was written (--dry-run).")], run)
        return
    through = link_on_the_way(directory)  # the new plan's folder: never through a link (io/links.py)
    refused = not_a_folder(directory) or (nothing_written(through) if through is not None else None)
    if refused is not None:
        fail(refused, msg("Give a folder that does not exist yet."))
    try:
        written = write_new_plan(directory, built)
    except SheetError as exc:
        fail(exc.msg, exc.hint_msg, code=FINDINGS)
    _say([_("plan created: {folder} ({n} files, in {seconds} s)").format(folder=directory, n=len(written), seconds=number(time.perf_counter() - start, said, 1)),
          _("Created: {summary}").format(summary=built.summary[0](said)), *_problems(problems, said), *_report(built.report, said),
          _("The values not read are kept as they are in the notes of their action. Complete the organisation and the term in plan.yaml, "
            "the roles in people.yaml, then: feuille lint {folder}").format(folder=shell_arg(directory))], run)
    from feuille.app.imports import new_plan_errors
    from feuille.views.write import source_errors

    found = new_plan_errors(directory, run.today)  # the source's own errors: written as it gave them, and said
    _say(source_errors(found, directory, said), run)
    errors = [p for p in problems if p.level == ERROR]
    raise SystemExit(FINDINGS if errors or found else 0)


def _measures(path: Path, plan, today):  # type: ignore[no-untyped-def]
    """A returned workbook's « Indicateurs » sheet, read against the plan (None when it has none)."""
    from feuille.formats.spreadsheet.measures import read_measures, recognised
    from feuille.formats.spreadsheet.read import SheetError

    raw = path.read_bytes()
    if not recognised(path.name, raw):
        return None
    try:
        return read_measures(path.name, raw, plan, today)
    except SheetError:
        return None


def measures_summary(found, lang: str) -> str:  # type: ignore[no-untyped-def]
    """« Mesures : 3 ajoutées, 41 déjà dans le plan, 0 répétée, 1 refusée (sur 45 lignes) »."""
    from feuille.formats.spreadsheet.read import ERROR

    refused = sum(1 for p in found.problems if p.level == ERROR)
    return msg("Measurements: {added}, {already} already in the plan, {repeated}, {refused} (of {rows}).",
               added=msgn("{n} added", "{n} added", len(found.added)), already=len(found.already),
               repeated=msgn("{n} repeated", "{n} repeated", len(found.repeated)), refused=msgn("{n} refused", "{n} refused", refused),
               rows=msgn("{n} row", "{n} rows", found.rows))(lang)


def import_measures(run: Run, path: Path, directory: Path | None, dry_run: bool) -> None:
    """``feuille import mesures.csv [PLAN]``: a table of measurements into an existing plan, through the write service,
    all or nothing; never a new plan."""
    from feuille.app.measure import from_table
    from feuille.app.output import CREATED
    from feuille.app.plans import SourceError, find_plans
    from feuille.app.write import commit
    from feuille.cli.options import load_plans
    from feuille.formats.spreadsheet.measures import read_measures
    from feuille.formats.spreadsheet.read import ERROR, SheetError

    said = run.said
    if directory is None or not (directory / "plan.yaml").exists():
        try:
            directory = find_plans(directory, many=False, command="import")[0]
        except SourceError:
            fail(msg("'{file}' is a table of measurements: they go into an existing plan, and none was found here. Nothing was written.", file=str(path)),
                 msg("Give the plan's folder after the file: feuille import {file} plans/my-town", file=shell_arg(path)), code=FINDINGS)
    today = run.today
    [loaded] = load_plans(run, directory, command="import", many=False, as_of=today)
    said = run.speak(loaded.plan.lang)
    _ = translator(said)
    if loaded.errors:
        note(_PLAN_ERRORS(loaded.errors, directory), said, run.width)
        raise typer.Exit(FINDINGS)
    try:
        found = read_measures(path.name, path.read_bytes(), loaded.plan, today)
    except SheetError as exc:
        fail(nothing_written(exc.msg), exc.hint_msg, code=FINDINGS)
    columns = Joined(msg(", "), [msg("'{value}'", value=h) for h in found.columns.values()])(said)
    echo(_("read: {file} — a table of measurements (sheet '{sheet}', columns {columns}): into the plan {plan}").format(
        file=path, sheet=found.sheet, columns=columns, plan=directory if str(directory) not in ("", ".") else directory.resolve()) + "\n", run)
    errors = [p for p in found.problems if p.level == ERROR]
    write = from_table(loaded, found, day=today) if found.added else None
    refusals = [*(p.show(said) for p in errors), *((r.message(said) for r in write.refusals) if write is not None else ())]
    if refusals:
        _say([measures_summary(found, said), *_problems([p for p in found.problems if p.level != ERROR], said)], run)
        note(_REFUSED(len(refusals))(said) + "\n  " + "\n  ".join(refusals), said, run.width)
        echo("  " + _("Correct the table, then import again: the measurements already in the plan are not written twice.") + "\n", run, err=True)
        raise typer.Exit(FINDINGS)
    if write is not None:
        echo(write.diff(), run, cut=True)
    _say([measures_summary(found, said), *_problems(found.problems, said)], run)
    if write is None or dry_run:
        echo((_("Nothing was written (--dry-run).") if dry_run and write is not None else _("Nothing was written: no change to write.")) + "\n", run)
        finish([loaded])
        return
    for shown, what in commit(write):  # (a write error is said by the frame's one handler)
        echo((_("created: {file}") if what == CREATED else _("changed: {file}")).format(file=shown) + "\n", run)
    finish([loaded])


def _home_plan(path: Path, read: Msg, said: str, run: Run) -> Path:
    """The plan of the working folder, for a sheet exported by feuille and given without a folder;
    never a new plan made of it (a service head runs ``feuille import retour.xlsx`` in the plan)."""
    from feuille.app.plans import SourceError, find_plans

    try:
        return find_plans(None, many=False, command="import")[0]
    except SourceError:
        echo(read(said) + "\n", run)
        fail(msg("'{file}' was exported from a feuille plan, but the current folder is in no plan. Nothing was written.", file=str(path)),
             msg("Give the folder of the plan to copy the changes into: feuille import {file} plans/my-town", file=shell_arg(path)), code=FINDINGS)


def _update(run: Run, read: Msg, directory: Path, sheet, problems: list, dry_run: bool, path: Path | None = None) -> None:
    """A returned sheet into its plan: through the write service, all or nothing (app/imports.py)."""
    from feuille.app.ids import ids_on_branches
    from feuille.app.imports import refusal_lines, returned_sheet
    from feuille.app.output import CREATED
    from feuille.app.write import commit
    from feuille.cli.options import load_plans
    from feuille.formats.spreadsheet.read import ERROR
    from feuille.formats.spreadsheet.update import summary_lines
    from feuille.views import write as view

    today = run.today
    [loaded] = load_plans(run, directory, command="import", many=False, as_of=today)
    said = run.speak(loaded.plan.lang)  # once the plan is read: --lang, FEUILLE_LANG, else the plan's
    _ = translator(said)
    echo(read(said) + "\n", run)

    def refuse(message: str | Msg, hint: str | Msg = "") -> NoReturn:  # fail(), in the language said once the plan is read
        note(message, said, run.width)
        if hint:
            echo(f"  {hint(said) if isinstance(hint, Msg) else hint}\n", run, err=True)
        raise typer.Exit(FINDINGS)

    if loaded.errors:
        refuse(_PLAN_ERRORS(loaded.errors, directory), msgn("Fix it first (feuille lint {folder}).", "Fix them first (feuille lint {folder}).",
                                                             loaded.errors, folder=shell_arg(directory)))
    revision = sheet.info.get("revision")
    if revision:
        echo(_("sheet exported from the revision '{revision}' of the plan").format(revision=revision) + "\n", run)
    measures = _measures(path, loaded.plan, today) if path is not None and sheet.info.get("revision") else None  # its « Indicateurs » sheet
    result = returned_sheet(loaded, sheet, problems, day=today, taken=ids_on_branches(loaded.plan.root), measures=measures)
    update = result.update
    if result.refused:  # all or nothing: every bad row at once (what is only said, deleted rows, changes to copy by hand, stays said)
        update.conflicts, counted = [], summary_lines(update, said)
        _say([*counted[1:], *_problems([p for p in problems if p.level != ERROR], said)], run)
        hints = list(dict.fromkeys(h(said) if isinstance(h, Msg) else h for r in result.refusals if (h := r.hint)))
        refuse(_REFUSED(len(result.refusals))(said)
               + "\n  " + "\n  ".join(refusal_lines(result, said)),
               "\n  ".join([*hints, _("Correct the sheet, then import again; or change these actions one by one with feuille update.")]))
    diff = update.diff()
    if diff:
        echo(diff, run, cut=True)
    _say([*summary_lines(update, said), *([measures_summary(measures, said)] if measures is not None else []), *_problems(problems, said)], run)
    for line in view.to_complete(result.write, said):
        echo(line + "\n", run, err=True)
    if dry_run or not update.edits:
        echo((_("Nothing was written (--dry-run).") if dry_run and update.edits else _("Nothing was written: no change to write.")) + "\n", run)
        finish([loaded])
        return
    outcome = commit(result.write)  # (a write error is said by the frame's one handler)
    for shown, what in outcome:
        echo((_("created: {file}") if what == CREATED else _("changed: {file}")).format(file=shown) + "\n", run)
    if result.write.to_complete:
        raise SystemExit(FINDINGS)
    finish([loaded])
