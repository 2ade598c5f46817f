"""The Compare view's table: one row per run of the history, selected rows marked in their curve's colour."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

from tui_nn.grid_drawing import percent
from tui_nn.plot_legend import SeriesStyle
from tui_nn.run_history import RunHistory, RunRecord
from tui_nn.runs.progress import format_duration
from tui_nn.safe_text import printable

COLUMNS = ("", "#", "WHAT CHANGED", "DEV", "TRAIN", "COST", "ITERS", "TIME", "STATUS", "RUN")
"""The numbers first, so they stay in view on a narrow table; where a run came from last."""
RIGHT = {"#", "DEV", "TRAIN", "COST", "ITERS", "TIME"}
SELECTED_MARK = "■"
CHANGES_WIDTH = 24
"""What changed is cut to this many characters (the run's config dialog shows all of it)."""


def row_cells(history: RunHistory, record: RunRecord, style: SeriesStyle | None) -> list[Text]:
    """The row of ``record``: its mark when selected (``■`` in its curve's colour, or without colour
    the curve's marker), number, what changed from the run before it, numbers, state and where it came from."""
    if style is None:
        mark = Text(" ")
    elif style.rich:
        mark = Text(SELECTED_MARK, Style.parse(style.rich))
    else:  # no colour: the curve's own marker tells the runs apart
        mark = Text(style.sample[0], "bold")
    cost = "-" if record.final_cost is None else f"{record.final_cost:.6g}"
    time = format_duration(record.seconds) if record.seconds else "-"
    cells = [str(record.number), printable(history.changes(record), CHANGES_WIDTH), percent(record.dev_accuracy),
             percent(record.train_accuracy), cost, str(record.iterations), time, record.status, printable(record.origin, 30)]
    texts = [mark] + [Text(c, no_wrap=True, overflow="ellipsis") for c in cells]
    for text, name in zip(texts, COLUMNS):
        if name in RIGHT:
            text.justify = "right"
    return texts


class RunsTable(DataTable):
    """The runs, one row each, keyed by run number; the cursor stays on its run across redraws."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for name in COLUMNS:
            self.add_column(Text(name, justify="right" if name in RIGHT else "left"), key=name or "mark")

    @property
    def highlighted(self) -> int | None:
        """The run number under the cursor (None with no rows)."""
        if not self.row_count:
            return None
        return int(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)

    def show(self, history: RunHistory, records: list[RunRecord], styles: dict[int, SeriesStyle]) -> None:
        """Redraw with ``records`` in this order; ``styles`` colour the selected runs' marks."""
        keep = self.highlighted
        self.clear()
        for record in records:
            self.add_row(*row_cells(history, record, styles.get(record.number)), key=str(record.number))
        if keep is not None and str(keep) in self.rows:
            self.move_cursor(row=self.get_row_index(str(keep)), animate=False, scroll=True)
