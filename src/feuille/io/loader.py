"""Read a plan folder into a :class:`~feuille.plan.Plan`, collecting every problem.

Stages, each adding diagnostics rather than stopping:

1. discover the files (``plan.yaml``, ``people.yaml``, objective files, objective
   folders with their action files), refusing symlink loops;
2. read each file (cache, or the fast YAML reader);
3. validate each object with the pydantic model, leniently: an action with one bad
   field is kept without that field, so ``status`` can still show it;
4. assemble the objective tree.

Layout (see docs/format.md): outside any objective folder, each YAML file holds one
objective (with its sub-objectives and actions inline); a folder holding an
``objective.yaml`` is an objective, and every other YAML file below it (outside a
deeper objective folder) is one of its actions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from feuille.io.cache import FileCache, default_dir
from feuille.core._perf import paused_gc
from feuille.core.diagnostics import Diagnostic, tr
from feuille.core.model import Action, Objective, PeopleFile, Person, PlanFile, Service
from feuille.core.plan import Plan

PLAN_FILE = "plan.yaml"
PEOPLE_FILE = "people.yaml"
OBJECTIVE_FILE = "objective.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_DIRS = frozenset({"templates", "node_modules"})


@dataclass(slots=True)
class LoadOptions:
    use_cache: bool = True
    cache_dir: Path | None = None


@dataclass(slots=True)
class _Entry:
    rel: str
    role: str  # plan | people | objective | folder-objective | action
    folder: str | None = None  # the objective folder it belongs to (relative), if any


@dataclass(slots=True)
class _Loaded:
    plan: Plan
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # files parsed in this run


def find_plan_roots(path: Path) -> list[Path]:
    """The plan folders at or directly below ``path`` (a plan file names its folder)."""
    if path.is_file():
        return [path.parent]
    if (path / PLAN_FILE).is_file() or (path / "plan.yml").is_file():
        return [path]
    try:
        subdirs = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []
    return [p for p in subdirs if (p / PLAN_FILE).is_file() or (p / "plan.yml").is_file()]


def load(root: Path, options: LoadOptions | None = None) -> tuple[Plan, list[Diagnostic], dict[str, str]]:
    """Load the plan in ``root``. Returns the plan, the diagnostics and the texts read.

    Never raises for bad input: every problem is a diagnostic.
    """
    options = options or LoadOptions()
    with paused_gc():
        return _load(root, options)


def _load(root: Path, options: LoadOptions) -> tuple[Plan, list[Diagnostic], dict[str, str]]:
    plan = Plan(root=root)
    state = _Loaded(plan)
    cache = FileCache(root, (options.cache_dir or default_dir()) if options.use_cache else None)
    entries = _discover(root, state)
    values: dict[str, Any] = {}
    for entry in entries:
        data = _read(root, entry.rel, cache, state)
        if data is not None:
            values[entry.rel] = data
    cache.forget_except({e.rel for e in entries})
    cache.save()
    plan.files = [e.rel for e in entries]
    _assemble(entries, values, state)
    plan.error_count = sum(1 for d in state.diagnostics if d.severity is not None and d.severity.name == "error")
    return plan, state.diagnostics, state.texts


# --- stage 1: discovery ---------------------------------------------------------------


def _discover(root: Path, state: _Loaded) -> list[_Entry]:
    entries: list[_Entry] = []
    plan_name = PLAN_FILE if (root / PLAN_FILE).exists() else "plan.yml" if (root / "plan.yml").exists() else None
    if plan_name is None:
        state.diagnostics.append(Diagnostic("F110", str(root), args={"root": str(root)}))
    else:
        entries.append(_Entry(plan_name, "plan"))
    for name in (PEOPLE_FILE, "people.yml"):
        if (root / name).exists():
            entries.append(_Entry(name, "people"))
            break
    seen: set[tuple[int, int]] = set()
    try:
        st = root.stat()
        seen.add((st.st_dev, st.st_ino))
    except OSError as exc:
        state.diagnostics.append(_unreadable(str(root), exc))
        return entries
    _walk(root, "", None, entries, seen, state, top=True)
    return entries


def _walk(root: Path, rel_dir: str, folder: str | None, entries: list[_Entry], seen: set[tuple[int, int]], state: _Loaded, top: bool = False) -> None:
    directory = root / rel_dir if rel_dir else root
    try:
        with os.scandir(directory) as it:
            items = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        state.diagnostics.append(_unreadable(state.plan.display_path(rel_dir), exc))
        return
    names = {e.name for e in items}
    if not top and OBJECTIVE_FILE in names:
        entries.append(_Entry(_join(rel_dir, OBJECTIVE_FILE), "folder-objective", folder))  # folder: the enclosing one
        folder = rel_dir
    for item in items:
        name = item.name
        if name.startswith((".", "_")):
            continue
        rel = _join(rel_dir, name)
        try:
            is_dir = item.is_dir()
        except OSError as exc:
            state.diagnostics.append(_unreadable(state.plan.display_path(rel), exc))
            continue
        if is_dir:
            if top and name in SKIPPED_DIRS:
                continue
            try:
                st = item.stat()
            except OSError as exc:
                state.diagnostics.append(_unreadable(state.plan.display_path(rel), exc))
                continue
            ident = (st.st_dev, st.st_ino)
            if ident in seen:
                state.diagnostics.append(
                    Diagnostic("F108", state.plan.display_path(rel), args={"detail": tr(
                        "Ce dossier est un lien qui mène à un dossier déjà parcouru (boucle de liens) ; il est ignoré.",
                        "This folder is a link back to a folder already read (a link loop); it is skipped.")})
                )
                continue
            seen.add(ident)
            _walk(root, rel, folder, entries, seen, state)
            seen.discard(ident)
            continue
        if not name.endswith(YAML_SUFFIXES):
            continue
        if top and name in (PLAN_FILE, "plan.yml", PEOPLE_FILE, "people.yml"):
            continue
        if folder is not None and rel_dir == folder and name == OBJECTIVE_FILE:
            continue
        if folder is None:
            entries.append(_Entry(rel, "objective"))
        else:
            entries.append(_Entry(rel, "action", folder))


def _join(a: str, b: str) -> str:
    return f"{a}/{b}" if a else b


def _unreadable(shown: str, exc: OSError) -> Diagnostic:
    reason = exc.strerror or type(exc).__name__
    return Diagnostic("F108", shown, args={"detail": tr(f"Impossible de lire ce fichier ou dossier : {reason}.", f"Cannot read this file or folder: {reason}.")})


# --- stage 2: reading ---------------------------------------------------------------


def _read(root: Path, rel: str, cache: FileCache, state: _Loaded) -> Any | None:
    path = root / rel
    shown = state.plan.display_path(rel)
    try:
        st = path.stat()
        cached = cache.lookup_stat(rel, st)
        if cached is not None:
            return cached
        raw = path.read_bytes()
    except OSError as exc:
        state.diagnostics.append(_unreadable(shown, exc))
        return None
    cached, dg = cache.lookup_digest(rel, st, raw)
    if cached is not None:
        return cached
    from feuille.io import yamlread as _yamlread  # the parser is needed only for files not in the cache

    text, problem = _yamlread.decode(raw)
    if problem is not None:
        state.diagnostics.append(_problem_diagnostic(problem, shown))
        return None
    assert text is not None
    state.texts[rel] = text
    data, problems = _yamlread.read(text)
    for p in problems:
        state.diagnostics.append(_problem_diagnostic(p, shown))
    if not problems and data is not None:
        cache.put(rel, st, dg, data)
    return data


_SYNTAX_HELP = {
    "mapping values are not allowed here": tr(
        "deux-points inattendu : une valeur qui contient « : » doit être entre guillemets, ou l'indentation est décalée",
        "unexpected colon: a value containing ': ' must be quoted, or the indentation is off"),
    "did not find expected key": tr("indentation incohérente ou élément de liste mal placé", "inconsistent indentation or a misplaced list item"),
    "could not find expected ':'": tr("il manque « : » après une clé", "a ':' is missing after a key"),
    "did not find expected '-' indicator": tr("élément de liste mal aligné", "a list item is misaligned"),
    "found undefined alias": tr("alias (*nom) qui ne renvoie à aucune ancre (&nom)", "an alias (*name) with no matching anchor (&name)"),
    "did not find expected node content": tr("valeur manquante ou caractère inattendu", "a value is missing or a character is unexpected"),
    "found unexpected end of stream": tr("le fichier s'arrête au milieu d'une valeur", "the file ends in the middle of a value"),
    "did not find expected ',' or ']'": tr("liste entre crochets non refermée : il manque « ] » ou une virgule", "a bracketed list is not closed: ']' or a comma is missing"),
    "did not find expected ',' or '}'": tr("ensemble entre accolades non refermé : il manque « } » ou une virgule", "a braced mapping is not closed: '}' or a comma is missing"),
    "found character that cannot start any token": tr("caractère inattendu (@, `, %...) en début de valeur : mettez la valeur entre guillemets", "unexpected character (@, `, %...) at the start of a value: quote the value"),
}


def _problem_diagnostic(p: Any, shown: str) -> Diagnostic:
    """A :class:`~feuille._yamlread.ReadProblem` as a diagnostic."""
    from feuille.io.yamlread import MAX_FILE_BYTES, MAX_LINE_CHARS

    kw: dict[str, Any] = {"line": p.line, "col": p.col}
    if p.kind == "quote":
        return Diagnostic("F101", shown, args={"detail": tr("un guillemet ouvert ici n'est jamais refermé", "a quote opened here is never closed"),
                                                "fix": tr("Ajoutez le guillemet fermant à la fin de la valeur, ou retirez celui-ci.", "Add the closing quote at the end of the value, or remove this one.")}, **kw)
    if p.kind == "tab":
        return Diagnostic("F101", shown, args={"detail": tr("une tabulation est utilisée pour l'indentation", "a tab is used for indentation"),
                                                "fix": tr("Remplacez les tabulations par des espaces (2 par niveau).", "Replace tabs with spaces (2 per level).")}, **kw)
    if p.kind == "multi":
        return Diagnostic("F101", shown, args={"detail": tr("le fichier contient plusieurs documents séparés par « --- »", "the file holds several documents separated by '---'"),
                                                "fix": tr("Gardez un seul document par fichier : retirez la ligne « --- » ou scindez le fichier.", "Keep one document per file: remove the '---' line or split the file.")}, **kw)
    if p.kind == "key":
        return Diagnostic("F101", shown, args={"detail": tr("une clé doit être un texte simple, pas une liste ni un ensemble", "a key must be plain text, not a list or a mapping"),
                                                "fix": tr("Écrivez la clé comme un simple mot suivi de « : ».", "Write the key as a plain word followed by ':'.")}, **kw)
    if p.kind == "syntax":
        detail = None
        for needle, text in _SYNTAX_HELP.items():
            if needle in p.detail:
                detail = text
                break
        detail = detail or tr(p.detail or "erreur de syntaxe", p.detail or "syntax error")
        return Diagnostic("F101", shown, args={"detail": detail, "fix": tr("Corrigez la ligne indiquée (et celle d'avant : l'erreur y commence souvent).", "Fix the line shown (and the one before: errors often start there).")}, **kw)
    if p.kind == "duplicate":
        return Diagnostic("F102", shown, p.path + (p.detail,), args={"key": p.detail}, on_key=True, **kw)
    if p.kind == "tag":
        return Diagnostic("F103", shown, p.path, args={"tag": p.detail.replace("tag:yaml.org,2002:", "!!")}, **kw)
    if p.kind == "alias":
        return Diagnostic("F104", shown, args={"detail": tr(f"Les alias (&, *) démultiplient le contenu au-delà de la limite ({p.detail} valeurs) : lecture arrêtée.",
                                                             f"Aliases (&, *) expand the content beyond the limit ({p.detail} values): reading stopped.")}, **kw)
    if p.kind == "depth":
        return Diagnostic("F104", shown, args={"detail": tr(f"Les valeurs sont imbriquées sur plus de {p.detail} niveaux : lecture arrêtée.",
                                                             f"Values are nested more than {p.detail} levels deep: reading stopped.")}, **kw)
    if p.kind == "too_large":
        if p.detail.startswith("line:"):
            n = p.detail[5:]
            detail = tr(f"Une ligne fait {n} caractères (maximum {MAX_LINE_CHARS}).", f"A line is {n} characters long (at most {MAX_LINE_CHARS}).")
        else:
            mib = MAX_FILE_BYTES // (1024 * 1024)
            detail = tr(f"Le fichier fait {p.detail} octets (maximum {mib} Mio).", f"The file is {p.detail} bytes (at most {mib} MiB).")
        return Diagnostic("F105", shown, args={"detail": detail}, **kw)
    if p.kind == "encoding":
        return Diagnostic("F106", shown, args={"detail": tr(f"Le fichier n'est pas en UTF-8 (octet 0x{p.detail} illisible).", f"The file is not UTF-8 (byte 0x{p.detail} cannot be read).")}, **kw)
    if p.kind == "binary":
        return Diagnostic("F106", shown, args={"detail": tr("Le fichier contient des données binaires : ce n'est pas un fichier texte.", "The file holds binary data: it is not a text file.")}, **kw)
    return Diagnostic("F107", shown, **kw)


# --- stage 3 and 4: validation and assembly ----------------------------------------------


def _validate(model: type[BaseModel], data: dict[str, Any], shown: str, base: tuple[Any, ...], diags: list[Diagnostic], owner: tuple[str | None, str | None] = (None, None)) -> Any | None:
    """Validate ``data``; on errors report them and retry without the faulty keys."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    from feuille.checks.schema_errors import to_diagnostic

    bad_keys = set()
    for err in errors:
        d = to_diagnostic(err, model, shown, base, data)
        d.obj_id, d.obj_title = owner
        diags.append(d)
        if err["loc"]:
            bad_keys.add(err["loc"][0])
    trimmed = {k: v for k, v in data.items() if k not in bad_keys}
    try:
        return model.model_validate(trimmed)
    except ValidationError:
        return None


