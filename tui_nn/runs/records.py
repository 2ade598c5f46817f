"""One schema per run-log record type, checked when a record is read (stdlib only).

``validate_record`` takes a parsed line (non-finite floats already restored from
their null-plus-string form) and returns a record holding only the known fields,
each of the expected type: whole numbers within ``MAX_COUNT``, floats (finite, or
NaN/inf from the log's convention), strings of at most ``MAX_TEXT`` characters,
booleans, and objects and lists where those are expected. Anything else raises
``RecordError`` naming the record type and the field, so the reader counts the
line as malformed and every consumer (the listing, the watcher) sees only
well-typed values. A record of an unknown type keeps only its ``type``: a new
record type needs a schema here before anyone reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["END_STATES", "MAX_COUNT", "MAX_TEXT", "RecordError", "validate_record"]

MAX_COUNT = 2**53
"""Largest whole number a record may hold (iterations, sizes, process ids)."""
MAX_TEXT = 2000
"""Longest string a record may hold."""
MAX_ITEMS = 1000
"""Longest list a record may hold (class names; layers and histograms are shorter)."""
END_STATES = ("finished", "converged", "diverged", "stopped", "terminated", "failed", "early-stopped")
EVAL_STATUSES = ("running", "finished", "converged", "diverged")
ACK_COMMANDS = ("pause", "resume", "stop", "set_learning_rate", "invalid")

Check = Callable[[Any], Any]


class RecordError(ValueError):
    """A record's field is missing or of the wrong type; the message names it."""


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    return f"{type(value).__name__} {value!r:.40}" if isinstance(value, (str, int, float, bool)) else type(value).__name__


def count(value: Any) -> int:
    """A whole number in ``0 .. MAX_COUNT`` (never a bool)."""
    if type(value) is int and 0 <= value <= MAX_COUNT:
        return value
    raise RecordError(f"expected a whole number 0..2**53, got {_shown(value)}")


def real(value: Any) -> float:
    """A float (an int is converted; NaN and infinity come from the null-plus-string form)."""
    if type(value) is float:
        return value
    if type(value) is int and abs(value) <= MAX_COUNT:
        return float(value)
    raise RecordError(f"expected a number, got {_shown(value)}")


def text(value: Any) -> str:
    if isinstance(value, str) and len(value) <= MAX_TEXT:
        return value
    raise RecordError(f"expected a string of at most {MAX_TEXT} characters, got {_shown(value)}")


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise RecordError(f"expected true or false, got {_shown(value)}")


def one_of(*options: str) -> Check:
    def check(value: Any) -> str:
        if value in options and isinstance(value, str):
            return value
        raise RecordError(f"expected one of {', '.join(options)}, got {_shown(value)}")

    return check


def items(check: Check, limit: int = MAX_ITEMS) -> Check:
    """A list of at most ``limit`` values, each passing ``check``."""

    def check_list(value: Any) -> list[Any]:
        if not isinstance(value, list) or len(value) > limit:
            raise RecordError(f"expected a list of at most {limit} items, got {_shown(value)}")
        out = []
        for i, v in enumerate(value):
            try:
                out.append(check(v))
            except RecordError as e:
                raise RecordError(f"[{i}]{_join(e)}") from None
        return out

    return check_list


def _join(e: RecordError) -> str:
    """A nested field's message after its parent's name: ``.W.mean: ...`` or ``: expected ...``."""
    message = str(e)
    return message if message.startswith((".", "[")) else f": {message}"


@dataclass(frozen=True)
class Field:
    """How one field is checked; ``required`` fields may not be missing or null."""

    check: Check
    required: bool = False


def need(check: Check) -> Field:
    return Field(check, required=True)


