"""What a write says (app/write.py's :class:`Write`), in the reader's language: the diff, the changes in words,
what is created, what is left « à compléter », and why a write is refused: every reason at once, each with
where it comes from (a sheet's row and column, the item's id)."""

from __future__ import annotations

from typing import Any

from feuille.core.i18n import Msg, msgn, translator
from feuille.io.transaction import CREATED

FINDINGS, UNUSABLE = 1, 2  # (cli/outcome.py's exit codes: a refusal because of errors or conflicts, or of the values given)


def text(m: Msg | str, lang: str) -> str:
    return m(lang) if isinstance(m, Msg) else m


def refusal(write: Any, lang: str, ident: str = "") -> tuple[str, str, int]:
    """(message, hint, exit code) of a refused write: the errors it would add, the conflicts, or the values refused."""
    _ = translator(lang)
    errors = [r for r in write.refusals if r.kind == "error"]
    others = [r for r in write.refusals if r.kind != "error"]
    if errors and not others:
        ident = ident or ", ".join(dict.fromkeys(r.id for r in errors if r.id))  # (a new item: the id it would have had)
        d_lines = [_line(r, lang) for r in errors[:10]]
        hints = [r.diagnostic.hint(lang) for r in errors[:3] if r.diagnostic is not None and r.diagnostic.hint(lang)]
        message = msgn("change refused: it would add {n} error to the plan ({ident}); nothing was written.",
                       "change refused: it would add {n} errors to the plan ({ident}); nothing was written.", len(errors), ident=ident)(lang)
        return message, "\n  ".join(d_lines + [_("hint: ") + h for h in hints]), FINDINGS
    if len(write.refusals) == 1:
        r = write.refusals[0]
        return _located(r, lang), text(r.hint, lang), FINDINGS if r.kind in ("conflict", "error") else UNUSABLE
    message = msgn("{n} change refused; nothing was written:", "{n} changes refused; nothing was written:", len(write.refusals))(lang)
    lines = [_line(r, lang) for r in write.refusals]
    hints = list(dict.fromkeys(text(r.hint, lang) for r in write.refusals if r.hint))
    code = FINDINGS if any(r.kind in ("conflict", "error") for r in write.refusals) else UNUSABLE
    return message, "\n  ".join(lines + [_("hint: ") + h for h in hints[:3]]), code


def _located(r: Any, lang: str) -> str:
    """A refusal's message, after where it comes from when that is a sheet's cell (« feuille « Action », ligne 5 : ... »)."""
    said = text(r.message, lang)
    _ = translator(lang)
    return _("{label}: {value}").format(label=text(r.origin.describe(), lang), value=said) if r.origin is not None else said


def _line(r: Any, lang: str) -> str:
    return "- " + _located(r, lang) if r.origin is not None or r.kind != "error" else text(r.message, lang)


def to_complete(write: Any, lang: str) -> list[str]:
    """« à compléter » lines: the item, what it lacks, the command that completes it."""
    _ = translator(lang)
    return [_("feuille: to complete: ") + f"{t.diagnostic.code} {t.diagnostic.obj_id} {t.diagnostic.message(lang)} → {t.command}" for t in write.to_complete]


def created(write: Any, lang: str) -> list[str]:
    _ = translator(lang)
    out = []
    for c in write.created:
        line = (_("{id} '{title}': new action in {file}.") if c.kind == "action" else
                _("{id} '{title}': new sub-action of {parent} in {file}.") if c.kind == "sub_action" else _("{id} '{title}': new objective in {file}."))
        out.append(line.format(id=c.id, title=c.title, file=c.file, parent=c.parent))
    return out


def outcome(done: list[tuple[str, Any]], lang: str) -> list[str]:
    """« fichier : modifié. » / « fichier : créé. » for each file written."""
    _ = translator(lang)

    return [(_("{file}: created.") if what == CREATED else _("{file}: changed.")).format(file=shown) for shown, what in done]


def source_errors(errors: list[Any], folder: Any, lang: str, shown: int = 10) -> list[str]:
    """What a new plan holds that its source gave wrong: each error where it is, then how to see them all."""
    if not errors:
        return []
    _ = translator(lang)
    lines = [msgn("The new plan holds {n} error that comes from the file (written as it gave it):",
                  "The new plan holds {n} errors that come from the file (written as it gave them):", len(errors))(lang)]
    lines += ["  " + f"{d.file}{':' + str(d.line) if d.line else ''}: {d.code} {d.obj_id or ''} {d.message(lang)}".replace("  ", " ") for d in errors[:shown]]
    if len(errors) > shown:
        lines.append("  " + _("... and {n} more.").format(n=len(errors) - shown))
    lines.append(_("Correct them in the plan's files: feuille lint {folder}").format(folder=folder))
    return lines
