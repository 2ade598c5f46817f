"""Every key of the trainer app and of the watcher, as Textual bindings.

The footer, the help screen (``?``) and the command palette are all built from
these lists, so they always agree: the description is the footer's short label, the
tooltip the sentence the help screen and the palette show.
"""

from __future__ import annotations

from textual.binding import Binding

from tui_nn.layout import PANE_TITLES

PANE_KEYS = [
    Binding(str(i + 1), f"show_pane({i})", f"{title} pane", show=False,
            tooltip=f"Show the {title} pane when the terminal is too small for all four (below 100x30).") for i, title in enumerate(PANE_TITLES)
]
"""Keys 1-4 pick the pane shown on a narrow terminal."""

LEARNING_RATE_KEYS = [
    Binding("plus,equals_sign", "learning_rate(True)", "LR x2", key_display="+",
            tooltip="Double the learning rate; it applies from the next step, also while training, without a reset."),
    Binding("minus", "learning_rate(False)", "LR /2", key_display="-",
            tooltip="Halve the learning rate, from the next step and without a reset (the cure for a cost that swings)."),
]
"""Double or halve the learning rate, also while training."""

BOUNDARY_KEYS = [
    Binding("v", "cycle_view", "Pane view",
            tooltip="Switch the right pane between the decision map and one map per hidden unit (for images: dev images and the mislabelled ones)."),
    Binding("p", "cycle_points", "Dev points",
            tooltip="Show training points, training and dev points, or dev points on the map."),
]
"""The boundary pane: the map or one map per hidden unit (dev images or the mislabelled ones);
training, training and dev, or dev points on the map."""

VIEW_KEYS = [
    Binding("l", "toggle_log", "Log scale", tooltip="Draw the cost on a logarithmic axis (and back)."),
    *PANE_KEYS,
    Binding("question_mark", "help", "Help", key_display="?", tooltip="This list: every key with what it does."),
    Binding("q", "quit", "Quit", tooltip="Leave tui-nn (also while training, within a second)."),
]
"""Log scale, panes, help and quit: the same in both apps."""

COMPARE_KEY = Binding("C", "compare", "Compare",
                      tooltip="The Compare view: every run as a row, the selected runs' curves overlaid and their maps in a grid.")
"""Open the Compare view: the runs table, their overlaid curves and a grid of their maps."""

COMPARE_PANE_TITLES = ("Runs", "Cost", "Maps")

COMPARE_KEYS = [
    Binding("space", "toggle_select", "Select", tooltip="Select the run under the cursor (or unselect it): its curve and map join the others."),
    Binding("a", "select_all", "All/none", tooltip="Select every run, or none."),
    Binding("s", "cycle_sort", "Sort", tooltip="Sort the rows: as they ran, best dev accuracy, lowest cost, fastest."),
    Binding("enter", "open_config", "Config", tooltip="Show the run's whole config (L there loads it)."),
    Binding("L", "load_run", "Load run", tooltip="Load the run's config as the current experiment (asks first after progress)."),
    Binding("w", "watch_run", "Watch run", tooltip="Show the run in the panes, where the keys steer it."),
    Binding("l", "toggle_log", "Log scale", tooltip="Switch the overlaid curves between log and linear scale."),
    *[Binding(str(i + 1), f"show_part({i})", f"{title} pane", show=False,
              tooltip=f"Show the {title.lower()} alone (narrow terminals).") for i, title in enumerate(COMPARE_PANE_TITLES)],
    Binding("escape,C", "close", "Back", key_display="esc", tooltip="Back to the panes."),
]
"""The Compare view: select rows (their curves overlay, their maps form a grid), sort, open a
run's config, load it into the app (trainer) or follow it in the panes (watcher), back."""

