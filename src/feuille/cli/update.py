"""``feuille update ID``: set the fields of an action or objective from the command line (or by questions)."""

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from feuille.cli._app import app
from feuille.cli._write import InputError, label_of, number, parse_field, parse_named, parse_number, say, set_write_lang, write_lang
from feuille.cli._write import parse_date as parse_user_date
from feuille.cli.options import AsOfOpt, LangOpt, NoCacheOpt, PlanOpt, WideOpt, echo, load_plans, parse_date, run_of
from feuille.cli.outcome import fail, finish
from feuille.core.i18n import Msg


def build_change(plan: Any, item: Any, values: dict[str, Any], day: dt.date, *, reason: str | None = None,
                 spent: list[str] = (), measures: list[str] = (), reviewed: bool = False, auto: bool = True) -> Any:
    """The change of ``item`` the options ask for, for the write service (app/write.py: the invariants, the words, the check).

    ``values``: field -> parsed value; ``spent`` and ``measures`` as written after --spent and --measure.
    Raises :class:`InputError` for an option that cannot be read."""
    from pydantic import ValidationError

    from feuille.app.write import ItemChange, Nested
    from feuille.core.i18n import When, msg
    from feuille.core.model import BudgetLine, Measurement
    from feuille.io.edit import field_order

    nested: list[Any] = []
    for spec in spent:
        year_text, sep, amount_text = spec.partition("=")
        if not sep:
            raise InputError(say("--spent '{spec}': write YEAR=AMOUNT, for example --spent 2026=12500.", spec=spec))
        which = 1
        if "/" in year_text:
            year_text, _s, which_text = year_text.partition("/")
            which = int(which_text) if which_text.strip().isdigit() else 0
        year = int(year_text) if year_text.strip().isdigit() else None
        lines = [i for i, b in enumerate(getattr(item, "budget", [])) if b.year == year]
        if year is None or not lines:
            years = sorted({b.year for b in getattr(item, "budget", [])})
            raise InputError(say("{id} has no budget line for the year '{year}'; nothing was written.", id=item.id, year=year_text),
                             say("Years planned: {years}.", years=", ".join(map(str, years))) if years else say("First add the budget line in the file."))
        if len(lines) > 1 and "/" not in spec.split("=")[0]:
            raise InputError(say("{id} has {n} budget lines in {year}; which one?", id=item.id, n=len(lines), year=year),
                             say("Write --spent {year}/1=AMOUNT for the first, {year}/2=... for the second.", year=year))
        if not 1 <= which <= len(lines):
            raise InputError(say("{id} has no budget line number {n} in {year}.", id=item.id, n=which, year=year))
        amount = parse_number(amount_text, say("the amount spent in {year}", year=year))
        try:
            BudgetLine.model_validate({"amount": 0, "year": year, "spent": amount})
        except ValidationError as exc:
            raise _refused(item, BudgetLine, exc, {"spent": amount}) from None
        index = lines[which - 1]
        old = item.budget[index].spent
        nested.append(Nested("set", ("budget", index), "spent", number(amount),
                             msg("{label} {year} {old} → {new}", label=msg("spent"), year=year, old=old if old is not None else "–", new=number(amount)),
                             field_order(BudgetLine)))
    for spec in measures:
        label_text, sep, rest = spec.partition("=")
        if not sep:
            raise InputError(say("--measure '{spec}': write INDICATOR=VALUE@DATE, for example --measure 1=81@30/06/2026.", spec=spec))
        value_text, _at, date_text = rest.partition("@")
        indicators = getattr(item, "indicators", [])
        index = _indicator(indicators, label_text.strip(), item)
        value = number(parse_number(value_text, say("the measurement")))
        when = parse_user_date(date_text, say("the date of the measurement"), day) if date_text.strip() else day
        try:
            Measurement.model_validate({"date": when, "value": value})
        except ValidationError as exc:
            raise _refused(item, Measurement, exc, {"value": value}) from None
        nested.append(Nested("append", ("indicators", index), "measurements", {"date": when, "value": value},
                             msg("measurement '{label}' {value} on {day}", label=indicators[index].label, value=value, day=When(when)),
                             field_order(Measurement)))
    return ItemChange(item.id, dict(values), reason=reason, nested=nested, auto=auto, reviewed=reviewed)


def _refused(item: Any, model: type, exc: Any, data: Any) -> InputError:
    """A value the model refuses, said as lint says it (checks/schema_errors.py: the same bounds and words)."""
    from feuille.checks.schema_errors import to_diagnostic

    err = exc.errors()[0]
    field = next((str(p) for p in err["loc"] if isinstance(p, str)), "?")
    found = to_diagnostic(err, model, "", (), data)
    return InputError(say("{id}: value refused for {field}: {reason}", id=item.id, field=label_of(field), reason=found.message(write_lang())),
                      found.hint(write_lang()) or say('Allowed values are described in docs/format.md.'))


