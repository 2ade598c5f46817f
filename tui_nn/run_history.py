"""The runs history of one session: every run trained, kept for comparing (no Textual, no threads).

A run is what one trainer trained from its initial weights until a reset, a change of
experiment or quitting (in the app), one trial of a sweep, or one watched run folder.
Each is a ``RunRecord``: its config, how it ended, its numbers, its cost curve and (while
small) its weights, for the Compare view's table, overlaid curves and grid of maps.

Memory is bounded, and each record says what was dropped (``notes``):

- at most ``MAX_RUNS`` records; past that the oldest ones that are neither selected nor
  running are dropped whole;
- a cost curve keeps at most ``CURVE_POINTS`` points, reduced like the Cost pane's
  (each bucket's minimum and maximum, so spikes survive);
- weights are kept for the grid of maps only for runs of at most ``MAX_RUN_PARAMETERS``
  values, and at most ``MAX_TOTAL_PARAMETERS`` values in all (the oldest unselected runs
  lose theirs first);
- 2-feature data (shared with the experiment that trained it) is kept for the maps when it
  has at most ``MAX_MAP_POINTS`` points, for at most ``MAX_MAP_DATASETS`` distinct data sets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

from tui_nn.config import RunConfig
from tui_nn.core import NetworkSpec
from tui_nn.curves import Series
from tui_nn.datasets import Dataset
from tui_nn.runs.listing import differing_config_values
from tui_nn.runs.sweep_results import rank_key

MAX_RUNS = 1000
CURVE_POINTS = 2000
"""Points a run's curve keeps (16 bytes each)."""
MAX_RUN_PARAMETERS = 20_000
MAX_TOTAL_PARAMETERS = 2_000_000
"""Weight values kept over all runs (16 MB as float64)."""
MAX_MAP_POINTS = 100_000
MAX_MAP_DATASETS = 20
SORTS = ("order", "dev", "cost", "time")
"""Table orders: as the runs began, best dev accuracy, lowest final cost, fastest."""
SUMMARY_KEYS = ("dataset", "hidden", "activations", "learning_rate", "iterations")
"""Shown for a run with no run before it, with anything else that is not the default."""
ENDED = ("finished", "converged", "diverged", "stopped", "early-stopped", "terminated", "crashed", "failed")


def parameter_count(spec: NetworkSpec) -> int:
    """Values in ``W1, b1, ..., WL, bL`` for a network: ``sum n[l] (n[l-1] + 1)``."""
    dims = spec.layer_dims
    return sum(dims[l] * (dims[l - 1] + 1) for l in range(1, len(dims)))


@dataclass(eq=False)
class RunRecord:
    """One run: its config, state, numbers, cost curve and (while small) weights and map data."""

    number: int
    """1, 2, 3 ... in the order runs began (never reused in a session)."""
    config: RunConfig | None
    """None for a watched run whose log has no readable header yet."""
    origin: str
    """``app``, ``<sweep name> trial-003`` or a run folder's name."""
    status: str = "running"
    final_cost: float | None = None
    train_accuracy: float | None = None
    dev_accuracy: float | None = None
    iterations: int = 0
    seconds: float = 0.0
    """Training time (running time only, pauses left out)."""
    curve: Series = field(default_factory=lambda: Series(CURVE_POINTS))
    spec: NetworkSpec | None = None
    map_data: Dataset | None = None
    """The 2-feature data set as loaded (before input features), for its map; None otherwise."""
    dev_size: int | None = None
    """Examples in the dev set (for counts of mislabelled examples); None for regression."""
    run_dir: Path | None = None
    parameters: dict[str, np.ndarray] | None = None
    parameters_version: int = 0
    """Counts updates of ``parameters``, so maps drawn from older weights are redrawn."""
    notes: list[str] = field(default_factory=list)
    """What was dropped to bound memory, and other things worth knowing about the row."""

    @property
    def trial(self) -> int:
        """The tie-breaker of ``rank_key``: the run's number."""
        return self.number

    @property
    def ended(self) -> bool:
        return self.status in ENDED

    @property
    def mislabelled(self) -> int | None:
        """Dev examples the final weights get wrong (classification with a dev accuracy), else None."""
        if self.dev_accuracy is None or self.dev_size is None or not np.isfinite(self.dev_accuracy):
            return None
        return int(round((1.0 - self.dev_accuracy) * self.dev_size))

    def set_curve(self, iterations: np.ndarray, costs: np.ndarray) -> None:
        """Replace the cost curve with this one (a trial's whole log in place of its live points)."""
        self.curve = Series(CURVE_POINTS)
        self.curve.extend(iterations, costs)
        self.curve.compact()

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def parameter_values(self) -> int:
        return 0 if self.parameters is None else sum(int(v.size) for v in self.parameters.values())

    def nbytes(self) -> int:
        """Bytes this record holds in arrays of its own (its curve and weights; shared data left out)."""
        weights = 0 if self.parameters is None else sum(int(v.nbytes) for v in self.parameters.values())
        return self.curve.nbytes + weights