TRAINER_KEYS = [
    Binding("space", "run", "Run", id="run", tooltip="Train until the iteration budget is used up; space again pauses."),
    Binding("space", "pause", "Pause", id="pause", tooltip="Pause after the current step; space goes on."),
    Binding("full_stop", "step", "Step", key_display=".", tooltip="Take one training step (one pass over the training set) and show it."),
    Binding("e", "run_to_end", "To end", tooltip="Train to the end with fewer screen updates, so it goes faster."),
    Binding("r", "reset", "Reset", tooltip="Back to the same initial weights: the first cost repeats exactly (asks first after progress)."),
    Binding("n", "new_seed", "New seed", tooltip="Draw new initial weights from the next seed (asks first after progress)."),
    *LEARNING_RATE_KEYS,
    Binding("h", "edit_hyper", "Edit",
            tooltip="Type any hyperparameter: learning rate, iterations, layers and activations, init, seed, optimiser, "
                    "betas, mini-batch, L2, output, dtype; ctrl+r there fills in the data set's recommended settings."),
    Binding("t", "train_more", "Train more", tooltip="Add iterations to the run and go on training from where it is, without a reset."),
    Binding("up,k", "select_layer(-1)", "Prev layer", key_display="↑", tooltip="Select the hidden layer above (the one the layer keys change)."),
    Binding("down,j", "select_layer(1)", "Next layer", key_display="↓", tooltip="Select the hidden layer below."),
    Binding("a", "add_layer", "Add layer", tooltip="Insert a hidden layer after the selected one, a copy of it."),
    Binding("x", "remove_layer", "Del layer", tooltip="Remove the selected hidden layer; removing the last one leaves logistic regression (L = 1)."),
    Binding("right_square_bracket", "units(1)", "Units+", key_display="]", tooltip="One more unit in the selected layer (h types any number)."),
    Binding("left_square_bracket", "units(-1)", "Units-", key_display="[", tooltip="One unit fewer in the selected layer."),
    Binding("g", "cycle_activation", "Activation", tooltip="The selected layer's next activation: relu, leaky_relu, tanh, sigmoid, linear."),
    Binding("i", "cycle_init", "Init", tooltip="The next initialisation: random (times the init scale), he, xavier, zeros."),
    Binding("o", "cycle_optimizer", "Optimiser", tooltip="The next optimiser: gradient descent, momentum, Adam (their betas are in h)."),
    Binding("f", "cycle_dtype", "float64/32", tooltip="Train in float64 (the course's) or float32 (faster, about 7 digits)."),
    Binding("d", "pick_dataset", "Dataset", tooltip="Pick a built-in data set or type a file path; a data set with recommended settings offers them."),
    Binding("D", "edit_data", "Data", tooltip="Type the data's m, noise, data seed, dev fraction and input features."),
    Binding("ctrl+s", "save_model", "Save model", tooltip="Save the network and its weights (.npz) with the config, data set and accuracies."),
    Binding("ctrl+o", "load_model", "Load model", tooltip="Load a saved model; it says what it loaded and offers to switch to the data set the file records."),
    Binding("w", "save_config", "Save config", tooltip="Write the run config (TOML or JSON) that tui-nn train --config runs headless."),
    Binding("ctrl+l", "load_config", "Load config", tooltip="Open a run config file, as tui-nn train --config would."),
    Binding("ctrl+e", "export_model", "Export model", tooltip="Export the model as a NumPy script (.py) or ONNX (.onnx)."),
    Binding("c", "gradcheck", "Grad check", tooltip="Compare backpropagation with central differences, per layer (relative error)."),
    Binding("s", "step_through", "Step through", tooltip="Walk through the next step equation by equation, with shapes and values."),
    COMPARE_KEY,
    Binding("S", "quick_sweep", "Quick sweep", id="quick_sweep",
            tooltip="Sweep one field of this experiment (units, activation, learning rate, init, L2, seed) over "
                    "several values in worker processes; the runs fill the Compare view."),
    Binding("S", "stop_sweep", "Stop sweep", id="stop_sweep",
            tooltip="Stop the quick sweep: running trials end between two steps, the rest stay pending."),
    *BOUNDARY_KEYS,
    *VIEW_KEYS,
]
"""``tui-nn``: run control, architecture, hyperparameters, files, comparing runs and quick sweeps, views."""

WATCH_KEYS = [
    Binding("space", "toggle_pause", "Pause/resume run", tooltip="Pause the watched run, or let it go on."),
    Binding("s", "stop", "Stop run", tooltip="Stop the watched run (asks first); tui-nn train --resume continues it later."),
    *LEARNING_RATE_KEYS,
    Binding("n", "next_run", "Next run", tooltip="Watch the next run in the folder."),
    COMPARE_KEY,
    *BOUNDARY_KEYS,
    *VIEW_KEYS,
]
"""``tui-nn watch``: steer the shown run, switch runs, views."""
