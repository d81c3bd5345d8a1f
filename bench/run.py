"""Benchmark feuille against yamllint and check-jsonschema, in one run.

    python bench/run.py [--sizes 1000,10000,50000] [--peers-max 10000] [--repeat 5]

Needs the bench extra (``pip install -e '.[bench]'``) for the peers; a missing
peer is reported, not fatal.  Prints one table; each figure is the median wall
time of whole commands (a fresh process each time, as users run them).

* cold: empty cache folder; warm: cache filled, nothing changed;
* warm+1: one objective file edited since the last run;
* status: ``feuille status`` with the cache filled; prioritise: ``--top 20``, cache filled;
* render: ``feuille render`` of the whole HTML site (one page per action and more).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def _tool(name: str) -> str | None:
    path = BIN / name
    if path.exists():
        return str(path)
    return shutil.which(name)


def timed(cmd: list[str], env: dict[str, str], before=None, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return statistics.median(times)


def bench_plan(plan: Path, n: int, repeat: int, peers: bool, cache_root: Path) -> dict[str, float | None]:
    feuille = _tool("feuille") or "feuille"
    cache = cache_root / f"cache-{plan.name}"
    # as users run it: bytecode written once and reused (PYTHONDONTWRITEBYTECODE would time the compiler)
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "FEUILLE_CACHE_DIR": str(cache)}
    lint = [feuille, "lint", str(plan), "--as-of", "2026-11-22"]
    status = [feuille, "status", str(plan), "--as-of", "2026-11-22"]
    out: dict[str, float | None] = {}
    out["cold"] = timed(lint, env, before=lambda: shutil.rmtree(cache, ignore_errors=True), repeat=max(1, repeat // 2))
    timed(lint, env, repeat=1)
    out["warm"] = timed(lint, env, repeat=repeat)
    target = sorted((plan / "objectives").rglob("*.yaml"))[0]
    original = target.read_text(encoding="utf-8")
    counter = iter(range(10**6))

    def edit() -> None:
        target.write_text(original + f"# édition {next(counter)}\n", encoding="utf-8")
        past = time.time() - 10  # outside the cache's "racy" window, as a real edit would be
        os.utime(target, (past, past))

    out["warm+1"] = timed(lint, env, before=edit, repeat=repeat)
    target.write_text(original, encoding="utf-8")
    timed(status, env, repeat=1)
    out["status"] = timed(status, env, repeat=repeat)
    out["prioritise"] = timed([feuille, "prioritise", str(plan), "--as-of", "2026-11-22", "--top", "20"], env, repeat=repeat)
    site = cache_root / f"site-{plan.name}"
    out["render"] = timed([feuille, "render", str(plan), "--out", str(site), "--as-of", "2026-11-22"], env, repeat=1 if n >= 10000 else repeat)
    shutil.rmtree(site, ignore_errors=True)
    out["yamllint"] = out["check-jsonschema"] = None
    if peers:
        yamllint = _tool("yamllint")
        if yamllint:
            out["yamllint"] = timed([yamllint, "-d", "relaxed", str(plan)], env, repeat=1)
        cj = _tool("check-jsonschema")
        if cj:
            files = [str(p) for p in sorted((plan / "objectives").rglob("*.yaml"))]
            out["check-jsonschema"] = timed([cj, "--schemafile", str(ROOT / "schema" / "objective.schema.json"), *files], env, repeat=1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--peers-max", type=int, default=10000, help="run the peers up to this size (yamllint takes ~5.6 ms per action)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="feuille-bench-") as tmp:
        work = Path(tmp)
        example = ROOT / "plans" / "la-louviere"
        rows.append(("example (26 actions)", 26, bench_plan(example, 26, args.repeat * 2, False, work)))
        for n in sizes:
            plan = work / f"plan-{n}"
            generate(n, plan)
            rows.append((f"{n} actions, file per objective", n, bench_plan(plan, n, args.repeat, n <= args.peers_max, work)))
            shutil.rmtree(plan)
        n = 10000
        plan = work / "plan-folders"
        generate(n, plan, layout="folders")
        rows.append((f"{n} actions, file per action", n, bench_plan(plan, n, args.repeat, False, work)))
    cols = ["cold", "warm", "warm+1", "status", "prioritise", "render", "yamllint", "check-jsonschema"]
    print(f"feuille benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} cores; seconds, median wall time per command")
    print(f"{'plan':<34}" + "".join(f"{c:>17}" for c in cols) + f"{'cold ms/action':>16}{'yamllint / cold':>17}")
    for label, n, r in rows:
        cells = "".join(f"{r[c]:>17.3f}" if r[c] is not None else f"{'-':>17}" for c in cols)
        per = (r["cold"] or 0) / n * 1000
        ratio = f"{r['yamllint'] / r['cold']:.1f}x" if r["yamllint"] else "-"
        print(f"{label:<34}{cells}{per:>16.3f}{ratio:>17}")


if __name__ == "__main__":
    main()
