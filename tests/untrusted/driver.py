"""Run every corpus case through its reader and through the command line; one JSON line per case.

    python tests/untrusted/driver.py [--random N] [--seed S]

Meant for a fresh process: it caps its own address space (2 GiB) and sets a
256 MiB memory budget, so a reader that allocated what a bomb declares would fail
here instead of taking the machine. For each case the outcome is ``valid`` (data
of the right type), ``error`` (one domain error: single line, naming the file) or
``unclean`` (anything else: another exception, a hang, a multi-line or unnamed
message). ``raw`` lists raw control characters that reached stdout or stderr of
the command line run on the case. The last line reports the process's peak memory.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).parent))

ADDRESS_SPACE = 2 << 30
BUDGET = "256M"
CASE_SECONDS = 20
CONTROL = set(range(0x00, 0x20)) - {0x0A} | {0x7F} | set(range(0x80, 0xA0))


class Unclean(Exception):
    """The reader broke a rule: the message says which."""


def peak_rss() -> int:
    """This process's peak resident memory in bytes (``VmHWM``: unlike ``ru_maxrss`` it does not
    start from the parent's size at the fork)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))


def raw_controls(text: str) -> list[str]:
    return sorted({repr(c) for c in text if ord(c) in CONTROL})


def domain_error(error: Exception, path: Path | None) -> str:
    message = str(error)
    if "\n" in message or not message.strip():
        raise Unclean(f"{type(error).__name__} with a multi-line or empty message: {message[:200]!r}")
    if path is not None and os.fspath(path) not in message:
        raise Unclean(f"{type(error).__name__} does not name the file: {message[:200]!r}")
    return message


# --- one reader per area: valid data or one domain error ------------------------------------------


def checked(load: Callable[[Path], Any], error: type[Exception], path: Path, ok: Callable[[Any], bool]) -> Any:
    """``load(path)`` when it gives data that passes ``ok``; a string for its one domain error."""
    try:
        value = load(path)
    except error as e:
        return "error: " + domain_error(e, path)
    if not ok(value):
        raise Unclean(f"{load.__name__} returned data that breaks its promises: {value!r:.100}")
    return value


def read_dataset(path: Path) -> str:
    import numpy as np

    from tui_nn.datasets import DatasetError, load_path

    ds = checked(load_path, DatasetError, path,
                 lambda d: isinstance(d, str) or (d.m_train >= 1 and np.isfinite(d.X_train).all() and np.isfinite(d.X_dev).all()))
    return ds if isinstance(ds, str) else f"valid: {ds.m_train} + {ds.m_dev} examples"


def read_model(path: Path) -> str:
    import numpy as np

    from tui_nn.core import ModelFileError, load_model

    model = checked(load_model, ModelFileError, path, lambda m: isinstance(m, str) or (
        all(np.isfinite(p).all() for p in m.parameters.values()) and isinstance(m.metadata["extra"], dict)))
    return model if isinstance(model, str) else f"valid: {model.spec.layer_dims}"


def read_config(path: Path) -> str:
    from tui_nn.config import ConfigError, load_config
    from tui_nn.datasets import DatasetError
    from tui_nn.experiment import build_experiment

    try:
        cfg = load_config(path)
    except ConfigError as e:
        return "error: " + domain_error(e, path)
    try:
        build_experiment(cfg)
    except (ConfigError, DatasetError) as e:
        return "error: " + domain_error(e, None)
    return f"valid: {cfg.dataset!r:.40}"


def read_run(run: Path) -> str:
    from tui_nn.runs.reader import RunTail, read_run_summary
    from tui_nn.runs.records import SCHEMAS
    from tui_nn.watching import RunView

    update = RunTail(run).poll_all()
    for record in update.records:
        if record["type"] not in SCHEMAS and set(record) != {"type"}:
            raise Unclean(f"an unchecked record reached a reader: {record!r:.100}")
    view = RunView(run)
    view.apply(update)
    summary = read_run_summary(run)
    if not (isinstance(summary.iterations, int) and isinstance(view.iteration, int)
            and (summary.target_iterations is None or isinstance(summary.target_iterations, int))):
        raise Unclean("a summary with values of the wrong type")
    if update.malformed or update.error:
        return f"error: {summary.state}, {update.malformed} malformed line(s) reported" + (f", {update.error}" if update.error else "")
    return f"valid: {summary.state}"


