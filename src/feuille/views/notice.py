"""What a reader must know before trusting the figures: the plan has errors, parts are missing.

The same sentences head ``feuille status``, every page of a site rendered with
``--allow-errors``, the reports, and the refusal of ``render`` and ``report``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from feuille.core.diagnostics import Diagnostic, Severity
from feuille.core.i18n import msgn, plural_forms, translator
from feuille.core.registry import FieldName
from feuille.core.shell import shell_arg
from feuille.pipeline import LeftOut, Loaded

if TYPE_CHECKING:
    from feuille.views.format import Formatter  # the caller's (Babel is imported only by those that format)


def _actions(n: int, lang: str) -> str:
    return msgn("{n} action", "{n} actions", n)(lang)


def _what(x: LeftOut, fmt: Formatter, named_ok: bool = True) -> str:
    _ = translator(fmt.lang)
    named = ([_("{id} '{title}'").format(id=i, title=t) for i, t in zip(x.ids, x.titles, strict=False)] or list(x.ids)) if named_ok else []
    parts = []
    if named:
        noun = {"objective": _("the objective"), "action": _("the action"), "sub_action": _("the sub-action")}.get(x.kind, "")
        parts.append(f"{noun} {', '.join(named)}".strip())
    if x.actions is not None and (x.kind != "action" or x.actions != 1):
        parts.append(_actions(x.actions, fmt.lang))
    if x.budget:
        parts.append(_("{amount} of planned budget").format(amount=fmt.money(x.budget)))
    return ", ".join(parts)


def left_out_line(x: LeftOut, fmt: Formatter, named: bool = True) -> str:
    """One missing part; ``named=False`` (a published page) says how much is missing, never which items: what could
    not be read cannot say who may see it."""
    _ = translator(fmt.lang)
    what = _what(x, fmt, named)
    why = {"F301": _("an id already used"), "F309": _("a misplaced file"), "F113": _("a symbolic link that is not read")}.get(
        x.code, _("an unreadable file") if x.kind == "file" or x.code.startswith("F1") else _("an error"))
    if not what:
        return _("{file} ({code}, {why}): its content is missing; what it held is unknown.").format(file=x.file, code=x.code, why=why)
    if x.from_previous:
        return _("{file} ({code}, {why}): missing (from its last readable version): {what}.").format(file=x.file, code=x.code, why=why, what=what)
    return _("{file} ({code}, {why}): missing: {what}.").format(file=x.file, code=x.code, why=why, what=what)


def notice_lines(loaded: Loaded, fmt: Formatter, named: bool = True) -> list[str]:
    """Empty for a clean plan; else a heading sentence, then one line per missing part (``named``: see :func:`left_out_line`)."""
    _ = translator(fmt.lang)
    if not loaded.errors and not loaded.left_out:
        return []
    root = loaded.source.root
    lines = []
    if loaded.left_out:
        actions, budget = loaded.missing_actions(), loaded.missing_budget()
        counted = []
        if actions:
            counted.append(_actions(actions, fmt.lang))
        if budget:
            counted.append(_("{amount} of planned budget").format(amount=fmt.money(budget)))
        if counted:
            lines.append(_("INCOMPLETE PLAN: part of the plan could not be read; the figures leave out {counted}.").format(counted=_(" and ").join(counted)))
        else:
            lines.append(_("INCOMPLETE PLAN: part of the plan could not be read; the figures leave it out."))
        lines += [left_out_line(x, fmt, named) for x in loaded.left_out]
    lines.append(msgn("{n} error in the plan: see it with 'feuille lint {root}'.", "{n} errors in the plan: see them with 'feuille lint {root}'.",
                      loaded.errors, root=shell_arg(root))(fmt.lang))
    return lines


def error_summary(loaded: Loaded, lang: str, limit: int = 10) -> list[str]:
    """The plan's errors in short (for a refusal): ``file:line: code message``."""
    errors = [d for d in loaded.diagnostics if d.severity == Severity.error]
    out = [_short(d, lang) for d in errors[:limit]]
    if len(errors) > limit:
        out.append(msgn("… and {n} more", "… and {n} more", len(errors) - limit)(lang))
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


def withheld_summary(published: Any, lang: str) -> str:
    """« version publique ; non montrés : 3 notes de santé, 12 coordonnées » for a command's summary line."""
    _ = translator(lang)
    names = {"public": _("public version"), "council": _("council version"), "internal": _("internal version")}
    w = published.withheld
    kinds = {"Objective": plural_forms("{n} objective", "{n} objectives", lang), "Action": plural_forms("{n} action", "{n} actions", lang),
             "Indicator": plural_forms("{n} indicator", "{n} indicators", lang), "BudgetLine": plural_forms("{n} budget line", "{n} budget lines", lang),
             "Person": plural_forms("{n} person", "{n} people", lang), "Service": plural_forms("{n} service", "{n} services", lang)}
    order = [*kinds, *sorted(k for k in w.items if k not in kinds)]  # a kind added later is counted too, by its name
    other = plural_forms("{n} item of kind '{kind}'", "{n} items of kind '{kind}'", lang)
    parts = [kinds.get(kind, other).format(n=w.items[kind], kind=kind) for kind in order if w.items[kind]]
    fields = {"notes": plural_forms("{n} internal note", "{n} internal notes", lang), "health_note": plural_forms("{n} health note", "{n} health notes", lang),
              "email": plural_forms("{n} e-mail address", "{n} e-mail addresses", lang), "phone": plural_forms("{n} phone number", "{n} phone numbers", lang)}
    for name, n in sorted(w.fields.items()):
        parts.append(fields.get(name, plural_forms("{n} value of {field}", "{n} values of {field}", lang)).format(n=n, field=FieldName(name)(lang)))
    head = names[published.audience.value]
    if not parts:
        return head + _("; everything is shown")
    return head + _("; not shown: ") + ", ".join(parts)
