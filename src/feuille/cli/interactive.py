"""Questions asked field by field (``feuille update ID`` without a field flag, or ``-i``; ``feuille review``).

Each answer is checked on the spot: a wrong date or an unknown status is asked again, not
reported at the end.  Nothing is written before the last question and the final « Enregistrer ? ».
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

from feuille.app.values import InputError, day_text, say
from feuille.cli.options import echo

ACTION_QUESTIONS = ("status", "progress", "achieved", "remaining", "health", "health_note", "actual_start", "actual_end", "planned_end")
OBJECTIVE_QUESTIONS = ("planned_end", "notes")
SUB_ACTION_QUESTIONS = ("status", "progress", "achieved", "remaining", "actual_start", "actual_end", "planned_end")
_KEEP = "-"  # shown for an empty value: Enter keeps it


def prompt(text: str, **options: Any) -> Any:
    """``typer.prompt`` ending as the language does: « statut [en cours] : », "status [ongoing]: "."""
    # TRANSLATORS: what ends a question asked on the terminal, after its default (« statut [en cours] : »)
    return typer.prompt(text, prompt_suffix=say(": "), **options)


def yes(question: str, default: bool = True, run: Any = None) -> bool:
    """A yes/no question in French: o, oui, n, non (y, yes, no too); Entrée gives the default."""
    while True:
        choices = say("Y/n") if default else say("y/N")  # o/n in French
        answer = prompt(f"{question} [{choices}]", default="", show_default=False).strip().lower()
        if not answer:
            return default
        if answer in ("o", "oui", "y", "yes"):
            return True
        if answer in ("n", "non", "no"):
            return False
        echo(say("  Answer 'y' (yes) or 'n' (no).\n"), run)


def _current(item: Any, name: str, values: dict[str, Any]) -> Any:
    from enum import Enum

    value = values[name] if name in values else getattr(item, name, None)
    return value.value if isinstance(value, Enum) else value


def _ask(plan: Any, item: Any, name: str, day: dt.date, values: dict[str, Any], why: str = "", run: Any = None) -> Any:
    from feuille.app.update import label_of, parse_field, show_value

    current = _current(item, name, values)
    shown = show_value(name, current) if current not in (None, []) else _KEEP
    if why:
        echo(why + "\n", run)
    while True:
        answer = prompt(f"  {label_of(name)}", default=shown, show_default=True)
        if answer.strip() == shown:
            return current
        try:
            return parse_field(plan, item, name, answer, day)
        except InputError as exc:
            echo(f"  ✗ {exc.message}" + (f" {exc.hint}" if exc.hint else "") + "\n", run)


def ask_update(plan: Any, item: Any, day: dt.date, values: dict[str, Any], reason: str | None, *, ask_reviewed: bool = True,
               run: Any = None) -> tuple[dict[str, Any], str | None, bool]:
    """Ask every usual field, the current value as default; returns (values, reason, reviewed).  What is said is
    wrapped to the width of ``run`` (the command's :class:`~feuille.core.run.Run`)."""
    from feuille.app.update import show_value
    from feuille.core.model import Action, SubAction

    values = dict(values)
    echo(say("{id} '{title}' — Enter keeps the value in brackets; '-' leaves it empty.\n", id=item.id, title=item.title), run)
    sub = isinstance(item, SubAction)  # (its own fields; it keeps no record of deadline moves: no reason asked)
    questions = ACTION_QUESTIONS if isinstance(item, Action) else SUB_ACTION_QUESTIONS if sub else OBJECTIVE_QUESTIONS
    for name in questions:
        if name == "health_note" and _current(item, "health", values) in ("good", None) and not getattr(item, "health_note", None):
            continue
        values[name] = _ask(plan, item, name, day, values, run=run)
        if name == "progress" and "status" in values:
            while True:
                status, progress = values.get("status"), values.get("progress")
                if status == "done" and progress is not None and progress < 100:
                    why = say('  A done action is at 100%; the progress says {value}.', value=show_value('progress', progress))
                elif status == "not_started" and progress:
                    why = say('  A not-started action has no progress; it says {value}.', value=show_value('progress', progress))
                else:
                    break
                values["progress"] = _ask(plan, item, "progress", day, {**values, "progress": 100 if status == "done" else 0}, why, run)
        if name == "planned_end" and values[name] != getattr(item, "planned_end", None) and getattr(item, "planned_end", None) is not None and not reason and not sub:
            while not reason:
                reason = prompt(say('  why does the deadline move?')).strip() or None
    values = {k: v for k, v in values.items() if v != _current(item, k, {})}
    reviewed = yes("  " + say("mark {id} as reviewed on {day}?", id=item.id, day=day_text(day)), run=run) if ask_reviewed else True
    return values, reason, reviewed
