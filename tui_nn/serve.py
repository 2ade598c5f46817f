"""``tui-nn serve``: the app in a web browser through textual-serve (the ``web`` extra).

Each browser tab gets its own ``python -m tui_nn`` process with the experiment flags
given to ``serve``. The server listens on 127.0.0.1 unless ``--host`` names another
interface, and then warns: anyone who can reach the port can drive the app.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys

from tui_nn.flags import CONFIG_FLAGS
from tui_nn.safe_text import printable

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class ServeError(Exception):
    """The server cannot start; the message is for a person."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and addresses in 127.0.0.0/8 or ``::1``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, ``-m tui_nn``, the
    experiment flags as given (``--config`` made absolute), every word quoted."""
    words = [sys.executable, "-m", "tui_nn"]
    if getattr(args, "config", None):
        words += ["--config", os.path.abspath(args.config)]
    for flag in CONFIG_FLAGS:
        if hasattr(args, flag.key):
            words += [flag.names[0], str(getattr(args, flag.key))]
    return " ".join(shlex.quote(w) for w in words)


def exposure_warning(host: str, port: int) -> str | None:
    """The warning printed for a host other than loopback (None for loopback)."""
    if is_loopback(host):
        return None
    return (f"warning: serving on {printable(host)}:{port}: anyone who can reach this port can drive the app, "
            "and through it read and write files as you. Use the default 127.0.0.1 (with an SSH tunnel) unless "
            "you mean it.")


def serve(args: argparse.Namespace) -> int:
    """Run the web server until Ctrl-C; returns the exit status."""
    if not 1 <= args.port <= 65535:
        raise ServeError(f"port: expected 1..65535, got {args.port}")
    try:
        from textual_serve.server import Server
    except ImportError:
        from tui_nn.datasets.extras import install_command

        raise ServeError(f"serving in a browser needs textual-serve: {install_command('web')}") from None
    warning = exposure_warning(args.host, args.port)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    server = Server(app_command(args), host=args.host, port=args.port, title="tui-nn",
                    public_url=args.public_url)
    try:
        server.serve()
    except OSError as e:
        raise ServeError(f"cannot listen on {printable(args.host)}:{args.port}: {printable(e.strerror or e)}") from None
    return 0
