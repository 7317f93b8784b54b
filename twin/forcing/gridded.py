"""Reader of gridded NetCDF weather forcing: variables found by CF standard_name or common
names, units converted explicitly, calendars decoded with cftime, grid cells averaged over the
catchments with exact area weights.

Conventions
-----------
* Time: epoch seconds UTC. Standard, gregorian and proleptic_gregorian calendars map one to
  one. Other calendars (noleap/365_day, all_leap/366_day, 360_day, julian) are mapped by their
  date fields (a noleap 2023-03-01T00 is the real 2023-03-01T00); dates that do not exist in
  the real calendar (30 February) are dropped, and real dates missing from the file's
  calendar (29 February in a noleap file, the 31st in a 360_day file) take the value of the
  same hour of the previous day present in the file.
* Fluxes (precipitation, potential evaporation, radiation) are interval means. Each value is
  assigned to the interval that starts at its time stamp, unless the file labels intervals by
  their end: CF time ``bounds`` whose upper bound equals the time stamp, ERA5 accumulations
  ('tp', which ECMWF labels with the end of the accumulation hour), or
  ``[forcing] time_label = 'end'``. Temperatures are instantaneous values at the time stamp.
* Several files form one series; where they overlap in time, the later file in the list wins
  (so a hindcast listed after a forecast replaces it). Files are opened one by one, lazily
  (dask-backed), and only the cells and times needed are read, so that every error can name
  its file.
"""

from __future__ import annotations

import contextlib
import glob
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..errors import UserError
from .grid import Grid, grid_from_dataset
from .units import UnitError, radiation_factor, temperature_offset, water_flux_factor
from .weights import Weights, cached_weights

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Quantity:
    standard_names: tuple[str, ...]
    names: tuple[str, ...]
    kind: str  # water, temperature, radiation
    required: bool


QUANTITIES: dict[str, Quantity] = {
    "precipitation": Quantity(
        (
            "precipitation_flux",
            "lwe_precipitation_rate",
            "precipitation_amount",
            "lwe_thickness_of_precipitation_amount",
        ),
        ("prec", "tp", "pr", "precip", "precipitation", "pre", "prcp", "rain", "tprate"),
        "water",
        True,
    ),
    "air_temperature": Quantity(
        ("air_temperature",),
        ("temp", "t2m", "tas", "tair", "t2", "air_temperature", "tmp"),
        "temperature",
        True,
    ),
    "potential_evaporation": Quantity(
        ("water_potential_evaporation_flux", "water_potential_evaporation_amount"),
        ("pev", "pet", "potevap", "evspsblpot", "e0"),
        "water",
        False,
    ),
    "shortwave_radiation": Quantity(
        (
            "surface_downwelling_shortwave_flux_in_air",
            "integral_wrt_time_of_surface_downwelling_shortwave_flux_in_air",
        ),
        ("srad", "ssrd", "rsds", "swdown", "dswrf"),
        "radiation",
        False,
    ),
}
"""Quantities twin reads: CF standard names first, then common names (CMFD prec, temp, srad;
ERA5 tp, t2m, pev, ssrd; CMIP pr, tas, rsds)."""

_STANDARD_CALENDARS = ("standard", "gregorian", "proleptic_gregorian")
_OTHER_CALENDARS = ("noleap", "365_day", "all_leap", "366_day", "360_day", "julian")
_EPOCH = datetime(1970, 1, 1)
_PAD_S = 3 * 86400.0  # read this much beyond the run, for calendar filling and label shifts


@dataclass
class GriddedForcing:
    """Forcing averaged over each weight row (catchments, then points) on a regular axis.

    times_s : [nt] epoch seconds, the start of each forcing interval.
    step_s : the forcing step (s).
    precipitation_m_s, potential_evaporation_m_s : [nrow, nt] interval means, m s-1 of water.
    air_temperature_c : [nrow, nt] at the time stamps, degC.
    shortwave_w_m2 : [nrow, nt] interval means, W m-2.
    domain_air_temperature_c : [nt] mean over every grid cell with data, area-weighted.
    """

    times_s: np.ndarray
    step_s: float
    row_ids: list[str]
    precipitation_m_s: np.ndarray
    air_temperature_c: np.ndarray
    potential_evaporation_m_s: np.ndarray | None
    shortwave_w_m2: np.ndarray | None
    domain_air_temperature_c: np.ndarray
    weights: Weights
    grid: Grid
    files: list[Path]
    variables: dict[str, str] = field(default_factory=dict)


