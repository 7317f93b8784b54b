"""The gridded forcing reader: conventions of three products, calendars, several files, and
bad forcing stopped with an error naming file, variable and time or place."""

from datetime import datetime

import numpy as np
import pytest
import xarray as xr
from shapely.geometry import Polygon

from tests.cases.forcing import grid_dataset, write_nc
from twin.errors import UserError
from twin.forcing.gridded import iso, read_gridded

LON = np.round(120.55 + 0.1 * np.arange(10), 6)
LAT = np.round(30.95 + 0.1 * np.arange(9), 6)
START = np.datetime64("2024-02-26T00", "h")
NT = 24 * 6  # to 2024-03-03: crosses 29 February


def epoch(s: str) -> float:
    return (datetime.fromisoformat(s) - datetime(1970, 1, 1)).total_seconds()


def field(nt=NT, seed=1):
    rng = np.random.default_rng(seed)
    p = rng.gamma(0.3, 2.0, (nt, LAT.size, LON.size)) * (rng.random((nt, 1, 1)) < 0.4)
    t = (
        8
        + 4 * np.sin(np.arange(nt) / 24 * 2 * np.pi)[:, None, None]
        + rng.normal(0, 0.3, (nt, LAT.size, LON.size))
    )
    return p, t


POLYS = {
    "a": Polygon([(120.71, 31.03), (121.18, 31.12), (121.1, 31.52), (120.77, 31.47)]),
    "b": Polygon([(121.0, 31.3), (121.1, 31.3), (121.1, 31.4), (121.0, 31.4)]),
}


def read(files, start="2024-02-26T06:00:00", end="2024-03-02T18:00:00", polys=POLYS, **kw):
    return read_gridded(files, {}, polys, {}, epoch(start), epoch(end), None, **kw)


def times(nt=NT):
    return START + np.arange(nt).astype("timedelta64[h]")


def test_one_field_three_ways_gives_the_same_catchment_rain(tmp_path):
    p, t = field()
    out = {}
    for style in ("cf", "cmfd", "era5"):
        f = write_nc(grid_dataset(times(), LON, LAT, p, t, style=style), tmp_path / f"{style}.nc")
        out[style] = read([f])
    ref = out["cf"]
    # exact expectation: area-weighted mean of the cells (weights from the reader)
    avg = ref.weights.averaging()
    k0 = int((ref.times_s[0] - epoch("2024-02-26T00:00:00")) / 3600)
    expected = (avg @ p.reshape(NT, -1).T)[:, k0 : k0 + ref.times_s.size] * 1e-3 / 3600
    np.testing.assert_allclose(ref.precipitation_m_s, expected, rtol=1e-6, atol=1e-15)
    for style in ("cmfd", "era5"):
        g = out[style]
        np.testing.assert_array_equal(g.times_s, ref.times_s)
        # acceptance: the same catchment rainfall to 1e-6 (relative, in mm/h)
        np.testing.assert_allclose(
            g.precipitation_m_s * 3.6e6, ref.precipitation_m_s * 3.6e6, rtol=1e-6, atol=1e-9
        )
        np.testing.assert_allclose(g.air_temperature_c, ref.air_temperature_c, atol=1e-6)
    assert out["era5"].variables["precipitation"] == "tp"
    assert ref.times_s[0] <= epoch("2024-02-26T06:00:00")
    assert ref.times_s[-1] >= epoch("2024-03-02T18:00:00")
    assert np.all(np.diff(ref.times_s) == 3600.0)


def test_several_files_are_one_series_and_the_later_file_wins(tmp_path):
    p, t = field()
    one = write_nc(grid_dataset(times(), LON, LAT, p, t), tmp_path / "all.nc")
    a = write_nc(grid_dataset(times()[:80], LON, LAT, p[:80], t[:80]), tmp_path / "a.nc")
    b = write_nc(grid_dataset(times()[80:], LON, LAT, p[80:], t[80:]), tmp_path / "b.nc")
    ref = read([one])
    two = read([tmp_path / "?.nc"])  # a glob, sorted: a.nc then b.nc
    np.testing.assert_array_equal(two.precipitation_m_s, ref.precipitation_m_s)
    # an overlapping later file replaces the earlier values
    p2 = p.copy()
    p2[60:90] *= 2.0
    c = write_nc(grid_dataset(times()[60:90], LON, LAT, p2[60:90], t[60:90]), tmp_path / "c.nc")
    three = read([a, b, c])
    k = (three.times_s - epoch("2024-02-26T00:00:00")) / 3600
    inside = (k >= 60) & (k < 90)
    np.testing.assert_allclose(
        three.precipitation_m_s[:, inside], 2 * ref.precipitation_m_s[:, inside]
    )
    np.testing.assert_allclose(
        three.precipitation_m_s[:, ~inside], ref.precipitation_m_s[:, ~inside]
    )


