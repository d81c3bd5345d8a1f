"""Turn pydantic validation errors into diagnostics a town clerk can act on."""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel

from feuille.core import model as m
from feuille.core.diagnostics import Diagnostic, tr

# Which model a key's items follow, to suggest the right field names.
_CHILD_MODELS: dict[str, type[BaseModel]] = {
    "budget": m.BudgetLine,
    "indicators": m.Indicator,
    "measurements": m.Measurement,
    "serves": m.Share,
    "organisations": m.Organisation,
    "term": m.Term,
    "scale": m.Scale,
    "settings": m.Settings,
    "people": m.Person,
    "priorities": m.PrioritySettings,
    "weights": m.Weights,
    "services": m.Service,
    "actions": m.Action,
    "objectives": m.Objective,
}

# What French-speaking staff naturally write, and the key feuille expects.
FRENCH_KEYS = {
    "titre": "title", "intitule": "title", "intitulé": "title", "libelle": "title", "libellé": "title",
    "date_debut": "planned_start", "date_début": "planned_start", "debut": "planned_start", "début": "planned_start",
    "date_fin": "planned_end", "fin": "planned_end", "echeance": "planned_end", "échéance": "planned_end",
    "statut": "status", "etat": "status", "état": "status", "avancement": "progress", "sante": "health", "santé": "health",
    "responsable_politique": "political_owners", "responsables_politiques": "political_owners", "mandataire": "political_owners",
    "responsable_administratif": "admin_owner", "responsable": "admin_owner", "partenaires": "partners",
    "intervenants": "involved", "realisations": "achieved", "réalisations": "achieved", "etat_des_realisations": "achieved",
    "reste_a_faire": "remaining", "reste_à_faire": "remaining", "montant": "amount", "annee": "year", "année": "year",
    "exercice": "year", "indicateurs": "indicators", "cible": "target", "valeur_cible": "target", "base": "baseline",
    "mesures": "measurements", "enjeu": "stake", "urgence": "urgency", "retour": "roi", "priorite": "priority",
    "priorité": "priority", "poids": "weight", "remarques": "notes", "commentaire": "notes", "derniere_revue": "last_reviewed",
    "prenom": "first_name", "prénom": "first_name", "methode": "method", "méthode": "method", "gain_estime": "gain", "gain_estimé": "gain", "nom": "last_name", "civilite": "civility", "civilité": "civility",
    "fonction": "role", "courriel": "email", "telephone": "phone", "téléphone": "phone", "objectifs": "objectives",
}

FRENCH_VALUES = {
    "non_commence": "not_started", "non_commencé": "not_started", "non commencé": "not_started", "a_faire": "not_started",
    "en_cours": "ongoing", "en cours": "ongoing", "en_attente": "on_hold", "en attente": "on_hold", "suspendu": "on_hold",
    "termine": "done", "terminé": "done", "terminée": "done", "realise": "done", "réalisé": "done", "fait": "done",
    "annule": "cancelled", "annulé": "cancelled", "abandonne": "cancelled", "abandonné": "cancelled",
    "bon": "good", "bonne": "good", "risque": "at_risk", "à risque": "at_risk", "bloque": "blocked", "bloqué": "blocked",
    "en pause": "paused", "interne": "internal", "externe": "external", "ordinaire": "ordinary", "extraordinaire": "extraordinary",
    "hausse": "increase", "baisse": "decrease", "bourgmestre": "mayor", "maire": "mayor", "echevin": "alderman",
    "échevin": "alderman", "directeur": "director", "chef_de_service": "head_of_service", "agent": "officer",
    "monsieur": "mr", "madame": "mrs", "m.": "mr", "mme": "mrs",
    "conseil": "council", "college": "council", "collège": "council", "publique": "public", "tous": "public", "administration": "internal",
}

