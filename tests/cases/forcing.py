"""Synthetic forcing files, catchment polygons and a small model near Kunshan, for the tests
of the forcing, the loads and the forecast (and the forcing benchmark): nothing here is used
by a run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import xarray as xr

from tests import builders as b


def square(lon0: float, lat0: float, dlon: float, dlat: float) -> list[list[float]]:
    """A closed lon/lat ring of the rectangle [lon0, lon0 + dlon] x [lat0, lat0 + dlat]."""
    return [[lon0, lat0], [lon0 + dlon, lat0], [lon0 + dlon, lat0 + dlat], [lon0, lat0 + dlat], [lon0, lat0]]  # fmt: skip


def write_geojson(path: Path, rings: dict[str, list], id_property: str = "id") -> Path:
    """A FeatureCollection with one Polygon per id (rings as lists of [lon, lat])."""
    feats = [
        {
            "type": "Feature",
            "properties": {id_property: cid},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for cid, ring in rings.items()
    ]
    Path(path).write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return Path(path)


def grid_dataset(
    times: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    prec_mm_h: np.ndarray,
    temp_c: np.ndarray,
    style: str = "cf",
    calendar: str = "standard",
    bounds: bool = True,
) -> xr.Dataset:
    """One field stored in the conventions of a product (times as numpy datetime64[h]).

    style: 'cf' (pr in kg m-2 s-1, tas in K, CF standard names), 'cmfd' (prec in mm hr-1,
    temp in K, no standard names), 'era5' (tp in m accumulated over the hour ending at the
    time stamp, t2m in K, latitude descending).
    """
    t_h = (times.astype("datetime64[h]") - np.datetime64("2000-01-01T00", "h")).astype(float)
    p = np.asarray(prec_mm_h, np.float64)
    tk = np.asarray(temp_c, np.float64) + 273.15
    coords_attrs = {
        "lon": {"units": "degrees_east", "standard_name": "longitude"},
        "lat": {"units": "degrees_north", "standard_name": "latitude"},
    }
    tattrs = {
        "units": "hours since 2000-01-01 00:00:00",
        "calendar": calendar,
        "standard_name": "time",
    }
    if style == "cf":
        data = {
            "pr": (("time", "lat", "lon"), p / 3600.0, {"units": "kg m-2 s-1", "standard_name": "precipitation_flux"}),
            "tas": (("time", "lat", "lon"), tk, {"units": "K", "standard_name": "air_temperature"}),
        }  # fmt: skip
        tvals, la, lat_out = t_h, slice(None), lat
    elif style == "cmfd":
        data = {
            "prec": (("time", "lat", "lon"), p, {"units": "mm hr-1"}),
            "temp": (("time", "lat", "lon"), tk, {"units": "K"}),
        }
        tvals, la, lat_out = t_h, slice(None), lat
    elif style == "era5":
        # ERA5 labels the accumulation over [t - 1 h, t] with t: shift labels by one hour
        data = {
            "tp": (("valid_time", "latitude", "longitude"), p[:, ::-1] / 1000.0, {"units": "m"}),
            "t2m": (("valid_time", "latitude", "longitude"), tk[:, ::-1], {"units": "K"}),
        }
        ds = xr.Dataset(
            data,
            coords={
                "valid_time": ("valid_time", t_h + 1.0, {**tattrs, "units": tattrs["units"]}),
                "latitude": ("latitude", lat[::-1], coords_attrs["lat"]),
                "longitude": ("longitude", lon, coords_attrs["lon"]),
            },
        )
        # temperatures are instantaneous at their own stamps: store them on the end labels
        ds["t2m"].values = np.concatenate([tk[1:], tk[-1:]], axis=0)[:, ::-1]
        return ds
    else:
        raise ValueError(style)
    ds = xr.Dataset(
        data,
        coords={
            "time": ("time", tvals, tattrs),
            "lat": ("lat", lat_out[la], coords_attrs["lat"]),
            "lon": ("lon", lon, coords_attrs["lon"]),
        },
    )
    if bounds:
        dl = np.diff(lon).mean()
        dt = np.diff(lat).mean()
        ds["lon_bnds"] = (("lon", "nv"), np.stack([lon - dl / 2, lon + dl / 2], 1))
        ds["lat_bnds"] = (("lat", "nv"), np.stack([lat - dt / 2, lat + dt / 2], 1))
        ds["lon"].attrs["bounds"] = "lon_bnds"
        ds["lat"].attrs["bounds"] = "lat_bnds"
    return ds


def write_nc(ds: xr.Dataset, path: Path) -> Path:
    """Write without xarray's own time encoding (times are already numbers with CF units)."""
    ds.to_netcdf(path)
    return Path(path)


def write_model(
    folder: Path,
    *,
    start: str,
    end: str,
    catchments: list[dict] | None = None,
    sources: list[dict] | None = None,
    forcing: dict | None = None,
    lake: bool = False,
    timeseries: list[dict] | None = None,
    name: str = "forcing-test",
) -> Path:
    """A small valid model near Kunshan (nodes n1 -> n2 -> out, and a lake off n2 when asked)
    with the given catchments, sources and [forcing] table; returns the path of model.toml.
    n1 has a discharge boundary, 'out' a level boundary; sources may sit at n2."""
    m = b.model(
        name, dt_s=300.0, start=start, end=end, output_interval_s=None, coordinates=None,
        initial_level_m=1.0,
    )  # fmt: skip
    b.node(m, "n1", 120.90, 31.30)
    b.node(m, "n2", 121.00, 31.30)
    b.node(m, "out", 121.02, 31.30)
    b.rectangular(m, "rect", 40.0, height_m=None)
    b.reach(m, "r1", "n1", "n2", 9500.0, None, "rect", -2.0, -2.2, n=0.03)
    b.reach(m, "r_out", "n2", "out", 1900.0, None, "rect", -2.2, -2.25, n=0.03)
    if lake:
        b.storage_node(m, "lake", 121.05, 31.20, [0.0, 3.0], [6.0e7, 6.4e7], initial_level_m=1.5)
        b.reach(m, "r2", "n2", "lake", 5000.0, None, "rect", -2.2, -2.3, n=0.03)
    b.flow_bc(m, "n1", 10.0)
    b.level_bc(m, "out", 1.0)
    m["timeseries"] = list(timeseries or [])
    m["catchments"] = list(catchments or [])
    m["sources"] = list(sources or [])
    m["forcing"] = forcing
    return b.write(m, folder)
