"""One run's config (as the TOML ``tui-nn train --config`` reads), where it came from and what was dropped."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_nn.config import to_toml
from tui_nn.run_history import RunRecord
from tui_nn.safe_text import printable
from tui_nn.widgets.dialog import Dialog


class RunConfigScreen(Dialog[bool]):
    """Dismisses with True when the run is to be loaded into the app (``L``), else False."""

    BINDINGS = [
        Binding("L", "answer(True)", "Load into the app"),
        Binding("escape,q,enter", "answer(False)", "Close"),
    ]

    def __init__(self, record: RunRecord, can_load: bool) -> None:
        super().__init__()
        self.record = record
        self.can_load = can_load

    def compose(self) -> ComposeResult:
        r = self.record
        where = printable(r.origin, 80) + (f"  ({printable(r.run_dir, 120)})" if r.run_dir is not None else "")
        with VerticalScroll(classes="dialog wide", id="run-config"):
            yield Static(f"Run #{r.number}: {where}, {r.status}", markup=False)
            yield Static(to_toml(r.config) if r.config is not None else "(no config read yet)", markup=False)
            for note in r.notes:
                yield Static(f"note: {printable(note, 200)}", classes="hint", markup=False)
            keys = "L loads this config into the app (asks before a reset) · escape closes" if self.can_load else "escape closes"
            yield Static(keys, classes="hint", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == (True,):
            return self.can_load and self.record.config is not None
        return True

    def action_answer(self, load: bool) -> None:
        self.dismiss(load)
