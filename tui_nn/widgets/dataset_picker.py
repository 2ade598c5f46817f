"""The dataset picker: every built-in with its description, and a path field for files."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_nn.datasets import BUILTINS
from tui_nn.safe_text import printable
from tui_nn.widgets.dialog import Dialog


class DatasetPicker(Dialog[str | None]):
    """Dismisses with a built-in name or a file path, or None on escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("[b]Pick a dataset[/b]  (enter: choose, tab: type a file path, escape: cancel)")
            options = [
                Option(Text(f"{name:20} {printable(info.description)}", no_wrap=True, overflow="ellipsis"), id=name)
                for name, info in BUILTINS.items()
            ]
            yield OptionList(*options, id="dataset-list")
            yield Static("or a CSV / NPZ / HDF5 file or folder:")
            yield Input(placeholder="path/to/data.csv", id="dataset-path")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        if self._current in BUILTINS:
            option_list.highlighted = list(BUILTINS).index(self._current)
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
