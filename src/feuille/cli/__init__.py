"""The ``feuille`` command line: option parsing and printing only.

Each command calls the library (:mod:`feuille.lint`, :mod:`feuille.rollup`, ...)
and prints what it returns.  Heavy modules are imported inside the commands so
that ``feuille --help`` and a cached ``feuille status`` start fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="feuille : le plan stratégique (DPC, PST) d'une commune, d'un CPAS ou d'une société de logement, en fichiers YAML versionnés.",
)

# --- shared options -------------------------------------------------------------------

PathArg = Annotated[Path, typer.Argument(help="Dossier du plan (ou dossier contenant plusieurs plans).", show_default=True)]
LangOpt = Annotated[str | None, typer.Option("--lang", envvar="FEUILLE_LANG", help="Langue des messages : fr ou en (par défaut, celle du plan).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date de référence AAAA-MM-JJ (par défaut : aujourd'hui).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Relire tous les fichiers sans utiliser le cache.")]
ColorOpt = Annotated[str, typer.Option("--color", help="Couleurs : auto, always ou never.")]
# filters shared by status and prioritise
OwnerOpt = Annotated[str | None, typer.Option("--owner", help="Seulement les actions de cette personne (id ou nom), politique ou administrative.")]
ServiceOpt = Annotated[str | None, typer.Option("--service", help="Seulement les actions de ce service (id ou nom).")]
ObjectiveOpt = Annotated[str | None, typer.Option("--objective", help="Seulement cet objectif et ce qu'il contient (id).")]
StatusOpt = Annotated[str | None, typer.Option("--status", help="Seulement les actions de ce statut (ongoing, done...).")]
TagOpt = Annotated[str | None, typer.Option("--tag", help="Seulement les actions avec ce tag, territoire, volet (interne/externe) ou ODD (odd11).")]
LateOpt = Annotated[bool, typer.Option("--late", help="Seulement les actions en retard.")]
DueOpt = Annotated[int | None, typer.Option("--due-within", help="Seulement les actions à échéance dans ce nombre de jours.", min=0)]


class UsageError(Exception):
    """A mistake in how the command was called: message shown, exit 2."""


def _fail(message: str, hint: str = "") -> NoReturn:
    sys.stderr.write(f"feuille : {message}\n")
    if hint:
        sys.stderr.write(f"  {hint}\n")
    raise typer.Exit(2)


def _parse_date(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        _fail(f"date invalide pour {option} : « {value} ».", "Écrivez la date AAAA-MM-JJ, par exemple 2025-12-31.")


def _lang(value: str | None, plan_lang: str) -> str:
    if value is None:
        return plan_lang
    value = value.lower().strip()
    if value not in ("fr", "en"):
        _fail(f"langue inconnue « {value} ».", "Choisissez --lang fr ou --lang en.")
    return value


def _use_color(choice: str) -> bool:
    if choice not in ("auto", "always", "never"):
        _fail(f"valeur inconnue pour --color : « {choice} ».", "Choisissez auto, always ou never.")
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _print_styled(lines: list[tuple[str, str]], color: bool) -> None:
    if not color:
        sys.stdout.write("\n".join(line for _s, line in lines) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True, force_terminal=True)
    for style, line in lines:
        console.print(Text(line, style=style or ""))


def _plan_roots(path: Path) -> list[Path]:
    from feuille.io.loader import find_plan_roots

    if not path.exists():
        _fail(f"le dossier « {path} » n'existe pas.", "Indiquez le dossier qui contient plan.yaml.")
    roots = find_plan_roots(path)
    if not roots:
        _fail(f"aucun plan dans « {path} » (pas de fichier plan.yaml).", "Créez un plan avec « feuille init DOSSIER » ou indiquez le bon dossier.")
    return roots


# --- commands ---------------------------------------------------------------------------


@app.command()
def lint(
    path: PathArg = Path("."),
    fmt: Annotated[str, typer.Option("--format", "-f", help="Sortie : text, json, github, sarif ou junit.")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Échouer aussi sur les avertissements.")] = False,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = "auto",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Écrire le rapport dans ce fichier plutôt qu'à l'écran.")] = None,
) -> None:
    """Vérifier le plan : schémas et règles entre fichiers, tous les problèmes en une fois.

    Code de sortie : 0 sans erreur, 1 s'il y a des erreurs (ou des avertissements avec --strict), 2 si le plan est introuvable ou la commande mal écrite.

    Exemple : feuille lint plans/la-louviere --format github
    """
    from feuille.core.diagnostics import Severity
    from feuille.checks.lint import check
    from feuille.io.loader import LoadOptions
    from feuille.views.lint import RENDERERS

    if fmt not in RENDERERS:
        _fail(f"format inconnu « {fmt} ».", f"Formats possibles : {', '.join(RENDERERS)}.")
    day = _parse_date(as_of, "--as-of")
    reports = [check(root, day, LoadOptions(use_cache=not no_cache)) for root in _plan_roots(path)]
    language = _lang(lang, reports[0].plan.lang)
    if fmt == "text" and output is None:
        from feuille.views.lint import text_lines

        _print_styled(text_lines(reports, language, day.isoformat()), _use_color(color))
    else:
        rendered = RENDERERS[fmt](reports, language, day.isoformat())
        if output is not None:
            _write_text(output, rendered)
        else:
            sys.stdout.write(rendered)
    worst = Severity.warning if strict else Severity.error
    failed = any(d.severity is not None and d.severity >= worst for r in reports for d in r.diagnostics)
    if any(d.code == "F110" for r in reports for d in r.diagnostics):
        raise typer.Exit(2)
    raise typer.Exit(1 if failed else 0)


@app.command()
def status(
    paths: Annotated[list[Path] | None, typer.Argument(help="Dossier(s) du plan ; plusieurs plans donnent aussi leur total (Ville + CPAS).", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Sortie : text, markdown, json ou csv.")] = "text",
    owner: OwnerOpt = None,
    service: ServiceOpt = None,
    objective: ObjectiveOpt = None,
    status_: StatusOpt = None,
    tag: TagOpt = None,
    late: LateOpt = False,
    due_within: DueOpt = None,
    depth: Annotated[int | None, typer.Option("--depth", help="Profondeur d'objectifs affichée (1 = objectifs de premier niveau).", min=1)] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = "auto",
) -> None:
    """Où en est le plan : avancement par objectif, retards, échéances, budget.

    Exemple : feuille status plans/la-louviere --owner asabbatini
    """
    from feuille.views.format import Formatter
    from feuille.checks.lint import check
    from feuille.io.loader import LoadOptions
    from feuille.compute.rollup import compute
    from feuille.compute.filters import FilterError, Filters, build
    from feuille.views import status as view

    if fmt not in view.FORMATS:
        _fail(f"format inconnu « {fmt} ».", f"Formats possibles : {', '.join(view.FORMATS)}.")
    day = _parse_date(as_of, "--as-of")
    roots = [r for p in (paths or [Path(".")]) for r in _plan_roots(p)]
    filters = Filters(owner, service, objective, status_, tag, late, due_within)
    reports = [check(root, day, LoadOptions(use_cache=not no_cache), place=False, errors_only=True) for root in roots]
    rollups, errors = [], []
    for report in reports:
        try:
            keep = build(report.plan, filters, day)
        except FilterError as exc:
            _fail(f"{report.plan.root} : {exc}")
        rollups.append(compute(report.plan, day, keep))
        errors.append(report.plan.error_count)
    language = _lang(lang, reports[0].plan.lang)

    def fmt_of(rollup):
        meta = rollup.plan.meta
        return Formatter.for_plan(meta.locale if meta else None, language, meta.currency if meta else "EUR")

    described = ", ".join(f"{k} = {v}" for k, v in (("owner", owner), ("service", service), ("objective", objective), ("status", status_),
                                                       ("tag", tag), ("late", late or None), ("due-within", due_within)) if v is not None) or None
    if fmt == "json":
        sys.stdout.write(view.to_json(rollups, errors, [r.plan.meta.settings.due_soon_days if r.plan.meta else 30 for r in rollups]))
    elif fmt == "csv":
        sys.stdout.write(view.to_csv(rollups))
    elif fmt == "markdown":
        sys.stdout.write(view.markdown(rollups, fmt_of, errors, depth, described))
    else:
        _print_styled(view.text_lines(rollups, fmt_of, errors, depth, described), _use_color(color))


@app.command()
def prioritise(
    path: PathArg = Path("."),
    level: Annotated[str, typer.Option("--level", help="Classer les actions ou les objectifs.")] = "actions",
    method: Annotated[str | None, typer.Option("--method", help="weighted (somme pondérée), matrix (enjeu × urgence) ou wsjf (valeur / coût) ; par défaut celle du plan.")] = None,
    weights: Annotated[str | None, typer.Option("--weights", help="Poids, par exemple stake=2,urgency=1,roi=1 (par défaut ceux du plan).")] = None,
    top_n: Annotated[int | None, typer.Option("--top", help="Seulement les N premiers.", min=1)] = None,
    explain: Annotated[str | None, typer.Option("--explain", metavar="ID", help="Pourquoi cet élément est à ce rang, et ce qui le ferait bouger.")] = None,
    mark_priority: Annotated[int | None, typer.Option("--mark-priority", metavar="N", help="Écrire « priority: rang » pour les N premiers (et le retirer des autres).", min=0)] = None,
    mark_above: Annotated[float | None, typer.Option("--mark-above", metavar="TOTAL", help="Écrire « priority » pour ceux dont le total atteint ce seuil.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Avec --mark-*, montrer les modifications sans rien écrire.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Sortie : text, markdown, json ou csv.")] = "text",
    owner: OwnerOpt = None,
    service: ServiceOpt = None,
    objective: ObjectiveOpt = None,
    status_: StatusOpt = None,
    tag: TagOpt = None,
    late: LateOpt = False,
    due_within: DueOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = "auto",
) -> None:
    """Classer objectifs et actions par enjeu, urgence et retour sur investissement.

    Exemple : feuille prioritise plans/la-louviere --weights stake=2,urgency=1,roi=1 --top 10
    """
    from feuille.views.format import Formatter
    from feuille.views import ranking as view
    from feuille.io.edit import EditError, set_key, write
    from feuille.checks.lint import check
    from feuille.io.loader import LoadOptions
    from feuille.compute.ranking import PriorityError, parse_weights, rank
    from feuille.compute.filters import FilterError, Filters, build

    if fmt not in view.FORMATS:
        _fail(f"format inconnu « {fmt} ».", f"Formats possibles : {', '.join(view.FORMATS)}.")
    day = _parse_date(as_of, "--as-of")
    roots = _plan_roots(path)
    if len(roots) > 1:
        _fail(f"« {path} » contient plusieurs plans ; indiquez-en un.", "Exemple : feuille prioritise " + str(roots[0]))
    report = check(roots[0], day, LoadOptions(use_cache=not no_cache), place=False, errors_only=True)
    plan = report.plan
    language = _lang(lang, plan.lang)
    meta = plan.meta
    formatter = Formatter.for_plan(meta.locale if meta else None, language, meta.currency if meta else "EUR")
    try:
        keep = build(plan, Filters(owner, service, objective, status_, tag, late, due_within), day)
        defaults = meta.priorities.weights.model_dump() if meta else {"stake": 1.0, "urgency": 1.0, "roi": 1.0}
        ranking = rank(plan, day, level=level, method=method, weights=parse_weights(weights, defaults), keep=keep)
    except (FilterError, PriorityError) as exc:
        _fail(str(exc))
    if explain is not None:
        lines = view.explain_lines(ranking, explain, formatter)
        if lines is None:
            _fail(f"« {explain} » n'est pas parmi les {ranking.level} classés (niveau --level {ranking.level}, actions terminées ou annulées exclues).")
        _print_styled(lines, _use_color(color))
        return
    if mark_priority is not None or mark_above is not None:
        if plan.error_count:
            _fail(f"le plan a {plan.error_count} erreur(s) : corrigez-les avant d'écrire (feuille lint {roots[0]}).")
        chosen = ranking.ranked[:mark_priority] if mark_priority is not None else [s for s in ranking.ranked if (s.total or 0) >= (mark_above or 0)]
        ranks = {id(s.item): s.rank for s in chosen}
        everyone = [*ranking.ranked, *ranking.unranked]
        changes = {id(s.item): (s.item, ranks.get(id(s.item))) for s in everyone}
        try:
            edits = set_key(plan, changes)
            diff = "".join(e.diff() for e in edits)
            sys.stdout.write(diff or "Aucune modification : les priorités sont déjà à jour.\n")
            if edits and not dry_run:
                write(edits)
                sys.stdout.write(f"{len(chosen)} priorité(s) enregistrée(s) dans {len(edits)} fichier(s).\n")
            elif edits:
                sys.stdout.write("Simulation (--dry-run) : rien n'a été écrit.\n")
        except EditError as exc:
            _fail(str(exc))
        except OSError as exc:
            _fail(f"écriture impossible : {exc.strerror} ({exc.filename}).")
        return
    if fmt == "json":
        sys.stdout.write(view.to_json(ranking, top_n))
    elif fmt == "csv":
        sys.stdout.write(view.to_csv(ranking, top_n))
    elif fmt == "markdown":
        sys.stdout.write(view.markdown(ranking, formatter, top_n))
    else:
        if report.plan.error_count:
            sys.stdout.write(f"{report.plan.error_count} erreur(s) dans le plan : le classement peut être incomplet (feuille lint {roots[0]}).\n")
        _print_styled(view.text_lines(ranking, formatter, top_n), _use_color(color))


@app.command()
def render(
    path: PathArg = Path("."),
    out: Annotated[Path, typer.Option("--out", "-o", help="Dossier où écrire le site.")] = Path("site"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="html (site statique) ou md (Markdown).")] = "html",
    templates: Annotated[Path | None, typer.Option("--templates", help="Dossier de gabarits du plan (par défaut PLAN/templates).")] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Publier le plan : tableau de bord, pages par objectif, action, responsable et thème, priorités.

    Le site fonctionne sans JavaScript, depuis un disque ou un serveur web, et s'imprime en A4.
    Même plan et même --as-of : mêmes fichiers, octet pour octet.

    Exemple : feuille render plans/la-louviere --out site/ --as-of 2026-12-31
    """
    from feuille.io.loader import LoadOptions, load
    from feuille.views.site import RenderError, RenderOptions, render_site, write_site

    day = _parse_date(as_of, "--as-of")
    roots = _plan_roots(path)
    if len(roots) > 1:
        _fail(f"« {path} » contient plusieurs plans ; indiquez-en un.", "Exemple : feuille render " + str(roots[0]) + " --out site/")
    plan, diags, _texts = load(roots[0], LoadOptions(use_cache=not no_cache))
    errors = sum(1 for d in diags if d.severity is not None and d.severity.name == "error")
    try:
        pages = render_site(plan, RenderOptions(day, _lang(lang, plan.lang), fmt, templates))
        removed = write_site(pages, out)
    except RenderError as exc:
        _fail(str(exc), "Vérifiez les gabarits du dossier templates/ du plan (docs/templates.md).")
    except OSError as exc:
        _fail(f"écriture impossible dans « {out} » : {exc.strerror}.")
    if errors:
        sys.stderr.write(f"feuille : {errors} erreur(s) dans le plan : des éléments peuvent manquer (feuille lint {roots[0]}).\n")
    sys.stdout.write(f"{len(pages)} fichier(s) écrit(s) dans {out}" + (f", {len(removed)} ancien(s) retiré(s)" if removed else "") + ".\n")


