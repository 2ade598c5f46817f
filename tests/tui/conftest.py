"""Helpers for Pilot tests of the app: build it on a real experiment, wait for conditions, read panes."""

from __future__ import annotations

import time
from typing import Callable

import pytest
from rich.console import Console
from textual.widgets import Static

from tui_nn.app import TuiNNApp
from tui_nn.config import RunConfig
from tui_nn.experiment import build_experiment


def make_app(**changes) -> TuiNNApp:
    """The real app on a real experiment (flower unless ``dataset`` is given)."""
    return TuiNNApp(build_experiment(RunConfig(**changes)))


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        await pilot.pause(0.05)


def text_of(widget) -> str:
    """What a widget draws, as plain text (its ``render()`` through a Rich console)."""
    console = Console(width=max(widget.size.width, 40), record=True, color_system=None, file=open("/dev/null", "w"))
    own_render = type(widget).render is not Static.render
    console.print(widget.render() if own_render or not isinstance(widget, Static) else widget.content)
    return console.export_text()


@pytest.fixture
def app_factory() -> Callable[..., TuiNNApp]:
    """``app_factory(**RunConfig changes)`` builds the real app."""
    return make_app


@pytest.fixture
def until():
    """``await until(pilot, condition, timeout)``: wait for a condition while the app runs."""
    return wait_for


async def train_and_get_map(pilot, app, timeout: float = 60.0):
    """Train to the end (``e``) and return the boundary pane and its map view."""
    from tui_nn.views import HeatmapView
    from tui_nn.widgets.boundary_pane import BoundaryPane

    await pilot.press("e")
    await wait_for(pilot, lambda: app.state == "finished", timeout)
    pane = app.query_one(BoundaryPane)
    assert isinstance(pane.view, HeatmapView)
    return pane, pane.view


@pytest.fixture
def trained_map():
    """``pane, view = await trained_map(pilot, app)``: train to the end, then the map."""
    return train_and_get_map


@pytest.fixture
def shown():
    """``shown(widget)``: the widget's drawing as plain text."""
    return text_of
