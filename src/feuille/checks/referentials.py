"""The two referentials of the national schema for transition projects (France), read from the vendored copy.

An action or objective says which of them it belongs to with tags: ``m57:90-211`` (or
``competence:90-211``) for a competence of the M57 referential, ``sgpe:Vélo`` (or
``levier:Vélo``) for a lever of the SGPE referential.  Lint (rule F902) refuses a code that is in
neither, with the closest ones; ``feuille export --format projets-te`` writes them into the
``competences`` and ``leviers`` columns.  Levers are matched without regard to case or accents
(``sgpe:velo`` is « Vélo »).  The files live in ``feuille/formats/projets_te/schema/`` with their
licence and version (VERSION); they are read only when a plan has such a tag.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from functools import lru_cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "formats" / "projets_te" / "schema"
COMPETENCES_CSV = SCHEMA_DIR / "reference-data" / "referentiel_competences_M57_2025.csv"
LEVIERS_CSV = SCHEMA_DIR / "reference-data" / "50_leviers_SGPE_03_2025.csv"

#: tag prefix -> referential
PREFIXES = {"m57": "competence", "competence": "competence", "sgpe": "levier", "levier": "levier"}


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@lru_cache(maxsize=1)
def competences() -> dict[str, str]:
    """M57 code -> label, in the referential's order."""
    return {r["code"].strip(): r["competence-sous-competence"].strip() for r in _rows(COMPETENCES_CSV)}


@lru_cache(maxsize=1)
def leviers() -> dict[str, str]:
    """SGPE lever -> description, in the referential's order."""
    return {r["levier"].strip(): r["description"].strip() for r in _rows(LEVIERS_CSV)}


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)).strip()


@lru_cache(maxsize=1)
def _folded_leviers() -> dict[str, str]:
    return {_fold(name): name for name in leviers()}


def split_tag(tag: str) -> tuple[str, str] | None:
    """``("competence", "90-211")`` for ``m57:90-211``, ``("levier", "Vélo")`` for ``sgpe:Vélo``; None for any other tag."""
    prefix, sep, value = tag.partition(":")
    kind = PREFIXES.get(prefix.strip().casefold()) if sep else None
    return (kind, value.strip()) if kind else None


def resolve(kind: str, value: str) -> str | None:
    """The referential's own spelling of ``value``, or None if it is not in it."""
    if kind == "competence":
        return value if value in competences() else None
    return _folded_leviers().get(_fold(value))


def closest(kind: str, value: str) -> list[str]:
    """Up to three known codes close to ``value`` (for a competence, also by its label: ``m57:voirie``)."""
    import difflib  # noqa: PLC0415 (not on the start-up path of status, lint and show)

    if kind == "competence":
        table = competences()
        by_code = difflib.get_close_matches(value, list(table), n=3, cutoff=0.6)
        labels = {_fold(label): code for code, label in table.items()}
        by_label = [labels[x] for x in difflib.get_close_matches(_fold(value), list(labels), n=3, cutoff=0.6)]
        by_label += [code for f, code in labels.items() if len(value) >= 4 and _fold(value) in f and code not in by_label]
        return list(dict.fromkeys(by_code + by_label))[:3]
    folded = _folded_leviers()
    found = difflib.get_close_matches(_fold(value), list(folded), n=3, cutoff=0.6)
    found += [k for k in folded if len(value) >= 4 and _fold(value) in k and k not in found]
    return [folded[k] for k in found[:3]]
