"""Sweep axes: which run-config field varies and over which values (stdlib only).

An axis is a config key and a tuple of values. Kinds:

- ``list``: the values as written (``hidden = [1, 2, 3]``, ``--vary hidden=1,2,3``);
- ``linear`` / ``log``: ``count`` evenly spaced values from ``lo`` to ``hi`` on a linear
  or log scale, both ends included (``--vary lr=log:0.01:1:3`` gives 0.01, 0.1, 1);
- ``random`` / ``random-log``: ``count`` uniform (or log-uniform) samples from
  ``[lo, hi]`` drawn from ``random.Random(seed)``, so a seed repeats the sweep;
- ``repeat``: ``seed`` = base seed, base seed + 1, ... (repeats over seeds);
- ``cases`` (sweep files): a list of tables, each a set of settings that go together
  (``cases = [{init = "zeros"}, {init = "random", init_scale = 10}]``).

Keys are run-config field names or their flag names (``lr``, ``activation``,
``optimiser``, ``examples``); ``hidden.L`` and ``activations.L`` vary one hidden
layer (1-based, the course's ``l``). Whole-number fields round range values.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Mapping

from tui_nn.config import FIELD_NAMES, MAX_HIDDEN_LAYERS, ConfigError
from tui_nn.flags import CONFIG_FLAGS

__all__ = ["Axis", "MAX_AXIS_VALUES", "SweepError", "axis_from_flag", "axis_from_value", "canonical_key", "repeat_axis"]

MAX_AXIS_VALUES = 10_000
LIST_KEYS = ("hidden", "activations")
"""Fields whose value is a list: an axis may vary the whole list or one layer (``hidden.2``)."""
INT_KEYS = ("m", "data_seed", "seed", "iterations", "batch_size", "eval_every")
FLOAT_KEYS = ("noise", "init_scale", "learning_rate", "l2")
NOT_VARIED = ("out",)
RANGE_KINDS = ("linear", "log", "random", "random-log")
KIND_ALIASES = {"lin": "linear", "range": "linear", "rand": "random", "randlog": "random-log", "random_log": "random-log"}


class SweepError(ConfigError):
    """A sweep cannot run as written; the message names the file, axis and value."""


@dataclass(frozen=True)
class Axis:
    """One varied key and its values, in order; ``spec`` is how the user wrote it (for messages)."""

    key: str
    """A ``RunConfig`` field, or ``hidden.L`` / ``activations.L`` for one layer (1-based)."""
    values: tuple[Any, ...]
    kind: str = "list"
    spec: str = ""

    @property
    def field(self) -> str:
        """The config field this axis sets (``hidden`` for ``hidden.2``)."""
        return self.key.split(".", 1)[0]

    @property
    def layer(self) -> int | None:
        """The 1-based layer of a per-layer axis, else None."""
        return int(self.key.split(".", 1)[1]) if "." in self.key else None

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "spec": self.spec, "values": [_plain(v) for v in self.values]}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return list(value) if isinstance(value, tuple) else value


_ALIASES: dict[str, str] = {name: name for name in FIELD_NAMES}
for _flag in CONFIG_FLAGS:
    for _name in _flag.names:
        if _name.startswith("--"):
            _ALIASES[_name[2:].replace("-", "_")] = _flag.key


def canonical_key(key: str, where: str = "vary") -> str:
    """``lr`` -> ``learning_rate``, ``hidden.2`` stays; raises ``SweepError`` for an unknown key."""
    text = str(key).strip()
    base, dot, layer = text.partition(".")
    name = _ALIASES.get(base.replace("-", "_").lower())
    if name is None:
        raise SweepError(f"{where}: unknown field {text[:40]!r}; a sweep can vary any run-config field: {', '.join(f for f in FIELD_NAMES if f not in NOT_VARIED)}")
    if name in NOT_VARIED:
        raise SweepError(f"{where}: {name} cannot be varied (every trial lives in the sweep folder)")
    if not dot:
        return name
    if name not in LIST_KEYS:
        raise SweepError(f"{where}: {text[:40]!r}: only hidden and activations can be varied per layer (hidden.2)")
    if not layer.isdigit() or not 1 <= int(layer) <= MAX_HIDDEN_LAYERS:
        raise SweepError(f"{where}: {text[:40]!r}: the layer must be a number from 1 to {MAX_HIDDEN_LAYERS}")
    return f"{name}.{int(layer)}"


def _number(key: str, text: Any, what: str) -> float:
    if isinstance(text, bool):
        raise SweepError(f"vary {key}: {what} must be a number, got {text!r}")
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise SweepError(f"vary {key}: {what} must be a number, got {str(text)[:40]!r}") from None
    if not math.isfinite(value):
        raise SweepError(f"vary {key}: {what} must be finite, got {text!r}")
    return value


def _count(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise SweepError(f"vary {key}: count must be a whole number, got {value!r}")
    try:
        n = int(value)
    except ValueError:
        raise SweepError(f"vary {key}: count must be a whole number, got {str(value)[:40]!r}") from None
    if not 1 <= n <= MAX_AXIS_VALUES:
        raise SweepError(f"vary {key}: count must be between 1 and {MAX_AXIS_VALUES}, got {n}")
    return n


def _tidy(key: str, x: float) -> int | float:
    """Whole-number fields round; others keep 12 significant digits (0.1, not 0.10000000000000002)."""
    field = key.split(".", 1)[0]
    if field in INT_KEYS or field == "hidden":
        return int(round(x))
    return float(f"{x:.12g}")


def range_values(key: str, kind: str, lo: float, hi: float, count: int, seed: int = 0) -> tuple[Any, ...]:
    """The values of a ``linear``/``log``/``random``/``random-log`` axis (see the module docstring)."""
    log = kind in ("log", "random-log")
    if log and (lo <= 0 or hi <= 0):
        raise SweepError(f"vary {key}: a log scale needs positive ends, got {lo:g} and {hi:g}")
    a, b = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
    if kind.startswith("random"):
        rng = random.Random(seed)
        points = [rng.uniform(a, b) for _ in range(count)]
    else:
        points = [a + (b - a) * i / (count - 1) for i in range(count)] if count > 1 else [a]
    values = tuple(_tidy(key, 10**p if log else p) for p in points)
    if len(set(values)) < len(values) and not kind.startswith("random"):
        raise SweepError(f"vary {key}: {count} values from {lo:g} to {hi:g} repeat after rounding to whole numbers: {list(values)}")
    return values


def _range_from_mapping(key: str, spec: Mapping[str, Any]) -> Axis:
    kinds = [k for k in ("linear", "log", "random", "random-log", "random_log", "range") if k in spec]
    if len(kinds) != 1:
        raise SweepError(f"vary {key}: expected a list of values or one of {{linear|log|random|random-log = [lo, hi], count = N}}, got keys {sorted(spec)}")
    kind = KIND_ALIASES.get(kinds[0], kinds[0])
    if kind == "linear" and spec.get("scale") == "log":
        kind = "log"
    if kind == "random" and spec.get("scale") == "log":
        kind = "random-log"
    unknown = set(spec) - {kinds[0], "count", "seed", "scale"}
    if unknown:
        raise SweepError(f"vary {key}: unknown setting {sorted(unknown)[0]!r} (expected count, seed, scale)")
    ends = spec[kinds[0]]
    if not isinstance(ends, (list, tuple)) or len(ends) != 2:
        raise SweepError(f"vary {key}: {kinds[0]} needs [lo, hi], got {ends!r}")
    lo, hi = (_number(key, e, "each end") for e in ends)
    if "count" not in spec:
        raise SweepError(f"vary {key}: {kinds[0]} needs count = N")
    seed = int(_number(key, spec.get("seed", 0), "seed"))
    values = range_values(key, kind, lo, hi, _count(key, spec["count"]), seed)
    return Axis(key, values, kind, f"{kind}:{lo:g}:{hi:g}:{spec['count']}" + (f":{seed}" if kind.startswith("random") else ""))


CASES = "cases"


def _cases_axis(value: Any) -> Axis:
    if not isinstance(value, (list, tuple)) or not value:
        raise SweepError("vary cases: expected a non-empty list of tables, like [{init = \"zeros\"}, {init = \"he\"}]")
    cases = []
    for i, case in enumerate(value, 1):
        if not isinstance(case, Mapping) or not case:
            raise SweepError(f"vary cases: case {i} must be a non-empty table of settings, got {str(case)[:40]!r}")
        cases.append({canonical_key(k, f"vary cases: case {i}"): tuple(v) if isinstance(v, list) else v for k, v in case.items()})
    if len(cases) > MAX_AXIS_VALUES:
        raise SweepError(f"vary cases: at most {MAX_AXIS_VALUES} cases, got {len(cases)}")
    return Axis(CASES, tuple(cases), CASES, f"{len(cases)} cases")


def axis_from_value(raw_key: str, value: Any) -> Axis:
    """An axis from a sweep file's ``[vary]`` entry: a list of values, a range table, or ``cases``."""
    if str(raw_key).strip().lower() == CASES:
        return _cases_axis(value)
    key = canonical_key(raw_key)
    if isinstance(value, Mapping):
        return _range_from_mapping(key, value)
    if not isinstance(value, (list, tuple)):
        raise SweepError(f"vary {key}: expected a list of values or a range table, got {type(value).__name__} {str(value)[:40]!r}")
    if not value:
        raise SweepError(f"vary {key}: empty axis (give at least one value)")
    if len(value) > MAX_AXIS_VALUES:
        raise SweepError(f"vary {key}: at most {MAX_AXIS_VALUES} values, got {len(value)}")
    values = tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return Axis(key, values, "list", ",".join(str(_plain(v)) for v in values)[:200])


