"""The map as a picture (kitty graphics or sixel) through ``textual-image``, over the pane's map area.

Only mounted when ``tui_nn.graphics.detect_graphics`` found a terminal that draws
pictures; ``textual-image`` (the ``image`` extra) is imported then and only then.
"""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.widget import Widget


def image_widget_class(protocol: str) -> type[Widget]:
    """``textual-image``'s widget for ``"sixel"`` or ``"tgp"`` (kitty's protocol)."""
    from textual_image.widget import SixelImage, TGPImage

    return SixelImage if protocol == "sixel" else TGPImage


class MapImage(Widget):
    """Shows an RGB array ``(rows, cols, 3)`` stretched over the widget, in the terminal's protocol."""

    DEFAULT_CSS = """
    MapImage { width: 1fr; height: 1fr; }
    MapImage > * { width: 100%; height: 100%; }
    """

    def __init__(self, protocol: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.protocol = protocol
        self.pixels: np.ndarray | None = None
        """The picture shown last, ``(rows, cols, 3)`` uint8."""

    def compose(self) -> ComposeResult:
        yield image_widget_class(self.protocol)()

    def show(self, rgb: np.ndarray) -> None:
        """Draw ``rgb`` (replacing the previous picture)."""
        from PIL import Image

        self.pixels = np.ascontiguousarray(rgb, dtype=np.uint8)
        self.children[0].image = Image.fromarray(self.pixels, "RGB")
