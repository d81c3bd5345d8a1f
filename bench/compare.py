"""Compare two installs of feuille on the same plans, runs interleaved.

    python bench/compare.py OLD_FEUILLE NEW_FEUILLE [--plans plans/la-louviere,/tmp/p10k]
                            [--commands lint,status] [--repeat 15]

OLD_FEUILLE and NEW_FEUILLE are paths to ``feuille`` executables (for instance
one in a worktree of an earlier commit with its own venv).  Each round runs the
old command then the new one, alternately first, so that whatever else the
machine is doing weighs on both alike.  Each install gets its own cache folder,
filled before timing (the warm case, as a service head runs it all day).
Prints the median and the lowest time of each, and the ratio of medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def _run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return elapsed


def compare(old: str, new: str, plan: str, command: str, repeat: int, tmp: Path) -> tuple[list[float], list[float]]:
    envs = {}
    for name in ("old", "new"):
        envs[name] = {**os.environ, "FEUILLE_CACHE_DIR": str(tmp / f"{name}-{Path(plan).name}"), "FEUILLE_HISTORY": "off", "NO_COLOR": "1"}
    cmds = {name: [exe, command, plan, "--as-of", "2026-11-22"] for name, exe in (("old", old), ("new", new))}
    for name in ("old", "new"):  # fill the caches, warm the OS file cache
        _run(cmds[name], envs[name])
        _run(cmds[name], envs[name])
    times: dict[str, list[float]] = {"old": [], "new": []}
    for i in range(repeat):
        order = ("old", "new") if i % 2 == 0 else ("new", "old")
        for name in order:
            times[name].append(_run(cmds[name], envs[name]))
    return times["old"], times["new"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--plans", default="plans/la-louviere")
    parser.add_argument("--commands", default="lint,status")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"{'plan':<28} {'command':<8} {'old median':>10} {'new median':>10} {'old min':>8} {'new min':>8} {'new/old':>8}")
    with tempfile.TemporaryDirectory(prefix="feuille-compare-") as tmp:
        for plan in args.plans.split(","):
            for command in args.commands.split(","):
                old, new = compare(args.old, args.new, plan, command, args.repeat, Path(tmp))
                mo, mn = statistics.median(old), statistics.median(new)
                print(f"{Path(plan).name:<28} {command:<8} {mo:>10.3f} {mn:>10.3f} {min(old):>8.3f} {min(new):>8.3f} {mn / mo:>8.2f}")


if __name__ == "__main__":
    main()
