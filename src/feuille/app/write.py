"""The one write service: every command that changes a plan's files hands it changes by id.

``update``, ``new``, ``review``, a returned sheet (``import``), ``prioritise --mark-*`` (and a measurement,
later) describe what they want as :class:`ItemChange` (fields of an existing objective or action, by id)
and :class:`NewItem` (a new one in its parent); :func:`prepare` applies the same rules to all of them and
:func:`commit` writes them, all files or none (io/transaction.py through io/edit.py):

- **invariants**: a status and a progress that contradict each other are refused (« terminée » at 60 %,
  « à venir » at 30 %); a status « terminée » fills the progress (100) and the actual end, « en cours »
  from « à venir » the actual start; a moved deadline needs a reason and is recorded in ``reschedules``;
  every value is checked with the model;
- **who changed it**: changes people make (``by_person``: update, new, review, a returned sheet) set an
  action's ``last_reviewed`` to the day; a machine's (prioritise --mark-*) do not;
- **the field registry** (core/fields.py): names and words of the fields in what is said;
- **the file's own style**: only the lines that change are written, a new item in the block style of
  its file (io/edit.py);
- **baseline**: what the person saw (a sheet's export) against what the plan holds now: a field that
  changed on both sides since is a conflict, never overwritten;
- **errors**: the result is read again through the one pipeline, from an overlay source (the changed
  files' new bytes over the plan's folder, in memory: io/sources.py), and a write that would add an
  error is refused, whole, with every reason at once; except the errors that only say that an item this
  write creates is not complete yet (:data:`COMPLETE_LATER`), written and listed « à compléter » with the
  command that completes them.

Nothing here prints or translates: what is said is :class:`~feuille.core.i18n.Msg` values, shown by a
view in the reader's language (views/write.py).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from feuille.checks.schema_errors import to_diagnostic
from feuille.compute.filters import closest
from feuille.core.diagnostics import Severity
from feuille.core.errors import UserError
from feuille.core.fields import of
from feuille.core.i18n import Msg, msg, translator
from feuille.core.model import Action, Objective, SubAction
from feuille.core.registry import item_fields, table
from feuille.io.edit import Change, EditError, change_item, change_items, field_order
from feuille.io.edit import write as write_all
from feuille.io.files import system_reason
from feuille.io.git import GIT_MISSING, Repo
from feuille.io.place import next_id, place_many
from feuille.io.sources import FolderSource, OverlaySource, SourceError
from feuille.pipeline import load

if TYPE_CHECKING:
    from feuille.io.sources import Source

#: The id of the plan itself (plan.yaml) in an :class:`ItemChange`: only nested changes (a measurement of one of its indicators).
PLAN = "(plan)"

#: Errors that only say an item this write creates is not complete yet: written, listed « à compléter ».
COMPLETE_LATER = frozenset({"F305", "F704", "F706", "F707", "F708"})


class Label(Msg):
    """A field's name in the reader's language (« échéance », 'deadline')."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __call__(self, lang: str | None) -> str:
        return table("label")[lang or "fr"].get(self.name, self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Label) and other.name == self.name

    __hash__ = Msg.__hash__


