"""``feuille init``: a new, empty plan that lints clean."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from feuille.io.files import write_atomic


class ScaffoldError(Exception):
    """A plan that cannot be created here; the message (French) says why."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def _term(today: dt.date) -> tuple[dt.date, dt.date]:
    """The current Belgian communal term (installed early December after October elections, every six years from 2018)."""
    start_year = 2018 + 6 * ((today.year - 2018 - (1 if today.month < 12 else 0)) // 6)
    return dt.date(start_year, 12, 3), dt.date(start_year + 6, 12, 2)


def _files(title: str, organisation: str, kind: str, today: dt.date) -> dict[str, str]:
    start, end = _term(today)
    end_of_year = dt.date(today.year, 12, 31) if today.month < 10 else dt.date(today.year + 1, 12, 31)
    q = json.dumps  # JSON strings are valid YAML scalars, and safe for any title
    pst = kind == "pst"
    levels = "[Objectif stratégique, Objectif opérationnel, Action]" if pst else "[Objectif prioritaire, Action]"
    action_id = "A.1.1.1" if pst else "A1.1"
    action = f"""id: {action_id}
title: Première action (à renommer)
political_owners: [mandataire]
admin_owner: agent
planned_start: {today.isoformat()}
planned_end: {end_of_year.isoformat()}
status: not_started
last_reviewed: {today.isoformat()}
"""
    owners = "political_owners: [mandataire]\nadmin_owner: agent\n"
    if pst:
        operational = "id: OO.1.1\ntitle: Premier objectif opérationnel (à renommer)\n" + owners + "actions:\n" + _list_item(action, 2)
        body = "id: OS.1\ntitle: Premier objectif stratégique (à renommer)\nvolet: external\nobjectives:\n" + _list_item(operational, 2)
    else:
        body = "id: O1\ntitle: Premier objectif prioritaire (à renommer)\n" + owners + "actions:\n" + _list_item(action, 2)
    objective = "# yaml-language-server: $schema=../schema/objective.schema.json\n" + body
    return {
        "plan.yaml": f"""# yaml-language-server: $schema=schema/plan.schema.json
title: {q(title, ensure_ascii=False)}
kind: {kind.upper()}
organisations:
  - id: org
    name: {q(organisation, ensure_ascii=False)}
    type: municipality
term:
  start: {start.isoformat()}
  end: {end.isoformat()}
locale: fr-BE
currency: EUR
levels: {levels}
scale: {{min: 1, max: 5}}
""",
        "people.yaml": """# yaml-language-server: $schema=schema/people.schema.json
services:
  - id: direction
    name: Direction générale
    organisation: org
people:
  - id: mandataire
    first_name: Prénom
    last_name: Nom
    role: alderman
    organisation: org
  - id: agent
    first_name: Prénom
    last_name: Nom
    role: head_of_service
    service: direction
    organisation: org
""",
        "objectives/01-premier-objectif.yaml": objective,
    }


def _list_item(text: str, indent: int) -> str:
    """``text`` (YAML lines) as one item of a block list indented by ``indent`` spaces."""
    first, *rest = text.splitlines()
    pad = " " * indent
    return f"{pad}- {first}\n" + "".join(f"{pad}  {line}\n" for line in rest)


def create(directory: Path, *, title: str, organisation: str, kind: str, today: dt.date) -> list[str]:
    """Write a new plan into ``directory``; refuse to touch an existing plan."""
    if kind not in ("pst", "dpc"):
        raise ScaffoldError(f"type de plan inconnu « {kind} » : choisissez pst ou dpc.")
    if (directory / "plan.yaml").exists():
        raise ScaffoldError(f"« {directory} » contient déjà un plan (plan.yaml) : rien n'a été écrit.")
    from feuille.io.sources import enclosing_plan

    above = enclosing_plan(directory.parent)
    if above is not None:
        raise ScaffoldError(
            f"« {directory} » serait à l'intérieur du plan « {os.path.relpath(above)} » : ses fichiers y seraient lus comme des objectifs. Rien n'a été écrit.",
            "Créez le nouveau plan hors de ce dossier, par exemple à côté : feuille init ../" + directory.name)

    files = _files(title, organisation, kind, today)
    files[".gitignore"] = "# le site publié par « feuille render » (par défaut dans site/) se reconstruit : il ne se versionne pas\n/site/\n"
    try:
        return write_tree(directory, files)
    except OSError as exc:
        raise ScaffoldError(f"impossible d'écrire dans « {directory} » : {exc.strerror}.") from exc


def write_tree(directory: Path, files: dict[str, str]) -> list[str]:
    """Write a new plan's ``files`` (relative path -> text) and its JSON schemas under ``directory``
    (``feuille init``, ``feuille import``); returns the paths written.  OSError if it cannot."""
    from feuille.core.model import json_schemas

    files = dict(files)
    for name, schema in json_schemas().items():
        files[f"schema/{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    for rel, content in files.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content.encode("utf-8"))
    return sorted(files)
