"""CSV files: good files load; each bad input gets one DatasetError naming file, line, column and token."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tui_nn.datasets import DatasetError, load_path

GOOD = "a,b,label\n" + "".join(f"{i},{i % 3 * 1.5},{'cat' if i % 2 else 'dog'}\n" for i in range(20))


def test_text_labels_become_sorted_classes_and_features_are_standardised_on_train(write_csv):
    ds = load_path(write_csv(GOOD))
    assert ds.task == "binary" and ds.class_names == ("cat", "dog") and ds.feature_names == ("a", "b")
    assert ds.m_train + ds.m_dev == 20 and ds.m_dev == 4
    assert sorted(np.bincount(ds.Y_dev[0]).tolist()) == [2, 2]  # stratified
    np.testing.assert_allclose(ds.X_train.mean(axis=1), 0, atol=1e-12)
    raw_dev = ds.standardization.std * ds.X_dev + ds.standardization.mean
    assert set(raw_dev[0].round(9)) <= set(range(20))
    assert ds.provenance["format"] == "csv" and ds.provenance["label"] == "label"


def test_label_column_by_name_numbers_and_regression(write_csv):
    text = "y,x1,x2\n" + "".join(f"{i % 3},{i},{-i}\n" for i in range(30))
    ds = load_path(write_csv(text), label="y")
    assert ds.task == "multiclass" and ds.class_names == ("0", "1", "2") and ds.feature_names == ("x1", "x2")
    reg = "x,y\n" + "".join(f"{i},{i * 0.37}\n" for i in range(30))
    ds = load_path(write_csv(reg))
    assert ds.task == "regression" and ds.Y_train.dtype == np.float64 and ds.n_y == 1


def test_semicolon_and_tab_files_and_a_bom(write_csv):
    body = "".join(f"{i};{i % 2}\n" for i in range(10))
    assert load_path(write_csv("\ufeffx;y\n" + body)).m_train == 8
    assert load_path(write_csv("x\ty\n" + body.replace(";", "\t"), "t.tsv")).n_x == 1


def test_split_is_seeded(write_csv):
    p = write_csv(GOOD)
    assert load_path(p).X_dev.tolist() == load_path(p).X_dev.tolist()
    assert load_path(p, seed=5).X_dev.tolist() != load_path(p).X_dev.tolist()


def err(path, **kwargs) -> str:
    with pytest.raises(DatasetError) as info:
        load_path(path, **kwargs)
    return str(info.value)


ROWS = "".join(f"{i},{i + 1},{i % 2}\n" for i in range(8))


@pytest.mark.parametrize(
    "text, kwargs, expected",
    [
        ("", {}, "{f}: the file is empty"),
        ("\n \n", {}, "{f}: the file is empty"),
        ("a,b,label\n", {}, "{f}: only a header (line 1), no data rows"),
        ("a,b,label\n1,2,0\n3,4\n", {}, "{f}: line 3: 2 cells, expected 3 as in the header (row too short)"),
        ("a,b,label\n1,2,0\n3,4,1,5\n", {}, "{f}: line 3: 4 cells, expected 3 as in the header (row too long)"),
        ("a,b,label\n" + ROWS + "1,x7,0\n", {}, "{f}: line 10, column 'b': 'x7' is not a number"),
        ("a,b,label\n" + ROWS + "1,,0\n", {}, "{f}: line 10, column 'b': the cell is empty; expected a number"),
        ("a,b,label\n" + ROWS + "nan,1,0\n", {}, "{f}: line 10, column 'a': 'nan' is not a finite number (NaN and infinity are refused)"),
        ("a,b,label\n" + ROWS + "1,-inf,0\n", {}, "{f}: line 10, column 'b': '-inf' is not a finite number (NaN and infinity are refused)"),
        ("a,b,label\n" + ROWS + "1,1e999,0\n", {}, "{f}: line 10, column 'b': '1e999' overflows a 64-bit float"),
        ("a,b,label\n" + ROWS + "1,2,\n", {}, "{f}: line 10, column 'label': the label is empty"),
        ("a,b,label\n" + ROWS + "1,2,nan\n", {}, "{f}: line 10, column 'label': 'nan' is not a finite number (NaN and infinity are refused)"),
        ("a,b,label\n" + "".join(f"{i},{i},{i % 3}\n" for i in range(9)), {"task": "binary"},
         "{f}: column 'label': 3 classes ('0', '1', '2') where a binary task allows 2"),
        ("a,b,label\n" + "".join(f"{i},{i},yes\n" for i in range(9)), {},
         "{f}: column 'label': every label is the single class 'yes'; a binary task needs at least 2 classes"),
        ("a,b,label\n" + "".join(f"{i},{i},{i / 7}\n" for i in range(9)), {"task": "multiclass"},
         "{f}: column 'label': label '0.14285714285714285' is not a whole number, so it cannot name a multiclass class"),
        ("a,b,label\n" + ROWS, {"label": "kind"}, "{f}: no column 'kind'; the header (line 1) has: 'a', 'b', 'label'"),
        ("a,a,label\n" + ROWS, {}, "{f}: line 1: the header names column 'a' twice"),
        ("label\n0\n1\n", {}, "{f}: line 1: the header has one column; expected features and a label column"),
        ("a,label\n1,0\n2,1\n", {}, "{f}: 2 examples are too few to split into a training and a dev set"),
        ("a,b,label\n1,2,0\n\"3,4,1\n", {}, "{f}: line 3: malformed CSV (check the quotes)"),
        ("a,b,label\n" + ROWS + "1,2\x00,0\n", {}, "{f}: line 10: contains a NUL byte (is it a binary file?)"),
        ("a,b,label\n" + ROWS + "1,2,\x1b[31mred\n", {"task": "regression"},
         "{f}: line 10, column 'label': '\\x1b[31mred' is not a number"),
    ],
)
def test_bad_csv_gets_one_clear_error(write_csv, text, kwargs, expected):
    p = write_csv(text)
    assert err(p, **kwargs) == expected.format(f=p)


def test_non_utf8_bytes_name_the_line(write_csv):
    p = write_csv(b"a,b,label\n1,2,0\n3,\xff,1\n")
    assert err(p) == f"{p}: line 3: byte 0xff is not UTF-8 text"


def test_a_missing_file_and_a_long_token(write_csv, tmp_path):
    assert err(tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: no such file"
    p = write_csv("a,b,label\n" + ROWS + "1," + "9" * 30 + "z" * 30 + ",0\n")
    assert re.fullmatch(rf"{re.escape(str(p))}: line 10, column 'b': '9{{30}}z{{10}}'\.\.\. is not a number", err(p))
