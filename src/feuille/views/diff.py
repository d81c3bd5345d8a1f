"""``feuille diff`` and ``feuille log`` for people: text, Markdown and JSON, in French or English.

Nothing here computes a change (:mod:`feuille.compute.diff` does); this module only
words them: « échéance reportée de 92 jours (31/12/2027 → 02/04/2028) ».
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from feuille.compute.diff import KINDS, Change, PlanDiff
from feuille.core import jsontext
from feuille.core.i18n import N_, NC_, NPC_, Words, translator
from feuille.core.registry import item_fields, table
from feuille.views.format import Formatter
from feuille.views.labels import measure
from feuille.views.mdsafe import md_text as escape_inline

FORMATS = ("text", "markdown", "json")

_WHEN = N_("%Y-%m-%d %H:%M")  # TRANSLATORS: a commit's date and time (strftime)
_DAY = N_("%Y-%m-%d")  # TRANSLATORS: a day (strftime)

_T = Words({
    'added_action': NC_('diff', 'action added'),
    'added_objective': NC_('diff', 'objective added'),
    'removed_action': NC_('diff', 'action removed'),
    'removed_objective': NC_('diff', 'objective removed'),
    'moved': NC_('diff', 'moved from {old} to {new}'),
    'moved_objective': NC_('diff-objective', 'moved from {old} to {new}'),
    'top': NC_('diff', '(top level)'),
    'retitled': NC_('diff', "new title: '{new}' (was: '{old}')"),
    'status': NC_('diff', 'status {old} → {new}'),
    'progress': NC_('diff', 'progress {old} → {new}{delta}'),
    'points': NC_('diff', ' ({sign}{n} points)'),
    'slipped': NC_('diff', '{what} slipped by {days} ({old} → {new})'),
    'advanced': NC_('diff', '{what} brought forward by {days} ({old} → {new})'),
    'slipped_start': NC_('diff-start', '{what} slipped by {days} ({old} → {new})'),
    'advanced_start': NC_('diff-start', '{what} brought forward by {days} ({old} → {new})'),
    'days': NPC_('diff', '{n} day', '{n} days'),
    'date_set': NC_('diff', '{what} set to {new}'),
    'date_unset': NC_('diff', '{what} removed (was {old})'),
    'budget': NC_('diff', 'planned budget {old} → {new} ({delta})'),
    'spent': NC_('diff', 'amount spent {old} → {new} ({delta})'),
    'owners': NC_('diff', '{what}: {old} → {new}'),
    'measurement': NC_('diff', "new measurement '{label}' on {date}: {value}"),
    'file': NC_('diff', 'read from another file: {old} → {new}'),
    'field': NC_('diff', '{what}: {old} → {new}'),
    'text': NC_('diff', '{what} changed'),
    'none': NC_('diff', 'none'),
    'later': NC_('diff', 'deadline moved from {old} to {new} (on {date}): {reason}'),
    'earlier': NC_('diff', 'deadline brought forward from {old} to {new} (on {date}): {reason}'),
    'moves': NC_('diff', 'deadline moves edited'),
    'why': NC_('diff', '{change}, on {date}: {reason}'),
    'no_change': NC_('diff', 'No change.'),
    'other_group': NC_('diff', 'Outside any objective'),
    'head': NC_('diff', "Changes to the plan '{title}'"),
    'from_to': NC_('diff', 'from {a} to {b}'),
    'summary': NPC_('diff', '{n} item changed in {groups}: {what}.', '{n} items changed in {groups}: {what}.'),
    'groups': NPC_('diff', '{n} objective', '{n} objectives'),
    'k_added': NPC_('diff', '{n} added', '{n} added'),
    'k_removed': NPC_('diff', '{n} removed', '{n} removed'),
    'k_moved': NPC_('diff', '{n} moved', '{n} moved'),
    'k_retitled': NPC_('diff', '{n} retitled', '{n} retitled'),
    'k_status': NPC_('diff', '{n} status change', '{n} status changes'),
    'k_progress': NPC_('diff', '{n} progress change', '{n} progress changes'),
    'k_dates': NPC_('diff', '{n} planned date', '{n} planned dates'),
    'k_budget': NPC_('diff', '{n} budget', '{n} budgets'),
    'k_spent': NPC_('diff', '{n} spending change', '{n} spending changes'),
    'k_owners': NPC_('diff', '{n} owner change', '{n} owner changes'),
    'k_measurement': NPC_('diff', '{n} measurement', '{n} measurements'),
    'k_file': NPC_('diff', '{n} file renamed or moved', '{n} files renamed or moved'),
    'k_field': NPC_('diff', '{n} other field', '{n} other fields'),
    'objective': NC_('diff', 'objective'),
    'log_head': NC_('diff', "History of {id} '{title}'"),
    'log_none': NC_('diff', 'No commit changed {id}.'),
    'created': NC_('diff', 'created'),
    'deleted': NC_('diff', 'removed from the plan'),
    'uncommitted': NC_('diff', 'uncommitted changes (working tree)'),
    'log_summary': NPC_('diff', '{n} commit changed {id}{since}.', '{n} commits changed {id}{since}.'),
    'shallow': NC_('diff', 'Partial history (shallow clone): it starts on {date}.'),
})


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a diff: a commit (``rev`` as the user named it), the working tree, or a folder."""

    kind: str  # commit | work | folder
    commit: str | None = None
    rev: str | None = None
    date: dt.datetime | None = None  # the commit's date, Brussels time
    folder: str | None = None
    why: str | None = None  # since | validation | base
    detail: str | None = None  # the day (since, validation), who validated, the two revisions (base)

    def label(self, lang: str) -> str:
        _ = translator(lang)
        if self.kind == "work":
            return _("the working tree (files as they are)")
        if self.kind == "folder":
            return _("'{value}'").format(value=self.folder)
        short = (self.commit or "")[:7]
        name = short if not self.rev or short.startswith(self.rev.lower()[:7]) and self.commit and self.commit.startswith(self.rev.lower()) else f"{short} ({self.rev})"
        text = _("{name} of {when}").format(name=name, when=self.date.strftime(_(_WHEN))) if self.date else name
        if self.why == "since":
            day = dt.date.fromisoformat(self.detail or "")
            text += _(", the plan at the end of {day}").format(day=day.strftime(_(_DAY)))
        elif self.why == "validation":
            by, _sep, iso = (self.detail or "").rpartition("|")
            day = dt.date.fromisoformat(iso).strftime(_(_DAY))
            text += _(", validated by {who} on {day}").format(who=by, day=day) if by else _(", validated on {day}").format(day=day)
        elif self.why == "base":
            text += _(", common ancestor of {revisions}").format(revisions=self.detail)
        return text

    def as_dict(self, lang: str = "fr") -> dict[str, Any]:
        return {"label": self.label(lang), "commit": self.commit, "rev": self.rev, "date": self.date.isoformat() if self.date else None, "folder": self.folder}


