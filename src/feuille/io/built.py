"""Validated items kept across runs, one file per git blob: what history reads again and again is built once.

A file of a git revision is known by its blob id, a hash of its content; what the loader builds
from it (the pydantic models of its objective or action, the YAML path of each, its flags) depends
only on that content, on the role the file plays (an objective or an action file) and on the code
that builds it.  So each file built cleanly is kept here under its blob id and role, in a folder
named after a **stamp** of that code (:func:`stamp`: feuille's version, the model's and the loader's
source files, pydantic's version, the Python version).  A later run (``log``, a trend, ``diff``)
that meets the same blob takes the items from here instead of parsing and validating the file
again (``pickle``, ~2x faster than validating the parsed values, and no parsing at all).

A file of the working tree is known the same way by its content digest (:func:`feuille.io.cache.digest`,
32 hex digits: never the length of a git blob id), once the parse cache's index says by its stat that
it is unchanged; there the plan file (its :class:`~feuille.core.model.PlanFile`) and the people file
(its services and people) are kept too, so that a warm command builds no validator at all.

Each file is ``MAGIC``, a keyed blake2b digest of the payload (the cache folder's key,
:func:`feuille.io.cache._secret`: a file not written by :meth:`BuiltStore.put` is ignored) and
the payload, read back by an unpickler that builds only what an item holds: feuille's own models
and enums, dates and decimals (:data:`_ALLOWED`); anything else makes the file unusable.  A file
that cannot be read, verified or unpickled is removed and built again: never an error, only
slower.  Writes are atomic (a temporary file, then ``os.replace``).  The folder is bounded
(:data:`MAX_FILES`, :data:`MAX_BYTES`): after a run that wrote files, the least recently used are
removed first, those of other stamps (an older feuille) included.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import io
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from feuille.core.model import EMPTY, Objective, PeopleFile, PlanFile, VoletItem, shared_fields
from feuille.io.cache import _discard, _secret

FORMAT = 2  # 2: the set of field names written once per distinct set, read back shared (core/model.FieldsSet)
MAGIC = b"FEUBUILT"
MAX_FILES = 20_000
MAX_BYTES = 256 * 1024 * 1024
_MAX_FILE_BYTES = 1 << 28
_TOUCH_AFTER_S = 3600  # a file used is marked as used (its mtime) at most hourly
_ROLES = frozenset({"objective", "action", "plan", "people"})

_new = object.__new__
_set = object.__setattr__


def _model(cls: type, state: dict[str, Any], fields_set: frozenset[str], extra: Any, private: Any) -> Any:
    """A model as it was validated (its fields, which were set, its extra and private attributes), without validating again;
    its set of field names is the one every model that set the same fields shares (:func:`~feuille.core.model.shared_fields`)."""
    obj = _new(cls)
    _set(obj, "__dict__", state)
    _set(obj, "__pydantic_fields_set__", shared_fields(fields_set))
    _set(obj, "__pydantic_extra__", extra)
    _set(obj, "__pydantic_private__", private)
    return obj


def _small(cls: type, state: dict[str, Any], fields_set: frozenset[str], extra: Any, private: Any) -> Any:
    """:func:`_model` for a model of at most :data:`_SPLIT_MAX` fields (a budget line, a sub-action, a measurement...):
    its fields in a dict that shares its keys with the other instances of its class (Python's key-sharing instance
    dicts: 280 bytes instead of 464 for a budget line).  ``state`` starts with a key ``""`` whose removal leaves a hole,
    so that ``update`` inserts the fields one by one into the new shared-key dict instead of copying ``state``'s table."""
    del state[""]
    obj = _new(cls)
    obj.__dict__.update(state)
    _set(obj, "__pydantic_fields_set__", shared_fields(fields_set))
    _set(obj, "__pydantic_extra__", extra)
    _set(obj, "__pydantic_private__", private)
    return obj


#: Python shares the keys of instance dicts of at most 30 keys (CPython's SHARED_KEYS_MAX_SIZE).
_SPLIT_MAX = 30


def _empty() -> list[Any]:
    """The shared read-only empty list (core/model.EMPTY) of a model's list field."""
    return EMPTY


