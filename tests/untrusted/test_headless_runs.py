"""``tui-nn train`` with hostile files and a failing disk: clear messages, resumable runs, nothing raw on the terminal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tui_nn.config import RunConfig
from tui_nn.core import load_model
from tui_nn.core.modelfile import parameters_checksum
from tui_nn.runs import headless
from tui_nn.runs.control import ControlError, Controller
from tui_nn.runs.files import LOG_NAME
from tui_nn.runs.log import RunWriter

from ..cli.conftest import wait_for
from .conftest import fifo, no_hang, raw_controls, run_cli


def records(run: Path) -> list[dict]:
    """The log's complete records (a last line still being written, without its newline, is left out)."""
    lines = (run / LOG_NAME).read_bytes().split(b"\n")[:-1]
    return [json.loads(line) for line in lines if line.strip()]


def only_run(out: Path) -> Path:
    (run,) = [p for p in out.iterdir() if p.is_dir()]
    return run


@pytest.fixture
def start():
    """``start(cwd, *args)``: a ``tui-nn train`` process, killed at teardown if still alive."""
    procs: list[subprocess.Popen[str]] = []

    def launch(cwd: Path, *args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen([sys.executable, "-m", "tui_nn.cli", "train", *args], cwd=cwd, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs.append(proc)
        return proc

    yield launch
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def first_run(out: Path) -> Path:
    """The run folder under ``out`` once its first evaluation is logged (the trainer reads steering from then on)."""
    run = wait_for(lambda: next((p for p in out.glob("*") if (p / LOG_NAME).exists()), None) if out.exists() else None,
               timeout=60, what="a run folder")
    wait_for(lambda: any(r["type"] == "eval" for r in records(run)), timeout=60, what="the first evaluation")
    return run


def test_a_diverging_run_ends_as_diverged_with_its_record_and_last_good_model(tmp_path):
    """The issue's ``-d plane --learning-rate 1e300 --eval-every 1``: it used to end in
    'metadata is not plain JSON' with no end record and could not be resumed."""
    out = run_cli("train", "-d", "plane", "--learning-rate", "1e300", "--eval-every", "1", "-q", cwd=tmp_path)
    assert out.returncode == headless.EXIT_DIVERGED, out.stderr
    run = only_run(tmp_path / "runs")
    end = records(run)[-1]
    assert end["type"] == "end" and end["state"] == "diverged" and end["divergence"]["reason"]
    model = load_model(run / "last.npz")  # finite weights, the non-finite cost in null+string form
    assert all(np.isfinite(p).all() for p in model.parameters.values())
    cost = model.metadata["extra"]["cost"]
    assert cost != cost or cost == float("inf")
    again = run_cli("train", "--resume", str(run), "--learning-rate", "0.01", "--iterations", "50", "-q", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert records(run)[-1]["state"] == "finished"


def test_a_learning_rate_of_1e308_from_a_watcher_ends_the_run_as_diverged(tmp_path, start):
    proc = start(tmp_path, "-n", "100000000", "--eval-every", "50", "-q")
    run = first_run(tmp_path / "runs")
    Controller(run).set_learning_rate(1e308)
    proc.communicate(timeout=60)
    assert proc.returncode == headless.EXIT_DIVERGED
    assert records(run)[-1]["state"] == "diverged"
    assert all(np.isfinite(p).all() for p in load_model(run / "last.npz").parameters.values())


def test_resuming_a_model_with_nan_weights_is_one_clear_error(tmp_path):
    assert run_cli("train", "-n", "5", "-q", cwd=tmp_path).returncode == 0
    run = only_run(tmp_path / "runs")
    model = load_model(run / "last.npz")
    params = dict(model.parameters)
    params["W2"] = params["W2"].copy()
    params["W2"][0, 0] = np.nan
    meta = dict(model.metadata, checksum=parameters_checksum(params))
    np.savez(run / "last.npz", **params, __meta__=np.array(json.dumps(meta)))  # bypasses save_model's check
    out = run_cli("train", "--resume", str(run), "--iterations", "10", cwd=tmp_path)
    assert out.returncode == 2
    assert f"cannot resume {run}: {run}/last.npz: W2 holds NaN or infinite values" in out.stderr


KILLED_IN_FIRST_STEP = """
import os, signal, sys
from tui_nn.core.trainer import Trainer
Trainer.step = lambda self: os.kill(os.getpid(), signal.SIGKILL)  # kill -9 during the first step
from tui_nn.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_run_killed_during_its_first_step_resumes_from_the_start(tmp_path):
    out = subprocess.run([sys.executable, "-c", KILLED_IN_FIRST_STEP, "train", "-q"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == -signal.SIGKILL
    run = only_run(tmp_path / "runs")
    assert [r["type"] for r in records(run)] == ["header"]
    out = run_cli("train", "--resume", str(run), "--iterations", "20", "-q", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    resume = next(r for r in records(run) if r["type"] == "resume")
    assert resume["iteration"] == 0 and records(run)[-1]["state"] == "finished"


def test_last_npz_is_written_first_and_before_every_best_npz(tmp_path, monkeypatch):
    saved: list[str] = []
    real = RunWriter.save_model

    def spy(self, name, *args):
        saved.append(name)
        return real(self, name, *args)

    monkeypatch.setattr(RunWriter, "save_model", spy)
    monkeypatch.setattr(headless, "CHECKPOINT_SECONDS", 0.0)  # last.npz at every evaluation
    headless.train(RunConfig(iterations=30, eval_every=5, out=str(tmp_path / "runs")), headless.TrainOptions(quiet=True),
                   echo=lambda text: None)
    assert saved[0] == "last.npz" and "best.npz" in saved
    for i, name in enumerate(saved):
        if name == "best.npz":
            assert saved[i - 1] == "last.npz", saved


def test_stale_temp_files_of_killed_saves_are_removed_on_resume(tmp_path):
    assert run_cli("train", "-n", "5", "-q", cwd=tmp_path).returncode == 0
    run = only_run(tmp_path / "runs")
    stale = [".last.npz.0123abcd.tmp", ".best.npz.deadbeef.tmp", ".config.toml.00ff00ff.tmp"]
    kept = [".control.json.0123abcd.tmp", "notes.tmp", ".last.npz.tmp"]
    for name in stale + kept:
        (run / name).write_bytes(b"x" * 1000)
    assert run_cli("train", "--resume", str(run), "--iterations", "10", "-q", cwd=tmp_path).returncode == 0
    names = {p.name for p in run.iterdir()}
    assert not names & set(stale) and set(kept) <= names


FAIL_WRITES = """
import errno, os, sys
real_write, writes = os.write, [0]

def failing(fd, data):
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        target = ""
    if target.endswith(os.environ["FAIL_NAME"]):
        writes[0] += 1
        if writes[0] > int(os.environ["FAIL_AFTER"]):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real_write(fd, data)

os.write = failing
from tui_nn.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_failing(cwd: Path, name: str, after: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``tui-nn ARGS`` with every ``os.write`` to a file named ``name`` failing (ENOSPC) after ``after`` writes."""
    env = {**os.environ, "FAIL_NAME": name, "FAIL_AFTER": str(after)}
    out = subprocess.run([sys.executable, "-c", FAIL_WRITES, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in out.stderr, out.stderr
    return out


def test_a_full_disk_while_logging_ends_the_run_with_a_message_not_a_traceback(tmp_path):
    out = run_failing(tmp_path, LOG_NAME, 5, "train", "-n", "100000", "--eval-every", "10", "-q")
    assert out.returncode == 1
    run = only_run(tmp_path / "runs")
    rel = run.relative_to(tmp_path)
    assert f"tui-nn train: cannot write the log {rel}/{LOG_NAME}: No space left on device; the run stopped at iteration" in out.stderr
    assert f"tui-nn train --resume {rel}` continues it" in out.stderr
    assert len(records(run)) == 5  # header + 4 evaluations: nothing torn
    assert run_cli("train", "--resume", str(run), "--iterations", "100", "-q", cwd=tmp_path).returncode == 0


def test_resume_on_a_full_disk_is_a_message_not_a_traceback(tmp_path):
    assert run_cli("train", "-n", "5", "-q", cwd=tmp_path).returncode == 0
    run = only_run(tmp_path / "runs")
    out = run_failing(tmp_path, "train.lock", 0, "train", "--resume", str(run), "--iterations", "10")
    assert out.returncode == 1 and f"cannot write {run}/train.lock: No space left on device" in out.stderr
    out = run_failing(tmp_path, LOG_NAME, 0, "train", "--resume", str(run), "--iterations", "10")
    assert out.returncode == 1 and f"cannot write the log {run}/{LOG_NAME}: No space left on device" in out.stderr


SMALL_FILES = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
from tui_nn.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_model_file_the_disk_refuses_ends_the_run_with_a_message(tmp_path):
    """Files may not grow past 100 kB: the first last.npz of a 200x200 net (330 kB) cannot be written."""
    out = subprocess.run([sys.executable, "-c", SMALL_FILES, "train", "--hidden", "200,200", "-q"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    run = only_run(tmp_path / "runs")
    assert f"tui-nn train: cannot save {run.relative_to(tmp_path)}/last.npz: File too large" in out.stderr
    assert not [p.name for p in run.iterdir() if p.name.endswith(".tmp")]


def test_a_terminal_that_is_gone_or_full_does_not_stop_training(tmp_path):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "tui_nn.cli", "train", "-n", "200", "--progress-every", "10"],
                              cwd=tmp_path, stdout=full, stderr=full, timeout=120)
    assert proc.returncode == 0
    assert records(only_run(tmp_path / "runs"))[-1]["state"] == "finished"


ESCAPE = "\x1b]0;pwned\x07\x1b[2J"


def test_file_names_paths_and_control_values_reach_the_terminal_escaped(tmp_path, start):
    data = tmp_path / f"data{ESCAPE}.csv"
    data.write_text("a,b,label\n" + "".join(f"{i},{(i * 7) % 5},{i % 2}\n" for i in range(40)))
    proc = start(tmp_path, "-d", str(data), "--out", f"out{ESCAPE}", "-n", "100000000", "--eval-every", "100",
                 "--progress-every", "1000")
    run = first_run(tmp_path / f"out{ESCAPE}")
    (run / "control.json").write_text(json.dumps({"commands": [
        {"seq": 1, "command": "set_learning_rate", "learning_rate": ESCAPE},
        {"seq": 2, "command": ESCAPE}, {"seq": 3, "command": "stop"}]}))
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert not raw_controls(stdout) and not raw_controls(stderr), (stdout, stderr)
    assert "data?]0;pwned??[2J.csv" in stderr and "control #1: invalid: set_learning_rate needs a positive learning_rate" in stderr
    assert "run    out?]0;pwned??[2J/" in stdout


def test_a_control_file_that_is_a_fifo_blocks_neither_trainer_nor_watcher(tmp_path, start):
    proc = start(tmp_path, "-n", "100000000", "--eval-every", "100", "--progress-every", "1000")
    run = first_run(tmp_path / "runs")
    fifo(run / "control.json")
    refusal = wait_for(lambda: next((r for r in records(run) if r["type"] == "ack" and "is a FIFO" in r.get("message", "")), None),
                       timeout=60, what="the trainer's refusal of the FIFO in the log")
    first = len(records(run))
    wait_for(lambda: len(records(run)) > first + 3, timeout=60, what="more evaluations after the refusal")  # still training
    assert refusal["ok"] is False
    with no_hang(), pytest.raises(ControlError, match="control.json: is a FIFO \\(named pipe\\), not a regular file"):
        Controller(run).pause()
    proc.send_signal(signal.SIGTERM)  # and still answering signals
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM
    assert "control.json is not valid" in stderr and "is a FIFO" in stderr


@pytest.mark.parametrize("extra, message", [
    ([1, 2], "the metadata field 'extra' is a list, expected an object"),
    ({"iteration": True}, "last.npz does not say how many iterations it has"),
    ({"iteration": 10**20}, "the integer 10000000000000000000... is larger than 64 bits"),
])
def test_resuming_from_odd_model_metadata_is_one_clear_error(tmp_path, extra, message):
    assert run_cli("train", "-n", "5", "-q", cwd=tmp_path).returncode == 0
    run = only_run(tmp_path / "runs")
    model = load_model(run / "last.npz")
    meta = json.dumps(dict(model.metadata, extra=extra))
    np.savez(run / "last.npz", **model.parameters, __meta__=np.array(meta))
    out = run_cli("train", "--resume", str(run), "--iterations", "10", cwd=tmp_path)
    assert out.returncode == 2 and f"cannot resume {run}" in out.stderr and message in out.stderr, out.stderr


def test_numerical_warnings_never_reach_the_terminal(tmp_path):
    """Weights of 1e300 overflow in the forward pass: the run says it diverged, NumPy says nothing."""
    out = run_cli("train", "-d", "plane", "--init-scale", "1e300", "--activations", "relu", "--eval-every", "1",
                  "-n", "5", cwd=tmp_path)
    assert out.returncode == headless.EXIT_DIVERGED
    assert "plane: diverged after 0 iterations" in out.stdout
    assert "Warning" not in out.stderr and "overflow encountered" not in out.stderr, out.stderr
