"""Make synthetic, seeded, CF-compliant hourly gridded weather forcing for Kunshan.

    python forcing_data/make_forcing.py                      # forcing_data/kunshan_2024.nc
    python forcing_data/make_forcing.py --year 2025 --seed 7 --out other.nc
    python forcing_data/make_forcing.py --forecast --cycle 2026-11-29T00 \
        --out-dir forcing_data/forecast [--hours 72] [--hindcast-hours 24]

The grid is 0.1 degree, cell edges 120.5-121.5 E and 30.9-31.8 N (10 x 9 cells), covering
Kunshan (about 120.8-121.1 E, 31.1-31.5 N) with a margin. Variables: precipitation flux
(kg m-2 s-1), 2 m air temperature (K) and surface downwelling shortwave radiation (W m-2),
named as in CMFD (prec, temp, srad) and carrying CF standard names. The climatology and its
sources are documented in forcing_data/README.md; the same numbers are the constants below.

Forecast mode writes two files for one cycle (a forecast reference time): a hindcast over the
``--hindcast-hours`` before the cycle (the synthetic "truth") and a forecast over the
``--hours`` after it (the truth with a seeded timing shift and amount error, standing in for
a forecast model). Both carry a scalar ``forecast_reference_time`` (CF standard name).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import xarray as xr

LON_EDGES = np.round(np.arange(120.5, 121.5 + 1e-9, 0.1), 6)
LAT_EDGES = np.round(np.arange(30.9, 31.8 + 1e-9, 0.1), 6)

MONTHLY_RAIN_MM = np.array([62, 60, 92, 82, 96, 185, 150, 140, 100, 60, 52, 41], float)
"""Monthly rain (mm), approximate 1981-2010 normals of Suzhou and Kunshan stations (China
Meteorological Administration normals as reported in regional climate summaries; recalled,
estimated): annual about 1,120 mm, June the plum-rain peak."""

T_MEAN_C = 16.6
T_AMPLITUDE_C = 12.3
T_COLDEST_DOY = 20
"""Daily mean air temperature T = T_MEAN - T_AMPLITUDE cos(2 pi (doy - 20) / 365.25):
about 4.3 C on 20 January and 28.9 C in late July (Suzhou/Kunshan normals: January 3.5-4.5 C,
July 28-29 C, annual 16-17 C; estimated)."""

DIURNAL_HALF_RANGE_C = 3.5
"""Half the mean diurnal range (about 7 K on dry days in the Yangtze delta), peak at 14:00
and minimum at 05:00 local time; reduced to 40 % on rainy hours (assumed)."""

PLUM_RAIN = (166, 189)
"""Plum-rain (meiyu) season, day of year: about 15 June to 8 July (Jiangsu mean onset
mid-June, end early July; published climatology, dates approximate)."""

UTC_OFFSET_H = 8.0
LAT_GRADIENT_K_PER_DEG = -0.6  # cooler to the north (assumed)


def _doy(t: np.ndarray) -> np.ndarray:
    d = t.astype("datetime64[D]")
    return (d - d.astype("datetime64[Y]")).astype(np.int64) + 1


def _grid():
    lon = 0.5 * (LON_EDGES[1:] + LON_EDGES[:-1])
    lat = 0.5 * (LAT_EDGES[1:] + LAT_EDGES[:-1])
    return np.round(lon, 6), np.round(lat, 6)


def _storms(rng, year: int, hours: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Rain (mm/h) [nt, ny, nx] from moving Gaussian storms, scaled to the monthly normals.

    Winter and spring: large frontal systems (radius 60-120 km, 6-24 h); plum-rain season: a
    quasi-stationary band renewed every 1-2 days (12-36 h); July-September: small convective
    cells (radius 8-25 km, 1-4 h, mostly in the afternoon) and, in August or September, one
    typhoon (radius about 150 km, 24-36 h). Storms move east-north-east at 15-40 km/h.
    """
    nt = hours.size
    ny, nx = lat.size, lon.size
    km_x = (lon - lon.mean()) * 111.32 * np.cos(np.radians(lat.mean()))
    km_y = (lat - lat.mean()) * 110.57
    X, Y = np.meshgrid(km_x, km_y)
    rain = np.zeros((nt, ny, nx))
    doy = _doy(hours)
    month = hours.astype("datetime64[M]").astype(int) % 12

    def add(start_h, dur_h, radius, peak, x0, y0, speed, heading):
        k0 = int(start_h)
        k1 = min(nt, k0 + int(np.ceil(dur_h)))
        if k1 <= k0 or k0 < 0:
            return
        tt = np.arange(k0, k1) - start_h + 0.5
        shape = np.sin(np.pi * np.clip(tt / dur_h, 0, 1)) ** 1.5
        cx = x0 + speed * tt * np.cos(heading)
        cy = y0 + speed * tt * np.sin(heading)
        d2 = (X[None] - cx[:, None, None]) ** 2 + (Y[None] - cy[:, None, None]) ** 2
        rain[k0:k1] += peak * shape[:, None, None] * np.exp(-0.5 * d2 / radius**2)

    k = 0.0
    while k < nt:
        d = doy[int(k)]
        m = month[int(k)]
        if PLUM_RAIN[0] <= d <= PLUM_RAIN[1]:
            gap = rng.uniform(10, 40)
            add(k, rng.uniform(12, 36), rng.uniform(80, 150), rng.gamma(2.0, 2.0),
                rng.uniform(-150, -60), rng.uniform(-40, 40), rng.uniform(5, 15), rng.uniform(-0.2, 0.3))  # fmt: skip
        elif 6 <= m <= 8:  # July-September (0-based months)
            gap = rng.exponential(40)
            for _ in range(rng.integers(1, 4)):
                afternoon = k + ((14 - UTC_OFFSET_H - (k % 24)) % 24) + rng.normal(0, 2)
                add(afternoon, rng.uniform(1, 4), rng.uniform(8, 25), rng.gamma(2.0, 8.0),
                    rng.uniform(-50, 50), rng.uniform(-50, 50), rng.uniform(10, 30), rng.uniform(0, 2 * np.pi))  # fmt: skip
        else:
            gap = rng.exponential(100)
            add(k, rng.uniform(6, 24), rng.uniform(60, 120), rng.gamma(2.0, 1.5),
                rng.uniform(-250, -100), rng.uniform(-60, 60), rng.uniform(15, 40), rng.uniform(-0.3, 0.5))  # fmt: skip
        k += max(gap, 3.0)
    # one typhoon in August or September
    tk = float(np.searchsorted(hours, np.datetime64(f"{year}-08-01")) + rng.uniform(0, 55 * 24))
    add(tk, rng.uniform(24, 36), 150.0, rng.uniform(6, 12), -100.0, -150.0, 12.0, 1.2)
    # drizzle floor removed and monthly totals scaled to the normals (domain mean)
    rain[rain < 0.05] = 0.0
    for mi in range(12):
        sel = month == mi
        if not sel.any():
            continue
        total = rain[sel].mean(axis=(1, 2)).sum()
        days_in_month = sel.sum() / 24.0
        target = MONTHLY_RAIN_MM[mi] * days_in_month / _month_days(year, mi)
        if total > 0:
            rain[sel] *= target / total
    return rain


