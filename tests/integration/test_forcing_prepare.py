"""prepare_forcing on whole configs: with the shipped Kunshan forcing year and with no gridded
forcing at all."""

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from tests.cases.forcing import square, write_geojson, write_model
from twin.config.loader import load_config
from twin.forcing import prepare_forcing
from twin.vocab.sources import SOURCE_GROUPS

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "forcing_data" / "kunshan_2024.nc"


def test_without_gridded_forcing_point_sources_are_still_prepared(tmp_path):
    src = [dict(kind="wwtp", id="w", node="n2", capacity_m3d=20000.0, inflow_m3d=15000.0, effluent="gb18918_1a"),
           dict(kind="enterprise", id="e", node="n1", flow_m3d=500.0, concentrations={"tp": 3.0})]  # fmt: skip
    p = write_model(
        tmp_path, start="2024-05-01T00:30:00", end="2024-05-03T00:00:00", sources=src, lake=True
    )
    pf = prepare_forcing(load_config(p))
    assert pf.step_s == 3600.0 and np.all(np.diff(pf.times_s) == 3600.0)
    t0 = (
        (np.datetime64("2024-05-01T00:30") - np.datetime64("1970-01-01T00:00"))
        .astype("timedelta64[s]")
        .astype(float)
    )
    assert pf.times_s[0] <= t0 < pf.times_s[1]
    np.testing.assert_allclose(pf.water_temperature_c, 20.0)
    ids = {f.id: f for f in pf.inflows}
    assert set(ids) == {"w", "e", "lake.atmosphere"}
    # deposition on the lake is a pure mass load: no water
    lake = ids["lake.atmosphere"]
    assert np.all(lake.discharge_m3s == 0) and lake.load_g_s["nh3n"].min() > 0
    assert all(f.group in SOURCE_GROUPS for f in pf.inflows)
    assert any("no gridded forcing" in n for n in pf.notes)


@pytest.fixture(scope="module")
def june(tmp_path_factory):
    d = tmp_path_factory.mktemp("june")
    rings = {f"c{i}": square(120.82 + 0.07 * i, 31.15 + 0.05 * i, 0.07, 0.08) for i in range(4)}
    write_geojson(d / "catchments.geojson", rings)
    cats = [dict(id=c, geojson="catchments.geojson", outlet_reach="r1",
                 land_use={"water": 0.12, "paddy": 0.25, "dry_land": 0.08, "built_up": 0.45, "green": 0.10},
                 population=40000.0, sewer_connection_fraction=0.85, sewer_leak_fraction=0.15,
                 wwtp="w", polder_pump_capacity_m3s=3.0 if i % 2 else 0.0)
            for i, c in enumerate(rings)]  # fmt: skip
    src = [
        dict(
            kind="wwtp",
            id="w",
            node="n2",
            capacity_m3d=60000.0,
            inflow_m3d=20000.0,
            effluent="suzhou_special",
        )
    ]
    p = write_model(d, start="2024-06-01T00:00:00", end="2024-07-01T00:00:00", catchments=cats, sources=src,
                    forcing={"files": [str(SHIPPED)]}, lake=True)  # fmt: skip
    cfg = load_config(p)
    return cfg, prepare_forcing(cfg)