def read_control(path: Path) -> str:
    from tui_nn.runs.control import ControlError, Controller, ControlReader, Steering
    from tui_nn.runs.progress import Progress

    class Trainer:
        learning_rate, iteration = 0.5, 10

    reader = ControlReader(path.parent)
    reader._signature = None  # read the file as if it had just changed
    stream = io.StringIO()
    progress = Progress(stream, 100, 10, tty=False)
    commands = reader.poll(now=1e12)
    for cmd in commands:
        ack = Steering().apply(cmd, Trainer())
        json.dumps(ack, allow_nan=False)
        progress.note(f"control #{ack['seq']}: {cmd.command}: {ack['message']}")  # as the trainer echoes it
    if raw_controls(stream.getvalue()):
        raise Unclean(f"raw control characters echoed: {raw_controls(stream.getvalue())}")
    try:
        sent = f"sent #{Controller(path.parent).pause()}"
    except ControlError as e:
        sent = "refused: " + domain_error(e, None)
    refused = [c.error for c in commands if c.command == "invalid"]
    if refused or sent.startswith("refused"):
        return f"error: {len(refused)} command(s) refused ({(refused or [''])[0]:.80}); {sent}"
    return f"valid: {len(commands)} command(s) read; {sent}"


READERS: dict[str, Callable[[Path], str]] = {
    "csv": read_dataset, "npz": read_dataset, "hdf5": read_dataset, "model": read_model,
    "config": read_config, "run-log": read_run, "control": read_control,
}


# --- the command line on the same case ------------------------------------------------------------


def cli_runs(area: str, path: Path, scratch: Path, template_run: Path) -> list[list[str]]:
    """The commands that read a case of ``area``; a model case is predicted with, then resumed from."""
    out = str(scratch / "out")
    model = str(template_run / "last.npz")
    if area in ("csv", "npz", "hdf5"):
        return [["train", "-d", str(path), "-n", "2", "-q", "--out", out], ["predict", model, str(path)]]
    if area == "config":
        return [["train", "--config", str(path), "-n", "2", "-q", "--out", out]]
    if area == "run-log":
        return [["runs", str(path.parent)]]
    if area == "model":
        run = scratch / "resume-run"
        shutil.copytree(template_run, run, symlinks=True)
        os.unlink(run / "last.npz")
        os.symlink(path.resolve() if not path.is_symlink() else os.readlink(path), run / "last.npz")
        return [["predict", str(path), "flower"], ["train", "--resume", str(run), "--iterations", "8", "-q"]]
    return []


def run_cli(args: list[str]) -> tuple[int, list[str]]:
    """``tui-nn ARGS`` in this process; returns the exit status and raw control characters it printed."""
    from tui_nn.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(args)
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else 2
    text = out.getvalue() + err.getvalue()
    if "Traceback" in text:
        raise Unclean(f"a traceback on the terminal: {text[-300:]!r}")
    return status, raw_controls(text)


# --- the loop -----------------------------------------------------------------------------------------


def _expired(signum: int, frame: Any) -> None:
    raise TimeoutError(f"blocked for more than {CASE_SECONDS} s")


def run_case(case: Any, scratch: Path, template_run: Path) -> dict[str, Any]:
    folder = scratch / "case"
    folder.mkdir()
    result: dict[str, Any] = {"area": case.area, "case": case.name, "declares": case.declares, "raw": []}
    start = time.monotonic()
    signal.alarm(CASE_SECONDS)
    try:
        path = case.make(folder)
        result["outcome"] = READERS[case.area](path)
        for args in cli_runs(case.area, path, scratch, template_run):
            status, raw = run_cli(args)
            result.setdefault("exit_status", []).append(status)
            result["raw"] = sorted(set(result["raw"]) | set(raw))
    except Unclean as e:
        result["outcome"] = f"unclean: {e}"
    except BaseException as e:  # noqa: BLE001 - anything else escaping a reader is what this hunts for
        result["outcome"] = f"unclean: {type(e).__name__}: {str(e)[:300]}"
    finally:
        signal.alarm(0)
    result["seconds"] = round(time.monotonic() - start, 3)
    return result


def template(scratch: Path) -> Path:
    """A small finished run whose ``last.npz`` each model case replaces before ``--resume``."""
    from tui_nn.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["train", "-n", "5", "-q", "--out", str(scratch / "template")]) == 0
    (run,) = (scratch / "template").iterdir()
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--random", type=int, default=60, help="seeded random cases per area")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.environ["TUI_NN_MEMORY_LIMIT"] = BUDGET
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    signal.signal(signal.SIGALRM, _expired)
    import corpus

    cases = corpus.crafted_cases() + corpus.random_cases(args.random, args.seed)
    with tempfile.TemporaryDirectory(prefix="tui-nn-fuzz-") as tmp:
        base = Path(tmp)
        template_run = template(base)
        for i, case in enumerate(cases):
            scratch = base / f"{i:04d}"
            scratch.mkdir()
            print(json.dumps(run_case(case, scratch, template_run)), flush=True)
            shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps({"peak_rss_bytes": peak_rss()}), flush=True)


if __name__ == "__main__":
    main()
