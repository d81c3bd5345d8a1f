"""``feuille export --format opendata -o DIR``: the plan as open data (docs/donnees-ouvertes.md).

A Frictionless data package: ``datapackage.json`` (title, licence, revision and date, and a Table
Schema per table with its keys) and one machine CSV per table — the plan, its organisations with
their national identifiers, services, people (named as owners, in their role, never their contact
details), strands (volets), objectives, actions, sub-actions, indicators, measurements, budget lines and funders; the same content
as one JSON document (``plan.json``) with its JSON Schema (``plan.schema.json``).

Only the public version exists (the command refuses ``--audience council``): the tables are built
from :func:`feuille.compute.audience.publish`'s copy of the plan, so what is withheld is absent, and
the figures (progress, budgets) are those of the whole plan, as on the public site.  A reference to
something the public does not see (a withheld service or person) is left empty rather than pointing
nowhere.  The plan must say under which licence it is published (``licence:`` in plan.yaml), else
the export is refused.  Ids are the plan's own (stable while the ids in the files do not change);
an indicator is ``<item>.i<n>`` (``plan.i<n>``: the plan's own) and a budget line ``<item>.b<n>`` (their rank in the item:
an action's, an objective's own, a strand's own).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from feuille.checks.ecomptes import default_organisation, organisations_of
from feuille.compute.audience import Published
from feuille.core.i18n import msg, msgn
from feuille.core.model import Action, Audience, Objective
from feuille.formats._tables import Column, Table, dumps, json_schema_of, table_schema, to_csv, to_records
from feuille.views.exports import Exported, ExportOptions, ExportRefused

SUFFIX = ""
BINARY = False
FOLDER = True  # -o names a folder: the files below are written into it, all or none
AUDIENCES = ("public",)
VERSION = 1

#: licence ids (SPDX where there is one) -> title and address; the names people write are in ALIASES
LICENCES: dict[str, tuple[str, str]] = {
    "etalab-2.0": ("Licence Ouverte / Open Licence version 2.0", "https://www.etalab.gouv.fr/licence-ouverte-open-licence"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0 International", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
}
ALIASES = {"licenceouverte20": "etalab-2.0", "licenceouverte": "etalab-2.0", "lo20": "etalab-2.0", "etalab20": "etalab-2.0", "etalab": "etalab-2.0",
           "openlicence20": "etalab-2.0", "ccby40": "CC-BY-4.0", "ccby": "CC-BY-4.0", "ccbysa40": "CC-BY-SA-4.0", "cc010": "CC0-1.0", "cc0": "CC0-1.0",
           "odbl10": "ODbL-1.0", "odbl": "ODbL-1.0"}


def licence_id(value: str) -> str | None:
    """The id of the licence ``value`` names (« Licence Ouverte 2.0 », « CC BY 4.0 », « cc-by-4.0 »), None if unknown."""
    key = re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().casefold())
    for known in LICENCES:
        if key == re.sub(r"[^a-z0-9]", "", known.casefold()):
            return known
    return ALIASES.get(key)


def checked_licence(published: Published) -> str:
    """The plan's licence id, or :class:`ExportRefused` saying how to give one."""
    meta = published.plan.meta
    value = meta.licence if meta is not None else None
    if not value:
        raise ExportRefused(msg("the plan does not say under which licence its data may be reused: add 'licence:' to plan.yaml "
                                "(for example 'licence: etalab-2.0' for the Licence Ouverte 2.0, or 'licence: CC-BY-4.0'). Nothing was written."))
    found = licence_id(value)
    if found is None:
        raise ExportRefused(msg("the licence '{value}' of plan.yaml is not one feuille knows: write one of {names}. Nothing was written.",
                                value=value, names=", ".join(LICENCES)))
    return found


def fingerprint(published: Published) -> str:
    """The revision the data was made from: a fingerprint of the bytes of every plan file read (the same files give the same one)."""
    digests = published.plan.digests
    h = hashlib.sha256()
    for rel in sorted(digests):
        h.update(rel.encode("utf-8") + b"\0" + digests[rel] + b"\0")
    return "sha256:" + h.hexdigest()[:16] if digests else ""


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.casefold()).strip("-") or "x"


def _ids(values: list[str]) -> str | None:
    return ";".join(values) or None


def _d(fr: str, en: str) -> str:
    return f"{fr} / {en}"


