"""Diagnostics rendered for people (text) and for machines (json, github, sarif, junit, GitLab's codequality).

Every function takes the plan reports and returns a string, so the CLI only
prints and tests compare text.  Output is deterministic: sorted, no timestamps.
Machine formats keep their structure and codes in English; message texts follow
the language asked for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from feuille import __version__
from feuille.core import jsontext
from feuille.core.diagnostics import CATALOGUE, Diagnostic, Severity, severity_label
from feuille.core.i18n import plural_translator, translator
from feuille.io.console import printable, printable_data, uri_path
from feuille.pipeline import Loaded
from feuille.views.format import Formatter
from feuille.views.notice import left_out_json
from feuille.views.table import display_width, excerpt, wrap_lines

FORMATS = ("text", "json", "github", "sarif", "junit", "codequality")
JSON_VERSION = 1


def _short(text: str | None, width: int = 70) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _counted(n: int, word: str, lang: str) -> str:
    n_ = plural_translator(lang)
    forms = {
        "file": lambda: n_("{n} file", "{n} files", n),
        "action": lambda: n_("{n} action", "{n} actions", n),
        "error": lambda: n_("{n} error", "{n} errors", n),
        "warning": lambda: n_("{n} warning", "{n} warnings", n),
        "info": lambda: n_("{n} info", "{n} infos", n),
    }
    return forms[word]().format(n=n)


def plural(n: int, word: str, lang: str) -> str:
    """``n`` and the word, singular or plural by each language's rule (French: 0 and 1 are singular)."""
    return _counted(n, word, lang)


def _location(d: Diagnostic) -> str:
    if d.line is None:
        return d.file
    return f"{d.file}:{d.line}:{d.col or 1}"


def _object(d: Diagnostic, lang: str, room: int = 60) -> str:
    """The item a message is about, « A1.1 'its title' », the title shortened to ``room`` columns at most."""
    if not d.obj_id:
        return ""
    title = _short(d.obj_title, min(60, max(10, room)))
    if not title:
        return d.obj_id
    _ = translator(lang)
    return _("{id} '{title}'").format(id=d.obj_id, title=title)


def diagnostic_lines(d: Diagnostic, sources: Mapping[str, Sequence[str]], lang: str, width: int | None = None) -> list[tuple[str, str]]:
    """One finding for people, as (style, line) pairs (style: a rich style or ''): where, what, the line of the
    file, the hint.  At most ``width`` columns (``None``: as long as they are): prose is wrapped, never the
    ``file:line:col`` a message starts with, and the line of the file is cut around the column pointed at, with « … »."""
    assert d.severity is not None
    _ = translator(lang)
    style = _STYLES[d.severity]
    out: list[tuple[str, str]] = []
    head = f"{_location(d)}: {severity_label(d.severity, lang)} {d.code}"
    obj = _object(d, lang)
    if width is None or display_width(head + f"  {obj}") <= width:
        out.append((style, head + (f"  {obj}" if obj else "")))
    else:  # the location whole on the first line; the item below it, its title shortened to fit
        if display_width(head) <= width:
            out.append((style, head))
        else:
            out += [(style, f"{_location(d)}:"), (style, f"  {severity_label(d.severity, lang)} {d.code}")]
        if obj:
            out.append((style, "  " + _object(d, lang, width - 8 - display_width(d.obj_id or ""))))
    out.append(("", f"  {d.message(lang)}"))
    source = sources.get(d.file)
    if source and d.line and 0 < d.line <= len(source):
        gutter = str(d.line)
        room = None if width is None else max(8, width - len(gutter) - 5)
        shown, col = excerpt(source[d.line - 1], d.col or 1, room)
        out.append(("dim", f"  {gutter} | {shown}"))
        out.append(("dim", f"  {' ' * len(gutter)} | {' ' * (col - 1)}^"))
    hint = d.hint(lang)
    if hint:
        out.append(("green", "  " + _("hint: {hint}").format(hint=hint)))
    return wrap_lines([(s, printable(line)) for s, line in out], width)  # a file name that is not UTF-8 is shown as \xNN


_STYLES = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}


def text_lines(reports: Sequence[Loaded], lang: str, as_of: str, width: int | None = None) -> list[tuple[str, str]]:
    """The human report as (style, line) pairs (:func:`diagnostic_lines` for each finding, then a summary),
    at most ``width`` columns wide unless ``None``."""
    out: list[tuple[str, str]] = []
    for report in reports:
        for d in report.diagnostics:
            out += diagnostic_lines(d, report.sources, lang, width)
            out.append(("", ""))
        out.append(_summary(report, lang, as_of))
    return wrap_lines([(style, printable(line)) for style, line in out], width)


