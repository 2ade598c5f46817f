"""The map keeps the data's aspect ratio, names the classes, shows dev points on request,
and draws one map per hidden unit equal to the core's activations."""

from __future__ import annotations

import numpy as np
import pytest
import textual.constants

from tui_nn.config import RunConfig
from tui_nn.core import initialize_parameters, model_forward
from tui_nn.datasets import apply_features
from tui_nn.experiment import build_experiment
from tui_nn.unit_layout import unit_layout
from tui_nn.views import BoundaryProbe, HeatmapView, UnitMapsView, ViewRequest, fit_extent, grid_inputs
from tui_nn.widgets.boundary_pane import BoundaryPane


@pytest.mark.parametrize("rows, cols", [(34, 78), (40, 37), (10, 100), (60, 20)])
def test_fitted_extents_have_square_pixels_and_hold_the_data(rows, cols):
    x0, x1, y0, y1 = fit_extent((-6.0, 6.0, -1.0, 3.0), rows, cols)
    assert (x1 - x0) / cols == pytest.approx((y1 - y0) / rows)
    assert x0 <= -6.0 and x1 >= 6.0 and y0 <= -1.0 and y1 >= 3.0
    assert (x0 + x1) / 2 == pytest.approx(0.0) and (y0 + y1) / 2 == pytest.approx(1.0)


@pytest.mark.parametrize("cells", [(78, 17), (37, 20), (46, 30)])  # 80x24 narrow, 120x36, 160x48 panes
def test_a_circle_is_drawn_round_at_any_pane_size(cells):
    """A model that says "inside the circle x1² + x2² < 4" draws a disc as wide as it is tall
    (in pixels; a character is two pixels tall), not an oval stretched to the pane."""
    exp = build_experiment(RunConfig(dataset="circle", hidden=(), activations=(), features=("x1^2", "x2^2")))
    probe = BoundaryProbe.for_experiment(exp)
    params = {"W1": np.array([[-5.0, -5.0]]), "b1": np.array([[20.0]])}
    view = probe.compute(params, ViewRequest(cells))
    rows, cols = np.nonzero(view.values > 0.5)
    height, width = np.ptp(rows) + 1, np.ptp(cols) + 1
    assert width / height == pytest.approx(1.0, abs=0.12)
    assert view.values.shape == (2 * cells[1], cells[0])


def test_unit_maps_are_the_core_activations_on_the_grid():
    exp = build_experiment(RunConfig(dataset="noisy_moons", hidden=(3, 2), activations=("relu", "tanh"),
                                     features=("x1", "x2", "x1x2"), init="he"))
    params = initialize_parameters(exp.spec.layer_dims, "he", seed=7)
    probe = BoundaryProbe.for_experiment(exp)
    view = probe.compute(params, ViewRequest((37, 20), mode="units", layer=2))
    assert isinstance(view, UnitMapsView)
    assert [layer.layer for layer in view.layers] == [1, 2]  # both layers fit
    rows, cols = view.layout.pixels
    grid = apply_features(grid_inputs(view.extent, rows, cols), exp.config.features)
    _, caches = model_forward(grid, params, exp.spec.activations)
    for layer in view.layers:
        expected = caches[layer.layer - 1].A.reshape(-1, rows, cols)
        np.testing.assert_array_equal(layer.values, expected)
        np.testing.assert_array_equal(layer.weights, params[f"W{layer.layer}"])


def test_unit_layout_shows_all_layers_when_they_fit_else_the_selected_one():
    both = unit_layout((37, 20), (4, 3), selected=2)
    assert both.layers == (1, 2) and both.shown == (4, 3)
    one = unit_layout((37, 12), (16, 16), selected=2)
    assert one.layers == (2,)
    cut = unit_layout((20, 6), (64,), selected=1)
    assert cut.layers == (1,) and 0 < cut.shown[0] < 64


@pytest.fixture
def sixteen_colours(monkeypatch):
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "standard")
    monkeypatch.delenv("NO_COLOR", raising=False)


async def test_v_shows_one_map_per_hidden_unit_and_back(app_factory, until, shown):
    app = app_factory(hidden=(4, 3), activations=("tanh", "tanh"), iterations=50)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        pane = app.query_one(BoundaryPane)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pane.view, UnitMapsView))
        assert pane.border_title == "Hidden units"
        text = shown(pane)
        assert "A[1] tanh" in text and "A[2] tanh" in text and "W" in text.rstrip().split("\n")[-1]
        await pilot.press("down")  # the selected layer is kept in the request
        assert app._view_request.layer == 2
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pane.view, HeatmapView))
        assert pane.border_title == "Decision boundary"


async def test_p_cycles_train_dev_and_both_with_upper_case_dev_glyphs(sixteen_colours, app_factory, until, shown):
    app = app_factory(iterations=200)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        pane = app.query_one(BoundaryPane)
        first = shown(pane)
        map_part = first.rsplit("\n", 2)[0]
        assert "o" in map_part and "x" in map_part and "O" not in map_part
        assert pane.border_subtitle == "train points"
        await pilot.press("p")
        both = shown(pane).rsplit("\n", 2)[0]
        assert "O" in both and "X" in both and "o" in both
        assert pane.border_subtitle == "train + dev points"
        await pilot.press("p")
        dev = shown(pane).rsplit("\n", 2)[0]
        assert "o" not in dev and "x" not in dev and ("O" in dev or "X" in dev)
        assert pane.border_subtitle == "dev points"
        dev_points = app.experiment.dataset.m_dev
        assert sum(dev.count(g) for g in "OX") <= dev_points


async def test_the_legend_names_a_csvs_classes(sixteen_colours, tmp_path, app_factory, until, shown):
    rng = np.random.default_rng(0)
    rows = ["width,height,fruit"]
    for _ in range(60):
        rows.append(f"{rng.normal(7, 1):.3f},{rng.normal(7, 1):.3f},apple")
        rows.append(f"{rng.normal(3, 1):.3f},{rng.normal(18, 2):.3f},banana")
    path = tmp_path / "fruit.csv"
    path.write_text("\n".join(rows) + "\n")
    app = app_factory(dataset=str(path), iterations=300, learning_rate=0.5)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        legend = shown(app.query_one(BoundaryPane)).rstrip("\n").split("\n")[-1]
        assert "o" in legend and "apple" in legend and "x" in legend and "banana" in legend
