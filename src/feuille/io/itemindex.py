"""An index of each file of a git revision, beside the items built from it (:mod:`feuille.io.built`): what ``diff``
needs to tell what changed without building every item.

For a file (a git blob) read in a role (an objective file or an action file), the index lists each objective
and action it holds (:data:`Record`): its level, its id, the record of the objective that holds it in the file
(-1: the file's own item), its title, the ids of its sub-actions, and a **digest** of its **payload**: the item
alone (an objective without its children), written by :class:`_Canon` so that the bytes depend on its values
only, whatever process wrote them.  Two items of equal digest are equal (their fields, what pydantic's ``==``
compares); ``diff`` compares digests and builds only the items whose digest differs (different bytes only mean
the item is built and compared field by field).  The model refuses NaN, the one value unequal to itself.

The plan file's index holds what ``diff`` shows of the plan (title, locale, currency, the ids its strands take);
the people file's, each person's id and name: those two are written only after a whole reading of a revision
found nothing wrong; a file's records only from items built cleanly.  Indexes live in the cache folder,
``index/<stamp>/<blob>.<role>`` (signed, bounded, removed when damaged, exactly as io/built.py's files:
:class:`IndexStore` is its store under another folder, under the same stamp, and this module's :data:`FORMAT`),
the payloads in ``<blob>.<role>-items``, each checked against its record's digest when read.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from feuille.core.model import EmptyList as _Empty
from feuille.io.built import BuiltStore, stamp
from feuille.io.built import _Unpickler as _BuiltUnpickler

FORMAT = 1

#: (level, id, index of the holding objective's record or -1, title, digest of its payload, sub-action ids, and where
#: its payload is in the file's payloads: offset, length)
Record = tuple[str, str, int, str, bytes, tuple[str, ...], int, int]

_CHILDREN = ("objectives", "actions")

_new = object.__new__
_set = object.__setattr__


def _model(cls: type, state: dict[str, Any], fields_set: tuple[str, ...], extra: Any, private: Any) -> Any:
    """A model as it was validated, without validating again (:class:`_Canon` writes it)."""
    obj = _new(cls)
    _set(obj, "__dict__", state)
    _set(obj, "__pydantic_fields_set__", set(fields_set))
    _set(obj, "__pydantic_extra__", extra)
    _set(obj, "__pydantic_private__", private)
    return obj


def _reduce(obj: Any) -> Any:
    state = obj.__dict__
    if _Empty in map(type, state.values()):  # the shared empty list of items read back built (core/model.EMPTY): a plain one
        state = {k: [] if type(v) is _Empty else v for k, v in state.items()}
    return _model, (type(obj), state, tuple(sorted(obj.__pydantic_fields_set__)), obj.__pydantic_extra__, obj.__pydantic_private__)


def _empty() -> list[Any]:
    return []


_known: dict[type, Any] = {}


def _models() -> dict[type, Any]:
    """Every model class of feuille's model, each written by :func:`_reduce` (looked up once per process)."""
    if not _known:
        from feuille.core import model  # noqa: PLC0415

        for value in vars(model).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                _known[value] = _reduce
        _known[_Empty] = lambda _obj: (_empty, ())  # (one held elsewhere than in a model's field)
    return _known


class _Canon(pickle.Pickler):
    """An item as bytes that depend on its values only: no memo (``fast``), each model as a :func:`_model` call with
    its fields in order and the names of those set sorted (through the ``dispatch_table``: a model class not in it
    when the pickler was made is written some other way, and the bytes then only differ).  Equal bytes, equal items."""

    def __init__(self, fh: io.BytesIO, models: dict[type, Any]) -> None:
        super().__init__(fh, protocol=5)
        self.fast = True
        self.dispatch_table = models


class _Unpickler(_BuiltUnpickler):
    """What io/built.py's unpickler builds (feuille's models and enums, dates, decimals), and :func:`_model`; each name
    looked up once."""

    _found: dict[tuple[str, str], Any] = {}

    def find_class(self, module: str, name: str) -> Any:
        key = (module, name)
        found = self._found.get(key)
        if found is None:
            found = _model if key == (__name__, "_model") else _empty if key == (__name__, "_empty") else super().find_class(module, name)
            self._found[key] = found
        return found


