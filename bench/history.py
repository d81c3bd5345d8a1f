"""Time ``feuille diff`` between two revisions of a large plan (goal: 10,000 actions in under 2 s).

    python bench/history.py [--actions 10000] [--layout files|folders] [--repeat 3] [--keep DIR]

Generates a plan (``bench/generate.py``), commits it, then changes about 1 % of it the way a
month of updates does (progress, slipped deadlines, budgets, a few actions moved to another
objective's file, one file renamed) and commits again.  Times the installed ``feuille diff
HEAD~1 HEAD`` as a user runs it (a new process each time):

- cold: an empty cache, every file of both revisions parsed;
- warm: the cache filled by the cold run (files are keyed by blob id: only changed files are new);
- one side new: the cache holds the old revision only (the usual case after a pull);

and ``feuille log`` of one action over the two commits.  ``--trend-commits 100`` then builds a
repository of the example plan with 100 monthly commits (one progress value changed in each)
and times ``feuille status --trend --every month`` over all of them (goal: under 2 s).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

FEUILLE = str(Path(sys.executable).with_name("feuille"))


def git(repo: Path, *args: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    cmd = ["git", "-C", str(repo), "-c", "user.name=Bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false",
           "-c", "gc.auto=0", "-c", "maintenance.auto=false", *args]
    proc = subprocess.run(cmd, capture_output=True, env=env)
    if proc.returncode:
        sys.exit(f"git {args[0]} failed: {proc.stderr.decode(errors='replace')}")


def change(plan: Path, n: int, layout: str) -> int:
    """Change about 1 % of the actions; returns how many were touched."""
    rng = random.Random(7)
    files = sorted((plan / "objectives").rglob("*.yaml"))
    touched = 0
    for f in rng.sample(files, max(1, len(files) // (10 if layout == "files" else 100))):
        text = f.read_text(encoding="utf-8")
        text, k = re.subn(r"progress: (\d+)", lambda m: f"progress: {min(100, int(m.group(1)) + 5)}", text, count=10)
        text = re.sub(r"planned_end: 2027-", "planned_end: 2028-", text, count=3)
        text = re.sub(r"amount: (\d+)000, year: 2026", lambda m: f"amount: {int(m.group(1)) + 1}000, year: 2026", text, count=3)
        f.write_text(text, encoding="utf-8")
        touched += k
    if layout == "files":
        first, second = files[0], files[1]
        a, b = first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")
        start = a.index("  - id: A1\n")
        end = a.index("  - id: A2\n")
        first.write_text(a[:start] + a[end:], encoding="utf-8")
        second.write_text(b + a[start:end], encoding="utf-8")  # A1 moves to the next objective
        files[2].rename(files[2].with_name("renamed.yaml"))
    return touched


def timed(cmd: list[str], env: dict[str, str], before=None, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, env=env)
        runs.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--layout", choices=("files", "folders"), default="files")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--trend-commits", type=int, default=100)
    parser.add_argument("--skip-diff", action="store_true")
    parser.add_argument("--skip-trend", action="store_true")
    parser.add_argument("--big-commits", type=int, default=0, help="also: a plan of --actions actions over this many monthly commits (log, diff, trend, status)")
    args = parser.parse_args()
    if not args.skip_diff:
        bench_diff(args)
    if not args.skip_trend:
        bench_trend(args)
    if args.big_commits:
        bench_big(args)


def bench_big(args: argparse.Namespace) -> None:
    """A large plan with a long history: --actions actions, --big-commits monthly commits each changing ~1 % of the files."""
    work = args.keep or Path(tempfile.mkdtemp(prefix="feuille-big-"))
    repo = work / "big"
    plan = repo / "plan"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    generate(args.actions, plan, args.layout)
    git(repo, "init", "-q", when="2017-01-15T12:00:00+01:00")
    git(repo, "add", "-A", when="2017-01-15T12:00:00+01:00")
    git(repo, "commit", "-qm", "plan", when="2017-01-15T12:00:00+01:00")
    files = sorted((plan / "objectives").rglob("*.yaml"))
    t0 = time.perf_counter()
    for i in range(1, args.big_commits):
        rng = random.Random(i)
        for f in rng.sample(files, max(1, len(files) // 100)):
            text = f.read_text(encoding="utf-8")
            text = re.sub(r"progress: (\d+)", lambda m: f"progress: {(int(m.group(1)) + 1) % 100}", text, count=5)
            f.write_text(text, encoding="utf-8")
        y, m = 2017 + i // 12, 1 + i % 12
        git(repo, "commit", "-qam", f"update {i}", when=f"{y}-{m:02d}-15T12:00:00+01:00")
    built = time.perf_counter() - t0
    n = args.big_commits
    env = {**os.environ, "FEUILLE_CACHE_DIR": str(work / "cache")}
    shutil.rmtree(work / "cache", ignore_errors=True)
    plan_s = str(plan)
    log_cmd = [FEUILLE, "log", "A5", "--plan", plan_s, "--format", "json"]
    log_cold = timed(log_cmd, env, None, 1)
    log_warm = timed(log_cmd, env, None, args.repeat)
    diff_cmd = [FEUILLE, "diff", f"HEAD~{n - 1}", "HEAD", "--plan", plan_s, "--format", "json"]
    diff_warm = timed(diff_cmd, env, None, args.repeat)
    last = f"{2017 + (n - 1) // 12}-{1 + (n - 1) % 12:02d}-28"
    trend_cmd = [FEUILLE, "status", plan_s, "--trend", "--since", "2017-01-31", "--every", "month", "--as-of", last, "--format", "json"]
    trend_warm = timed(trend_cmd, env, None, args.repeat)
    trend_q = timed(trend_cmd[:-5] + ["quarter", "--as-of", last, "--format", "json"], env, None, args.repeat)
    status_cmd = [FEUILLE, "status", plan_s, "--format", "json"]
    status_plain = timed(status_cmd, env, None, args.repeat)
    git(repo, "tag", "-a", "feuille-validation/2018-06-30", "-m", "Validation\n\nValidé par: Comité de direction\nDate: 2018-06-30\n", f"HEAD~{n // 2}",
        when="2018-06-30T12:00:00+01:00")
    status_validated = timed(status_cmd, env, None, args.repeat)
    print(f"{args.actions} actions ({args.layout}) over {n} monthly commits (~1 % of the files changed in each; built in {built:.0f} s):")
    print(f"  feuille log A5, cold cache (every revision read): {log_cold:.2f} s; warm: {log_warm:.2f} s")
    print(f"  feuille diff HEAD~{n - 1} HEAD, warm: {diff_warm:.2f} s")
    print(f"  feuille status --trend --every month ({n} points), warm: {trend_warm:.2f} s; --every quarter: {trend_q:.2f} s")
    print(f"  feuille status, warm: {status_plain:.2f} s; with a validation {n // 2} commits back (what changed since): {status_validated:.2f} s")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


def bench_trend(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="feuille-trend-"))
    repo = work / "repo"
    repo.mkdir()
    plan = repo / "plan"
    shutil.copytree(Path(__file__).resolve().parent.parent / "plans" / "la-louviere", plan)
    git(repo, "init", "-q", when="2018-01-01T12:00:00+01:00")
    git(repo, "add", "-A", when="2018-01-01T12:00:00+01:00")
    git(repo, "commit", "-qm", "plan", when="2018-01-15T12:00:00+01:00")
    target = plan / "objectives" / "02-securite.yaml"
    for i in range(1, args.trend_commits):
        y, m = 2018 + i // 12, 1 + i % 12
        text = target.read_text(encoding="utf-8")
        text = re.sub(r"progress: (\d+)", lambda mm: f"progress: {(int(mm.group(1)) + 1) % 100}", text, count=1)
        target.write_text(text, encoding="utf-8")
        git(repo, "commit", "-qam", f"update {i}", when=f"{y}-{m:02d}-15T12:00:00+01:00")
    env = {**os.environ, "FEUILLE_CACHE_DIR": str(work / "cache")}
    cmd = [FEUILLE, "status", str(plan), "--trend", "--since", "2018-01-31", "--every", "month"]
    shutil.rmtree(work / "cache", ignore_errors=True)
    cold = timed(cmd, env, None, 1)
    warm = timed(cmd, env, None, args.repeat)
    quarter = timed(cmd[:-1] + ["quarter"], env, None, args.repeat)
    print(f"feuille status --trend over {args.trend_commits} monthly commits of the example plan:")
    print(f"  --every month, cold cache: {cold:.2f} s; warm: {warm:.2f} s   (goal < 2 s); --every quarter, warm: {quarter:.2f} s")
    shutil.rmtree(work, ignore_errors=True)


def bench_diff(args: argparse.Namespace) -> None:
    work = args.keep or Path(tempfile.mkdtemp(prefix="feuille-history-"))
    repo = work / "repo"
    plan = repo / "plan"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    generate(args.actions, plan, args.layout)
    git(repo, "init", "-q", when="2025-01-01T12:00:00+01:00")
    git(repo, "add", "-A", when="2025-01-01T12:00:00+01:00")
    git(repo, "commit", "-qm", "plan", when="2025-01-01T12:00:00+01:00")
    touched = change(plan, args.actions, args.layout)
    git(repo, "add", "-A", when="2025-02-01T12:00:00+01:00")
    git(repo, "commit", "-qm", "changes", when="2025-02-01T12:00:00+01:00")
    cache = work / "cache"
    env = {**os.environ, "FEUILLE_CACHE_DIR": str(cache)}
    cmd = [FEUILLE, "diff", "HEAD~1", "HEAD", "--plan", str(plan), "--format", "json"]

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def old_only() -> None:
        clear()
        subprocess.run([FEUILLE, "diff", "HEAD~1", "HEAD~1", "--plan", str(plan)], capture_output=True, env=env)

    out = subprocess.run(cmd, capture_output=True, env=env, text=True)
    changes = out.stdout.count('"kind"')
    cold = timed(cmd, env, clear, args.repeat)
    one_side = timed(cmd, env, old_only, args.repeat)
    timed(cmd, env, None, 1)
    warm = timed(cmd, env, None, args.repeat)
    log = timed([FEUILLE, "log", "A5", "--plan", str(plan)], env, None, args.repeat)
    print(f"feuille diff HEAD~1 HEAD, {args.actions} actions ({args.layout}), {touched} progress values changed, {changes} changes reported")
    print(f"  cold cache (both revisions parsed): {cold:.2f} s")
    print(f"  old revision cached (after a pull): {one_side:.2f} s")
    print(f"  warm cache:                         {warm:.2f} s   (goal < 2 s)")
    print(f"feuille log A5 (2 commits + working tree, warm): {log:.2f} s")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