class Shown(Msg):
    """A field's value as the reader's language writes it (« terminée », 31/12/2026, « 60 % », « – » for none)."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: Any) -> None:
        super().__init__("{value}")
        self.name, self.value = name, value

    def __call__(self, lang: str | None) -> str:
        return shown(self.name, self.value, lang or "fr")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Shown) and (other.name, other.value) == (self.name, self.value)

    __hash__ = Msg.__hash__


def shown(name: str, value: Any, lang: str) -> str:
    """``value`` of field ``name`` in ``lang``: the field registry's words for an enum (« en cours »), a date, « 60 % », « – » for none."""

    if value is None or value == []:
        return "–"
    field_ = item_fields().get(name)
    if field_ is not None and field_.words is not None:
        return field_.words.word(value, lang)  # « en cours », « à risque »
    if isinstance(value, Enum):
        value = value.value
    _ = translator(lang)
    if isinstance(value, dt.date):
        return value.strftime(_("%Y-%m-%d"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if name == "progress":
        return _("{n}%").format(n=value).replace("\u202f", " ")  # « 60 % », typed back as it is shown
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


# --- what a command asks for ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a change was asked, when it is a place a person can go back to: a returned sheet's cell."""

    sheet: str = ""
    row: int | None = None
    column: str = ""  # the column's letter
    header: str = ""  # the column's header as written

    def describe(self) -> Msg:
        """« feuille « Actions », ligne 12, colonne L (Avancement saisi (%)) », as a sheet's problems say where they are."""
        where = msg("sheet '{sheet}', row {row}", sheet=self.sheet, row=self.row) if self.row else msg("sheet '{sheet}'", sheet=self.sheet)
        if self.column:
            return msg("{where}, column {column} ({header})", where=where, column=self.column, header=self.header)
        return where


@dataclass(slots=True)
class Nested:
    """A change inside an item: ``set``/``remove`` key ``key`` of the mapping at ``at`` (``("budget", 0)``),
    or ``append`` to the list ``key`` there; ``words`` says it (« engagé 2026 – → 12500 »)."""

    op: str
    at: tuple[Any, ...]
    key: str
    value: Any = None
    words: Msg | None = None
    order: tuple[str, ...] = ()


@dataclass(slots=True)
class ItemChange:
    """Changes to the objective or action ``id``.  ``values``: field -> new value as the model takes it
    (a status's key, a date, a number, a list of ids); None removes the field.  ``baseline``: field -> what
    the person saw (a sheet's export), to refuse a change the plan made since (a conflict)."""

    id: str
    values: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None  # why the deadline moves
    nested: list[Nested] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)  # field -> the cell it comes from
    baseline: dict[str, Callable[[Any], bool]] = field(default_factory=dict)  # field -> is the plan's value still the one seen?
    auto: bool = True  # a status fills the progress and the actual dates it implies
    reviewed: bool = False  # mark it reviewed even if nothing else changes (update --reviewed, review)
    origin: Origin | None = None  # the row, for what concerns the whole item
    creates: frozenset[str] = frozenset()  # codes of COMPLETE_LATER this change may leave (it creates a budget line: F704)


@dataclass(slots=True)
class NewItem:
    """A new ``kind`` (``action`` or ``objective``) in the objective ``parent`` (None: a top-level objective), or a new
    ``sub_action`` in the action ``parent`` (written inside its action's file, the action marked reviewed)."""

    kind: str
    parent: str | None
    values: dict[str, Any]
    id: str | None = None  # an id asked for (default: the next of the plan's sequence)
    origin: Origin | None = None
    next_if_taken: bool = False  # an id asked for but taken: the next one, said (a sheet), rather than refused (new --id)


@dataclass(slots=True)
class Refusal:
    """Why part of a write cannot be done; the whole write is then refused."""

    id: str | None
    message: Msg
    hint: Msg | str = ""
    origin: Origin | None = None
    kind: str = "input"  # input (the values asked for) | conflict | error (an error the write would add) | file (the writer)
    diagnostic: Any = None  # the Diagnostic of an added error


@dataclass(slots=True)
class ToComplete:
    """An error a created item has until it is completed (written anyway), and the command that completes it."""

    diagnostic: Any
    command: str


@dataclass(slots=True)
class Created:
    id: str
    kind: str
    title: str
    parent: str | None
    file: str  # as shown


@dataclass(slots=True)
class Said:
    """One item's change in words: « A4.2 : statut en cours → terminée, avancement 30 → 100 % »."""

    id: str
    words: list[Msg]
    origin: Origin | None = None

    def text(self, lang: str) -> str:
        _ = translator(lang)
        return _("{label}: {value}").format(label=self.id, value=", ".join(w(lang) for w in self.words)) if self.words else self.id


@dataclass(slots=True)
class Write:
    """What :func:`prepare` made: the edits (not written), what they say, and why they cannot be written if so."""

    loaded: Any
    day: dt.date
    edits: list[Any] = field(default_factory=list)  # io.edit.FileEdit
    said: list[Said] = field(default_factory=list)
    created: list[Created] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    to_complete: list[ToComplete] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)  # said without refusing (an id taken: the next one)

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    def diff(self) -> str:
        return "".join(e.diff() for e in self.edits)

    def files(self) -> list[Path]:
        return [e.path for e in self.edits]


class WriteError(UserError):
    """A write that could not be done (the file changed underneath, a read-only file, a full disk...): nothing was written."""

    code = "plan-write"


# --- the service -------------------------------------------------------------------------------


def prepare(loaded: Any, changes: Iterable[ItemChange] = (), new: Iterable[NewItem] = (), *, day: dt.date, by_person: bool = True,
            taken: set[str] | None = None, check: bool = True) -> Write:
    """The edits that make ``changes`` and ``new`` in the plan ``loaded``, checked; nothing is written (:func:`commit`).

    ``taken``: ids not to give to a new item besides the plan's own (those used on other branches).
    ``check``: read the result again and refuse a write that adds an error (always, but for tests of the parts)."""

    plan = loaded.plan
    out = Write(loaded, day)
    index: dict[str, Any] = {**plan.objective_index(), **{a.id: a for a, _o in plan.actions()}}
    planned: list[tuple[Any, list[Any]]] = []  # (item, [io.edit.Change])
    subs = plan.sub_action_index()
    changes, new = list(changes), list(new)
    new_subs = [n for n in new if n.kind == "sub_action"]
    if new_subs:  # a new sub-action is a change of its action: appended to its ``sub_actions``, the action reviewed
        new = [n for n in new if n.kind != "sub_action"]
        changes = _new_sub_actions(loaded, new_subs, index, subs, day, taken, changes, out)
    for change in changes:
        if change.id == PLAN and plan.meta is not None and not change.values:  # the plan itself: its indicators' measurements

            planned.append((plan.meta, [Change(n.op, n.key, n.value, n.at, n.order) for n in change.nested]))
            out.said.append(Said(next((f for f in plan.files if f.startswith("plan.")), "plan.yaml"), [n.words for n in change.nested if n.words], change.origin))
            continue
        item = index.get(change.id)
        if item is None and change.id in subs:  # a sub-action: changes inside its action's file, said with its id
            sub_refused, change = _sub_change(subs[change.id], change, day)
            out.refusals += sub_refused
            if sub_refused:
                continue
            item = index[change.id]
        if item is None:
            out.refusals.append(_unknown(loaded, change.id, {**index, **{k: v[0] for k, v in subs.items()}}, change.origin))
            continue
        edits, words, refused = _item_changes(plan, item, change, day, by_person)
        out.refusals += refused
        if edits:
            planned.append((item, edits))
            out.said.append(Said(item.id, words, change.origin))
    creations: list[tuple[NewItem, dict[str, Any], Any]] = []  # (asked, data, parent)
    if new:
        creations = _new_items(loaded, new, index, day, by_person, taken, out)
    refused_already = bool(out.refusals)
    try:
        out.edits = _file_edits(plan, planned, creations, out)
    except EditError as exc:
        out.refusals.append(Refusal(None, exc.msg if isinstance(exc.msg, Msg) else msg("{reason}", reason=exc.msg), kind="file"))
        out.edits = []
        return out
    if check and out.edits:  # (with values already refused too: every reason is said at once)
        _check(loaded, out, {c.id for c in out.created}, changes, new)
    if refused_already:
        out.edits, out.created, out.to_complete = [], [], []  # nothing of a refused write is written
    return out


