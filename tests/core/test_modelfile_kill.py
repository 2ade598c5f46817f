"""Atomic saves: SIGKILL a process that keeps saving, and the file always loads as one whole version."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from tui_nn.core import NetworkSpec, load_model, save_model

SPEC = NetworkSpec((256, 128, 1), ("relu",))
KILLS = 30

CHILD = textwrap.dedent(
    """
    import sys
    import numpy as np
    from tui_nn.core import NetworkSpec, save_model

    spec = NetworkSpec((256, 128, 1), ("relu",))
    path, version = sys.argv[1], int(sys.argv[2])
    print("ready", flush=True)
    while True:
        params = {k: np.full(shape, float(version)) for k, shape in spec.parameter_shapes().items()}
        save_model(path, spec, params)
        version += 1
    """
)


def version_params(v: float) -> dict[str, np.ndarray]:
    return {k: np.full(shape, v) for k, shape in SPEC.parameter_shapes().items()}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_saves_never_leaves_a_broken_file(tmp_path):
    path = tmp_path / "model.npz"
    save_model(path, SPEC, version_params(-1.0))
    rng = random.Random(1234)
    seen = set()
    for kill in range(KILLS):
        first = kill * 1_000_000
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(first)],
            stdout=subprocess.PIPE,
            cwd=tmp_path,
        )
        try:
            assert child.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.0, 0.06))
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        assert child.returncode == -signal.SIGKILL
        model = load_model(path)  # raises ModelFileError if the file were torn
        v = float(model.parameters["W1"][0, 0])
        assert v == -1.0 or (v == int(v) and int(v) < first + 1_000_000), v
        expected = version_params(v)
        assert all(np.array_equal(model.parameters[k], expected[k]) for k in expected), f"mixed versions at {v}"
        seen.add(v)
    # The kills landed at different moments, and at least one in the middle of a write:
    # a killed save leaves its temporary file behind, never a torn model.npz.
    assert len(seen) > KILLS // 2
    assert any(p.name.startswith(".model.npz.") and p.name.endswith(".tmp") for p in tmp_path.iterdir())
