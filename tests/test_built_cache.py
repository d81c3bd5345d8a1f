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
    assert len(kept) > 10 and {p.suffix for p in kept} == {".objective", ".action"}
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
    for blob, role in (("../x", "action"), ("", "action"), ("a" * 129, "action"), ("ab", "plan"), ("a/b", "objective")):
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
