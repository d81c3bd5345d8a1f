"""Whole answers of read-only commands (``status``, ``lint``), kept and replayed when nothing they read changed.

A command's answer is what it wrote on its standard output and error, in order, and its exit
code.  It is kept in the cache folder (:func:`feuille.io.cache.default_dir`, ``results/``)
under a key that covers everything the answer depends on (:mod:`feuille.cli.quick` builds
it): the command and every option, the language asked for, the terminal (width, colours,
encodings), the working folder, today's date, feuille's own files, and each plan's
**state** (:func:`plan_state`): the stat of every YAML file the loader could read (so the
rule settings of ``plan.yaml`` are in it), and the validation tags of its git repository.

As in git's index (and :mod:`feuille.io.cache`), a file is trusted on its stat (size, mtime,
ctime, inode, device) only when it was already older than the "racy" window (2 s) when that
stat was taken; a plan with a file younger than that has no state (``None``): its answer is
neither kept nor replayed.  ``touch -r`` restores mtime but not ctime, so it never fools it.

Answers are files of marshalled plain data (str, bytes, int), each with a keyed digest (the
cache folder's key, :func:`feuille.io.cache._secret`): a file not written by :func:`store` is
ignored.  At most :data:`MAX_ANSWERS` are kept, the oldest removed first.  Nothing here ever
raises: a cache that cannot be read or written only means the command runs.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat as _stat
import tempfile
import time
from pathlib import Path
from typing import Any

from feuille.io.cache import _discard, _read_small, _secret, default_dir

FORMAT = 1
MAX_ANSWERS = 256
_RACY_NS = 2_000_000_000
_SKIPPED_TOP = frozenset({"templates", "node_modules", "site"})  # pipeline.SKIPPED_DIRS (tests/test_results.py checks)
_YAML = (".yaml", ".yml")
_JOURNAL = ".feuille-journal"
_MAX_FILES = 200_000  # a tree this large is not a plan: no state

#: What an answer holds: (stream, text or bytes) in the order written, and the exit code.
Record = tuple[str, Any]


class _Racy(Exception):
    pass


def _stat_line(st: os.stat_result, now_ns: int) -> bytes:
    newest = st.st_mtime_ns if st.st_mtime_ns > st.st_ctime_ns else st.st_ctime_ns
    if newest >= now_ns - _RACY_NS:
        raise _Racy
    return b"%d %d %d %d %d %o" % (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode)


def plan_state(root: Path, now_ns: int | None = None) -> bytes | None:
    """A digest of every file the loader could read under ``root`` and of its validation tags; None
    when a file is too young to be trusted on its stat, a write was interrupted (a journal), or
    anything cannot be read."""
    now_ns = now_ns if now_ns is not None else time.time_ns()
    h = hashlib.blake2b(digest_size=20)
    try:
        top = os.fspath(root)
        if os.path.lexists(os.path.join(top, _JOURNAL)):
            return None
        count = 0
        seen: set[tuple[int, int]] = set()
        stack = [(top, "")]
        while stack:
            folder, rel = stack.pop()
            st = os.stat(folder)
            ident = (st.st_dev, st.st_ino)
            if ident in seen:  # a link loop: the loader reports it; never walked twice here
                h.update(b"L" + rel.encode("utf-8", "surrogateescape") + b"\0")
                continue
            seen.add(ident)
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
            h.update(b"D" + rel.encode("utf-8", "surrogateescape") + b"\0")
            subdirs = []
            for e in entries:
                name = e.name
                if name.startswith((".", "_")):
                    continue
                try:
                    is_dir = e.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if not rel and name in _SKIPPED_TOP:
                        continue
                    subdirs.append((e.path, f"{rel}/{name}" if rel else name))
                    continue
                if not name.endswith(_YAML):
                    continue
                count += 1
                if count > _MAX_FILES:
                    return None
                try:
                    line = _stat_line(e.stat(), now_ns)
                except FileNotFoundError:  # a link to nowhere: the loader says so; its name is the state
                    line = b"missing"
                h.update(b"F" + name.encode("utf-8", "surrogateescape") + b"\0" + line + b"\n")
            stack.extend(reversed(subdirs))
        refs = validation_refs(root)
        if refs is None:
            return None
        h.update(b"V" + refs)
    except (_Racy, OSError, ValueError):
        return None
    return h.digest()


def git_dir(root: Path) -> Path | None | bool:
    """The git folder of the repository holding ``root``, read from files (no git process); None when
    not in git; True when unsure (``GIT_DIR`` set, an odd ``.git`` file)."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    folder = Path(os.path.abspath(root))
    for candidate in (folder, *folder.parents):
        dot = candidate / ".git"
        try:
            st = os.stat(dot)
        except OSError:
            continue
        if _stat.S_ISDIR(st.st_mode):
            return dot
        text = dot.read_text(encoding="utf-8", errors="replace").strip()  # a worktree or a submodule: « gitdir: PATH »
        if not text.startswith("gitdir:"):
            return True
        found = (candidate / text[7:].strip()).resolve()
        common = found / "commondir"
        if common.is_file():
            found = (found / common.read_text(encoding="utf-8", errors="replace").strip()).resolve()
        return found
    return None


