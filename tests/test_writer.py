"""The one writer: nothing lost, nothing misplaced, all or nothing (issue « Nothing lost, nothing executed »)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feuille.io import transaction as tx
from feuille.io.cache import digest
from feuille.io.edit import EditError, set_key, write
from feuille.pipeline import LoadOptions, load_path

EXAMPLE = Path(__file__).parent.parent / "plans" / "la-louviere"
AS_OF = dt.date(2026, 7, 1)
OBJ = "objectives/02-securite.yaml"

BASE = """# yaml-language-server: $schema=../../../schema/objective.schema.json
# Commentaire : ne pas toucher.
id: O2
title: Sécurité   # titre court
actions:
  - id: A2.1
    title: Caméras de surveillance
    status: ongoing
  - id: A2.2  # deuxième
    title: Éclairage des parkings
    status: not_started
"""


@pytest.fixture
def root(tmp_path):
    dest = tmp_path / "plan"
    shutil.copytree(EXAMPLE, dest)
    return dest


def load(root):
    return load_path(root, AS_OF, options=LoadOptions(use_cache=False)).plan


def mark(plan, **values):
    """``mark(plan, A2_1=1)``: the changes for set_key (None removes the key)."""
    index = {**{a.id: a for a, _o in plan.actions()}, **plan.objective_index()}
    return {ident.replace("_", "."): (index[ident.replace("_", ".")], v) for ident, v in values.items()}


def edit(root, content: bytes, rel: str = OBJ, **values) -> bytes:
    target = root / rel
    target.write_bytes(content)
    plan = load(root)
    write(set_key(plan, mark(plan, **values)))
    return target.read_bytes()


def leftovers(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob(".*") if ".feuille" in p.name)


# --- 1. a priority never lands on the wrong action -------------------------------------------------


SWAP = """id: O2
title: Sécurité
actions:
  - id: A2.1
    title: Caméras
    status: ongoing
  - id: A2.3
    title: Lumière
    status: ongoing