def expand_files(patterns: list[Path]) -> list[Path]:
    """Paths and glob patterns -> existing files, in the order given (sorted within a glob)."""
    out: list[Path] = []
    for p in patterns:
        s = str(p)
        if any(ch in s for ch in "*?["):
            hits = sorted(glob.glob(s))
            if not hits:
                raise UserError(f"forcing: no file matches '{s}'")
            out.extend(Path(h) for h in hits)
        else:
            if not Path(s).exists():
                raise UserError(f"forcing: file {s} not found")
            out.append(Path(s))
    return out


def iso(t_s: float) -> str:
    return datetime.fromtimestamp(float(t_s), UTC).strftime("%Y-%m-%dT%H:%M")


def find_variable(ds, quantity: str, override: str | None, where: str) -> str | None:
    """Name of the variable holding ``quantity``: the override, else a CF standard_name
    match, else a common name. None when an optional quantity is absent."""
    q = QUANTITIES[quantity]
    if override:
        if override not in ds.data_vars:
            raise UserError(
                f"{where}: variable '{override}' (forcing.variables.{quantity}) not found; "
                f"variables are {', '.join(map(str, ds.data_vars))}"
            )
        return override
    for v in ds.data_vars:
        if str(ds[v].attrs.get("standard_name", "")).lower() in q.standard_names:
            return str(v)
    lower = {str(v).lower(): str(v) for v in ds.data_vars}
    for n in q.names:
        if n in lower:
            return lower[n]
    if q.required:
        raise UserError(
            f"{where}: no {quantity} variable (looked for standard_name "
            f"{' or '.join(q.standard_names)}, or a variable named {', '.join(q.names)}); "
            f"variables are {', '.join(map(str, ds.data_vars)) or 'none'}. "
            f"Name it with [forcing] variables.{quantity}"
        )
    return None


def _time_dim(ds, var: str, where: str) -> str:
    for d in ds[var].dims:
        if d in ds.variables:
            a = ds[d].attrs
            if (
                a.get("standard_name") == "time"
                or a.get("axis") == "T"
                or " since " in str(a.get("units", ""))
            ):
                return d
    for d in ds[var].dims:
        if d.lower() in ("time", "valid_time", "t"):
            return d
    raise UserError(f"{where}: variable '{var}' has no time dimension (dims {ds[var].dims})")


def _decode_times(ds, tname: str, where: str, values=None):
    """(native seconds in the file's calendar, real epoch seconds or NaN, calendar)."""
    import cftime

    tv = ds[tname]
    units = tv.attrs.get("units")
    cal = str(tv.attrs.get("calendar", "standard")).lower()
    if units is None or " since " not in str(units):
        raise UserError(f"{where}: time '{tname}' has no CF units like 'hours since 2024-01-01'")
    if cal not in _STANDARD_CALENDARS + _OTHER_CALENDARS:
        raise UserError(f"{where}: time '{tname}' has calendar '{cal}' that twin does not support")
    raw = np.asarray(tv.values if values is None else values, np.float64)
    if raw.size and not np.all(np.isfinite(raw)):
        raise UserError(f"{where}: time '{tname}' has missing values")
    try:
        dates = cftime.num2date(raw, str(units), cal, only_use_cftime_datetimes=True)
        native = np.asarray(
            cftime.date2num(dates, "seconds since 1970-01-01 00:00:00", cal), np.float64
        )
    except (ValueError, TypeError) as exc:
        raise UserError(f"{where}: cannot decode time '{tname}' ({exc})") from None
    dates = np.atleast_1d(dates)
    native = np.atleast_1d(native)
    if cal in _STANDARD_CALENDARS:
        real = native.copy()
    else:
        real = np.full(native.shape, np.nan)
        for i, d in enumerate(dates):
            # e.g. 30 February in a 360_day calendar has no real date and stays NaN
            with contextlib.suppress(ValueError):
                real[i] = (
                    datetime(d.year, d.month, d.day, d.hour, d.minute, d.second) - _EPOCH
                ).total_seconds()
    return np.round(native, 3), np.round(real, 3), cal


@dataclass
class _FilePart:
    index: int
    path: Path
    native: np.ndarray
    real: np.ndarray
    data: dict[str, np.ndarray]  # quantity -> [nrow, nt]
    domain_t: np.ndarray


