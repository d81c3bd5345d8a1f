"""The writer's structural edits: set any field, insert an absent one at its place, block scalars,
list appends, new items and new files; only the intended lines differ, byte for byte."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest

from feuille.core.model import Action, BudgetLine, Measurement, Objective
from feuille.io.edit import Change, EditError, add_item, change_item, field_order, new_file, write
from feuille.io.transaction import CHANGED, CREATED
from feuille.pipeline import LoadOptions, load_path

EXAMPLE = Path(__file__).parent.parent / "plans" / "la-louviere"
AS_OF = dt.date(2026, 11, 30)
ORDER = field_order(Action)
OBJ = "objectives/02-securite.yaml"


@pytest.fixture
def root(tmp_path):
    dest = tmp_path / "plan"
    shutil.copytree(EXAMPLE, dest)
    return dest


def load(root):
    return load_path(root, AS_OF, options=LoadOptions(use_cache=False)).plan


def edit(root, content: bytes, ident: str, *changes: Change, rel: str = OBJ) -> bytes:
    (root / rel).write_bytes(content)
    plan = load(root)
    item = {**{a.id: a for a, _o in plan.actions()}, **plan.objective_index()}[ident]
    write([change_item(plan, item, list(changes))])
    return (root / rel).read_bytes()


def changed_lines(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    """(lines removed, lines added), each with its line break."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


BASE = """# yaml-language-server: $schema=../../../schema/objective.schema.json
# Commentaire : ne pas toucher.
id: O2
title: Sécurité   # titre court
actions:
  - id: A2.1
    title: Caméras de surveillance  # commentaire
    planned_end: 2027-06-30
    status: ongoing   # statut
    progress: 30
    budget:
      - {amount: 1000, year: 2026}
    # fin de A2.1
  - id: A2.2  # deuxième
    title: Éclairage des parkings
    status: not_started
"""


def S(key, value, at=(), order=ORDER):
    return Change("set", key, value, at, order)


def A(key, value, at=(), order=ORDER):
    return Change("append", key, value, at, order)


def test_a_scalar_is_replaced_in_place_and_its_comment_kept(root):
    before = BASE.encode()
    after = edit(root, before, "A2.1", S("status", "done"), S("progress", 100))
    assert changed_lines(before, after) == (
        [b"    status: ongoing   # statut\n", b"    progress: 30\n"],
        [b"    status: done   # statut\n", b"    progress: 100\n"])


def test_an_absent_field_goes_after_the_field_before_it_in_the_model(root):
    before = BASE.encode()
    after = edit(root, before, "A2.1", S("actual_start", dt.date(2026, 1, 5)), S("health", "at_risk"), S("health_note", "Retard du fournisseur."))
    removed, added = changed_lines(before, after)
    assert removed == []
    assert added == [b"    actual_start: 2026-01-05\n", b"    health: at_risk\n", b"    health_note: Retard du fournisseur.\n"]
    text = after.decode()
    assert text.index("planned_end") < text.index("actual_start") < text.index("status:")
    assert text.index("progress") < text.index("health:") < text.index("budget:")


def test_long_texts_become_block_scalars_in_the_item_indentation(root):
    long = "Le marché a été attribué ; les caméras du centre sont posées, celles des quartiers attendent le raccordement au réseau."
    after = edit(root, BASE.encode(), "A2.1", S("achieved", long), S("notes", "Première ligne\nSeconde ligne"))
    text = after.decode()
    assert "    achieved: >-\n      Le marché" in text
    assert "    notes: |-\n      Première ligne\n      Seconde ligne\n" in text
    plan = load(root)
    action = plan.action_index()["A2.1"][0]
    assert action.achieved == long and action.notes == "Première ligne\nSeconde ligne"


def test_a_block_scalar_is_replaced_whole(root):
    rel = "objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml"
    before = (root / rel).read_bytes()
    after = edit(root, before, "A1.1", S("achieved", "Cartographie terminée."), rel=rel)
    removed, added = changed_lines(before, after)
    assert removed[0] == b"achieved: >-\n" and len(removed) == 4
    assert added == [b"achieved: Cartographie termin\xc3\xa9e.\n"]


