"""Options shared by the commands, spelled the same everywhere, and the helpers behind them."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from feuille.cli._app import lang_value
from feuille.core.i18n import Msg, msg
from feuille.cli.outcome import fail, note
from feuille.cli.past import HISTORY_COMMANDS

if TYPE_CHECKING:
    from feuille.pipeline import Loaded

PlanArg = Annotated[Path | None, typer.Argument(metavar="PLAN", help="Dossier du plan (par défaut : le plan du dossier courant ou au-dessus).", show_default=False)]
PlanOpt = Annotated[Path | None, typer.Option("--plan", "-p", metavar="DOSSIER", help="Dossier du plan (par défaut : le plan du dossier courant ou au-dessus).", show_default=False)]
RevOpt = Annotated[str | None, typer.Option("--rev", metavar="RÉVISION", help="Lire le plan tel qu'il était à cette révision git (commit, branche, étiquette, HEAD~3), sans rien extraire.")]
LangOpt = Annotated[str | None, typer.Option("--lang", metavar="LANGUE", callback=lang_value, help="Langue des messages : fr ou en, ou une locale (en-GB). Par défaut : le --lang donné avant la commande, puis FEUILLE_LANG, sinon la langue du plan.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="Date de référence AAAA-MM-JJ (par défaut : aujourd'hui).")]
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


def parse_date(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(msg("invalid date for {option}: '{value}'.", option=option, value=value), msg("Write the date YYYY-MM-DD, for example 2025-12-31."))


def language(value: str | None, plan_lang: str) -> str:
    """The language of a command's messages, said once the plan is read: ``value`` (its --lang), else the
    --lang given before the command, else FEUILLE_LANG, else the plan's (:func:`feuille.cli._app.asked_lang`)."""
    from feuille.cli._app import UNKNOWN_LANG, UNKNOWN_LANG_HINT, UnknownLanguage, asked_lang
    from feuille.cli.outcome import asked_in_context

    try:
        asked = asked_lang(value, None, {}) if value is not None else asked_in_context()
    except UnknownLanguage as exc:
        fail(msg(UNKNOWN_LANG, value=exc.value), msg(UNKNOWN_LANG_HINT))
    return asked or plan_lang


def in_language(message: str | Msg, lang: str) -> str:
    """A message kept by an error (a catalogue message, or text already written) in ``lang``."""
    return message(lang) if isinstance(message, Msg) else message


def use_color(choice: str) -> bool:
    if choice not in ("auto", "always", "never"):
        fail(msg("unknown value for --color: '{value}'.", value=choice), msg("Choose auto, always or never."))
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def print_styled(lines: list[tuple[str, str]], color: bool) -> None:
    """Print text lines, each made terminal-safe (no control character from the data reaches the screen)."""
    from feuille.io.console import terminal_safe

    if not color:
        sys.stdout.write("\n".join(terminal_safe(line) for _s, line in lines) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True, force_terminal=True)
    for style, line in lines:
        console.print(Text(terminal_safe(line), style=style or ""))


def nothing_written(message: str | Msg) -> str | Msg:
    """``message``, ending « Rien n'a été écrit. » / "Nothing was written." unless it says so already
    (read in English, the catalogue's msgid, so that a retranslation cannot make it say it twice)."""
    text = message("en") if isinstance(message, Msg) else message
    if "othing was written" in text or "ien n'a été écrit" in text:
        return message
    return msg("{problem} Nothing was written.", problem=message)


def say_written(path: Path, line: str) -> None:
    """The « written: FILE » line: on stdout, or on stderr when the file written is stdout itself (-o /dev/stdout)."""
    from feuille.io.files import is_standard_output

    (sys.stderr if is_standard_output(path) else sys.stdout).write(line + "\n")


def write_text(path: Path, content: str, lang: str | None = None) -> None:
    """Write ``content`` to ``path`` at once, or stop with a message in ``lang`` (by default, the one asked for)."""
    from feuille.io.files import system_reason, write_atomic

    try:
        write_atomic(path, content.encode("utf-8"))
    except OSError as exc:
        refused = msg("cannot write '{path}': {reason}.", path=path, reason=system_reason(exc))
        fail(refused(lang) if lang else refused)


def load_plans(path: Path | None, *, command: str, many: bool, as_of: dt.date, rev: str | None = None, no_cache: bool = False,
               rules: str = "all", locate: bool = False, annual: int | None = None, lang: str | None = None) -> list[Loaded]:
    """Every plan the command acts on, each read through the one pipeline (:func:`feuille.pipeline.load`).

    A past ``--as-of`` (or ``annual``, the year of ``report annual``) reads the plan as committed then: cli/past.py,
    which says so on stderr in ``lang`` (``--lang``), else in the plan's language.
    """
    from feuille import pipeline
    from feuille.io.sources import SourceError, find_plans

    try:
        roots = find_plans(path, many=many, command=command)
        options = pipeline.LoadOptions(use_cache=not no_cache, rules=rules, locate=locate)
        if rev is not None or command not in HISTORY_COMMANDS or (command == "prioritise" and rules == "all"):  # prioritise writing: today's files
            loaded = [pipeline.load_path(root, as_of, rev=rev, options=options) for root in roots]
        else:
            loaded = [_load_past(root, as_of, options, annual, lang) for root in roots]
    except SourceError as exc:
        fail(exc.msg, exc.hint_msg)
    for x in loaded:
        if x.recovered:
            note(x.recovered, language(lang, x.plan.lang))
    return loaded


