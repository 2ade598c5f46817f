"""Names inside a run folder and the strict-JSON encoding of run-log records.

A run folder holds::

    config.toml     the resolved RunConfig
    metrics.jsonl   the log: a header record, then one JSON object per line
    last.npz        the latest parameters (atomic replace)
    best.npz        the parameters with the best dev accuracy so far (atomic replace)
    control.json    steering commands from a watcher (atomic replace)
    train.lock      held (flock) by the process that is training the run

Log lines are strict JSON: a non-finite float ``x`` under key ``k`` is written as
``"k": null`` plus ``"k_str": "nan" | "inf" | "-inf"``. ``to_plain_json`` does
that; ``from_plain_json`` undoes it (both from ``tui_nn.core.plainjson``, which
model files share).
"""

from __future__ import annotations

from typing import Any

from tui_nn.core.plainjson import STR_SUFFIX, PlainDataError, dumps_plain, from_plain_json, parse_json, to_plain_json

__all__ = [
    "BEST_MODEL", "CONFIG_NAME", "CONTROL_NAME", "LAST_MODEL", "LOCK_NAME", "LOG_NAME", "MAX_LINE_BYTES",
    "SCHEMA_VERSION", "STR_SUFFIX", "StrictJSONError", "encode_line", "from_plain_json", "strict_loads",
    "to_plain_json",
]

SCHEMA_VERSION = 1
LOG_NAME = "metrics.jsonl"
CONFIG_NAME = "config.toml"
LAST_MODEL = "last.npz"
BEST_MODEL = "best.npz"
CONTROL_NAME = "control.json"
LOCK_NAME = "train.lock"
MAX_LINE_BYTES = 1 << 20
"""A log line (or control file) longer than this is refused unread; real records are a few KB."""


class StrictJSONError(ValueError):
    """A line is not strict JSON (NaN, Infinity, bad syntax, too deep, or not an object)."""


def encode_line(record: dict[str, Any]) -> bytes:
    """One record as a strict-JSON line (UTF-8, ends with ``\\n``, no other newline)."""
    return dumps_plain(record, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"


def strict_loads(line: bytes | str) -> dict[str, Any]:
    """Parse one log line as a strict, bounded JSON object; raises ``StrictJSONError``.

    Numbers are returned as parsed (the record schemas in ``tui_nn.runs.records``
    bound every number a reader keeps).
    """
    try:
        value = parse_json(line, strict_numbers=False)
    except PlainDataError as e:
        raise StrictJSONError(str(e).removeprefix("line 1, ")) from None
    if not isinstance(value, dict):
        raise StrictJSONError(f"expected a JSON object, got {type(value).__name__}")
    return value
