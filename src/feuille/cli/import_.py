"""``feuille import``: another tool's file (eComptes today; spreadsheets join the registry) into a new plan folder."""

from pathlib import Path
from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import LangOpt, WideOpt, echo, nothing_written, run_of
from feuille.cli.outcome import FINDINGS, fail, note
from feuille.core.i18n import msg, translator
from feuille.core.shell import shell_arg


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="FICHIER... [DOSSIER]", help="Les fichiers à importer (un par organisation, un seul suffit), puis le dossier du nouveau plan.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", metavar="FORMAT", help="Format des fichiers (sinon : reconnu) : ecomptes, tableur (xlsx, csv).")] = None,
    map_: Annotated[list[str] | None, typer.Option("--map", metavar="COLONNE=CHAMP", help="Tableur : quelle colonne va dans quel champ (« Quoi=title ») ou « =ignore ».")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Tableur : montrer ce qui serait créé ou changé, sans rien écrire.")] = False,
    lang: LangOpt = None,
    wide: WideOpt = False,
) -> None:
    """Importer un fichier d'un autre outil (eComptes : PST wallon, tableau Excel) dans un plan.

    Le dossier du plan est le dernier argument s'il ne finit pas par .xml ; sans lui, le nom du
    premier fichier sans extension. Un fichier eComptes crée toujours un nouveau plan.

    Un tableau (xlsx, csv) crée un nouveau plan, ou, donné avec le dossier d'un plan existant, y reporte
    les cellules changées (par identifiant), en montrant d'abord les changements. Un tableau exporté par
    feuille revient sans dossier au plan du dossier courant.

    Exemple : feuille import pst-ville.xml pst-cpas.xml mon-plan

    Exemple : feuille import tableau-de-bord.xlsx mon-plan
    """
    from feuille.app.create import ImportProblem, write_plan
    from feuille.formats import IMPORTS, detect, format_named, format_names, importer, suffixes

    run = run_of(ctx)
    said = run.said  # before a plan is read: --lang, FEUILLE_LANG, else French
    known = suffixes()
    files = list(paths)
    directory = None
    if files and files[-1].suffix.lower() not in known:
        directory = files.pop()
    if not files:
        fail(msg("no file to import."), msg("Example: feuille import pst.xml my-plan"))
    given = directory is not None
    directory = directory or files[0].with_suffix("")
    sources: list[tuple[str, bytes]] = []
    name = format_named(fmt) if fmt is not None else None  # « tableur » or « spreadsheet », whatever the language
    if fmt is not None and name is None:
        fail(msg("unknown import format '{name}'.", name=fmt), msg("Possible formats: {names}.", names=format_names(said)))
    for path in files:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            fail(msg("the file '{path}' does not exist.", path=str(path)), msg("Check the name and the folder; example: feuille import pst.xml my-plan"))
        except IsADirectoryError:
            fail(msg("'{path}' is a folder, not a file to import.", path=str(path)), msg("The folder of the new plan comes last: feuille import pst.xml my-plan"))
        except OSError as exc:
            from feuille.app.output import system_reason

            fail(msg("cannot read '{path}': {reason}.", path=str(path), reason=system_reason(exc)))
        found = detect(path, raw[:4096])
        if found is None:  # the suffix alone: the reader then says precisely what is wrong with the content
            by_suffix = [n for n in IMPORTS if path.suffix.lower() in importer(n).SUFFIXES]
            found = by_suffix[0] if len(by_suffix) == 1 else None
        if name is None:
            if found is None:
                fail(msg("'{path}' is not a file feuille can import (formats: {names}).", path=str(path), names=format_names(said)),
                     msg("An eComptes file is XML that starts with <dataroot>; a spreadsheet, an .xlsx or a .csv (an .ods: save it as .xlsx from LibreOffice)."), code=FINDINGS)
            name = found
        sources.append((str(path), raw))
    if name == "tableur":
        from feuille.cli.sheet_import import import_measures, import_sheet
        from feuille.formats.spreadsheet.measures import exported_workbook, recognised
        from feuille.formats.spreadsheet.read import ONE_SHEET, ONE_SHEET_HINT

        if len(files) != 1:
            fail(ONE_SHEET, ONE_SHEET_HINT)
        raw = sources[0][1]
        if not exported_workbook(raw) and recognised(str(files[0]), raw):  # a table of measurements (a workbook feuille exported goes below)
            return import_measures(run, files[0], directory if given else None, dry_run)
        return import_sheet(run, files[0], directory, map_ or [], dry_run, folder_given=given)
    module = importer(name)
    from feuille.app.output import link_on_the_way

    through = link_on_the_way(directory)  # the new plan's folder: never through a link (io/links.py)
    if through is not None:
        fail(nothing_written(through), msg("Give a folder that does not exist yet."), code=FINDINGS)
    try:
        imported = module.read(sources)
        written = write_plan(directory, imported)
    except ImportProblem as exc:
        fail(nothing_written(exc.msg), exc.hint_msg, code=FINDINGS)
    for line in imported.notes:
        note(line, said, run.width)
    _ = translator(said)
    echo(_("plan created: {folder} ({n} files). Check it with: feuille lint {command}").format(folder=directory, n=len(written), command=shell_arg(directory)) + "\n", run)
    from feuille.app.imports import new_plan_errors
    from feuille.views.write import source_errors

    found = new_plan_errors(directory, run.today)  # the source's own errors: written as it gave them, and said
    if found:
        echo("".join(line + "\n" for line in source_errors(found, directory, said)), run)
        raise typer.Exit(FINDINGS)
