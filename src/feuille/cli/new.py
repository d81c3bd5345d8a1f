"""``feuille new action|objective``: a new item with the next id of the plan's own sequence, where the plan's layout puts it."""

from typing import Annotated, Any

import typer

from feuille.app.values import InputError, parse_choice, person, say, service, set_write_lang, write_lang
from feuille.app.values import parse_date as parse_user_date
from feuille.cli._app import app
from feuille.cli.interactive import prompt
from feuille.cli.options import AsOfOpt, LangOpt, NoCacheOpt, PlanOpt, WideOpt, echo, load_plans, parse_date, run_of
from feuille.cli.outcome import FINDINGS, fail, finish
from feuille.core.i18n import NC_, Words, msg
from feuille.io.place import ids_on_branches

#: who a person given with --political-owner or --admin-owner is, in the messages about them
OWNER = Words({"political": NC_("owner", "political owner"), "administrative": NC_("owner", "administrative owner")})



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
    kind: Annotated[str, typer.Argument(metavar="QUOI", help="action ou objective (objectif).")],
    parent_id: Annotated[str | None, typer.Option("--in", metavar="ID", help="L'objectif qui la contient (obligatoire pour une action ; pour un objectif : sous-objectif de celui-ci).")] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="INTITULÉ", help="L'intitulé (demandé s'il manque).")] = None,
    ident: Annotated[str | None, typer.Option("--id", metavar="ID", help="Un identifiant choisi (par défaut : le suivant de la séquence du plan).")] = None,
    description: Annotated[str | None, typer.Option("--description", metavar="TEXTE")] = None,
    political_owner: Annotated[list[str] | None, typer.Option("--political-owner", metavar="PERSONNE", help="Responsable politique, id ou nom (répétable).")] = None,
    admin_owner: Annotated[str | None, typer.Option("--admin-owner", metavar="PERSONNE", help="Responsable administratif, id ou nom.")] = None,
    service_: Annotated[str | None, typer.Option("--service", metavar="SERVICE", help="Service pilote, id ou nom.")] = None,
    planned_start: Annotated[str | None, typer.Option("--planned-start", metavar="DATE", help="Début prévu (31/12/2026 ou 2026-12-31).")] = None,
    planned_end: Annotated[str | None, typer.Option("--planned-end", metavar="DATE", help="Échéance.")] = None,
    status: Annotated[str | None, typer.Option("--status", metavar="STATUT", help="Statut d'une action (par défaut : à venir).")] = None,
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
    """Ajouter une action ou un objectif au plan, avec l'identifiant suivant de sa séquence.

    Exemple : feuille new action --in O4 --title "Réhabiliter les logements vides" --admin-owner Vanhove
    """
    from feuille.app.update import label_of
    from feuille.core.model import Objective, Status

    run = run_of(ctx)
    set_write_lang(run.said)
    kinds = {"action": "action", "objective": "objective", "objectif": "objective"}
    if kind.lower() not in kinds:
        fail(say("'{kind}': feuille new creates an action or an objective.", kind=kind),
             say('Example: ') + "feuille new action --in O4 --title \"...\"")
    kind = kinds[kind.lower()]
    day = parse_date(as_of, "--as-of", run.today)
    loaded = load_plans(run, path, command="new", many=False, as_of=day)[0]
    if loaded.fatal:
        fail(msg("no readable plan in {root} (plan.yaml missing).", root=loaded.plan.root), msg("Run the command from the plan's folder, or give --plan FOLDER."))
    plan = loaded.plan
    set_write_lang(run.speak(plan.lang))
    parent = None
    if parent_id is not None:
        from feuille.app.update import find_item

        parent = find_item(loaded, parent_id)
        if not isinstance(parent, Objective):
            fail(say("'{parent_id}' is an action: actions and objectives go in an objective.", parent_id=parent_id),
                 say("Give --in with an objective's id."))
    elif kind == "action":
        fail(say('an action goes in an objective: give --in ID.'), say('Example: ') + "feuille new action --in O4 --title \"...\"")
    ask_all = interactive or title is None
    try:
        if title is None:
            if kind == "action":
                intro = say("New action in {id} '{title}' — Enter leaves a field empty.", id=parent.id, title=parent.title)
            elif parent is not None:
                intro = say("New objective in {id} '{title}' — Enter leaves a field empty.", id=parent.id, title=parent.title)
            else:
                intro = say("New objective — Enter leaves a field empty.")
            echo(intro + "\n", run)
            while not title:
                title = prompt("  " + label_of("title")).strip()
        data: dict[str, Any] = {}
        political, administrative = OWNER[write_lang()]["political"], OWNER[write_lang()]["administrative"]
        the_start, the_end = say("the planned start"), say("the deadline")
        owners = [person(plan, p, political) for p in political_owner or []]
        admin = person(plan, admin_owner, administrative) if admin_owner else None
        svc = service(plan, service_) if service_ else None
        start = parse_user_date(planned_start, the_start, day) if planned_start else None
        end = parse_user_date(planned_end, the_end, day) if planned_end else None
        if ask_all:
            if not owners:
                owners = _ask(say("political owner(s) (id or name, separated by commas)"),
                              lambda a: [person(plan, p, political) for p in a.split(",") if p.strip()], run=run) or []
            admin = admin or _ask(say("administrative owner (id or name)"), lambda a: person(plan, a, administrative), run=run)
            svc = svc or _ask(say("lead service (id or name)"), lambda a: service(plan, a), run=run)
            start = start or _ask(say("planned start (DD/MM/YYYY)"), lambda a: parse_user_date(a, the_start, day), run=run)
            end = end or _ask(say("deadline (DD/MM/YYYY)"), lambda a: parse_user_date(a, the_end, day), run=run)
        from feuille.core.model import Volet

        st = parse_choice(status, Status, label_of("status")) if status else "not_started"
        vol = parse_choice(volet, Volet, label_of("volet")) if volet else None
    except (typer.Abort, KeyboardInterrupt, EOFError):
        fail(say('interrupted: nothing was written.'))
    data: dict[str, Any] = {"title": title.strip(), "description": description.strip() if description else None, "political_owners": owners,
                            "admin_owner": admin, "service": svc, "planned_start": start, "planned_end": end, "volet": vol}
    if kind == "action":
        data["status"] = st
    # the write service: the next id of the plan's sequence (never one used on any branch), where the plan's layout puts it, checked;
    # a new item is incomplete by nature: what only more data about it can fix (a volet, a progress, FTE) is said « à compléter »
    from feuille.app import write as writes
    from feuille.views import write as view

    lang = write_lang()
    planned = writes.prepare(loaded, new=[writes.NewItem(kind, parent.id if parent is not None else None, data, id=ident)], day=day,
                              taken=ids_on_branches(plan.root))
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
        if kind == "action":
            message = say("{id}: new action '{title}' in {parent}", id=created.id, title=created.title, parent=parent.id)
        elif parent is not None:
            message = say("{id}: new objective '{title}' in {parent}", id=created.id, title=created.title, parent=parent.id)
        else:
            message = say("{id}: new objective '{title}'", id=created.id, title=created.title)
        writes.git_commit(plan.root, planned.files(), message)
        echo(say("Commit: {message}", message=message) + "\n", run)
    if planned.to_complete:
        raise typer.Exit(FINDINGS)  # written, and the plan has errors to complete (exit 1, as lint would say)
    finish([loaded])
