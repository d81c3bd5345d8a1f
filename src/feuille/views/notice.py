"""What a reader must know before trusting the figures: the plan has errors, parts are missing.

The same sentences head ``feuille status``, every page of a site rendered with
``--allow-errors``, the reports, and the refusal of ``render`` and ``report``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from feuille.core.diagnostics import Diagnostic, Severity, tr
from feuille.pipeline import LeftOut, Loaded
from feuille.views.format import Formatter


def _what(x: LeftOut, fmt: Formatter) -> str:
    lang = fmt.lang
    named = [f"{i} « {t} »" if lang == "fr" else f"{i} '{t}'" for i, t in zip(x.ids, x.titles, strict=False)] or list(x.ids)
    parts = []
    if named:
        noun = {"objective": tr("l'objectif", "objective"), "action": tr("l'action", "action")}.get(x.kind, tr("", ""))[lang]
        parts.append(f"{noun} {', '.join(named)}".strip())
    if x.actions is not None and (x.kind != "action" or x.actions != 1):
        parts.append(tr(f"{x.actions} action(s)", f"{x.actions} action(s)")[lang])
    if x.budget:
        parts.append(tr(f"{fmt.money(x.budget)} de budget prévu", f"{fmt.money(x.budget)} of planned budget")[lang])
    return ", ".join(parts)


def left_out_line(x: LeftOut, fmt: Formatter) -> str:
    lang = fmt.lang
    what = _what(x, fmt)
    why = {"F301": tr("un identifiant déjà utilisé", "an id already used"), "F309": tr("un fichier mal placé", "a misplaced file")}.get(
        x.code, tr("un fichier illisible", "an unreadable file") if x.kind == "file" or x.code.startswith("F1") else tr("une erreur", "an error"))[lang]
    if not what:
        return tr(f"{x.file} ({x.code}, {why}) : son contenu manque, on ne sait pas ce qu'il contenait.",
                  f"{x.file} ({x.code}, {why}): its content is missing; what it held is unknown.")[lang]
    previous = tr(" (d'après sa dernière version lisible)", " (from its last readable version)")[lang] if x.from_previous else ""
    return tr(f"{x.file} ({x.code}, {why}) : manque{previous} {what}.", f"{x.file} ({x.code}, {why}): missing{previous}: {what}.")[lang]


def notice_lines(loaded: Loaded, fmt: Formatter) -> list[str]:
    """Empty for a clean plan; else a heading sentence, then one line per missing part."""
    lang = fmt.lang
    if not loaded.errors and not loaded.left_out:
        return []
    root = loaded.source.root
    lines = []
    if loaded.left_out:
        actions, budget = loaded.missing_actions(), loaded.missing_budget()
        counted = []
        if actions:
            counted.append(tr(f"{actions} action(s)", f"{actions} action(s)")[lang])
        if budget:
            counted.append(tr(f"{fmt.money(budget)} de budget prévu", f"{fmt.money(budget)} of planned budget")[lang])
        counted = tr(" et ", " and ")[lang].join(counted)
        lines.append(tr(f"PLAN INCOMPLET : une partie du plan n'a pas pu être lue ; les chiffres ne comptent pas {counted}." if counted else
                        "PLAN INCOMPLET : une partie du plan n'a pas pu être lue ; les chiffres ne la comptent pas.",
                        f"INCOMPLETE PLAN: part of the plan could not be read; the figures leave out {counted}." if counted else
                        "INCOMPLETE PLAN: part of the plan could not be read; the figures leave it out.")[lang])
        lines += [left_out_line(x, fmt) for x in loaded.left_out]
    lines.append(tr(f"{loaded.errors} erreur(s) dans le plan : voyez-les avec « feuille lint {root} ».",
                    f"{loaded.errors} error(s) in the plan: see them with 'feuille lint {root}'.")[lang])
    return lines


def error_summary(loaded: Loaded, lang: str, limit: int = 10) -> list[str]:
    """The plan's errors in short (for a refusal): ``file:line: code message``."""
    errors = [d for d in loaded.diagnostics if d.severity == Severity.error]
    out = [_short(d, lang) for d in errors[:limit]]
    if len(errors) > limit:
        out.append(tr(f"… et {len(errors) - limit} autre(s)", f"… and {len(errors) - limit} more")[lang])
    return out


def _short(d: Diagnostic, lang: str) -> str:
    where = d.file + (f":{d.line}" if d.line else "")
    about = f" {d.obj_id}" if d.obj_id else ""
    return f"{where}: {d.code}{about} {d.message(lang)}"


def left_out_json(loaded: Loaded) -> list[dict[str, Any]]:
    def num(v: Decimal | None) -> float | None:
        return None if v is None else float(v)

    return [{"file": x.file, "code": x.code, "kind": x.kind, "ids": x.ids, "titles": x.titles, "actions": x.actions,
             "budget": num(x.budget), "from_previous_version": x.from_previous} for x in loaded.left_out]
