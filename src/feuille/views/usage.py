"""The command line's frame as text in the user's language: metavars, the help's rows and its first sentences,
French guillemets kept with their words, and Click's and Typer's own messages (usage errors, refused values)
translated through the catalogue.

Typer vendors its own Click, without gettext: :mod:`feuille.cli._app` hands its parameters and errors here
(read by their attributes and class names, never imported), and writes what this module makes of them.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from typing import Any

from feuille.core.i18n import DEFAULT_LANG, N_, help_translator, translator
from feuille.views.table import wrap_text

_Gettext = Callable[[str], str]
LANG_KEY = "feuille.lang"  # where the frame's language travels, in the context of the command line (``ctx.meta``)


def ctx_lang(ctx: Any) -> str:
    """The frame's language of a command line's context (French when it has none)."""
    meta = getattr(ctx, "meta", None) or {}
    return meta.get(LANG_KEY, DEFAULT_LANG)


_TYPE_METAVARS = {"int": N_("N"), "float": N_("NUMBER"), "Path": N_("PATH"), "date": N_("DATE"), "bool": N_("YES|NO")}


def own_metavar(param: Any) -> str | None:
    """The metavar a parameter declares (French, like its help), without the brackets and dots the
    frame adds itself (``[PLAN]...``: ``PLAN``); one that says more (``FICHIER... [DOSSIER]``) is kept whole."""
    name = (param.metavar or "").strip()
    name = name.removesuffix("...") if name.count("...") == 1 and name.endswith("...") else name
    if name.startswith("[") and name.endswith("]") and "[" not in name[1:-1]:
        name = name[1:-1]
    return name or None


def metavar(param: Any, lang: str) -> str:
    """A plain metavar in ``lang``: the parameter's own (``DOSSIER``, ``DATE``, ``N``), translated like its
    help (msgctxt ``help``), else a word for its type (never ``<int range>``)."""
    if (own := own_metavar(param)) is not None:
        return help_translator(lang)(own)
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    name = getattr(annotation, "__name__", "")
    if name == "list":
        inner = getattr(annotation, "__args__", (None,))[0]
        name = getattr(inner, "__name__", "")
    _ = translator(lang)
    return _(_TYPE_METAVARS.get(name, N_("TEXT")))


def repeated(name: str, param: Any) -> str:
    """``NAME...`` for an argument that takes several values (unless its metavar already says how)."""
    return name + ("..." if param.nargs != 1 and "..." not in name else "")


def argument_usage(param: Any, lang: str) -> str:
    name = metavar(param, lang)
    shown = name if param.required or " " in name else f"[{name}]"
    return repeated(shown, param)


def number_range(param: Any, _: _Gettext) -> str | None:
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if lo is not None and hi is not None:
        return _("from {min} to {max}").format(min=lo, max=hi)
    if lo is not None:
        return _("at least {min}").format(min=lo)
    if hi is not None:
        return _("at most {max}").format(max=hi)
    return None


def extras(param: Any, ctx: Any, _: _Gettext) -> list[str]:
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
    if (span := number_range(param, _)) is not None:
        extra.append(span)
    if param.required:
        extra.append(_("required"))
    return extra


# « then its word, a word then » (written \u00ab, \u00bb: a pattern, not a French sentence)
_GLUED = ((re.compile(r"(\u00ab)[ \t]*\n?[ \t]*(?=\S)"), "\\1\u00a0"), (re.compile(r"(?<=\S)[ \t]*\n?[ \t]*(\u00bb)"), "\u00a0\\1"))


def unbroken(text: str) -> str:
    """French guillemets joined to their words by a no-break space, so that wrapping the help never
    leaves a « or a » alone at the end or the start of a line."""
    for pattern, glued in _GLUED:
        text = pattern.sub(glued, text)
    return text


def help_text_in(lang: str, text: str) -> str:
    """A help text (French in the code) in ``lang``, its guillemets joined to their words."""
    return unbroken(help_translator(lang)(inspect.cleandoc(text)))


def short_help(text: str, limit: int = 45) -> str:
    """A command's line in the group's help: its first sentence, or as many words as fit with « ... »."""
    words = text.split("\n\n", 1)[0].split()
    if words and words[0] == "\b":
        words = words[1:]
    total = 0
    for i, word in enumerate(words):
        total += len(word) + (i > 0)
        if total > limit:
            break
        if word.endswith("."):
            return " ".join(words[:i + 1])
        if total == limit and i != len(words) - 1:
            break
    else:
        return " ".join(words)
    total += len("...")
    while i > 0:
        total -= len(words[i]) + (i > 0)
        if total <= limit:
            break
        i -= 1
    return " ".join(words[:i]) + "..."


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


def refusal_reason(exc: Exception, _: _Gettext) -> str:
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


def param_name(param: Any, lang: str) -> str:
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return metavar(param, lang)
    return " / ".join(sorted(param.opts, key=lambda o: (not o.startswith("--"), o)))


def is_click(exc: BaseException, name: str) -> bool:
    """Whether ``exc`` is a Click error of class ``name`` (``NoSuchOption``, ``MissingParameter``...) or a subclass."""
    return any(c.__name__ == name for c in type(exc).__mro__)


def error_message(exc: Any, lang: str) -> str:
    """The message of a Click error, in ``lang``."""
    _ = translator(lang)
    if is_click(exc, "NoSuchOption"):
        message = _("No such option: {name}").format(name=exc.option_name)
        if exc.possibilities:
            message += " " + _("Did you mean {suggestions}?").format(suggestions=", ".join(sorted(exc.possibilities)))
        return message
    if is_click(exc, "MissingParameter"):
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            return _("Missing argument {name}.").format(name=param_name(param, lang))
        return _("Missing option {name}.").format(name=param_name(param, lang))
    if is_click(exc, "BadParameter"):
        name = param_name(exc.param, lang) if exc.param is not None else str(exc.param_hint or "")
        if not name:
            return _("Invalid value: {reason}").format(reason=refusal_reason(exc, _))
        return _("Invalid value for {name}: {reason}").format(name=name, reason=refusal_reason(exc, _))
    if is_click(exc, "UsageError"):
        return translate_message(exc.message, _)
    if is_click(exc, "FileError"):
        return _("Could not open file {name}: {reason}").format(name=exc.ui_filename, reason=exc.message)
    return translate_message(exc.format_message(), _)


# --- the help, written by the frame's group and commands (cli/_app.py) ------------------------------------------


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


def write_usage(command: Any, ctx: Any, formatter: Any, group: bool) -> None:
    """The usage line of ``command`` (a group when ``group``), in the frame's language."""
    _ = translator(ctx_lang(ctx))
    pieces = [_("[OPTIONS]")] + [argument_usage(p, ctx_lang(ctx)) for p in command.params if p.param_type_name == "argument"]
    if group:
        pieces.append(_("COMMAND [ARGS]..."))
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))


