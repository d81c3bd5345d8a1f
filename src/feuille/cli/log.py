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
    from feuille import pipeline
    from feuille.app.diff import BRUSSELS, item_changes, load_side, open_repo
    from feuille.app.diff import titles as all_titles
    from feuille.app.history import load_commit
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
    entries: list[view.Entry] = []
    titles: dict[str, str] = {}
    people: dict[str, str] = {}
    read: list[str] = []  # the commits read, oldest first (their titles are gathered only if the id is never found)
    prev = None
    current = None
    plan_lang = "fr"  # the plan's language, as last read
    reuse = pipeline.Reuse()  # consecutive revisions share almost every file: each blob read and validated once
    for c in reversed(commits):  # oldest first
        try:
            loaded = load_commit(repo, c.id, run.use_cache, run.today, reuse)
        except SourceError:  # the plan folder did not exist at that commit
            prev = None
            continue
        read.append(c.id)
        plan_lang = loaded.plan.lang
        titles.update({o.id: o.title for o, _p, _d in loaded.plan.walk()})
        people.update({p.id: p.name for p in loaded.plan.people.values()})
        ident, current = _find(loaded.plan, ident)
        changes = item_changes(prev, current)
        if changes:
            entries.append(view.Entry(c.id, c.author, c.email, c.committed.astimezone(BRUSSELS), c.subject, changes))
        prev = current
    reuse.close()
    repo.close()
    if rev is None:  # what is typed but not committed yet
        try:
            work = load_side(run, root, None)
        except SourceError:
            work = None
        if work is not None:
            plan_lang = work.plan.lang
            titles.update({o.id: o.title for o, _p, _d in work.plan.walk()})
            ident, current = _find(work.plan, ident)
            changes = item_changes(prev, current)
            if changes:
                entries.append(view.Entry(None, "", "", None, "", changes))
            prev = current
    lang_ = run.speak(plan_lang)
    if not any(e.changes for e in entries):  # never found: the closest ids of the whole history, read again
        known: dict[str, str] = {}
        repo = open_repo(root)
        reuse = pipeline.Reuse()
        try:
            for commit in read:
                all_titles(load_commit(repo, commit, run.use_cache, run.today, reuse).plan, known)
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
    title = next((c.title for e in reversed(entries) for c in e.changes), ident)
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


def _find(plan, ident: str):  # type: ignore[no-untyped-def]
    """The id ``ident`` names in ``plan`` (« a4.2 » is A4.2) and where the item is, without indexing every item
    (once per revision: compute.diff.located)."""
    from feuille.app.diff import located, titles
    from feuille.app.select import match_id

    found = located(plan, ident)
    if found is None:
        named = match_id(ident, titles(plan, {}))
        if named is not None and named != ident:
            return named, located(plan, named)
    return ident, found