"""


def test_case1_blocks_swapped_after_loading_are_refused(root):
    f = root / OBJ
    f.write_text(SWAP, encoding="utf-8")
    plan = load(root)
    changes = mark(plan, A2_1=1)
    a, b = SWAP.index("  - id: A2.1"), SWAP.index("  - id: A2.3")
    swapped = SWAP[:a] + SWAP[b:] + SWAP[a:b]
    assert len(swapped.encode()) == len(SWAP.encode())
    f.write_text(swapped, encoding="utf-8")
    with pytest.raises(EditError) as exc:
        set_key(plan, changes)
    assert OBJ in str(exc.value)
    assert f.read_text(encoding="utf-8") == swapped


def test_case1_without_digests_the_id_at_the_place_is_checked(root):
    f = root / OBJ
    f.write_text(SWAP, encoding="utf-8")
    plan = load(root)
    plan.digests.clear()  # as if the plan came from somewhere without digests
    changes = mark(plan, A2_1=1)
    a, b = SWAP.index("  - id: A2.1"), SWAP.index("  - id: A2.3")
    swapped = SWAP[:a] + SWAP[b:] + SWAP[a:b]
    f.write_text(swapped, encoding="utf-8")
    with pytest.raises(EditError) as exc:
        set_key(plan, changes)
    assert OBJ in str(exc.value) and "A2.1" in str(exc.value) and "A2.3" in str(exc.value)
    assert f.read_text(encoding="utf-8") == swapped


def test_case1_blocks_swapped_between_edit_and_write_are_refused(root):
    f = root / OBJ
    f.write_text(SWAP, encoding="utf-8")
    plan = load(root)
    edits = set_key(plan, mark(plan, A2_1=1))
    a, b = SWAP.index("  - id: A2.1"), SWAP.index("  - id: A2.3")
    swapped = SWAP[:a] + SWAP[b:] + SWAP[a:b]
    f.write_text(swapped, encoding="utf-8")
    with pytest.raises(EditError) as exc:
        write(edits)
    assert OBJ in str(exc.value)
    assert f.read_text(encoding="utf-8") == swapped
    assert leftovers(root) == []


def test_case1_the_right_action_gets_its_priority(root):
    out = edit(root, SWAP.encode(), A2_3=2).decode()
    assert "  - id: A2.3\n    priority: 2\n    title: Lumière\n" in out
    assert out.count("priority") == 1


# --- 2. several files: all or nothing ---------------------------------------------------------------

FILES = ["objectives/02-securite.yaml", "objectives/03-economie-emploi.yaml", "objectives/04-logement.yaml"]


def _three_edits(root):
    plan = load(root)
    changes = {}
    for rel in FILES:
        item = next(a for a, _o in plan.actions() if plan.origin(a)[0] == rel and a.priority is None)
        changes[item.id] = (item, 7)
    edits = set_key(plan, changes)
    assert len(edits) == 3
    return edits


def test_case2_an_io_error_on_the_second_file_leaves_every_file_as_it_was(root, monkeypatch):
    edits = _three_edits(root)
    before = {rel: (root / rel).read_bytes() for rel in FILES}
    real = os.replace
    calls = []

    def failing(src, dst):
        if str(dst).endswith(".yaml"):
            calls.append(dst)
        if len(calls) == 2 and str(dst) == str(calls[-1]):
            raise OSError(5, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(tx.os, "replace", failing)
    with pytest.raises(EditError) as exc:
        write(edits)
    monkeypatch.setattr(tx.os, "replace", real)
    message = str(exc.value)
    assert {rel: (root / rel).read_bytes() for rel in FILES} == before
    assert f"{FILES[0]} : restauré" in message
    assert f"{FILES[1]} : inchangé" in message and f"{FILES[2]} : inchangé" in message
    assert "sur " in message and FILES[1] in message.splitlines()[0]
    english = exc.value.msg("en")  # the same message in the reader's language
    assert english.startswith("the write failed (on ") and "): disk input/output error. The plan was left as it was:\n" in english
    assert FILES[1] in english.splitlines()[0]
    assert f"{FILES[0]}: restored" in english and f"{FILES[1]}: unchanged" in english
    assert leftovers(root) == []


def test_case2_an_error_while_staging_changes_nothing(root, monkeypatch):
    edits = _three_edits(root)
    before = {rel: (root / rel).read_bytes() for rel in FILES}

    def full(step, i):
        if step == "temp" and i == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("feuille.io.edit.Transaction", lambda r: _Hooked(r, full))  # where write() finds it
    with pytest.raises(EditError) as exc:
        write(edits)
    assert "disque plein" in str(exc.value)
    assert {rel: (root / rel).read_bytes() for rel in FILES} == before
    assert leftovers(root) == []


class _Hooked(tx.Transaction):
    def __init__(self, root, hook):
        super().__init__(root, _hook=hook)


STEPS = [("journal", 0), ("temp", 0), ("backup", 0), ("temp", 1), ("backup", 1), ("temp", 2), ("backup", 2), ("commit-mark", 0),
         ("replace", 0), ("replace", 1), ("replace", 2), ("committed-mark", 0), ("cleanup", 0)]


@pytest.mark.parametrize("step", STEPS, ids=lambda s: f"{s[0]}-{s[1]}")
def test_case2_killed_at_each_step_the_next_run_recovers(root, step):
    edits = _three_edits(root)
    before = {rel: (root / rel).read_bytes() for rel in FILES}
    after = {str(e.path.relative_to(root)): e.after for e in edits}

    def kill(name, i):
        if (name, i) == step:
            raise tx._Crash()

    t = tx.Transaction(root, _hook=kill)
    for e in edits:
        t.add(e.path, e.after, before=e.digest, shown=e.shown)
    with pytest.raises(tx._Crash):
        t.commit()
    outcome = tx.recover(root)
    now = {rel: (root / rel).read_bytes() for rel in FILES}
    if step == ("cleanup", 0):  # the journal said « committed »: completed
        assert now == after
        assert {what for _f, what in outcome} == {tx.CHANGED}
    else:  # rolled back
        assert now == before
        assert {what for _f, what in outcome} <= {tx.UNCHANGED, tx.RESTORED}
        replaced = step[1] if step[0] == "replace" else 3 if step == ("committed-mark", 0) else 0
        assert [w for _f, w in outcome].count(tx.RESTORED) == replaced
    assert leftovers(root) == []
    assert not (root / tx.JOURNAL).exists()
    assert tx.recover(root) == []


def test_case2_a_real_kill_between_two_renames_is_rolled_back_by_the_next_write(root):
    edits = _three_edits(root)
    before = {rel: (root / rel).read_bytes() for rel in FILES}
    script = root.parent / "kill.py"
    payload = root.parent / "payload"
    payload.mkdir()
    for i, e in enumerate(edits):
        (payload / str(i)).write_bytes(e.after)
    script.write_text(f"""
