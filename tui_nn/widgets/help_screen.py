"""The help screen on ``?``: every key, generated from the app's bindings."""

from __future__ import annotations

from typing import Iterable

from rich.table import Table
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.widgets import Static

from tui_nn.widgets.dialog import Dialog


def unique_bindings(bindings: Iterable[object]) -> list[Binding]:
    """The ``Binding`` objects, one per action (two keys for one action show once)."""
    seen: set[str] = set()
    unique = []
    for b in bindings:
        if isinstance(b, Binding) and b.action not in seen:
            seen.add(b.action)
            unique.append(b)
    return unique


def palette_commands(target: App | DOMNode, bindings: list[Binding]) -> Iterable[SystemCommand]:
    """One command-palette entry per binding, titled "Description (key)", with its sentence as help,
    run on ``target`` (the app, or a screen for the screen's own keys)."""
    for b in bindings:
        key = b.key_display or b.key
        yield SystemCommand(f"{b.description} ({key})", b.tooltip or f"key {key}",
                            lambda action=b.action: target.run_action(action))


def keys_table(bindings: list[Binding]) -> Table:
    """One row per key: the key, its short label (``Run / Pause`` for a key with two states) and
    a sentence for each action (the binding's tooltip)."""
    rows: dict[str, list[Binding]] = {}
    for b in bindings:
        if b.description:
            rows.setdefault(b.key_display or b.key, []).append(b)
    table = Table(box=None, padding=(0, 1), show_header=False, expand=True)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(style="bold", no_wrap=True, max_width=18, overflow="ellipsis")
    table.add_column(ratio=1)
    for key, actions in rows.items():
        table.add_row(key, " / ".join(b.description for b in actions), " ".join(b.tooltip for b in actions if b.tooltip))
    return table


class HelpScreen(Dialog[None]):
    """Lists the keys; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", show=False)]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self._keys = bindings

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static("[b]tui-nn keys[/b]  (escape closes)\n")
            yield Static(keys_table(self._keys))
