"""The parse cache (feuille.io.cache): correct under any edit, robust to any file at its path."""

from __future__ import annotations

import hashlib
import marshal
import multiprocessing
import os
import random
import shutil
import stat
import sys
import time
from pathlib import Path

import pytest

from feuille.io import cache as cache_mod
from feuille.io.cache import FileCache, digest

EXAMPLE = Path(__file__).resolve().parent.parent / "plans" / "la-louviere"
SECURITE = "objectives/02-securite.yaml"


def load_plan(root: Path, cache_dir: Path | None):
    """Load ``root`` with the cache in ``cache_dir`` (None: no cache). The one place naming the loader."""
    import datetime as dt

    from feuille.pipeline import LoadOptions, load_path

    loaded = load_path(root, dt.date(2026, 7, 1), options=LoadOptions(use_cache=cache_dir is not None, cache_dir=cache_dir, rules="none"))
    return loaded.plan, loaded.diagnostics, dict.fromkeys(loaded.parsed)  # the files parsed in this run


def fingerprint(root: Path, cache_dir: Path | None) -> tuple:
    """Everything a command could see of the loaded plan."""
    plan, diags, _texts = load_plan(root, cache_dir)
    return (
        plan.meta.model_dump() if plan.meta else None,
        {k: v.model_dump() for k, v in plan.people.items()},
        {k: v.model_dump() for k, v in plan.services.items()},
        [o.model_dump() for o in plan.objectives],
        plan.files,
        plan.error_count,
        [(d.code, d.file, d.path, d.line, d.message("fr")) for d in diags],
    )


def progress_of(root: Path, cache_dir: Path | None, action_id: str) -> int | None:
    plan, _d, _t = load_plan(root, cache_dir)
    return plan.action_index()[action_id][0].progress


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    root = tmp_path / "plan"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def later(monkeypatch):
    """Run the cache's clock ``seconds`` ahead, so files written by the test are outside the racy window."""

    def shift(seconds: float) -> None:
        real = time.time_ns
        monkeypatch.setattr(cache_mod.time, "time_ns", lambda: real() + int(seconds * 1e9))

    return shift


def status(root: Path, cache_dir: Path) -> str:
    """The state of the cache file once fully verified (the values' digest is checked in a thread)."""
    c = FileCache(root, cache_dir)
    c.last_good("plan.yaml")  # waits for the verification of the values
    return c.status


def cache_file(root: Path, cache_dir: Path) -> Path:
    path = FileCache(root, cache_dir)._path
    assert path is not None
    return path


def first_action_with_progress(root: Path, rel: str, value: int) -> str:
    plan, _d, _t = load_plan(root, None)
    for action, _obj in plan.actions():
        if action.progress == value and plan.origin(action)[0] == rel:
            return action.id
    raise AssertionError(f"no action with progress {value} in {rel}")


