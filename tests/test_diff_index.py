"""``diff`` of two revisions from the indexes of their files (io/itemindex.py, app/diff.py): only the items whose
digests differ are built, and the output is the very one of the whole reading (``--no-cache``), cold, warm, with
damaged indexes, in every format and both languages; a revision with anything wrong is always read whole."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from _cli import feuille
from _plans import edit, git, plan_of
from feuille.app import diff as versions
from feuille.core.run import Run
from feuille.io import built, itemindex

TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def cache() -> Path:
    return Path(os.environ["FEUILLE_CACHE_DIR"])


def _block(path: Path, ident: str) -> str:
    """The YAML block of the action ``ident`` in an objective file, cut out of it."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {ident}\n")
    end = text.find("\n  - id: ", start + 1)
    end = len(text) if end < 0 else end + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return text[start:end]


@pytest.fixture
def history(repo: Path) -> Path:
    """The four commits of the example's history, then five more: people, plan title and a sub-action; folders of
    objectives (an action file moved into a new one and into a sub-folder); an action's id taken by an objective; an id
    taken twice; a value the model refuses."""
    root = plan_of(repo)
    obj = root / "objectives"
    edit(root / "people.yaml", "first_name: P., last_name: Frasca,", "first_name: P., last_name: Frasca-Lenoir,")
    edit(root / "plan.yaml", "title: Déclaration de politique communale 2024-2030", "title: Déclaration de politique communale 2024-2030 (révisée)")
    edit(obj / "01-cadre-de-vie" / "A1.1-cadastre-lieux.yaml", "    status: ongoing\n    progress: 40", "    status: done\n    progress: 100")
    git(repo, "commit", "-qam", "Personnes, titre, sous-action", when="2026-01-02T10:00:00+01:00")

    folder = obj / "01-cadre-de-vie"
    (obj / "11-nouveau").mkdir()
    (obj / "11-nouveau" / "objective.yaml").write_text("id: O11\ntitle: Un objectif en dossier\n", encoding="utf-8")
    git(repo, "mv", str(folder / "A1.6-quartiers-propres.yaml"), str(obj / "11-nouveau" / "A1.6-quartiers-propres.yaml"))
    (folder / "sous").mkdir()
    (folder / "sous" / "objective.yaml").write_text("id: O1.9\ntitle: Un sous-objectif en dossier\n", encoding="utf-8")
    git(repo, "mv", str(folder / "A1.3-besoins-materiels.yaml"), str(folder / "sous" / "A1.3-besoins-materiels.yaml"))
    edit(folder / "A1.5-nettoyage-proximite.yaml", "progress: 35", "progress: 45")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Dossiers", when="2026-01-03T10:00:00+01:00")

    block = _block(obj / "09-animations.yaml", "A9.2")
    assert "title:" in block
    (obj / "12-niveau.yaml").write_text("id: A9.2\ntitle: Une action devenue objectif\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Niveau", when="2026-01-04T10:00:00+01:00")

    edit(obj / "04-logement.yaml", "id: A4.1", "id: A2.1")  # an id taken twice: one is left out (F301)
    git(repo, "commit", "-qam", "Doublon", when="2026-01-05T10:00:00+01:00")

    edit(obj / "04-logement.yaml", "id: A2.1", "id: A4.1")
    edit(obj / "05-action-sociale.yaml", "status: ongoing", "status: nowhere")  # refused by the model: a finding
    git(repo, "commit", "-qam", "Valeur refusée", when="2026-01-06T10:00:00+01:00")
    return root


def _diff(root: Path, a: str, b: str, *extra: str) -> tuple[str, str]:
    r = feuille("diff", a, b, "--plan", str(root), *extra)
    assert r.returncode == 0, r.stderr
    return r.stdout, r.stderr


