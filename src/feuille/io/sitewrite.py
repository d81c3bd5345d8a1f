"""Writing a rendered site into its folder, all at once, owning only what feuille wrote.

The pages are written into a new sibling folder (``OUT.feuille-new-XXXX``); the files of
``OUT`` that feuille did not write (a ``CNAME``, a hand-made page, ``.git``) are carried
over into it untouched (hard-linked, or copied when the disk cannot link; a symbolic link
stays a link, never followed); then the two folders are swapped (``OUT`` -> ``OUT.feuille-old-XXXX``,
new -> ``OUT``) and the old one is removed.  If anything fails before the swap, ``OUT`` is
exactly as it was and the new folder is removed.

The pages come from a :class:`PageSource`: their paths are known first, each page's text is asked
for when it is written, so a site is never held whole in memory (a plain ``{path: text}`` mapping
is a source too); a source with ``chunks(rel)`` gives a page piece by piece, written as it comes, so even a
page is never held whole.  A source may give each page a *key*, a digest of everything the page is made
from (views/sitekeys.py); ``OUT/.feuille-pages`` records, for each page written, its key and a
digest of its bytes (both depend only on the site: a render stays reproducible byte for byte).  A
page whose key is the one recorded, and whose file in ``OUT`` is still the one feuille wrote (a
regular file listed in the manifest, with the bytes recorded), is not made again: its file is
hard-linked into the new folder (same bytes, no copy); the site is still swapped in whole at the
end.  Any doubt (no record, another key, a file changed by hand, a disk without hard links) and
the page is made and written.

A large site is made by several processes (:func:`_processes`: from :data:`POOL_PAGES` pages, on Linux, one per
free core, as many as fit in :data:`POOL_MEMORY`; ``FEUILLE_WORKERS`` overrides, as for cold reads): after everything the
pages share is ready, workers are forked and each makes and writes a fixed share of the pages (every N-th); their
digests come back through a pipe and the record is written in the pages' order, so the folder is byte for byte the
one a single process writes.  A worker that fails in any way has its share made again by the main process (which
then raises the page's error as a single process would).

What feuille wrote is listed in ``OUT/.feuille-site`` (the manifest).  Its lines are only
trusted as paths relative to ``OUT``, without ``..``, and only for regular files (not links):
a page of the previous render that is no longer produced is left out of the new folder (it
is "removed"); nothing outside ``OUT`` is ever touched, and no link inside ``OUT`` is followed.

Refusals (:class:`SiteWriteError`, a catalogue message and hint, shown in the user's language):

- ``OUT`` is a symbolic link, or a file, or lies below a symbolic link of a git repository (io/links.py);
- ``OUT`` is not empty and has no manifest (feuille did not create it), unless ``force``;
- a file feuille did not write has the name of a page, unless ``force`` (it is then replaced,
  and listed in :attr:`SiteWriteResult.replaced`);
- ``OUT`` is the plan folder, contains it, or lies inside it where the plan is read
  (anywhere but ``PLAN/site/`` or a folder whose name starts with ``_`` or ``.``), or goes
  through a symbolic link inside the plan; or ``OUT`` and the templates folder overlap.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg
from feuille.io.files import not_a_folder, system_reason
from feuille.io.links import link_on_the_way

MANIFEST = ".feuille-site"
KEYS = ".feuille-pages"  # each page's key and its file's stat, for the next render (see the module docstring)
_KEYS_HEADER = "feuille-pages 1"
_OWN_FILES = (MANIFEST, KEYS)
SITE_FOLDERS_IN_PLAN = ("site",)  # a folder of the plan that the loader does not read (besides "_x" and ".x")
_MAX_MANIFEST = 16 * 1024 * 1024
_SHOWN = 5
CHOOSE_FOLDER = msg("Choose a folder with --out.")


class SiteWriteError(UserError):
    """A refused or failed site write.  ``msg`` (what happened) and ``hint_msg`` (what to do) as given
    (a :class:`Msg` is shown in the user's language); ``message`` and ``hint`` their French."""

    code = "site-write"


@runtime_checkable
class PageSource(Protocol):
    """The pages of a site, made one by one as they are written."""

    def paths(self) -> Sequence[str]:
        """Every page's relative path, before any is made."""

    def key(self, rel: str) -> str | None:
        """A digest of everything the page ``rel`` is made from, or None (always made)."""

    def text(self, rel: str) -> str:
        """The page ``rel``, made now."""


class _Mapping:
    """A ``{path: text}`` mapping as a source: no keys, every page written."""

    def __init__(self, pages: Mapping[str, str]) -> None:
        self.pages = pages

    def paths(self) -> Sequence[str]:
        return list(self.pages)

    def key(self, rel: str) -> str | None:
        return None

    def text(self, rel: str) -> str:
        return self.pages[rel]


@dataclass(frozen=True, slots=True)
class SiteWriteResult:
    written: int  # pages in the site (made or kept), the manifest not counted
    removed: list[str] = field(default_factory=list)  # pages of the previous render no longer produced
    replaced: list[str] = field(default_factory=list)  # files feuille did not write, replaced by a page of the same name (force)
    carried: int = 0  # files, links and folders feuille did not write, kept in the new site
    kept: int = 0  # pages whose key had not changed: the previous file kept as it was, not made again


def _some(names: Iterable[str]) -> str | Msg:
    names = sorted(names)
    if len(names) > _SHOWN:
        return msg("{names}... ({n} in all)", names=", ".join(names[:_SHOWN]), n=len(names))
    return ", ".join(names)


def clean_relative(rel: str) -> str | None:
    """``rel`` if it is a plain relative path (``a/b.html``): no ``..``, ``.``, empty part, backslash or NUL."""
    if not rel or "\x00" in rel or "\\" in rel or rel.startswith("/"):
        return None
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    return rel


def _check_pages(pages: Sequence[str]) -> tuple[set[str], set[str]]:
    files = set(pages)
    dirs: set[str] = set()
    if len(files) != len(pages):
        raise SiteWriteError(msg("'{names}' would be written twice: nothing was written.", names=_some({p for p in pages if pages.count(p) > 1})),
                             msg("This is a mistake of feuille: please report it."))
    for rel in pages:
        if clean_relative(rel) is None or rel in _OWN_FILES or any(len(p.encode("utf-8", "surrogatepass")) > 255 for p in rel.split("/")):
            raise SiteWriteError(msg("invalid page name '{name}': nothing was written.", name=rel[:120]),
                                 msg("This is a mistake of feuille or of a template: please report it."))
        parts = rel.split("/")
        dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
    if files & dirs:
        raise SiteWriteError(msg("'{names}' would be both a page and a folder: nothing was written.", names=_some(files & dirs)),
                             msg("This is a mistake of feuille: please report it."))
    return files, dirs


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_location(out: Path, plan_root: Path | None, template_dir: Path | None = None) -> None:
    """Refuse an ``out`` that is, contains or lies in a read part of the plan folder (see the module docstring)."""
    out_abs = Path(os.path.abspath(out))
    out_real = Path(os.path.realpath(out))
    hint = msg("Write the site into a folder of its own: outside the plan, or in PLAN/site/ (which feuille does not read).")
    if plan_root is not None:
        root_abs = Path(os.path.abspath(plan_root))
        root_real = Path(os.path.realpath(plan_root))
        if out_real == root_real:
            raise SiteWriteError(msg("'{out}' is the plan folder itself: nothing was written.", out=str(out)), hint)
        if _inside(root_real, out_real):
            raise SiteWriteError(msg("'{out}' contains the plan folder '{plan}': nothing was written.", out=str(out), plan=str(plan_root)), hint)
        lexical = out_abs.relative_to(root_abs) if _inside(out_abs, root_abs) else None
        real = out_real.relative_to(root_real) if _inside(out_real, root_real) else None
        if lexical is not None and lexical != real:
            raise SiteWriteError(msg("'{out}' goes through a symbolic link of the plan folder: nothing was written.", out=str(out)),
                                 msg("Give a real folder (a link in the plan's repository could lead anywhere)."))
        if real is not None:
            first = real.parts[0]
            if not (first in SITE_FOLDERS_IN_PLAN or (first.startswith(("_", ".")) and first not in (".git", ".github"))):
                raise SiteWriteError(
                    msg("'{out}' is in the plan folder, in '{first}', which feuille reads (or which belongs to the plan): nothing was written.",
                        out=str(out), first=first),
                    hint)
    if template_dir is not None:
        tpl_real = Path(os.path.realpath(template_dir))
        if _inside(out_real, tpl_real) or _inside(tpl_real, out_real):
            raise SiteWriteError(msg("'{out}' and the templates folder '{templates}' overlap: nothing was written.", out=str(out), templates=str(template_dir)),
                                 hint)


def read_manifest(out: Path) -> set[str] | None:
    """The pages feuille wrote last time (clean relative paths only), or None without a manifest (a link is no manifest)."""
    path = out / MANIFEST
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_MANIFEST:
        return None
    text = path.read_bytes().decode("utf-8", "replace")
    return {rel for line in text.split("\n") if (rel := clean_relative(line.strip("\r")))}


def read_keys(out: Path) -> dict[str, tuple[str, str]]:
    """``rel -> (key, digest of its bytes)`` of the pages the last render wrote, from ``OUT/.feuille-pages`` (empty when
    missing, a link, too large or of another format; a malformed line is skipped)."""
    path = out / KEYS
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_MANIFEST:
            return {}
        lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    except OSError:
        return {}
    if not lines or lines[0] != _KEYS_HEADER:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) == 3:
            found[parts[2]] = (parts[0], parts[1])
    return found


