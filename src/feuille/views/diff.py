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

from feuille.compute.diff import Change, PlanDiff
from feuille.views.format import Formatter
from feuille.views.labels import HEALTH, STATUS
from feuille.views.mdsafe import md_text as escape_inline

FORMATS = ("text", "markdown", "json")

_FIELDS = {
    "fr": {"political_owners": "responsable(s) politique(s)", "admin_owner": "responsable administratif", "service": "service pilote",
           "planned_start": "début prévu", "planned_end": "échéance", "actual_start": "début effectif", "actual_end": "fin effective",
           "description": "description", "achieved": "réalisations", "remaining": "reste à faire", "health": "santé", "health_note": "note de santé",
           "notes": "notes", "last_reviewed": "dernière revue", "stake": "enjeu", "urgency": "urgence", "roi": "retour", "priority": "priorité",
           "weight": "poids", "tags": "tags", "territories": "territoires", "sdgs": "ODD", "volet": "volet", "partners": "partenaires",
           "involved": "personnes impliquées", "serves": "objectifs servis", "indicators": "indicateurs", "budget": "lignes budgétaires",
           "gain": "gain estimé", "gain_score": "note de gain", "visibility": "visibilité"},
    "en": {"political_owners": "political owner(s)", "admin_owner": "administrative owner", "service": "lead service",
           "planned_start": "planned start", "planned_end": "deadline", "actual_start": "actual start", "actual_end": "actual end",
           "last_reviewed": "last reviewed", "health_note": "health note", "roi": "ROI", "sdgs": "SDGs", "involved": "people involved",
           "serves": "objectives served", "budget": "budget lines", "gain_score": "gain score", "remaining": "remaining", "achieved": "achieved"},
}
_LONG = frozenset({"description", "achieved", "remaining", "health_note", "notes"})