def _open(path: Path):
    import xarray as xr

    try:
        return xr.open_dataset(path, decode_times=False, chunks={}, mask_and_scale=True)
    except Exception as exc:  # netCDF4/h5py raise many types for a bad file
        raise UserError(f"{path}: cannot open as NetCDF ({exc})") from None


def _conversion(ds, var: str, quantity: str, where: str):
    units = ds[var].attrs.get("units")
    kind = QUANTITIES[quantity].kind
    if units is None:
        raise UserError(f"{where}: variable '{var}' ({quantity}) has no 'units' attribute")
    try:
        if kind == "temperature":
            return 1.0, temperature_offset(str(units)), False
        if kind == "water":
            f, per_step = water_flux_factor(str(units))
            return f, 0.0, per_step
        f, per_step = radiation_factor(str(units))
        return f, 0.0, per_step
    except UnitError:
        examples = {
            "water": "kg m-2 s-1, mm h-1, mm d-1, m s-1, or m / mm / kg m-2 per time step",
            "temperature": "K or degC",
            "radiation": "W m-2, or J m-2 per time step",
        }[kind]
        raise UserError(
            f"{where}: variable '{var}' ({quantity}) has units '{units}' that twin cannot "
            f"convert; use {examples}"
        ) from None


def read_gridded(
    files: list[Path],
    overrides: dict[str, str],
    polygons: dict[str, object],
    points: dict[str, tuple[float, float]],
    start_s: float,
    end_s: float,
    cache_dir: Path | None,
    time_label: str | None = None,
) -> GriddedForcing:
    """Read the forcing files and average them over the polygons (and sample at the points)
    on a regular time axis covering [start_s, end_s].

    Raises UserError naming the file, the variable and the time or place for: a missing
    variable, unknown units, NaNs in a cell a catchment uses, a gap in time, a grid that does
    not cover a catchment, a period that does not cover the run.
    """
    paths = expand_files(files)
    if not paths:
        raise UserError("forcing: [forcing] files is empty")
    names: dict[str, str] = {}
    grid: Grid | None = None
    weights: Weights | None = None
    calendar = None
    label = time_label
    parts: list[_FilePart] = []
    periods: list[str] = []
    for fi, path in enumerate(paths):
        ds = _open(path)
        try:
            where = str(path)
            if fi == 0:
                for q in QUANTITIES:
                    v = find_variable(ds, q, overrides.get(q), where)
                    if v is not None:
                        names[q] = v
            else:
                for q, v in names.items():
                    if v not in ds.data_vars:
                        raise UserError(
                            f"{where}: variable '{v}' ({q}) is missing (it is in {paths[0]})"
                        )
            pvar = names["precipitation"]
            tname = _time_dim(ds, pvar, where)
            for q, v in names.items():
                if tname not in ds[v].dims:
                    raise UserError(
                        f"{where}: variable '{v}' ({q}) does not vary in time '{tname}'"
                    )
            native, real, cal = _decode_times(ds, tname, where)
            if calendar is None:
                calendar = cal
            elif cal != calendar:
                raise UserError(
                    f"{where}: calendar '{cal}' differs from '{calendar}' of {paths[0]}"
                )
            if native.size:
                periods.append(f"{path.name}: {iso(np.nanmin(real))} to {iso(np.nanmax(real))}")
            if label is None:
                label = _time_label(ds, tname, pvar, native, where)
            g = grid_from_dataset(ds, pvar, tname, where)
            if grid is None:
                grid = g
                weights = cached_weights(g, polygons, points, cache_dir)
            elif not g.same_cells(grid):
                raise UserError(f"{where}: its grid differs from the grid of {paths[0]}")
            sel = np.nonzero(
                np.isfinite(real) & (real >= start_s - _PAD_S) & (real <= end_s + _PAD_S)
            )[0]
            if sel.size == 0:
                continue
            # keep the samples between, also those with no real date (30 February)
            sel = np.arange(sel.min(), sel.max() + 1)
            parts.append(_read_part(ds, fi, path, names, tname, grid, weights, native, real, sel))
        finally:
            ds.close()
    assert grid is not None and weights is not None
    return _assemble(parts, names, grid, weights, paths, periods, label or "start", start_s, end_s)


