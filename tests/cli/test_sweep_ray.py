"""A real Ray sweep on a local Ray instance (``ray.init(num_cpus=2)``) against the local runner."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

from tui_nn.config import RunConfig
from tui_nn.core import load_model
from tui_nn.runs.reader import RunTail, read_run_summary
from tui_nn.runs.sweep_axes import axis_from_flag
from tui_nn.runs.sweep_folder import create_sweep_folder, read_sweep
from tui_nn.runs.sweep_local import LocalBackend
from tui_nn.runs.sweep_runner import SweepRunner, TrialFinished, TrialStarted
from tui_nn.watching import RunView

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[ray]')")
pytest.importorskip("ray.tune", reason="Ray Tune is not installed (pip install -e '.[ray]')")

from tui_nn.runs.sweep_plan import build_plan  # noqa: E402
from tui_nn.runs.sweep_ray import RayBackend  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    temp = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # Ray's socket paths must stay short
    ray.init(num_cpus=2, include_dashboard=False, _temp_dir=temp, log_to_driver=False, logging_level="ERROR")
    yield
    ray.shutdown()
    shutil.rmtree(temp, ignore_errors=True)


def run(plan, out: Path, backend) -> tuple[Path, list]:
    folder, placed = create_sweep_folder(plan, out)
    events: list = []
    finished = SweepRunner(folder, placed, backend, on_event=events.append).run()
    return folder, [finished, *events]


def eval_costs(run_dir: Path) -> list[tuple]:
    lines = (run_dir / "metrics.jsonl").read_text().splitlines()
    return [(r["iteration"], r["cost"], r["dev_accuracy"]) for r in map(json.loads, lines) if r["type"] == "eval"]


def test_ray_sweep_writes_the_same_trials_as_the_local_runner(local_ray, tmp_path: Path):
    plan = build_plan(RunConfig(iterations=400, eval_every=100), [axis_from_flag("hidden=1,4"), axis_from_flag("lr=0.6,1.2")],
                      name="ray-vs-local")
    ray_folder, ray_events = run(plan, tmp_path / "ray", RayBackend(workers=2))
    local_folder, _ = run(plan, tmp_path / "local", LocalBackend(workers=2))
    assert ray_events[0].cancelled is False
    assert sorted(e.trial.index for e in ray_events if isinstance(e, TrialStarted)) == [0, 1, 2, 3]
    assert sorted(e.result.trial for e in ray_events if isinstance(e, TrialFinished)) == [0, 1, 2, 3]
    ray_state, local_state = read_sweep(ray_folder), read_sweep(local_folder)
    for a, b in zip(ray_state.results, local_state.results):
        assert a.status == b.status == "finished"
        assert (a.final_cost, a.best_cost, a.train_accuracy, a.dev_accuracy, a.iterations) == (
            b.final_cost, b.best_cost, b.train_accuracy, b.dev_accuracy, b.iterations)
        ray_run, local_run = ray_folder / a.name, local_folder / b.name
        assert eval_costs(ray_run) == eval_costs(local_run)
        # the driver wrote an ordinary run folder: listed, watched and loaded like a local one
        summary = read_run_summary(ray_run)
        assert summary.state == "finished" and summary.iterations == 400
        view = RunView(ray_run)
        with RunTail(ray_run) as tail:
            view.apply(tail.poll_all())
        assert view.state == "finished" and view.iteration == 400 and view.train_curve.its[-1] == 399
        assert view.dev_accuracy == b.dev_accuracy and view.stats is not None
        pa, pb = load_model(ray_run / "last.npz").parameters, load_model(local_run / "last.npz").parameters
        assert all(np.array_equal(pa[k], pb[k]) for k in pa)
        assert (ray_run / "best.npz").is_file() and (ray_run / "config.toml").is_file()
    table = json.loads((ray_folder / "results.json").read_text())
    assert [r["status"] for r in table["trials"]] == ["finished"] * 4


def test_ray_early_stop_ends_trials_that_fall_behind_with_a_record(local_ray, tmp_path: Path):
    # one trial at a time, good rates first: the slow ones meet full rungs, whatever the machine's load
    plan = build_plan(RunConfig(iterations=900, eval_every=100),
                      [axis_from_flag("lr=1.2,1.0,0.8,0.0001,0.0003,0.001")], name="asha")
    folder, events = run(plan, tmp_path, RayBackend(workers=1, early_stop=True))
    state = read_sweep(folder)
    assert {r.status for r in state.results} <= {"finished", "early-stopped"}
    for r in state.results:
        records = [json.loads(line) for line in (folder / r.name / "metrics.jsonl").read_text().splitlines()]
        assert records[0]["type"] == "header" and records[-1]["type"] == "end"
        if r.status == "early-stopped":
            assert r.iterations < 900 and "ASHA" in records[-1]["reason"]
    assert [r.status for r in state.results][3:] == ["early-stopped"] * 3
    assert state.results[0].status == "finished"
    best = min(state.results, key=lambda r: r.final_cost)
    assert best.status == "finished" and best.values["learning_rate"] >= 0.8