_T = {
    "fr": {
        "added_action": "action ajoutée", "added_objective": "objectif ajouté", "removed_action": "action retirée", "removed_objective": "objectif retiré",
        "moved": "déplacée de {old} vers {new}", "moved_objective": "déplacé de {old} vers {new}", "top": "(premier niveau)",
        "retitled": "nouveau titre : « {new} » (avant : « {old} »)", "status": "statut {old} → {new}",
        "progress": "avancement {old} → {new}{delta}", "points": " ({sign}{n} points)",
        "slipped": "{what} reportée de {n} jour(s) ({old} → {new})", "advanced": "{what} avancée de {n} jour(s) ({old} → {new})",
        "slipped_start": "{what} reporté de {n} jour(s) ({old} → {new})", "advanced_start": "{what} avancé de {n} jour(s) ({old} → {new})",
        "date_set": "{what} fixé(e) au {new}", "date_unset": "{what} retiré(e) (était le {old})",
        "budget": "budget prévu {old} → {new} ({delta})", "spent": "montant engagé {old} → {new} ({delta})",
        "owners": "{what} : {old} → {new}", "measurement": "nouvelle mesure « {label} » du {date} : {value}",
        "file": "lue dans un autre fichier : {old} → {new}", "field": "{what} : {old} → {new}", "text": "{what} modifié(e)",
        "none": "aucun", "no_change": "Aucun changement.", "other_group": "Hors objectif",
        "head": "Changements du plan « {title} »", "from_to": "de {a} à {b}",
        "summary": "{n} élément(s) modifié(s) dans {g} objectif(s) : {what}.",
        "k_added": "{n} ajout(s)", "k_removed": "{n} retrait(s)", "k_moved": "{n} déplacement(s)", "k_retitled": "{n} titre(s) changé(s)",
        "k_status": "{n} statut(s)", "k_progress": "{n} avancement(s)", "k_dates": "{n} date(s) prévue(s)", "k_budget": "{n} budget(s)",
        "k_spent": "{n} montant(s) engagé(s)", "k_owners": "{n} responsable(s)", "k_measurement": "{n} mesure(s)", "k_file": "{n} fichier(s) renommé(s) ou déplacé(s)",
        "k_field": "{n} autre(s) champ(s)", "log_head": "Historique de {id} « {title} »", "log_none": "Aucun commit n'a modifié {id}.",
        "created": "créé(e)", "deleted": "retiré(e) du plan", "uncommitted": "modifications non enregistrées (copie de travail)",
        "log_summary": "{n} commit(s) ont modifié {id}{since}.", "shallow": "Historique partiel (clone superficiel) : il commence au {date}.",
    },
    "en": {
        "added_action": "action added", "added_objective": "objective added", "removed_action": "action removed", "removed_objective": "objective removed",
        "moved": "moved from {old} to {new}", "moved_objective": "moved from {old} to {new}", "top": "(top level)",
        "retitled": "new title: '{new}' (was: '{old}')", "status": "status {old} → {new}",
        "progress": "progress {old} → {new}{delta}", "points": " ({sign}{n} points)",
        "slipped": "{what} slipped by {n} day(s) ({old} → {new})", "advanced": "{what} brought forward by {n} day(s) ({old} → {new})",
        "slipped_start": "{what} slipped by {n} day(s) ({old} → {new})", "advanced_start": "{what} brought forward by {n} day(s) ({old} → {new})",
        "date_set": "{what} set to {new}", "date_unset": "{what} removed (was {old})",
        "budget": "planned budget {old} → {new} ({delta})", "spent": "amount spent {old} → {new} ({delta})",
        "owners": "{what}: {old} → {new}", "measurement": "new measurement '{label}' on {date}: {value}",
        "file": "read from another file: {old} → {new}", "field": "{what}: {old} → {new}", "text": "{what} changed",
        "none": "none", "no_change": "No change.", "other_group": "Outside any objective",
        "head": "Changes to the plan '{title}'", "from_to": "from {a} to {b}",
        "summary": "{n} item(s) changed in {g} objective(s): {what}.",
        "k_added": "{n} added", "k_removed": "{n} removed", "k_moved": "{n} moved", "k_retitled": "{n} retitled",
        "k_status": "{n} status change(s)", "k_progress": "{n} progress change(s)", "k_dates": "{n} planned date(s)", "k_budget": "{n} budget(s)",
        "k_spent": "{n} spending change(s)", "k_owners": "{n} owner change(s)", "k_measurement": "{n} measurement(s)", "k_file": "{n} file(s) renamed or moved",
        "k_field": "{n} other field(s)", "log_head": "History of {id} '{title}'", "log_none": "No commit changed {id}.",
        "created": "created", "deleted": "removed from the plan", "uncommitted": "uncommitted changes (working tree)",
        "log_summary": "{n} commit(s) changed {id}{since}.", "shallow": "Partial history (shallow clone): it starts on {date}.",
    },
}


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
        fr = lang == "fr"
        if self.kind == "work":
            return "la copie de travail (fichiers actuels)" if fr else "the working tree (files as they are)"
        if self.kind == "folder":
            return f"« {self.folder} »" if fr else f"'{self.folder}'"
        short = (self.commit or "")[:7]
        name = short if not self.rev or short.startswith(self.rev.lower()[:7]) and self.commit and self.commit.startswith(self.rev.lower()) else f"{short} ({self.rev})"
        when = self.date.strftime("%d/%m/%Y %H:%M" if fr else "%Y-%m-%d %H:%M") if self.date else ""
        text = f"{name} {'du' if fr else 'of'} {when}" if when else name
        if self.why == "since":
            day = dt.date.fromisoformat(self.detail or "")
            text += f", le plan à la fin du {day:%d/%m/%Y}" if fr else f", the plan at the end of {day:%Y-%m-%d}"
        elif self.why == "validation":
            by, _, iso = (self.detail or "").rpartition("|")
            day = dt.date.fromisoformat(iso)
            text += (f", état validé{' par ' + by if by else ''} le {day:%d/%m/%Y}" if fr
                     else f", validated{' by ' + by if by else ''} on {day:%Y-%m-%d}")
        elif self.why == "base":
            text += f", ancêtre commun de {self.detail}" if fr else f", common ancestor of {self.detail}"
        return text

    def as_dict(self, lang: str = "fr") -> dict[str, Any]:
        return {"label": self.label(lang), "commit": self.commit, "rev": self.rev, "date": self.date.isoformat() if self.date else None, "folder": self.folder}


def _field(name: str | None, lang: str) -> str:
    if name is None:
        return ""
    return _FIELDS[lang].get(name, name if lang == "fr" else name.replace("_", " "))


def _value(name: str | None, value: Any, fmt: Formatter, people: dict[str, str]) -> str:
    t = _T[fmt.lang]
    if value is None or value == []:
        return t["none"]
    if name == "status" and isinstance(value, str):
        return STATUS[fmt.lang].get(value, value)
    if name == "health" and isinstance(value, str):
        return HEALTH[fmt.lang].get(value, value)
    if name in ("political_owners", "admin_owner", "involved"):
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

    def obj(ident: Any) -> str:
        if ident is None:
            return t["top"]
        title = titles.get(ident)
        return f"{ident} « {_short(title)} »" if title and lang == "fr" else f"{ident} '{_short(title)}'" if title else str(ident)

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
        return t[key].format(what=what, n=abs(c.delta), old=old, new=new)
    if c.kind in ("budget", "spent"):
        return t[c.kind].format(old=fmt.money(c.old), new=fmt.money(c.new), delta=_signed_money(c.delta, fmt))
    if c.kind == "owners":
        return t["owners"].format(what=_field(c.field, lang), old=_value(c.field, c.old, fmt, people), new=_value(c.field, c.new, fmt, people))
    if c.kind == "measurement":
        m = c.new or {}
        value = fmt.number(m.get("value"), 2) + (f" {m['unit']}" if m.get("unit") else "")
        return t["measurement"].format(label=m.get("indicator"), date=_value(None, m.get("date"), fmt, people), value=value)
    if c.kind == "file":
        return t["file"].format(old=c.old, new=c.new)
    if c.field in _LONG:
        return t["text"].format(what=_field(c.field, lang))
    return t["field"].format(what=_field(c.field, lang), old=_value(c.field, c.old, fmt, people), new=_value(c.field, c.new, fmt, people))


