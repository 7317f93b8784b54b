"""``twin forecast`` when things go wrong: missing, late or inconsistent forcing, a re-run
of a published cycle, a cycle killed mid-run, two cycles at once on one state folder."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from datetime import timedelta

import numpy as np
import pytest
import xarray as xr

from tests.forecast_cases import (
    HINDCAST_H,
    SEED,
    Setup,
    cycle_dir_name,
    cycles,
    forecast_files,
    make_setup,
    run_cli,
    run_in_process,
    sha256,
    snapshot,
    start_cli,
)

C1, C2, C3, C4 = cycles(4)


@pytest.fixture(scope="module")
def two_published(tmp_path_factory):
    """Cycles 1 (cold) and 2 (hot) published; forcing for cycles 3 and 4 ready."""
    setup = make_setup(tmp_path_factory.mktemp("failures"), 4)
    for c in (C1, C2):
        code, _, err = run_in_process(setup.args(c))
        assert code == 0, err
    return setup


def _rewrite(src, dst, change):
    with xr.open_dataset(src) as ds:
        change(ds.load()).to_netcdf(dst)
    return dst


def _bad_forcing(setup, case):
    """(observed, forecast) file lists of cycle 3 spoilt as ``case`` says."""
    d = setup.root / "bad"
    d.mkdir(exist_ok=True)
    obs, fc = setup.forcing.observed[C3], setup.forcing.forecast[C3]
    if case == "observed missing":
        return [d / "hindcast_missing.nc"], [fc]
    if case == "forecast missing":
        return [obs], [d / "forecast_missing.nc"]
    if case == "forecast issued before the cycle":
        return [obs], [setup.forcing.forecast[C2]]
    if case == "forecast issued after the cycle":
        return [obs], [setup.forcing.forecast[C4]]
    if case == "forecast without reference time":
        return [obs], [_rewrite(fc, d / "noref.nc", lambda ds: ds.drop_vars("forecast_reference_time"))]  # fmt: skip
    if case == "grids differ":
        return [obs], [_rewrite(fc, d / "shifted.nc", lambda ds: ds.assign_coords(lon=ds.lon + 0.05))]  # fmt: skip
    if case == "observed does not cover the hindcast":
        late = np.datetime64(C3 - timedelta(hours=12))
        return [_rewrite(obs, d / "short_obs.nc", lambda ds: ds.sel(time=slice(late, None)))], [fc]
    if case == "forecast does not cover the lead":
        early = np.datetime64(C3 + timedelta(hours=12))
        return [obs], [_rewrite(fc, d / "short_fc.nc", lambda ds: ds.sel(time=slice(None, early)))]
    if case == "not a netcdf file":
        (d / "garbage.nc").write_text("not netcdf")
        return [obs], [d / "garbage.nc"]
    raise ValueError(case)


BAD_FORCING = {
    "observed missing": ["observed forcing file", "hindcast_missing.nc", "not found"],
    "forecast missing": ["forecast forcing file", "forecast_missing.nc", "not found"],
    "forecast issued before the cycle": ["late", "before the cycle"],
    "forecast issued after the cycle": ["after the cycle", "inconsistent"],
    "forecast without reference time": ["no forecast_reference_time"],
    "grids differ": ["shifted.nc", "different grid"],
    "observed does not cover the hindcast": [
        "observed forcing does not cover the hindcast window from the restart at "
        "2026-06-21T00:00:00Z",
        "short_obs.nc",
        "2026-06-21T12:00:00",
    ],
    "forecast does not cover the lead": [
        "forecast forcing does not cover the forecast window",
        "short_fc.nc",
        "2026-06-22T00:00:00 to 2026-06-23T00:00:00",
    ],
    "not a netcdf file": ["garbage.nc", "cannot be read"],
}


def _no_model(monkeypatch):
    """Building a model fails the test: forcing errors must be caught before anything runs."""
    import twin.forecast.cycle as cycle

    class NoModel:
        def __init__(self, *a, **k):
            raise AssertionError("a model was built before the forcing was checked")

        from_restart = __init__

    monkeypatch.setattr(cycle, "Model", NoModel)


@pytest.mark.parametrize("case", list(BAD_FORCING))
def test_bad_forcing_is_a_clear_error_and_publishes_nothing(two_published, case, monkeypatch):
    setup = two_published
    obs, fc = _bad_forcing(setup, case)
    products, state = snapshot(setup.products), snapshot(setup.state, skip=(".lock",))
    _no_model(monkeypatch)
    code, out, err = run_in_process(setup.args(C3, observed=obs, forecast=fc))
    assert code == 2, (out, err)
    assert err.startswith("twin: ") and "Traceback" not in err
    for words in BAD_FORCING[case]:
        assert words in err, err
    assert snapshot(setup.products) == products
    assert snapshot(setup.state, skip=(".lock",)) == state
    assert os.readlink(setup.products / "latest") == cycle_dir_name(C2)


@pytest.mark.parametrize(
    "lead, words",
    [("0", "give a length in (0, 384] h"), ("-5", "give a length in (0, 384] h"),
     ("1.5", "must end on an output time"), ("0.5", "must end on an output time")],
)  # fmt: skip
def test_a_forecast_length_that_cannot_work_is_a_user_error(
    two_published, monkeypatch, lead, words
):
    setup = two_published
    products, state = snapshot(setup.products), snapshot(setup.state, skip=(".lock",))
    _no_model(monkeypatch)
    code, _, err = run_in_process(setup.args(C3, "--lead-hours", lead))
    assert code == 2 and f"forecast lead {float(lead):g} h" in err and words in err, err
    assert snapshot(setup.products) == products
    assert snapshot(setup.state, skip=(".lock",)) == state


def test_cold_start_needs_observed_forcing_over_its_spin_up(two_published, tmp_path, monkeypatch):
    """With an empty state the hindcast starts cold a day earlier: observed forcing over the
    hindcast window alone is not enough, and the message says why."""
    setup = Setup(tmp_path, two_published.config, two_published.forcing)
    hind = np.datetime64(C3 - timedelta(hours=HINDCAST_H))
    obs = _rewrite(
        setup.forcing.observed[C3], tmp_path / "hindcast_only.nc",
        lambda ds: ds.sel(time=slice(hind, None)),
    )  # fmt: skip
    _no_model(monkeypatch)
    code, _, err = run_in_process(setup.args(C3, observed=[obs]))
    assert code == 2
    assert "does not cover the hindcast window with the cold start's 1-day spin-up" in err
    assert "2026-06-20T00:00:00 to 2026-06-22T00:00:00" in err  # spin-up start to cycle
    assert not setup.products.exists() or not any(setup.products.iterdir())
    assert [p.name for p in setup.state.iterdir()] == [".lock"]


@pytest.mark.slow  # 8-15 s
def test_rerun_of_a_published_cycle_does_nothing_unless_forced(tmp_path):
    setup = make_setup(tmp_path, 3)
    for c in (C1, C2, C3):
        assert run_in_process(setup.args(c))[0] == 0
    products, state = snapshot(setup.products), snapshot(setup.state, skip=(".lock",))
    code, out, _ = run_in_process(setup.args(C2))
    assert code == 0 and "already published" in out and "--force" in out
    assert snapshot(setup.products) == products
    assert snapshot(setup.state, skip=(".lock",)) == state

    # --force on an older cycle: a new data folder behind the cycle's link; latest stays on
    # the newest cycle; a reader inside the replaced folder can still read it
    old_c2 = (setup.products / cycle_dir_name(C2)).resolve()
    old_summary = (old_c2 / "summary.json").read_text()
    code, out, err = run_in_process(setup.args(C2, "--force"))
    assert code == 0, err
    assert "published" in out and "hot start" in out
    new_c2 = (setup.products / cycle_dir_name(C2)).resolve()
    assert new_c2 != old_c2 and new_c2.parent == old_c2.parent
    assert os.readlink(setup.products / "latest") == cycle_dir_name(C3)
    assert (old_c2 / "summary.json").read_text() == old_summary
    # the same inputs give the same products and the same restart
    assert (new_c2 / "summary.json").read_text() == old_summary
    m = json.loads((new_c2 / "manifest.json").read_text())
    assert m["start"]["restart"] == f"restart_{C1:%Y%m%dT%H%M%S}Z.nc"
    for name, entry in m["files"].items():
        assert entry["sha256"] == sha256(new_c2 / name)
    assert snapshot(setup.state, skip=(".lock",)) == state

    # --force on the newest cycle: latest resolves to its new folder; the replaced cycle-2
    # folder goes now, the cycle-3 folder just replaced stays for its readers
    old_c3 = (setup.products / "latest").resolve()
    assert run_in_process(setup.args(C3, "--force"))[0] == 0
    latest = (setup.products / "latest").resolve()
    assert latest != old_c3 and latest == (setup.products / cycle_dir_name(C3)).resolve()
    assert json.loads((latest / "summary.json").read_text())["cycle"] == C3.isoformat() + "Z"
    assert not old_c2.exists() and old_c3.exists()
    linked = {(setup.products / cycle_dir_name(c)).resolve().name for c in (C1, C2, C3)}
    assert {p.name for p in (setup.products / ".cycles").iterdir()} == linked | {old_c3.name}


def _wait_for(proc, condition, what: str, timeout_s: float = 90.0) -> None:
    """Poll every 5 ms until ``condition()`` holds; fail if ``proc`` ends first."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"twin forecast ended (exit {proc.returncode}) before {what}: {err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"no {what} within {timeout_s} s")
        time.sleep(0.005)


