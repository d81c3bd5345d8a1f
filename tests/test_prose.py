"""French prose (issue 25, item 3): roles agree with the person's civility, no « (e) » forms; field names and
enum keys appear in a message only the way docs/format.md (« Les noms des champs dans les messages ») says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from _cli import feuille
from feuille.core.i18n import LOCALE_DIR, parse_po
from feuille.core.model import Civility, PeopleFile, Person, Role
from feuille.io.yamlread import read

ROOT = Path(__file__).resolve().parent.parent
LL = ROOT / "plans" / "la-louviere"
PS = ROOT / "plans" / "plan-strategique"


def _people(plan: Path) -> dict[str, Person]:
    data, problems = read((plan / "people.yaml").read_text(encoding="utf-8"))
    assert not problems
    return {p.id: p for p in PeopleFile.model_validate(data).people}


def _catalogue(lang: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    return parse_po((LOCALE_DIR / lang / "LC_MESSAGES" / "feuille.po").read_text(encoding="utf-8"))


def test_a_role_agrees_with_the_person_s_civility():
    people = {**_people(PS), **_people(LL)}
    said = {pid: people[pid].role_word("fr") for pid in ("mdupont", "asabbatini", "nhenrard", "fcarlier", "cleroy", "rmassart",
                                                        "tbaudoux", "gpirson", "elambert", "pfrasca")}
    assert said == {"mdupont": "Bourgmestre", "asabbatini": "Échevin", "nhenrard": "Échevine", "fcarlier": "Présidente du CPAS",
                    "cleroy": "Directrice générale", "rmassart": "Directeur général", "tbaudoux": "Directeur financier",
                    "gpirson": "Directrice", "elambert": "Cheffe de service", "pfrasca": "Chef de service"}
    assert people["nhenrard"].role_word("en") == "Alderman"


@pytest.mark.parametrize("civility", [None, Civility.mx])
def test_a_role_is_neutral_when_the_civility_does_not_say(civility):
    words = {role: Person(id="x", first_name="Camille", last_name="Roy", role=role, civility=civility).role_word("fr") for role in Role}
    assert words == {Role.mayor: "Bourgmestre", Role.alderman: "Échevinat", Role.cpas_president: "Présidence du CPAS",
                     Role.councillor: "Membre du conseil", Role.director_general: "Direction générale",
                     Role.financial_director: "Direction financière", Role.director: "Direction",
                     Role.head_of_service: "Responsable de service", Role.officer: "Membre du personnel", Role.other: "Autre"}


def test_the_forms_of_a_role_are_read_back():
    from feuille.core.fields import words_of

    assert [words_of(Role).parse(w) for w in ("Échevine", "Directrice générale", "Cheffe de service", "Direction")] == [
        "alderman", "director_general", "head_of_service", "director"]


def test_the_site_and_the_reports_write_each_role_with_its_civility(tmp_path):
    r = feuille("render", str(LL), "-o", str(tmp_path / "site"), "-f", "md")
    assert r.returncode == 0, r.stderr
    index = (tmp_path / "site" / "people" / "index.md").read_text(encoding="utf-8")
    assert "[Nathalie Henrard](../people/nhenrard.md) — Échevine, Logement (2)" in index
    assert "[Christine Leroy](../people/cleroy.md) — Directrice générale (4)" in index
    assert "[Thierry Baudoux](../people/tbaudoux.md) — Directeur financier (4)" in index
    assert "(e)" not in index and "(rice)" not in index
    assert (tmp_path / "site" / "people" / "sgilles.md").read_text(encoding="utf-8").splitlines()[4] == (
        "Échevine — Animations, image de la ville, communauté urbaine")
    r = feuille("report", "annual", "--year", "2025", "--plan", str(LL), "-f", "md", "-o", str(tmp_path / "annual.md"))
    assert r.returncode == 0, r.stderr
    headings = [x for x in (tmp_path / "annual.md").read_text(encoding="utf-8").splitlines() if x.startswith("### ")]
    assert "### Nathalie Henrard (Échevine — Logement)" in headings and "### Françoise Carlier (Présidente du CPAS — Action sociale)" in headings


def test_no_message_writes_a_gender_in_brackets():
    """« créé(e) », « Échevin(e) », « ajoutez-le(la) »: a message says who it speaks of, or is rephrased neutrally."""
    found = []
    for key, value in _catalogue("fr").items():
        ident = key[0] if isinstance(key, tuple) else key
        if ident.startswith("sheet\x04"):  # the town's own sheet headers, read back from workbooks already out there
            continue
        found += [repr(text) for text in (value if isinstance(value, tuple) else (value,))
                  if re.search(r"\w\((e|es|le|la|ne|fe|ère|ère|rice|trice|euse)\)", text)]
    assert not found, "\n".join(found)


# --- field names and enum keys in French prose ------------------------------------------------------------

# Keys that are also plain French words: in a French sentence they read as French (« la date », « le budget », « se range »).
FRENCH_WORDS = frozenset({"actions", "article", "budget", "date", "description", "direction", "gain", "label", "licence", "locale", "max",
                          "min", "note", "notes", "organisation", "organisations", "participation", "plans", "programme", "province",
                          "public", "range", "service", "services", "source", "tags", "type", "volet", "volets",
                          "ecomptes"})  # (also the name of a format, typed as is: --format ecomptes, import -f ecomptes)

# What docs/format.md (« Les noms des champs dans les messages ») lets a message write as code, taken out before looking for keys.
CODE = [
    re.compile(r"\{[^{}]*\}"),                                        # a message's {placeholders} (first: « ({key}: internal) »)
    re.compile(r"\(\s*(?:- )?[\w.]+(?=\)|:|,|;| :| ;| =)[^()]*\)"),  # after a label: (health_note), (actual_end: AAAA-MM-JJ), (- id: ...)
    re.compile(r"--[\w-]+(?:[ =][^\s,;)»]+)?"),                        # the command line: --status ongoing, --split-by=owner
    re.compile(r"\b[\w.]+=[^\s»]*"),                                   # an option's value: stake=2,urgency=1
    re.compile(r"\b(?:feuille|git) [\w-]+(?: (?:action|objective|sub-action))?"),  # a command: feuille status, feuille new objective
    re.compile(r"[\w.-]+\.(?:yaml|yml|json|md|csv|xlsx|xml)\b"),       # a file: people.yaml
    re.compile(r"[\w.~-]*/[\w./~-]*"),                                 # a path: objectives/02-dossier
]


def _keys() -> frozenset[str]:
    """Every key of a plan's files and every value of the model's enums, from the field registry and the model (not by
    hand), but those the registry writes the same in French (« description », « tags ») and the French words above."""
    from enum import Enum

    from feuille.core import model
    from feuille.core.fields import fold, of, words_of
    from feuille.core.registry import models

    found: set[str] = set()
    for m in models():
        found |= {f.name for f in of(m) if not f.meta.label or fold(f.label("fr")) != fold(f.name)}
    enums = {e for e in vars(model).values() if isinstance(e, type) and issubclass(e, Enum) and e.__module__ == model.__name__}
    for enum in enums:
        words = words_of(enum)
        found |= {v for v in words.values if v not in words.shown["fr"] or fold(words.word(v, "fr")) != fold(v)}
    return frozenset(found - FRENCH_WORDS)


KEYS = _keys()


def bare_keys(text: str) -> list[str]:
    """The keys ``text`` writes in prose, outside the code forms of docs/format.md."""
    for pattern in CODE:
        text = pattern.sub("x", text)
    return [w for w in re.findall(r"(?<![\w.-])[a-z][a-z0-9_]*(?![\w-]|\.\w)", text) if w in KEYS]


def test_the_keys_come_from_the_registry():
    assert {"health_note", "planned_end", "last_reviewed", "reschedules", "ongoing", "not_started", "blocked", "at_risk", "internal",
            "council", "mrs", "alderman", "entered_by", "unit"} <= KEYS
    assert not {"description", "tags", "date", "budget"} & KEYS  # French words too


@pytest.mark.parametrize(("text", "found"), [
    ("(Dites pourquoi dans health_note.)", ["health_note"]),
    ("La santé est « blocked » sans explication.", ["blocked"]),
    ("Valeurs possibles : not_started, ongoing.", ["not_started", "ongoing"]),
    ("Dites pourquoi dans sa note de santé (health_note).", []),
    ("Ajoutez la fin effective (actual_end: AAAA-MM-JJ).", []),
    ("Donnez --status ongoing (en cours), ou consultez feuille status et people.yaml.", []),
    ("Mettez la valeur entre guillemets doubles ({key}: \"...\").", []),
])
def test_a_key_in_prose_is_found(text, found):
    assert bare_keys(text) == found


def test_no_french_message_writes_a_key_in_prose():
    """Every French msgstr names fields by their label and values by their word; a key only as code (docs/format.md)."""
    found = []
    for key, value in _catalogue("fr").items():
        for text in value if isinstance(value, tuple) else (value,):
            if bare_keys(text):
                found.append(f"{key!r}: {bare_keys(text)} in {text!r}")
    assert not found, "\n".join(found)


def test_no_rule_message_writes_a_key_in_prose(tmp_path):
    """The messages and hints of every case of the rule catalogue (tests/cases), as lint writes them in French."""
    import catalogue

    found = []
    for case in catalogue.all_cases():
        loaded = catalogue.run(catalogue.build(tmp_path / case.name, case.bad), case.as_of)
        for d in loaded.diagnostics:
            found += [f"{case.name} {d.code}: {bare_keys(t)} in {t!r}" for t in (d.message("fr"), d.hint("fr")) if bare_keys(t)]
    assert not found, "\n".join(found)


def test_lint_names_the_field_and_its_key(plan):
    """A value an enum does not allow: the field by its label and key, the values by their words and keys."""
    action = next((plan / "objectives").rglob("A1.1*.yaml"))
    action.write_text(action.read_text(encoding="utf-8").replace("status: ongoing", "status: en cour"), encoding="utf-8")
    out = feuille("lint", str(plan)).stdout
    assert "La valeur « en cour » n'est pas permise pour le champ statut (status)." in out
    assert "à venir (not_started), en cours (ongoing), en attente (on_hold), terminée (done), annulée (cancelled)" in out