class _Exact:
    """A model's list, pickled as ``list(a tuple)``: read back with no room to spare (pickle's appends leave up to six
    free slots in each list, ~40 bytes of the six lists of an action)."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[Any, ...]) -> None:
        self.items = items


#: Models whose lists the loader fills or reshapes after building them (an objective's actions and objectives,
#: the plan's strands): their empty lists are their own.  Every other model's empty list is read back as EMPTY.
_OWN_LISTS = frozenset({Objective, PlanFile, PeopleFile, VoletItem})


def share(item: Any) -> None:
    """Give the models of ``item`` (an objective with its objectives and actions, an action) what models read back by
    :func:`loads` have: the one set of field names per distinct set, :data:`~feuille.core.model.EMPTY` for their
    empty lists (those of :data:`_OWN_LISTS` aside), so that a run that validated a file holds it as a later run will."""
    stack = [item]
    while stack:
        m = stack.pop()
        _set(m, "__pydantic_fields_set__", shared_fields(frozenset(m.__pydantic_fields_set__)))
        own = type(m) in _OWN_LISTS
        d = m.__dict__
        for k, v in d.items():
            t = type(v)
            if t is list:
                if not v:
                    if not own:
                        d[k] = EMPTY  # (a value replaced, no key added: the loop goes on safely)
                elif isinstance(v[0], BaseModel):
                    stack.extend(v)
            elif isinstance(v, BaseModel):
                stack.append(v)


class _Pickler(pickle.Pickler):
    """Models as :func:`_model` calls; equal texts, dates, numbers and sets of field names written once (pickle's memo
    then shares them)."""

    def __init__(self, fh: io.BytesIO) -> None:
        super().__init__(fh, protocol=5)
        self._same: dict[tuple[type, Any], Any] = {}

    def _one(self, v: Any, empty: list[Any] | None = None) -> Any:
        t = type(v)
        if t is str or t is dt.date or t is int:
            return self._same.setdefault((t, v), v)
        if t is decimal.Decimal or t is float:  # Decimal("1.0") == Decimal("1"): keyed by how they are written
            return self._same.setdefault((t, repr(v)), v)
        if t is list:
            if not v:
                return v if empty is None else empty
            return _Exact(tuple([self._one(x) for x in v]) if type(v[0]) is str else tuple(v))
        return v

    def reducer_override(self, obj: Any) -> Any:
        if obj is EMPTY:
            return _empty, ()
        if type(obj) is _Exact:
            return list, (obj.items,)
        if isinstance(obj, BaseModel):
            cls = type(obj)
            one, empty = self._one, None if cls in _OWN_LISTS else EMPTY
            small = len(cls.model_fields) <= _SPLIT_MAX and cls not in _OWN_LISTS
            state = {"": None} if small else {}
            state.update((k, one(v, empty)) for k, v in obj.__dict__.items())
            names = frozenset(obj.__pydantic_fields_set__)
            names = self._same.setdefault((frozenset, names), names)
            return _small if small else _model, (cls, state, names, obj.__pydantic_extra__, obj.__pydantic_private__)
        return NotImplemented


_ALLOWED = {("datetime", "date"), ("decimal", "Decimal"), ("builtins", "list"), ("feuille.io.built", "_model"), ("feuille.io.built", "_small"),
            ("feuille.io.built", "_empty")}


class _Unpickler(pickle.Unpickler):
    """Builds feuille's models and enums, dates, decimals: nothing else (a file that names anything else is not ours)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module.startswith("feuille.core.") and module in sys.modules:
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and (issubclass(found, BaseModel) or issubclass(found, enum.Enum)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed here")


def dumps(value: Any) -> bytes:
    fh = io.BytesIO()
    _Pickler(fh).dump(value)
    return fh.getvalue()


def loads(data: bytes | memoryview) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


_stamp: str | None = None

#: The code an item built from a file depends on, besides core/: the loader, the reader of YAML (how a scalar
#: is read), the parse cache it comes through and this module's own pickling.
LOADER = ("pipeline.py", "io/yamlread.py", "io/cache.py", "io/built.py")


def stamped_files() -> list[Path]:
    """The source files whose size and mtime enter :func:`stamp`."""
    import feuille  # noqa: PLC0415

    top = Path(feuille.__file__).parent
    return [*(top / name for name in LOADER), *sorted((top / "core").glob("*.py"))]


def stamp() -> str:
    """What the items built from a file depend on besides its content: feuille's version, the source files of the
    model and of the loader (their size and mtime, as :func:`feuille.io.results.code_stamp`), pydantic's version
    and the Python version; items of another stamp are never read."""
    global _stamp  # noqa: PLW0603 (computed once per process: the same files for every call)
    if _stamp is not None:
        return _stamp
    import pydantic_core  # noqa: PLC0415

    import feuille  # noqa: PLC0415

    h = hashlib.blake2b(digest_size=10)
    h.update(f"{FORMAT} {getattr(feuille, '__version__', '')} {pydantic_core.__version__} {sys.implementation.cache_tag}\n".encode())
    for path in stamped_files():
        try:
            st = path.stat()
            h.update(b"%s %d %d\n" % (path.name.encode("utf-8", "surrogateescape"), st.st_size, st.st_mtime_ns))
        except OSError:
            h.update(b"%s -\n" % path.name.encode("utf-8", "surrogateescape"))
    _stamp = h.hexdigest()
    return _stamp


class BuiltStore:
    """The items built from git blobs, under the cache folder ``directory`` (``built/<stamp>/<blob>.<role>``)."""

    def __init__(self, directory: Path) -> None:
        self._top = Path(directory) / "built"
        self._dir = self._top / stamp()
        self._secret: bytes | None = None
        self._pending: dict[str, bytes] = {}
        self.hits = 0  # for tests and --timings

    def _key(self) -> bytes:
        if self._secret is None:
            self._secret = _secret(self._top.parent)
        return self._secret

    def _name(self, blob: str, role: str) -> str | None:
        if role not in _ROLES or not 0 < len(blob) <= 128 or not blob.isalnum():
            return None
        return f"{blob}.{role}"

    def get(self, blob: str, role: str) -> Any | None:
        """What was kept for ``blob`` in ``role``, or None (not kept, or a file that cannot be used: removed)."""
        name = self._name(blob, role)
        if name is None:
            return None
        path = self._dir / name
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                if st.st_size > _MAX_FILE_BYTES:
                    raise ValueError("too large")
                raw = fh.read()
        except (OSError, ValueError):
            return None
        try:
            if raw[:8] != MAGIC or hashlib.blake2b(memoryview(raw)[24:], digest_size=16, key=self._key()).digest() != raw[8:24]:
                raise ValueError("not ours")
            value = loads(memoryview(raw)[24:])
        except Exception:  # damaged, foreign, or from a model that changed meanwhile: built again
            self._remove(path)
            return None
        if st.st_mtime < time.time() - _TOUCH_AFTER_S:
            try:
                os.utime(path)
            except OSError:
                pass
        self.hits += 1
        return value

    def put(self, blob: str, role: str, value: Any) -> None:
        """Keep ``value`` for ``blob`` in ``role`` (written by :meth:`save`)."""
        name = self._name(blob, role)
        if name is None:
            return
        try:
            payload = dumps(value)
        except Exception:
            return
        self._pending[name] = payload

    def save(self) -> None:
        """Write what was put, atomically, then keep the folder within its bounds; best effort, never raises."""
        pending, self._pending = self._pending, {}
        if not pending:
            return
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            key = self._key()
        except Exception:
            return
        for name, payload in pending.items():
            tmp: str | None = None
            try:
                fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=".tmp-")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(MAGIC + hashlib.blake2b(payload, digest_size=16, key=key).digest() + payload)
                os.replace(tmp, self._dir / name)
                tmp = None
            except Exception:
                pass
            finally:
                _discard(tmp)
        self._prune()

    def _prune(self) -> None:
        """Remove the least recently used files past :data:`MAX_FILES` or :data:`MAX_BYTES` (every stamp's folder)."""
        try:
            found = []
            with os.scandir(self._top) as folders:
                for folder in folders:
                    if not folder.is_dir(follow_symlinks=False):
                        continue
                    with os.scandir(folder.path) as files:
                        for e in files:
                            try:
                                st = e.stat(follow_symlinks=False)
                            except OSError:
                                continue
                            found.append((st.st_mtime_ns, st.st_size, e.path))
            total = sum(f[1] for f in found)
            if len(found) <= MAX_FILES and total <= MAX_BYTES:
                return
            found.sort()
            count = len(found)
            for _t, size, path in found:
                if count <= MAX_FILES and total <= MAX_BYTES:
                    break
                self._remove(Path(path))
                count -= 1
                total -= size
        except Exception:
            return

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            os.unlink(path)
        except OSError:
            pass