def validation_refs(root: Path) -> bytes | None:
    """Every validation tag (``refs/tags/feuille-validation/...``) of the repository of ``root`` and what it
    points to, read from its files; b"" outside git; None when they cannot be read from files alone."""
    found = git_dir(root)
    if found is None:
        return b""
    if found is True or (found / "reftable").exists():  # type: ignore[union-attr]
        return None
    assert isinstance(found, Path)
    out = []
    tags = found / "refs" / "tags" / "feuille-validation"
    if tags.is_dir():
        for folder, _dirs, files in os.walk(tags):
            for name in files:
                path = os.path.join(folder, name)
                with open(path, "rb") as fh:
                    out.append(os.path.relpath(path, tags).encode("utf-8", "surrogateescape") + b" " + fh.read(200).strip())
    try:
        packed = (found / "packed-refs").read_bytes()
    except FileNotFoundError:
        packed = b""
    out += [line for line in packed.splitlines() if b"refs/tags/feuille-validation/" in line]
    return b"\n".join(sorted(out))


def code_stamp() -> bytes:
    """A digest of feuille's own files (code, catalogues): an upgrade, or an edit of an editable install, is a new stamp."""
    h = hashlib.blake2b(digest_size=16)
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.name == "__pycache__":
                continue
            if e.is_dir():
                stack.append(e.path)
            elif e.name.endswith((".py", ".mo", ".po")):
                st = e.stat()
                h.update(b"%s %d %d\n" % (e.path.encode("utf-8", "surrogateescape"), st.st_size, st.st_mtime_ns))
    return h.digest()


def _folder() -> Path | None:

    try:
        return default_dir() / "results"
    except Exception:
        return None


def _sign(secret: bytes, payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=16, key=secret).digest()


def lookup(key: bytes) -> tuple[list[Record], int] | None:
    """The answer kept under ``key``, or None."""

    folder = _folder()
    if folder is None:
        return None
    try:
        raw = _read_small(folder / key.hex(), 1 << 26)
        if raw is None or len(raw) < 16:
            return None
        if _sign(_secret(folder.parent), raw[16:]) != raw[:16]:
            return None
        value = marshal.loads(raw[16:])
        if type(value) is not tuple or len(value) != 3 or value[0] != FORMAT or type(value[2]) is not int or type(value[1]) is not list:
            return None
        records = value[1]
        for r in records:
            if type(r) is not tuple or len(r) != 2 or r[0] not in ("out", "err", "outb", "errb") or type(r[1]) not in (str, bytes):
                return None
        return records, value[2]
    except Exception:
        return None


def store(key: bytes, records: list[Record], code: int) -> None:
    """Keep an answer (best effort, atomic); the oldest answers beyond :data:`MAX_ANSWERS` are removed."""


    folder = _folder()
    if folder is None:
        return
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        payload = marshal.dumps((FORMAT, records, code))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(_sign(_secret(folder.parent), payload) + payload)
        os.replace(tmp, folder / key.hex())
        tmp = None
        _prune(folder)
    except Exception:
        return
    finally:
        _discard(tmp)


def _prune(folder: Path) -> None:
    with os.scandir(folder) as it:
        kept = [(e.stat().st_mtime_ns, e.path) for e in it if not e.name.startswith(".")]
    if len(kept) <= MAX_ANSWERS:
        return
    kept.sort()
    for _t, path in kept[: len(kept) - MAX_ANSWERS]:
        try:
            os.unlink(path)
        except OSError:
            pass
