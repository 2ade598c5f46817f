"""Helpers for the app's tests: Pilot (the real app on a real experiment, conditions, pane text) and tmux."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable

import pytest
from rich.console import Console
from textual.widgets import Static

from tui_nn.app import TuiNNApp
from tui_nn.config import RunConfig
from tui_nn.experiment import build_experiment
from tui_nn.runs.files import LOG_NAME


def make_app(**changes) -> TuiNNApp:
    """The real app on a real experiment (flower unless ``dataset`` is given)."""
    return TuiNNApp(build_experiment(RunConfig(**changes)))


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        await pilot.pause(0.05)


def text_of(widget) -> str:
    """What a widget draws, as plain text (its ``render()`` through a Rich console)."""
    console = Console(width=max(widget.size.width, 40), record=True, color_system=None, file=open("/dev/null", "w"))
    own_render = type(widget).render is not Static.render
    console.print(widget.render() if own_render or not isinstance(widget, Static) else widget.content)
    return console.export_text()


@pytest.fixture
def app_factory() -> Callable[..., TuiNNApp]:
    """``app_factory(**RunConfig changes)`` builds the real app."""
    return make_app


@pytest.fixture
def until():
    """``await until(pilot, condition, timeout)``: wait for a condition while the app runs."""
    return wait_for


async def train_and_get_map(pilot, app, timeout: float = 60.0):
    """Train to the end (``e``) and return the boundary pane and its map view."""
    from tui_nn.views import HeatmapView
    from tui_nn.widgets.boundary_pane import BoundaryPane

    await pilot.press("e")
    await wait_for(pilot, lambda: app.state == "finished", timeout)
    pane = app.query_one(BoundaryPane)
    assert isinstance(pane.view, HeatmapView)
    return pane, pane.view


@pytest.fixture
def trained_map():
    """``pane, view = await trained_map(pilot, app)``: train to the end, then the map."""
    return train_and_get_map


@pytest.fixture
def shown():
    """``shown(widget)``: the widget's drawing as plain text."""
    return text_of


# --- the real app in tmux -------------------------------------------------------------------

TMUX = shutil.which("tmux")


def tui_nn_command() -> str:
    """The installed ``tui-nn`` script next to this Python."""
    script = Path(sys.executable).with_name("tui-nn")
    if not script.exists():
        pytest.skip("the tui-nn console script is not installed in this environment")
    return str(script)


