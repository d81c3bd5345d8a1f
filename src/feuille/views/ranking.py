"""``feuille prioritise`` rendered from a :class:`~feuille.priorities.Ranking`: text, markdown, json, csv."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from feuille.compute.ranking import (
    CRITERIA,
    QUADRANTS,
    Ranking,
    Scored,
    matrix_counts,
    neighbours,
    sensitivity,
    sensitivity_affordable,
)
from feuille.core import jsontext
from feuille.core.i18n import N_, plural_translator, translator
from feuille.core.registry import table
from feuille.views import csv_out
from feuille.views.format import Formatter
from feuille.views.labels import STATUS, Line
from feuille.views.table import Step, Table, fit, fit_lines, wrap_lines

FORMATS = ("text", "markdown", "json", "csv")

# The words of this view: English msgids, translated by the catalogue (src/feuille/locale).
_WORDS = {
    "colon": N_("{label}: {value}"),  # French puts a space before the colon
    "title": N_("Priorities"),
    "actions": N_("actions"),
    "objectives": N_("objectives"),
    "method": N_("method"),
    "as_of": N_("as of"),
    "weighted": N_("weighted sum"),
    "matrix": N_("stake x urgency matrix"),
    "wsjf": N_("value / cost (WSJF)"),
    "total": N_("Total"),
    "rank": N_("Rank"),
    "quadrant": N_("Quadrant"),
    "quoted": N_("“{text}”"),  # French: « {text} »
    "stable": N_("Rank unchanged while the weight stays between"),
    "ties": N_("Ties (=): same total, stake, urgency and ROI; they share one rank, written once, and are listed by id."),
    "broken": N_("Equal totals are ordered by stake, then urgency, then ROI, then id."),
    "unranked": N_("Not ranked: scores missing"),
    "finished": N_("Not ranked: finished (done or cancelled)"),
    "is_finished": N_("Finished ({status}): done and cancelled actions are not ranked."),
    "tie_with": N_("ex aequo with {ids}"),
    "missing": N_("missing"),
    "derived": N_("* derived score"),
    "none": N_("nothing to rank"),
    "no_match": N_("Nothing matches the filters: nothing to rank."),
    "do_first": N_("do first"),
    "plan": N_("plan"),
    "quick_win": N_("quick win"),
    "later": N_("later"),
    "matrix_title": N_("Stake x urgency matrix (items per cell)"),
    "axis_u": N_("urgency →"),
    "axis_s": N_("stake ↓"),
    "why": N_("Why"),
    "above": N_("Just above"),
    "below": N_("Just below"),
    "gap": N_("gap"),
    "weights": N_("weights"),
    "weight": N_("weight"),  # one criterion's
    "contribution": N_("contribution"),
    "not_ranked": N_("not ranked"),
    "deadline": N_("derived from the deadline"),
    "gain": N_("derived from gain and cost"),
    "gain_score": N_("derived from the gain score and the cost"),
    "given": N_("scored"),
    "cost": N_("cost"),
    "too_many": N_("Too many items to compute how stable each rank is: add --top N (e.g. --top 50)."),
}


@functools.cache
def _t(lang: str) -> dict[str, str]:
    """This view's words in ``lang`` (read once: do not modify the dict)."""
    _ = translator(lang)
    h = table("heading")[lang]  # the criteria as the field registry titles them (« Enjeu », « Urgence », « Retour »)
    return {"stake": h["stake"], "urgency": h["urgency"], "roi": h["roi"], **{key: _(msgid) for key, msgid in _WORDS.items()}}


def _missing(s: Scored, t: dict[str, str]) -> str:
    """The scores an item lacks, in the reader's words (« enjeu, retour »), or « coût » when only the cost is missing."""
    return ", ".join(t[c].lower() for c in s.missing) or t["cost"]


def criteria_words(names: Sequence[str], lang: str) -> str:
    """Criteria keys (``stake``, ``roi``) in the reader's words, for a sentence: « enjeu, retour »."""
    t = _t(lang)
    return ", ".join(t[c].lower() for c in names)


def _lower(word: str) -> str:
    """« Enjeu » -> « enjeu » in a sentence, but an acronym stays as it is (ROI)."""
    return word if word[1:2].isupper() else word[:1].lower() + word[1:]


def _num(x: float | None, fmt: Formatter, digits: int = 1) -> str:
    return "–" if x is None else fmt.number(round(x, digits), digits)


