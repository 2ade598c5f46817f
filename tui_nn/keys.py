"""Every key of the trainer app and of the watcher, as Textual bindings.

The footer, the help screen (``?``) and the command palette are all built from
these lists, so they always agree.
"""

from __future__ import annotations

from textual.binding import Binding

from tui_nn.layout import PANE_TITLES

PANE_KEYS = [
    Binding(str(i + 1), f"show_pane({i})", f"{title} pane", show=False) for i, title in enumerate(PANE_TITLES)
]
"""Keys 1-4 pick the pane shown on a narrow terminal."""

LEARNING_RATE_KEYS = [
    Binding("plus,equals_sign", "learning_rate(True)", "LR x2", key_display="+"),
    Binding("minus", "learning_rate(False)", "LR /2", key_display="-"),
]
"""Double or halve the learning rate, also while training."""

BOUNDARY_KEYS = [
    Binding("v", "cycle_view", "Pane view"),
    Binding("p", "cycle_points", "Dev points"),
]
"""The boundary pane: the map or one map per hidden unit (dev images or the mislabelled ones);
training, training and dev, or dev points on the map."""

VIEW_KEYS = [
    Binding("l", "toggle_log", "Log scale"),
    *PANE_KEYS,
    Binding("question_mark", "help", "Help", key_display="?"),
    Binding("q", "quit", "Quit"),
]
"""Log scale, panes, help and quit: the same in both apps."""

TRAINER_KEYS = [
    Binding("space", "run", "Run", id="run"),
    Binding("space", "pause", "Pause", id="pause"),
    Binding("full_stop", "step", "Step", key_display="."),
    Binding("e", "run_to_end", "To end"),
    Binding("r", "reset", "Reset"),
    Binding("n", "new_seed", "New seed"),
    *LEARNING_RATE_KEYS,
    Binding("h", "edit_hyper", "Edit"),
    Binding("t", "train_more", "Train more"),
    Binding("up,k", "select_layer(-1)", "Prev layer", key_display="↑"),
    Binding("down,j", "select_layer(1)", "Next layer", key_display="↓"),
    Binding("a", "add_layer", "Add layer"),
    Binding("x", "remove_layer", "Del layer"),
    Binding("right_square_bracket", "units(1)", "Units+", key_display="]"),
    Binding("left_square_bracket", "units(-1)", "Units-", key_display="["),
    Binding("g", "cycle_activation", "Activation"),
    Binding("i", "cycle_init", "Init"),
    Binding("o", "cycle_optimizer", "Optimiser"),
    Binding("f", "cycle_dtype", "float64/32"),
    Binding("d", "pick_dataset", "Dataset"),
    Binding("D", "edit_data", "Data"),
    Binding("ctrl+s", "save_model", "Save model"),
    Binding("ctrl+o", "load_model", "Load model"),
    Binding("w", "save_config", "Save config"),
    Binding("ctrl+l", "load_config", "Load config"),
    Binding("ctrl+e", "export_model", "Export model"),
    Binding("c", "gradcheck", "Grad check"),
    Binding("s", "step_through", "Step through"),
    *BOUNDARY_KEYS,
    *VIEW_KEYS,
]
"""``tui-nn``: run control, architecture, hyperparameters, files, views."""

WATCH_KEYS = [
    Binding("space", "toggle_pause", "Pause/resume run"),
    Binding("s", "stop", "Stop run"),
    *LEARNING_RATE_KEYS,
    Binding("n", "next_run", "Next run"),
    *BOUNDARY_KEYS,
    *VIEW_KEYS,
]
"""``tui-nn watch``: steer the shown run, switch runs, views."""
