"""Whole answers of status and lint kept and replayed (io/results.py, app/quick.py, cli/quick.py): byte for byte, never stale."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from _cli import FEUILLE_COMMAND, feuille, feuille_process
from feuille import pipeline
from feuille.app import quick
from feuille.io import results

EXAMPLE = Path(__file__).resolve().parent.parent / "plans" / "la-louviere"


@pytest.fixture
def later(monkeypatch):
    """The results' clock 10 s ahead: files the test just wrote are out of the racy window."""
    real = time.time_ns
    monkeypatch.setattr(results.time, "time_ns", lambda: real() + 10_000_000_000)


def kept(cache: Path) -> list[Path]:
    folder = cache / "results"
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def cache_dir() -> Path:
    return Path(os.environ["FEUILLE_CACHE_DIR"])


def test_the_fast_parser_knows_exactly_the_commands_options():
    """Both doors build one key: the options read before typer are the typer command's, with its defaults."""
    import typer.main

    from feuille.cli import app

    group = typer.main.get_command(app)
    for command, spec in quick.SPECS.items():
        params = group.commands[command].params  # type: ignore[attr-defined]
        options = {opt: (p.name, p.is_flag) for p in params for opt in p.opts if opt.startswith("-")}
        assert {opt: (name, kind == "flag") for opt, (name, kind) in spec.items()} == options
        assert {p.name: p.default for p in params} == {k: v for k, v in quick.DEFAULTS[command].items()}
        assert [p.name for p in params if not any(o.startswith("-") for o in p.opts)] == [quick.POSITIONAL[command][0]]
    for value in ("fr", "EN", "en-GB", "fr_BE.UTF-8", "de", "xx-YY"):
        from feuille.cli._app import lang_value

        assert quick.lang_code(value) == lang_value(value)


@pytest.mark.parametrize("args", [
    ["status", "--help"], ["status", "--owne", "x"], ["status", "-fjson"], ["status", "--late=yes"], ["status", "--format"],
    ["status", "--depth", "two"], ["status", "--format", "json", "--format", "text"], ["lint", "a", "b"], ["show", "A1"],
    ["--version"], ["--lang"], [],
])
def test_anything_unusual_goes_to_the_full_command(args):
    assert quick.parse(args) is None


def test_the_plain_ways_are_read():
    command, top, params = quick.parse(["--lang", "en-GB", "status", "plans/x/", "--format=json", "--late", "--depth", "2", "-f", "csv"][:-2])
    assert (command, top) == ("status", "en")
    assert params["paths"] == ["plans/x"] and params["fmt"] == "json" and params["late"] is True and params["depth"] == 2


def test_status_answer_is_replayed_byte_for_byte_and_never_stale(plan, later):
    first = feuille("status", str(plan), "--as-of", "2026-06-30")
    assert first.returncode == 0 and len(kept(cache_dir())) == 1
    again = feuille("status", str(plan), "--as-of", "2026-06-30")
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert len(kept(cache_dir())) == 1  # replayed, not kept twice
    # an edit is seen (a new key), even one that keeps the size: the stat's times and ctime change
    target = plan / "objectives" / "02-securite.yaml"
    text = target.read_text(encoding="utf-8")
    assert "title: Renforcer la sécurité" in text
    target.write_text(text.replace("title: Renforcer la sécurité", "title: Renforcer la tranquillité", 1), encoding="utf-8")
    edited = feuille("status", str(plan), "--as-of", "2026-06-30")
    assert edited.stdout != first.stdout and "tranquillité" in edited.stdout
    fresh = feuille("status", str(plan), "--as-of", "2026-06-30", env={"FEUILLE_RESULT_CACHE": "off"})
    assert (edited.returncode, edited.stdout, edited.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)


def test_every_option_language_width_and_date_is_in_the_key(plan, later):
    runs = [("status", str(plan), "--as-of", "2026-06-30"), ("status", str(plan), "--as-of", "2026-07-01"),
            ("status", str(plan), "--as-of", "2026-06-30", "--lang", "en"), ("status", str(plan), "--as-of", "2026-06-30", "--format", "json"),
            ("status", str(plan), "--as-of", "2026-06-30", "--owner", "asabbatini"), ("lint", str(plan), "--as-of", "2026-06-30")]
    outs = [feuille(*args).stdout for args in runs]
    outs.append(feuille(*runs[0], env={"COLUMNS": "60"}).stdout)
    outs.append(feuille(*runs[0], env={"FEUILLE_LANG": "en"}).stdout)
    assert len(kept(cache_dir())) == len(outs)
    assert outs[0] != outs[1] and outs[0] != outs[2] and outs[0] != outs[7]
    # each replayed as it was made
    for args, out in zip(runs, outs, strict=False):
        assert feuille(*args).stdout == out
    assert feuille(*runs[0], env={"COLUMNS": "60"}).stdout == outs[6]


