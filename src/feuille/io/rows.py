"""Pieces of a rendered site kept across renders: what a page is joined from, made once while its inputs stay the same.

A site's listing pages (an objective, a person, a service, a theme, the dashboard) each show a
table of actions, one row per action; a plan of 10,000 actions has ~100,000 such rows on ~120
pages, and these pages are made again whenever any action changes.  Each row's text is kept
here under a **key** given by the caller (views/sitekeys.py: a digest of the published data of
the row's action, of everything its page may show besides, of the options and of feuille
itself), so a later render makes only the rows whose key is new.  Nothing here knows what a row
shows: the key decides, and a key never read back costs only a row made again.

The site's templates, compiled by Jinja into Python code, are kept here too (:func:`compiled_templates`,
``templates/<Jinja's version and the format>/``): a render compiles only a template whose source changed
(~0.2 s less per render).  Each file is sealed like the rows (read back only when the seal holds), and
Jinja checks the template's source digest and the Python version before it uses the code.  What is
kept here runs as feuille's own code, as Python's ``__pycache__`` does: the cache folder is the
user's own (it already holds the key that seals it); a plan's own templates are never kept.

What the last render into a site folder was made from is kept too (:class:`SiteRecord`, ``sites/``): a
digest of its inputs (app/report.py says which), the summary it printed and a digest of the
``.feuille-pages`` it wrote; a render whose inputs are the same again, into the folder that render
wrote, takes each page's key from there instead of working the site out.

The rows: one file per site folder (``rows/<digest of the folder and format>`` in the cache folder,
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
from typing import Any

from feuille.io.cache import _discard, _secret

FORMAT = 1
MAGIC = b"FEUROWS" + bytes([FORMAT])
_MAX_FILE_BYTES = 1 << 30


def _seal(top: Path, payload: bytes | memoryview) -> bytes:
    return hashlib.blake2b(payload, digest_size=16, key=_secret(top)).digest()


def _read_sealed(top: Path, path: Path) -> memoryview | None:
    """The payload of a file written by :func:`_write_sealed` under the cache folder ``top``, or None."""
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > _MAX_FILE_BYTES:
                return None
            raw = fh.read()
    except OSError:
        return None
    body = memoryview(raw)[len(MAGIC) + 16:]
    if raw[:len(MAGIC)] != MAGIC or _seal(top, body) != raw[len(MAGIC):len(MAGIC) + 16]:
        return None
    return body


def _write_sealed(top: Path, path: Path, payload: bytes) -> None:
    """``payload`` sealed into ``path``, atomically; best effort, never raises."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        seal = _seal(top, payload)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + seal + payload)
        os.replace(tmp, path)
        tmp = None
    except Exception:
        pass
    finally:
        _discard(tmp)


def compiled_templates(directory: Path, fmt: str) -> Any:
    """A Jinja bytecode cache (``Environment(bytecode_cache=...)``) keeping feuille's own templates compiled under the
    cache folder ``directory`` (see the module docstring)."""
    import jinja2  # noqa: PLC0415 (with the templates)
    from jinja2.bccache import BytecodeCache  # noqa: PLC0415 (with the templates)

    top = Path(directory)
    folder = top / "templates" / f"jinja-{jinja2.__version__}-{fmt}"

    class _Kept(BytecodeCache):
        def _path(self, bucket: Any) -> Path:
            return folder / bucket.key  # (a digest: hex digits)

        def load_bytecode(self, bucket: Any) -> None:
            found = _read_sealed(top, self._path(bucket))
            if found is not None:
                try:
                    bucket.bytecode_from_string(bytes(found))  # Jinja checks the source's digest and Python's version
                except Exception:
                    bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                payload = bucket.bytecode_to_string()
            except Exception:
                return
            _write_sealed(top, self._path(bucket), payload)

    return _Kept()


def _site_name(out: Path, fmt: str) -> str:
    return hashlib.blake2b(f"{os.path.abspath(out)}\x00{fmt}".encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()


class SiteRecord:
    """What the last render into ``out`` in the format ``fmt`` was made from (a digest of its inputs, given by the
    caller: app/report.py) and the summary it printed, under the cache folder ``directory`` (``sites/<name>``, sealed
    like the rows); a render whose inputs are the same again takes each page's key from ``OUT/.feuille-pages``."""

    def __init__(self, directory: Path, out: Path, fmt: str) -> None:
        self._top = Path(directory)
        self._path = self._top / "sites" / _site_name(out, fmt)

    def get(self) -> tuple[str, str, str] | None:
        """(the inputs' digest, the summary, the digest of the ``.feuille-pages`` that render wrote), or None."""
        body = _read_sealed(self._top, self._path)
        if body is None:
            return None
        try:
            found = marshal.loads(body)
        except Exception:
            return None
        if type(found) is not tuple or len(found) != 3 or not all(type(x) is str for x in found):
            return None
        return found[0], found[1], found[2]

    def put(self, inputs: str, summary: str, pages: str) -> None:
        """Keep the inputs' digest, the summary and the digest of the ``.feuille-pages`` of a render that wrote its site;
        best effort, never raises."""
        _write_sealed(self._top, self._path, marshal.dumps((str(inputs), str(summary), str(pages))))

    def forget(self) -> None:
        """No record (a render that failed, or whose inputs could not be told): the next render works everything out."""
        try:
            os.unlink(self._path)
        except OSError:
            pass


class RowStore:
    """The rows kept for the site written into ``out`` in the format ``fmt``, under the cache folder ``directory``."""

    def __init__(self, directory: Path, out: Path, fmt: str) -> None:
        self._top = Path(directory)
        self._path = self._top / "rows" / _site_name(out, fmt)
        self._kept: dict[str, str] | None = None  # read at the first lookup
        self._used: dict[str, str] = {}
        self._made = 0
        self.hits = 0  # for tests

    def _read(self) -> dict[str, str]:
        body = _read_sealed(self._top, self._path)
        if body is None:
            return {}
        try:
            found = marshal.loads(body)
        except Exception:  # damaged: every row made again
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

    def used(self) -> tuple[dict[str, str], int]:
        """The rows this render used or made so far, and how many it made (a render's worker process hands them back)."""
        return self._used, self._made

    def take(self, found: tuple[dict[str, str], int]) -> None:
        """Rows used or made by a worker process of this render (:meth:`used`), saved with this process's own."""
        used, made = found
        self._used.update(used)
        self._made += made

    def save(self) -> None:
        """Write the rows used by this render when any was made or any kept one is no longer used; best effort, never raises."""
        kept = self._kept or {}
        if not self._made and len(self._used) == len(kept):
            return
        _write_sealed(self._top, self._path, marshal.dumps(self._used))
