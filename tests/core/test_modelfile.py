"""Model files: bit-exact round trip, metadata, and one clear ModelFileError for every bad file."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from datetime import datetime

import numpy as np
import pytest

from tui_nn.core import ModelFileError, NetworkSpec, initialize_parameters, load_model, save_model
from tui_nn.core.modelfile import FORMAT_VERSION, parameters_checksum

SPEC = NetworkSpec((3, 5, 4, 2), ("relu", "tanh"), "softmax")


def params_for(spec=SPEC, dtype=np.float64, seed=0):
    p = initialize_parameters(spec.layer_dims, "he", seed=seed, dtype=dtype)
    rng = np.random.RandomState(seed + 1)
    for k in p:
        if k.startswith("b"):
            p[k] = rng.randn(*p[k].shape).astype(dtype)
    return p


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.npz"
    params = params_for()
    save_model(path, SPEC, params)
    return path, params


def npy_bytes(array, allow_pickle=False) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(array), allow_pickle=allow_pickle)
    return buf.getvalue()


def write_npz(path, members: dict[str, bytes]) -> None:
    """A hand-made .npz: ``{"W1": npy bytes, ...}`` stored like ``np.savez`` does."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name + ".npy", data)


def members_of(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n[:-4]: zf.read(n) for n in zf.namelist()}


def meta_of(path) -> dict:
    with np.load(path, allow_pickle=False) as npz:
        return json.loads(str(npz["__meta__"]))


def assert_model_error(path, *fragments):
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    msg = str(info.value)
    assert str(path) in msg, msg
    for fragment in fragments:
        assert fragment in msg, msg
    # one domain error, not a chained NumPy/zipfile traceback
    assert info.value.__suppress_context__ or info.value.__context__ is None
    assert "Traceback" not in msg and "\n" not in msg
    return msg


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip_is_bit_exact(tmp_path, dtype):
    params = params_for(dtype=dtype)
    params["W2"][0, 0] = np.nextafter(dtype(1), dtype(2))  # a value that text formats would round
    params["b1"][1, 0] = -0.0
    path = save_model(tmp_path / "m.npz", SPEC, params, extra={"mean": [0.5, 1.5]})
    model = load_model(path)
    assert model.spec == SPEC
    assert list(model.parameters) == list(params)
    for k, v in params.items():
        got = model.parameters[k]
        assert got.dtype == dtype and got.shape == v.shape
        assert got.tobytes() == v.tobytes(), k
    assert model.metadata["extra"] == {"mean": [0.5, 1.5]}


def test_metadata_fields(saved):
    path, params = saved
    meta = load_model(path).metadata
    assert meta["format"] == "tui-nn-model"
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["layer_dims"] == [3, 5, 4, 2]
    assert meta["hidden_activations"] == ["relu", "tanh"]
    assert meta["output"] == "softmax"
    assert meta["dtype"] == "float64"
    assert datetime.fromisoformat(meta["created_at"]).tzinfo is not None
    assert meta["checksum"] == parameters_checksum(params) and len(meta["checksum"]) == 64
    assert meta["extra"] == {}


def test_save_replaces_an_existing_file_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "m.npz"
    save_model(path, SPEC, params_for(seed=0))
    save_model(path, SPEC, params_for(seed=5))
    assert np.array_equal(load_model(path).parameters["W1"], params_for(seed=5)["W1"])
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_save_refuses_mismatched_parameters_and_keeps_the_old_file(saved):
    path, params = saved
    before = path.read_bytes()
    bad = dict(params, W1=np.zeros((2, 2)))
    with pytest.raises(ModelFileError, match=r"cannot save .*W1 has shape \(2, 2\), expected \(5, 3\)"):
        save_model(path, SPEC, bad)
    with pytest.raises(ModelFileError, match="metadata is not plain JSON"):
        save_model(path, SPEC, params, extra={"x": object()})
    with pytest.raises(ModelFileError, match=r"cannot save .*W2 holds NaN or infinite values"):
        save_model(path, SPEC, dict(params, W2=np.full((4, 5), np.nan)))
    assert path.read_bytes() == before
    assert len(list(path.parent.iterdir())) == 1


def test_missing_folder_and_empty(tmp_path):
    assert_model_error(tmp_path / "nope.npz", "no such model file")
    assert_model_error(tmp_path, "is a folder")
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    assert_model_error(empty, "empty")