def _month_days(year: int, m0: int) -> int:
    a = np.datetime64(f"{year}-{m0 + 1:02d}", "M")
    return int(((a + 1).astype("datetime64[D]") - a.astype("datetime64[D]")).astype(int))


def synthetic_year(year: int, seed: int) -> xr.Dataset:
    """One year of hourly forcing on the Kunshan grid (CF attributes, SI units)."""
    rng = np.random.default_rng([seed, year])
    hours = np.arange(
        np.datetime64(f"{year}-01-01T00"),
        np.datetime64(f"{year + 1}-01-01T00"),
        np.timedelta64(1, "h"),
    )
    lon, lat = _grid()
    nt = hours.size
    rain = _storms(rng, year, hours, lon, lat)
    doy = _doy(hours)
    local_h = (hours.astype("datetime64[h]").astype(np.int64) + UTC_OFFSET_H) % 24
    # synoptic anomaly: AR(1) on days, sd 2.5 K, lag-1 correlation 0.75, interpolated to hours
    ndays = nt // 24 + 2
    an = np.zeros(ndays)
    for i in range(1, ndays):
        an[i] = 0.75 * an[i - 1] + rng.normal(0, 2.5 * np.sqrt(1 - 0.75**2))
    anom = np.interp(np.arange(nt) / 24.0, np.arange(ndays), an)
    seasonal = T_MEAN_C - T_AMPLITUDE_C * np.cos(2 * np.pi * (doy - T_COLDEST_DOY) / 365.25)
    domain_rain = rain.mean(axis=(1, 2))
    wet = np.clip(domain_rain / 0.5, 0, 1)
    # piecewise-linear daily shape: minimum at 05:00, maximum at 14:00 local time
    diurnal = DIURNAL_HALF_RANGE_C * np.interp(local_h, [0, 5, 14, 24], [-0.7, -1.0, 1.0, -0.7])
    t_dom = seasonal + anom + diurnal * (1 - 0.6 * wet) - 1.5 * wet
    lat2 = lat[:, None] + 0 * lon[None, :]
    temp_c = (
        t_dom[:, None, None]
        + LAT_GRADIENT_K_PER_DEG * (lat2 - lat.mean())[None]
        + rng.normal(0, 0.15, (1, lat.size, lon.size))
    )
    temp_c -= 0.8 * np.clip(rain / 2.0, 0, 1)  # rain-cooled cells
    # shortwave: 0.75 of extraterrestrial (Angstrom a + b, FAO-56) times cloudiness
    t_s = (hours - np.datetime64("1970-01-01T00")).astype("timedelta64[s]").astype(float)
    phi = np.radians(lat.mean())
    delta = 0.409 * np.sin(2 * np.pi * doy / 365 - 1.39)
    omega = np.radians(15.0 * (((t_s + 1800) / 3600 + lon.mean() / 15.0) % 24 - 12))
    cz = np.clip(np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.cos(omega), 0, None)
    dr = 1 + 0.033 * np.cos(2 * np.pi * doy / 365)
    clouds = np.clip(
        np.interp(np.arange(nt) / 24.0, np.arange(ndays), rng.uniform(0.35, 1.0, ndays)), 0, 1
    )
    plum = (doy >= PLUM_RAIN[0]) & (doy <= PLUM_RAIN[1])
    clouds = np.where(plum, clouds * 0.6, clouds)
    srad_dom = 1361.0 * dr * cz * 0.75 * clouds
    srad = srad_dom[:, None, None] * np.where(rain > 0.1, 0.25, 1.0)
    return _dataset(hours, lon, lat, rain / 3600.0, temp_c + 273.15, srad, seed)


