"""``feuille init``: a new plan that lints clean, in French or in English (``--lang``)."""

from pathlib import Path
from typing import Annotated

import typer

from feuille.cli._app import app, lang_value, run_of
from feuille.cli.options import WideOpt, echo
from feuille.core.shell import shell_arg

InitLangOpt = Annotated[str | None, typer.Option("--lang", metavar="LANGUE", callback=lang_value, help="Langue du nouveau plan (ses exemples, sa locale) et des messages : fr ou en, ou une locale (en-GB). Par défaut : le --lang donné avant la commande, puis FEUILLE_LANG, sinon le français.")]


@app.command()
def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar="DOSSIER", help="Dossier à créer pour le nouveau plan.")],
    title: Annotated[str | None, typer.Option("--title", metavar="TITRE", help="Titre du plan (par défaut : « Programme stratégique transversal 2024-2030 », en anglais avec --lang en).", show_default=False)] = None,
    organisation: Annotated[str | None, typer.Option("--organisation", metavar="NOM", help="Nom de l'organisation (par défaut : « Commune », en anglais avec --lang en).", show_default=False)] = None,
    kind: Annotated[str, typer.Option("--kind", metavar="TYPE", help="pst (3 niveaux) ou dpc (2 niveaux).")] = "pst",
    lang: InitLangOpt = None,
    wide: WideOpt = False,
) -> None:
    """Créer un nouveau plan vide (qui passe « feuille lint » sans erreur).

    Exemple : feuille init mon-plan --organisation "Commune de Binche" --kind pst
    """
    from feuille.app.create import new_plan
    from feuille.core.i18n import translator

    run = run_of(ctx)
    lang_ = run.said
    written = new_plan(directory, title=title, organisation=organisation, kind=kind, today=run.today, lang=lang_)
    _ = translator(lang_)
    echo("".join(_("created: {file}").format(file=directory / rel) + "\n" for rel in written), run)
    echo(_("Plan ready. Check it with: {command}").format(command=f"feuille lint {shell_arg(directory)}") + "\n", run)
