"""The base of every modal dialog: it answers once.

Keys can arrive faster than a dialog closes (Enter Enter, y y, a paste): the
second answer reaches the dialog after its first one has already popped it, and
Textual's ``Screen.dismiss`` pops whatever screen is on top, possibly the main
screen (``ScreenStackError: Can't pop screen``, the app dies) or the next
dialog. A screen that was dismissed ignores every later answer, and one that is
not the active screen (something was pushed over it) does not pop another.
"""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


async def _nothing() -> None:
    return None


class DismissOnce:
    """A mixin for a Textual ``Screen``: its first ``dismiss`` wins; later ones (racing keys, late workers) do nothing."""

    answered = False
    """True once the screen has been dismissed."""

    def dismiss(self, result: object = None) -> AwaitComplete:
        if self.answered or not self.is_active:
            return AwaitComplete(_nothing())
        self.answered = True
        return super().dismiss(result)


class Dialog(DismissOnce, ModalScreen[ResultType]):
    """A modal dialog that answers once (the base of every dialog in ``tui_nn.widgets``)."""
