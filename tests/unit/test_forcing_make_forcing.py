"""The synthetic Kunshan forcing: the shipped file is what the seeded script makes, its
climatology is the documented one, it is CF-compliant, and forecast mode writes hindcast and
forecast files that the reader joins into one series."""

import importlib.util
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from shapely.geometry import Polygon

from twin.forcing.gridded import read_gridded

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "forcing_data" / "kunshan_2024.nc"


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_forcing", ROOT / "forcing_data" / "make_forcing.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def shipped():
    with xr.open_dataset(SHIPPED) as ds:
        yield ds.load()


def test_shipped_file_is_reproduced_by_the_seeded_script(tmp_path, shipped):
    mf = _script()
    out = tmp_path / "again.nc"
    assert mf.main(["--out", str(out)]) == 0
    with xr.open_dataset(out) as again:
        xr.testing.assert_identical(again.load(), shipped)


def test_climatology(shipped):
    rain = shipped.prec.mean(("lat", "lon")) * 3600.0  # mm per hour
    monthly = rain.resample(time="MS").sum().values
    assert 1100 <= monthly.sum() <= 1200
    assert np.argmax(monthly) == 5  # June: plum rain
    plum = float(rain.sel(time=slice("2024-06-15", "2024-07-08")).sum())
    assert plum > 150
    t = shipped.temp.mean(("lat", "lon")) - 273.15
    tm = t.resample(time="MS").mean().values
    assert 2.0 < tm[0] < 6.0 and 27.0 < tm[6] < 30.5
    assert 15.5 < float(t.mean()) < 17.5
    # a diurnal cycle: afternoons warmer than nights (local time = UTC + 8)
    hour = (shipped.time.dt.hour + 8) % 24
    assert float(t.where(hour == 14).mean() - t.where(hour == 5).mean()) > 4.0
    # spatially correlated storms: neighbouring cells share most of their rain
    p = shipped.prec.values
    a, b = p[:, 4, 4].ravel(), p[:, 4, 5].ravel()
    assert np.corrcoef(a, b)[0, 1] > 0.7
    assert np.corrcoef(p[:, 0, 0], p[:, 8, 9])[0, 1] < np.corrcoef(a, b)[0, 1]


def test_cf_metadata(shipped):
    assert shipped.attrs["Conventions"].startswith("CF-")
    assert shipped.prec.attrs["standard_name"] == "precipitation_flux"
    assert shipped.prec.attrs["units"] == "kg m-2 s-1"
    assert (
        shipped.temp.attrs["standard_name"] == "air_temperature"
        and shipped.temp.attrs["units"] == "K"
    )
    assert (
        shipped.lon.attrs["bounds"] == "lon_bnds" and shipped.lat.attrs["units"] == "degrees_north"
    )
    assert shipped.time.size == 8784 and float(shipped.prec.min()) >= 0
    assert SHIPPED.stat().st_size < 5e6


def test_forecast_mode_files_join_into_one_series(tmp_path):
    mf = _script()
    assert mf.main(["--forecast", "--cycle", "2026-11-29T00", "--out-dir", str(tmp_path)]) == 0
    hind, fc = tmp_path / "hindcast_20261129T00.nc", tmp_path / "forecast_20261129T00.nc"
    with xr.open_dataset(fc) as f, xr.open_dataset(hind) as h:
        assert f.time.size == 73 and h.time.size == 25
        assert f.forecast_reference_time.values == np.datetime64("2026-11-29T00")
        assert f.forecast_reference_time.attrs["standard_name"] == "forecast_reference_time"
        assert np.all(np.diff(f.time.values) == np.timedelta64(1, "h"))
    epoch = datetime(1970, 1, 1)
    s = (datetime(2026, 11, 28, 1) - epoch).total_seconds()
    e = (datetime(2026, 12, 1, 23) - epoch).total_seconds()
    poly = {"c": Polygon([(120.9, 31.2), (121.0, 31.2), (121.0, 31.3), (120.9, 31.3)])}
    g = read_gridded([fc, hind], {}, poly, {}, s, e, None)  # hindcast listed last wins
    assert np.all(np.diff(g.times_s) == 3600.0)
    assert g.potential_evaporation_m_s is None and g.shortwave_w_m2 is not None