def _staging(products):
    return [p for p in products.glob(".staging-*")] if products.exists() else []


def _check_published(setup, c):
    """The products of cycle ``c`` are complete and readable: every file's checksum matches
    its manifest, forecast.nc opens and loads, summary.json parses and names the cycle."""
    folder = setup.products / cycle_dir_name(c)
    m = json.loads((folder / "manifest.json").read_text())
    for name, entry in m["files"].items():
        assert entry["sha256"] == sha256(folder / name), name
    with xr.open_dataset(folder / "forecast.nc") as ds:
        assert np.isfinite(ds.section_tp.load().values).all()
    assert json.loads((folder / "summary.json").read_text())["cycle"] == c.isoformat() + "Z"
    return m


LONG_LEAD_H = 240
BUSY_LEAD_H = 360


@pytest.mark.slow  # 11-13 s each
@pytest.mark.parametrize("when", ["hindcast", "forecast"])
def test_cycle_killed_mid_run_leaves_the_previous_products_and_state(tmp_path, when):
    """SIGKILL while the hindcast or the forecast is being written (a long lead keeps the
    run going): latest stays on the previous cycle, its files intact, the restarts intact,
    no stale lock; the killed cycle then runs again and the next one hot-starts from it."""
    setup = make_setup(tmp_path, 4)
    for c in (C1, C2):
        assert run_in_process(setup.args(c))[0] == 0
    _, long_fc = forecast_files(C3, tmp_path / "long", LONG_LEAD_H, HINDCAST_H, SEED)
    restarts = snapshot(setup.state, skip=(".lock",))
    products = snapshot(setup.products)

    proc = start_cli(setup.args(C3, "--lead-hours", str(LONG_LEAD_H), forecast=[long_fc]), tmp_path)
    if when == "hindcast":
        _wait_for(proc, lambda: _staging(setup.products), "a staging folder")
    else:
        _wait_for(
            proc,
            lambda: any(s.glob(".forecast.nc.*") for s in _staging(setup.products)),
            "a forecast file being written",
        )
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # killed before publishing: its staging folder is left, nothing else moved
    assert _staging(setup.products)
    assert os.readlink(setup.products / "latest") == cycle_dir_name(C2)
    assert {k: v for k, v in snapshot(setup.products).items() if ".staging-" not in k} == products
    _check_published(setup, C2)
    left = snapshot(setup.state, skip=(".lock",))
    assert {k: v for k, v in left.items() if not k.startswith(".")} == restarts

    # no stale lock: the killed cycle runs again, then the next one
    code, out, err = run_in_process(setup.args(C3))
    assert code == 0, err
    assert "hot start" in out
    m3 = _check_published(setup, C3)
    assert m3["start"]["restart"] == f"restart_{C2:%Y%m%dT%H%M%S}Z.nc"
    assert not _staging(setup.products)
    assert not [p for p in setup.state.iterdir() if p.name.endswith(".part")]
    assert run_in_process(setup.args(C4))[0] == 0
    m4 = _check_published(setup, C4)
    assert m4["start"]["restart_sha256"] == m3["next_restart_sha256"]
    assert os.readlink(setup.products / "latest") == cycle_dir_name(C4)
    # [forecast] keep_restarts = 3: the oldest went
    assert sorted(p.name for p in setup.state.iterdir() if not p.name.startswith(".")) == [
        f"restart_{c:%Y%m%dT%H%M%S}Z.nc" for c in (C2, C3, C4)
    ]


