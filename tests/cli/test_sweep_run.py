"""Real sweeps: ``tui-nn sweep`` in a subprocess, its folder, results, SIGTERM, resume and the runner API."""

from __future__ import annotations

import csv
import json
import signal
from pathlib import Path

import numpy as np
import pytest

from tui_nn.core import load_model

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def sweep_dir(cli) -> Path:
    (folder,) = [p for p in (cli.cwd / "runs").iterdir() if (p / "plan.json").is_file()]
    return folder


def end_record(run_dir: Path) -> dict:
    *lines, tail = (run_dir / "metrics.jsonl").read_bytes().split(b"\n")
    records = [json.loads(line) for line in lines]
    assert tail == b""
    ends = [r for r in records if r["type"] == "end"]
    assert ends, f"{run_dir.name} has no end record"
    return ends[-1]


def test_local_sweep_writes_plan_trial_runs_and_results_matching_their_logs(cli, logs):
    done = cli.run("sweep", "-n", "600", "--eval-every", "100", "--vary", "hidden=1,3", "--vary", "lr=0.5,1.2",
                   "--workers", "2", "--name", "small")
    assert done.returncode == 0, done.stderr
    folder = sweep_dir(cli)
    plan = json.loads((folder / "plan.json").read_text())
    assert [t["values"] for t in plan["trials"]] == [
        {"hidden": [1], "learning_rate": 0.5}, {"hidden": [1], "learning_rate": 1.2},
        {"hidden": [3], "learning_rate": 0.5}, {"hidden": [3], "learning_rate": 1.2}]
    assert plan["trials"][2]["config"]["hidden"] == [3] and plan["trials"][2]["config"]["out"] == str(folder.relative_to(cli.cwd))
    results = json.loads((folder / "results.json").read_text())["trials"]
    rows = list(csv.DictReader((folder / "results.csv").read_text().splitlines()))
    assert len(results) == len(rows) == 4
    for row, csv_row, trial in zip(results, rows, plan["trials"]):
        run_dir = folder / trial["name"]
        records, _ = logs.read_log(run_dir)
        end = end_record(run_dir)
        assert records[0]["type"] == "header" and records[0]["config"] == trial["config"]
        costs = [r["cost"] for r in records if r["type"] == "eval"]
        assert row["status"] == end["state"] == "finished"
        assert row["final_cost"] == end["cost"] and row["best_cost"] == min(costs)
        assert row["train_accuracy"] == end["train_accuracy"] and row["dev_accuracy"] == end["dev_accuracy"]
        assert row["iterations"] == end["iterations"] == 600 and row["seconds"] == pytest.approx(end["elapsed"])
        assert float(csv_row["final_cost"]) == end["cost"] and float(csv_row["dev_accuracy"]) == end["dev_accuracy"]
        assert csv_row["hidden"] == str(trial["values"]["hidden"][0]) and csv_row["run"] == trial["name"]
    table = done.stdout.splitlines()
    assert table[0].split()[:4] == ["#", "TRIAL", "HIDDEN", "LEARNING_RATE"]
    devs = [r["dev_accuracy"] for r in results]
    best = max(range(4), key=lambda i: (devs[i], -results[i]["final_cost"]))
    assert table[1].split()[1] == f"trial-{best:03d}"
    # the trials are ordinary runs: listed with what varies, grouped under the sweep, resumable
    listing = cli.run("runs")
    assert listing.returncode == 0
    assert "sweep small" in listing.stdout and "4/4 trials done, varying hidden, learning_rate" in listing.stdout
    assert "trial-003  finished" in listing.stdout and "hidden=3 lr=1.2" in listing.stdout
    more = cli.run("train", "--resume", str(folder / "trial-000"), "--iterations", "700", "-q")
    assert more.returncode == 0, more.stderr
    assert end_record(folder / "trial-000")["iterations"] == 700


def test_invalid_sweeps_are_refused_before_anything_runs(cli):
    bad = cli.run("sweep", "-n", "10", "--vary", "hidden=4,0")
    assert bad.returncode == 2
    assert "axis hidden = 0: hidden: each layer needs 1 to 4096 units, got 0" in bad.stderr
    bad = cli.run("sweep", "-n", "10", "--vary", "output=sigmoid,softmax")
    assert bad.returncode == 2 and "axis output = softmax" in bad.stderr
    bad = cli.run("sweep", "-n", "10", "--vary", "lr=0.1", "--early-stop")
    assert bad.returncode == 2 and "--early-stop needs --ray" in bad.stderr
    assert not (cli.cwd / "runs").exists()


