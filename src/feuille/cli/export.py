"""``feuille export``: the plan as a file for another tool (JSON, eComptes; spreadsheets and open data join the registry)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.cli import options as opt
from feuille.cli._app import app
from feuille.cli.outcome import FINDINGS, finish, note
from feuille.core.i18n import msg, msgn, translator


@app.command()
def export(
    ctx: typer.Context,
    path: opt.PlanArg = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Format du fichier : json, xlsx (Excel), csv (Excel, séparateur ;), ecomptes (PST wallon, un fichier par organisation), opendata (données ouvertes en paquet Frictionless et JSON, dans le dossier -o), projets-te (schéma national français des projets de transition écologique, dans le dossier -o).")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FICHIER", help="Fichier à écrire (sinon : à l'écran, pour les formats texte).")] = None,
    audience: opt.AudienceOpt = None,
    allow_errors: opt.AllowErrorsOpt = False,
    rev: opt.RevOpt = None,
    as_of: opt.AsOfOpt = None,
    lang: opt.LangOpt = None,
    no_cache: opt.NoCacheOpt = False,
    owner: opt.OwnerOpt = None,
    service: opt.ServiceOpt = None,
    objective: opt.ObjectiveOpt = None,
    status: opt.StatusOpt = None,
    tag: opt.TagOpt = None,
    late: opt.LateOpt = False,
    due_within: opt.DueOpt = None,
    split_by: Annotated[str | None, typer.Option("--split-by", metavar="PAR", help="xlsx : un classeur par service ou par responsable (service, owner), dans le dossier -o.")] = None,
    wide: opt.WideOpt = False,
) -> None:
    """Exporter le plan dans un fichier pour un autre outil : tous les champs de chaque élément et les chiffres calculés.

    Refuse un plan qui a des erreurs (sauf --allow-errors), pour ne pas transmettre un plan faux ou incomplet.

    Exemple : feuille export plans/la-louviere --format json -o plan.json

    Exemple : feuille export plans/la-louviere --format ecomptes -o pst.xml   (pst-ville.xml, pst-cpas.xml)

    Exemple : feuille export plans/la-louviere --format xlsx --service proprete -o proprete.xlsx

    Exemple : feuille export plans/la-louviere --format opendata -o donnees/
    """
    from feuille.app import export as exports
    from feuille.app.publish import WITHHELD, published
    from feuille.views.exports import ExportOptions, ExportRefused
    from feuille.views.notice import withheld_summary

    fmt, module, who = exports.asked(fmt, audience, output)
    run = opt.run_of(ctx)
    day = opt.parse_date(as_of, "--as-of", run.today)
    [loaded] = opt.load_plans(run, path, command="export", many=False, as_of=day, rev=rev)
    lang_ = run.speak(loaded.plan.lang)
    opt.publishable(loaded, lang_, allow_errors, msg("export refused"), run.width)
    shown = published(loaded, who, day, lang_)  # every format sees only what the audience may see
    filters = dict(owner=owner, service=service, objective=objective, status=status, tag=tag, late=late, due_within=due_within)
    options = exports.options(loaded, fmt, ExportOptions(day, lang_), filters, split_by, output)
    _ = translator(lang_)
    summary = withheld_summary(shown, lang_)
    if split_by:
        n = exports.write_split(module, shown, options, split_by, output, lambda target, label: opt.say_written(
            target, _("written: {file} — {label}").format(file=target, label=label), run))
        opt.echo(msgn("{n} workbook ({summary})", "{n} workbooks ({summary})", n, summary=summary)(lang_) + "\n", run)
        finish([loaded])
    try:
        result = exports.made(module, loaded, shown, options)
    except ExportRefused as refused:  # its findings first, like feuille lint; in the language of the command (--lang, else the plan's)
        _show(refused.diagnostics, loaded, lang_, run.width)
        note(refused.msg, lang_, run.width)
        if exports.withheld_here(module, loaded, options, who, day, WITHHELD(lang_)):
            opt.echo("  " + _("The plan has these values, but not for the audience '{audience}' (its 'visibility' withholds them): "
                              "open them to it (docs/audiences.md), or export with --audience internal.").format(audience=who.value) + "\n", run, err=True)
        elif refused.diagnostics:
            opt.echo("  " + _("Correct these points in the plan's files (feuille lint shows them too when plan.yaml says "
                              "'transmission: {ecomptes: true}').") + "\n", run, err=True)
        raise typer.Exit(FINDINGS) from None
    _show(result.warnings, loaded, lang_, run.width)
    for line in result.notes:
        note(line, lang_, run.width)
    if getattr(module, "FOLDER", False):
        n = exports.write_folder(result, output, loaded, lang_)
        opt.say_written(output, msgn("{n} file written in {out}", "{n} files written in {out}", n, out=output)(lang_) + f" ({summary})", run)
    elif output is None:  # on screen, the main file only (csv: the actions; their indicators' file is written beside -o)
        main = [data for part, data in result.files if part is None]
        for data in main or [data for _part, data in result.files]:
            sys.stdout.write(data.decode("utf-8"))
    else:
        exports.write_files(result, output, lambda target, _label: opt.say_written(target, _("written: {file} ({summary})").format(file=target, summary=summary), run))
    finish([loaded])


def _show(diagnostics: list, loaded, lang: str, width: int | None) -> None:
    """Findings of an exporter, like feuille lint: place, code, item, message, the line, the hint (on stderr)."""
    from feuille.views.lint import diagnostic_lines

    for d in diagnostics:
        sys.stderr.write("".join(line + "\n" for _style, line in diagnostic_lines(d, loaded.sources, lang, width)))
