"""The field registry: what feuille knows about each field of the model, read from the model itself.

Every field of :mod:`feuille.core.model` declares, next to its type, what the rest of feuille needs
to know about it (as Django's ``Model._meta`` does)::

    planned_end: _dt.date | None = Field(None, json_schema_extra=Meta(
        help=N_("Planned end, deadline (YYYY-MM-DD)."), label=NC_("field-name", "deadline"),
        heading=NC_("field-heading", "Deadline"), aka=("échéance", "date de fin"), show="planned", change="dates",
        sheet=Column(NC_("sheet", "Planned end"), at=80, width=12, end=True, words=("Échéance", "Due date"))))

and each enum its words (:func:`enum_words`).  Everything below is catalogue message ids: the
French lives in ``locale/fr/LC_MESSAGES/feuille.po`` like every message.  :func:`of` gives a model's
fields (:class:`Fields`); the writer, the prompts, the messages, ``show``, the site, the diff and
the spreadsheet read them instead of keeping tables of field names of their own.

What a field declares (all optional; :class:`Meta`):

- ``help``: what it is (the JSON Schema's description is « français / English » of it);
- ``label``: its name in a sentence (« échéance »: prompts, messages, commit lines); ``heading``:
  its name as a title (« Échéance »: ``show``, the site; by default the label with a capital);
  ``diff``: its name in ``diff``/``log`` (by default the label);
- ``kind``: what its value is, when the type does not say it; otherwise read from the type (:attr:`FieldDef.kind`:
  a ``PersonRef`` is a ``person``, a list of them ``people``, ``Money`` is ``money``, ``Percent`` ``percent``...);
- ``aka``: other names people give it (« statut », « échéance »), in any language: with its key,
  labels and headings in every language, what ``update --set`` and the « did you mean » of lint
  understand (:meth:`Fields.find`);
- ``after``: where it goes in a file when it is not where the model declares it: after that field,
  it and the fields declared after it (up to the next ``after``); see :attr:`Fields.order`;
- ``show``: its section in ``feuille show`` (:data:`SHOW_SECTIONS`); ``None``: not shown;
- ``change``: the kind of change ``diff`` reports for it (``dates``, ``owners``...; by default ``field``);
- ``sheet``: its column in the actions sheet (:class:`Column`).
"""

from __future__ import annotations

import functools
import re
import typing
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple

from feuille.core.i18n import CONTEXT_SEP, LANGS, Msg, Words, translator

#: The sections of ``feuille show``, in the order it prints them.  ``facts`` and ``texts`` are
#: generic (one line per field: its heading and its value), so a new field shows with no code;
#: the others are laid out by ``views/show.py`` (owners on one line, a period from two dates...).
SHOW_SECTIONS = ("description", "owners", "service", "planned", "reschedules", "scores", "tags", "facts", "actual", "status",
                 "health", "progress", "texts", "sub_actions", "serves", "budget", "indicators", "reviewed")


def fold(text: Any) -> str:
    """Lower case, no accents, no punctuation, no spaces: « Élu·e référent·e » -> « eluereferente », « en_cours » -> « encours »."""
    s = unicodedata.normalize("NFKD", str(text).replace("œ", "oe").replace("Œ", "oe").casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", s)


@functools.cache
def _text(key: str, lang: str) -> str:
    """The translation of a catalogue key (``NC_`` or ``N_``) in ``lang``."""
    return Words({"k": key})[lang]["k"]


def bilingual(msgid: str) -> str:
    """« français / English » of a msgid: the JSON Schema's descriptions, read by editors in both languages."""
    _ = translator("fr")
    return f"{_(msgid)} / {msgid}"


class Column(NamedTuple):
    """A field's column in the actions sheet (``feuille export xlsx/csv`` and the import of a sheet).

    ``at``: its place among the sheet's columns (computed columns take the places between);
    ``None``: a column the import reads but the export does not write.  ``kind``: the cell's
    kind when it is not the field's (a status cell holds « En cours »).  ``end``: a date that
    ends a period (« 12/2025 » is the 31st).  ``words``: the other headers people give it, in
    any language (iA.PST, Territoires en Transitions, the town's own sheet)."""

    header: str | None = None
    at: int | None = None
    width: int = 14
    kind: str | None = None
    end: bool = False
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)  # (a class, not a NamedTuple: type checkers see a callable class as pydantic's hook)
class Meta:
    """What a field of the model declares about itself: ``Field(..., json_schema_extra=Meta(...))`` (see the module's doc)."""

    help: str | None = None
    label: str | None = None
    heading: str | None = None
    diff: str | None = None
    kind: str | None = None
    aka: tuple[str, ...] = ()
    after: str | None = None
    show: str | None = None
    change: str | None = None
    sheet: Column | None = None

    def __call__(self, schema: dict[str, Any]) -> None:
        """pydantic's ``json_schema_extra`` hook: the JSON Schema's description, in both languages."""
        if self.help:
            schema["description"] = bilingual(self.help)


