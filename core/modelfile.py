"""Model files: ``.npz`` arrays plus a JSON metadata record, written atomically.

Layout: one array per parameter (``W1``, ``b1``, ...) and ``__meta__``, a
0-d unicode array holding JSON: format version, layer dims, activations,
output, dtype, created-at, a SHA-256 checksum of the parameters and any
extra fields the caller adds. Loading never unpickles.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .atomicfile import write_atomically
from .network import NetworkSpec, check_parameters

FORMAT_VERSION = 1
META_KEY = "__meta__"
MAX_UNCOMPRESSED_BYTES = 4 << 30
"""Refuse files whose zip directory declares more than this (zip bombs)."""


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
    ``extra`` must be JSON-serialisable (e.g. normalisation statistics).
    """
    path = Path(path)
    try:
        check_parameters(dict(parameters), spec)
    except ValueError as e:
        raise ModelFileError(f"cannot save {path}: {e}") from None
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
        meta_json = json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ModelFileError(f"cannot save {path}: metadata is not plain JSON ({e})") from None
    arrays = {k: np.asarray(v) for k, v in parameters.items()}
    try:
        write_atomically(path, lambda f: np.savez(f, **arrays, **{META_KEY: np.array(meta_json)}))
    except OSError as e:
        raise ModelFileError(f"cannot save {path}: {e.strerror or e}") from None
    return path


def load_model(path: str | os.PathLike) -> LoadedModel:
    """Read a model saved by ``save_model``; any problem raises one ``ModelFileError``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path}: is a folder, not a model file") from None
    except OSError as e:
        raise ModelFileError(f"{path}: cannot read ({e.strerror or e})") from None
    if not data:
        raise ModelFileError(f"{path}: the file is empty")
    names = _check_zip(path, data)
    if f"{META_KEY}.npy" not in names:
        raise ModelFileError(f"{path}: an .npz file but not a tui-nn model (no metadata record)")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            meta = _read_meta(path, npz[META_KEY])
            try:
                spec = NetworkSpec(tuple(meta["layer_dims"]), tuple(meta["hidden_activations"]), meta["output"])
            except (KeyError, TypeError, ValueError) as e:
                raise ModelFileError(f"{path}: the metadata does not describe a network ({e})") from None
            # Compare every array's header with the metadata before reading its data,
            # so a file declaring a huge array never allocates it.
            _check_headers(path, data, spec)
            arrays = {k: npz[k] for k in npz.files if k != META_KEY}
    except ModelFileError:
        raise
    except ValueError as e:
        if "pickle" in str(e):
            raise ModelFileError(f"{path}: contains pickled objects, which are never loaded") from None
        raise ModelFileError(f"{path}: not a valid model file (a damaged array)") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, MemoryError):
        raise ModelFileError(f"{path}: not a valid model file (damaged or truncated)") from None
    if parameters_checksum(arrays) != meta.get("checksum"):
        raise ModelFileError(f"{path}: checksum mismatch, the parameters are corrupt")
    return LoadedModel(spec, arrays, meta)


def _check_headers(path: Path, data: bytes, spec: NetworkSpec) -> None:
    """Each ``<key>.npy`` member must be a float array of the shape the spec expects."""
    expected = spec.parameter_shapes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n[: -len(".npy")]: n for n in zf.namelist() if n.endswith(".npy")}
        members.pop(META_KEY, None)
        missing = [k for k in expected if k not in members]
        extra = [k for k in members if k not in expected]
        if missing or extra or len(zf.namelist()) != len(expected) + 1:
            raise ModelFileError(
                f"{path}: the arrays do not match the metadata (missing {missing}, unexpected {extra})"
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
                    f"{path}: the arrays do not match the metadata ({key} has shape {tuple(found_shape)}, "
                    f"expected {shape})"
                )


def _check_zip(path: Path, data: bytes) -> list[str]:
    """The archive's member names, after refusing non-zips and absurd declared sizes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ModelFileError(f"{path}: not a tui-nn model file (not an .npz archive, or truncated)") from None
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise ModelFileError(f"{path}: declares {declared} bytes uncompressed, refusing to read it")
    return [info.filename for info in infos]


def _read_meta(path: Path, raw: np.ndarray | None) -> dict[str, Any]:
    if raw is None:
        raise ModelFileError(f"{path}: an .npz file but not a tui-nn model (no metadata record)")
    if raw.dtype.kind != "U" or raw.ndim != 0:
        raise ModelFileError(f"{path}: the metadata record is not text")
    try:
        meta = json.loads(str(raw))
    except json.JSONDecodeError as e:
        raise ModelFileError(f"{path}: the metadata record is not valid JSON ({e.msg})") from None
    if not isinstance(meta, dict) or meta.get("format") != "tui-nn-model":
        raise ModelFileError(f"{path}: not a tui-nn model file")
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: model format version {version!r}; this tui-nn reads version {FORMAT_VERSION}"
        )
    return meta