def _load_past(root: Path, as_of: dt.date, options, annual: int | None, lang: str | None) -> Loaded:  # type: ignore[no-untyped-def]
    from feuille import pipeline
    from feuille.cli.past import revision_for
    from feuille.io.sources import SourceError

    past = revision_for(root, as_of, annual=annual)
    said = past.note
    if past.commit is not None:
        try:
            loaded = pipeline.load_path(root, as_of, rev=past.commit, options=options)
            loaded.plan.revision = past.revision
        except SourceError as exc:  # the plan folder did not exist then
            loaded, said = pipeline.load_path(root, as_of, options=options), msg("{problem} The plan is read as it is today.", problem=exc.msg)
    else:
        loaded = pipeline.load_path(root, as_of, options=options)
    if said:
        note(said, language(lang, loaded.plan.lang))
    return loaded


def formatter(loaded: Loaded, lang: str):
    from feuille.views.format import Formatter

    meta = loaded.plan.meta
    return Formatter.for_plan(meta.locale if meta else None, lang, meta.currency if meta else "EUR")


def publishable(loaded: Loaded, lang: str, allow_errors: bool, refused: Msg) -> tuple[str, ...]:
    """What every page or file must say about the plan's errors, or a refusal (exit 1): a plan with
    errors is never published nor sent silently.  ``refused`` names the refusal (« rendu refusé »)."""
    from feuille.cli.outcome import FINDINGS
    from feuille.core.i18n import translator
    from feuille.views.notice import error_summary, notice_lines

    notice = tuple(notice_lines(loaded, formatter(loaded, lang)))
    if loaded.errors and not allow_errors:
        lines = [*notice[1:-1], *error_summary(loaded, lang)]  # the parts missing, then the errors
        _ = translator(lang)
        fail(_("the plan has {n} error(s): {refused}, so as not to publish a wrong or incomplete plan.").format(n=loaded.errors, refused=refused(lang)),
             "\n  ".join([*lines, _("Fix them (feuille lint {root}), or add --allow-errors: what is missing will be said at the top.").format(root=loaded.source.root)]),
             code=FINDINGS)
    for line in notice:
        note(line, lang)
    return notice


def warn_incomplete(loaded: Loaded, lang: str) -> None:
    """On stderr: the plan's errors and what is missing (for commands whose output is data)."""
    from feuille.views.notice import notice_lines

    for line in notice_lines(loaded, formatter(loaded, lang)):
        sys.stderr.write(f"feuille : {line}\n")


WITHHELD = msg("not published")  # the name a withheld funding source gets in published budgets: WITHHELD(lang)
AUDIENCES = msg("--audience public: the citizens' site; council: the elected members; internal: the administration (docs/audiences.md).")


def audience_of(value: str, lang: str | None = None):
    """The audience named by ``--audience``, or a refusal in ``lang`` (by default, the language asked for)."""
    from feuille.compute.audience import UnknownAudience, parse_audience

    try:
        return parse_audience(value)
    except UnknownAudience as exc:
        fail(exc.msg(lang) if lang else exc.msg, AUDIENCES(lang) if lang else AUDIENCES)


def withheld_summary(published, lang: str) -> str:
    """« version publique ; non montrés : 3 notes de santé, 12 coordonnées » for a command's summary line."""
    from feuille.core.i18n import translator

    _ = translator(lang)
    names = {"public": _("public version"), "council": _("council version"), "internal": _("internal version")}
    w = published.withheld
    kinds = {"Objective": _("{n} objective(s)"), "Action": _("{n} action(s)"), "Indicator": _("{n} indicator(s)"),
             "BudgetLine": _("{n} budget line(s)"), "Person": _("{n} person(s)"), "Service": _("{n} service(s)")}
    order = [*kinds, *sorted(k for k in w.items if k not in kinds)]  # a kind added later is counted too, by its name
    parts = [kinds.get(kind, _("{n} item(s) of kind '{kind}'")).format(n=w.items[kind], kind=kind) for kind in order if w.items[kind]]
    fields = {"notes": _("internal note(s)"), "health_note": _("health note(s)"), "email": _("e-mail(s)"), "phone": _("phone number(s)")}
    for name, n in sorted(w.fields.items()):
        parts.append(f"{n} " + fields.get(name) if name in fields else f"{n} " + _("value(s) of '{name}'").format(name=name))
    head = names[published.audience.value]
    if not parts:
        return head + _("; everything is shown")
    return head + _("; not shown: ") + ", ".join(parts)


WideOpt = Annotated[bool, typer.Option("--wide", help="Toutes les colonnes, quelle que soit la largeur du terminal.")]


def table_width(wide: bool) -> int | None:
    """The width terminal tables must fit (``None``: no limit): see :func:`feuille.views.table.terminal_width`."""
    import shutil

    from feuille.views.table import terminal_width

    tty = sys.stdout.isatty()
    return terminal_width(wide, dict(os.environ), tty, shutil.get_terminal_size().columns if tty else None)


def write_bytes(data: bytes) -> None:
    """Bytes on standard output as they are (a CSV's BOM and separators, whatever the console's encoding)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()
