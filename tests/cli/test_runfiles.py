"""Strict-JSON record encoding and LayerStats to/from JSON."""

from __future__ import annotations

import json
import math

import pytest

from tui_nn.config import RunConfig
from tui_nn.core.stats import ArrayStats, Histogram, LayerStats
from tui_nn.experiment import build_experiment
from tui_nn.runs.files import StrictJSONError, encode_line, from_plain_json, strict_loads, to_plain_json
from tui_nn.runs.log import layer_stats_from_json, layer_stats_to_json


def test_non_finite_floats_become_null_plus_text():
    record = {"cost": float("nan"), "dev_cost": float("inf"), "x": -float("inf"), "ok": 1.5, "nested": {"r": float("nan")}}
    line = encode_line(record)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    data = strict_loads(line)
    assert data["cost"] is None and data["cost_str"] == "nan"
    assert data["dev_cost_str"] == "inf" and data["x_str"] == "-inf"
    assert data["nested"] == {"r": None, "r_str": "nan"}
    back = from_plain_json(data)
    assert math.isnan(back["cost"]) and back["dev_cost"] == math.inf and back["x"] == -math.inf
    assert back["ok"] == 1.5 and "cost_str" not in back and math.isnan(back["nested"]["r"])


def test_strict_loads_rejects_nan_and_non_objects():
    for bad in (b'{"a": NaN}', b'{"a": Infinity}', b"[1, 2]", b'{"a": 1', b"\xff\xfe"):
        with pytest.raises(StrictJSONError):
            strict_loads(bad)


def test_newlines_in_strings_stay_escaped():
    line = encode_line({"reason": "two\nlines\r", "name": "ünï"})
    assert line.count(b"\n") == 1
    assert strict_loads(line)["reason"] == "two\nlines\r"


def test_layer_stats_round_trip_from_a_real_step():
    exp = build_experiment(RunConfig(hidden=(5, 3), activations=("relu", "tanh"), iterations=3))
    trainer = exp.new_trainer(stats_every=1)
    stats = next(trainer.run()).layer_stats
    assert stats is not None and len(stats) == 3
    for s in stats:
        data = layer_stats_to_json(s)
        json.dumps(data, allow_nan=False)
        assert layer_stats_from_json(json.loads(json.dumps(data))) == s


def test_layer_stats_with_infinite_update_ratio():
    a = ArrayStats(0.0, 0.0, 0.0, 0.0, 0.0)
    h = Histogram((0, 1), 0.0, 0.0)
    s = LayerStats(1, "relu", 2, a, a, a, a, float("inf"), None, 0.5, True, h, h)
    data = layer_stats_to_json(s)
    assert data["update_ratio"] is None and data["update_ratio_str"] == "inf"
    assert layer_stats_from_json(strict_loads(encode_line(data))) == s
    with pytest.raises(ValueError, match="layer statistics"):
        layer_stats_from_json({"layer": 1})


def test_plain_json_is_idempotent():
    data = to_plain_json({"a": (1, 2.0), "b": [float("nan")]})
    assert data == {"a": [1, 2.0], "b": [None]}
