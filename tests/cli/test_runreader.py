"""RunTail on logs written byte by byte: torn lines, truncation, replacement, malformed lines, read-only folders."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tui_nn.runs.files import encode_line
from tui_nn.runs.reader import RunTail, read_run_summary, summarize_records


def line(i: int, **more) -> bytes:
    return encode_line({"type": "eval", "iteration": i, "cost": 1.0 / (i + 1), **more})


HEADER = encode_line({"type": "header", "schema_version": 1, "run_id": "run-a", "time": 1.0,
                      "dataset": {"name": "flower"}, "config": {"iterations": 10}})


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "metrics.jsonl"


def append(path: Path, data: bytes) -> None:
    with open(path, "ab") as f:
        f.write(data)


def test_missing_log_is_an_error_not_a_crash(tmp_path: Path):
    u = RunTail(tmp_path).poll()
    assert u.records == [] and u.error and "no log yet" in u.error


def test_torn_line_waits_and_is_read_once(tmp_path: Path, log: Path):
    tail = RunTail(tmp_path)
    data = HEADER + line(0) + line(1)
    seen: list[dict] = []
    for k in range(len(data)):  # one byte at a time
        append(log, data[k:k + 1])
        u = tail.poll()
        assert not u.reset and u.malformed == 0
        seen.extend(u.records)
        # a record appears exactly when its newline was written
        assert len(seen) == data[: k + 1].count(b"\n")
    assert [r["type"] for r in seen] == ["header", "eval", "eval"]
    assert [r["iteration"] for r in seen[1:]] == [0, 1]
    assert tail.poll().records == []


def test_nan_reads_back_as_float(tmp_path: Path, log: Path):
    append(log, HEADER + encode_line({"type": "eval", "iteration": 3, "cost": float("nan")}))
    rec = RunTail(tmp_path).poll().records[1]
    assert math.isnan(rec["cost"]) and "cost_str" not in rec


def test_truncated_log_is_a_new_run(tmp_path: Path, log: Path):
    append(log, HEADER + line(0) + line(1) + line(2))
    tail = RunTail(tmp_path)
    assert len(tail.poll().records) == 4
    with open(log, "r+b") as f:
        f.truncate(0)
    u = tail.poll()
    assert u.reset and u.records == []
    append(log, HEADER + line(7))
    u = tail.poll()
    assert not u.reset and [r.get("iteration") for r in u.records] == [None, 7]


def test_truncated_and_regrown_log_is_noticed_by_its_first_bytes(tmp_path: Path, log: Path):
    append(log, HEADER + line(0))
    tail = RunTail(tmp_path)
    tail.poll()
    other = HEADER.replace(b"run-a", b"run-b")
    with open(log, "r+b") as f:  # rewritten in place, longer than before
        f.truncate(0)
        f.write(other + line(5) + line(6) + line(7))
    u = tail.poll()
    assert u.reset and u.records[0]["run_id"] == "run-b" and len(u.records) == 4


def test_replaced_log_is_a_new_run(tmp_path: Path, log: Path):
    append(log, HEADER + line(0) + line(1))
    tail = RunTail(tmp_path)
    assert len(tail.poll().records) == 3
    new = tmp_path / "new.jsonl"
    new.write_bytes(HEADER + line(9) + line(10) + line(11))  # larger than the old one
    os.replace(new, log)
    u = tail.poll()
    assert u.reset and [r.get("iteration") for r in u.records] == [None, 9, 10, 11]


def test_deleted_then_recreated_log(tmp_path: Path, log: Path):
    append(log, HEADER + line(0))
    tail = RunTail(tmp_path)
    tail.poll()
    log.unlink()
    u = tail.poll()
    assert u.reset and u.error
    append(log, HEADER)
    u = tail.poll()
    assert len(u.records) == 1 and not u.reset


def test_malformed_complete_lines_are_counted_and_skipped(tmp_path: Path, log: Path):
    append(log, HEADER + b'{"type": "eval", "cost": NaN}\n' + b"not json\n" + b"[1,2]\n" + b"\xff\xfe\n" + line(1) + b"\n")
    tail = RunTail(tmp_path)
    u = tail.poll()
    assert u.malformed == 4 and tail.malformed_total == 4
    assert [r["type"] for r in u.records] == ["header", "eval"]
    assert u.problems[0].startswith("line 2:") and "NaN" in u.problems[0]
    append(log, b'{"half": ')
    assert tail.poll().malformed == 0  # incomplete: not malformed yet
    append(log, b"}\n")
    u = tail.poll()
    assert u.malformed == 1 and u.problems[0].startswith("line 8:")


def test_max_bytes_splits_a_big_read(tmp_path: Path, log: Path):
    append(log, HEADER + b"".join(line(i) for i in range(50)))
    tail = RunTail(tmp_path, max_bytes=200)
    total, polls = 0, 0
    while True:
        u = tail.poll()
        polls += 1
        total += len(u.records)
        if not u.more:
            break
    assert total == 51 and polls > 2
    assert len(RunTail(tmp_path).poll_all().records) == 51


def test_summary_of_a_crashed_run(tmp_path: Path, log: Path):
    append(log, HEADER + line(0, dev_accuracy=0.5) + line(99, dev_accuracy=0.75) + b'{"type": "eval", "iter')
    s = read_run_summary(tmp_path)
    assert s.state == "crashed" and s.iterations == 100 and s.best_dev_accuracy == 0.75 and s.dataset == "flower"


def test_summary_follows_resume_and_end():
    recs = [
        {"type": "header", "run_id": "r", "time": 1.0, "dataset": {"name": "flower"}, "config": {"iterations": 10}},
        {"type": "end", "state": "terminated", "iterations": 5},
        {"type": "resume", "iteration": 5, "config": {"iterations": 20}},
    ]
    s = summarize_records(Path("r"), recs, 0, 0.0)
    assert s.state == "running" and s.iterations == 5 and s.target_iterations == 20
    s = summarize_records(Path("r"), recs + [{"type": "end", "state": "finished", "iterations": 20}], 0, 0.0)
    assert s.state == "finished" and s.iterations == 20


READER_SCRIPT = """
import sys
from tui_nn.runs.reader import RunTail, read_run_summary
u = RunTail(sys.argv[1]).poll()
assert u.error is None and len(u.records) == 2 and u.malformed == 0, u
s = read_run_summary(sys.argv[1])
assert s.state == "crashed", s
from tui_nn.runs.control import Controller, ReadOnlyRunError
c = Controller(sys.argv[1])
assert not c.writable
try:
    c.pause()
