"""What the eComptes format (Walloon PST, XSD 201805V1) needs from a plan: the rules F701-F709 (:func:`gaps`) and
the mappings they check against (organisation types, civilities, statuses, lengths).

Run by the lint rule ``transmission`` (on when ``plan.yaml`` says ``transmission: {ecomptes: true}``), without
loading the format, and by the exporter (:mod:`feuille.formats.ecomptes.write`), which runs :func:`gaps`
whatever the plan declares: a required value that is missing is a diagnostic with its place, never a default.
How the export writes what these rules accept (statuses of objectives, strands) is the format's own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from feuille.core.diagnostics import Diagnostic
from feuille.core.i18n import Joined, msg
from feuille.core.model import Action, Civility, Health, Objective, OrgType, Status, VoletItem, _Item
from feuille.core.plan import Plan, subtree
from feuille.core.registry import ValueName

MAX_LABEL = 255  # Libelle of every element and article
MAX_LAST_NAME, MAX_FIRST_NAME, MAX_PHONE, MAX_ARTICLE = 100, 50, 15, 50

#: status -> Statut (a done or cancelled action keeps its status whatever its health)
STATUS = {
    Status.not_started: "NON_COMMENCE",
    Status.ongoing: "EN_COURS",
    Status.on_hold: "EN_ATTENTE",
    Status.done: "TERMINE",
    Status.cancelled: "ANNULE_ABANDONNE",
}
ADMIN_TYPE = {OrgType.municipality: "AC", OrgType.cpas: "CPAS"}
CIVILITY = {Civility.mr: "MONSIEUR", Civility.mrs: "MADAME"}


def compact_phone(phone: str) -> str | None:
    """The phone number as eComptes takes it (15 characters at most): as written, else without separators."""
    if len(phone) <= MAX_PHONE:
        return phone
    compact = re.sub(r"[\s./()-]", "", phone)
    return compact if len(compact) <= MAX_PHONE else None


def default_organisation(plan: Plan) -> str | None:
    """The organisation of an objective that names none: ``defaults.organisation``, else the plan's only one."""
    meta = plan.meta
    if meta is None:
        return None
    if meta.defaults is not None and meta.defaults.organisation:
        return meta.defaults.organisation
    return meta.organisations[0].id if len(meta.organisations) == 1 else None


def organisations_of(plan: Plan) -> dict[str, str | None]:
    """Item id -> its organisation: its own, else its objective's (inherited), else the plan's default."""
    out: dict[str, str | None] = {}
    fallback = default_organisation(plan)
    for obj, parent, _depth in plan.walk():
        out[obj.id] = obj.organisation or (out.get(parent.id) if parent is not None else fallback)
        for action in obj.actions:
            out[action.id] = action.organisation or out[obj.id]
    return out


def progress_known(action: Action, plan: Plan, as_of: dt.date) -> bool:
    """Whether feuille can give this action a progress (declared, from its sub-actions, from indicators, or implied by its status)."""
    if action.progress is not None:
        return True
    status_map = plan.meta.settings.status_progress if plan.meta else {}
    for sub in action.sub_actions:
        if sub.status is not Status.cancelled and (sub.progress is not None or sub.status.value in status_map):
            return True
    for ind in plan.indicators_of(action):  # its own and those it links to (compute/indicators.py's rule)
        if not any(m.date <= as_of for m in ind.measurements):
            continue
        if ind.direction.value == "range":
            if ind.range is not None and (ind.range.min is not None or ind.range.max is not None):
                return True
        elif ind.baseline is not None and ind.target is not None and ind.target != ind.baseline:
            return True
    return action.status.value in status_map


def _actions_below(obj: Objective) -> Iterator[Action]:
    stack = [obj]
    while stack:
        o = stack.pop()
        yield from o.actions
        stack.extend(o.objectives)


def _at(plan: Plan, item: _Item | VoletItem, code: str, where: Any = None, **args: Any) -> Diagnostic:
    rel, path = plan.origin(item)
    if where is not None:
        path = path + (where if isinstance(where, tuple) else (where,))
    ident = item.ident if isinstance(item, VoletItem) else item.id
    return Diagnostic(code, plan.display_path(rel), path, obj_id=ident, obj_title=item.title, args=args)


