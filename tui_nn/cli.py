"""The ``tui-nn`` command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("usage: tui-nn", file=sys.stderr)
    return 0