def commit(write: Write) -> list[tuple[str, Msg]]:
    """Write every edit of ``write``, all files or none; [(file shown, CHANGED or CREATED)] (io/transaction.py)."""

    if write.refused:
        raise WriteError(msg("the write is refused; nothing was written."))
    try:
        return write_all(write.edits)
    except EditError as exc:
        raise WriteError(exc.msg) from None
    except OSError as exc:
        raise WriteError(msg("cannot write: {strerror} ({filename}); nothing was written.", strerror=system_reason(exc), filename=exc.filename)) from None


def git_commit(root: Path, files: list[Path], message: str) -> None:
    """Commit exactly ``files`` with ``message`` (:meth:`feuille.io.git.Repo.commit`: the one hardened git runner, hooks
    never run).  :class:`WriteError` if git cannot."""

    try:
        repo = Repo.open(Path(root))
    except SourceError as exc:
        if exc.code == GIT_MISSING:
            raise WriteError(msg('git cannot be found: the files are written but not committed.'), msg('Install git, or commit yourself.')) from None
        raise WriteError(msg('{root} is not in a git repository: the files are written but not committed.', root=root),
                         msg('Drop --commit, or make the plan a repository (git init).')) from None
    try:
        why = repo.commit(files, message)
    finally:
        repo.close()
    if why is not None:
        raise WriteError(msg('the files are written but the commit failed: {reason}.', reason=why),
                         msg('Commit yourself (git add, git commit), or set up git (git config user.name, user.email).'))


def new_errors(loaded: Any, edits: list[Any], as_of: dt.date) -> list[Any]:
    """The errors ``edits`` would add to the plan ``loaded``: the plan read again through the one pipeline from an overlay
    source (the edited files' new bytes over the plan's folder, in memory; nothing is copied).  Errors are compared by
    code, item and message (lines move when lines are added)."""

    root = Path(loaded.plan.root)
    files: dict[str, bytes] = {}
    for e in edits:
        rel = os.path.relpath(os.path.abspath(e.path), os.path.abspath(root)).replace(os.sep, "/")
        if rel.startswith("../"):
            raise ValueError(f"{e.path} is not in the plan {root}")  # the writer only makes edits of the plan's files
        files[rel] = e.after
    checked = load(OverlaySource(cast("Source", FolderSource(root)), files), as_of)

    def key(d: Any) -> tuple[str, str | None, str]:
        return (d.code, d.obj_id, d.message("fr"))

    old = Counter(key(d) for d in loaded.diagnostics if d.severity == Severity.error)
    added = []
    for d in checked.diagnostics:
        if d.severity != Severity.error:
            continue
        k = key(d)
        if old[k]:
            old[k] -= 1
        else:
            added.append(d)
    return added


# --- one item's changes: the invariants ---------------------------------------------------------------


def _now(item: Any, name: str) -> Any:
    v = getattr(item, name, None)
    return v.value if isinstance(v, Enum) else v


