"""``feuille review``: the round a service head does before the college meeting.

It walks through one person's (or service's) actions that are late, due soon or not reviewed
for ``stale_after_days``, one by one: what the dashboard says, what changed (the questions of
``feuille update``), written at once with ``last_reviewed``.  Stopped (« q », Ctrl-C), it resumes
where it was: an action reviewed today is not asked again.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Any

import typer

from feuille.cli._app import app
from feuille.cli.options import AsOfOpt, NoCacheOpt, OwnerOpt, PlanOpt, ServiceOpt, load_plans, parse_date
from feuille.cli.outcome import fail, finish


def to_review(loaded: Any, day: dt.date, owner: str | None, service: str | None) -> list[tuple[Any, list[str]]]:
    """[(action, why)] in deadline order: late, due soon, not reviewed; done and cancelled actions are left out."""
    from feuille.compute.filters import FilterError, Filters, build

    plan = loaded.plan
    try:
        keep = build(plan, Filters(owner=owner, service=service), day)
    except FilterError as exc:
        fail(str(exc), "Donnez un identifiant ou un nom de people.yaml (feuille status --owner le montre).")
    settings = plan.meta.settings if plan.meta else None
    soon = settings.due_soon_days if settings else 30
    stale = settings.stale_after_days if settings else 180
    out = []
    for a, o in plan.actions():
        if keep is not None and not keep(a, o):
            continue
        if a.status.value in ("done", "cancelled"):
            continue
        why = []
        if a.planned_end is not None and a.planned_end < day:
            why.append(f"en retard depuis le {a.planned_end.strftime('%d/%m/%Y')}")
        elif a.planned_end is not None and (a.planned_end - day).days <= soon:
            why.append(f"échéance le {a.planned_end.strftime('%d/%m/%Y')} (dans {(a.planned_end - day).days} jours)")
        if a.last_reviewed is None:
            why.append("jamais revue")
        elif (day - a.last_reviewed).days > stale:
            why.append(f"non revue depuis le {a.last_reviewed.strftime('%d/%m/%Y')}")
        if why:
            out.append((a, why))
    out.sort(key=lambda x: (x[0].planned_end or dt.date.max, x[0].id))
    return out


@app.command()
def review(
    owner: OwnerOpt = None,
    service: ServiceOpt = None,
    non_interactive: Annotated[bool, typer.Option("--non-interactive", help="Seulement la liste de ce qui demande un regard (pour un e-mail).")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commiter chaque action mise à jour (aucun hook ne tourne).")] = False,
    path: PlanOpt = None,
    as_of: AsOfOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """La revue avant le collège : les actions en retard, proches de l'échéance ou non revues, une à une.

    Exemple : feuille review --owner Vanhove
    """
    from feuille.cli._write import InputError
    from feuille.cli.interactive import ask_update, yes
    from feuille.cli.update import apply_update, build_changes, show_value

    day = parse_date(as_of, "--as-of")
    if not owner and not service:
        fail("dites de qui est la revue : --owner PERSONNE ou --service SERVICE.", "Exemple : feuille review --owner Vanhove")
    loaded = load_plans(path, command="review", many=False, as_of=day, no_cache=no_cache)[0]
    if loaded.fatal:
        fail(f"pas de plan lisible dans {loaded.plan.root} (plan.yaml manquant).", "Lancez la commande depuis le dossier du plan, ou donnez --plan DOSSIER.")
    items = to_review(loaded, day, owner, service)
    who = owner or service
    if non_interactive:
        if not items:
            sys.stdout.write(f"Rien à revoir pour {who} au {day.strftime('%d/%m/%Y')}.\n")
        else:
            sys.stdout.write(f"{len(items)} action(s) à revoir pour {who} au {day.strftime('%d/%m/%Y')} :\n")
            for a, why in items:
                sys.stdout.write(f"  {a.id} « {a.title} » — {' ; '.join(why)}\n")
            sys.stdout.write(f"Pour les mettre à jour : feuille review --owner {who}\n" if owner else f"Pour les mettre à jour : feuille review --service {who}\n")
        finish([loaded])
    already = [a for a, _w in items if a.last_reviewed == day]
    todo = [(a, w) for a, w in items if a.last_reviewed != day]
    if already:
        sys.stdout.write(f"{len(already)} action(s) déjà revue(s) aujourd'hui : on reprend où l'on en était.\n")
    if not todo:
        sys.stdout.write(f"Rien à revoir pour {who} au {day.strftime('%d/%m/%Y')}.\n")
        finish([loaded])
    done: list[str] = []
    try:
        for n, (a, why) in enumerate(todo, 1):
            loaded = load_plans(path, command="review", many=False, as_of=day, no_cache=no_cache)[0]  # the files written just before
            item = loaded.plan.action_index()[a.id][0]
            sys.stdout.write(f"\n[{n}/{len(todo)}] {item.id} « {item.title} » — {' ; '.join(why)}\n"
                             f"  statut {show_value('status', item.status)}, avancement {show_value('progress', item.progress)}, "
                             f"échéance {show_value('planned_end', item.planned_end)}, santé {show_value('health', item.health)}\n")
            choice = typer.prompt("  Entrée : mettre à jour ; p : passer ; q : arrêter", default="", show_default=False).strip().lower()
            if choice in ("q", "quitter", "arrêter"):
                break
            if choice in ("p", "passer"):
                continue
            while True:
                values, reason, _r = ask_update(loaded.plan, item, day, {}, None, ask_reviewed=False)
                try:
                    changes, words = build_changes(loaded.plan, item, values, day, reason=reason, reviewed=True)
                    break
                except InputError as exc:
                    sys.stdout.write(f"  ✗ {exc.message} {exc.hint}\n")
                    if not yes("  Reprendre cette action ?"):
                        changes, words = [], []
                        break
            if changes and apply_update(loaded, item, changes, words, day, dry_run=False, commit=commit, confirm=True):
                done.append(f"{item.id} : " + ", ".join(words))
    except (typer.Abort, KeyboardInterrupt, EOFError):
        sys.stdout.write("\nInterrompu : l'action en cours n'a pas été écrite ; les précédentes le sont. "
                         "Relancez la même commande pour reprendre.\n")
    left = len(todo) - len(done)
    sys.stdout.write(f"\nRevue de {who} : {len(done)} action(s) mise(s) à jour" + (f", {left} restante(s)" if left else "") + ".\n")
    for line in done:
        sys.stdout.write(f"  {line}\n")
    finish([loaded])
