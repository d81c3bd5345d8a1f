"""eComptes (Walloon PST, XSD 201805V1): export, import, round trip, bad input; every figure traced to the YAML."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from _cli import feuille
from feuille.compute.rollup import compute
from feuille.core.model import Action, Health, Status
from feuille.formats.ecomptes.write import action_status, aggregate_status
from feuille.formats.ecomptes.xsd import ecomptes_schema
from feuille.pipeline import LoadOptions, load_path

ROOT = Path(__file__).parent.parent
PLANS = ROOT / "plans"
AS_OF = "2026-11-30"
DAY = dt.date(2026, 11, 30)
CIV = {"mr": "MONSIEUR", "mrs": "MADAME"}


def _export(plan: Path, out: Path, *extra: str):
    return feuille("export", plan, "--format", "ecomptes", "-o", out, "--as-of", AS_OF, *extra)


def _load(plan: Path):
    return load_path(plan, DAY, options=LoadOptions(use_cache=False))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, dict[str, ET.Element]]:
    """Both example plans exported once: plan -> organisation -> root element."""
    out: dict[str, dict[str, ET.Element]] = {}
    base = tmp_path_factory.mktemp("ecomptes")
    for name in ("la-louviere", "plan-strategique"):
        result = _export(PLANS / name, base / f"{name}.xml")
        assert result.returncode == 0, result.stderr
        out[name] = {org: ET.parse(base / f"{name}-{org}.xml").getroot() for org in ("ville", "cpas")}
    return out


# --- the example plans --------------------------------------------------------------


@pytest.mark.parametrize("name", ["la-louviere", "plan-strategique"])
def test_example_plans_export_files_valid_against_the_xsd(name, tmp_path):
    result = _export(PLANS / name, tmp_path / "pst.xml")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pst-cpas.xml", "pst-ville.xml"]
    for path in tmp_path.iterdir():
        ecomptes_schema().validate(str(path))  # raises if invalid
        root = ET.parse(path).getroot()
        assert root.findtext("Identifiants/INS") == "58001"
        assert root.findtext("Identifiants/TypeAdmin") == ("CPAS" if "cpas" in path.name else "AC")
    assert "écrit :" in result.stdout
    assert "defaults.fte = 0" in result.stderr  # the summary says the town's default was used


def test_example_plans_still_lint_clean_with_transmission_on():
    for name in ("la-louviere", "plan-strategique"):
        result = feuille("lint", PLANS / name, "--strict", "--as-of", AS_OF)
        assert result.returncode == 0, result.stdout


def test_json_export_still_works(tmp_path):
    result = feuille("export", PLANS / "la-louviere", "--format", "json", "-o", tmp_path / "p.json", "--as-of", AS_OF)
    assert result.returncode == 0 and (tmp_path / "p.json").read_text().startswith("{")


# --- status mapping -------------------------------------------------------------------------


@pytest.mark.parametrize("status,health,expected", [
    ("cancelled", "good", "ANNULE_ABANDONNE"), ("cancelled", "blocked", "ANNULE_ABANDONNE"),
    ("done", "good", "TERMINE"), ("done", "blocked", "TERMINE"),
    ("not_started", "good", "NON_COMMENCE"), ("not_started", "blocked", "PROBLEME"),
    ("on_hold", "good", "EN_ATTENTE"), ("on_hold", "blocked", "PROBLEME"),
    ("ongoing", "good", "EN_COURS"), ("ongoing", "at_risk", "EN_COURS"), ("ongoing", "blocked", "PROBLEME"),
])
def test_status_mapping(status, health, expected):
    action = Action(id="A", title="t", status=Status(status), health=Health(health))
    assert action_status(action) == expected


def test_aggregated_status_of_objectives():
    S = Status
    assert aggregate_status([]) == "NON_COMMENCE"
    assert aggregate_status([S.cancelled, S.cancelled]) == "ANNULE_ABANDONNE"
    assert aggregate_status([S.done, S.cancelled]) == "TERMINE"
    assert aggregate_status([S.not_started, S.not_started]) == "NON_COMMENCE"
    assert aggregate_status([S.on_hold]) == "EN_ATTENTE"
    assert aggregate_status([S.done, S.ongoing]) == "EN_COURS"


def test_a_cancelled_action_goes_out_as_cancelled_not_as_a_problem(exported):
    [el] = [a for a in exported["plan-strategique"]["ville"].iter("Action") if a.get("ElementId") == "L3.2.3"]
    assert el.findtext("Statut") == "ANNULE_ABANDONNE"


# --- traceability: every ETP, Type, Civilite, TauxAvancement --------------------------------


def _elements(root: ET.Element):
    for tag in ("Volet", "ObjectifStrategique", "ObjectifOperationnel", "Action"):
        yield from ((tag, el) for el in root.iter(tag))


@pytest.mark.parametrize("name", ["la-louviere", "plan-strategique"])
def test_every_figure_is_traced_to_the_yaml_or_a_computed_figure(name, exported):
    loaded = _load(PLANS / name)
    plan = loaded.plan
    rollup = compute(plan, DAY)
    progress = {r.action.id: r.progress for r in rollup.actions}
    objectives: dict[str, float | None] = {}
    stack = list(rollup.objectives)
    while stack:
        r = stack.pop()
        objectives[r.objective.id] = r.progress
        stack.extend(r.children)
    actions = plan.action_index()
    objs = plan.objective_index()
    default_fte = plan.meta.defaults.fte
    shares = {}
    for a, home in plan.actions():
        shares[a.id] = {s.objective: Decimal(str(s.percent)) / 100 for s in a.serves} or {home.id: Decimal(1)}

    def obj_fte(o) -> Decimal:
        if o.fte is not None:
            return o.fte
        return sum((obj_fte(c) for c in o.objectives), Decimal(0)) + sum((a.fte if a.fte is not None else default_fte for a in o.actions), Decimal(0))

    checked = {"ETP": 0, "Type": 0, "Civilite": 0, "TauxAvancement": 0}
    for _org, root in exported[name].items():
        for tag, el in _elements(root):
            eid = el.get("ElementId")
            etp = Decimal(el.findtext("ETP"))
            rate = Decimal(el.findtext("TauxAvancement"))
            if tag == "Action":
                action = actions[eid][0]
                base = action.fte if action.fte is not None else default_fte
                assert any(etp == (base * share).quantize(Decimal("0.01")) or etp == base for share in shares[eid].values()), (eid, etp)
                expected = action.progress if action.status is Status.cancelled else progress[eid]
                assert rate == Decimal(str(expected)).quantize(Decimal(1), rounding="ROUND_HALF_UP"), (eid, rate, expected)
                line_types = {("R" if line.type.value == "revenue" else "D") for line in action.budget}
                for t in el.iter("Type"):
                    assert t.text in line_types
                    checked["Type"] += 1
                item = action
            elif tag == "Volet":
                mine = [o for o in plan.objectives if f"VOLET-{'INTERNE' if o.volet.value == 'internal' else 'EXTERNE'}" == eid]
                assert etp <= sum((obj_fte(o) for o in mine), Decimal(0))
                checked["ETP"] += 1
                checked["TauxAvancement"] += 1
                continue
            else:
                obj = objs[eid]
                assert etp == obj_fte(obj), (eid, etp)
                assert rate == Decimal(str(objectives[eid])).quantize(Decimal(1), rounding="ROUND_HALF_UP"), (eid, rate)
                item = obj
            checked["ETP"] += 1
            checked["TauxAvancement"] += 1
            for role, ref in (("Responsable", item.admin_owner), ("Mandataire", item.political_owners[0] if item.political_owners else None)):
                person_el = el.find(role)
                if ref is None:
                    assert person_el is None
                    continue
                person = plan.people[ref]
                assert person_el.findtext("Civilite") == CIV[person.civility.value]
                assert person_el.findtext("Nom") == person.last_name and person_el.findtext("Prenom") == person.first_name
                checked["Civilite"] += 1
    assert all(checked.values()), checked


def test_objective_progress_is_the_rolled_up_figure_not_zero(exported):
    root = exported["la-louviere"]["ville"]
    rates = {el.get("ElementId"): el.findtext("TauxAvancement") for el in root.iter("ObjectifStrategique")}
    rollup = compute(_load(PLANS / "la-louviere").plan, DAY)
    o1 = next(r for r in rollup.objectives if r.objective.id == "O1")
    assert rates["O1"] == str(round(o1.progress)) and rates["O1"] != "0"


def test_civilities_come_from_the_people_registry(exported):
    root = exported["la-louviere"]["cpas"]
    mandataires = {el.findtext("Nom"): el.findtext("Civilite") for el in root.iter("Mandataire")}
    assert mandataires["Carlier"] == "MADAME"
    ville = exported["la-louviere"]["ville"]
    civ = {el.findtext("Nom"): el.findtext("Civilite") for el in ville.iter("Responsable")}
    assert civ["Wiaux"] == "MONSIEUR" and civ["Lambert"] == "MADAME"
    assert set(civ.values()) == {"MONSIEUR", "MADAME"}  # not MONSIEUR for everyone


# --- budget ---------------------------------------------------------------------------------


def test_budget_articles(exported):
    root = exported["la-louviere"]["ville"]
    [a14] = [a for a in root.iter("Action") if a.get("ElementId") == "A1.4"]
    arts = [{c.tag: c.text for c in art} for art in a14.iter("Article")]
    assert arts == [
        {"Exercice": "2025", "Service": "E", "Type": "D", "CodeArticle": "875/741-52", "Libelle": arts[0]["Libelle"], "Montant": "40000"},
        {"Exercice": "2027", "Service": "E", "Type": "D", "CodeArticle": "875/741-52", "Libelle": arts[1]["Libelle"], "Montant": "25000"},
    ]
    assert arts[0]["Libelle"].startswith("Cadastre des besoins")


def test_a_shared_action_splits_its_budget_between_city_and_cpas(exported):
    def projection(org: str) -> dict[str, str]:
        el = next(a for a in exported["la-louviere"][org].iter("Action") if a.findtext("Libelle").startswith("Créer un logement d'urgence"))
        return {ex.get("Valeur"): ex.findtext("Montant") for ex in el.iter("Exercice")}

    assert projection("ville") == {"2026": "264000"}  # 60 % of 350 000 + 90 000
    assert projection("cpas") == {"2026": "176000"}  # 40 %


# --- levels, labels -------------------------------------------------------------------------


def test_a_two_level_plan_repeats_each_objective_as_its_operational_objective(exported):
    root = exported["la-louviere"]["ville"]
    for os_el in root.iter("ObjectifStrategique"):
        [oo] = os_el.findall("ObjectifsOperationnels/ObjectifOperationnel")
        assert oo.get("ElementId") == os_el.get("ElementId") and oo.findtext("Libelle") == os_el.findtext("Libelle")


def test_three_levels_map_to_strategic_and_operational(exported):
    root = exported["plan-strategique"]["ville"]
    assert "L1" in {e.get("ElementId") for e in root.iter("ObjectifStrategique")}
    assert "L1.1" in {e.get("ElementId") for e in root.iter("ObjectifOperationnel")}


def _copy(name: str, tmp_path: Path) -> Path:
    dest = tmp_path / name
    shutil.copytree(PLANS / name, dest)
    return dest


def test_a_long_title_is_cut_at_255_with_a_warning(tmp_path):
    plan = _copy("plan-strategique", tmp_path)
    f = plan / "objectives" / "6-image.yaml"
    text = f.read_text(encoding="utf-8")
    first_title = next(line for line in text.splitlines() if line.startswith("title:"))
    f.write_text(text.replace(first_title, "title: " + "Très long intitulé " * 20, 1), encoding="utf-8")
    result = _export(plan, tmp_path / "pst.xml")
    assert result.returncode == 0, result.stderr
    assert "F702" in result.stderr and "6-image.yaml:" in result.stderr
    root = ET.parse(tmp_path / "pst-ville.xml").getroot()
    assert max(len(e.text or "") for e in root.iter("Libelle")) == 255


# --- refusals: nothing written --------------------------------------------------------------


def _refused(plan: Path, tmp_path: Path, *needles: str) -> str:
    out = tmp_path / "out"
    out.mkdir()
    result = _export(plan, out / "pst.xml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert list(out.iterdir()) == [], "a file was written"
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    return result.stderr


def test_missing_ins_code_is_refused_with_its_place(tmp_path):
    plan = _copy("plan-strategique", tmp_path)
    p = plan / "plan.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace(', ins_code: "58001"}', "}", 1), encoding="utf-8")
    _refused(plan, tmp_path, "plan.yaml:", "F701", "code INS")


def test_a_civility_eComptes_cannot_express_is_refused(tmp_path):
    plan = _copy("plan-strategique", tmp_path)
    p = plan / "people.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("{id: rmassart, civility: mr", "{id: rmassart, civility: mx"), encoding="utf-8")
    err = _refused(plan, tmp_path, "people.yaml:", "F703", "mx")
    assert "Massart" in err


def test_missing_fte_without_default_is_refused(tmp_path):
    plan = _copy("plan-strategique", tmp_path)
    p = plan / "plan.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("  fte: 0 ", "  # fte: 0 "), encoding="utf-8")
    _refused(plan, tmp_path, "F706", "1-grh.yaml:")


def test_too_many_levels_is_refused(tmp_path):
    plan = _copy("plan-strategique", tmp_path)
    p = plan / "plan.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("levels: [Levier de progrès,", "levels: [Axe, Levier de progrès,"), encoding="utf-8")
    assert _refused(plan, tmp_path)  # F709 (and the objectives' levels) stop the export


def test_without_transmission_the_export_still_checks_everything(tmp_path):
    plan = _copy("plan-strategique", tmp_path)
    p = plan / "plan.yaml"
    text = p.read_text(encoding="utf-8").replace("transmission: {ecomptes: true}", "").replace(', ins_code: "58001"}', "}")
    p.write_text(text, encoding="utf-8")
    assert feuille("lint", plan, "--as-of", AS_OF).returncode == 0  # lint is quiet: the plan does not say it is transmitted
    _refused(plan, tmp_path, "F701", "plan.yaml:")


# --- import ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["la-louviere", "plan-strategique"])
def test_round_trip_export_import_export_is_identical(name, tmp_path):
    assert _export(PLANS / name, tmp_path / "a.xml").returncode == 0
    result = feuille("import", tmp_path / "a-ville.xml", tmp_path / "a-cpas.xml", tmp_path / "back")
    assert result.returncode == 0, result.stderr
    assert feuille("lint", tmp_path / "back", "--as-of", AS_OF).returncode == 0
    assert _export(tmp_path / "back", tmp_path / "b.xml").returncode == 0
    for org in ("ville", "cpas"):
        assert (tmp_path / f"a-{org}.xml").read_bytes() == (tmp_path / f"b-{org}.xml").read_bytes()
    # and field by field, for what the format carries
    before, after = _load(PLANS / name).plan, _load(tmp_path / "back").plan
    for aid, (a, _o) in before.action_index().items():
        b = after.action_index()[aid][0]
        assert (b.title, b.description, b.planned_start, b.planned_end, b.partners, b.plans) == (a.title, a.description, a.planned_start, a.planned_end, a.partners, a.plans)
        assert action_status(b) == action_status(a)
        assert b.fte == (a.fte if a.fte is not None else before.meta.defaults.fte)
        assert _budget(b) == _budget(a)  # projections carry one amount per (service, type, group, label, year)
        assert {s.objective: s.percent for s in b.serves} == {s.objective: s.percent for s in a.serves}
        for role in ("admin_owner",):
            pa, pb = before.people.get(getattr(a, role)), after.people.get(getattr(b, role))
            assert (pa is None) == (pb is None)
            if pa:
                assert (pb.civility, pb.last_name, pb.first_name) == (pa.civility, pa.last_name, pa.first_name)


def _budget(action: Action) -> dict[tuple, Decimal]:
    out: dict[tuple, Decimal] = {}
    for x in action.budget:
        key = (x.year, x.service, x.type, x.article, x.label, x.economic_group)
        out[key] = out.get(key, Decimal(0)) + x.amount
    return out


def _import(tmp_path: Path, content: bytes, name: str = "in.xml"):
    src = tmp_path / name
    src.write_bytes(content)
    dest = tmp_path / "plan"
    result = feuille("import", src, dest)
    assert result.returncode != 0
    assert not dest.exists(), "something was written"
    assert "Traceback" not in result.stderr
    return result.stderr


def test_import_refuses_xml_that_is_not_ecomptes(tmp_path):
    assert "pas un fichier eComptes" in _import(tmp_path, b"<?xml version='1.0'?><rss><channel/></rss>")


def test_import_refuses_another_version(tmp_path, exported):
    data = ET.tostring(exported["plan-strategique"]["ville"]).replace(b"201805V1", b"202401V2")
    assert "version « 202401V2 »" in _import(tmp_path, data)


def test_import_refuses_a_truncated_file(tmp_path, exported):
    data = ET.tostring(exported["plan-strategique"]["ville"])
    assert "tronqué" in _import(tmp_path, data[: len(data) // 2])


def test_import_refuses_a_billion_laughs(tmp_path):
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<dataroot>&lol3;</dataroot>"""
    assert "entités XML" in _import(tmp_path, bomb)


