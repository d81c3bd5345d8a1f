"""``feuille prioritise``: rank objectives and actions by stake, urgency and return on investment."""

import sys
from typing import Annotated

import typer

from feuille.app.history import Purpose
from feuille.cli import options as opt
from feuille.cli._app import app
from feuille.cli.outcome import fail, finish, note
from feuille.core.i18n import msg, msgn


@app.command()
def prioritise(
    ctx: typer.Context,
    path: opt.PlanArg = None,
    level: Annotated[str, typer.Option("--level", metavar="NIVEAU", help="Classer les actions ou les objectifs : actions ou objectives.")] = "actions",
    method: Annotated[str | None, typer.Option("--method", metavar="MÉTHODE", help="weighted (somme pondérée), matrix (enjeu × urgence) ou wsjf (valeur / coût) ; par défaut celle du plan.")] = None,
    weights: Annotated[str | None, typer.Option("--weights", metavar="POIDS", help="Poids, par exemple stake=2,urgency=1,roi=1 (par défaut ceux du plan).")] = None,
    top_n: Annotated[int | None, typer.Option("--top", metavar="N", help="Seulement les N premiers.", min=1)] = None,
    explain: Annotated[str | None, typer.Option("--explain", metavar="ID", help="Pourquoi cet élément est à ce rang, et ce qui le ferait bouger.")] = None,
    mark_priority: Annotated[int | None, typer.Option("--mark-priority", metavar="N", help="Écrire « priority: rang » pour les N premiers (et le retirer des autres).", min=0)] = None,
    mark_above: Annotated[float | None, typer.Option("--mark-above", metavar="TOTAL", help="Écrire « priority » pour ceux dont le total atteint ce seuil.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Avec --mark-*, montrer les modifications sans rien écrire.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : text, markdown, json ou csv.")] = "text",
    owner: opt.OwnerOpt = None,
    service: opt.ServiceOpt = None,
    objective: opt.ObjectiveOpt = None,
    status_: opt.StatusOpt = None,
    tag: opt.TagOpt = None,
    late: opt.LateOpt = False,
    due_within: opt.DueOpt = None,
    rev: opt.RevOpt = None,
    as_of: opt.AsOfOpt = None,
    lang: opt.LangOpt = None,
    no_cache: opt.NoCacheOpt = False,
    color: opt.ColorOpt = "auto",
    wide: opt.WideOpt = False,
) -> None:
    """Classer objectifs et actions par enjeu, urgence et retour sur investissement.

    Exemple : feuille prioritise plans/la-louviere --weights stake=2,urgency=1,roi=1 --top 10
    """
    from feuille.app import prioritise as priorities
    from feuille.app.status import Filters
    from feuille.views import ranking as view
    from feuille.views.notice import notice_lines

    if fmt not in view.FORMATS:
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(view.FORMATS)))
    writing = mark_priority is not None or mark_above is not None
    priorities.check_marks(writing, rev)
    run = opt.run_of(ctx)
    day = opt.parse_date(as_of, "--as-of", run.today)
    [loaded] = opt.load_plans(run, path, command="prioritise", many=False, as_of=day, rev=rev, rules="all" if writing else "errors",
                              purpose=Purpose.CHECK if writing else Purpose.SHOW)  # marking writes today's files
    lang_ = run.speak(loaded.plan.lang)
    formatter_ = opt.formatter(loaded, lang_)
    ranking = priorities.ranking(loaded.plan, day, Filters(owner, service, objective, status_, tag, late, due_within), level=level, method=method,
                                 weights=weights, lang=lang_)
    notice = notice_lines(loaded, formatter_)
    if explain is not None:
        lines = view.explain_lines(ranking, explain, formatter_)
        if lines is None:
            fail(msg("'{id}' is not among the {level} ranked (level --level {level}, done or cancelled actions left out).", id=explain, level=ranking.level))
        opt.print_styled([("bold red", line) for line in notice] + lines, run)
    elif writing:
        _mark(loaded, ranking, mark_priority, mark_above, dry_run, lang_, run)
    elif fmt == "json":
        sys.stdout.write(view.to_json(ranking, top_n))
    elif fmt == "csv":
        opt.write_bytes(view.to_csv(ranking, top_n, lang_))
    elif fmt == "markdown":
        sys.stdout.write("".join(f"> **{line}**\n" for line in notice) + ("\n" if notice else "") + view.markdown(ranking, formatter_, top_n))
    else:
        opt.print_styled([("bold red", line) for line in notice] + view.text_lines(ranking, formatter_, top_n, width=run.width), run)
    if fmt in ("json", "csv") and explain is None and not writing:
        for line in notice:
            note(line, lang_, run.width)
    finish([loaded])  # 1 if the plan has errors (marks written: they added none)


def _mark(loaded, ranking, mark_priority: int | None, mark_above: float | None, dry_run: bool, lang: str, run: opt.Run) -> None:
    """Write ``priority: rank`` into the files of the chosen items (and remove it from the others), through the write
    service: refused only when it would add an error, as every write."""
    from feuille.app import prioritise as priorities
    from feuille.app.write import commit
    from feuille.views import write as view

    chosen, planned = priorities.marks(loaded, ranking, mark_priority, mark_above)
    if planned.refused:
        message, hint, code = view.refusal(planned, lang, "--mark-priority")
        fail(message, hint, code=code)
    opt.echo(planned.diff() if planned.edits else msg("No change: the priorities are already up to date.")(lang) + "\n", run, cut=bool(planned.edits))
    if planned.edits and not dry_run:
        commit(planned)
        opt.echo(msg("{ranks} in {files}.", ranks=msgn("{n} priority rank recorded", "{n} priority ranks recorded", chosen),
                     files=msgn("{n} file", "{n} files", len(planned.edits)))(lang) + "\n", run)
    elif planned.edits:
        opt.echo(msg("Dry run (--dry-run): nothing was written.\n")(lang), run)
