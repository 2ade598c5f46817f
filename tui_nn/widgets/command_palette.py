"""The command palette, guarded so that racing or navigation keys can never end the app."""

from __future__ import annotations

from textual import on, work
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, Input, OptionList

from tui_nn.widgets.dialog import DismissOnce

PAGE_ACTIONS = ("page_up", "page_down")


class GuardedCommandPalette(DismissOnce, CommandPalette):
    """Textual's command palette (ctrl+p), closed once, with its list navigation guarded.

    Enter Enter on a command dismisses the palette twice (the second pops the
    main screen: ``ScreenStackError``) and runs the command once per Enter: a
    palette that has been answered drops the answers still queued behind it.

    Textual 8.2.8: pageup/pagedown reach ``OptionList._move_page`` through
    ``CommandPalette._action_command_list``, and ``_move_page`` reads
    ``_index_to_line[highlighted]``, a line cache that ``_update_lines`` only
    fills while the list has a content region. Before the list is laid out
    (a page key right after ctrl+p or a typed letter) or while it has no height
    (a terminal four lines high) the cache is empty: ``KeyError: 0`` ends the
    app. A key that arrives before the palette is composed raises ``NoMatches``
    on the same path. Here a page key without a laid-out list does nothing, and
    any other lookup failure in the library's list is logged and ignored.

    The palette searches in a worker that queries its list when it starts; a
    search started by letters queued behind escape finds no list (``NoMatches``),
    and the worker's error would end the app. Here a search never does.
    """

    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    @on(Button.Pressed)
    def _drop_spent_answer(self, message: Message) -> None:
        """Once the palette has run its command, the answers queued behind it are spent here.

        Runs before ``CommandPalette``'s own handlers; ``prevent_default`` skips them.
        """
        if self.answered:
            message.prevent_default()
            message.stop()

    def _action_command_list(self, action: str) -> None:
        try:
            commands = self.query_one(CommandList)
        except NoMatches:  # not composed yet
            return
        if action in PAGE_ACTIONS and not commands.scrollable_content_region:
            return  # hidden or not laid out: no page to move by
        try:
            super()._action_command_list(action)
        except LookupError as error:
            self.log.warning(f"command palette: {action} ignored: {error!r}")

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP, exit_on_error=False)
    async def _gather_commands(self, search_value: str) -> None:
        try:
            await CommandPalette._gather_commands.__wrapped__(self, search_value)
        except NoMatches:  # the palette closed while it searched
            pass