def _item_changes(plan: Any, item: Any, change: ItemChange, day: dt.date, by_person: bool) -> tuple[list[Any], list[Msg], list[Refusal]]:
    """(io.edit changes, their words, refusals) for one item."""

    model: Any = type(item)  # a pydantic model
    fields = model.model_fields
    registry = of(model)
    order = field_order(model)
    values = dict(change.values)
    refusals: list[Refusal] = []

    def refuse(message: Msg, hint: Msg | str = "", key: str | None = None, kind: str = "input") -> None:
        refusals.append(Refusal(item.id, message, hint, change.origins.get(key or "", change.origin) if key else change.origin, kind))

    for name in list(values):
        if name not in fields:
            refuse(msg("'{name}' is not a field of {id}.", name=name, id=item.id), msg('The fields are described in docs/format.md.'), name)
            values.pop(name)
            continue
        seen = change.baseline.get(name)
        if seen is not None and not seen(_now(item, name)):
            refuse(msg("{id}, {label}: the plan says '{value}' since it was read; nothing is overwritten.", id=item.id, label=Label(name),
                       value=Shown(name, _now(item, name))),
                   msg("Choose, then correct the file or the value and write again."), name, "conflict")
            values.pop(name)
    if "status" in fields:
        _status_rules(item.id, lambda k: _now(item, k), values, day, change.auto, refuse, sheet=change.origin is not None)
    edits: list[Any] = []
    words: list[Msg] = []
    move = _deadline_move(item.id, _now(item, "planned_end"), values, change, day, refuse)
    if move is not None:
        edits.append(Change("append", "reschedules", move, (), order))
    if change.reviewed and "last_reviewed" in fields and "last_reviewed" not in values:
        values["last_reviewed"] = day  # asked for: said like any field
    real = {k: v for k, v in values.items() if not (v == _now(item, k) or (v is None and _now(item, k) in (None, [])))}
    implied = by_person and bool(real or change.nested) and "last_reviewed" in fields and "last_reviewed" not in values
    if implied and day != _now(item, "last_reviewed"):
        values["last_reviewed"] = real["last_reviewed"] = day  # a person changed it: reviewed today (not said: it goes with the change)
    # the whole item with the model: types and bounds
    from pydantic import ValidationError  # noqa: PLC0415 (heavy, loaded when first needed)

    merged = item.model_dump(by_alias=True)
    merged.update({k: v for k, v in values.items() if v is not None})
    for k, v in values.items():
        if v is None:
            merged.pop(k, None)
    try:
        model.model_validate(merged)
    except ValidationError as exc:
        for err in exc.errors():
            refusals.append(refused_value(item.id, model, err, merged, change.origins, change.origin))
    for name, value in real.items():
        if name == "last_reviewed" and implied:
            edits.append(Change("set", name, value, (), order))
            continue
        if value is None:
            edits.append(Change("remove", name, None))
            words.append(msg("{label}: emptied", label=Label(name)))
            continue
        edits.append(Change("set", name, value, (), order))
        if (name in registry and registry[name].long) or isinstance(value, str) and len(value) > 40:
            words.append(msg('{label}: new text', label=Label(name)))
        elif name == "progress":
            words.append(msg("{label} {old} → {new}", label=Label(name), old=str(_now(item, name) if _now(item, name) is not None else "–").removesuffix(".0"),
                             new=Shown(name, value)))
        else:
            words.append(msg("{label} {old} → {new}", label=Label(name), old=Shown(name, _now(item, name)), new=Shown(name, value)))
    for n in change.nested:
        edits.append(Change(n.op, n.key, n.value, n.at, n.order))
        if n.words is not None:
            words.append(n.words)
    if any(e.key == "reschedules" for e in edits) and change.reason:
        words.append(msg('deadline moved: {reason}', reason=change.reason.strip()))
    if refusals:
        return [], [], refusals
    return edits, words, []


def _deadline_move(ident: str, old: Any, values: dict[str, Any], change: ItemChange, day: dt.date, refuse: Callable[..., None]) -> dict[str, Any] | None:
    """The deadline move to record in ``reschedules`` when ``values`` moves the deadline ``old`` (an action's or a
    sub-action's): a move without a reason, an emptied deadline and a reason without a move are refused."""

    moved = "planned_end" in values and values["planned_end"] != old
    if moved and old is not None:
        if not change.reason or not change.reason.strip():
            refuse(msg('{id}: the deadline would move from {value} to {value2} without a reason; nothing was written.', id=ident,
                       value=Shown("planned_end", old), value2=Shown("planned_end", values["planned_end"])),
                   msg("A moved deadline needs a reason: add --reason 'tender relaunched' (kept in the deadline moves).") if change.origin is None else
                   msg("A moved deadline needs a reason: write it in the column « Motif du report » of the row, then import again."), "planned_end")
        elif values["planned_end"] is None:
            refuse(msg("{id}: emptying '{name}' is done by hand in the file; nothing was written.", id=ident, name=Label("planned_end")), key="planned_end")
        else:
            return {"date": day, "from": old, "to": values["planned_end"], "reason": change.reason.strip()}
    elif change.reason and not moved:
        refuse(msg('--reason goes with --planned-end (a moved deadline); nothing was written.') if change.origin is None else
               msg("{id}: a reason for a moved deadline, but the deadline does not move; nothing was written.", id=ident), key="planned_end")
    return None


