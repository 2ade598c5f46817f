"""Fuzzing every reader of untrusted input: Hypothesis properties, then the crafted corpus in a bounded process.

Each reader gives valid data or one clear domain error (one line, naming the file),
never another exception, a hang, unbounded memory or a raw control character on
the terminal. ``bench/untrusted_inputs.py`` prints the figures from the same corpus.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_nn.config import ConfigError, RunConfig, from_mapping, load_config
from tui_nn.core.plainjson import PlainDataError, from_plain_json, parse_json, parse_toml
from tui_nn.runs.control import ControlReader, Steering
from tui_nn.runs.files import encode_line
from tui_nn.runs.progress import Progress
from tui_nn.runs.reader import TailUpdate, summarize_records
from tui_nn.runs.records import RecordError, validate_record
from tui_nn.safe_text import printable, printable_lines
from tui_nn.watching import RunView

from .conftest import ESCAPES, raw_controls

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DRIVER = Path(__file__).with_name("driver.py")

texts = st.one_of(st.text(max_size=30), st.sampled_from(ESCAPES), st.sampled_from(["nan", "inf", "flower", "tanh", "1_0"]))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), texts,
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4), max_leaves=20)
KNOWN = ["iteration", "iterations", "cost", "learning_rate", "config", "dataset", "state", "reason", "layers",
         "seq", "command", "hidden", "m", "seed", "train_accuracy", "message", "paused", "divergence", "elapsed"]
records = st.fixed_dictionaries(
    {"type": st.sampled_from(["header", "eval", "ack", "resume", "end", "other"])},
    optional={k: values for k in KNOWN},
)


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_bounded_parsers_return_data_or_one_error(data):
    for parse in (parse_json, parse_toml):
        try:
            parse(data)
        except PlainDataError as e:
            assert str(e) and "\n" not in str(e)


@FUZZ
@given(values)
def test_any_json_value_round_trips_or_is_refused_cleanly(value):
    text = encode_line({"type": "x", "v": value})
    try:
        back = from_plain_json(parse_json(text))
    except PlainDataError as e:  # deeper than 32 levels or a number beyond 64 bits
        assert "nested" in str(e) or "64 bits" in str(e)
        return
    assert back["type"] == "x"


@FUZZ
@given(records)
def test_every_record_is_checked_and_every_consumer_copes(record):
    """Whatever a log line holds, the reader passes well-typed records or counts the line malformed,
    and the listing and the watcher fold what passes without an exception."""
    try:
        checked = validate_record(from_plain_json(parse_json(encode_line(record))))
    except (RecordError, PlainDataError):
        return
    summary = summarize_records(Path("run"), [checked], 0, 0.0)
    assert isinstance(summary.iterations, int) and isinstance(summary.state, str)
    view = RunView(Path("run"))
    view.apply(TailUpdate(records=[checked]))
    assert view.target is None or isinstance(view.target, int)
    assert view.learning_rate is None or isinstance(view.learning_rate, float)


@FUZZ
@given(st.dictionaries(st.sampled_from(list(RunConfig.__dataclass_fields__) + ["other", "\x1b[2J"]), values, max_size=5))
def test_any_config_mapping_is_a_config_or_one_error_naming_a_key(mapping):
    try:
        cfg = from_mapping(mapping, "exp.toml")
    except ConfigError as e:
        assert str(e).startswith("exp.toml: ") and "\n" not in str(e) and len(str(e)) < 2000
        return
    assert isinstance(cfg, RunConfig)


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(["seq", "command", "learning_rate", "x"]), values, max_size=4), max_size=5))
def test_any_control_file_gives_commands_whose_echo_is_printable(entries):
    with tempfile.TemporaryDirectory() as folder:
        reader = ControlReader(folder)
        try:
            data = json.dumps({"commands": entries}, allow_nan=False)
        except ValueError:
            data = json.dumps({"commands": entries})  # NaN in the file: the reader must refuse it
        (Path(folder) / "control.json").write_text(data)
        stream = io.StringIO()
        progress = Progress(stream, 10, 1, tty=False)

        class Trainer:
            learning_rate, iteration = 0.5, 3

        for cmd in reader.poll(now=1e12):
            ack = Steering().apply(cmd, Trainer())
            json.dumps(ack, allow_nan=False)
            assert math.isfinite(ack["learning_rate"])
            progress.note(f"control #{ack['seq']}: {cmd.command}: {ack['message']}")
        assert not raw_controls(stream.getvalue())


@FUZZ
@given(st.text())
def test_the_sanitiser_leaves_no_control_character(text):
    assert not raw_controls(printable(text)) and "\n" not in printable(text)
    assert not raw_controls(printable_lines(text))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(texts, st.integers().map(str), st.floats().map(repr)), min_size=3, max_size=3), max_size=15))
def test_configs_written_as_toml_or_json_load_or_fail_naming_the_file(rows):
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (("a.json", json.dumps({"dataset": rows[0][0] if rows else "flower", "hidden": [len(rows) + 1]})),
                           ("b.toml", "\n".join(f"k{i} = {json.dumps(r)}" for i, r in enumerate(rows)))):
            path = Path(folder) / name
            path.write_text(text)
            try:
                load_config(path)
            except ConfigError as e:
                assert str(e).startswith(str(path)) and "\n" not in str(e)


def test_the_crafted_corpus_gives_data_or_clean_errors_in_bounded_memory():
    """Every crafted case (types, sizes, nesting, non-finite values, escapes, FIFOs, links to
    devices, bombs) and 30 seeded random ones per area, through the readers and the command line,
    in a process capped at 2 GiB of address space with a 256 MiB budget."""
    out = subprocess.run([sys.executable, str(DRIVER), "--random", "30"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and not raw_controls(out.stderr), out.stderr[-2000:]
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    cases, peak = lines[:-1], lines[-1]["peak_rss_bytes"]
    unclean = [(c["area"], c["case"], c["outcome"]) for c in cases if c["outcome"].startswith("unclean")]
    raw = [(c["area"], c["case"], c["raw"]) for c in cases if c["raw"]]
    assert not unclean, unclean
    assert not raw, raw
    per_area = Counter(c["area"] for c in cases)
    assert set(per_area) == {"csv", "npz", "hdf5", "model", "config", "run-log", "control"}
    assert min(per_area.values()) >= 20, per_area
    errors = Counter(c["area"] for c in cases if c["outcome"].startswith("error"))
    assert all(errors[a] >= 10 for a in per_area), errors  # each area refuses plenty, cleanly
    bombs = [c for c in cases if c["declares"]]
    assert len(bombs) >= 4 and all(c["outcome"].startswith("error") for c in bombs)
    assert max(c["declares"] for c in bombs) > 4 << 30
    assert peak < 512 << 20, f"peak memory {peak / 2**20:.0f} MiB"
