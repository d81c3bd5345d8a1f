"""The plan in the eComptes format (Walloon PST, XSD 201805V1): the ``dataroot`` document the region expects.

Mapping documented in docs/ecomptes.md (strands, objectives and actions carry their owners and budget lines;
actions sitting on a strategic objective, in a plan of uneven depth, go under that objective repeated as its
own operational objective; sub-actions enter through their action's progress).  Every required element comes from a YAML value,
a figure feuille computes (progress, aggregated status, sums) or a plan-level default the
town set on purpose (``defaults``), which the summary names.  A missing value is a
diagnostic (:mod:`feuille.checks.ecomptes`), never a made-up default; every file is
validated against the XSD before anything is written.  A joint City + CPAS plan gives
one file per organisation; an action shared between them splits its budget and FTE.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.etree import ElementTree as ET

from feuille import __version__
from feuille.checks.ecomptes import ADMIN_TYPE, CIVILITY, MAX_LABEL, STATUS, compact_phone, default_organisation, gaps, organisations_of
from feuille.checks.rules import effective_severity
from feuille.compute.audience import Published
from feuille.compute.rollup import ObjectiveResult, indicator_attainment, sub_actions_progress
from feuille.core.diagnostics import Diagnostic, Severity
from feuille.core.i18n import Joined, Msg, msg, msgn
from feuille.core.model import Action, BudgetLine, BudgetService, BudgetType, Health, Objective, Status, VoletItem, _Item
from feuille.core.plan import subtree
from feuille.core.xmlchars import NOT_XML
from feuille.formats.ecomptes.xsd import schema_errors
from feuille.views.exports import Exported, ExportOptions, ExportRefused

SUFFIX = ".xml"
BINARY = True
DEFAULT_AUDIENCE = "council"  # the region gets what the council gets (health notes only if the plan opens them to it)
GENERATOR = f"feuille {__version__}"
_CENT = Decimal("0.01")


VOLETS = {"internal": ("VOLET-INTERNE", "Volet interne"), "external": ("VOLET-EXTERNE", "Volet externe")}


def action_status(action: Action) -> str:
    """The Statut of an action: its status, or PROBLEME when open and its health is ``blocked``."""
    if action.status in (Status.done, Status.cancelled):
        return STATUS[action.status]
    if action.health is Health.blocked:
        return "PROBLEME"
    return STATUS[action.status]


def aggregate_status(statuses: list[Status]) -> str:
    """The Statut of an objective or a volet, from the statuses of every action below it."""
    if not statuses:
        return "NON_COMMENCE"
    live = [s for s in statuses if s is not Status.cancelled]
    if not live:
        return "ANNULE_ABANDONNE"
    for status in (Status.done, Status.not_started, Status.on_hold):
        if all(s is status for s in live):
            return STATUS[status]
    return "EN_COURS"


def _round(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return text if text not in ("-0",) else "0"


def label(text: str) -> str:
    """A Libelle: 255 characters at most (F702 warns before it is cut)."""
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


@dataclass(slots=True)
class _Placed:
    action: Action
    share: Decimal  # fraction of its budget and FTE sent in this file (1 unless split between organisations)


@dataclass(slots=True)
class _Ctx:
    published: Published
    options: ExportOptions
    year: int
    results: dict[str, ObjectiveResult]
    action_progress: dict[str, float]
    orgs: dict[str, str | None]
    default_fte: Decimal | None
    defaults_used: set[str] = field(default_factory=set)  # ids whose FTE is the plan's default
    guests: dict[str, list[Action]] = field(default_factory=dict)  # objective id -> actions filed elsewhere that serve it

    @property
    def plan(self) -> Any:
        return self.published.plan


def _progress_of(action: Action, plan: Any, as_of: dt.date) -> float | None:
    """The action's progress as feuille computes it (its own, else its sub-actions', else its indicators', else its status);
    a cancelled action keeps what it reached."""
    if action.progress is not None:
        return float(action.progress)
    status_map = plan.meta.settings.status_progress
    if action.sub_actions:
        subs = sub_actions_progress(action, status_map)
        if subs is not None:
            return subs
    ind = indicator_attainment(action, as_of, plan)
    if ind is not None:
        return ind
    return float(status_map[action.status.value]) if action.status.value in status_map else None


def _action_fte(ctx: _Ctx, action: Action) -> Decimal:
    if action.fte is not None:
        return action.fte
    assert ctx.default_fte is not None  # F706 otherwise
    ctx.defaults_used.add(action.id)
    return ctx.default_fte


def _objective_fte(ctx: _Ctx, obj: Objective) -> Decimal:
    """Its own ``fte``, else the sum of its sub-objectives' and actions' (a computed figure)."""
    if obj.fte is not None:
        return obj.fte
    total = sum((_objective_fte(ctx, o) for o in obj.objectives), Decimal(0))
    return total + sum((_action_fte(ctx, a) for a in obj.actions), Decimal(0))


def _statuses(ctx: _Ctx, obj: Objective) -> list[Status]:
    """The statuses of the actions below an objective and of those that serve it from elsewhere."""
    out: list[Status] = []
    ids: set[str] = set()
    stack = [obj]
    while stack:
        o = stack.pop()
        ids.add(o.id)
        out.extend(a.status for a in o.actions)
        stack.extend(o.objectives)
    out.extend(a.status for oid in ids for a in ctx.guests.get(oid, ()) if a.id not in {x.id for o in subtree(obj) for x in o.actions})
    return out


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    el = ET.SubElement(parent, tag)
    el.text = value
    return el


def _description(parent: ET.Element, tag: str, value: str | None) -> None:
    el = ET.SubElement(parent, tag)
    _text(el, "Mode", "TEXTE")
    _text(el, "Valeur", value or "")


def _person(parent: ET.Element, tag: str, plan: Any, ref: str | None) -> None:
    person = plan.people.get(ref) if ref else None
    if person is None:
        return
    el = ET.SubElement(parent, tag)
    _text(el, "Civilite", CIVILITY[person.civility])  # F703 otherwise
    _text(el, "Nom", person.last_name)
    _text(el, "Prenom", person.first_name)
    _text(el, "Tel", compact_phone(person.phone) or "" if person.phone else "")
    _text(el, "eMail", person.email or "")


def _base(ctx: _Ctx, parent: ET.Element, tag: str, element_id: str, *, title: str, item: _Item | VoletItem | None, statut: str,
          progress: float, fte: Decimal, budget: tuple[list[BudgetLine], Decimal] | None = None) -> ET.Element:
    """An ElementBaseInfo, its children in the XSD's order; ``budget``: the lines sent as its Articles and Projections, and
    the share of their amounts (1 unless an action is split between organisations)."""
    el = ET.SubElement(parent, tag, {"ElementId": element_id, "Exercice": str(ctx.year)})
    _text(el, "Libelle", label(title))
    start, end = getattr(item, "planned_start", None), getattr(item, "planned_end", None)  # a strand has no dates
    if start:
        _text(el, "DateDebut", start.isoformat())
    if end:
        _text(el, "DateFin", end.isoformat())
    _description(el, "Description", item.description if item is not None else None)
    _text(el, "Statut", statut)
    if item is not None:
        _person(el, "Responsable", ctx.plan, item.admin_owner)
        _person(el, "Mandataire", ctx.plan, item.political_owners[0] if item.political_owners else None)
        service = ctx.plan.services.get(item.service) if item.service else None
        if service is not None:
            _text(el, "Departement", service.name)
    _text(el, "TauxAvancement", _num(_round(progress)))
    _description(el, "RemarqueStatut", item.health_note if isinstance(item, Action) else None)
    _text(el, "ETP", _num(fte))
    plans = ET.SubElement(el, "Plans")
    for name in getattr(item, "plans", None) or []:
        _text(plans, "Plan", name)
    partners = ET.SubElement(el, "Partenaires")
    for name in getattr(item, "partners", None) or []:  # (an action's, an objective's, a strand's)
        _text(partners, "Partenaire", name)
    articles = ET.SubElement(el, "Articles")
    projections = ET.SubElement(el, "Projections")
    if budget is not None:
        lines, share = budget
        grouped: dict[tuple[str, str, str, str], dict[int, Decimal]] = defaultdict(dict)
        for line in lines:
            amount = line.amount if share == 1 else (line.amount * share).quantize(_CENT, rounding=ROUND_HALF_UP)
            service_code = "O" if line.service is BudgetService.ordinary else "E"
            type_code = "R" if line.type is BudgetType.revenue else "D"
            if line.article is not None:
                art = ET.SubElement(articles, "Article")
                _text(art, "Exercice", str(line.year))
                _text(art, "Service", service_code)
                _text(art, "Type", type_code)
                _text(art, "CodeArticle", line.article)
                _text(art, "Libelle", label(line.label or ""))
                _text(art, "Montant", _num(amount))
            else:
                key = (service_code, type_code, line.economic_group or "", line.label or "")
                grouped[key][line.year] = grouped[key].get(line.year, Decimal(0)) + amount
        for (service_code, type_code, group, text), years in grouped.items():
            proj = ET.SubElement(projections, "Projection")
            _text(proj, "Service", service_code)
            _text(proj, "Type", type_code)
            _text(proj, "GroupeEco", group)
            _text(proj, "Libelle", text)
            exercices = ET.SubElement(proj, "Exercices")
            for year in sorted(years):
                ex = ET.SubElement(exercices, "Exercice", {"Valeur": str(year)})
                _text(ex, "Montant", _num(years[year]))
    return el


def _placements(ctx: _Ctx) -> dict[str, dict[str, list[_Placed]]]:
    """Organisation -> objective id -> the actions sent under it in that organisation's file.

    An action goes under its objective; an action that serves several objectives (``serves``)
    goes under each one that is an operational objective, with that share of its budget and FTE,
    in the file of that objective's organisation (its own organisation for its parent's share).
    """
    plan = ctx.plan
    depth = plan.meta.depth
    last_level = {o.id for o, _p, d in plan.walk() if d == min(depth, 2)}
    out: dict[str, dict[str, list[_Placed]]] = defaultdict(lambda: defaultdict(list))
    for action, home in plan.actions():
        own = ctx.orgs[action.id]
        shares: dict[str, Decimal] = {}
        for s in action.serves:
            where = s.objective if s.objective in last_level else home.id
            shares[where] = shares.get(where, Decimal(0)) + Decimal(str(s.percent))
        if not shares:
            shares[home.id] = Decimal(100)
        for where, pct in shares.items():
            if pct <= 0:
                continue
            org = own if where == home.id else (ctx.orgs.get(where) or own)
            out[org][where].append(_Placed(action, pct / 100))
    return out


def _has_content(obj: Objective, org: str, ctx: _Ctx, placed: dict[str, list[_Placed]]) -> bool:
    if ctx.orgs.get(obj.id) == org or placed.get(obj.id):
        return True
    return any(_has_content(o, org, ctx, placed) for o in obj.objectives)


def _objective(ctx: _Ctx, parent: ET.Element, tag: str, obj: Objective, org: str | None = None) -> ET.Element:
    """An objective; its own budget lines go with it in the file of its organisation (``org``), once: not in another
    organisation's file that shows it only to carry an action, nor when it is repeated as its own operational objective."""
    result = ctx.results[obj.id]
    assert result.progress is not None  # F707 otherwise
    own = (obj.budget, Decimal(1)) if org is not None and obj.budget and ctx.orgs.get(obj.id) == org else None
    return _base(ctx, parent, tag, obj.id, title=obj.title, item=obj, statut=aggregate_status(_statuses(ctx, obj)),
                 progress=result.progress, fte=_objective_fte(ctx, obj), budget=own)


