"""Image data: test accuracy beside train and dev, and the mislabelled dev images with class names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tui_nn.core import accuracy, predict
from tui_nn.views import ThumbnailView
from tui_nn.widgets.boundary_pane import BoundaryPane
from tui_nn.widgets.cost_plot import CostPlot
from tui_nn.widgets.status_line import StatusLine

DIGITS_NET = dict(hidden=(16,), activations=("relu",), init="he", learning_rate=0.3, iterations=40)
LEGEND = "under each: ✓/✗ predicted, then true class"


@pytest.fixture
def digits_with_test_split(tmp_path) -> Path:
    """scikit-learn's digits as an NPZ of images (rows layout) with a separate test split."""
    datasets = pytest.importorskip("sklearn.datasets")
    bunch = datasets.load_digits()
    images, labels = bunch.images.astype(np.float64) / 16.0, bunch.target
    path = tmp_path / "digits.npz"
    np.savez(path, x=images[:1400], y=labels[:1400], x_test=images[1400:], y_test=labels[1400:])
    return path


def one_line(text: str) -> str:
    return " ".join(text.split())


async def test_test_accuracy_shows_beside_train_and_dev(digits_with_test_split, app_factory, until, shown):
    app = app_factory(dataset=str(digits_with_test_split), **DIGITS_NET)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished" and app.query_one(StatusLine).test_accuracy is not None)
        ds = app.experiment.dataset
        expected = accuracy(ds.X_test, ds.targets(ds.Y_test), app.trainer.parameters_copy(), app.experiment.spec)
        status = shown(app.query_one(StatusLine))
        assert f"test {expected:.1%}" in status and "train " in status and "dev " in status
        assert f"test {expected:.1%}" in app.query_one(CostPlot).border_subtitle


async def test_data_without_a_test_split_shows_no_test_accuracy(app_factory, until, shown):
    app = app_factory(iterations=50)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        assert "test" not in shown(app.query_one(StatusLine))


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_mislabelled_view_lists_exactly_the_wrong_dev_images(size, app_factory, until, shown):
    pytest.importorskip("sklearn")
    app = app_factory(dataset="digits", **DIGITS_NET)
    async with app.run_test(size=size) as pilot:
        await pilot.press("4")  # the boundary pane alone on a narrow terminal
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished")
        pane = app.query_one(BoundaryPane)
        assert LEGEND in one_line(shown(pane))  # the legend is never cut
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pane.view, ThumbnailView) and pane.view.mislabelled)
        assert pane.border_title == "Mislabelled dev images"
        ds = app.experiment.dataset
        wrong = np.flatnonzero(predict(ds.X_dev, app.trainer.parameters_copy(), app.experiment.spec)[0] != ds.Y_dev[0])
        view = pane.view
        assert list(view.wrong) == wrong.tolist() and len(wrong) > 0
        assert list(view.indices) == wrong[: len(view.indices)].tolist()
        assert all(p != t for p, t in zip(view.predicted, view.truth))
        assert list(view.truth) == ds.Y_dev[0, wrong[: len(view.truth)]].tolist()
        text = one_line(shown(pane))
        assert f"{len(wrong)} of {ds.m_dev} dev images wrong" in text and LEGEND in text
        first = f"✗{view.predicted[0]}"
        assert first in text and "✓" not in text.replace(LEGEND, "")
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pane.view, ThumbnailView) and not pane.view.mislabelled)
        assert pane.border_title == "Dev images"


async def test_catvnoncat_mislabelled_images_name_cat_and_non_cat(app_factory, until, shown):
    data = Path(__file__).resolve().parents[3] / "shared" / "data" / "catvnoncat"
    if not (data / "train_catvnoncat.h5").is_file():
        pytest.skip("the course's cat/non-cat files are not in ../shared/data")
    pytest.importorskip("h5py")
    app = app_factory(dataset=str(data), hidden=(7,), activations=("relu",), init="he", learning_rate=0.0075,
                      iterations=30)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: app.state == "finished", timeout=60)
        await pilot.press("v")
        pane = app.query_one(BoundaryPane)
        await until(pilot, lambda: isinstance(pane.view, ThumbnailView) and pane.view.mislabelled)
        text = shown(pane)
        view = pane.view
        names = ("non-cat", "cat")  # the file's list_classes
        assert f"✗{names[view.predicted[0]]}" in text and f" {names[view.truth[0]]}" in text
        assert "test " in shown(app.query_one(StatusLine))  # the course's test set (here also the dev set)
