"""Time reading every file of a plan at a git revision (GitSource) against reading it from disk.

    python bench/git_source.py [--actions 10000] [--repeat 5] [--keep DIR]

Generates a plan with one file per action (``bench/generate.py --layout folders``,
about 10,100 files for 10,000 actions), commits it in a fresh repository, then
times, best of ``--repeat``:

- open: ``GitSource.open`` (rev-parse x2 + one ls-tree, index built in memory);
- read all: list every folder and read every file through one ``cat-file --batch``;
- disk: the same walk and reads with ``FolderSource`` on the working tree (warm page cache);
- one git per file: ``git cat-file blob`` once per file, on a sample, scaled up (what a naive
  ``git show REV:path`` loop would cost).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from feuille.io.git import EntryKind, GitSource  # noqa: E402
from feuille.io.sources import EntryKind as DiskKind  # noqa: E402
from feuille.io.sources import FolderSource  # noqa: E402


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2025-01-01T12:00:00+01:00", "GIT_COMMITTER_DATE": "2025-01-01T12:00:00+01:00"}
    cmd = ["git", "-C", str(repo), "-c", "user.name=Bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false",
           "-c", "gc.auto=0", "-c", "maintenance.auto=false", *args]
    proc = subprocess.run(cmd, capture_output=True, env=env)
    if proc.returncode:
        sys.exit(f"git {args[0]} failed: {proc.stderr.decode(errors='replace')}")
    return proc.stdout.decode().strip()


def walk(src, rel: str, kinds) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    files = size = 0
    for e in src.list_dir(rel):
        sub = f"{rel}/{e.name}" if rel else e.name
        if e.kind is kinds.DIR:
            f, s = walk(src, sub, kinds)
            files, size = files + f, size + s
        elif e.kind is kinds.FILE:
            files, size = files + 1, size + len(src.read(sub))
    return files, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        repo = args.keep or Path(tmp) / "repo"
        plan = repo / "plans" / "bench"
        t0 = time.perf_counter()
        repo.mkdir(parents=True, exist_ok=True)
        git(repo, "init", "-q")
        (repo / "README.md").write_text("bench\n")
        generate(args.actions, plan, layout="folders")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "plan")
        git(repo, "gc", "-q")  # a packed repository, as after a clone
        print(f"repository built in {time.perf_counter() - t0:.1f} s ({repo})")

        opens, reads, disks = [], [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            src = GitSource.open(plan, "HEAD")
            t1 = time.perf_counter()
            files, size = walk(src, "", EntryKind)
            t2 = time.perf_counter()
            src.close()
            opens.append(t1 - t0)
            reads.append(t2 - t1)
            t0 = time.perf_counter()
            dfiles, dsize = walk(FolderSource(plan), "", DiskKind)
            disks.append(time.perf_counter() - t0)
            assert (dfiles, dsize) == (files, size), ((dfiles, dsize), (files, size))

        src = GitSource.open(plan, "HEAD")
        blobs = [e.blob for entries in src._dirs.values() for e in entries if e.blob][:200]
        src.close()
        t0 = time.perf_counter()
        for blob in blobs:
            subprocess.run(["git", "-C", str(repo), "cat-file", "blob", blob], check=True, capture_output=True)
        per_file = (time.perf_counter() - t0) / len(blobs)

        ms = lambda xs: f"{min(xs) * 1000:7.0f} ms (median {statistics.median(xs) * 1000:.0f})"  # noqa: E731
        print(f"{files} files, {size / 1e6:.1f} MB, best of {args.repeat}:")
        print(f"  GitSource.open (3 git commands)      {ms(opens)}")
        print(f"  list + read all (one cat-file)       {ms(reads)}")
        print(f"  total at a revision                  {ms([a + b for a, b in zip(opens, reads, strict=False)])}")
        print(f"  same walk from disk (FolderSource)   {ms(disks)}")
        print(f"  one git process per file (scaled)    {per_file * files * 1000:7.0f} ms ({per_file * 1000:.1f} ms a file)")


if __name__ == "__main__":
    main()
