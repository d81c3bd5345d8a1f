"""Render with worker processes (issue 27): above a size, forked workers each make a fixed share of the pages
(io/sitewrite.py); the site, its manifest and its keys are the very bytes one process writes, a second render keeps
what it kept, a worker that fails has its share made again, and a page's error is the one a single process shows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _sites import AS_OF, files

from _cli import feuille
from feuille.io import parallel, sitewrite


def render(plan: Path, out: Path, monkeypatch, processes: int, *extra: str):
    monkeypatch.setenv("FEUILLE_WORKERS", str(processes))
    return feuille("render", str(plan), "--out", str(out), "--as-of", AS_OF, "--no-trend", *extra)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_workers_write_the_site_one_process_writes_and_keep_it_on_the_next_render(plan, tmp_path, monkeypatch, fmt):
    one, many = tmp_path / "one", tmp_path / "many"
    assert render(plan, one, monkeypatch, 1, "--format", fmt).returncode == 0
    first = render(plan, many, monkeypatch, 3, "--format", fmt)
    assert first.returncode == 0, first.stderr
    a, b = files(one), files(many)
    assert len(a) > 50 and sorted(a) == sorted(b)
    assert [rel for rel in a if a[rel] != b[rel]] == []  # pages, manifest and keys alike
    inode = (many / "actions" / f"A2.1.{fmt}").stat().st_ino
    again = render(plan, many, monkeypatch, 2, "--format", fmt)
    pages = len(a) - 2  # (the manifest and the keys)
    assert f"{pages} inchangés depuis le dernier rendu" in again.stdout
    assert (many / "actions" / f"A2.1.{fmt}").stat().st_ino == inode  # kept by a worker or by the parent: the very file
    assert files(many) == a


def test_a_worker_that_fails_has_its_share_made_again(plan, tmp_path, monkeypatch):
    one, many = tmp_path / "one", tmp_path / "many"
    assert render(plan, one, monkeypatch, 1).returncode == 0
    parent = os.getpid()
    real = sitewrite._Made.make

    def dying(self, indices):
        indices = list(indices)
        if os.getpid() != parent:  # a worker: writes one page, then dies without an answer
            real(self, indices[:1])
            os._exit(3)
        return real(self, indices)

    monkeypatch.setattr(sitewrite._Made, "make", dying)
    run = render(plan, many, monkeypatch, 3)
    assert run.returncode == 0, run.stderr
    assert files(many) == files(one)


def test_an_error_in_a_page_is_the_one_process_error_and_leaves_the_site_as_it_was(plan, tmp_path, monkeypatch):
    out = tmp_path / "site"
    assert render(plan, out, monkeypatch, 1).returncode == 0
    before = files(out)
    (plan / "templates" / "html").mkdir(parents=True)  # a plan's template that fails on one action's page only
    (plan / "templates" / "html" / "action.html").write_text(
        '{% extends "default:html/action.html" %}{% block main %}{% if action.action.id == "A3.2" %}{{ nothing.here }}'
        "{% endif %}{{ super() }}{% endblock %}", encoding="utf-8")
    runs = [render(plan, out, monkeypatch, n) for n in (1, 3)]
    assert [r.returncode for r in runs] == [2, 2]
    assert "action.html" in runs[0].stderr and runs[0].stderr == runs[1].stderr
    assert files(out) == before
    assert [p.name for p in tmp_path.iterdir() if ".feuille-" in p.name] == []  # no new folder left behind
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no worker left running or unreaped


def test_how_many_processes(monkeypatch):
    monkeypatch.delenv("FEUILLE_WORKERS", raising=False)
    assert sitewrite._processes(sitewrite.POOL_PAGES - 1) == 1  # a small site: forking costs more than it saves
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5, 6, 7})
    monkeypatch.setattr(parallel, "others_running", lambda: 0)
    monkeypatch.setattr(sitewrite, "_rss", lambda: 100 * 1024 * 1024)
    assert sitewrite._processes(10_000) == 4  # a core each, 4 at most, as many as fit in POOL_MEMORY
    monkeypatch.setattr(sitewrite, "_rss", lambda: 300 * 1024 * 1024)
    assert sitewrite._processes(10_000) == 1  # a large plan: two such processes would not fit, one process
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    monkeypatch.setattr(sitewrite, "_rss", lambda: 10 * 1024 * 1024)
    assert sitewrite._processes(10_000) == 1  # one usable core
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(parallel, "others_running", lambda: 3)
    assert sitewrite._processes(10_000) == 1  # four cores, three of them busy with other work: one process
    monkeypatch.setattr(parallel, "others_running", lambda: 1)
    assert sitewrite._processes(10_000) == 3
    monkeypatch.setenv("FEUILLE_WORKERS", "1")
    assert sitewrite._processes(10_000) == 1
    monkeypatch.setenv("FEUILLE_WORKERS", "3")
    assert sitewrite._processes(10) == 3  # asked for: used whatever the size


def test_the_rows_workers_made_are_kept_for_the_next_render(plan, tmp_path, monkeypatch):
    import marshal

    from feuille.io.rows import MAGIC, RowStore

    def kept(out: Path) -> dict[str, str]:
        raw = RowStore(Path(os.environ["FEUILLE_CACHE_DIR"]), out, "md")._path.read_bytes()  # (Markdown's rows: HTML's are not kept)
        assert raw[:len(MAGIC)] == MAGIC
        return marshal.loads(raw[len(MAGIC) + 16:])

    one, many = tmp_path / "one", tmp_path / "many"
    assert render(plan, one, monkeypatch, 1, "--format", "md").returncode == 0
    assert render(plan, many, monkeypatch, 3, "--format", "md").returncode == 0
    rows = kept(many)
    assert len(rows) > 20 and sorted(rows.values()) == sorted(kept(one).values())  # the workers' rows too, not the main process's alone


def test_a_long_listing_page_is_written_in_pieces_as_it_is_made(plan, tmp_path, monkeypatch):
    """A page listing every action is never held whole (a plan of 50,000 actions: tens of megabytes): its rows are made
    a batch at a time and written as they come; the bytes are those of the page made at once."""
    from feuille.views import site as site_module

    whole = tmp_path / "whole"
    assert render(plan, whole, monkeypatch, 1, "--no-cache").returncode == 0
    monkeypatch.setattr(site_module, "_ROWS_AT_ONCE", 2)
    monkeypatch.setattr(sitewrite, "_WRITE_AT_ONCE", 2048)
    written: list[int] = []
    real = sitewrite._write_all
    monkeypatch.setattr(sitewrite, "_write_all", lambda fd, data, hasher: written.append(len(data)) or real(fd, data, hasher))
    pieces = tmp_path / "pieces"
    assert render(plan, pieces, monkeypatch, 1, "--no-cache").returncode == 0
    assert files(pieces) == files(whole)
    largest = max(p.stat().st_size for p in pieces.rglob("*.html"))
    assert largest > 20_000 and max(written) < largest // 2  # the largest page went out in pieces (of about 2 KB, a macro's whole output)
