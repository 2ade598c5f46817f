"""Train more: ask how many iterations to add to a run, without a reset."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui_nn.config import MAX_ITERATIONS
from tui_nn.widgets.dialog import Dialog


def parse_more(text: str, done: int) -> tuple[int | None, str]:
    """The number of iterations to add from ``text``, or None and an error naming the field and range."""
    room = MAX_ITERATIONS - done
    try:
        more = int(text.strip().replace("_", ""))
    except ValueError:
        return None, f"iterations to add: expected a whole number between 1 and {room}, got {text.strip()!r:.40}"
    if not 1 <= more <= room:
        return None, f"iterations to add: must be between 1 and {room}, got {more}"
    return more, ""


class TrainMoreDialog(Dialog[int | None]):
    """Dismisses with the iterations to add (1 .. MAX_ITERATIONS - done), or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, done: int, budget: int, default: int) -> None:
        super().__init__()
        self.done, self.budget, self.default = done, budget, default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="train-more"):
            yield Static(f"Train more: the run has taken {self.done} of {self.budget} iterations. "
                         "Iterations to add (the weights and the optimiser's state carry on):", markup=False)
            yield Input(value=str(self.default), id="more-input", restrict=r"[0-9_]*")
            yield Static("", id="more-error", classes="error", markup=False)
            yield Static("enter: train   escape: cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        more, error = parse_more(event.value, self.done)
        self.query_one("#more-error", Static).update(error)
        if more is not None:
            self.dismiss(more)

    def action_cancel(self) -> None:
        self.dismiss(None)
