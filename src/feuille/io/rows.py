"""Pieces of a rendered site kept across renders: what a page is joined from, made once while its inputs stay the same.

A site's listing pages (an objective, a person, a service, a theme, the dashboard) each show a
table of actions, one row per action; a plan of 10,000 actions has ~100,000 such rows on ~120
pages, and these pages are made again whenever any action changes.  Each row's text is kept
here under a **key** given by the caller (views/sitekeys.py: a digest of the published data of
the row's action, of everything its page may show besides, of the options and of feuille
itself), so a later render makes only the rows whose key is new.  Nothing here knows what a row
shows: the key decides, and a key never read back costs only a row made again.

One file per site folder (``rows/<digest of the folder and format>`` in the cache folder,
:func:`feuille.io.cache.default_dir`): ``MAGIC``, a keyed blake2b digest of the payload (the cache
folder's key, :func:`feuille.io.cache._secret`: a file not written by :meth:`RowStore.save` is
ignored) and the payload, a marshalled ``{key: text}`` of plain strings (anything else: the file is
not used).  The file holds the rows used by the last render of that folder, so it never outgrows
the site.  It is written atomically (a temporary file, then ``os.replace``); a file that cannot be
read or verified is only a render that makes every row: never an error.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path

from feuille.io.cache import _discard, _secret

FORMAT = 1
MAGIC = b"FEUROWS" + bytes([FORMAT])
_MAX_FILE_BYTES = 1 << 30


class RowStore:
    """The rows kept for the site written into ``out`` in the format ``fmt``, under the cache folder ``directory``."""

    def __init__(self, directory: Path, out: Path, fmt: str) -> None:
        self._top = Path(directory)
        name = hashlib.blake2b(f"{os.path.abspath(out)}\x00{fmt}".encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        self._path = self._top / "rows" / name
        self._kept: dict[str, str] | None = None  # read at the first lookup
        self._used: dict[str, str] = {}
        self._made = 0
        self.hits = 0  # for tests

    def _read(self) -> dict[str, str]:
        try:
            with open(self._path, "rb") as fh:
                if os.fstat(fh.fileno()).st_size > _MAX_FILE_BYTES:
                    return {}
                raw = fh.read()
        except OSError:
            return {}
        try:
            body = memoryview(raw)[len(MAGIC) + 16:]
            if raw[:len(MAGIC)] != MAGIC or hashlib.blake2b(body, digest_size=16, key=_secret(self._top)).digest() != raw[len(MAGIC):len(MAGIC) + 16]:
                return {}
            found = marshal.loads(body)
        except Exception:  # damaged or foreign: every row made again
            return {}
        if type(found) is not dict or not all(type(k) is str and type(v) is str for k, v in found.items()):
            return {}
        return found

    def get(self, key: str) -> str | None:
        """The text kept under ``key``, or None."""
        if self._kept is None:
            self._kept = self._read()
        text = self._kept.get(key)
        if text is not None:
            self._used[key] = text
            self.hits += 1
        return text

    def put(self, key: str, text: str) -> None:
        """Keep ``text`` under ``key`` (written by :meth:`save`)."""
        self._used[key] = str(text)
        self._made += 1

    def save(self) -> None:
        """Write the rows used by this render when any was made or any kept one is no longer used; best effort, never raises."""
        kept = self._kept or {}
        if not self._made and len(self._used) == len(kept):
            return
        tmp: str | None = None
        try:
            payload = marshal.dumps(self._used)
            self._path.parent.mkdir(parents=True, exist_ok=True)
            seal = hashlib.blake2b(payload, digest_size=16, key=_secret(self._top)).digest()
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + seal + payload)
            os.replace(tmp, self._path)
            tmp = None
        except Exception:
            pass
        finally:
            _discard(tmp)
