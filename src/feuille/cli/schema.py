"""``feuille schema``: the JSON Schema of the plan's files, for editors."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.cli._app import app, lang_value, run_of
from feuille.cli.options import WideOpt, echo
from feuille.cli.outcome import fail
from feuille.core.i18n import msg, translator

SchemaLangOpt = Annotated[str | None, typer.Option("--lang", metavar="LANGUE", callback=lang_value, help="Langue des messages : fr ou en, ou une locale (en-GB). Par défaut : le --lang donné avant la commande, puis FEUILLE_LANG, sinon le français.")]


@app.command()
def schema(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Argument(metavar="SCHÉMA", help="plan, people, objective ou action (sinon : tous, avec --out).")] = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="DOSSIER", help="Dossier où écrire les fichiers *.schema.json.")] = None,
    check_only: Annotated[bool, typer.Option("--check", help="Vérifier que les schémas de --out sont à jour, sans écrire.")] = False,
    lang: SchemaLangOpt = None,
    wide: WideOpt = False,
) -> None:
    """Écrire le JSON Schema des fichiers du plan (pour l'autocomplétion dans VS Code).

    Exemple : feuille schema --out schema/
    """
    from feuille.app.output import schemas, write_schemas

    selected = schemas(kind)
    if out is None:
        if kind is None:
            fail(msg("give a file type or --out FOLDER."), msg("Example: {example}, or {other}", example="feuille schema action", other="feuille schema --out schema/"))
        sys.stdout.write(selected[kind])
        return
    stale = write_schemas(selected, out, check_only)
    if not check_only:
        run = run_of(ctx)
        _ = translator(run.said)
        echo("".join(_("written: {file}").format(file=name) + "\n" for name in stale), run)