def _indicator(indicators: list[Any], text: str, item: Any) -> int:
    from feuille.compute.filters import _fold

    if not indicators:
        raise InputError(say("{id} has no indicator; nothing was written.", id=item.id), say("First add the indicator in the file (docs/format.md)."))
    if text.isdigit() and 1 <= int(text) <= len(indicators):
        return int(text) - 1
    exact = [i for i, x in enumerate(indicators) if _fold(x.label) == _fold(text)]
    part = [i for i, x in enumerate(indicators) if _fold(text) in _fold(x.label)]
    found = exact or part
    if len(found) == 1:
        return found[0]
    listed = "; ".join(f"{i + 1}. {x.label}" for i, x in enumerate(indicators))
    problem = say("{id}: ambiguous indicator '{text}'.", id=item.id, text=text) if found else say("{id}: unknown indicator '{text}'.", id=item.id, text=text)
    raise InputError(problem, say("Give its number or its title: {listed}.", listed=listed))


def find_item(loaded: Any, ident: str) -> Any:
    from feuille.compute.filters import closest, match_id

    plan = loaded.plan
    index = {**plan.objective_index(), **{a.id: a for a, _o in plan.actions()}}
    found = match_id(ident, {k: v.title for k, v in index.items()})  # « a4.2 » is A4.2
    if found is not None:
        return index[found]
    near = closest(ident, {k: v.title for k, v in index.items()})
    missing = [x.file for x in loaded.left_out]
    hint = say('Closest: {near}.', near=near) if near else say('Check the id (feuille status shows it).')
    if missing:
        hint += say('\n  Part of the plan could not be read ({missing}): run feuille lint.', missing=', '.join(missing))
    fail(say("no objective or action '{ident}' in the plan {loaded}.", ident=ident, loaded=plan_name(loaded)), hint)


def plan_name(loaded: Any) -> str:
    label = loaded.source.label
    label = label(write_lang()) if isinstance(label, Msg) else str(label)
    return label if not label.startswith(".") and label else str(Path(loaded.plan.root).resolve())


