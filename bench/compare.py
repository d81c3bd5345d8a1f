"""Compare two installs of feuille on the same plans, runs interleaved.

    python bench/compare.py OLD_FEUILLE NEW_FEUILLE [--plans plans/la-louviere,/tmp/p10k]
                            [--commands lint,status] [--repeat 15] [--cold]
                            [--old-env NAME=VALUE] [--new-env NAME=VALUE]

OLD_FEUILLE and NEW_FEUILLE are paths to ``feuille`` executables (for instance
one in a worktree of an earlier commit with its own venv).  Each round runs the
old command then the new one, alternately first, so that whatever else the
machine is doing weighs on both alike.  Each install gets its own cache folder,
filled before timing (the warm case, as a service head runs it all day); with ``--cold``, emptied
before each run instead (the first lint of a plan, or of a region: ``--plans`` a folder of plans).
``--old-env``/``--new-env`` set a variable for one side: one install against itself, for instance
``feuille feuille --cold --old-env FEUILLE_WORKERS=0`` (one process against the worker processes).
Prints the median wall time and the median CPU time (user + system, which
other work on the machine disturbs less) of each, and the ratios new/old.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``cmd``."""
    cpu, start = _cpu(), time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed, used = time.perf_counter() - start, _cpu() - cpu
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return elapsed, used


def compare(old: str, new: str, plan: str, command: str, repeat: int, tmp: Path, cold: bool = False,
            extra: dict[str, dict[str, str]] | None = None) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    envs = {}
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as users run it: compiled once
    for name in ("old", "new"):
        envs[name] = {**base, "FEUILLE_CACHE_DIR": str(tmp / f"{name}-{Path(plan).name}"), "FEUILLE_HISTORY": "off", "NO_COLOR": "1",
                      **(extra or {}).get(name, {})}
    cmds = {name: [exe, command, plan] for name, exe in (("old", old), ("new", new))}  # as run every day: today's plan
    for name in ("old", "new"):  # fill the caches, write the bytecode, warm the OS file cache
        _run(cmds[name], envs[name])
        _run(cmds[name], envs[name])
    times: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    for i in range(repeat):
        order = ("old", "new") if i % 2 == 0 else ("new", "old")
        for name in order:
            if cold:
                shutil.rmtree(envs[name]["FEUILLE_CACHE_DIR"], ignore_errors=True)
            times[name].append(_run(cmds[name], envs[name]))
    return times["old"], times["new"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--plans", default="plans/la-louviere")
    parser.add_argument("--commands", default="lint,status")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--cold", action="store_true", help="an empty cache before each run (the first lint of a plan)")
    parser.add_argument("--old-env", action="append", default=[], metavar="NAME=VALUE", help="a variable set for the old side only")
    parser.add_argument("--new-env", action="append", default=[], metavar="NAME=VALUE", help="a variable set for the new side only")
    args = parser.parse_args()
    extra = {side: dict(item.split("=", 1) for item in items) for side, items in (("old", args.old_env), ("new", args.new_env))}
    print(f"{'plan':<20} {'command':<8} {'wall: old':>9} {'new':>7} {'new/old':>7}   {'cpu: old':>8} {'new':>7} {'new/old':>7}")
    with tempfile.TemporaryDirectory(prefix="feuille-compare-") as tmp:
        for plan in args.plans.split(","):
            for command in args.commands.split(","):
                old, new = compare(args.old, args.new, plan, command, args.repeat, Path(tmp), args.cold, extra)
                wo, wn = statistics.median(t for t, _c in old), statistics.median(t for t, _c in new)
                co, cn = statistics.median(c for _t, c in old), statistics.median(c for _t, c in new)
                print(f"{Path(plan).name:<20} {command:<8} {wo:>9.3f} {wn:>7.3f} {wn / wo:>7.2f}   {co:>8.3f} {cn:>7.3f} {cn / co:>7.2f}")


if __name__ == "__main__":
    main()