def _operational(ctx: _Ctx, container: ET.Element, obj: Objective, placed: dict[str, list[_Placed]], org: str | None = None) -> None:
    """An operational objective and its actions (``org``: its organisation's file, for its own budget lines; None when
    a strategic objective is repeated as its own operational objective, its lines already sent with it)."""
    el = _objective(ctx, container, "ObjectifOperationnel", obj, org)
    actions = ET.SubElement(el, "Actions")
    for p in placed.get(obj.id, []):
        a = p.action
        progress = ctx.action_progress[a.id]
        fte = _action_fte(ctx, a)
        if p.share != 1:
            fte = (fte * p.share).quantize(_CENT, rounding=ROUND_HALF_UP)
        _base(ctx, actions, "Action", a.id, title=a.title, item=a, statut=action_status(a), progress=progress, fte=fte, budget=(a.budget, p.share))


def _document(ctx: _Ctx, org_index: int, placed: dict[str, list[_Placed]]) -> ET.Element:
    plan = ctx.plan
    meta = plan.meta
    org = meta.organisations[org_index]
    root = ET.Element("dataroot")
    ids = ET.SubElement(root, "Identifiants")
    _text(ids, "Id", org.id)
    _text(ids, "TypeAdmin", ADMIN_TYPE[org.type])
    _text(ids, "INS", str(int(org.ins_code)))
    _text(ids, "Type", "PST")
    _text(ids, "Exercice", str(ctx.year))
    _text(ids, "Version", "201805V1")
    _text(ids, "Generateur", GENERATOR)
    pst = ET.SubElement(root, "PST")
    desc = ET.SubElement(pst, "DescriptionPST")
    _text(desc, "IdPST", pst_id(meta))
    _text(desc, "Libelle", label(meta.title))
    _text(desc, "ExerciceDebut", str(meta.term.start.year))
    _text(desc, "ExerciceFin", str(meta.term.end.year))
    volets = ET.SubElement(pst, "Volets")
    tops = [o for o in plan.objectives if _has_content(o, org.id, ctx, placed)]
    items = {v.volet.value: v for v in meta.volets}  # what plan.yaml says of each strand (owners, budget...)
    main_org = default_organisation(plan) or meta.organisations[0].id
    for volet in ("internal", "external"):
        mine = [o for o in tops if o.volet is not None and o.volet.value == volet]
        if not mine:
            continue
        known = [ctx.results[o.id].progress for o in mine]
        statuses = [s for o in mine for s in _statuses(ctx, o)]
        item = items.get(volet)
        element_id, title = VOLETS[volet]
        if item is not None:
            element_id, title = item.ident, item.title or title
        fte = item.fte if item is not None and item.fte is not None else sum((_objective_fte(ctx, o) for o in mine), Decimal(0))
        # a strand has no organisation: its own budget lines go in the file of the plan's main organisation, once
        own = (item.budget, Decimal(1)) if item is not None and item.budget and org.id == main_org else None
        v = _base(ctx, volets, "Volet", element_id, title=title, item=item, statut=aggregate_status(statuses),
                  progress=sum(p for p in known if p is not None) / len(known), fte=fte, budget=own)
        strategic = ET.SubElement(v, "ObjectifStrategiques")
        for obj in mine:
            os_el = _objective(ctx, strategic, "ObjectifStrategique", obj, org.id)
            operational = ET.SubElement(os_el, "ObjectifsOperationnels")
            # a DPC, or actions placed on the strategic objective itself (a plan of uneven depth, settings.actions_at: any):
            # the objective is repeated as its own operational objective, which carries them
            if meta.depth == 1 or placed.get(obj.id):
                _operational(ctx, operational, obj, placed)
            if meta.depth > 1:
                for child in obj.objectives:
                    if _has_content(child, org.id, ctx, placed):
                        _operational(ctx, operational, child, placed, org.id)
    return root


