"""A render into the folder of a previous one when nothing the site is made from has changed (app/report.py, issue 27):
no publishing, no keys worked out; each page's key is the one the last render recorded, and the folder written is the
one a full render writes.  Any change (a file of the plan, the date, the language, the audience, a page touched by hand,
the record of another state of the folder) and the site is worked out as usual.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from _sites import files, render, same_as_full

from feuille.app import report
from feuille.io import results


@pytest.fixture
def published(monkeypatch):
    """How many times the plan was published (the site worked out); the clock 10 s ahead for the files' state, so
    that the files the test just wrote are out of the racy window (io/results.py)."""
    real = time.time_ns
    monkeypatch.setattr(results.time, "time_ns", lambda: real() + 10_000_000_000)
    calls = []
    publish = report.publish

    def counting(*args, **kw):
        calls.append(1)
        return publish(*args, **kw)

    monkeypatch.setattr(report, "publish", counting)
    return calls


def test_nothing_changed_nothing_worked_out_and_the_same_folder(plan, tmp_path, published):
    out = tmp_path / "site"
    first = render(plan, out)
    assert len(published) == 1
    before = files(out)
    inode = (out / "actions" / "A2.1.html").stat().st_ino
    again = render(plan, out)
    assert len(published) == 1  # not published again
    pages = len([p for p in before if p not in (".feuille-site", ".feuille-pages")])
    assert f"{pages} fichiers écrits" in again.stdout and f"{pages} inchangés depuis le dernier rendu" in again.stdout
    assert again.stdout.split("(")[-1] == first.stdout.split("(")[-1]  # what was withheld, said as the first time
    assert files(out) == before and (out / "actions" / "A2.1.html").stat().st_ino == inode
    same_as_full(plan, out, tmp_path)


def retitle(plan: Path) -> None:
    target = plan / "objectives" / "02-securite.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace(
        "title: Étendre le réseau de caméras de surveillance", "title: Étendre le réseau de caméras mobiles de surveillance", 1), encoding="utf-8")


def internal(plan: Path) -> None:
    people = plan / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "    last_name: Sabbatini\n", "    last_name: Sabbatini\n    visibility: internal\n", 1), encoding="utf-8")


@pytest.mark.parametrize("change", ["title", "person made internal", "date", "language", "audience", "no cache"])
def test_any_change_works_the_site_out_again(plan, tmp_path, published, change):
    out = tmp_path / "site"
    render(plan, out)
    render(plan, out)
    assert len(published) == 1
    extra: tuple[str, ...] = ()
    if change == "title":
        retitle(plan)
    elif change == "person made internal":
        internal(plan)
    elif change == "date":
        extra = ("--as-of", "2026-12-31")
    elif change == "language":
        extra = ("--lang", "en")
    elif change == "audience":
        extra = ("--audience", "council")
    else:
        extra = ("--no-cache",)
    render(plan, out, *extra)
    assert len(published) == 2
    if change == "person made internal":
        assert [rel for rel, data in files(out).items() if b"Sabbatini" in data or b"asabbatini" in data] == []
    if change == "date":
        full = tmp_path / "full"
        render(plan, full, *extra, "--no-cache")
        assert files(out) == files(full)
    else:
        same_as_full(plan, out, tmp_path, *extra)


@pytest.mark.parametrize("touch", ["deleted", "edited"])
def test_a_page_deleted_or_edited_by_hand_is_made_again(plan, tmp_path, published, touch):
    out = tmp_path / "site"
    render(plan, out)
    page = out / "objectives" / "O1.html"
    original = page.read_bytes()
    if touch == "deleted":
        page.unlink()
    else:
        page.write_bytes(original.replace(b"</h1>", b" (by hand)</h1>", 1))
    render(plan, out)
    assert page.read_bytes() == original and len(published) == 2  # made: the plan published for it
    same_as_full(plan, out, tmp_path)


def test_the_record_of_another_state_of_the_folder_is_not_trusted(plan, tmp_path, published):
    out = tmp_path / "site"
    render(plan, out)
    kept = Path(os.environ["FEUILLE_CACHE_DIR"]) / "sites"
    [record] = list(kept.iterdir())
    saved = record.read_bytes()
    render(plan, out, "--as-of", "2026-12-31")  # another site in the folder; then the first render's record put back
    record.write_bytes(saved)
    render(plan, out)
    assert len(published) == 3
    same_as_full(plan, out, tmp_path)
    before = len(published)
    render(plan, out)
    assert len(published) == before  # the record of this state, written by the last render: used
    [record] = list(kept.iterdir())
    record.write_bytes(record.read_bytes()[:-3] + b"xyz")  # a damaged record: no seal, not used
    render(plan, out)
    assert len(published) == before + 1
    same_as_full(plan, out, tmp_path)


def test_no_record_for_a_plan_with_its_own_templates_nor_while_a_file_is_young(plan, tmp_path, monkeypatch):
    calls = []
    publish = report.publish
    monkeypatch.setattr(report, "publish", lambda *a, **kw: calls.append(1) or publish(*a, **kw))
    out = tmp_path / "site"
    render(plan, out)
    render(plan, out)  # the files were copied a moment ago: their state cannot be told, the site is worked out
    assert len(calls) == 2
    real = time.time_ns
    monkeypatch.setattr(results.time, "time_ns", lambda: real() + 10_000_000_000)
    (plan / "templates" / "html").mkdir(parents=True)
    (plan / "templates" / "html" / "action.html").write_text('{% extends "default:html/action.html" %}', encoding="utf-8")
    render(plan, out)
    render(plan, out)
    assert len(calls) == 4
    same_as_full(plan, out, tmp_path)


def test_a_file_changed_after_the_command_started_is_never_trusted(plan):
    import datetime as dt

    from feuille.app.history import Purpose
    from feuille.app.plans import read_plans
    from feuille.core.model import Audience
    from feuille.core.run import Run

    run = Run.of(os.environ)
    day = dt.date(2026, 11, 22)
    [reading] = read_plans(run, plan, command="render", many=False, as_of=day, purpose=Purpose.SHOW)
    found = report.history(run, reading.loaded, day, trend=False)

    def inputs(started_ns):
        return report._inputs(run, reading.loaded, "html", None, Audience.public, (), day, "fr", found, started_ns)

    later = time.time_ns() + 10_000_000_000  # the files copied 10 s before the command started: trusted
    first = inputs(later)
    assert first is not None and inputs(later) == first
    assert inputs(None) is None
    assert inputs(time.time_ns() - 10_000_000_000) is None  # started before the files were last changed: never trusted
    retitle(plan)
    assert inputs(time.time_ns() + 10_000_000_000) not in (None, first)  # another state of the plan
