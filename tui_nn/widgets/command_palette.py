"""The command palette, guarded so that navigation keys can never end the app."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches

PAGE_ACTIONS = ("page_up", "page_down")


class GuardedCommandPalette(CommandPalette):
    """Textual's command palette (ctrl+p) with its list navigation guarded.

    Textual 8.2.8: pageup/pagedown reach ``OptionList._move_page`` through
    ``CommandPalette._action_command_list``, and ``_move_page`` reads
    ``_index_to_line[highlighted]``, a line cache that ``_update_lines`` only
    fills while the list has a content region. Before the list is laid out
    (a page key right after ctrl+p or a typed letter) or while it has no height
    (a terminal four lines high) the cache is empty: ``KeyError: 0`` ends the
    app. A key that arrives before the palette is composed raises ``NoMatches``
    on the same path. Here a page key without a laid-out list does nothing, and
    any other lookup failure in the library's list is logged and ignored.
    """

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
