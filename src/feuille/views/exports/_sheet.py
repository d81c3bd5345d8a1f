"""The rows the spreadsheet exports (xlsx, csv) share: one per action, with its objective path and its baseline hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from feuille.compute.audience import Published
from feuille.core.model import Action, Objective
from feuille.core.sheet import ACTION_COLUMNS, HASH_HEADER, NOT_CARRIED, REVISION_HEADER, action_values, baseline, export_mark, level_headers
from feuille.views.exports import ExportOptions


@dataclass(slots=True)
class SheetRow:
    path: list[Objective]  # from the top level down to the action's objective
    action: Action
    values: dict[str, Any] = field(default_factory=dict)  # column key -> typed value
    hash: str = ""


def revision(published: Published) -> str:
    """The plan revision a sheet was made from: a fingerprint of the bytes of every plan file read."""
    digests = published.plan.digests
    h = hashlib.sha256()
    for rel in sorted(digests):
        h.update(rel.encode("utf-8") + b"\0" + digests[rel] + b"\0")
    return f"empreinte {h.hexdigest()[:12]}" if digests else "révision inconnue"


def _paths(objectives: list[Objective], above: list[Objective]) -> list[tuple[list[Objective], Action]]:
    out = []
    for obj in objectives:
        here = [*above, obj]
        out.extend((here, a) for a in obj.actions)
        out.extend(_paths(obj.objectives, here))
    return out


def rows(published: Published, options: ExportOptions) -> list[SheetRow]:
    plan = published.plan
    computed = {r.action.id: r.progress for r in published.rollup.actions}
    only = options.only
    out = []
    for path, action in _paths(plan.objectives, []):
        if only is not None and action.id not in only:
            continue
        values = action_values(plan, action)
        row = SheetRow(path, action, values, baseline(values))
        p = computed.get(action.id)
        values["computed_progress"] = round(p, 1) if p is not None else None
        out.append(row)
    return out


def headers(published: Published) -> list[str]:
    levels = published.plan.meta.levels if published.plan.meta else ["Objectif", "Action"]
    out = []
    for id_header, title_header in level_headers(levels):
        out += [id_header, title_header]
    return out + [c.header for c in ACTION_COLUMNS] + [HASH_HEADER, REVISION_HEADER]


def mark(published: Published, sheet_rows: list[SheetRow]) -> str:
    """The text of each row's « Révision du plan » cell: the revision, and the number and digest of the ids exported."""
    return export_mark(revision(published), [r.action.id for r in sheet_rows])


def line(published: Published, row: SheetRow, rev: str) -> list[Any]:
    """The cells of a row, typed, in :func:`headers` order (``rev``: the :func:`mark` of the export)."""
    levels = published.plan.meta.levels if published.plan.meta else ["Objectif", "Action"]
    cells: list[Any] = []
    for depth in range(len(levels) - 1):
        obj = row.path[depth] if depth < len(row.path) else None
        cells += [obj.id if obj else None, obj.title if obj else None]
    for c in ACTION_COLUMNS:
        v = row.values.get(c.key)
        cells.append("; ".join(x for x in v if x) if isinstance(v, list) else v)
    return cells + [row.hash, rev]


def split_key(published: Published, row: SheetRow, by: str) -> list[str]:
    """The workbooks a row goes to: its service (by its head's name), or each of its owners."""
    plan = published.plan
    a = row.action
    if by == "service":
        sid = a.service or (plan.people[a.admin_owner].service if a.admin_owner in plan.people else None)
        return [sid or "sans-service"]
    owners = [*a.political_owners, *([a.admin_owner] if a.admin_owner else [])]
    return owners or ["sans-responsable"]


NOTES = [
    "Ce classeur a été produit par feuille (feuille export --format xlsx) depuis les fichiers du plan.",
    "Une ligne par action. Modifiez les cellules, puis rendez le fichier : feuille import FICHIER PLAN montre d'abord les changements, puis les écrit.",
    "Ne modifiez pas la colonne « Identifiant » (verrouillée) : c'est elle qui retrouve l'action dans le plan.",
    "Une nouvelle ligne sans identifiant crée une nouvelle action dans l'objectif de ses colonnes « Objectif » (l'identifiant lui est donné à l'import).",
    "Une ligne supprimée est signalée, jamais appliquée : l'action reste dans le plan (pour l'abandonner, mettez son statut à « Annulé »).",
    "Statut et Santé : choisissez dans la liste. Dates : JJ/MM/AAAA. Avancement : un nombre de 0 à 100.",
    "« Avancement calculé » est calculé par feuille : le modifier ne change rien. Les budgets sont des totaux : ils s'écrivent pour une action qui a une seule ligne budgétaire (ou aucune) ; sinon l'import dit de les reporter dans le fichier de l'action.",
    "Responsables et intervenants : leurs noms, séparés par « ; ». Tags et territoires aussi. Une cellule vidée retire la valeur.",
    "Si la même valeur a été changée ici et dans le plan depuis l'export, l'import le signale comme conflit et n'écrase rien.",
    "La colonne masquée « Empreinte » garde la trace des valeurs exportées : ne la modifiez pas.",
]


def notes_lines(published: Published, rev: str, options: ExportOptions) -> list[tuple[str, str]]:
    meta = published.plan.meta
    out = [("Plan", meta.title if meta else ""), ("Révision du plan", rev), ("Date de référence", options.as_of.strftime("%d/%m/%Y")),
           ("Public", published.audience.value)]
    if options.only is not None:
        out.append(("Filtre", options.filter_label or "actions choisies"))
    out.append(("", ""))
    out += [("Mode d'emploi", n) for n in NOTES]
    out.append(("", ""))
    out += [("Non repris dans ce classeur", v) for v in NOT_CARRIED.values()]
    return out