def total_digits(ranking: Ranking) -> int:
    """How many decimals a total is shown with: 2 for value / cost (small ratios), 1 for the 0-100 totals."""
    return 2 if ranking.method == "wsjf" else 1


def total_value(ranking: Ranking, value: float | None) -> float | None:
    """A total (or a gap between totals) as every view shows it: the one rounding of the table, --explain, the site and CSV."""
    return None if value is None else round(value, total_digits(ranking))


def total_text(ranking: Ranking, value: float | None, fmt: Formatter) -> str:
    """A total written in the reader's language with the rounding of :func:`total_value` (« 83,3 »)."""
    return "–" if value is None else fmt.number(total_value(ranking, value), total_digits(ranking))


def rank_text(ranking: Ranking, s: Scored) -> str:
    """The rank column: « 4 », « =2 » on the first row of ex aequo items, nothing on the others (the tie is written once)."""
    if s.rank is None:
        return ""
    if not s.ex_aequo:
        return str(s.rank)
    return f"={s.rank}" if ranking.first_of_group(s) else ""


def of_ranked(ranking: Ranking, lang: str) -> str:
    """What the « / 21 » of a rank counts: « {rank} of 21 ranked actions » (or objectives), still to be given the rank."""
    n_ = plural_translator(lang)
    n = len(ranking.ranked)
    if ranking.level == "actions":
        return n_("{rank} of {n} ranked action", "{rank} of {n} ranked actions", n).replace("{n}", str(n))
    return n_("{rank} of {n} ranked objective", "{rank} of {n} ranked objectives", n).replace("{n}", str(n))


def left_out_text(ranking: Ranking, lang: str) -> str:
    """The items a ranking leaves out, counted: « not ranked: 5 finished, 2 without all their scores » (empty if none)."""
    n_ = plural_translator(lang)
    _ = translator(lang)
    parts = []
    if ranking.finished:
        parts.append(n_("{n} finished (done or cancelled)", "{n} finished (done or cancelled)", len(ranking.finished)).format(n=len(ranking.finished)))
    if ranking.unranked:
        parts.append(n_("{n} with scores missing", "{n} with scores missing", len(ranking.unranked)).format(n=len(ranking.unranked)))
    return _("not ranked: {items}").format(items=", ".join(parts)) if parts else ""


def _score(s: Scored, c: str, fmt: Formatter) -> str:
    value = s.scores[c]
    if value is None:
        return "?"
    text = fmt.number(round(value, 1), 1)
    return text + ("*" if s.sources[c] != "given" else "")


def _weights_text(ranking: Ranking, fmt: Formatter) -> str:
    t = _t(fmt.lang)
    return ", ".join(f"{t[c].lower()} {fmt.number(ranking.weights[c], 2)}" for c in CRITERIA)


def header(ranking: Ranking, fmt: Formatter) -> str:
    t = _t(fmt.lang)
    sep = t["colon"].format(label="", value="")
    return f"{t['title']} — {t[ranking.level]}, {t['method']}{sep}{t[ranking.method]} ({t['weights']}{sep}{_weights_text(ranking, fmt)}), {t['as_of']} {fmt.date(ranking.as_of)}"


def _stable(ranking: Ranking, s: Scored, fmt: Formatter) -> str:
    ranges = sensitivity(ranking, s)
    if ranges is None:
        return ""
    parts = []
    for c in CRITERIA:
        lo, hi = ranges[c]
        parts.append(f"{fmt.number(round(lo, 2), 2)}–{'∞' if hi == float('inf') else fmt.number(round(hi, 2), 2)}")
    return " / ".join(parts)


