"""``feuille diff``: what changed in the plan between two versions, grouped by objective (:mod:`feuille.app.diff`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import LangOpt, NoCacheOpt, PlanOpt, WideOpt, echo, parse_date, run_of, warn_incomplete
from feuille.cli.outcome import fail
from feuille.core.i18n import msg


@app.command()
def diff(
    ctx: typer.Context,
    rev_a: Annotated[str | None, typer.Argument(metavar="[REV_A]", help="Version de départ : une révision git (par défaut HEAD, le dernier commit). « A...B » : depuis l'ancêtre commun de A et B.", show_default=False)] = None,
    rev_b: Annotated[str | None, typer.Argument(metavar="[REV_B]", help="Version d'arrivée (par défaut : les fichiers tels qu'ils sont).", show_default=False)] = None,
    path: PlanOpt = None,
    against: Annotated[Path | None, typer.Option("--against", metavar="DOSSIER", help="Comparer à un autre dossier (l'ancienne version), sans git.")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Depuis le plan tel qu'enregistré à la fin de ce jour (JJ/MM/AAAA ou AAAA-MM-JJ, heure belge).")] = None,
    since_validation: Annotated[bool, typer.Option("--since-validation", help="Depuis la dernière validation (feuille validate).")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : text, markdown ou json.")] = "text",
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    wide: WideOpt = False,
) -> None:
    """Ce qui a changé dans le plan, objectif par objectif : actions ajoutées, retirées, déplacées, renommées,
    statuts, avancement, échéances reportées, budgets, responsables, nouvelles mesures.

    Par défaut : le dernier commit (HEAD) comparé aux fichiers tels qu'ils sont. Les éléments sont suivis par
    leur identifiant, même quand leur fichier est renommé ou déplacé. Un diff n'est pas une erreur : code 0.

    Exemple : feuille diff HEAD~3 --plan plans/la-louviere --format markdown
    """
    from feuille.app import diff as versions
    from feuille.app.plans import find_plans
    from feuille.views import diff as view

    if fmt not in view.FORMATS:
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(view.FORMATS)))
    run = run_of(ctx)
    [root] = find_plans(path, many=False, command="diff")
    if against is not None:
        if rev_a or rev_b or since or since_validation:
            fail(msg("--against compares two folders: it does not go with a revision, --since or --since-validation."),
                 msg("Example: {example}", example="feuille diff --plan plan-2026 --against plan-2025"))
        [other] = find_plans(against, many=False, command="diff")
        compared = versions.folders(run, root, other)
    else:
        day = parse_date(since, "--since", run.today) if since is not None else None
        compared = versions.revisions(run, root, rev_a, rev_b, day, since_validation)
    lang_ = run.speak(compared.lang())
    for x in compared.loaded():
        warn_incomplete(x, lang_, run.width)
    shown = view.RENDER[fmt](compared.changes(), compared.formatter(lang_), compared.title(root), compared.a, compared.b, compared.people())
    if fmt == "text":
        echo(shown, run)
    else:  # Markdown and JSON are never wrapped
        sys.stdout.write(shown)
    raise typer.Exit(0)
