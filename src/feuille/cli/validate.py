"""``feuille validate``: record that the plan as committed was validated (an annotated git tag; app/validate.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import LangOpt, PlanOpt, RevOpt, WideOpt, echo, parse_date, run_of, warn_incomplete
from feuille.cli.outcome import finish, note
from feuille.core.i18n import When, msg


@app.command()
def validate(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", metavar="QUI", help="Qui a validé : « Comité de direction », « Collège communal »...")],
    date: Annotated[str | None, typer.Option("--date", metavar="DATE", help="Date de la validation AAAA-MM-JJ (par défaut : aujourd'hui).")] = None,
    path: PlanOpt = None,
    rev: RevOpt = None,
    lang: LangOpt = None,
    wide: WideOpt = False,
) -> None:
    """Enregistrer que le plan, tel qu'il est enregistré (commit), a été validé : une étiquette git annotée
    feuille-validation/AAAA-MM-JJ avec qui a validé et la date. Une étiquette existante n'est jamais déplacée
    ni remplacée. « feuille diff --since-validation » montre ensuite ce qui a changé depuis.

    Exemple : feuille validate --by "Comité de direction" --date 2026-11-20 --plan plans/la-louviere
    """
    from feuille.app import validate as use

    run = run_of(ctx)
    validation = use.prepare(run, path, by, parse_date(date, "--date", run.today), rev)
    loaded = validation.loaded
    lang_ = run.speak(loaded.plan.lang)
    if validation.uncommitted:
        note(msg("changes to the plan are not committed (git commit): they are not part of the validation."), lang_, run.width)
    warn_incomplete(loaded, lang_, run.width)
    use.record(validation)
    echo(msg("state validated by {by} on {day}: tag {name} on the commit {short} ('{subject}').", by=validation.by, day=When(validation.day),
             name=validation.name, short=validation.short, subject=validation.subject)(lang_) + "\n"
         + "  " + msg("Send it to the shared repository: {command}", command="git push origin " + validation.name)(lang_) + "\n", run)
    finish([loaded])