def rows(ranking: Ranking, shown: Sequence[Scored], fmt: Formatter, with_sensitivity: bool) -> tuple[list[str], list[list[str]]]:
    t = _t(fmt.lang)
    head = [t["rank"], "Id", "", t["stake"], t["urgency"], t["roi"], t["total"]]
    if ranking.method == "matrix":
        head.append(t["quadrant"])
    if with_sensitivity:
        head.append(f"{t['stake'][:2]}./{t['urgency'][:3]}./{t['roi'][:3]}.")
    out = []
    for s in shown:
        total = total_text(ranking, s.total, fmt)
        rank = rank_text(ranking, s)
        row = [rank if rank.startswith("=") else f" {rank}", s.item.id, _cut(s.item.title, 52), *(_score(s, c, fmt) for c in CRITERIA), total]
        if ranking.method == "matrix":
            row.append(t[s.quadrant or "later"])
        if with_sensitivity:
            row.append(_stable(ranking, s, fmt))
        out.append(row)
    return head, out


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def matrix_lines(ranking: Ranking, fmt: Formatter) -> list[str]:
    t = _t(fmt.lang)
    cells = matrix_counts(ranking)
    lo, hi = ranking.scale.lo, ranking.scale.hi
    if hi - lo > 10:  # a 0-100 scale is not drawn cell by cell
        return []
    lines = [t["matrix_title"], f"{t['axis_s']:>12}  {t['axis_u']}", "      " + "".join(f"{u:>5}" for u in range(lo, hi + 1))]
    for stake in range(hi, lo - 1, -1):
        lines.append(f"{stake:>6}" + "".join(f"{len(cells.get((stake, u), [])) or '·':>5}" for u in range(lo, hi + 1)))
    quadrant_counts = {q: sum(1 for s in ranking.ranked if s.quadrant == q) for q in QUADRANTS}
    lines.append("  " + " · ".join(t["colon"].format(label=t[q], value=n) for q, n in quadrant_counts.items()))
    return lines


# The order in which the ranking table gives room to a narrow terminal (README, « Tableaux qui tiennent »),
# after titles are shortened: the weights' stability ranges, then the scores (return, urgency, stake); the total stays.
DROP_ORDER = ("stable", "roi", "urgency", "stake")


def ranking_table(ranking: Ranking, shown: Sequence[Scored], fmt: Formatter, with_sensitivity: bool, width: int | None) -> Table:
    """The ranking as a table fitted to ``width`` columns (``None``: every column); ``table.keys`` says which stayed."""
    t = _t(fmt.lang)
    _ = translator(fmt.lang)
    head, body = rows(ranking, shown, fmt, with_sensitivity)
    keys = ["rank", "id", "title", *CRITERIA, "total"] + (["quadrant"] if ranking.method == "matrix" else []) + (["stable"] if with_sensitivity else [])
    table = Table(head, body, title=2)
    names = {"stable": _("weight ranges"), "stake": t["stake"], "urgency": t["urgency"], "roi": t["roi"]}
    fit(table, keys, width, [Step(k, names[k]) for k in DROP_ORDER])
    table.keys = keys
    return table


def text_lines(ranking: Ranking, fmt: Formatter, n: int | None, with_sensitivity: bool = True, show_matrix: bool = True,
               width: int | None = None) -> list[Line]:
    """The ranking for a terminal, at most ``width`` columns wide unless ``None``."""
    t = _t(fmt.lang)
    out: list[Line] = [("bold", header(ranking, fmt)), ("", "")]
    shown = ranking.top(n)
    if not shown and not ranking.unranked:  # nothing to rank; the finished actions the filters kept are still listed
        return wrap_lines([*out, ("", t["no_match"] if ranking.filtered else t["none"]), *_finished_lines(ranking, fmt)], width)
    with_sensitivity = with_sensitivity and ranking.method == "weighted"
    if with_sensitivity and not sensitivity_affordable(ranking, len(shown)):
        with_sensitivity = False
        out.append(("dim", t["too_many"]))
    if shown:
        table = ranking_table(ranking, shown, fmt, with_sensitivity, width)
        with_sensitivity = with_sensitivity and "stable" in table.keys
        out += fit_lines(table.lines(), width)
        if table.dropped:
            _ = translator(fmt.lang)
            out += wrap_lines([("dim", _("Left out to fit {width} columns: {columns} (--wide shows every column).").format(
                width=width, columns=", ".join(table.dropped)))], width)
        if any(src != "given" for s in shown for src in s.sources.values()):
            out.append(("dim", t["derived"]))
        if any(s.ex_aequo for s in shown):
            out.append(("dim", t["ties"]))
        if any(s.tied for s in shown):
            out.append(("dim", t["broken"]))
        if with_sensitivity and ranking.method == "weighted":
            out.append(("dim", t["colon"].format(label=t["stable"], value=f"{t['stake'].lower()} / {t['urgency'].lower()} / {t['roi'].lower()}")))
    if ranking.unranked:
        out += [("", ""), ("bold", f"{t['unranked']} ({len(ranking.unranked)})")]
        for s in ranking.unranked:
            missing = _missing(s, t)
            out.append(("yellow", f"  {s.item.id:<8} {_cut(s.item.title, 60)} — " + t["colon"].format(label=t["missing"], value=missing)))
    out += _finished_lines(ranking, fmt)
    if show_matrix:
        drawn = matrix_lines(ranking, fmt)
        if drawn:
            out += [("", ""), *(("", line) for line in drawn)]
    return wrap_lines(out, width)