def test_rule_settings_change_the_answer(plan, later):
    lint = feuille("lint", str(plan), "--as-of", "2026-06-30")
    plan_file = plan / "plan.yaml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8") + "\nrules: {F402: error}\n", encoding="utf-8")
    fresh = feuille("lint", str(plan), "--as-of", "2026-06-30", env={"FEUILLE_RESULT_CACHE": "off"})
    assert feuille("lint", str(plan), "--as-of", "2026-06-30").stdout == fresh.stdout
    assert fresh.stdout != lint.stdout or fresh.returncode != lint.returncode


def test_a_file_too_young_is_never_trusted(plan):
    """Without the clock moved ahead, files copied a moment ago are in the racy window: nothing is kept."""
    assert results.plan_state(plan) is None
    feuille("status", str(plan), "--as-of", "2026-06-30")
    assert kept(cache_dir()) == []


def test_what_reads_history_or_writes_is_never_kept(plan, later, tmp_path):
    feuille("lint", str(plan), "--output", str(tmp_path / "report.txt"))
    feuille("lint", str(plan), "--timings")
    feuille("status", str(plan), "--no-cache")
    feuille("status", str(plan), "--trend")
    assert kept(cache_dir()) == []
    assert feuille("status", str(plan), "--as-of", "nope").returncode == 2  # an error: never kept
    assert kept(cache_dir()) == []


def test_a_past_date_in_git_is_not_kept(plan, later, monkeypatch):
    monkeypatch.delenv("FEUILLE_HISTORY")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "init", "-q", str(plan)], check=True, env=env)
    params = quick.parse(["status", str(plan), "--as-of", "2020-01-01"])
    assert params is not None and quick.key(*params) is None
    params = quick.parse(["status", str(plan)])
    assert params is not None and quick.key(*params) is not None


def test_validation_tags_are_part_of_the_state(plan, later):
    subprocess.run(["git", "init", "-q", str(plan)], check=True)
    before = results.plan_state(plan)
    tags = plan / ".git" / "refs" / "tags" / "feuille-validation"
    tags.mkdir(parents=True)
    (tags / "2026-06-30").write_text("0" * 40 + "\n")
    assert before is not None and results.plan_state(plan) not in (None, before)
    (plan / ".git" / "reftable").mkdir()
    assert results.plan_state(plan) is None  # cannot be read from files alone: nothing kept


def test_an_interrupted_write_is_never_answered_from_the_cache(plan, later):
    assert results.plan_state(plan) is not None
    (plan / pipeline._JOURNAL).write_text("{}")
    assert results.plan_state(plan) is None


def test_a_forged_answer_is_ignored(plan, later):
    feuille("status", str(plan), "--as-of", "2026-06-30")
    [path] = kept(cache_dir())
    raw = path.read_bytes()
    path.write_bytes(raw[:16] + raw[16:].replace(b"Louvi", b"Xouvi"))
    again = feuille("status", str(plan), "--as-of", "2026-06-30")
    assert "Xouvi" not in again.stdout and "Louvi" in again.stdout


def test_the_fast_door_writes_what_the_command_wrote(plan, tmp_path):
    """A real process: the first run keeps its answer, the second is answered before typer is imported, identically."""
    old = time.time() - 60
    for path in [plan, *plan.rglob("*")]:
        os.utime(path, (old, old))
    time.sleep(2.1)  # the copy's ctime out of the racy window
    env = {"FEUILLE_CACHE_DIR": str(tmp_path / "c"), "PYTHONDONTWRITEBYTECODE": None}
    for args in (("status", str(plan), "--as-of", "2026-06-30"), ("lint", str(plan), "--format", "json"),
                 ("--lang", "en", "status", str(plan), "--format", "csv")):
        first = feuille_process(*args, env=env)
        second = feuille_process(*args, env=env)
        assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert len(kept(tmp_path / "c")) == 3
    probe = ("import sys; from feuille.io.console import safe_streams; safe_streams(); from feuille.app import quick; code = quick.answer(sys.argv[1:]); "
             "print('\\n', code, 'typer' in sys.modules, 'pydantic' in sys.modules, file=sys.stderr)")
    import sys

    done = subprocess.run([sys.executable, "-c", probe, "status", str(plan), "--as-of", "2026-06-30"], capture_output=True, text=True,
                          env={**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "FEUILLE_CACHE_DIR": str(tmp_path / "c")})
    assert done.stderr.split()[-3:] == ["0", "False", "False"], done.stderr
    assert FEUILLE_COMMAND
