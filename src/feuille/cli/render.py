"""``feuille render`` and ``feuille report``: the published site and the reports."""

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.app.history import Purpose
from feuille.app.publish import WITHHELD
from feuille.app.publish import audience as audience_of
from feuille.cli._app import app
from feuille.cli.options import (
    AllowErrorsOpt,
    AsOfOpt,
    AudienceOpt,
    LangOpt,
    NoCacheOpt,
    PlanArg,
    PlanOpt,
    RevOpt,
    WideOpt,
    echo,
    load_plans,
    parse_date,
    publishable,
    run_of,
    say_written,
    write_text,
)
from feuille.cli.outcome import fail, finish, said_in
from feuille.core.i18n import msg, msgn, translator

TemplatesOpt = Annotated[Path | None, typer.Option("--templates", metavar="DOSSIER", help="Dossier de gabarits du plan (par défaut PLAN/templates).")]


@app.command()
def render(
    ctx: typer.Context,
    path: PlanArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DOSSIER", help="Dossier où écrire le site.")] = Path("site"),
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="html (site statique) ou md (Markdown).")] = "html",
    templates: TemplatesOpt = None,
    audience: AudienceOpt = None,
    allow_errors: AllowErrorsOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Écrire dans un dossier non vide que feuille n'a pas créé (les fichiers existants sont gardés, sauf ceux du même nom qu'une page).")] = False,
    rev: RevOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    trend: Annotated[bool, typer.Option("--trend/--no-trend", help="Les courbes d'avancement dans le temps (par défaut) ; --no-trend les omet (plus rapide sur un long historique).")] = True,
    wide: WideOpt = False,
) -> None:
    """Publier le plan : tableau de bord, pages par objectif, action, responsable et thème, priorités.

    Refuse un plan qui a des erreurs (sauf --allow-errors : chaque page dit alors ce qui manque).
    Le site fonctionne sans JavaScript, depuis un disque ou un serveur web, et s'imprime en A4.
    Même plan et même --as-of : mêmes fichiers, octet pour octet.

    Exemple : feuille render plans/la-louviere --out site/ --as-of 2026-12-31
    """
    from feuille.app.output import system_reason
    from feuille.app.publish import publish
    from feuille.app.report import history as report_history
    from feuille.pipeline import registry_today
    from feuille.views.notice import withheld_summary
    from feuille.views.site import FORMATS, RenderError, RenderOptions, SiteSource, write_site
    from feuille.views.templating import CHECK_TEMPLATES

    if fmt not in FORMATS:  # before the plan is read, as every command refuses a format (not a template's problem)
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(FORMATS)))
    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    [loaded] = load_plans(run, path, command="render", many=False, as_of=day, rev=rev, purpose=Purpose.SHOW)
    plan = loaded.plan
    lang_ = run.speak(plan.lang)
    with said_in(lang_):
        who = audience_of(audience or "public")
    notice = publishable(loaded, lang_, allow_errors, msg("rendering refused"), named=who.value == "internal", width=run.width)
    history = report_history(run, loaded, day, trend=trend)
    try:
        with said_in(lang_):
            published = publish(plan, who, day, withheld_label=WITHHELD(lang_), today=registry_today(loaded))
            pages = SiteSource(published, RenderOptions(day, lang_, fmt, templates, notice=notice, **history))
            written = write_site(pages, out, force=force)  # each page made as it is written; those unchanged since the last render kept
    except RenderError as exc:
        if not exc.hint_msg:  # a template's problem: where to look
            exc.hint_msg = CHECK_TEMPLATES
        raise
    except OSError as exc:
        fail(msg("cannot write into '{path}': {reason}.", path=out, reason=system_reason(exc))(lang_))
    _ = translator(lang_)
    if written.replaced:
        echo(_("replaced (--force): {files}").format(files=", ".join(written.replaced)) + "\n", run)
    parts = [msgn("{n} file written in {out}", "{n} files written in {out}", written.written, out=out)(lang_)]
    if written.kept:
        parts.append(msgn("{n} unchanged since the last render", "{n} unchanged since the last render", written.kept)(lang_))
    if written.removed:
        parts.append(msgn("{n} old one removed", "{n} old ones removed", len(written.removed))(lang_))
    if written.carried:
        parts.append(msgn("{n} other kept", "{n} others kept", written.carried)(lang_))
    echo(", ".join(parts) + f" ({withheld_summary(published, lang_)}).\n", run)
    finish([loaded])