def _time_label(ds, tname, pvar, native, where) -> str:
    bname = ds[tname].attrs.get("bounds")
    if bname and bname in ds.variables:
        b = np.asarray(ds[bname].values, np.float64)
        if b.ndim == 2 and b.shape[1] == 2 and b.shape[0] == native.size:
            t = np.asarray(ds[tname].values, np.float64)
            if np.allclose(b[:, 1], t):
                return "end"
            if np.allclose(b[:, 0], t):
                return "start"
            log.warning("%s: time stamps are inside their bounds; taken as interval starts", where)
            return "start"
    if pvar.lower() == "tp":
        return "end"
    return "start"


def _read_part(ds, fi, path, names, tname, grid, weights, native, real, sel) -> _FilePart:
    where = str(path)
    used = weights.used_cells()
    ny, nx = grid.shape
    if used.size:
        jj, ii = np.unravel_index(used, (ny, nx))
        j0, j1, i0, i1 = jj.min(), jj.max() + 1, ii.min(), ii.max() + 1
    else:
        j0, j1, i0, i1 = 0, ny, 0, nx
    # columns of the box, in the flat numbering of the whole grid
    bj, bi = np.meshgrid(np.arange(j0, j1), np.arange(i0, i1), indexing="ij")
    box_flat = np.ravel_multi_index((bj.ravel(), bi.ravel()), (ny, nx))
    wbox = weights.averaging()[:, box_flat]
    used_in_box = np.asarray(abs(weights.matrix[:, box_flat]).sum(axis=0) > 0).ravel()
    step_s = float(np.median(np.diff(native))) if native.size > 1 else 3600.0
    data: dict[str, np.ndarray] = {}
    domain_t = None
    for q, v in names.items():
        da = ds[v].transpose(tname, grid.ydim, grid.xdim)
        raw = np.asarray(
            da.isel({tname: sel, grid.ydim: slice(j0, j1), grid.xdim: slice(i0, i1)}).values,
            np.float64,
        ).reshape(sel.size, -1)
        f, off, per_step = _conversion(ds, v, q, where)
        if per_step and native.size < 2:
            raise UserError(
                f"{where}: variable '{v}' ({q}) is an amount per time step, but the file has a "
                "single time, so the step is unknown"
            )
        vals = raw * f + off
        if per_step:
            vals = vals / step_s
        bad = ~np.isfinite(vals[:, used_in_box]) if used.size else np.zeros((0, 0), bool)
        if bad.any():
            t_i, c_i = np.argwhere(bad)[0]
            cell = box_flat[np.nonzero(used_in_box)[0][c_i]]
            rows = weights.matrix[:, cell].nonzero()[0]
            raise UserError(
                f"{where}: variable '{v}' ({q}) has {int(bad.sum())} missing (NaN) values in "
                f"cells the catchments use; the first at {iso(real[sel][t_i])} in "
                f"{grid.describe_cell(cell)}, inside {', '.join(weights.row_ids[r] for r in rows)}"
            )
        data[q] = np.asarray(wbox @ vals.T) if weights.matrix.shape[0] else np.zeros((0, sel.size))
        if q == "air_temperature":
            domain_t = _domain_mean(vals, grid, box_flat, real[sel], where, v)
    return _FilePart(fi, path, native[sel], real[sel], data, domain_t)


def _domain_mean(vals, grid, box_flat, real, where, v) -> np.ndarray:
    from .geometry import EqualArea

    # cell areas for weighting: exact in the equal-area projection
    proj = EqualArea(0.0, 0.0)
    lonc = grid.lon_corners.reshape(-1, 4)[box_flat]
    latc = grid.lat_corners.reshape(-1, 4)[box_flat]
    x, y = proj.forward(lonc, latc)
    area = 0.5 * np.abs(np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1))
    ok = np.isfinite(vals)
    wsum = ok @ area
    if np.any(wsum == 0):
        t = int(np.nonzero(wsum == 0)[0][0])
        raise UserError(f"{where}: variable '{v}' is missing (NaN) everywhere at {iso(real[t])}")
    return np.where(ok, vals, 0.0) @ area / wsum


