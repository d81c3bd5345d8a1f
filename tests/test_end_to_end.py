"""The installed ``feuille`` command, as a real process: a few runs through ``feuille.cli.main``.

The other CLI tests call the app in-process (tests/_cli.py); these check what only a
process shows: the entry point, exit codes through ``os._exit``, real pipes, the console
encoding, and the guard that turns an internal error into a message.
"""

from __future__ import annotations

import os
from pathlib import Path

from _cli import feuille_process as feuille
from catalogue import build

EXAMPLES = Path(__file__).parent.parent / "plans"
LL = str(EXAMPLES / "la-louviere")
SNAPSHOTS = Path(__file__).parent / "snapshots"


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def test_help_lists_the_commands():
    result = feuille("--help")
    assert result.returncode == 0, result.stderr
    for command in ("lint", "status", "prioritise", "render", "report", "show", "schema", "init"):
        assert command in result.stdout


def test_lint_clean_plan_exits_0():
    result = feuille("lint", LL, "--strict", "--as-of", "2026-11-22")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "aucun problème" in result.stdout


def test_a_clean_french_lint_does_not_load_babel():
    """Speed: Babel (~9 ms to import) is loaded at the first number or English date, not for a clean French lint."""
    import subprocess
    import sys

    code = f"import sys; from feuille.cli import main; sys.argv = ['feuille', 'lint', {LL!r}]; main()"
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k != "FEUILLE_LANG"})
    assert "aucun problème" in result.stdout, result.stderr[-2000:]
    assert "feuille.pipeline" in result.stderr  # the import log is there...
    assert [line for line in result.stderr.splitlines() if "babel" in line] == []  # ...without Babel


def test_lint_with_errors_exits_1_without_traceback(tmp_path):
    plan = build(tmp_path / "plan", {"objectives/02.yaml": "id: O2\ntitle: Objectif\nactions:\n  - {id: A2.1, title: a, status: en_cours}\n"})
    result = feuille("lint", str(plan), "--as-of", "2026-07-01")
    no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "F204" in result.stdout


def test_status_of_the_example():
    result = feuille("status", LL, "--as-of", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (SNAPSHOTS / "status_la_louviere_fr.txt").read_text(encoding="utf-8")


def _status_on_a_cp1252_console():
    return feuille("status", LL, "--as-of", "2026-11-22", env={"PYTHONIOENCODING": "cp1252", "FEUILLE_DEBUG": None},
                   encoding="cp1252")


def test_status_on_a_cp1252_console():
    # A Windows console (or PYTHONIOENCODING=cp1252): the command must still work, accents kept.
    result = _status_on_a_cp1252_console()
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "Législature" in result.stdout


def test_an_unexpected_error_is_a_message_not_a_traceback(tmp_path):
    # main()'s guard, in a real process: a bug in the library (simulated) gives a French message and exit 2.
    script = tmp_path / "bug.py"
    script.write_text(
        "import sys\n"
        "import feuille.compute.rollup as rollup\n"
        "def broken(*a, **k):\n"
        "    raise ZeroDivisionError('simulated bug')\n"
        "rollup.compute = broken\n"
        "from feuille.cli import main\n"
        "sys.argv = ['feuille', 'status', sys.argv[1], '--as-of', '2026-11-22']\n"
        "main()\n", encoding="utf-8")
    import subprocess
    import sys as _sys

    env = {k: v for k, v in os.environ.items() if k != "FEUILLE_DEBUG"}
    result = subprocess.run([_sys.executable, str(script), str(LL)], capture_output=True, text=True, env=env, timeout=120)
    no_traceback(result)
    assert result.returncode == 2
    assert "erreur interne" in result.stderr and "FEUILLE_DEBUG=1" in result.stderr


def test_the_installed_command_runs_the_one_command_asked_and_keeps_help_and_errors():
    # main() builds only the command named on the command line (start-up): help and errors stay those of the whole app
    ok = feuille("lint", str(LL), "--as-of", "2026-11-22")
    assert ok.returncode == 0 and "aucun problème" in ok.stdout
    top = feuille("--help")
    assert top.returncode == 0 and "status" in top.stdout and "export" in top.stdout
    typo = feuille("stauts")
    assert typo.returncode == 2 and "Traceback" not in typo.stderr
    bad = feuille("--lang", "en", "lint", "--bad-option")
    assert bad.returncode == 2 and "--bad-option" in bad.stderr
