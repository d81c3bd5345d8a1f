"""``feuille show``: everything about one objective or action, and how each figure was computed."""

from typing import Annotated

import typer

from feuille.app.history import Purpose
from feuille.cli._app import app
from feuille.cli.options import AsOfOpt, ColorOpt, LangOpt, NoCacheOpt, PlanOpt, RevOpt, WideOpt, load_plans, parse_date, print_styled, run_of
from feuille.cli.outcome import finish


@app.command()
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="Identifiant d'un objectif, d'une action, d'une sous-action, d'un volet ou d'un indicateur (ou l'intitulé de l'indicateur).")],
    path: PlanOpt = None,
    rev: RevOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = "auto",
    wide: WideOpt = False,
) -> None:
    """Tout sur un objectif, une action, une sous-action, un volet ou un indicateur : champs, avancement calculé et comment, météo, budget, indicateurs.

    Exemple : feuille show A1.4 --plan plans/la-louviere
    """
    from feuille.app.show import item
    from feuille.views.notice import notice_lines

    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    loaded = load_plans(run, path, command="show", many=True, as_of=day, rev=rev, rules="errors", purpose=Purpose.SHOW)
    found, fmt, out = item(run, loaded, ident, day)
    print_styled([("bold red", line) for line in notice_lines(found, fmt)] + out, run)
    finish([found])
