"""Strict, bounded JSON and TOML for untrusted text, and the null-plus-string form of non-finite floats.

``parse_json`` and ``parse_toml`` accept UTF-8 with or without a BOM, check the
nesting depth before parsing (so the parser never recurses deeply), refuse NaN and
Infinity constants, integers beyond 64 bits, numbers too long to be real and
floats that overflow, and turn every failure (the parser's own, ``ValueError`` from
Python's integer-digit limit, ``RecursionError``) into one ``PlainDataError``.

Non-finite floats are written as ``"k": null`` plus ``"k_str": "nan" | "inf" |
"-inf"`` (``to_plain_json``); ``from_plain_json`` undoes it. Stdlib only.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from typing import Any

__all__ = [
    "MAX_DEPTH", "MAX_INT", "PlainDataError", "STR_SUFFIX", "decode_text", "dumps_plain", "from_plain_json",
    "parse_json", "parse_toml", "to_plain_json",
]

MAX_DEPTH = 32
"""Deepest nesting of arrays and objects accepted."""
MAX_INT = 2**63 - 1
"""Largest magnitude of an integer accepted."""
MAX_NUMBER_CHARS = 64
"""Longest run of digits (TOML: and underscores) accepted outside strings."""
STR_SUFFIX = "_str"
"""Suffix of the sibling key that carries a non-finite float's text."""

_NONFINITE_TEXT = ("nan", "inf", "-inf")
_JSON_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_TOML_STRINGS = re.compile(
    r"'''.*?'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#[^\n]*", re.DOTALL
)
_BRACKETS = re.compile(r"[^\[\]{}]+")
_LONG_NUMBER = re.compile(r"[0-9_]{%d,}" % (MAX_NUMBER_CHARS + 1))
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_PAIRS = re.compile(rb"[\[{][\]}]")
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_BYTE_STRING = re.compile(rb'"[^"]*"')
_NOT_STRUCTURE = bytes(range(256)).translate(None, b'[]{}"')