_EXPECTED = {
    "string_type": tr("un texte", "text"),
    "int_type": tr("un nombre entier", "a whole number"),
    "int_parsing": tr("un nombre entier", "a whole number"),
    "int_from_float": tr("un nombre entier", "a whole number"),
    "float_type": tr("un nombre", "a number"),
    "float_parsing": tr("un nombre", "a number"),
    "decimal_type": tr("un montant (nombre)", "an amount (number)"),
    "decimal_parsing": tr("un montant (nombre)", "an amount (number)"),
    "finite_number": tr("un nombre fini", "a finite number"),
    "list_type": tr("une liste", "a list"),
    "dict_type": tr("un ensemble « clé: valeur »", "a mapping ('key: value')"),
    "model_type": tr("un ensemble « clé: valeur »", "a mapping ('key: value')"),
    "model_attributes_type": tr("un ensemble « clé: valeur »", "a mapping ('key: value')"),
    "bool_type": tr("true ou false", "true or false"),
    "bool_parsing": tr("true ou false", "true or false"),
}

_EXAMPLES = {
    "list_type": tr("Écrivez une liste : [a, b], ou une ligne « - a » par élément.", "Write a list: [a, b], or one '- a' line per item."),
    "dict_type": tr("Écrivez des lignes « clé: valeur » en retrait sous cette clé.", "Write indented 'key: value' lines under this key."),
    "model_type": tr("Écrivez des lignes « clé: valeur » en retrait sous cette clé.", "Write indented 'key: value' lines under this key."),
    "string_type": tr("Écrivez le texte entre guillemets si besoin : \"...\".", "Quote the text if needed: \"...\"."),
    "decimal_parsing": tr("Écrivez le montant sans espace ni symbole, avec un point : 12500.50.", "Write the amount with no space or symbol, with a dot: 12500.50."),
    "finite_number": tr("Écrivez un nombre en chiffres, par exemple 12500.50 : .nan et .inf ne sont pas des nombres.",
                        "Write a number in digits, e.g. 12500.50: .nan and .inf are not numbers."),
}

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_YMD = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def describe_value(value: Any) -> dict[str, str]:
    """How to name a wrong value in a message."""
    if value is None:
        return tr("une valeur vide", "an empty value")
    if isinstance(value, bool):
        return tr(f"la valeur {str(value).lower()}", f"the value {str(value).lower()}")
    if isinstance(value, int | float):
        return tr(f"le nombre {value}", f"the number {value}")
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return tr(f"le texte « {short} »", f"the text '{short}'")
    if isinstance(value, list):
        return tr("une liste", "a list")
    if isinstance(value, dict):
        return tr("un ensemble « clé: valeur »", "a mapping")
    return tr(type(value).__name__, type(value).__name__)


#: Schema problems listed per file; past this, one diagnostic counts the others.
MAX_ERRORS_PER_FILE = 50


class ErrorCap:
    """Bounds the schema problems reported (and the work of translating them) per file.

    ``over(file)`` is called for each problem: False while under the limit; past it,
    the summary diagnostic of that file the first time (to report), True after
    (its count is kept up to date).
    """

    def __init__(self, limit: int = MAX_ERRORS_PER_FILE) -> None:
        self.limit = limit
        self.counts: dict[str, int] = {}
        self.summaries: dict[str, Diagnostic] = {}

    def over(self, file: str) -> Diagnostic | bool:
        n = self.counts[file] = self.counts.get(file, 0) + 1
        if n <= self.limit:
            return False
        more = n - self.limit
        detail = tr(f"… et {more} autre(s) problème(s) dans ce fichier, non détaillé(s) : seuls les {self.limit} premiers sont listés.",
                    f"… and {more} more problem(s) in this file, not detailed: only the first {self.limit} are listed.")
        summary = self.summaries.get(file)
        if summary is not None:
            summary.args["detail"] = detail
            return True
        fix = tr("Corrigez d'abord les problèmes listés, puis relancez « feuille lint » pour voir les suivants.",
                 "Fix the problems listed first, then run 'feuille lint' again to see the next ones.")
        summary = self.summaries[file] = Diagnostic("F105", file, args={"detail": detail, "fix": fix})
        return summary


