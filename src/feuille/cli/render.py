"""``feuille render`` and ``feuille report``: the published site and the reports (app/report.py makes them)."""

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from feuille.app.history import Purpose
from feuille.cli import options as opt
from feuille.cli._app import app
from feuille.cli.outcome import fail, finish
from feuille.core.i18n import msg

TemplatesOpt = Annotated[Path | None, typer.Option("--templates", metavar="DOSSIER", help="Dossier de gabarits du plan (par défaut PLAN/templates).")]


@app.command()
def render(
    ctx: typer.Context,
    path: opt.PlanArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DOSSIER", help="Dossier où écrire le site.")] = Path("site"),
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="html (site statique) ou md (Markdown).")] = "html",
    templates: TemplatesOpt = None,
    audience: opt.AudienceOpt = None,
    allow_errors: opt.AllowErrorsOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Écrire dans un dossier non vide que feuille n'a pas créé (les fichiers existants sont gardés, sauf ceux du même nom qu'une page).")] = False,
    rev: opt.RevOpt = None,
    as_of: opt.AsOfOpt = None,
    lang: opt.LangOpt = None,
    no_cache: opt.NoCacheOpt = False,
    trend: Annotated[bool, typer.Option("--trend/--no-trend", help="Les courbes d'avancement dans le temps (par défaut) ; --no-trend les omet (plus rapide sur un long historique).")] = True,
    wide: opt.WideOpt = False,
) -> None:
    """Publier le plan : tableau de bord, pages par objectif, action, responsable et thème, priorités.

    Refuse un plan qui a des erreurs (sauf --allow-errors : chaque page dit alors ce qui manque).
    Le site fonctionne sans JavaScript, depuis un disque ou un serveur web, et s'imprime en A4.
    Même plan et même --as-of : mêmes fichiers, octet pour octet.

    Exemple : feuille render plans/la-louviere --out site/ --as-of 2026-12-31
    """
    from feuille.app import publish, report

    started = time.time_ns()  # the plan's files as read from now on: one changed since is never trusted on its stat
    if fmt not in report.SITE_FORMATS:  # before the plan is read, as every command refuses a format (not a template's problem)
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(report.SITE_FORMATS)))
    run = opt.run_of(ctx)
    day = opt.parse_date(as_of, "--as-of", run.today)
    [loaded] = opt.load_plans(run, path, command="render", many=False, as_of=day, rev=rev, purpose=Purpose.SHOW)
    lang_ = run.speak(loaded.plan.lang)
    who = publish.audience(audience or "public", lang_)
    notice = opt.publishable(loaded, lang_, allow_errors, msg("rendering refused"), named=who.value == "internal", width=run.width)
    _written, said = report.render_site(run, loaded, fmt, out, templates, who, notice, day, lang_, trend=trend, force=force,
                                         started_ns=started)
    opt.echo("".join(line + "\n" for line in said), run)
    finish([loaded])


@app.command()
def report(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="TYPE", help="annual (évaluation annuelle), midterm (évaluation à mi-parcours) ou term (bilan de législature).")],
    path: opt.PlanOpt = None,
    year: Annotated[int | None, typer.Option("--year", metavar="ANNÉE", help="Année évaluée (rapport annual).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="html, md ou docx (document modifiable pour Word et LibreOffice, rapports annual et midterm, avec --output).")] = "html",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FICHIER", help="Fichier à écrire (indispensable en html et docx sur un terminal ; sinon, à l'écran).")] = None,
    templates: TemplatesOpt = None,
    audience: opt.AudienceOpt = None,
    allow_errors: opt.AllowErrorsOpt = False,
    rev: opt.RevOpt = None,
    as_of: opt.AsOfOpt = None,
    lang: opt.LangOpt = None,
    no_cache: opt.NoCacheOpt = False,
    wide: opt.WideOpt = False,
) -> None:
    """Rapport d'évaluation annuelle, évaluation à mi-parcours ou bilan de législature, en HTML, Markdown ou Word.

    L'évaluation à mi-parcours (midterm) est faite au milieu de la législature (ou à --as-of) : par objectif
    stratégique, ce qui était prévu à l'adoption, ce qui est fait, les indicateurs face à leur trajectoire, les
    actions ajoutées, réorientées ou abandonnées depuis (historique git), le budget, les conclusions du conseil.
    Refuse un plan qui a des erreurs (sauf --allow-errors : le rapport dit alors ce qui manque).

    Exemple : feuille report annual --year 2025 --plan plans/la-louviere -o evaluation-2025.html
    """
    from feuille.app import publish
    from feuille.app import report as reports
    from feuille.views.publish import written_line

    reports.check_report(kind, fmt, output, year)
    run = opt.run_of(ctx)
    day = reports.report_day(run, kind, year, as_of, path, rev)
    [loaded] = opt.load_plans(run, path, command="report", many=False, as_of=day, rev=rev, annual=year if kind == "annual" else None,
                              purpose=Purpose.SHOW)
    lang_ = run.speak(loaded.plan.lang)
    who = publish.audience(audience or "public", lang_)
    reports.check_year_in_term(loaded, kind, year, lang_, run.today)
    if fmt == "html" and output is None and stdout_is_terminal():  # a page of HTML is of no use on a screen; piped, it is written
        fail(msg("an HTML report is not meant to be read in a terminal: nothing was shown.")(lang_),
             msg("Add -o report.html to write it to a file, or -f md to read it in the terminal.")(lang_))
    notice = opt.publishable(loaded, lang_, allow_errors, msg("report refused"), named=who.value == "internal", width=run.width)
    published, made = reports.make_report(run, loaded, kind, fmt, year, day, lang_, who, notice, templates)
    if output is None:
        sys.stdout.write(made)  # type: ignore[arg-type]  (text: a Word document is always written to a file)
    else:
        opt.write_text(output, made, lang_)
        opt.say_written(output, written_line(output, published, lang_), run)
    finish([loaded])


def stdout_is_terminal() -> bool:
    """Standard output is a terminal (not a pipe nor a file): tests make it one by replacing this function."""
    return sys.stdout.isatty()
