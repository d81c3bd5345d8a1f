"""``feuille export --format projets-te -o DIR``: the plan in the French national schema of transition projects.

The schema of « Les communs de la transition écologique des collectivités »
(``betagouv/schema-projet-collectivites-transition-ecologique``, vendored unchanged in
``schema/`` with its licence and version): ``projets.csv`` (table ``projets-territoire``) and
``collectivites.csv``, with a ``datapackage.json`` that embeds both Table Schemas, so that
``frictionless validate DIR/datapackage.json`` works offline.  docs/donnees-ouvertes.md has the
tables below in words.

- One project per action, or per objective of the last level (``transmission: {projets_te: {per: objective}}``).
- ``id``: a UUID version 5 over :data:`NAMESPACE` of ``<organisation>/<item id>``, the
  organisation named by its SIREN, else its INSEE code, BCE or INS code, else its name: the same
  item always gets the same UUID, and a new one when its id (or its organisation's identifier) changes.
- ``phase`` / ``phaseStatut`` from status, health and the deadline (:func:`phase`, :func:`phase_status`);
  a tag ``phase:étude`` (or ``phase:idée``, ``phase:opération``) says the phase where feuille cannot know it.
- ``budgetPrevisionnel``: the planned budget in whole euros (rounded half up).
- ``porteurCodeSiret``: the SIRET of the item's organisation (checked by lint, F901).
- the referent: the administrative owner, only if their e-mail or phone is public (the publish filter
  keeps contact details internal unless the plan opens them).
- ``competences`` / ``leviers``: the item's tags ``m57:CODE`` and ``sgpe:LEVER`` (checked by lint, F902);
  ``tetId``, ``mecId``, ``recocoId``: tags ``tet:…``, ``mec:…``, ``recoco:…``.
- ``createdAt`` / ``updatedAt``: the first and last commit of the item's file in git (one ``git log``
  for the plan); a file outside git gives the date of its last change for both, and says so.

What cannot be filled is left empty and reported (the notes of the command), never invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from feuille.checks import referentials
from feuille.checks.ecomptes import organisations_of
from feuille.compute.audience import Published
from feuille.core.i18n import N_, Msg, msg, msgn
from feuille.core.model import Action, Audience, Health, Objective, Organisation, OrgType, Status
from feuille.formats._tables import dumps
from feuille.formats.opendata import LICENCES, licence_id
from feuille.io.git import Repo
from feuille.views.exports import Exported, ExportOptions, ExportRefused

SUFFIX = ""
BINARY = False
FOLDER = True
AUDIENCES = ("public",)

SCHEMA_DIR = referentials.SCHEMA_DIR
#: fixed namespace of the projects' and collectivités' UUIDs (uuid5(NAMESPACE_URL, "https://feuille.invalid/projets-te")): never change it
NAMESPACE = uuid.UUID("0c1f3a52-3c1e-5b0e-9d5e-6f1d7c2a9b41")

COLLECTIVITE = {OrgType.municipality: "Commune", OrgType.epci: "EPCI", OrgType.department: "Département", OrgType.region: "Région"}
PHASES = {"idee": "Idée", "etude": "Étude", "operation": "Opération"}  # the schema's own words (machine output, never translated)
STATUT = {"ongoing": "En cours", "late": "En retard", "paused": "En pause", "blocked": "Bloqué", "abandoned": "Abandonné", "done": "Terminé"}
ROLE_WORDS = {"mayor": "Maire", "alderman": "Adjoint au maire", "cpas_president": "Président du CCAS", "councillor": "Conseiller municipal",
              "director_general": "Directeur général des services", "financial_director": "Directeur financier", "director": "Directeur",
              "head_of_service": "Chef de service", "officer": "Agent", "other": ""}
ID_TAGS = {"tet": "tetId", "mec": "mecId", "recoco": "recocoId"}


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name / "schema.json").read_text(encoding="utf-8"))


def org_key(org: Organisation) -> str:
    for scheme in ("siren", "insee_code", "bce", "ins_code"):
        value = getattr(org, scheme)
        if value:
            return f"{scheme}:{value.replace(' ', '').replace('.', '')}"
    return f"name:{org.name}"


def project_id(org: Organisation, item_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{org_key(org)}/{item_id}"))


def collectivite_id(org: Organisation) -> str:
    return str(uuid.uuid5(NAMESPACE, f"collectivite/{org_key(org)}"))


def _fold(text: str) -> str:

    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)).strip()


def phase(status: Status, started: bool, tags: list[str]) -> str:
    """Idée before the work starts, Opération once it has started (a tag ``phase:étude`` says Étude)."""
    for tag in tags:
        key, sep, value = tag.partition(":")
        if sep and _fold(key) == "phase" and _fold(value) in PHASES:
            return PHASES[_fold(value)]
    if status in (Status.ongoing, Status.on_hold, Status.done) or started:
        return PHASES["operation"]
    return PHASES["idee"]


def phase_status(status: Status, health: Health, verdict: str) -> str | None:
    """The documented table: done Terminé, cancelled Abandonné, on hold or paused En pause, blocked Bloqué,
    past its deadline (or a start past due) En retard, ongoing En cours; a plan not started on time... see docs."""
    if status is Status.done:
        return STATUT["done"]
    if status is Status.cancelled:
        return STATUT["abandoned"]
    if status is Status.on_hold or health is Health.paused:
        return STATUT["paused"]
    if health is Health.blocked:
        return STATUT["blocked"]
    if verdict == "late" or (status is Status.not_started and verdict == "behind"):
        return STATUT["late"]
    if status is Status.ongoing:
        return STATUT["ongoing"]
    return None  # not started, not due yet: the idea is not a phase under way


def _euros(amount: Decimal | None) -> int | None:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)) if amount is not None else None


def _array(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False) if values else ""


def _codes(tags: list[str]) -> tuple[list[str], list[str], dict[str, str]]:
    competences, leviers, ids = [], [], {}
    for tag in tags:
        found = referentials.split_tag(tag)
        if found is not None:
            value = referentials.resolve(*found)
            if value is not None:  # an unknown code is lint's F902 (an error): never sent
                (competences if found[0] == "competence" else leviers).append(value)
            continue
        key, sep, value = tag.partition(":")
        if sep and key.strip().casefold() in ID_TAGS and value.strip():
            ids[ID_TAGS[key.strip().casefold()]] = value.strip()
    return list(dict.fromkeys(competences)), list(dict.fromkeys(leviers)), ids


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def file_dates(published: Published) -> dict[str, tuple[str, str]]:
    """Plan file -> (first, last) commit date in git (empty outside git), up to the revision the plan was read from."""

    repo = Repo.find(published.plan.root)
    if repo is None:
        return {}
    try:
        dates = repo.file_dates((published.plan.revision or {}).get("commit") or "HEAD")
    finally:
        repo.close()
    return {rel: (_stamp(first), _stamp(last)) for rel, (first, last) in dates.items()}


def _mtime(root: Path, rel: str) -> str | None:
    try:
        return _stamp(dt.datetime.fromtimestamp((root / rel).stat().st_mtime, dt.UTC).replace(microsecond=0))
    except OSError:
        return None


class _Report:
    """What could not be filled, counted by column and said once per kind."""

    def __init__(self) -> None:
        self.missing: Counter[tuple[str, str]] = Counter()

    def __call__(self, column: str, why: str) -> None:
        self.missing[(column, why)] += 1


MISSING: dict[str, str] = {  # what is left empty, said in the notes of the command
    "siret": N_("porteurCodeSiret left empty in {projects}: their organisation has no 'siret' in plan.yaml."),
    "referent": N_("referent left empty in {projects}: no administrative owner, or their e-mail and phone are not public."),
    "competences": N_("competences left empty in {projects}: no tag m57:CODE (M57 referential)."),
    "leviers": N_("leviers left empty in {projects}: no tag sgpe:LEVER (SGPE referential)."),
    "collectivite": N_("collectiviteIds left empty in {projects}: their organisation is not a commune, EPCI, département or région "
                        "(type in plan.yaml), which the national schema's collectivités are."),
    "budget": N_("budgetPrevisionnel left empty in {projects}: no budget line."),
    "start": N_("dateDebutPrevisionnelle left empty in {projects}: no 'planned_start'."),
    "phaseStatut": N_("phaseStatut left empty in {projects}: not started and not due yet."),
    "mtime": N_("createdAt and updatedAt of {projects} are the date of their file's last change: the plan is not in git (or the file is not committed)."),
    "insee": N_("codeInsee left empty for {projects}: no 'insee_code' in plan.yaml."),
}


def export_files(published: Published, options: ExportOptions, locate: Callable[[list[Any]], None] = lambda diags: None) -> Exported:
    if published.audience is not Audience.public:
        raise ExportRefused(msg("open data is published for everyone: this format exists only for the public audience. Nothing was written."))
    plan, meta = published.plan, published.plan.meta
    if meta is None:
        raise ExportRefused(msg("the plan has no plan.yaml: nothing to publish."))
    settings = meta.transmission.projets_te if meta.transmission and meta.transmission.projets_te else None
    per = settings.per if settings else "action"
    report = _Report()
    dates = file_dates(published)
    orgs = {o.id: o for o in meta.organisations}

    org_of = organisations_of(plan)
    results = {a.action.id: a for a in published.rollup.actions}
    objective_results: dict[str, Any] = {}
    stack = list(published.rollup.objectives)
    while stack:
        r = stack.pop()
        objective_results[r.objective.id] = r
        stack.extend(r.children)

    def when(item: Objective | Action) -> tuple[str, str]:
        rel = plan.origin(item)[0]
        if rel in dates:
            return dates[rel]
        report("mtime", "")
        stamp = _mtime(plan.root, rel) or _stamp(dt.datetime.combine(options.as_of, dt.time(0), dt.UTC))
        return stamp, stamp

    projects: list[dict[str, Any]] = []
    used_orgs: dict[str, Organisation] = {}
    depth = len(meta.levels) - 1
    for obj, _parent, level in plan.walk():
        if per == "action":
            for a in obj.actions:
                r = results.get(a.id)
                projects.append(_project(a, a.status, a.health, r.verdict if r else "unknown", r.budget.planned if r and a.budget else None,
                                         bool(a.actual_start), a.admin_owner, orgs.get(org_of.get(a.id) or ""), when(a), plan, settings, report, used_orgs))
        elif level == depth:
            r = objective_results.get(obj.id)
            status, health = _objective_state(obj)
            projects.append(_project(obj, status, health, r.verdict if r else "unknown", r.budget.planned if r and r.budget.planned else None,
                                     any(a.actual_start for a in obj.actions), obj.admin_owner, orgs.get(org_of.get(obj.id) or ""), when(obj), plan,
                                     settings, report, used_orgs))

    collectivites = []
    first_last = sorted(v for pair in dates.values() for v in pair) or [_stamp(dt.datetime.combine(options.as_of, dt.time(0), dt.UTC))]
    for org in meta.organisations:
        if org.id not in used_orgs:
            continue
        if org.type is OrgType.municipality and not org.insee_code:
            report("insee", "")
        collectivites.append({"id": collectivite_id(org), "nom": org.name, "type": COLLECTIVITE[org.type], "codeInsee": org.insee_code or "",
                              "codeDepartements": "", "codeRegions": "", "codeEpci": "",
                              "siren": (org.siren or "").replace(" ", ""), "createdAt": first_last[0], "updatedAt": first_last[-1]})

    projets_schema, collectivites_schema = _schema("projets-territoire"), _schema("collectivites")
    files: list[tuple[str | None, bytes]] = [
        ("datapackage.json", dumps(_package(meta.title, meta.licence, projets_schema, collectivites_schema)).encode("utf-8")),
        ("projets.csv", _csv(projets_schema, projects)),
        ("collectivites.csv", _csv(collectivites_schema, collectivites)),
    ]
    said: dict[str, Any] = dict(version=projets_schema.get("version", ""), projects=msgn("{n} project", "{n} projects", len(projects)),
                                collectivites=msgn("{n} collectivité", "{n} collectivités", len(collectivites)))
    notes: list[Any] = [msg("national schema of transition projects {version}: {projects} (one per action), {collectivites}.", **said)
                        if per == "action" else
                        msg("national schema of transition projects {version}: {projects} (one per objective), {collectivites}.", **said)]
    for (key, _why), n in sorted(report.missing.items()):
        counted = msgn("{n} commune", "{n} communes", n) if key == "insee" else msgn("{n} project", "{n} projects", n)
        notes.append(Msg(MISSING[key], projects=counted))
    return Exported(files, notes)


def _objective_state(obj: Objective) -> tuple[Status, Health]:
    """An objective's status and health from its actions: all done, all cancelled, none started, else ongoing; the worst health."""
    statuses = [a.status for a in obj.actions]
    counted = [s for s in statuses if s is not Status.cancelled]
    if statuses and not counted:
        status = Status.cancelled
    elif counted and all(s is Status.done for s in counted):
        status = Status.done
    elif all(s is Status.not_started for s in counted):
        status = Status.not_started
    elif all(s in (Status.on_hold, Status.done) for s in counted):
        status = Status.on_hold
    else:
        status = Status.ongoing
    order = [Health.good, Health.at_risk, Health.paused, Health.blocked]
    open_ = [a.health for a in obj.actions if a.status not in (Status.done, Status.cancelled)]
    health = max(open_, key=order.index) if open_ else Health.good
    return status, health