def _sub_change(found: tuple[Any, Any, Any], change: ItemChange, day: dt.date) -> tuple[list[Refusal], ItemChange]:
    """A sub-action's change as changes inside its action (``sub_actions``, at its place, as a returned sheet gives them):
    the same status rules as an action's, the same rule for a moved deadline (a reason, recorded in its ``reschedules``),
    the values checked with the model, each said with the sub-action's id."""

    from pydantic import ValidationError  # noqa: PLC0415 (heavy, loaded when first needed)

    sub, action, _objective = found
    at = ("sub_actions", next(i for i, s in enumerate(action.sub_actions) if s is sub))
    fields = type(sub).model_fields
    registry = of(SubAction)
    values = dict(change.values)
    refusals: list[Refusal] = []

    def refuse(message: Msg, hint: Msg | str = "", key: str | None = None, kind: str = "input") -> None:
        refusals.append(Refusal(sub.id, message, hint, change.origins.get(key or "", change.origin) if key else change.origin, kind))

    for name in list(values):
        if name not in fields or name in ("id", "reschedules"):
            refuse(msg("'{name}' is not a field of {id}.", name=name, id=sub.id), msg('The fields are described in docs/format.md.'), name)
            values.pop(name)
    move = _deadline_move(sub.id, _now(sub, "planned_end"), values, change, day, refuse)
    if change.nested:
        refuse(msg("{id} is a sub-action: only its own fields are changed this way; nothing was written.", id=sub.id),
               msg("Edit its action's file for the rest (docs/format.md)."))
    _status_rules(sub.id, lambda k: _now(sub, k), values, day, change.auto, refuse)
    merged = sub.model_dump(by_alias=True, exclude={"id"})
    merged.update({k: v for k, v in values.items() if v is not None})
    for k, v in values.items():
        if v is None:
            merged.pop(k, None)
    try:
        type(sub).model_validate(merged)
    except ValidationError as exc:
        refusals += [refused_value(sub.id, type(sub), err, merged, change.origins, change.origin) for err in exc.errors()]
    order = tuple(fields)
    nested = []
    for name, value in values.items():
        if value == _now(sub, name) or (value is None and _now(sub, name) in (None, [])):
            continue
        label, old = Label(name), cast("Msg | str", Shown(name, _now(sub, name)))
        if name == "progress":
            old = str(_now(sub, name) if _now(sub, name) is not None else "–").removesuffix(".0")
        if value is None:
            nested.append(Nested("remove", at, name, words=msg("{id}: {label}: emptied", id=sub.id, label=label)))
        elif (name in registry and registry[name].long) or isinstance(value, str) and len(value) > 40:
            nested.append(Nested("set", at, name, value, msg("{id}: {label}: new text", id=sub.id, label=label), order))
        else:
            nested.append(Nested("set", at, name, value, msg("{id}: {label} {old} → {new}", id=sub.id, label=label, old=old, new=Shown(name, value)),
                                 order))
    if move is not None:
        nested.append(Nested("append", at, "reschedules", move, msg("{id}: deadline moved: {reason}", id=sub.id, reason=move["reason"]), order))
    return refusals, ItemChange(action.id, nested=nested, origin=change.origin, reviewed=change.reviewed, auto=change.auto)


class Lazy(Msg):
    """A text worked out in the reader's language when shown (``Lazy(lambda lang: d.message(lang))``)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[str], str]) -> None:
        super().__init__("")
        self.fn = fn

    def __call__(self, lang: str | None) -> str:
        return self.fn(lang or "fr")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lazy) and other.fn is self.fn

    __hash__ = Msg.__hash__


def refused_value(ident: str, model: type, err: Any, data: Any, origins: dict[str, Origin] | None = None, origin: Origin | None = None) -> Refusal:
    """A value the model refuses, said as lint says it (checks/schema_errors.py: the same bounds and words)."""

    name = next((str(p) for p in err["loc"] if isinstance(p, str)), "?")
    found = to_diagnostic(err, model, "", (), data)
    hint = Lazy(lambda lang: found.hint(lang) or msg('Allowed values are described in docs/format.md.')(lang))
    return Refusal(ident, msg("{id}: value refused for {field}: {reason}", id=ident, field=Label(name), reason=Lazy(found.message)), hint,
                   (origins or {}).get(name, origin), "input")


def _status_rules(ident: str, now: Callable[[str], Any], values: dict[str, Any], day: dt.date, auto: bool,
                  refuse: Callable[..., None], *, sheet: bool = False) -> None:
    """Status, progress and actual dates, the same for an action changed and an action created (``now``: its values
    before; None for a new one): a contradiction is refused; with ``auto``, what a status implies is filled in.
    ``sheet``: the values come from a sheet's row (the hint says which cell to write, not which option to give)."""
    status = values.get("status", now("status"))
    progress = values.get("progress", now("progress"))
    if "status" in values:
        if status == "done" and "progress" in values and progress is not None and progress < 100:
            refuse(msg("{id}: status 'done' and progress {value} contradict each other; nothing was written.", id=ident, value=Shown("progress", progress)),
                   msg("A done action is at 100%: write 100 in the row's progress, or keep the status 'ongoing'.") if sheet else
                   msg("A done action is at 100%: drop --progress (it will be set to 100), or keep the status 'ongoing'."), "progress")
        if status == "not_started" and progress:
            refuse(msg("{id}: status 'not started' and progress {value} contradict each other; nothing was written.", id=ident, value=Shown("progress", progress)),
                   msg("Write the status 'ongoing' in the row, or a progress of 0.") if sheet else
                   msg('Give --status ongoing, or --progress 0.'), "progress" if "progress" in values else "status")
        if auto and status == "done" and "progress" not in values and now("progress") is not None and now("progress") < 100:
            values["progress"] = 100
        if auto and status == "done" and "actual_end" not in values and now("actual_end") is None:
            values["actual_end"] = day
        if auto and status == "ongoing" and now("status") == "not_started" and "actual_start" not in values and now("actual_start") is None:
            values["actual_start"] = day
    elif "progress" in values:
        if status == "done" and progress is not None and progress < 100:
            refuse(msg('{id} is done: a progress of {value} contradicts it; nothing was written.', id=ident, value=Shown("progress", progress)),
                   msg("Also write the status 'ongoing' in the row, or a progress of 100.") if sheet else
                   msg('Also give --status ongoing, or --progress 100.'), "progress")


