"""Actions both apps (the trainer and the watcher) share beyond their key bindings.

A mixin for a Textual ``App``: the guarded command palette on ctrl+p (with one entry per
binding), the help screen, the cost plot's log scale, the pane shown on a narrow terminal,
and a ctrl+c hint short enough for any terminal tui-nn draws on. The app provides
``_cost_plot``, ``_shown_pane`` and ``_apply_size``.

A screen of its own (the Compare view) lists its keys in ``SCREEN_KEYS``; help and the
palette then show those first, then the app's keys that ``check_action`` allows on that
screen, so they always say what the keys do there.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from textual.app import AwaitMount, SystemCommand
from textual.binding import Binding
from textual.command import CommandListItem, CommandPalette, SimpleProvider
from textual.screen import Screen
from textual.theme import ThemeProvider

from tui_nn.widgets.command_palette import GuardedCommandPalette
from tui_nn.widgets.help_screen import HelpScreen, palette_commands, unique_bindings

QUIT_HINT = "Press [b]q[/b] to quit"
"""ctrl+c does not quit a Textual app; this says what does, in 16 columns (a toast on a 40-column terminal has 20)."""


class CommonActions:
    """``ctrl+p`` opens the guarded palette, ``?`` help, ``l`` log scale, ``1``-``4`` one pane;
    ``ctrl+c`` says how to quit."""

    def action_command_palette(self) -> None:
        # One palette at a time, even when a dialog opened over it (Textual only looks at the top screen).
        if self.use_command_palette and not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            self.push_screen(GuardedCommandPalette(id="--command-palette"))

    # The palette's "Theme" command (and any command list) opens a second palette: Textual's
    # own, unguarded, where a page key can end the app. These open the guarded one instead.
    def search_themes(self) -> None:
        self.push_screen(GuardedCommandPalette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def search_commands(self, commands: Sequence[CommandListItem], placeholder: str = "Search for commands…") -> AwaitMount:
        return self.push_screen(GuardedCommandPalette(providers=[SimpleProvider(self.screen, commands)], placeholder=placeholder))

    def _keys_for(self, screen: Screen) -> tuple[list[Binding], list[Binding]]:
        """The screen's own keys and the app keys that work on it."""
        own = unique_bindings(getattr(screen, "SCREEN_KEYS", []))
        if not own:
            return [], unique_bindings(self.BINDINGS)
        return own, [b for b in unique_bindings(self.BINDINGS) if self.check_action(b.action.split("(")[0], ()) is not False]

    def action_help(self) -> None:
        own, app_keys = self._keys_for(self.screen)
        self.push_screen(HelpScreen(own + app_keys))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        own, app_keys = self._keys_for(screen)
        ours = {b.description for b in own + app_keys}
        # Textual's own "Quit" is our q: the palette lists it once, with its key.
        yield from (c for c in super().get_system_commands(screen) if c.title not in ours)
        yield from palette_commands(screen, own)
        yield from palette_commands(self, app_keys)

    def action_toggle_log(self) -> None:
        plot = self._cost_plot
        plot.log_scale = not plot.log_scale

    def action_show_pane(self, index: int) -> None:
        self._shown_pane = index
        self._apply_size(self.size.width, self.size.height)

    def action_help_quit(self) -> None:
        self.notify(QUIT_HINT, title="Quit?")
