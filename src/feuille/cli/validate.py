"""``feuille validate``: record that the plan as committed was validated (an annotated git tag)."""

from __future__ import annotations

from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import LangOpt, PlanOpt, RevOpt, WideOpt, echo, parse_date, run_of, warn_incomplete
from feuille.cli.outcome import fail, finish, note
from feuille.core.i18n import When, msg


@app.command()
def validate(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", metavar="QUI", help="Qui a validé : « Comité de direction », « Collège communal »...")],
    date: Annotated[str | None, typer.Option("--date", metavar="DATE", help="Date de la validation AAAA-MM-JJ (par défaut : aujourd'hui).")] = None,
    path: PlanOpt = None,
    rev: RevOpt = None,
    lang: LangOpt = None,
    wide: WideOpt = False,
) -> None:
    """Enregistrer que le plan, tel qu'il est enregistré (commit), a été validé : une étiquette git annotée
    feuille-validation/AAAA-MM-JJ avec qui a validé et la date. Une étiquette existante n'est jamais déplacée
    ni remplacée. « feuille diff --since-validation » montre ensuite ce qui a changé depuis.

    Exemple : feuille validate --by "Comité de direction" --date 2026-11-20 --plan plans/la-louviere
    """
    from feuille.app.diff import load_side, open_repo
    from feuille.io.history import VALIDATION_PREFIX
    from feuille.io.sources import find_plans

    by = " ".join(by.split())
    if not by or len(by) > 200:
        fail(msg("say who validated with --by (200 characters at most)."), msg("Example: {example}", example=msg('feuille validate --by "Management board"')))
    run = run_of(ctx)
    day = parse_date(date, "--date", run.today)
    [root] = find_plans(path, many=False, command="validate")
    repo = open_repo(root, msg("feuille validate records a git tag: put the plan under git first (git init, git add ., git commit), "
                               "then run it again."))
    commit = repo.resolve(rev or "HEAD")
    c = repo.info(commit)
    loaded = load_side(run, root, commit)
    lang_ = run.speak(loaded.plan.lang)
    if rev is None and repo.dirty():
        note(msg("changes to the plan are not committed (git commit): they are not part of the validation."), lang_, run.width)
    warn_incomplete(loaded, lang_, run.width)
    name = f"{VALIDATION_PREFIX}{day.isoformat()}"
    n = 2
    while repo.tag_exists(name):
        name = f"{VALIDATION_PREFIX}{day.isoformat()}-{n}"
        n += 1
    title = loaded.plan.meta.title if loaded.plan.meta else str(root)
    # the tag's text is in the plan's language; the « Validé par: » / « Validated by: » and « Date: » lines are read back (io/history.py)
    # TRANSLATORS: keep "Validé par:", "Date:" and "Commit:" exactly (no space before the colon): feuille reads them back.
    message = msg("Validation of the plan '{title}'\n\nValidated by: {by}\nDate: {day}\nCommit: {commit}\nFolder: {folder}\n\n"
                  "Recorded with 'feuille validate'.\n", title=title, by=by, day=day.isoformat(), commit=commit, folder=repo.prefix or ".")(loaded.plan.lang)
    repo.add_tag(name, commit, message)
    echo(msg("state validated by {by} on {day}: tag {name} on the commit {short} ('{subject}').", by=by, day=When(day), name=name,
             short=c.short, subject=c.subject)(lang_) + "\n"
         + "  " + msg("Send it to the shared repository: {command}", command="git push origin " + name)(lang_) + "\n", run)
    finish([loaded])
