"""The field registry of a plan's items as a whole: every model of a plan's files and the models their fields
hold (:func:`models`), the fields of objectives and actions (:func:`item_fields`) and their word tables
(:func:`table`), a name found in any model (:func:`find_anywhere`).

:mod:`feuille.core.fields` reads one model's fields from its metadata (and knows nothing of the model module);
this module puts the plan's models together, so that neither imports the other in a circle.
"""

from __future__ import annotations

import functools

from feuille.core.fields import FieldDef, of
from feuille.core.i18n import Words
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