def pst_id(meta: Any) -> str:
    """IdPST: ``transmission.pst_id``, else kind-start-end (``PST-2024-2030``)."""
    if meta.transmission is not None and meta.transmission.pst_id:
        return meta.transmission.pst_id
    kind = (meta.kind or "PST").replace(" ", "-")[:20]
    return f"{kind}-{meta.term.start.year}-{meta.term.end.year}"


def _xml_text_only(root: ET.Element) -> None:
    """Leave out of every text and attribute the characters XML 1.0 cannot hold (F208 says where they are in the plan):
    ElementTree would write them as they are, and the file would not be XML."""
    for el in root.iter():
        if el.text and NOT_XML.search(el.text):
            el.text = NOT_XML.sub("", el.text)
        for key, value in el.attrib.items():
            if NOT_XML.search(value):
                el.attrib[key] = NOT_XML.sub("", value)


def export_files(published: Published, options: ExportOptions, locate: Callable[[list[Diagnostic]], None] = lambda diags: None) -> Exported:
    """The eComptes files of the plan as ``published`` for its audience; ``locate`` places the gaps found in the files."""

    plan = published.plan
    meta = plan.meta
    if meta is None:
        raise ExportRefused(msg("the plan has no readable plan.yaml."))
    found = gaps(plan, options.as_of, published.positions.get("Person"))
    errors = [d for d in found if d.severity == Severity.error]
    if errors:
        locate(errors)
        errors.sort(key=Diagnostic.sort_key)
        raise ExportRefused(msgn("the plan cannot be sent in eComptes: {n} required value is missing or does not fit. No file is written.",
                                   "the plan cannot be sent in eComptes: {n} required values are missing or do not fit. No file is written.",
                                len(errors)), errors)
    warnings = [d for d in found if d.severity != Severity.error and effective_severity(plan, d.code) is not None]
    locate(warnings)
    if not plan.objectives:
        raise ExportRefused(msg("the plan has no objective: eComptes asks for at least one strand (volet) with its objectives."))
    results: dict[str, ObjectiveResult] = {}
    stack = list(published.rollup.objectives)  # figures of the whole plan, even where an item is not shown
    while stack:
        r = stack.pop()
        results[r.objective.id] = r
        stack.extend(r.children)
    year = meta.transmission.year if meta.transmission is not None and meta.transmission.year else options.as_of.year
    ctx = _Ctx(published, options, year, results,
               {a.id: p for a, _o in plan.actions() if (p := _progress_of(a, plan, options.as_of)) is not None},
               organisations_of(plan), meta.defaults.fte if meta.defaults is not None else None)
    for action, home in plan.actions():
        for share in action.serves:
            if share.objective != home.id:
                ctx.guests.setdefault(share.objective, []).append(action)
    placements = _placements(ctx)
    files: list[tuple[str | None, bytes]] = []
    used = [i for i, o in enumerate(meta.organisations) if o.id in placements or o.id in ctx.orgs.values()]
    for i in used:
        org = meta.organisations[i]
        root = _document(ctx, i, placements.get(org.id, {}))
        _xml_text_only(root)
        ET.indent(root, space="  ")
        data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
        invalid = schema_errors(ET.fromstring(data))  # the bytes written, read back: well-formed, and valid against the XSD
        if invalid:
            raise ExportRefused(msg("the eComptes file of '{org}' would not be valid against the Region's schema; nothing is written. It is not "
                                    "your fault: report it with these lines:\n  {errors}", org=org.name, errors=Joined(Msg("\n  "), invalid)))
        files.append((org.id if len(used) > 1 else None, data))
    organisations = ", ".join(f"{meta.organisations[i].name} ({ADMIN_TYPE[meta.organisations[i].type]}, INS {meta.organisations[i].ins_code})" for i in used)
    notes: list[str | Msg] = [msgn("financial year {year}, {n} file: {organisations}.", "financial year {year}, {n} files: {organisations}.", len(files), year=year,
                                 organisations=organisations)]
    if meta.transmission is None or not meta.transmission.year:
        notes.append(msg("financial year {year}: the year of the reference date (--as-of); set it with 'transmission: {{year: ...}}'.", year=year))
    if ctx.defaults_used:
        shown = ", ".join(sorted(ctx.defaults_used)[:8]) + ("…" if len(ctx.defaults_used) > 8 else "")
        notes.append(msgn("the plan's default FTE (defaults.fte = {fte}) used for {n} action: {actions}.",
                          "the plan's default FTE (defaults.fte = {fte}) used for {n} actions: {actions}.", len(ctx.defaults_used), fte=_num(ctx.default_fte or Decimal(0)),
                         actions=shown))
    if meta.depth == 1:
        notes.append(msg("plan with one level of objectives: each objective is sent as a strategic objective and as its only operational objective "
                         "(docs/ecomptes.md)."))
    return Exported(files, notes, warnings)


def export(published: Published, options: ExportOptions) -> bytes:
    """The eComptes file of a plan with one organisation (see :func:`export_files` for joint plans)."""
    result = export_files(published, options)
    if len(result.files) != 1:
        raise ExportRefused(msg("the plan holds several organisations: eComptes wants one file per organisation (use export_files)."))
    return result.files[0][1]
