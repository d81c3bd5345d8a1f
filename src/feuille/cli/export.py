"""``feuille export``: the plan as a file for another tool (JSON today; spreadsheets, eComptes, open data join the registry)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import (AllowErrorsOpt, AsOfOpt, AudienceOpt, DueOpt, LangOpt, LateOpt, NoCacheOpt, ObjectiveOpt, OwnerOpt, PlanArg, RevOpt,
                                 ServiceOpt, StatusOpt, TagOpt, audience_of, language, load_plans, parse_date, publishable, withheld_summary)
from feuille.cli.options import WITHHELD
from feuille.cli.outcome import fail, finish


@app.command()
def export(
    path: PlanArg = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Format du fichier : json, xlsx (Excel), csv (Excel, séparateur ;).")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FICHIER", help="Fichier à écrire (sinon : à l'écran, pour les formats texte).")] = None,
    audience: AudienceOpt = "public",
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
) -> None:
    """Exporter le plan dans un fichier pour un autre outil : tous les champs de chaque élément et les chiffres calculés.

    Refuse un plan qui a des erreurs (sauf --allow-errors), pour ne pas transmettre un plan faux ou incomplet.

    Exemple : feuille export plans/la-louviere --format json -o plan.json

    Exemple : feuille export plans/la-louviere --format xlsx --service proprete -o proprete.xlsx
    """
    from feuille.compute.audience import publish
    from feuille.views.exports import FORMATS, ExportOptions, exporter

    if fmt not in FORMATS:
        fail(f"format inconnu « {fmt} ».", f"Formats possibles : {', '.join(FORMATS)}.")
    who = audience_of(audience)
    module = exporter(fmt)
    if module.BINARY and output is None:
        fail(f"le format {fmt} s'écrit dans un fichier : indiquez-le avec -o.", f"Exemple : feuille export --format {fmt} -o plan{module.SUFFIX}")
    day = parse_date(as_of, "--as-of")
    [loaded] = load_plans(path, command="export", many=False, as_of=day, rev=rev, no_cache=no_cache)
    lang_ = language(lang, loaded.plan.lang)
    publishable(loaded, lang_, allow_errors, "export refusé")
    published = publish(loaded.plan, who, day, withheld_label=WITHHELD[lang_])  # every format sees only what the audience may see
    from feuille.cli.sheet_export import sheet_options, write_split

    options = sheet_options(loaded, fmt, ExportOptions(day, lang_), dict(owner=owner, service=service, objective=objective, status=status, tag=tag,
                                                                          late=late, due_within=due_within), split_by, output)
    if split_by:
        write_split(module, published, options, split_by, output, withheld_summary(published, lang_))
        return finish([loaded])
    data = module.export(published, options)
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        from feuille.io.files import write_atomic

        try:
            write_atomic(output, data)
        except OSError as exc:
            fail(f"impossible d'écrire « {output} » : {exc.strerror}.")
        sys.stdout.write(f"écrit : {output} ({withheld_summary(published, lang_)})\n")
    finish([loaded])