def _dataset(hours, lon, lat, prec_kg_m2_s, temp_k, srad_w_m2, seed) -> xr.Dataset:
    lon_b = np.stack([LON_EDGES[:-1], LON_EDGES[1:]], axis=1)
    lat_b = np.stack([LAT_EDGES[:-1], LAT_EDGES[1:]], axis=1)
    ds = xr.Dataset(
        {
            "prec": (("time", "lat", "lon"), prec_kg_m2_s.astype(np.float32), {
                "standard_name": "precipitation_flux", "long_name": "precipitation rate, mean over the hour starting at the time stamp",
                "units": "kg m-2 s-1", "cell_methods": "time: mean"}),
            "temp": (("time", "lat", "lon"), temp_k.astype(np.float32), {
                "standard_name": "air_temperature", "long_name": "2 m air temperature", "units": "K"}),
            "srad": (("time", "lat", "lon"), srad_w_m2.astype(np.float32), {
                "standard_name": "surface_downwelling_shortwave_flux_in_air",
                "long_name": "surface downwelling shortwave radiation, mean over the hour", "units": "W m-2",
                "cell_methods": "time: mean"}),
            "lon_bnds": (("lon", "nv"), lon_b),
            "lat_bnds": (("lat", "nv"), lat_b),
        },
        coords={
            "time": ("time", hours.astype("datetime64[ns]"), {"standard_name": "time", "axis": "T"}),
            "lon": ("lon", lon, {"standard_name": "longitude", "units": "degrees_east", "bounds": "lon_bnds", "axis": "X"}),
            "lat": ("lat", lat, {"standard_name": "latitude", "units": "degrees_north", "bounds": "lat_bnds", "axis": "Y"}),
        },
    )  # fmt: skip
    ds.attrs.update(
        Conventions="CF-1.8",
        title="Synthetic hourly weather forcing for Kunshan (not observations)",
        institution="twin project",
        source=f"forcing_data/make_forcing.py, seed {seed}",
        history="created by forcing_data/make_forcing.py",
        comment="Seeded synthetic weather with a documented climatology; see forcing_data/README.md",
    )
    return ds