def _summary(report: Loaded, lang: str, as_of: str) -> tuple[str, str]:
    plan = report.plan
    _ = translator(lang)
    meta = plan.meta
    fmt = Formatter.for_plan(meta.locale if meta else None, lang, meta.currency if meta else "EUR")
    try:
        day = fmt.date(dt.date.fromisoformat(as_of))  # « 01/12/2026 », "1 Dec 2026", as elsewhere (ISO stays in json, sarif, junit)
    except ValueError:
        day = as_of
    context = _("{files}, {actions}, as of {date}").format(files=plural(len(plan.files), "file", lang),
                                                           actions=plural(sum(1 for _a in plan.actions()), "action", lang), date=day)
    if not report.diagnostics:
        return ("bold green", "✓ " + _("{plan}: no problems ({context}).").format(plan=plan.root, context=context))
    errors = report.count(Severity.error)
    counts = ", ".join(plural(report.count(s), s.name, lang) for s in (Severity.error, Severity.warning, Severity.info))
    return ("bold red" if errors else "bold yellow", _("{plan}: {counts} ({context}).").format(plan=plan.root, counts=counts, context=context))


def text(reports: Sequence[Loaded], lang: str, as_of: str) -> str:
    return "\n".join(line for _style, line in text_lines(reports, lang, as_of)) + "\n"


def _path_text(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _record(d: Diagnostic, lang: str) -> dict[str, Any]:
    assert d.severity is not None
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.name,
        "file": d.file,
        "line": d.line,
        "column": d.col,
        "path": _path_text(d.path),
        "object": {"id": d.obj_id, "title": d.obj_title} if d.obj_id else None,
        "title": d.title(lang),
        "message": d.message(lang),
        "hint": d.hint(lang) or None,
    }


def json_report(reports: Sequence[Loaded], lang: str, as_of: str) -> str:
    """Version 1 of the JSON report (documented in docs/rules.md)."""
    doc = {
        "version": JSON_VERSION,
        "tool": {"name": "feuille", "version": __version__},
        "as_of": as_of,
        "lang": lang,
        "plans": [
            {
                "root": str(r.plan.root),
                "title": r.plan.meta.title if r.plan.meta else None,
                "files": len(r.plan.files),
                "actions": sum(1 for _ in r.plan.actions()),
                "summary": {s.name: r.count(s) for s in (Severity.error, Severity.warning, Severity.info)},
                "left_out": left_out_json(r),
            }
            for r in reports
        ],
        "diagnostics": [_record(d, lang) for r in reports for d in r.diagnostics],
    }
    return jsontext.dumps(printable_data(doc)) + "\n"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def github(reports: Sequence[Loaded], lang: str, as_of: str) -> str:
    """GitHub Actions workflow commands, followed by the full text report."""
    level = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}
    lines = []
    for r in reports:
        for d in r.diagnostics:
            assert d.severity is not None
            props = [f"file={_gh_prop(d.file)}"]
            if d.line:
                props += [f"line={d.line}", f"col={d.col or 1}"]
            props.append(f"title={_gh_prop(f'{d.code} {d.title(lang)}')}")
            msg = d.message(lang)
            obj = _object(d, lang)
            if obj:
                msg = f"{obj}: {msg}"
            hint = d.hint(lang)
            if hint:
                msg += f"\n{hint}"
            lines.append(f"::{level[d.severity]} {','.join(props)}::{_gh_data(msg)}")
    return printable("\n".join(lines) + ("\n" if lines else "")) + text(reports, lang, as_of)