def test_import_refuses_an_external_entity_and_reads_nothing_outside(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET")
    xxe = f"""<?xml version="1.0"?>
<!DOCTYPE dataroot [<!ENTITY xxe SYSTEM "file://{secret}">]>
<dataroot><Identifiants><Id>&xxe;</Id></Identifiants></dataroot>""".encode()
    err = _import(tmp_path, xxe)
    assert "entité externe" in err and "MOT-DE-PASSE-SECRET" not in err


def test_import_refuses_a_file_it_does_not_know(tmp_path):
    assert "sait importer" in _import(tmp_path, b"id;titre\n1;x\n", name="plan.ods")  # a .csv is a spreadsheet now (issue 12)
    assert "pas du XML valide" in _import(tmp_path, b"id;titre\n1;x\n", name="plan2.xml")


def test_import_refuses_to_write_into_an_existing_plan(tmp_path):
    assert _export(PLANS / "plan-strategique", tmp_path / "a.xml").returncode == 0
    target = _copy("la-louviere", tmp_path)
    before = sorted(p.name for p in target.rglob("*"))
    result = feuille("import", tmp_path / "a-ville.xml", target)
    assert result.returncode == 1 and "contient déjà un plan" in result.stderr
    assert sorted(p.name for p in target.rglob("*")) == before


def test_import_of_another_tools_file_keeps_what_fits_and_says_what_changed(tmp_path, exported):
    """Ids such as « OS 1 » (not a feuille id) are renamed and listed; the plan lints without error."""
    root = exported["plan-strategique"]["cpas"]
    data = ET.tostring(root).replace(b'ElementId="L4"', b'ElementId="OS 4"').replace(b'ElementId="L4.1"', b'ElementId="OO 4/1"')
    src = tmp_path / "autre.xml"
    src.write_bytes(data)
    result = feuille("import", src, tmp_path / "plan")
    assert result.returncode == 0, result.stderr
    assert "« OS 4 » → OS-4" in result.stderr and "« OO 4/1 » → OO-4-1" in result.stderr
    lint = feuille("lint", tmp_path / "plan", "--as-of", AS_OF)
    assert lint.returncode == 0, lint.stdout


# --- the user's language ---------------------------------------------------------------------


def _import_both(tmp_path: Path, content: bytes, name: str = "in.xml") -> tuple[str, str]:
    """The refusal of an import, in French (the default) and in English (--lang en, after the command or before it)."""
    src = tmp_path / name
    src.write_bytes(content)
    fr = feuille("import", src, tmp_path / "plan-fr")
    en = feuille("import", src, tmp_path / "plan-en", "--lang", "en")
    before = feuille("--lang", "en", "import", src, tmp_path / "plan-en")
    assert fr.returncode == en.returncode == before.returncode == 1, (fr.stderr, en.stderr)
    assert en.stderr == before.stderr
    assert not (tmp_path / "plan-fr").exists() and not (tmp_path / "plan-en").exists()
    return fr.stderr, en.stderr


def test_import_refusals_of_an_xml_file_in_french_and_in_english(tmp_path, exported):
    fr, en = _import_both(tmp_path, b"<?xml version='1.0'?><rss><channel/></rss>", "rss.xml")
    assert (f"feuille : « {tmp_path / 'rss.xml'} » est un fichier XML, mais pas un fichier eComptes (il commence par <rss>, pas par <dataroot> et ses "
            "<Identifiants>). Rien n'a été écrit.\n  feuille import lit les exports eComptes du PST (version 201805V1).") in fr
    assert (f"feuille: '{tmp_path / 'rss.xml'}' is an XML file, but not an eComptes file (it starts with <rss>, not with <dataroot> and its <Identifiants>). "
            "Nothing was written.\n  feuille import reads the eComptes exports of the PST (version 201805V1).") in en

    data = ET.tostring(exported["plan-strategique"]["ville"])
    fr, en = _import_both(tmp_path, data.replace(b"201805V1", b"202401V2"), "v2.xml")
    assert f"« {tmp_path / 'v2.xml'} » est un fichier eComptes de type « PST », version « 202401V2 » ; feuille lit la version 201805V1 du PST." in fr
    assert "Demandez à l'outil d'origine un export PST au format 201805V1." in fr
    assert f"'{tmp_path / 'v2.xml'}' is an eComptes file of type 'PST', version '202401V2'; feuille reads version 201805V1 of the PST." in en
    assert "Ask the original tool for a PST export in the 201805V1 format." in en

    fr, en = _import_both(tmp_path, data[: len(data) // 2], "cut.xml")
    assert re.search(r"cut\.xml » : le fichier s'arrête avant la fin \(ligne \d+, colonne \d+\) : il est tronqué \(téléchargement ou copie "
                     r"interrompu \?\)\. Rien n'a été écrit\.", fr), fr
    assert re.search(r"cut\.xml': the file stops before its end \(line \d+, column \d+\): it is truncated \(an interrupted download or copy\?\)\. "
                     "Nothing was written.", en), en

    fr, en = _import_both(tmp_path, b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY lol "lol">]>\n<dataroot>&lol;</dataroot>', "bomb.xml")
    assert f"« {tmp_path / 'bomb.xml'} » : le fichier déclare des entités XML (« lol ») : c'est ainsi que sont faites les « bombes »" in fr
    assert f"'{tmp_path / 'bomb.xml'}': the file declares XML entities ('lol'): this is how the 'bombs' that fill the memory are made" in en

    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET")
    fr, en = _import_both(tmp_path, f'<?xml version="1.0"?>\n<!DOCTYPE dataroot [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                                    f"<dataroot>&xxe;</dataroot>".encode(), "xxe.xml")
    assert f"le fichier déclare une entité externe (« xxe » vers « file://{secret} ») : feuille ne lit rien hors du fichier" in fr
    assert f"the file declares an external entity ('xxe' to 'file://{secret}'): feuille reads nothing outside the file" in en
    assert "MOT-DE-PASSE-SECRET" not in fr + en

    fr, en = _import_both(tmp_path, b"id;titre\n1;x\n", "texte.xml")
    assert f"« {tmp_path / 'texte.xml'} » : le fichier n'est pas du XML valide (ligne 1, colonne 2) : not well-formed (invalid token): line 1, column 2. Rien n'a été écrit." in fr
    assert f"'{tmp_path / 'texte.xml'}': the file is not valid XML (line 1, column 2): not well-formed (invalid token): line 1, column 2. Nothing was written." in en


def test_import_of_an_invalid_ecomptes_file_names_the_schema_errors_in_both_languages(tmp_path, exported):
    root = exported["plan-strategique"]["ville"]
    data = ET.tostring(root).replace(b"<Statut>", b"<Statut>X", 1)
    fr, en = _import_both(tmp_path, data, "faux.xml")
    assert "faux.xml » n'est pas valide selon le schéma eComptes 201805V1 :\n  /dataroot/" in fr and "Statut : " in fr
    assert "faux.xml' is not valid against the eComptes schema 201805V1:\n  /dataroot/" in en and "Statut: " in en


def test_import_notes_in_the_users_language(tmp_path, exported):
    root = exported["plan-strategique"]["cpas"]
    data = ET.tostring(root).replace(b'ElementId="L4"', b'ElementId="OS 4"')
    src = tmp_path / "autre.xml"
    src.write_bytes(data)
    fr = feuille("import", src, tmp_path / "fr")
    en = feuille("import", src, tmp_path / "en", "--lang", "en")
    assert fr.returncode == en.returncode == 0, (fr.stderr, en.stderr)
    assert "1 identifiant repris sous une forme que feuille accepte (lettres, chiffres, . _ -) : « OS 4 » → OS-4." in fr.stderr
    assert "À compléter : le nom des organisations" in fr.stderr
    assert f"plan créé : {tmp_path / 'fr'} (" in fr.stdout and "Vérifiez-le avec : feuille lint" in fr.stdout
    assert "1 id taken in a form feuille accepts (letters, digits, . _ -): 'OS 4' → OS-4." in en.stderr
    assert "To complete: the name of the organisations (eComptes only gives the type and the INS code)" in en.stderr
    assert f"plan created: {tmp_path / 'en'} (" in en.stdout and "Check it with: feuille lint" in en.stdout
    # an eComptes plan is a Walloon (French) plan whatever the user speaks: its files say so in French, as its locale does
    assert (tmp_path / "en" / "plan.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=schema/plan.schema.json\n# Importé par")
    import yaml

    made = yaml.safe_load((tmp_path / "en" / "plan.yaml").read_text(encoding="utf-8"))
    assert made["locale"] == "fr-BE" and made["levels"][-1] == "Action" and made["levels"][0].startswith("Objectif")
    for path in (tmp_path / "en").rglob("*.yaml"):  # every file feuille wrote: the comment in the plan's language, never the user's
        assert "\n# Importé par feuille import.\n" in path.read_text(encoding="utf-8") and "Imported by" not in path.read_text(encoding="utf-8"), path


def test_export_refusal_and_notes_in_the_users_language(tmp_path):
    plan = _copy("plan-strategique", tmp_path)
    p = plan / "plan.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace(', ins_code: "58001"}', "}", 1), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    fr = _export(plan, out / "pst.xml", "--allow-errors")
    en = _export(plan, out / "pst.xml", "--allow-errors", "--lang", "en")
    assert fr.returncode == en.returncode == 1 and list(out.iterdir()) == []
    assert ("feuille : le plan ne peut pas être transmis en eComptes : 1 valeur exigée manque ou ne convient pas. Aucun fichier "
            "n'est écrit.\n  Corrigez ces points dans les fichiers du plan ; feuille lint les montre aussi quand plan.yaml demande l'envoi "
            "à eComptes (transmission: {ecomptes: true}).") in fr.stderr
    assert "erreur F701  ville « Ville de La Louvière »" in fr.stderr and "  conseil : eComptes identifie" in fr.stderr
    assert ("feuille: the plan cannot be sent in eComptes: 1 required value is missing or does not fit. No file is written.\n"
            "  Correct these points in the plan's files (feuille lint shows them too when plan.yaml says 'transmission: {ecomptes: true}').") in en.stderr
    assert "error F701  ville 'Ville de La Louvière'" in en.stderr and "  hint: eComptes names each file" in en.stderr
    ok_fr = _export(PLANS / "la-louviere", tmp_path / "a.xml")
    ok_en = _export(PLANS / "la-louviere", tmp_path / "b.xml", "--lang", "en")
    assert ok_fr.returncode == ok_en.returncode == 0
    assert "feuille : exercice 2026, 2 fichiers : Ville de La Louvière (AC, INS 58001), CPAS de La Louvière (CPAS, INS 58001)." in ok_fr.stderr
    assert "fixez-le dans plan.yaml (transmission: {year: ...})" in ok_fr.stderr and "plan à un niveau d'objectifs" in ok_fr.stderr
    assert "feuille: financial year 2026, 2 files: Ville de La Louvière (AC, INS 58001), CPAS de La Louvière (CPAS, INS 58001)." in ok_en.stderr
    assert "set it with 'transmission: {year: ...}'." in ok_en.stderr and "plan with one level of objectives" in ok_en.stderr
