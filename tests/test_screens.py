"""Every screen fits (issue 25 item 1): each command of the command line's registry (``feuille.cli.COMMANDS``), in
each of its formats (read from the command itself: what it answers to ``--format`` it does not know), at 60, 80
and 120 columns, and with ``COLUMNS`` unset (80), prints no line longer than the width, on stdout or stderr.

Formats for people (``text``, and the messages of a command that writes a file) are wrapped or cut; Markdown,
JSON, CSV and the other formats for machines are never wrapped (their stdout is not measured; a test below
shows a long line kept whole).  ``--wide`` gives every line whole.  A command added to the registry fails
:func:`test_every_command_has_its_runs` until it has its runs below.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from _cli import feuille
from feuille.cli import COMMANDS, app

EXAMPLE = Path(__file__).resolve().parent.parent / "plans" / "la-louviere"
WIDTHS = (60, 80, 120, None)  # None: COLUMNS unset, nothing says how wide (80)
AS_OF = "2026-11-22"


def width_of(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 0 if unicodedata.combining(c) else 1 for c in line)


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Marie Dupont", "-c", "user.email=marie@lalouviere.be", "-c", "commit.gpgsign=false",
                    "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main", *args], check=True, capture_output=True, env=env)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN = [  # what a clerk gets wrong in an action file: a status typed in French, a negative amount, a key misspelt
    ("status: ongoing", "status: en cour"),
    ("  - {amount: 12000, year: 2026, source: fonds propres, service: ordinary,", "  - {amount: -12000, year: 2026, source: fonds propres, service: ordinaire,"),
    ("planned_start: 2025-01-06", "planned_start: 2025-01-06\nplaned_end: 2025-12-31"),
]


def broken_plan(folder: Path) -> Path:
    """A copy of the example plan with a broken action file (A1.1)."""
    shutil.copytree(EXAMPLE, folder)
    for old, new in BROKEN:
        _edit(folder / "objectives" / "01-cadre-de-vie" / "A1.1-cadastre-lieux.yaml", old, new)
    return folder


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """A repository with the example plan and three dated commits (a progress, a slipped deadline with its reason),
    a broken copy of the plan, an eComptes file and a spreadsheet exported from it."""
    root = tmp_path_factory.mktemp("screens")
    repo = root / "depot"
    repo.mkdir()
    shutil.copytree(EXAMPLE, repo / "plan")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Plan initial", when="2025-02-10T10:00:00+01:00")
    sec = repo / "plan" / "objectives" / "02-securite.yaml"
    _edit(sec, "planned_end: 2027-12-31\n    actual_start: 2025-05-12\n    status: ongoing\n    progress: 40",
          "planned_end: 2028-04-02\n    actual_start: 2025-05-12\n    status: ongoing\n    progress: 60")
    _git(repo, "commit", "-qam", "Mise à jour de juin", when="2025-06-15T14:00:00+02:00")
    _edit(sec, "progress: 60", "progress: 70")
    _git(repo, "commit", "-qam", "Saisie de décembre", when="2025-12-20T10:00:00+01:00")
    broken_plan(root / "broken")
    env = {"FEUILLE_HISTORY": None}
    assert feuille("export", str(repo / "plan"), "-f", "ecomptes", "-o", str(root / "pst.xml"), "--as-of", AS_OF, env=env).returncode == 0
    assert feuille("export", str(repo / "plan"), "-f", "xlsx", "-o", str(root / "tableau.xlsx"), "--as-of", AS_OF, env=env).returncode == 0
    return root


# How each command of the registry is run (cwd: the plan's folder, so that paths read as a clerk sees them).
# "{broken}", "{root}", "{out}" are filled in; a run may give the standard input.
RUNS: dict[str, list[tuple[list[str], str | None]]] = {
    "lint": [(["lint", "."], None), (["lint", "{broken}"], None)],
    "status": [(["status", "."], None), (["status", ".", "--trend"], None), (["status", ".", "--as-of", "2025-07-01"], None),
               (["status", ".", "--as-of", "2024-12-31"], None)],
    "show": [(["show", "A1.1"], None), (["show", "O2"], None), (["show", "A2.1", "--as-of", "2025-07-01"], None), (["show", "A9.9"], None)],
    "update": [(["update", "A1.1", "--progress", "70", "--dry-run"], None),
               (["update", "A2.1", "--planned-end", "2028-12-31", "--reason", "le marché public a été relancé", "--dry-run"], None),
               (["update", "A1.1", "--status", "fini"], None), (["update", "A1.1"], "q\n")],
    "new": [(["new", "action", "--in", "O1", "--title", "Installer des bancs et des poubelles de tri dans les parcs du centre-ville",
              "--dry-run"], None)],
    "review": [(["review", "--owner", "asabbatini", "--non-interactive"], None), (["review", "--owner", "asabbatini"], "\n\n\n\n\n\n\n\n\n\nn\nn\n")],
    "prioritise": [(["prioritise", "."], None), (["prioritise", ".", "--explain", "A1.1"], None), (["prioritise", ".", "--mark-priority", "3", "--dry-run"], None)],
    "render": [(["render", ".", "-o", "{out}/site"], None)],
    "report": [(["report", "annual", "--year", "2025", "-o", "{out}/rapport"], None)],
    "diff": [(["diff", "--since", "2025-03-01"], None), (["diff", "--since", "2025-01-01"], None)],
    "log": [(["log", "A2.1"], None), (["log", "A2.9"], None)],
    "validate": [(["validate", "--by", "Collège communal, séance du 20 décembre 2025 (point 12 de l'ordre du jour)"], None)],
    "export": [(["export", ".", "-o", "{out}/export"], None), (["export", ".", "-f", "xlsx", "--split-by", "service", "-o", "{out}/classeurs"], None)],
    "import": [(["import", "{root}/pst-ville.xml", "{root}/pst-cpas.xml", "{out}/nouveau plan importé"], None),
               (["import", "{root}/tableau.xlsx", ".", "--dry-run"], None)],
    "schema": [(["schema", "--out", "{out}/schemas"], None), (["schema", "--check", "--out", "{out}"], None)],
    "init": [(["init", "{out}/mon plan 2025"], None)],
    "measure": [(["measure", "demarches-en-ligne", "62,5", "--date", "2026-09-30", "--note", "comptage du service informatique, hors formulaires papier",
                  "--dry-run"], None), (["measure", "inconnu", "5", "--dry-run"], None)],
}
# A format written into a file or a folder: where (-o) and with which other options.
FILES = {"render": ["-o", "{out}/site"], "report": ["-o", "{out}/rapport"], "export": ["-o", "{out}/export"]}


def test_every_command_has_its_runs():
    assert set(RUNS) == set(COMMANDS), "a command of feuille.cli.COMMANDS without its runs in tests/test_screens.py (or the reverse)"


def formats_of(command: str) -> list[str]:
    """The formats of ``command``, as it lists them when refusing one it does not know (none: it has no --format)."""
    from typer.main import get_command

    group = get_command(app)
    cmd = group.commands[command]
    if not any("--format" in getattr(p, "opts", ()) for p in cmd.params):
        return []
    args = [*RUNS[command][0][0], "--format", "nope"]
    result = feuille(*args, cwd=EXAMPLE)
    found = re.search(r"Formats possibles : (.+?)\.\s*$", result.stderr, re.M)
    assert result.returncode == 2 and found, f"feuille {command} --format nope should list its formats:\n{result.stderr}"
    return [f.strip() for f in found.group(1).split(",")]


SCREEN = ("text",)  # the formats read on a screen; every other is a document or data


def invocations() -> list[tuple[str, str, list[str], str | None]]:
    """(id, format, args, input): every run of every command, and each of its other formats."""
    out = []
    for command, runs in RUNS.items():
        for i, (args, stdin) in enumerate(runs):
            out.append((f"{command}-{i}", "text", args, stdin))
        for fmt in formats_of(command):
            if fmt in SCREEN:
                continue
            args = list(RUNS[command][0][0])
            if command in FILES:
                args = [a for a in args if a not in FILES[command]] + [a.replace("{out}", "{out}/" + fmt) for a in FILES[command]]
            if command == "export" and fmt == "xlsx":
                args[args.index("-o") + 1] += ".xlsx"
            out.append((f"{command}-{fmt}", fmt, [*args, "--format", fmt], None))
        out.append((f"{command}-help", "text", [command, "--help"], None))
    return out


INVOCATIONS = invocations()


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"COLUMNS={w or 'unset'}")
@pytest.mark.parametrize(("name", "fmt", "args", "stdin"), INVOCATIONS, ids=[i[0] for i in INVOCATIONS])
def test_no_line_is_wider_than_the_screen(place, name, fmt, args, stdin, width):
    cwd = place / "depot" / "plan"
    out = place / "sortie" / f"{name}-{width}"  # what a command writes, named as a clerk would: ../../sortie/...
    out.mkdir(parents=True)
    if "{broken}" in args:  # lint on the broken plan, from its folder: « objectives/...yaml:15:9: »
        cwd, args = place / "broken", [a.replace("{broken}", ".") for a in args]
    folders = {"{root}": place, "{out}": out}
    shown = [a for a in args]
    for key, folder in folders.items():
        shown = [a.replace(key, os.path.relpath(folder, cwd)) for a in shown]
    result = feuille(*shown, cwd=cwd, input=stdin, env={"COLUMNS": str(width) if width else None, "FEUILLE_HISTORY": None,
                                                        "FEUILLE_RESULT_CACHE": "off"})
    limit = width or 80
    streams = [("stderr", result.stderr)] + ([("stdout", result.stdout)] if fmt in SCREEN or "-o" in shown else [])
    too_long = [f"{name} {len(line)}: {line}" for stream, text in streams for line in text.splitlines() if width_of(line) > limit]
    assert result.stdout or result.stderr
    assert not too_long, f"feuille {' '.join(shown)}: {len(too_long)} line(s) wider than {limit} columns:\n" + "\n".join(too_long)


def test_markdown_json_and_csv_are_never_wrapped(place):
    cwd = place / "depot" / "plan"
    env = {"COLUMNS": "60"}
    title = "Cadastre des besoins : détermination des lieux et sites qui nécessitent un effort soutenu"
    markdown = feuille("status", ".", "--format", "markdown", "--as-of", AS_OF, cwd=cwd, env=env).stdout
    assert max(width_of(line) for line in markdown.splitlines()) > 100  # a table row whole
    assert title in feuille("status", ".", "--format", "json", "--as-of", AS_OF, cwd=cwd, env=env).stdout
    csv = feuille("prioritise", ".", "--format", "csv", "--as-of", AS_OF, cwd=cwd, env=env).stdout
    assert any("Recruter et déployer des gardiens de la paix dans les quartiers" in line and width_of(line) > 60 for line in csv.splitlines())
    diff = feuille("diff", "--since", "2025-03-01", "--format", "markdown", cwd=cwd, env=env | {"FEUILLE_HISTORY": None}).stdout
    assert any(width_of(line) > 60 for line in diff.splitlines())


def test_wide_gives_every_line_whole(place):
    cwd = place / "broken"
    narrow = feuille("lint", ".", "--as-of", AS_OF, cwd=cwd, env={"COLUMNS": "60"}).stdout
    wide = feuille("lint", ".", "--as-of", AS_OF, "--wide", cwd=cwd, env={"COLUMNS": "60"}).stdout
    line = " |   - {amount: -12000, year: 2026, source: fonds propres, service: ordinaire, article: 875/124-02, type: expense,"
    assert any(line in x for x in wide.splitlines()) and not any(line in x for x in narrow.splitlines())
    assert max(width_of(x) for x in wide.splitlines()) > 100
    show = feuille("show", "A1.1", "--wide", "--as-of", AS_OF, cwd=place / "depot" / "plan", env={"COLUMNS": "60"}).stdout
    assert "  Description : Etablir un cadastre des besoins visant à déterminer les lieux et les moments qui nécessitent un effort soutenu" in show


def test_lint_cuts_the_line_of_the_file_around_the_column_and_never_breaks_the_location(place):
    out = feuille("lint", ".", "--as-of", AS_OF, cwd=place / "broken", env={"COLUMNS": "60"}).stdout.splitlines()
    lines = (place / "broken" / "objectives" / "01-cadre-de-vie" / "A1.1-cadastre-lieux.yaml").read_text(encoding="utf-8").splitlines()
    n = next(i for i, x in enumerate(lines, 1) if "amount: -12000" in x)
    where = out.index(f"objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml:{n}:66:")  # the location whole, on its own line
    assert out[where + 1] == "  erreur F204"
    excerpt, caret = next((x, out[i + 1]) for i, x in enumerate(out) if i > where and x.startswith(f"  {n} | "))
    assert excerpt.startswith(f"  {n} | …") and excerpt.endswith("…") and width_of(excerpt) == 60  # cut at both ends, around column 66
    assert excerpt[caret.index("^"):].startswith("ordinaire")  # the caret still under the value it points at
    assert "A1.1 « Cadastre des besoins : détermination des" in out[where + 2] and out[where + 2].endswith("… »")


def test_prose_is_wrapped_at_spaces_never_inside_a_word_nor_away_from_its_guillemets():
    from feuille.views.table import wrap

    text = "  conseil : Passez « status » à ongoing (avec « actual_start ») ou repoussez « planned_start »."
    lines = wrap(text, 40)
    assert lines == ["  conseil : Passez « status » à ongoing",
                     "            (avec « actual_start ») ou",
                     "            repoussez « planned_start »."]
    assert wrap("Fichier : objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml", 60) == [
        "Fichier :", "  objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml"]  # a path is never broken
    assert wrap("40 %\u202fet 95\u202f000 € ne se séparent pas", 12)[0] == "40 %\u202fet"


def test_a_suggested_command_quotes_a_folder_with_a_space(tmp_path):
    from feuille.core.shell import shell_arg

    result = feuille("init", "mon plan 2025", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == 'Plan prêt. Vérifiez-le avec : feuille lint "mon plan 2025"'
    assert feuille("lint", "mon plan 2025", cwd=tmp_path).returncode == 0  # what it suggests works as written
    assert [shell_arg(x) for x in ("plans/la-louviere", "mon plan", "l'an $2", "")] == ["plans/la-louviere", '"mon plan"', "'l'\"'\"'an $2'", "''"]


def test_a_diff_of_the_yaml_is_cut_keeping_each_line_s_indentation(place):
    out = feuille("measure", "demarches-en-ligne", "62,5", "--date", "2026-09-30", "--note", "comptage du service informatique, hors formulaires papier",
                  "--dry-run", "--as-of", AS_OF, cwd=place / "depot" / "plan", env={"COLUMNS": "60"}).stdout.splitlines()
    added = next(x for x in out if x.startswith("+ "))
    assert added == "+      - {date: 2026-09-30, value: 62.5, note: 'comptage du…" and width_of(added) == 60
    assert "       - {date: 2025-06-30, value: 25, entered_by: dbrasseu…" in out  # a context line cut, its indentation kept


def test_no_message_says_a_plural_with_brackets():
    """« 1 action(s) à revoir » reads like a form: every count goes through the catalogue's plural forms (msgn, n_,
    NPC_, plural_forms).  Only the spreadsheet's column headers keep « Responsable(s) politique(s) »: they are the
    town's own headers, read back from the workbooks already out there."""
    from feuille.core.i18n import LOCALE_DIR, parse_po

    found = []
    for lang in ("fr", "en"):
        for key, value in parse_po((LOCALE_DIR / lang / "LC_MESSAGES" / "feuille.po").read_text(encoding="utf-8")).items():
            ident = key[0] if isinstance(key, tuple) else key
            if ident.startswith("sheet\x04"):
                continue
            found += [f"{lang}: {text!r}" for text in (value if isinstance(value, tuple) else (value,)) if re.search(r"\w\((s|x)\)", text)]
    assert not found, "\n".join(found)


def test_counts_agree_with_their_words(tmp_path):
    from feuille.core.i18n import msgn

    assert [msgn("{n} action to review for {who} on {day}:", "{n} actions to review for {who} on {day}:", n, who="X", day="1/1")("fr")
            for n in (0, 1, 2)] == ["0 action à revoir pour X au 1/1 :", "1 action à revoir pour X au 1/1 :", "2 actions à revoir pour X au 1/1 :"]
    assert msgn("{n} action updated", "{n} actions updated", 1)("en") == "1 action updated"
    shutil.copytree(EXAMPLE, tmp_path / "plan")
    out = feuille("review", "--owner", "mdupont", "--non-interactive", "--as-of", AS_OF, cwd=tmp_path / "plan").stdout
    assert out.startswith("1 action à revoir pour mdupont au 22/11/2026 :\n"), out
    lint = feuille("lint", ".", "--as-of", "2031-01-01", cwd=tmp_path / "plan").stdout
    assert "Échéance dépassée depuis " in lint and " jour(s)" not in lint and re.search(r"depuis \d+ jours \(", lint)