_ID = Column("id", "string", _d("Identifiant stable.", "Stable identifier."), required=True)
_MONEY = "number"
_LIST = _d("liste séparée par des points-virgules", "semicolon-separated list")
_STATUS = ("not_started", "ongoing", "on_hold", "done", "cancelled")
_VERDICT = ("on_track", "behind", "late", "done", "not_started", "at_risk", "cancelled", "unknown")

PLAN = ("plan", "Plan", (
    _ID,
    Column("title", "string", _d("Titre du plan.", "Title of the plan."), required=True),
    Column("kind", "string", _d("Type de plan (DPC, PST...).", "Kind of plan.")),
    Column("description", "string", _d("Description.", "Description.")),
    Column("term_start", "date", _d("Début de la législature.", "Start of the term."), required=True),
    Column("term_end", "date", _d("Fin de la législature.", "End of the term."), required=True),
    Column("locale", "string", _d("Langue et pays.", "Language and country.")),
    Column("currency", "string", _d("Devise (ISO 4217).", "Currency (ISO 4217).")),
    Column("licence", "string", _d("Licence des données.", "Licence of the data."), required=True),
    Column("revision", "string", _d("Empreinte des fichiers du plan lus (sha256).", "Fingerprint of the plan files read (sha256).")),
    Column("commit", "string", _d("Commit git lu, pour un plan lu dans l'historique.", "Git commit read, for a plan read from history.")),
    Column("as_of", "date", _d("Date de référence des chiffres.", "Reference date of the figures."), required=True),
    Column("progress", "number", _d("Avancement global (%).", "Overall progress (%).")),
    Column("expected", "number", _d("Avancement attendu à cette date (%).", "Progress expected at this date (%).")),
    Column("actions_counted", "integer", _d("Actions comptées (annulées exclues), publiées ou non.", "Actions counted (cancelled excluded), published or not.")),
    Column("budget_planned", _MONEY, _d("Budget prévu, tout le plan.", "Planned budget, whole plan.")),
    Column("budget_spent", _MONEY, _d("Montant engagé ou dépensé connu.", "Amount committed or spent, where known.")),
))
ORGANISATIONS = ("organisations", "Organisations", (
    _ID,
    Column("name", "string", _d("Nom officiel.", "Official name."), required=True),
    Column("type", "string", _d("municipality, cpas, housing, province, other.", "municipality, cpas, housing, province, other."), required=True),
    Column("ins_code", "string", _d("Code INS / NIS (Belgique).", "INS / NIS code (Belgium).")),
    Column("bce", "string", _d("Numéro d'entreprise BCE / KBO (Belgique), dix chiffres.", "BCE / KBO enterprise number (Belgium), ten digits.")),
    Column("insee_code", "string", _d("Code INSEE (France).", "INSEE code (France).")),
    Column("siren", "string", _d("SIREN (France).", "SIREN (France).")),
    Column("siret", "string", _d("SIRET (France).", "SIRET (France).")),
))
SERVICES = ("services", "Services", (
    _ID,
    Column("name", "string", _d("Nom du service.", "Name of the service."), required=True),
    Column("organisation_id", "string", _d("Organisation.", "Organisation."), references=("organisations", "id")),
))
PEOPLE = ("people", "People", (
    _ID,
    Column("first_name", "string", _d("Prénom.", "First name."), required=True),
    Column("last_name", "string", _d("Nom.", "Last name."), required=True),
    Column("role", "string", _d("Fonction (mayor, alderman, director...).", "Role (mayor, alderman, director...)."), required=True),
    Column("portfolio", "string", _d("Attributions.", "Portfolio.")),
    Column("service_id", "string", _d("Service.", "Service."), references=("services", "id")),
    Column("organisation_id", "string", _d("Organisation.", "Organisation."), references=("organisations", "id")),
))
_ITEM = (
    Column("title", "string", _d("Intitulé.", "Title."), required=True),
    Column("description", "string", _d("Description.", "Description.")),
    Column("organisation_id", "string", _d("Organisation.", "Organisation."), references=("organisations", "id")),
    Column("service_id", "string", _d("Service pilote.", "Lead service."), references=("services", "id")),
    Column("political_owner_ids", "string", _d(f"Responsables politiques ({_LIST} d'ids de people).", f"Political owners ({_LIST} of people ids).")),
    Column("admin_owner_id", "string", _d("Responsable administratif.", "Administrative owner."), references=("people", "id")),
    Column("volet", "string", _d("Volet : internal ou external.", "Strand: internal or external."), enum=("internal", "external")),
    Column("planned_start", "date", _d("Début prévu.", "Planned start.")),
    Column("planned_end", "date", _d("Échéance.", "Deadline.")),
    Column("sdgs", "string", _d(f"Objectifs de développement durable ({_LIST}).", f"Sustainable development goals ({_LIST}).")),
    Column("tags", "string", _d(f"Catégories ({_LIST}).", f"Categories ({_LIST}).")),
    Column("progress", "number", _d("Avancement (%).", "Progress (%).")),
    Column("expected", "number", _d("Avancement attendu à la date de référence (%).", "Progress expected at the reference date (%).")),
    Column("verdict", "string", _d("Où il en est : on_track, behind, late, done...", "Where it stands: on_track, behind, late, done..."), enum=_VERDICT),
    Column("budget_planned", _MONEY, _d("Budget prévu.", "Planned budget.")),
    Column("budget_spent", _MONEY, _d("Engagé ou dépensé connu.", "Committed or spent, where known.")),
)
VOLETS = ("volets", "Strands", (
    Column("id", "string", _d("Identifiant du volet (VOLET-INTERNE, VOLET-EXTERNE par défaut).", "Id of the strand (VOLET-INTERNE, VOLET-EXTERNE by default)."),
           required=True),
    Column("volet", "string", _d("internal ou external : les objectifs disent le leur dans leur colonne volet.",
                                 "internal or external: objectives give theirs in their volet column."), required=True, enum=("internal", "external")),
    Column("title", "string", _d("Intitulé.", "Title.")),
    Column("description", "string", _d("Description.", "Description.")),
    Column("service_id", "string", _d("Département pilote.", "Lead department."), references=("services", "id")),
    Column("political_owner_ids", "string", _d(f"Responsables politiques ({_LIST} d'ids de people).", f"Political owners ({_LIST} of people ids).")),
    Column("admin_owner_id", "string", _d("Responsable administratif.", "Administrative owner."), references=("people", "id")),
))
OBJECTIVES = ("objectives", "Objectives", (
    _ID,
    Column("parent_id", "string", _d("Objectif parent (vide au premier niveau).", "Parent objective (empty at the top level)."), references=("objectives", "id")),
    Column("depth", "integer", _d("Niveau (1 = premier niveau).", "Level (1 = top level)."), required=True),
    Column("level", "string", _d("Nom du niveau (Objectif stratégique...).", "Name of the level.")),
    *_ITEM,
    Column("actions_counted", "integer", _d("Actions comptées en dessous (annulées exclues), publiées ou non.", "Actions counted below (cancelled excluded), published or not.")),
    Column("actions_late", "integer", _d("Actions en retard en dessous.", "Late actions below.")),
))
ACTIONS = ("actions", "Actions", (
    _ID,
    Column("objective_id", "string", _d("Objectif qui la contient.", "Objective holding it."), required=True, references=("objectives", "id")),
    *_ITEM,
    Column("status", "string", _d("Statut.", "Status."), required=True, enum=_STATUS),
    Column("health", "string", _d("Santé : good, at_risk, blocked, paused.", "Health."), enum=("good", "at_risk", "blocked", "paused")),
    Column("progress_source", "string", _d("D'où vient l'avancement : progress, indicators, status, unknown, cancelled.", "Where progress comes from.")),
    Column("days_late", "integer", _d("Jours de retard sur l'échéance.", "Days past the deadline.")),
    Column("actual_start", "date", _d("Début effectif.", "Actual start.")),
    Column("actual_end", "date", _d("Fin effective.", "Actual end.")),
    Column("partners", "string", _d(f"Partenaires ({_LIST}).", f"Partners ({_LIST}).")),
    Column("territories", "string", _d(f"Quartiers, sites ({_LIST}).", f"Neighbourhoods, sites ({_LIST}).")),
    Column("achieved", "string", _d("Réalisations.", "What has been achieved.")),
    Column("remaining", "string", _d("Reste à faire.", "What remains to be done.")),
    Column("last_reviewed", "date", _d("Dernière mise à jour.", "Last reviewed.")),
))
SUB_ACTIONS = ("sub_actions", "Sub-actions", (
    _ID,
    Column("action_id", "string", _d("Action qui la contient.", "Action holding it."), required=True, references=("actions", "id")),
    Column("title", "string", _d("Intitulé.", "Title."), required=True),
    Column("political_owner_ids", "string", _d(f"Responsables politiques ({_LIST} d'ids de people).", f"Political owners ({_LIST} of people ids).")),
    Column("admin_owner_id", "string", _d("Responsable administratif.", "Administrative owner."), references=("people", "id")),
    Column("status", "string", _d("Statut.", "Status."), required=True, enum=_STATUS),
    Column("progress", "number", _d("Avancement déclaré (%).", "Progress declared (%).")),
    Column("planned_start", "date", _d("Début prévu.", "Planned start.")),
    Column("planned_end", "date", _d("Échéance.", "Deadline.")),
    Column("actual_start", "date", _d("Début effectif.", "Actual start.")),
    Column("actual_end", "date", _d("Fin effective.", "Actual end.")),
    Column("achieved", "string", _d("Réalisations.", "What has been achieved.")),
    Column("remaining", "string", _d("Reste à faire.", "What remains to be done.")),
))
INDICATORS = ("indicators", "Indicators", (
    _ID,
    Column("objective_id", "string", _d("Objectif mesuré (vide : une action, ou le plan lui-même).", "Objective measured (empty: an action, or the plan itself)."),
           references=("objectives", "id")),
    Column("action_id", "string", _d("Action mesurée (vide : un objectif, ou le plan lui-même).", "Action measured (empty: an objective, or the plan itself)."),
           references=("actions", "id")),
    Column("label", "string", _d("Ce qui est mesuré.", "What is measured."), required=True),
    Column("unit", "string", _d("Unité.", "Unit.")),
    Column("baseline", "number", _d("Valeur de départ.", "Starting value.")),
    Column("target", "number", _d("Valeur visée.", "Target value.")),
    Column("target_date", "date", _d("Date visée.", "Target date.")),
    Column("direction", "string", _d("increase : plus c'est mieux ; decrease : moins c'est mieux.", "increase: more is better; decrease: less is better."),
           required=True, enum=("increase", "decrease")),
    Column("last_value", "number", _d("Dernière mesure à la date de référence.", "Last measurement at the reference date.")),
    Column("last_date", "date", _d("Date de la dernière mesure.", "Date of the last measurement.")),
))
MEASUREMENTS = ("measurements", "Measurements", (
    Column("indicator_id", "string", _d("Indicateur.", "Indicator."), required=True, references=("indicators", "id")),
    Column("date", "date", _d("Date de la mesure.", "Date of the measurement."), required=True),
    Column("value", "number", _d("Valeur mesurée.", "Value measured."), required=True),
), ("indicator_id", "date"))
FUNDERS = ("funders", "Funders", (
    _ID,
    Column("name", "string", _d("Source de financement (fonds propres, région, UE...).", "Funding source."), required=True),
))
BUDGET_LINES = ("budget_lines", "Budget lines", (
    _ID,
    Column("action_id", "string", _d("Action qui porte la ligne (vide : un objectif ou un volet).", "Action holding the line (empty: an objective or a strand)."),
           references=("actions", "id")),
    Column("objective_id", "string", _d("Objectif qui porte la ligne en propre (vide : une action ou un volet).",
                                        "Objective holding the line itself (empty: an action or a strand)."), references=("objectives", "id")),
    Column("volet_id", "string", _d("Volet qui porte la ligne en propre.", "Strand holding the line itself."), references=("volets", "id")),
    Column("organisation_id", "string", _d("Organisation de l'élément qui porte la ligne.", "Organisation of the item holding the line."),
           references=("organisations", "id")),
    Column("year", "integer", _d("Exercice.", "Budget year."), required=True),
    Column("amount", _MONEY, _d("Montant prévu.", "Planned amount."), required=True),
    Column("spent", _MONEY, _d("Engagé ou dépensé, s'il est connu.", "Committed or spent, when known.")),
    Column("funder_id", "string", _d("Source de financement.", "Funding source."), references=("funders", "id")),
    Column("budget_service", "string", _d("ordinary ou extraordinary.", "Ordinary or extraordinary budget."), enum=("ordinary", "extraordinary")),
    Column("type", "string", _d("expense ou revenue.", "Expense or revenue."), enum=("expense", "revenue")),
    Column("article", "string", _d("Article budgétaire.", "Budget article.")),
    Column("label", "string", _d("Libellé de l'article.", "Label of the article.")),
))
TABLES = (PLAN, ORGANISATIONS, SERVICES, PEOPLE, VOLETS, OBJECTIVES, ACTIONS, SUB_ACTIONS, INDICATORS, MEASUREMENTS, FUNDERS, BUDGET_LINES)


