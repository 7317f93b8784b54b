"""Checks on the forcing files of a cycle, before anything runs: present, readable, on time
and consistent. A failure here is a user-level error: no product is made."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import netCDF4
import numpy as np

from ..errors import UserError
from .publish import sha256


def _reference_time(path: Path) -> datetime | None:
    """The file's forecast_reference_time (a variable, coordinate or global attribute)."""
    with netCDF4.Dataset(path) as ds:
        for name, v in ds.variables.items():
            if (
                name == "forecast_reference_time"
                or getattr(v, "standard_name", "") == "forecast_reference_time"
            ):
                value = v[...]
                t = netCDF4.num2date(
                    np.ravel(value)[0], v.units, getattr(v, "calendar", "standard")
                )
                return datetime(t.year, t.month, t.day, t.hour, t.minute, t.second)
        text = getattr(ds, "forecast_reference_time", None)
    return datetime.fromisoformat(str(text).replace("Z", "")) if text else None


def _time_span(path: Path) -> tuple[datetime, datetime] | None:
    """First and last time stamp of the file (UTC), or None when it has no time axis that
    netCDF4 can decode (the gridded reader then reports what is wrong)."""
    with netCDF4.Dataset(path) as ds:
        for name, v in ds.variables.items():
            is_time = name in ("time", "valid_time") or getattr(v, "standard_name", "") == "time"
            if not is_time or v.ndim != 1 or v.size == 0 or "since" not in getattr(v, "units", ""):
                continue
            values = np.asarray(v[...], dtype=float)
            values = values[np.isfinite(values)]
            if values.size == 0:
                return None
            cal = getattr(v, "calendar", "standard")
            ends = netCDF4.num2date([values.min(), values.max()], v.units, cal)
            return tuple(datetime(t.year, t.month, t.day, t.hour, t.minute, t.second) for t in ends)
    return None


def _check_cover(role: str, what: str, paths: list[Path], spans: list, window) -> None:
    """The files of one role must span the window they drive. Only the first and last time
    stamps are compared here, before anything runs; gaps and end-labelled fluxes are the
    gridded reader's to check."""
    known = [s for s in spans if s is not None]
    if window is None or not known:
        return
    first, last = min(s[0] for s in known), max(s[1] for s in known)
    start, end = window
    if first <= start and last >= end:
        return
    files = ", ".join(str(p) for p in paths)
    raise UserError(
        f"{role} forcing does not cover the {what}: it needs {start.isoformat()} to "
        f"{end.isoformat()}, the files ({files}) cover {first.isoformat()} to "
        f"{last.isoformat()}; give {role} files that cover the window"
    )


def _grid(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with netCDF4.Dataset(path) as ds:
        lon = next((ds[n][:] for n in ("lon", "longitude", "x") if n in ds.variables), None)
        lat = next((ds[n][:] for n in ("lat", "latitude", "y") if n in ds.variables), None)
    if lon is None or lat is None:
        raise UserError(f"{path}: no lon/lat coordinates found")
    return np.asarray(lon), np.asarray(lat)


def check_files(
    observed: list[Path],
    forecast: list[Path],
    cycle: datetime,
    hindcast: tuple[datetime, datetime, str] | None = None,
    lead: tuple[datetime, datetime] | None = None,
) -> list[dict]:
    """Verify the files and return their manifest entries (role, path, sha256, reference time).

    Errors: a missing or unreadable file; no observed or no forecast file; a forecast whose
    reference time is before the cycle (late: yesterday's forecast) or after it, or missing;
    grids that differ between files; observed files whose times do not span ``hindcast``
    (start, end, what: the hindcast window, from a restart or with a cold spin-up), forecast
    files that do not span ``lead`` (start, end).
    """
    if not observed:
        raise UserError(
            "no observed forcing given (--observed FILE ...): the hindcast window needs it"
        )
    if not forecast:
        raise UserError(
            "no forecast forcing given (--forecast FILE ...): the forecast window needs it"
        )
    entries = []
    grid = None
    windows = {
        "observed": (hindcast[:2], hindcast[2]) if hindcast else (None, ""),
        "forecast": (lead, "forecast window"),
    }
    for role, paths in (("observed", observed), ("forecast", forecast)):
        spans = []
        for p in paths:
            if not p.exists():
                raise UserError(f"{role} forcing file {p} not found")
            try:
                ref = _reference_time(p)
                lon, lat = _grid(p)
                spans.append(_time_span(p))
            except OSError as exc:
                raise UserError(f"{role} forcing file {p} cannot be read: {exc}") from None
            if grid is None:
                grid = (lon, lat, p)
            elif (
                lon.shape != grid[0].shape
                or lat.shape != grid[1].shape
                or not (np.allclose(lon, grid[0]) and np.allclose(lat, grid[1]))
            ):
                raise UserError(f"{role} forcing file {p} is on a different grid than {grid[2]}")
            if role == "forecast":
                if ref is None:
                    raise UserError(
                        f"forecast forcing file {p} has no forecast_reference_time; cannot tell "
                        "which forecast it is"
                    )
                if ref < cycle:
                    raise UserError(
                        f"forecast forcing is late: {p} was issued at {ref.isoformat()}, before the "
                        f"cycle {cycle.isoformat()}; wait for the new forecast or run the cycle it belongs to"
                    )
                if ref > cycle:
                    raise UserError(
                        f"forecast forcing {p} was issued at {ref.isoformat()}, after the cycle "
                        f"{cycle.isoformat()}: inconsistent inputs"
                    )
            entries.append(
                {"role": role, "path": str(p.absolute()), "sha256": sha256(p),
                 "forecast_reference_time": ref.isoformat() + "Z" if ref else None}
            )  # fmt: skip
        window, what = windows[role]
        _check_cover(role, what, paths, spans, window)
    return entries
