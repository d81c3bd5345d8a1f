"""``feuille update ID``: set the fields of an action or objective from the command line (or by questions)."""

import datetime as dt
from typing import Annotated, Any

import typer

from feuille.app.update import asked_values, build_change, find_item
from feuille.app.values import say, set_write_lang, write_lang
from feuille.cli._app import app
from feuille.cli.options import AsOfOpt, LangOpt, NoCacheOpt, PlanOpt, WideOpt, echo, load_plans, parse_date, run_of
from feuille.cli.outcome import fail, finish


@app.command()
def update(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="L'action, la sous-action ou l'objectif à mettre à jour (A4.2, A1.1.2, O4).")],
    path: PlanOpt = None,
    status: Annotated[str | None, typer.Option("--status", metavar="STATUT", help="not_started, ongoing, on_hold, done, cancelled (ou « en cours », « terminé »...).")] = None,
    progress: Annotated[str | None, typer.Option("--progress", metavar="AVANCEMENT", help="Avancement : 60, 60 %, 0,6.")] = None,
    achieved: Annotated[str | None, typer.Option("--achieved", metavar="TEXTE", help="État des réalisations.")] = None,
    remaining: Annotated[str | None, typer.Option("--remaining", metavar="TEXTE", help="Ce qu'il reste à faire.")] = None,
    health: Annotated[str | None, typer.Option("--health", metavar="SANTÉ", help="good, at_risk, blocked, paused (ou « bon », « à risque », « bloqué »...).")] = None,
    health_note: Annotated[str | None, typer.Option("--health-note", metavar="TEXTE", help="Pourquoi la santé n'est pas bonne.")] = None,
    actual_start: Annotated[str | None, typer.Option("--actual-start", metavar="DATE", help="Début effectif (31/12/2026 ou 2026-12-31).")] = None,
    actual_end: Annotated[str | None, typer.Option("--actual-end", metavar="DATE", help="Fin effective.")] = None,
    planned_end: Annotated[str | None, typer.Option("--planned-end", metavar="DATE", help="Nouvelle échéance (avec --reason : le glissement est gardé).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", metavar="TEXTE", help="Pourquoi l'échéance glisse.")] = None,
    spent: Annotated[list[str] | None, typer.Option("--spent", metavar="ANNÉE=MONTANT", help="Montant engagé sur la ligne budgétaire de cet exercice.")] = None,
    measure: Annotated[list[str] | None, typer.Option("--measure", metavar="INDICATEUR=VALEUR@DATE", help="Ajouter une mesure (indicateur par numéro ou intitulé ; date par défaut : aujourd'hui).")] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXTE", help="Notes internes.")] = None,
    political_owner: Annotated[list[str] | None, typer.Option("--political-owner", metavar="PERSONNE", help="Les responsables politiques, id ou nom (répétable ; remplace la liste).")] = None,
    admin_owner: Annotated[str | None, typer.Option("--admin-owner", metavar="PERSONNE", help="Responsable administratif, id ou nom.")] = None,
    service_: Annotated[str | None, typer.Option("--service", metavar="SERVICE", help="Service pilote, id ou nom.")] = None,
    partner: Annotated[list[str] | None, typer.Option("--partner", metavar="PARTENAIRE", help="Ajouter un partenaire (répétable).")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", metavar="CHAMP=VALEUR", help="N'importe quel autre champ (title, stake, tags...).")] = None,
    reviewed: Annotated[bool, typer.Option("--reviewed", help="Marquer revu aujourd'hui (ou à la date --as-of).")] = False,
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help="Poser les questions champ par champ.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Montrer les modifications sans rien écrire.")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commiter les fichiers modifiés (jamais par défaut ; aucun hook ne tourne).")] = False,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    wide: WideOpt = False,
) -> None:
    """Mettre à jour une action ou un objectif : statut, avancement, réalisations, échéance, budget engagé, mesures.

    Exemple : feuille update A4.2 --status "en cours" --progress 60% --reviewed
    """
    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    loaded = load_plans(run, path, command="update", many=False, as_of=day)[0]
    if loaded.fatal:
        fail(say('no readable plan in {root} (plan.yaml missing).', root=loaded.plan.root),
             say("Run the command from the plan's folder, or give --plan FOLDER."))
    set_write_lang(run.speak(loaded.plan.lang))
    item = find_item(loaded, ident)
    plan = loaded.plan
    raw = {"status": status, "progress": progress, "achieved": achieved, "remaining": remaining, "health": health, "health_note": health_note,
           "actual_start": actual_start, "actual_end": actual_end, "planned_end": planned_end, "notes": note, "admin_owner": admin_owner,
           "service": service_}
    values = asked_values(plan, item, raw, set_ or [], political_owner or [], partner or [], day)
    anything = bool(values or spent or measure or reviewed or reason)
    if interactive or not anything:
        from feuille.cli.interactive import ask_update

        try:
            values, reason, reviewed = ask_update(plan, item, day, values, reason, run=run)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            fail(say('interrupted: nothing was written.'))
    change = build_change(plan, item, values, day, reason=reason, spent=spent or [], measures=measure or [], reviewed=reviewed)
    apply_update(loaded, change, day, dry_run=dry_run, commit=commit, confirm=interactive or not anything, run=run)
    finish([loaded])  # 1 if the plan has errors elsewhere (the write was done: it added none)


def apply_update(loaded: Any, change: Any, day: dt.date, *, dry_run: bool, commit: bool, confirm: bool = False, planned: Any = None,
                 run: Any = None) -> str | None:
    """Hand ``change`` to the write service (or take what it ``planned`` already), show what it does (to the width
    of ``run``), write it (unless ``dry_run`` or not confirmed); what was written, in words (None if nothing was)."""
    from feuille.app import write as writes
    from feuille.views import write as view

    lang = write_lang()
    planned = planned or writes.prepare(loaded, [change], day=day)
    if planned.refused:
        message, hint, code = view.refusal(planned, lang, change.id)
        fail(message, hint, code=code)
    if not planned.edits:
        echo(say('{ident}: nothing to change, the values are already those.\n', ident=change.id), run)
        return None
    summary = planned.said[0].text(lang) if planned.said else change.id
    echo("".join(planned.diff()), run, cut=True)
    if confirm and not dry_run:
        try:
            from feuille.cli.interactive import yes

            ok = yes(say('Save these changes?'), run=run)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            fail(say('interrupted: nothing was written.'))
        if not ok:
            echo(say('Nothing was written.\n'), run)
            return None
    elif dry_run:
        echo(summary + "\n" + say('Dry run (--dry-run): nothing was written.\n'), run)
        return None
    done = writes.commit(planned)  # (a WriteError is said by the frame's one handler)
    echo("".join(line + "\n" for line in view.outcome(done, lang)), run)
    echo(summary + "\n", run)
    if commit:
        writes.git_commit(loaded.plan.root, planned.files(), summary)
        echo(say("Commit: {message}", message=summary) + "\n", run)
    return summary
