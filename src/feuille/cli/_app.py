"""The typer application every command module registers on, with its frame in the user's language.

Typer vendors its own Click, without gettext: its help (« Usage », « Options », « Show this
message and exit ») and its errors (« No such option », « Missing argument ») are English.
Here the group and the commands write their help themselves, every word from the catalogue
(:mod:`feuille.core.i18n`), and the group's ``main`` — what both ``feuille`` and the tests'
``CliRunner().invoke(app, ...)`` call — shows Click's and Typer's errors in the same language.

The frame's language: ``--lang`` on the command line, else ``FEUILLE_LANG``, else French (the
plan is not read yet when the command line is parsed).  It travels in the context
(``ctx.meta``), never in a global.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer import core as typer_core
from typer._click import exceptions as click_errors

from typer._click.utils import make_default_short_help

from feuille.core.i18n import DEFAULT_LANG, LANGS, N_, help_translator, translator

LANG_KEY = "feuille.lang"
_Gettext = Callable[[str], str]


def frame_lang(args: Sequence[str], environ: dict[str, str] | os._Environ[str]) -> str:
    """The language of the command line's frame: ``--lang``, else ``FEUILLE_LANG``, else French."""
    value = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    if value is None:
        value = environ.get("FEUILLE_LANG")
    value = (value or "").strip().lower()
    return value if value in LANGS else DEFAULT_LANG


def ctx_lang(ctx: Any) -> str:
    meta = getattr(ctx, "meta", None) or {}
    return meta.get(LANG_KEY, DEFAULT_LANG)


# --- help -------------------------------------------------------------------------------------

_TYPE_METAVARS = {"int": N_("N"), "float": N_("NUMBER"), "Path": N_("PATH"), "date": N_("DATE"), "bool": N_("YES|NO")}


def _metavar(param: Any, _: _Gettext) -> str:
    """A plain metavar: the parameter's own (``DOSSIER``, ``DATE``, ``N``), else a word for its type (never ``<int range>``)."""
    if param.metavar:
        return param.metavar.strip("[]").removesuffix("...").strip("[]")
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    name = getattr(annotation, "__name__", "")
    if name == "list":
        inner = getattr(annotation, "__args__", (None,))[0]
        name = getattr(inner, "__name__", "")
    return _(_TYPE_METAVARS.get(name, N_("TEXT")))


def _argument_usage(param: Any, _: _Gettext) -> str:
    name = _metavar(param, _)
    shown = name if param.required else f"[{name}]"
    return shown + ("..." if param.nargs != 1 else "")


def _number_range(param: Any, _: _Gettext) -> str | None:
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if lo is not None and hi is not None:
        return _("from {min} to {max}").format(min=lo, max=hi)
    if lo is not None:
        return _("at least {min}").format(min=lo)
    if hi is not None:
        return _("at most {max}").format(max=hi)
    return None


def _extras(param: Any, ctx: Any, _: _Gettext) -> list[str]:
    extra = []
    envvar = param.envvar if getattr(param, "show_envvar", True) else None
    if envvar:
        extra.append(_("env var: {var}").format(var=", ".join(envvar) if isinstance(envvar, list | tuple) else envvar))
    show_default = param.show_default if param.show_default is not None else ctx.show_default
    if isinstance(show_default, str):
        extra.append(_("default: {default}").format(default=show_default))
    elif show_default and param.default is not None and not getattr(param, "is_flag", False) and not callable(param.default):
        default = param.default
        if isinstance(default, list | tuple):
            default = ", ".join(map(str, default))
        if str(default) != "":
            extra.append(_("default: {default}").format(default=default))
    if (span := _number_range(param, _)) is not None:
        extra.append(span)
    if param.required:
        extra.append(_("required"))
    return extra


