"""Writing files safely: atomically, keeping the file's mode; and why the system refused, in the reader's language."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg

_REASONS = {
    errno.EACCES: msg("permission denied"), errno.EPERM: msg("permission denied"), errno.EROFS: msg("read-only disk"),
    errno.ENOSPC: msg("disk full"), errno.EDQUOT: msg("disk quota exceeded"), errno.EIO: msg("disk input/output error"),
    errno.ENOENT: msg("no such file or folder"), errno.EBUSY: msg("file busy with another program"),
    errno.ENOTDIR: msg("a file stands where a folder is expected"), errno.EEXIST: msg("a file of that name already exists"),
    errno.EISDIR: msg("it is a folder, not a file"), errno.ENAMETOOLONG: msg("name too long"),
    errno.ENXIO: msg("no device or program to receive it"), errno.ELOOP: msg("too many symbolic links"),
    errno.EFBIG: msg("file too large"), errno.EPIPE: msg("the receiving program has stopped reading"),
}


def system_reason(exc: OSError) -> Msg:
    """Why the system refused, in the reader's language (``exc.strerror`` is always English)."""
    return _REASONS.get(exc.errno or 0) or msg("system error ({reason})", reason=exc.strerror or type(exc).__name__)


def not_a_folder(folder: Path) -> Msg | None:
    """Why ``folder`` cannot be a folder to write into: it, or one of its parents, exists and is not a folder
    (a file, a link to nowhere); None if it can be (it is a folder, or can be created)."""
    for path in (Path(folder), *Path(folder).parents):
        if os.path.isdir(path):
            return None
        if os.path.lexists(path):
            if path == Path(folder):
                return msg("'{path}' is a file, not a folder: nothing was written.", path=str(folder))
            return msg("the folder '{path}' cannot be created: '{file}' is a file, not a folder. Nothing was written.",
                       path=str(folder), file=str(path))
    return None


def _is_device_path(path: Path) -> bool:
    """A name of a process's own streams (/dev/stdout, /dev/fd/1, /proc/self/fd/1...): never replaced, even when
    it leads to a regular file (the file that a shell redirected the output to)."""
    parts = Path(os.path.abspath(path)).parts
    if len(parts) > 2 and parts[1] == "dev":
        return parts[2] in ("stdout", "stderr", "stdin", "fd")
    return len(parts) > 3 and parts[1] == "proc" and parts[3] == "fd"


def _own_stream(st: os.stat_result):  # type: ignore[no-untyped-def]
    """The command's own stdout or stderr if ``st`` is what it writes to (through any name or link), else None."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if os.path.samestat(os.fstat(stream.fileno()), st):
                return stream
        except (AttributeError, OSError, ValueError):
            continue
    return None


def is_standard_output(path: Path) -> bool:
    """Whether writing to ``path`` writes to the command's standard output (-o /dev/stdout, or a link to it):
    then a « written: » line must not go there too."""
    try:
        return _own_stream(os.stat(path)) is sys.stdout
    except OSError:
        return False


def _write_into(path: Path, data: bytes, st: os.stat_result) -> None:
    """Write ``data`` into what is at ``path`` (a device, a pipe, a file the output was redirected to),
    without a temporary file: it is never replaced.  OSError if the system refuses (ENOSPC on /dev/full)."""
    stream = _own_stream(st)
    if stream is not None:  # the command's own output: written through it, in order
        stream.flush()
        _write_all(stream.fileno(), data)
        return
    flags = os.O_WRONLY | (os.O_TRUNC if stat.S_ISREG(st.st_mode) else 0)
    fd = os.open(path, flags)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step: a temporary file in the same
    folder, flushed to disk (unless ``durable`` is off, for regenerable output such
    as a rendered site), then renamed over the target (keeping its mode).

    A symbolic link is followed: the file it points to is replaced, the link is kept.  What
    is not a regular file (a device such as /dev/full, a named pipe, a socket), or a path under
    /dev or /proc (/dev/stdout), is written into as it is, never replaced."""
    path = Path(path)
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if st is not None and (not stat.S_ISREG(st.st_mode) or _is_device_path(path) or _own_stream(st) is not None):
        _write_into(path, data, st)
        return
    if path.is_symlink():  # (a link to nowhere: the file it names is created)
        path = Path(os.path.realpath(path))
        if _is_device_path(path):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
    directory = path.parent if str(path.parent) else Path(".")
    mode = stat.S_IMODE(st.st_mode) if st is not None else None
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class WriteRefused(UserError):
    """A file or a folder the system would not let feuille write: which, and why, in the reader's language."""

    code = "write"


def write_file(path: Path, data: bytes) -> None:
    """:func:`write_atomic`, or a :class:`WriteRefused` naming the file and the system's reason."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise WriteRefused(msg("cannot write '{path}': {reason}.", path=str(path), reason=system_reason(exc))) from exc


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) if need be, or a :class:`WriteRefused` naming it and the system's reason."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteRefused(msg("cannot create the folder '{path}': {reason}.", path=str(folder), reason=system_reason(exc))) from exc
