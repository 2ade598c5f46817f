"""A corpus of hostile files for every reader of untrusted input, crafted and seeded-random.

Areas: ``csv``, ``npz``, ``hdf5`` (dataset loaders), ``model`` (model files),
``config`` (TOML and JSON run configs), ``run-log`` (run folders) and ``control``
(steering files). Each ``Case`` writes its file (or FIFO, or link to a device)
into a folder and returns the path a reader is given. Crafted cases cover types,
sizes, nesting, non-finite values, terminal escapes, FIFOs and links to devices;
bombs declare far more than they store. ``random_cases`` adds seeded random
documents of arbitrary types. Used by ``driver.py`` (the fuzz test) and
``bench/untrusted_inputs.py`` (the figures).
"""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

ESC = "\x1b]0;pwned\x07\x1b[2J"
AREAS = ("csv", "npz", "hdf5", "model", "config", "run-log", "control")
SUFFIX = {"csv": ".csv", "npz": ".npz", "hdf5": ".h5", "model": ".npz", "control": ""}


@dataclass(frozen=True)
class Case:
    """One hostile input: ``make(folder)`` writes it and returns the path to read."""

    area: str
    name: str
    make: Callable[[Path], Path]
    declares: int = 0
    """For a bomb: the bytes its contents declare (0 otherwise)."""


def _bytes(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        return path

    return make


def _special(area: str) -> list[Case]:
    """FIFOs, links to devices, folders, dangling links and empty files, for any area."""
    name = "control.json" if area == "control" else f"x{SUFFIX.get(area, '.toml')}"

    def fifo(folder: Path) -> Path:
        os.mkfifo(folder / name)
        return folder / name

    def link(target: str) -> Callable[[Path], Path]:
        def make(folder: Path) -> Path:
            os.symlink(target, folder / name)
            return folder / name

        return make

    def directory(folder: Path) -> Path:
        (folder / name).mkdir()
        return folder / name

    return [
        Case(area, "fifo", fifo), Case(area, "link to /dev/zero", link("/dev/zero")),
        Case(area, "link to /dev/urandom", link("/dev/urandom")), Case(area, "link to /dev/null", link("/dev/null")),
        Case(area, "folder", directory), Case(area, "dangling link", link("/nonexistent/x")),
        Case(area, "empty file", _bytes(name, b"")), Case(area, "escape in the name", _bytes(f"x{ESC}{SUFFIX.get(area, '.toml')}", b"x")),
    ]


# --- datasets ----------------------------------------------------------------------------------

CSV_ROWS = "".join(f"{i},{(i * 7) % 5},{i % 2}\n" for i in range(20))


def _csv_cases() -> list[Case]:
    texts = {
        "plain": "a,b,label\n" + CSV_ROWS,
        "bom": "\ufeffa,b,label\n" + CSV_ROWS,
        "crlf and tabs": ("a\tb\tlabel\n" + CSV_ROWS.replace(",", "\t")).replace("\n", "\r\n"),
        "escapes in header and labels": f"a{ESC},b,label\n" + "".join(f"{i},{i % 3},{ESC if i % 2 else 'ok'}\n" for i in range(20)),
        "underscore number": "a,b,label\n" + CSV_ROWS + "1_07,1,0\n",
        "arabic-indic digits": "a,b,label\n" + CSV_ROWS + "\u0661\u0660,1,0\n",
        "fullwidth digits": "a,b,label\n" + CSV_ROWS + "\uff11,1,0\n",
        "nan": "a,b,label\n" + CSV_ROWS + "nan,1,0\n",
        "infinity": "a,b,label\n" + CSV_ROWS + "1,Infinity,0\n",
        "1e999": "a,b,label\n" + CSV_ROWS + "1e999,1,0\n",
        "values near 1e300": "a,b,label\n" + "".join(f"{(i + 1) * 1e299:.3e},{(-1) ** i * 1.7e308:.3e},{i % 2}\n" for i in range(20)),
        "5000-digit number": "a,b,label\n" + CSV_ROWS + "9" * 5000 + ",1,0\n",
        "empty cells": "a,b,label\n" + CSV_ROWS + ",,\n",
        "quoted newline": 'a,b,label\n' + CSV_ROWS + '"1\n2",3,0\n',
        "unterminated quote": 'a,b,label\n' + CSV_ROWS + '"1,2,0\n',
        "nul byte": "a,b,label\n" + CSV_ROWS + "1,\x002,0\n",
        "one column": "label\n" + "".join(f"{i % 2}\n" for i in range(20)),
        "duplicate header": "a,a,label\n" + CSV_ROWS,
        "only a header": "a,b,label\n",
        "one class": "a,b,label\n" + "".join(f"{i},{i},same\n" for i in range(20)),
        "1 MB cell": "a,b,label\n" + CSV_ROWS + "x" * (1 << 20) + ",1,0\n",
        "1000 columns": ",".join(f"c{i}" for i in range(1000)) + ",label\n" + "".join(
            ",".join(str((i * j) % 7) for j in range(1000)) + f",{i % 2}\n" for i in range(20)),
        "ragged rows": "a,b,label\n" + CSV_ROWS + "1,2\n",
        "whitespace only": "   \n\t\n",
        "bidi and zero-width": "a\u202e,b\u200b,label\n" + CSV_ROWS,
    }
    cases = [Case("csv", name, _bytes("data.csv", text)) for name, text in texts.items()]
    cases.append(Case("csv", "invalid utf-8", _bytes("data.csv", b"a,b,label\n1,\xff,0\n" + CSV_ROWS.encode())))
    return cases + _special("csv")


def _npz(**arrays: Any) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def _npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(array), allow_pickle=allow_pickle)
    return buf.getvalue()


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _lying_header(shape: tuple[int, ...], dtype: str = "<f8", body: bytes = b"\0" * 64) -> bytes:
    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(head, {"descr": dtype, "fortran_order": False, "shape": shape})
    return head.getvalue() + body