def _owner(data: Any) -> tuple[str | None, str | None]:
    if isinstance(data, dict):
        ident, title = data.get("id"), data.get("title")
        return (str(ident) if ident is not None else None, str(title) if title is not None else None)
    return None, None


def _expect_mapping(data: Any, shown: str, path: tuple[Any, ...], diags: list[Diagnostic], key: str) -> bool:
    if isinstance(data, dict):
        return True
    from feuille.checks.schema_errors import describe_value

    if not path:
        diags.append(Diagnostic("F109", shown, args={"found": describe_value(data)}))
    else:
        diags.append(Diagnostic("F203", shown, path, args={"key": key, "expected": tr("un ensemble « clé: valeur »", "a mapping ('key: value')"), "found": describe_value(data),
                                                           "example": tr("Chaque élément de la liste commence par « - id: ... ».", "Each list item starts with '- id: ...'.")}))
    return False


def _build_action(data: Any, rel: str, shown: str, path: tuple[Any, ...], diags: list[Diagnostic], origins: dict[int, Any]) -> Action | None:
    if not _expect_mapping(data, shown, path, diags, "actions"):
        return None
    action = _validate(Action, data, shown, path, diags, _owner(data))
    if action is not None:
        origins[id(action)] = (rel, path)
    return action


def _list_at(data: dict[str, Any], key: str, shown: str, path: tuple[Any, ...], diags: list[Diagnostic], owner: tuple[str | None, str | None]) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    from feuille.checks.schema_errors import describe_value

    d = Diagnostic("F203", shown, path + (key,), args={"key": key, "expected": tr("une liste", "a list"), "found": describe_value(value),
                                                       "example": tr("Écrivez une ligne « - ... » par élément.", "Write one '- ...' line per item.")})
    d.obj_id, d.obj_title = owner
    diags.append(d)
    return []