PAIRS = [(f"HEAD~{i + 1}", f"HEAD~{i}") for i in range(8)] + [("HEAD~8", "HEAD~2"), ("HEAD~2", "HEAD~8"), ("HEAD~5", "HEAD~3"), ("HEAD~3", "HEAD~6")]
SHAPES = [("--format", "json"), ("--format", "text", "--lang", "en"), ("--format", "markdown"), ("--format", "text")]


def _indexed(root: Path, cache: Path, a: str, b: str) -> bool:
    """Whether ``diff a b`` is answered from the indexes."""
    compared = versions.revisions(Run(today=TODAY, cache_dir=cache), root, a, b)
    return compared.indexed is not None


def test_the_same_output_as_the_whole_reading_cold_warm_and_from_the_indexes(history, cache):
    without = {(a, b, s): _diff(history, a, b, *s, "--no-cache") for a, b in PAIRS for s in SHAPES[:1]}
    without |= {("HEAD~8", "HEAD~2", s): _diff(history, "HEAD~8", "HEAD~2", *s, "--no-cache") for s in SHAPES}
    assert not (cache / "index").exists()  # --no-cache: nothing kept
    cold = {key: _diff(history, *key[:2], *key[2]) for key in without}
    warm = {key: _diff(history, *key[:2], *key[2]) for key in without}
    assert cold == warm == without
    assert {k[:2] for k in without if not warm[k][1]} >= {("HEAD~8", "HEAD~7"), ("HEAD~6", "HEAD~5")}  # clean pairs: no warning
    assert all("A2.1" in warm[k][1] for k in without if "HEAD~1" in k[:2] and "HEAD~0" not in k[:2])  # the duplicate, said
    # what the pairs show: a rename, a move across objective folders and into a sub-folder, a level change, people
    assert '"kind": "file"' in without[("HEAD~8", "HEAD~7", SHAPES[0])][0]
    moved = without[("HEAD~4", "HEAD~3", SHAPES[0])][0]
    assert '"old": "O1",\n          "new": "O11"' in moved and '"new": "O1.9"' in moved
    level = without[("HEAD~3", "HEAD~2", SHAPES[0])][0]
    assert '"kind": "removed",\n          "level": "action",\n          "id": "A9.2"' in level and '"kind": "added",\n          "level": "objective",\n          "id": "A9.2"' in level
    assert "Frasca-Lenoir" in without[("HEAD~8", "HEAD~2", SHAPES[3])][0]


def test_clean_revisions_are_compared_from_the_indexes_and_the_others_read_whole(history, cache):
    assert not _indexed(history, cache, "HEAD~8", "HEAD~2")  # nothing indexed yet: read whole, then indexed
    assert _indexed(history, cache, "HEAD~8", "HEAD~2")
    assert _indexed(history, cache, "HEAD~2", "HEAD~8")  # every file of these revisions was indexed by the first run
    assert not _indexed(history, cache, "HEAD~2", "HEAD~1")  # an id taken twice
    assert not _indexed(history, cache, "HEAD~2", "HEAD~1")
    assert not _indexed(history, cache, "HEAD~2", "HEAD")  # a value refused
    assert not _indexed(history, cache, "HEAD~2", None)  # the working tree: read whole
    run = Run(today=TODAY, cache_dir=cache).with_options(no_cache=True)
    assert versions.revisions(run, history, "HEAD~8", "HEAD~2").indexed is None


def test_items_kept_built_by_an_earlier_history_are_indexed_without_reading_the_files(history, cache):
    assert feuille("log", "A2.1", "--plan", str(history)).returncode == 0  # keeps every clean file built (io/built.py)
    assert not (cache / "index").exists()
    assert not _indexed(history, cache, "HEAD~8", "HEAD~7")  # the plan and people files are read whole once
    assert _indexed(history, cache, "HEAD~8", "HEAD~7")


