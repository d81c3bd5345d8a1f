"""Both cores on a cold run: a pure function over many items, in forked worker processes, results in order.

:class:`ForkMap` forks ``workers`` processes once; worker ``k`` computes the items ``k, k + workers, ...``
in that order and writes each result, marshalled, to its own pipe, while the parent goes on (it reads the
results in the order it needs them, :meth:`ForkMap.get`, keeping any read ahead).  The function must be
pure (its result depends on its item alone) and its result plain data (what ``marshal`` writes): the
parent then gets exactly what it would have computed itself.  Anything that goes wrong (no fork on this
system, a worker that fails or dies, a result marshal cannot write) only means ``get`` returns None for
those items, and the caller computes them itself: a pool never changes a result, only where it is made.

Only where it pays: :func:`usable_workers` counts the CPUs this process may run on (``os.sched_getaffinity``,
Linux) less those other processes use right now (:func:`others_running`), and says 0 (no pool) with fewer
than two free, or without ``os.fork``.  ``FEUILLE_WORKERS=N`` forces N workers
(0 or 1: never a pool), for tests and measurements; the caller still decides whether the work is large
enough (:data:`MIN_BYTES`) unless N is forced.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import struct
from collections.abc import Callable, Sequence
from typing import Any

MIN_BYTES = 2 * 1024 * 1024  # less YAML than this (~2,000 actions) is parsed faster than a worker starts and reports
MAX_WORKERS = 8
PIPE_BYTES = 1024 * 1024  # what a worker may write ahead of the parent (Linux's limit for a user: /proc/sys/fs/pipe-max-size)
_LEN = struct.Struct("<Q")
_FAILED = (1 << 64) - 1  # a result the worker could not compute or write: the parent computes it


def forced_workers() -> int | None:
    """``FEUILLE_WORKERS`` as a number of workers (None: not set, or not a number)."""
    value = os.environ.get("FEUILLE_WORKERS", "").strip()
    if not value.isdigit():
        return None
    return min(int(value), MAX_WORKERS)


def usable_workers(work_bytes: int, items: int) -> int:
    """How many workers to use for ``items`` items of ``work_bytes`` bytes in all: 0 for none (do it here)."""
    if not hasattr(os, "fork"):
        return 0
    forced = forced_workers()
    if forced is not None:
        return min(forced, items) if forced > 1 else 0
    if work_bytes < MIN_BYTES or items < 2:
        return 0
    workers = min(free_cpus(), MAX_WORKERS, items)
    return workers if workers > 1 else 0


def free_cpus() -> int:
    """The CPUs this process may run on (``os.sched_getaffinity``) less those other processes use right now
    (:func:`others_running`); 0 where that cannot be known (not Linux).  The one count of every pool of feuille's
    (this module's, and the render's in io/sitewrite.py)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux: one process
        return 0
    return max(0, cpus - others_running())


def others_running() -> int:
    """How many other processes are running or ready to run on the machine right now (/proc/loadavg; 0 if unknown).
    Workers pay only on CPUs that are free: on a busy machine they share the CPU time this process would have
    had anyway (the scheduler gives a session its share, however many processes it runs), and wait on each other."""
    try:
        with open("/proc/loadavg", "rb") as fh:
            runnable = fh.read().split()[3].split(b"/")[0]
        return max(0, int(runnable) - 1)  # this process is one of them
    except (OSError, ValueError, IndexError):
        return 0


class ForkMap:
    """``fn(item)`` for each of ``items``, computed by ``workers`` forked processes (see the module's docstring)."""

    def __init__(self, fn: Callable[[Any], Any], items: Sequence[Any], workers: int) -> None:
        self._count = len(items)
        self._workers = max(1, min(workers, self._count))
        self._pids: list[int] = []
        self._readers: list[Any] = []
        self._next = 0  # the next result to read, in item order
        self._ahead: dict[int, Any] = {}  # results read before they were asked for
        self._dead: set[int] = set()  # workers whose pipe ended early: their remaining items are computed by the caller
        pipes = []
        try:
            for _ in range(self._workers):
                pipes.append(os.pipe())
                _widen(pipes[-1][1])
            for k in range(self._workers):
                pid = os.fork()
                if pid == 0:  # the worker: never returns
                    _work(fn, items, k, self._workers, pipes)
                self._pids.append(pid)
        except OSError:  # no more processes or pipes: the workers started so far do their part, the rest is the caller's
            pass
        for k, (r, w) in enumerate(pipes):
            os.close(w)
            if k < len(self._pids):
                self._readers.append(os.fdopen(r, "rb"))
            else:
                os.close(r)
        for k in range(len(self._pids), self._workers):
            self._dead.add(k)

    def get(self, index: int) -> Any | None:
        """The result for ``items[index]``, or None: compute it yourself (the worker failed, or it was asked for
        already).  Results before ``index`` not asked for yet are kept until they are."""
        if index in self._ahead:
            return self._ahead.pop(index)
        if not 0 <= index < self._count or index < self._next:
            return None
        while self._next <= index:
            i = self._next
            self._next += 1
            result = self._read(i)
            if i == index:
                return result
            if result is not None:
                self._ahead[i] = result
        return None  # pragma: no cover - the loop returns

    def _read(self, i: int) -> Any | None:
        k = i % self._workers
        if k in self._dead:
            return None
        reader = self._readers[k]
        try:
            head = reader.read(_LEN.size)
            if len(head) != _LEN.size:
                raise EOFError
            (size,) = _LEN.unpack(head)
            if size == _FAILED:
                return None
            blob = reader.read(size)
            if len(blob) != size:
                raise EOFError
            return marshal.loads(blob)
        except Exception:  # a worker that died or wrote something else: its items are the caller's from here on
            self._dead.add(k)
            return None

    def close(self) -> None:
        """Stop the workers (those still running are killed: their results are no longer wanted) and reap them."""
        for reader in self._readers:
            try:
                reader.close()
            except OSError:
                pass
        self._readers = []
        for pid in self._pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
        self._pids = []
        self._ahead.clear()

    def __enter__(self) -> ForkMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _widen(fd: int) -> None:
    """Let a worker write about a megabyte of results ahead of the parent (Linux; 64 KiB otherwise): a few files,
    so that it goes on parsing while the parent validates or checks a plan instead of waiting for it to read."""
    try:
        import fcntl  # noqa: PLC0415 (not on Windows)

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (ImportError, OSError):
        pass


def _work(fn: Callable[[Any], Any], items: Sequence[Any], k: int, workers: int, pipes: list[tuple[int, int]]) -> None:
    """A worker's whole life: its items' results to its pipe, then exit without running the parent's clean-ups."""
    code = 0
    try:
        gc.disable()  # what a worker builds is freed as it goes (reference counts): no collection pass pays
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C stops a worker at once, without a traceback
        for j, (r, w) in enumerate(pipes):
            os.close(r)
            if j != k:
                os.close(w)
        with os.fdopen(pipes[k][1], "wb", buffering=1 << 16) as out:
            for i in range(k, len(items), workers):
                try:
                    blob = marshal.dumps(fn(items[i]))
                except Exception:
                    out.write(_LEN.pack(_FAILED))
                    out.flush()
                    continue
                out.write(_LEN.pack(len(blob)))
                out.write(blob)
                out.flush()  # the parent may use it at once (it validates a file while the next ones are parsed)
    except BaseException:  # noqa: BLE001 - a worker never reports anything but its results
        code = 1
    finally:
        os._exit(code)
