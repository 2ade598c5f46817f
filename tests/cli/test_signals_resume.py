"""Signals end runs cleanly; SIGKILL leaves at most a torn last line; resume continues the run."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time

import pytest

from tui_nn.config import load_config
from tui_nn.core import load_model
from tui_nn.experiment import build_experiment
from tui_nn.runs.reader import RunTail

from .conftest import wait_for


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_end_the_run_cleanly(cli, long_run, sig):
    proc, run_dir = long_run()
    time.sleep(0.3)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 128 + sig, stderr
    records, tail = cli.records(run_dir), (run_dir / "metrics.jsonl").read_bytes()
    assert tail.endswith(b"\n")
    end = records[-1]
    assert end["type"] == "end" and end["state"] == "terminated"
    assert end["signal"] == signal.Signals(sig).name and end["signum"] == sig and end["exit_status"] == 128 + sig
    assert "terminated after" in stdout
    model = load_model(run_dir / "last.npz")  # consistent, and exactly where the run stopped
    assert model.metadata["extra"]["iteration"] == end["iterations"]
    assert cli.run("runs").stdout.splitlines()[1].split()[1] == "terminated"


def test_sighup_stays_ignored_under_nohup(cli):
    proc = subprocess.Popen([sys.executable, "-m", "tui_nn.cli", "train", "-n", "100000000", "--eval-every", "1000"],
                            cwd=cli.cwd, env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    try:
        run_dir = cli.wait_run_dir()
        proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert proc.poll() is None, "SIGHUP ended a run started under nohup"
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
        assert proc.returncode == 130 and cli.records(run_dir)[-1]["signal"] == "SIGINT"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_sigkill_at_random_points_leaves_at_most_a_torn_last_line(cli):
    rng = random.Random(5)
    for attempt in range(3):
        proc = cli.start("train", "-n", "100000000", "--eval-every", "5", "--out", f"k{attempt}")
        run_dir = cli.wait_run_dir(f"k{attempt}")
        tail = RunTail(run_dir)
        seen = 0
        deadline = time.monotonic() + rng.uniform(0.3, 0.9)
        while time.monotonic() < deadline:  # a live reader polls while the writer writes
            u = tail.poll()
            assert not u.reset and u.malformed == 0
            seen += len(u.records)
            time.sleep(rng.uniform(0, 0.02))
        proc.kill()
        proc.communicate(timeout=10)
        data = (run_dir / "metrics.jsonl").read_bytes()
        *complete, torn = data.split(b"\n")
        for line in complete:
            json.loads(line, parse_constant=lambda c: pytest.fail(f"non-finite constant {c}"))
        u = tail.poll_all()
        assert not u.reset and u.malformed == 0
        assert seen + len(u.records) == len(complete)
        assert b"\n" not in torn
        assert cli.run("runs", f"k{attempt}").stdout.splitlines()[1].split()[1] == "crashed"
        if attempt == 0:
            # a torn tail is made once for certain, then resume cuts it off and the reader carries on
            with open(run_dir / "metrics.jsonl", "ab") as f:
                f.write(b'{"type":"eval","iteration":')
            assert tail.poll().records == []
            start = load_model(run_dir / "last.npz").metadata["extra"]["iteration"]
            out = cli.run("train", "--resume", str(run_dir), "--iterations", str(start + 20))
            assert out.returncode == 0, out.stderr
            u = tail.poll_all()
            assert not u.reset and u.malformed == 0
            kinds = [r["type"] for r in u.records]
            assert kinds[0] == "resume" and kinds[-1] == "end"
            assert u.records[0]["iteration"] == start and u.records[0]["dropped_bytes"] >= 27
            evals = [r["iteration"] for r in u.records if r["type"] == "eval"]
            assert evals[0] == -(-start // 5) * 5 and evals[-1] == start + 19  # aligned to --eval-every, then the last
            assert u.records[-1]["iterations"] == start + 20


def test_resume_continues_iterations_and_cost(cli):
    """gd: 150 + 150 resumed iterations give the same costs as 300 in one go."""
    assert cli.run("train", "-n", "300", "--eval-every", "50", "--out", "one").returncode == 0
    assert cli.run("train", "-n", "150", "--eval-every", "50", "--out", "two").returncode == 0
    [one], [two] = cli.runs("one"), cli.runs("two")
    out = cli.run("train", "--resume", str(two), "--iterations", "300")
    assert out.returncode == 0, out.stderr
    assert "resuming" in out.stderr and "restart" not in out.stderr  # plain gd continues exactly
    assert "finished after 150 iterations this session (300 in all)" in out.stdout
    a = {r["iteration"]: r["cost"] for r in cli.records(one) if r["type"] == "eval"}
    recs = cli.records(two)
    kinds = [r["type"] for r in recs]
    assert kinds.count("header") == 1 and kinds.count("resume") == 1 and kinds.count("end") == 2
    resume = recs[kinds.index("resume")]
    assert resume["iteration"] == 150 and resume["config"]["iterations"] == 300
    b = {r["iteration"]: r["cost"] for r in recs[kinds.index("resume"):] if r["type"] == "eval"}
    assert sorted(b) == [150, 200, 250, 299]
    for it in (200, 250, 299):
        assert b[it] == pytest.approx(a[it], rel=1e-9)
    assert recs[-1]["iterations"] == 300 and load_model(two / "last.npz").metadata["extra"]["iteration"] == 300
    out = cli.run("runs", "two")
    assert out.stdout.splitlines()[1].split()[1:3] == ["finished", "300/300"]


def test_resume_after_sigterm_continues_the_cost(cli, long_run):
    proc, run_dir = long_run()
    # Late enough that one step moves the cost by far less than the tolerance, however fast the machine.
    wait_for(lambda: any(r.get("type") == "eval" and r["iteration"] >= 2000 for r in cli.records(run_dir)),
             timeout=60, what="iteration 2000")
    proc.terminate()
    proc.communicate(timeout=20)
    assert proc.returncode == 143
    end = cli.records(run_dir)[-1]
    k = end["iterations"]
    # The cost of the weights saved at the signal, computed here by the core: where the run must go on from.
    # (Not the end record's cost: that is the last step's, before its update, and one step early in a
    # run moves the cost by more than any fixed tolerance; a loaded machine signals earlier.)
    experiment = build_experiment(load_config(run_dir / "config.toml"))
    saved = load_model(run_dir / "last.npz").parameters
    expected = next(experiment.new_trainer(parameters=saved).run()).cost
    out = cli.run("train", "--resume", str(run_dir), "--iterations", str(k + 5), "--eval-every", "1")
    assert out.returncode == 0, out.stderr
    recs = cli.records(run_dir)
    first = next(r for r in recs[recs.index(end):] if r["type"] == "eval")
    assert first["iteration"] == k
    assert first["cost"] == pytest.approx(expected, rel=1e-9)
    assert load_model(run_dir / "last.npz").metadata["extra"]["iteration"] == k + 5


def test_resume_refuses_a_busy_run_and_other_flags(cli, long_run):
    proc, run_dir = long_run()
    out = cli.run("train", "--resume", str(run_dir))
    assert out.returncode == 1 and "another process" in out.stderr
    out = cli.run("train", "--resume", str(run_dir), "--hidden", "3")
    assert out.returncode == 2 and "hidden: cannot be changed when resuming" in out.stderr
    out = cli.run("train", "--resume", str(cli.cwd))
    assert out.returncode == 2 and "not a tui-nn run folder" in out.stderr