except ReadOnlyRunError as e:
    print("READONLY:", e)
"""


def readable_copy_of_tui_nn(dest: Path) -> Path:
    """The ``tui_nn`` package copied under ``dest`` (``tui_nn.core`` and ``tui_nn.datasets`` where they import
    from), readable by every user; returns ``dest`` for ``PYTHONPATH``."""
    import tui_nn
    import tui_nn.core
    import tui_nn.datasets

    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    root = dest / "tui_nn"
    shutil.copytree(Path(tui_nn.__path__[0]), root, ignore=skip)
    for sub in (tui_nn.core, tui_nn.datasets):
        target = root / sub.__name__.rsplit(".", 1)[1]
        if not target.exists():  # an editable install maps them from the checkout's core/ and datasets/
            shutil.copytree(Path(sub.__path__[0]), target, ignore=skip)
    for path in [dest, *dest.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return dest


def test_read_only_run_folder(tmp_path: Path):
    """Reading (and refusing to steer) works in a folder this user cannot write."""
    folder = Path(tempfile.mkdtemp(prefix="tui-nn-ro-"))
    code = Path(tempfile.mkdtemp(prefix="tui-nn-ro-code-"))
    try:
        (folder / "metrics.jsonl").write_bytes(HEADER + line(0))
        os.chmod(folder / "metrics.jsonl", 0o444)
        os.chmod(folder, 0o555)
        cmd = [sys.executable, "-c", READER_SCRIPT, str(folder)]
        env = None
        if os.geteuid() == 0:  # root ignores permissions: read as nobody
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root without setpriv")
            nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
            # The checkout may sit in a folder nobody cannot read (a 0700 temporary folder): give that user a
            # readable copy of the package (found before the editable install's own finder).
            env = {**os.environ, "PYTHONPATH": str(readable_copy_of_tui_nn(code))}
            probe = subprocess.run([*nobody, sys.executable, "-c", "import numpy"], capture_output=True, text=True,
                                   cwd="/", env=env)
            if probe.returncode != 0:
                pytest.skip(f"user nobody cannot run {sys.executable} with NumPy (is the environment in a folder "
                            f"only its owner can read?): {probe.stderr.strip().splitlines()[-1][:200]}")
            cmd = [*nobody, *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, cwd="/", env=env)
        assert out.returncode == 0, out.stderr
        assert "READONLY:" in out.stdout and "read-only" in out.stdout and "watching works" in out.stdout
        assert sorted(p.name for p in folder.iterdir()) == ["metrics.jsonl"]
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)
        shutil.rmtree(code, ignore_errors=True)
