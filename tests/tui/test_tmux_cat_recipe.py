"""The course's 2-layer cat/non-cat net typed into the editor of the real app, from keys alone.

Course 1, week 4 ("Deep Neural Network - Application"), two_layer_model: n_h = 7 ReLU units,
W = randn * 0.01 from seed 1, learning rate 0.0075, 2500 iterations: 100 % train, 72 % test.
tui-nn's catvnoncat keeps the course's split: the training file is the training set and the
test file is the dev set (``datasets/h5_loader.py``), so the course's test figure is the dev one.
"""

from __future__ import annotations

import re
import time

import pytest

TYPED = [  # the editor's fields from the first, in order, with what to type; None skips one
    ("learning rate", "0.0075"),
    ("iterations", "2500"),
    ("hidden units", "7"),
    ("activations", "relu"),
    ("output", None),  # from the data (sigmoid)
    ("init", "random"),
    ("init scale", "0.01"),
    ("seed", "1"),
]


def type_field(app, label: str, text: str) -> None:
    """Empty the focused field and type ``text`` a key at a time, as a person would, until the
    screen shows it (keys sent in one burst can reach Textual's bindings and its text out of order)."""
    app.keys("C-e")
    app.keys("C-u")
    app.wait_for(rf"{label}\s+.* \(default\)")  # empty: the default shows greyed out
    for ch in text:
        app.keys("-l", ch)
        time.sleep(0.05)
    app.wait_for(rf"{label}\s+{re.escape(text)}\s")


def test_the_course_two_layer_cat_net_typed_into_the_editor_reaches_100_and_72(tmux_app, cat_dir):
    app = tmux_app(width=120, height=36)
    app.wait_for(r"READY")
    app.keys("d")  # the picker: its path field takes the course's folder
    app.wait_for(r"Pick a dataset")
    time.sleep(1.0)  # the picker focuses its list once mounted; a Tab before that is lost
    app.keys("Tab")
    time.sleep(0.5)
    app.keys("-l", str(cat_dir))
    app.wait_for(re.escape(str(cat_dir)[-30:]))  # the path is in the field
    app.keys("Enter")
    app.wait_for(r"Recommended for .*catvnoncat", timeout=60)  # the 4-layer recipe is offered ...
    app.keys("n")  # ... but this test types the 2-layer one itself
    app.wait_for(r"m train 209\s+dev 50\s+n_x 12288", timeout=60)
    app.keys("h")
    app.wait_for(r"Hyperparameters")
    time.sleep(0.5)
    for label, text in TYPED:
        if text is not None:
            type_field(app, label, text)
        app.keys("Tab")
        time.sleep(0.3)
    app.keys("Enter")
    app.wait_for(r"\(7,12288\)")
    screen = app.screen()
    assert re.search(r"lr 0\.0075\s+iters 2500", screen) and "init random x0.01   seed 1" in screen
    app.keys("e")
    match = app.wait_for(r"FINISHED.*iter 2500/2500.*train\s+([\d.]+)%\s+dev\s+([\d.]+)%", timeout=900)
    train, dev = float(match.group(1)), float(match.group(2))
    assert train == pytest.approx(100.0, abs=0.25)  # the course: 1.0 on the training set (208 of 209 is 99.5)
    assert dev == pytest.approx(72.0, abs=0.1)  # the course: 0.72 on the test set (tui-nn's dev)
    app.keys("q")
    app.wait_for(r"EXITED-0", timeout=10)