def _unknown(loaded: Any, ident: str, index: dict[str, Any], origin: Origin | None) -> Refusal:
    near = closest(ident, {k: v.title for k, v in index.items()})
    missing = [x.file for x in loaded.left_out]
    hint: Msg = msg('Closest: {near}.', near=near) if near else msg('Check the id (feuille status shows it).')
    if missing:
        hint = msg("{hint}\n  Part of the plan could not be read ({missing}): run feuille lint.", hint=hint, missing=", ".join(missing))
    return Refusal(ident, msg("no objective or action '{ident}' in the plan {plan}.", ident=ident, plan=plan_label(loaded)), hint, origin, "input")


def plan_label(loaded: Any) -> Msg | str:
    """How to name the plan to the user: its source's label, else its folder."""
    label: Msg | str = loaded.source.label
    text = label("fr") if isinstance(label, Msg) else str(label)
    if text and not text.startswith("."):
        return label
    return str(Path(loaded.plan.root).resolve())


# --- new items ---------------------------------------------------------------------------------


def next_free_id(plan: Any, kind: str, parent: Any, taken: set[str], added: Iterable[str] = ()) -> str:
    """The next id of the plan's own sequence for a new ``kind`` in ``parent`` (A4.3 after A4.2), never one in ``taken``;
    ``added``: ids this write already gives in ``parent`` (a sheet's new rows: A4.21 after a new A4.20)."""

    objectives = plan.objective_index()
    if kind == "action":
        siblings = [a.id for a in parent.actions] + list(added)
        cousins = [(o.id, [a.id for a in o.actions]) for o in objectives.values() if o.actions]
    else:
        siblings = [o.id for o in (parent.objectives if parent else plan.objectives)] + list(added)
        cousins = [(o.id, [c.id for c in o.objectives]) for o in objectives.values() if o.objectives]
    return next_id(siblings, parent, cousins, taken)


def _new_items(loaded: Any, asked: list[NewItem], index: dict[str, Any], day: dt.date, by_person: bool, taken: set[str] | None,
               out: Write) -> list[tuple[NewItem, dict[str, Any], Any]]:
    from pydantic import ValidationError  # noqa: PLC0415 (heavy, loaded when first needed)


    plan = loaded.plan
    used = set(index) | set(taken or ())
    given: dict[tuple[str, str | None], list[str]] = {}  # ids given by this write, by parent
    made: list[tuple[NewItem, dict[str, Any], Any]] = []
    for new in asked:
        parent = None
        if new.parent is not None:
            parent = index.get(new.parent)
            if parent is None:
                out.refusals.append(_unknown(loaded, new.parent, index, new.origin))
                continue
            if not isinstance(parent, Objective):
                out.refusals.append(Refusal(new.parent, msg("'{parent_id}' is an action: actions and objectives go in an objective.", parent_id=new.parent),
                                            msg("Give --in with an objective's id."), new.origin))
                continue
        elif new.kind == "action":
            out.refusals.append(Refusal(None, msg('an action goes in an objective: give --in ID.'), "", new.origin))
            continue
        ident = new.id
        if ident is not None and ident in used:
            if not new.next_if_taken:
                out.refusals.append(Refusal(ident, msg("the id '{ident}' is already taken (in the plan or on a branch of the repository).", ident=ident),
                                            msg('Drop --id: feuille takes the next free one.'), new.origin))
                continue
            out.notes.append(msg("{where}: the id '{ident}' is already taken (in the plan or on a branch of the repository): the new action gets the next id of "
                                 "its objective.", where=new.origin.describe() if new.origin else "", ident=ident))
            ident = None
        if ident is None:
            ident = next_free_id(plan, new.kind, parent, used, given.get((new.kind, new.parent), []))
        used.add(ident)
        given.setdefault((new.kind, new.parent), []).append(ident)
        index[ident] = None  # (taken now; not an item to change)
        data: dict[str, Any] = {"id": ident}
        data.update({k: v for k, v in new.values.items() if v is not None and v != [] and k != "id"})
        if new.kind == "action":
            before = len(out.refusals)
            _status_rules(ident, lambda k: None, data, day, True,  # the same rules as a change: done at 60 % is refused
                          lambda m, hint="", key=None, kind="input", ident=ident, origin=new.origin: out.refusals.append(
                              Refusal(ident, m, hint, origin, kind)), sheet=new.origin is not None)
            if len(out.refusals) > before:
                continue
            data.setdefault("status", "not_started")
            if by_person:
                data.setdefault("last_reviewed", day)
        model = Action if new.kind == "action" else Objective
        try:
            model.model_validate(data)
        except ValidationError as exc:
            out.refusals += [refused_value(ident, model, err, data, None, new.origin) for err in exc.errors()]
            continue
        made.append((new, _ordered(model, data), parent))
    return made


