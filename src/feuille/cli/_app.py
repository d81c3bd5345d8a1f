"""The typer application every command module registers on, with its frame in the user's language (Typer's Click has
no gettext: :mod:`feuille.views.usage` writes the help and Click's errors from the catalogue).  The group's callback
builds the run's context once (:class:`feuille.core.run.Run`, in ``ctx.obj``; a command's: :func:`run_of`); every
:class:`~feuille.core.errors.UserError` a command raises is shown by one handler (:meth:`FeuilleCommand.invoke`) and
ends the command with its exit code.  Only typer's public names are used (Click's errors told apart by class name).
"""

from __future__ import annotations

import contextvars
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer import core as typer_core

from feuille.core.errors import UserError
from feuille.core.i18n import DEFAULT_LANG, translator
from feuille.core.run import UnknownLanguage, asked_lang, frame_lang, lang_options, lang_value, process_run, said_of, width_of
from feuille.core.run import command_run as run_of
from feuille.views import usage

__all__ = ["app", "lang_value", "run_of"]


class _Frame:
    """What the group and the commands share: usage, help sections, the help option (written by :mod:`feuille.views.usage`)."""

    def format_usage(self: Any, ctx: Any, formatter: Any) -> None:
        usage.write_usage(self, ctx, formatter, group=isinstance(self, typer_core.TyperGroup))

    def format_help(self: Any, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        usage.write_help_text(self, ctx, formatter)
        self.format_options(ctx, formatter)
        self.format_epilog(ctx, formatter)

    def format_options(self: Any, ctx: Any, formatter: Any) -> None:
        usage.write_options(self, ctx, formatter)
        if isinstance(self, typer_core.TyperGroup):
            usage.write_commands(self, ctx, formatter)


class FeuilleCommand(_Frame, typer_core.TyperCommand):
    """A feuille command: its help in the user's language; the one handler of the errors it raises."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command in a context of its own (nothing it sets is left for the next run in the same
        process); a :class:`UserError` is shown in the error's language, else the run's, and ends the
        command with its exit code."""
        try:
            return contextvars.copy_context().run(super().invoke, ctx)
        except UserError as exc:
            sys.stderr.write(usage.error_text(exc, exc.lang or said_of(ctx), width_of(ctx)))  # « feuille : message », the hint
            raise typer.Exit(exc.exit_code) from None


def _click_class(name: str) -> type[Exception]:
    """One of the classes of Click's errors, found from typer's public ``BadParameter`` (a ``UsageError``, a
    ``ClickException``), whichever Click typer runs on."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


def show_error(exc: Any, lang: str) -> None:
    """What Click's ``show()`` writes on stderr, in ``lang``: the usage, where to find help, the error."""
    if usage.is_click(exc, "NoArgsIsHelpError"):
        typer.echo(exc.format_message(), err=True)
        return
    typer.echo(usage.wrap_text(usage.error_lines(exc, lang), process_run().width), err=True)


class FeuilleGroup(_Frame, typer_core.TyperGroup):
    """The ``feuille`` group: knows the frame's language before parsing, and shows Click's errors in it."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        lang = extra.pop("feuille_lang", None)
        for key, value in self.context_settings.items():
            extra.setdefault(key, value)
        extra.setdefault("terminal_width", usage.help_width(process_run().width))  # the commands' contexts inherit it
        ctx = self.context_class(self, info_name=info_name, parent=parent, **extra)
        ctx.meta[usage.LANG_KEY] = lang or frame_lang(args, os.environ)
        with ctx.scope(cleanup=False):
            self.parse_args(ctx, args)
        return ctx

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        given = sys.argv[1:] if args is None else list(args)
        try:
            lang = asked_lang(*lang_options(given), os.environ) or DEFAULT_LANG
        except UnknownLanguage as exc:  # refused before anything, even --help (never a silent French)
            sys.stderr.write(usage.error_text(exc, exc.fallback))
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


app = _FeuilleTyper(cls=FeuilleGroup, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                    help="feuille : le plan stratégique (DPC, PST) d'une commune, d'un CPAS ou d'une société de logement, en fichiers YAML versionnés.")


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
    ctx.obj = process_run(lang)  # the run's context, built once: each command adds its own options (run_of)
