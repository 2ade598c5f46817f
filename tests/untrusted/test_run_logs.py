"""Run logs from disk: every record checked by type, long lines skipped, FIFOs refused, every run still listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_nn.runs.files import LOG_NAME, MAX_LINE_BYTES, encode_line
from tui_nn.runs.reader import RunTail, list_runs, read_run_summary
from tui_nn.runs.records import RecordError, validate_record

from .conftest import fifo, link_to, no_hang, raw_controls, run_cli

HEADER = {"type": "header", "time": 1.0, "run_id": "r", "dataset": {"name": "flower"}, "config": {"iterations": 10}}


def eval_line(i: int, **more) -> bytes:
    return encode_line({"type": "eval", "iteration": i, "cost": 0.5, "train_accuracy": 0.5, **more})


def write_log(folder: Path, *lines: bytes | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LOG_NAME).write_bytes(b"".join(x if isinstance(x, bytes) else x.encode() + b"\n" for x in lines))
    return folder


BAD_RECORDS = [
    ('{"type": "header", "config": [1, 2]}', "header record: config: expected an object of at most 64 settings, got list"),
    ('{"type": "header", "config": {"iterations": "\\u001b]0;pwned\\u0007"}}',
     "header record: config.iterations: expected a whole number 0..2**53, got str '\\x1b]0;pwned\\x07'"),
    ('{"type": "eval", "iteration": 100000000000000000000}', "eval record: iteration: expected a whole number 0..2**53"),
    ('{"type": "eval", "iteration": true}', "eval record: iteration: expected a whole number 0..2**53, got bool True"),
    ('{"type": "eval", "iteration": 3, "train_accuracy": "high"}', "eval record: train_accuracy: expected a number, got str 'high'"),
    ('{"type": "eval", "iteration": 3, "cost": ' + "9" * 400 + "}", "eval record: cost: expected a number, got int"),
    ('{"type": "eval", "iteration": ' + "9" * 5000 + "}", "a number is too long to read (more than 4300 digits)"),
    ('{"type": "eval", "iteration": 3, "layers": [{"layer": 1}]}', "eval record: layers[0].activation: missing"),
    ('{"type": "end", "state": "\\u001b[2J"}', "end record: state: expected one of finished, converged"),
    ('{"type": "end", "state": "finished", "divergence": "x"}', "end record: divergence: expected an object, got str 'x'"),
    ('{"type": "ack", "message": ' + json.dumps("m" * 3000) + "}", "ack record: message: expected a string of at most 2000"),
    ('{"type": "eval"}', "eval record: iteration: missing"),
    ('{"type": 7}', 'a record needs a "type" string, got int 7'),
    ("[" * 10000 + "]" * 10000, "line 2: column 33: nested more than 32 levels deep"),
]


@pytest.mark.parametrize("line, reason", BAD_RECORDS)
def test_each_bad_record_is_counted_with_its_reason_and_the_rest_is_read(tmp_path, line, reason):
    run = write_log(tmp_path / "run", encode_line(HEADER), line, eval_line(4), encode_line({"type": "end", "state": "finished", "iterations": 10}))
    update = RunTail(run).poll_all()
    assert update.malformed == 1 and update.problems[0].startswith("line 2: ") and reason in update.problems[0], update.problems
    assert [r["type"] for r in update.records] == ["header", "eval", "end"]
    assert read_run_summary(run).state == "finished"


def test_validated_records_keep_only_typed_fields():
    record = validate_record({"type": "eval", "iteration": 3, "cost": 1, "extra": object(), "learning_rate": float("nan")})
    assert record == {"type": "eval", "iteration": 3, "cost": 1.0, "learning_rate": record["learning_rate"]}
    assert record["learning_rate"] != record["learning_rate"]
    assert validate_record({"type": "sweep-note", "anything": [1]}) == {"type": "sweep-note"}
    with pytest.raises(RecordError):
        validate_record({"type": "eval", "iteration": -1})


def test_a_line_longer_than_a_read_does_not_stall_the_reader(tmp_path):
    """A 10 MB line (more than one 8 MB read, less than the old 16 MB skip): skipped, the end is read."""
    long_line = '{"type": "eval", "pad": "' + "a" * (10 << 20) + '"}'
    run = write_log(tmp_path / "run", encode_line(HEADER), eval_line(1), long_line, eval_line(2),
                    encode_line({"type": "end", "state": "finished", "iterations": 10}))
    tail = RunTail(run)
    update = tail.poll_all()
    assert [r["type"] for r in update.records] == ["header", "eval", "eval", "end"]
    assert update.malformed == 1 and update.problems == (f"line 3: longer than {MAX_LINE_BYTES} bytes, skipped",)
    assert read_run_summary(run).state == "finished"


def test_an_endless_line_is_skipped_as_it_grows(tmp_path):
    run = write_log(tmp_path / "run", encode_line(HEADER), b"x" * (MAX_LINE_BYTES + 10))
    tail = RunTail(run, max_bytes=MAX_LINE_BYTES // 2)
    assert tail.poll_all().malformed == 0  # not finished yet: nothing to count
    with open(run / LOG_NAME, "ab") as f:
        f.write(b"y" * (MAX_LINE_BYTES * 3) + b"\n" + eval_line(7))
    update = tail.poll_all()
    assert update.malformed == 1 and [r["iteration"] for r in update.records] == [7]


def test_a_line_longer_than_max_bytes_but_short_is_still_read(tmp_path):
    run = write_log(tmp_path / "run", encode_line(HEADER), eval_line(1, status="running"))
    assert [r["type"] for r in RunTail(run, max_bytes=16).poll_all().records] == ["header", "eval"]


def test_a_log_that_is_a_fifo_or_a_device_is_refused_without_blocking(tmp_path):
    (tmp_path / "a").mkdir()
    fifo(tmp_path / "a" / LOG_NAME)
    (tmp_path / "b").mkdir()
    link_to(tmp_path / "b" / LOG_NAME, "/dev/zero")
    with no_hang():
        assert "is a FIFO (named pipe), not a regular file" in RunTail(tmp_path / "a").poll().error
        assert "is a character device, not a regular file" in RunTail(tmp_path / "b").poll().error


def test_one_bad_run_never_hides_the_others_and_nothing_raw_reaches_the_terminal(tmp_path):
    runs = tmp_path / "runs"
    write_log(runs / "1-good", encode_line(HEADER), eval_line(9, dev_accuracy=0.75),
              encode_line({"type": "end", "state": "finished", "iterations": 10}))
    for i, (line, _) in enumerate(BAD_RECORDS):
        write_log(runs / f"2-bad-{i:02d}", encode_line(HEADER), line)
    write_log(runs / "3-\x1b]0;pwned\x07", json.dumps({**HEADER, "run_id": "\x1b[2J"}),
              json.dumps({"type": "end", "state": "finished", "reason": "\x1b]0;pwned\x07\x1b[2J"}))
    assert len(list_runs(runs)) == len(BAD_RECORDS) + 2
    out = run_cli("runs", str(runs), cwd=tmp_path)
    assert out.returncode == 0
    assert "1-good" in out.stdout and "finished" in out.stdout and "75.0%" in out.stdout
    assert "3-?]0;pwned?" in out.stdout and out.stdout.count("malformed line(s)") == len(BAD_RECORDS)


def test_a_fifo_log_in_the_listing_is_reported_not_waited_for(tmp_path):
    runs = tmp_path / "runs"
    (runs / "pipe").mkdir(parents=True)
    fifo(runs / "pipe" / LOG_NAME)
    write_log(runs / "good", encode_line(HEADER), encode_line({"type": "end", "state": "finished", "iterations": 10}))
    out = run_cli("runs", str(runs), cwd=tmp_path, timeout=30)
    assert out.returncode == 0 and "good" in out.stdout and "finished" in out.stdout
    assert not raw_controls(out.stdout)


def test_a_sweep_whose_results_file_is_a_fifo_is_still_listed(tmp_path):
    """``tui-nn runs`` reads a sweep's plan.json and results.json: a FIFO there must not block it."""
    out = run_cli("sweep", "--vary", "hidden=1,2", "-n", "5", "--out", "sw", "-q", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (sweep,) = (tmp_path / "sw").iterdir()
    (sweep / "results.json").unlink()
    fifo(sweep / "results.json")
    with no_hang(30):
        listed = run_cli("runs", str(tmp_path / "sw"), cwd=tmp_path, timeout=30)
    assert listed.returncode == 0 and "trial-000" in listed.stdout and "2/2 trials done" in listed.stdout
    (sweep / "plan.json").unlink()
    fifo(sweep / "plan.json")
    with no_hang(30):
        listed = run_cli("runs", str(sweep), cwd=tmp_path, timeout=30)
    assert listed.returncode == 0
