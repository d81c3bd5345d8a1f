"""YAML reading problems (syntax, encoding, size, tags...) as diagnostics in plain words."""

from __future__ import annotations

from typing import Any

from feuille.core.diagnostics import Diagnostic
from feuille.core.i18n import Msg, msg

_SPLIT = msg('Split the plan into several files (one per objective or action).')

_SYNTAX_HELP = {
    "mapping values are not allowed": msg("unexpected colon: a value containing ': ' must be quoted, or the indentation is off"),
    "did not find expected key": msg('inconsistent indentation or a misplaced list item'),
    "could not find expected ':'": msg("a ':' is missing after a key"),
    "did not find expected '-' indicator": msg('a list item is misaligned'),
    "found undefined alias": msg('an alias (*name) with no matching anchor (&name)'),
    "did not find expected node content": msg('a value is missing or a character is unexpected'),
    "found unexpected end of stream": msg('the file ends in the middle of a value'),
    "did not find expected ',' or ']'": msg("a bracketed list is not closed: ']' or a comma is missing"),
    "did not find expected ',' or '}'": msg("a braced mapping is not closed: '}' or a comma is missing"),
    "found character that cannot start any token": msg('unexpected character (@, `, %...) at the start of a value: quote the value'),
}


def problem_diagnostic(p: Any, shown: str) -> Diagnostic:
    """A :class:`~feuille._yamlread.ReadProblem` as a diagnostic."""

    kw: dict[str, Any] = {"line": p.line, "col": p.col}
    if p.kind == "quote":
        return Diagnostic("F101", shown, args={"detail": msg('a quote opened here is never closed'),
                                                "fix": msg('Add the closing quote at the end of the value, or remove this one.')}, **kw)
    if p.kind == "tab":
        return Diagnostic("F101", shown, args={"detail": msg('a tab is used for indentation'),
                                                "fix": msg('Replace tabs with spaces (2 per level).')}, **kw)
    if p.kind == "multi":
        return Diagnostic("F101", shown, args={"detail": msg("the file holds several documents separated by '---'"),
                                                "fix": msg("Keep one document per file: remove the '---' line or split the file.")}, **kw)
    if p.kind == "key":
        return Diagnostic("F101", shown, args={"detail": msg('a key must be plain text, not a list or a mapping'),
                                                "fix": msg("Write the key as a plain word followed by ':'.")}, **kw)
    if p.kind == "syntax":
        detail = None
        for needle, text in _SYNTAX_HELP.items():
            if needle in p.detail:
                detail = text
                break
        detail = detail or (p.detail or msg("syntax error"))
        return Diagnostic("F101", shown, args={"detail": detail, "fix": msg('Fix the line shown (and the one before: errors often start there).')}, **kw)
    if p.kind == "duplicate":
        return Diagnostic("F102", shown, p.path + (p.detail,), args={"key": p.detail}, on_key=True, **kw)
    if p.kind == "tag":
        return Diagnostic("F103", shown, p.path, args={"tag": p.detail.replace("tag:yaml.org,2002:", "!!")}, **kw)
    if p.kind == "alias":
        return Diagnostic("F104", shown, args={"detail": msg('Aliases (&, *) expand the content beyond the limit ({detail} values): reading stopped.', detail=p.detail)}, **kw)
    if p.kind == "depth":
        return Diagnostic("F104", shown, args={"detail": msg('Values are nested more than {detail} levels deep: reading stopped.', detail=p.detail)}, **kw)
    if p.kind == "keys":
        return Diagnostic("F104", shown, args={"detail": msg('One mapping holds more than {detail} keys: reading stopped.', detail=p.detail)}, **kw)
    if p.kind == "items":
        return Diagnostic("F104", shown, args={"detail": msg('One list holds more than {detail} items: reading stopped.', detail=p.detail)}, **kw)
    if p.kind == "values":
        return Diagnostic("F105", shown, args={"detail": msg('The file holds more than {detail} values: reading stopped.', detail=p.detail), "fix": _SPLIT}, **kw)
    if p.kind == "too_large":
        if p.detail.startswith("line:"):
            n = p.detail[5:]
            from feuille.io.yamlread import MAX_LINE_CHARS  # the parser is imported only when a file is read

            detail = msg('A line is {n} characters long (at most {MAX_LINE_CHARS}).', n=n, MAX_LINE_CHARS=MAX_LINE_CHARS)
        else:
            from feuille.io.yamlread import MAX_FILE_BYTES

            mib = MAX_FILE_BYTES // (1024 * 1024)
            detail = msg('The file is {detail} bytes (at most {mib} MiB).', detail=p.detail, mib=mib)
        return Diagnostic("F105", shown, args={"detail": detail, "fix": _SPLIT}, **kw)
    if p.kind == "encoding":
        return Diagnostic("F106", shown, args={"detail": msg('The file is not UTF-8 (byte 0x{detail} cannot be read).', detail=p.detail)}, **kw)
    if p.kind == "binary":
        return Diagnostic("F106", shown, args={"detail": msg('The file holds binary data: it is not a text file.')}, **kw)
    return Diagnostic("F107", shown, **kw)