def edit_keep_times(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (same size) and put the file's times back, as ``touch -r`` would."""
    before = path.stat()
    raw = path.read_bytes()
    assert raw.count(old) >= 1 and len(old) == len(new)
    path.write_bytes(raw.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


# --- stale data ------------------------------------------------------------------------


def test_touch_r_edit_is_seen_through_the_loader(plan_dir, cache_dir, later):
    later(10)  # the plan's files look old: the cache trusts their stat
    target = plan_dir / SECURITE
    time.sleep(0.05)  # let the coarse clock used for file times move on
    action = first_action_with_progress(plan_dir, SECURITE, 40)
    assert progress_of(plan_dir, cache_dir, action) == 40
    _plan, _d, texts = load_plan(plan_dir, cache_dir)
    assert texts == {}, "a warm run parses nothing"
    time.sleep(0.05)
    edit_keep_times(target, b"progress: 40", b"progress: 95")
    assert progress_of(plan_dir, cache_dir, action) == 95
    _plan, _d, texts = load_plan(plan_dir, cache_dir)
    assert texts == {} and progress_of(plan_dir, cache_dir, action) == 95


def test_touch_r_edit_right_after_a_run(plan_dir, cache_dir):
    """Real clock: a file edited within the racy window is always hashed."""
    action = first_action_with_progress(plan_dir, SECURITE, 40)
    for old, new in ((b"progress: 40", b"progress: 55"), (b"progress: 55", b"progress: 95"), (b"progress: 95", b"progress: 40")):
        load_plan(plan_dir, cache_dir)
        edit_keep_times(plan_dir / SECURITE, old, new)
        assert progress_of(plan_dir, cache_dir, action) == int(new.split()[-1])


def test_racy_window(tmp_path, cache_dir, later):
    root = tmp_path / "p"
    root.mkdir()
    f = root / "a.yaml"
    f.write_bytes(b"id: A\n")
    st = f.stat()
    c = FileCache(root, cache_dir)
    c.put("a.yaml", st, digest(b"id: A\n"), {"id": "A"})
    c.save()
    # a run just after: the file changed less than 2 s before its stat was taken, so its stat proves nothing
    c = FileCache(root, cache_dir)
    assert c.lookup_stat("a.yaml", st) is None
    values, dg = c.lookup_digest("a.yaml", st, f.read_bytes())
    assert values == {"id": "A"} and dg == digest(b"id: A\n")
    c.save()
    # the entry was re-verified in a run that started less than 2 s after the change: still racy
    assert FileCache(root, cache_dir).lookup_stat("a.yaml", st) is None
    later(10)
    c = FileCache(root, cache_dir)
    assert c.lookup_stat("a.yaml", st) is None  # its stat was still taken within the window
    assert c.lookup_digest("a.yaml", st, f.read_bytes())[0] == {"id": "A"}
    c.save()  # now seen 10 s after the change
    c = FileCache(root, cache_dir)
    assert c.lookup_stat("a.yaml", st) == {"id": "A"}
    assert c.digest_of("a.yaml") == digest(b"id: A\n")


def test_any_stat_field_change_means_hashing(tmp_path, cache_dir, later):
    later(10)
    root = tmp_path / "p"
    root.mkdir()
    f = root / "a.yaml"
    f.write_bytes(b"id: A\n")
    st = f.stat()
    c = FileCache(root, cache_dir)
    c.put("a.yaml", st, digest(b"id: A\n"), {"id": "A"})
    assert c.lookup_stat("a.yaml", st) == {"id": "A"}
    fields = list(st)
    for i in (stat.ST_SIZE, stat.ST_INO, stat.ST_DEV):
        other = fields.copy()
        other[i] += 1
        assert c.lookup_stat("a.yaml", os.stat_result(other)) is None
    # a replaced file (new inode, e.g. an editor saving by rename), same size and times
    g = root / "b.yaml"
    g.write_bytes(b"id: B\n")
    os.utime(g, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(g, f)
    assert c.lookup_stat("a.yaml", f.stat()) is None
    assert c.lookup_digest("a.yaml", f.stat(), f.read_bytes())[0] is None


# --- content-addressed values, last good, digest_of ------------------------------------


def test_broken_file_keeps_last_good_and_returns(plan_dir, cache_dir):
    target = plan_dir / SECURITE
    original = target.read_bytes()
    _plan, _d, _t = load_plan(plan_dir, cache_dir)
    flags, good = FileCache(plan_dir, cache_dir).last_good(SECURITE)  # the loader keeps [flags, values]
    assert good["id"] and len(good["actions"]) == 3
    target.write_bytes(original.replace(b"actions:", b"actions: [", 1))
    for _ in range(2):  # still there after a run that could not parse it, and the one after
        _plan, diags, _t = load_plan(plan_dir, cache_dir)
        assert any(d.code == "F101" for d in diags)
        c = FileCache(plan_dir, cache_dir)
        assert c.last_good(SECURITE) == [flags, good]
    # put back: served from the cache, not parsed again
    target.write_bytes(original)
    _plan, diags, texts = load_plan(plan_dir, cache_dir)
    assert SECURITE not in texts and not any(d.code == "F101" for d in diags)


def test_same_content_is_stored_once_and_found_under_any_name(tmp_path, cache_dir):
    root = tmp_path / "p"
    root.mkdir()
    raw = b"id: A\ntitle: T\n"
    for name in ("a.yaml", "b.yaml"):
        (root / name).write_bytes(raw)
    c = FileCache(root, cache_dir)
    dg = digest(raw)
    c.put("a.yaml", (root / "a.yaml").stat(), dg, {"id": "A", "title": "T"})
    values, dg2 = c.lookup_digest("b.yaml", (root / "b.yaml").stat(), raw)
    assert values == {"id": "A", "title": "T"} and dg2 == dg
    assert len(c._values) == 1
    c.save()
    c = FileCache(root, cache_dir)
    assert len(c._values) == 1 and len(c._index) == 2


def test_values_served_are_private_copies(tmp_path, cache_dir, later):
    later(10)
    root = tmp_path / "p"
    root.mkdir()
    (root / "a.yaml").write_bytes(b"x")
    st = (root / "a.yaml").stat()
    c = FileCache(root, cache_dir)
    data = {"id": "A", "actions": [{"id": "A1"}]}
    c.put("a.yaml", st, digest(b"x"), data)
    data["actions"].append("mutated after put")
    c.save()
    c = FileCache(root, cache_dir)
    got = c.lookup_stat("a.yaml", st)
    assert got == {"id": "A", "actions": [{"id": "A1"}]}
    got["actions"].clear()
    assert c.lookup_stat("a.yaml", st) == {"id": "A", "actions": [{"id": "A1"}]}
    assert c.last_good("a.yaml") == {"id": "A", "actions": [{"id": "A1"}]}


def test_a_file_changed_after_the_preload_is_not_served_stale(tmp_path, cache_dir, later):
    later(10)
    root = tmp_path / "p"
    root.mkdir()
    for name, text in (("a.yaml", b"id: A\n"), ("b.yaml", b"id: B\n")):
        (root / name).write_bytes(text)
        c = FileCache(root, cache_dir)
        c.put(name, (root / name).stat(), digest(text), {"id": text[4:5].decode()})
        c.save()
    c = FileCache(root, cache_dir)
    assert c.lookup_stat("b.yaml", (root / "b.yaml").stat()) == {"id": "B"}  # unmarshals every file's values
    (root / "a.yaml").write_bytes(b"id: Z\n")
    st = (root / "a.yaml").stat()
    assert c.lookup_stat("a.yaml", st) is None
    c.put("a.yaml", st, digest(b"id: Z\n"), {"id": "Z"})
    assert c.lookup_stat("a.yaml", st) in (None, {"id": "Z"})
    assert c.last_good("a.yaml") == {"id": "Z"}


def test_digest_of_follows_the_last_lookup(tmp_path, cache_dir):
    root = tmp_path / "p"
    root.mkdir()
    f = root / "a.yaml"
    f.write_bytes(b"id: A\n")
    c = FileCache(root, cache_dir)
    assert c.digest_of("a.yaml") is None
    values, dg = c.lookup_digest("a.yaml", f.stat(), b"id: A\n")
    assert values is None and c.digest_of("a.yaml") == dg == digest(b"id: A\n")
    c.put("a.yaml", f.stat(), dg, {"id": "A"})
    c.lookup_digest("a.yaml", f.stat(), b"id: B\n")  # the file now holds something that does not parse
    assert c.digest_of("a.yaml") == digest(b"id: B\n")
    assert c.last_good("a.yaml") == {"id": "A"}


def test_forget_except_keeps_values_as_spares(tmp_path, cache_dir):
    root = tmp_path / "p"
    root.mkdir()
    f = root / "a.yaml"
    f.write_bytes(b"id: A\n")
    c = FileCache(root, cache_dir)
    c.put("a.yaml", f.stat(), digest(b"id: A\n"), {"id": "A"})
    c.forget_except(set())
    c.save()
    c = FileCache(root, cache_dir)
    assert c.last_good("a.yaml") is None
    # the same content back under another name (a git checkout, a rename): not parsed again
    assert c.lookup_digest("b.yaml", f.stat(), b"id: A\n")[0] == {"id": "A"}


# --- git blobs and the bound on spares -------------------------------------------------


def test_blob_namespace(tmp_path, cache_dir):
    c = FileCache(tmp_path, cache_dir)
    blob_id = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
    assert c.lookup_blob(blob_id) is None
    c.put_blob(blob_id, {"id": "O1", "actions": [{"id": "A1", "progress": 55}]})
    c.save()
    c = FileCache(tmp_path, cache_dir)
    got = c.lookup_blob(blob_id)
    assert got == {"id": "O1", "actions": [{"id": "A1", "progress": 55}]}
    got["id"] = "changed"
    assert c.lookup_blob(blob_id)["id"] == "O1"
    # nonsense in, nothing out, nothing raised
    for bad in (None, 12, b"abc", "", "x" * 1000):
        assert c.lookup_blob(bad) is None
        c.put_blob(bad, {"id": "X"})
    c.put_blob("deadbeef", {"not": {1, 2}})  # not plain YAML data: not stored
    assert c.lookup_blob("deadbeef") is None
    # a blob id is not a file path: the namespaces are apart
    assert c.last_good(blob_id) is None


def test_spares_are_bounded_least_recently_used_first(tmp_path, cache_dir, later, monkeypatch):
    monkeypatch.setattr(cache_mod, "MAX_SPARE_ENTRIES", 5)
    for run in range(10):  # one blob per run, each run two hours after the last
        later(run * 7200)
        c = FileCache(tmp_path, cache_dir)
        c.put_blob(f"blob{run}", {"run": run})
        if run == 7:
            assert c.lookup_blob("blob1") == {"run": 1}  # used again: recent
        c.save()
    c = FileCache(tmp_path, cache_dir)
    kept = sorted(c._blobs)
    # run 9's own blob + the 5 most recently used before it: 8, 7, 1 (used at run 7), 6, 5
    assert kept == ["blob1", "blob5", "blob6", "blob7", "blob8", "blob9"]


def test_spares_bounded_by_size(tmp_path, cache_dir, later, monkeypatch):
    monkeypatch.setattr(cache_mod, "MAX_SPARE_BYTES", 3100)  # three blobs of ~1013 bytes
    for run in range(6):
        later(run * 7200)
        c = FileCache(tmp_path, cache_dir)
        c.put_blob(f"blob{run}", {"text": "x" * 1000})
        c.save()
    assert sorted(FileCache(tmp_path, cache_dir)._blobs) == ["blob2", "blob3", "blob4", "blob5"]


def test_values_of_the_plan_are_never_evicted(plan_dir, cache_dir, monkeypatch):
    monkeypatch.setattr(cache_mod, "MAX_SPARE_ENTRIES", 0)
    monkeypatch.setattr(cache_mod, "MAX_SPARE_BYTES", 0)
    load_plan(plan_dir, cache_dir)
    c = FileCache(plan_dir, cache_dir)
    plan, _d, _t = load_plan(plan_dir, None)
    assert len(c._index) == len(plan.files)
    assert all(c.last_good(rel) is not None for rel in plan.files)


# --- whatever sits at the cache's path -----------------------------------------------


def test_random_corruptions_never_change_the_plan(plan_dir, cache_dir):
    expected = fingerprint(plan_dir, None)
    assert fingerprint(plan_dir, cache_dir) == expected
    path = cache_file(plan_dir, cache_dir)
    pristine = path.read_bytes()
    assert status(plan_dir, cache_dir) == "loaded"
    rng = random.Random(20261130)
    rejected = 0
    for i in range(600):
        data = bytearray(pristine)
        kind = i % 6
        if kind == 0:  # flipped bits
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif kind == 1:  # truncated
            data = data[: rng.randrange(len(data))]
        elif kind == 2:  # a run of garbage
            at = rng.randrange(len(data))
            n = rng.randint(1, 200)
            data[at : at + n] = rng.randbytes(n)
        elif kind == 3:  # zeroed block (a torn write)
            at = rng.randrange(len(data))
            n = rng.randint(1, 4096)
            data[at : at + n] = bytes(len(data[at : at + n]))
        elif kind == 4:  # bytes inserted or appended
            at = rng.randrange(len(data) + 1)
            data[at:at] = rng.randbytes(rng.randint(1, 64))
        else:  # header fields only
            at = rng.randrange(cache_mod._HEADER.size)
            data[at] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        if status(plan_dir, cache_dir) != "loaded":
            rejected += 1
        assert fingerprint(plan_dir, cache_dir) == expected, f"corruption {i} (kind {kind}) changed the plan"
        assert status(plan_dir, cache_dir) == "loaded", f"corruption {i} was not repaired by the save"
    assert rejected == 600


def test_a_sealed_cache_skips_hashing_until_the_file_changes(plan_dir, cache_dir, later):
    """A verified cache file older than the racy window is sealed: later runs trust its stat and skip
    hashing its values (~10 ms per 10 MB); any write to it breaks the seal, then the digest decides."""
    expected = fingerprint(plan_dir, None)
    assert fingerprint(plan_dir, cache_dir) == expected  # writes the cache
    path = cache_file(plan_dir, cache_dir)
    seal = path.with_name(path.name + ".seal")
    assert status(plan_dir, cache_dir) == "loaded" and not seal.exists()  # a fresh file is never sealed
    later(5)
    for _ in range(2):  # the first run may rewrite the cache (files now outside the racy window get their stat trusted)
        assert fingerprint(plan_dir, cache_dir) == expected  # hashed, verified, then sealed
    assert seal.exists()
    sealed = FileCache(plan_dir, cache_dir)
    assert sealed.status == "loaded" and sealed._region_check is None  # trusted on its stat: nothing to hash
    assert fingerprint(plan_dir, cache_dir) == expected
    # one bit flipped in the values, in place (same size, same inode), its times put back as ``touch -r`` would
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x10
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_ino) == (before.st_size, before.st_ino)
    assert FileCache(plan_dir, cache_dir)._region_check is not None  # its ctime moved: the seal no longer holds
    assert status(plan_dir, cache_dir) == "ignored: digest"
    assert fingerprint(plan_dir, cache_dir) == expected
    seal.write_bytes(b"not a seal")  # a damaged seal only means hashing again
    assert FileCache(plan_dir, cache_dir)._region_check is not None
    assert fingerprint(plan_dir, cache_dir) == expected


def test_a_sealed_cache_reads_its_values_only_when_one_is_needed(plan_dir, cache_dir, later, monkeypatch):
    """A sealed cache file's values are read when the first one is needed, not when the file is opened: a warm run
    whose files are all kept built (io/built.py) reads none and holds none.  A file replaced in between is not
    read: its values are forgotten and the files parsed again, never an error."""
    expected = fingerprint(plan_dir, None)
    later(5)
    for _ in range(4):  # writes the cache, seals it, keeps the files built
        assert fingerprint(plan_dir, cache_dir) == expected
    path = cache_file(plan_dir, cache_dir)
    assert path.with_name(path.name + ".seal").exists()
    reads = []
    real = cache_mod._read_region
    monkeypatch.setattr(cache_mod, "_read_region", lambda *a: reads.append(a) or real(*a))
    assert fingerprint(plan_dir, cache_dir) == expected and reads == []  # every file taken built: no value read
    sealed = FileCache(plan_dir, cache_dir)
    assert sealed.status == "loaded" and sealed._region_check is None and len(sealed._region) == 0
    assert sealed.last_good(SECURITE) is not None and len(reads) == 1 and len(sealed._region) > 0  # read at the first value
    assert sealed.last_good("plan.yaml") is not None and len(reads) == 1  # once
    # the file replaced (the same bytes, another inode) after it was opened: its values are not read
    sealed = FileCache(plan_dir, cache_dir)
    copy = path.with_name("copy")
    copy.write_bytes(path.read_bytes())
    os.replace(copy, path)
    assert sealed.last_good(SECURITE) is None and sealed.status == "ignored: changed"
    sealed.save()
    assert status(plan_dir, cache_dir) == "loaded"
    assert fingerprint(plan_dir, cache_dir) == expected


def _forge(path: Path, table_obj, region: bytes = b"", table: bytes | None = None, key: bytes | None = None) -> None:
    """A cache file with a correct header and digests (with the folder's key unless ``key``) around ``table_obj``."""
    table = marshal.dumps(table_obj) if table is None else table
    path.parent.mkdir(parents=True, exist_ok=True)
    key = cache_mod._secret(path.parent) if key is None else key
    header = cache_mod._HEADER.pack(cache_mod.MAGIC, cache_mod.FORMAT, cache_mod._PY_TAG, len(table), len(region),
                                    hashlib.blake2b(table, digest_size=16, key=key).digest(),
                                    hashlib.blake2b(region, digest_size=16, key=key).digest())
    path.write_bytes(header + table + region)


def test_well_formed_files_with_bad_structure_are_ignored(plan_dir, cache_dir):
    expected = fingerprint(plan_dir, None)
    path = cache_file(plan_dir, cache_dir)
    code = compile("import os; os.system('echo pwned')", "x", "exec")
    dg = b"\x01" * 16
    good_index = {SECURITE: (bytes(40), dg, 6)}
    region = marshal.dumps({"id": "X"})
    forged = [
        code,  # a code object as the whole table
        None,
        (cache_mod.FORMAT, good_index, {dg: (0, len(region))}, {dg: 1}, {}, {}, "extra"),
        (cache_mod.FORMAT + 1, good_index, {dg: (0, len(region))}, {dg: 1}, {}, {}),
        (cache_mod.FORMAT, {SECURITE: (bytes(40), b"short", 6)}, {dg: (0, len(region))}, {dg: 1}, {}, {}),
        (cache_mod.FORMAT, {SECURITE: (bytes(39), dg, 6)}, {dg: (0, len(region))}, {dg: 1}, {}, {}),
        (cache_mod.FORMAT, {SECURITE: (bytes(40), dg, "6")}, {dg: (0, len(region))}, {dg: 1}, {}, {}),
        (cache_mod.FORMAT, {SECURITE: (1, 2, 3, 4, 5, dg, 6)}, {dg: (0, len(region))}, {dg: 1}, {}, {}),
        (cache_mod.FORMAT, {SECURITE: code}, {dg: (0, len(region))}, {dg: 1}, {}, {}),
        (cache_mod.FORMAT, good_index, {dg: (0, len(region) + 1)}, {dg: 1}, {}, {}),  # beyond the region
        (cache_mod.FORMAT, good_index, {dg: (-1, 2)}, {dg: 1}, {}, {}),
        (cache_mod.FORMAT, good_index, {dg: code}, {dg: 1}, {}, {}),
        (cache_mod.FORMAT, good_index, {dg: (0, len(region))}, {}, {}, {}),  # stamps missing
        (cache_mod.FORMAT, good_index, {dg: (0, len(region))}, {dg: 1}, {5: (0, 1)}, {5: 1}),
    ]
    for obj in forged:
        _forge(path, obj, region)
        assert status(plan_dir, cache_dir) == "ignored: structure", obj
        assert fingerprint(plan_dir, cache_dir) == expected
    _forge(path, None, table=b"\xff\x00garbage")  # not marshal at all, with a valid digest
    assert status(plan_dir, cache_dir).startswith("ignored")
    assert fingerprint(plan_dir, cache_dir) == expected


def test_values_that_are_not_plain_data_are_never_served(plan_dir, cache_dir, later, monkeypatch):
    later(10)
    expected = fingerprint(plan_dir, None)
    assert fingerprint(plan_dir, cache_dir) == expected
    path = cache_file(plan_dir, cache_dir)
    c = FileCache(plan_dir, cache_dir)
    code = compile("1", "x", "exec")
    # every value replaced by a code object, a set, or bytes, inside a file with valid digests
    for bad in (code, {1, 2}, b"raw", [code], 42):
        chunks, refs, off = [], {}, 0
        for dg in c._values:
            blob = marshal.dumps(bad)
            chunks.append(blob)
            refs[dg] = (off, len(blob))
            off += len(blob)
        forged = (cache_mod.FORMAT, c._index, refs, dict.fromkeys(refs, 1), {}, {})
        for key in (b"", b"k" * 32):  # without the folder's key: not ours
            _forge(path, forged, b"".join(chunks), key=key)
            assert status(plan_dir, cache_dir) == "ignored: digest"
            assert fingerprint(plan_dir, cache_dir) == expected, bad
        # with the key (only feuille's save has it): the top-level type is checked, the rest on demand
        monkeypatch.setattr(cache_mod, "DEEP_CHECK_ON_LOAD", bad == [code])
        _forge(path, forged, b"".join(chunks))
        assert fingerprint(plan_dir, cache_dir) == expected, bad
        assert status(plan_dir, cache_dir) == "loaded"


def test_other_versions_and_foreign_files(plan_dir, cache_dir):
    expected = fingerprint(plan_dir, None)
    path = cache_file(plan_dir, cache_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    old_format = marshal.dumps({"v": 2, "py": sys.version_info[:2], "at": 0, "files": {SECURITE: (0, 0, b"", {"id": "X"})}})
    other_python = path.read_bytes() if path.exists() else b""
    for content in (b"", b"hello", old_format, marshal.dumps(compile("1", "x", "exec")), os.urandom(5000), b"FEUILLE\x1a" + bytes(200)):
        path.write_bytes(content)
        assert status(plan_dir, cache_dir).startswith("ignored") or content == b""
        assert fingerprint(plan_dir, cache_dir) == expected
        assert status(plan_dir, cache_dir) == "loaded"
    data = bytearray(path.read_bytes())
    data[10:26] = b"cpython-399/m4".ljust(16, b"\0")  # another Python's marshal
    path.write_bytes(bytes(data))
    assert status(plan_dir, cache_dir) == "ignored: other version"
    del other_python


def test_directory_fifo_and_unreadable_file_at_the_cache_path(plan_dir, cache_dir, monkeypatch):
    expected = fingerprint(plan_dir, None)
    path = cache_file(plan_dir, cache_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir()
    assert status(plan_dir, cache_dir).startswith("ignored")
    assert fingerprint(plan_dir, cache_dir) == expected  # and saving into it fails silently
    assert fingerprint(plan_dir, cache_dir) == expected
    path.rmdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(path)  # would block a plain open()
        assert status(plan_dir, cache_dir) == "ignored: not a file"
        assert fingerprint(plan_dir, cache_dir) == expected
        path.unlink(missing_ok=True)
    fingerprint(plan_dir, cache_dir)
    assert status(plan_dir, cache_dir) == "loaded"
    if os.name == "posix" and os.geteuid() != 0:
        path.chmod(0)
        assert status(plan_dir, cache_dir) == "ignored: PermissionError"
        assert fingerprint(plan_dir, cache_dir) == expected
        path.chmod(0o600)
    real_open = os.open

    def denied(p, *a, **k):
        if str(p) == str(path):
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p, *a, **k)

    monkeypatch.setattr(cache_mod.os, "open", denied)
    assert status(plan_dir, cache_dir) == "ignored: PermissionError"
    assert fingerprint(plan_dir, cache_dir) == expected


def test_saving_is_best_effort(plan_dir, tmp_path, monkeypatch):
    expected = fingerprint(plan_dir, None)
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    assert fingerprint(plan_dir, not_a_dir) == expected  # the cache "folder" is a file
    assert fingerprint(plan_dir, not_a_dir / "sub") == expected

    def no_space(*a, **k):
        raise OSError(28, "No space left on device")

    cache_dir = tmp_path / "c"
    monkeypatch.setattr(cache_mod.tempfile, "mkstemp", no_space)
    assert fingerprint(plan_dir, cache_dir) == expected
    monkeypatch.undo()
    c = FileCache(plan_dir, cache_dir)
    c._dirty = True
    monkeypatch.setattr(cache_mod.os, "replace", no_space)
    c.save()
    assert [p.name for p in cache_dir.iterdir() if p.name.startswith(".tmp")] == [], "the temporary file is removed"


def test_key_file(tmp_path, plan_dir):
    cache_dir = tmp_path / "c"
    expected = fingerprint(plan_dir, None)
    fingerprint(plan_dir, cache_dir)
    key = (cache_dir / "key").read_bytes()
    assert len(key) == 32 and cache_mod._secret(cache_dir) == key
    for damage in (b"", b"short", key + b"x"):  # a damaged key: a new one, the cache rebuilt
        (cache_dir / "key").write_bytes(damage)
        assert fingerprint(plan_dir, cache_dir) == expected
        assert status(plan_dir, cache_dir) == "loaded"
    (cache_dir / "key").unlink()
    (cache_dir / "key").mkdir()  # cannot be kept: a key for the run only
    assert fingerprint(plan_dir, cache_dir) == expected
    assert status(plan_dir, cache_dir) == "ignored: digest"


def test_disabled_cache_stores_nothing(tmp_path):
    c = FileCache(tmp_path, None)
    f = tmp_path / "a.yaml"
    f.write_bytes(b"id: A\n")
    c.put("a.yaml", f.stat(), digest(b"id: A\n"), {"id": "A"})
    c.put_blob("abc", {"id": "A"})
    c.save()
    assert c.status == "disabled" and list(tmp_path.iterdir()) == [f]


def test_methods_never_raise_on_nonsense(tmp_path, cache_dir):
    c = FileCache(tmp_path, cache_dir)
    st = tmp_path.stat()
    assert c.lookup_stat("x", None) is None  # type: ignore[arg-type]
    assert c.lookup_digest("x", st, b"")[0] is None
    c.put("x", st, b"not a digest", {"id": "A"})
    c.put("x", None, digest(b""), {"id": "A"})  # type: ignore[arg-type]
    c.put("y", st, digest(b"y"), {"id": object()})
    c.forget_except(None)  # type: ignore[arg-type]
    c.save()
    assert c.last_good("x") is None and c.last_good("y") is None


# --- concurrent runs -------------------------------------------------------------------


def _worker(args: tuple[str, str, int]) -> str:
    root, cache_dir, n = args
    root_p, cache_p = Path(root), Path(cache_dir)
    try:
        for i in range(12):
            if status(root_p, cache_p).startswith("ignored"):
                return f"worker {n} read a bad cache"
            c = FileCache(root_p, cache_p)
            c.put_blob(f"w{n}-{i}", {"worker": n, "i": i, "pad": "x" * 2000})
            c.save()
            plan, _d, _t = load_plan(root_p, cache_p)
            if len(plan.files) < 10:
                return f"worker {n}: plan not loaded"
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        return f"worker {n}: {type(exc).__name__}: {exc}"
    return "ok"


def test_concurrent_runs_never_corrupt_the_cache(plan_dir, cache_dir):
    expected = fingerprint(plan_dir, None)
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ctx.Pool(8) as pool:
        results = pool.map(_worker, [(str(plan_dir), str(cache_dir), n) for n in range(8)])
    assert results == ["ok"] * 8
    c = FileCache(plan_dir, cache_dir)
    assert status(plan_dir, cache_dir) == "loaded" and len(c._index) > 10
    assert [p.name for p in cache_dir.iterdir() if p.name.startswith(".tmp-")] == []
    assert fingerprint(plan_dir, cache_dir) == expected
