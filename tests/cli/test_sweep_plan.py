"""Sweep plans: axis expansion (grid, ranges, random samples, repeats) and refusing invalid sweeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_nn.config import RunConfig
from tui_nn.runs.sweep_axes import SweepError, axis_from_flag, axis_from_value
from tui_nn.runs.sweep_plan import build_plan, load_sweep_file

BASE = RunConfig(iterations=100)


def test_grid_is_every_combination_first_axis_slowest():
    plan = build_plan(BASE, [axis_from_flag("hidden=1,2,3"), axis_from_flag("lr=0.1,1.2")])
    assert [(t.config.hidden, t.config.learning_rate) for t in plan.trials] == [
        ((1,), 0.1), ((1,), 1.2), ((2,), 0.1), ((2,), 1.2), ((3,), 0.1), ((3,), 1.2)]
    assert [t.name for t in plan.trials][:2] == ["trial-000", "trial-001"]
    assert plan.trials[3].values == {"hidden": (2,), "learning_rate": 1.2}
    assert plan.trials[3].describe() == "hidden=2 learning_rate=1.2"
    assert all(t.config.activations == ("tanh",) for t in plan.trials)


def test_log_and_linear_ranges_include_both_ends():
    assert axis_from_flag("lr=log:0.01:1:3").values == (0.01, 0.1, 1.0)
    assert axis_from_flag("learning_rate=log:0.0001:0.01:3").values == (0.0001, 0.001, 0.01)
    assert axis_from_flag("l2=linear:0:1:5").values == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert axis_from_flag("iterations=lin:100:1000:4").values == (100, 400, 700, 1000)
    assert axis_from_value("init_scale", {"log": [0.01, 10], "count": 4}).values == (0.01, 0.1, 1.0, 10.0)


def test_random_samples_repeat_with_their_seed_and_stay_in_range():
    a = axis_from_flag("lr=random-log:0.0001:1:6:7").values
    assert a == axis_from_flag("lr=random-log:0.0001:1:6:7").values
    assert a != axis_from_flag("lr=random-log:0.0001:1:6:8").values
    assert len(set(a)) == 6 and all(0.0001 <= x <= 1 for x in a)
    b = axis_from_value("l2", {"random": [0, 2], "count": 5, "seed": 3}).values
    assert all(0 <= x <= 2 for x in b) and len(set(b)) == 5
    assert axis_from_value("l2", {"random": [0, 2], "count": 5, "seed": 3}).values == b


def test_repeats_vary_the_seed_of_every_combination():
    plan = build_plan(BASE.with_changes(seed=3), [axis_from_flag("hidden=2,4")], repeats=3)
    assert [(t.config.hidden[0], t.config.seed) for t in plan.trials] == [(2, 3), (2, 4), (2, 5), (4, 3), (4, 4), (4, 5)]
    with pytest.raises(SweepError, match="seed is already an axis"):
        build_plan(BASE, [axis_from_flag("seed=1,2")], repeats=2)


def test_whole_lists_per_layer_axes_and_activations():
    plan = build_plan(BASE.with_changes(hidden=(8, 4), activations=("relu", "relu")),
                      [axis_from_flag("hidden=4,20x7x5"), axis_from_flag("activations.1=tanh,sigmoid")])
    got = [(t.config.hidden, t.config.activations) for t in plan.trials]
    assert got == [((4,), ("tanh",)), ((4,), ("sigmoid",)),
                   ((20, 7, 5), ("tanh", "relu", "relu")), ((20, 7, 5), ("sigmoid", "relu", "relu"))]


def test_dataset_and_generator_parameters_are_axes():
    plan = build_plan(BASE, [axis_from_flag("dataset=noisy_moons,flower"), axis_from_flag("m=40,80"),
                             axis_from_flag("noise=0.1,0.3")])
    assert len(plan.trials) == 8
    assert {(t.config.dataset, t.config.m, t.config.noise) for t in plan.trials} >= {("flower", 80, 0.3), ("noisy_moons", 40, 0.1)}


@pytest.mark.parametrize("flag, message", [
    ("hidden=4,0", "axis hidden = 0: hidden: each layer needs 1 to 4096 units"),
    ("learning_rate=0.1,-1", "axis learning_rate = -1: learning_rate: must be a positive number"),
    ("optimizer=gd,sgd", "axis optimizer = sgd: optimizer: unknown optimiser 'sgd'"),
    ("output=sigmoid,softmax", "axis output = softmax: output: a softmax output needs at least 2 units"),
    ("m=100,2", "axis m = 2: m: must be between 4"),
    ("hidden.2=3,5", "axis hidden.2 = 3: hidden.2: the network has 1 hidden layer(s), no layer 2"),
    ("dataset=flower,nowhere", "trial 1 (dataset=nowhere): unknown dataset 'nowhere'"),
    ("wings=1,2", "unknown field 'wings'"),
    ("hidden=", "hidden: empty axis"),
    ("lr=log:0:1:3", "a log scale needs positive ends"),
    ("lr=log:0.1:1:0", "count must be between 1"),
    ("out=a,b", "out cannot be varied"),
])
def test_invalid_sweeps_name_the_axis_and_value(flag, message):
    with pytest.raises(SweepError) as info:
        build_plan(BASE, [axis_from_flag(flag)])
    assert message in str(info.value)


def test_a_combination_the_dataset_cannot_take_is_refused_before_training():
    # catvnoncat is fixed: m does not apply; the check opens the data set, it does not train
    with pytest.raises(SweepError, match=r"trial 0 \(m=100\): catvnoncat is a fixed data set"):
        build_plan(BASE.with_changes(dataset="catvnoncat"), [axis_from_flag("m=100,200")])


def test_sweep_file_toml_and_json(tmp_path: Path):
    toml = tmp_path / "s.toml"
    toml.write_text('dataset = "flower"\niterations = 50\n[sweep]\nname = "sizes"\nrepeats = 2\n'
                    '[vary]\nhidden = [1, 3]\n\"activations.1\" = [\"relu\"]\nlearning_rate = { log = [0.01, 1], count = 3 }\n')
    base, axes, settings = load_sweep_file(toml)
    assert base.iterations == 50 and settings == {"name": "sizes", "repeats": 2}
    assert [a.key for a in axes] == ["hidden", "activations.1", "learning_rate"]
    data = {"iterations": 50, "vary": {"init": ["zeros", "he"]}}
    (tmp_path / "s.json").write_text(json.dumps(data))
    base, axes, _ = load_sweep_file(tmp_path / "s.json")
    assert axes[0].values == ("zeros", "he")
    (tmp_path / "bad.toml").write_text("iterations = 10\n[vary]\nhidden = []\n")
    with pytest.raises(SweepError, match=r"bad.toml: vary hidden: empty axis"):
        load_sweep_file(tmp_path / "bad.toml")
    (tmp_path / "bad2.toml").write_text("iterations = 10\nwings = 2\n[vary]\nhidden = [1]\n")
    with pytest.raises(Exception, match="bad2.toml: unknown key 'wings'"):
        load_sweep_file(tmp_path / "bad2.toml")


def test_examples_are_valid_sweeps():
    root = Path(__file__).resolve().parents[2] / "examples"
    files = sorted(root.glob("sweep-*.toml"))
    assert len(files) >= 3
    for path in files:
        base, axes, settings = load_sweep_file(path)
        if base.dataset == "catvnoncat":
            continue  # needs the course's files; checked where they are present
        plan = build_plan(base, axes, repeats=settings.get("repeats"))
        assert len(plan.trials) >= 3


def test_cases_set_several_fields_together(tmp_path: Path):
    path = tmp_path / "init.toml"
    path.write_text('iterations = 10\n[vary]\ncases = [{init = "zeros"}, {init = "random", init_scale = 10}, {init = "he"}]\n')
    base, axes, _ = load_sweep_file(path)
    plan = build_plan(base, axes)
    assert [(t.config.init, t.config.init_scale) for t in plan.trials] == [("zeros", 0.01), ("random", 10.0), ("he", 0.01)]
    assert plan.trials[1].describe() == "cases=init=random,init_scale=10"
    path.write_text('iterations = 10\n[vary]\ncases = [{init = "zeros"}, {init = "xavier2"}]\n')
    with pytest.raises(SweepError, match="axis cases = init=xavier2: init: unknown initialisation 'xavier2'"):
        build_plan(*load_sweep_file(path)[:2])


def test_input_features_are_an_axis_and_are_checked_against_the_data():
    plan = build_plan(BASE, [axis_from_flag("features=none,x1+x2+x1^2")])
    assert [t.config.features for t in plan.trials] == [None, ("x1", "x2", "x1^2")]
    assert [t.describe() for t in plan.trials] == ["features=none", "features=x1+x2+x1^2"]
    with pytest.raises(SweepError, match="axis features = x9: features: unknown input feature 'x9'"):
        build_plan(BASE, [axis_from_flag("features=x1,x9")])
