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

from feuille.app import imports
from feuille.cli.options import echo, load_plans
from feuille.cli.outcome import FINDINGS, fail, finish, note
from feuille.core.i18n import Msg, msg, msgn, translator
from feuille.core.run import Run
from feuille.core.shell import shell_arg
from feuille.views import imports as view


def _say(lines: list[str], run: Run) -> None:
    echo("".join(line + "\n" for line in lines), run)


def _refuse(message: str | Msg, hint: str | Msg, said: str, run: Run) -> NoReturn:
    """A refusal said once the plan is read, in its language: the message, the hint indented, exit 1."""
    note(message, said, run.width)
    if hint:
        echo(f"  {hint(said) if isinstance(hint, Msg) else hint}\n", run, err=True)
    raise typer.Exit(FINDINGS)


def import_sheet(run: Run, path: Path, directory: Path, map_items: list[str], dry_run: bool, folder_given: bool = True) -> None:
    from feuille.formats.spreadsheet.read import progress_bar

    said = run.said  # before a plan is read: --lang, FEUILLE_LANG, else French
    bar = progress_bar(sys.stderr, said) if getattr(sys.stderr, "isatty", lambda: False)() else None  # on a terminal only
    read = imports.read_spreadsheet(path, map_items, bar)
    if not folder_given and read.sheet.info.get("revision"):  # a sheet feuille exported, come back: to the plan it came from
        home = imports.home_plan(path)  # never a new plan made of it (a service head runs ``feuille import retour.xlsx`` in the plan)
        if home is None:
            echo(read.said(said) + "\n", run)
            fail(msg("'{file}' was exported from a feuille plan, but the current folder is in no plan. Nothing was written.", file=str(path)),
                 msg("Give the folder of the plan to copy the changes into: feuille import {file} plans/my-town", file=shell_arg(path)), code=FINDINGS)
        directory = home
    if (directory / "plan.yaml").exists():
        return _update(run, read, directory, dry_run, path)  # said once the plan's language is known
    echo(read.said(said) + "\n", run)
    built = imports.built_plan(read, path, said)  # the new plan in the language asked for
    if dry_run:
        _say([*(m(said) for m in built.summary), *view.problem_lines(read.problems, said), *view.report_lines(built.report, said),
              view.nothing_written(True, True, said)], run)
        return
    written = imports.write_built(directory, built)
    _say(view.created_lines(directory, written, time.perf_counter() - read.start, built, read.problems, said), run)
    from feuille.views.write import source_errors

    found = imports.new_plan_errors(directory, run.today)  # the source's own errors: written as it gave them, and said
    _say(source_errors(found, directory, said), run)
    raise SystemExit(FINDINGS if read.errors or found else 0)


def import_measures(run: Run, path: Path, directory: Path | None, dry_run: bool) -> None:
    """``feuille import mesures.csv [PLAN]``: a table of measurements into an existing plan, through the write service,
    all or nothing; never a new plan."""
    from feuille.app.write import commit
    from feuille.formats.spreadsheet.read import ERROR

    directory = imports.measures_plan(path, directory)
    [loaded] = load_plans(run, directory, command="import", many=False, as_of=run.today)
    said = run.speak(loaded.plan.lang)
    if loaded.errors:
        note(view.plan_errors(loaded.errors, directory), said, run.width)
        raise typer.Exit(FINDINGS)
    found, write = imports.table_measures(path, loaded, run.today)
    echo(view.table_read(path, found, directory, said) + "\n", run)
    errors = [p for p in found.problems if p.level == ERROR]
    refusals = [*(p.show(said) for p in errors), *((r.message(said) for r in write.refusals) if write is not None else ())]
    if refusals:
        _say([view.measures_summary(found, said), *view.problem_lines([p for p in found.problems if p.level != ERROR], said)], run)
        note(view.refused(len(refusals))(said) + "\n  " + "\n  ".join(refusals), said, run.width)
        _ = translator(said)
        echo("  " + _("Correct the table, then import again: the measurements already in the plan are not written twice.") + "\n", run, err=True)
        raise typer.Exit(FINDINGS)
    if write is not None:
        echo(write.diff(), run, cut=True)
    _say([view.measures_summary(found, said), *view.problem_lines(found.problems, said)], run)
    if write is None or dry_run:
        echo(view.nothing_written(dry_run, write is not None, said) + "\n", run)
        finish([loaded])
    _say(view.written(commit(write), said), run)  # (a write error is said by the frame's one handler)
    finish([loaded])


def _update(run: Run, read: imports.SheetRead, directory: Path, dry_run: bool, path: Path | None = None) -> None:
    """A returned sheet into its plan: through the write service, all or nothing (app/imports.py)."""
    from feuille.app.write import commit
    from feuille.formats.spreadsheet.read import ERROR
    from feuille.formats.spreadsheet.update import summary_lines
    from feuille.views.write import to_complete

    [loaded] = load_plans(run, directory, command="import", many=False, as_of=run.today)
    said = run.speak(loaded.plan.lang)  # once the plan is read: --lang, FEUILLE_LANG, else the plan's
    _ = translator(said)
    echo(read.said(said) + "\n", run)
    if loaded.errors:
        _refuse(view.plan_errors(loaded.errors, directory), msgn("Fix it first (feuille lint {folder}).", "Fix them first (feuille lint {folder}).",
                                                                 loaded.errors, folder=shell_arg(directory)), said, run)
    revision = read.sheet.info.get("revision")
    if revision:
        echo(_("sheet exported from the revision '{revision}' of the plan").format(revision=revision) + "\n", run)
    result, measures = imports.sheet_into_plan(loaded, read, run.today, path)  # with its « Indicateurs » sheet
    update = result.update
    if result.refused:  # all or nothing: every bad row at once (what is only said, deleted rows, changes to copy by hand, stays said)
        update.conflicts, counted = [], summary_lines(update, said)
        _say([*counted[1:], *view.problem_lines([p for p in read.problems if p.level != ERROR], said)], run)
        hints = list(dict.fromkeys(h(said) if isinstance(h, Msg) else h for r in result.refusals if (h := r.hint)))
        _refuse(view.refused(len(result.refusals))(said) + "\n  " + "\n  ".join(imports.refusal_lines(result, said)),
                "\n  ".join([*hints, _("Correct the sheet, then import again; or change these actions one by one with feuille update.")]), said, run)
    diff = update.diff()
    if diff:
        echo(diff, run, cut=True)
    _say([*summary_lines(update, said), *([view.measures_summary(measures, said)] if measures is not None else []), *view.problem_lines(read.problems, said)], run)
    for line in to_complete(result.write, said):
        echo(line + "\n", run, err=True)
    if dry_run or not update.edits:
        echo(view.nothing_written(dry_run, bool(update.edits), said) + "\n", run)
        finish([loaded])
    _say(view.written(commit(result.write), said), run)  # (a write error is said by the frame's one handler)
    if result.write.to_complete:
        raise SystemExit(FINDINGS)
    finish([loaded])
