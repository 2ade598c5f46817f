"""Actions both apps (the trainer and the watcher) share beyond their key bindings.

A mixin for a Textual ``App``: the guarded command palette on ctrl+p, and a
ctrl+c hint short enough for any terminal tui-nn draws on.
"""

from __future__ import annotations

from textual.command import CommandPalette

from tui_nn.widgets.command_palette import GuardedCommandPalette

QUIT_HINT = "Press [b]q[/b] to quit"
"""ctrl+c does not quit a Textual app; this says what does, in 16 columns (a toast on a 40-column terminal has 20)."""


class CommonActions:
    """``ctrl+p`` opens the guarded palette; ``ctrl+c`` says how to quit."""

    def action_command_palette(self) -> None:
        # One palette at a time, even when a dialog opened over it (Textual only looks at the top screen).
        if self.use_command_palette and not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            self.push_screen(GuardedCommandPalette(id="--command-palette"))

    def action_help_quit(self) -> None:
        self.notify(QUIT_HINT, title="Quit?")
