"""A per-plan cache of parsed files, keyed by file content.

The cache lives in the user's cache folder (never inside the plan): one file per
plan root holding, for each YAML file, its size, modification time, a digest of
its bytes and the values parsed from it.  A file whose size and mtime are
unchanged is trusted (unless it changed within two seconds of the cache being
written, the "racy" window); otherwise its bytes are hashed and compared.
Only files read without problems are cached.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_VERSION = 2
_RACY_NS = 2_000_000_000


def default_dir() -> Path:
    env = os.environ.get("FEUILLE_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":  # pragma: no cover
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "feuille" / "cache"
    if sys.platform == "darwin":  # pragma: no cover
        return Path.home() / "Library" / "Caches" / "feuille"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "feuille"


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


class FileCache:
    """Parsed values of one plan's files; ``get`` and ``put`` then ``save``."""

    def __init__(self, root: Path, directory: Path | None) -> None:
        self._entries: dict[str, tuple[int, int, bytes, Any]] = {}
        self._dirty = False
        self._written_ns = 0
        self._path: Path | None = None
        if directory is None:
            return
        key = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
        self._path = directory / f"plan-{key}.marshal"
        try:
            with open(self._path, "rb") as fh:
                stored = marshal.loads(fh.read())
            if stored.get("v") == _VERSION and stored.get("py") == sys.version_info[:2]:
                self._entries = stored["files"]
                self._written_ns = stored["at"]
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            self._entries = {}

    def lookup_stat(self, rel: str, st: os.stat_result) -> Any | None:
        """Values for ``rel`` if its size and mtime prove it unchanged, else None."""
        entry = self._entries.get(rel)
        if entry is None or entry[0] != st.st_size or entry[1] != st.st_mtime_ns:
            return None
        if st.st_mtime_ns >= self._written_ns - _RACY_NS:
            return None
        return entry[3]

    def lookup_digest(self, rel: str, st: os.stat_result, raw: bytes) -> tuple[Any | None, bytes]:
        """Values for ``rel`` if its bytes are the ones cached (updating its stat)."""
        dg = digest(raw)
        entry = self._entries.get(rel)
        if entry is not None and entry[2] == dg:
            if entry[0] != st.st_size or entry[1] != st.st_mtime_ns:
                self._entries[rel] = (st.st_size, st.st_mtime_ns, dg, entry[3])
                self._dirty = True
            return entry[3], dg
        return None, dg

    def digest_of(self, rel: str) -> bytes | None:
        entry = self._entries.get(rel)
        return entry[2] if entry is not None else None

    def last_good(self, rel: str) -> Any | None:
        entry = self._entries.get(rel)
        return entry[3] if entry is not None else None

    def lookup_blob(self, blob: str) -> Any | None:
        entry = self._entries.get("blob:" + blob)
        return entry[3] if entry is not None else None

    def put_blob(self, blob: str, values: Any) -> None:
        self._entries["blob:" + blob] = (0, 0, b"", values)
        self._dirty = True

    def put(self, rel: str, st: os.stat_result, dg: bytes, values: Any) -> None:
        self._entries[rel] = (st.st_size, st.st_mtime_ns, dg, values)
        self._dirty = True

    def forget_except(self, present: set[str]) -> None:
        gone = set(self._entries) - present
        for rel in gone:
            del self._entries[rel]
        self._dirty = self._dirty or bool(gone)

    def save(self) -> None:
        """Write the cache atomically; a cache that cannot be written is skipped silently."""
        if self._path is None or not self._dirty:
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            payload = marshal.dumps({"v": _VERSION, "py": sys.version_info[:2], "at": time.time_ns(), "files": self._entries})
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(payload)
                os.replace(tmp, self._path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, ValueError):
            return
