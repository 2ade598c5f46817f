"""Names inside a run folder and the strict-JSON encoding of run-log records (stdlib only).

A run folder holds::

    config.toml     the resolved RunConfig
    metrics.jsonl   the log: a header record, then one JSON object per line
    last.npz        the latest parameters (atomic replace)
    best.npz        the parameters with the best dev accuracy so far (atomic replace)
    control.json    steering commands from a watcher (atomic replace)
    train.lock      held (flock) by the process that is training the run

Log lines are strict JSON: a non-finite float ``x`` under key ``k`` is written as
``"k": null`` plus ``"k_str": "nan" | "inf" | "-inf"``. ``to_plain_json`` does
that; ``from_plain_json`` undoes it.
"""

from __future__ import annotations

import json
import math
from typing import Any

SCHEMA_VERSION = 1
LOG_NAME = "metrics.jsonl"
CONFIG_NAME = "config.toml"
LAST_MODEL = "last.npz"
BEST_MODEL = "best.npz"
CONTROL_NAME = "control.json"
LOCK_NAME = "train.lock"

STR_SUFFIX = "_str"
"""Suffix of the sibling key that carries a non-finite float's text."""


class StrictJSONError(ValueError):
    """A line is not strict JSON (NaN, Infinity, bad syntax, or not an object)."""


def _float_text(x: float) -> str:
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def to_plain_json(obj: Any) -> Any:
    """``obj`` with tuples as lists and non-finite floats as null (+ ``key_str`` in dicts).

    In a list a non-finite float becomes null with no sibling (lists in records
    only hold counts and sizes, which are always finite).
    """
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        out: dict[str, Any] = {}
        for key, value in obj.items():
            if isinstance(value, float) and not math.isfinite(value):
                out[key] = None
                out[key + STR_SUFFIX] = _float_text(value)
            else:
                out[key] = to_plain_json(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [to_plain_json(v) for v in obj]
    return obj


def from_plain_json(obj: Any) -> Any:
    """Inverse of ``to_plain_json``: ``{"k": null, "k_str": "nan"}`` becomes ``{"k": nan}``."""
    if isinstance(obj, dict):
        out: dict[str, Any] = {}
        for key, value in obj.items():
            if key.endswith(STR_SUFFIX) and key[: -len(STR_SUFFIX)] in obj and obj[key[: -len(STR_SUFFIX)]] is None:
                continue
            text = obj.get(key + STR_SUFFIX)
            if value is None and text in ("nan", "inf", "-inf"):
                out[key] = float(text)
            else:
                out[key] = from_plain_json(value)
        return out
    if isinstance(obj, list):
        return [from_plain_json(v) for v in obj]
    return obj


def encode_line(record: dict[str, Any]) -> bytes:
    """One record as a strict-JSON line (UTF-8, ends with ``\\n``, no other newline)."""
    text = json.dumps(to_plain_json(record), allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8") + b"\n"


def _reject_constant(name: str) -> Any:
    raise StrictJSONError(f"non-standard JSON constant {name}")


def strict_loads(line: bytes | str) -> dict[str, Any]:
    """Parse one log line as a strict JSON object; raises ``StrictJSONError``."""
    try:
        text = line.decode("utf-8") if isinstance(line, bytes) else line
        value = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError as e:
        raise StrictJSONError(f"not UTF-8 ({e.reason})") from None
    except json.JSONDecodeError as e:
        raise StrictJSONError(f"column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise StrictJSONError("nested too deeply") from None
    if not isinstance(value, dict):
        raise StrictJSONError(f"expected a JSON object, got {type(value).__name__}")
    return value
