"""``feuille new action|objective|sub-action``: a new item with the next id of the plan's own sequence, where the plan's layout puts it.

Options and questions are read by app/new.py, the item is made by the write service (app/write.py); this module asks,
shows and exits."""

from typing import Annotated, Any

import typer

from feuille.app.values import InputError, say, set_write_lang, write_lang
from feuille.cli._app import app
from feuille.cli.interactive import prompt
from feuille.cli.options import AsOfOpt, LangOpt, NoCacheOpt, PlanOpt, WideOpt, echo, load_plans, parse_date, run_of
from feuille.cli.outcome import FINDINGS, fail, finish
from feuille.core.i18n import msg


def _ask(question: str, parse: Any, default: str = "", run: Any = None) -> Any:
    while True:
        answer = prompt(f"  {question}", default=default, show_default=bool(default))
        if not answer.strip():
            return None
        try:
            return parse(answer)
        except InputError as exc:
            echo(f"  ✗ {exc.message}" + (f" {exc.hint}" if exc.hint else "") + "\n", run)


@app.command()
def new(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="QUOI", help="action, objective (objectif) ou sub-action (sous-action).")],
    parent_id: Annotated[str | None, typer.Option("--in", metavar="ID", help="L'objectif qui la contient (obligatoire pour une action ; pour un objectif : sous-objectif de celui-ci) ; l'action d'une sous-action.")] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="INTITULÉ", help="L'intitulé (demandé s'il manque).")] = None,
    ident: Annotated[str | None, typer.Option("--id", metavar="ID", help="Un identifiant choisi (par défaut : le suivant de la séquence du plan).")] = None,
    description: Annotated[str | None, typer.Option("--description", metavar="TEXTE")] = None,
    political_owner: Annotated[list[str] | None, typer.Option("--political-owner", metavar="PERSONNE", help="Responsable politique, id ou nom (répétable).")] = None,
    admin_owner: Annotated[str | None, typer.Option("--admin-owner", metavar="PERSONNE", help="Responsable administratif, id ou nom.")] = None,
    service_: Annotated[str | None, typer.Option("--service", metavar="SERVICE", help="Service pilote, id ou nom.")] = None,
    planned_start: Annotated[str | None, typer.Option("--planned-start", metavar="DATE", help="Début prévu (31/12/2026 ou 2026-12-31).")] = None,
    planned_end: Annotated[str | None, typer.Option("--planned-end", metavar="DATE", help="Échéance.")] = None,
    status: Annotated[str | None, typer.Option("--status", metavar="STATUT", help="Statut d'une action ou d'une sous-action (par défaut : à venir).")] = None,
    volet: Annotated[str | None, typer.Option("--volet", metavar="VOLET", help="internal ou external (interne, externe).")] = None,
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help="Demander responsables et dates.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Montrer ce qui serait écrit, sans rien écrire.")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commiter le fichier modifié ou créé (aucun hook ne tourne).")] = False,
    path: PlanOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    wide: WideOpt = False,
) -> None:
    """Ajouter une action, une sous-action ou un objectif au plan, avec l'identifiant suivant de sa séquence.

    Exemple : feuille new action --in O4 --title "Réhabiliter les logements vides" --admin-owner Vanhove

    Exemple : feuille new sub-action --in A1.1 --title "Pose de caméras" --admin-owner Wiaux --planned-end 31/12/2027
    """
    from feuille.app import new as use
    from feuille.app import write as writes
    from feuille.app.update import label_of
    from feuille.views import write as view

    run = run_of(ctx)
    set_write_lang(run.said)
    kind = use.kind_of(kind)
    day = parse_date(as_of, "--as-of", run.today)
    loaded = load_plans(run, path, command="new", many=False, as_of=day)[0]
    if loaded.fatal:
        fail(msg("no readable plan in {root} (plan.yaml missing).", root=loaded.plan.root), msg("Run the command from the plan's folder, or give --plan FOLDER."))
    plan = loaded.plan
    set_write_lang(run.speak(plan.lang))
    parent = use.parent_of(loaded, kind, parent_id)
    asked = use.Asked(title, description, political_owner or [], admin_owner, service_, planned_start, planned_end, status, volet)
    try:
        if title is None:
            echo(use.intro(kind, parent) + "\n", run)
            while not asked.title:
                asked.title = prompt("  " + label_of("title")).strip()
        data = use.values(plan, kind, asked, day)
        if interactive or title is None:  # what is not given is asked, each answer checked on the spot
            for name, (question, read) in use.readers(plan, day).items():
                if name in use.asked_of(kind) and not data[name]:
                    data[name] = _ask(question, read, run=run) or data[name]
    except (typer.Abort, KeyboardInterrupt, EOFError):
        fail(say('interrupted: nothing was written.'))
    # the write service: the next id of the plan's sequence (never one used on any branch), where the plan's layout puts it, checked;
    # a new item is incomplete by nature: what only more data about it can fix (a volet, a progress, FTE) is said « à compléter »
    lang = write_lang()
    planned = use.prepare(loaded, kind, parent, data, day, ident)
    if planned.refused:
        message, hint, code = view.refusal(planned, lang, ident or "")
        fail(message, hint, code=code)
    [created] = planned.created
    for line in view.to_complete(planned, lang):
        echo(line + "\n", run, err=True)
    echo(planned.diff(), run, cut=True)
    if dry_run:
        echo(say('Dry run (--dry-run): nothing was written.\n'), run)
        finish([loaded])
    done = writes.commit(planned)  # (a WriteError is said by the frame's one handler)
    echo("".join(line + "\n" for line in view.outcome(done, lang) + view.created(planned, lang)), run)
    if commit:
        message = use.commit_message(created, parent)
        writes.git_commit(plan.root, planned.files(), message)
        echo(say("Commit: {message}", message=message) + "\n", run)
    if planned.to_complete:
        raise typer.Exit(FINDINGS)  # written, and the plan has errors to complete (exit 1, as lint would say)
    finish([loaded])