def npz_image_bomb(folder: Path, pixels: int = 64 << 20) -> Path:
    """Zero uint8 images declaring ``pixels`` values, compressed to a few hundred KB."""
    side = int((pixels // 3 // 64) ** 0.5)
    path = folder / "bomb.npz"
    path.write_bytes(_npz(x=np.zeros((64, side, side, 3), dtype=np.uint8), y=np.arange(64) % 2))
    return path


def _npz_cases() -> list[Case]:
    X, Y = np.arange(40.0).reshape(2, 20), (np.arange(20) % 2).reshape(1, 20)
    docs: dict[str, bytes] = {
        "plain": _npz(X=X, Y=Y),
        "pickled object array": _zip({"X.npy": _npy(np.array([{"a": 1}] * 20, dtype=object), True), "Y.npy": _npy(Y)}),
        "structured dtype": _npz(X=np.zeros(20, dtype=[("a", "f8"), ("b", "i4")]), Y=Y),
        "header larger than data": _zip({"X.npy": _lying_header((300000, 40000)), "Y.npy": _npy(Y)}),
        "nan features": _npz(X=np.where(X > 30, np.nan, X), Y=Y),
        "inf labels": _npz(X=X, Y=np.where(Y > 0, np.inf, 0.0)),
        "mismatched examples": _npz(X=X, Y=Y[:, :7]),
        "0-d arrays": _npz(X=np.array(1.0), Y=np.array(0)),
        "text labels with escapes": _npz(X=X, Y=np.array([[ESC if i % 2 else "b" for i in range(20)]])),
        "big-endian fortran": _npz(X=np.asfortranarray(X.astype(">f8")), Y=Y.astype(">i4")),
        "both layouts": _npz(X=X, Y=Y, x=X.T, y=Y.ravel()),
        "no arrays": _zip({}),
        "not a zip": b"PK\x03\x04" + b"\x00" * 200,
        "truncated": _npz(X=X, Y=Y)[:150],
        "1000 members": _zip({f"a{i}.npy": _npy(np.zeros(1)) for i in range(1000)}),
        "escape in an array name": _npz(**{f"X{ESC}": X}, Y=Y),
        "5-d images": _npz(x=np.zeros((20, 2, 2, 2, 2), dtype=np.uint8), y=np.arange(20) % 2),
        "pixels out of range": _npz(x=np.full((20, 2, 2), 300.0), y=np.arange(20) % 2),
    }
    cases = [Case("npz", name, _bytes("data.npz", data)) for name, data in docs.items()]
    cases.append(Case("npz", "bomb: 64 M zero pixels", npz_image_bomb, declares=(64 << 20) * 9))
    return cases + _special("npz")


def h5_gzip_bomb(folder: Path, pixels: int = 64 << 20) -> Path:
    """A course-layout HDF5 whose gzip-compressed zero images declare ``pixels`` values."""
    import h5py

    side = int((pixels // 3 // 64) ** 0.5)
    path = folder / "train_bomb.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", data=np.zeros((64, side, side, 3), dtype=np.uint8), compression="gzip",
                         compression_opts=9, chunks=(1, side, side, 3))
        f["train_set_y"] = np.arange(64) % 2
    return path


def h5_sparse_bomb(folder: Path) -> Path:
    """A dataset declaring 1 GiB of float64 whose chunks were never written (all fill value)."""
    import h5py

    path = folder / "train_sparse.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("train_set_x", shape=(1 << 14, 1 << 13), dtype="f8", chunks=(64, 1 << 13), fillvalue=1.0)
        f.create_dataset("train_set_y", shape=(1 << 14,), dtype="i8", fillvalue=0)
    return path


def _h5(build: Callable[[Any], None]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        import h5py

        path = folder / "train_data.h5"
        with h5py.File(path, "w") as f:
            build(f)
        return path

    return make


def _hdf5_cases() -> list[Case]:
    import h5py

    x, y = np.arange(20 * 12, dtype=np.uint8).reshape(20, 2, 2, 3), np.arange(20) % 2

    def course(f):
        f["train_set_x"], f["train_set_y"] = x, y
        f["list_classes"] = np.array([b"non-cat", ESC.encode()])

    def pair(x_data: Any, y_data: Any = y) -> Callable[[Any], None]:
        def build(f: Any) -> None:
            f["train_set_x"], f["train_set_y"] = x_data, y_data

        return build

    def many_classes(f: Any) -> None:
        pair(x)(f)
        f["list_classes"] = np.array([b"c"] * 100000)

    def group(f: Any) -> None:
        f.create_group("train_set_x")
        f["train_set_y"] = y

    def soft(f: Any) -> None:
        f["real"] = x
        pair(h5py.SoftLink("/real"))(f)

    builds: dict[str, Callable[[Any], None]] = {
        "plain with escapes in class names": course,
        "external link": pair(h5py.ExternalLink("/etc/passwd", "/x")),
        "soft link": soft,
        "group instead of data": group,
        "strings as pixels": pair(np.array([b"ab"] * 20)),
        "nan pixels": pair(np.full((20, 2, 2), np.nan)),
        "mismatched labels": pair(x, y[:5]),
        "scalar data": pair(3.0),
        "100000 class names": many_classes,
        "missing keys": lambda f: f.create_dataset("other", data=x),
    }
    cases = [Case("hdf5", name, _h5(build)) for name, build in builds.items()]
    cases.append(Case("hdf5", "truncated", lambda folder: _truncated_h5(folder)))
    cases.append(Case("hdf5", "bomb: gzip 64 M zero pixels", h5_gzip_bomb, declares=(64 << 20) * 9))
    cases.append(Case("hdf5", "bomb: 1 GiB never written", h5_sparse_bomb, declares=(1 << 30) * 5))
    return cases + _special("hdf5")


def _truncated_h5(folder: Path) -> Path:
    def build(f: Any) -> None:
        f["train_set_x"], f["train_set_y"] = np.zeros((20, 4)), np.arange(20) % 2

    path = _h5(build)(folder)
    path.write_bytes(path.read_bytes()[:700])
    return path


# --- model files ---------------------------------------------------------------------------------


def model_bytes(meta: dict | None = None, params: dict | None = None, dims: tuple[int, ...] = (2, 4, 1)) -> bytes:
    """A model file as ``save_model`` writes it, with metadata fields replaced by ``meta``."""
    from tui_nn.core import initialize_parameters
    from tui_nn.core.modelfile import parameters_checksum

    params = params if params is not None else initialize_parameters(dims, "random", seed=1)
    record = {"format": "tui-nn-model", "format_version": 1, "layer_dims": list(dims),
              "hidden_activations": ["tanh"] * (len(dims) - 2), "output": "sigmoid", "dtype": "float64",
              "checksum": parameters_checksum(params), "extra": {"iteration": 5}}
    record.update(meta or {})
    buf = io.BytesIO()
    np.savez(buf, **params, __meta__=np.array(json.dumps(record)))
    return buf.getvalue()


def model_bomb(folder: Path, units: int = 8000) -> Path:
    """A model file of about ``units / 16`` KB declaring a ``units x units`` weight matrix of zeros."""
    dims = (2, units, units, 1)
    meta = {"format": "tui-nn-model", "format_version": 1, "layer_dims": list(dims), "hidden_activations": ["tanh", "tanh"],
            "output": "sigmoid", "checksum": "0" * 64, "extra": {}}
    path = folder / "bomb.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for l in range(1, len(dims)):
            for key, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
                head = io.BytesIO()
                np.lib.format.write_array_header_2_0(head, {"descr": "<f8", "fortran_order": False, "shape": shape})
                with zf.open(f"{key}.npy", "w", force_zip64=True) as f:
                    f.write(head.getvalue())
                    row = bytes(8 * shape[1])
                    for _ in range(shape[0]):
                        f.write(row)
        zf.writestr("__meta__.npy", _npy(np.array(json.dumps(meta))))
    return path


def _model_cases() -> list[Case]:
    from tui_nn.core import initialize_parameters

    nan = initialize_parameters((2, 4, 1), "random", seed=1)
    nan["W2"][0, 0] = np.nan
    inf = initialize_parameters((2, 4, 1), "random", seed=1)
    inf["b1"][1, 0] = -np.inf
    docs = {
        "plain": model_bytes(),
        "nan weights": model_bytes(params=nan),
        "inf bias": model_bytes(params=inf),
        "extra is a list": model_bytes({"extra": [1, 2, 3]}),
        "extra nested 40 deep": model_bytes({"extra": json.loads("[" * 40 + "]" * 40)}),
        "layer dims as text": model_bytes({"layer_dims": ["2", "4", "1"]}),
        "layer dims as bools": model_bytes({"layer_dims": [True, 4, True]}),
        "negative layer": model_bytes({"layer_dims": [2, -4, 1]}),
        "10**20 units": model_bytes({"layer_dims": [2, 10**20, 1]}),
        "activation with escapes": model_bytes({"hidden_activations": [ESC]}),
        "format version with escapes": model_bytes({"format_version": ESC}),
        "checksum mismatch": model_bytes({"checksum": "0" * 64}),
        "iteration true": model_bytes({"extra": {"iteration": True}}),
        "non-finite extra": model_bytes({"extra": {"cost": None, "cost_str": "nan", "learning_rate": 1e300}}),
        "pickled member": _zip({"W1.npy": _npy(np.array([None] * 8, dtype=object), True), "__meta__.npy": b"x"}),
        "integer weights": _zip({"__meta__.npy": _npy(np.array(json.dumps({"format": "tui-nn-model", "format_version": 1,
                                 "layer_dims": [1, 1], "hidden_activations": [], "output": "sigmoid"}))),
                                 "W1.npy": _npy(np.zeros((1, 1), dtype=np.int64)), "b1.npy": _npy(np.zeros((1, 1), dtype=np.int64))}),
        "metadata declaring 2 GB": _zip({"__meta__.npy": _lying_header((), "<U500000000", b"")}),
        "truncated": model_bytes()[:300],
        "noise bytes": random.Random(1).randbytes(5000),
    }
    cases = [Case("model", name, _bytes("model.npz", data)) for name, data in docs.items()]
    cases.append(Case("model", "bomb: 8000 x 8000 zeros", model_bomb, declares=8 * (2 * 8000 + 8000 * 8000 + 8000 + 3 * 8000 + 1)))
    return cases + _special("model")


# --- configs, run logs, control files ------------------------------------------------------------


def _config_cases() -> list[Case]:
    json_docs: dict[str, str] = {
        "deep": '{"hidden": ' + "[" * 100000 + "]" * 100000 + "}",
        "hidden null": '{"hidden": null}',
        "5000-digit m": '{"m": ' + "9" * 5000 + "}",
        "1e999 learning rate": '{"learning_rate": 1e999}',
        "NaN": '{"learning_rate": NaN}',
        "escapes": json.dumps({"dataset": ESC, "init": ESC}),
        "escape key": json.dumps({ESC: 1}),
        "list at top": "[1, 2]",
        "m 1e7 hidden 4096": '{"m": 10000000, "hidden": [4096]}',
        "dataset /dev/zero": '{"dataset": "/dev/zero"}',
        "label on a built-in": '{"label": "y"}',
        "every field wrong": json.dumps({k: {"x": [1]} for k in ("dataset", "m", "hidden", "seed", "learning_rate")}),
        "bools for numbers": '{"seed": true, "iterations": false}',
        "long string": json.dumps({"dataset": "x" * 500000}),
    }
    toml_docs: dict[str, str | bytes] = {
        "deep": "hidden = " + "[" * 100000 + "]" * 100000,
        "dotted 100 deep": "a" + ".a" * 100 + " = 1",
        "inline tables 40 deep": "a = " + "{b = " * 40 + "1" + "}" * 40,
        "5000-digit m": "m = " + "9" * 5000,
        "huge hex": "m = 0x" + "f" * 5000,
        "nan and inf": "learning_rate = nan\nl2 = inf\n",
        "raw escape": f'dataset = "{ESC}"',
        "escaped escape": 'dataset = "\\u001b]0;pwned\\u0007"',
        "bom": b"\xef\xbb\xbfseed = 3\n",
        "invalid utf-8": b'dataset = "\xff"\n',
        "m 1e7 hidden 4096": "m = 10000000\nhidden = [4096]\n",
        "mixed array": 'hidden = [4, "x", 1.5]\n',
        "dates": "seed = 1979-05-27T07:32:00Z\n",
    }
    cases = [Case("config", f"json: {n}", _bytes("exp.json", t)) for n, t in json_docs.items()]
    cases += [Case("config", f"toml: {n}", _bytes("exp.toml", t)) for n, t in toml_docs.items()]
    return cases + _special("config")


HEADER = {"type": "header", "time": 1.0, "run_id": "r", "dataset": {"name": "flower"},
          "config": {"dataset": "flower", "iterations": 10, "learning_rate": 1.2}}


def _run(lines: list[bytes | str], folder_name: str = "run") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        run = folder / folder_name
        run.mkdir()
        (run / "metrics.jsonl").write_bytes(b"".join(x if isinstance(x, bytes) else x.encode("utf-8", "surrogatepass") + b"\n"
                                                     for x in lines))
        return run

    return make


def _log_cases() -> list[Case]:
    h = json.dumps(HEADER)
    bad = [
        json.dumps({**HEADER, "config": [1, 2]}), json.dumps({**HEADER, "config": {"iterations": ESC}}),
        '{"type": "eval", "iteration": 100000000000000000000}', '{"type": "eval", "iteration": 3, "train_accuracy": "high"}',
        '{"type": "eval", "iteration": 3, "cost": ' + "9" * 400 + "}", '{"type": "eval", "iteration": ' + "9" * 5000 + "}",
        '{"type": "eval", "iteration": true}', json.dumps({"type": "end", "state": ESC, "reason": ESC}),
        json.dumps({"type": "ack", "message": ESC, "command": "pause", "ok": True}), "[" * 100000 + "]" * 100000,
        '{"type": "eval", "iteration": 1, "layers": [{"layer": "x"}]}', '{"type": "eval", "cost": NaN, "iteration": 1}',
        json.dumps({"type": "eval", "iteration": 2, "cost": None, "cost_str": ESC}),
        json.dumps({"type": "end", "state": "finished", "divergence": [1]}), json.dumps({"type": ["eval"]}),
    ]
    end = json.dumps({"type": "end", "state": "finished", "iterations": 10, "reason": "done"})
    cases = [Case("run-log", f"bad record {i}: {line[:30]}", _run([h, line, end])) for i, line in enumerate(bad)]
    cases += [
        Case("run-log", "10 MB line", _run([h, '{"type": "eval", "pad": "' + "a" * (10 << 20) + '"}', end])),
        Case("run-log", "20 MB without a newline", _run([h.encode() + b"\n" + b"x" * (20 << 20)])),
        Case("run-log", "100000 garbage lines", _run([h] + ["{garbage"] * 100000 + [end])),
        Case("run-log", "bom crlf", _run([b"\xef\xbb\xbf" + h.encode() + b"\r\n" + end.encode() + b"\r\n"])),
        Case("run-log", "nul and invalid utf-8", _run([h, "\x00" * 10, b"\xff\xfe{}\n", end])),
        Case("run-log", "escape in the folder name", _run([json.dumps({**HEADER, "run_id": ESC}), end], f"run{ESC}")),
        Case("run-log", "header only", _run([h])),
        Case("run-log", "truncated header", _run([h[:20].encode()])),
    ]
    return cases + [Case("run-log", c.name, _in_run_folder(c.make)) for c in _special("run-log")]


def _in_run_folder(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
    """A special file (FIFO, link, ...) placed as a run folder's ``metrics.jsonl``."""

    def build(folder: Path) -> Path:
        run = folder / "run"
        run.mkdir()
        os.rename(make(run), run / "metrics.jsonl")
        return run

    return build


def _control_cases() -> list[Case]:
    def commands(*entries: Any) -> str:
        return json.dumps({"version": 1, "commands": list(entries)})

    docs = {
        "deep": '{"commands": ' + "[" * 100000 + "]" * 100000 + "}",
        "not an object": "[1, 2, 3]",
        "commands not a list": '{"commands": {"seq": 1}}',
        "learning rate text with escapes": commands({"seq": 1, "command": "set_learning_rate", "learning_rate": ESC}),
        "learning rate 1e999": '{"commands": [{"seq": 1, "command": "set_learning_rate", "learning_rate": 1e999}]}',
        "learning rate NaN": '{"commands": [{"seq": 1, "command": "set_learning_rate", "learning_rate": NaN}]}',
        "learning rate huge int": '{"commands": [{"seq": 1, "command": "set_learning_rate", "learning_rate": ' + "9" * 400 + "}]}",
        "learning rate true": commands({"seq": 1, "command": "set_learning_rate", "learning_rate": True}),
        "seq 5000 digits": '{"commands": [{"seq": ' + "9" * 5000 + ', "command": "pause"}]}',
        "seq bool, negative, text": commands({"seq": True, "command": "pause"}, {"seq": -4, "command": "stop"},
                                             {"seq": "9", "command": "stop"}),
        "unknown command with escapes": commands({"seq": 1, "command": ESC}),
        "10000 commands": commands(*({"seq": i, "command": "pause"} for i in range(1, 10001))),
        "2 MB": commands({"seq": 1, "command": "pause", "pad": "x" * (2 << 20)}),
        "valid": commands({"seq": 1, "command": "pause"}, {"seq": 2, "command": "set_learning_rate", "learning_rate": 0.5}),
    }
    return [Case("control", n, _bytes("control.json", t)) for n, t in docs.items()] + _special("control")


def crafted_cases() -> list[Case]:
    return _csv_cases() + _npz_cases() + _hdf5_cases() + _model_cases() + _config_cases() + _log_cases() + _control_cases()


# --- seeded random documents ----------------------------------------------------------------------


def random_value(rng: random.Random, depth: int = 0) -> Any:
    """An arbitrary JSON value: every type, huge and non-finite numbers, escapes, some nesting."""
    kind = rng.randrange(10 if depth < 4 else 7)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([0, 1, -1, 7, 2**31, 2**53 + 1, 10**20, -(10**30), rng.randrange(-1000, 1000)])
    if kind == 3:
        return rng.choice([0.0, -0.5, 1e-300, 1e300, 1.7e308, rng.uniform(-10, 10)])
    if kind == 4:
        return rng.choice(["", "nan", "inf", "x" * rng.randrange(1, 3000), ESC, "\u202eevil", "flower", "tanh", "1_0"])
    if kind in (5, 6):
        return rng.choice(["finished", "running", "pause", "set_learning_rate", "eval", "header", "end", "ack"])
    if kind in (7, 8):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(KEYS): random_value(rng, depth + 1) for _ in range(rng.randrange(5))}


KEYS = ["type", "iteration", "iterations", "cost", "cost_str", "learning_rate", "config", "dataset", "state", "reason",
        "layers", "seq", "command", "commands", "hidden", "activations", "m", "seed", "extra", "layer_dims", "W", "mean",
        "counts", "divergence", "message", "paused", "ok", "run_id", ESC]


def random_cases(per_area: int = 60, seed: int = 0) -> list[Case]:
    """``per_area`` seeded random documents for each area that reads JSON-like text, and CSV text."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for i in range(per_area):
        record = {"type": rng.choice(["header", "eval", "ack", "resume", "end", "other"]),
                  **{rng.choice(KEYS): random_value(rng) for _ in range(rng.randrange(1, 8))}}
        cases.append(Case("run-log", f"random {i}", _run([json.dumps(HEADER), json.dumps(record), json.dumps(record)])))
        config = {rng.choice(["dataset", "m", "hidden", "activations", "seed", "learning_rate", "iterations", "init",
                              "batch_size", "l2", "label", "noise", "output"]): random_value(rng) for _ in range(rng.randrange(1, 5))}
        cases.append(Case("config", f"random json {i}", _bytes("exp.json", json.dumps(config))))
        control = {"commands": [{rng.choice(KEYS): random_value(rng) for _ in range(3)} for _ in range(rng.randrange(4))]}
        cases.append(Case("control", f"random {i}", _bytes("control.json", json.dumps(control))))
        meta = {rng.choice(["layer_dims", "hidden_activations", "output", "extra", "format_version", "checksum"]): random_value(rng)}
        cases.append(Case("model", f"random metadata {i}", _bytes("model.npz", model_bytes(meta))))
        cells = [[str(random_value(rng)).replace("\n", " ") for _ in range(3)] for _ in range(rng.randrange(1, 12))]
        cases.append(Case("csv", f"random {i}", _bytes("data.csv", "a,b,label\n" + "\n".join(",".join(r) for r in cells))))
    return cases
