"""Read eComptes files (Walloon PST, XSD 201805V1) into a new plan: one file per organisation, merged.

Safe reading (:mod:`feuille.io.xmlsafe`): no DTD entity is expanded, nothing outside the
file is read.  The file must be eComptes version 201805V1 and valid against the XSD.
The mapping is the exporter's, read backwards (docs/ecomptes.md): what the format does
not carry (actual dates, several political owners, the split of a shared action between
objectives, organisation names) is not made up; the notes say what to complete.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from feuille.core.i18n import Joined, Msg, msg, msgn
from feuille.core.model import Status
from feuille.formats.ecomptes.write import aggregate_status
from feuille.formats.ecomptes.xsd import VERSION, schema_errors
from feuille.formats.spreadsheet.html import clean_text
from feuille.io.imports import Imported, ImportProblem
from feuille.io.xmlsafe import XmlProblem, parse

NAME = "eComptes (PST, XML 201805V1)"
SUFFIXES = (".xml",)
_STATUS = {"NON_COMMENCE": "not_started", "EN_COURS": "ongoing", "EN_ATTENTE": "on_hold", "TERMINE": "done", "ANNULE_ABANDONNE": "cancelled"}
_CIVILITY = {"MONSIEUR": "mr", "MADAME": "mrs"}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}")


def sniff(head: bytes) -> bool:
    """An eComptes file: its root element, ``dataroot``, in its first bytes."""
    return b"<dataroot" in head[:4096]


def _t(el: ET.Element | None, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(tag)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:60] or "x"


def _described(el: ET.Element | None) -> str | None:
    """A Description or a RemarqueStatut: its Valeur, as Markdown when its Mode is HTML."""
    value = _t(el, "Valeur")
    if value and _t(el, "Mode") == "HTML":
        value = clean_text(value)[0] or None
    return value


_NESTED = ("ObjectifStrategiques", "ObjectifsOperationnels", "Actions")
_LISTS = {"Plans": "Plan", "Partenaires": "Partenaire", "Articles": "Article", "Projections": "Projection"}
_LEVELS = ("Volet", "ObjectifStrategique", "ObjectifOperationnel", "Action")
#: Where a child element goes, whatever its element.
_FIELDS = {"Libelle": "title", "DateDebut": "planned_start", "DateFin": "planned_end", "Description": "description",
           "Responsable": "admin_owner (people.yaml)", "Mandataire": "political_owners (people.yaml)", "Departement": "service (people.yaml)",
           "ETP": "fte", "Plans/Plan": "plans", "Partenaires/Partenaire": "partners", "Articles/Article": "budget (article)"}


def _where(element: str, child: str) -> str | Msg:
    if child == "Projections/Projection":
        return msg("budget (economic_group, one line per year)")
    if element == "Action":
        return {"Statut": "status (PROBLEME: health blocked)", "TauxAvancement": "progress", "RemarqueStatut": "health_note"}.get(child) \
            or _FIELDS.get(child, child)
    if child == "Statut":
        return msg("computed from its actions (another value: its notes)")
    if child == "TauxAvancement":
        return msg("progress_declared, or computed from its actions (see below)")
    if child == "RemarqueStatut":
        return msg("its notes")
    where = _FIELDS.get(child, child)
    if element == "Volet":
        where = f"volets: {where}" if child != "ETP" else msg("volets: fte, when it is not the sum of its objectives'")
    return where


def _number(text: str | None) -> int | float | None:
    if text is None:
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


class _Reader:
    def __init__(self) -> None:
        self.orgs: list[dict[str, Any]] = []
        self.people: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.services: dict[str, dict[str, Any]] = {}
        self.objectives: dict[str, dict[str, Any]] = {}  # id -> data (top level and nested share these dicts)
        self.tops: list[str] = []
        self.volets: dict[str, dict[str, Any]] = {}  # internal | external -> its entry in plan.yaml's volets
        self.actions: dict[str, dict[str, Any]] = {}
        self.org_of: dict[str, str] = {}  # item id -> organisation of the first file it appeared in
        self.seen: dict[str, list[tuple[str, Decimal, Decimal]]] = {}  # action id -> (objective, amount, FTE) of each place it appears
        self.meta: dict[str, Any] | None = None
        self.two_levels = True
        self.renamed: dict[str, str] = {}  # ElementId that is not a feuille id -> the id given
        self.untitled: list[str] = []
        self.counted: dict[tuple[str, str], int] = {}  # (element, child element) -> how many held a value (the import report)
        self.figures: dict[str, int] = {}  # what became of the objectives' and strands' own figures (the import report)
        self.repeated = 0  # operational objectives repeating their strategic objective (a DPC)

    # --- people and services
    def person(self, el: ET.Element | None, role: str) -> str | None:
        if el is None:
            return None
        civ, last, first, tel, mail = (_t(el, k) for k in ("Civilite", "Nom", "Prenom", "Tel", "eMail"))
        key = (civ, last, first, tel, mail)
        if key not in self.people:
            base = _slug(f"{(first or '')[:1]}{last or ''}") or "personne"
            pid, n = base, 2
            while any(p["id"] == pid for p in self.people.values()):
                pid, n = f"{base}-{n}", n + 1
            data: dict[str, Any] = {"id": pid}
            if civ in _CIVILITY:
                data["civility"] = _CIVILITY[civ]
            data.update(first_name=first or "?", last_name=last or "?", role=role)
            if tel:
                data["phone"] = tel
            if mail:
                data["email"] = mail
            self.people[key] = data
        return self.people[key]["id"]

    def service(self, name: str | None, org: str) -> str | None:
        if not name:
            return None
        if name not in self.services:
            sid = _slug(name)
            while any(s["id"] == sid for s in self.services.values()):
                sid += "-2"
            self.services[name] = {"id": sid, "name": name, "organisation": org}
        return self.services[name]["id"]

    # --- elements
    def element_id(self, raw: str | None) -> str:
        """An ElementId as a feuille id (letters, digits, . _ -); another tool's id is kept when it fits."""
        raw = (raw or "").strip()
        if _ID.fullmatch(raw):
            return raw
        fixed = re.sub(r"[^A-Za-z0-9._-]+", "-", unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()).strip("-._")[:64] or "sans-id"
        self.renamed[raw] = fixed
        return fixed

    def count(self, el: ET.Element) -> None:
        """The children of an element that hold a value, counted for the import report."""
        for child in el:
            if child.tag in _NESTED:
                continue
            if child.tag in _LISTS:
                n = len(list(child))
                key = (el.tag, f"{child.tag}/{_LISTS[child.tag]}")
            else:
                n = 1 if ((child.text or "").strip() or any((c.text or "").strip() for c in child.iter() if c.tag != "Mode")) else 0
                key = (el.tag, child.tag)
            if n:
                self.counted[key] = self.counted.get(key, 0) + n

    def item(self, el: ET.Element, org: str, action: bool) -> dict[str, Any]:
        self.count(el)
        title = _t(el, "Libelle")
        data: dict[str, Any] = {"id": self.element_id(el.get("ElementId")), "title": title or "(sans intitulé)"}
        if not title:
            self.untitled.append(data["id"])
        desc = _described(el.find("Description"))
        if desc:
            data["description"] = desc
        mandataire = self.person(el.find("Mandataire"), "councillor")
        if mandataire:
            data["political_owners"] = [mandataire]
        responsable = self.person(el.find("Responsable"), "officer")
        if responsable:
            data["admin_owner"] = responsable
        service = self.service(_t(el, "Departement"), org)
        if service:
            data["service"] = service
        for tag, key in (("DateDebut", "planned_start"), ("DateFin", "planned_end")):
            value = _t(el, tag)
            if value:
                data[key] = dt.date.fromisoformat(value[:10])
        if action:
            statut = _t(el, "Statut") or "NON_COMMENCE"
            data["status"] = _STATUS.get(statut, "ongoing")
            if statut == "PROBLEME":
                data["health"] = "blocked"
            data["progress"] = _number(_t(el, "TauxAvancement"))
            note = _described(el.find("RemarqueStatut"))
            if note:
                data["health_note"] = note
        else:  # an objective's or a strand's own figures: kept apart, placed once the whole file is read (:meth:`declared`)
            data["_declared"] = {k: v for k, v in (("progress", _number(_t(el, "TauxAvancement"))), ("statut", _t(el, "Statut")),
                                                   ("remark", _described(el.find("RemarqueStatut")))) if v is not None}
        data["fte"] = _number(_t(el, "ETP"))
        plans = [p.text.strip() for p in el.findall("Plans/Plan") if p.text and p.text.strip()]
        if plans:
            data["plans"] = plans
        partners = [p.text.strip() for p in el.findall("Partenaires/Partenaire") if p.text and p.text.strip()]
        if partners:
            data["partners"] = partners
        # budget lines at every level: strands and objectives carry Articles and Projections too (issue 22)
        budget = []
        for art in el.findall("Articles/Article"):
            budget.append({"amount": _number(_t(art, "Montant")), "year": int(_t(art, "Exercice") or 0),
                           "service": "ordinary" if _t(art, "Service") == "O" else "extraordinary",
                           "type": "revenue" if _t(art, "Type") == "R" else "expense",
                           "article": _t(art, "CodeArticle"), "label": _t(art, "Libelle")})
        for proj in el.findall("Projections/Projection"):
            for ex in proj.findall("Exercices/Exercice"):
                budget.append({"amount": _number(_t(ex, "Montant")), "year": int(ex.get("Valeur") or 0),
                               "service": "ordinary" if _t(proj, "Service") == "O" else "extraordinary",
                               "type": "revenue" if _t(proj, "Type") == "R" else "expense",
                               "economic_group": _t(proj, "GroupeEco"), "label": _t(proj, "Libelle")})
        budget = [{k: v for k, v in line.items() if v is not None} for line in budget]
        if budget:
            data["budget"] = budget
        return data

    def merge_action(self, data: dict[str, Any], org: str, where: str) -> dict[str, Any] | None:
        """An action seen again (it serves several objectives): its amounts and FTE add up."""
        amount = sum((Decimal(str(b["amount"])) for b in data.get("budget", [])), Decimal(0))
        self.seen.setdefault(data["id"], []).append((where, amount, Decimal(str(data.get("fte", 0)))))
        known = self.actions.get(data["id"])
        if known is None:
            self.actions[data["id"]] = data
            self.org_of[data["id"]] = org
            return data
        known["fte"] = _number(str(Decimal(str(known.get("fte", 0))) + Decimal(str(data.get("fte", 0)))))
        for line in data.get("budget", []):
            same = next((b for b in known.get("budget", []) if {k: v for k, v in b.items() if k != "amount"} == {k: v for k, v in line.items() if k != "amount"}), None)
            if same is None:
                known.setdefault("budget", []).append(line)
            else:
                same["amount"] = _number(str(Decimal(str(same["amount"])) + Decimal(str(line["amount"]))))
        return None

    def objective(self, el: ET.Element, org: str) -> dict[str, Any]:
        data = self.item(el, org, action=False)
        known = self.objectives.get(data["id"])
        if known is None:
            data["objectives"], data["actions"] = [], []
            self.objectives[data["id"]] = data
            self.org_of[data["id"]] = org
            return data
        if data.get("budget") and not known.get("budget"):  # its own lines come in the file of its organisation
            known["budget"] = data["budget"]
        return known

    def volet(self, el: ET.Element, kind: str | None, org: str) -> None:
        """What a strand carries beyond its name (owners, description, department, budget lines): plan.yaml's ``volets``."""
        if kind is None:
            return
        data = self.item(el, org, action=False)
        data["_fte"] = data.pop("fte", None)  # kept when it is not the sum of its objectives' (:meth:`declared`)
        data["_objectives"] = [self.element_id(o.get("ElementId")) for o in el.findall("ObjectifStrategiques/ObjectifStrategique")]
        if data["id"] == {"internal": "VOLET-INTERNE", "external": "VOLET-EXTERNE"}[kind]:
            data.pop("id")
        if data["title"] in ("Volet interne", "Volet externe", "(sans intitulé)"):
            data.pop("title")
        known = self.volets.get(kind)
        if known is None:
            self.volets[kind] = {"volet": kind, **data}
        elif data.get("budget") and not known.get("budget"):
            known["budget"] = data["budget"]

    def read(self, name: str, raw: bytes) -> None:
        try:
            root = parse(raw)
        except XmlProblem as exc:
            raise ImportProblem(msg("'{name}': {problem}", name=name, problem=exc.msg)) from None
        if root.tag != "dataroot" or root.find("Identifiants") is None:
            raise ImportProblem(msg("'{name}' is an XML file, but not an eComptes file (it starts with <{tag}>, not with <dataroot> and its "
                                    "<Identifiants>).", name=name, tag=root.tag),
                                msg("feuille import reads the eComptes exports of the PST (version 201805V1)."))
        ids = root.find("Identifiants")
        version = _t(ids, "Version")
        if version != VERSION or _t(ids, "Type") != "PST":
            raise ImportProblem(msg("'{name}' is an eComptes file of type '{type}', version '{version}'; feuille reads version {expected} of the PST.",
                                    name=name, type=str(_t(ids, "Type")), version=str(version), expected=VERSION),
                                msg("Ask the original tool for a PST export in the 201805V1 format."))
        problems = schema_errors(root)
        if problems:
            raise ImportProblem(msg("'{name}' is not valid against the eComptes schema {version}:\n  {errors}", name=name, version=VERSION,
                                    errors=Joined(Msg("\n  "), problems)))
        type_admin = _t(ids, "TypeAdmin") or "AC"
        ins = _t(ids, "INS") or ""
        org_id = _t(ids, "Id") or ("cpas" if type_admin == "CPAS" else "ville")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._\-]*", org_id):
            org_id = "cpas" if type_admin == "CPAS" else "ville"
        if any(o["id"] == org_id for o in self.orgs):
            raise ImportProblem(msg("'{name}' is a second file for the organisation '{org}': give one file per organisation.", name=name, org=org_id))
        self.orgs.append({"id": org_id, "name": f"{'CPAS' if type_admin == 'CPAS' else 'Administration communale'} (INS {ins})",
                          "type": "cpas" if type_admin == "CPAS" else "municipality", "ins_code": ins.zfill(5)})
        desc = root.find("PST/DescriptionPST")
        meta = {"pst_id": _t(desc, "IdPST"), "title": _t(desc, "Libelle") or "PST", "start": int(_t(desc, "ExerciceDebut") or 0),
                "end": int(_t(desc, "ExerciceFin") or 0), "year": int(_t(ids, "Exercice") or 0)}
        if self.meta is None:
            self.meta = meta
        for volet in root.findall("PST/Volets/Volet"):
            vid = (volet.get("ElementId") or "") + " " + (_t(volet, "Libelle") or "")
            kind = "internal" if "intern" in vid.lower() else "external" if "extern" in vid.lower() else None
            self.volet(volet, kind, org_id)
            for os_el in volet.findall("ObjectifStrategiques/ObjectifStrategique"):
                os_data = self.objective(os_el, org_id)
                if os_data["id"] not in self.tops:
                    self.tops.append(os_data["id"])
                    if kind:
                        os_data["volet"] = kind
                for oo_el in os_el.findall("ObjectifsOperationnels/ObjectifOperationnel"):
                    if self.element_id(oo_el.get("ElementId")) == os_data["id"]:
                        target = os_data  # a one-level plan (DPC): the objective repeated as its own operational objective
                        self.repeated += 1
                    else:
                        self.two_levels = False
                        target = self.objective(oo_el, org_id)
                        if target not in os_data["objectives"]:
                            os_data["objectives"].append(target)
                    for a_el in oo_el.findall("Actions/Action"):
                        action = self.merge_action(self.item(a_el, org_id, action=True), org_id, target["id"])
                        if action is not None:
                            target["actions"].append(action)

    def shares(self) -> list[Msg]:
        """``serves`` of the actions seen in several places, from the split of their budget (else FTE)."""
        notes: list[Msg] = []
        for aid, places in self.seen.items():
            if len(places) < 2:
                continue
            amounts = [a for _w, a, _f in places]
            ftes = [f for _w, _a, f in places]
            basis = amounts if sum(amounts) > 0 else ftes if sum(ftes) > 0 else None
            if basis is None:
                weights = [Decimal(1)] * len(places)
                notes.append(msg("{id} serves {n} objectives without a budget or FTE to give the split: equal shares, to be checked.", id=aid, n=len(places)))
            else:
                weights = basis
            total = sum(weights)
            percents = [(w / total * 100).quantize(Decimal("0.01")) for w in weights]
            percents[-1] = Decimal(100) - sum(percents[:-1])
            action = self.actions[aid]
            action["serves"] = [{"objective": w, "percent": _number(str(p))} for (w, _a, _f), p in zip(places, percents, strict=False)]
            home = places[max(range(len(places)), key=lambda i: (weights[i], -i))][0]
            if home != places[0][0]:  # filed under the objective with the largest share
                self.objectives[places[0][0]]["actions"].remove(action)
                self.objectives[home]["actions"].append(action)
        return notes

    def declared(self) -> None:
        """Each objective's and strand's own TauxAvancement, Statut and RemarqueStatut: a progress is declared
        (``progress_declared``) when no action below it has one (else it is the figure feuille computes from them); a Statut other
        than the one feuille computes from the actions, and a remark, go to its notes; a strand's ETP is kept when it is not
        the sum of its objectives'.  Every element of the file lands somewhere."""
        day = dt.date(self.meta["year"], 1, 1) if self.meta and self.meta["year"] else dt.date.today()

        def below(data: dict[str, Any]) -> list[dict[str, Any]]:
            return [*data.get("actions", []), *(a for o in data.get("objectives", []) for a in below(o))]

        def place(data: dict[str, Any], actions: list[dict[str, Any]]) -> None:
            own = data.pop("_declared", {})
            notes = [data["notes"]] if data.get("notes") else []
            if own.get("progress") is not None and not any(a.get("progress") is not None for a in actions):
                data["progress_declared"] = {"value": own["progress"], "date": day, "source": "eComptes"}
                self.figures["declared"] = self.figures.get("declared", 0) + 1
            elif own.get("progress") is not None:
                self.figures["computed"] = self.figures.get("computed", 0) + 1
            statut = own.get("statut")
            if statut and statut != aggregate_status([Status(a.get("status", "not_started")) for a in actions]):
                self.figures["status"] = self.figures.get("status", 0) + 1
                notes.append(msg("Status transmitted: {status} (feuille computes it from the actions below).", status=statut)("fr"))
            if own.get("remark"):
                notes.append(msg("Remark on the status: {remark}", remark=own["remark"])("fr"))
            if notes:
                data["notes"] = "\n".join(notes)

        for data in self.objectives.values():
            place(data, below(data))
        for volet in self.volets.values():
            tops = [self.objectives[i] for i in volet.pop("_objectives", []) if i in self.objectives]
            fte = volet.pop("_fte", None)
            total = sum((Decimal(str(o.get("fte") or 0)) for o in tops), Decimal(0))
            if fte is not None and Decimal(str(fte)) != total:
                volet["fte"] = fte
                self.figures["fte"] = self.figures.get("fte", 0) + 1
            place(volet, [a for o in tops for a in below(o)])

    def result(self) -> Imported:
        assert self.meta is not None
        shared_notes = self.shares()
        self.declared()
        default_org = self.orgs[0]["id"]

        def place(data: dict[str, Any], inherited: str) -> None:
            own = self.org_of.get(data["id"], inherited)
            if own != inherited:
                data["organisation"] = own
            for child in data.get("objectives", []):
                place(child, own)
            for action in data.get("actions", []):
                mine = self.org_of.get(action["id"], own)
                if mine != own:
                    action["organisation"] = mine
            if not data.get("objectives"):
                data.pop("objectives", None)
            if not data.get("actions"):
                data.pop("actions", None)

        files: dict[str, dict[str, Any]] = {}
        width = len(str(len(self.tops)))
        for i, oid in enumerate(self.tops, 1):
            data = self.objectives[oid]
            place(data, default_org)
            files[f"objectives/{i:0{width}d}-{_slug(oid)}.yaml"] = data
        two = self.two_levels
        plan: dict[str, Any] = {
            "title": self.meta["title"],
            "kind": "DPC" if two else "PST",
            "organisations": self.orgs,
            "term": {"start": dt.date(self.meta["start"], 1, 1), "end": dt.date(self.meta["end"], 12, 31)},
            "locale": "fr-BE",
            "currency": "EUR",
            "levels": ["Objectif", "Action"] if two else ["Objectif stratégique", "Objectif opérationnel", "Action"],
            "transmission": {"ecomptes": True, "pst_id": self.meta["pst_id"], "year": self.meta["year"]},
            "defaults": {"organisation": default_org},
            # what was transmitted to the region is what the council sees: its status remarks (health notes) included
            "visibility": {"item": "public", "health_note": "council"},
        }
        strands = [v for v in self.volets.values() if len(v) > 1]  # only those that say more than their name
        if strands:
            plan["volets"] = strands
        if not two and any(self.objectives[oid].get("actions") for oid in self.tops):  # actions on a strategic objective too
            plan["settings"] = {"actions_at": "any"}
        people = {"services": list(self.services.values()), "people": list(self.people.values())}
        notes: list[str | Msg] = [
            msg("{objectives}, {actions}, {people}, {services}.", objectives=msgn("{n} top-level objective", "{n} top-level objectives", len(self.tops)),
                actions=msgn("{n} action", "{n} actions", len(self.actions)), people=msgn("{n} person", "{n} people", len(self.people)),
                services=msgn("{n} service", "{n} services", len(self.services))),
            msg("To complete: the name of the organisations (eComptes only gives the type and the INS code), the people's position (a "
                "'mandataire' imported as 'councillor', a 'responsable' as 'officer'), the dates of the term (only the years are transmitted)."),
        ]
        if self.renamed:
            shown = Joined(msg(", "), [msg("'{old}' → {new}", old=a, new=b) for a, b in list(self.renamed.items())[:5]])
            notes.append(msgn("{n} id taken in a form feuille accepts (letters, digits, . _ -): {ids}.", "{n} ids taken in a form feuille accepts (letters, digits, . _ -): {ids}.",
                              len(self.renamed), ids=shown))
        if self.untitled:
            notes.append(msg("untitled in the file, to be completed: {ids}.", ids=", ".join(self.untitled[:10])))
        return Imported({"plan.yaml": plan, "people.yaml": people, **files}, notes + shared_notes + self.report())

    def report(self) -> list[str | Msg]:
        """Where each element of the file went: per kind of element (Volet, ObjectifStrategique, ObjectifOperationnel, Action), each
        child element with a value, how many, and the field it went to (or why feuille computes it instead)."""
        out: list[str | Msg] = [msg("Import report (where each element went):")]
        out.append(msg("- Identifiants, DescriptionPST: the organisation (Id, TypeAdmin, INS), the plan's title (Libelle), term (ExerciceDebut, "
                       "ExerciceFin) and transmission (IdPST, Exercice); Version and Type checked; Generateur not imported (who wrote the file)"))
        for (element, child), n in sorted(self.counted.items(), key=lambda kv: (_LEVELS.index(kv[0][0]) if kv[0][0] in _LEVELS else 9, kv[0][1])):
            out.append(msg("- {element}/{child} ({n}) → {where}", element=element, child=child, n=n, where=_where(element, child)))
        if self.repeated:
            out.append(msg("- ObjectifOperationnel repeating its ObjectifStrategique ({n}): the same objective, read once", n=self.repeated))
        figures = self.figures
        if figures.get("declared"):
            out.append(msg("- TauxAvancement of an objective or strand with no action progress below ({n}) → progress_declared", n=figures["declared"]))
        if figures.get("computed"):
            out.append(msg("- TauxAvancement of an objective or strand whose actions have a progress ({n}): computed by feuille from them",
                           n=figures["computed"]))
        if figures.get("status"):
            out.append(msg("- Statut of an objective or strand other than the one computed from its actions ({n}) → its notes", n=figures["status"]))
        return out


def read(sources: list[tuple[str, bytes]]) -> Imported:
    reader = _Reader()
    for name, raw in sources:
        reader.read(name, raw)
    return reader.result()