def _bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _same_bytes(path: Path, size: int, recorded: str) -> bool:
    """The regular file ``path`` (not followed if a link) still holds the bytes whose digest is ``recorded``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(size + 1)
    return len(data) == size and _bytes_digest(data) == recorded


@dataclass(slots=True)
class _Scan:
    owned: dict[str, int] = field(default_factory=dict)  # regular files listed in the manifest -> their size
    other: list[str] = field(default_factory=list)  # everything else (files, links, folders), top-down


def _scan(out: Path, previous: set[str]) -> _Scan:
    scan = _Scan()
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        with os.scandir(out / rel_dir if rel_dir else out) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            st = entry.stat(follow_symlinks=False)
            if rel in _OWN_FILES and stat.S_ISREG(st.st_mode):
                continue
            if stat.S_ISREG(st.st_mode) and rel in previous:
                scan.owned[rel] = st.st_size
            else:
                scan.other.append(rel)
                if stat.S_ISDIR(st.st_mode):
                    stack.append(rel)
    return scan


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _write_file(path: Path | str, data: bytes) -> None:
    """A new file holding ``data``: open, write, close (no buffered file object: a site is thousands of these)."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        _write_all(fd, data, None)
    finally:
        os.close(fd)


_WRITE_AT_ONCE = 1 << 20  # a page given in pieces is written a megabyte at a time