def test_noleap_calendar_fills_29_february_from_the_day_before(tmp_path):
    p, t = field()
    # drop 29 February from the data: the noleap file has 5 days over the same dates
    keep = times().astype("datetime64[D]") != np.datetime64("2024-02-29")
    tt, pp, ttemp = times()[keep], p[keep], t[keep]
    ds = grid_dataset(tt, LON, LAT, pp, ttemp, calendar="noleap")
    # CF numbers in the noleap calendar: hours since 2000-01-01 counting 365-day years
    import cftime

    dates = [
        cftime.DatetimeNoLeap(*(int(x) for x in str(v)[:13].replace("T", "-").split("-")))
        for v in tt
    ]
    ds["time"] = ("time", cftime.date2num(dates, "hours since 2000-01-01 00:00:00", "noleap"),
                  {"units": "hours since 2000-01-01 00:00:00", "calendar": "noleap", "standard_name": "time"})  # fmt: skip
    f = write_nc(ds, tmp_path / "noleap.nc")
    std = read([write_nc(grid_dataset(times(), LON, LAT, p, t), tmp_path / "std.nc")])
    nl = read([f])
    np.testing.assert_array_equal(nl.times_s, std.times_s)
    feb29 = (nl.times_s >= epoch("2024-02-29T00:00:00")) & (
        nl.times_s < epoch("2024-03-01T00:00:00")
    )
    assert feb29.sum() == 24
    idx = np.nonzero(feb29)[0]
    np.testing.assert_allclose(nl.precipitation_m_s[:, idx], nl.precipitation_m_s[:, idx - 24])
    np.testing.assert_allclose(
        nl.precipitation_m_s[:, ~feb29], std.precipitation_m_s[:, ~feb29], rtol=1e-12
    )


def _d360(tmp_path, first, n_days, name):
    import datetime as dt

    import cftime

    dates = [cftime.Datetime360Day(*first) + dt.timedelta(hours=h) for h in range(24 * n_days)]
    n = len(dates)
    p, t = field(n, seed=3)
    ds = grid_dataset(times(n), LON, LAT, p, t)
    ds["time"] = ("time", cftime.date2num(dates, "hours since 2000-01-01", "360_day"),
                  {"units": "hours since 2000-01-01", "calendar": "360_day"})  # fmt: skip
    return write_nc(ds, tmp_path / name), p


def test_360_day_calendar_fills_the_31st(tmp_path):
    f, _ = _d360(tmp_path, (2024, 1, 27, 0), 9, "jan.nc")
    g = read([f], start="2024-01-28T00:00:00", end="2024-02-03T00:00:00")
    assert np.all(np.diff(g.times_s) == 3600)
    jan31 = (g.times_s >= epoch("2024-01-31T00:00:00")) & (g.times_s < epoch("2024-02-01T00:00:00"))
    k = np.nonzero(jan31)[0]
    assert k.size == 24
    np.testing.assert_array_equal(g.precipitation_m_s[:, k], g.precipitation_m_s[:, k - 24])


def test_360_day_calendar_drops_30_february(tmp_path):
    f, p = _d360(tmp_path, (2024, 2, 27, 0), 6, "feb.nc")  # 27, 28, 29, 30 Feb, 1, 2 Mar
    g = read([f], start="2024-02-27T00:00:00", end="2024-03-02T00:00:00")
    assert g.times_s.size == 4 * 24 + 1 and np.all(np.diff(g.times_s) == 3600)
    # 1 March takes the file's 1 March (index 4 days in), not its 30 February
    k = int(np.searchsorted(g.times_s, epoch("2024-03-01T00:00:00")))
    avg = g.weights.averaging()
    np.testing.assert_allclose(
        g.precipitation_m_s[:, k], avg @ p[4 * 24].ravel() * 1e-3 / 3600, rtol=1e-12
    )


def _bad(tmp_path, mutate, name="bad.nc", **kw):
    p, t = field()
    ds = grid_dataset(times(), LON, LAT, p, t, **kw)
    ds = mutate(ds)
    return write_nc(ds, tmp_path / name)