def _project(item: Objective | Action, status: Status, health: Health, verdict: str, budget: Decimal | None, started: bool, referent_id: str | None,
             org: Organisation | None, stamps: tuple[str, str], plan: Any, settings: Any, report: _Report, used: dict[str, Organisation]) -> dict[str, Any]:
    competences, leviers, ids = _codes(item.tags)
    row: dict[str, Any] = {"id": project_id(org, item.id) if org else str(uuid.uuid5(NAMESPACE, f"plan:{plan.meta.title}/{item.id}")),
                           "createdAt": stamps[0], "updatedAt": stamps[1], "nom": item.title, "description": item.description or "",
                           "budgetPrevisionnel": _euros(budget), "dateDebutPrevisionnelle": item.planned_start.isoformat() if item.planned_start else "",
                           "phase": phase(status, started, item.tags), "phaseStatut": phase_status(status, health, verdict) or "",
                           "programme": settings.programme if settings and settings.programme else "",
                           "porteurCodeSiret": (org.siret or "").replace(" ", "") if org else "",
                           "competences": _array(competences), "leviers": _array(leviers), **ids}
    if row["budgetPrevisionnel"] is None:
        report("budget", "")
    if not row["dateDebutPrevisionnelle"]:
        report("start", "")
    if not row["phaseStatut"]:
        report("phaseStatut", "")
    if not row["porteurCodeSiret"]:
        report("siret", "")
    if not competences:
        report("competences", "")
    if not leviers:
        report("leviers", "")
    if org is not None and org.type in COLLECTIVITE:
        row["collectiviteIds"] = _array([collectivite_id(org)])
        used[org.id] = org
    else:
        report("collectivite", "")
    person = plan.people.get(referent_id or "")
    if person is not None and (person.email or person.phone):  # the publish filter left them: the plan makes them public
        row.update(porteurReferentEmail=person.email or "", porteurReferentTelephone=person.phone or "", porteurReferentPrenom=person.first_name,
                   porteurReferentNom=person.last_name, porteurReferentFonction=ROLE_WORDS.get(person.role.value, ""))
    else:
        report("referent", "")
    return row


def _csv(schema: dict[str, Any], rows: list[dict[str, Any]]) -> bytes:

    out = io.StringIO()
    names = [f["name"] for f in schema["fields"]]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
    return out.getvalue().encode("utf-8")


def _package(title: str, licence: str | None, projets: dict[str, Any], collectivites: dict[str, Any]) -> dict[str, Any]:
    """The two tables with the national schemas embedded as they are (validated offline); the plan's licence if it gives one."""

    version = projets.get("version", "")
    known = licence_id(licence) if licence else None
    return {
        "profile": "tabular-data-package",
        "name": "projets-transition-ecologique",
        "title": title,
        **({"licenses": [{"name": known, "title": LICENCES[known][0], "path": LICENCES[known][1]}]} if known else {}),
        "sources": [{"title": "schema-projet-collectivites-transition-ecologique " + version, "path": projets.get("homepage", "")}],
        "resources": [
            {"name": "projets-territoire", "path": "projets.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "schema": projets},
            {"name": "collectivites", "path": "collectivites.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "schema": collectivites},
        ],
    }