def _finished_lines(ranking: Ranking, fmt: Formatter) -> list[Line]:
    """The finished actions a ranking leaves out, under their heading (none: no line)."""
    if not ranking.finished:
        return []
    t, statuses = _t(fmt.lang), STATUS[fmt.lang]
    return [("", ""), ("bold", f"{t['finished']} ({len(ranking.finished)})"),
            *(("dim", f"  {a.id:<8} {_cut(a.title, 50)} — {statuses[a.status.value]}") for a in ranking.finished)]


def explain_lines(ranking: Ranking, ident: str, fmt: Formatter) -> list[Line] | None:
    t = _t(fmt.lang)
    s = ranking.find(ident)
    colon = t["colon"].format(label="", value="").rstrip()
    if s is None:
        done = ranking.find_finished(ident)
        if done is None:
            return None
        return [("bold", f"{done.id} — {done.title}"), ("", header(ranking, fmt)),
                ("yellow", "  " + t["is_finished"].format(status=STATUS[fmt.lang][done.status.value]))]
    out: list[Line] = [("bold", f"{s.item.id} — {s.item.title}"), ("", header(ranking, fmt))]
    for c in CRITERIA:
        value = s.scores[c]
        how = t[s.sources[c]] if s.sources[c] != "missing" else t["missing"]
        contribution = ""
        if value is not None and ranking.method == "weighted":
            share = ranking.weights[c] * ranking.scale.norm(value) / sum(ranking.weights.values()) * 100
            contribution = f", {t['contribution']} {_num(share, fmt)} / 100"
        out.append(("", f"  {t[c]}{colon} {_num(value, fmt)} ({how}, {t['weight']} {fmt.number(ranking.weights[c], 2)}{contribution})"))
    if s.cost is not None:
        out.append(("", f"  {t['cost'].capitalize()}{colon} {fmt.money(s.cost)}"))
    if s.rank is None:
        out.append(("yellow", f"  {t['not_ranked']} — {t['missing']}{colon} {_missing(s, t)}"))
        return out
    others = [o.item.id for o in ranking.group(s) if o is not s]
    tie = ", " + t["tie_with"].format(ids=", ".join(others)) if others else ""
    rank_of = of_ranked(ranking, fmt.lang).format(rank=s.rank)
    out.append(("bold", f"  {t['rank']}{colon} {rank_of}{tie}, {t['total']} {total_text(ranking, s.total, fmt)}" + (f", {t['quadrant'].lower()} " + t["quoted"].format(text=t[s.quadrant or "later"]) if ranking.method == "matrix" else "")))
    left_out = left_out_text(ranking, fmt.lang)
    if left_out:
        out.append(("dim", f"  ({left_out})"))
    above, below = neighbours(ranking, s)
    mine = total_value(ranking, s.total) or 0
    for label, other in ((t["above"], above), (t["below"], below)):
        if other is not None:
            gap = abs((total_value(ranking, other.total) or 0) - mine)  # the difference of the totals as shown
            out.append(("", f"  {label}{colon} {rank_text(ranking, ranking.group(other)[0])}. {other.item.id} {_cut(other.item.title, 50)} ({t['total']} {total_text(ranking, other.total, fmt)}, {t['gap']} {total_text(ranking, gap, fmt)})"))
    ranges = sensitivity(ranking, s)
    if ranges is not None:
        out.append(("", f"  {t['stable']}{colon}"))
        for c in CRITERIA:
            lo, hi = ranges[c]
            high = "∞" if hi == float("inf") else fmt.number(round(hi, 2), 2)
            out.append(("", "    " + t["colon"].format(label=_lower(t[c]), value=f"{fmt.number(round(lo, 2), 2)} – {high} ({t['weight']} {fmt.number(ranking.weights[c], 2)})")))
    if s.ex_aequo:
        out.append(("dim", f"  {t['ties']}"))
    elif s.tied:
        out.append(("dim", f"  {t['broken']}"))
    return out


