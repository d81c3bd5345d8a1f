"""``feuille import``: another tool's file (eComptes today; spreadsheets join the registry) into a new plan folder."""

from pathlib import Path
from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import LangOpt, WideOpt, echo, run_of
from feuille.cli.outcome import FINDINGS, note
from feuille.core.i18n import translator
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
    from feuille.app import imports
    from feuille.formats import suffixes

    run = run_of(ctx)
    said = run.said  # before a plan is read: --lang, FEUILLE_LANG, else French
    files = list(paths)
    directory = files.pop() if files and files[-1].suffix.lower() not in suffixes() else None
    given = directory is not None
    name, sources = imports.sources(files, fmt, said)
    directory = directory or files[0].with_suffix("")
    if name == "tableur":
        from feuille.cli.sheet_import import import_measures, import_sheet

        if imports.is_measures_table(sources):  # a table of measurements (a workbook feuille exported: a returned sheet)
            return import_measures(run, files[0], directory if given else None, dry_run)
        return import_sheet(run, files[0], directory, map_ or [], dry_run, folder_given=given)
    imported, written = imports.new_plan(name, sources, directory)
    for line in imported.notes:
        note(line, said, run.width)
    _ = translator(said)
    echo(_("plan created: {folder} ({n} files). Check it with: feuille lint {command}").format(folder=directory, n=len(written), command=shell_arg(directory)) + "\n", run)
    from feuille.views.write import source_errors

    found = imports.new_plan_errors(directory, run.today)  # the source's own errors: written as it gave them, and said
    if found:
        echo("".join(line + "\n" for line in source_errors(found, directory, said)), run)
        raise typer.Exit(FINDINGS)