@app.command()
def report(
    kind: Annotated[str, typer.Argument(help="annual (évaluation annuelle) ou term (bilan de législature).")],
    path: Annotated[Path, typer.Option("--plan", "-p", help="Dossier du plan.")] = Path("."),
    year: Annotated[int | None, typer.Option("--year", help="Année évaluée (rapport annual).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html ou md.")] = "html",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Fichier à écrire (sinon : à l'écran).")] = None,
    templates: Annotated[Path | None, typer.Option("--templates", help="Dossier de gabarits du plan (par défaut PLAN/templates).")] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Rapport d'évaluation annuelle ou bilan de législature, en HTML ou en Markdown.

    Exemple : feuille report annual --year 2025 --plan plans/la-louviere -o evaluation-2025.html
    """
    from feuille.io.loader import LoadOptions, load
    from feuille.views.site import RenderError, RenderOptions, render_report

    if kind not in ("annual", "term"):
        _fail(f"rapport inconnu « {kind} ».", "Choisissez annual (avec --year) ou term.")
    if kind == "annual" and year is None:
        _fail("indiquez l'année évaluée avec --year.", "Exemple : feuille report annual --year 2025")
    if as_of is None and kind == "annual" and year is not None:
        day = min(dt.date.today(), dt.date(year, 12, 31))  # the evaluation of a past year is as of its end
    else:
        day = _parse_date(as_of, "--as-of")
    roots = _plan_roots(path)
    plan, _diags, _texts = load(roots[0], LoadOptions(use_cache=not no_cache))
    try:
        text = render_report(plan, kind, RenderOptions(day, _lang(lang, plan.lang), fmt, templates), year)
    except RenderError as exc:
        _fail(str(exc))
    if output is None:
        sys.stdout.write(text)
    else:
        _write_text(output, text)
        sys.stdout.write(f"écrit : {output}\n")


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Identifiant d'un objectif ou d'une action.")],
    path: Annotated[Path, typer.Option("--plan", "-p", help="Dossier du plan.")] = Path("."),
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    no_cache: NoCacheOpt = False,
    color: ColorOpt = "auto",
) -> None:
    """Tout sur un objectif ou une action : champs, avancement calculé et comment, budget, indicateurs.

    Exemple : feuille show A1.4 --plan plans/la-louviere
    """
    from feuille.views.format import Formatter
    from feuille.io.loader import LoadOptions, load
    from feuille.compute.rollup import compute
    from feuille.views.show import ShowError, lines

    day = _parse_date(as_of, "--as-of")
    plans = [load(root, LoadOptions(use_cache=not no_cache))[0] for root in _plan_roots(path)]
    for plan in plans:
        meta = plan.meta
        language = _lang(lang, plan.lang)
        fmt = Formatter.for_plan(meta.locale if meta else None, language, meta.currency if meta else "EUR")
        try:
            out = lines(plan, compute(plan, day), ident, fmt)
        except ShowError:
            continue
        _print_styled(out, _use_color(color))
        return
    from feuille.compute.filters import closest

    known = {}
    for plan in plans:
        known.update({o.id: o.title for o, _p, _dd in plan.walk()})
        known.update({a.id: a.title for a, _o in plan.actions()})
    near = closest(ident, known)
    _fail(f"aucun objectif ni action « {ident} » dans {path}.", f"Les plus proches : {near}." if near else "Vérifiez l'identifiant (feuille status le montre).")


def _write_text(path: Path, content: str) -> None:
    from feuille.io.files import write_atomic

    try:
        write_atomic(path, content.encode("utf-8"))
    except OSError as exc:
        _fail(f"impossible d'écrire « {path} » : {exc.strerror}.")


@app.command()
def schema(
    kind: Annotated[str | None, typer.Argument(help="plan, people, objective ou action (sinon : tous, avec --out).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Dossier où écrire les fichiers *.schema.json.")] = None,
    check_only: Annotated[bool, typer.Option("--check", help="Vérifier que les schémas de --out sont à jour, sans écrire.")] = False,
) -> None:
    """Écrire le JSON Schema des fichiers du plan (pour l'autocomplétion dans VS Code).

    Exemple : feuille schema --out schema/
    """
    import json

    from feuille.core.model import json_schemas

    schemas = {k: json.dumps(v, ensure_ascii=False, indent=2) + "\n" for k, v in json_schemas().items()}
    if kind is not None and kind not in schemas:
        _fail(f"type de fichier inconnu « {kind} ».", f"Types possibles : {', '.join(schemas)}.")
    if out is None:
        if kind is None:
            _fail("indiquez un type de fichier ou --out DOSSIER.", "Exemple : feuille schema action, ou feuille schema --out schema/")
        sys.stdout.write(schemas[kind])
        return
    selected = {kind: schemas[kind]} if kind else schemas
    stale = []
    for name, content in selected.items():
        target = out / f"{name}.schema.json"
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == content:
            continue
        stale.append(str(target))
        if not check_only:
            out.mkdir(parents=True, exist_ok=True)
            _write_text(target, content)
    if check_only and stale:
        sys.stderr.write("feuille : schémas périmés : " + ", ".join(stale) + "\n  Lancez « feuille schema --out " + str(out) + " ».\n")
        raise typer.Exit(1)
    if not check_only:
        for name in stale:
            sys.stdout.write(f"écrit : {name}\n")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Dossier à créer pour le nouveau plan.")],
    title: Annotated[str, typer.Option("--title", help="Titre du plan.")] = "Programme stratégique transversal 2024-2030",
    organisation: Annotated[str, typer.Option("--organisation", help="Nom de l'organisation.")] = "Commune",
    kind: Annotated[str, typer.Option("--kind", help="pst (3 niveaux) ou dpc (2 niveaux).")] = "pst",
) -> None:
    """Créer un nouveau plan vide (qui passe « feuille lint » sans erreur).

    Exemple : feuille init mon-plan --organisation "Commune de Binche" --kind pst
    """
    from feuille.io.scaffold import ScaffoldError, create

    try:
        written = create(directory, title=title, organisation=organisation, kind=kind, today=dt.date.today())
    except ScaffoldError as exc:
        _fail(str(exc))
    for rel in written:
        sys.stdout.write(f"créé : {directory / rel}\n")
    sys.stdout.write(f"Plan prêt. Vérifiez-le avec : feuille lint {directory}\n")


def main() -> None:
    """Entry point: never show a traceback to a user, unless FEUILLE_DEBUG is set."""
    # feuille uses no pydantic plugin: skip their discovery (a scan of installed packages)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    code: int | str | None = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        sys.stderr.write("\nfeuille : interrompu.\n")
        code = 130
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("FEUILLE_DEBUG"):
            raise
        sys.stderr.write(
            f"feuille : erreur interne ({type(exc).__name__}: {exc}).\n"
            "  Ce n'est pas votre faute. Relancez avec FEUILLE_DEBUG=1 pour le détail, et signalez-le.\n"
        )
        code = 2
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `feuille status | head`: the reader left, nothing to report
        pass
    # Everything is written (files atomically, output flushed): skip freeing every
    # object of a large plan one by one at interpreter exit.
    os._exit(code or 0)