def _table(spec: tuple[Any, ...]) -> Table:
    name, title, columns, *key = spec
    return Table(name, title, columns, key[0] if key else ("id",), [])


def build(published: Published, options: ExportOptions, licence: str) -> dict[str, Table]:
    """Every table of the package, filled from the published plan."""
    plan, rollup = published.plan, published.rollup
    meta = plan.meta
    assert meta is not None
    t = {spec[0]: _table(spec) for spec in TABLES}
    plan_id = slug(f"{meta.kind or 'plan'}-{meta.term.start.year}-{meta.term.end.year}")
    rev = plan.revision or {}
    t["plan"].rows.append(dict(
        id=plan_id, title=meta.title, kind=meta.kind, description=meta.description, term_start=meta.term.start, term_end=meta.term.end,
        locale=meta.locale, currency=meta.currency, licence=licence, revision=fingerprint(published) or None, commit=rev.get("commit"),
        as_of=options.as_of, progress=rollup.progress, expected=rollup.expected, actions_counted=rollup.total,
        budget_planned=rollup.budget.planned, budget_spent=rollup.budget.spent if rollup.budget.spent_known else None))
    for org in meta.organisations:
        t["organisations"].rows.append(dict(id=org.id, name=org.name, type=org.type.value, ins_code=org.ins_code, bce=org.bce,
                                            insee_code=org.insee_code, siren=org.siren, siret=org.siret))
    orgs = {org.id for org in meta.organisations}
    for s in plan.services.values():
        t["services"].rows.append(dict(id=s.id, name=s.name, organisation_id=s.organisation if s.organisation in orgs else None))
    services = set(plan.services)

    named: list[str] = []  # people named as owners of a published item, in plan order
    for volet in plan.volets:
        named += [*volet.political_owners, *([volet.admin_owner] if volet.admin_owner else [])]
    for obj, _parent, _depth in plan.walk():
        for item in (obj, *obj.actions, *(sub for a in obj.actions for sub in a.sub_actions)):
            named += [*item.political_owners, *([item.admin_owner] if item.admin_owner else [])]
    people = {pid: plan.people[pid] for pid in dict.fromkeys(named) if pid in plan.people}
    for p in people.values():  # a role, never contact details (e-mail and phone are not columns)
        t["people"].rows.append(dict(id=p.id, first_name=p.first_name, last_name=p.last_name, role=p.role.value, portfolio=p.portfolio,
                                     service_id=p.service if p.service in services else None,
                                     organisation_id=p.organisation if p.organisation in orgs else None))

    organisation = _organisations(published)
    results = {r.objective.id: r for r in _objective_results(rollup.objectives)}
    actions = {a.action.id: a for a in rollup.actions}

    def item(x: Objective | Action, budget: Any, progress: Any, expected: Any, verdict: str) -> dict[str, Any]:
        return dict(title=x.title, description=x.description, organisation_id=organisation.get(x.id) if organisation.get(x.id) in orgs else None,
                    service_id=x.service if x.service in services else None,
                    political_owner_ids=_ids([p for p in x.political_owners if p in people]),
                    admin_owner_id=x.admin_owner if x.admin_owner in people else None, volet=x.volet.value if x.volet else None,
                    planned_start=x.planned_start, planned_end=x.planned_end, sdgs=_ids([str(n) for n in x.sdgs]), tags=_ids(x.tags),
                    progress=progress, expected=expected, verdict=verdict,
                    budget_planned=budget.planned if budget else None, budget_spent=budget.spent if budget and budget.spent_known else None)

    funders: dict[str, str] = {}

    def lines(owner: str, budget: list[Any], organisation_id: str | None, **holder: str | None) -> None:
        for n, line in enumerate(budget, 1):
            funder = funders.setdefault(line.source, _unique(slug(line.source), funders.values())) if line.source else None
            t["budget_lines"].rows.append(dict(
                id=f"{owner}.b{n}", **holder, organisation_id=organisation_id if organisation_id in orgs else None, year=line.year, amount=line.amount,
                spent=line.spent, funder_id=funder, budget_service=line.service.value, type=line.type.value if line.type else None,
                article=line.article, label=line.label))

    for volet in plan.volets:  # what plan.yaml says of its strands; a strand's own lines, in the main organisation (as eComptes sends them)
        t["volets"].rows.append(dict(id=volet.ident, volet=volet.volet.value, title=volet.title, description=volet.description,
                                     service_id=volet.service if volet.service in services else None,
                                     political_owner_ids=_ids([p for p in volet.political_owners if p in people]),
                                     admin_owner_id=volet.admin_owner if volet.admin_owner in people else None))
        lines(volet.ident, volet.budget, default_organisation(plan) or meta.organisations[0].id, volet_id=volet.ident)
    _indicators(t, list(meta.indicators), None, None, options)  # the plan's own (its few macro-indicators): « plan.i1 »
    for obj, parent, depth in plan.walk():
        r = results.get(obj.id)
        t["objectives"].rows.append(dict(
            id=obj.id, parent_id=parent.id if parent else None, depth=depth, level=meta.levels[min(depth, len(meta.levels) - 1) - 1],
            **item(obj, r.budget if r else None, r.progress if r else None, r.expected if r else None, r.verdict if r else "unknown"),
            actions_counted=r.total if r else None, actions_late=r.late if r else None))
        lines(obj.id, obj.budget, organisation.get(obj.id), objective_id=obj.id)
        _indicators(t, obj.indicators, obj.id, None, options)
        for a in obj.actions:
            ar = actions.get(a.id)
            t["actions"].rows.append(dict(
                id=a.id, objective_id=obj.id,
                **item(a, ar.budget if ar else None, ar.progress if ar else None, ar.expected if ar else None, ar.verdict if ar else "unknown"),
                status=a.status.value, health=a.health.value, progress_source=ar.source if ar else None, days_late=ar.days_late if ar else None,
                actual_start=a.actual_start, actual_end=a.actual_end, partners=_ids(a.partners), territories=_ids(a.territories),
                achieved=a.achieved, remaining=a.remaining, last_reviewed=a.last_reviewed))
            for sub in a.sub_actions:  # (published: a withheld one is absent)
                t["sub_actions"].rows.append(dict(
                    id=sub.id, action_id=a.id, title=sub.title, political_owner_ids=_ids([o for o in sub.political_owners if o in people]),
                    admin_owner_id=sub.admin_owner if sub.admin_owner in people else None, status=sub.status.value, progress=sub.progress,
                    planned_start=sub.planned_start, planned_end=sub.planned_end, actual_start=sub.actual_start, actual_end=sub.actual_end,
                    achieved=sub.achieved, remaining=sub.remaining))
            _indicators(t, a.indicators, None, a.id, options)
            lines(a.id, a.budget, organisation.get(a.id), action_id=a.id)
    for name, fid in sorted(funders.items(), key=lambda kv: kv[1]):
        t["funders"].rows.append(dict(id=fid, name=name))
    return t