@pytest.mark.slow  # 28 s
def test_two_cycles_on_one_state_folder_the_second_stops_at_once(tmp_path):
    """The first invocation runs a 15-day forecast with a 60 s step (it holds the lock
    about three times as long as the second needs to start); the second, started once
    the first holds the lock, exits with status 2 naming the holder while the first is still
    running; the first then publishes, and the state holds exactly the two cycles' restarts."""
    setup = make_setup(tmp_path, 2, dt_s=60.0)
    assert run_in_process(setup.args(C1))[0] == 0
    restart_c1 = sha256(setup.state / f"restart_{C1:%Y%m%dT%H%M%S}Z.nc")
    _, long_fc = forecast_files(C2, tmp_path / "long", BUSY_LEAD_H, HINDCAST_H, SEED)
    first = start_cli(
        setup.args(C2, "--lead-hours", str(BUSY_LEAD_H), forecast=[long_fc]), tmp_path
    )

    def holds_lock():
        with contextlib.suppress(OSError, ValueError):
            return json.loads((setup.state / ".lock").read_text())["pid"] == first.pid
        return False

    _wait_for(first, holds_lock, "the lock held by the first invocation")
    second = run_cli(setup.args(C2), tmp_path)
    first_running = first.poll() is None
    out, err = first.communicate(timeout=300)
    assert first_running, "the first invocation ended before the second: make it slower"
    assert second.returncode == 2
    assert "another forecast cycle is running on the state folder" in second.stderr
    assert f"pid {first.pid}" in second.stderr and cycle_dir_name(C2) in second.stderr
    assert "Traceback" not in second.stderr and second.stdout == ""
    assert first.returncode == 0, err
    assert "published" in out
    m = _check_published(setup, C2)
    assert m["start"]["restart_sha256"] == restart_c1
    assert sorted(p.name for p in setup.state.iterdir()) == [
        ".lock", f"restart_{C1:%Y%m%dT%H%M%S}Z.nc", f"restart_{C2:%Y%m%dT%H%M%S}Z.nc"
    ]  # fmt: skip
    assert sha256(setup.state / f"restart_{C1:%Y%m%dT%H%M%S}Z.nc") == restart_c1
    assert os.readlink(setup.products / "latest") == cycle_dir_name(C2)
    assert not _staging(setup.products)


