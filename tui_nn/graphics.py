"""Whether the terminal can show the map as a picture (kitty graphics or sixel), found before Textual starts.

``textual-image`` (the ``image`` extra) asks the terminal when it is imported: a
device-attributes query for sixel and a kitty graphics query, each waiting at most
0.1 s for an answer, so a terminal that never answers costs a fraction of a second
and nothing hangs. It is only asked when both stdin and stdout are terminals, when
no multiplexer sits in between (tmux and screen do not pass pictures on), and when
the environment names a terminal known to draw them (kitty, WezTerm, iTerm2, foot,
xterm) or ``TUI_NN_GRAPHICS=query`` says to ask anyway; ``TUI_NN_GRAPHICS=off`` (or
``--slow-link``) never asks. Everywhere else the map stays half-blocks.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Mapping

GRAPHICS_ENV = "TUI_NN_GRAPHICS"
"""``auto`` (the default), ``off``, or ``query`` (ask whatever the terminal is)."""
PROTOCOLS = ("sixel", "tgp")
"""What a picture can be sent as: sixel, or kitty's terminal graphics protocol."""

KNOWN_TERMS = ("xterm-kitty", "foot", "foot-extra", "wezterm", "mlterm", "contour")
KNOWN_PROGRAMS = ("iTerm.app", "WezTerm", "ghostty", "mintty", "contour")
KNOWN_VARIABLES = ("KITTY_WINDOW_ID", "WEZTERM_EXECUTABLE", "XTERM_VERSION", "ITERM_SESSION_ID")


def _is_tty(stream: IO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed or detached
        return False


def worth_asking(env: Mapping[str, str], stdin: IO | None, stdout: IO | None) -> bool:
    """True when the terminal may draw pictures and asking it cannot hang or be lost."""
    choice = env.get(GRAPHICS_ENV, "auto").strip().lower()
    if choice == "off" or not (_is_tty(stdin) and _is_tty(stdout)):
        return False
    if choice == "query":
        return True
    term = env.get("TERM", "")
    if env.get("TMUX") or env.get("STY") or term.startswith(("screen", "tmux")):
        return False
    return (term in KNOWN_TERMS or env.get("TERM_PROGRAM", "") in KNOWN_PROGRAMS
            or any(env.get(name) for name in KNOWN_VARIABLES))


def detect_graphics(env: Mapping[str, str] | None = None, stdin: IO | None = None, stdout: IO | None = None) -> str | None:
    """``"sixel"`` or ``"tgp"`` when the terminal answered that it draws pictures, else None.

    Call before Textual starts (its input thread would take the terminal's answer).
    Never raises: a missing extra, a closed stream or an odd answer all mean None.
    """
    env = os.environ if env is None else env
    stdin = sys.__stdin__ if stdin is None else stdin
    stdout = sys.__stdout__ if stdout is None else stdout
    if not worth_asking(env, stdin, stdout):
        return None
    try:
        from textual_image import renderable  # asks the terminal, 0.1 s per question at most
        import textual_image.widget  # noqa: F401  (caches the cell size in pixels while it still can)
    except Exception:  # the extra is missing, or the terminal said something unexpected
        return None
    if renderable.Image is renderable.SixelImage:
        return "sixel"
    if renderable.Image is renderable.TGPImage:
        return "tgp"
    return None


def cell_pixels() -> tuple[int, int]:
    """A character cell's ``(width, height)`` in pixels, as the terminal told ``textual-image``."""
    from textual_image._terminal import get_cell_size

    size = get_cell_size()
    return int(size.width), int(size.height)