def next_sub_id(action: Any, used: set[str]) -> str:
    """The id of a new sub-action of ``action``: the action's id followed by the next free number from its place (A1.1.4
    after three), never one in ``used``."""

    n = len(action.sub_actions) + 1
    while f"{action.id}.{n}" in used:
        n += 1
    return f"{action.id}.{n}"


#: how a sub-action is given its action
_SUB_EXAMPLE = Lazy(lambda lang: msg('Example: ')(lang) + 'feuille new sub-action --in A1.1 --title "..."')


def _new_sub_actions(loaded: Any, asked: list[NewItem], index: dict[str, Any], subs: dict[str, Any], day: dt.date, taken: set[str] | None,
                     changes: list[ItemChange], out: Write) -> list[ItemChange]:
    """``changes`` and, for each new sub-action, an ``append`` to its action's ``sub_actions``: its id (:func:`next_sub_id`,
    or the one asked for if free) written, so that it stays when another is inserted before it; the same status rules as a
    new action's; checked with the model."""
    from pydantic import ValidationError  # noqa: PLC0415 (heavy, loaded when first needed)

    used = set(index) | set(subs) | set(taken or ())
    by_action: dict[str, ItemChange] = {c.id: c for c in changes}
    action_order = field_order(Action)
    counted: dict[str, int] = {}  # sub-actions this write adds to an action so far
    for new in asked:
        parent = index.get(new.parent or "")
        if new.parent is None or (parent is None and new.parent not in subs):
            out.refusals.append(Refusal(None, msg('a sub-action goes in an action: give --in ID.'), _SUB_EXAMPLE,
                                        new.origin) if new.parent is None else _unknown(loaded, new.parent, {**index, **{k: v[0] for k, v in subs.items()}}, new.origin))
            continue
        if not isinstance(parent, Action):
            if new.parent in subs:
                action = subs[new.parent][1]
                out.refusals.append(Refusal(new.parent, msg("'{parent_id}' is a sub-action: sub-actions have one level.", parent_id=new.parent),
                                            msg("Give --in with its action's id ({action}).", action=action.id), new.origin))
            else:
                out.refusals.append(Refusal(new.parent, msg("'{parent_id}' is an objective: a sub-action goes in an action.", parent_id=new.parent),
                                            msg("Give --in with an action's id; an objective takes actions: feuille new action --in {parent_id}.",
                                                parent_id=new.parent), new.origin))
            continue
        ident = new.id
        if ident is not None and ident in used:
            out.refusals.append(Refusal(ident, msg("the id '{ident}' is already taken (in the plan or on a branch of the repository).", ident=ident),
                                        msg('Drop --id: feuille takes the next free one.'), new.origin))
            continue
        if ident is None:
            ident = next_sub_id(_Grown(parent, counted.get(parent.id, 0)), used)
        used.add(ident)
        counted[parent.id] = counted.get(parent.id, 0) + 1
        data: dict[str, Any] = {"id": ident}
        data.update({k: v for k, v in new.values.items() if v is not None and v != [] and k != "id"})
        before = len(out.refusals)
        _status_rules(ident, lambda k: None, data, day, True,
                      lambda m, hint="", key=None, kind="input", ident=ident, origin=new.origin: out.refusals.append(
                          Refusal(ident, m, hint, origin, kind)), sheet=new.origin is not None)
        if len(out.refusals) > before:
            continue
        data.setdefault("status", "not_started")
        try:
            SubAction.model_validate(data)
        except ValidationError as exc:
            out.refusals += [refused_value(ident, SubAction, err, data, None, new.origin) for err in exc.errors()]
            continue
        nested = Nested("append", (), "sub_actions", _ordered(SubAction, data), msg("{id}: new sub-action '{title}'", id=ident, title=data.get("title", "")),
                        action_order)
        change = by_action.get(parent.id)
        if change is None:
            change = by_action[parent.id] = ItemChange(parent.id, origin=new.origin)
            changes.append(change)
        change.nested.append(nested)
        out.created.append(Created(ident, "sub_action", str(data.get("title", "")), parent.id, plan_origin(loaded.plan, parent)))
    return changes


@dataclass(slots=True)
class _Grown:
    """An action as it will be once this write has added ``more`` sub-actions to it (for the next one's id)."""

    action: Any
    more: int

    @property
    def id(self) -> str:
        return str(self.action.id)

    @property
    def sub_actions(self) -> list[Any]:
        return [*self.action.sub_actions, *([None] * self.more)]


def plan_origin(plan: Any, item: Any) -> str:
    """The file an item is read from, as a write shows it."""
    return str(plan.origin(item)[0])