def _write_chunks(path: Path | str, chunks: Iterable[str], digest: bool) -> str | None:
    """A new file holding the pieces of text ``chunks`` (UTF-8), written as they come; the digest of its bytes when asked."""
    hasher = hashlib.blake2b(digest_size=16) if digest else None
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        pending: list[str] = []
        size = 0
        for chunk in chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= _WRITE_AT_ONCE:
                _write_all(fd, "".join(pending).encode("utf-8"), hasher)
                pending, size = [], 0
        if pending:
            _write_all(fd, "".join(pending).encode("utf-8"), hasher)
    finally:
        os.close(fd)
    return hasher.hexdigest() if hasher is not None else None


def _write_all(fd: int, data: bytes, hasher: Any) -> None:
    if hasher is not None:
        hasher.update(data)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


@dataclass(slots=True)
class _Made:
    """What making the pages needs; ``make`` writes some of them into the new folder."""

    source: PageSource
    paths: Sequence[str]
    keys: Sequence[str | None]
    out: Path
    new: Path
    owned: dict[str, int]  # the previous render's files still in OUT -> their size
    before: dict[str, tuple[str, str]]  # the previous render's keys and digests

    def make(self, indices: Iterable[int]) -> tuple[dict[int, str], int]:
        """Write the pages ``indices``: {index: the digest of its bytes} (pages with a key) and how many were kept as they were."""
        source, paths, keys, out, new, owned, before = self.source, self.paths, self.keys, self.out, self.new, self.owned, self.before
        new_dir = str(new) + os.sep
        done: dict[int, str] = {}
        kept = 0
        chunks = getattr(source, "chunks", None)
        for i in indices:
            rel = paths[i]
            key = keys[i]
            digest = None
            if key is not None and rel in owned:
                was = before.get(rel)
                if was is not None and was[0] == key and _same_bytes(out / rel, owned[rel], was[1]):
                    try:  # unchanged: the file written last time, linked into the new folder
                        os.link(out / rel, new / rel, follow_symlinks=False)
                        digest = was[1]
                        kept += 1
                    except OSError:
                        digest = None
            if digest is None:
                if chunks is not None:  # written as it is made: a page listing 50,000 actions is never held whole
                    digest = _write_chunks(new_dir + rel, chunks(rel), key is not None)
                else:
                    data = source.text(rel).encode("utf-8")
                    _write_file(new_dir + rel, data)
                    if key is not None:
                        digest = _bytes_digest(data)
            if digest is not None:
                done[i] = digest
        return done, kept


