"""The typer application every command module registers on, with its frame in the user's language.

Typer vendors its own Click, without gettext: its help (« Usage », « Options », « Show this
message and exit ») and its errors (« No such option », « Missing argument ») are English.
Here the group and the commands write their help themselves, every word from the catalogue
(:mod:`feuille.core.i18n`), and the group's ``main`` — what both ``feuille`` and the tests'
``CliRunner().invoke(app, ...)`` call — shows Click's and Typer's errors in the same language.

The frame's language follows the one rule of a run (:func:`asked_lang`): the command's ``--lang``,
else the one given before the command, else ``FEUILLE_LANG``, else French (the plan is not read
yet when the command line is parsed).  It travels in the context (``ctx.meta``), never in a global.
Metavars (``DOSSIER``) are translated like the help texts (msgctxt ``help``).

The group's callback builds the run's context (:class:`feuille.core.run.Run`: language, colour,
width, date, cache) once, in ``ctx.obj``; a command gets it, with its own options, from
:func:`run_of`.  Every :class:`~feuille.core.errors.UserError` a command raises is shown by one
handler (:meth:`FeuilleCommand.invoke`) and ends the command with the error's exit code.

Only typer's public names are used (``typer.core``, ``typer.Context``, ``typer.BadParameter``): Click's
errors are told apart by their class names, whichever Click typer runs on (its own copy since 0.26).
"""

from __future__ import annotations

import contextvars
import inspect
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer import core as typer_core

from feuille.core.errors import UserError
from feuille.core.i18n import DEFAULT_LANG, N_, translator
from feuille.core.run import UNKNOWN_LANG, UNKNOWN_LANG_HINT, Run, UnknownLanguage, asked_lang, lang_code
from feuille.views.usage import (
    argument_usage,
    error_message,
    extras,
    help_text_in,
    is_click,
    metavar,
    own_metavar,
    repeated,
    short_help,
    unbroken,
)

__all__ = ["UNKNOWN_LANG", "UNKNOWN_LANG_HINT", "UnknownLanguage", "app", "asked_lang", "lang_code", "run_of"]

LANG_KEY = "feuille.lang"
_Gettext = Callable[[str], str]


def lang_value(value: str | None) -> str | None:
    """The callback of every ``--lang`` option: the language of a locale (``en-GB``: ``en``); an unknown
    value is kept as given (refused before parsing, by :meth:`FeuilleGroup.main`)."""
    return (lang_code(value) or value) if value is not None else None


def lang_options(args: Sequence[str]) -> tuple[str | None, str | None]:
    """The ``--lang`` given after the command and the one given before it, read from the command line
    before Click parses it (for the help and Click's errors)."""
    top = command = None
    seen_command = False
    i = 0
    while i < len(args):
        arg, value = args[i], None
        if arg == "--":
            break
        if arg == "--lang":
            if i + 1 < len(args):
                value = args[i + 1]
                i += 1
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        elif not arg.startswith("-"):
            seen_command = True
        if value is not None:
            if seen_command:
                command = value
            else:
                top = value
        i += 1
    return command, top


def frame_lang(args: Sequence[str], environ: Any = os.environ) -> str:
    """The language of the command line's frame (help, usage errors), by :func:`asked_lang`, else French;
    an unknown language: the next one asked for, else French (the refusal is said in it)."""
    try:
        return asked_lang(*lang_options(args), environ) or DEFAULT_LANG
    except UnknownLanguage as exc:
        return exc.fallback


def ctx_lang(ctx: Any) -> str:
    meta = getattr(ctx, "meta", None) or {}
    return meta.get(LANG_KEY, DEFAULT_LANG)


# --- help -------------------------------------------------------------------------------------


def _record(param: Any, ctx: Any, _: _Gettext) -> tuple[str, str] | None:
    if getattr(param, "hidden", False):
        return None
    if param.param_type_name == "argument":
        name = repeated(metavar(param, ctx_lang(ctx)), param)
    else:
        names = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
        if param.secondary_opts:
            names += " / " + ", ".join(param.secondary_opts)
        name = names if getattr(param, "is_flag", False) or getattr(param, "count", False) else f"{names} {metavar(param, ctx_lang(ctx))}"
    help_text = help_text_in(ctx_lang(ctx), param.help) if param.help else ""
    if param.name == "help":
        help_text = _("Show this message and exit.")
    extra = extras(param, ctx, _)
    if extra:
        help_text = f"{help_text}  [{'; '.join(extra)}]" if help_text else f"[{'; '.join(extra)}]"
    return name, unbroken(help_text)


