"""``feuille log ID``: each commit that changed an objective or an action, when, who, and what."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import LangOpt, NoCacheOpt, PlanOpt, RevOpt, WideOpt, echo, formatter, run_of
from feuille.cli.outcome import fail
from feuille.core.i18n import When, msg


@app.command()
def log(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="Identifiant d'un objectif ou d'une action.")],
    path: PlanOpt = None,
    rev: RevOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : text ou json.")] = "text",
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    wide: WideOpt = False,
) -> None:
    """L'historique d'un objectif ou d'une action : chaque commit qui l'a modifié, quand, par qui
    (l'auteur du commit) et quoi, champ par champ, du plus récent au plus ancien.

    Suit l'élément par son identifiant, même s'il a changé de fichier ou d'objectif. Par défaut depuis
    le dernier commit (HEAD), plus les modifications pas encore enregistrées ; --rev pour partir d'ailleurs.

    Exemple : feuille log A2.1 --plan plans/la-louviere
    """
    from feuille.app.log import item_log
    from feuille.views import diff as view
    from feuille.views.format import Formatter

    if fmt not in ("text", "json"):
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names="text, json"))
    run = run_of(ctx)
    log = item_log(run, path, ident, rev)
    lang_ = run.speak(log.lang)
    notes = [msg("Partial history (shallow clone): it starts on {date}; 'git fetch --unshallow' fetches the rest.", date=When(log.shallow_since))(lang_)
             ] if log.shallow_since is not None else []
    fmt_ = formatter(log.work, lang_) if rev is None and log.work is not None else Formatter.for_plan(None, lang_)
    if fmt == "json":  # never wrapped
        sys.stdout.write(view.log_json(log.ident, log.title, log.entries, fmt_, log.titles, log.people, notes))
    else:
        echo(view.log_text(log.ident, log.title, log.entries, fmt_, log.titles, log.people, notes), run)
    raise typer.Exit(0)
