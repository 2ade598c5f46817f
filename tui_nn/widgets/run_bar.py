"""The watcher's run bar: every watched run on one line, named by what differs, the shown one marked.

When the runs do not fit, the line scrolls to keep the shown run in view and says how
many are left out on each side (``‹ 3``, ``4 ›``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tui_nn.safe_text import printable


@dataclass(frozen=True)
class RunEntry:
    """One run on the bar: its ``label``, state and steps done, drawn in ``style`` (its curve's colour)."""

    label: str
    state: str
    iteration: int
    style: str = ""


def entry_text(entry: RunEntry, shown: bool) -> Text:
    text = Text(no_wrap=True)
    text.append(("▶ " if shown else "  ") + printable(entry.label, 40),
                Style.parse(entry.style) + Style(bold=shown) if entry.style else Style(bold=shown))
    text.append(f" {entry.state} {entry.iteration}")
    return text


def run_bar_text(entries: list[RunEntry], shown: int, width: int, gap: int = 3) -> Text:
    """The entries that fit in ``width`` cells around entry ``shown``, with counts of those left out."""
    pieces = [entry_text(e, i == shown) for i, e in enumerate(entries)]
    if not pieces:
        return Text("waiting for the first run's log", "dim")
    first = last = min(max(shown, 0), len(pieces) - 1)

    def cost(a: int, b: int) -> int:
        markers = (4 + len(str(a)) if a > 0 else 0) + (4 + len(str(len(pieces) - 1 - b)) if b < len(pieces) - 1 else 0)
        return sum(p.cell_len for p in pieces[a : b + 1]) + gap * (b - a) + markers

    grew = True
    while grew:  # add runs on either side, right first, while they fit
        grew = False
        if last + 1 < len(pieces) and cost(first, last + 1) <= width:
            last, grew = last + 1, True
        if first > 0 and cost(first - 1, last) <= width:
            first, grew = first - 1, True
    line = Text(no_wrap=True, overflow="ellipsis")
    if first > 0:
        line.append(f"‹ {first}  ", "dim")
    line.append_text(Text(" " * gap).join(pieces[first : last + 1]))
    if last < len(pieces) - 1:
        line.append(f"  {len(pieces) - 1 - last} ›", "dim")
    return line


class RunBar(Static):
    """One line listing the watched runs; the app sets ``entries`` and ``shown``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[RunEntry] = []
        self.shown = 0

    def show(self, entries: list[RunEntry], shown: int) -> None:
        self.entries, self.shown = entries, shown
        self.refresh()

    def render(self) -> Text:
        return run_bar_text(self.entries, self.shown, self.content_size.width)