def test_appends_to_block_and_flow_lists_keep_their_style(root):
    before = BASE.encode()
    after = edit(root, before, "A2.1", A("budget", {"amount": 5000, "year": 2027, "source": "fonds propres"}), A("tags", "caméras"))
    removed, added = changed_lines(before, after)
    assert removed == []
    assert added == [b"      - {amount: 5000, year: 2027, source: fonds propres}\n",
                     "    tags: [caméras]\n".encode()]
    assert after.decode().index("tags:") < after.decode().index("# fin de A2.1")  # the comment closing the item stays after it
    after2 = edit(root, after, "A2.1", A("tags", "sécurité"))
    assert changed_lines(after, after2) == (["    tags: [caméras]\n".encode()], ["    tags: [caméras, sécurité]\n".encode()])


def test_a_field_of_a_list_item_and_a_measurement(root):
    rel = "objectives/01-cadre-de-vie/A1.1-cadastre-lieux.yaml"
    before = (root / rel).read_bytes()
    after = edit(root, before, "A1.1", S("spent", 9000, ("budget", 1), tuple(BudgetLine.model_fields)),
                 A("measurements", {"date": dt.date(2026, 11, 2), "value": 90}, ("indicators", 0), tuple(Measurement.model_fields)), rel=rel)
    removed, added = changed_lines(before, after)
    line = next(x for x in before.splitlines(keepends=True) if b"year: 2026" in x)
    assert removed == [line]
    assert added[0].replace(b", spent: 9000", b"") == line and b", article: 875/124-02, spent: 9000" in added[0]
    assert added[1:] == [b"      - {date: 2026-11-02, value: 90}\n"]


def test_crlf_bom_and_no_final_break_are_kept(root):
    before = b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode()[:-2]
    after = edit(root, before, "A2.2", S("status", "ongoing"), S("actual_start", dt.date(2026, 2, 1)), S("remaining", "x " * 60))
    assert after.startswith(b"\xef\xbb\xbf") and not after.endswith(b"\n")
    assert b"\n" not in after.replace(b"\r\n", b"")
    removed, added = changed_lines(before, after)
    assert removed == [b"    status: not_started"]
    assert added[0] == b"    actual_start: 2026-02-01\r\n" and added[1] == b"    status: ongoing\r\n"
    assert added[2] == b"    remaining: >-\r\n"


def test_flow_style_items(root):
    content = ("id: O2\ntitle: Sécurité\nactions:\n  - {id: A2.1, title: Caméras, status: ongoing}  # en ligne\n"
               "  - {id: A2.2, title: Éclairage}\n").encode()
    after = edit(root, content, "A2.1", S("progress", 40), S("status", "on_hold"), A("tags", "caméras"))
    assert changed_lines(content, after) == (
        ["  - {id: A2.1, title: Caméras, status: ongoing}  # en ligne\n".encode()],
        ["  - {id: A2.1, title: Caméras, status: on_hold, progress: 40, tags: [caméras]}  # en ligne\n".encode()])


def test_odd_indentation(root):
    content = ("id: O2\ntitle: Sécurité\nactions:\n-   id: A2.1\n    title: Caméras\n    status: ongoing\n"
               "-   id: A2.2\n    title: Éclairage\n").encode()
    after = edit(root, content, "A2.2", S("status", "done"), S("achieved", "Tous les parkings sont éclairés depuis le printemps, y compris celui de la gare et du stade."))
    removed, added = changed_lines(content, after)
    assert removed == []
    assert added[0] == b"    status: done\n" and added[1] == b"    achieved: >-\n" and added[2].startswith(b"      Tous")


def test_a_new_action_in_an_objective_file_and_a_new_file(root):
    plan = load(root)
    o4 = plan.objective_index()["O4"]
    before = (root / "objectives/04-logement.yaml").read_bytes()
    e = add_item(plan, o4, "actions", {"id": "A4.3", "title": "Nouvelle action", "political_owners": ["nhenrard"], "status": "not_started"}, tuple(Objective.model_fields))
    f = new_file(plan, "objectives/01-cadre-de-vie/A1.7-essai.yaml", {"id": "A1.7", "title": "Essai", "planned_end": dt.date(2026, 12, 31)},
                 "# yaml-language-server: $schema=../../../../schema/action.schema.json\n")
    outcome = write([e, f])
    assert outcome == [(e.shown, CHANGED), (f.shown, CREATED)]
    assert [what("fr") for _s, what in outcome] == ["modifié", "créé"] and [what("en") for _s, what in outcome] == ["changed", "created"]
    removed, added = changed_lines(before, (root / "objectives/04-logement.yaml").read_bytes())
    assert removed == []
    assert added[:2] == [b"  - id: A4.3\n", b"    title: Nouvelle action\n"]
    assert (root / "objectives/01-cadre-de-vie/A1.7-essai.yaml").read_text() == (
        "# yaml-language-server: $schema=../../../../schema/action.schema.json\nid: A1.7\ntitle: Essai\nplanned_end: 2026-12-31\n")
    plan = load(root)
    assert {"A4.3", "A1.7"} <= set(plan.action_index())


