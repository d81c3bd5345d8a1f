"""Indicators and the publish filter: what the public may not see never reaches an output (issue 24)."""

from __future__ import annotations

import json
from pathlib import Path

from _cli import feuille

LL = Path(__file__).parent.parent / "plans" / "la-louviere"
AS_OF = "2026-11-22"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def everything(plan: Path, out: Path, audience: str = "public") -> str:
    """The public site (HTML and Markdown) and the JSON export, as one text."""
    texts = []
    for fmt in ("html", "md"):
        r = feuille("render", plan, "-o", out / fmt, "-f", fmt, "--as-of", AS_OF, "--audience", audience)
        assert r.returncode == 0, r.stderr
        texts += [p.read_text(encoding="utf-8") for p in sorted((out / fmt).rglob("*")) if p.is_file() and p.suffix in (".html", ".md")]
    r = feuille("export", plan, "-f", "json", "-o", out / "plan.json", "--as-of", AS_OF, "--audience", audience)
    assert r.returncode == 0, r.stderr
    texts.append((out / "plan.json").read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_an_internal_indicator_of_an_objective_or_of_the_plan_is_never_published(plan, tmp_path):
    edit(plan / "objectives" / "01-cadre-de-vie" / "objective.yaml", "  - id: dechets-houdeng\n", "  - id: dechets-houdeng\n    visibility: internal\n")
    edit(plan / "plan.yaml", "  - id: demarches-en-ligne\n", "  - id: demarches-en-ligne\n    visibility: council\n")
    public = everything(plan, tmp_path / "public")
    for secret in ("Déchets sauvages collectés — Houdeng", "dechets-houdeng", "Part des démarches administratives accessibles en ligne", "demarches-en-ligne"):
        assert secret not in public, secret
    assert "Déchets sauvages collectés — Centre" in public  # its neighbour stays
    council = everything(plan, tmp_path / "council", "council")
    assert "Part des démarches administratives accessibles en ligne" in council
    assert "Déchets sauvages collectés — Houdeng" not in council


def test_who_entered_a_measurement_is_internal_unless_the_plan_opens_it(plan, tmp_path):
    assert "entered_by: dbrasseur" in (plan / "plan.yaml").read_text(encoding="utf-8")
    everything(plan, tmp_path / "public")
    doc = json.loads((tmp_path / "public" / "plan.json").read_text(encoding="utf-8"))
    found = [m.get("entered_by") for m in doc["plan"]["indicators"][0]["measurements"]]
    assert len(found) == 5 and set(found) == {None}
    internal = everything(plan, tmp_path / "internal", "internal")
    assert '"entered_by": "dbrasseur"' in internal


def test_an_indicator_measured_by_an_internal_person_does_not_name_them(plan, tmp_path):
    people = plan / "people.yaml"
    edit(people, "{id: dbrasseur, civility: mr, first_name: Damien, last_name: Brasseur, role: head_of_service, service: population, organisation: ville}",
         "{id: dbrasseur, civility: mr, first_name: Damien, last_name: Brasseur, role: head_of_service, service: population, organisation: ville, visibility: internal}")
    public = everything(plan, tmp_path / "public")
    assert "Brasseur" not in public and "dbrasseur" not in public
    page = (tmp_path / "public" / "html" / "indicators" / "demarches-en-ligne.html").read_text(encoding="utf-8")
    assert "Mesuré par" in page and "non publié" in page
