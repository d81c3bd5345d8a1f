"""Options shared by the commands, spelled the same everywhere, and the helpers behind them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from feuille.app import console
from feuille.app.console import write_bytes
from feuille.app.history import Purpose
from feuille.app.values import option_date as parse_date
from feuille.cli._app import lang_value, run_of
from feuille.cli.outcome import note
from feuille.core.i18n import Msg
from feuille.core.run import Run
from feuille.views.format import plan_formatter as formatter

if TYPE_CHECKING:
    from feuille.pipeline import Loaded

__all__ = ["Run", "formatter", "parse_date", "run_of", "write_bytes"]  # (with the options and helpers below)

PlanArg = Annotated[Path | None, typer.Argument(metavar="PLAN", help="Dossier du plan (par défaut : le plan du dossier courant ou au-dessus).", show_default=False)]
PlanOpt = Annotated[Path | None, typer.Option("--plan", "-p", metavar="DOSSIER", help="Dossier du plan (par défaut : le plan du dossier courant ou au-dessus).", show_default=False)]
RevOpt = Annotated[str | None, typer.Option("--rev", metavar="RÉVISION", help="Lire le plan tel qu'il était à cette révision git (commit, branche, étiquette, HEAD~3), sans rien extraire.")]
LangOpt = Annotated[str | None, typer.Option("--lang", metavar="LANGUE", callback=lang_value, help="Langue des messages : fr ou en, ou une locale (en-GB). Par défaut : le --lang donné avant la commande, puis FEUILLE_LANG, sinon la langue du plan.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="Date de référence JJ/MM/AAAA ou AAAA-MM-JJ (par défaut : aujourd'hui).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Relire tous les fichiers sans utiliser le cache.")]
ColorOpt = Annotated[str, typer.Option("--color", metavar="QUAND", help="Couleurs : auto, always ou never.")]
AudienceOpt = Annotated[str | None, typer.Option("--audience", metavar="PUBLIC", help="À qui s'adresse la publication : public (par défaut ; council pour eComptes), council (collège et conseil) ou internal (administration).", show_default=False)]
AllowErrorsOpt = Annotated[bool, typer.Option("--allow-errors", help="Publier malgré les erreurs du plan ; chaque page dit alors ce qui manque.")]
# filters shared by status and prioritise
OwnerOpt = Annotated[str | None, typer.Option("--owner", metavar="PERSONNE", help="Seulement les actions de cette personne (id ou nom), politique ou administrative.")]
ServiceOpt = Annotated[str | None, typer.Option("--service", metavar="SERVICE", help="Seulement les actions de ce service (id ou nom).")]
ObjectiveOpt = Annotated[str | None, typer.Option("--objective", metavar="ID", help="Seulement cet objectif et ce qu'il contient (id).")]
StatusOpt = Annotated[str | None, typer.Option("--status", metavar="STATUT", help="Seulement les actions de ce statut (ongoing, done...).")]
TagOpt = Annotated[str | None, typer.Option("--tag", metavar="TAG", help="Seulement les actions avec ce tag, territoire, volet (interne/externe) ou ODD (odd11).")]
LateOpt = Annotated[bool, typer.Option("--late", help="Seulement les actions en retard.")]
DueOpt = Annotated[int | None, typer.Option("--due-within", metavar="JOURS", help="Seulement les actions à échéance dans ce nombre de jours.")]


def print_styled(lines: list[tuple[str, str]], run: Run) -> None:
    """Text lines for people, wrapped to the run's width, terminal-safe, coloured when the run says so."""
    console.print_styled(lines, run.width, run.color)


def echo(text: str, run: Run | None, *, err: bool = False, cut: bool = False) -> None:
    """Text for people on stdout (or stderr), wrapped to the run's width (``cut``: lines of a file, shortened)."""
    console.echo(text, run.width if run is not None else None, err=err, cut=cut)


def say_written(path: Path, line: str, run: Run | None = None) -> None:
    """The « written: FILE » line, wrapped to the run's width (on stderr when the file written is stdout itself)."""
    console.say_written(path, line, run.width if run is not None else None)


def write_text(path: Path, content: str | bytes, lang: str | None = None) -> None:
    """Write ``content`` (text, else bytes) to ``path`` at once, or stop with a message in ``lang`` (by default, the run's)."""
    from feuille.app.output import write

    write(path, content, lang)


def load_plans(run: Run, path: Path | None, *, command: str, many: bool, as_of: dt.date, rev: str | None = None,
               purpose: Purpose = Purpose.CHECK, rules: str = "all", locate: bool = False, annual: int | None = None) -> list[Loaded]:
    """Every plan the command acts on, each read at the moment :func:`feuille.app.history.moment` decides from what the
    command does with it (``purpose``: show the plan as it stood then, or check and write today's files), its
    ``--as-of``, ``--rev`` and ``annual`` (the year of ``report annual``); what is said about it goes to stderr,
    in the run's language, else the plan's."""
    from feuille.app.plans import read_plans

    readings = read_plans(run, path, command=command, many=many, as_of=as_of, rev=rev, purpose=purpose, rules=rules, locate=locate, annual=annual)
    for r in readings:
        for said in r.notes:
            note(said, run.speak(r.loaded.plan.lang), run.width)
    return [r.loaded for r in readings]


def publishable(loaded: Loaded, lang: str, allow_errors: bool, refused: Msg, named: bool = True, width: int | None = None) -> tuple[str, ...]:
    """What every page or file must say about the plan's errors, said on the terminal too; or a refusal, exit 1
    (:func:`feuille.app.publish.notice`)."""
    from feuille.app.publish import notice

    said, pages = notice(loaded, lang, allow_errors, refused, named)
    for line in said:
        note(line, lang, width)
    return pages


def warn_incomplete(loaded: Loaded, lang: str, width: int | None = None) -> None:
    """On stderr: the plan's errors and what is missing (for commands whose output is data)."""
    from feuille.views.notice import notice_lines

    for line in notice_lines(loaded, formatter(loaded, lang)):
        note(line, lang, width)


WideOpt = Annotated[bool, typer.Option("--wide", help="Lignes entières, quelle que soit la largeur du terminal : rien n'est replié ni coupé, et les tableaux ont toutes leurs colonnes.")]