@app.command()
def update(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="L'action ou l'objectif à mettre à jour (A4.2, O4).")],
    path: PlanOpt = None,
    status: Annotated[str | None, typer.Option("--status", metavar="STATUT", help="not_started, ongoing, on_hold, done, cancelled (ou « en cours », « terminé »...).")] = None,
    progress: Annotated[str | None, typer.Option("--progress", metavar="AVANCEMENT", help="Avancement : 60, 60 %, 0,6.")] = None,
    achieved: Annotated[str | None, typer.Option("--achieved", metavar="TEXTE", help="État des réalisations.")] = None,
    remaining: Annotated[str | None, typer.Option("--remaining", metavar="TEXTE", help="Ce qu'il reste à faire.")] = None,
    health: Annotated[str | None, typer.Option("--health", metavar="SANTÉ", help="good, at_risk, blocked, paused (ou « bon », « à risque », « bloqué »...).")] = None,
    health_note: Annotated[str | None, typer.Option("--health-note", metavar="TEXTE", help="Pourquoi la santé n'est pas bonne.")] = None,
    actual_start: Annotated[str | None, typer.Option("--actual-start", metavar="DATE", help="Début effectif (31/12/2026 ou 2026-12-31).")] = None,
    actual_end: Annotated[str | None, typer.Option("--actual-end", metavar="DATE", help="Fin effective.")] = None,
    planned_end: Annotated[str | None, typer.Option("--planned-end", metavar="DATE", help="Nouvelle échéance (avec --reason : le glissement est gardé).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", metavar="TEXTE", help="Pourquoi l'échéance glisse.")] = None,
    spent: Annotated[list[str] | None, typer.Option("--spent", metavar="ANNÉE=MONTANT", help="Montant engagé sur la ligne budgétaire de cet exercice.")] = None,
    measure: Annotated[list[str] | None, typer.Option("--measure", metavar="INDICATEUR=VALEUR@DATE", help="Ajouter une mesure (indicateur par numéro ou intitulé ; date par défaut : aujourd'hui).")] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXTE", help="Notes internes.")] = None,
    political_owner: Annotated[list[str] | None, typer.Option("--political-owner", metavar="PERSONNE", help="Responsable(s) politique(s), id ou nom (répétable ; remplace la liste).")] = None,
    admin_owner: Annotated[str | None, typer.Option("--admin-owner", metavar="PERSONNE", help="Responsable administratif, id ou nom.")] = None,
    service_: Annotated[str | None, typer.Option("--service", metavar="SERVICE", help="Service pilote, id ou nom.")] = None,
    partner: Annotated[list[str] | None, typer.Option("--partner", metavar="PARTENAIRE", help="Ajouter un partenaire (répétable).")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", metavar="CHAMP=VALEUR", help="N'importe quel autre champ (title, stake, tags...).")] = None,
    reviewed: Annotated[bool, typer.Option("--reviewed", help="Marquer revu aujourd'hui (ou à la date --as-of).")] = False,
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help="Poser les questions champ par champ.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Montrer les modifications sans rien écrire.")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="Commiter les fichiers modifiés (jamais par défaut ; aucun hook ne tourne).")] = False,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    wide: WideOpt = False,
) -> None:
    """Mettre à jour une action ou un objectif : statut, avancement, réalisations, échéance, budget engagé, mesures.

    Exemple : feuille update A4.2 --status "en cours" --progress 60% --reviewed
    """
    run = run_of(ctx)
    day = parse_date(as_of, "--as-of", run.today)
    loaded = load_plans(run, path, command="update", many=False, as_of=day)[0]
    if loaded.fatal:
        fail(say('no readable plan in {root} (plan.yaml missing).', root=loaded.plan.root),
             say("Run the command from the plan's folder, or give --plan FOLDER."))
    set_write_lang(run.speak(loaded.plan.lang))
    item = find_item(loaded, ident)
    plan = loaded.plan
    raw = {"status": status, "progress": progress, "achieved": achieved, "remaining": remaining, "health": health, "health_note": health_note,
           "actual_start": actual_start, "actual_end": actual_end, "planned_end": planned_end, "notes": note, "admin_owner": admin_owner,
           "service": service_}
    given = {k: v for k, v in raw.items() if v is not None}
    for spec in set_ or []:
        name, sep, value = spec.partition("=")
        if not sep:
            fail(say("--set '{spec}': write FIELD=VALUE, for example --set stake=4.", spec=spec))
        given[name.strip()] = value
    lists: dict[str, Any] = {}
    values = dict(parse_named(plan, item, name, text, day) for name, text in given.items())
    if political_owner:
        values["political_owners"] = parse_field(plan, item, "political_owners", ",".join(political_owner), day)
    if partner:
        parse_field(plan, item, "partners", "", day)
        lists["partners"] = list(dict.fromkeys([*getattr(item, "partners", []), *partner]))
        values["partners"] = lists["partners"]
    anything = bool(values or spent or measure or reviewed or reason)
    if interactive or not anything:
        from feuille.cli.interactive import ask_update

        try:
            values, reason, reviewed = ask_update(plan, item, day, values, reason, run=run)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            fail(say('interrupted: nothing was written.'))
    change = build_change(plan, item, values, day, reason=reason, spent=spent or [], measures=measure or [], reviewed=reviewed)
    apply_update(loaded, change, day, dry_run=dry_run, commit=commit, confirm=interactive or not anything, run=run)
    finish([loaded])  # 1 if the plan has errors elsewhere (the write was done: it added none)


def apply_update(loaded: Any, change: Any, day: dt.date, *, dry_run: bool, commit: bool, confirm: bool = False, planned: Any = None,
                 run: Any = None) -> str | None:
    """Hand ``change`` to the write service (or take what it ``planned`` already), show what it does (to the width
    of ``run``), write it (unless ``dry_run`` or not confirmed); what was written, in words (None if nothing was)."""
    from feuille.app import write as writes
    from feuille.views import write as view

    lang = write_lang()
    planned = planned or writes.prepare(loaded, [change], day=day)
    if planned.refused:
        message, hint, code = view.refusal(planned, lang, change.id)
        fail(message, hint, code=code)
    if not planned.edits:
        echo(say('{ident}: nothing to change, the values are already those.\n', ident=change.id), run)
        return None
    summary = planned.said[0].text(lang) if planned.said else change.id
    echo("".join(planned.diff()), run, cut=True)
    if confirm and not dry_run:
        try:
            from feuille.cli.interactive import yes

            ok = yes(say('Save these changes?'), run=run)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            fail(say('interrupted: nothing was written.'))
        if not ok:
            echo(say('Nothing was written.\n'), run)
            return None
    elif dry_run:
        echo(summary + "\n" + say('Dry run (--dry-run): nothing was written.\n'), run)
        return None
    done = writes.commit(planned)  # (a WriteError is said by the frame's one handler)
    echo("".join(line + "\n" for line in view.outcome(done, lang)), run)
    echo(summary + "\n", run)
    if commit:
        writes.git_commit(loaded.plan.root, planned.files(), summary)
        echo(say("Commit: {message}", message=summary) + "\n", run)
    return summary