def test_missing_variable(tmp_path):
    f = _bad(tmp_path, lambda ds: ds.drop_vars("pr"))
    with pytest.raises(
        UserError, match=r"bad\.nc: no precipitation variable.*standard_name precipitation_flux"
    ):
        read([f])


def test_unknown_units(tmp_path):
    def m(ds):
        ds["pr"].attrs["units"] = "inch/fortnight"
        return ds

    with pytest.raises(
        UserError, match=r"bad\.nc: variable 'pr' \(precipitation\) has units 'inch/fortnight'"
    ):
        read([_bad(tmp_path, m)])


def test_nans_in_a_used_cell(tmp_path):
    def m(ds):
        v = ds["tas"].values.copy()
        v[50, 4, 5] = np.nan  # 121.05 E, 31.35 N: inside catchments a and b
        ds["tas"].values = v
        return ds

    when = iso(epoch("2024-02-26T00:00:00") + 50 * 3600)
    with pytest.raises(
        UserError, match=rf"bad\.nc: variable 'tas'.*NaN.*{when}.*121\.0500 E, 31\.3500 N.*a, b"
    ):
        read([_bad(tmp_path, m)])


def test_nans_outside_the_catchments_are_harmless(tmp_path):
    def m(ds):
        v = ds["pr"].values.copy()
        v[:, 0, 0] = np.nan  # 120.55 E, 30.95 N: far from both catchments
        ds["pr"].values = v
        return ds

    g = read([_bad(tmp_path, m)])
    assert np.all(np.isfinite(g.precipitation_m_s))


def test_gap_in_time(tmp_path):
    keep = np.ones(NT, bool)
    keep[70:73] = False
    f = _bad(tmp_path, lambda ds: ds.isel(time=keep))
    with pytest.raises(
        UserError,
        match=r"bad\.nc: variable 'pr': gap in time between 2024-02-28T21:00 and 2024-02-29T01:00",
    ):
        read([f])


def test_gap_between_files(tmp_path):
    p, t = field()
    a = write_nc(grid_dataset(times()[:50], LON, LAT, p[:50], t[:50]), tmp_path / "a.nc")
    b = write_nc(grid_dataset(times()[60:], LON, LAT, p[60:], t[60:]), tmp_path / "b.nc")
    with pytest.raises(
        UserError,
        match=r"b\.nc: variable 'pr': gap in time between 2024-02-28T01:00 and 2024-02-28T12:00",
    ):
        read([a, b])


def test_grid_not_covering_a_catchment(tmp_path):
    f = _bad(tmp_path, lambda ds: ds)
    far = {"far": Polygon([(121.3, 31.5), (121.6, 31.5), (121.6, 31.7), (121.3, 31.7)])}
    with pytest.raises(
        UserError,
        match=r"does not cover catchment 'far' \(121\.300-121\.600 E, 31\.500-31\.700 N\)",
    ):
        read([f], polys=far)


def test_period_not_covering_the_run(tmp_path):
    f = _bad(tmp_path, lambda ds: ds)
    with pytest.raises(
        UserError,
        match=r"forcing covers 2024-02-26T00:00 to 2024-03-02T23:00, not the run 2024-02-26T00:00 to 2024-03-05T00:00.*bad\.nc",
    ):
        read([f], start="2024-02-26T00:00:00", end="2024-03-05T00:00:00")
    with pytest.raises(UserError, match=r"does not cover the run 2025-01-01T00:00"):
        read([f], start="2025-01-01T00:00:00", end="2025-01-02T00:00:00")


def test_curvilinear_file_without_bounds(tmp_path):
    # the same regular field stored with 2-D lon/lat: weights and rain agree with 1-D storage
    p, t = field()
    reg = grid_dataset(times(), LON, LAT, p, t, bounds=False)
    lon2, lat2 = np.meshgrid(LON, LAT)
    cur = xr.Dataset(
        {"pr": (("time", "y", "x"), reg["pr"].values, reg["pr"].attrs),
         "tas": (("time", "y", "x"), reg["tas"].values, reg["tas"].attrs)},
        coords={"time": reg["time"], "lon": (("y", "x"), lon2, {"units": "degrees_east"}),
                "lat": (("y", "x"), lat2, {"units": "degrees_north"})},
    )  # fmt: skip
    g1 = read([write_nc(reg, tmp_path / "reg.nc")])
    g2 = read([write_nc(cur, tmp_path / "cur.nc")])
    assert g2.grid.curvilinear and not g1.grid.curvilinear
    np.testing.assert_allclose(g2.precipitation_m_s, g1.precipitation_m_s, rtol=1e-9, atol=1e-16)


