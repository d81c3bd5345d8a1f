"""What the eComptes format (Walloon PST, XSD 201805V1) needs from a plan, and how feuille's values map to it.

Shared by the lint rule ``transmission`` (on when ``plan.yaml`` says ``transmission: {ecomptes: true}``)
and by the exporter (``feuille export --format ecomptes``), which runs :func:`gaps` whatever the plan
declares: a required value that is missing is a diagnostic with its place, never a default.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from feuille.core.diagnostics import Diagnostic, tr
from feuille.core.model import Action, Civility, Health, Objective, OrgType, Status, _Item
from feuille.core.plan import Plan

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
    """Whether feuille can give this action a progress (declared, from indicators, or implied by its status)."""
    if action.progress is not None:
        return True
    for ind in action.indicators:
        if ind.baseline is not None and ind.target is not None and ind.target != ind.baseline and any(m.date <= as_of for m in ind.measurements):
            return True
    status_map = plan.meta.settings.status_progress if plan.meta else {}
    return action.status.value in status_map


def _actions_below(obj: Objective) -> Iterator[Action]:
    stack = [obj]
    while stack:
        o = stack.pop()
        yield from o.actions
        stack.extend(o.objectives)


def _at(plan: Plan, item: _Item, code: str, where: Any = None, **args: Any) -> Diagnostic:
    rel, path = plan.origin(item)
    if where is not None:
        path = path + (where if isinstance(where, tuple) else (where,))
    return Diagnostic(code, plan.display_path(rel), path, obj_id=item.id, obj_title=item.title, args=args)


def _owned(plan: Plan) -> dict[str, list[str]]:
    """Person id -> the items that send them as Responsable or Mandataire."""
    used: dict[str, list[str]] = {}
    for obj, _parent, _depth in plan.walk():
        for item in (obj, *obj.actions):
            for ref in ([item.admin_owner] if item.admin_owner else []) + item.political_owners[:1]:
                used.setdefault(ref, []).append(item.id)
    return used


def gaps(plan: Plan, as_of: dt.date) -> list[Diagnostic]:
    """Everything that keeps the plan from being transmitted in eComptes (errors) or that is changed on the way (warnings)."""
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
        out.append(Diagnostic("F701", plan_file, ("defaults", "organisation"), args={"detail": tr(
            f"« defaults.organisation » cite « {meta.defaults.organisation} », qui n'est pas dans « organisations ».",
            f"'defaults.organisation' names '{meta.defaults.organisation}', which is not in 'organisations'.")}))
    for i, org in enumerate(meta.organisations):
        if org.id not in used_orgs:
            continue
        if org.type not in ADMIN_TYPE:
            out.append(Diagnostic("F701", plan_file, ("organisations", i, "type"), obj_id=org.id, obj_title=org.name, args={"detail": tr(
                f"eComptes ne connaît que les communes (AC) et les CPAS ; « {org.name} » est de type « {org.type.value} ».",
                f"eComptes only knows municipalities (AC) and CPAS; '{org.name}' is of type '{org.type.value}'.")}))
        if not org.ins_code:
            out.append(Diagnostic("F701", plan_file, ("organisations", i, "id"), obj_id=org.id, obj_title=org.name, args={"detail": tr(
                f"« {org.name} » n'a pas de code INS (« ins_code »).", f"'{org.name}' has no INS code ('ins_code').")}))
        elif not re.fullmatch(r"\d{5}", org.ins_code):
            out.append(Diagnostic("F701", plan_file, ("organisations", i, "ins_code"), obj_id=org.id, obj_title=org.name, args={"detail": tr(
                f"Le code INS de « {org.name} » (« {org.ins_code} ») n'a pas cinq chiffres.", f"The INS code of '{org.name}' ('{org.ins_code}') is not five digits.")}))
    for obj, parent, depth in plan.walk():
        for item in (obj, *obj.actions):
            if item.organisation is not None and item.organisation not in org_ids:
                out.append(_at(plan, item, "F701", "organisation", detail=tr(
                    f"« organisation » cite « {item.organisation} », qui n'est pas dans « organisations » de plan.yaml ({', '.join(org_ids)}).",
                    f"'organisation' names '{item.organisation}', which is not in plan.yaml's 'organisations' ({', '.join(org_ids)}).")))
        if parent is None and item_orgs.get(obj.id) is None:
            out.append(_at(plan, obj, "F701", "id", detail=tr(
                f"Le plan a plusieurs organisations ({', '.join(org_ids)}) et cet objectif ne dit pas laquelle le porte.",
                f"The plan has several organisations ({', '.join(org_ids)}) and this objective does not say which one carries it.")))
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
            problems.append(("id", "n'a pas de civilité (« civility: mr » ou « mrs »)", "has no civility ('civility: mr' or 'mrs')"))
        elif person.civility not in CIVILITY:
            problems.append(("civility", f"a la civilité « {person.civility.value} », que eComptes n'exprime pas (MONSIEUR ou MADAME seulement)",
                             f"has the civility '{person.civility.value}', which eComptes cannot express (MONSIEUR or MADAME only)"))
        if len(person.last_name) > MAX_LAST_NAME:
            problems.append(("last_name", f"a un nom de plus de {MAX_LAST_NAME} caractères", f"has a last name over {MAX_LAST_NAME} characters"))
        if len(person.first_name) > MAX_FIRST_NAME:
            problems.append(("first_name", f"a un prénom de plus de {MAX_FIRST_NAME} caractères", f"has a first name over {MAX_FIRST_NAME} characters"))
        if person.phone and compact_phone(person.phone) is None:
            problems.append(("phone", f"a un numéro de téléphone de plus de {MAX_PHONE} caractères, même sans espaces", f"has a phone number over {MAX_PHONE} characters, even without spaces"))
        for key, fr, en in problems:
            out.append(Diagnostic("F703", people_file, ("people", i, key), obj_id=person.id, obj_title=person.name, args={
                "detail": tr(f"{person.name}, responsable de {items}, {fr}.", f"{person.name}, owner of {items}, {en}.")}))

    defaults_fte = meta.defaults.fte if meta.defaults is not None else None
    for action, _obj in plan.actions():
        # --- F704: budget lines
        for j, line in enumerate(action.budget):
            missing_fr, missing_en = [], []
            if "service" not in line.model_fields_set:
                missing_fr.append("le service (« service: ordinary » ou « extraordinary »)")
                missing_en.append("the service ('service: ordinary' or 'extraordinary')")
            if line.type is None:
                missing_fr.append("le type (« type: expense » ou « revenue »)")
                missing_en.append("the type ('type: expense' or 'revenue')")
            if line.label is None:
                missing_fr.append("le libellé (« label »)")
                missing_en.append("the label ('label')")
            if line.article is None and line.economic_group is None:
                missing_fr.append("l'article budgétaire (« article ») ou, pour une projection, le groupe économique (« economic_group »)")
                missing_en.append("the budget article ('article') or, for a projection, the economic group ('economic_group')")
            if missing_fr:
                out.append(_at(plan, action, "F704", ("budget", j), detail=tr(
                    f"La ligne budgétaire {line.year} ({line.amount}) n'a pas " + ", ni ".join(missing_fr) + ".",
                    f"The budget line {line.year} ({line.amount}) has no " + ", no ".join(missing_en) + ".")))
            elif line.article is not None and len(line.article) > MAX_ARTICLE:
                out.append(_at(plan, action, "F704", ("budget", j, "article"), detail=tr(
                    f"L'article « {line.article} » dépasse {MAX_ARTICLE} caractères.", f"The article '{line.article}' is over {MAX_ARTICLE} characters.")))
        # --- F705: a status and a health the format cannot say together
        if action.health is Health.paused and action.status in (Status.ongoing, Status.not_started):
            out.append(_at(plan, action, "F705", "health", status=action.status.value, statut=STATUS[action.status]))
        # --- F706: FTE
        if action.fte is None and defaults_fte is None:
            out.append(_at(plan, action, "F706", "id"))
        # --- F707: progress
        if not progress_known(action, plan, as_of):
            out.append(_at(plan, action, "F707", "status", detail=tr(
                f"feuille ne peut pas calculer l'avancement de cette action (statut « {action.status.value} », sans « progress » ni indicateur mesuré).",
                f"feuille cannot compute this action's progress (status '{action.status.value}', no 'progress' nor measured indicator).")))
    for obj, _parent, _depth in plan.walk():
        below = list(_actions_below(obj))
        live = [a for a in below if a.status is not Status.cancelled]
        if not any(progress_known(a, plan, as_of) for a in live):
            out.append(_at(plan, obj, "F707", "id", detail=tr(
                "Aucune action de cet objectif (hors actions annulées) n'a d'avancement connu : son taux d'avancement ne peut pas être calculé.",
                "No action of this objective (cancelled ones aside) has a known progress: its progress cannot be computed.")))
    return out
