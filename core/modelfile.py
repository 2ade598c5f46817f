"""Model files: ``.npz`` arrays plus a JSON metadata record, written atomically.

Layout: one array per parameter (``W1``, ``b1``, ...) and ``__meta__``, a
0-d unicode array holding JSON: format version, layer dims, activations,
output, dtype, created-at, a SHA-256 checksum of the parameters and any
extra fields the caller adds. Loading never unpickles.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Mapping

import numpy as np

from .atomicfile import write_atomically
from .memory import MemoryBudgetError, check_fits
from .network import NetworkSpec, check_parameters
from .plainjson import PlainDataError, dumps_plain, from_plain_json, parse_json
from .safefile import FileRefused, open_regular

FORMAT_VERSION = 1
META_KEY = "__meta__"
MAX_UNCOMPRESSED_BYTES = 4 << 30
"""Refuse files whose zip directory declares more than this (zip bombs)."""
MAX_FILE_BYTES = 2 << 30
"""Refuse model files larger than this on disk."""
MAX_META_BYTES = 1 << 20
"""Refuse a metadata record larger than this."""
MAX_MODEL_RATIO = 20
"""``save_model`` stores arrays uncompressed, and trained float weights compress by far less than
this; a member declaring more than this times its compressed size is a bomb (or not a tui-nn model)."""
MAX_LAYERS = 64
"""Most layers a model file may declare."""
MAX_LAYER_UNITS = 1 << 31
"""Largest layer size a model file may declare (the memory check bounds their product)."""
LOAD_COPIES = 2
"""A parameter array exists twice while it is read: the decompressed bytes and the array."""


class ModelFileError(Exception):
    """A model file could not be read or written; the message is for a person."""


@dataclass(frozen=True)
class LoadedModel:
    """A model read from disk: its spec, parameters and the whole metadata record."""

    spec: NetworkSpec
    parameters: dict[str, np.ndarray]
    metadata: dict[str, Any]


def parameters_checksum(parameters: Mapping[str, np.ndarray]) -> str:
    """SHA-256 over each array's name, dtype, shape and bytes, in key order."""
    h = hashlib.sha256()
    for key in sorted(parameters):
        a = np.ascontiguousarray(parameters[key])
        h.update(f"{key}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def save_model(
    path: str | os.PathLike,
    spec: NetworkSpec,
    parameters: Mapping[str, np.ndarray],
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write the model to ``path`` atomically; an existing file is replaced only on success.

    The arrays go to a temporary file in the same folder through a file
    object, which is flushed and fsynced, then ``os.replace``d over ``path``.
    ``extra`` must be JSON-serialisable (e.g. normalisation statistics); its
    non-finite floats are written as null plus a string, as in run logs, and
    ``load_model`` restores them. Parameters holding NaN or infinity are refused.
    """
    path = Path(path)
    try:
        check_parameters(dict(parameters), spec)
    except ValueError as e:
        raise ModelFileError(f"cannot save {path}: {e}") from None
    bad = _first_nonfinite(parameters)
    if bad is not None:
        raise ModelFileError(f"cannot save {path}: {bad} holds NaN or infinite values")
    dtypes = {np.asarray(p).dtype.name for p in parameters.values()}
    meta = {
        "format": "tui-nn-model",
        "format_version": FORMAT_VERSION,
        "layer_dims": list(spec.layer_dims),
        "hidden_activations": list(spec.hidden_activations),
        "output": spec.output,
        "dtype": dtypes.pop() if len(dtypes) == 1 else "mixed",
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "checksum": parameters_checksum(parameters),
        "extra": dict(extra or {}),
    }
    try:
        meta_json = dumps_plain(meta)
    except (TypeError, ValueError, RecursionError) as e:
        raise ModelFileError(f"cannot save {path}: metadata is not plain JSON ({e})") from None
    arrays = {k: np.asarray(v) for k, v in parameters.items()}
    try:
        write_atomically(path, lambda f: np.savez(f, **arrays, **{META_KEY: np.array(meta_json)}))
    except OSError as e:
        raise ModelFileError(f"cannot save {path}: {e.strerror or e}") from None
    return path


def load_model(path: str | os.PathLike) -> LoadedModel:
    """Read a model saved by ``save_model``; any problem raises one ``ModelFileError``.

    Only a regular file is read (never a FIFO or a device). The archive's declared
    sizes, the metadata and every array header are checked, and the parameters'
    memory is checked against ``memory.memory_budget()``, before any array is
    read; parameters holding NaN or infinity are refused.
    """
    path = Path(path)
    try:
        f = open_regular(path, MAX_FILE_BYTES, "model file")
    except FileRefused as e:
        raise ModelFileError(str(e)) from None
    with f:
        if os.fstat(f.fileno()).st_size == 0:
            raise ModelFileError(f"{path}: the file is empty")
        meta, spec, arrays = _read_archive(path, f)
    if parameters_checksum(arrays) != meta.get("checksum"):
        raise ModelFileError(f"{path}: checksum mismatch, the parameters are corrupt")
    bad = _first_nonfinite(arrays)
    if bad is not None:
        raise ModelFileError(f"{path}: {bad} holds NaN or infinite values; a diverged model is not loaded")
    return LoadedModel(spec, arrays, meta)


def _read_archive(path: Path, f: BinaryIO) -> tuple[dict[str, Any], NetworkSpec, dict[str, np.ndarray]]:
    """The metadata, the network and the arrays of an open model file, each checked before the next
    is read (the file itself is never held in memory, only one array at a time beyond the result)."""
    names = _check_zip(path, f)
    if f"{META_KEY}.npy" not in names:
        raise ModelFileError(f"{path}: an .npz file but not a tui-nn model (no metadata record)")
    try:
        f.seek(0)
        with np.load(f, allow_pickle=False) as npz:
            meta = _read_meta(path, npz[META_KEY])
            spec = _spec_of(path, meta)
            # Compare every array's header with the metadata before reading its data,
            # so a file declaring a huge array never allocates it.
            itemsize = _check_headers(path, f, spec)
            check_fits(spec.parameter_count() * itemsize * LOAD_COPIES, f"{path}: the model's {spec.parameter_count():,} parameters")
            return meta, spec, {k: npz[k] for k in npz.files if k != META_KEY}
    except ModelFileError:
        raise
    except MemoryBudgetError as e:
        raise ModelFileError(str(e)) from None
    except ValueError as e:
        if "pickle" in str(e):
            raise ModelFileError(f"{path}: contains pickled objects, which are never loaded") from None
        raise ModelFileError(f"{path}: not a valid model file (a damaged array)") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, MemoryError, RuntimeError, NotImplementedError):
        raise ModelFileError(f"{path}: not a valid model file (damaged or truncated)") from None


def _first_nonfinite(parameters: Mapping[str, np.ndarray]) -> str | None:
    """The name of the first parameter array holding NaN or infinity, or None."""
    with np.errstate(all="ignore"):
        return next((k for k, v in parameters.items() if not np.isfinite(np.asarray(v)).all()), None)


def _spec_of(path: Path, meta: dict[str, Any]) -> NetworkSpec:
    """The network the metadata describes; every field's type is checked first."""
    dims, acts, output = meta.get("layer_dims"), meta.get("hidden_activations"), meta.get("output")
    if not (isinstance(dims, list) and 2 <= len(dims) <= MAX_LAYERS + 1
            and all(type(n) is int and 1 <= n <= MAX_LAYER_UNITS for n in dims)):
        raise ModelFileError(
            f"{path}: the metadata does not describe a network (layer_dims must list 2 to {MAX_LAYERS + 1} "
            f"sizes between 1 and {MAX_LAYER_UNITS})"
        )
    if not (isinstance(acts, list) and all(isinstance(a, str) for a in acts) and isinstance(output, str)):
        raise ModelFileError(f"{path}: the metadata does not describe a network (activations must be names)")
    try:
        return NetworkSpec(tuple(dims), tuple(acts), output)
    except ValueError as e:
        raise ModelFileError(f"{path}: the metadata does not describe a network ({str(e)[:200]})") from None


def _check_headers(path: Path, f: BinaryIO, spec: NetworkSpec) -> int:
    """Each ``<key>.npy`` member must be a float array of the shape the spec expects; returns the
    largest item size in bytes."""
    expected = spec.parameter_shapes()
    itemsize = 0
    with zipfile.ZipFile(f) as zf:
        members = {n[: -len(".npy")]: n for n in zf.namelist() if n.endswith(".npy")}
        members.pop(META_KEY, None)
        missing = [k for k in expected if k not in members]
        extra = [k for k in members if k not in expected]
        if missing or extra or len(zf.namelist()) != len(expected) + 1:
            raise ModelFileError(
                f"{path}: the arrays do not match the metadata (missing {missing[:8]}, unexpected {extra[:8]})"
            )
        for key, shape in expected.items():
            with zf.open(members[key]) as f:
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    header = np.lib.format.read_array_header_1_0(f)
                else:
                    header = np.lib.format.read_array_header_2_0(f)
            found_shape, _, dtype = header
            if dtype.kind != "f":
                raise ModelFileError(f"{path}: {key} holds {dtype} values, expected floating point")
            if tuple(found_shape) != shape:
                raise ModelFileError(
                    f"{path}: the arrays do not match the metadata ({key} has shape {tuple(found_shape)[:8]}, "
                    f"expected {shape})"
                )
            itemsize = max(itemsize, dtype.itemsize)
    return itemsize


def _check_zip(path: Path, f: BinaryIO) -> list[str]:
    """The archive's member names, after refusing non-zips and absurd declared sizes."""
    try:
        with zipfile.ZipFile(f) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ModelFileError(f"{path}: not a tui-nn model file (not an .npz archive, or truncated)") from None
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise ModelFileError(f"{path}: declares {declared} bytes uncompressed, refusing to read it")
    for info in infos:
        if info.file_size > MAX_MODEL_RATIO * info.compress_size + 4096:
            raise ModelFileError(
                f"{path}: {info.filename[:60]!r} declares {info.file_size} bytes from {info.compress_size} compressed; "
                f"tui-nn stores weights uncompressed and real weights barely compress, so this is a zip bomb or not "
                f"a tui-nn model"
            )
        if info.filename == f"{META_KEY}.npy" and info.file_size > MAX_META_BYTES:
            raise ModelFileError(f"{path}: the metadata record declares {info.file_size} bytes; at most {MAX_META_BYTES} are read")
    return [info.filename for info in infos]


def _read_meta(path: Path, raw: Any) -> dict[str, Any]:
    """The metadata record, parsed as bounded strict JSON, with ``extra`` an object (non-finite
    floats restored from their null-plus-string form)."""
    if raw is None:
        raise ModelFileError(f"{path}: an .npz file but not a tui-nn model (no metadata record)")
    if not isinstance(raw, np.ndarray) or raw.dtype.kind != "U" or raw.ndim != 0:
        raise ModelFileError(f"{path}: the metadata record is not text")
    try:
        meta = parse_json(str(raw))
    except PlainDataError as e:
        raise ModelFileError(f"{path}: the metadata record is not valid JSON within tui-nn's bounds ({e})") from None
    if not isinstance(meta, dict) or meta.get("format") != "tui-nn-model":
        raise ModelFileError(f"{path}: not a tui-nn model file")
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: model format version {version!r:.20}; this tui-nn reads version {FORMAT_VERSION}"
        )
    extra = meta.get("extra", {})
    if not isinstance(extra, dict):
        raise ModelFileError(f"{path}: the metadata field 'extra' is a {type(extra).__name__}, expected an object")
    meta["extra"] = from_plain_json(extra)
    return meta