def test_ray_flag_without_ray_says_how_to_install_it(cli):
    code = ("import sys; sys.modules['ray'] = None\n"
            "from tui_nn.cli import main\n"
            "sys.exit(main(['sweep', '-n', '10', '--vary', 'lr=0.1,0.2', '--ray']))")
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], cwd=cli.cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "pip install -e '.[ray]'" in done.stderr


@pytest.mark.slow
def test_course_hidden_size_sweep_reproduces_the_course_and_equals_train_one_by_one(cli, logs):
    done = cli.run("sweep", str(EXAMPLES / "sweep-hidden-sizes.toml"), "--workers", "2", timeout=300)
    assert done.returncode == 0, done.stderr
    folder = sweep_dir(cli)
    results = json.loads((folder / "results.json").read_text())["trials"]
    train = {r["values"]["hidden"]: r["train_accuracy"] for r in results}
    # the course prints 67.5 %, 67.25 %, 90.75 %, 90.5 %, 91.25 % for 1-5 units and about 90 % for 20 and 50
    assert train[1] == pytest.approx(0.675) and train[2] == pytest.approx(0.6725)
    assert train[3] == pytest.approx(0.9075) and train[4] == pytest.approx(0.905) and train[5] == pytest.approx(0.9125)
    assert 0.89 <= train[20] <= 0.92 and 0.89 <= train[50] <= 0.92
    for trial in sorted(folder.glob("trial-*")):
        solo = cli.run("train", "--config", str(trial / "config.toml"), "--out", f"solo-{trial.name}", "-q", timeout=120)
        assert solo.returncode == 0, solo.stderr
        (solo_dir,) = (cli.cwd / f"solo-{trial.name}").iterdir()
        ours, theirs = logs.read_log(trial)[0], logs.read_log(solo_dir)[0]
        strip = lambda rs: [(r["iteration"], r["cost"], r["train_accuracy"], r["dev_accuracy"]) for r in rs if r["type"] == "eval"]
        assert strip(ours) == strip(theirs)
        a, b = end_record(trial), end_record(solo_dir)
        assert (a["cost"], a["train_accuracy"], a["dev_accuracy"]) == (b["cost"], b["train_accuracy"], b["dev_accuracy"])
        pa, pb = load_model(trial / "last.npz").parameters, load_model(solo_dir / "last.npz").parameters
        assert all(np.array_equal(pa[k], pb[k]) for k in pa)


def test_sigterm_mid_sweep_leaves_every_trial_consistent_and_resume_runs_only_the_unfinished(cli, logs):
    proc = cli.start("sweep", "-n", "12000", "--eval-every", "200", "--vary", "hidden=1,2,3,4", "--workers", "2")
    folder = logs.wait_for(lambda: next((p for p in (cli.cwd / "runs").glob("*") if (p / "plan.json").is_file()), None)
                      if (cli.cwd / "runs").is_dir() else None, what="the sweep folder")
    logs.wait_for(lambda: sum(any(r["type"] == "eval" and r["iteration"] >= 400 for r in cli.records(t))
                         for t in folder.glob("trial-*")) >= 2, timeout=60, what="two trials training")
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "tui-nn sweep --resume" in out
    results = {r["trial"]: r for r in json.loads((folder / "results.json").read_text())["trials"]}
    before: dict[str, bytes] = {}
    for index, row in results.items():
        run_dir = folder / f"trial-{index:03d}"
        if row["status"] == "pending":
            assert not run_dir.exists()
            continue
        end = end_record(run_dir)  # every started trial got its final record and a loadable last.npz
        assert row["status"] == end["state"] and row["iterations"] == end["iterations"]
        assert load_model(run_dir / "last.npz").metadata["extra"]["iteration"] == end["iterations"]
        before[run_dir.name] = (run_dir / "metrics.jsonl").read_bytes()
    statuses = [r["status"] for r in results.values()]
    assert statuses.count("terminated") >= 1 and "running" not in statuses
    listing = cli.run("runs", str(folder))
    assert "terminated" in listing.stdout and "running" not in listing.stdout

    resumed = cli.run("sweep", "--resume", str(folder), "--workers", "2", timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{statuses.count('terminated') + statuses.count('pending')} of 4 trials" in resumed.stderr
    after = {r["trial"]: r for r in json.loads((folder / "results.json").read_text())["trials"]}
    assert all(r["status"] == "finished" and r["iterations"] == 12000 for r in after.values())
    for name, log in before.items():
        now = (folder / name / "metrics.jsonl").read_bytes()
        assert now.startswith(log)
        kinds = [json.loads(line)["type"] for line in now[len(log):].splitlines()]
        if results[int(name[-3:])]["status"] == "terminated":
            assert kinds[0] == "resume" and kinds[-1] == "end"  # continued from last.npz, same folder
        else:
            assert kinds == []  # finished trials are left alone