def test_truncated_at_many_lengths(saved, tmp_path):
    path, _ = saved
    data = path.read_bytes()
    cut = tmp_path / "cut.npz"
    lengths = sorted({1, 2, 4, 30, 64, 100, 200, *range(0, len(data), max(1, len(data) // 23)), len(data) - 22,
                      len(data) - 1} - {0})
    assert len(lengths) > 20
    for n in lengths:
        cut.write_bytes(data[:n])
        assert_model_error(cut)


def test_random_bytes_and_other_formats(tmp_path):
    rng = np.random.RandomState(0)
    f = tmp_path / "junk.npz"
    for size in (1, 10, 1000, 100000):
        f.write_bytes(rng.bytes(size))
        assert_model_error(f, "not a tui-nn model file")
    f.write_bytes(b"PK\x03\x04" + rng.bytes(500))
    assert_model_error(f)
    np.save(tmp_path / "plain.npy", np.zeros(3))
    assert_model_error(tmp_path / "plain.npy", "not a tui-nn model file")


def test_npz_without_metadata(tmp_path):
    path = tmp_path / "bare.npz"
    np.savez(path, **params_for())
    assert_model_error(path, "no metadata record")


def test_pickled_objects_are_never_loaded(saved, tmp_path):
    path, _ = saved
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    evil = np.empty(1, dtype=object)
    evil[0] = Evil()
    evil_npy = npy_bytes(evil, allow_pickle=True)
    assert b"pwned" in evil_npy  # the payload really is there
    members = members_of(path)
    cases = {
        "as W1": dict(members, W1=evil_npy),
        "as metadata": dict(members, __meta__=evil_npy),
        "as an extra member": dict(members, evil=evil_npy),
    }
    for name, m in cases.items():
        bad = tmp_path / "evil.npz"
        write_npz(bad, m)
        assert_model_error(bad)
        assert not marker.exists(), f"pickle ran ({name})"
    # the payload works when unpickled, so the test would notice
    np.load(bad, allow_pickle=True)["evil"]
    assert marker.exists()


def tamper(path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    i = data.index(old)
    path.write_bytes(data[:i] + new + data[i + len(old):])


def test_one_flipped_byte_inside_an_array(saved):
    path, params = saved
    raw = params["W2"].tobytes()
    flipped = bytes([raw[13] ^ 0x01])
    tamper(path, raw[:14], raw[:13] + flipped)
    msg = assert_model_error(path)
    assert "damaged" in msg or "checksum" in msg


def test_checksum_mismatch_with_an_intact_zip(saved, tmp_path):
    path, params = saved
    members = members_of(path)
    W2 = params["W2"].copy()
    W2[0, 0] = np.nextafter(W2[0, 0], np.inf)  # one bit different, zip CRCs recomputed
    members["W2"] = npy_bytes(W2)
    bad = tmp_path / "bad.npz"
    write_npz(bad, members)
    assert_model_error(bad, "checksum mismatch")


def rewrite_meta(path, out, **changes):
    members = members_of(path)
    meta = meta_of(path)
    meta.update(changes)
    members["__meta__"] = npy_bytes(np.array(json.dumps(meta)))
    write_npz(out, members)
    return out


def test_wrong_format_version(saved, tmp_path):
    path, _ = saved
    out = rewrite_meta(path, tmp_path / "v99.npz", format_version=99)
    assert_model_error(out, "format version 99", "reads version 1")


def test_metadata_that_is_not_ours(saved, tmp_path):
    path, _ = saved
    assert_model_error(rewrite_meta(path, tmp_path / "a.npz", format="other"), "not a tui-nn model file")
    assert_model_error(rewrite_meta(path, tmp_path / "b.npz", output="tanh"), "does not describe a network")
    members = members_of(path)
    members["__meta__"] = npy_bytes(np.array("{not json"))
    write_npz(tmp_path / "c.npz", members)
    assert_model_error(tmp_path / "c.npz", "not valid JSON")
    members["__meta__"] = npy_bytes(np.arange(3.0))
    write_npz(tmp_path / "d.npz", members)
    assert_model_error(tmp_path / "d.npz", "not text")


def test_arrays_not_matching_layer_dims(saved, tmp_path):
    path, _ = saved
    assert_model_error(rewrite_meta(path, tmp_path / "a.npz", layer_dims=[3, 6, 4, 2]), "do not match", "W1")
    assert_model_error(
        rewrite_meta(path, tmp_path / "b.npz", layer_dims=[3, 2], hidden_activations=[]), "do not match"
    )
    members = members_of(path)
    del members["b2"]
    write_npz(tmp_path / "c.npz", members)
    assert_model_error(tmp_path / "c.npz", "missing ['b2']")
    members = members_of(path)
    members["W1"] = npy_bytes(np.zeros((5, 3), dtype=np.int64))
    write_npz(tmp_path / "d.npz", members)
    assert_model_error(tmp_path / "d.npz", "expected floating point")


def test_array_header_declaring_a_huge_shape_is_refused_without_allocating(saved, tmp_path):
    path, _ = saved
    members = members_of(path)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**9, 10**9)})
    members["W1"] = header.getvalue() + b"\0" * 64
    write_npz(tmp_path / "huge.npz", members)
    assert_model_error(tmp_path / "huge.npz", "do not match", "W1")


def test_zip_declaring_absurd_uncompressed_size(saved, tmp_path):
    path, _ = saved
    data = bytearray(path.read_bytes())
    # Patch every central-directory record's uncompressed size (offset 24) to almost 4 GiB.
    pos = data.find(b"PK\x01\x02")
    count = 0
    while pos != -1:
        struct.pack_into("<I", data, pos + 24, 0xFFFFFFF0)
        count += 1
        pos = data.find(b"PK\x01\x02", pos + 4)
    assert count == 7  # six arrays and the metadata
    bomb = tmp_path / "bomb.npz"
    bomb.write_bytes(bytes(data))
    assert_model_error(bomb, "uncompressed", "refusing")


def test_saved_files_are_readable_like_any_new_file(tmp_path):
    """Not the 0600 of a temp file: another user's watcher must be able to read a run's models."""
    import os

    umask = os.umask(0o022)
    try:
        path = save_model(tmp_path / "m.npz", SPEC, params_for())
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_saving_into_a_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(ModelFileError, match="cannot save .*no-such-folder.*No such file"):
        save_model(tmp_path / "no-such-folder" / "m.npz", SPEC, params_for())