def _build_objective(data: Any, rel: str, shown: str, path: tuple[Any, ...], diags: list[Diagnostic], origins: dict[int, Any]) -> Objective | None:
    if not _expect_mapping(data, shown, path, diags, "objectives"):
        return None
    owner = _owner(data)
    head = {k: v for k, v in data.items() if k not in ("objectives", "actions")}
    objective = _validate(Objective, head, shown, path, diags, owner)
    children = [o for i, raw in enumerate(_list_at(data, "objectives", shown, path, diags, owner)) if (o := _build_objective(raw, rel, shown, path + ("objectives", i), diags, origins))]
    actions = [a for i, raw in enumerate(_list_at(data, "actions", shown, path, diags, owner)) if (a := _build_action(raw, rel, shown, path + ("actions", i), diags, origins))]
    if objective is None:
        return None
    origins[id(objective)] = (rel, path)
    objective.objectives = children
    objective.actions = actions
    return objective


def _build_people(data: Any, shown: str, plan: Plan, diags: list[Diagnostic]) -> None:
    if not _expect_mapping(data, shown, (), diags, ""):
        return
    head = {k: v for k, v in data.items() if k not in ("people", "services")}
    _validate(PeopleFile, head, shown, (), diags)
    for key, model, target in (("services", Service, plan.services), ("people", Person, plan.people)):
        for i, raw in enumerate(_list_at(data, key, shown, (), diags, (None, None))):
            if not _expect_mapping(raw, shown, (key, i), diags, key):
                continue
            item = _validate(model, raw, shown, (key, i), diags, _owner(raw))
            if item is None:
                continue
            if item.id in target:
                diags.append(Diagnostic("F301", shown, (key, i, "id"), obj_id=item.id, args={"id": item.id, "other": shown}))
                continue
            target[item.id] = item


