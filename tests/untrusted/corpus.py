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

import json
import os
import random
from pathlib import Path
from typing import Any, Callable

import sys

sys.path.insert(0, str(Path(__file__).parent))  # the sibling corpus_* modules, however this one is imported

from corpus_base import AREAS, ESC, Case, special_cases, write_bytes  # noqa: E402
from corpus_data import CSV_ROWS, csv_cases, h5_gzip_bomb, h5_sparse_bomb, hdf5_cases, npz_cases, npz_image_bomb  # noqa: E402
from corpus_models import model_bomb, model_bytes, model_cases  # noqa: E402

__all__ = ["AREAS", "CSV_ROWS", "Case", "ESC", "crafted_cases", "h5_gzip_bomb", "h5_sparse_bomb", "model_bomb",
           "model_bytes", "npz_image_bomb", "random_cases"]


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
    cases = [Case("config", f"json: {n}", write_bytes("exp.json", t)) for n, t in json_docs.items()]
    cases += [Case("config", f"toml: {n}", write_bytes("exp.toml", t)) for n, t in toml_docs.items()]
    return cases + special_cases("config")


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
    return cases + [Case("run-log", c.name, _in_run_folder(c.make)) for c in special_cases("run-log")]


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
    return [Case("control", n, write_bytes("control.json", t)) for n, t in docs.items()] + special_cases("control")


def crafted_cases() -> list[Case]:
    return csv_cases() + npz_cases() + hdf5_cases() + model_cases() + _config_cases() + _log_cases() + _control_cases()


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
        cases.append(Case("config", f"random json {i}", write_bytes("exp.json", json.dumps(config))))
        control = {"commands": [{rng.choice(KEYS): random_value(rng) for _ in range(3)} for _ in range(rng.randrange(4))]}
        cases.append(Case("control", f"random {i}", write_bytes("control.json", json.dumps(control))))
        meta = {rng.choice(["layer_dims", "hidden_activations", "output", "extra", "format_version", "checksum"]): random_value(rng)}
        cases.append(Case("model", f"random metadata {i}", write_bytes("model.npz", model_bytes(meta))))
        cells = [[str(random_value(rng)).replace("\n", " ") for _ in range(3)] for _ in range(rng.randrange(1, 12))]
        cases.append(Case("csv", f"random {i}", write_bytes("data.csv", "a,b,label\n" + "\n".join(",".join(r) for r in cells))))
    return cases

