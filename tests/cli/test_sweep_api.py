"""The runner API a UI drives from a thread: start, events, cancel; and the sweep-folder reader."""

from __future__ import annotations

import json
from pathlib import Path

from tui_nn.config import RunConfig
from tui_nn.runs.reader import is_training
from tui_nn.runs.sweep_axes import axis_from_flag
from tui_nn.runs.sweep_folder import create_sweep_folder, read_sweep
from tui_nn.runs.sweep_local import LocalBackend
from tui_nn.runs.sweep_plan import build_plan
from tui_nn.runs.sweep_results import results_table
from tui_nn.runs.sweep_runner import SweepFinished, SweepRunner, TrialFinished, TrialProgress, TrialStarted


def test_a_thread_driven_sweep_reports_events_and_cancels_cleanly(tmp_path: Path):
    plan = build_plan(RunConfig(iterations=10_000_000, eval_every=100), [axis_from_flag("hidden=1,2,3")])
    folder, plan = create_sweep_folder(plan, tmp_path)
    runner = SweepRunner(folder, plan, LocalBackend(workers=1))
    runner.start()
    first = runner.events.get(timeout=60)  # the longest trial first (3 units), so the workers end together
    assert isinstance(first, TrialStarted) and first.trial.index == 2 and first.run_dir == folder / "trial-002"
    progress = runner.events.get(timeout=60)  # about once a second, from the trial's log
    while not (isinstance(progress, TrialProgress) and progress.iteration >= 300):
        progress = runner.events.get(timeout=60)
    assert progress.trial.index == 2 and progress.target == 10_000_000 and 0 < progress.cost < 0.7
    assert 0.5 < progress.train_accuracy <= 1 and progress.seconds > 0
    state = read_sweep(folder)  # the reader sees the live sweep
    assert state.results[2].status == "running" and state.results[0].status == "pending"
    runner.cancel()
    events = []
    while (event := runner.events.get(timeout=60)) is not None:
        events.append(event)
    finished = events[-1]
    assert isinstance(finished, SweepFinished) and finished.cancelled
    (ended,) = [e for e in events if isinstance(e, TrialFinished)]
    assert ended.result.status == "terminated" and ended.result.iterations >= 300
    assert [r.status for r in finished.results] == ["pending", "pending", "terminated"]
    assert not is_training(folder / "trial-002") and not (folder / "trial-000").exists()
    assert read_sweep(folder).unfinished == (0, 1, 2)
    saved = json.loads((folder / "results.json").read_text())["trials"]
    assert [r["status"] for r in saved] == ["pending", "pending", "terminated"]
    table = results_table(plan, finished.results)
    (row,) = [line.split() for line in table.splitlines() if "trial-002" in line]
    assert row[1:4] == ["trial-002", "3", "terminated"]


def test_a_diverged_or_failed_trial_is_recorded_with_why_and_the_sweep_goes_on(tmp_path: Path):
    data = tmp_path / "points.csv"
    data.write_text("x1,x2,y\n" + "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(40)))
    plan = build_plan(RunConfig(iterations=300, eval_every=50, dataset=str(data)),
                      [axis_from_flag("lr=0.5,100000")], name="bad")
    plan2 = build_plan(RunConfig(iterations=300, eval_every=50), [axis_from_flag("lr=0.5,100000")], name="diverge")
    folder, placed = create_sweep_folder(plan, tmp_path / "out")
    data.unlink()  # the file is gone by the time the trials run: each trial fails, with the reason
    failed = SweepRunner(folder, placed, LocalBackend(workers=2)).run()
    assert [r.status for r in failed.results] == ["failed", "failed"]
    assert all("points.csv" in r.reason for r in failed.results)
    folder2, placed2 = create_sweep_folder(plan2, tmp_path / "out")
    done = SweepRunner(folder2, placed2, LocalBackend(workers=2)).run()
    ok, diverged = done.results
    assert ok.status == "finished" and diverged.status == "diverged"
    assert "iteration" in diverged.reason and diverged.iterations < 300
    table = results_table(placed2, done.results).splitlines()
    assert table[1].split()[1:4] == ["trial-000", "0.5", "finished"]
    assert any(line.startswith("  trial-001: ") for line in table)  # the reason under the table
    by_time = results_table(placed2, done.results, sort="time").splitlines()
    assert by_time[1].split()[1] == "trial-001"  # the diverged trial stopped early: fastest


def test_a_cancel_while_a_trial_is_still_being_set_up_stops_it_before_its_first_step(tmp_path: Path):
    """A 2000x2000 network takes a while to build: the SIGTERM comes before the trial's own stop
    handlers are in, and used to be lost (the trial trained on to its 10,000,000 iterations)."""
    config = RunConfig(iterations=10_000_000, hidden=(2000, 2000), activations=("relu", "relu"))
    plan = build_plan(config, [axis_from_flag("hidden.1=1999,2000")], name="big")
    folder, plan = create_sweep_folder(plan, tmp_path)
    runner = SweepRunner(folder, plan, LocalBackend(workers=2))
    thread = runner.start()
    started = 0
    while started < 2:  # both workers have taken a trial and are setting it up
        started += isinstance(runner.events.get(timeout=120), TrialStarted)
    runner.cancel()
    thread.join(120)
    assert not thread.is_alive()
    ends = [json.loads((folder / t / "metrics.jsonl").read_text().splitlines()[-1]) for t in ("trial-000", "trial-001")]
    assert [(e["type"], e["state"]) for e in ends] == [("end", "terminated")] * 2
    assert all(e["iterations"] < 1000 for e in ends)  # stopped at once, not after training on