class RunHistory:
    """The session's runs in the order they began, the rows selected for comparing, and the bounds."""

    def __init__(self) -> None:
        self.records: list[RunRecord] = []
        self.selected: list[int] = []
        """Selected run numbers, in the order they were selected."""
        self.version = 0
        """Bumped by ``touch`` on every change, so views redraw only when something changed."""
        self.sort = "order"
        """The order the Compare view lists the rows in (one of ``SORTS``), kept while it is closed."""
        self._next = 1

    def touch(self) -> None:
        self.version += 1

    # --- adding and finding -----------------------------------------------------------

    def add(self, config: RunConfig | None, origin: str, *, spec: NetworkSpec | None = None,
            dataset: Dataset | None = None, run_dir: Path | None = None, status: str = "running") -> RunRecord:
        """A new record (numbered after the last one), with the map data of ``dataset`` when
        it is 2-feature data small enough to keep."""
        record = RunRecord(self._next, config, origin, status, spec=spec, run_dir=run_dir)
        self._next += 1
        if dataset is not None:
            self.attach_data(record, dataset)
        self.records.append(record)
        self._drop_old_records()
        self.touch()
        return record

    def attach_data(self, record: RunRecord, dataset: Dataset) -> None:
        """What the record needs from its data: the dev set's size, and 2-feature data for its map."""
        record.dev_size = dataset.m_dev if dataset.task != "regression" else None
        if dataset.n_x != 2:
            return
        if dataset.m_train + dataset.m_dev > MAX_MAP_POINTS:
            record.note(f"no map: the data has more than {MAX_MAP_POINTS:,} points")
            return
        record.map_data = dataset
        self._drop_old_map_data()

    def find(self, number: int) -> RunRecord | None:
        return next((r for r in self.records if r.number == number), None)

    def by_run_dir(self, run_dir: Path) -> RunRecord | None:
        return next((r for r in self.records if r.run_dir is not None and r.run_dir == run_dir), None)

    # --- weights ------------------------------------------------------------------------

    def keep_parameters(self, record: RunRecord, parameters: Mapping[str, np.ndarray] | None) -> None:
        """Keep a copy of ``parameters`` for the record's map, within the memory bounds."""
        if parameters is None:
            return
        count = sum(int(np.asarray(v).size) for v in parameters.values())
        if count > MAX_RUN_PARAMETERS:
            record.parameters = None
            record.note(f"weights not kept: {count:,} values (the maps keep at most {MAX_RUN_PARAMETERS:,})")
            return
        record.parameters = {k: np.array(v, copy=True) for k, v in parameters.items()}
        record.parameters_version += 1
        self._drop_old_parameters(keep=record)
        self.touch()

    # --- selection and order ---------------------------------------------------------------

    def toggle(self, number: int) -> None:
        """Select the run, or unselect it when it is selected."""
        if number in self.selected:
            self.selected.remove(number)
        elif self.find(number) is not None:
            self.selected.append(number)
        self.touch()

    def select(self, numbers: Iterable[int]) -> None:
        """Select exactly these runs."""
        known = {r.number for r in self.records}
        self.selected = [n for n in dict.fromkeys(numbers) if n in known]
        self.touch()

    def selected_records(self) -> list[RunRecord]:
        """The selected runs, in the order they began."""
        chosen = set(self.selected)
        return [r for r in self.records if r.number in chosen]

    def rows(self, sort: str = "order") -> list[RunRecord]:
        """Every record: as they began (``order``), or best first by ``dev``, ``cost`` or ``time``
        (runs still training, failed and without numbers last)."""
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
        if sort == "order":
            return list(self.records)
        return sorted(self.records, key=rank_key(sort))

    # --- words for the table, the legend and the grid ---------------------------------------

    def changes(self, record: RunRecord) -> str:
        """What differs from the run before it (``hidden=5``); for the first run, a summary."""
        index = self.records.index(record)
        previous = next((r for r in reversed(self.records[:index]) if r.config is not None), None)
        if record.config is None:
            return "(no config yet)"
        if previous is None or previous.config is None:
            return summary(record.config)
        return differing_config_values([previous.config.to_dict(), record.config.to_dict()])[1] or "same config"

    def memory(self) -> int:
        """Bytes held in the records' own arrays (curves and weights)."""
        return sum(r.nbytes() for r in self.records)

    # --- bounds ------------------------------------------------------------------------------

    def _droppable(self, keep: RunRecord | None = None) -> list[RunRecord]:
        """Oldest first: records that are not selected and not ``keep``."""
        chosen = set(self.selected)
        return [r for r in self.records if r.number not in chosen and r is not keep]

    def _drop_old_records(self) -> None:
        excess = len(self.records) - MAX_RUNS
        if excess > 0:
            gone = {id(r) for r in [r for r in self._droppable() if r.ended][:excess]}
            self.records = [r for r in self.records if id(r) not in gone]

    def _drop_old_parameters(self, keep: RunRecord) -> None:
        total = sum(r.parameter_values() for r in self.records)
        for r in self._droppable(keep):
            if total <= MAX_TOTAL_PARAMETERS:
                return
            if r.parameters is not None:
                total -= r.parameter_values()
                r.parameters = None
                r.note(f"weights dropped: all runs together keep at most {MAX_TOTAL_PARAMETERS:,} values")

    def _drop_old_map_data(self) -> None:
        distinct = {id(r.map_data) for r in self.records if r.map_data is not None}
        for r in self._droppable():
            if len(distinct) <= MAX_MAP_DATASETS:
                return
            if r.map_data is not None:
                data = r.map_data
                for other in self._droppable():
                    if other.map_data is data:
                        other.map_data = None
                        other.note(f"no map: the history keeps the data of at most {MAX_MAP_DATASETS} data sets")
                distinct.discard(id(data))


