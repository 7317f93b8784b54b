"""Atomic writes: a failure never leaves a partial file under the final name."""

import os

import pytest

from twin.io.atomic import atomic_path, atomic_write_text, safe_name


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "out.json"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["out.json"]


def test_failure_keeps_previous_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    atomic_write_text(target, "good")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash while writing")
    assert target.read_text() == "good"
    assert os.listdir(tmp_path) == ["out.txt"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("baseline", "baseline"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("a b/c", "a_b_c"),
        ("淀山湖 2027", "淀山湖_2027"),
        ("", "unnamed"),
        ("..", "unnamed"),
    ],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected
    assert "/" not in safe_name(name)