def _encoding(ds: xr.Dataset) -> dict:
    enc = {
        "time": {
            "units": "hours since 1970-01-01 00:00:00",
            "calendar": "standard",
            "dtype": "float64",
        },
        "prec": {"zlib": True, "complevel": 5, "dtype": "float32", "_FillValue": -9999.0},
        "temp": {"zlib": True, "complevel": 5, "dtype": "float32", "_FillValue": -9999.0},
        "srad": {"zlib": True, "complevel": 5, "dtype": "float32", "_FillValue": -9999.0},
    }
    return {k: v for k, v in enc.items() if k in ds.variables}


def _quantise(ds: xr.Dataset) -> xr.Dataset:
    """Round to the precision that matters (0.001 mm/h, 0.01 K, 0.1 W m-2) so the file packs."""
    ds = ds.copy()
    ds["prec"] = (
        (np.round(ds["prec"] * 3600.0, 3) / 3600.0)
        .astype(np.float32)
        .assign_attrs(ds["prec"].attrs)
    )
    ds["temp"] = np.round(ds["temp"], 2).astype(np.float32).assign_attrs(ds["temp"].attrs)
    ds["srad"] = np.round(ds["srad"], 1).astype(np.float32).assign_attrs(ds["srad"].attrs)
    return ds


def write(ds: xr.Dataset, path: Path) -> None:
    """Write atomically (temporary name in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        _quantise(ds).to_netcdf(tmp, encoding=_encoding(ds))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def synthetic_window(start: np.datetime64, end: np.datetime64, seed: int) -> xr.Dataset:
    """The synthetic truth between two times (inclusive), over as many years as needed."""
    years = range(int(str(start)[:4]), int(str(end)[:4]) + 1)
    ds = xr.concat([synthetic_year(y, seed) for y in years], dim="time", data_vars="minimal")
    return ds.sel(time=slice(start, end))


def forecast_files(cycle: datetime, out_dir: Path, hours: int, hindcast_hours: int, seed: int):
    """Write hindcast_<cycle>.nc and forecast_<cycle>.nc; return their paths."""
    c = np.datetime64(cycle.replace(tzinfo=None), "h")
    truth = synthetic_window(
        c - np.timedelta64(hindcast_hours, "h"), c + np.timedelta64(hours, "h"), seed
    )
    rng = np.random.default_rng([seed, int(c.astype(np.int64))])
    hind = truth.sel(time=slice(c - np.timedelta64(hindcast_hours, "h"), c))
    fc = truth.sel(time=slice(c, c + np.timedelta64(hours, "h"))).copy(deep=True)
    shift = int(rng.integers(-3, 4))  # timing error of rain, hours
    factor = float(np.exp(rng.normal(0.0, 0.35)))  # amount error, lognormal
    fc["prec"].values = np.roll(fc["prec"].values, shift, axis=0) * factor
    fc["temp"].values = fc["temp"].values + rng.normal(0, 0.8)
    ref = np.array(c.astype("datetime64[ns]"))
    tag = cycle.strftime("%Y%m%dT%H")
    paths = []
    for name, ds in (("hindcast", hind), ("forecast", fc)):
        ds = ds.assign_coords(
            forecast_reference_time=((), ref, {"standard_name": "forecast_reference_time"})
        )
        ds.attrs["title"] = f"Synthetic {name} forcing for Kunshan, cycle {tag} (not observations)"
        if name == "forecast":
            ds.attrs["comment"] = (
                f"synthetic truth with rain shifted {shift} h and scaled by {factor:.2f}, "
                "temperature offset; stands in for a forecast model"
            )
        p = out_dir / f"{name}_{tag}.nc"
        write(ds, p)
        paths.append(p)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--seed", type=int, default=20240101)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--forecast", action="store_true", help="write hindcast and forecast files")
    ap.add_argument("--cycle", type=str, help="forecast reference time, e.g. 2026-11-29T00 (UTC)")
    ap.add_argument("--hours", type=int, default=72, help="forecast length, hours")
    ap.add_argument("--hindcast-hours", type=int, default=24)
    ap.add_argument("--out-dir", type=Path, default=Path(__file__).parent / "forecast")
    a = ap.parse_args(argv)
    if a.forecast:
        if not a.cycle:
            ap.error("--forecast needs --cycle")
        cycle = datetime.fromisoformat(a.cycle)
        if cycle.tzinfo is not None:
            cycle = cycle.astimezone(UTC).replace(tzinfo=None)
        for p in forecast_files(cycle, a.out_dir, a.hours, a.hindcast_hours, a.seed):
            print(p)
        return 0
    out = a.out or Path(__file__).parent / f"kunshan_{a.year}.nc"
    write(synthetic_year(a.year, a.seed), out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
