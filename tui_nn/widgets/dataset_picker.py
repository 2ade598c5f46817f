"""The dataset picker: every built-in with its description, and a path field for files."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_nn.datasets import BUILTINS, unavailable_reason
from tui_nn.safe_text import markup_safe, printable
from tui_nn.widgets.dialog import Dialog
from tui_nn.widgets.paged_option_list import PagedOptionList


def dataset_option(name: str) -> Option:
    """One built-in: name and description; for one that cannot open here, what it needs on a second line."""
    line = Text(f"{name:20} {printable(BUILTINS[name].description)}", no_wrap=True, overflow="ellipsis")
    reason = unavailable_reason(name)
    if reason is None:
        return Option(line, id=name)
    needs = Text(f"{'':19}✗ {printable(reason, 300)}", style="italic", overflow="fold")
    return Option(Text("\n").join([line, needs]), id=name)


class DatasetPicker(Dialog[str | None]):
    """Dismisses with a built-in name or a file path, or None on escape.

    A set that cannot open here shows what it needs; choosing it says so again and keeps the picker open.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("[b]Pick a dataset[/b]  (enter: choose, tab: type a file path, escape: cancel)")
            yield PagedOptionList(*(dataset_option(name) for name in BUILTINS), id="dataset-list")
            yield Static("or a CSV / NPZ / HDF5 file or folder:")
            yield Input(placeholder="path/to/data.csv", id="dataset-path")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        if self._current in BUILTINS:
            option_list.highlighted = list(BUILTINS).index(self._current)
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        reason = unavailable_reason(event.option.id)
        if reason is not None:
            self.app.notify(markup_safe(reason), title=f"{event.option.id} cannot open here", severity="warning",
                            timeout=15)
            return
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
