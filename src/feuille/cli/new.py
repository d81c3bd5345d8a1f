"""``feuille new action|objective``: a new item with the next id of the plan's own sequence, where the plan's layout puts it."""

import sys
from typing import Annotated, Any

import typer

from feuille.cli._app import app
from feuille.cli._write import LANG, InputError, git_commit, say, parse_choice, parse_date as parse_user_date, person, service, write_edits
from feuille.cli.options import AsOfOpt, LangOpt, NoCacheOpt, PlanOpt, language, load_plans, parse_date
from feuille.core.i18n import msg
from feuille.cli.outcome import FINDINGS, fail, finish
from feuille.io.place import ids_on_branches, next_id, place

COMPLETE_LATER = frozenset({"F706", "F707", "F708"})  # eComptes: FTE, progress, volet (see docs/rules.md)


def _ask(question: str, parse: Any, default: str = "") -> Any:
    while True:
        answer = typer.prompt(f"  {question}", default=default, show_default=bool(default))
        if not answer.strip():
            return None
        try:
            return parse(answer)
        except InputError as exc:
            sys.stdout.write(f"  ✗ {exc.message}" + (f" {exc.hint}" if exc.hint else "") + "\n")


@app.command()
def new(
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
) -> None:
    """Ajouter une action ou un objectif au plan, avec l'identifiant suivant de sa séquence.

    Exemple : feuille new action --in O4 --title "Réhabiliter les logements vides" --admin-owner Vanhove
    """
    from feuille.core.model import Action, Objective, Status
    from feuille.io.edit import EditError

    LANG[0] = language(lang, "fr")
    kinds = {"action": "action", "objective": "objective", "objectif": "objective"}
    if kind.lower() not in kinds:
        fail(say("'{kind}': feuille new creates an action or an objective.", kind=kind),
             say('Example: ') + "feuille new action --in O4 --title \"...\"")
    kind = kinds[kind.lower()]
    day = parse_date(as_of, "--as-of")
    loaded = load_plans(path, command="new", many=False, as_of=day, no_cache=no_cache)[0]
    if loaded.fatal:
        fail(msg("no readable plan in {root} (plan.yaml missing).", root=loaded.plan.root), msg("Run the command from the plan's folder, or give --plan FOLDER."))
    plan = loaded.plan
    LANG[0] = language(lang, plan.lang)
    objectives = plan.objective_index()
    parent = None
    if parent_id is not None:
        from feuille.cli.update import find_item

        parent = find_item(loaded, parent_id)
        if not isinstance(parent, Objective):
            fail(say("'{parent_id}' is an action: actions and objectives go in an objective.", parent_id=parent_id),
                 say("Give --in with an objective's id."))
    elif kind == "action":
        fail(say('an action goes in an objective: give --in ID.'), say('Example: ') + "feuille new action --in O4 --title \"...\"")
    ask_all = interactive or title is None
    try:
        if title is None:
            sys.stdout.write(f"Nouvel{'le action' if kind == 'action' else ' objectif'}{' dans ' + parent.id + ' « ' + parent.title + ' »' if parent else ''} — Entrée laisse un champ vide.\n")
            while not title:
                title = typer.prompt("  intitulé").strip()
        data: dict[str, Any] = {}
        owners = [person(plan, p, "responsable politique") for p in political_owner or []]
        admin = person(plan, admin_owner, "responsable administratif") if admin_owner else None
        svc = service(plan, service_) if service_ else None
        start = parse_user_date(planned_start, "le début prévu", day) if planned_start else None
        end = parse_user_date(planned_end, "l'échéance", day) if planned_end else None
        if ask_all:
            if not owners:
                owners = _ask("responsable(s) politique(s) (id ou nom, séparés par des virgules)",
                              lambda a: [person(plan, p, "responsable politique") for p in a.split(",") if p.strip()]) or []
            admin = admin or _ask("responsable administratif (id ou nom)", lambda a: person(plan, a, "responsable administratif"))
            svc = svc or _ask("service pilote (id ou nom)", lambda a: service(plan, a))
            start = start or _ask("début prévu (JJ/MM/AAAA)", lambda a: parse_user_date(a, "le début prévu", day))
            end = end or _ask("échéance (JJ/MM/AAAA)", lambda a: parse_user_date(a, "l'échéance", day))
        st = parse_choice(status, Status, "statut") if status else "not_started"
        from feuille.core.model import Volet

        vol = parse_choice(volet, Volet, "volet") if volet else None
    except (typer.Abort, KeyboardInterrupt, EOFError):
        fail(say('interrupted: nothing was written.'))
    except InputError as exc:
        fail(exc.message, exc.hint, code=exc.code)
    # the id: next in the plan's sequence, never one used on any branch
    taken = {o for o in objectives} | {a.id for a, _o in plan.actions()} | ids_on_branches(plan.root)
    if ident is None:
        if kind == "action":
            siblings = [a.id for a in parent.actions]
            cousins = [(o.id, [a.id for a in o.actions]) for o in objectives.values() if o.actions]
        else:
            siblings = [o.id for o in (parent.objectives if parent else plan.objectives)]
            cousins = [(o.id, [c.id for c in o.objectives]) for o in objectives.values() if o.objectives]
        ident = next_id(siblings, parent, cousins, taken)
    elif ident in taken:
        fail(say("the id '{ident}' is already taken (in the plan or on a branch of the repository).", ident=ident),
             say('Drop --id: feuille takes the next free one.'))
    data = {"id": ident, "title": title.strip()}
    if description:
        data["description"] = description.strip()
    if owners:
        data["political_owners"] = owners
    if admin:
        data["admin_owner"] = admin
    if svc:
        data["service"] = svc
    if start:
        data["planned_start"] = start
    if end:
        data["planned_end"] = end
    if vol:
        data["volet"] = vol
    if kind == "action":
        data["status"] = st
    model = Action if kind == "action" else Objective
    from pydantic import ValidationError

    try:
        model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        fail(msg("{id}: value refused for '{field}' ({reason}); nothing was written.", id=ident, field=".".join(map(str, err["loc"])), reason=err["msg"]))
    try:
        edit = place(plan, kind, parent, data)
    except EditError as exc:
        fail(exc.msg)
    # a new item is incomplete by nature: what only more data about it can fix (a volet, a progress, FTE) is
    # said as « à compléter » and does not stop it; any other new error (a level too deep...) does
    later: list[Any] = []
    written = write_edits(loaded, [edit], day, ident=ident, dry_run=dry_run, tolerate=lambda d: d.obj_id == ident and d.code in COMPLETE_LATER,
                          tolerated=later)
    what = "action" if kind == "action" else "objectif"
    if written:
        new = say("{id} '{title}': new action in {file}.", id=ident, title=data["title"], file=edit.shown) if kind == "action" else \
            say("{id} '{title}': new objective in {file}.", id=ident, title=data["title"], file=edit.shown)
        sys.stdout.write(new + "\n")
        if commit:
            git_commit(plan.root, [edit.path], f"{ident} : nouvel{'le' if kind == 'action' else ''} {what} « {data['title']} »"
                       + (f" dans {parent.id}" if parent else ""))
    if written and later:
        raise typer.Exit(FINDINGS)  # written, and the plan has errors to complete (exit 1, as lint would say)
    finish([loaded])
