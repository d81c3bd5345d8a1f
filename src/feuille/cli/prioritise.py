"""``feuille prioritise``: rank objectives and actions by stake, urgency and return on investment."""

import sys
from typing import Annotated

import typer

from feuille.app.history import Purpose
from feuille.cli._app import app
from feuille.cli.options import (
    AsOfOpt,
    ColorOpt,
    DueOpt,
    LangOpt,
    LateOpt,
    NoCacheOpt,
    ObjectiveOpt,
    OwnerOpt,
    PlanArg,
    RevOpt,
    Run,
    ServiceOpt,
    StatusOpt,
    TagOpt,
    WideOpt,
    echo,
    formatter,
    load_plans,
    parse_date,
    print_styled,
    run_of,
    write_bytes,
)
from feuille.cli.outcome import FINDINGS, fail, finish, note, said_in
from feuille.core.i18n import msg, msgn
from feuille.core.shell import shell_arg


@app.command()
def prioritise(
    ctx: typer.Context,
    path: PlanArg = None,
    level: Annotated[str, typer.Option("--level", metavar="NIVEAU", help="Classer les actions ou les objectifs : actions ou objectives.")] = "actions",
    method: Annotated[str | None, typer.Option("--method", metavar="MÉTHODE", help="weighted (somme pondérée), matrix (enjeu × urgence) ou wsjf (valeur / coût) ; par défaut celle du plan.")] = None,
    weights: Annotated[str | None, typer.Option("--weights", metavar="POIDS", help="Poids, par exemple stake=2,urgency=1,roi=1 (par défaut ceux du plan).")] = None,
    top_n: Annotated[int | None, typer.Option("--top", metavar="N", help="Seulement les N premiers.", min=1)] = None,
    explain: Annotated[str | None, typer.Option("--explain", metavar="ID", help="Pourquoi cet élément est à ce rang, et ce qui le ferait bouger.")] = None,
    mark_priority: Annotated[int | None, typer.Option("--mark-priority", metavar="N", help="Écrire « priority: rang » pour les N premiers (et le retirer des autres).", min=0)] = None,
    mark_above: Annotated[float | None, typer.Option("--mark-above", metavar="TOTAL", help="Écrire « priority » pour ceux dont le total atteint ce seuil.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Avec --mark-*, montrer les modifications sans rien écrire.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : text, markdown, json ou csv.")] = "text",
    owner: OwnerOpt = None,
    service: ServiceOpt = None,
    objective: ObjectiveOpt = None,
    status_: StatusOpt = None,
    tag: TagOpt = None,
    late: LateOpt = False,
    due_within: DueOpt = None,
    rev: RevOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = "auto",
    wide: WideOpt = False,
) -> None:
    """Classer objectifs et actions par enjeu, urgence et retour sur investissement.

    Exemple : feuille prioritise plans/la-louviere --weights stake=2,urgency=1,roi=1 --top 10
    """
    from feuille.app.prioritise import parse_weights, rank
    from feuille.app.select import Filters, build
    from feuille.views import ranking as view
    from feuille.views.notice import notice_lines

    if fmt not in view.FORMATS:
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(view.FORMATS)))
    writing = mark_priority is not None or mark_above is not None
    if writing and rev is not None:
        fail(msg("--mark-priority and --mark-above write into the plan's files: not possible with --rev, which reads a past revision."),
             msg("Remove --rev to write into the plan as it is on disk."))
    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    [loaded] = load_plans(run, path, command="prioritise", many=False, as_of=day, rev=rev, rules="all" if writing else "errors",
                          purpose=Purpose.CHECK if writing else Purpose.SHOW)  # marking writes today's files
    plan = loaded.plan
    lang_ = run.speak(plan.lang)
    formatter_ = formatter(loaded, lang_)
    meta = plan.meta
    with said_in(lang_):  # a filter or a weight that cannot be used
        keep = build(plan, Filters(owner, service, objective, status_, tag, late, due_within), day)
        defaults = dict(meta.priorities.weights) if meta else {"stake": 1.0, "urgency": 1.0, "roi": 1.0}  # (not model_dump: no serializer to build)
        ranking = rank(plan, day, level=level, method=method, weights=parse_weights(weights, defaults), keep=keep)
    notice = notice_lines(loaded, formatter_)
    if explain is not None:
        lines = view.explain_lines(ranking, explain, formatter_)
        if lines is None:
            fail(msg("'{id}' is not among the {level} ranked (level --level {level}, done or cancelled actions left out).", id=explain, level=ranking.level))
        print_styled([("bold red", line) for line in notice] + lines, run)
        finish([loaded])
    if writing:
        _mark(loaded, ranking, mark_priority, mark_above, dry_run, lang_, run)
        finish([loaded])
    if fmt == "json":
        sys.stdout.write(view.to_json(ranking, top_n))
    elif fmt == "csv":
        write_bytes(view.to_csv(ranking, top_n, lang_))
    elif fmt == "markdown":
        sys.stdout.write("".join(f"> **{line}**\n" for line in notice) + ("\n" if notice else "") + view.markdown(ranking, formatter_, top_n))
    else:
        print_styled([("bold red", line) for line in notice] + view.text_lines(ranking, formatter_, top_n, width=run.width), run)
    if fmt in ("json", "csv"):
        for line in notice:
            note(line, lang_, run.width)
    finish([loaded])


def _mark(loaded, ranking, mark_priority: int | None, mark_above: float | None, dry_run: bool, lang: str, run: Run) -> None:
    """Write ``priority: rank`` into the files of the chosen items (and remove it from the others)."""
    from feuille.views.notice import error_summary

    plan = loaded.plan
    if loaded.errors:
        fail(msgn("the plan has {n} error: fix it before writing (feuille lint {root}).", "the plan has {n} errors: fix them before writing (feuille lint {root}).",
                  loaded.errors, root=shell_arg(plan.root)),
             "\n  ".join(error_summary(loaded, lang)), code=FINDINGS)
    chosen = ranking.top(mark_priority) if mark_priority is not None else [s for s in ranking.ranked if (s.total or 0) >= (mark_above or 0)]
    ranks = {s.item.id: s.rank for s in chosen}
    # through the write service, as a machine's change: no review date, the same check, diff and transaction as any write
    from feuille.app import write as writes
    from feuille.views import write as view

    changes = [writes.ItemChange(s.item.id, {"priority": ranks.get(s.item.id)}, auto=False)
               for s in [*ranking.ranked, *ranking.unranked] if s.item.priority != ranks.get(s.item.id)]
    planned = writes.prepare(loaded, changes, day=ranking.as_of, by_person=False)
    if planned.refused:
        message, hint, code = view.refusal(planned, lang, "--mark-priority")
        fail(message, hint, code=code)
    if planned.edits:
        echo(planned.diff(), run, cut=True)
    else:
        echo(msg("No change: the priorities are already up to date.")(lang) + "\n", run)
    if planned.edits and not dry_run:
        writes.commit(planned)
        echo(msg("{ranks} in {files}.", ranks=msgn("{n} priority rank recorded", "{n} priority ranks recorded", len(chosen)),
                 files=msgn("{n} file", "{n} files", len(planned.edits)))(lang) + "\n", run)
    elif planned.edits:
        echo(msg("Dry run (--dry-run): nothing was written.\n")(lang), run)
