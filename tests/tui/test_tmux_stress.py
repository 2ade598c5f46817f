"""The real ``tui-nn`` in tmux under 500 seeded random keys while it trains, then a resize storm.

Every binding's keys are in the mix (the quit keys excepted), with the keys that
answer dialogs (enter, escape, tab, y, n) and drive the command palette
(ctrl+p, page keys, letters, backspace). Keys go in bursts, as a fast typist or
a paste delivers them. Afterwards the app must be alive and answer a key.

The palette lists "Quit" among its commands, so a random ``ctrl+p``, page keys
and ``enter`` can choose it: that is the user quitting, not the app dying. An
exit with status 0 and no traceback starts the app again and the keys go on; any
other end fails the test.
"""

from __future__ import annotations

import os
import random
import re
import time

import pytest

from tui_nn.keys import TRAINER_KEYS

SEED = int(os.environ.get("TUI_NN_STRESS_SEED", "20240611"))
"""The key sequence's seed; set ``TUI_NN_STRESS_SEED`` to try others."""
KEY_COUNT = 500
RESIZES = 40
QUIT_KEYS = {"q", "ctrl+q"}
TMUX_NAMES = {
    "space": "Space", "full_stop": ".", "plus": "+", "equals_sign": "=", "minus": "-", "up": "Up", "down": "Down",
    "right_square_bracket": "]", "left_square_bracket": "[", "question_mark": "?",
}
"""Textual key names that tmux spells differently."""
DIALOG_KEYS = ["Enter", "Enter", "Escape", "Tab", "BTab", "y", "n", "BSpace"]
PALETTE_KEYS = ["C-p", "PageDown", "PageUp", "Down", "Up", "Enter", "Escape", "r", "s", "e", "BSpace", "C-c"]


def tmux_key(key: str) -> str:
    """The tmux ``send-keys`` name of a Textual key name."""
    if key.startswith("ctrl+"):
        return f"C-{key.removeprefix('ctrl+')}"
    if key in TMUX_NAMES:
        return TMUX_NAMES[key]
    if len(key) == 1:
        return key
    raise AssertionError(f"no tmux name for the key {key!r}: add it to TMUX_NAMES")


def binding_keys() -> list[str]:
    """Every key bound in the trainer app, as tmux names, the quit keys left out."""
    keys = [k.strip() for b in TRAINER_KEYS for k in b.key.split(",")]
    return sorted({tmux_key(k) for k in keys if k not in QUIT_KEYS})


def random_keys(rng: random.Random) -> list[str]:
    """``KEY_COUNT`` keys: every binding at least once, then random picks from bindings, dialog and palette keys."""
    bound = binding_keys()
    keys = list(bound)
    rng.shuffle(keys)
    pool = bound * 2 + DIALOG_KEYS * 3 + PALETTE_KEYS * 2
    keys += [rng.choice(pool) for _ in range(KEY_COUNT - len(keys))]
    return keys


def has_ended(app, pid: int, gone) -> bool:
    """Whether the app has left: its shell printed a status, or its process is gone."""
    return "EXITED-" in app.screen() or gone(pid)


def assert_alive(app, pid: int, gone, what: str) -> None:
    assert not has_ended(app, pid, gone), f"the app died {what} (seed {SEED}); the screen was:\n{app.screen()}"


def start_training(tmux_app, cwd: str):
    """The app in tmux, training; returns the session and the app's pid."""
    app = tmux_app("--iterations 100000000", cwd=cwd)
    app.wait_for(r"READY", timeout=30)
    app.keys("Space")
    app.wait_for(r"RUNNING\s+iter \d+/")
    return app, app.app_pid()


def quit_by_the_palette(screen: str) -> bool:
    """True when the app left with status 0 and no traceback: "Quit" chosen in the palette."""
    status = re.search(r"EXITED-(\d+)", screen)
    return status is not None and status.group(1) == "0" and "Traceback" not in screen


def test_the_app_survives_random_keys_while_training_and_a_resize_storm(tmux_app, gone, tmp_path):
    rng = random.Random(SEED)
    app, pid = start_training(tmux_app, str(tmp_path))  # saves from the dialogs land in tmp_path
    quits = 0

    def ended(what: str) -> bool:
        """Whether the app has left; fails the test unless it was a palette quit."""
        if not has_ended(app, pid, gone):
            return False
        time.sleep(0.5)  # let the shell print the status
        screen = app.screen()
        assert quit_by_the_palette(screen), f"the app died {what} (seed {SEED}); the screen was:\n{screen}"
        return True

    def restart() -> None:
        nonlocal app, pid, quits
        quits += 1
        app.close()
        app, pid = start_training(tmux_app, str(tmp_path))

    keys = random_keys(rng)
    sent = 0
    while sent < len(keys):
        burst = keys[sent: sent + rng.randint(1, 8)]
        app.keys(*burst)
        sent += len(burst)
        time.sleep(rng.choice((0.0, 0.01, 0.03, 0.08)))
        if ended(f"after key {sent} of {len(keys)} ({burst})"):
            restart()
    time.sleep(0.5)  # a quit chosen with the last keys takes a moment
    if ended("after the last key"):
        restart()
    assert quits <= 3, f"the palette's Quit ended {quits} of the runs: the keys hardly reach the app (seed {SEED})"
    for _ in range(RESIZES):
        app.resize(rng.randint(20, 160), rng.randint(5, 50))
        time.sleep(rng.choice((0.0, 0.02, 0.05)))
    app.resize(120, 36)
    time.sleep(0.5)
    assert_alive(app, pid, gone, "in the resize storm")
    for _ in range(10):  # close whatever dialogs the keys left open (they can stack), then ask for help
        app.keys("Escape", "Escape")
        time.sleep(0.3)
        app.keys("?")
        if app.shows(r"tui-nn keys", timeout=3):
            break
    else:
        pytest.fail(f"the app no longer answers keys (seed {SEED}); the screen was:\n{app.screen()}")
    assert_alive(app, pid, gone, "at the end")
