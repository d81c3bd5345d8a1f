"""A per-plan cache of parsed files: a stat index over a content-addressed store.

The cache lives in the user's cache folder (never inside the plan), one file per
plan root.  It holds three tables:

* **index** ``rel -> (packed size, mtime_ns, ctime_ns, inode, device; digest; seen)``:
  what each plan file looked like the last time it was read cleanly, and when
  (``seen``: the start of the run that took that stat, in whole seconds, rounded
  down).  As in git's index, a file is trusted on its stat alone only when all five
  stat fields match AND the file was already old when that stat was taken:
  ``max(mtime, ctime)`` earlier than ``seen - 2 s`` (the "racy" window, which also
  covers coarse timestamps).  Otherwise its bytes are hashed and the digest decides.
  ``touch -r`` restores mtime but not ctime, so it never fools the index.
* **values** ``digest -> marshalled values``: parsed values stored once per content
  digest (:func:`digest`, blake2b-16 of the raw bytes).  A file put back to an
  earlier content (undo, ``git checkout``, a rename) is found here without parsing.
* **blobs** ``git blob id -> marshalled values``: the same for a plan read at a git
  revision; a blob id is already a content hash, so it is always trusted.

Values referenced by the index or used in this run are always kept.  The others
(old contents, blobs of other revisions) are kept up to :data:`MAX_SPARE_ENTRIES`
entries and :data:`MAX_SPARE_BYTES` bytes of marshalled data, the least recently
used dropped first.  A file that fails to parse is never ``put``, so its index
entry still points to its last good content (:meth:`FileCache.last_good`).

On disk: a fixed header (magic, format version, Python tag, lengths, blake2b digests
of the table and of the values region, keyed with a random key kept in the cache
folder) checked before ``marshal.loads`` (the region's digest in a thread, overlapping
the caller's own work).  Hashing the region costs ~10 ms per 10 MB on every run, so, as
git trusts its index on a file's stat, a verified cache file is *sealed*: a small
``.seal`` file beside it holds a keyed digest of the file's stat (inode, device, size,
mtime, ctime) and of its region digest.  A later run whose cache file has that very stat
skips hashing the region; any write to the file changes its ctime, so the seal no longer
matches and the region is hashed again.  A file is sealed only once it is older than the
racy window (a change within a coarse timestamp's tick would keep its stat).  Then every
field of the table is type-checked (index entries,
value and blob references within the region, use stamps).  Values are checked to be
plain YAML data (dict with str keys, list, str, int, float, bool, None) before they
are stored; read back, only their top-level type is checked (see DEEP_CHECK_ON_LOAD):
the keyed digest already proves :meth:`FileCache.save` wrote them.  Anything wrong
means an empty cache, rebuilt on the next save.  Nothing ever raises out of this
module: a cache that cannot be read or written is only slower.  Saving writes a
temporary file in the same folder then ``os.replace``, so concurrent runs never see
a partial file (the last writer wins).

Each caller gets values unmarshalled for it alone: mutating them never changes the
cache.  At the first stat hit, the values of every indexed file are unmarshalled in
one pass (a warm run needs them all).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat as _stat
import struct
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

FORMAT = 6  # 4: the loader's values are [flags, parsed values] (pipeline._pack); 5: a second flag; 6: a third (text no output can hold)
MAGIC = b"FEUILLE\x1a"
_PY_TAG = f"{sys.implementation.cache_tag}/m{marshal.version}".encode()[:16]
# magic, format, python tag, table length, region length, table digest, region digest
_HEADER = struct.Struct("<8sH16sQQ16s16s")
_RACY_NS = 2_000_000_000
_MAX_FILE_BYTES = 1 << 30  # a larger "cache" is not ours
_DIGEST_BYTES = 16
_MAX_BLOB_ID = 128
MAX_SPARE_ENTRIES = 20_000  # values and blobs not needed by the plan's current files nor used in this run
MAX_SPARE_BYTES = 64 * 1024 * 1024  # ... and their marshalled size
_KEY_BYTES = 32
_THREAD_MIN_BYTES = 1 << 20  # a region this large is verified in a thread, while the caller stats files
_STAMP_REFRESH_S = 3600  # a read-only run rewrites the cache to record use at most hourly

# Values are checked to be plain data (recursively) before they are stored.  When read back,
# the keyed payload digest has already proved they are the bytes this module wrote, so only
# their top-level type is checked; the recursive check would add ~30 ms per 10,000 files to
# every warm run (~3 us a file).  marshal.loads never executes anything it builds.
DEEP_CHECK_ON_LOAD = False

_LEAF = frozenset((str, int, float, bool, type(None)))

IndexEntry = tuple[bytes, bytes, int]  # packed stat, content digest, seen (s)
_STAT = struct.Struct("<qqqQQ")  # size, mtime_ns, ctime_ns, inode, device


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


def _plain(x: Any, depth: int = 0) -> bool:
    """Whether ``x`` is plain YAML data (what the reader builds), nothing else."""
    tx = type(x)
    if tx is dict:
        if depth > 200:
            return False
        for k, y in x.items():
            if type(k) is not str:
                return False
            ty = type(y)
            if ty is dict or ty is list:
                if not _plain(y, depth + 1):
                    return False
            elif ty not in _LEAF:
                return False
        return True
    if tx is list:
        if depth > 200:
            return False
        for y in x:
            ty = type(y)
            if ty is str:
                continue
            if ty is dict or ty is list:
                if not _plain(y, depth + 1):
                    return False
            elif ty not in _LEAF:
                return False
        return True
    return tx in _LEAF


def _unmarshal(blob: bytes) -> Any | None:
    """The values in ``blob``, or None if it does not hold a mapping or a list (see DEEP_CHECK_ON_LOAD)."""
    try:
        values = marshal.loads(blob)
    except Exception:
        return None
    tv = type(values)
    if tv is not dict and tv is not list:
        return None
    if DEEP_CHECK_ON_LOAD and not _plain(values):
        return None
    return values


def _stat_key(st: os.stat_result) -> bytes:
    return _STAT.pack(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _valid_index(index: Any) -> bool:
    if type(index) is not dict:
        return False
    for rel, e in index.items():
        if type(rel) is not str or type(e) is not tuple or len(e) != 3:
            return False
        key, dg, seen = e
        if type(key) is not bytes or len(key) != _STAT.size or type(dg) is not bytes or len(dg) != _DIGEST_BYTES or type(seen) is not int:
            return False
    return True


def _valid_store(store: Any, key_type: type, region: int) -> bool:
    """``store`` maps keys to ``(offset, length)`` slices of a region of ``region`` bytes."""
    if type(store) is not dict:
        return False
    for key, ref in store.items():
        if type(key) is not key_type or type(ref) is not tuple or len(ref) != 2:
            return False
        off, ln = ref
        if type(off) is not int or type(ln) is not int or off < 0 or ln <= 0 or off + ln > region:
            return False
        if key_type is bytes and len(key) != _DIGEST_BYTES:
            return False
        if key_type is str and not 0 < len(key) <= _MAX_BLOB_ID:
            return False
    return True


def _valid_stamps(stamps: Any, store: dict[Any, Any]) -> bool:
    if type(stamps) is not dict or len(stamps) != len(store):
        return False
    for key, t in stamps.items():
        if type(t) is not int or key not in store:
            return False
    return True


def _read_small(path: Path, limit: int) -> bytes | None:
    """A regular file's first ``limit`` bytes, or None (never blocks on a pipe, never raises)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not _stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, limit)
    except OSError:
        return None
    finally:
        os.close(fd)


