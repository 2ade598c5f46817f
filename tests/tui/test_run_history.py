"""The runs history without a UI: rows, order, selection, labels of what differs, and its memory bounds."""

from __future__ import annotations

import numpy as np
import pytest

import tui_nn.run_history as run_history
from tui_nn.config import RunConfig
from tui_nn.core import initialize_parameters
from tui_nn.datasets import load_builtin
from tui_nn.experiment import build_experiment
from tui_nn.run_history import RunHistory, labels, parameter_count, summary, sweep_progress


def finished(history: RunHistory, cfg: RunConfig, dev: float, cost: float, seconds: float, status: str = "finished"):
    record = history.add(cfg, "app", status=status)
    record.dev_accuracy, record.final_cost, record.seconds = dev, cost, seconds
    return record


def test_rows_sort_by_dev_accuracy_cost_and_time_with_unfinished_runs_last():
    h = RunHistory()
    a = finished(h, RunConfig(hidden=(1,)), dev=0.65, cost=0.63, seconds=3.0)
    b = finished(h, RunConfig(hidden=(5,)), dev=0.93, cost=0.18, seconds=9.0)
    c = finished(h, RunConfig(hidden=(3,)), dev=0.93, cost=0.26, seconds=1.0)
    d = h.add(RunConfig(hidden=(50,)), "app")  # still running: no numbers to rank yet
    assert [r.number for r in h.rows("order")] == [1, 2, 3, 4]
    assert h.rows("dev") == [b, c, a, d]  # ties on dev: the lower cost first
    assert h.rows("cost") == [b, c, a, d]
    assert h.rows("time") == [c, a, b, d]
    with pytest.raises(ValueError):
        h.rows("name")


def test_selection_toggles_keeps_the_order_runs_began_and_ignores_unknown_numbers():
    h = RunHistory()
    for units in (1, 2, 3):
        h.add(RunConfig(hidden=(units,)), "app")
    version = h.version
    h.toggle(3)
    h.toggle(1)
    h.toggle(99)
    assert h.selected == [3, 1] and [r.number for r in h.selected_records()] == [1, 3]
    assert h.version > version
    h.toggle(3)
    assert h.selected == [1]
    h.select([2, 2, 7, 3])
    assert h.selected == [2, 3]


def test_labels_are_the_values_that_differ_never_a_time():
    h = RunHistory()
    runs = [h.add(RunConfig(hidden=(n,), out=f"runs/2026-{n}"), "app") for n in (1, 4, 20)]
    assert labels(runs) == ["hidden=1", "hidden=4", "hidden=20"]  # out (a folder) never names a run
    lr = [h.add(RunConfig(learning_rate=x), "app") for x in (0.01, 1.2)]
    assert labels(lr) == ["lr=0.01", "lr=1.2"]
    both = h.add(RunConfig(hidden=(4,), learning_rate=0.01), "app")
    assert labels([runs[1], both]) == ["lr=1.2", "lr=0.01"]
    same = [h.add(RunConfig(), "app"), h.add(RunConfig(), "app")]  # nothing differs: the run numbers
    assert labels(same) == [f"#{same[0].number}", f"#{same[1].number}"]
    deep = h.add(RunConfig(hidden=(20, 7, 5), activations=("relu",) * 3), "app")
    assert labels([runs[0], deep]) == ["hidden=1 act=tanh", "hidden=20x7x5 act=reluxreluxrelu"]


def test_what_changed_is_against_the_run_before_and_the_first_run_is_summarised():
    h = RunHistory()
    first = h.add(RunConfig(), "app")
    second = h.add(RunConfig(hidden=(5,)), "app")
    third = h.add(RunConfig(hidden=(5,), learning_rate=0.3), "app")
    fourth = h.add(RunConfig(hidden=(5,), learning_rate=0.3), "app")
    assert h.changes(first) == summary(RunConfig()) == "dataset=flower hidden=4 act=tanh lr=1.2 iters=10000"
    assert h.changes(second) == "hidden=5"
    assert h.changes(third) == "lr=0.3"
    assert h.changes(fourth) == "same config"
    assert summary(RunConfig(l2=0.1)).endswith("l2=0.1")