def _record(ranking: Ranking, s: Scored, with_sensitivity: bool) -> dict[str, Any]:
    ranges = sensitivity(ranking, s) if with_sensitivity and s.rank is not None else None
    return {
        "rank": s.rank, "id": s.item.id, "title": s.item.title, "tied": s.tied, "ex_aequo": s.ex_aequo,
        "scores": {c: s.scores[c] for c in CRITERIA}, "sources": s.sources, "missing": s.missing,
        "total": s.total, "quadrant": s.quadrant, "cost": float(s.cost) if s.cost is not None else None,
        "stable_weights": {c: [lo, None if hi == float("inf") else hi] for c, (lo, hi) in ranges.items()} if ranges else None,
        "priority": s.item.priority,
    }


def to_json(ranking: Ranking, n: int | None) -> str:
    shown = ranking.top(n)
    doc = {
        "version": 1, "as_of": ranking.as_of.isoformat(), "level": ranking.level, "method": ranking.method,
        "weights": ranking.weights, "scale": [ranking.scale.lo, ranking.scale.hi],
        "tie_break": ["stake", "urgency", "roi", "id"],
        "ranked": [_record(ranking, s, sensitivity_affordable(ranking, len(shown))) for s in shown],
        "unranked": [_record(ranking, s, False) for s in ranking.unranked],
        "finished": [{"id": a.id, "title": a.title, "status": a.status.value} for a in ranking.finished],
    }
    return jsontext.dumps(doc) + "\n"


CSV_HEADER = (N_("Rank"), N_("Level"), N_("Id"), N_("Title"), N_("Stake"), N_("Urgency"), N_("Return"), N_("Total"), N_("Quadrant"),
              N_("Tied"), N_("Missing scores"))


def to_csv(ranking: Ranking, n: int | None, lang: str) -> bytes:
    """The ranking for a spreadsheet in ``lang`` (:mod:`feuille.views.csv_out`), levels named as the plan names them."""

    _ = translator(lang)
    t = _t(lang)
    depths = {o.id: d for o, _p, d in ranking.plan.walk()}
    shown = ranking.top(n)
    rows = [(s.rank, csv_out.level_name(ranking.plan, None if ranking.level == "actions" else depths.get(s.item.id, 1), lang), s.item.id, s.item.title, *(s.scores[c] for c in CRITERIA), total_value(ranking, s.total),
             t[s.quadrant] if s.quadrant else None, _("yes") if s.ex_aequo else None, _missing(s, t))
            for s in [*shown, *ranking.unranked]]
    return csv_out.to_csv([_(h) for h in CSV_HEADER], rows, lang)


def markdown(ranking: Ranking, fmt: Formatter, n: int | None) -> str:
    t = _t(fmt.lang)
    out = [f"# {header(ranking, fmt)}", ""]
    shown = ranking.top(n)
    if not shown and not ranking.unranked:
        out.append(t["no_match"] if ranking.filtered else t["none"])
        if ranking.finished:
            statuses = STATUS[fmt.lang]
            out += ["", f"## {t['finished']}", "", *(f"- {a.id} {a.title.replace('|', '/')} — {statuses[a.status.value]}" for a in ranking.finished)]
        return "\n".join(out) + "\n"
    head, body = rows(ranking, shown, fmt, ranking.method == "weighted" and sensitivity_affordable(ranking, len(shown)))
    _ = translator(fmt.lang)
    head[2] = _("Title")
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for row in body:
        out.append("| " + " | ".join(c.strip().replace("|", "\\|") for c in row) + " |")
    out.append("")
    if any(src != "given" for s in shown for src in s.sources.values()):
        out += [t["derived"], ""]
    if any(s.ex_aequo for s in shown):
        out += [t["ties"], ""]
    if any(s.tied for s in shown):
        out += [t["broken"], ""]
    if ranking.unranked:
        out += [f"## {t['unranked']}", ""]
        out += [f"- {s.item.id} {s.item.title.replace('|', '/')} — {_missing(s, t)}" for s in ranking.unranked]
        out.append("")
    if ranking.finished:
        statuses = STATUS[fmt.lang]
        out += [f"## {t['finished']}", ""]
        out += [f"- {a.id} {a.title.replace('|', '/')} — {statuses[a.status.value]}" for a in ranking.finished]
        out.append("")
    drawn = matrix_lines(ranking, fmt)
    if drawn:
        out += [f"## {drawn[0]}", "", "```text", *drawn[1:], "```", ""]
    return "\n".join(out)
