"""Text from files, paths and control files made safe to show, in the app and on the command line.

Every string that reaches a terminal goes through ``printable`` (one line) or
``printable_lines`` (a block): any character that is not printable (C0 and C1
controls such as ESC, DEL, bidi and other format characters, line separators,
unassigned code points) becomes ``?``, so no escape sequence can retitle,
clear or recolour the user's terminal. ``say`` writes a block that way;
``markup_safe`` also escapes every ``[`` for Textual markup. Stdlib only.
"""

from __future__ import annotations

import sys
import unicodedata
from typing import TextIO

__all__ = ["MAX_SHOWN", "markup_safe", "printable", "printable_lines", "say"]

MAX_SHOWN = 200


def printable(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` as a single printable line of at most ``limit`` characters (cut with ``…``)."""
    s = str(text)
    if len(s) > limit + 16:  # normalising may shorten it a little; never scan a huge string
        s = s[: limit + 16]
    s = "".join(c if c.isprintable() else "?" for c in unicodedata.normalize("NFC", s))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def printable_lines(text: object, limit: int = 1000) -> str:
    """``text`` with each of its lines made ``printable`` (newlines kept, nothing else)."""
    return "\n".join(printable(line, limit) for line in str(text).split("\n"))


def say(text: object, stream: TextIO | None = None) -> None:
    """Write ``text`` and a newline made printable line by line; a closed or full stream is ignored."""
    try:
        print(printable_lines(text), file=sys.stdout if stream is None else stream, flush=True)
    except (OSError, ValueError):
        pass


def markup_safe(text: object, limit: int = MAX_SHOWN) -> str:
    """``printable(text)`` with every ``[`` escaped, for strings that go through Textual markup.

    Rich's ``escape`` (and Textual's own) leave a ``[`` alone unless it opens
    something shaped like a tag, but Textual's parser also rejects an unclosed
    ``[name=`` (``MarkupError``: a typed path ended the app). ``\\[`` is always a
    literal ``[`` to Textual, whatever follows it.
    """
    return printable(text, limit).replace("[", "\\[")