class Tmux:
    """One detached tmux session running a command.

    By default a shell runs ``command`` and then prints ``EXITED-<status>``; with
    ``exec_=True`` the command replaces the shell and is the session's own
    process (the session leader, as when a terminal emulator or sshd starts it).
    """

    def __init__(self, command: str, width: int = 120, height: int = 36, exec_: bool = False,
                 cwd: str | None = None) -> None:
        self.name = f"tui-nn-test-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "TERM": "xterm-256color"}
        # After the command the shell ignores SIGINT: a ctrl+c sent once the app has gone must not end
        # the session (and with it the tmux server) before the test has read the screen.
        shell_command = f"exec {command}" if exec_ else f"{command}; s=$?; trap '' INT; echo EXITED-$s; sleep 30"
        subprocess.run([TMUX, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                        *(["-c", cwd] if cwd else []), shell_command], check=True, env=env)

    def screen(self) -> str:
        out = subprocess.run([TMUX, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return out.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([TMUX, "send-keys", "-t", self.name, *keys], check=True)

    def resize(self, width: int, height: int) -> None:
        subprocess.run([TMUX, "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)], check=True)

    def shows(self, pattern: str, timeout: float) -> re.Match | None:
        """The first match of ``pattern`` on the screen within ``timeout`` seconds, or None."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, self.screen())
            if match or time.monotonic() > deadline:
                return match
            time.sleep(0.1)

    def wait_for(self, pattern: str, timeout: float = 20.0) -> re.Match:
        match = self.shows(pattern, timeout)
        if match is None:
            pytest.fail(f"{pattern!r} never appeared; the screen was:\n{self.screen()}")
        return match

    def shell_pid(self) -> str:
        """The pid of the process tmux started (the shell, or the app itself with ``exec_``)."""
        out = subprocess.run([TMUX, "display-message", "-p", "-t", self.name, "#{pane_pid}"],
                             capture_output=True, text=True)
        return out.stdout.strip()

    def app_pid(self) -> int:
        """The app's pid: the shell's child, or the pane's own process with ``exec_``."""
        shell = self.shell_pid()
        children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        return int(children[0]) if children else int(shell)

    def processes(self) -> list[int]:
        """The session's process and its children (the shell and the app)."""
        shell = self.shell_pid()
        if not shell:
            return []
        children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        return [int(shell), *map(int, children)]

    def kill_session(self) -> None:
        """``tmux kill-session``: the pty closes, as when a terminal window or an SSH link goes away."""
        subprocess.run([TMUX, "kill-session", "-t", self.name], capture_output=True)

    def close(self) -> None:
        """Kill the session; a process that outlives it (a failed test's orphan) is killed too."""
        pids = self.processes()
        self.kill_session()
        deadline = time.monotonic() + 10
        while pids and time.monotonic() < deadline:
            pids = [pid for pid in pids if not process_gone(pid)]
            time.sleep(0.05)
        for pid in pids:
            os.kill(pid, 9)


def process_gone(pid: int) -> bool:
    """True once ``pid`` has exited (a zombie nobody has reaped yet counts as exited)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):  # gone before the open, or between the open and the read
        return True


@pytest.fixture
def tmux_session():
    """``tmux_session(command, **Tmux options)``: a tmux session, killed at teardown."""
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    sessions: list[Tmux] = []

    def start(command: str, **options) -> Tmux:
        session = Tmux(command, **options)
        sessions.append(session)
        return session

    yield start
    for s in sessions:
        s.close()


@pytest.fixture
def tmux_app(tmux_session):
    """``tmux_app(args, **Tmux options)``: the real ``tui-nn ARGS`` in a tmux session."""
    return lambda args="", **options: tmux_session(f"{tui_nn_command()} {args}", **options)


@pytest.fixture
def tui_nn() -> str:
    """The path of the installed ``tui-nn`` command."""
    return tui_nn_command()


@pytest.fixture
def wait_gone():
    """``wait_gone(pid, timeout)``: poll until ``pid`` has exited; False (and the process killed) if it never does."""

    def wait(pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not process_gone(pid):
            if time.monotonic() > deadline:
                os.kill(pid, 9)  # leave no orphan behind a failed test
                return False
            time.sleep(0.05)
        return True

    return wait


@pytest.fixture
def gone():
    """``gone(pid)``: True once the process has exited."""
    return process_gone


CAT_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "catvnoncat"
"""The course's cat/non-cat files beside the checkout (``../shared/data``)."""


@pytest.fixture
def cat_dir() -> Path:
    """The folder with the course's cat/non-cat files, or a skip saying where it looked."""
    if not (CAT_DIR / "train_catvnoncat.h5").is_file() or not (CAT_DIR / "test_catvnoncat.h5").is_file():
        pytest.skip(f"the course's cat files are not at {CAT_DIR} (copy them there to run this test)")
    pytest.importorskip("h5py", reason="reading the cat files needs the h5 extra")
    return CAT_DIR


# --- tui-nn train and tui-nn sweep writing folders for the watcher ------------------------------


def start_cli(command: str, out: Path, *flags: str) -> subprocess.Popen:
    """Start ``tui-nn COMMAND --out OUT --quiet FLAGS`` (``train`` or ``sweep``); returns the process."""
    return subprocess.Popen([sys.executable, "-m", "tui_nn.cli", command, "--out", str(out), "--quiet", *flags],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def folder_holding(out: Path, marker: str, timeout: float) -> Path:
    """The first folder in ``out`` holding ``marker`` (a run's log, a sweep's plan.json), once one appears."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in out.glob("*") if (p / marker).exists()] if out.exists() else []
        if found:
            return found[0]
        time.sleep(0.05)
    pytest.fail(f"no folder with {marker} appeared in {out}")


def log_records(run: Path) -> list[dict]:
    """A run folder's log records (a line still being written left out)."""
    return [json.loads(line) for line in (run / LOG_NAME).read_bytes().split(b"\n")[:-1]]


@pytest.fixture
def cli():
    """``cli(command, out, *flags)``: ``tui-nn train`` or ``tui-nn sweep`` started into ``out``."""
    return start_cli


@pytest.fixture
def folder_in():
    """``folder_in(out, marker, timeout)``: the first folder in ``out`` holding ``marker``."""
    return folder_holding


@pytest.fixture
def records():
    """``records(run)``: a run folder's log records."""
    return log_records
