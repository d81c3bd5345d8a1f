"""Items built from git blobs are kept across runs (io/built.py): the same outputs with the cache cold, warm, damaged or off."""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
from pathlib import Path

import pytest

from _cli import feuille
from _plans import edit, git, plan_of
from feuille import pipeline
from feuille.app.history import load_commit
from feuille.io import built
from feuille.io.cache import _secret
from feuille.io.git import Repo

COMMANDS = (
    ("log", "A2.1", "--format", "json"),
    ("diff", "HEAD~3", "HEAD", "--format", "json"),
    ("status", "--trend", "--since", "2025-01-31", "--every", "month", "--format", "json"),
    ("status", "--as-of", "2025-03-31", "--format", "json"),  # one past revision, read alone
)


def _run(root: Path, args: tuple[str, ...], *extra: str) -> str:
    if args[0] == "status":
        r = feuille("status", str(root), *args[1:], *extra)
    else:
        r = feuille(*args, "--plan", str(root), *extra)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout


def _files(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "built").glob("*/*") if not p.name.startswith("."))


def _outputs(root: Path) -> list[str]:
    return [_run(root, args) for args in COMMANDS]


@pytest.fixture
def cache() -> Path:
    return Path(os.environ["FEUILLE_CACHE_DIR"])


def test_outputs_are_the_same_cold_warm_damaged_and_without_cache(repo, cache):
    root = plan_of(repo)
    edit(root / "objectives" / "04-logement.yaml", "id: A4.1", "id: A2.1")  # a duplicate id across files
    edit(root / "objectives" / "05-action-sociale.yaml", "status: ongoing", "status: nowhere")  # a value the model refuses
    git(repo, "commit", "-qam", "doublon", when="2025-07-01T10:00:00+02:00")
    refused = git(repo, "rev-parse", "HEAD:plan/objectives/05-action-sociale.yaml").strip()
    without = [_run(root, args, "--no-cache") for args in COMMANDS]
    assert not (cache / "built").exists()  # --no-cache: nothing kept
    cold = _outputs(root)
    kept = _files(cache)
    blobs = [p for p in kept if len(p.stem) == 40]  # (the working tree's files, read by status, are kept by content digest)
    assert len(blobs) > 10 and {p.suffix for p in blobs} == {".objective", ".action"}
    assert not any(p.name.startswith(refused) for p in kept)  # a file with findings is never kept built
    warm = _outputs(root)
    assert cold == warm == without
    # damaged in every way a file can be: truncated, emptied, overwritten, signed but foreign; each is rebuilt
    damaged = kept[:4]
    damaged[0].write_bytes(damaged[0].read_bytes()[:40])
    damaged[1].write_bytes(b"")
    damaged[2].write_bytes(os.urandom(300))
    data = bytearray(damaged[3].read_bytes())
    data[-5] ^= 0xFF  # one byte of the payload: its digest no longer matches
    damaged[3].write_bytes(bytes(data))
    assert _outputs(root) == without
    for p in damaged:
        assert p.read_bytes()[:8] == built.MAGIC and len(p.read_bytes()) > 100  # written again, whole


def test_a_second_run_validates_nothing_it_kept(repo, cache):
    root = plan_of(repo)
    r = Repo.open(root)
    commits = [c.id for c in reversed(r.commits())]
    first = pipeline.Reuse()
    plans = [load_commit(r, c, True, dt.date(2026, 1, 1), first).plan for c in commits]
    first.close()
    assert first.stored == 0
    second = pipeline.Reuse()
    again = [load_commit(r, c, True, dt.date(2026, 1, 1), second).plan for c in commits]
    second.close()
    r.close()
    files = len(plans[0].files) - 2  # plan.yaml and people.yaml are read, never kept built
    assert second.stored >= files  # the first revision's files all came from the disk, the next ones from memory
    for a, b in zip(plans, again, strict=True):
        assert [o.model_dump(mode="json") for o in a.objectives] == [o.model_dump(mode="json") for o in b.objectives]
        assert a.origins == b.origins and a.personal_files == b.personal_files and a.sets_visibility == b.sets_visibility
        for x, y in zip(a.walk(), b.walk(), strict=True):
            assert x[0].model_fields_set == y[0].model_fields_set
            for p, q in zip(x[0].actions, y[0].actions, strict=True):
                assert p.model_fields_set == q.model_fields_set and p.__dict__ == q.__dict__


def _signed(cache: Path, payload: bytes) -> bytes:
    import hashlib

    return built.MAGIC + hashlib.blake2b(payload, digest_size=16, key=_secret(cache)).digest() + payload


def test_a_signed_file_naming_anything_but_items_is_refused(cache):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    store = built.BuiltStore(cache)
    folder = cache / "built" / built.stamp()
    folder.mkdir(parents=True)
    target = folder / ("a" * 40 + ".action")
    fh = io.BytesIO()
    pickle.Pickler(fh, protocol=5).dump(Evil())
    target.write_bytes(_signed(cache, fh.getvalue()))
    assert store.get("a" * 40, "action") is None
    assert not target.exists()  # removed: the next run builds it again


