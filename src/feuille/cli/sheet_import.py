"""``feuille import`` for spreadsheets: a new plan from a town's sheet, or a returned sheet into an existing plan (diff first)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from feuille.cli.outcome import FINDINGS, fail, finish
from feuille.core.i18n import msg


def _say(lines: list[str]) -> None:
    for line in lines:
        sys.stdout.write(line + "\n")


def _problems(problems: list, title: str = "À vérifier") -> list[str]:
    if not problems:
        return []
    order = {"erreur": 0, "à vérifier": 1, "info": 2}
    out = [f"{title} ({len(problems)}) :"]
    out += [f"  - {p.level} : {p}" for p in sorted(problems, key=lambda p: (order.get(p.level, 3), p.sheet, p.row, len(p.column), p.column))]
    return out


def run(path: Path, directory: Path, map_items: list[str], dry_run: bool, folder_given: bool = True) -> None:
    from feuille.io.imports.spreadsheet import SheetError, build_plan, parse_map, progress_bar, read_sheet, write_new_plan

    start = time.perf_counter()
    try:
        mapping = parse_map(map_items)
        sheet, problems = read_sheet(path, mapping=mapping, progress=progress_bar(sys.stderr))
    except SheetError as exc:
        fail(exc.msg if "Rien n'a été écrit" in exc.message else msg("{problem} Nothing was written.", problem=exc.msg), exc.hint_msg, code=FINDINGS)
    read_in = time.perf_counter() - start
    sys.stdout.write(f"lu : {path} — {len(sheet.rows)} ligne(s) d'actions (feuille(s) {', '.join(f'« {s} »' for s in sheet.sheets)}) en {read_in:.1f} s\n")
    if not folder_given and sheet.info.get("revision"):  # a sheet feuille exported, come back: to the plan it came from
        directory = _home_plan(path)
    if (directory / "plan.yaml").exists():
        return _update(path, directory, sheet, problems, dry_run)
    built = build_plan(sheet, problems, path.stem.replace("_", " ").replace("-", " ").strip() or "Plan importé")
    if dry_run:
        _say([*built.summary, *_problems(problems), "Rien n'a été écrit (--dry-run)."])
        return
    try:
        written = write_new_plan(directory, built)
    except SheetError as exc:
        fail(exc.msg, exc.hint_msg, code=FINDINGS)
    _say([f"plan créé : {directory} ({len(written)} fichiers, en {time.perf_counter() - start:.1f} s)", "Créé : " + built.summary[0], *_problems(problems),
          "Les valeurs non lues sont gardées telles quelles dans les notes de leur action. "
          f"Complétez l'organisation et la législature dans plan.yaml, les rôles dans people.yaml, puis : feuille lint {directory}"])
    errors = [p for p in problems if p.level == "erreur"]
    raise SystemExit(FINDINGS if errors else 0)


def _home_plan(path: Path) -> Path:
    """The plan of the working folder, for a sheet exported by feuille and given without a folder;
    never a new plan made of it (a service head runs ``feuille import retour.xlsx`` in the plan)."""
    from feuille.io.sources import SourceError, find_plans

    try:
        return find_plans(None, many=False, command="import")[0]
    except SourceError:
        fail(f"« {path} » a été exporté d'un plan feuille, mais le dossier courant n'est dans aucun plan. Rien n'a été écrit.",
             f"Indiquez le dossier du plan où reporter les changements : feuille import {path} plans/ma-commune", code=FINDINGS)


def _update(path: Path, directory: Path, sheet, problems: list, dry_run: bool) -> None:
    from feuille.cli._write import new_errors
    from feuille.cli.new import COMPLETE_LATER
    from feuille.cli.options import load_plans
    from feuille.io.edit import EditError
    from feuille.io.imports.spreadsheet import apply_update, plan_update, prepare, summary_lines
    from feuille.io.place import ids_on_branches

    today = dt.date.today()
    [loaded] = load_plans(directory, command="import", many=False, as_of=today)
    if loaded.errors:
        fail(f"le plan « {directory} » a {loaded.errors} erreur(s) : l'import n'y écrit pas, pour ne pas bâtir sur un plan faux. Rien n'a été écrit.",
             f"Corrigez-les d'abord (feuille lint {directory}).", code=FINDINGS)
    revision = sheet.info.get("revision")
    if revision:
        sys.stdout.write(f"tableau exporté de la révision « {revision} » du plan\n")
    update = plan_update(loaded.plan, sheet, problems)
    try:
        prepare(loaded.plan, update, ids_on_branches(loaded.plan.root) if update.new_actions else set())
    except EditError as exc:
        fail(exc.msg, code=FINDINGS)
    diff = update.diff()
    if diff:
        sys.stdout.write(diff)
    _say([*summary_lines(update), *_problems(problems)])
    if update.edits:
        # the whole plan read again with the changes, through the one pipeline: a change that adds an error is refused, all of them
        # what only completing the action itself can fix (eComptes: a volet, FTE, the article of a new budget line) is said « à compléter »
        later_ok = set(update.created_ids) | {c.action_id for c in update.changes if c.key in ("budget_planned", "budget_spent")}
        added = new_errors(loaded, update.edits, today)
        later = [d for d in added if d.obj_id in later_ok and d.code in COMPLETE_LATER | {"F704"}]
        added = [d for d in added if d not in later]
        if added:
            lines = [f"  {d.file}{':' + str(d.line) if d.line else ''}: {d.code} {d.obj_id or ''} {d.message('fr')}".replace("  ", " ", 1) for d in added[:10]]
            rows = sorted({c.row.number for c in update.changes if c.action_id in {d.obj_id for d in added}}
                          | {n.row.number for n in update.new_actions if n.data.get("id") in {d.obj_id for d in added}})
            fail(f"import refusé : ces changements ajouteraient {len(added)} erreur(s) au plan ; rien n'a été écrit.\n" + "\n".join(lines),
                 ("Corrigez " + (f"la ou les ligne(s) {', '.join(map(str, rows))} du tableau" if rows else "le tableau") + " puis réimportez ; "
                  "ou modifiez ces actions une à une avec feuille update."), code=FINDINGS)
    else:
        later = []
    for d in later:
        sys.stderr.write(f"feuille : à compléter : {d.code} {d.obj_id} {d.message('fr')}\n")
    if dry_run or not update.edits:
        sys.stdout.write("Rien n'a été écrit" + (" (--dry-run)." if dry_run and update.edits else " : aucun changement à écrire.") + "\n")
        if update.conflicts or any(p.level == "erreur" for p in problems):
            raise SystemExit(FINDINGS)
        finish([loaded])
        return
    try:
        outcome = apply_update(update)
    except EditError as exc:
        fail(exc.msg, code=FINDINGS)
    for shown, what in outcome:
        sys.stdout.write(f"{what} : {shown}\n")
    if update.conflicts or later or any(p.level == "erreur" for p in problems):
        raise SystemExit(FINDINGS)
    finish([loaded])
