"""YAML reading problems (syntax, encoding, size, tags...) as diagnostics in plain words."""

from __future__ import annotations

from typing import Any

from feuille.core.diagnostics import Diagnostic
from feuille.core.i18n import Msg, msg, msgn
from feuille.core.registry import FieldName
from feuille.io.yamlread import MAX_FILE_BYTES, MAX_LINE_CHARS

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


def _indent(detail: str) -> dict[str, Msg]:
    parts = detail.split("|")
    if parts[0] == "-":
        found, want = int(parts[1]), int(parts[2])
        return {"detail": msg("this list item ('-') is indented by {found}, but the list above by {want}", found=msgn("{n} space", "{n} spaces", found), want=want),
                "fix": msgn("Align the dash with those of its list: {n} space at the start of the line.", "Align the dash with those of its list: {n} spaces at the start of the line.", want)}
    key, found, want, sibling = parts[0], int(parts[1]), int(parts[2]), parts[3]
    return {"detail": msg("the key {field} is indented by {found}, but the keys around it by {want} ({sibling_field} above)",
                          key=key, found=msgn("{n} space", "{n} spaces", found), want=want, sibling=sibling,
                          field=FieldName(key), sibling_field=FieldName(sibling)),
            "fix": msgn("Align {field} with the other keys of the same item: {n} space at the start of the line.",
                 "Align {field} with the other keys of the same item: {n} spaces at the start of the line.", want, key=key, field=FieldName(key))}


def _after_quote(quote: str) -> dict[str, Msg]:
    if quote == "'":
        return {"detail": msg("text follows the closing quote: between single quotes, an apostrophe ends the text"),
                "fix": msg("Put the value between double quotes (\"l'action\"), or double the apostrophe between single quotes ('l''action').")}
    return {"detail": msg("text follows the closing quote"), "fix": msg("Put the whole value between quotes, or remove the quotes.")}


_CAUSES = {  # the likely causes io/yamlread.py finds in the text around a syntax error
    "indent": _indent,
    "colon_space": lambda key: {"detail": msg("a space is missing after the colon of {field}", key=key, field=FieldName(key)),
                                "fix": msg("Write '{key}: value', with a space after the colon.", key=key)},
    "colon_value": lambda key: {"detail": msg("the value of {field} holds ': ' (a colon and a space), which YAML reads as a new key", key=key, field=FieldName(key)),
                                "fix": msg("Put the value between double quotes: {key}: \"...\".", key=key)},
    "after_quote": _after_quote,
    "bracket": lambda closer: {"detail": msg("a list or a mapping opened here is never closed: '{closer}' or a comma is missing", closer=closer),
                               "fix": msg("Close it with '{closer}' on the same line, and separate its elements with commas.", closer=closer)},
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
    if p.kind in _CAUSES:
        return Diagnostic("F101", shown, args=_CAUSES[p.kind](p.detail), **kw)
    if p.kind == "syntax":
        detail = next((text for needle, text in _SYNTAX_HELP.items() if needle in p.detail), None)
        # the parser's own words are English and cryptic: never shown, a plain description instead
        detail = detail or msg("this line does not follow the layout of YAML (indentation, 'key: value', '- ' before each list item)")
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

            detail = msg('A line is {n} characters long (at most {MAX_LINE_CHARS}).', n=n, MAX_LINE_CHARS=MAX_LINE_CHARS)
        else:

            mib = MAX_FILE_BYTES // (1024 * 1024)
            detail = msg('The file is {detail} bytes (at most {mib} MiB).', detail=p.detail, mib=mib)
        return Diagnostic("F105", shown, args={"detail": detail, "fix": _SPLIT}, **kw)
    if p.kind == "encoding":
        return Diagnostic("F106", shown, args={"detail": msg('The file is not UTF-8 (byte 0x{detail} cannot be read).', detail=p.detail)}, **kw)
    if p.kind == "binary":
        return Diagnostic("F106", shown, args={"detail": msg('The file holds binary data: it is not a text file.')}, **kw)
    return Diagnostic("F107", shown, **kw)