def write_help_text(command: Any, ctx: Any, formatter: Any) -> None:
    text = help_text_in(ctx_lang(ctx), command.help).partition("\f")[0] if command.help else ""
    if text:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)


def write_options(command: Any, ctx: Any, formatter: Any) -> None:
    """The help's arguments and options of ``command``, each with its help in the frame's language."""
    _ = translator(ctx_lang(ctx))
    params = command.get_params(ctx)
    arguments = [r for p in params if p.param_type_name == "argument" and (r := _record(p, ctx, _))]
    options = [r for p in params if p.param_type_name == "option" and (r := _record(p, ctx, _))]
    _section(formatter, _("Arguments:"), arguments)
    _section(formatter, _("Options:"), options)


def write_commands(group: Any, ctx: Any, formatter: Any) -> None:
    """The group's commands in its help, each with its first sentence."""
    _ = translator(ctx_lang(ctx))
    commands = [(name, cmd) for name in group.list_commands(ctx) if (cmd := group.get_command(ctx, name)) is not None and not cmd.hidden]
    if commands:
        limit = formatter.width - 6 - max(len(name) for name, _cmd in commands)
        lang = ctx_lang(ctx)
        rows = [(name, unbroken(short_help(help_text_in(lang, cmd.help), limit)) if cmd.help else "") for name, cmd in commands]
        _section(formatter, _("Commands:"), rows)


def error_lines(exc: Any, lang: str) -> str:
    """What Click's ``show()`` writes on stderr, in ``lang``: the usage, where to find help, the error."""
    _ = translator(lang)
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(_("Try '{command} {option}' for help.").format(command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(_("Error: {message}").format(message=error_message(exc, lang)))
    return "\n".join(lines)


# TRANSLATORS: how a message starts on the terminal (French typography puts a space before the colon)
MESSAGE = N_("feuille: {message}")


def error_text(exc: Any, lang: str, width: int | None = None) -> str:
    """A user error as the terminal shows it: « feuille : message », then the hint indented, wrapped to ``width``
    (the run's: :func:`feuille.views.table.wrap_text`)."""
    _ = translator(lang)
    text = wrap_text(_(MESSAGE).format(message=exc.text(lang)), width) + "\n"
    hint = exc.hint_text(lang)
    return text + (wrap_text(f"  {hint}", width) + "\n" if hint else "")


def help_width(width: int | None) -> int:
    """The width the help is laid out in: the run's (COLUMNS, the terminal's, else 80), at most 80 columns as
    Click does, less its margin of 2, and never under Click's 50 (narrower, an option's text column is too thin
    for « en cours » to stay whole)."""
    return max(min(width or 80, 80) - 2, 50)
