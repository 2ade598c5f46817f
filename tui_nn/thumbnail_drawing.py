"""Drawing dev images with their labels (a sample, or the mislabelled ones) and the confusion matrix."""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text

from tui_nn.drawing import downsample, grey_or_rgb, halfblock
from tui_nn.safe_text import printable
from tui_nn.views import ConfusionView, ThumbnailView

THUMB_COLS = 12


def class_name(class_names: tuple[str, ...], k: int, width: int) -> str:
    """Class ``k``'s name (escaped, cut to ``width``), or its number when there are no names."""
    return printable(class_names[k] if 0 <= k < len(class_names) else k, width)[:width]


def thumbnails_header(view: ThumbnailView, width: int) -> Text:
    """What the labels mean, and for the mislabelled view how many are wrong; wraps to ``width``."""
    text = Text(style="dim", overflow="fold")
    if view.mislabelled:
        total = len(view.wrong)
        text.append(f"{total} of {view.dev_size} dev images wrong", "bold" if total else "bold green")
        if total > len(view.images):
            text.append(f" (first {len(view.images)})")
        text.append("; ")
    text.append("under each: ✓/✗ predicted, then true class")
    return text


def thumbnails_text(view: ThumbnailView, image_shape: tuple[int, ...], class_names: tuple[str, ...], width: int,
                    height: int | None = None) -> Group:
    """The header, then half-block thumbnails in rows that fit ``width`` (and ``height``
    lines, when given); under each, the predicted class (✓ green when right, ✗ red when
    wrong) and the true one."""
    h, w = image_shape[0], image_shape[1]
    cols = min(THUMB_COLS, w, max(width - 1, 4))
    rows = max(2, int(round(h * cols / w)) // 2 * 2)
    per_row = max(1, (width + 1) // (cols + 1))
    header = thumbnails_header(view, width)
    parts: list = [header]
    used = -(-header.cell_len // max(width, 1))  # lines once wrapped (about)
    images = [downsample(grey_or_rgb(img), rows, cols) for img in view.images]
    gap = np.zeros((rows, 1, 3))
    for start in range(0, len(images), per_row):
        if height is not None and used + rows // 2 + 2 > height:
            break
        chunk = slice(start, start + per_row)
        parts.append(halfblock(np.concatenate([x for img in images[chunk] for x in (img, gap)], axis=1)))
        predicted, truth = Text(no_wrap=True), Text(no_wrap=True, style="dim")
        for p, t in zip(view.predicted[chunk], view.truth[chunk]):
            mark = "✓" if p == t else "✗"
            predicted.append(f"{mark}{class_name(class_names, p, cols - 1):<{cols - 1}} ", "green" if p == t else "bold red")
            truth.append(f" {class_name(class_names, t, cols - 1):<{cols - 1}} ")
        parts.extend([predicted, truth])
        used += rows // 2 + 2
    if not view.images and view.mislabelled:
        parts.append(Text("every dev image is classified right", "green"))
    return Group(*parts)


def confusion_table(view: ConfusionView, class_names: tuple[str, ...]) -> Table:
    """Rows: true class; columns: predicted; the diagonal in bold."""
    k = view.matrix.shape[0]
    names = [printable(class_names[i] if i < len(class_names) else i, 8) for i in range(k)]
    table = Table(title="rows: true, columns: predicted", box=None, padding=(0, 1))
    table.add_column("")
    for n in names:
        table.add_column(n, justify="right")
    for i in range(k):
        cells = [Text(str(int(v)), "bold green" if i == j else ("red" if v else "dim")) for j, v in enumerate(view.matrix[i])]
        table.add_row(names[i], *cells)
    return table