class PlainDataError(ValueError):
    """Text is not strict, bounded JSON or TOML; the message says where (line, column) and why."""


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def decode_text(data: bytes | str) -> str:
    """UTF-8 text with one leading byte-order mark dropped (as CSV files are read)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise PlainDataError(f"line {line}: byte 0x{data[e.start]:02x} is not UTF-8 text") from None


def _blank(match: re.Match[str]) -> str:
    """A string or comment replaced by spaces of the same length (newlines kept, so positions hold)."""
    return re.sub(r"[^\n]", " ", match.group())


def _peel(brackets: bytes, max_depth: int) -> bool:
    """True unless ``brackets`` (only ``[]{}``) balance within ``max_depth`` levels.

    Each pass deletes the innermost pairs at C speed, so ``d`` levels take ``d`` passes.
    """
    for _ in range(max_depth):
        if not brackets:
            return False
        brackets = _PAIRS.sub(b"", brackets)
    return bool(brackets)


def _json_brackets(text: str) -> bytes:
    """The brackets of JSON text outside its strings (escapes dropped first, then strings)."""
    data = text.encode("utf-8", "surrogatepass")
    if b"\\" in data:
        data = _ESCAPE.sub(b"", data)
    return _BYTE_STRING.sub(b"", data.translate(None, _NOT_STRUCTURE))


def _toml_brackets(text: str) -> bytes:
    """The brackets of TOML text outside its strings and comments."""
    return _BRACKETS.sub("", _TOML_STRINGS.sub("", text)).encode()


def _locate_depth(text: str, strings: re.Pattern[str], max_depth: int) -> None:
    """Raise naming the line and column where nesting passes ``max_depth`` (the slow pass, only on error)."""
    depth = 0
    for m in re.finditer(r"[\[\]{}]", strings.sub(_blank, text)):
        depth += _STEP[m.group()]
        if depth > max_depth:
            raise PlainDataError(f"{_where(text, m.start())}: nested more than {max_depth} levels deep")
        if depth < 0:
            return  # unbalanced: the parser says where


def _check_before_parsing(text: str, toml: bool, max_depth: int) -> None:
    """Refuse nesting deeper than ``max_depth`` (and, for TOML, over-long numbers) outside strings."""
    strings = _TOML_STRINGS if toml else _JSON_STRINGS
    if text.count("[") + text.count("{") > max_depth:
        if _peel(_toml_brackets(text) if toml else _json_brackets(text), max_depth):
            _locate_depth(text, strings, max_depth)
    if toml and _LONG_NUMBER.search(strings.sub("", text)):
        long = _LONG_NUMBER.search(strings.sub(_blank, text))
        assert long is not None
        raise PlainDataError(f"{_where(text, long.start())}: a number of {len(long.group())} characters; too long to be a setting")


def _check_after_parsing(value: Any, max_depth: int) -> None:
    """Depth (TOML dotted keys nest without brackets) and integer size of a parsed value, iteratively."""
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, (dict, list)):
            if depth > max_depth:
                raise PlainDataError(f"nested more than {max_depth} levels deep")
            stack.extend((child, depth + 1) for child in (v.values() if isinstance(v, dict) else v))
        elif isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_INT:
            raise PlainDataError(f"an integer of {v.bit_length()} bits is larger than 64 bits")


def _int(token: str) -> int:
    if len(token.lstrip("-")) > 19:
        raise PlainDataError(f"the integer {token[:20]}... is larger than 64 bits")
    return int(token)


def _float(token: str) -> float:
    if len(token) > MAX_NUMBER_CHARS * 4:
        raise PlainDataError(f"the number {token[:20]}... is too long")
    value = float(token)
    if not math.isfinite(value):
        raise PlainDataError(f"the number {token[:20]} overflows a 64-bit float")
    return value


def _reject_constant(name: str) -> Any:
    raise PlainDataError(f"{name} is not strict JSON (non-finite numbers are written as null plus a string)")


def parse_json(data: bytes | str, max_depth: int = MAX_DEPTH, strict_numbers: bool = True) -> Any:
    """Strict JSON (no NaN/Infinity constants, at most ``max_depth`` deep).

    With ``strict_numbers`` integers beyond 64 bits and floats that overflow are
    refused too; without it (for a caller that checks every number it keeps, like
    the run-log reader, and wants the speed) they are returned as parsed.
    """
    text = decode_text(data)
    _check_before_parsing(text, False, max_depth)
    hooks = {"parse_int": _int, "parse_float": _float} if strict_numbers else {}
    try:
        return json.loads(text, parse_constant=_reject_constant, **hooks)
    except json.JSONDecodeError as e:
        raise PlainDataError(f"line {e.lineno}, column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise PlainDataError(f"nested more than {max_depth} levels deep") from None
    except PlainDataError:
        raise
    except (ValueError, OverflowError):  # Python's limit on an integer's digits
        raise PlainDataError("a number is too long to read (more than 4300 digits)") from None


def parse_toml(data: bytes | str, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """TOML (``tomllib``) with the same bounds as ``parse_json``; NaN and inf literals are kept
    (a config's own range checks refuse them with the key's name)."""
    text = decode_text(data)
    _check_before_parsing(text, True, max_depth)
    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PlainDataError(str(e)) from None
    except RecursionError:
        raise PlainDataError(f"nested more than {max_depth} levels deep") from None
    except (ValueError, OverflowError):
        raise PlainDataError("a number is too long to read (more than 4300 digits)") from None
    _check_after_parsing(value, max_depth)
    return value


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
            if value is None and text in _NONFINITE_TEXT:
                out[key] = float(text)
            else:
                out[key] = from_plain_json(value)
        return out
    if isinstance(obj, list):
        return [from_plain_json(v) for v in obj]
    return obj


def dumps_plain(obj: Any, **kwargs: Any) -> str:
    """Strict JSON text of ``obj`` with non-finite floats in the null-plus-string form."""
    return json.dumps(to_plain_json(obj), allow_nan=False, **kwargs)
