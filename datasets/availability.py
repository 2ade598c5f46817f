"""Whether a built-in data set can open here, and what it needs when it cannot.

The scikit-learn sets need the ``sklearn`` extra; ``catvnoncat`` needs the
``h5`` extra and the course's two HDF5 files. The picker and ``tui-nn
datasets`` mark a set that cannot open with the reason and the exact command.
"""

from __future__ import annotations

from .extras import missing
from .registry import BUILTINS, CATVNONCAT_ENV, FILE, SKLEARN, find_catvnoncat

CATVNONCAT_FILES_MISSING = (f"its HDF5 files were not found: give their folder as the path, or set {CATVNONCAT_ENV}")


def unavailable_reason(name: str) -> str | None:
    """None when built-in ``name`` can open without a path, else why not and what to do (one line)."""
    source = BUILTINS[name].source
    if source == SKLEARN:
        return missing("sklearn.datasets")
    if source == FILE:
        return missing("h5py") or (None if find_catvnoncat() is not None else CATVNONCAT_FILES_MISSING)
    return None
