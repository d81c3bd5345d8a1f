"""Both cores on a cold run (io/parallel.py, pipeline.Prefetch): worker processes parse the files ahead, and what
every command says is the same as with one process, byte for byte.  FEUILLE_WORKERS=2 forces two workers whatever
the plan's size and the machine's CPUs (0: none), so that every case of the rule catalogue goes through them."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import signal
from pathlib import Path

import pytest

from _cli import feuille
from _plans import EXAMPLES
from catalogue import all_cases, build
from feuille import pipeline
from feuille.io import parallel
from feuille.io.cache import digest
from feuille.views.lint import json_report, sarif, text

CASES = {c.name: c for c in all_cases()}
AS_OF = "2026-07-01"


def _load(plan: Path, workers: str, monkeypatch: pytest.MonkeyPatch, as_of: dt.date) -> pipeline.Loaded:
    monkeypatch.setenv("FEUILLE_WORKERS", workers)
    return pipeline.load_path(plan, as_of, options=pipeline.LoadOptions(use_cache=False, locate=True))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_of_the_catalogue_reads_the_same_with_workers(name, tmp_path, monkeypatch):
    case = CASES[name]
    plan = build(tmp_path / "plan", case.bad)
    one = _load(plan, "0", monkeypatch, case.as_of)
    two = _load(plan, "2", monkeypatch, case.as_of)
    assert one.parsed_ahead == 0
    assert two.parsed_ahead > 0  # the workers' results were used (at least plan.yaml's)
    assert two.parsed == one.parsed
    for render in (json_report, sarif, text):
        for lang in ("fr", "en"):
            assert render([two], lang, AS_OF) == render([one], lang, AS_OF)
    assert [(x.file, x.code, x.kind, x.ids, x.actions, x.budget) for x in two.left_out] == \
           [(x.file, x.code, x.kind, x.ids, x.actions, x.budget) for x in one.left_out]


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    """Every bad and good example of the catalogue side by side, plus the bundled plans: a region of 150 plans."""
    top = tmp_path_factory.mktemp("region")
    for name, case in CASES.items():
        build(top / f"{name}-bad", case.bad)
        build(top / f"{name}-good", case.good)
    for plan in EXAMPLES.iterdir():
        if (plan / "plan.yaml").exists():
            build(top / plan.name, {})
            for f in plan.rglob("*"):
                if f.is_file():
                    target = top / plan.name / f.relative_to(plan)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(f.read_bytes())
    return top


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_a_region_lints_the_same_with_workers(region, fmt, tmp_path):
    runs = [feuille("lint", str(region), "--format", fmt, "--as-of", AS_OF, "--wide",
                    env={"FEUILLE_WORKERS": workers, "FEUILLE_CACHE_DIR": str(tmp_path / f"cache-{workers}")}) for workers in ("0", "2")]
    assert runs[0].returncode == runs[1].returncode == 1
    assert runs[1].stdout == runs[0].stdout
    assert runs[1].stderr == runs[0].stderr
    assert runs[0].stdout.count("F1") > 10  # syntax and file findings among them, read by the workers


def test_a_region_warm_then_cold_again_reads_the_same(region, tmp_path, monkeypatch):
    """A second run takes the plans from their caches (nothing parsed ahead); with one plan's cache gone, only that
    plan's files are parsed ahead, the others coming from their caches, and the report is the same."""
    env = {"FEUILLE_WORKERS": "2", "FEUILLE_CACHE_DIR": str(tmp_path / "cache"), "FEUILLE_RESULT_CACHE": "off"}
    first = feuille("lint", str(region), "--format", "json", "--as-of", AS_OF, env=env)
    again = feuille("lint", str(region), "--format", "json", "--as-of", AS_OF, env=env)
    assert again.stdout == first.stdout
    monkeypatch.setenv("FEUILLE_WORKERS", "2")
    options = pipeline.LoadOptions(cache_dir=tmp_path / "cache")
    roots = sorted(p for p in region.iterdir() if p.is_dir())
    assert pipeline.prefetch_plans(roots, options) is None  # every plan has its cache: nothing to parse ahead
    cache = pipeline.FileCache.file_for(roots[3], tmp_path / "cache")
    assert cache is not None and cache.exists()
    cache.unlink()
    prefetch = pipeline.prefetch_plans(roots, options)
    assert prefetch is not None
    try:
        assert prefetch.index and all(Path(p).is_relative_to(roots[3]) for p in prefetch.index)
    finally:
        prefetch.close()
    third = feuille("lint", str(region), "--format", "json", "--as-of", AS_OF, env=env)
    assert third.stdout == first.stdout