def test_cycle_dying_just_before_publication_is_completed_by_its_rerun(tmp_path, monkeypatch):
    """The restart enters the state just before the products are published: dying in
    between leaves a good restart and the previous products; the re-run publishes."""
    import twin.forecast.cycle as cycle

    setup = make_setup(tmp_path, 3)
    for c in (C1, C2):
        assert run_in_process(setup.args(c))[0] == 0

    def killed(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(cycle, "publish", killed)
    code, _, err = run_in_process(setup.args(C3))
    assert code == 130 and "interrupted" in err
    assert (setup.state / f"restart_{C3:%Y%m%dT%H%M%S}Z.nc").exists()
    assert os.readlink(setup.products / "latest") == cycle_dir_name(C2)
    _check_published(setup, C2)
    monkeypatch.undo()
    code, out, err = run_in_process(setup.args(C3))
    assert code == 0 and "hot start" in out, err
    m3 = _check_published(setup, C3)
    assert m3["start"]["restart"] == f"restart_{C2:%Y%m%dT%H%M%S}Z.nc"
    assert m3["next_restart_sha256"] == sha256(setup.state / m3["next_restart"])
    assert os.readlink(setup.products / "latest") == cycle_dir_name(C3)


def test_cycle_dying_before_latest_moves_is_repaired_by_its_rerun(tmp_path, monkeypatch):
    """Dying after the cycle's own link moved but before latest did: the re-run (without
    --force) finds the cycle published and moves latest to it."""
    import twin.forecast.publish as pub

    setup = make_setup(tmp_path, 2)
    assert run_in_process(setup.args(C1))[0] == 0
    real = pub._swap_link

    def dying(products, name, target):
        if name == "latest":
            raise KeyboardInterrupt
        real(products, name, target)

    monkeypatch.setattr(pub, "_swap_link", dying)
    assert run_in_process(setup.args(C2))[0] == 130
    monkeypatch.undo()
    assert os.readlink(setup.products / "latest") == cycle_dir_name(C1)
    code, out, _ = run_in_process(setup.args(C2))
    assert code == 0 and "already published" in out
    assert os.readlink(setup.products / "latest") == cycle_dir_name(C2)
    _check_published(setup, C2)
    assert (setup.state / f"restart_{C2:%Y%m%dT%H%M%S}Z.nc").exists()
