"""``feuille measure IND VALUE``: a measurement of an indicator, written through the write service (app/measure.py)."""

from typing import Annotated

import typer

from feuille.app.values import InputError, say, set_write_lang
from feuille.app.values import parse_date as parse_user_date
from feuille.cli._app import app
from feuille.cli.options import AsOfOpt, LangOpt, NoCacheOpt, PlanOpt, WideOpt, echo, load_plans, parse_date, run_of
from feuille.cli.outcome import fail, finish


@app.command()
def measure(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="INDICATEUR", help="L'indicateur : son id (absenteisme) ou son intitulé, s'il est unique dans le plan.")],
    value: Annotated[str, typer.Argument(metavar="VALEUR", help="La valeur mesurée : 8,6 ou 8.6 (une valeur négative après « -- » : feuille measure solde -- -3).")],
    path: PlanOpt = None,
    when: Annotated[str | None, typer.Option("--date", metavar="DATE", help="La date à laquelle la valeur se rapporte (31/12/2026 ou 2026-12-31 ; par défaut aujourd'hui).")] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXTE", help="Une note sur la mesure (la source, ce qui l'explique).")] = None,
    by: Annotated[str | None, typer.Option("--by", metavar="QUI", help="Qui saisit la mesure (gardé pour l'administration : jamais publié par défaut).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Montrer la modification sans rien écrire.")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commiter le fichier modifié (jamais par défaut ; aucun hook ne tourne).")] = False,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    wide: WideOpt = False,
) -> None:
    """Ajouter une mesure à un indicateur (du plan, d'un objectif ou d'une action), là où il est déclaré.

    La mesure est vérifiée comme le ferait lint (nombre, date), ajoutée sous « measurements » de l'indicateur sans toucher
    au reste du fichier, et refusée si elle ajoutait une erreur au plan. Une mesure à la même date existe déjà : refusée.

    Exemple : feuille measure absenteisme 8,3 --date 2026-12-31 --plan plans/plan-strategique
    """
    from feuille.app import write as writes
    from feuille.app.measure import measure as measured
    from feuille.formats.spreadsheet.measures import parse_value
    from feuille.views import write as view

    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    loaded = load_plans(run, path, command="measure", many=False, as_of=day)[0]
    if loaded.fatal:
        fail(say('no readable plan in {root} (plan.yaml missing).', root=loaded.plan.root),
             say("Run the command from the plan's folder, or give --plan FOLDER."))
    lang_ = run.speak(loaded.plan.lang)
    set_write_lang(lang_)
    try:
        number = parse_value(value)
    except ValueError:
        raise InputError(say("'{value}' is not a number; nothing was written.", value=value), say("Write the value as 8,6 or 8.6, without its unit.")) from None
    on = parse_user_date(when, say("the date of the measurement"), day) if when else day
    planned = measured(loaded, ident, number, day=day, when=on, note=note, by=by)
    if planned.refused:
        message, hint, code = view.refusal(planned, lang_, ident)
        fail(message, hint, code=code)
    summary = planned.said[0].text(lang_) if planned.said else ident
    echo(planned.diff(), run, cut=True)
    if dry_run:
        echo(summary + "\n" + say('Dry run (--dry-run): nothing was written.\n'), run)
        return
    done = writes.commit(planned)  # (a WriteError is said by the frame's one handler)
    echo("".join(line + "\n" for line in view.outcome(done, lang_)), run)
    echo(summary + "\n", run)
    if commit:
        writes.git_commit(loaded.plan.root, planned.files(), summary)
        echo(say("Commit: {message}", message=summary) + "\n", run)
    finish([loaded])
