"""``feuille lint``: every problem of the plan, for people and for CI."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import AsOfOpt, ColorOpt, LangOpt, NoCacheOpt, PlanArg, RevOpt, WideOpt, load_plans, parse_date, print_styled, run_of, write_text
from feuille.cli.outcome import fail, finish
from feuille.cli.quick import remembers
from feuille.core.i18n import msg, msgn


@app.command()
@remembers("lint")
def lint(
    ctx: typer.Context,
    path: PlanArg = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : text, json, github, sarif, junit ou codequality (GitLab).")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Échouer aussi sur les avertissements.")] = False,
    rev: RevOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = "auto",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FICHIER", help="Écrire le rapport dans ce fichier plutôt qu'à l'écran.")] = None,
    timings: Annotated[bool, typer.Option("--timings", help="Afficher (sur la sortie d'erreur) le temps de chaque étape de lecture.")] = False,
    wide: WideOpt = False,
) -> None:
    """Vérifier le plan : schémas et règles entre fichiers, tous les problèmes en une fois.

    Code de sortie : 0 sans erreur, 1 s'il y a des erreurs (ou des avertissements avec --strict), 2 si le plan est introuvable ou la commande mal écrite.

    Exemple : feuille lint plans/la-louviere --format github
    """
    from feuille.views.lint import RENDERERS, text_lines

    if fmt not in RENDERERS:
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names=", ".join(RENDERERS)))
    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    loaded = load_plans(run, path, command="lint", many=True, as_of=day, rev=rev, locate=True)
    lang_ = run.speak(loaded[0].plan.lang)
    if fmt == "text" and output is None:
        print_styled(text_lines(loaded, lang_, day.isoformat(), run.width), run)
    else:
        rendered = RENDERERS[fmt](loaded, lang_, day.isoformat())
        if output is not None:
            write_text(output, rendered)
        else:
            sys.stdout.write(rendered)
    if timings:
        from feuille.core.i18n import Msg, translator
        from feuille.views.labels import STAGE as _STAGE

        for x in loaded:
            _ = translator(lang_)
            names = _STAGE[lang_]
            stages = ", ".join(f"{names.get(name, name)} {seconds * 1000:.0f} ms" for name, seconds in x.timings.items())
            label = x.source.label(lang_) if isinstance(x.source.label, Msg) else x.source.label
            sys.stderr.write(_("{source}: {stages}; {read}, {cached} from the cache").format(
                source=label, stages=stages, read=msgn("{n} file read", "{n} files read", len(x.parsed))(lang_),
                cached=len(x.plan.files) - len(x.parsed)) + "\n")
    finish(loaded, strict=strict)