def test_curves_are_reduced_like_the_cost_plot_and_keep_spikes():
    record = RunHistory().add(RunConfig(), "app")
    x = np.arange(50_000)
    y = np.exp(-x / 5000.0)
    y[31_337] = 7.0
    for start in range(0, x.size, 1000):
        record.curve.extend(x[start:start + 1000], y[start:start + 1000])
    its, costs = record.curve.arrays()
    assert its.size <= run_history.CURVE_POINTS
    assert its[0] == 0 and its[-1] == 49_999 and costs.max() == 7.0 and its[costs.argmax()] == 31_337
    assert np.diff(its).max() < 50_000 / run_history.CURVE_POINTS * 8  # the start as resolved as the end
    record.curve.compact()
    assert record.nbytes() == its.size * 16


def test_weights_are_kept_only_while_small_and_the_oldest_unselected_go_first(monkeypatch):
    monkeypatch.setattr(run_history, "MAX_TOTAL_PARAMETERS", 400)
    monkeypatch.setattr(run_history, "MAX_RUN_PARAMETERS", 500)
    h = RunHistory()
    small = initialize_parameters((2, 20, 1), "random", seed=3)  # 81 values
    rows = [h.add(RunConfig(hidden=(20,), seed=s), "app", status="finished") for s in range(6)]
    h.toggle(rows[0].number)  # selected runs keep their weights
    for r in rows:
        h.keep_parameters(r, small)
    kept = [r.parameters is not None for r in rows]
    assert kept == [True, False, False, True, True, True]  # 4 x 81 <= 400
    assert "weights dropped" in rows[1].notes[0] and "400" in rows[1].notes[0]
    big = initialize_parameters((2, 200, 1), "random", seed=3)  # 801 values
    h.keep_parameters(rows[5], big)
    assert rows[5].parameters is None and "801 values" in rows[5].notes[-1]
    assert rows[3].parameter_values() == 81 and rows[3].parameters_version == 1
    assert not np.shares_memory(rows[3].parameters["W1"], small["W1"])  # a copy


def test_2d_data_is_kept_for_maps_and_image_data_counts_its_mislabelled_dev_examples():
    h = RunHistory()
    flower = build_experiment(RunConfig())
    row = h.add(flower.config, "app", spec=flower.spec, dataset=flower.source_dataset)
    assert row.map_data is flower.source_dataset and row.dev_size == 100
    assert parameter_count(flower.spec) == 17
    row.dev_accuracy = 0.93
    assert row.mislabelled == 7
    regression = load_builtin("plane")
    reg_row = h.add(RunConfig(dataset="plane"), "app", dataset=regression)
    assert reg_row.dev_size is None and reg_row.mislabelled is None


def test_the_oldest_ended_unselected_records_go_past_the_limit(monkeypatch):
    monkeypatch.setattr(run_history, "MAX_RUNS", 3)
    h = RunHistory()
    first = h.add(RunConfig(), "app", status="finished")
    second = h.add(RunConfig(), "app", status="finished")
    running = h.add(RunConfig(), "app")
    h.toggle(first.number)
    h.add(RunConfig(), "app", status="finished")
    assert second not in h.records and first in h.records and running in h.records and len(h.records) == 3


def test_sweep_progress_counts_and_names_the_best_by_what_differs():
    h = RunHistory()
    rows = [finished(h, RunConfig(hidden=(n,)), dev=d, cost=0.3, seconds=1, status=s)
            for n, d, s in ((1, 0.65, "finished"), (5, 0.93, "finished"), (20, 0.99, "running"), (50, None, "failed"))]
    text = sweep_progress("sweep sizes", rows)
    assert text == "sweep sizes: 3/4 done, 1 running, 1 failed · best dev 93.0% (hidden=5)"
