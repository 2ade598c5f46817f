"""Headless runs choose BLAS threads like the app: one when the machine is busy, the user's count always."""

from __future__ import annotations

import pytest

from tui_nn.blas_threads import BLAS_THREAD_VARIABLES, apply_blas_choice, choose_blas_threads
from tui_nn.core import load_model


@pytest.mark.parametrize("load, cores, threads, source", [
    (0.3, 2, "default", "idle"),
    (1.0, 2, "default", "idle"),  # one core still free
    (1.5, 2, "1", "busy"),
    (7.9, 8, "1", "busy"),
    (0.0, 1, "1", "busy"),  # a single core is never free for a second thread
    (None, 4, "default", "idle"),  # no load average (not Linux): keep the default
])
def test_the_choice_follows_the_load_average(load, cores, threads, source):
    choice = choose_blas_threads({}, cores, load)
    assert (choice.threads, choice.source) == (threads, source)
    text = choice.describe()
    assert text.startswith("BLAS threads: ") and f"{cores} cores" in text
    assert ("busy" in text) == (source == "busy")


def test_a_count_the_user_set_wins():
    choice = choose_blas_threads({"OMP_NUM_THREADS": "3"}, 2, 9.0)
    assert (choice.threads, choice.source, choice.variable) == ("3", "user", "OMP_NUM_THREADS")
    assert choice.describe() == "BLAS threads: 3 (OMP_NUM_THREADS is set)"


def test_a_busy_choice_sets_every_variable_and_an_idle_one_none(monkeypatch):
    env: dict[str, str] = {}
    monkeypatch.setattr("os.getloadavg", lambda: (5.0, 5.0, 5.0))
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert apply_blas_choice(env).source == "busy"
    assert env == {v: "1" for v in BLAS_THREAD_VARIABLES}
    env.clear()
    monkeypatch.setattr("os.getloadavg", lambda: (0.1, 0.1, 0.1))
    assert apply_blas_choice(env).source == "idle" and env == {}


def test_train_says_which_it_chose_on_stderr_and_in_the_log(cli):
    cli.env["OPENBLAS_NUM_THREADS"] = "1"
    out = cli.run("train", "-n", "50", "--eval-every", "25")
    assert out.returncode == 0, out.stderr
    assert "BLAS threads: 1 (OPENBLAS_NUM_THREADS is set)" in out.stderr
    [run_dir] = cli.runs()
    header = cli.records(run_dir)[0]
    assert header["blas_threads"] == {"threads": "1", "source": "user", "load_average": header["blas_threads"]["load_average"],
                                      "cores": header["blas_threads"]["cores"], "variable": "OPENBLAS_NUM_THREADS"}


def test_train_without_a_setting_chooses_from_the_load(cli):
    for variable in BLAS_THREAD_VARIABLES:
        cli.env.pop(variable, None)
    out = cli.run("train", "-n", "50", "--eval-every", "25", "--dtype", "float32")
    assert out.returncode == 0, out.stderr
    [run_dir] = cli.runs()
    header = cli.records(run_dir)[0]
    blas = header["blas_threads"]
    assert blas["source"] in ("busy", "idle") and blas["threads"] == ("1" if blas["source"] == "busy" else "default")
    line = [text for text in out.stderr.splitlines() if text.startswith("BLAS threads: ")]
    assert line and (("machine busy" in line[0]) == (blas["source"] == "busy"))
    assert header["config"]["dtype"] == "float32"
    assert load_model(run_dir / "last.npz").metadata["dtype"] == "float32"


def test_a_bad_dtype_flag_names_the_key(cli):
    out = cli.run("train", "--dtype", "float16")
    assert out.returncode == 2
    assert "dtype: must be one of float64, float32, got 'float16'" in out.stderr
