"""``feuille log ID``: each commit that changed an objective or an action, when, who, and what."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from feuille.cli._app import app
from feuille.cli.options import LangOpt, NoCacheOpt, PlanOpt, RevOpt, WideOpt, echo, formatter, run_of
from feuille.cli.outcome import fail
from feuille.core.i18n import When, msg, translator
from feuille.core.shell import folder_name


@app.command()
def log(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="Identifiant d'un objectif ou d'une action.")],
    path: PlanOpt = None,
    rev: RevOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Sortie : text ou json.")] = "text",
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    wide: WideOpt = False,
) -> None:
    """L'historique d'un objectif ou d'une action : chaque commit qui l'a modifié, quand, par qui
    (l'auteur du commit) et quoi, champ par champ, du plus récent au plus ancien.

    Suit l'élément par son identifiant, même s'il a changé de fichier ou d'objectif. Par défaut depuis
    le dernier commit (HEAD), plus les modifications pas encore enregistrées ; --rev pour partir d'ailleurs.

    Exemple : feuille log A2.1 --plan plans/la-louviere
    """
    from feuille.app.diff import item_changes, load_side, open_repo
    from feuille.app.diff import titles as all_titles
    from feuille.app.history import find_item, item_history, load_commit
    from feuille.app.plans import SourceError, find_plans
    from feuille.app.select import closest
    from feuille.views import diff as view

    if fmt not in ("text", "json"):
        fail(msg("unknown format '{value}'.", value=fmt), msg("Possible formats: {names}.", names="text, json"))
    run = run_of(ctx)
    [root] = find_plans(path, many=False, command="log")
    repo = open_repo(root, msg("feuille log reads the plan's history from git: put the plan under git (git init, git add ., git commit); "
                               "each later commit is then part of its history."))
    commits = repo.commits(rev or "HEAD") if repo.has_commits() else []
    try:
        walked = item_history(repo, commits, ident, run.use_cache, run.today)
    finally:
        repo.close()
    ident, entries, titles, people, plan_lang, prev = walked.ident, walked.entries, walked.titles, walked.people, walked.lang, walked.current
    if rev is None:  # what is typed but not committed yet
        try:
            work = load_side(run, root, None)
        except SourceError:
            work = None
        if work is not None:
            plan_lang = work.plan.lang
            titles.update({o.id: o.title for o, _p, _d in work.plan.walk()})
            ident, current = find_item(work.plan, ident)
            changes = item_changes(prev, current)
            if changes:
                entries.append(view.Entry(None, "", "", None, "", changes))
            prev = current
    lang_ = run.speak(plan_lang)
    if not any(e.changes for e in entries):  # never found: the closest ids of the whole history, read again
        from feuille import pipeline

        known: dict[str, str] = {}
        repo = open_repo(root)
        reuse = pipeline.Reuse()
        try:
            for c in reversed(commits):
                try:
                    plan = load_commit(repo, c.id, run.use_cache, run.today, reuse).plan
                except SourceError:  # the plan folder did not exist at that commit
                    continue
                all_titles(plan, known)
        finally:
            reuse.close()
            repo.close()
        if rev is None and work is not None:
            all_titles(work.plan, known)
        near = closest(ident, known)
        _ = translator(lang_)
        name = folder_name(root)  # « la-louviere », never « .. »
        where = _("the history of {root} (since {rev})").format(root=name, rev=rev) if rev else _("the history of {root}").format(root=name)
        fail(_("no objective or action '{id}' in {where}.").format(id=ident, where=where),
             _("Closest: {names}.").format(names=near) if near else _("Check the id (feuille status shows it)."))
    title = next((c.title for e in reversed(entries) for c in e.changes if c.item == ident), next((c.title for e in reversed(entries) for c in e.changes), ident))
    entries.reverse()  # newest first, as git log
    notes = []
    if repo.shallow:
        oldest = repo.oldest()
        if oldest is not None:
            notes.append(msg("Partial history (shallow clone): it starts on {date}; 'git fetch --unshallow' fetches the rest.", date=When(oldest.day))(lang_))
    from feuille.views.format import Formatter

    fmt_ = formatter(work, lang_) if rev is None and work is not None else Formatter.for_plan(None, lang_)
    if fmt == "json":  # never wrapped
        sys.stdout.write(view.log_json(ident, title, entries, fmt_, titles, people, notes))
    else:
        echo(view.log_text(ident, title, entries, fmt_, titles, people, notes), run)
    raise typer.Exit(0)