def _owned(plan: Plan) -> dict[str, list[str]]:
    """Person id -> the items that send them as Responsable or Mandataire."""
    used: dict[str, list[str]] = {}
    for volet in plan.volets:
        for ref in ([volet.admin_owner] if volet.admin_owner else []) + volet.political_owners[:1]:
            used.setdefault(ref, []).append(volet.ident)
    for obj, _parent, _depth in plan.walk():
        for item in (obj, *obj.actions):
            for ref in ([item.admin_owner] if item.admin_owner else []) + item.political_owners[:1]:
                used.setdefault(ref, []).append(item.id)
    return used


def gaps(plan: Plan, as_of: dt.date, positions: dict[str, int] | None = None) -> list[Diagnostic]:
    """Everything that keeps the plan from being transmitted in eComptes (errors) or that is changed on the way (warnings);
    ``positions``: where each person is in people.yaml, when ``plan`` lists only some of them (a published plan)."""
    meta = plan.meta
    if meta is None:
        return []
    out: list[Diagnostic] = []
    plan_file = plan.display_path(plan.files[0] if plan.files else "plan.yaml")
    people_file = plan.display_path("people.yaml")
    org_ids = [o.id for o in meta.organisations]
    item_orgs = organisations_of(plan)
    used_orgs = {o for o in item_orgs.values() if o is not None}

    # --- F709: levels
    if meta.depth > 2:
        out.append(Diagnostic("F709", plan_file, ("levels",), args={"count": str(meta.depth), "levels": ", ".join(meta.levels[:-1])}))

    # --- F701: organisations
    if meta.defaults is not None and meta.defaults.organisation and meta.defaults.organisation not in org_ids:
        out.append(Diagnostic("F701", plan_file, ("defaults", "organisation"), args={"detail": msg("'defaults.organisation' names '{organisation}', which is not in 'organisations'.", organisation=meta.defaults.organisation)}))
    for i, org in enumerate(meta.organisations):
        if org.id not in used_orgs:
            continue
        if org.type not in ADMIN_TYPE:
            out.append(Diagnostic("F701", plan_file, ("organisations", i, "type"), obj_id=org.id, obj_title=org.name, args={"detail": msg("eComptes only knows municipalities (AC) and CPAS; '{name}' is of type '{value}'.", name=org.name, value=org.type.value)}))
        if not org.ins_code:
            out.append(Diagnostic("F701", plan_file, ("organisations", i, "id"), obj_id=org.id, obj_title=org.name, args={"detail": msg("'{name}' has no INS code ('ins_code').", name=org.name)}))
        elif not re.fullmatch(r"\d{5}", org.ins_code):
            out.append(Diagnostic("F701", plan_file, ("organisations", i, "ins_code"), obj_id=org.id, obj_title=org.name, args={"detail": msg("The INS code of '{name}' ('{ins_code}') is not five digits.", name=org.name, ins_code=org.ins_code)}))
    for obj, parent, _depth in plan.walk():
        for item in (obj, *obj.actions):
            if item.organisation is not None and item.organisation not in org_ids:
                out.append(_at(plan, item, "F701", "organisation", detail=msg("'organisation' names '{organisation}', which is not in plan.yaml's 'organisations' ({org_ids}).", organisation=item.organisation, org_ids=', '.join(org_ids))))
        if parent is None and item_orgs.get(obj.id) is None:
            out.append(_at(plan, obj, "F701", "id", detail=msg('The plan has several organisations ({org_ids}) and this objective does not say which one carries it.', org_ids=', '.join(org_ids))))
        # --- F708: volet of the top-level objectives
        if parent is None and obj.volet is None:
            out.append(_at(plan, obj, "F708", "id"))

    # --- F702: titles over 255 characters (cut, with a warning)
    if len(meta.title) > MAX_LABEL:
        out.append(Diagnostic("F702", plan_file, ("title",), args={"length": str(len(meta.title))}))
    for obj, _parent, _depth in plan.walk():
        for item in (obj, *obj.actions):
            if len(item.title) > MAX_LABEL:
                out.append(_at(plan, item, "F702", "title", length=str(len(item.title))))

    # --- F703: owners sent as Responsable / Mandataire
    used = _owned(plan)
    for i, person in enumerate(plan.people.values()):
        if person.id not in used:
            continue
        items = ", ".join(used[person.id][:3]) + ("…" if len(used[person.id]) > 3 else "")
        problems: list[tuple[str, str, str]] = []  # (key, fr, en)
        if person.civility is None:
            problems.append(("id", msg("has no civility ('civility: mr' or 'mrs')")))
        elif person.civility not in CIVILITY:
            problems.append(("civility", msg("has the civility '{civility}', which eComptes cannot express (MONSIEUR or MADAME only)", civility=person.civility.value)))
        if len(person.last_name) > MAX_LAST_NAME:
            problems.append(("last_name", msg("has a last name over {n} characters", n=MAX_LAST_NAME)))
        if len(person.first_name) > MAX_FIRST_NAME:
            problems.append(("first_name", msg("has a first name over {n} characters", n=MAX_FIRST_NAME)))
        if person.phone and compact_phone(person.phone) is None:
            problems.append(("phone", msg("has a phone number over {n} characters, even without spaces", n=MAX_PHONE)))
        for key, problem in problems:
            out.append(Diagnostic("F703", people_file, ("people", (positions or {}).get(person.id, i), key), obj_id=person.id, obj_title=person.name, args={
                "detail": msg("{name}, owner of {items}, {problem}.", name=person.name, items=items, problem=problem)}))

    defaults_fte = meta.defaults.fte if meta.defaults is not None else None
    # --- F704: budget lines (of the strands and objectives too: eComptes carries Articles at every level)
    budgeted: list[Any] = [*plan.volets, *(obj for obj, _p, _d in plan.walk()), *(a for a, _o in plan.actions())]
    for item in budgeted:
        for j, line in enumerate(item.budget):
            missing = []
            if "service" not in line.model_fields_set:
                missing.append(msg("the service ('service: ordinary' or 'extraordinary')"))
            if line.type is None:
                missing.append(msg("the type ('type: expense' or 'revenue')"))
            if line.label is None:
                missing.append(msg("the label ('label')"))
            if line.article is None and line.economic_group is None:
                missing.append(msg("the budget article ('article') or, for a projection, the economic group ('economic_group')"))
            if missing:
                nor = msg(", no ")
                out.append(_at(plan, item, "F704", ("budget", j), detail=msg(
                    "The budget line {year} ({amount}) has no {missing}.", year=line.year, amount=line.amount, missing=Joined(nor, missing))))
            elif line.article is not None and len(line.article) > MAX_ARTICLE:
                out.append(_at(plan, item, "F704", ("budget", j, "article"), detail=msg("The article '{article}' is over {n} characters.", article=line.article, n=MAX_ARTICLE)))
    for action, _obj in plan.actions():
        # --- F705: a status and a health the format cannot say together
        if action.health is Health.paused and action.status in (Status.ongoing, Status.not_started):
            out.append(_at(plan, action, "F705", "health", status=ValueName(action.status), statut=STATUS[action.status]))
        # --- F706: FTE
        if action.fte is None and defaults_fte is None:
            out.append(_at(plan, action, "F706", "id"))
        # --- F707: progress
        if not progress_known(action, plan, as_of):
            out.append(_at(plan, action, "F707", "status", detail=msg("feuille cannot compute this action's progress (status '{value}', no 'progress' nor measured indicator).", value=ValueName(action.status))))
    declared = {obj.id for obj, _p, _d in plan.walk() if obj.progress_declared is not None and obj.progress_declared.date <= as_of}
    for obj, _parent, _depth in plan.walk():
        if any(o.id in declared for o in subtree(obj)):  # its own declared progress, or one below it, gives its progress
            continue
        below = list(_actions_below(obj))
        live = [a for a in below if a.status is not Status.cancelled]
        if not any(progress_known(a, plan, as_of) for a in live):
            out.append(_at(plan, obj, "F707", "id", detail=msg("No action of this objective (cancelled ones aside) has a known progress, and it declares none "
                                                               "('progress_declared'): its progress cannot be computed.")))
    return out