def _field(name: str | None, lang: str) -> str:
    """A field as diff names it (« responsables politiques »): the field registry's wording."""
    if name is None:
        return ""
    return table("diff")[lang].get(name, name.replace("_", " "))


def _long(name: str | None) -> bool:
    """A free text (described as changed, not quoted)."""
    found = item_fields().get(name or "")
    return found is not None and found.long


def _value(name: str | None, value: Any, fmt: Formatter, people: dict[str, str]) -> str:
    t = _T[fmt.lang]
    if value is None or value == []:
        return t["none"]
    field = item_fields().get(name or "")
    if field is not None and field.words is not None and isinstance(value, str):
        return field.words.word(value, fmt.lang)  # « en cours », « volet interne »
    if field is not None and field.kind in ("people", "person"):
        ids = value if isinstance(value, list) else [value]
        return ", ".join(people.get(str(i), str(i)) for i in ids)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return fmt.date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value)
    return _short(value)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


def _signed_money(value: Any, fmt: Formatter) -> str:
    text = fmt.money(value)
    return f"+{text}" if value is not None and value > 0 else text


def describe(c: Change, fmt: Formatter, titles: dict[str, str], people: dict[str, str] | None = None) -> str:
    """One change in words, without the item's id (the views put it in front)."""
    t, lang, people = _T[fmt.lang], fmt.lang, people or {}
    _ = translator(lang)

    def obj(ident: Any) -> str:
        if ident is None:
            return t["top"]
        title = titles.get(ident)
        return _("{id} '{title}'").format(id=ident, title=_short(title)) if title else str(ident)

    if c.kind in ("added", "removed"):
        return t[f"{c.kind}_{c.level}"]
    if c.kind == "moved":
        return t["moved" if c.level == "action" else "moved_objective"].format(old=obj(c.old), new=obj(c.new))
    if c.kind == "retitled":
        return t["retitled"].format(old=c.old, new=c.new)
    if c.kind == "status":
        return t["status"].format(old=_value("status", c.old, fmt, people), new=_value("status", c.new, fmt, people))
    if c.kind == "progress":
        delta = t["points"].format(sign="+" if c.delta > 0 else "−", n=fmt.number(abs(c.delta), 1)) if c.delta else ""
        return t["progress"].format(old=fmt.pct(c.old), new=fmt.pct(c.new), delta=delta)
    if c.kind == "dates":
        what = _field(c.field, lang)
        old, new = _value(c.field, c.old, fmt, people), _value(c.field, c.new, fmt, people)
        if c.old is None:
            return t["date_set"].format(what=what, new=new)
        if c.new is None:
            return t["date_unset"].format(what=what, old=old)
        key = ("slipped" if c.delta > 0 else "advanced") + ("_start" if c.field == "planned_start" else "")
        said = t[key].format(what=what, days=t["days"].format(n=abs(c.delta)), old=old, new=new)
        if c.reason is not None:  # a move recorded with its reason (compute/diff.py: one change, not two)
            return t["why"].format(change=said, date=_value(None, c.decided, fmt, people), reason=_short(c.reason))
        return said
    if c.kind in ("budget", "spent"):
        return t[c.kind].format(old=fmt.money(c.old), new=fmt.money(c.new), delta=_signed_money(c.delta, fmt))
    if c.kind == "owners":
        return t["owners"].format(what=_field(c.field, lang), old=_value(c.field, c.old, fmt, people), new=_value(c.field, c.new, fmt, people))
    if c.kind == "measurement":
        m = c.new or {}
        value = measure(fmt, m.get("value"), m.get("unit"))
        return t["measurement"].format(label=m.get("indicator"), date=_value(None, m.get("date"), fmt, people), value=value)
    if c.kind == "file":
        return t["file"].format(old=c.old, new=c.new)
    if c.field == "reschedules":
        return _moves(c, fmt, people)
    if _long(c.field):
        return t["text"].format(what=_field(c.field, lang))
    return t["field"].format(what=_field(c.field, lang), old=_value(c.field, c.old, fmt, people), new=_value(c.field, c.new, fmt, people))