def _assemble(entries: list[_Entry], values: dict[str, Any], state: _Loaded) -> None:
    plan, diags = state.plan, state.diagnostics
    folder_objectives: dict[str, Objective | None] = {}
    for entry in entries:  # discovery order: a folder's objective comes before its content
        data = values.get(entry.rel)
        if data is None:
            continue
        shown = plan.display_path(entry.rel)
        if entry.role == "plan":
            if _expect_mapping(data, shown, (), diags, ""):
                plan.meta = _validate(PlanFile, data, shown, (), diags)
        elif entry.role == "people":
            _build_people(data, shown, plan, diags)
        elif entry.role == "action":
            if isinstance(data, dict) and ("actions" in data or "objectives" in data):
                folder = entry.folder or ""
                diags.append(Diagnostic("F309", shown, ("id",) if "id" in data else (), obj_id=_owner(data)[0], obj_title=_owner(data)[1], args={"detail": tr(
                    f"Ce fichier est dans le dossier de l'objectif « {folder} », où chaque fichier est une action, mais il contient des "
                    "« actions » ou des « objectives » : c'est un objectif. Déplacez-le hors de ce dossier, ou mettez-le dans un sous-dossier "
                    "sous le nom objective.yaml.",
                    f"This file is in the folder of objective '{folder}', where each file is an action, but it holds 'actions' or "
                    "'objectives': it is an objective. Move it out of this folder, or into a sub-folder named objective.yaml.")}))
                continue
            action = _build_action(data, entry.rel, shown, (), diags, plan.origins)
            holder = folder_objectives.get(entry.folder or "")
            if action is not None and holder is not None:
                holder.actions.append(action)
        else:
            obj = _build_objective(data, entry.rel, shown, (), diags, plan.origins)
            if entry.role == "folder-objective":
                folder_objectives[entry.rel.rsplit("/", 1)[0]] = obj
            if obj is None:
                continue
            parent = folder_objectives.get(entry.folder) if entry.folder else None
            if parent is not None:
                parent.objectives.append(obj)
            elif entry.folder is None:
                plan.objectives.append(obj)