def _describe_number(value: Any) -> dict[str, str]:
    if isinstance(value, int | float) and not isinstance(value, bool) or type(value).__name__ == "Decimal":
        return tr(f"le nombre {value}", f"the number {value}")
    return describe_value(value)


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    """The model whose fields apply at ``loc`` (the last element excluded)."""
    current = model
    for part in loc[:-1]:
        if isinstance(part, str) and part in _CHILD_MODELS and part in current.model_fields:
            current = _CHILD_MODELS[part]
    return current


def suggest_key(key: str, fields: list[str]) -> dict[str, str]:
    lowered = key.lower().strip()
    target = FRENCH_KEYS.get(lowered)
    if target and target in fields:
        return tr(f"En anglais, cette clé s'écrit « {target} ».", f"Did you mean '{target}'?")
    close = difflib.get_close_matches(lowered, fields, n=1, cutoff=0.6)
    if close:
        return tr(f"Vouliez-vous dire « {close[0]} » ?", f"Did you mean '{close[0]}'?")
    listing = ", ".join(fields)
    return tr(f"Clés possibles ici : {listing}.", f"Keys allowed here: {listing}.")


def suggest_value(value: Any, allowed: list[str]) -> str | None:
    if not isinstance(value, str):
        return None
    lowered = value.lower().strip()
    if lowered in FRENCH_VALUES and FRENCH_VALUES[lowered] in allowed:
        return FRENCH_VALUES[lowered]
    close = difflib.get_close_matches(lowered, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _key_name(loc: tuple[Any, ...]) -> str:
    if loc[-2:] == ("visibility", "item"):  # `visibility: council` is read as {item: council}
        return "visibility"
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "?"


def _allowed_from_ctx(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


_PATTERN_HELP = {
    "id": tr("lettres, chiffres, point, tiret et souligné, sans espace ni accent (ex. A1.2)", "letters, digits, dot, dash and underscore, no space (e.g. A1.2)"),
    "email": tr("une adresse e-mail (nom@exemple.be)", "an e-mail address (name@example.org)"),
    "locale": tr("fr-BE, fr-FR, fr-CH, fr-CA, en-GB...", "fr-BE, fr-FR, fr-CH, fr-CA, en-GB..."),
    "currency": tr("un code de devise ISO : EUR, CHF, CAD", "an ISO currency code: EUR, CHF, CAD"),
    "rollup_weights": tr("equal, weight ou budget", "equal, weight or budget"),
}


def to_diagnostic(err: dict[str, Any], model: type[BaseModel], file: str, base: tuple[Any, ...], data: Any) -> Diagnostic:
    """One pydantic error (from ``ValidationError.errors()``) as a diagnostic."""
    etype: str = err["type"]
    loc: tuple[Any, ...] = tuple(err["loc"])
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    key = _key_name(loc)
    path = base + loc
    if etype == "extra_forbidden":
        fields = list(model_at(model, loc).model_fields)
        return Diagnostic("F201", file, path, args={"key": key, "suggestion": suggest_key(key, fields)}, on_key=True)
    if etype == "missing":
        return Diagnostic("F202", file, base + loc[:-1], args={"key": key})
    if etype.startswith("date") or etype.startswith("datetime"):
        return _date_diagnostic(file, path, key, value)
    if etype in ("enum", "literal_error"):
        allowed = _allowed_from_ctx(str(ctx.get("expected", "")))
        guess = suggest_value(value, allowed)
        args: dict[str, Any] = {"key": key, "value": value, "allowed": ", ".join(allowed)}
        if guess:
            args["allowed"] = tr(f"{', '.join(allowed)} (vouliez-vous dire « {guess} » ?)", f"{', '.join(allowed)} (did you mean '{guess}'?)")
        return Diagnostic("F204", file, path, args=args)
    if etype == "string_pattern_mismatch":
        helptext = _PATTERN_HELP.get(key, tr(f"le format {ctx.get('pattern')}", f"the pattern {ctx.get('pattern')}"))
        return Diagnostic("F204", file, path, args={"key": key, "value": value, "allowed": helptext})
    if etype == "less_than" and ctx.get("lt") == m.MAX_AMOUNT:  # Money (core/model.py)
        return Diagnostic("F203", file, path, args={
            "key": key, "expected": tr("un montant de moins de 100 milliards", "an amount below 100 billion"), "found": _describe_number(value),
            "example": tr("Écrivez le montant en unités de la devise, sans exposant ni zéros en trop, par exemple 12500.50.",
                          "Write the amount in units of the currency, with no exponent or extra zeros, e.g. 12500.50.")})
    if etype == "decimal_max_places":  # Money
        return Diagnostic("F203", file, path, args={
            "key": key, "expected": tr("un montant au centime près (deux décimales au plus)", "an amount to the cent (two decimals at most)"),
            "found": _describe_number(value),
            "example": tr("Arrondissez au centime, par exemple 12500.35.", "Round to the cent, e.g. 12500.35.")})
    if etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {
            "greater_than_equal": tr(f"au moins {ctx.get('ge')}", f"at least {ctx.get('ge')}"),
            "less_than_equal": tr(f"au plus {ctx.get('le')}", f"at most {ctx.get('le')}"),
            "greater_than": tr(f"plus grand que {ctx.get('gt')}", f"greater than {ctx.get('gt')}"),
            "less_than": tr(f"plus petit que {ctx.get('lt')}", f"less than {ctx.get('lt')}"),
        }[etype]
        return Diagnostic("F206", file, path, args={"key": key, "value": value, "bound": bound})
    if etype in ("string_too_short", "too_short"):
        n = ctx.get("min_length", 1)
        problem = tr("est vide", "is empty") if etype == "string_too_short" else tr(f"doit contenir au moins {n} élément(s)", f"must hold at least {n} item(s)")
        return Diagnostic("F207", file, path, args={"key": key, "problem": problem})
    if etype in ("string_too_long", "too_long"):
        n = ctx.get("max_length")
        problem = tr(f"dépasse {n} caractères", f"is longer than {n} characters") if etype == "string_too_long" else tr(f"contient plus de {n} éléments", f"holds more than {n} items")
        return Diagnostic("F207", file, path, args={"key": key, "problem": problem})
    expected = _EXPECTED.get(etype, tr(err.get("msg", etype), err.get("msg", etype)))
    example = _EXAMPLES.get(etype, "")
    return Diagnostic("F203", file, path, args={"key": key, "expected": expected, "found": describe_value(value), "example": example})


def _date_diagnostic(file: str, path: tuple[Any, ...], key: str, value: Any) -> Diagnostic:
    text = str(value) if value is not None else ""
    dmy = _DMY.match(text)
    if dmy:
        day, month, year = (int(g) for g in dmy.groups())
        iso = f"{year:04d}-{month:02d}-{day:02d}"
        problem = tr(f"« {text} » n'est pas au format attendu.", f"'{text}' is not in the expected format.")
        example = tr(f" : {iso} au lieu de {text}", f": {iso} instead of {text}")
    elif _YMD.match(text):
        problem = tr(f"la date {text} n'existe pas dans le calendrier.", f"the date {text} does not exist.")
        example = tr(" (vérifiez le jour et le mois)", " (check the day and the month)")
    elif value is None:
        problem = tr("la date est vide.", "the date is empty.")
        example = tr(", par exemple 2025-12-31", ", e.g. 2025-12-31")
    else:
        problem = tr(f"« {text} » n'est pas une date.", f"'{text}' is not a date.")
        example = tr(", par exemple 2025-12-31", ", e.g. 2025-12-31")
    return Diagnostic("F205", file, path, args={"key": key, "problem": problem, "example": example})