def _flag_value(key: str, text: str) -> Any:
    """One value of a ``--vary`` list, converted with the same parser as the key's flag."""
    field = key.split(".", 1)[0]
    if key == "hidden":  # 20x7x5 is three layers; commas separate trials
        return tuple(int(_number(key, p, "each layer size")) for p in text.split("x")) if text else ()
    if field == "features":  # x1+x2+x1^2 is one set of features; commas separate trials
        return None if text.lower() == "none" else tuple(p.strip() for p in text.split("+"))
    if field == "activations" and "." not in key:
        return tuple(p.strip().lower() for p in text.split("x"))
    if field == "hidden":
        return int(_number(key, text, "a layer size"))
    if field == "activations":
        return text.strip().lower()
    flag = next(f for f in CONFIG_FLAGS if f.key == field)
    return flag.parse(field, text)


def axis_from_flag(text: str) -> Axis:
    """An axis from ``--vary KEY=V1,V2,...`` or ``--vary KEY=KIND:LO:HI:COUNT[:SEED]``.

    KIND is ``linear`` (``lin``), ``log``, ``random`` or ``random-log``; SEED (random kinds,
    default 0) makes the samples repeatable. ``hidden=4,20x7x5`` varies the whole list;
    ``features=none,x1+x2+x1^2`` gives each trial a set of input features.
    """
    raw_key, eq, rest = text.partition("=")
    if not eq or not raw_key.strip():
        raise SweepError(f"--vary {text[:60]!r}: expected KEY=V1,V2,... or KEY=log:LO:HI:COUNT")
    key = canonical_key(raw_key, "--vary")
    rest = rest.strip()
    head, colon, tail = rest.partition(":")
    kind = KIND_ALIASES.get(head.lower(), head.lower())
    if colon and kind in RANGE_KINDS:
        parts = tail.split(":")
        if len(parts) not in (3, 4) or (len(parts) == 4 and not kind.startswith("random")):
            raise SweepError(f"--vary {key}: expected {kind}:LO:HI:COUNT{'[:SEED]' if kind.startswith('random') else ''}, got {rest[:60]!r}")
        lo, hi = _number(key, parts[0], "LO"), _number(key, parts[1], "HI")
        seed = int(_number(key, parts[3], "SEED")) if len(parts) == 4 else 0
        return Axis(key, range_values(key, kind, lo, hi, _count(key, parts[2]), seed), kind, rest)
    if not rest:
        raise SweepError(f"--vary {key}: empty axis (give at least one value)")
    pieces = [p.strip() for p in rest.split(",")]
    if not all(pieces):
        raise SweepError(f"--vary {key}: empty value in {rest[:60]!r}")
    values = []
    for piece in pieces:
        try:
            values.append(_flag_value(key, piece))
        except ConfigError as e:
            raise SweepError(f"--vary {key}: value {piece[:40]!r}: {e}") from None
    if len(values) > MAX_AXIS_VALUES:
        raise SweepError(f"--vary {key}: at most {MAX_AXIS_VALUES} values, got {len(values)}")
    return Axis(key, tuple(values), "list", rest[:200])


def repeat_axis(repeats: Any, base_seed: int) -> Axis:
    """``seed`` = ``base_seed``, ``base_seed + 1``, ... ``repeats`` times."""
    n = _count("repeats", repeats)
    return Axis("seed", tuple(base_seed + i for i in range(n)), "repeat", f"repeats={n}")
