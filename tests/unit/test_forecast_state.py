"""The forecast state folder: restart names, the restart chosen for a hot start, pruning,
and the lock against concurrent cycles."""

from __future__ import annotations

import json
import os
from datetime import datetime

import pytest

from twin.forecast.state import (
    RESTART_RE,
    LockedError,
    newest_restart,
    prune,
    restart_name,
    restarts,
    state_lock,
)

TIMES = [datetime(2026, 6, d, h) for d, h in ((18, 0), (19, 0), (19, 12), (20, 0))]


@pytest.fixture
def state(tmp_path):
    for t in TIMES:
        (tmp_path / restart_name(t)).write_bytes(b"restart")
    # not restarts: other files, a partial restart, a malformed name
    for name in ("notes.txt", ".restart_20260621T0000Z.123.part", "restart_2026.nc",
                 "restart_20260621T000000Z.nc.bak"):  # fmt: skip
        (tmp_path / name).write_text("x")
    return tmp_path


def test_restart_names_carry_their_time_to_the_second():
    t = datetime(2026, 11, 29, 6, 30, 15)
    assert restart_name(t) == "restart_20261129T063015Z.nc"
    assert RESTART_RE.match(restart_name(t)).group(1) == "20261129T063015"


def test_restarts_lists_only_restart_files_oldest_first(state, tmp_path):
    assert restarts(state) == [(t, state / restart_name(t)) for t in TIMES]
    assert restarts(tmp_path / "missing") == []


@pytest.mark.parametrize(
    "at, expected",
    [
        (datetime(2026, 6, 20, 0), datetime(2026, 6, 20, 0)),  # exactly at the hindcast start
        (datetime(2026, 6, 19, 23, 59), datetime(2026, 6, 19, 12)),  # just before a restart
        (datetime(2026, 6, 25), datetime(2026, 6, 20, 0)),  # nights missed: the newest
        (datetime(2026, 6, 18, 0), datetime(2026, 6, 18, 0)),
    ],
)
def test_newest_restart_at_or_before_the_hindcast_start(state, at, expected):
    assert newest_restart(state, at) == (expected, state / restart_name(expected))


def test_no_restart_early_enough_means_a_cold_start(state, tmp_path):
    assert newest_restart(state, datetime(2026, 6, 17, 23)) is None
    assert newest_restart(tmp_path / "empty", datetime(2026, 6, 20)) is None


@pytest.mark.parametrize("keep", [1, 2, 4, 10])
def test_prune_keeps_the_newest_restarts_and_nothing_else_goes(state, keep):
    others = sorted(p.name for p in state.iterdir() if not RESTART_RE.match(p.name))
    prune(state, keep)
    assert [t for t, _ in restarts(state)] == TIMES[-keep:]
    assert sorted(p.name for p in state.iterdir() if not RESTART_RE.match(p.name)) == others


def test_lock_stops_a_second_holder_naming_the_first(tmp_path):
    folder = tmp_path / "state"
    with state_lock(folder, "20260620T0000Z"):
        info = json.loads((folder / ".lock").read_text())
        assert info["pid"] == os.getpid() and info["cycle"] == "20260620T0000Z"
        # flock belongs to the open file, so a second open in this process conflicts too
        with pytest.raises(LockedError) as err, state_lock(folder, "other"):
            pytest.fail("the second lock was granted")
        msg = str(err.value)
        assert f"pid {os.getpid()}" in msg and "cycle 20260620T0000Z" in msg
        assert str(folder) in msg and "stops without touching it" in msg
    # released on leaving the block: the next cycle gets it
    with state_lock(folder, "20260621T0000Z"):
        assert json.loads((folder / ".lock").read_text())["cycle"] == "20260621T0000Z"


def test_lock_is_released_when_the_body_fails(tmp_path):
    with pytest.raises(RuntimeError), state_lock(tmp_path, "a"):
        raise RuntimeError("cycle failed")
    with state_lock(tmp_path, "b"):
        pass
