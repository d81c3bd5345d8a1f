"""Turn pydantic validation errors into diagnostics a town clerk can act on."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from feuille.core.bounds import Bound
from feuille.core.diagnostics import Diagnostic
from feuille.core.fields import of, value_of, words_of
from feuille.core.i18n import Joined, Msg, Number, msg, msgn
from feuille.core.registry import FieldName, ValueName, enum_of, find_anywhere, value_names

# The French names of the keys (« statut », « échéance ») and the words of the values (« terminé », « en cours »)
# are the field registry's (feuille.core.fields, declared in core/model.py): « did you mean » reads them.

_EXPECTED = {
    "string_type": msg('text'),
    "int_type": msg('a whole number'),
    "int_parsing": msg('a whole number'),
    "int_from_float": msg('a whole number'),
    "float_type": msg('a number'),
    "float_parsing": msg('a number'),
    "decimal_type": msg('an amount (number)'),
    "decimal_parsing": msg('an amount (number)'),
    "finite_number": msg('a finite number'),
    "list_type": msg('a list'),
    "dict_type": msg("a mapping ('key: value')"),
    "model_type": msg("a mapping ('key: value')"),
    "model_attributes_type": msg("a mapping ('key: value')"),
    "bool_type": msg('true or false'),
    "bool_parsing": msg('true or false'),
}

_EXAMPLES = {
    "list_type": msg("Write a list: [a, b], or one '- a' line per item."),
    "dict_type": msg("Write indented 'key: value' lines under this key."),
    "model_type": msg("Write indented 'key: value' lines under this key."),
    "string_type": msg('Quote the text if needed: "...".'),
    "decimal_parsing": msg('Write the amount with no space or symbol, with a dot: 12500.50.'),
    "finite_number": msg('Write a number in digits, e.g. 12500.50: .nan and .inf are not numbers.'),
}

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_YMD = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def describe_value(value: Any) -> Msg | str:
    """How to name a wrong value in a message."""
    if value is None:
        return msg('an empty value')
    if isinstance(value, bool):
        return msg("the value {value}", value=str(value).lower())
    if isinstance(value, int | float):
        return msg('the number {value}', value=_short(value))
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return msg("the text '{short}'", short=short)
    if isinstance(value, list):
        return msg('a list')
    if isinstance(value, dict):
        return msg('a mapping')
    return type(value).__name__


#: Schema problems listed per file; past this, one diagnostic counts the others.
MAX_ERRORS_PER_FILE = 50


class ErrorCap:
    """Bounds the schema problems reported (and the work of translating them) per file.

    ``over(file)`` is called for each problem: False while under the limit; past it,
    the summary diagnostic of that file the first time (to report), True after
    (its count is kept up to date).
    """

    def __init__(self, limit: int = MAX_ERRORS_PER_FILE) -> None:
        self.limit = limit
        self.counts: dict[str, int] = {}
        self.summaries: dict[str, Diagnostic] = {}

    def over(self, file: str) -> Diagnostic | bool:
        n = self.counts[file] = self.counts.get(file, 0) + 1
        if n <= self.limit:
            return False
        more = n - self.limit
        detail = msgn('… and {n} more problem in this file, not detailed: only the first {limit} are listed.',
                      '… and {n} more problems in this file, not detailed: only the first {limit} are listed.', more, limit=self.limit)
        summary = self.summaries.get(file)
        if summary is not None:
            summary.args["detail"] = detail
            return True
        fix = msg("Fix the problems listed first, then run 'feuille lint' again to see the next ones.")
        summary = self.summaries[file] = Diagnostic("F105", file, args={"detail": detail, "fix": fix})
        return summary


def _short(value: Any) -> Any:
    """A number as typed, but a huge one in scientific notation (10**400 is not quoted with its 401 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15 or isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= 15:
        mantissa, _e, exponent = f"{Decimal(value):.5e}".partition("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{exponent}"
    return value


def _describe_number(value: Any) -> Msg | str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return msg('the number {value}', value=_short(value))
    return describe_value(value)


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model whose fields apply at ``loc`` (the last element excluded): the items of ``budget`` are budget lines..."""
    current = model
    for part in loc[:-1]:
        if isinstance(part, str):
            found = of(current).get(part)
            if found is not None and found.item_model is not None:
                current = found.item_model
    return current


def _found_in(annotation: Any, kind: type) -> Any:
    """The first ``kind`` in a type: an ``Annotated`` marker (a Bound) or a model class, through ``X | None``, lists and dicts."""
    if isinstance(annotation, type) and issubclass(annotation, kind):
        return annotation
    if get_origin(annotation) is Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, kind):
                return meta
    for arg in get_args(annotation):
        if (found := _found_in(arg, kind)) is not None:
            return found
    return None


def bound_at(model: type[BaseModel], loc: tuple[Any, ...]) -> Bound | None:
    """The bounds (core/model.py's bounded types) of the number at ``loc``, if it has some."""
    current: type[BaseModel] | None = model
    field = None
    for part in loc:
        if not isinstance(part, str) or current is None:
            continue  # a list index, or a key of a mapping of values (status_progress)
        field = current.model_fields.get(part) or next((f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        current = _found_in(field.annotation, BaseModel)
    if field is None:
        return None
    return next((meta for meta in field.metadata if isinstance(meta, Bound)), None) or _found_in(field.annotation, Bound)


def suggest_key(key: str, fields: list[str], model: type[BaseModel] | None = None) -> Msg:
    """« did you mean » for an unknown key: the field it names in French (« statut »), else the closest key, else the keys allowed."""
    lowered = key.lower().strip()
    target = of(model).find(key) if model is not None else None
    if target not in fields:  # a name people give a field of the same name elsewhere (« enjeu » in the priorities' weights)
        target = next((k for k in find_anywhere(key) if k in fields), None)
    if target and target in fields:
        return msg("Did you mean '{target}'?", target=target)
    close = difflib.get_close_matches(lowered, fields, n=1, cutoff=0.6)
    if close:
        return msg("Did you mean {field}?", field=FieldName(close[0], model))
    listing = Joined(msg(", "), [FieldName(f, model) for f in fields])
    return msg('Keys allowed here: {listing}.', listing=listing)


def suggest_value(value: Any, allowed: list[str]) -> str | None:
    """The value among ``allowed`` that ``value`` names (« terminé » -> done: the field registry's words), else the closest."""
    if not isinstance(value, str):
        return None
    lowered = value.lower().strip()
    named = value_of(value, allowed)
    if named is not None:
        return named
    close = difflib.get_close_matches(lowered, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _key_name(loc: tuple[Any, ...]) -> str:
    if loc[-2:] == ("visibility", "item"):  # `visibility: council` is read as {item: council}
        return "visibility"
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "?"


def _allowed_from_ctx(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


_PATTERN_HELP = {
    "id": msg('letters, digits, dot, dash and underscore, no space (e.g. A1.2)'),
    "email": msg('an e-mail address (name@example.org)'),
    "locale": msg('fr-BE, fr-FR, fr-CH, fr-CA, en-GB...'),
    "currency": msg('an ISO currency code: EUR, CHF, CAD'),
    "rollup_weights": msg('equal, weight or budget'),
}


def to_diagnostic(err: dict[str, Any], model: type[BaseModel], file: str, base: tuple[Any, ...], data: Any) -> Diagnostic:
    """One pydantic error (from ``ValidationError.errors()``) as a diagnostic."""
    etype: str = err["type"]
    loc: tuple[Any, ...] = tuple(err["loc"])
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    key = _key_name(loc)
    path = base + loc
    if etype == "extra_forbidden":
        here = model_at(model, loc)
        fields = list(here.model_fields)
        return Diagnostic("F201", file, path, args={"key": key, "suggestion": suggest_key(key, fields, here)}, on_key=True)
    if etype == "missing":
        return Diagnostic("F202", file, base + loc[:-1], args={"key": key})
    if etype.startswith(("date", "datetime")):
        return _date_diagnostic(file, path, key, value)
    if etype in ("enum", "literal_error"):
        allowed = _allowed_from_ctx(str(ctx.get("expected", "")))
        enum = enum_of(key, model_at(model, loc))
        guess = suggest_value(value, allowed)
        if guess is None and enum is not None and isinstance(value, str):  # « en cour »: the closest of the field's words
            near = words_of(enum).near(value, "fr")
            guess = words_of(enum).parse(near) if near else None
        args: dict[str, Any] = {"key": key, "value": value, "allowed": value_names(allowed, enum)}
        if guess:
            args["allowed"] = msg("{allowed} (did you mean '{guess}'?)", allowed=value_names(allowed, enum), guess=ValueName(guess, enum, code=True))
        return Diagnostic("F204", file, path, args=args)
    if etype == "string_pattern_mismatch":
        helptext = _PATTERN_HELP.get(key, msg('the pattern {pattern}', pattern=ctx.get('pattern')))
        return Diagnostic("F204", file, path, args={"key": key, "value": value, "allowed": helptext})
    if etype == "decimal_max_places":  # Money
        return Diagnostic("F203", file, path, args={
            "key": key, "expected": msg('an amount to the cent (two decimals at most)'),
            "found": _describe_number(value),
            "example": msg('Round to the cent, e.g. 12500.35.')})
    too_big = etype == "float_type" and isinstance(value, int) and not isinstance(value, bool)  # past a float's range
    if etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than") or too_big:
        bound = bound_at(model, loc)
        if bound is not None:
            expected, example = bound.expected, bound.example
        else:  # a bound not declared in core/model.py's bounded types: said from pydantic's own limit
            expected = {
                "greater_than_equal": msg('a number of at least {limit}', limit=Number(ctx.get('ge'))),
                "less_than_equal": msg('a number of at most {limit}', limit=Number(ctx.get('le'))),
                "greater_than": msg('a number greater than {limit}', limit=Number(ctx.get('gt'))),
                "less_than": msg('a number less than {limit}', limit=Number(ctx.get('lt'))),
                "float_type": msg('a number'),
            }[etype]
            example = ""
        return Diagnostic("F206", file, path, args={"key": key, "expected": expected, "found": _describe_number(value), "example": example})
    if etype in ("string_too_short", "too_short"):
        n = ctx.get("min_length", 1)
        problem = msg('is empty') if etype == "string_too_short" else msgn('must hold at least {n} item', 'must hold at least {n} items', n)
        return Diagnostic("F207", file, path, args={"key": key, "problem": problem})
    if etype in ("string_too_long", "too_long"):
        n = ctx.get("max_length")
        problem = msg('is longer than {n} characters', n=n) if etype == "string_too_long" else msg('holds more than {n} items', n=n)
        return Diagnostic("F207", file, path, args={"key": key, "problem": problem})
    expected = _EXPECTED.get(etype, err.get("msg", etype))
    example = _EXAMPLES.get(etype, "")
    return Diagnostic("F203", file, path, args={"key": key, "expected": expected, "found": describe_value(value), "example": example})


def _date_diagnostic(file: str, path: tuple[Any, ...], key: str, value: Any) -> Diagnostic:
    text = str(value) if value is not None else ""
    dmy = _DMY.match(text)
    if dmy:
        day, month, year = (int(g) for g in dmy.groups())
        iso = f"{year:04d}-{month:02d}-{day:02d}"
        problem = msg("'{text}' is not in the expected format.", text=text)
        example = msg(': {iso} instead of {text}', iso=iso, text=text)
    elif _YMD.match(text):
        problem = msg('the date {text} does not exist.', text=text)
        example = msg(' (check the day and the month)')
    elif value is None:
        problem = msg('the date is empty.')
        example = msg(', e.g. 2025-12-31')
    else:
        problem = msg("'{text}' is not a date.", text=text)
        example = msg(', e.g. 2025-12-31')
    return Diagnostic("F205", file, path, args={"key": key, "problem": problem, "example": example})


def refusal(error: Any, model: type[BaseModel], data: Any) -> Msg:
    """The first problem of a pydantic ``ValidationError`` in lint's words, with where it is (``actions.0.notes``): what an
    importer says of a value the model refuses, instead of pydantic's English."""

    err = error.errors(include_url=False)[0]
    found = to_diagnostic(err, model, "", (), data)
    where = ".".join(str(p) for p in err["loc"])
    return msg("{where}: {problem}", where=where, problem=found.as_msg())
