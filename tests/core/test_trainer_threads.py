"""Parameters across threads: the stepping thread reads views, every other thread copies.

The trainer writes each update into a second parameter set and alternates, so the
arrays ``parameters`` returns are rewritten two steps later. Only the thread that
steps may read them; ``parameters_copy()`` is consistent from any thread, mid-step.
"""

from __future__ import annotations

import hashlib
import threading

import numpy as np
import pytest

from tui_nn.core import NetworkSpec, TrainConfig, Trainer, initialize_parameters


def make(spec=NetworkSpec((2, 4, 1), ("tanh",)), m=200, steps=10**6, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(spec.n_x, m)
    Y = (rng.rand(1, m) > 0.5).astype(np.float64)
    p0 = initialize_parameters(spec.layer_dims, "xavier", seed=1)
    return Trainer(spec, p0, X, Y, TrainConfig(learning_rate=1e-3, num_iterations=steps)), p0


def fingerprint(params: dict) -> str:
    h = hashlib.sha256()
    for key in sorted(params):
        h.update(np.ascontiguousarray(params[key]).tobytes())
    return h.hexdigest()


def test_parameters_are_read_only_views_and_copies_are_independent():
    trainer, p0 = make()
    trainer.step()
    view = trainer.parameters["W1"]
    with pytest.raises(ValueError, match="read-only"):
        view[0, 0] = 1.0
    copy = trainer.parameters_copy()
    assert all(copy[k].flags.writeable and not np.shares_memory(copy[k], trainer.parameters[k]) for k in copy)
    copy["W1"][0, 0] = 123.0
    assert trainer.parameters["W1"][0, 0] != 123.0
    p0["W1"][0, 0] = 456.0  # the caller's arrays were copied in, never shared
    assert trainer.parameters["W1"][0, 0] != 456.0


def test_the_views_are_rewritten_two_steps_later_the_copies_never():
    trainer, _ = make()
    trainer.step()
    view, copy = trainer.parameters["W1"], trainer.parameters_copy()["W1"]
    trainer.step()
    assert np.array_equal(view, copy)  # the other set took this update
    trainer.step()
    assert not np.array_equal(view, copy)  # ...and this one overwrote the first set
    assert np.array_equal(trainer.parameters["W1"], view)


def test_another_thread_must_copy():
    trainer, _ = make()
    seen: dict[str, object] = {}

    def read_views():
        try:
            seen["views"] = trainer.parameters
        except RuntimeError as e:
            seen["error"] = str(e)
        seen["copy"] = trainer.parameters_copy()

    reader = threading.Thread(target=read_views)
    reader.start()
    reader.join()
    assert "views" in seen  # before any step, nothing is being written
    trainer.step()
    seen.clear()
    reader = threading.Thread(target=read_views)
    reader.start()
    reader.join()
    assert "use parameters_copy() from other threads" in seen["error"]
    assert fingerprint(seen["copy"]) == fingerprint(trainer.parameters)


def test_copies_taken_while_another_thread_steps_are_always_a_whole_step():
    """Every copy the main thread takes while a worker trains equals the parameters
    after some step: never half of one update and half of another."""
    spec = NetworkSpec((64, 256, 256, 1), ("relu", "relu"))
    trainer, p0 = make(spec, m=32)
    states = {fingerprint(p0)}
    copies = []
    done = threading.Event()

    def train():
        for _ in range(100):
            trainer.step()
            states.add(fingerprint(trainer.parameters))
        done.set()

    worker = threading.Thread(target=train)
    worker.start()
    while not done.is_set():
        copies.append(fingerprint(trainer.parameters_copy()))
    worker.join()
    assert trainer.iteration == 100 and len(copies) > 20
    torn = [c for c in copies if c not in states]
    assert not torn, f"{len(torn)} of {len(copies)} copies mixed two steps"
