"""``feuille show``: everything about one objective or action, and how each figure was computed."""

from typing import Annotated

import typer

from feuille.app.history import Purpose
from feuille.cli._app import app
from feuille.cli.options import AsOfOpt, ColorOpt, LangOpt, NoCacheOpt, PlanOpt, RevOpt, WideOpt, formatter, load_plans, parse_date, print_styled, run_of
from feuille.cli.outcome import fail, finish
from feuille.core.i18n import Msg, translator


@app.command()
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="Identifiant d'un objectif, d'une action, d'une sous-action, d'un volet ou d'un indicateur (ou l'intitulé de l'indicateur).")],
    path: PlanOpt = None,
    rev: RevOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = "auto",
    wide: WideOpt = False,
) -> None:
    """Tout sur un objectif, une action, une sous-action, un volet ou un indicateur : champs, avancement calculé et comment, météo, budget, indicateurs.

    Exemple : feuille show A1.4 --plan plans/la-louviere
    """
    from feuille.app.select import closest, match_id
    from feuille.app.status import compute
    from feuille.views.notice import notice_lines
    from feuille.views.show import ShowError, lines

    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    loaded = load_plans(run, path, command="show", many=True, as_of=day, rev=rev, rules="errors", purpose=Purpose.SHOW)
    for x in loaded:
        fmt = formatter(x, run.speak(x.plan.lang))
        ids = _titles(x.plan)
        try:
            out = lines(x.plan, compute(x.plan, day), match_id(ident, ids) or ident, fmt)  # « a1.4 » is A1.4
        except ShowError:  # not in this plan: the next one
            continue
        print_styled([("bold red", line) for line in notice_lines(x, fmt)] + out, run)
        finish([x])
    known = {}
    for x in loaded:
        known.update(_titles(x.plan))
        known.update({p.indicator.id: p.indicator.label for p in x.plan.indicators() if p.indicator.id})
    near = closest(ident, known)
    missing = [line for x in loaded for line in notice_lines(x, formatter(x, run.speak(x.plan.lang)))]
    _ = translator(run.said)
    hint = _("Closest: {names}.").format(names=near) if near else _("Check the id (feuille status shows it).")
    if missing:
        hint += "\n  " + "\n  ".join(missing)
    where = ", ".join(x.source.label(run.said) if isinstance(x.source.label, Msg) else str(x.source.label) for x in loaded)
    fail(_("no objective or action '{id}' in {where}.").format(id=ident, where=where), hint)


def _titles(plan) -> dict[str, str]:
    """Id -> title of everything ``show`` shows: objectives, actions, sub-actions, the strands of plan.yaml."""
    out = {o.id: o.title for o, _p, _d in plan.walk()}
    out.update({a.id: a.title for a, _o in plan.actions()})
    out.update({s.id: s.title for s, _a, _o in plan.sub_actions()})
    out.update({v.ident: v.title or v.ident for v in plan.volets})
    return out