def test_shipped_forcing_gives_runoff_loads_and_lake_terms(june):
    cfg, pf = june
    assert pf.times_s.size == 30 * 24 + 1 and pf.step_s == 3600.0
    assert (cfg.model_path.parent / ".twin-cache").is_dir()
    r = pf.report
    # catchment rain equals the area-weighted mean read independently with xarray (to 1e-6)
    ds = xr.open_dataset(SHIPPED)
    june_mm = float(ds.prec.sel(time=slice("2024-06-01", "2024-06-30")).mean() * 3600 * 24 * 30)
    rain_mm = r.precipitation.isel(time=slice(0, -1)).sum("time").values
    assert np.all(np.abs(rain_mm / june_mm - 1) < 0.5)  # local storms vary around the domain mean
    # water balance of every catchment over the month, to round-off
    area = r.catchment_area.values
    rain_v = r.precipitation.sum("time").values / 3.6e6 * 3600 * area
    s0 = r.catchment_initial_storage.values
    lhs = (r.catchment_evaporation + r.catchment_runoff + r.catchment_withdrawal).sum(
        "time"
    ).values * 3600
    np.testing.assert_allclose(
        lhs + r.catchment_storage.isel(time=-1).values - s0, rain_v, rtol=1e-10
    )
    ids = [f.id for f in pf.inflows]
    for c in ("c0", "c1", "c2", "c3"):
        assert f"{c}.runoff" in ids and f"{c}.untreated_sewage" in ids
        f = pf.inflow(f"{c}.runoff")
        assert f.reach == "r1" and f.chainage_m is None and f.chainage_to_m is None
    assert pf.inflow("c1.runoff").discharge_m3s.max() <= 3.0 + 1e-9  # polder pumps cap
    ev = pf.inflow("lake.evaporation")
    assert ev.evaporation and ev.discharge_m3s.max() <= 0 and ev.discharge_m3s.min() < 0
    rain_lake = pf.inflow("lake.atmosphere")
    assert rain_lake.discharge_m3s.max() > 0
    # temperatures of a Kunshan June
    assert 18 < pf.air_temperature_c.mean() < 30
    assert 18 < pf.water_temperature_c.mean() < 32
    assert set(r.group.values) <= set(SOURCE_GROUPS)
    assert float(r.load_tp.sel(inflow="w").mean()) > 0
    # the report is a plain CF dataset that can be written and read back
    r.to_netcdf(cfg.model_path.parent / "report.nc")
    with xr.open_dataset(cfg.model_path.parent / "report.nc") as back:
        np.testing.assert_allclose(back.discharge.values, r.discharge.values)


def test_second_preparation_reads_the_weight_cache(june, monkeypatch):
    from twin.forcing import weights

    cfg, pf = june

    def fail(*a, **k):
        raise AssertionError("recomputed")

    monkeypatch.setattr(weights, "compute_weights", fail)
    pf2 = prepare_forcing(cfg)
    np.testing.assert_array_equal(
        pf2.inflow("c2.runoff").discharge_m3s, pf.inflow("c2.runoff").discharge_m3s
    )


@pytest.mark.parametrize("method", ["hargreaves", "makkink"])
def test_potential_evaporation_methods_give_taihu_like_totals(tmp_path, method):
    write_geojson(tmp_path / "c.geojson", {"c": square(120.9, 31.2, 0.1, 0.1)})
    cats = [dict(id="c", geojson="c.geojson", outlet_node="n1", land_use={"paddy": 1.0})]
    p = write_model(tmp_path, start="2024-01-01T00:00:00", end="2024-12-31T00:00:00", catchments=cats,
                    forcing={"files": [str(SHIPPED)], "potential_evaporation": method})  # fmt: skip
    pf = prepare_forcing(load_config(p))
    annual_mm = float(pf.report.potential_evaporation.sum()) * pf.step_s / 3600
    # reference evaporation on the Taihu plain is about 800-1,000 mm a year
    assert 750 < annual_mm < 1100


def test_file_evaporation_required_but_absent(tmp_path):
    write_geojson(tmp_path / "c.geojson", {"c": square(120.9, 31.2, 0.1, 0.1)})
    cats = [dict(id="c", geojson="c.geojson", outlet_node="n1", land_use={"paddy": 1.0})]
    p = write_model(tmp_path, start="2024-01-01T00:00:00", end="2024-01-03T00:00:00", catchments=cats,
                    forcing={"files": [str(SHIPPED)], "potential_evaporation": "file"})  # fmt: skip
    from twin.errors import UserError

    with pytest.raises(UserError, match="no potential evaporation variable"):
        prepare_forcing(load_config(p))


def test_gridded_forcing_without_catchments_gives_domain_temperatures(tmp_path):
    p = write_model(tmp_path, start="2024-07-01T00:00:00", end="2024-07-08T00:00:00",
                    forcing={"files": [str(SHIPPED)], "water_temperature_lag_days": 2.0})  # fmt: skip
    pf = prepare_forcing(load_config(p))
    with xr.open_dataset(SHIPPED) as ds:
        dom = (ds.temp.sel(time=slice("2024-07-01T00", "2024-07-08T00")) - 273.15).values
    # equal cells at 0.1 degree differ in area by the cosine of latitude: weights matter little
    np.testing.assert_allclose(pf.air_temperature_c, dom.mean(axis=(1, 2)), atol=0.02)
    assert pf.inflows == []
    assert np.all(np.abs(pf.water_temperature_c - pf.air_temperature_c) < 8.0)
    assert 25 < pf.water_temperature_c.mean() < 32