def _quoted(title: str, lang: str) -> str:
    return f"« {_short(title)} »" if lang == "fr" else f"'{_short(title)}'"


def summary(d: PlanDiff, fmt: Formatter) -> str:
    t = _T[fmt.lang]
    if not d:
        return t["no_change"]
    counts = {}
    for c in d.changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    from feuille.compute.diff import KINDS

    what = ", ".join(t[f"k_{k}"].format(n=counts[k]) for k in KINDS if counts.get(k))
    items = len({c.item for c in d.changes})
    groups = len({c.objective for c in d.changes})
    return t["summary"].format(n=items, g=groups, what=what)


def _items(changes: Sequence[Change]) -> list[tuple[Change, list[Change]]]:
    by: dict[str, list[Change]] = {}
    for c in changes:
        by.setdefault(c.item, []).append(c)
    return [(cs[0], cs) for cs in by.values()]


def text(d: PlanDiff, fmt: Formatter, title: str, a: Side, b: Side, people: dict[str, str] | None = None) -> str:
    t, lang = _T[fmt.lang], fmt.lang
    out = [t["head"].format(title=title), t["from_to"].format(a=a.label(fmt.lang), b=b.label(fmt.lang)), summary(d, fmt)]
    for group, changes in d.groups():
        out.append("")
        out.append(f"{group} {_quoted(d.titles.get(group, ''), lang)}" if group else t["other_group"])
        for first, cs in _items(changes):
            head = f"  {first.item} {_quoted(first.title, lang)}" if first.level == "action" or first.item != group else "  " + ("objectif" if lang == "fr" else "objective")
            if len(cs) == 1:
                out.append(f"{head} : {describe(cs[0], fmt, d.titles, people)}" if lang == "fr" else f"{head}: {describe(cs[0], fmt, d.titles, people)}")
                continue
            out.append(head)
            out += [f"    {describe(c, fmt, d.titles, people)}" for c in cs]
    return "\n".join(out) + "\n"


def markdown(d: PlanDiff, fmt: Formatter, title: str, a: Side, b: Side, people: dict[str, str] | None = None) -> str:
    t, lang = _T[fmt.lang], fmt.lang
    out = [f"## {escape_inline(t['head'].format(title=title))}", "", escape_inline(t["from_to"].format(a=a.label(fmt.lang), b=b.label(fmt.lang))), "",
           escape_inline(summary(d, fmt))]
    for group, changes in d.groups():
        out += ["", f"### {escape_inline(group)} — {escape_inline(d.titles.get(group, ''))}" if group else f"### {t['other_group']}", ""]
        for first, cs in _items(changes):
            name = f"**{escape_inline(first.item)}** {escape_inline(_quoted(first.title, lang))}"
            if len(cs) == 1:
                out.append(f"- {name} : {escape_inline(describe(cs[0], fmt, d.titles, people))}" if lang == "fr"
                           else f"- {name}: {escape_inline(describe(cs[0], fmt, d.titles, people))}")
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
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


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
    out = [t["log_head"].format(id=ident, title=title)]
    out += list(notes)
    if not entries:
        out.append(t["log_none"].format(id=ident))
    for e in entries:
        out.append("")
        when = e.when.strftime("%d/%m/%Y %H:%M") if e.when and fmt.lang == "fr" else e.when.strftime("%Y-%m-%d %H:%M") if e.when else ""
        head = f"{e.commit[:7]}  {when}  {e.author}" if e.commit else t["uncommitted"]
        out.append(head + (f"  « {e.subject} »" if e.subject and fmt.lang == "fr" else f"  '{e.subject}'" if e.subject else ""))
        for c in e.changes:
            line = describe(c, fmt, titles, people)
            out.append(f"  {line}")
    return "\n".join(out) + "\n"


def log_json(ident: str, title: str, entries: Sequence[Entry], fmt: Formatter, titles: dict[str, str], people: dict[str, str], notes: Sequence[str]) -> str:
    doc = {"version": 1, "id": ident, "title": title, "notes": list(notes), "commits": [
        {"commit": e.commit, "author": e.author, "email": e.email, "date": e.when.isoformat() if e.when else None, "subject": e.subject,
         "changes": [{**c.as_dict(), "text": describe(c, fmt, titles, people)} for c in e.changes]} for e in entries]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
