"""``feuille init``: a new plan that lints clean."""

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.outcome import fail


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="DOSSIER", help="Dossier à créer pour le nouveau plan.")],
    title: Annotated[str, typer.Option("--title", metavar="TITRE", help="Titre du plan.")] = "Programme stratégique transversal 2024-2030",
    organisation: Annotated[str, typer.Option("--organisation", metavar="NOM", help="Nom de l'organisation.")] = "Commune",
    kind: Annotated[str, typer.Option("--kind", metavar="TYPE", help="pst (3 niveaux) ou dpc (2 niveaux).")] = "pst",
) -> None:
    """Créer un nouveau plan vide (qui passe « feuille lint » sans erreur).

    Exemple : feuille init mon-plan --organisation "Commune de Binche" --kind pst
    """
    from feuille.io.scaffold import ScaffoldError, create

    try:
        written = create(directory, title=title, organisation=organisation, kind=kind, today=dt.date.today())
    except ScaffoldError as exc:
        fail(str(exc), exc.hint)
    for rel in written:
        sys.stdout.write(f"créé : {directory / rel}\n")
    sys.stdout.write(f"Plan prêt. Vérifiez-le avec : feuille lint {directory}\n")

