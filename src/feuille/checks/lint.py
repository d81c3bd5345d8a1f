"""Check a plan: load it, run the rules, apply the plan's rule settings, place findings.

This is the library entry point behind ``feuille lint`` (and the error count that
``feuille status`` shows).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from feuille.checks import rules
from feuille.core.diagnostics import Diagnostic, Severity
from feuille.io.loader import LoadOptions, load
from feuille.core.plan import Plan


@dataclass(slots=True)
class PlanReport:
    plan: Plan
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, list[str]] = field(default_factory=dict)  # shown path -> lines, for files with findings

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)


def check(root: Path, as_of: dt.date, options: LoadOptions | None = None, *, place: bool = True, errors_only: bool = False) -> PlanReport:
    """Every problem in the plan at ``root``, sorted by file and line.

    ``place=False`` skips finding lines and columns; ``errors_only`` runs only the
    rules that can report an error in this plan (for callers that count errors).
    """
    plan, diagnostics, texts = load(root, options)
    diagnostics.extend(rules.run(plan, rules.Context(as_of), Severity.error if errors_only else None))
    diagnostics = _apply_settings(plan, diagnostics)
    sources = _place(plan, diagnostics, texts) if place else {}
    diagnostics.sort(key=Diagnostic.sort_key)
    plan.error_count = sum(1 for d in diagnostics if d.severity == Severity.error)
    return PlanReport(plan, diagnostics, sources)


def _apply_settings(plan: Plan, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The plan's ``rules:`` settings: a code's severity changed, or the code turned off."""
    if plan.meta is None or not plan.meta.rules:
        return diagnostics
    out = []
    for d in diagnostics:
        if d.code in plan.meta.rules:
            severity = rules.effective_severity(plan, d.code)
            if severity is None:
                continue
            d.severity = severity
        out.append(d)
    return out


def _place(plan: Plan, diagnostics: list[Diagnostic], texts: dict[str, str]) -> dict[str, list[str]]:
    """Fill in line and column from YAML paths, parsing again only the files concerned."""
    if not diagnostics:
        return {}
    from feuille.io import yamlread as _yamlread

    rel_of = {plan.display_path(rel): rel for rel in plan.files}
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        if d.file in rel_of:
            by_file[d.file].append(d)
    sources: dict[str, list[str]] = {}
    for shown, diags in by_file.items():
        rel = rel_of[shown]
        text = texts.get(rel)
        if text is None:
            try:
                text, _problem = _yamlread.decode((plan.root / rel).read_bytes())
            except OSError:
                text = None
        if text is None:
            continue
        sources[shown] = text.splitlines()
        pending = [d for d in diags if d.line is None]
        if not pending:
            continue
        wanted = {d.path[:i] for d in pending for i in range(len(d.path) + 1)}
        found = _yamlread.locate(text, wanted)
        for d in pending:
            for i in range(len(d.path), -1, -1):
                pos = found.get(d.path[:i])
                if pos is None:
                    continue
                # a key rather than its value: when asked, or when the value is a block on the next lines
                if pos.key_line is not None and (pos.key_line != pos.line or (d.on_key and i == len(d.path))):
                    d.line, d.col = pos.key_line, pos.key_col
                else:
                    d.line, d.col = pos.line, pos.col
                break
    return sources
