"""The history use cases without the command line (issue 21, item 1): the plan at a moment, decided in one
place from what a command does with it (:func:`feuille.app.history.moment`), its trend, two versions to compare."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feuille import pipeline
from feuille.app import diff as versions
from feuille.app import history
from feuille.app.history import AtRev, OnDay, Purpose, Today, YearEnd, moment
from feuille.app.trend import trend_of
from feuille.core.errors import UserError
from feuille.core.run import Run

PLANS = Path(__file__).parent.parent / "plans"
TODAY = dt.date(2026, 11, 30)
PAST = dt.date(2026, 3, 1)


def git(cwd: Path, *args: str, date: str | None = None) -> str:
    env = {"GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date} if date else {}
    import os

    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@x", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, **env}).stdout


@pytest.mark.parametrize(("purpose", "as_of", "rev", "annual", "expected"), [
    (Purpose.SHOW, PAST, None, None, OnDay(PAST)),  # status --as-of a past day: the plan as committed then
    (Purpose.SHOW, TODAY, None, None, Today()),
    (Purpose.SHOW, dt.date(2027, 1, 1), None, None, Today()),  # a future reference date: today's files
    (Purpose.CHECK, PAST, None, None, Today()),  # lint, export, a write: the files as they are, whatever the date
    (Purpose.SHOW, PAST, "v1", None, AtRev("v1")),  # --rev wins
    (Purpose.CHECK, PAST, "v1", None, AtRev("v1")),
    (Purpose.SHOW, TODAY, None, 2025, YearEnd(2025)),  # report annual --year 2025
    (Purpose.SHOW, TODAY, None, 2026, Today()),  # the year is not over
])
def test_what_a_date_means_is_decided_in_one_place(purpose, as_of, rev, annual, expected):
    assert moment(purpose, as_of, TODAY, rev=rev, annual=annual) == expected


def _options() -> pipeline.LoadOptions:
    return pipeline.LoadOptions(use_cache=False)


def test_a_past_day_outside_git_is_read_as_today_and_said(plan):
    run = Run(today=TODAY)
    r = history.read(run, plan, OnDay(PAST), PAST, _options())
    assert r.loaded.plan.revision is None
    [said] = r.notes
    assert said("en") == f"the plan '{plan}' is not in a git repository: no history, it is read as it is today (the figures are as of 2026-03-01)."
    quiet = history.read(Run(today=TODAY, history=False), plan, OnDay(PAST), PAST, _options())  # FEUILLE_HISTORY=off asks for exactly that
    assert quiet.notes == []


def test_a_past_day_in_git_reads_the_commit_of_that_day(plan):
    git(plan, "init", "-q")
    git(plan, "add", ".")
    git(plan, "commit", "-qm", "début", date="2026-02-15T10:00:00+01:00")
    o4 = plan / "objectives" / "04-logement.yaml"
    o4.write_text(o4.read_text().replace("progress: 30", "progress: 90", 1))
    git(plan, "commit", "-qam", "plus tard", date="2026-04-15T10:00:00+02:00")
    r = history.read(Run(today=TODAY), plan, OnDay(PAST), PAST, _options())
    a42 = r.loaded.plan.action_index()["A4.2"][0]
    assert a42.progress == 30 and r.loaded.plan.revision["kind"] == "as_of"
    assert r.notes[0]("en").startswith("history: the plan as committed at the end of 2026-03-01, commit ")


def test_the_trend_of_a_plan_without_history_comes_from_its_dated_data(plan):
    loaded = pipeline.load_path(plan, TODAY, options=_options())
    result = trend_of(Run(today=TODAY), loaded, dt.date(2026, 1, 1), "quarter", TODAY)
    assert result.source == "plan" and result.commits == 0 and result.points[-1].day == TODAY


def test_two_folders_are_compared_without_git(plan, tmp_path):
    other = tmp_path / "before"
    shutil.copytree(plan, other)
    o4 = plan / "objectives" / "04-logement.yaml"
    o4.write_text(o4.read_text().replace("progress: 30", "progress: 90", 1))
    compared = versions.folders(Run(today=TODAY), plan, other)
    from feuille.compute.diff import diff

    changes = diff(compared.old.plan, compared.new.plan)
    assert compared.a.kind == compared.b.kind == "folder"
    assert [(c.item, c.kind) for c in changes.changes] == [("A4.2", "progress")]


def test_revisions_refuse_what_does_not_go_together(plan):
    git(plan, "init", "-q")
    git(plan, "add", ".")
    git(plan, "commit", "-qm", "début")
    with pytest.raises(UserError) as exc:
        versions.revisions(Run(today=TODAY), plan, None, None, PAST, since_validation=True)
    assert exc.value.code == "usage" and exc.value.text("en") == "--since and --since-validation exclude each other: choose one."
    with pytest.raises(UserError) as exc:
        versions.revisions(Run(today=TODAY), plan, None, None, since_validation=True)
    assert exc.value.text("en") == "no validation is recorded in this repository."


def test_outside_git_the_error_says_what_to_do_for_the_command(plan):
    with pytest.raises(UserError) as exc:
        versions.open_repo(plan)
    assert exc.value.hint_text("en") == "To compare two folders outside git: feuille diff --plan NEW --against OLD."


def test_the_use_cases_run_without_the_command_line():
    code = "import sys, feuille.app.history, feuille.app.trend, feuille.app.diff; print(sorted(m for m in ('typer', 'click', 'feuille.cli') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