def _section(formatter: Any, title: str, rows: list[tuple[str, str]]) -> None:
    if not rows:
        return
    formatter.write_paragraph()
    formatter.write(f"{'':>{formatter.current_indent}}{title}\n")
    formatter.indent()
    try:
        formatter.write_dl(rows)
    finally:
        formatter.dedent()


class _Frame:
    """What the group and the commands share: usage, help sections, the help option."""

    def format_usage(self: Any, ctx: Any, formatter: Any) -> None:
        _ = translator(ctx_lang(ctx))
        pieces = [_("[OPTIONS]")] + [argument_usage(p, ctx_lang(ctx)) for p in self.params if p.param_type_name == "argument"]
        if isinstance(self, typer_core.TyperGroup):
            pieces.append(_("COMMAND [ARGS]..."))
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def format_help(self: Any, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        self.format_options(ctx, formatter)
        self.format_epilog(ctx, formatter)

    def format_help_text(self: Any, ctx: Any, formatter: Any) -> None:
        text = help_text_in(ctx_lang(ctx), self.help).partition("\f")[0] if self.help else ""
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_options(self: Any, ctx: Any, formatter: Any) -> None:
        _ = translator(ctx_lang(ctx))
        params = self.get_params(ctx)
        arguments = [r for p in params if p.param_type_name == "argument" and (r := _record(p, ctx, _))]
        options = [r for p in params if p.param_type_name == "option" and (r := _record(p, ctx, _))]
        _section(formatter, _("Arguments:"), arguments)
        _section(formatter, _("Options:"), options)
        if isinstance(self, typer_core.TyperGroup):
            self.format_commands(ctx, formatter)

    def format_commands(self: Any, ctx: Any, formatter: Any) -> None:
        _ = translator(ctx_lang(ctx))
        commands = [(name, cmd) for name in self.list_commands(ctx) if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _cmd in commands)
            lang = ctx_lang(ctx)
            rows = [(name, unbroken(short_help(help_text_in(lang, cmd.help), limit)) if cmd.help else "") for name, cmd in commands]
            _section(formatter, _("Commands:"), rows)


def run_of(ctx: Any) -> Run:
    """The run's context for the command of ``ctx``: the one the group built (:func:`_root`), with the
    command's own ``--lang``, ``--color``, ``--wide`` and ``--no-cache``."""
    params = getattr(ctx, "params", None) or {}
    return _group_run(ctx).with_options(lang=params.get("lang"), color=params.get("color"), wide=bool(params.get("wide")),
                                        no_cache=bool(params.get("no_cache")))


def _group_run(ctx: Any) -> Run:
    root = ctx.find_root() if ctx is not None else None
    run = getattr(root, "obj", None)
    return run if isinstance(run, Run) else _process_run(None)  # (a command called without the group: the process's)


def _said(ctx: Any) -> str:
    """The language of what is said before a plan is read, for the command of ``ctx`` (its --lang, the one before it, FEUILLE_LANG, French)."""
    try:
        return _group_run(ctx).with_options(lang=(getattr(ctx, "params", None) or {}).get("lang")).said
    except UnknownLanguage as exc:
        return exc.fallback


def _width(ctx: Any) -> int | None:
    """The width of the command of ``ctx`` (its --wide, the group's run), to say an error in."""
    try:
        return run_of(ctx).width
    except UserError:  # an unknown --lang or --color: the group's
        return _group_run(ctx).width


def help_width(run: Run) -> int:
    """The width the help is laid out in: the run's (COLUMNS, the terminal's, else 80), at most 80 columns as
    Click does, less its margin of 2, and never under Click's 50 (narrower, an option's text column is too thin
    for « en cours » to stay whole)."""
    return max(min(run.width or 80, 80) - 2, 50)


def _process_run(top_lang: str | None) -> Run:
    tty = sys.stdout.isatty()
    return Run.of(os.environ, top_lang=top_lang, tty=tty, columns=shutil.get_terminal_size().columns if tty else None)


def report(exc: UserError, lang: str, width: int | None = None) -> None:
    """How every user error is shown, on stderr: « feuille : message », then the hint indented, wrapped to ``width``
    (the run's: :func:`feuille.views.table.wrap`)."""
    from feuille.views.table import wrap_text

    _ = translator(lang)
    sys.stderr.write(wrap_text(_(MESSAGE).format(message=exc.text(lang)), width) + "\n")
    hint = exc.hint_text(lang)
    if hint:
        sys.stderr.write(wrap_text(f"  {hint}", width) + "\n")


# TRANSLATORS: how a message starts on the terminal (French typography puts a space before the colon)
MESSAGE = N_("feuille: {message}")


class FeuilleCommand(_Frame, typer_core.TyperCommand):
    """A feuille command: its help in the user's language; the one handler of the errors it raises."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command in a context of its own (nothing it sets is left for the next run in the same
        process); a :class:`UserError` is shown in the error's language, else the run's, and ends the
        command with its exit code."""
        try:
            return contextvars.copy_context().run(super().invoke, ctx)
        except UserError as exc:
            report(exc, exc.lang or _said(ctx), _width(ctx))
            raise typer.Exit(exc.exit_code) from None


# --- errors -----------------------------------------------------------------------------------


def _click_class(name: str) -> type[Exception]:
    """One of the classes of Click's errors, found from typer's public ``BadParameter`` (a ``UsageError``, a
    ``ClickException``), whichever Click typer runs on."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


def show_error(exc: Any, lang: str) -> None:
    """What Click's ``show()`` writes on stderr, in ``lang``: the usage, where to find help, the error."""
    _ = translator(lang)
    if is_click(exc, "NoArgsIsHelpError"):
        typer.echo(exc.format_message(), err=True)
        return
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(_("Try '{command} {option}' for help.").format(command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(_("Error: {message}").format(message=error_message(exc, lang)))
    from feuille.views.table import wrap_text

    typer.echo(wrap_text("\n".join(lines), _process_run(None).width), err=True)


class FeuilleGroup(_Frame, typer_core.TyperGroup):
    """The ``feuille`` group: knows the frame's language before parsing, and shows Click's errors in it."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        lang = extra.pop("feuille_lang", None)
        for key, value in self.context_settings.items():
            extra.setdefault(key, value)
        extra.setdefault("terminal_width", help_width(_process_run(None)))  # the commands' contexts inherit it
        ctx = self.context_class(self, info_name=info_name, parent=parent, **extra)
        ctx.meta[LANG_KEY] = lang or frame_lang(args, os.environ)
        with ctx.scope(cleanup=False):
            self.parse_args(ctx, args)
        return ctx

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        given = sys.argv[1:] if args is None else list(args)
        try:
            lang = asked_lang(*lang_options(given), os.environ) or DEFAULT_LANG
        except UnknownLanguage as exc:  # refused before anything, even --help (never a silent French)
            report(exc, exc.fallback)
            if not standalone_mode:
                raise typer.Exit(2) from None
            sys.exit(2)
        try:
            result = super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                                  windows_expand_args=windows_expand_args, feuille_lang=lang, **extra)
        except _click_class("ClickException") as exc:
            if not standalone_mode:
                raise
            show_error(exc, lang)
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            _ = translator(lang)
            typer.echo(_("Aborted!"), err=True)
            sys.exit(1)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


class _FeuilleTyper(typer.Typer):
    """``app.command()`` makes :class:`FeuilleCommand` commands (help in the user's language)."""

    def command(self, name: str | None = None, *, cls: type[typer_core.TyperCommand] | None = None, **kwargs: Any) -> Any:
        return super().command(name, cls=cls or FeuilleCommand, **kwargs)


app = _FeuilleTyper(
    cls=FeuilleGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="feuille : le plan stratégique (DPC, PST) d'une commune, d'un CPAS ou d'une société de logement, en fichiers YAML versionnés.",
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("feuille")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
            number = "?"
        typer.echo(f"feuille {number}")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version, help="Afficher la version de feuille et quitter.")] = False,
    lang: Annotated[str | None, typer.Option("--lang", metavar="LANGUE", callback=lang_value, help="Langue de l'aide et des messages : fr ou en, ou une locale (en-GB). Par défaut : FEUILLE_LANG, sinon la langue du plan ; le --lang donné après la commande l'emporte.")] = None,
) -> None:
    """feuille : le plan stratégique (DPC, PST) d'une commune, d'un CPAS ou d'une société de logement, en fichiers YAML versionnés."""
    ctx.obj = _process_run(lang)  # the run's context, built once: each command adds its own options (run_of)


def help_texts(every: typer.Typer) -> list[str]:
    """Every help text and metavar of the command line (French, as written in the code): the catalogue's msgctxt ``help``.
    ``every``: the app with every command registered (``feuille.cli.app``; a run registers only its own)."""
    from typer.main import get_command

    group = get_command(every)
    found = []
    for cmd in [group, *group.commands.values()]:
        if cmd.help:
            found.append(inspect.cleandoc(cmd.help))
        found += [inspect.cleandoc(p.help) for p in cmd.params if getattr(p, "help", None)]
        found += [own for p in cmd.params if (own := own_metavar(p)) is not None]
    return sorted(set(found))