def test_a_file_changed_after_a_worker_read_it_is_parsed_again(tmp_path):
    """The loader takes a worker's result only for the very bytes it read itself (same digest) and the same role."""
    files = []
    for name in ("a", "b", "c"):
        f = tmp_path / f"{name}.yaml"
        f.write_text(f"id: {name}\ntitle: Titre\n", encoding="utf-8")
        files.append(f)
    prefetch = pipeline.Prefetch([(str(f), "objective") for f in files], 2)
    try:
        a, b, c = files
        assert prefetch.take(str(a), "objective", digest(b"id: a\ntitle: Autre\n")) is None  # the file changed since
        assert prefetch.take(str(b), "action", digest(b.read_bytes())) is None  # read as another role
        found = prefetch.take(str(c), "objective", digest(c.read_bytes()))
        assert found is not None and found[1] is None and found[2] == []
        assert marshal.loads(found[3]) == [0, {"id": "c", "title": "Titre"}]
        assert prefetch.take(str(c), "objective", digest(c.read_bytes())) is None  # once
        assert prefetch.taken == 1
    finally:
        prefetch.close()


def _double(x: int) -> int:
    if x == 3:
        raise ValueError(x)
    if x == 6:
        return object()  # type: ignore[return-value]  # what marshal cannot write
    return x * 2


def test_fork_map_returns_each_result_in_order_and_none_where_a_worker_failed():
    with parallel.ForkMap(_double, list(range(10)), 3) as pool:
        got = [pool.get(i) for i in (0, 2, 1, 3, 4, 5, 7, 8, 9)]
        assert pool.get(6) is None and pool.get(2) is None  # 6 could not be written; 2 was given already
    assert got == [0, 4, 2, None, 8, 10, 14, 16, 18]  # 1, asked for after 2, was read ahead and kept


def _large(x: int) -> bytes:
    return bytes([x]) * (3 * parallel.PIPE_BYTES + x)


def test_fork_map_results_larger_than_the_pipe_come_whole():
    with parallel.ForkMap(_large, list(range(6)), 2) as pool:
        got = [pool.get(i) for i in (1, 0, 3, 2, 5, 4)]
    assert got == [_large(i) for i in (1, 0, 3, 2, 5, 4)]


def _dies_at_four(x: int) -> int:
    if x == 4:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_fork_map_a_worker_that_dies_leaves_its_items_to_the_caller():
    with parallel.ForkMap(_dies_at_four, list(range(8)), 2) as pool:
        got = [pool.get(i) for i in range(8)]
    assert got == [0, 1, 2, 3, None, 5, None, 7]  # worker 0 had 0, 2, 4, 6: killed at 4


def test_workers_only_where_they_pay(monkeypatch):
    monkeypatch.delenv("FEUILLE_WORKERS", raising=False)
    monkeypatch.setattr(parallel, "others_running", lambda: 0)
    assert parallel.usable_workers(parallel.MIN_BYTES - 1, 100) == 0  # a small plan: one process
    assert parallel.usable_workers(parallel.MIN_BYTES, 1) == 0  # one file
    cpus = len(os.sched_getaffinity(0))
    assert parallel.usable_workers(parallel.MIN_BYTES, 100) == (min(cpus, parallel.MAX_WORKERS) if cpus > 1 else 0)
    monkeypatch.setattr(parallel, "others_running", lambda: cpus - 1)  # a busy machine: one CPU free at most
    assert parallel.usable_workers(parallel.MIN_BYTES, 100) == 0
    monkeypatch.setenv("FEUILLE_WORKERS", "1")
    assert parallel.usable_workers(1 << 40, 100) == 0
    monkeypatch.setenv("FEUILLE_WORKERS", "3")
    assert parallel.usable_workers(10, 2) == 2
    monkeypatch.setenv("FEUILLE_WORKERS", "lots")
    assert parallel.usable_workers(10, 2) == 0


@pytest.mark.parametrize(("loadavg", "others"), [(b"0.50 0.40 0.30 3/250 1234\n", 2), (b"2.00 1.00 1.00 1/250 1234\n", 0),
                                                 (b"garbled\n", 0), (None, 0)])
def test_others_running_is_read_from_the_machine(loadavg, others, monkeypatch, tmp_path):
    """The 4th field of /proc/loadavg counts the processes running or ready to run now, this one included."""
    fake = tmp_path / "loadavg"
    if loadavg is not None:
        fake.write_bytes(loadavg)
    real_open = open
    monkeypatch.setattr(parallel, "open", lambda path, *a, **k: real_open(fake if path == "/proc/loadavg" else path, *a, **k), raising=False)
    assert parallel.others_running() == others