@app.command()
def report(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="TYPE", help="annual (évaluation annuelle), midterm (évaluation à mi-parcours) ou term (bilan de législature).")],
    path: PlanOpt = None,
    year: Annotated[int | None, typer.Option("--year", metavar="ANNÉE", help="Année évaluée (rapport annual).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="html, md ou docx (document modifiable pour Word et LibreOffice, rapports annual et midterm, avec --output).")] = "html",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FICHIER", help="Fichier à écrire (indispensable en html et docx sur un terminal ; sinon, à l'écran).")] = None,
    templates: TemplatesOpt = None,
    audience: AudienceOpt = None,
    allow_errors: AllowErrorsOpt = False,
    rev: RevOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    wide: WideOpt = False,
) -> None:
    """Rapport d'évaluation annuelle, évaluation à mi-parcours ou bilan de législature, en HTML, Markdown ou Word.

    L'évaluation à mi-parcours (midterm) est faite au milieu de la législature (ou à --as-of) : par objectif
    stratégique, ce qui était prévu à l'adoption, ce qui est fait, les indicateurs face à leur trajectoire, les
    actions ajoutées, réorientées ou abandonnées depuis (historique git), le budget, les conclusions du conseil.
    Refuse un plan qui a des erreurs (sauf --allow-errors : le rapport dit alors ce qui manque).

    Exemple : feuille report annual --year 2025 --plan plans/la-louviere -o evaluation-2025.html
    """
    from feuille.app.publish import publish
    from feuille.app.report import changes_in_year, changes_since_adoption, midterm_day
    from feuille.app.report import history as report_history
    from feuille.pipeline import registry_today
    from feuille.views.notice import withheld_summary
    from feuille.views.site import REPORTS, YEAR_REPORTS, RenderOptions, render_report

    if kind not in REPORTS:
        fail(msg("unknown report '{value}'.", value=kind), msg("Choose annual (with --year), midterm or term."))
    if fmt == "docx" and "docx" not in REPORTS[kind]:
        fail(msg("the docx format is the annual and mid-term reports'."), msg("Example: {example}", example="feuille report midterm -f docx -o mi-parcours.docx"))
    if fmt == "docx" and output is None:
        fail(msg("a Word document is written to a file: give it with --output."), msg("Example: {example}", example="feuille report annual --year 2025 -f docx -o evaluation-2025.docx"))
    formats = list(dict.fromkeys(f for fs in REPORTS.values() for f in fs))
    if fmt not in formats:
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(formats)))
    if kind in YEAR_REPORTS and year is None:
        fail(msg("give the year evaluated with --year."), msg("Example: {example}", example="feuille report annual --year 2025"))
    if year is not None:
        from feuille.core.bounds import check_year

        check_year(year)
    run = run_of(ctx)
    if as_of is None and kind == "annual" and year is not None:
        day = min(run.today, dt.date(year, 12, 31))  # the evaluation of a past year is as of its end
    elif as_of is None and kind == "midterm":
        day = midterm_day(run, path, rev)  # the middle of the term, or today when it is still to come
    else:
        day = parse_date(as_of, "--as-of", run.today)
    [loaded] = load_plans(run, path, command="report", many=False, as_of=day, rev=rev, annual=year if kind == "annual" else None,
                          purpose=Purpose.SHOW)
    plan = loaded.plan
    lang_ = run.speak(plan.lang)
    with said_in(lang_):
        who = audience_of(audience or "public")
    term = plan.meta.term if plan.meta else None
    if kind == "annual" and year is not None and term is not None and not term.start.year <= year <= term.end.year:
        _ = translator(lang_)
        fail(_("the year {year} is outside the plan's term ({start}–{end}): the report would be empty.").format(year=year, start=term.start.year, end=term.end.year),
             _("Choose a year from {start} to {end}: feuille report annual --year {end_year}").format(start=term.start.year, end=term.end.year, end_year=max(term.start.year, min(term.end.year, run.today.year - 1))))
    if fmt == "html" and output is None and stdout_is_terminal():  # a page of HTML is of no use on a screen; piped, it is written
        fail(msg("an HTML report is not meant to be read in a terminal: nothing was shown.")(lang_),
             msg("Add -o report.html to write it to a file, or -f md to read it in the terminal.")(lang_))
    notice = publishable(loaded, lang_, allow_errors, msg("report refused"), named=who.value == "internal", width=run.width)
    history = report_history(run, loaded, day, trend=False)
    today = registry_today(loaded)
    with said_in(lang_):
        published = publish(plan, who, day, withheld_label=WITHHELD(lang_), today=today)
        if kind == "annual" and year is not None:  # what changed during the year, between two plans as this audience sees them
            history.update(changes_in_year(run, loaded, year, lang_, lambda before: publish(
                before, who, day, withheld_label=WITHHELD(lang_), today=today or plan).plan, published.plan))
        if kind == "midterm":  # the plan at its adoption and what changed since, as this audience sees them
            history["midterm"] = changes_since_adoption(run, loaded, day, lang_, lambda before: publish(
                before, who, day, withheld_label=WITHHELD(lang_), today=today or plan).plan, published.plan)
        options = RenderOptions(day, lang_, "html" if fmt == "docx" else fmt, templates, notice=notice, **history)
        if fmt == "docx" and kind == "midterm":
            from feuille.views.site import render_midterm_docx

            data = render_midterm_docx(published, options)
        elif fmt == "docx":
            from feuille.views.site import render_report_docx

            data = render_report_docx(published, options, year)  # type: ignore[arg-type]
        else:
            text = render_report(published, kind, options, year)
    _ = translator(lang_)
    if fmt == "docx":
        from feuille.app.output import write_file

        with said_in(lang_):
            write_file(output, data)  # type: ignore[arg-type]
        say_written(output, _("written: {file} ({summary})").format(file=output, summary=withheld_summary(published, lang_)), run)
    elif output is None:
        sys.stdout.write(text)
    else:
        write_text(output, text, lang_)
        say_written(output, _("written: {file} ({summary})").format(file=output, summary=withheld_summary(published, lang_)), run)
    finish([loaded])


def stdout_is_terminal() -> bool:
    """Standard output is a terminal (not a pipe nor a file): tests make it one by replacing this function."""
    return sys.stdout.isatty()
