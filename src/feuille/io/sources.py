"""Where a plan is read from: a folder on disk, or a git revision.

A :class:`Source` lists folders and reads files by path relative to the plan
root; the pipeline (:mod:`feuille.pipeline`) knows nothing else about where the
bytes come from.  :func:`feuille.pipeline.open_source` picks the source for a command's
``PLAN`` and ``--rev`` (a folder, or :class:`feuille.io.git.GitSource`); :func:`feuille.io.discovery.find_plans` finds the
plan folders a command acts on, walking up from the working folder like git looks for ``.git``.
"""

from __future__ import annotations

import enum
import os
import stat as _stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from feuille.core.errors import UserError
from feuille.core.i18n import Msg
from feuille.core.shell import folder_name
from feuille.io.files import system_reason

PLAN_FILES = ("plan.yaml", "plan.yml")


class SourceError(UserError):
    """A plan that cannot be read at all.  ``message`` and ``hint`` are French text; ``msg`` and
    ``hint_msg`` the same, as catalogue messages where the error was written with :func:`msg`
    (``fail(exc.msg, exc.hint_msg)`` shows them in the user's language)."""

    code = "source"


class EntryKind(enum.Enum):
    FILE = "file"
    DIR = "dir"
    OTHER = "other"  # a link to nowhere, a git symlink or submodule: cannot be read as a file
    SPECIAL = "special"  # a FIFO, socket or device on disk: never opened (reading a FIFO would hang)
    REFUSED = "refused"  # a symbolic link that is never followed (io/links.py): out of the repository, to a folder, a device, itself


@dataclass(frozen=True, slots=True)
class Entry:
    name: str  # one path component
    kind: EntryKind
    blob: str | None = None  # git blob id (files of a git source)
    ident: tuple[int, int] | None = None  # (device, inode) of a folder on disk, to refuse link loops
    why: Msg | None = None  # REFUSED: what the link is and why it is not read
    folder: bool = False  # REFUSED: it leads to a folder (which would have been walked)


class Source(Protocol):
    root: Path  # the plan folder as the user named it: files are shown as root / rel
    @property
    def label(self) -> str | Msg: ...  # how to name this source to a user (a Msg is shown with label(lang); its str() is French)

    def list_dir(self, rel: str) -> list[Entry]: ...
    def read(self, rel: str) -> bytes: ...
    def exists(self, rel: str) -> bool: ...
    def close(self) -> None: ...


class FolderSource:
    """A plan folder on disk.  A symbolic link is listed as what it leads to only when that is a regular
    file inside the plan's repository (io/links.py); any other link is :attr:`EntryKind.REFUSED`, never followed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = folder_name(root)  # « la-louviere », never « . »
        self._limit: tuple[Path, bool] | None = None  # where links may lead, worked out at the first link

    def _link(self, path: Path) -> Entry | None:
        from feuille.io import links  # noqa: PLC0415 (not on the start-up path of status, lint and show)

        if self._limit is None:
            limit = links.boundary(self.root)
            self._limit = (limit, os.path.lexists(limit / ".git"))
        found = links.classify(path, *self._limit)
        if found.verdict is links.Verdict.FILE:
            return None
        if found.verdict is links.Verdict.DANGLING:
            return Entry(path.name, EntryKind.OTHER)
        return Entry(path.name, EntryKind.REFUSED, why=found.why, folder=found.folder)

    def _path(self, rel: str) -> Path:
        return self.root / rel if rel else self.root

    def list_dir(self, rel: str) -> list[Entry]:
        out = []
        try:
            with os.scandir(self._path(rel)) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            raise SourceError(system_reason(exc)) from exc
        for item in items:
            if item.is_symlink():
                refused = self._link(Path(item.path))
                if refused is not None:
                    out.append(refused)
                    continue
            try:
                st = item.stat()  # a link here leads to a regular file of the repository: what it leads to
            except OSError:
                out.append(Entry(item.name, EntryKind.OTHER))
                continue
            if _stat.S_ISDIR(st.st_mode):
                out.append(Entry(item.name, EntryKind.DIR, ident=(st.st_dev, st.st_ino)))
            elif _stat.S_ISREG(st.st_mode):
                out.append(Entry(item.name, EntryKind.FILE))
            else:
                out.append(Entry(item.name, EntryKind.SPECIAL))
        return out

    def ident(self) -> tuple[int, int]:
        st = self.root.stat()
        return st.st_dev, st.st_ino

    def stat(self, rel: str) -> os.stat_result:
        return os.stat(self._path(rel))

    def read(self, rel: str) -> bytes:
        return self._path(rel).read_bytes()

    def exists(self, rel: str) -> bool:
        return self._path(rel).exists()

    def close(self) -> None:
        return None


class OverlaySource:
    """A plan as it would be after a write: the files of ``base`` with ``files`` (relative path -> new bytes)
    laid over them, in memory.  A write is checked by loading this source through the one pipeline: nothing
    is copied, the folder is listed once (its refused links and special files stay refused), and only the
    files a write changes or creates are parsed again (the others come from the cache as for any load)."""

    def __init__(self, base: Source, files: dict[str, bytes]) -> None:
        self.base = base
        self.root = base.root
        self.label = base.label
        self.files = dict(files)
        self.edited = frozenset(self.files)  # what the pipeline never takes from, nor puts into, the cache
        self._dirs: dict[str, set[str]] = {}  # folder -> names of files and folders the overlay adds there
        for rel in self.files:
            parts = rel.split("/")
            for i in range(len(parts)):
                self._dirs.setdefault("/".join(parts[:i]), set()).add(parts[i])

    def list_dir(self, rel: str) -> list[Entry]:
        added = self._dirs.get(rel, set())
        try:
            entries = {e.name: e for e in self.base.list_dir(rel)}
        except SourceError:
            if not added:
                raise
            entries = {}
        for name in added:
            path = f"{rel}/{name}" if rel else name
            if path in self.files:
                entries[name] = Entry(name, EntryKind.FILE)
            elif name not in entries or entries[name].kind is not EntryKind.DIR:
                entries[name] = Entry(name, EntryKind.DIR)
        return [entries[n] for n in sorted(entries)]

    def read(self, rel: str) -> bytes:
        return self.files[rel] if rel in self.files else self.base.read(rel)

    def stat(self, rel: str) -> os.stat_result:
        return self.base.stat(rel)  # type: ignore[attr-defined]  # (only for files not in the overlay, of a folder source)

    def ident(self) -> tuple[int, int]:
        return self.base.ident()  # type: ignore[attr-defined]

    def exists(self, rel: str) -> bool:
        return rel in self.files or rel in self._dirs or self.base.exists(rel)

    def close(self) -> None:
        return None  # the base is its opener's to close


# --- finding the plan -----------------------------------------------------------------


def is_plan(folder: Path) -> bool:
    return any((folder / name).is_file() for name in PLAN_FILES)


def enclosing_plan(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds a plan file."""
    here = start.resolve() if start.exists() else start.absolute()
    for folder in (here, *here.parents):
        if is_plan(folder):
            return folder
    return None


def _shown(found: Path) -> Path:
    """``found`` (absolute) written relative to the working folder (``..``, ``../..``), as a user would type it."""
    try:
        return Path(os.path.relpath(found))
    except ValueError:  # another drive (Windows)
        return found