def _unique(wanted: str, taken: Any) -> str:
    taken = set(taken)
    out, n = wanted, 2
    while out in taken:
        out, n = f"{wanted}-{n}", n + 1
    return out


def _indicators(t: dict[str, Table], indicators: list[Any], objective_id: str | None, action_id: str | None, options: ExportOptions) -> None:
    for n, ind in enumerate(indicators, 1):
        iid = f"{objective_id or action_id or 'plan'}.i{n}"
        measured = sorted((m for m in ind.measurements if m.date <= options.as_of), key=lambda m: m.date)
        last = measured[-1] if measured else None
        t["indicators"].rows.append(dict(
            id=iid, objective_id=objective_id, action_id=action_id, label=ind.label, unit=ind.unit, baseline=ind.baseline, target=ind.target,
            target_date=ind.target_date, direction=ind.direction.value, last_value=last.value if last else None, last_date=last.date if last else None))
        seen: set[Any] = set()
        for m in sorted(ind.measurements, key=lambda m: m.date):
            if m.date in seen:  # (indicator, date) is the key: a second value the same day is left out
                continue
            seen.add(m.date)
            t["measurements"].rows.append(dict(indicator_id=iid, date=m.date, value=m.value))


def _objective_results(results: list[Any]) -> list[Any]:
    out, stack = [], list(results)
    while stack:
        r = stack.pop()
        out.append(r)
        stack.extend(r.children)
    return out