def test_only_the_items_whose_digests_differ_are_built(history, cache, monkeypatch):
    _diff(history, "HEAD~7", "HEAD~6")
    built_items = []
    real = itemindex.build
    monkeypatch.setattr(itemindex, "build", lambda data: built_items.append(x := real(data)) or x)
    compared = versions.revisions(Run(today=TODAY, cache_dir=cache), history, "HEAD~7", "HEAD~6")
    assert compared.indexed is not None
    changes = compared.changes().changes
    added = {c.item for c in changes if c.kind == "added"}
    changed = {c.item for c in changes if c.kind not in ("file", "moved")} - added
    assert added == {"A2.9"} and changed == {"A2.1", "A2.3", "A3.1"}  # retitled, status, owner (A2.2 only moved)
    assert sorted(x.id for x in built_items) == sorted(2 * list(changed))  # both versions of each, and nothing else


def _index_files(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "index").glob("*/*") if not p.name.startswith("."))


def test_damaged_or_missing_indexes_only_mean_reading_whole_again(history, cache):
    key = ("HEAD~8", "HEAD~2", SHAPES[0])
    expected = _diff(history, *key[:2], *key[2], "--no-cache")
    assert _diff(history, *key[:2], *key[2]) == expected
    files = _index_files(cache)
    heads = [p for p in files if p.suffix in (".objective", ".action")]
    payloads = [p for p in files if p.name.endswith("-items")]
    assert heads and payloads and {p.suffix for p in files} >= {".plan", ".people"}
    heads[0].write_bytes(heads[0].read_bytes()[:40])  # truncated
    heads[1].write_bytes(os.urandom(300))  # foreign
    for p in payloads:  # every payload damaged, one removed: the changed items cannot be built
        data = bytearray(p.read_bytes())
        data[-3] ^= 0xFF
        p.write_bytes(bytes(data))
    payloads[0].unlink()
    assert _diff(history, *key[:2], *key[2]) == expected
    assert _indexed(history, cache, *key[:2])  # indexed again
    assert _diff(history, *key[:2], *key[2]) == expected


def test_another_stamp_or_format_is_never_read(history, cache, monkeypatch):
    _diff(history, "HEAD~8", "HEAD~2")
    assert _indexed(history, cache, "HEAD~8", "HEAD~2")
    monkeypatch.setattr(itemindex, "FORMAT", itemindex.FORMAT + 1)
    assert not _indexed(history, cache, "HEAD~8", "HEAD~2")
    assert _indexed(history, cache, "HEAD~8", "HEAD~2")
    monkeypatch.setattr(built, "_stamp", "another-feuille")
    assert not _indexed(history, cache, "HEAD~8", "HEAD~2")
    assert (cache / "index" / "another-feuille").is_dir()


def test_the_digest_is_the_same_in_any_process_and_differs_with_any_field(plan):
    from feuille.pipeline import LoadOptions, load_path

    loaded = load_path(plan, TODAY, options=LoadOptions(use_cache=False, rules="none"))
    action = loaded.plan.objectives[1].actions[0]
    records, _payloads = itemindex.records(action)
    again, _ = itemindex.records(itemindex.build(itemindex.payload(action)))
    assert records == again  # built back from its payload: the same record, digest included
    assert itemindex.records(built.loads(built.dumps(action)))[0] == records  # read back built (its shared empty lists): the same
    other = action.model_copy(update={"progress": (action.progress or 0) + 1})
    assert itemindex.records(other)[0][0][4] != records[0][4]
    copy = shutil.copytree(plan, plan.parent / "copy")
    code = "from pathlib import Path; import datetime as dt; from feuille.pipeline import LoadOptions, load_path; from feuille.io import itemindex; " \
           f"p = load_path(Path({str(copy)!r}), dt.date(2026, 1, 15), options=LoadOptions(use_cache=False, rules='none')).plan; " \
           "print(itemindex.records(p.objectives[1].actions[0])[0][0][4].hex())"
    import subprocess
    import sys

    for seed in ("1", "2"):  # another hash seed: sets iterate in another order, the digest stays
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        assert out.stdout.strip() == records[0][4].hex()
