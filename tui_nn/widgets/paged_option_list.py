"""An ``OptionList`` whose page keys can never end the app."""

from __future__ import annotations

from textual.widgets import OptionList


class PagedOptionList(OptionList):
    """Textual's ``OptionList``, with page up and page down that do nothing while the list has no lines.

    Textual 8.2.8: the page keys read ``_index_to_line[highlighted]``, a line cache
    filled only while the list has a content region; on a terminal too short to
    show the list the cache is empty and ``KeyError: 0`` ends the app (the same
    bug the command palette's guard works around).
    """

    def action_page_up(self) -> None:
        try:
            super().action_page_up()
        except LookupError:
            pass  # not laid out: no page to move by

    def action_page_down(self) -> None:
        try:
            super().action_page_down()
        except LookupError:
            pass  # not laid out: no page to move by