def _assemble(parts, names, grid, weights, paths, periods, label, start_s, end_s):
    covered = "; ".join(periods) or "nothing"
    if not parts:
        raise UserError(
            f"forcing does not cover the run {iso(start_s)} to {iso(end_s)} (files cover {covered})"
        )
    native = np.concatenate([p.native for p in parts])
    real = np.concatenate([p.real for p in parts])
    fidx = np.concatenate([np.full(p.native.size, p.index) for p in parts])
    # the later file wins where files overlap
    order = np.lexsort((-fidx, native))
    native, real, fidx = native[order], real[order], fidx[order]
    first = np.concatenate([[True], np.diff(native) > 1e-3])
    keep = order[first]
    native, real, fidx = native[first], real[first], fidx[first]
    data = {q: np.concatenate([p.data[q] for p in parts], axis=1)[:, keep] for q in names}
    dom = np.concatenate([p.domain_t for p in parts])[keep]
    pvar = names["precipitation"]
    if native.size < 2:
        raise UserError(
            f"forcing has a single time in the run window; it does not cover the run "
            f"{iso(start_s)} to {iso(end_s)} (files cover {covered})"
        )
    d = np.diff(native)
    step = float(np.median(d))
    if step <= 0 or step > 86400 or 86400 % step > 1e-6:
        raise UserError(
            f"{paths[fidx[0]]}: time step of {step:g} s; twin needs a step that divides one day"
        )
    gaps = np.nonzero(np.abs(d - step) > 1e-3)[0]
    if gaps.size:
        g = gaps[0]
        raise UserError(
            f"{paths[fidx[g + 1]]}: variable '{pvar}': gap in time between "
            f"{iso(real[g]) if np.isfinite(real[g]) else native[g]} and "
            f"{iso(real[g + 1]) if np.isfinite(real[g + 1]) else native[g + 1]} "
            f"(expected a step of {step:g} s); fill the gap or add the missing file"
        )
    valid = np.isfinite(real)
    real_v = real[valid]
    axis = np.arange(real_v[0], real_v[-1] + 0.5 * step, step)
    pos = np.searchsorted(real_v, axis)
    pos = np.clip(pos, 0, real_v.size - 1)
    src = np.where(np.abs(real_v[pos] - axis) < 1e-3, np.nonzero(valid)[0][pos], -1)
    # real dates missing from the file's calendar take the same hour of an earlier day
    for k in np.nonzero(src < 0)[0]:
        back = k - round(86400 / step)
        while back >= 0 and src[back] < 0:
            back -= round(86400 / step)
        if back < 0:
            raise UserError(f"forcing: no earlier day to fill {iso(axis[k])} from")
        src[k] = src[back]
    data = {q: a[:, src] for q, a in data.items()}
    dom = dom[src]
    if label == "end":
        axis = axis[:-1]
        for q in data:
            data[q] = data[q][:, :-1] if QUANTITIES[q].kind == "temperature" else data[q][:, 1:]
        dom = dom[:-1]
    # Each sample holds over [t, t + step): the last one must reach the run's end, so a
    # file ending at 23:00 covers a run ending at midnight.
    if axis.size == 0 or axis[0] > start_s + 1e-6 or axis[-1] + step < end_s - 1e-6:
        span = f"{iso(axis[0])} to {iso(axis[-1])}" if axis.size else "nothing"
        raise UserError(
            f"forcing covers {span}, not the run {iso(start_s)} to {iso(end_s)} "
            f"(files: {covered}); add files or shorten the run"
        )
    i0 = int(np.searchsorted(axis, start_s + 1e-6) - 1)
    i1 = int(np.searchsorted(axis, end_s - 1e-6))
    sl = slice(max(i0, 0), i1 + 1)
    pet = data.get("potential_evaporation")
    if pet is not None and pet.size and np.nanmean(pet) < 0:
        log.info("potential evaporation is negative on average (ECMWF sign); taking magnitudes")
        pet = -pet
    if pet is not None:
        pet = np.clip(pet, 0.0, None)
    return GriddedForcing(
        times_s=axis[sl],
        step_s=step,
        row_ids=list(weights.row_ids),
        precipitation_m_s=np.clip(data["precipitation"][:, sl], 0.0, None),
        air_temperature_c=data["air_temperature"][:, sl],
        potential_evaporation_m_s=None if pet is None else pet[:, sl],
        shortwave_w_m2=None
        if "shortwave_radiation" not in data
        else np.clip(data["shortwave_radiation"][:, sl], 0.0, None),
        domain_air_temperature_c=dom[sl],
        weights=weights,
        grid=grid,
        files=paths,
        variables=names,
    )