def payload(item: Any, models: dict[type, Any] | None = None) -> bytes:
    """The item alone (an objective without its children) as :class:`_Canon` writes it (``models``: :func:`_models`)."""
    if any(k in item.__dict__ for k in _CHILDREN):
        item = item.__copy__()
        for k in _CHILDREN:
            if k in item.__dict__:
                item.__dict__[k] = []
    fh = io.BytesIO()
    _Canon(fh, models or _models()).dump(item)
    return fh.getvalue()


def build(data: bytes | memoryview) -> Any:
    """The item of a :func:`payload`."""
    return _Unpickler(io.BytesIO(data)).load()


def records(item: Any) -> tuple[tuple[Record, ...], bytes]:
    """The records of a file's item (an objective with its objectives and actions, or an action), holders first (an
    objective, its actions in order, then each of its objectives the same way), and their payloads end to end."""
    out: list[Record] = []
    payloads = bytearray()
    models = _models()

    def add(x: Any, level: str, parent: int) -> int:
        subs = tuple(s.id for s in x.sub_actions) if level == "action" else ()
        alone = payload(x, models)
        out.append((level, x.id, parent, x.title, hashlib.blake2b(alone, digest_size=16).digest(), subs, len(payloads), len(alone)))
        payloads.extend(alone)
        return len(out) - 1

    def objective(o: Any, parent: int) -> None:
        at = add(o, "objective", parent)
        for a in o.actions:
            add(a, "action", at)
        for child in o.objectives:
            objective(child, at)

    if "actions" in item.__dict__:
        objective(item, -1)
    else:
        add(item, "action", -1)
    return tuple(out), bytes(payloads)


def plan_summary(meta: Any) -> tuple[str, str, str, tuple[str, ...]]:
    """What diff shows of the plan file: its title, locale and currency, and the ids its strands take."""
    return (meta.title, meta.locale, meta.currency, tuple(v.ident for v in meta.volets))


def people_summary(people: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Each person of the people file: id and name."""
    return tuple((p.id, p.name) for p in people.values())


class _Missing(Exception):
    """An item's payload cannot be read (removed, damaged): the revisions are read whole instead."""


_PAYLOADS = "-items"


class IndexStore(BuiltStore):
    """The indexes, under the cache folder ``directory``: ``index/<stamp>/<blob>.<role>`` (signed: read by
    :meth:`get`, without :data:`FORMAT`; a value of another format is not found) and, for an objective or an action
    file, its payloads in ``<blob>.<role>-items``, each read and checked against its record by :meth:`item`."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self._top = Path(directory) / "index"
        self._dir = self._top / stamp()
        self._payloads: dict[tuple[str, str], bytes] = {}

    def _name(self, blob: str, role: str) -> str | None:
        own = role.removesuffix(_PAYLOADS)
        if own != role and own not in ("objective", "action"):
            return None
        return f"{blob}.{role}" if super()._name(blob, own) is not None else None

    def get(self, blob: str, role: str) -> Any | None:
        found = super().get(blob, role)
        if type(found) is not tuple or len(found) != 2 or found[0] != FORMAT:
            return None
        return found[1]

    def put(self, blob: str, role: str, value: Any) -> None:
        """Keep ``value`` (for an objective or action file: :func:`records`' records and payloads)."""
        if role in ("objective", "action"):
            value, payloads = value
            name = self._name(blob, role + _PAYLOADS)
            if name is None:
                return
            self._pending[name] = payloads  # raw: each payload is checked against its record's digest
            self._payloads[(blob, role)] = bytes(24) + payloads  # as :meth:`item` reads the file (after its magic and digest)
        super().put(blob, role, (FORMAT, value))

    def item(self, blob: str, role: str, record: Record) -> Any:
        """The item of ``record``, read from its file's payloads; :class:`_Missing` if they cannot be read or do not match."""
        data = self._payloads.get((blob, role))
        name = self._name(blob, role + _PAYLOADS)
        alone: bytes | None = None
        if data is not None:
            alone = data[24 + record[6]:24 + record[6] + record[7]]
        elif name is not None:
            try:
                with open(self._dir / name, "rb") as fh:  # only this payload: a file holds those of a hundred items
                    fh.seek(24 + record[6])
                    alone = fh.read(record[7])
            except (OSError, ValueError):
                alone = None
        if alone is None or len(alone) != record[7] or hashlib.blake2b(alone, digest_size=16).digest() != record[4]:
            if alone is not None:
                self._remove(self._dir / f"{blob}.{role}")  # damaged: indexed again by the next whole reading
            raise _Missing(blob)
        try:
            return build(alone)
        except Exception as exc:
            raise _Missing(blob) from exc