def _fingerprint(d: Diagnostic) -> str:
    key = f"{d.file}|{d.code}|{_path_text(d.path)}|{d.obj_id or ''}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def sarif(reports: Sequence[Loaded], lang: str, as_of: str) -> str:
    """SARIF 2.1.0 for code-scanning tools."""
    gettext = translator(lang)
    level = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
    codes = sorted(CATALOGUE)
    rules = [
        {
            "id": c,
            "name": CATALOGUE[c].name,
            "shortDescription": {"text": gettext(CATALOGUE[c].title)},
            "helpUri": f"https://feuille.invalid/docs/rules.md#{c.lower()}",
            "defaultConfiguration": {"level": level[CATALOGUE[c].severity]},
        }
        for c in codes
    ]
    index = {c: i for i, c in enumerate(codes)}
    results = []
    for r in reports:
        for d in r.diagnostics:
            assert d.severity is not None
            region: dict[str, int] = {}
            if d.line:
                region = {"startLine": d.line, "startColumn": d.col or 1}
            location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri_path(d.file)}}}
            if region:
                location["physicalLocation"]["region"] = region
            if d.obj_id:
                location["logicalLocations"] = [{"name": d.obj_id, "fullyQualifiedName": _path_text(d.path) or d.obj_id}]
            message = d.message(lang)
            hint = d.hint(lang)
            results.append({
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": level[d.severity],
                "message": {"text": f"{message} {hint}".strip()},
                "locations": [location],
                "partialFingerprints": {"feuille/v1": _fingerprint(d)},
            })
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "feuille", "version": __version__, "informationUri": "https://feuille.invalid/", "rules": rules}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return jsontext.dumps(printable_data(doc)) + "\n"


def codequality(reports: Sequence[Loaded], lang: str, as_of: str) -> str:
    """GitLab's Code Quality report (the merge request's widget): one issue per finding, a fingerprint that
    stays when lines move (file, rule, YAML path, item), paths relative to where feuille runs (the repository root in CI)."""
    severity = {Severity.error: "major", Severity.warning: "minor", Severity.info: "info"}
    issues = []
    for r in reports:
        for d in r.diagnostics:
            assert d.severity is not None
            description = d.message(lang)
            if d.obj_id:
                description = f"{d.obj_id}: {description}"
            issues.append({
                "type": "issue",
                "description": description,
                "check_name": d.code,
                "fingerprint": _fingerprint(d),
                "severity": severity[d.severity],
                "categories": ["Bug Risk" if d.severity is Severity.error else "Style"],
                "location": {"path": uri_path(d.file), "lines": {"begin": d.line or 1}},
            })
    return jsontext.dumps(printable_data(issues)) + "\n"


def _xml_safe(text: str) -> str:
    """``text`` with what XML cannot hold shown as ``\\xNN`` (a value « \\0\\x07 » in the plan)."""
    from feuille.core.xmlchars import escaped  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    return escaped(text)


def _xml_escape(text: str) -> str:
    from xml.sax.saxutils import escape  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    return escape(_xml_safe(text))


def quoteattr(text: str) -> str:
    from xml.sax.saxutils import quoteattr as _quoteattr  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    return _quoteattr(_xml_safe(text))


def junit(reports: Sequence[Loaded], lang: str, as_of: str) -> str:
    """JUnit XML: a test suite per plan, a test case per file; errors are failures."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>']
    total = sum(len(r.plan.files) or 1 for r in reports)
    failures = sum(1 for r in reports for d in r.diagnostics if d.severity == Severity.error)
    parts.append(f'<testsuites name="feuille" tests="{total}" failures="{failures}">')
    for r in reports:
        by_file: dict[str, list[Diagnostic]] = {}
        for d in r.diagnostics:
            by_file.setdefault(d.file, []).append(d)
        files = [r.plan.display_path(f) for f in r.plan.files] or [str(r.plan.root)]
        for shown in by_file:
            if shown not in files:
                files.append(shown)
        fails = sum(1 for d in r.diagnostics if d.severity == Severity.error)
        parts.append(f'  <testsuite name={quoteattr(str(r.plan.root))} tests="{len(files)}" failures="{fails}">')
        for shown in files:
            diags = by_file.get(shown, [])
            errs = [d for d in diags if d.severity == Severity.error]
            others = [d for d in diags if d.severity != Severity.error]
            parts.append(f"    <testcase classname={quoteattr(str(r.plan.root))} name={quoteattr(shown)}>")
            for d in errs:
                body = f"{_location(d)}: {d.message(lang)} {d.hint(lang)}".strip()
                parts.append(f"      <failure type={quoteattr(d.code)} message={quoteattr(d.message(lang))}>{_xml_escape(body)}</failure>")
            if others:
                body = "\n".join(f"{_location(d)}: {d.severity.name if d.severity else ''} {d.code} {d.message(lang)}" for d in others)
                parts.append(f"      <system-out>{_xml_escape(body)}</system-out>")
            parts.append("    </testcase>")
        parts.append("  </testsuite>")
    parts.append("</testsuites>")
    return _xml_safe(printable("\n".join(parts) + "\n"))


RENDERERS = {"text": text, "json": json_report, "github": github, "sarif": sarif, "junit": junit, "codequality": codequality}