def _record(param: Any, ctx: Any, _: _Gettext) -> tuple[str, str] | None:
    if getattr(param, "hidden", False):
        return None
    if param.param_type_name == "argument":
        name = _metavar(param, _) + ("..." if param.nargs != 1 else "")
    else:
        names = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
        if param.secondary_opts:
            names += " / " + ", ".join(param.secondary_opts)
        name = names if getattr(param, "is_flag", False) or getattr(param, "count", False) else f"{names} {_metavar(param, _)}"
    help_text = help_translator(ctx_lang(ctx))(inspect.cleandoc(param.help)) if param.help else ""
    if param.name == "help":
        help_text = _("Show this message and exit.")
    extra = _extras(param, ctx, _)
    if extra:
        help_text = f"{help_text}  [{'; '.join(extra)}]" if help_text else f"[{'; '.join(extra)}]"
    return name, help_text


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
        pieces = [_("[OPTIONS]")] + [_argument_usage(p, _) for p in self.params if p.param_type_name == "argument"]
        if isinstance(self, typer_core.TyperGroup):
            pieces.append(_("COMMAND [ARGS]..."))
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def format_help(self: Any, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        self.format_options(ctx, formatter)
        self.format_epilog(ctx, formatter)

    def format_help_text(self: Any, ctx: Any, formatter: Any) -> None:
        text = help_translator(ctx_lang(ctx))(inspect.cleandoc(self.help)).partition("\f")[0] if self.help else ""
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
            help_ = help_translator(ctx_lang(ctx))
            rows = [(name, make_default_short_help(help_(inspect.cleandoc(cmd.help)), limit) if cmd.help else "") for name, cmd in commands]
            _section(formatter, _("Commands:"), rows)


class FeuilleCommand(_Frame, typer_core.TyperCommand):
    """A feuille command: its help in the user's language."""


# --- errors -----------------------------------------------------------------------------------

# Click's and Typer's own messages, as they write them ({...}: what changes); each is a msgid.
CLICK_MESSAGES = (
    N_("Got unexpected extra argument(s) ({args})"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {n} arguments."),
    N_("Option {name} does not take a value."),
    N_("Argument {name} takes {n} values."),
    N_("Missing command."),
    N_("No such command {name}. Did you mean {suggestions}?"),
    N_("No such command {name}."),
    N_("Value must be an iterable."),
    N_("Value {value} is not a valid {type}."),
    N_("{label} {path} does not exist."),
    N_("{label} {path} is a file."),
    N_("{label} {path} is a directory."),
    N_("{label} {path} is not readable."),
    N_("{label} {path} is not writable."),
)
# pydantic's messages when typer checks a value, by error type ({...}: the error's context).
PYDANTIC_MESSAGES = {
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "greater_than": N_("Input should be greater than {gt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "less_than": N_("Input should be less than {lt}"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "literal_error": N_("Input should be {expected}"),
    "enum": N_("Input should be {expected}"),
    "date_from_datetime_parsing": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
}


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}$", re.DOTALL)


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Click's messages as patterns, compiled at the first message to translate (30 patterns: ~4 ms
    of every start-up when they were compiled at import)."""
    return [(t, _pattern(t)) for t in CLICK_MESSAGES]
_PATH_LABELS = {"file": N_("File"), "dir": N_("Folder"), "path": N_("Path")}  # typer's words for a path that is refused


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def translate_message(message: str, _: _Gettext) -> str:
    """One of Click's or Typer's messages in the user's language (unchanged if it is not one of theirs)."""
    for template, pattern in _patterns():
        if m := pattern.match(message.strip()):
            values = {k: _unquote(v) for k, v in m.groupdict().items()}
            if "label" in values:
                values["label"] = _(_PATH_LABELS.get(values["label"], values["label"]))
            return _(template).format(**values)
    return message


def _reason(exc: Exception, _: _Gettext) -> str:
    """Why a value was refused: pydantic's error (typer's check) or the message, translated."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
        except (IndexError, TypeError):
            first = None
        if first is not None:
            template = PYDANTIC_MESSAGES.get(first.get("type", ""))
            if template is not None:
                try:
                    return _(template).format(**{k: v for k, v in (first.get("ctx") or {}).items()})
                except (KeyError, IndexError):
                    pass
            return _("this value is not accepted")
    return translate_message(getattr(exc, "message", str(exc)), _)


def _param_name(param: Any, _: _Gettext) -> str:
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return _metavar(param, _)
    return " / ".join(sorted(param.opts, key=lambda o: (not o.startswith("--"), o)))


def error_message(exc: click_errors.ClickException, _: _Gettext) -> str:
    """The message of a Click error, in the language of ``_``."""
    if isinstance(exc, click_errors.NoSuchOption):
        message = _("No such option: {name}").format(name=exc.option_name)
        if exc.possibilities:
            message += " " + _("Did you mean {suggestions}?").format(suggestions=", ".join(sorted(exc.possibilities)))
        return message
    if isinstance(exc, click_errors.MissingParameter):
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            return _("Missing argument {name}.").format(name=_param_name(param, _))
        return _("Missing option {name}.").format(name=_param_name(param, _))
    if isinstance(exc, click_errors.BadParameter):
        name = _param_name(exc.param, _) if exc.param is not None else str(exc.param_hint or "")
        if not name:
            return _("Invalid value: {reason}").format(reason=_reason(exc, _))
        return _("Invalid value for {name}: {reason}").format(name=name, reason=_reason(exc, _))
    if isinstance(exc, click_errors.UsageError):
        return translate_message(exc.message, _)
    if isinstance(exc, click_errors.FileError):
        return _("Could not open file {name}: {reason}").format(name=exc.ui_filename, reason=exc.message)
    return translate_message(exc.format_message(), _)


def show_error(exc: click_errors.ClickException, lang: str) -> None:
    """What Click's ``show()`` writes on stderr, in ``lang``: the usage, where to find help, the error."""
    _ = translator(lang)
    if isinstance(exc, click_errors.NoArgsIsHelpError):
        typer.echo(exc.format_message(), err=True)
        return
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(_("Try '{command} {option}' for help.").format(command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(_("Error: {message}").format(message=error_message(exc, _)))
    typer.echo("\n".join(lines), err=True)


class FeuilleGroup(_Frame, typer_core.TyperGroup):
    """The ``feuille`` group: knows the frame's language before parsing, and shows Click's errors in it."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        lang = extra.pop("feuille_lang", None)
        for key, value in self.context_settings.items():
            extra.setdefault(key, value)
        ctx = self.context_class(self, info_name=info_name, parent=parent, **extra)
        ctx.meta[LANG_KEY] = lang or frame_lang(args, os.environ)
        with ctx.scope(cleanup=False):
            self.parse_args(ctx, args)
        return ctx

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        lang = frame_lang(sys.argv[1:] if args is None else list(args), os.environ)
        try:
            result = super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                                  windows_expand_args=windows_expand_args, feuille_lang=lang, **extra)
        except click_errors.ClickException as exc:
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
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version, help="Afficher la version de feuille et quitter.")] = False,
    lang: Annotated[str | None, typer.Option("--lang", envvar="FEUILLE_LANG", metavar="LANGUE", help="Langue de l'aide et des erreurs de la commande : fr ou en (ailleurs, --lang de chaque commande).")] = None,
) -> None:
    """feuille : le plan stratégique (DPC, PST) d'une commune, d'un CPAS ou d'une société de logement, en fichiers YAML versionnés."""


def help_texts() -> list[str]:
    """Every help text of the command line (French, as written in the code): the catalogue's msgctxt ``help``."""
    from typer.main import get_command

    from feuille import cli  # the package's ``app`` has every command registered (a run registers only its own)

    group = get_command(cli.app)
    found = []
    for cmd in [group, *group.commands.values()]:
        if cmd.help:
            found.append(inspect.cleandoc(cmd.help))
        found += [inspect.cleandoc(p.help) for p in cmd.params if getattr(p, "help", None)]
    return sorted(set(found))