def _organisations(published: Published) -> dict[str, str | None]:

    return organisations_of(published.plan)


def package(published: Published, options: ExportOptions, tables: dict[str, Table], licence: str) -> dict[str, Any]:
    meta = published.plan.meta
    assert meta is not None
    [plan_row] = tables["plan"].rows
    title, path = LICENCES[licence]
    resources = []
    for table in tables.values():
        resources.append({"name": table.name.replace("_", "-"), "title": table.title, "path": table.path, "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": _schema_with_resource_names(table)})
    return {
        "profile": "tabular-data-package",
        "name": slug(f"{meta.organisations[0].name}-{plan_row['id']}"),
        "title": meta.title,
        "description": meta.description or meta.title,
        "licenses": [{"name": licence, "title": title, "path": path}],
        "sources": [{"title": org.name} for org in meta.organisations],
        "version": plan_row["revision"] or "",
        "keywords": [w for w in (meta.kind, "feuille") if w],
        "feuille": {"format": "opendata", "version": VERSION, "as_of": options.as_of.isoformat(), "audience": "public",
                    "revision": plan_row["revision"], "commit": plan_row["commit"]},
        "resources": resources,
    }


def _schema_with_resource_names(table: Table) -> dict[str, Any]:
    schema = table_schema(table)
    for key in schema.get("foreignKeys", []):
        key["reference"]["resource"] = key["reference"]["resource"].replace("_", "-")
    return schema


