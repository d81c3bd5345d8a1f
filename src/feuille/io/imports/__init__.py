"""What ``feuille import``'s readers produce (:class:`Imported`: a new plan as files) and how it is written.

The readers are the formats' (registered in :mod:`feuille.formats`: ``NAME``, ``SUFFIXES``, ``sniff`` and
``read(sources) -> Imported``).  Readers only build data; :func:`write_plan` checks it against the model and
writes it, refusing to touch an existing plan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feuille.core.errors import UserError
from feuille.core.i18n import Msg, msg, translator
from feuille.core.model import FILE_MODELS
from feuille.io.files import system_reason
from feuille.io.scaffold import write_tree
from feuille.io.sources import enclosing_plan


class ImportProblem(UserError):
    """The file cannot be imported.  ``msg`` and ``hint_msg`` as given (a :class:`Msg` is shown in
    the user's language by ``fail``); ``message`` and ``hint`` their French."""

    code = "import"


@dataclass(slots=True)
class Imported:
    """A plan as files: relative path -> data (the YAML mapping), plus notes for the user (a :class:`Msg`: in the user's language)."""

    files: dict[str, dict[str, Any]]
    notes: list[str | Msg] = field(default_factory=list)


_MODELINE = {"plan": "schema/plan.schema.json", "people": "schema/people.schema.json", "objective": "../schema/objective.schema.json"}


def write_plan(directory: Path, imported: Imported) -> list[str]:
    """Check every file against the model, then write the plan into a new ``directory``."""
    if (directory / "plan.yaml").exists():
        raise ImportProblem(msg("'{folder}' already holds a plan (plan.yaml): the import only writes into a new folder. Nothing was written.", folder=str(directory)),
                            msg("Give a folder that does not exist yet, for example: feuille import pst.xml new-plan"))
    if directory.exists() and any(directory.iterdir()):
        raise ImportProblem(msg("'{folder}' is not empty: the import only writes into a new or empty folder. Nothing was written.", folder=str(directory)))
    above = enclosing_plan(directory.resolve().parent)
    if above is not None:
        raise ImportProblem(msg("'{folder}' would be inside the plan '{plan}': its files would be read there as objectives. Nothing was written.",
                                folder=str(directory), plan=os.path.relpath(above)))
    texts: dict[str, str] = {}
    locale = str(imported.files.get("plan.yaml", {}).get("locale") or "fr")
    _ = translator(locale[:2])
    comment = _("Imported by feuille import.")  # in the plan's language (its locale: fr-BE for eComptes), as its content; not --lang
    for rel, data in imported.files.items():
        kind = "plan" if rel == "plan.yaml" else "people" if rel == "people.yaml" else "objective"
        try:
            FILE_MODELS[kind].model_validate(data)
        except ValueError as exc:  # pydantic's ValidationError: a value feuille's format cannot hold
            first = str(exc).splitlines()[1:3]
            raise ImportProblem(msg("the file gives a value that feuille's format cannot take ({file}: {detail}). Nothing was written.",
                                    file=rel, detail=" ".join(x.strip() for x in first))) from None
        body = yaml_text(data)
        texts[rel] = f"# yaml-language-server: $schema={_MODELINE[kind]}\n# {comment}\n{body}"
    try:
        return write_tree(directory, texts)  # the same writing as feuille init: files, then the schemas
    except OSError as exc:
        raise ImportProblem(msg("cannot write in '{folder}': {reason}.", folder=str(directory), reason=system_reason(exc))) from exc


def yaml_text(data: Any) -> str:
    """A new plan's file as YAML: keys in the order given, a text of several lines as a block (``|``, its lines as they are read),
    libyaml's emitter when there is one (10,000 actions in 1 s instead of 20)."""
    import yaml  # noqa: PLC0415 (heavy, loaded when first needed)

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[valid-type,misc]
        pass

    def text(dumper: Any, value: str) -> Any:
        if "\n" in value.strip("\n"):
            value = "\n".join(line.rstrip() for line in value.strip("\n").split("\n"))  # (a block cannot end a line with a space)
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
