"""Text from files made safe to show: control characters removed, markup escaped."""

from __future__ import annotations

import re
import unicodedata

from rich.markup import escape

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
MAX_SHOWN = 200


def printable(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` as a single printable line: control and bidi characters become ``?``."""
    s = unicodedata.normalize("NFC", str(text))
    s = _CONTROL.sub("?", s)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def markup_safe(text: object, limit: int = MAX_SHOWN) -> str:
    """``printable(text)`` with Textual/Rich markup escaped, for strings that go through markup."""
    return escape(printable(text, limit))