def test_the_file_changed_since_it_was_read_is_refused(root):
    (root / OBJ).write_bytes(BASE.encode())
    plan = load(root)
    item = plan.action_index()["A2.1"][0]
    e = change_item(plan, item, [S("status", "done")])
    (root / OBJ).write_bytes(BASE.replace("Caméras", "Cameras").encode())
    with pytest.raises(EditError, match="modifié pendant"):  # between the edit and the write
        write([e])
    with pytest.raises(EditError, match="modifié depuis la lecture"):  # between the read and the edit
        change_item(plan, item, [S("status", "done")])
    assert (root / OBJ).read_bytes() == BASE.replace("Caméras", "Cameras").encode()


def test_a_new_file_that_appeared_meanwhile_is_not_overwritten(root):
    plan = load(root)
    f = new_file(plan, "objectives/01-cadre-de-vie/A1.7-essai.yaml", {"id": "A1.7", "title": "Essai"})
    (root / "objectives/01-cadre-de-vie/A1.7-essai.yaml").write_text("id: X\n")
    with pytest.raises(EditError, match="existe déjà"):
        write([f])
    assert (root / "objectives/01-cadre-de-vie/A1.7-essai.yaml").read_text() == "id: X\n"


def test_quotes_are_kept_and_a_block_list_becomes_a_flow_list_on_its_key_line(root):
    content = ('id: O2\ntitle: S\nactions:\n- id: A2.1\n  title: "Caméras"\n  political_owners:\n  - asabbatini\n  - nhenrard\n'
               '  achieved: \'Posées\'\n  status: ongoing\n').encode()
    after = edit(root, content, "A2.1", S("title", "Caméras du centre"), S("achieved", "Posées : 12"), S("political_owners", ["bwiaux"]))
    assert changed_lines(content, after) == (
        ['  title: "Caméras"\n'.encode(), b"  political_owners:\n", b"  - asabbatini\n", b"  - nhenrard\n", b"  achieved: 'Posees'\n".replace(b"Posees", "Posées".encode())],
        ['  title: "Caméras du centre"\n'.encode(), b"  political_owners: [bwiaux]\n", "  achieved: 'Posées : 12'\n".encode()])


def test_anchors_and_aliases_keep_their_place(root):
    content = b"id: O2\ntitle: S\npolitical_owners: &who [asabbatini]\nactions:\n- id: A2.1\n  title: C\n  political_owners: *who\n  status: ongoing\n"
    after = edit(root, content, "A2.1", S("progress", 50), S("title", "D"))
    assert changed_lines(content, after) == ([b"  title: C\n"], [b"  title: D\n", b"  progress: 50\n"])


def R(key, at=()):
    return Change("remove", key, None, at)


def test_a_removed_key_takes_its_whole_lines_and_nothing_else(root):
    before = BASE.replace("    progress: 30\n", "    progress: 30\n    remaining: >-\n      Deux lignes\n      de texte.\n").encode()
    after = edit(root, before, "A2.1", R("remaining"), R("planned_end"))
    assert changed_lines(before, after) == ([b"    planned_end: 2027-06-30\n", b"    remaining: >-\n", b"      Deux lignes\n", b"      de texte.\n"], [])
    assert b"    status: ongoing   # statut\n" in after and b"    # fin de A2.1\n" in after


def test_a_key_removed_from_a_flow_mapping_takes_one_comma(root):
    before = BASE.replace("{amount: 1000, year: 2026}", "{amount: 1000, spent: 200, year: 2026}").encode()
    after = edit(root, before, "A2.1", R("spent", ("budget", 0)))
    assert changed_lines(before, after)[1] == [b"      - {amount: 1000, year: 2026}\n"]
    after = edit(root, after, "A2.1", R("year", ("budget", 0)))  # the last entry: the comma before it goes
    assert b"      - {amount: 1000}\n" in after


def test_removing_an_absent_key_changes_nothing_and_the_last_key_of_a_block_is_refused(root):
    before = BASE.encode()
    assert edit(root, before, "A2.1", R("health")) == before
    with pytest.raises(EditError, match="seul champ"):
        edit(root, before, "A2.1", R("amount", ("budget", 0)), R("year", ("budget", 0)))