def summary(config: RunConfig) -> str:
    """``dataset=flower hidden=4 act=tanh lr=1.2 iters=10000``, and any other value that is
    not the default."""
    values = config.to_dict()
    defaults = RunConfig().to_dict()
    keys = [*SUMMARY_KEYS, *(k for k in values if k not in SUMMARY_KEYS and k != "out" and values[k] != defaults.get(k))]
    return differing_config_values([{k: values.get(k) for k in keys}, {}])[0]


FAILED = ("failed", "crashed", "diverged")


def sweep_progress(name: str, records: list[RunRecord]) -> str:
    """``sweep hidden-sizes: 5/7 done, 2 running, 0 failed · best dev 93.0% (hidden=5)`` for a
    sweep's trials (the best of those that ended, ranked as ``tui-nn sweep`` ranks, named by what differs)."""
    done = sum(r.ended for r in records)
    running = sum(r.status in ("running", "paused") for r in records)
    failed = sum(r.status in FAILED for r in records)
    text = f"{name}: {done}/{len(records)} done, {running} running, {failed} failed"
    scored = [r for r in records if r.ended and r.dev_accuracy is not None and np.isfinite(r.dev_accuracy)]
    if scored:
        best = min(scored, key=rank_key("dev"))  # as the sweep's table ranks: dev accuracy, then cost
        text += f" · best dev {best.dev_accuracy:.1%} ({labels(records)[records.index(best)]})"
    return text


def labels(records: list[RunRecord]) -> list[str]:
    """Each run named by what differs between these runs (``hidden=4``, ``lr=0.01``), never by
    a time: ``#3`` (its number) when nothing differs, added where two labels are the same."""
    configs: list[dict[str, Any]] = [r.config.to_dict() if r.config is not None else {} for r in records]
    raw = differing_config_values(configs) if len(records) > 1 else [""] * len(records)
    out = [text or f"#{r.number}" for text, r in zip(raw, records)]
    return [f"{text} #{r.number}" if out.count(text) > 1 else text for text, r in zip(out, records)]
