"""``twin forecast`` over consecutive cycles on synthetic forcing: cold then hot starts, the
products and their manifest, and a hot start equal bit for bit to an uninterrupted run."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import xarray as xr

from tests.forecast_cases import (
    HINDCAST_H,
    LEAD_H,
    SPINUP_DAYS,
    cycle_dir_name,
    cycles,
    make_setup,
    run_in_process,
    sha256,
)
from twin.forecast.summary import schema

C1, C2, C3 = cycles(3)


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """Three consecutive cycles published in one products folder; their command outputs."""
    setup = make_setup(tmp_path_factory.mktemp("chain"), 3)
    outputs = []
    for c in (C1, C2, C3):
        code, out, err = run_in_process(setup.args(c))
        assert code == 0, err
        outputs.append(out)
    return setup, outputs


def _product(setup, c, name):
    path = setup.products / cycle_dir_name(c) / name
    return json.loads(path.read_text("utf-8")) if name.endswith(".json") else path


def test_first_cycle_starts_cold_and_says_so_plainly(chain):
    setup, outputs = chain
    assert "cold start" in outputs[0] and "published" in outputs[0]
    s = _product(setup, C1, "summary.json")
    start = s["start"]
    assert start["kind"] == "cold" and start["restart"] is None
    assert start["spinup_hours"] == SPINUP_DAYS * 24.0
    assert start["note"].startswith("COLD START") and "spun up for 1 days" in start["note"]
    assert _product(setup, C1, "manifest.json")["start"] == {
        "kind": "cold", "restart": None, "restart_sha256": None
    }  # fmt: skip
    # the hindcast window of the product starts after the spin-up
    with xr.open_dataset(_product(setup, C1, "hindcast.nc")) as ds:
        assert ds.time.values[0] == np.datetime64(C1 - timedelta(hours=HINDCAST_H))
        assert ds.time.values[-1] == np.datetime64(C1)


@pytest.mark.parametrize("k", [1, 2])
def test_later_cycles_hot_start_from_the_previous_cycles_restart(chain, k):
    setup, outputs = chain
    c, prev = (C1, C2, C3)[k], (C1, C2, C3)[k - 1]
    restart = f"restart_{prev:%Y%m%dT%H%M%S}Z.nc"
    assert "hot start" in outputs[k]
    s = _product(setup, c, "summary.json")
    assert s["start"] == {
        "kind": "hot", "restart": restart, "restart_time": prev.isoformat() + "Z",
        "spinup_hours": 0.0, "note": f"hot start from {restart}",
    }  # fmt: skip
    m = _product(setup, c, "manifest.json")
    m_prev = _product(setup, prev, "manifest.json")
    assert m["start"]["kind"] == "hot" and m["start"]["restart"] == restart
    # the restart used is the one the previous cycle left, byte for byte
    assert m_prev["next_restart"] == restart
    assert m["start"]["restart_sha256"] == m_prev["next_restart_sha256"]
    assert m["start"]["restart_sha256"] == sha256(setup.state / restart)


def test_state_holds_every_cycles_restart_and_no_leftovers(chain):
    setup, _ = chain
    names = sorted(p.name for p in setup.state.iterdir())
    assert names == [".lock"] + [f"restart_{c:%Y%m%dT%H%M%S}Z.nc" for c in (C1, C2, C3)]
    assert not [p for p in setup.products.iterdir() if p.name.startswith((".staging", ".link"))]


def test_latest_points_at_the_newest_cycle(chain):
    setup, _ = chain
    latest = setup.products / "latest"
    assert (
        latest.is_symlink() and latest.resolve() == (setup.products / cycle_dir_name(C3)).resolve()
    )
    for c in (C1, C2, C3):
        link = setup.products / cycle_dir_name(c)
        assert link.is_symlink() and link.resolve().parent.name == ".cycles"
    assert json.loads((latest / "summary.json").read_text())["cycle"] == C3.isoformat() + "Z"


@pytest.mark.parametrize("k", [0, 1, 2])
def test_manifest_lists_every_file_with_its_checksum_and_inputs(chain, k):
    setup, _ = chain
    c = (C1, C2, C3)[k]
    folder = setup.products / cycle_dir_name(c)
    m = _product(setup, c, "manifest.json")
    on_disk = sorted(p.name for p in folder.iterdir())
    assert on_disk == ["forecast.nc", "hindcast.nc", "manifest.json", "summary.json"]
    assert sorted(m["files"]) == [n for n in on_disk if n != "manifest.json"]
    for name, entry in m["files"].items():
        assert entry["sha256"] == sha256(folder / name), name
        assert entry["bytes"] == (folder / name).stat().st_size
    import twin
    from twin.config.scenario import load_scenario
    from twin.run.runner import config_hash

    assert m["twin_version"] == twin.__version__
    assert m["config_sha256"] == config_hash(load_scenario(setup.config))
    assert m["cycle"] == c.isoformat() + "Z"
    obs, fc = setup.forcing.observed[c], setup.forcing.forecast[c]
    assert m["forcing"] == [
        {"role": "observed", "path": str(obs), "sha256": sha256(obs),
         "forecast_reference_time": c.isoformat() + "Z"},
        {"role": "forecast", "path": str(fc), "sha256": sha256(fc),
         "forecast_reference_time": c.isoformat() + "Z"},
    ]  # fmt: skip
    assert m["start"]["kind"] == ("cold" if k == 0 else "hot")
    assert m["next_restart_sha256"] == sha256(setup.state / m["next_restart"])


@pytest.mark.parametrize("k", [0, 1, 2])
def test_products_validate_against_the_shipped_schemas(chain, k):
    setup, _ = chain
    c = (C1, C2, C3)[k]
    checker = jsonschema.FormatChecker()
    for doc, name in (("summary.json", "forecast_summary"), ("manifest.json", "forecast_manifest")):
        sch = schema(name)
        jsonschema.Draft202012Validator.check_schema(sch)
        jsonschema.Draft202012Validator(sch, format_checker=checker).validate(
            _product(setup, c, doc)
        )


def test_summary_matches_the_forecast_file(chain):
    """Daily means and maxima in summary.json recomputed from forecast.nc with xarray
    (values at hour ends, the analysis instant left out), to 1e-12 relative."""
    setup, _ = chain
    s = _product(setup, C3, "summary.json")
    assert s["windows"] == {
        "hindcast_start": C2.isoformat() + "Z", "analysis": C3.isoformat() + "Z",
        "forecast_end": (C3 + timedelta(hours=LEAD_H)).isoformat() + "Z",
    }  # fmt: skip
    with xr.open_dataset(_product(setup, C3, "forecast.nc")) as ds:
        ds = ds.load()
    assert ds.time.values[0] == np.datetime64(C3)
    assert ds.time.values[-1] == np.datetime64(C3 + timedelta(hours=LEAD_H))
    hours = ds.isel(time=slice(1, None))
    day = (hours.time - np.timedelta64(1, "s")).dt.floor("D")
    for i, sec in enumerate(s["sections"]):
        assert sec["id"] == str(ds.section_id.values[i])
        for row in sec["days"]:
            sel = hours.isel(section=i).where(day == np.datetime64(row["date"]), drop=True)
            assert row["hours"] == sel.time.size == 24
            for var, key in (("section_tp", "tp"), ("section_nh3n", "nh3n"),
                             ("section_water_level", "water_level")):  # fmt: skip
                unit = "m" if key == "water_level" else "mg_l"
                np.testing.assert_allclose(
                    row[f"{key}_mean_{unit}"], float(sel[var].mean()), rtol=1e-12
                )
                np.testing.assert_allclose(
                    row[f"{key}_max_{unit}"], float(sel[var].max()), rtol=1e-12
                )
    # the river section is held near 1 m, above its 0.9 m warning level
    river = s["sections"][0]
    assert any(a["type"] == "level_above_warning" for a in river["alerts"])
    assert s["alert_count"] == sum(len(x["alerts"]) for x in s["sections"])


def _record(model, path):
    from twin.run.output import Recorder

    rec = Recorder(model, path, {})
    model.run_until(model.end, hooks=[rec])
    rec.close()


def _assert_identical(a: xr.Dataset, b: xr.Dataset, what: str):
    assert set(a.variables) == set(b.variables)
    for v in b.variables:
        x, y = a[v].values, b[v].values
        equal = np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
        assert equal, (
            f"{what}: {v} differs (max |diff| {np.nanmax(np.abs(x - y)) if x.dtype.kind == 'f' else '-'})"
        )


@pytest.mark.parametrize("k", [1, 2])
def test_hot_started_cycle_equals_a_continuous_run_bit_for_bit(chain, tmp_path, k):
    """Cycle k+1, hot-started from the restart of cycle k (itself hot-started for k = 2),
    equals one model run from cycle 1's cold start through cycle k+1's hindcast on the
    observed files of every cycle so far (one forcing window), then continued over cycle
    k+1's forecast window on its forecast file: every variable of hindcast.nc and
    forecast.nc exactly equal (np.array_equal, no tolerance), and the analysis restart too."""
    from twin.config.scenario import load_scenario
    from twin.forcing import prepare_forcing
    from twin.forecast.cycle import _window
    from twin.run.model import Model

    setup, _ = chain
    c = (C1, C2, C3)[k]
    cfg = load_scenario(setup.config)
    obs = [setup.forcing.observed[x] for x in (C1, C2, C3)[: k + 1]]
    start = C1 - timedelta(hours=HINDCAST_H + 24 * SPINUP_DAYS)
    cfg_h = _window(cfg, start, c, obs)
    model = Model(cfg_h, prepare_forcing(cfg_h))
    model.run_until(model.start + (c - start - timedelta(hours=HINDCAST_H)).total_seconds())
    _record(model, tmp_path / "hindcast.nc")
    model.save_restart(tmp_path / "analysis.nc")
    cfg_f = _window(cfg, c, c + timedelta(hours=LEAD_H), [setup.forcing.forecast[c]])
    _record(Model.from_restart(cfg_f, tmp_path / "analysis.nc"), tmp_path / "forecast.nc")
    for name in ("hindcast.nc", "forecast.nc"):
        with xr.open_dataset(tmp_path / name) as a, xr.open_dataset(_product(setup, c, name)) as b:
            assert a.time.size == b.time.size == HINDCAST_H + 1
            _assert_identical(a.load(), b.load(), name)
    # and the analysis restart is the one the cycle left in the state folder, array for array
    from twin.io.restart import load_restart

    ga, aa = load_restart(tmp_path / "analysis.nc")
    gb, ab = load_restart(setup.state / f"restart_{c:%Y%m%dT%H%M%S}Z.nc")
    assert aa["time_epoch_s"] == ab["time_epoch_s"]
    assert ga.keys() == gb.keys() and "forcing" in ga
    for g in ga:
        for v in ga[g]:
            assert np.array_equal(ga[g][v], gb[g][v]), f"restart {g}/{v}"


def test_hot_started_cycles_equal_one_uninterrupted_model_bit_for_bit(chain, tmp_path):
    """Stronger still: one model, never restarted, from cycle 1's cold start to the end of
    cycle 3's forecast, on the observed files of the three cycles and cycle 3's forecast
    file (a later file wins where files overlap, so forecast forcing drives the model from
    the cycle time on): cycle 3's hindcast.nc and forecast.nc are slices of its output,
    exactly (np.array_equal)."""
    from twin.config.scenario import load_scenario
    from twin.forecast.cycle import _window
    from twin.run.model import Model

    setup, _ = chain
    cfg = load_scenario(setup.config)
    files = [setup.forcing.observed[c] for c in (C1, C2, C3)] + [setup.forcing.forecast[C3]]
    start = C1 - timedelta(hours=HINDCAST_H + 24 * SPINUP_DAYS)
    model = Model(_window(cfg, start, C3 + timedelta(hours=LEAD_H), files))
    model.run_until(model.start + (C2 - start).total_seconds())
    _record(model, tmp_path / "uninterrupted.nc")
    with xr.open_dataset(tmp_path / "uninterrupted.nc") as full:
        full = full.load()
    for name, window in (("hindcast.nc", slice(C2, C3)), ("forecast.nc", slice(C3, None))):
        part = full.sel(time=window, map_time=window)
        with xr.open_dataset(_product(setup, C3, name)) as b:
            assert part.time.size == b.time.size == HINDCAST_H + 1
            _assert_identical(part, b.load(), name)


def test_forecast_file_is_cf_ugrid_with_sections(chain):
    """forecast.nc opens with xarray and with xugrid as a 1-D UGRID mesh, and carries the
    configured sections as CF time series."""
    import xugrid

    setup, _ = chain
    path = _product(setup, C3, "forecast.nc")
    with xr.open_dataset(path) as ds:
        assert "CF-1" in ds.attrs["Conventions"] and "UGRID-1.0" in ds.attrs["Conventions"]
        assert ds["mesh1d"].attrs["cf_role"] == "mesh_topology"
        assert ds["section_id"].attrs["cf_role"] == "timeseries_id"
        assert list(ds["section_id"].values) == ["s_river", "s_lake"]
        assert ds["section_tp"].attrs["units"] == "mg L-1"
        assert np.isfinite(ds["section_tp"].values).all() and (ds["section_tp"] > 0).all()
        n_nodes = ds.sizes["mesh1d_nNodes"]
    uds = xugrid.open_dataset(path)
    assert uds.ugrid.grid.topology_dimension == 1 and uds.ugrid.grid.n_node == n_nodes
    assert "water_level" in uds.data_vars


def test_a_missed_night_hot_starts_from_the_older_restart(tmp_path, chain, monkeypatch):
    """Cycle 2 never ran: cycle 3 hot-starts from cycle 1's restart, says why, runs its
    hindcast from there on its own observed file (which covers it), and equals the cycle 3
    of the unbroken chain bit for bit (the synthetic observations are the same truth).
    Cycle 1 runs with paths relative to the working folder; its manifest records them
    absolute."""
    setup = make_setup(tmp_path, 3)
    monkeypatch.chdir(tmp_path)
    rel = [str(Path(a).relative_to(tmp_path)) if a.startswith(str(tmp_path)) else a
           for a in setup.args(C1)]  # fmt: skip
    assert str(tmp_path) not in " ".join(rel)
    assert run_in_process(rel)[0] == 0
    forcing = _product(setup, C1, "manifest.json")["forcing"]
    assert all(Path(f["path"]).is_absolute() for f in forcing)
    assert [Path(f["path"]).resolve() for f in forcing] == [
        setup.forcing.observed[C1].resolve(),
        setup.forcing.forecast[C1].resolve(),
    ]
    code, out, err = run_in_process(setup.args(C3))
    assert "hot start" in out
    assert code == 0, err
    s = _product(setup, C3, "summary.json")
    restart = f"restart_{C1:%Y%m%dT%H%M%S}Z.nc"
    assert s["start"]["kind"] == "hot" and s["start"]["restart"] == restart
    assert "no newer restart was found" in s["start"]["note"]
    assert s["windows"]["hindcast_start"] == C2.isoformat() + "Z"
    full, _ = chain
    for name in ("hindcast.nc", "forecast.nc"):
        with (
            xr.open_dataset(_product(setup, C3, name)) as a,
            xr.open_dataset(_product(full, C3, name)) as b,
        ):
            _assert_identical(a.load(), b.load(), name)
