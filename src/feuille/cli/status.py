"""``feuille status``: where the plan stands, what a service head runs in a terminal."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.app.history import Purpose
from feuille.cli import options as opt
from feuille.cli._app import app, run_of
from feuille.cli.outcome import fail, finish, note
from feuille.cli.quick import remembers
from feuille.core.i18n import msg


@app.command()
@remembers("status")
def status(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(metavar="[PLAN]...", help="Le dossier du plan (ou ceux de plusieurs plans) ; plusieurs plans donnent aussi leur total (Ville + CPAS). Par défaut : le plan du dossier courant.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : text, markdown, json ou csv.")] = "text",
    owner: opt.OwnerOpt = None,
    service: opt.ServiceOpt = None,
    objective: opt.ObjectiveOpt = None,
    status_: opt.StatusOpt = None,
    tag: opt.TagOpt = None,
    late: opt.LateOpt = False,
    due_within: opt.DueOpt = None,
    depth: Annotated[int | None, typer.Option("--depth", metavar="N", help="Profondeur d'objectifs affichée (1 = objectifs de premier niveau).", min=1, max=100)] = None,
    trend: Annotated[bool, typer.Option("--trend", help="Ajouter la tendance de chaque objectif (en hausse, stable, en baisse) d'après l'historique git.")] = False,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Avec --trend : depuis cette date (par défaut : la dernière validation, sinon un an).")] = None,
    every: Annotated[str, typer.Option("--every", metavar="PAS", help="Avec --trend : un point par month (mois) ou quarter (trimestre).")] = "month",
    rev: opt.RevOpt = None,
    as_of: opt.AsOfOpt = None,
    lang: opt.LangOpt = None,
    no_cache: opt.NoCacheOpt = False,
    color: opt.ColorOpt = "auto",
    wide: opt.WideOpt = False,
) -> None:
    """Où en est le plan : avancement par objectif, retards, échéances, budget.

    Si le plan a des erreurs, elles sont annoncées en tête avec ce qui manque, et le code de sortie est 1.

    Exemple : feuille status plans/la-louviere --owner asabbatini
    """
    from feuille.app.status import Filters, trend_start
    from feuille.app.status import rollups as rollups_of
    from feuille.views import status as view
    from feuille.views.notice import notice_lines

    if fmt not in view.FORMATS:
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(view.FORMATS)))
    run = run_of(ctx)
    day = opt.parse_date(as_of, "--as-of", run.today)
    start = trend_start(trend, fmt, rev, every, since, day, run.today)
    loaded = [x for p in (paths or [None]) for x in opt.load_plans(run, p, command="status", many=True, as_of=day, rev=rev, rules="errors",
                                                                             purpose=Purpose.SHOW)]
    rollups = rollups_of(run, loaded, Filters(owner, service, objective, status_, tag, late, due_within), day)  # (each plan's validation set)
    lang_ = run.speak(loaded[0].plan.lang)
    trends = None
    if trend:  # app/trend.py: from the commit history, else the plan's dated data
        from feuille.app.trend import trend_of

        trends = [trend_of(run, x, start, every, day) for x in loaded]
    by_plan = {id(x.plan): x for x in loaded}

    def fmt_of(rollup):
        return opt.formatter(by_plan[id(rollup.plan)], lang_)

    notices = [notice_lines(x, fmt_of(r)) for x, r in zip(loaded, rollups, strict=True)]
    # the filters as the user typed them (« --owner Sabbatini, --late »): the same in both languages, never « late = True »
    described = ", ".join(f"--{k}" if v is True else f"--{k} {v}" for k, v in (("owner", owner), ("service", service), ("objective", objective),
                                                                              ("status", status_), ("tag", tag), ("late", late or None),
                                                                              ("due-within", due_within)) if v is not None) or None
    if fmt == "json":
        sys.stdout.write(view.to_json(rollups, loaded, [x.plan.meta.settings.due_soon_days if x.plan.meta else 30 for x in loaded], trends))
    elif fmt == "csv":
        opt.write_bytes(view.to_csv(rollups, lang_))
        for x in loaded:
            for line in notice_lines(x, opt.formatter(x, lang_)):
                note(line, lang_, run.width)
    elif fmt == "markdown":
        sys.stdout.write(view.markdown(rollups, fmt_of, notices, depth, described, trends))
    else:
        opt.print_styled(view.text_lines(rollups, fmt_of, notices, depth, described, run.width), run)
        if trends is not None:
            from feuille.views.trend import text_lines

            opt.print_styled([line for t, r in zip(trends, rollups, strict=True) for line in text_lines(t, fmt_of(r))], run)
    finish(loaded)