def document(options: ExportOptions, tables: dict[str, Table], licence: str) -> dict[str, Any]:
    """The same content as one JSON document: ``plan`` (an object), then one list of records per table."""
    out: dict[str, Any] = {"format": "feuille-opendata", "version": VERSION}
    for name, table in tables.items():
        records = to_records(table)
        out[name] = records[0] if name == "plan" else records
    return out


def json_schema(tables: dict[str, Table]) -> dict[str, Any]:
    props: dict[str, Any] = {"format": {"const": "feuille-opendata"}, "version": {"const": VERSION}}
    for name, table in tables.items():
        record = json_schema_of(table)
        props[name] = record if name == "plan" else {"type": "array", "items": record}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "feuille-opendata.schema.json",
            "title": "feuille open data", "type": "object", "additionalProperties": False, "required": list(props), "properties": props}


def export_files(published: Published, options: ExportOptions, locate: Callable[[list[Any]], None] = lambda diags: None) -> Exported:
    if published.audience is not Audience.public:
        raise ExportRefused(msg("open data is published for everyone: this format exists only for the public audience. Nothing was written."))
    if published.plan.meta is None:
        raise ExportRefused(msg("the plan has no plan.yaml: nothing to publish."))
    licence = checked_licence(published)
    tables = build(published, options, licence)
    files: list[tuple[str | None, bytes]] = [("datapackage.json", dumps(package(published, options, tables, licence)).encode("utf-8"))]
    files += [(table.path, to_csv(table).encode("utf-8")) for table in tables.values()]
    files.append(("plan.json", dumps(document(options, tables, licence)).encode("utf-8")))
    files.append(("plan.schema.json", dumps(json_schema(tables)).encode("utf-8")))
    counts = {name: len(table.rows) for name, table in tables.items()}
    notes: list[Any] = [msg("open data under the licence {licence}: {objectives}, {actions}, {indicators}, {lines}.", licence=licence,
                            objectives=msgn("{n} objective", "{n} objectives", counts["objectives"]), actions=msgn("{n} action", "{n} actions", counts["actions"]),
                            indicators=msgn("{n} indicator", "{n} indicators", counts["indicators"]),
                            lines=msgn("{n} budget line", "{n} budget lines", counts["budget_lines"]))]
    return Exported(files, notes)


def export(published: Published, options: ExportOptions) -> bytes:
    """The JSON document alone (``feuille export --format opendata`` without -o writes it to the screen)."""
    files = dict(export_files(published, options).files)
    return files["plan.json"]
