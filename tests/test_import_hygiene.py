"""The core and the datasets never load the UI: Textual, plotext and the app stay out of sys.modules."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ["textual", "plotext", "textual_plotext", "tui_nn.app"]

PROBE = """
import json, sys
import tui_nn.core
import tui_nn.datasets
loaded = sorted(m for m in sys.modules if m in {forbidden} or any(m.startswith(f + ".") for f in {forbidden}))
print(json.dumps({{"loaded": loaded, "core": tui_nn.core.__file__, "datasets": tui_nn.datasets.__file__}}))
"""


def test_core_and_datasets_do_not_import_the_ui(tmp_path):
    code = PROBE.format(forbidden=repr(FORBIDDEN))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["loaded"] == []
    assert report["core"].endswith("__init__.py") and report["datasets"].endswith("__init__.py")


def test_the_probe_would_notice_textual(tmp_path):
    """Control: the same probe sees textual when something does import it."""
    code = "import textual\n" + PROBE.format(forbidden=repr(FORBIDDEN))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "textual" in json.loads(out.stdout.strip().splitlines()[-1])["loaded"]


def test_every_name_the_lazy_core_lists_resolves_to_its_module():
    """``tui_nn.core`` imports on first use from its ``_EXPORTS`` table: a misspelt or moved
    name there would only fail when a caller first reaches it."""
    import importlib

    core = importlib.import_module("tui_nn.core")
    missing = [name for name in core.__all__ if not hasattr(core, name)]  # hasattr imports the module
    assert missing == []
    assert set(core.__all__) <= set(dir(core))
