"""``feuille export``: the plan as a file for another tool (JSON, eComptes; spreadsheets and open data join the registry)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.app.publish import WITHHELD
from feuille.app.publish import audience as audience_of
from feuille.cli._app import app
from feuille.cli.options import (
    AllowErrorsOpt,
    AsOfOpt,
    AudienceOpt,
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
    load_plans,
    parse_date,
    publishable,
    run_of,
    say_written,
)
from feuille.cli.outcome import FINDINGS, fail, finish, note, said_in
from feuille.core.i18n import msg, msgn, translator


@app.command()
def export(
    ctx: typer.Context,
    path: PlanArg = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Format du fichier : json, xlsx (Excel), csv (Excel, séparateur ;), ecomptes (PST wallon, un fichier par organisation), opendata (données ouvertes en paquet Frictionless et JSON, dans le dossier -o), projets-te (schéma national français des projets de transition écologique, dans le dossier -o).")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FICHIER", help="Fichier à écrire (sinon : à l'écran, pour les formats texte).")] = None,
    audience: AudienceOpt = None,
    allow_errors: AllowErrorsOpt = False,
    rev: RevOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    owner: OwnerOpt = None,
    service: ServiceOpt = None,
    objective: ObjectiveOpt = None,
    status: StatusOpt = None,
    tag: TagOpt = None,
    late: LateOpt = False,
    due_within: DueOpt = None,
    split_by: Annotated[str | None, typer.Option("--split-by", metavar="PAR", help="xlsx : un classeur par service ou par responsable (service, owner), dans le dossier -o.")] = None,
    wide: WideOpt = False,
) -> None:
    """Exporter le plan dans un fichier pour un autre outil : tous les champs de chaque élément et les chiffres calculés.

    Refuse un plan qui a des erreurs (sauf --allow-errors), pour ne pas transmettre un plan faux ou incomplet.

    Exemple : feuille export plans/la-louviere --format json -o plan.json

    Exemple : feuille export plans/la-louviere --format ecomptes -o pst.xml   (pst-ville.xml, pst-cpas.xml)

    Exemple : feuille export plans/la-louviere --format xlsx --service proprete -o proprete.xlsx

    Exemple : feuille export plans/la-louviere --format opendata -o donnees/
    """
    from feuille import pipeline
    from feuille.app.export import withheld_here
    from feuille.app.publish import publish
    from feuille.views.exports import FORMATS, ExportOptions, ExportRefused, export_files, exporter, part_path
    from feuille.views.notice import withheld_summary

    if fmt.strip().casefold().lstrip(".") in FORMATS:  # « XLSX », « .csv »: the names the help shows, however written
        fmt = fmt.strip().casefold().lstrip(".")
    if fmt not in FORMATS:
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(FORMATS)))
    module = exporter(fmt)
    who = audience_of(audience or getattr(module, "DEFAULT_AUDIENCE", "public"))
    if who.value not in getattr(module, "AUDIENCES", (who.value,)):  # open data: for everyone, or not at all
        fail(msg("the format {fmt} publishes for everyone: only --audience public.", fmt=fmt),
             msg("Remove --audience (or write --audience public): what the public may not see stays out of the files."))
    if getattr(module, "FOLDER", False) and output is None:
        example = f"feuille export --format {fmt} -o {fmt}/"
        fail(msg("the format {fmt} writes several files into a folder: give it with -o.", fmt=fmt), msg("Example: {example}", example=example))
    if module.BINARY and output is None:
        example = f"feuille export --format {fmt} -o plan{module.SUFFIX}"
        fail(msg("the format {fmt} is written into a file: give it with -o.", fmt=fmt), msg("Example: {example}", example=example))
    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    [loaded] = load_plans(run, path, command="export", many=False, as_of=day, rev=rev)
    lang_ = run.speak(loaded.plan.lang)
    publishable(loaded, lang_, allow_errors, msg("export refused"), run.width)
    published = publish(loaded.plan, who, day, withheld_label=WITHHELD(lang_), today=pipeline.registry_today(loaded))  # every format sees only what the audience may see
    from feuille.cli.sheet_export import sheet_options, write_split

    options = sheet_options(loaded, fmt, ExportOptions(day, lang_), dict(owner=owner, service=service, objective=objective, status=status, tag=tag,
                                                                          late=late, due_within=due_within), split_by, output)
    if split_by:
        write_split(module, published, options, split_by, output, withheld_summary(published, lang_), run)
        return finish([loaded])
    try:
        result = export_files(module, published, options, lambda diags: pipeline.locate(loaded, diags))
    except ExportRefused as refused:  # its findings first, like feuille lint; in the language of the command (--lang, else the plan's)
        _show(refused.diagnostics, loaded, lang_, run.width)
        _ = translator(lang_)
        note(refused.msg, lang_, run.width)
        if withheld_here(module, loaded, options, who, day, WITHHELD(lang_)):
            echo("  " + _("The plan has these values, but not for the audience '{audience}' (its 'visibility' withholds them): "
                          "open them to it (docs/audiences.md), or export with --audience internal.").format(audience=who.value) + "\n", run, err=True)
        elif refused.diagnostics:
            echo("  " + _("Correct these points in the plan's files (feuille lint shows them too when plan.yaml says "
                          "'transmission: {ecomptes: true}').") + "\n", run, err=True)
        raise typer.Exit(FINDINGS) from None
    _show(result.warnings, loaded, lang_, run.width)
    for line in result.notes:
        note(line, lang_, run.width)
    if getattr(module, "FOLDER", False):
        return _write_folder(result, output, loaded, published, lang_, run)
    if output is None:  # on screen, the main file only (csv: the actions; their indicators' file is written beside -o)
        main = [data for part, data in result.files if part is None]
        for data in main or [data for _part, data in result.files]:
            sys.stdout.write(data.decode("utf-8"))
    else:
        from feuille.app.output import write_file

        for part, data in result.files:  # every file is complete and valid before the first is written
            target = part_path(output, part)
            write_file(target, data)
            _ = translator(lang_)
            say_written(target, _("written: {file} ({summary})").format(file=target, summary=withheld_summary(published, lang_)), run)
    finish([loaded])


def _write_folder(result, output: Path, loaded, published, lang: str, run: Run) -> None:
    """A format made of several files (open data): all of them into the folder -o, or none (written beside it, then swapped in)."""
    from feuille.app.output import system_reason
    from feuille.app.publish import write_site
    from feuille.views.notice import withheld_summary

    pages = {part: data.decode("utf-8") for part, data in result.files if part}
    try:
        with said_in(lang):
            write_site(pages, output, plan_root=loaded.source.root)
    except OSError as exc:
        fail(msg("cannot write into '{path}': {reason}.", path=str(output), reason=system_reason(exc)))
    _ = translator(lang)
    say_written(output, msgn("{n} file written in {out}", "{n} files written in {out}", len(pages), out=output)(lang) + f" ({withheld_summary(published, lang)})", run)
    finish([loaded])


def _show(diagnostics: list, loaded, lang: str, width: int | None) -> None:
    """Findings of an exporter, like feuille lint: place, code, item, message, the line, the hint (on stderr)."""
    from feuille.views.lint import diagnostic_lines

    for d in diagnostics:
        sys.stderr.write("".join(line + "\n" for _style, line in diagnostic_lines(d, loaded.sources, lang, width)))
