"""The real ``tui-nn`` in tmux: keys in, screen text out, as a person would use it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest


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
    app.wait_for(r"EXITED-0", timeout=10)


def _run_folder(out: Path, timeout: float = 20) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in out.glob("*") if (p / "metrics.jsonl").exists()]
        if found:
            return found[0]
        time.sleep(0.05)
    pytest.fail(f"no run folder appeared in {out}")


def test_watch_follows_a_background_run_and_its_pause_is_acknowledged(tmux_app, tui_nn, tmp_path):
    out = tmp_path / "runs"
    trainer = subprocess.Popen([tui_nn, "train", "--out", str(out), "--iterations", "100000000",
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
        watcher.wait_for(r"EXITED-0", timeout=10)
        assert trainer.poll() is None  # quitting the watcher leaves the run alone
    finally:
        trainer.terminate()
        trainer.wait(timeout=10)


def test_watch_as_another_user_is_read_only_and_says_so(tmux_session, tui_nn, tmp_path):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to watch as another user")
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="tui-nn-ro-"))
    try:
        os.chmod(shared, 0o755)
        done = subprocess.run([tui_nn, "train", "--out", str(shared), "--iterations", "500", "--quiet"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        run = next(shared.iterdir())
        probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", tui_nn,
                                "runs", str(shared)], capture_output=True, text=True, timeout=60, cwd="/")
        if probe.returncode != 0:
            pytest.skip(f"user nobody cannot run this installation: {probe.stderr.strip()[:200]}")
        session = tmux_session(f"cd / && setpriv --reuid=65534 --regid=65534 --clear-groups {tui_nn} watch {run}")
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


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_step_through_walks_one_whole_step_with_keys_only(tmux_session, tui_nn, size):
    """s opens the step on flower; → walks every equation, End shows each page's last line, a applies."""
    from tui_nn.config import RunConfig
    from tui_nn.experiment import build_experiment
    from tui_nn.step_request import StepRequest

    experiment = build_experiment(RunConfig())
    expected = StepRequest.for_trainer(experiment.new_trainer(), experiment.config.learning_rate, "flower").compute()
    pages, n = expected.pages, len(expected.pages)
    session = tmux_session(tui_nn, width=size[0], height=size[1])
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
        session.wait_for(r"EXITED-0", timeout=10)
    finally:
        session.close()
