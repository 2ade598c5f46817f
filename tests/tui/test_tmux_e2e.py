"""The real ``tui-nn`` in tmux: keys in, screen text out, as a person would use it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")


def tui_nn_command() -> str:
    script = Path(sys.executable).with_name("tui-nn")
    if not script.exists():
        pytest.skip("the tui-nn console script is not installed in this environment")
    return str(script)


class Tmux:
    """One detached tmux session running a command."""

    def __init__(self, command: str, width: int = 120, height: int = 36) -> None:
        self.name = f"tui-nn-test-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "TERM": "xterm-256color"}
        subprocess.run([TMUX, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                        f"{command}; echo EXITED-$?; sleep 30"], check=True, env=env)

    def screen(self) -> str:
        out = subprocess.run([TMUX, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return out.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([TMUX, "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, pattern: str, timeout: float = 20.0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.screen())
            if match:
                return match
            time.sleep(0.1)
        pytest.fail(f"{pattern!r} never appeared; the screen was:\n{self.screen()}")

    def shell_pid(self) -> str:
        """The pid of the shell tmux started; the app is its child."""
        out = subprocess.run([TMUX, "display-message", "-p", "-t", self.name, "#{pane_pid}"], capture_output=True, text=True)
        return out.stdout.strip()

    def close(self) -> None:
        subprocess.run([TMUX, "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def tmux_app():
    sessions: list[Tmux] = []

    def start(args: str = "") -> Tmux:
        session = Tmux(f"{tui_nn_command()} {args}")
        sessions.append(session)
        return session

    yield start
    for s in sessions:
        s.close()


def test_the_app_draws_all_panes_trains_and_quits(tmux_app):
    app = tmux_app("--iterations 10000000")
    screen = app.wait_for(r"READY").string
    for title in ("Model", "Cost", "Layers", "Decision boundary", "flower", "(4,2)"):
        assert title in screen, title
    app.keys("Space")
    first = int(app.wait_for(r"RUNNING\s+iter (\d+)/").group(1))
    time.sleep(1.0)
    later = int(app.wait_for(r"RUNNING\s+iter (\d+)/").group(1))
    assert later > first
    assert re.search(r"train\s+\d+\.\d%", app.screen())
    app.keys("Space")
    app.wait_for(r"PAUSED")
    app.keys("q")
    app.wait_for(r"EXITED-0", timeout=5)


def test_quitting_while_training_exits_within_a_second(tmux_app):
    app = tmux_app("--iterations 10000000")
    app.wait_for(r"READY")
    app.keys("Space")
    app.wait_for(r"RUNNING\s+iter \d+/")
    start = time.monotonic()
    app.keys("q")
    app.wait_for(r"EXITED-0", timeout=5)
    assert time.monotonic() - start < 1.5  # includes tmux polling


def test_sigterm_restores_the_terminal(tmux_app):
    app = tmux_app("--iterations 10000000")
    app.wait_for(r"READY")
    app.keys("Space")
    app.wait_for(r"RUNNING")
    children = subprocess.run(["pgrep", "-P", app.shell_pid()], capture_output=True, text=True).stdout.split()
    assert children, "the app process was not found"
    for pid in children:
        os.kill(int(pid), 15)
    screen = app.wait_for(r"EXITED-143", timeout=5).string
    assert "╭─ Model" not in screen  # the alternate screen is gone: the shell is back


def _run_folder(out: Path, timeout: float = 20) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in out.glob("*") if (p / "metrics.jsonl").exists()]
        if found:
            return found[0]
        time.sleep(0.05)
    pytest.fail(f"no run folder appeared in {out}")


def test_watch_follows_a_background_run_and_its_pause_is_acknowledged(tmux_app, tmp_path):
    out = tmp_path / "runs"
    trainer = subprocess.Popen([tui_nn_command(), "train", "--out", str(out), "--iterations", "100000000",
                                "--eval-every", "200", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        run = _run_folder(out)
        watcher = tmux_app(f"watch {run}")
        first = int(watcher.wait_for(r"RUNNING\s+iter (\d+)/").group(1))
        time.sleep(1.0)
        later = int(watcher.wait_for(r"RUNNING\s+iter (\d+)/").group(1))
        assert later > first
        watcher.keys("Space")
        watcher.wait_for(r"PAUSED")
        log = (run / "metrics.jsonl").read_text()
        assert '"type": "ack"' in log or '"type":"ack"' in log
        assert '"pause"' in log
        paused_at = int(watcher.wait_for(r"PAUSED\s+iter (\d+)/").group(1))
        time.sleep(1.0)
        assert int(watcher.wait_for(r"PAUSED\s+iter (\d+)/").group(1)) == paused_at
        watcher.keys("q")
        watcher.wait_for(r"EXITED-0", timeout=5)
        assert trainer.poll() is None  # quitting the watcher leaves the run alone
    finally:
        trainer.terminate()
        trainer.wait(timeout=10)


def test_watch_as_another_user_is_read_only_and_says_so(tmux_app, tmp_path):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to watch as another user")
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="tui-nn-ro-"))
    try:
        os.chmod(shared, 0o755)
        done = subprocess.run([tui_nn_command(), "train", "--out", str(shared), "--iterations", "500", "--quiet"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        run = next(shared.iterdir())
        probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", tui_nn_command(),
                                "runs", str(shared)], capture_output=True, text=True, timeout=60, cwd="/")
        if probe.returncode != 0:
            pytest.skip(f"user nobody cannot run this installation: {probe.stderr.strip()[:200]}")
        session = Tmux(f"cd / && setpriv --reuid=65534 --regid=65534 --clear-groups {tui_nn_command()} watch {run}")
        try:
            session.wait_for(r"FINISHED\s+iter 500/500")
            session.wait_for(r"read-only: watching only")
            session.keys("s")  # steering keys are disabled: nothing is written
            time.sleep(0.5)
            assert not (run / "control.json").exists()
        finally:
            session.close()
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_quitting_does_not_wait_for_a_slow_training_step(tmux_app):
    """A 3000x3000 hidden pair on digits takes seconds per step; q must not wait for it."""
    app = tmux_app("--dataset digits --hidden 3000,3000 --activations relu --init he --learning-rate 0.01")
    app.wait_for(r"READY", timeout=30)
    app.keys("Space")
    app.wait_for(r"RUNNING")
    time.sleep(0.5)  # inside the first step
    start = time.monotonic()
    app.keys("q")
    app.wait_for(r"EXITED-0", timeout=10)
    assert time.monotonic() - start < 1.5


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_step_through_walks_one_whole_step_with_keys_only(size):
    """s opens the step on flower; → walks every equation, End shows each page's last line, a applies."""
    from tui_nn.config import RunConfig
    from tui_nn.experiment import build_experiment
    from tui_nn.step_request import StepRequest

    experiment = build_experiment(RunConfig())
    expected = StepRequest.for_trainer(experiment.new_trainer(), experiment.config.learning_rate, "flower").compute()
    pages, n = expected.pages, len(expected.pages)
    session = Tmux(tui_nn_command(), *size)
    try:
        session.wait_for(r"READY")
        session.keys("s")
        session.wait_for(r"first 5 of 400 examples")
        for i, page in enumerate(pages):
            screen = session.wait_for(re.escape(f"[{i + 1}/{n}]")).string
            assert page.title in screen
            session.wait_for(re.escape(page.lines[0].strip()))  # the equation, at the top
            session.keys("End")  # the page's end is reachable, whatever the terminal's height
            session.wait_for(re.escape([line for line in page.lines if line.strip()][-1].strip()))
            session.keys("Home", "Right")
        session.wait_for(re.escape("a: apply    escape: close, changing nothing"))
        session.keys("a")
        session.wait_for(r"PAUSED\s+iter 1/10000")
        session.keys("s")
        session.wait_for(re.escape(f"[1/{n}]"))
        session.keys("u")
        session.wait_for(r"Update, layer 1 of 2")
        session.keys("b")
        session.wait_for(re.escape("dA[2] = -(Y/A[2] - (1-Y)/(1-A[2]))"))
        session.keys("Escape")
        session.wait_for(r"PAUSED\s+iter 1/10000")
        session.keys("q")
        session.wait_for(r"EXITED-0", timeout=5)
    finally:
        session.close()
