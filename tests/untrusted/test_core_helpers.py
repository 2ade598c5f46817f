"""The core's helpers for untrusted input: regular files only, bounded JSON/TOML, a memory budget."""

from __future__ import annotations

import pytest

from tui_nn.core.memory import MemoryBudgetError, check_fits, memory_budget, parse_size, training_bytes
from tui_nn.core.plainjson import PlainDataError, dumps_plain, from_plain_json, parse_json, parse_toml
from tui_nn.core.safefile import FileRefused, read_regular

from .conftest import fifo, link_to, no_hang


def test_a_fifo_is_refused_without_blocking(tmp_path):
    pipe = fifo(tmp_path / "control.json")
    with no_hang(), pytest.raises(FileRefused, match=r"control\.json: is a FIFO \(named pipe\), not a regular file"):
        read_regular(pipe, 1 << 20, "control file")


def test_a_link_to_dev_zero_is_refused_before_reading(tmp_path):
    zero = link_to(tmp_path / "model.npz", "/dev/zero")
    with no_hang(), pytest.raises(FileRefused, match=r"model\.npz: is a character device, not a regular file"):
        read_regular(zero, 1 << 30, "model file")


def test_size_cap_folder_and_missing_file(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 2000)
    with pytest.raises(FileRefused, match=r"big\.toml: 1\.95 KiB, more than the 1000 bytes a config file may have"):
        read_regular(big, 1000, "config file")
    assert read_regular(big, 2000, "config file") == b"#" * 2000
    with pytest.raises(FileRefused, match="is a folder"):
        read_regular(tmp_path, 1000)
    with pytest.raises(FileRefused, match="no such config file"):
        read_regular(tmp_path / "nope.toml", 1000, "config file")


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * 100000 + "]" * 100000, "line 1, column 33: nested more than 32 levels deep"),
        ('{"a":\n ' + "[" * 40 + "]" * 40 + "}", "line 2, column 33: nested more than 32 levels deep"),
        ('{"m": ' + "9" * 5000 + "}", "the integer 99999999999999999999... is larger than 64 bits"),
        ('{"lr": 1e999}', "the number 1e999 overflows a 64-bit float"),
        ('{"lr": NaN}', "NaN is not strict JSON"),
        ('{"a": 1', "line 1, column 8: Expecting ',' delimiter"),
        (b'{"a": "\xff"}', "line 1: byte 0xff is not UTF-8 text"),
    ],
)
def test_bad_json_is_one_error_naming_where(text, message):
    with pytest.raises(PlainDataError) as info:
        parse_json(text)
    assert message in str(info.value)


def test_json_brackets_inside_strings_do_not_count_and_a_bom_is_dropped():
    deep_string = "[" * 100 + '\\"' + "{" * 100
    assert parse_json(b'\xef\xbb\xbf{"path": "' + deep_string.encode() + b'"}') == {"path": deep_string.replace('\\"', '"')}
    expected: list = []
    for _ in range(31):
        expected = [expected]
    assert parse_json("[" * 32 + "]" * 32) == expected  # exactly the limit is fine


@pytest.mark.parametrize(
    "text, message",
    [
        ("a = " + "[" * 100000 + "]" * 100000, "line 1, column 37: nested more than 32 levels deep"),
        ("a = " + "{b = " * 40 + "1" + "}" * 40, "nested more than 32 levels deep"),
        ("a" + ".a" * 100 + " = 1", "nested more than 32 levels deep"),
        ("seed = 1\nm = " + "9" * 5000, "line 2, column 5: a number of 5000 characters"),
        ("m = " + "9" * 30, "an integer of 100 bits is larger than 64 bits"),
        ("seed = ", "Invalid value (at end of document)"),
    ],
)
def test_bad_toml_is_one_error_naming_where(text, message):
    with pytest.raises(PlainDataError) as info:
        parse_toml(text)
    assert message in str(info.value)


def test_toml_strings_and_comments_hide_brackets_and_a_bom_is_dropped():
    text = b'\xef\xbb\xbfdataset = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" # ' + b"{" * 40 + b"\nseed = 3\n"
    assert parse_toml(text) == {"dataset": "[" * 38, "seed": 3}


def test_non_finite_floats_round_trip_as_null_plus_a_string():
    text = dumps_plain({"cost": float("nan"), "lr": float("inf"), "n": 3, "layers": [{"min": float("-inf")}]})
    assert '"cost": null, "cost_str": "nan"' in text and "NaN" not in text and "Infinity" not in text
    back = from_plain_json(parse_json(text))
    assert back["cost"] != back["cost"] and back["lr"] == float("inf") and back["layers"][0]["min"] == float("-inf")


def test_the_budget_follows_the_environment(monkeypatch):
    assert parse_size("512M") == 512 << 20 and parse_size("2 GiB") == 2 << 30 and parse_size("lots") is None
    monkeypatch.setenv("TUI_NN_MEMORY_LIMIT", "64M")
    assert memory_budget() == 64 << 20
    check_fits(60 << 20, "a small thing")
    with pytest.raises(MemoryBudgetError, match=r"a big thing would need about 100 MiB of memory; 64 MiB is available"):
        check_fits(100 << 20, "a big thing")
    monkeypatch.delenv("TUI_NN_MEMORY_LIMIT")
    assert 0 < memory_budget()


def test_training_memory_of_the_issue_config_is_hundreds_of_gib():
    """m = 10000000 with 4096 hidden units: Z and A alone are 2 x 4096 x 10^7 floats (610 GiB)."""
    need = training_bytes((2, 4096, 1), m_train=10_000_000, m_eval=2_500_000)
    assert need >= 2 * 4097 * 10_000_000 * 8
    small = training_bytes((2, 4, 1), m_train=400, m_eval=100)
    # parameters, gradients, the other set and room for the in-place update's log; the trainer copies X
    # onto a row of ones
    assert small == 8 * (17 * 4 + 3 * 400 + 2 * 5 * 400 + 2 * 5 * 400)