def _ordered(model: type, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` in the order its fields take in a file (io/edit.field_order)."""

    order = field_order(model)
    rank = {k: i for i, k in enumerate(order)}
    return dict(sorted(data.items(), key=lambda kv: rank.get(kv[0], len(rank))))


# --- the files ----------------------------------------------------------------------------------


def _file_edits(plan: Any, planned: list[tuple[Any, list[Any]]], creations: list[tuple[NewItem, dict[str, Any], Any]], out: Write) -> list[Any]:
    """Every item's changes, file by file (each file read, checked and read back once), then the new items where the
    plan's layout puts them (io/place.py), building on the edits of the same file."""

    by_file: dict[str, Any] = {}
    order: list[str] = []
    grouped: dict[str, list[tuple[Any, list[Any]]]] = {}
    for item, changes in planned:
        grouped.setdefault(plan.origin(item)[0], []).append((item, changes))
    for rel, items in grouped.items():
        if len(items) == 1:
            by_file[rel] = change_item(plan, items[0][0], items[0][1], base=by_file.get(rel))
        else:
            by_file[rel] = change_items(plan, items, base=by_file.get(rel))
        order.append(rel)
    created: dict[str, Created] = {}
    groups: dict[tuple[str, str | None], list[tuple[NewItem, dict[str, Any], Any]]] = {}  # the new items of one parent, together
    for new, data, parent in creations:
        groups.setdefault((new.kind, parent.id if parent is not None else None), []).append((new, data, parent))
    for (kind, parent_id), group in groups.items():
        parent = group[0][2]
        rel = plan.origin(parent)[0] if parent is not None else ""
        made = place_many(plan, kind, parent, [data for _n, data, _p in group], base=by_file.get(rel) if rel else None)
        for edit in made:
            key = rel if not edit.created else f"new:{edit.shown}"
            if key not in by_file:
                order.append(key)
            by_file[key] = edit
        files = [e.shown for e in made] if len(made) == len(group) else [made[0].shown] * len(group)
        for (_new, data, _parent), shown in zip(group, files, strict=True):
            created[data["id"]] = Created(data["id"], kind, str(data.get("title", "")), parent_id, shown)
    out.created += [created[data["id"]] for _new, data, _parent in creations]  # in the order asked (a sheet's rows)
    return [by_file[k] for k in order]


# --- the check ----------------------------------------------------------------------------------


def complete_with(d: Any, objective: bool = False) -> str:
    """The command that completes the item a diagnostic ``d`` of :data:`COMPLETE_LATER` is about (``objective``: it is one)."""
    ident = d.obj_id or "ID"
    if d.code == "F305" or (d.code == "F707" and objective):
        return f'feuille new action --in {ident} --title "..."'
    if d.code == "F706":
        return f"feuille update {ident} --set fte=0.5"
    if d.code == "F707":
        return f"feuille update {ident} --progress 0"
    if d.code == "F708":
        return f"feuille update {ident} --set volet=internal"
    return f"{d.file}"  # F704: the budget line's eComptes fields, in its file


def _check(loaded: Any, out: Write, created: set[str], changes: list[ItemChange], new: list[NewItem]) -> None:
    """Read the result again (overlay source): an added error refuses the whole write, unless it only says an item
    this write creates is not complete yet."""
    added = new_errors(loaded, out.edits, out.day)
    origins: dict[str, Origin | None] = {c.id: c.origin for c in changes}
    cells = {c.id: c.origins for c in changes}  # the cell of each field a change comes from (a sheet's)
    for c in out.created:
        asked = next((n for n in new if n.values.get("title") == c.title and n.parent == c.parent), None)
        origins[c.id] = asked.origin if asked is not None else None
    objective_of = {c.id: c.kind == "objective" for c in out.created}
    creating = {c.id: c.creates for c in changes if c.creates}
    for d in added:
        if (d.obj_id in created and d.code in COMPLETE_LATER) or d.code in creating.get(d.obj_id or "", ()):
            out.to_complete.append(ToComplete(d, complete_with(d, objective_of.get(d.obj_id or "", False))))
            continue
        fields = [v for v in (d.args or {}).values() if isinstance(v, str)] + [k for k in (d.path or ()) if isinstance(k, str)]  # (the path last: preferred)
        cell = next((cells[d.obj_id][k] for k in reversed(fields) if k in cells.get(d.obj_id or "", {})), None)
        out.refusals.append(Refusal(d.obj_id, _said(d), "", cell or origins.get(d.obj_id or ""), "error", d))


class _said(Msg):
    """A diagnostic as a message: its code, where, and what it says, in the reader's language."""

    __slots__ = ("d",)

    def __init__(self, d: Any) -> None:
        super().__init__(d.code)
        self.d = d

    def __call__(self, lang: str | None) -> str:
        d = self.d
        where = f"{d.file}{':' + str(d.line) if d.line else ''}"
        return f"{where}: {d.code} {d.obj_id or ''} {d.message(lang or 'fr')}".replace("  ", " ")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _said) and other.d is self.d

    __hash__ = Msg.__hash__