_NO_META = Meta()

# --- fields ----------------------------------------------------------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(the type inside Optional / Annotated / list, whether it is a list, the Annotated metadata met)."""
    metadata: list[Any] = []
    many = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *more = typing.get_args(annotation)
            metadata += more
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else Any
        elif origin is list and not many:
            many = True
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            return dict, many, metadata
        else:
            return annotation, many, metadata


def _constraint(metadata: list[Any], name: str) -> Any:
    """A constraint of the type (``max_length``, ``decimal_places``, ``ge``, ``le``), through nested ``Field()`` metadata."""
    for m in metadata:
        for inner in [m, *getattr(m, "metadata", [])]:
            found = getattr(inner, name, None)
            if found is not None:
                return found
    return None


class FieldDef(NamedTuple):
    """One field of a model, as the registry knows it."""

    name: str
    model: type
    meta: Meta
    kind: str  # text | line | date | int | number | bool | enum | mapping | items | list | person | people | service | objective | percent | money | score
    many: bool  # a list
    required: bool
    enum: type[Enum] | None = None
    item_model: type | None = None  # budget -> BudgetLine

    def label(self, lang: str) -> str:
        """Its name in a sentence, in ``lang`` (« échéance »)."""
        return _text(self.meta.label, lang) if self.meta.label else self.name.replace("_", " ")

    def heading(self, lang: str) -> str:
        """Its name as a title, in ``lang`` (« Échéance »)."""
        if self.meta.heading:
            return _text(self.meta.heading, lang)
        label = self.label(lang)
        return label[:1].upper() + label[1:]

    def diff_label(self, lang: str) -> str:
        """Its name in ``diff`` and ``log`` (« responsables politiques »)."""
        return _text(self.meta.diff, lang) if self.meta.diff else self.label(lang)

    def help(self, lang: str) -> str:
        return _text(self.meta.help, lang) if self.meta.help else ""

    @property
    def long(self) -> bool:
        """A free text that can run over lines (described, not quoted, by ``diff`` and ``update``)."""
        return self.kind == "text"

    @property
    def words(self) -> EnumWords | None:
        """The words of its values (an enum's), or None."""
        return words_of(self.enum) if self.enum is not None else None


def _field_def(model: type, name: str, info: Any) -> FieldDef:
    extra = info.json_schema_extra
    meta = extra if isinstance(extra, Meta) else _NO_META
    base, many, metadata = _unwrap(info.annotation)
    metadata += list(info.metadata)
    enum = base if isinstance(base, type) and issubclass(base, Enum) else None
    item_model = base if isinstance(base, type) and hasattr(base, "model_fields") else None
    ref = next((getattr(m, "kind", None) for m in metadata if type(m).__name__ == "Ref"), None)  # core/model.py's PersonRef...
    if meta.kind:
        kind = meta.kind
    elif ref is not None:
        kind = {"Person": "people" if many else "person", "Service": "services" if many else "service"}.get(ref, ref.lower())
    elif enum is not None:
        kind = "enum"
    elif item_model is not None:
        kind = "items" if many else "mapping"
    elif many:
        kind = "list"
    elif base is dict:
        kind = "mapping"
    elif base is bool:
        kind = "bool"
    elif base in (int, float) and _constraint(metadata, "ge") == 0 and _constraint(metadata, "le") == 100:
        kind = "score" if base is int else "percent"  # core/model.py's Score and Percent
    elif base is Decimal and _constraint(metadata, "decimal_places") == 2:
        kind = "money"  # core/model.py's Money
    elif base is int:
        kind = "int"
    elif base in (float, Decimal):
        kind = "number"
    elif getattr(base, "__name__", "") == "date":
        kind = "date"
    elif base is str:
        kind = "text" if (_constraint(metadata, "max_length") or 0) > 1000 else "line"
    else:
        kind = "line"
    return FieldDef(name, model, meta, kind, many, info.is_required(), enum, item_model)