def fields(**schema: Check | Field) -> Check:
    """An object with the given fields (each optional and nullable unless ``need``-ed); others are dropped."""
    spec = {k: v if isinstance(v, Field) else Field(v) for k, v in schema.items()}

    def check_object(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise RecordError(f"expected an object, got {_shown(value)}")
        out: dict[str, Any] = {}
        for key, field in spec.items():
            v = value.get(key)
            if v is None:
                if field.required:
                    raise RecordError(f".{key}: missing")
                if key in value:
                    out[key] = None
                continue
            try:
                out[key] = field.check(v)
            except RecordError as e:
                raise RecordError(f".{key}{_join(e)}") from None
        return out

    return check_object


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return real(value) if isinstance(value, float) or abs(value) > MAX_COUNT else value
    return text(value)


def settings(**typed: Check) -> Check:
    """A flat object of settings: short keys, scalar or short-list values; ``typed`` keys checked strictly."""

    def check_settings(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or len(value) > 64:
            raise RecordError(f"expected an object of at most 64 settings, got {_shown(value)}")
        out: dict[str, Any] = {}
        for key, v in value.items():
            if len(key) > 64:
                raise RecordError(f"a setting's name is longer than 64 characters: {key!r:.40}")
            try:
                if key in typed and v is not None:
                    out[key] = typed[key](v)
                else:
                    out[key] = [_scalar(x) for x in items(lambda x: x, 64)(v)] if isinstance(v, list) else _scalar(v)
            except RecordError as e:
                raise RecordError(f".{key}{_join(e)}") from None
        return out

    return check_settings


CONFIG = settings(iterations=count, learning_rate=real, dataset=text, eval_every=count, seed=count)
ARRAY_STATS = fields(mean=need(real), std=need(real), min=need(real), max=need(real), norm=need(real))
HISTOGRAM = fields(counts=need(items(count, 256)), lo=need(real), hi=need(real))
LAYER = fields(
    layer=need(count), activation=need(text), units=need(count), W=need(ARRAY_STATS), b=need(ARRAY_STATS),
    A=need(ARRAY_STATS), dW=need(ARRAY_STATS), update_ratio=need(real), saturated=real, dead=real,
    identical_units=need(flag), W_hist=need(HISTOGRAM), A_hist=need(HISTOGRAM),
)
SCHEMAS: dict[str, Check] = {
    "header": fields(
        time=real, schema_version=count, run_id=text, created_at=text, pid=count, host=text, tui_nn_version=text,
        config=CONFIG, eval_every=count, stats_every=count,
        dataset=fields(
            name=text, task=text, n_x=count, n_y=count, m_train=count, m_dev=count, m_test=count, description=text,
            class_names=items(text), feature_names=items(text), image_shape=items(count, 8), provenance=settings(),
        ),
        spec=fields(layer_dims=items(count, 65), hidden_activations=items(text, 64), output=text, parameter_count=count),
    ),
    "eval": fields(
        time=real, iteration=need(count), elapsed=real, cost=real, learning_rate=real, train_accuracy=real,
        dev_accuracy=real, dev_cost=real, status=one_of(*EVAL_STATUSES), best=flag, layers=items(LAYER, 64),
    ),
    "ack": fields(
        time=real, seq=count, command=one_of(*ACK_COMMANDS), ok=flag, message=text, iteration=count,
        learning_rate=real, paused=flag,
    ),
    "resume": fields(
        time=real, iteration=count, pid=count, host=text, config=CONFIG, learning_rate=real, optimizer_state=text,
        dropped_bytes=count, from_model=text,
    ),
    "end": fields(
        time=real, state=need(one_of(*END_STATES)), iterations=count, elapsed=real, cost=real, learning_rate=real,
        train_accuracy=real, dev_accuracy=real, test_accuracy=real, best_dev_accuracy=real, reason=text,
        signal=text, signum=count, exit_status=count,
        divergence=fields(iteration=count, layer=count, array=text, reason=text),
    ),
}


def validate_record(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` reduced to its schema's fields, each checked; raises ``RecordError`` naming the field."""
    kind = record.get("type")
    if not isinstance(kind, str):
        raise RecordError(f"a record needs a \"type\" string, got {_shown(kind)}")
    schema = SCHEMAS.get(kind)
    if schema is None:
        return {"type": kind[:40]}
    try:
        return {"type": kind, **schema(record)}
    except RecordError as e:
        raise RecordError(f"{kind} record: {str(e).lstrip('.')}") from None
