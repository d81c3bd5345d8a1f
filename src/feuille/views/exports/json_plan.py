"""The whole plan as one JSON document: every field of every item, plus the computed figures.

For machines (open data, another tool): keys are the YAML keys, values as in the
files (dates ISO, amounts as strings to keep their exact decimals), and under
``computed`` what feuille derives (progress and its source, expected progress, verdict; an
objective's weather); ``indicators`` lists every indicator with its figures as of the date
(progress to target, expected value on its trajectory, verdict, measurement due).
"""

from __future__ import annotations

import json
from typing import Any

from feuille.compute.audience import Published
from feuille.compute.indicators import read_plan
from feuille.core.model import Objective
from feuille.core.xmlchars import NOT_XML
from feuille.views.exports import ExportOptions
from feuille.views.indicators import indicator_json, weather_json

SUFFIX = ".json"
BINARY = False
VERSION = 1


def _objective(obj: Objective, results: dict[str, Any]) -> dict[str, Any]:
    data = obj.model_dump(mode="json", exclude_none=True, exclude={"objectives", "actions"})
    data["computed"] = results.get(obj.id, {})
    data["objectives"] = [_objective(child, results) for child in obj.objectives]
    data["actions"] = [{**a.model_dump(mode="json", exclude_none=True), "computed": results.get(a.id, {})} for a in obj.actions]
    return data


def export(published: Published, options: ExportOptions) -> bytes:
    plan, rollup = published.plan, published.rollup
    results: dict[str, Any] = {}
    for a in rollup.actions:
        results[a.action.id] = {"progress": a.progress, "progress_source": a.source, "expected": a.expected, "verdict": a.verdict}

    found = read_plan(plan, rollup)
    stack = list(rollup.objectives)
    while stack:
        r = stack.pop()
        results[r.objective.id] = {"progress": r.progress, "expected": r.expected, "verdict": r.verdict,
                                   "weather": weather_json(found.weather.get(r.objective.id))}
        stack.extend(r.children)
    doc = {
        "version": VERSION,
        "as_of": options.as_of.isoformat(),
        "audience": published.audience.value,
        "plan": plan.meta.model_dump(mode="json", exclude_none=True) if plan.meta else None,
        "services": [s.model_dump(mode="json", exclude_none=True) for s in plan.services.values()],
        "people": [p.model_dump(mode="json", exclude_none=True) for p in plan.people.values()],
        "objectives": [_objective(o, results) for o in plan.objectives],
        "indicators": [indicator_json(p, r) for p, r in found.readings],
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False)
    if "\\u00" in text or NOT_XML.search(text):  # a control character (F208), escaped by json: left out, as every export does
        text = json.dumps(_clean(doc), ensure_ascii=False, indent=2, sort_keys=False)
    return (text + "\n").encode("utf-8")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
