"""``feuille review``: the round a service head does before the college meeting.

It walks through one person's (or service's) actions that are late, due soon or not reviewed
for ``stale_after_days``, one by one: what the dashboard says, what changed (the questions of
``feuille update``), written at once with ``last_reviewed``.  Stopped (« q », Ctrl-C), it resumes
where it was: an action reviewed today is not asked again.
"""

from typing import Annotated

import typer

from feuille.app.review import interrupted, listing, split_reviewed, to_review
from feuille.cli._app import app
from feuille.cli.options import AsOfOpt, LangOpt, NoCacheOpt, OwnerOpt, PlanOpt, ServiceOpt, WideOpt, echo, load_plans, parse_date, run_of
from feuille.cli.outcome import fail, finish
from feuille.core.i18n import msg
from feuille.core.shell import shell_arg


@app.command()
def review(
    ctx: typer.Context,
    owner: OwnerOpt = None,
    service: ServiceOpt = None,
    non_interactive: Annotated[bool, typer.Option("--non-interactive", help="Seulement la liste de ce qui demande un regard (pour un e-mail).")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commiter chaque action mise à jour (aucun hook ne tourne).")] = False,
    path: PlanOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    wide: WideOpt = False,
) -> None:
    """La revue avant le collège : les actions en retard, proches de l'échéance ou non revues, une à une.

    Exemple : feuille review --owner Vanhove
    """
    from feuille.app import write as writes
    from feuille.app.update import build_change, show_value
    from feuille.app.values import InputError, day_text, say, say_n, set_write_lang, write_lang
    from feuille.cli.interactive import ask_update, prompt, yes
    from feuille.cli.update import apply_update
    from feuille.views import write as view

    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    set_write_lang(run.said)
    if not owner and not service:
        fail(say('say whose review it is: --owner PERSON or --service SERVICE.'),
             say('Example: ') + "feuille review --owner Vanhove")
    loaded = load_plans(run, path, command="review", many=False, as_of=day)[0]
    if loaded.fatal:
        fail(msg("no readable plan in {root} (plan.yaml missing).", root=loaded.plan.root), msg("Run the command from the plan's folder, or give --plan FOLDER."))
    set_write_lang(run.speak(loaded.plan.lang))
    items = to_review(loaded, day, owner, service)
    who = owner or service
    if non_interactive:
        command = f"feuille review --owner {shell_arg(who)}" if owner else f"feuille review --service {shell_arg(who)}"
        echo("".join(line + "\n" for line in listing(items, day, who, command)), run)
        finish([loaded])
    todo, already = split_reviewed(items, day)
    if already:
        echo(say_n("{n} action already reviewed today: resuming where it stopped.\n", "{n} actions already reviewed today: resuming where it stopped.\n", len(already)), run)
    if not todo:
        echo(say("Nothing to review for {who} on {day}.", who=who, day=day_text(day)) + "\n", run)
        finish([loaded])
    done: list[str] = []
    try:
        for n, (a, why) in enumerate(todo, 1):
            loaded = load_plans(run, path, command="review", many=False, as_of=day)[0]  # the files written just before
            item = loaded.plan.action_index()[a.id][0]
            echo(f"\n[{n}/{len(todo)}] " + say("{id} '{title}'", id=item.id, title=item.title) + " — " + say("; ").join(why) + "\n"
                 + say('  status {value}, progress {value2}, deadline {value3}, health {value4}\n', value=show_value('status', item.status), value2=show_value('progress', item.progress), value3=show_value('planned_end', item.planned_end), value4=show_value('health', item.health)), run)
            choice = prompt(say('  Enter: update; s: skip; q: quit'), default="", show_default=False).strip().lower()
            if choice in ("q", "quitter", "arrêter", "quit"):
                break
            if choice in ("p", "passer", "s", "skip"):
                continue
            while True:
                values, reason, _r = ask_update(loaded.plan, item, day, {}, None, ask_reviewed=False, run=run)
                try:
                    change = build_change(loaded.plan, item, values, day, reason=reason, reviewed=True)
                except InputError as exc:
                    echo(f"  ✗ {exc.message} {exc.hint}\n", run)
                    change = None
                planned = writes.prepare(loaded, [change], day=day) if change is not None else None
                if planned is not None and not (planned.refused and all(r.kind == "input" for r in planned.refusals)):
                    break
                if planned is not None:
                    message, hint, _code = view.refusal(planned, write_lang())
                    echo(f"  ✗ {message} {hint}\n", run)
                if not yes(say('  Start this action again?'), run=run):
                    planned = None
                    break
            said = apply_update(loaded, change, day, dry_run=False, commit=commit, confirm=True, planned=planned, run=run) if planned is not None else None
            if said:
                done.append(said)
    except (typer.Abort, KeyboardInterrupt, EOFError):  # as an interrupted update: on stderr, exit 2 (what was written is shown above)
        fail(interrupted(len(done)))
    left = len(todo) - len(done)
    if left:
        echo("\n" + say("Review of {who}: {updated}, {left}.", who=who, updated=say_n("{n} action updated", "{n} actions updated", len(done)),
                              left=say_n("{n} left", "{n} left", left)) + "\n", run)
    else:
        echo("\n" + say("Review of {who}: {updated}.", who=who, updated=say_n("{n} action updated", "{n} actions updated", len(done))) + "\n", run)
    for line in done:
        echo(f"  {line}\n", run)
    finish([loaded])