import os, sys
from pathlib import Path
from feuille.io.transaction import Transaction
from feuille.io.cache import digest
root = Path({str(root)!r})
files = {[str(e.path) for e in edits]!r}
def hook(name, i):
    if (name, i) == ("replace", 2):
        os._exit(9)
t = Transaction(root, _hook=hook)
for i, f in enumerate(files):
    t.add(Path(f), Path({str(payload)!r}, str(i)).read_bytes(), before=digest(Path(f).read_bytes()))
t.commit()
""", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    assert (root / tx.JOURNAL).exists()
    assert (root / FILES[0]).read_bytes() != before[FILES[0]]  # two of three files replaced
    # the next run, whatever the command, puts the plan right before reading it
    loaded = load_path(root, dt.date(2026, 7, 1), options=LoadOptions(use_cache=False))
    assert "interrompue" in loaded.recovered("fr") and f"{FILES[0]} : restauré" in loaded.recovered("fr")
    assert loaded.recovered("en").startswith("an earlier write had been interrupted; the plan was put back in order:")
    assert f"{FILES[0]}: restored" in loaded.recovered("en")
    assert {rel: (root / rel).read_bytes() for rel in FILES} == before
    assert not (root / tx.JOURNAL).exists()
    assert leftovers(root) == []
    # and a write can go on from there
    write(set_key(loaded.plan, {"A2.1": (loaded.plan.action_index()["A2.1"][0], 3)}))
    assert "priority: 3" in (root / "objectives" / "02-securite.yaml").read_text(encoding="utf-8")
    plan = load(root)
    item = plan.action_index()["A2.1"][0]
    write(set_key(plan, {"A2.1": (item, 3)}))
    assert "priority: 3" in (root / FILES[0]).read_text(encoding="utf-8")


def test_case2_a_second_writer_is_kept_out_while_one_is_live(root):
    edits = _three_edits(root)
    host = __import__("socket").gethostname()
    (root / tx.JOURNAL).write_text(f'{{"version": 1, "state": "staging", "pid": {os.getppid()}, "host": "{host}", "files": []}}', encoding="utf-8")
    with pytest.raises(EditError) as exc:
        write(edits)
    assert "autre écriture est en cours" in str(exc.value)
    (root / tx.JOURNAL).unlink()


# --- 3. fidelity, byte for byte -----------------------------------------------------------------------

INSERTED = BASE.replace("  - id: A2.1\n", "  - id: A2.1\n    priority: 1\n")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["", "BOM"])
def test_case3_line_ends_and_bom_are_kept(root, newline, bom):
    content = bom + BASE.replace("\n", newline).encode()
    out = edit(root, content, A2_1=1)
    assert out == bom + INSERTED.replace("\n", newline).encode()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_case3_no_final_newline_stays_so(root, newline):
    base = BASE.replace("  - id: A2.2  # deuxième\n    title: Éclairage des parkings\n    status: not_started\n",
                        "  - title: Éclairage des parkings\n    id: A2.2\n").rstrip("\n")
    out = edit(root, base.replace("\n", newline).encode(), A2_2=2)
    assert out == (base + "\n    priority: 2").replace("\n", newline).encode()
    # and removing it again gives back the very same bytes
    out = edit(root, out, A2_2=None)
    assert out == base.replace("\n", newline).encode()


def test_case3_value_replaced_in_place_keeps_its_comment(root):
    content = INSERTED.replace("priority: 1", "priority: 4   # voté le 3 mars").encode()
    out = edit(root, content, A2_1=1)
    assert out == INSERTED.replace("priority: 1", "priority: 1   # voté le 3 mars").encode()


def test_case3_flow_style(root):
    content = BASE.replace("  - id: A2.1\n    title: Caméras de surveillance\n    status: ongoing\n",
                           "  - {id: A2.1, title: Caméras de surveillance, status: ongoing}\n")
    out = edit(root, content.encode(), A2_1=1)
    assert out == content.replace("{id: A2.1, ", "{id: A2.1, priority: 1, ").encode()
    assert edit(root, out, A2_1=None) == content.encode()


def test_case3_odd_indentation(root):
    content = BASE.replace("  - id: A2.1\n    title: Caméras de surveillance\n    status: ongoing\n",
                           "     -   id: A2.1\n         title: Caméras de surveillance\n         status: ongoing\n")
    content = content.replace("  - id: A2.2  # deuxième\n    title: Éclairage des parkings\n    status: not_started\n",
                              "     -   id: A2.2  # deuxième\n         title: Éclairage des parkings\n         status: not_started\n")
    out = edit(root, content.encode(), A2_1=1)
    assert out == content.replace("     -   id: A2.1\n", "     -   id: A2.1\n         priority: 1\n").encode()


def test_case3_objective_itself(root):
    out = edit(root, BASE.encode(), O2=3)
    assert out == BASE.replace("id: O2\n", "id: O2\npriority: 3\n").encode()


def test_case3_a_symlinked_file_stays_a_link_and_its_target_is_written(root, tmp_path):
    (tmp_path / ".git").mkdir()  # the plan and the file the link leads to are in one repository: the link is read (io/links.py)
    outside = tmp_path / "ailleurs" / "02.yaml"
    outside.parent.mkdir()
    outside.write_text(BASE, encoding="utf-8")
    link = root / OBJ
    link.unlink()
    link.symlink_to(outside)
    plan = load(root)
    write(set_key(plan, mark(plan, A2_1=1)))
    assert link.is_symlink() and Path(os.readlink(link)) == outside
    assert outside.read_text(encoding="utf-8") == INSERTED
    assert sorted(p.name for p in outside.parent.iterdir()) == ["02.yaml"]


def test_case3_a_read_only_file_is_refused(root):
    f = root / OBJ
    f.write_text(BASE, encoding="utf-8")
    plan = load(root)
    edits = set_key(plan, mark(plan, A2_1=1))
    f.chmod(0o444)
    try:
        with pytest.raises(EditError) as exc:
            write(edits)
    finally:
        mode = f.stat().st_mode & 0o777
        f.chmod(0o644)
    assert "lecture seule" in str(exc.value) and OBJ in str(exc.value)
    assert f.read_text(encoding="utf-8") == BASE and mode == 0o444
    assert leftovers(root) == []


def test_case3_file_mode_is_kept(root):
    f = root / OBJ
    f.write_text(BASE, encoding="utf-8")
    f.chmod(0o640)
    plan = load(root)
    write(set_key(plan, mark(plan, A2_1=1)))
    assert f.stat().st_mode & 0o777 == 0o640
    assert f.read_text(encoding="utf-8") == INSERTED


def test_case3_the_real_example_file_changes_by_one_line(root):
    f = root / "objectives" / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"
    before = f.read_text(encoding="utf-8")
    plan = load(root)
    edits = set_key(plan, mark(plan, A1_4=9))
    added = [line for line in edits[0].diff().splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added == ["+priority: 9"]
    assert write(edits) == [(str(root / "objectives" / "01-cadre-de-vie" / "A1.4-mobilier-urbain.yaml"), tx.CHANGED)]
    after = f.read_text(encoding="utf-8")
    assert [line for line in after.splitlines() if line not in before.splitlines()] == ["priority: 9"]


def test_recover_keeps_the_original_of_a_file_removed_since(root):
    edits = _three_edits(root)

    def kill(name, i):
        if (name, i) == ("replace", 1):
            raise tx._Crash()

    t = tx.Transaction(root, _hook=kill)
    for e in edits:
        t.add(e.path, e.after, before=e.digest, shown=e.shown)
    original = (root / FILES[0]).read_bytes()
    with pytest.raises(tx._Crash):
        t.commit()
    (root / FILES[0]).unlink()
    with pytest.raises(tx.TransactionError) as exc:
        tx.recover(root)
    outcome = dict(exc.value.outcome)
    assert outcome[str(root / FILES[0])]("fr").startswith("absent") and "supprimez" in str(exc.value)
    assert outcome[str(root / FILES[0])]("en").startswith("missing; the original is kept in") and "then delete" in exc.value.msg("en")
    [backup] = [p for p in (root / "objectives").glob(".02-securite.yaml.feuille-*.bak")]
    assert backup.read_bytes() == original
    assert (root / tx.JOURNAL).exists()  # kept: the next run says it again
    with pytest.raises(EditError):
        write(edits)


def test_unchanged_digest_is_recorded_in_the_edit(root):
    plan = load(root)
    [e] = set_key(plan, mark(plan, A1_4=9))
    assert e.digest == digest(e.before) == plan.digests[str(e.path.relative_to(root))]