def _moves(c: Change, fmt: Formatter, people: dict[str, str]) -> str:
    """Deadline moves recorded (``feuille update --planned-end ... --reason ...``), in words:
    « échéance reportée du 30/06/2026 au 31/12/2026 (le 15/03/2026) : raison »."""
    t = _T[fmt.lang]
    old = c.old if isinstance(c.old, list) else []
    new = c.new if isinstance(c.new, list) else []
    added = [m for m in new if m not in old]
    if not added or any(m not in new for m in old) or not all(isinstance(m, dict) for m in added):
        return t["moves"]  # moves edited or removed: the file's history tells how
    said = []
    for m in added:
        before, after = m.get("from_") or m.get("from"), m.get("to")
        key = "earlier" if isinstance(before, str) and isinstance(after, str) and after < before else "later"
        said.append(t[key].format(old=_value(None, before, fmt, people), new=_value(None, after, fmt, people),
                                  date=_value(None, m.get("date"), fmt, people), reason=_short(m.get("reason") or "")))
    _ = translator(fmt.lang)
    return _("; ").join(said)


def _quoted(title: str, lang: str) -> str:
    _ = translator(lang)
    return _("'{value}'").format(value=_short(title))


def summary(d: PlanDiff, fmt: Formatter) -> str:
    t = _T[fmt.lang]
    if not d:
        return t["no_change"]
    counts = {}
    for c in d.changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1

    what = ", ".join(t[f"k_{k}"].format(n=counts[k]) for k in KINDS if counts.get(k))
    items = len({c.item for c in d.changes})
    groups = len({c.objective for c in d.changes})
    return t["summary"].format(n=items, groups=t["groups"].format(n=groups), what=what)


def _items(changes: Sequence[Change]) -> list[tuple[Change, list[Change]]]:
    by: dict[str, list[Change]] = {}
    for c in changes:
        by.setdefault(c.item, []).append(c)
    return [(cs[0], cs) for cs in by.values()]


