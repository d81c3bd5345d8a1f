"""``feuille init``: a new, empty plan that lints clean, in French or in English.

Its example words (levels, titles « à renommer », names, the ``.gitignore`` comment) come from the
catalogue (msgctxt ``new plan``): a plan made with ``--lang en`` is written in English, with the
locale ``en-GB`` (so that every command then speaks English to it); in French, ``fr-BE``."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from feuille.core.errors import UserError
from feuille.core.i18n import context_translator, msg
from feuille.core.model import json_schemas
from feuille.io.files import not_a_folder, system_reason, write_atomic
from feuille.io.sources import enclosing_plan

LOCALES = {"fr": "fr-BE", "en": "en-GB"}  # the locale of a new plan, by the language it is made in


class ScaffoldError(UserError):
    """A plan that cannot be created here.  ``msg`` and ``hint_msg`` as given (a :class:`Msg` is shown in
    the user's language); ``message`` and ``hint`` their French (``str(exc)`` is the French message)."""

    code = "scaffold"


def _term(today: dt.date) -> tuple[dt.date, dt.date]:
    """The current Belgian communal term (installed early December after October elections, every six years from 2018)."""
    start_year = 2018 + 6 * ((today.year - 2018 - (1 if today.month < 12 else 0)) // 6)
    return dt.date(start_year, 12, 3), dt.date(start_year + 6, 12, 2)


def _files(title: str, organisation: str, kind: str, today: dt.date, lang: str) -> dict[str, str]:
    p_ = context_translator(lang)
    start, end = _term(today)
    end_of_year = dt.date(today.year, 12, 31) if today.month < 10 else dt.date(today.year + 1, 12, 31)
    q = json.dumps  # JSON strings are valid YAML scalars, and safe for any title

    pst = kind == "pst"
    if pst:
        levels = [p_("new plan", "Strategic objective"), p_("new plan", "Operational objective"), p_("new plan", "Action")]
        top = _scalar(p_("new plan", "First strategic objective (to be renamed)"))
        operational = _scalar(p_("new plan", "First operational objective (to be renamed)"))
    else:
        levels = [p_("new plan", "Priority objective"), p_("new plan", "Action")]
        top = _scalar(p_("new plan", "First priority objective (to be renamed)"))
    first_action = _scalar(p_("new plan", "First action (to be renamed)"))
    service, first_name, last_name = (_scalar(p_("new plan", "General management")), _scalar(p_("new plan", "First name")),
                                      _scalar(p_("new plan", "Last name")))
    action_id = "A.1.1.1" if pst else "A1.1"
    action = f"""id: {action_id}
title: {first_action}
political_owners: [mandataire]
admin_owner: agent
planned_start: {today.isoformat()}
planned_end: {end_of_year.isoformat()}
status: not_started
last_reviewed: {today.isoformat()}
"""
    owners = "political_owners: [mandataire]\nadmin_owner: agent\n"
    if pst:
        middle = f"id: OO.1.1\ntitle: {operational}\n" + owners + "actions:\n" + _list_item(action, 2)
        body = f"id: OS.1\ntitle: {top}\nvolet: external\nobjectives:\n" + _list_item(middle, 2)
    else:
        body = f"id: O1\ntitle: {top}\n" + owners + "actions:\n" + _list_item(action, 2)
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
locale: {LOCALES[lang]}
currency: EUR
levels: [{", ".join(_scalar(level, in_list=True) for level in levels)}]
scale: {{min: 1, max: 5}}
""",
        "people.yaml": f"""# yaml-language-server: $schema=schema/people.schema.json
services:
  - id: direction
    name: {service}
    organisation: org
people:
  - id: mandataire
    first_name: {first_name}
    last_name: {last_name}
    role: alderman
    organisation: org
  - id: agent
    first_name: {first_name}
    last_name: {last_name}
    role: head_of_service
    service: direction
    organisation: org
""",
        "objectives/" + p_("new plan", "01-first-objective.yaml"): objective,
    }


_PLAIN = re.compile(r"[^\W\d_][\w ()'’.,/-]*")  # words YAML reads as they are: no « : », « # », quote or bracket
_WORDS_OF_YAML = {"yes", "no", "y", "n", "true", "false", "on", "off", "null"}  # read as booleans or nothing


def _scalar(text: str, *, in_list: bool = False) -> str:
    """``text`` as a YAML scalar: as it is when YAML reads it so (« Première action (à renommer) »), else quoted."""
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and not (in_list and "," in text) and text.lower() not in _WORDS_OF_YAML:
        return text
    return json.dumps(text, ensure_ascii=False)


def _list_item(text: str, indent: int) -> str:
    """``text`` (YAML lines) as one item of a block list indented by ``indent`` spaces."""
    first, *rest = text.splitlines()
    pad = " " * indent
    return f"{pad}- {first}\n" + "".join(f"{pad}  {line}\n" for line in rest)


def create(directory: Path, *, title: str, organisation: str, kind: str, today: dt.date, lang: str = "fr") -> list[str]:
    """Write a new plan into ``directory``, its example words in ``lang`` (fr or en); refuse to touch an existing plan."""
    if kind not in ("pst", "dpc"):
        raise ScaffoldError(msg("unknown kind of plan '{value}': choose pst or dpc.", value=kind))
    refused = not_a_folder(directory)
    if refused is not None:
        raise ScaffoldError(refused, msg("Give the folder of the new plan: a new name, or an empty folder."))
    if (directory / "plan.yaml").exists():
        raise ScaffoldError(msg("'{folder}' already holds a plan (plan.yaml): nothing was written.", folder=str(directory)))

    above = enclosing_plan(directory.parent)
    if above is not None:
        raise ScaffoldError(
            msg("'{folder}' would be inside the plan '{plan}': its files would be read there as objectives. Nothing was written.",
                folder=str(directory), plan=os.path.relpath(above)),
            msg("Create the new plan outside this folder, for example next to it: {example}", example="feuille init ../" + directory.name))

    lang = lang if lang in LOCALES else "fr"
    files = _files(title, organisation, kind, today, lang)
    p_ = context_translator(lang)
    files[".gitignore"] = "# " + p_("new plan", "the site published by 'feuille render' (in site/ by default) is rebuilt: it is not versioned") + "\n/site/\n"
    try:
        return write_tree(directory, files)
    except OSError as exc:
        raise ScaffoldError(msg("cannot write in '{folder}': {reason}.", folder=str(directory), reason=system_reason(exc))) from exc


def write_tree(directory: Path, files: dict[str, str]) -> list[str]:
    """Write a new plan's ``files`` (relative path -> text) and its JSON schemas under ``directory``
    (``feuille init``, ``feuille import``); returns the paths written.  OSError if it cannot."""

    files = dict(files)
    for name, schema in json_schemas().items():
        files[f"schema/{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    for rel, content in files.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content.encode("utf-8"))
    return sorted(files)
