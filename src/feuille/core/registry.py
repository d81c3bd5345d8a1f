"""The field registry of a plan's items as a whole: every model of a plan's files and the models their fields
hold (:func:`models`), the fields of objectives and actions (:func:`item_fields`) and their word tables
(:func:`table`), a name found in any model (:func:`find_anywhere`).

:mod:`feuille.core.fields` reads one model's fields from its metadata (and knows nothing of the model module);
this module puts the plan's models together, so that neither imports the other in a circle.
"""

from __future__ import annotations

import functools
from enum import Enum

from feuille.core.fields import FieldDef, fold, of, words_of
from feuille.core.i18n import DEFAULT_LANG, Joined, Msg, Words, msg, translator
from feuille.core.model import FILE_MODELS, Action, Objective


@functools.cache
def models() -> tuple[type, ...]:
    """Every model of a plan's files, the files' own first, then the models their fields hold (budget lines...)."""
    found: list[type] = []
    todo = list(FILE_MODELS.values())
    while todo:
        model = todo.pop(0)
        if model not in found:
            found.append(model)
            todo += [f.item_model for f in of(model) if f.item_model is not None]
    return tuple(found)


def find_anywhere(text: str) -> list[str]:
    """The fields ``text`` names in any model (« enjeu »: an item's stake, and the weight of the stake in the plan's
    settings share the name), each key once: for a « did you mean » where the model's own names say nothing."""
    return list(dict.fromkeys(key for model in models() if (key := of(model).find(text)) is not None))


def item_fields() -> dict[str, FieldDef]:
    """Every field of objectives and actions by name (an action's where both have it)."""
    return {**of(Objective).fields, **of(Action).fields}


def table(what: str) -> Words:
    """A table of the item fields' names, by language: ``table("label")["fr"]["planned_end"] == "échéance"``.

    ``what``: ``label``, ``heading`` or ``diff`` (see :class:`FieldDef`)."""
    return _tables(what)


@functools.cache
def _tables(what: str) -> Words:
    keys: dict[str, str] = {}
    for name, f in item_fields().items():
        key = {"label": f.meta.label, "heading": f.meta.heading, "diff": f.meta.diff or f.meta.label}[what]
        if key:
            keys[name] = key
    return _Headings(keys) if what == "heading" else Words(keys)


class _Headings(Words):
    """Headings: a field that declares none takes its label with a capital."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        made = self._made.get(lang)
        if made is None:
            made = {name: f.heading(lang) for name, f in item_fields().items()}
            self._made[lang] = made
        return made


def field_def(key: str, model: type | None = None) -> FieldDef | None:
    """The field ``key`` of ``model`` (else of an objective or an action, else of any model of a plan's files)."""
    if model is not None and key in of(model):
        return of(model)[key]
    found = item_fields().get(key)
    if found is not None:
        return found
    return next((of(m)[key] for m in models() if key in of(m)), None)


class FieldName(Msg):
    """A field named in a message, as docs/format.md (« Les noms des champs dans les messages ») says: its label,
    then its key in parentheses so that the reader finds it in the file or knows what to type
    (« échéance (planned_end) »).  A key that no model knows (a typo, a key of another tool) is quoted as written."""

    __slots__ = ("model",)

    def __init__(self, key: str, model: type | None = None) -> None:
        super().__init__(key)
        self.model = model

    def __call__(self, lang: str | None) -> str:
        key = self.msgid
        found = field_def(key, self.model)
        label = found.label(lang or DEFAULT_LANG) if found is not None and found.meta.label else None
        if label is None or fold(label) == fold(key):  # no label, or the key itself (« tags », English « title »)
            _ = translator(lang)
            return _("'{value}'").format(value=key)
        return f"{label} ({key})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldName) and (self.msgid, self.model) == (other.msgid, other.model)

    __hash__ = Msg.__hash__

    def __repr__(self) -> str:
        return f"FieldName({self.msgid!r})"


class ValueName(Msg):
    """A value of an enum named in a message: its word (« en cours »); with ``code``, its word then the value as the
    file writes it, in parentheses (« en cours (ongoing) »), where the message says what to type."""

    __slots__ = ("enum", "code")

    def __init__(self, value: str | Enum, enum: type[Enum] | None = None, code: bool = False) -> None:
        super().__init__(value.value if isinstance(value, Enum) else str(value))
        self.enum = enum if enum is not None else (type(value) if isinstance(value, Enum) else None)
        self.code = code

    def __call__(self, lang: str | None) -> str:
        value = self.msgid
        word = words_of(self.enum).word(value, lang or DEFAULT_LANG) if self.enum is not None else value
        return f"{word} ({value})" if self.code and fold(word) != fold(value) else word

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValueName) and (self.msgid, self.enum, self.code) == (other.msgid, other.enum, other.code)

    __hash__ = Msg.__hash__


def value_names(values: list[str], enum: type[Enum] | None) -> Msg:
    """Values a field allows, each as :class:`ValueName` with its code (« à venir (not_started), en cours (ongoing)... »)."""
    return Joined(msg(", "), [ValueName(v, enum, code=True) for v in values])


def enum_of(key: str, model: type | None = None) -> type[Enum] | None:
    """The enum of the values of field ``key`` (see :func:`field_def`), if it has one."""
    found = field_def(key, model)
    return found.enum if found is not None else None
