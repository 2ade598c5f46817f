"""Optional dependencies: whether they are installed, and the exact command that installs them.

The command depends on how tui-nn itself was installed (pip records it in the
distribution's ``direct_url.json``): an editable checkout gets
``python -m pip install -e 'CHECKOUT[extra]'``, a local folder or wheel file
``python -m pip install 'PATH[extra]'``, an index ``python -m pip install
'tui-nn[extra]'``; ``python`` is this interpreter, so the right environment gets
it. Paths under the working directory are shown relative to it.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shlex
import sys
from importlib.metadata import distributions
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urlparse

from .base import DatasetError

EXTRAS: dict[str, tuple[str, str, str]] = {
    "h5py": ("h5", "h5py", "HDF5 files"),
    "sklearn.datasets": ("sklearn", "scikit-learn", "the scikit-learn data sets"),
}
"""Module -> (extra name, the package it installs, what it is needed for)."""
DISTRIBUTION = "tui-nn"


def installed(module: str) -> bool:
    """True when ``module``'s top-level package can be imported (without importing it)."""
    top = module.split(".")[0]
    if top in sys.modules:
        return sys.modules[top] is not None  # None: imports of it are blocked
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def _shown_path(path: str | os.PathLike) -> str:
    """``path`` relative to the working directory when it lies under it (``.`` for the directory itself; never from /)."""
    absolute = os.path.abspath(path)  # not resolved: .venv/bin/python stays itself, not its target
    try:
        cwd = os.path.abspath(os.getcwd())
        return absolute if cwd == os.sep else str(Path(absolute).relative_to(cwd))
    except (ValueError, OSError):
        return absolute


def _install_source() -> tuple[str, str | None]:
    """How tui-nn was installed: ("editable", checkout), ("local", folder or wheel) or ("index", None)."""
    for dist in distributions(name=DISTRIBUTION):
        try:
            record = json.loads(dist.read_text("direct_url.json") or "null")
        except (OSError, ValueError):
            continue
        if not isinstance(record, dict) or not isinstance(record.get("url"), str):
            continue
        url = urlparse(record["url"])
        if url.scheme != "file" or not Path(unquote(url.path)).exists():
            continue
        editable = isinstance(record.get("dir_info"), dict) and record["dir_info"].get("editable") is True
        return ("editable" if editable else "local"), unquote(url.path)
    return "index", None


def install_command(extra: str) -> str:
    """The shell command that installs tui-nn's ``extra`` into this environment, the way tui-nn was installed."""
    pip = f"{shlex.quote(_shown_path(sys.executable))} -m pip install"
    kind, where = _install_source()
    if kind == "editable":
        return f"{pip} -e {shlex.quote(f'{_shown_path(where)}[{extra}]')}"
    if kind == "local":
        return f"{pip} {shlex.quote(f'{_shown_path(where)}[{extra}]')}"
    return f"{pip} {shlex.quote(f'{DISTRIBUTION}[{extra}]')}"


def missing(module: str) -> str | None:
    """None when ``module`` is installed, else what is missing and the command that installs it."""
    if installed(module):
        return None
    extra, package, _ = EXTRAS[module]
    return f"needs {package}: {install_command(extra)}"


def require(module: str) -> ModuleType:
    """Import ``module`` or raise ``DatasetError`` with the command that installs it."""
    extra, package, purpose = EXTRAS[module]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise DatasetError(f"{purpose} need the optional package {package}: {install_command(extra)}") from None
