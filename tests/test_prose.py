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