def _read_region(path: Path, st: os.stat_result, offset: int, length: int) -> memoryview | None:
    """``length`` bytes at ``offset`` of the cache file at ``path``, if it is still the file whose stat is ``st``
    (inode, device, size, mtime, ctime: a file replaced or written since is not read); else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        now = os.fstat(fd)
        if (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns, now.st_ctime_ns) != (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            fh.seek(offset)
            data = fh.read(length)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    return memoryview(data) if len(data) == length else None


def _discard(tmp: str | None) -> None:
    """Remove a temporary file a write left behind (best effort: it is only a cache)."""
    if tmp is not None:
        try:
            os.unlink(tmp)
        except Exception:
            pass


def _secret(directory: Path) -> bytes:
    """This cache folder's random key for the payload digests, created on first use.

    With it, a file whose digests match was written by :meth:`FileCache.save`, which stores
    only plain values; a file made by anything else (or damaged) is ignored.  It is no secret
    from the user's own account, who can edit the plan anyway.  If it cannot be kept, a key
    for this run only is used (the cache then never validates, and is only rebuilt).
    """
    path = directory / "key"
    key = _read_small(path, _KEY_BYTES + 1)
    if key is not None and len(key) == _KEY_BYTES:
        return key
    key = os.urandom(_KEY_BYTES)
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-key-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        try:
            os.link(tmp, path)  # create it only if no other run did meanwhile
        except FileExistsError:
            theirs = _read_small(path, _KEY_BYTES + 1)
            if theirs is not None and len(theirs) == _KEY_BYTES:
                return theirs
            os.replace(tmp, path)  # a damaged key: replace it
            tmp = None
        except OSError:  # no hard links here
            os.replace(tmp, path)
            tmp = None
    except Exception:
        pass
    finally:
        _discard(tmp)
    return key


class _Verifier:
    """The blake2b digest of a large buffer, computed in a thread (hashlib releases the GIL)."""

    def __init__(self, data: memoryview, expected: bytes, secret: bytes) -> None:
        self._expected = expected
        self._secret = secret
        self._got: bytes | None = None
        self._thread: threading.Thread | None = None
        if len(data) >= _THREAD_MIN_BYTES:
            try:
                self._thread = threading.Thread(target=self._run, args=(data,), name="feuille-cache-check", daemon=True)
                self._thread.start()
            except Exception:
                self._thread = None
        if self._thread is None:
            self._run(data)

    def _run(self, data: memoryview) -> None:
        try:
            self._got = hashlib.blake2b(data, digest_size=_DIGEST_BYTES, key=self._secret).digest()
        except Exception:
            self._got = None

    def ok(self) -> bool:
        if self._thread is not None:
            self._thread.join()  # after a fork, the parent's thread counts as finished: then _got may be None (ignored)
            self._thread = None
        return self._got is not None and self._got == self._expected


class FileCache:
    """Parsed values of one plan's files: ``lookup_*`` and ``put`` during a run, then ``save``.

    ``FileCache(key_path, None)`` is a disabled cache: it finds nothing and stores nothing.
    Stats passed to it must be taken after it was created (its start time bounds the racy window).
    """

    def __init__(self, key_path: Path, directory: Path | None) -> None:
        self._start_ns = time.time_ns()
        self._now = self._start_ns // 1_000_000_000  # stamps and "seen" are in seconds (small ints load fast)
        self._index: dict[str, IndexEntry] = {}
        # marshalled values: bytes (put in this run) or (offset, length) in self._region (read from the file)
        self._region = memoryview(b"")
        # a sealed file's region is read when a value is first needed (a warm run whose files are all kept built
        # needs none: its memory is not held through the run): (its stat, offset and length in the file)
        self._region_at: tuple[os.stat_result, int, int] | None = None
        self._region_check: _Verifier | None = None  # pending verification of the region's digest
        self._seal_due: tuple[Path, bytes] | None = None  # the seal to write once the region is verified
        self._values: dict[bytes, bytes | tuple[int, int]] = {}
        self._value_used: dict[bytes, int] = {}
        self._blobs: dict[str, bytes | tuple[int, int]] = {}
        self._blob_used: dict[str, int] = {}
        self._current: dict[str, bytes] = {}  # rel -> digest of the content seen in this run
        self._ready: dict[str, tuple[bytes, Any]] | None = None  # rel -> (digest, values) unmarshalled ahead, served once
        self._dirty = False
        self._path: Path | None = None
        self._dir: Path | None = None
        self._secret = b""
        self.status = "disabled"  # disabled | empty | loaded | ignored: <why> (for tests and debugging)
        if directory is None:
            return
        self._dir = Path(directory)
        self._path = self.file_for(key_path, self._dir)
        if self._path is None:  # an unusable key path or folder: run without a cache
            return
        self.status = self._load()
        self._dirty = self.status.startswith("ignored")  # replace a bad file at the next save

    @staticmethod
    def file_for(key_path: Path, directory: Path) -> Path | None:
        """The cache file of the plan at ``key_path`` in ``directory`` (None: no cache can be kept for it)."""
        try:
            key = hashlib.blake2b(str(Path(key_path).resolve()).encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
            return Path(directory) / f"plan-{key}.v{FORMAT}.cache"  # a name older versions never read (they would crash on it)
        except Exception:
            return None

    @property
    def known(self) -> int:
        """How many files the index knows (none: a cold run)."""
        return len(self._index)

    # --- reading the file -------------------------------------------------------------

    def _load(self) -> str:
        assert self._path is not None
        try:
            if not os.path.lexists(self._path):
                return "empty"
            assert self._dir is not None
            self._secret = _secret(self._dir)
            seal_path = self._path.with_name(self._path.name + ".seal")

            def sealed(st: os.stat_result, region_dg: bytes) -> bool:
                return _read_small(seal_path, _DIGEST_BYTES + 1) == self._seal(st, region_dg)

            read = self._read_payload(self._path, self._secret, sealed)
            if isinstance(read, str):
                return read
            table, region, region_at, region_dg, st = read
            stored = marshal.loads(table)
            if type(stored) is not tuple or len(stored) != 6 or stored[0] != FORMAT:
                return "ignored: structure"
            _, index, values, value_used, blobs, blob_used = stored
            n = region_at[1]
            if not (_valid_index(index) and _valid_store(values, bytes, n) and _valid_stamps(value_used, values)
                    and _valid_store(blobs, str, n) and _valid_stamps(blob_used, blobs)):
                return "ignored: structure"
        except Exception as exc:  # whatever the file holds, it is only a cache
            return f"ignored: {type(exc).__name__}"
        # an index entry whose values are missing is useless: drop it
        self._index = {rel: e for rel, e in index.items() if e[1] in values}
        if region is None:  # sealed as it is now: its region is trusted, read when first needed
            self._region_at = (st, *region_at)
        else:  # not sealed as it is now: hash the region
            self._region = region
            self._region_check = _Verifier(region, region_dg, self._secret)
            if max(st.st_mtime_ns, st.st_ctime_ns) < self._start_ns - _RACY_NS:
                self._seal_due = (seal_path, self._seal(st, region_dg))
        self._values, self._value_used, self._blobs, self._blob_used = values, value_used, blobs, blob_used
        return "loaded"

    def _seal(self, st: os.stat_result, region_dg: bytes) -> bytes:
        """The seal of a cache file with this stat and this region digest (module docstring)."""
        facts = struct.pack("<HQQQqq", FORMAT, st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns) + region_dg
        return hashlib.blake2b(facts, digest_size=_DIGEST_BYTES, key=self._secret).digest()

    @staticmethod
    def _write_seal(path: Path, seal: bytes) -> None:
        """Best effort, atomic: a missing or stale seal only means hashing the region again."""
        tmp: str | None = None
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-seal-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(seal)
            os.replace(tmp, path)
            tmp = None
        except Exception:
            pass
        finally:
            _discard(tmp)

    @staticmethod
    def _read_payload(path: Path, secret: bytes, sealed: Any) -> tuple[memoryview, memoryview | None, tuple[int, int], bytes, os.stat_result] | str:
        """The verified table, the region (None if the file is ``sealed(stat, region digest)``: then it is read when
        first needed, :func:`_read_region`), where it is in the file (offset, length), its expected digest and the
        file's stat; or why the file is ignored."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            return "empty"
        except OSError as exc:
            return f"ignored: {type(exc).__name__}"
        try:
            st = os.fstat(fd)
            if not _stat.S_ISREG(st.st_mode):  # a folder, a pipe, a device...
                return "ignored: not a file"
            if st.st_size < _HEADER.size or st.st_size > _MAX_FILE_BYTES:
                return "ignored: size"
            with os.fdopen(fd, "rb", closefd=False) as fh:
                head = fh.read(_HEADER.size)
                if len(head) < _HEADER.size:
                    return "ignored: truncated"
                magic, fmt, tag, table_len, region_len, table_dg, region_dg = _HEADER.unpack_from(head)
                if magic != MAGIC:
                    return "ignored: foreign file"
                if fmt != FORMAT or tag.rstrip(b"\0") != _PY_TAG:
                    return "ignored: other version"
                if st.st_size != _HEADER.size + table_len + region_len:
                    return "ignored: truncated"
                table = memoryview(fh.read(table_len))
                if len(table) != table_len:
                    return "ignored: truncated"
                if hashlib.blake2b(table, digest_size=_DIGEST_BYTES, key=secret).digest() != table_dg:
                    return "ignored: digest"
                region = None if sealed(st, region_dg) else memoryview(fh.read(region_len + 1))
        finally:
            os.close(fd)
        if region is not None and len(region) != region_len:
            return "ignored: truncated"
        return table, region, (_HEADER.size + table_len, region_len), region_dg, st

    # --- values -----------------------------------------------------------------------

    def _value(self, dg: bytes) -> Any | None:
        values = self._stored(self._values, self._value_used, dg)
        if values is not None:
            self._value_used[dg] = self._now
        return values

    def _stored(self, store: dict[Any, Any], used: dict[Any, int], key: Any) -> Any | None:
        """The values stored under ``key`` in one namespace (content digests, git blobs); a stored
        entry that cannot be read back is dropped, so the next save repairs the file."""
        blob = store.get(key)
        if blob is None:
            return None
        data = self._bytes(blob)
        if data is None:
            return None
        values = _unmarshal(data)
        if values is None:
            del store[key]
            used.pop(key, None)
            self._dirty = True
        return values

    def _preload(self) -> dict[str, tuple[bytes, Any]]:
        """Unmarshal, in one pass, the values of every indexed file (a warm run needs them all)."""
        ready: dict[str, tuple[bytes, Any]] = {}
        self._ready = ready
        if self._region_check is not None and not self._region_verified():
            return ready
        region, values = self._region_view(), self._values
        if region is None:
            return ready
        bad = []
        for rel, e in self._index.items():
            ref = values.get(e[1])
            if type(ref) is tuple:
                off, ln = ref
                v = _unmarshal(region[off:off + ln])
                if v is None:
                    bad.append(e[1])
                else:
                    ready[rel] = (e[1], v)
        for dg in bad:  # unreadable values: forget them (their files will be parsed again)
            if values.pop(dg, None) is not None:
                self._value_used.pop(dg, None)
                self._dirty = True
        return ready

    def _bytes(self, blob: bytes | tuple[int, int]) -> bytes | memoryview | None:
        if type(blob) is tuple:
            if self._region_check is not None and not self._region_verified():
                return None
            region = self._region_view()
            if region is None:
                return None
            off, ln = blob
            return region[off:off + ln]
        return blob

    def _region_view(self) -> memoryview | None:
        """The region of values read from the file: read now if it was left in the file (a sealed file, :meth:`_load`);
        a file changed meanwhile means forgetting every value it held (as a wrong digest does)."""
        if self._region_at is not None:
            at, self._region_at = self._region_at, None
            assert self._path is not None
            region = _read_region(self._path, *at)
            if region is None:
                self._forget_region("ignored: changed")
                return None
            self._region = region
        return self._region

    def _region_verified(self) -> bool:
        """Wait for the region's digest; if it is wrong, forget everything read from the file."""
        check, self._region_check = self._region_check, None
        if check is None:
            return True
        if check.ok():
            if self._seal_due is not None:
                self._write_seal(*self._seal_due)
                self._seal_due = None
            return True
        self._forget_region("ignored: digest")
        return False

    def _forget_region(self, why: str) -> None:
        """Forget every value held in the file's region (it cannot be trusted): the next save writes the cache again."""
        self.status = why
        self._region = memoryview(b"")
        self._values = {k: v for k, v in self._values.items() if type(v) is bytes}
        self._value_used = {k: t for k, t in self._value_used.items() if k in self._values}
        self._blobs = {k: v for k, v in self._blobs.items() if type(v) is bytes}
        self._blob_used = {k: t for k, t in self._blob_used.items() if k in self._blobs}
        self._index = {rel: e for rel, e in self._index.items() if e[1] in self._values}
        self._dirty = True

    def _store(self, values: Any, plain: bool = False) -> bytes | None:
        """``values`` marshalled, if they are plain data (``plain``: the caller built them so, from
        io/yamlread.py's reader: a value list [flags, values] of str, int, float, bool, None, lists
        and str-keyed dicts; checked again only for their top level)."""
        try:
            if values is None or (not plain and not _plain(values)) or (plain and type(values) is not list):
                return None
            return marshal.dumps(values)
        except Exception:
            return None

    def _racy(self, st: os.stat_result, seen: int) -> bool:
        return max(st.st_mtime_ns, st.st_ctime_ns) >= seen * 1_000_000_000 - _RACY_NS

    # --- the API used by the loader ---------------------------------------------------

    def lookup_stat(self, rel: str, st: os.stat_result) -> Any | None:
        """Values for ``rel`` if its stat proves it unchanged since it was read, else None."""
        try:
            e = self._index.get(rel)
            if e is None:
                return None
            mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
            if e[0] != _STAT.pack(st.st_size, mtime, ctime, st.st_ino, st.st_dev):
                return None
            if (mtime if mtime > ctime else ctime) >= e[2] * 1_000_000_000 - _RACY_NS:  # racy: it may have changed after that stat
                return None
            ready = self._ready
            if ready is None:
                ready = self._preload()
            pre = ready.pop(rel, None)
            # the preloaded values are those of the entry at preload time: only served if it still is
            values = pre[1] if pre is not None and pre[0] == e[1] else self._value(e[1])
            if values is not None:
                self._current[rel] = e[1]
            return values
        except Exception:
            return None

    def lookup_known(self, rel: str, st: os.stat_result) -> bytes | None:
        """The content digest of ``rel`` if its stat proves it unchanged since it was read (the test of
        :meth:`lookup_stat`), without unmarshalling its values: for a file whose items are kept built
        (io/built.py).  Its values stay in the cache."""
        try:
            e = self._index.get(rel)
            if e is None:
                return None
            mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
            if e[0] != _STAT.pack(st.st_size, mtime, ctime, st.st_ino, st.st_dev):
                return None
            if (mtime if mtime > ctime else ctime) >= e[2] * 1_000_000_000 - _RACY_NS:
                return None
            self._current[rel] = e[1]
            self._value_used[e[1]] = self._now
            return e[1]
        except Exception:
            return None

    def lookup_digest(self, rel: str, st: os.stat_result, raw: bytes) -> tuple[Any | None, bytes]:
        """Values for content ``raw`` if it was parsed before (under any name), and its digest.

        A hit records ``st`` for ``rel`` so that the next run can trust the stat.
        """
        dg = digest(raw)
        try:
            self._current[rel] = dg
            values = self._value(dg)
            if values is None:
                return None, dg
            old = self._index.get(rel)
            key = _stat_key(st)
            if old is None or old[0] != key or old[1] != dg or (self._racy(st, old[2]) and not self._racy(st, self._now)):
                self._index[rel] = (key, dg, self._now)
                self._dirty = True
            return values, dg
        except Exception:
            return None, dg

    def put(self, rel: str, st: os.stat_result, dg: bytes, values: Any, plain: bool = False, marshalled: bytes | None = None) -> None:
        """Record that ``rel``, with stat ``st`` and content digest ``dg``, parsed cleanly to ``values``
        (``marshalled``: ``values`` as ``marshal.dumps`` wrote them already, as a worker process sends them)."""
        try:
            if type(dg) is not bytes or len(dg) != _DIGEST_BYTES or type(rel) is not str:
                return
            self._current[rel] = dg
            if dg not in self._values:
                blob = marshalled if type(marshalled) is bytes and plain and type(values) is list else self._store(values, plain)
                if blob is None:
                    return
                self._values[dg] = blob
            self._value_used[dg] = self._now
            self._index[rel] = (_stat_key(st), dg, self._now)
            self._dirty = True
        except Exception:
            return

    def digest_of(self, rel: str) -> bytes | None:
        """The digest of the content of ``rel`` seen by the last lookup or put in this run."""
        return self._current.get(rel)

    def last_good(self, rel: str) -> Any | None:
        """The values of the last content of ``rel`` that parsed cleanly, even if it is broken now."""
        try:
            e = self._index.get(rel)
            return self._value(e[1]) if e is not None else None
        except Exception:
            return None

    def lookup_blob(self, blob_id: str) -> Any | None:
        """Values parsed from the git blob ``blob_id``, if cached."""
        try:
            values = self._stored(self._blobs, self._blob_used, blob_id) if type(blob_id) is str else None
            if values is None:
                return None
            if self._blob_used.get(blob_id, 0) < self._now - _STAMP_REFRESH_S:
                self._dirty = True  # record the use, at most once an hour for read-only runs
            self._blob_used[blob_id] = self._now
            return values
        except Exception:
            return None

    def put_blob(self, blob_id: str, values: Any, plain: bool = False) -> None:
        try:
            if type(blob_id) is not str or not 0 < len(blob_id) <= _MAX_BLOB_ID:
                return
            if blob_id not in self._blobs:
                blob = self._store(values, plain)
                if blob is None:
                    return
                self._blobs[blob_id] = blob
                self._dirty = True
            self._blob_used[blob_id] = self._now
        except Exception:
            return

    def forget_except(self, present: Any) -> None:
        """Drop the index entries of files no longer in the plan (their values stay, as spares)."""
        try:
            keep = present if isinstance(present, (set, frozenset, dict)) else set(present)
            gone = [rel for rel in self._index if rel not in keep]
            for rel in gone:
                del self._index[rel]
            self._dirty = self._dirty or bool(gone)
        except Exception:
            return

    # --- writing the file -------------------------------------------------------------

    def _evict(self) -> None:
        """Keep the spare entries (not referenced, not used in this run) within the bounds, LRU first out."""
        live = {e[1] for e in self._index.values()}
        now = self._now
        spares: list[tuple[int, int, Any]] = []  # (last used, kind 0 value / 1 blob, key)
        for dg, t in self._value_used.items():
            if dg not in live and t != now:
                spares.append((t, 0, dg))
        for bid, t in self._blob_used.items():
            if t != now:
                spares.append((t, 1, bid))
        if not spares:
            return
        spares.sort(key=lambda s: s[0], reverse=True)
        count = size = 0
        for _t, kind, key in spares:
            blob = self._values[key] if kind == 0 else self._blobs[key]
            count += 1
            size += blob[1] if type(blob) is tuple else len(blob)
            if count > MAX_SPARE_ENTRIES or size > MAX_SPARE_BYTES:
                if kind == 0:
                    del self._values[key], self._value_used[key]
                else:
                    del self._blobs[key], self._blob_used[key]

    def save(self) -> None:
        """Write the cache atomically if it changed; best effort: never raises."""
        if self._region_check is not None and self._seal_due is not None and not self._dirty:
            # no value was read (every file taken built, io/built.py), but the region was hashed in the
            # background all the same: seal it, so that later runs skip hashing it
            try:
                self._region_verified()
            except Exception:
                return
        if self._path is None or not self._dirty:
            return
        tmp: str | None = None
        try:
            if self._region_check is not None:
                self._region_verified()
            self._region_view()  # (every value is written again: read the region now if it was left in the file)
            used = self._value_used
            for dg in self._current.values():  # values served from the preload were not stamped one by one
                if dg in used:
                    used[dg] = self._now
            self._evict()
            chunks: list[bytes | memoryview] = []
            offset = 0

            def place(store: dict[Any, bytes | tuple[int, int]]) -> dict[Any, tuple[int, int]]:
                nonlocal offset
                refs = {}
                for key, blob in store.items():
                    chunk = self._bytes(blob)
                    assert chunk is not None
                    chunks.append(chunk)
                    refs[key] = (offset, len(chunk))
                    offset += len(chunk)
                return refs

            values, blobs = place(self._values), place(self._blobs)
            table = marshal.dumps((FORMAT, self._index, values, self._value_used, blobs, self._blob_used))
            region = b"".join(chunks)
            self._path.parent.mkdir(parents=True, exist_ok=True)
            if not self._secret:
                assert self._dir is not None
                self._secret = _secret(self._dir)
            header = _HEADER.pack(MAGIC, FORMAT, _PY_TAG, len(table), len(region),
                                  hashlib.blake2b(table, digest_size=_DIGEST_BYTES, key=self._secret).digest(),
                                  hashlib.blake2b(region, digest_size=_DIGEST_BYTES, key=self._secret).digest())
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".tmp-", suffix=".marshal")
            with os.fdopen(fd, "wb") as fh:
                fh.write(header)
                fh.write(table)
                fh.write(region)
            os.replace(tmp, self._path)
            tmp = None
            self._dirty = False
        except Exception:
            return
        finally:
            _discard(tmp)