#: Pages below which one process makes them all (forking costs more than it saves).
POOL_PAGES = 1000
#: What the processes making a site may hold together: a worker may come to hold as much as the process it was
#: forked from (the site's data is shared until touched), so no more workers than fit in it (a large plan: one process).
POOL_MEMORY = 512 * 1024 * 1024


def _rss() -> int:
    """This process's resident memory now, in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _processes(pages: int) -> int:
    """How many processes make the pages: ``FEUILLE_WORKERS`` when set (0 or 1: this one alone, N: N processes); else, on
    Linux, one per free core (io/parallel.free_cpus, 4 at most) from :data:`POOL_PAGES` pages on, as many as fit in
    :data:`POOL_MEMORY`."""
    from feuille.io.parallel import forced_workers, free_cpus  # noqa: PLC0415 (a large site's only)

    if not hasattr(os, "fork"):
        return 1
    forced = forced_workers()
    if forced is not None:
        return max(1, forced)
    if pages < POOL_PAGES:
        return 1
    rss = _rss()
    fit = POOL_MEMORY // rss if rss else 1
    return max(1, min(free_cpus(), 4, fit))


def _from_worker(source: PageSource) -> object:
    """What a source may hand back from a worker to the main process (``from_worker()``, then ``take_from_worker()``:
    views/site.py hands back the table rows it made, kept for the next render)."""
    hand = getattr(source, "from_worker", None)
    return hand() if hand is not None else None


def _make_all(made: _Made, processes: int) -> tuple[dict[int, str], int]:
    """Every page made: by this process alone, or by ``processes`` (this one and forked workers), each writing every
    ``processes``-th page (a fixed share: the same files, the same record).  A worker that fails in any way (an error
    in a page, killed, no answer) has its share made again here, where the error, if any, is raised as without workers."""
    n = len(made.paths)
    if processes <= 1 or n < 2:
        return made.make(range(n))
    import gc  # noqa: PLC0415 (only with workers)
    import pickle  # noqa: PLC0415 (only with workers)

    gc.collect()
    gc.freeze()  # what exists now is never scanned by a worker's collector (its pages stay shared with this process)
    workers: list[tuple[int, int, int]] = []  # (pid, read end, share)
    try:
        for share in range(1, processes):
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: its share, then its answer, then gone (no atexit, no buffers flushed)
                code = 1
                try:
                    os.close(r)
                    theirs = made.make(range(share, n, processes))
                    answer = pickle.dumps((*theirs, _from_worker(made.source)))
                    view = memoryview(answer)
                    while view:
                        view = view[os.write(w, view):]
                    code = 0
                finally:
                    os._exit(code)
            os.close(w)
            workers.append((pid, r, share))
        done, kept = made.make(range(0, n, processes))
        for pid, r, share in workers:
            chunks = []
            with os.fdopen(r, "rb") as fh:
                chunks.append(fh.read())
            workers = [x for x in workers if x[0] != pid]
            _pid, status = os.waitpid(pid, 0)
            answer = b"".join(chunks)
            if os.waitstatus_to_exitcode(status) == 0 and answer:
                theirs, their_kept, state = pickle.loads(answer)  # noqa: S301 (from this process's own fork)
                take = getattr(made.source, "take_from_worker", None)
                if take is not None:
                    take(state)
            else:
                for i in range(share, n, processes):  # what the worker may have written: made again here
                    try:
                        os.unlink(str(made.new) + os.sep + made.paths[i])
                    except FileNotFoundError:
                        pass
                theirs, their_kept = made.make(range(share, n, processes))
            done.update(theirs)
            kept += their_kept
        return done, kept
    finally:
        for pid, r, _share in workers:  # this process failed: its workers stopped before the new folder is removed
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
            try:
                os.close(r)
            except OSError:
                pass
        gc.unfreeze()


def _carry(src: Path, dst: Path, folders: list[tuple[Path, Path]]) -> bool:
    """Put ``src`` (not followed) at ``dst``; False for what cannot be carried (a socket...).

    A folder is created writable; its own mode and times are set at the end (``folders``).
    """
    st = os.lstat(src)
    if stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(src), dst)
        return True
    if stat.S_ISDIR(st.st_mode):
        os.mkdir(dst, 0o700)
        folders.append((src, dst))
        return True
    try:
        os.link(src, dst, follow_symlinks=False)
        return True
    except OSError:
        if not stat.S_ISREG(st.st_mode):
            return False
    shutil.copy2(src, dst, follow_symlinks=False)
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_site(pages: Mapping[str, str] | PageSource, out: Path, *, force: bool = False, plan_root: Path | None = None,
               template_dir: Path | None = None) -> SiteWriteResult:
    """Write ``pages`` (a :class:`PageSource`, or ``{relative path: text}``) as the whole content feuille owns in ``out``;
    see the module docstring."""
    out = Path(out)
    source = pages if isinstance(pages, PageSource) else _Mapping(pages)
    paths = list(source.paths())
    files, dirs = _check_pages(paths)
    out_abs = Path(os.path.abspath(out))
    if out_abs.parent == out_abs:
        raise SiteWriteError(msg("'{out}' cannot receive the site (the root of the disk).", out=str(out)), CHOOSE_FOLDER)
    exists = os.path.lexists(out_abs)
    if exists:
        st = os.lstat(out_abs)
        if stat.S_ISLNK(st.st_mode):
            raise SiteWriteError(msg("'{out}' is a symbolic link: feuille does not write through a link.", out=str(out)),
                                 msg("Give the real folder with --out ({path}).", path=os.path.realpath(out_abs)))
    refused = not_a_folder(out)  # a file where the folder would be, or above it
    if refused is not None:
        raise SiteWriteError(refused, CHOOSE_FOLDER)
    through = link_on_the_way(out)  # below a link of a repository (a committed link could lead anywhere)
    if through is not None:
        raise SiteWriteError(through, msg("Give the real folder with --out ({path}).", path=os.path.realpath(out_abs)))
    check_location(out_abs, plan_root, template_dir)

    previous = read_manifest(out_abs) if exists else None
    scan = _scan(out_abs, previous or set()) if exists else _Scan()
    top_level = sorted({rel.split("/")[0] for rel in scan.other})
    if exists and previous is None and top_level and not force:
        raise SiteWriteError(
            msg("'{out}' already holds files that feuille did not write ({names}): nothing was written.", out=str(out), names=_some(top_level)),
            msg("Choose an empty folder with --out, or add --force to write anyway "
                "(the files already there will be kept, except those with the same name)."))
    def clash(rel: str) -> bool:
        if rel in files or rel in _OWN_FILES:  # (a manifest that is a link or a folder: replaced too)
            return True
        return rel in dirs and (os.path.islink(out_abs / rel) or not os.path.isdir(out_abs / rel))

    clashes: list[str] = []
    for rel in scan.other:  # top-down: what a clashing folder holds is not listed again
        if clash(rel) and not any(rel.startswith(c + "/") for c in clashes):
            clashes.append(rel)
    if clashes and not force:
        raise SiteWriteError(
            msg("'{out}' holds files that feuille did not write and would replace ({names}): nothing was written.", out=str(out), names=_some(clashes)),
            msg("Rename or move them, or add --force to write anyway "
                "(the files already there will be kept, except those with the same name)."))

    try:
        out_abs.parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=f"{out_abs.name}.feuille-new-", dir=out_abs.parent))
    except OSError as exc:
        raise SiteWriteError(msg("cannot create a folder next to '{out}': {reason}.", out=str(out), reason=system_reason(exc)),
                             msg("feuille prepares the site in a folder next to it, then swaps the two: the parent folder must be writable.")) from None
    removed: list[str] = []
    replaced: list[str] = []
    carried = kept = 0
    before = read_keys(out_abs) if previous else {}
    try:
        os.chmod(new, stat.S_IMODE(os.lstat(out_abs).st_mode) if exists else 0o777 & ~_umask())
        for rel in sorted(dirs, key=lambda d: d.count("/")):
            os.mkdir(new / rel)
        page_keys = [source.key(rel) for rel in paths]  # (all worked out here, before any worker starts)
        made = _Made(source, paths, page_keys, out_abs, new, scan.owned, before)
        done, kept = _make_all(made, _processes(len(paths)))
        keys = [f"{key}\t{done[i]}\t{rel}" for i, (rel, key) in enumerate(zip(paths, page_keys, strict=True)) if key is not None]
        _write_file(new / MANIFEST, "\n".join(sorted(paths)).encode("utf-8"))
        if keys:
            _write_file(new / KEYS, "\n".join([_KEYS_HEADER, *keys]).encode("utf-8"))
        if exists:
            removed = sorted(rel for rel in scan.owned if rel not in files)
            replaced = clashes
            skipped: list[str] = list(clashes)
            folders: list[tuple[Path, Path]] = []
            for rel in scan.other:  # top-down: a folder comes before what it holds
                if rel in skipped or any(rel.startswith(s + "/") for s in skipped):
                    continue
                src = out_abs / rel
                if rel in dirs:
                    continue  # a real folder of pages: what it holds is looked at one by one
                if _carry(src, new / rel, folders):
                    carried += 1
                elif os.path.isdir(src):
                    skipped.append(rel)
            _prune_empty(new, scan, previous or set(), dirs)
            for src, dst in reversed(folders):  # deepest first: a read-only folder is made so once filled
                if os.path.isdir(dst):
                    shutil.copystat(src, dst, follow_symlinks=False)
        _swap(out_abs, new, exists)
    except BaseException as exc:
        shutil.rmtree(new, ignore_errors=True)
        if isinstance(exc, OSError):
            reason: Msg = system_reason(exc)
            if exc.filename:
                reason = msg("{reason} ({file})", reason=reason, file=str(exc.filename))
            raise SiteWriteError(msg("cannot write the site into '{out}': {reason}. The previous site is left as it was.", out=str(out), reason=reason),
                                 msg("Check the permissions and the space left on the disk, then run the command again.")) from None
        raise
    return SiteWriteResult(written=len(paths), removed=removed, replaced=sorted(replaced), carried=carried, kept=kept)


def _prune_empty(new: Path, scan: _Scan, previous: set[str], dirs: set[str]) -> None:
    """Folders that only held pages of the previous render, now empty, are not kept."""
    owned_dirs = {"/".join(rel.split("/")[:i]) for rel in previous for i in range(1, rel.count("/") + 1)}
    for rel in sorted(set(scan.other) & owned_dirs - dirs, key=lambda d: -d.count("/")):
        path = new / rel
        if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()


def _swap(out: Path, new: Path, exists: bool) -> None:
    if not exists:
        os.rename(new, out)
        return
    old = out.with_name(f"{out.name}.feuille-old-{secrets.token_hex(4)}")
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
