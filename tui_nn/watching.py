"""What a watcher knows about one run, folded from its log records (no UI, no threads).

The records come from ``RunTail``, which checks each against its type's schema
(``tui_nn.runs.records``), so every field read here has the type it should.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tui_nn.core import LayerStats
from tui_nn.runs.log import layer_stats_from_json
from tui_nn.runs.reader import TailUpdate

MAX_PROBLEMS = 100
"""The most recent malformed-line messages kept (the count covers them all)."""


@dataclass
class Curve:
    """(iteration, cost) points read from a log; ``take`` hands out the new ones once."""

    its: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    taken: int = 0

    def add(self, iteration: int, cost: float) -> None:
        self.its.append(iteration)
        self.costs.append(cost)

    def since(self, start: int) -> tuple[np.ndarray, np.ndarray]:
        """The points from number ``start`` on, as arrays."""
        return np.array(self.its[start:], dtype=np.int64), np.array(self.costs[start:], dtype=np.float64)

    def take(self) -> tuple[np.ndarray, np.ndarray]:
        """The points added since the last call."""
        its, costs = self.since(self.taken)
        self.taken = len(self.its)
        return its, costs


@dataclass
class RunView:
    """The state of one watched run; ``apply`` folds in each poll of its log."""

    path: Path
    header: dict[str, Any] | None = None
    state: str = "waiting"
    """waiting (no header yet) / running / paused / finished / converged / diverged / stopped / terminated / failed."""
    iteration: int = 0
    """Steps done, as of the latest record."""
    target: int | None = None
    cost: float | None = None
    learning_rate: float | None = None
    train_accuracy: float | None = None
    dev_accuracy: float | None = None
    rate: float = 0.0
    """Iterations per second between the last two evaluations."""
    seconds: float = 0.0
    """Training time as the latest record tells it."""
    stats: tuple[LayerStats, ...] | None = None
    stats_iteration: int = 0
    malformed: int = 0
    resets: int = 0
    problems: list[str] = field(default_factory=list)
    message: str = ""
    """The latest event worth a sentence: an acknowledgement, the end, a reset."""
    train_curve: Curve = field(default_factory=Curve)
    dev_curve: Curve = field(default_factory=Curve)
    _last_eval: tuple[int, float] | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def apply(self, update: TailUpdate) -> bool:
        """Fold in one poll; returns True when the log was reset (drop plotted points)."""
        if update.reset:
            self._restart()
        self.malformed += update.malformed
        self.problems = (self.problems + list(update.problems))[-MAX_PROBLEMS:]
        if update.error:
            self.message = update.error
        for record in update.records:
            handler = _HANDLERS.get(record.get("type"))
            if handler is not None:
                handler(self, record)
        return update.reset

    def _restart(self) -> None:
        fresh = RunView(self.path, resets=self.resets + 1, malformed=self.malformed)
        fresh.message = "the log was truncated or replaced: reading it again as a new run"
        self.__dict__.update(fresh.__dict__)

    def _header(self, r: dict[str, Any]) -> None:
        self.header = r
        self.state = "running"
        cfg = r.get("config") or {}
        self.target = cfg.get("iterations")
        self.learning_rate = cfg.get("learning_rate")

    def _eval(self, r: dict[str, Any]) -> None:
        it, cost = r.get("iteration"), r.get("cost")
        if not isinstance(it, int):
            return
        self.iteration = it + 1
        if isinstance(cost, (int, float)):
            self.cost = float(cost)
            self.train_curve.add(it, float(cost))
        dev_cost = r.get("dev_cost")
        if isinstance(dev_cost, (int, float)):
            self.dev_curve.add(it, float(dev_cost))
        self.learning_rate = r.get("learning_rate", self.learning_rate)
        self.train_accuracy = r.get("train_accuracy", self.train_accuracy)
        self.dev_accuracy = r.get("dev_accuracy", self.dev_accuracy)
        elapsed = r.get("elapsed")
        if isinstance(elapsed, (int, float)) and math.isfinite(elapsed):
            self.seconds = float(elapsed)
            if self._last_eval is not None and elapsed > self._last_eval[1]:
                self.rate = (it - self._last_eval[0]) / (elapsed - self._last_eval[1])
            self._last_eval = (it, float(elapsed))
        layers = r.get("layers")
        if isinstance(layers, list):
            try:
                self.stats = tuple(layer_stats_from_json(layer) for layer in layers)
                self.stats_iteration = it
            except (ValueError, TypeError, KeyError):
                self.problems.append(f"iteration {it}: unreadable layer statistics")
        if self.state in ("waiting", "running", "paused") and r.get("status") == "running":
            self.state = "paused" if self.state == "paused" else "running"

    def _ack(self, r: dict[str, Any]) -> None:
        command = r.get("command")
        self.message = f"trainer acknowledged {command}: {r.get('message', '')}".strip().rstrip(":")
        if r.get("learning_rate") is not None:
            self.learning_rate = r["learning_rate"]
        if r.get("paused") is True:
            self.state = "paused"
            self.rate = 0.0
        elif r.get("paused") is False and self.state == "paused":
            self.state = "running"

    def _resume(self, r: dict[str, Any]) -> None:
        self.state = "running"
        self.message = f"resumed at iteration {r.get('iteration')}"
        if isinstance(r.get("iteration"), int):
            self.iteration = r["iteration"]
        cfg = r.get("config")  # the config it resumed with: --iterations may have raised the budget
        if isinstance(cfg, dict) and isinstance(cfg.get("iterations"), int):
            self.target = cfg["iterations"]
        if isinstance(r.get("learning_rate"), (int, float)):
            self.learning_rate = r["learning_rate"]
        self._last_eval = None

    def _end(self, r: dict[str, Any]) -> None:
        self.state = str(r.get("state", "finished"))
        self.rate = 0.0
        if isinstance(r.get("elapsed"), (int, float)) and math.isfinite(r["elapsed"]):
            self.seconds = float(r["elapsed"])
        if isinstance(r.get("iterations"), int):
            self.iteration = r["iterations"]
        if isinstance(r.get("cost"), (int, float)):
            self.cost = float(r["cost"])
        for key in ("train_accuracy", "dev_accuracy"):
            if r.get(key) is not None:
                setattr(self, key, r[key])
        reason = r.get("reason") or ""
        div = r.get("divergence")
        if isinstance(div, dict):
            reason = f"diverged at iteration {div.get('iteration')}: {div.get('array')} in layer {div.get('layer')}: {div.get('reason')}"
        self.message = f"run {self.state}" + (f": {reason}" if reason else "")


_HANDLERS = {
    "header": RunView._header,
    "eval": RunView._eval,
    "ack": RunView._ack,
    "resume": RunView._resume,
    "end": RunView._end,
}
