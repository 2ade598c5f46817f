"""How the real ``tui-nn`` ends in tmux: quitting, signals, and a terminal that goes away.

No test here races the clock: each waits generously for an outcome (a status
printed, a process gone). The times themselves are measured by
``bench/leaving.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ..cli.conftest import wait_for

SLOW_STEP_APP = Path(__file__).with_name("slow_step_app.py")
GONE_WITHIN = 10.0
"""Seconds a test waits for a process to end; generous, so a loaded machine does not fail it."""


def start_training(app) -> None:
    app.wait_for(r"READY", timeout=30)
    app.keys("Space")
    app.wait_for(r"RUNNING\s+iter \d+/")


def test_quitting_while_training_exits_with_status_0(tmux_app):
    app = tmux_app("--iterations 10000000")
    start_training(app)
    app.keys("q")
    app.wait_for(r"EXITED-0", timeout=GONE_WITHIN)


def test_quitting_does_not_wait_for_a_training_step_in_progress(tmux_session, tmp_path):
    """The worker is held inside a step that never ends; q still ends the app (it used to wait for the step)."""
    app = tmux_session(f"{sys.executable} {SLOW_STEP_APP} {tmp_path} --iterations 1000")
    start_training(app)
    wait_for(lambda: (tmp_path / "step-started").exists(), timeout=GONE_WITHIN, what="the worker inside its first step")
    app.keys("q")
    app.wait_for(r"EXITED-0", timeout=GONE_WITHIN)
    assert not (tmp_path / "step-finished").exists()  # it left while the step was still running


@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
def test_a_signal_restores_the_terminal_and_exits_128_plus_its_number(tmux_app, sig, status):
    app = tmux_app("--iterations 10000000")
    start_training(app)
    os.kill(app.app_pid(), sig)
    screen = app.wait_for(rf"EXITED-{status}", timeout=GONE_WITHIN).string
    assert "╭─ Model" not in screen  # the alternate screen is gone: the shell is back


@pytest.mark.parametrize("how", ["app leads the session", "shell forwards SIGHUP", "shell ignores SIGHUP"])
def test_the_app_ends_when_its_terminal_goes_away_while_training(tmux_session, tui_nn, wait_gone, how):
    """tmux kill-session closes the pty, as a dropped SSH link does: the app must not live on, orphaned.

    As the session leader the app gets SIGHUP and SIGCONT from the kernel; under
    a shell it gets SIGHUP when the shell passes it on, or no signal at all when
    the shell ignores SIGHUP (then only the hung-up tty tells it).
    """
    command = f"{tui_nn} --iterations 100000000"
    if how == "app leads the session":
        app = tmux_session(command, exec_=True)
    elif how == "shell forwards SIGHUP":
        app = tmux_session(command)
    else:
        app = tmux_session(f"trap '' HUP; {command}")
    start_training(app)
    pid = app.app_pid()
    app.kill_session()
    assert wait_gone(pid, GONE_WITHIN), f"the app (pid {pid}) outlived its terminal"


def test_the_watcher_ends_when_its_terminal_goes_away(tmux_session, tui_nn, wait_gone, tmp_path):
    done = subprocess.run([tui_nn, "train", "--out", str(tmp_path), "--iterations", "200", "--quiet"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    run = next(p for p in tmp_path.iterdir() if p.is_dir())
    watcher = tmux_session(f"{tui_nn} watch {run}", exec_=True)
    watcher.wait_for(r"FINISHED\s+iter 200/200", timeout=30)
    pid = watcher.app_pid()
    watcher.kill_session()
    assert wait_gone(pid, GONE_WITHIN), f"the watcher (pid {pid}) outlived its terminal"
