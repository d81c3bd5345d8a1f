"""All-or-nothing writes of several plan files.

A :class:`Transaction` replaces a set of files so that, whatever happens (an I/O
error on the fifth file, the process killed between two renames, the power cut),
the plan ends up either entirely as it was or entirely as intended, and the user
is told what became of each file.

How (the journal is the one source of truth):

1. a journal ``.feuille-journal`` is created at the plan root (``O_EXCL``: it is
   also the lock that keeps two writers apart), state ``staging``, listing for
   each file its target (a symbolic link is followed: the link is kept, its target
   is written), the temporary file, the backup, and the digest of the contents
   before and after;
2. each new content is written to its temporary file next to its target and
   flushed to disk (fsync), with the target's mode; each original gets a backup
   (a hard link, or a flushed copy where links are not possible);
3. the journal turns to ``committing``; every target is checked once more (its
   bytes must still be those that were read) and each temporary file is renamed
   over its target;
4. the journal turns to ``committed``; backups and the journal are removed.

Any error in 1-3 undoes what was done (backups renamed back over the targets,
temporary files removed).  A process killed in the middle leaves the journal:
:func:`recover` (called at the start of every write, and callable by the loader)
reads its state: ``staging`` or ``committing`` are rolled back (the user never saw
the command succeed), ``committed`` is completed (only clean-up was left).

Why a hidden file at the plan root rather than in the user's cache folder: the
journal must be found by whoever opens the plan next, whatever path, user or
machine they use (a shared drive, a copy made by a colleague), and it must sit on
the same file system as the files it describes; a cache folder may be emptied at
any time.  It exists only while a write is under way (or interrupted): the loader
skips names starting with a dot, and ``git status`` shows it, which is a fair
warning, as an untracked file, until the next feuille command recovers it.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from feuille.core.errors import UserError
from feuille.core.i18n import NC_, Joined, Msg, msg
from feuille.io.cache import digest
from feuille.io.files import system_reason  # (here too for its callers: io/edit)

JOURNAL = ".feuille-journal"
_VERSION = 1

# what became of a file (« inchangé », « modifié »...), shown in the reader's language: ``CHANGED(lang)``
UNCHANGED = Msg(NC_("file", "unchanged"))
CHANGED = Msg(NC_("file", "changed"))
RESTORED = Msg(NC_("file", "restored"))
CREATED = Msg(NC_("file", "created"))
REMOVED = Msg(NC_("file", "removed"))

Outcome = list[tuple[str, Msg]]  # (the file as shown, what became of it)


class TransactionError(UserError):
    """A write that failed or was refused; the message names every file and what became of it."""

    code = "transaction"

    def __init__(self, message: str | Msg, outcome: Outcome | None = None) -> None:
        super().__init__(message)  # a Msg is shown in the user's language; str(exc) is French
        self.outcome = outcome or []


BUSY = msg("another write is under way in this plan (file .feuille-journal); nothing was written. "
           "Wait until it ends, then run the command again.")
FOLDER_LOCKED = msg("the folder of {file} cannot be changed; nothing was written. "
                    "Ask for the right to write in this folder, then run the command again.")


class _Crash(BaseException):
    """Test hook only: stands for the process being killed (nothing is cleaned up)."""


Hook = Callable[[str, int], None]


@dataclass(slots=True)
class _File:
    target: Path  # the real file written (links followed)
    shown: str
    before: bytes | None  # digest of the bytes the edit was computed from
    after: bytes
    temp: Path = field(default=Path())
    backup: Path = field(default=Path())
    replaced: bool = False
    created: bool = False  # a new file (no backup; undone by removing it)


def _hex(d: bytes | None) -> str | None:
    return d.hex() if d is not None else None


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - some systems cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _write_journal(path: Path, data: dict, *, create: bool = False) -> None:
    payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    if create:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
    else:
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    _fsync_dir(path.parent)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _read_digest(path: Path) -> bytes | None:
    try:
        return digest(path.read_bytes())
    except FileNotFoundError:
        return None


def _why(exc: BaseException) -> Msg | str:
    """Why a write failed: the system's refusal, or the check that stopped it, in the reader's language."""
    if isinstance(exc, OSError):
        return system_reason(exc)
    if isinstance(exc, TransactionError):
        return exc.msg
    return str(exc) or type(exc).__name__


def _report(outcome: Outcome) -> Msg:
    """One line per file: « plan.yaml : restauré »."""
    return Joined(Msg("\n"), [msg("  {file}: {what}", file=shown, what=what) for shown, what in outcome])


class Transaction:
    """Replace several files of one plan, all or nothing.

    ``add(target, after, before=digest_read, shown=...)`` for each file, then
    ``commit()``; it returns ``[(shown, CHANGED), ...]`` or raises
    :class:`TransactionError` whose message lists each file with « inchangé »,
    « modifié » or « restauré » (:data:`UNCHANGED`, :data:`CHANGED`, :data:`RESTORED`).  ``_hook(step, index)`` is for tests: it is called
    before each step and may raise.
    """

    def __init__(self, root: Path, *, _hook: Hook | None = None) -> None:
        self.root = Path(root)
        self.journal = self.root / JOURNAL
        self.files: list[_File] = []
        self._hook = _hook
        self._state = "new"
        self.recovered: Outcome = []

    def _step(self, name: str, index: int = 0) -> None:
        if self._hook is not None:
            self._hook(name, index)

    def add(self, target: Path, after: bytes, *, before: bytes | None, shown: str | None = None, create: bool = False) -> None:
        """Plan to replace ``target`` by ``after``; ``before`` is the digest of the bytes it must still hold.

        ``create``: ``target`` is a new file; it must not exist (now, nor when the files are put in place).
        """
        target = Path(target)
        shown = shown or str(target)
        if create:
            if os.path.lexists(target):
                raise TransactionError(msg("the file {file} already exists; nothing was written. Run the command again.", file=shown))
            if not os.access(target.parent, os.W_OK | os.X_OK):
                raise TransactionError(Msg(FOLDER_LOCKED.msgid, file=shown))
            self.files.append(_File(Path(os.path.abspath(target)), shown, None, after, created=True))
            return
        real = Path(os.path.realpath(target))
        try:
            st = os.stat(real)
        except FileNotFoundError:
            raise TransactionError(msg("the file {file} no longer exists; nothing was written. Run the command again.", file=shown)) from None
        except OSError as exc:
            raise TransactionError(msg("the file {file} cannot be reached ({reason}); nothing was written.", file=shown, reason=system_reason(exc))) from None
        if not stat.S_ISREG(st.st_mode):
            raise TransactionError(msg("{file} is not a regular file; nothing was written.", file=shown))
        if not st.st_mode & 0o222 or not os.access(real, os.W_OK):
            raise TransactionError(msg(
                "the file {file} is read-only; nothing was written. "
                "Make it writable (the file's properties, or 'chmod u+w'), then run the command again.", file=shown))
        if not os.access(real.parent, os.W_OK | os.X_OK):
            raise TransactionError(Msg(FOLDER_LOCKED.msgid, file=shown))
        if any(f.target == real for f in self.files):
            raise TransactionError(msg("{file} is changed twice in the same operation; nothing was written.", file=shown))
        self.files.append(_File(real, shown, before, after))

    # --- commit ----------------------------------------------------------------------

    def commit(self) -> Outcome:
        if not self.files:
            return []
        self.recovered = recover(self.root)
        token = uuid.uuid4().hex[:12]
        for f in self.files:
            f.temp = f.target.with_name(f".{f.target.name}.feuille-{token}.tmp")
            f.backup = f.target.with_name(f".{f.target.name}.feuille-{token}.bak")
        try:
            self._step("journal")
            _write_journal(self.journal, self._record("staging"), create=True)
        except FileExistsError:
            raise TransactionError(BUSY, self._outcome()) from None
        except _Crash:
            raise
        except Exception as exc:
            _unlink(self.journal)
            raise TransactionError(msg("cannot prepare the write ({reason}); nothing was written.\n{report}",
                                       reason=_why(exc), report=_report(self._outcome())), self._outcome()) from None
        try:
            for i, f in enumerate(self.files):
                self._step("temp", i)
                self._stage(f)
                self._step("backup", i)
                if not f.created:
                    self._backup(f)
            self._step("commit-mark")
            _write_journal(self.journal, self._record("committing"))
            for f in self.files:
                if f.created and os.path.lexists(f.target):
                    raise TransactionError(msg("{file} was created by someone else during the operation", file=f.shown))
                if _read_digest(f.target) != f.before and f.before is not None:
                    raise TransactionError(msg("{file} was changed during the operation", file=f.shown))
            for i, f in enumerate(self.files):
                self._step("replace", i)
                if f.created:
                    os.link(f.temp, f.target)  # never over a file that appeared meanwhile
                    _unlink(f.temp)
                else:
                    os.replace(f.temp, f.target)
                f.replaced = True
            for folder in {f.target.parent for f in self.files}:
                _fsync_dir(folder)
            self._step("committed-mark")
            _write_journal(self.journal, self._record("committed"))
        except _Crash:
            raise
        except BaseException as exc:
            failed = next((f.shown for f in self.files if not f.replaced), None)
            outcome = self._rollback()
            where = msg(" (on {file})", file=failed) if failed and isinstance(exc, OSError) else ""
            raise TransactionError(msg("the write failed{where}: {reason}. The plan was left as it was:\n{report}",
                                       where=where, reason=_why(exc), report=_report(outcome)), outcome) from None
        self._step("cleanup")
        for f in self.files:
            _unlink(f.backup)
        _unlink(self.journal)
        return [(f.shown, CREATED if f.created else CHANGED) for f in self.files]

    def _record(self, state: str) -> dict:
        self._state = state
        return {
            "version": _VERSION,
            "state": state,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "files": [
                {"target": str(f.target), "shown": f.shown, "temp": str(f.temp), "backup": str(f.backup),
                 "before": _hex(f.before), "after": _hex(digest(f.after)), **({"created": True} if f.created else {})}
                for f in self.files
            ],
        }

    def _stage(self, f: _File) -> None:
        if f.created:
            umask = os.umask(0)
            os.umask(umask)
            st = os.stat_result((0o100666 & ~umask, 0, 0, 0, os.getuid(), os.getgid(), 0, 0, 0, 0))
        else:
            st = os.stat(f.target)
        fd = os.open(f.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(f.after)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(f.temp, stat.S_IMODE(st.st_mode))
            try:
                os.chown(f.temp, st.st_uid, st.st_gid)
            except OSError:
                pass
        except BaseException:
            _unlink(f.temp)
            raise

    def _backup(self, f: _File) -> None:
        try:
            os.link(f.target, f.backup)
        except OSError:
            data = f.target.read_bytes()
            with open(f.backup, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        _fsync_dir(f.backup.parent)

    def _rollback(self) -> Outcome:
        outcome: Outcome = []
        clean = True
        for f in self.files:
            if f.replaced and f.created:
                _unlink(f.target)
                outcome.append((f.shown, REMOVED))
            elif f.replaced:
                try:
                    os.replace(f.backup, f.target)
                    outcome.append((f.shown, RESTORED))
                except OSError as exc:
                    clean = False
                    outcome.append((f.shown, msg("changed, cannot be restored ({reason}); the original is in {backup}",
                                                 reason=_why(exc), backup=f.backup.name)))
            else:
                outcome.append((f.shown, UNCHANGED))
                _unlink(f.backup)
            _unlink(f.temp)
        if clean:
            _unlink(self.journal)
            _unlink(self.journal.with_name(JOURNAL + ".tmp"))
        return outcome

    def _outcome(self) -> Outcome:
        return [(f.shown, UNCHANGED) for f in self.files]


# --- recovery ----------------------------------------------------------------------------


def _alive(pid: int, host: str) -> bool:
    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's live process
        return True
    except OSError:  # pragma: no cover
        return False
    return True


def recover(plan_root: Path) -> Outcome:
    """Finish or undo a write that was interrupted in ``plan_root``.

    Returns ``[(shown, what became of it)]`` (empty when there was nothing to do).
    The journal's state decides: ``staging`` and ``committing`` are rolled back,
    ``committed`` is completed.  A file changed by someone since the interruption
    is left alone.  Raises :class:`TransactionError` (message ready to show) if
    another feuille process is writing right now, or if a file cannot be put back
    (removed since: its original is kept and named, and so is the journal).
    """
    journal = Path(plan_root) / JOURNAL
    _unlink(journal.with_name(JOURNAL + ".tmp"))
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        return []
    try:
        data = json.loads(raw.decode("utf-8"))
        state = data["state"]
        files = data["files"]
    except (ValueError, KeyError, TypeError):
        # a journal torn while being created: nothing was staged under its names yet
        journal.unlink()
        return []
    if _alive(int(data.get("pid", 0)), str(data.get("host", ""))):
        raise TransactionError(BUSY)
    outcome: Outcome = []
    keep_journal = False
    for entry in files:
        target, temp, backup = Path(entry["target"]), Path(entry["temp"]), Path(entry["backup"])
        shown = entry.get("shown") or str(target)
        before = bytes.fromhex(entry["before"]) if entry.get("before") else None
        after = bytes.fromhex(entry["after"])
        now = _read_digest(target)
        if entry.get("created"):
            _unlink(temp)
            if state != "committed" and now == after:
                target.unlink()
                outcome.append((shown, REMOVED))
            else:
                outcome.append((shown, CREATED if now == after else UNCHANGED))
            continue
        if now is None and backup.exists():  # the file was removed since: keep what we have of it
            keep_journal = True
            outcome.append((shown, msg("missing; the original is kept in {backup}", backup=str(backup))))
            _unlink(temp)
            continue
        if state == "committed":
            outcome.append((shown, CHANGED if now == after else UNCHANGED))
            _unlink(temp)
            _unlink(backup)
            continue
        # staging or committing: roll back
        if now == after and backup.exists() and (before is None or _read_digest(backup) == before):
            os.replace(backup, target)
            outcome.append((shown, RESTORED))
        elif now == after and backup.exists():
            keep_journal = True
            outcome.append((shown, msg("changed; the backup {backup} does not match it, it is kept", backup=backup.name)))
            _unlink(temp)
            continue
        elif now is not None and now != after and before is not None and now != before:
            outcome.append((shown, msg("changed since by someone else; left as it is")))
            _unlink(backup)
        else:
            outcome.append((shown, UNCHANGED))
            _unlink(backup)
        _unlink(temp)
    for folder in {Path(e["target"]).parent for e in files}:
        _fsync_dir(folder)
    if keep_journal:
        raise TransactionError(msg(
            "an earlier write was interrupted and could not be wholly put back in order; nothing was written:\n{report}\n"
            "Put these files back in place (the original is kept beside them, in the hidden file named), "
            "then delete {journal} and run the command again.", report=_report(outcome), journal=str(journal)), outcome)
    journal.unlink()
    _fsync_dir(journal.parent)
    return outcome


def describe_recovery(outcome: Outcome) -> Msg | str:
    """The message about a recovered write, for the loader or a command to show (``m(lang)``; ``str(m)`` is French);
    ``""`` when there was nothing to recover."""
    if not outcome:
        return ""
    return msg("an earlier write had been interrupted; the plan was put back in order:\n{report}", report=_report(outcome))