def test_only_known_roles_and_blob_ids_name_files(cache):
    store = built.BuiltStore(cache)
    for blob, role in (("../x", "action"), ("", "action"), ("a" * 129, "action"), ("ab", "site"), ("a/b", "objective")):
        store.put(blob, role, [1])
        assert store.get(blob, role) is None
    store.save()
    assert not (cache / "built").exists()


def test_the_folder_stays_within_its_bounds(cache, monkeypatch):
    monkeypatch.setattr(built, "MAX_FILES", 3)
    store = built.BuiltStore(cache)
    old = cache / "built" / "an-older-feuille"
    old.mkdir(parents=True)
    (old / ("f" * 40 + ".action")).write_bytes(b"x")
    os.utime(old / ("f" * 40 + ".action"), (1, 1))  # the least recently used: removed first
    for i in range(4):
        store.put(f"{i:040d}", "action", [i])
    store.save()
    left = _files(cache)
    assert len(left) == 3 and all(p.parent.name == built.stamp() for p in left)
    assert store.get(f"{3:040d}", "action") == [3]


def test_another_stamp_is_never_read(cache, monkeypatch):
    store = built.BuiltStore(cache)
    store.put("b" * 40, "objective", ["kept"])
    store.save()
    assert built.BuiltStore(cache).get("b" * 40, "objective") == ["kept"]
    monkeypatch.setattr(built, "_stamp", "another-feuille")
    assert built.BuiltStore(cache).get("b" * 40, "objective") is None


def test_an_unwritable_cache_folder_only_means_building_again(repo, tmp_path):
    root = plan_of(repo)
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    args = COMMANDS[1]
    expected = _run(root, args, "--no-cache")
    r = feuille(*args, "--plan", str(root), env={"FEUILLE_CACHE_DIR": str(blocked / "cache")})
    assert r.returncode == 0 and r.stdout == expected


# --- the working tree: its files kept built by content digest ----------------------------------------------------

TREE_COMMANDS = (
    ("prioritise", "{root}", "--format", "json"),
    ("show", "A2.1", "--plan", "{root}"),
    ("lint", "{root}", "--format", "json"),
    ("status", "{root}", "--format", "json", "--as-of", "2026-06-30"),
)


def _tree_outputs(root: Path, *extra: str) -> list[str]:
    out = []
    for args in TREE_COMMANDS:
        r = feuille(*(a.format(root=root) for a in args), *extra, env={"FEUILLE_RESULT_CACHE": "off"})  # the plan loaded each time
        assert r.returncode in (0, 1), r.stderr
        out.append(r.stdout)
    return out


def test_the_working_tree_is_kept_built_from_its_second_reading(plan, cache):
    """A file parsed for the first time (a cold run) is not kept built (no pickling in a cold lint); read again from
    the parse cache and built with no finding, it is kept by its content digest with the plan file and the people
    file; later runs take it built. The outputs are those of a run without any cache, also once a file is edited."""
    import time

    old = time.time() - 60
    for path in [plan, *plan.rglob("*")]:
        os.utime(path, (old, old))
    time.sleep(2.1)  # the copy's ctime out of the racy window: the parse cache trusts the files' stat
    without = _tree_outputs(plan, "--no-cache")
    first = _tree_outputs(plan)
    kept = _files(cache)
    assert {p.suffix for p in kept} == {".plan", ".people", ".objective", ".action"}
    assert all(len(p.stem) == 32 for p in kept)  # content digests (git blob ids have 40 or 64 digits)
    assert _tree_outputs(plan) == first == without
    loaded = pipeline.load_path(plan, dt.date(2026, 6, 30))
    fresh = pipeline.load_path(plan, dt.date(2026, 6, 30), options=pipeline.LoadOptions(use_cache=False))
    assert not loaded.parsed and fresh.parsed  # nothing parsed: every file taken built
    assert loaded.plan.meta == fresh.plan.meta and loaded.plan.people == fresh.plan.people and loaded.plan.services == fresh.plan.services
    assert [o.model_dump(mode="json") for o in loaded.plan.objectives] == [o.model_dump(mode="json") for o in fresh.plan.objectives]
    assert loaded.plan.origins == fresh.plan.origins and [d.code for d in loaded.diagnostics] == [d.code for d in fresh.diagnostics]
    # an edited file is built again; the others are still taken built
    target = plan / "objectives" / "02-securite.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("status: ongoing", "status: on_hold", 1), encoding="utf-8")
    expected = _tree_outputs(plan, "--no-cache")
    assert expected != without
    assert _tree_outputs(plan) == expected
    # damaged files are built again, never an error
    for p in _files(cache)[:3]:
        p.write_bytes(b"")
    assert _tree_outputs(plan) == expected


def test_a_file_with_a_finding_is_never_kept_built(plan, cache):
    (plan / "people.yaml").write_text((plan / "people.yaml").read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")
    for _ in range(3):
        feuille("lint", str(plan), "--no-cache")
        feuille("prioritise", str(plan))
    assert ".people" not in {p.suffix for p in _files(cache)} and ".plan" in {p.suffix for p in _files(cache)}
