"""The worker spaces statistics and boundary updates so they cost at most a few percent of training."""

from __future__ import annotations

from tui_nn.config import RunConfig
from tui_nn.experiment import build_experiment
from tui_nn.messages import BoundaryUpdate, StatsUpdate
from tui_nn.training import DETAIL_BUDGET, DETAIL_INTERVAL, TrainingDriver
from tui_nn.views import BoundaryProbe


class FakeClock:
    """Simulated seconds: every reading moves time on by ``tick``."""

    def __init__(self, tick: float) -> None:
        self.now = 0.0
        self.tick = tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


class SlowProbe(BoundaryProbe):
    """The real boundary view, taking ``cost`` simulated seconds to compute."""

    def __init__(self, experiment, clock: FakeClock, cost: float) -> None:
        super().__init__(experiment.dataset, experiment.spec)
        self.clock, self.cost, self.calls = clock, cost, 0

    def compute(self, parameters, cells):
        self.calls += 1
        self.clock.now += self.cost
        return super().compute(parameters, cells)


def run_for(seconds: float, view_cost: float) -> tuple[list, SlowProbe, FakeClock]:
    experiment = build_experiment(RunConfig(iterations=10**8))
    clock = FakeClock(tick=0.001)
    probe = SlowProbe(experiment, clock, view_cost)
    messages: list = []
    driver = TrainingDriver(experiment.new_trainer(), messages.append, probe, clock=clock)
    driver.start()
    driver.loop(lambda: clock.now > seconds)
    return messages, probe, clock


def test_cheap_details_come_every_interval():
    messages, probe, clock = run_for(20.0, view_cost=0.0)
    updates = sum(isinstance(m, BoundaryUpdate) for m in messages)
    assert abs(updates - clock.now / DETAIL_INTERVAL) <= 2
    assert sum(isinstance(m, StatsUpdate) for m in messages) >= updates - 1


def test_expensive_details_are_spaced_to_the_budget():
    """A boundary view that takes 0.2 s would cost a quarter of training at one every
    0.75 s; the driver measures it and spaces the updates to stay within the budget."""
    messages, probe, clock = run_for(60.0, view_cost=0.2)
    spent = probe.calls * probe.cost
    assert probe.calls >= 5  # still updating
    assert spent / clock.now <= DETAIL_BUDGET * 1.25
    assert sum(isinstance(m, StatsUpdate) for m in messages) >= probe.calls - 1