def text(d: PlanDiff, fmt: Formatter, title: str, a: Side, b: Side, people: dict[str, str] | None = None) -> str:
    t, lang = _T[fmt.lang], fmt.lang
    _ = translator(lang)
    out = [t["head"].format(title=title), t["from_to"].format(a=a.label(fmt.lang), b=b.label(fmt.lang)), summary(d, fmt)]
    for group, changes in d.groups():
        out.append("")
        out.append(f"{group} {_quoted(d.titles.get(group, ''), lang)}" if group else t["other_group"])
        for first, cs in _items(changes):
            head = f"  {first.item} {_quoted(first.title, lang)}" if first.level == "action" or first.item != group else "  " + t["objective"]
            if len(cs) == 1:
                out.append(_("{label}: {value}").format(label=head, value=describe(cs[0], fmt, d.titles, people)))
                continue
            out.append(head)
            out += [f"    {describe(c, fmt, d.titles, people)}" for c in cs]
    return "\n".join(out) + "\n"


def markdown(d: PlanDiff, fmt: Formatter, title: str, a: Side, b: Side, people: dict[str, str] | None = None) -> str:
    t, lang = _T[fmt.lang], fmt.lang
    _ = translator(lang)
    out = [f"## {escape_inline(t['head'].format(title=title))}", "", escape_inline(t["from_to"].format(a=a.label(fmt.lang), b=b.label(fmt.lang))), "",
           escape_inline(summary(d, fmt))]
    for group, changes in d.groups():
        out += ["", f"### {escape_inline(group)} — {escape_inline(d.titles.get(group, ''))}" if group else f"### {t['other_group']}", ""]
        for first, cs in _items(changes):
            name = f"**{escape_inline(first.item)}** {escape_inline(_quoted(first.title, lang))}"
            if len(cs) == 1:
                out.append("- " + _("{label}: {value}").format(label=name, value=escape_inline(describe(cs[0], fmt, d.titles, people))))
                continue
            out.append(f"- {name}")
            out += [f"  - {escape_inline(describe(c, fmt, d.titles, people))}" for c in cs]
    return "\n".join(out) + "\n"


def to_json(d: PlanDiff, fmt: Formatter, title: str, a: Side, b: Side, people: dict[str, str] | None = None) -> str:
    doc = {
        "version": 1, "plan": title, "from": a.as_dict(fmt.lang), "to": b.as_dict(fmt.lang),
        "summary": {k: d.count(k) for k in sorted({c.kind for c in d.changes})},
        "groups": [{"objective": g, "title": d.titles.get(g) if g else None,
                    "changes": [{**c.as_dict(), "text": describe(c, fmt, d.titles, people)} for c in cs]} for g, cs in d.groups()],
    }
    return jsontext.dumps(doc) + "\n"


RENDER = {"text": text, "markdown": markdown, "json": to_json}


# --- feuille log ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One commit of an item's history."""

    commit: str | None  # None: the working tree
    author: str
    email: str
    when: dt.datetime | None
    subject: str
    changes: list[Change]


def log_text(ident: str, title: str, entries: Sequence[Entry], fmt: Formatter, titles: dict[str, str], people: dict[str, str], notes: Sequence[str]) -> str:
    t = _T[fmt.lang]
    _ = translator(fmt.lang)
    out = [t["log_head"].format(id=ident, title=title)]
    out += list(notes)
    if not entries:
        out.append(t["log_none"].format(id=ident))
    for e in entries:
        out.append("")
        when = e.when.strftime(_(_WHEN)) if e.when else ""
        head = f"{e.commit[:7]}  {when}  {e.author}" if e.commit else t["uncommitted"]
        out.append(head + ("  " + _("'{value}'").format(value=e.subject) if e.subject else ""))
        for c in e.changes:
            line = describe(c, fmt, titles, people)
            out.append(f"  {line}")
    return "\n".join(out) + "\n"


def log_json(ident: str, title: str, entries: Sequence[Entry], fmt: Formatter, titles: dict[str, str], people: dict[str, str], notes: Sequence[str]) -> str:
    doc = {"version": 1, "id": ident, "title": title, "notes": list(notes), "commits": [
        {"commit": e.commit, "author": e.author, "email": e.email, "date": e.when.isoformat() if e.when else None, "subject": e.subject,
         "changes": [{**c.as_dict(), "text": describe(c, fmt, titles, people)} for c in e.changes]} for e in entries]}
    return jsontext.dumps(doc) + "\n"