def _file_order(defs: dict[str, FieldDef]) -> tuple[str, ...]:
    """The fields in the order a file writes them: as declared, except that a field with ``after`` is moved
    after that field, with the fields its class declares after it (up to the next ``after``)."""
    blocks: list[tuple[str, list[str]]] = []
    rest: list[str] = []
    current: list[str] | None = None
    for name, f in defs.items():
        if f.meta.after:
            current = [name]
            blocks.append((f.meta.after, current))
        elif current is not None and _owner(f.model, name) is _owner(f.model, current[0]):
            current.append(name)
        else:
            current = None
            rest.append(name)
    for anchor, block in blocks:
        at = rest.index(anchor) + 1 if anchor in rest else len(rest)
        rest[at:at] = block
    return tuple(rest)


def _owner(model: type, name: str) -> type | None:
    """The class that declares field ``name`` of ``model``."""
    for cls in model.__mro__:
        if name in cls.__dict__.get("__annotations__", {}):
            return cls
    return None


class Fields:
    """The fields of one model: :attr:`fields` in declaration order, :attr:`order` the order in files."""

    def __init__(self, model: type) -> None:
        self.model = model
        self.fields: dict[str, FieldDef] = {name: _field_def(model, name, info) for name, info in model.model_fields.items()}  # type: ignore[attr-defined]
        self.order: tuple[str, ...] = _file_order(self.fields)

    def __getitem__(self, name: str) -> FieldDef:
        return self.fields[name]

    def __contains__(self, name: object) -> bool:
        return name in self.fields

    def __iter__(self) -> typing.Iterator[FieldDef]:
        return iter(self.fields.values())

    def get(self, name: str) -> FieldDef | None:
        return self.fields.get(name)

    def section(self, name: str) -> list[FieldDef]:
        """The fields shown in a section of ``feuille show``, in file order."""
        return [self.fields[n] for n in self.order if self.fields[n].meta.show == name]

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields.values():
            words = [f.name, *f.meta.aka]
            for lang in LANGS:
                words += [f.label(lang), f.heading(lang)]
            for w in words:
                out.setdefault(fold(w), f.name)
        return out

    def find(self, text: str) -> str | None:
        """The field ``text`` names: its key, a label or heading in any language, or a name people give it
        (« statut », « Échéance », « reste à faire »); case, accents, spaces and punctuation ignored."""
        if text in self.fields:
            return text
        return self._names.get(fold(text))

    def near(self, text: str) -> list[str]:
        """The fields whose key is close to ``text`` (a typo: « staus »)."""
        import difflib  # noqa: PLC0415 (not on the start-up path of status, lint and show)

        return difflib.get_close_matches(text, list(self.fields), n=2, cutoff=0.75)


@functools.cache
def of(model: type) -> Fields:
    """The registry of a model's fields (:class:`Fields`), made once."""
    return Fields(model)


# --- the words of the values --------------------------------------------------------------------------


class Word(NamedTuple):
    """The words of one value of an enum: ``shown`` in prose (« en cours »), ``sheet`` in a sheet's drop-down
    list (« En cours »), both catalogue keys; ``aka`` what people also write for it, in any language.

    ``forms``: the word as it agrees with a person, by their civility (``(("mr", NC_("role mr", "Director")),
    ("mrs", NC_("role mrs", "Director")))``: « Directeur », « Directrice »); ``shown`` is then the neutral word,
    for a person whose civility is unknown or neutral (« Direction »).  See :meth:`EnumWords.word`."""

    shown: str | None = None
    sheet: str | None = None
    aka: tuple[str, ...] = ()
    forms: tuple[tuple[str, str], ...] = ()


class Reading(NamedTuple):
    """A word that says more than one value: a sheet's « Bloqué » status is ``on_hold`` with health ``blocked``.

    Read from spreadsheets (the statuses of iA.PST and Territoires en Transitions), never offered in a prompt."""

    aka: tuple[str, ...]
    value: str
    also: tuple[tuple[str, str], ...] = ()  # other fields it sets: (("health", "blocked"),)
    note: Msg | None = None  # kept in the action's notes


