"""``feuille schema``: the JSON Schema of the plan's files, for editors."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.cli._app import app, lang_value, run_of
from feuille.cli.options import WideOpt, echo, write_text
from feuille.cli.outcome import FINDINGS, fail
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
    import json

    from feuille.app.output import make_folder, not_a_folder
    from feuille.core.model import json_schemas

    schemas = {k: json.dumps(v, ensure_ascii=False, indent=2) + "\n" for k, v in json_schemas().items()}
    if kind is not None and kind not in schemas:
        fail(msg("unknown file type '{value}'.", value=kind), msg("Possible types: {names}.", names=", ".join(schemas)))
    if out is None:
        if kind is None:
            fail(msg("give a file type or --out FOLDER."), msg("Example: {example}, or {other}", example="feuille schema action", other="feuille schema --out schema/"))
        sys.stdout.write(schemas[kind])
        return
    selected = {kind: schemas[kind]} if kind else schemas
    refused = not_a_folder(out)
    if refused is not None:
        fail(refused, msg("Give a folder with --out: the *.schema.json files are written there."))
    stale = []
    for name, content in selected.items():
        target = out / f"{name}.schema.json"
        try:
            current = target.read_text(encoding="utf-8") if target.is_file() else None
        except (OSError, UnicodeDecodeError):
            current = None  # unreadable: rewritten (or said to be stale)
        if current == content:
            continue
        stale.append(str(target))
        if not check_only:
            make_folder(out)
            write_text(target, content)
    if check_only and stale:
        fail(msg("stale schemas: {files}", files=", ".join(stale)), msg("Run '{command}'.", command="feuille schema --out " + str(out)), code=FINDINGS)
    if not check_only:
        run = run_of(ctx)
        _ = translator(run.said)
        echo("".join(_("written: {file}").format(file=name) + "\n" for name in stale), run)

