"""YAML reading problems (syntax, encoding, size, tags...) as diagnostics in plain words."""

from __future__ import annotations

from typing import Any

from feuille.core.diagnostics import Diagnostic, tr

_SPLIT = tr("Découpez le plan en plusieurs fichiers (un par objectif ou par action).", "Split the plan into several files (one per objective or action).")

_SYNTAX_HELP = {
    "mapping values are not allowed": tr(
        "deux-points inattendu : une valeur qui contient « : » doit être entre guillemets, ou l'indentation est décalée",
        "unexpected colon: a value containing ': ' must be quoted, or the indentation is off"),
    "did not find expected key": tr("indentation incohérente ou élément de liste mal placé", "inconsistent indentation or a misplaced list item"),
    "could not find expected ':'": tr("il manque « : » après une clé", "a ':' is missing after a key"),
    "did not find expected '-' indicator": tr("élément de liste mal aligné", "a list item is misaligned"),
    "found undefined alias": tr("alias (*nom) qui ne renvoie à aucune ancre (&nom)", "an alias (*name) with no matching anchor (&name)"),
    "did not find expected node content": tr("valeur manquante ou caractère inattendu", "a value is missing or a character is unexpected"),
    "found unexpected end of stream": tr("le fichier s'arrête au milieu d'une valeur", "the file ends in the middle of a value"),
    "did not find expected ',' or ']'": tr("liste entre crochets non refermée : il manque « ] » ou une virgule", "a bracketed list is not closed: ']' or a comma is missing"),
    "did not find expected ',' or '}'": tr("ensemble entre accolades non refermé : il manque « } » ou une virgule", "a braced mapping is not closed: '}' or a comma is missing"),
    "found character that cannot start any token": tr("caractère inattendu (@, `, %...) en début de valeur : mettez la valeur entre guillemets", "unexpected character (@, `, %...) at the start of a value: quote the value"),
}


def problem_diagnostic(p: Any, shown: str) -> Diagnostic:
    """A :class:`~feuille._yamlread.ReadProblem` as a diagnostic."""

    kw: dict[str, Any] = {"line": p.line, "col": p.col}
    if p.kind == "quote":
        return Diagnostic("F101", shown, args={"detail": tr("un guillemet ouvert ici n'est jamais refermé", "a quote opened here is never closed"),
                                                "fix": tr("Ajoutez le guillemet fermant à la fin de la valeur, ou retirez celui-ci.", "Add the closing quote at the end of the value, or remove this one.")}, **kw)
    if p.kind == "tab":
        return Diagnostic("F101", shown, args={"detail": tr("une tabulation est utilisée pour l'indentation", "a tab is used for indentation"),
                                                "fix": tr("Remplacez les tabulations par des espaces (2 par niveau).", "Replace tabs with spaces (2 per level).")}, **kw)
    if p.kind == "multi":
        return Diagnostic("F101", shown, args={"detail": tr("le fichier contient plusieurs documents séparés par « --- »", "the file holds several documents separated by '---'"),
                                                "fix": tr("Gardez un seul document par fichier : retirez la ligne « --- » ou scindez le fichier.", "Keep one document per file: remove the '---' line or split the file.")}, **kw)
    if p.kind == "key":
        return Diagnostic("F101", shown, args={"detail": tr("une clé doit être un texte simple, pas une liste ni un ensemble", "a key must be plain text, not a list or a mapping"),
                                                "fix": tr("Écrivez la clé comme un simple mot suivi de « : ».", "Write the key as a plain word followed by ':'.")}, **kw)
    if p.kind == "syntax":
        detail = None
        for needle, text in _SYNTAX_HELP.items():
            if needle in p.detail:
                detail = text
                break
        detail = detail or tr(p.detail or "erreur de syntaxe", p.detail or "syntax error")
        return Diagnostic("F101", shown, args={"detail": detail, "fix": tr("Corrigez la ligne indiquée (et celle d'avant : l'erreur y commence souvent).", "Fix the line shown (and the one before: errors often start there).")}, **kw)
    if p.kind == "duplicate":
        return Diagnostic("F102", shown, p.path + (p.detail,), args={"key": p.detail}, on_key=True, **kw)
    if p.kind == "tag":
        return Diagnostic("F103", shown, p.path, args={"tag": p.detail.replace("tag:yaml.org,2002:", "!!")}, **kw)
    if p.kind == "alias":
        return Diagnostic("F104", shown, args={"detail": tr(f"Les alias (&, *) démultiplient le contenu au-delà de la limite ({p.detail} valeurs) : lecture arrêtée.",
                                                             f"Aliases (&, *) expand the content beyond the limit ({p.detail} values): reading stopped.")}, **kw)
    if p.kind == "depth":
        return Diagnostic("F104", shown, args={"detail": tr(f"Les valeurs sont imbriquées sur plus de {p.detail} niveaux : lecture arrêtée.",
                                                             f"Values are nested more than {p.detail} levels deep: reading stopped.")}, **kw)
    if p.kind == "keys":
        return Diagnostic("F104", shown, args={"detail": tr(f"Un même ensemble contient plus de {p.detail} clés : lecture arrêtée.",
                                                             f"One mapping holds more than {p.detail} keys: reading stopped.")}, **kw)
    if p.kind == "items":
        return Diagnostic("F104", shown, args={"detail": tr(f"Une même liste contient plus de {p.detail} éléments : lecture arrêtée.",
                                                             f"One list holds more than {p.detail} items: reading stopped.")}, **kw)
    if p.kind == "values":
        return Diagnostic("F105", shown, args={"detail": tr(f"Le fichier contient plus de {p.detail} valeurs : lecture arrêtée.",
                                                             f"The file holds more than {p.detail} values: reading stopped."), "fix": _SPLIT}, **kw)
    if p.kind == "too_large":
        if p.detail.startswith("line:"):
            n = p.detail[5:]
            from feuille.io.yamlread import MAX_LINE_CHARS  # the parser is imported only when a file is read

            detail = tr(f"Une ligne fait {n} caractères (maximum {MAX_LINE_CHARS}).", f"A line is {n} characters long (at most {MAX_LINE_CHARS}).")
        else:
            from feuille.io.yamlread import MAX_FILE_BYTES

            mib = MAX_FILE_BYTES // (1024 * 1024)
            detail = tr(f"Le fichier fait {p.detail} octets (maximum {mib} Mio).", f"The file is {p.detail} bytes (at most {mib} MiB).")
        return Diagnostic("F105", shown, args={"detail": detail, "fix": _SPLIT}, **kw)
    if p.kind == "encoding":
        return Diagnostic("F106", shown, args={"detail": tr(f"Le fichier n'est pas en UTF-8 (octet 0x{p.detail} illisible).", f"The file is not UTF-8 (byte 0x{p.detail} cannot be read).")}, **kw)
    if p.kind == "binary":
        return Diagnostic("F106", shown, args={"detail": tr("Le fichier contient des données binaires : ce n'est pas un fichier texte.", "The file holds binary data: it is not a text file.")}, **kw)
    return Diagnostic("F107", shown, **kw)