class EnumWords:
    """The words of an enum's values: how they are shown and what people type for them."""

    def __init__(self, enum: type[Enum], words: dict[str, Word], readings: tuple[Reading, ...] = ()) -> None:
        unknown = set(words) - set(enum.__members__)
        if unknown:
            raise ValueError(f"{enum.__name__}: no value {sorted(unknown)}")
        self.enum = enum
        self.words = words
        self.readings = readings
        self.values = tuple(enum.__members__)
        self.shown = Words({v: w.shown for v, w in words.items() if w.shown})
        self.sheet = Words({v: w.sheet for v, w in words.items() if w.sheet})
        self.forms = {form: Words({v: dict(w.forms)[form] for v, w in words.items() if form in dict(w.forms)})
                      for form in dict.fromkeys(f for w in words.values() for f, _key in w.forms)}

    @functools.cached_property
    def _index(self) -> dict[str, str]:
        """Folded word -> value: the keys, the shown and sheet words in every language, the other names."""
        out: dict[str, str] = {}
        for value in self.values:
            out[fold(value)] = value
        for lang in LANGS:
            for table in (self.shown, self.sheet, *self.forms.values()):
                for value, word in table[lang].items():
                    out.setdefault(fold(word), value)
        for value, w in self.words.items():
            for a in w.aka:
                out.setdefault(fold(a), value)
        return out

    @functools.cached_property
    def _readings(self) -> dict[str, Reading]:
        return {fold(a): r for r in self.readings for a in r.aka}

    def parse(self, text: Any) -> str | None:
        """The value ``text`` names (« terminé », « terminées », « fini », « Done », « done »), or None."""
        key = fold(text) if text is not None else ""
        if not key:
            return None
        found = self._index.get(key)
        if found is None and key.endswith("s"):  # a plural: « terminées », « annulés »
            found = self._index.get(key[:-1])
        return found

    def read(self, text: Any) -> tuple[str, tuple[tuple[str, str], ...], Msg | None] | None:
        """What a spreadsheet cell says: (value, other fields it sets, a note), with the readings of :class:`Reading`."""
        value = self.parse(text)
        if value is not None:
            return value, (), None
        r = self._readings.get(fold(text))
        return (r.value, r.also, r.note) if r is not None else None

    def word(self, value: str | Enum, lang: str, form: str | Enum | None = None) -> str:
        """How ``value`` is written in prose in ``lang`` (« en cours »); the key when it has no word.

        ``form``: the civility of the person it is said of (``mrs``: « Échevine »); the neutral word when the
        value has no form for it (« Échevinat » for ``mx`` or an unknown civility)."""
        key = value.value if isinstance(value, Enum) else value
        if form is not None:
            table = self.forms.get(form.value if isinstance(form, Enum) else form)
            found = table[lang].get(key) if table is not None else None
            if found is not None:
                return found
        return self.shown[lang].get(key, str(key))

    def choices(self, lang: str) -> list[str]:
        """The values as ``lang`` writes them, in the enum's order: what a prompt offers."""
        return [self.word(v, lang) for v in self.values]

    def near(self, text: str, lang: str) -> str | None:
        """The value ``text`` probably means (« en cour » -> « en cours »), as ``lang`` writes it, or None."""
        import difflib  # noqa: PLC0415 (not on the start-up path of status, lint and show)

        key = fold(text)
        if not key:
            return None
        close = difflib.get_close_matches(key, list(self._index), n=1, cutoff=0.6)
        return self.word(self._index[close[0]], lang) if close else None


_ENUMS: dict[type, EnumWords] = {}


def enum_words(enum: type[Enum], readings: tuple[Reading, ...] = (), **words: Word) -> EnumWords:
    """Declare the words of an enum's values (in core/model.py, below the enum)."""
    made = _ENUMS[enum] = EnumWords(enum, words, readings)
    return made


def words_of(enum: type[Enum]) -> EnumWords:
    """The words of an enum's values (its keys only when it declares none)."""
    found = _ENUMS.get(enum)
    if found is None:
        found = _ENUMS[enum] = EnumWords(enum, {})
    return found


def value_of(text: Any, allowed: list[str]) -> str | None:
    """The value among ``allowed`` that ``text`` names in any enum's words (lint's « did you mean »), or None."""
    for words in list(_ENUMS.values()):
        value = words.parse(text)
        if value is not None and value in allowed:
            return value
    return None


__all__ = ["CONTEXT_SEP", "Column", "EnumWords", "FieldDef", "Fields", "Meta", "Reading", "SHOW_SECTIONS", "Word", "bilingual", "enum_words",
           "fold", "of", "value_of", "words_of"]  # the plan-wide tables (models, item_fields, table, find_anywhere): core/registry.py