def test_time_bounds_mark_end_labelled_intervals(tmp_path):
    p, t = field()
    ref = read([write_nc(grid_dataset(times(), LON, LAT, p, t), tmp_path / "ref.nc")])
    ds = grid_dataset(times(), LON, LAT, p, t)
    # label every hourly mean by the end of its hour, with CF bounds saying so
    ds = ds.assign_coords(time=ds.time + 1.0)
    ds["time"].attrs.update(units="hours since 2000-01-01 00:00:00", bounds="time_bnds")
    ds["time_bnds"] = (("time", "nv2"), np.stack([ds.time.values - 1.0, ds.time.values], 1))
    ds["tas"].values = np.concatenate([t[1:], t[-1:]]) + 273.15  # instantaneous at the labels
    g = read([write_nc(ds, tmp_path / "end.nc")])
    np.testing.assert_array_equal(g.times_s, ref.times_s)
    np.testing.assert_allclose(g.precipitation_m_s, ref.precipitation_m_s, rtol=1e-12)
    np.testing.assert_allclose(g.air_temperature_c, ref.air_temperature_c, rtol=1e-12)


def test_optional_evaporation_and_radiation_with_era5_conventions(tmp_path):
    p, t = field()
    ds = grid_dataset(times(), LON, LAT, p, t)
    # ERA5: potential evaporation in m per step, negative upward; radiation in J m-2 per step
    ds["pev"] = (("time", "lat", "lon"), -np.full_like(p, 0.2e-3), {"units": "m"})
    ds["ssrd"] = (("time", "lat", "lon"), np.full_like(p, 3.6e5), {"units": "J m-2"})
    g = read([write_nc(ds, tmp_path / "e.nc")])
    np.testing.assert_allclose(g.potential_evaporation_m_s, 0.2e-3 / 3600, rtol=1e-12)
    np.testing.assert_allclose(g.shortwave_w_m2, 100.0, rtol=1e-12)
    assert g.variables["potential_evaporation"] == "pev"


def test_variable_override_and_missing_override(tmp_path):
    p, t = field()
    ds = grid_dataset(times(), LON, LAT, p, t).rename({"pr": "rainfall_rate_x"})
    ds["rainfall_rate_x"].attrs.pop("standard_name")
    f = write_nc(ds, tmp_path / "o.nc")
    with pytest.raises(UserError, match="no precipitation variable"):
        read([f])
    e = epoch
    g = read_gridded([f], {"precipitation": "rainfall_rate_x"}, POLYS, {},
                     e("2024-02-26T06:00:00"), e("2024-03-02T18:00:00"), None)  # fmt: skip
    assert g.variables["precipitation"] == "rainfall_rate_x"
    with pytest.raises(
        UserError, match=r"o\.nc: variable 'nope' \(forcing.variables.precipitation\) not found"
    ):
        read_gridded(
            [f],
            {"precipitation": "nope"},
            POLYS,
            {},
            e("2024-02-26T06:00:00"),
            e("2024-03-02T18:00:00"),
            None,
        )


def test_curvilinear_file_with_cf_vertex_bounds(tmp_path):
    p, t = field()
    reg = grid_dataset(times(), LON, LAT, p, t)
    lon2, lat2 = np.meshgrid(LON, LAT)
    d = 0.05
    vx = np.stack([lon2 - d, lon2 + d, lon2 + d, lon2 - d], -1)
    vy = np.stack([lat2 - d, lat2 - d, lat2 + d, lat2 + d], -1)
    cur = xr.Dataset(
        {"pr": (("time", "y", "x"), reg["pr"].values, reg["pr"].attrs),
         "tas": (("time", "y", "x"), reg["tas"].values, reg["tas"].attrs),
         "lon_v": (("y", "x", "nv4"), vx), "lat_v": (("y", "x", "nv4"), vy)},
        coords={"time": reg["time"],
                "lon": (("y", "x"), lon2, {"standard_name": "longitude", "bounds": "lon_v"}),
                "lat": (("y", "x"), lat2, {"standard_name": "latitude", "bounds": "lat_v"})},
    )  # fmt: skip
    g1 = read([write_nc(reg, tmp_path / "reg.nc")])
    g2 = read([write_nc(cur, tmp_path / "curb.nc")])
    np.testing.assert_allclose(g2.precipitation_m_s, g1.precipitation_m_s, rtol=1e-9, atol=1e-16)
