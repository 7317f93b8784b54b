"""Station observation files: CSV with one value a row, and CF discrete-sampling NetCDF
(``featureType = "timeSeries"``), read into one table in canonical units and UTC.

CSV (UTF-8, a byte-order mark is accepted), header row, columns in any order:

    station_id,time,quantity,value,units[,qualifier][,aggregation][,source][,confidence]

``time`` is ISO 8601 with an offset or ``Z`` (``2024-07-01T08:00+08:00``); for an aggregated
value (``daily_mean``, ``monthly_mean``, ``annual_mean``) it is the start of the period, and
the period follows the calendar of that offset (a Kunshan day runs 00:00-24:00 +08:00).
``qualifier`` ``<`` marks a value below the detection limit given as ``value``.

NetCDF: the station variable has ``cf_role = "timeseries_id"``; every data variable along
the station dimension and a time dimension is read, its quantity from its name (a key of
``QUANTITIES``) or its ``standard_name`` (``STANDARD_NAMES``), its unit from ``units``, its
aggregation from an ``aggregation`` attribute (default ``instant``). Times are CF-decoded and
taken as UTC.

Every problem in every file is collected and reported together (file, row or variable,
field, fix), like a config error."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..errors import ConfigError, ConfigIssue
from .quantities import AGGREGATIONS, QUANTITIES, conversion

REQUIRED = ("station_id", "time", "quantity", "value", "units")
OPTIONAL = ("qualifier", "aggregation", "source", "confidence")
QUALIFIERS = ("", "<")
CONFIDENCE = ("measured", "published", "estimated", "assumed", "synthetic")

STANDARD_NAMES = {
    "water_surface_height_above_reference_datum": "water_level",
    "water_volume_transport_in_river_channel": "discharge",
    "sea_water_temperature": "water_temperature",
    "mass_concentration_of_oxygen_in_sea_water": "do",
    "mass_concentration_of_chlorophyll_a_in_sea_water": "chla",
}
"""CF standard names that identify a quantity (others go by the variable's name)."""


@dataclass
class Observations:
    """Observed values, one per entry, in canonical units (``twin.observe.quantities``).

    ``t_s`` is the time (epoch s, UTC) of an instant value or the start of an aggregated
    one; ``utc_offset_s`` the offset the file gave (the calendar of its periods);
    ``below_detection`` marks values given as a detection limit. ``origin`` names the file
    and row (or variable and index) of each value, as (path, place)."""

    station: np.ndarray
    quantity: np.ndarray
    t_s: np.ndarray
    utc_offset_s: np.ndarray
    value: np.ndarray
    aggregation: np.ndarray
    below_detection: np.ndarray
    source: np.ndarray
    confidence: np.ndarray
    origin: list[tuple[Path, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.value.size)

    @property
    def synthetic(self) -> bool:
        """Whether any value is labelled synthetic."""
        return bool(np.any(self.confidence == "synthetic"))

    def select(self, mask: np.ndarray) -> Observations:
        idx = np.nonzero(mask)[0]
        return Observations(
            self.station[idx],
            self.quantity[idx],
            self.t_s[idx],
            self.utc_offset_s[idx],
            self.value[idx],
            self.aggregation[idx],
            self.below_detection[idx],
            self.source[idx],
            self.confidence[idx],
            [self.origin[i] for i in idx],
        )


class _Rows:
    """Accumulates rows and the issues found in them."""

    def __init__(self):
        self.rows: list[tuple] = []
        self.issues: list[ConfigIssue] = []
        self.seen: dict[tuple, str] = {}

    def add(self, path: Path, where: str, rec: dict) -> None:
        """Check one record (strings or numbers) and keep it when it is sound."""
        bad = False

        def issue(fieldname: str, message: str, fix: str) -> None:
            nonlocal bad
            bad = True
            self.issues.append(ConfigIssue(path, f"{where}.{fieldname}", message, fix))

        station = str(rec.get("station_id", "")).strip()
        if not station:
            issue("station_id", "empty station id", "give the station's id")
        quantity = str(rec.get("quantity", "")).strip().lower()
        if quantity not in QUANTITIES:
            issue(
                "quantity",
                f"unknown quantity '{quantity}'",
                f"use one of {', '.join(QUANTITIES)}",
            )
        t, offset = _parse_time(rec.get("time"))
        if t is None:
            issue(
                "time",
                f"'{rec.get('time')}' is not an ISO 8601 time with an offset",
                "write e.g. 2024-07-01T08:00+08:00 or 2024-07-01T00:00Z",
            )
        value = _number(rec.get("value"))
        if value is None or not math.isfinite(value):
            issue("value", f"'{rec.get('value')}' is not a finite number", "give a number")
        unit = str(rec.get("units", ""))
        conv = conversion(quantity, unit) if quantity in QUANTITIES else None
        if quantity in QUANTITIES and conv is None:
            known = ", ".join(sorted(QUANTITIES[quantity].units))
            issue("units", f"unit '{unit}' is not known for {quantity}", f"use one of {known}")
        qualifier = str(rec.get("qualifier", "") or "").strip()
        if qualifier not in QUALIFIERS:
            issue("qualifier", f"unknown qualifier '{qualifier}'", "leave it empty, or '<'")
        aggregation = str(rec.get("aggregation", "") or "instant").strip().lower()
        if aggregation not in AGGREGATIONS:
            issue(
                "aggregation",
                f"unknown aggregation '{aggregation}'",
                f"use one of {', '.join(AGGREGATIONS)}",
            )
        confidence = str(rec.get("confidence", "") or "measured").strip().lower()
        if confidence not in CONFIDENCE:
            issue(
                "confidence",
                f"unknown confidence '{confidence}'",
                f"use one of {', '.join(CONFIDENCE)}",
            )
        if bad:
            return
        v = value * conv[0] + conv[1]
        if v < QUANTITIES[quantity].lower:
            issue(
                "value",
                f"{value} {unit} is below the physical limit of {quantity}",
                "check the value and its unit",
            )
            return
        key = (station, quantity, t, aggregation)
        if key in self.seen:
            issue(
                "time",
                f"a second {aggregation} {quantity} value for station '{station}' at "
                f"{rec.get('time')} (first: {self.seen[key]})",
                "remove the duplicate row",
            )
            return
        self.seen[key] = f"{path.name} {where}"
        self.rows.append(
            (
                station,
                quantity,
                t,
                offset,
                v,
                aggregation,
                qualifier == "<",
                str(rec.get("source", "") or ""),
                confidence,
                (path, where),
            )
        )

    def table(self) -> Observations:
        cols = list(zip(*self.rows, strict=True)) if self.rows else [()] * 10
        return Observations(
            np.array(cols[0], dtype=object),
            np.array(cols[1], dtype=object),
            np.array(cols[2], float),
            np.array(cols[3], float),
            np.array(cols[4], float),
            np.array(cols[5], dtype=object),
            np.array(cols[6], bool),
            np.array(cols[7], dtype=object),
            np.array(cols[8], dtype=object),
            list(cols[9]),
        )


def _number(v) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _parse_time(text) -> tuple[float | None, float]:
    """(epoch s UTC, offset s) of an ISO 8601 time with an offset or Z; (None, 0) otherwise."""
    if not isinstance(text, str) or not text.strip():
        return None, 0.0
    s = text.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    try:
        t = datetime.fromisoformat(s)
    except ValueError:
        return None, 0.0
    if t.tzinfo is None or t.utcoffset() is None:
        return None, 0.0
    return t.timestamp(), t.utcoffset().total_seconds()


def _read_csv(path: Path, rows: _Rows) -> None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED if c not in header]
            unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
            if missing or unknown:
                if missing:
                    rows.issues.append(
                        ConfigIssue(
                            path,
                            "header",
                            f"missing column(s) {', '.join(missing)}",
                            f"the header must name {', '.join(REQUIRED)}",
                        )
                    )
                if unknown:
                    rows.issues.append(
                        ConfigIssue(
                            path,
                            "header",
                            f"unknown column(s) {', '.join(unknown)}",
                            f"columns are {', '.join(REQUIRED + OPTIONAL)}",
                        )
                    )
                return
            reader.fieldnames = header
            for n, rec in enumerate(reader, start=2):
                rows.add(path, f"row {n}", rec)
    except UnicodeDecodeError as exc:
        rows.issues.append(ConfigIssue(path, "", f"not UTF-8 text ({exc})", "save it as UTF-8"))


def _read_netcdf(path: Path, rows: _Rows) -> None:
    import xarray as xr

    try:
        ds = xr.open_dataset(path)
    except (OSError, ValueError) as exc:
        rows.issues.append(ConfigIssue(path, "", f"cannot be read as NetCDF ({exc})", ""))
        return
    with ds:
        ids = [v for v in ds.variables if ds[v].attrs.get("cf_role") == "timeseries_id"]
        if ds.attrs.get("featureType", "").lower() != "timeseries" or not ids:
            rows.issues.append(
                ConfigIssue(
                    path,
                    "featureType",
                    "not a CF timeSeries file (featureType and a timeseries_id variable)",
                    'set featureType = "timeSeries" and cf_role = "timeseries_id" on the '
                    "station variable",
                )
            )
            return
        sid = ds[ids[0]]
        sdim = sid.dims[0]
        stations = [x.decode() if isinstance(x, bytes) else str(x) for x in sid.values]
        for name, var in ds.data_vars.items():
            if sdim not in var.dims or name == ids[0] or var.ndim != 2:
                continue
            quantity = STANDARD_NAMES.get(var.attrs.get("standard_name", ""), str(name).lower())
            tdim = next(d for d in var.dims if d != sdim)
            times = _times_of(ds, var, tdim, sdim)
            if times is None:
                rows.issues.append(
                    ConfigIssue(path, str(name), "no time coordinate", "add a CF time variable")
                )
                continue
            values = var.transpose(sdim, tdim).values
            aggregation = var.attrs.get("aggregation", "instant")
            for i, st in enumerate(stations):
                for k in range(values.shape[1]):
                    v = values[i, k]
                    t = times[i, k] if times.ndim == 2 else times[k]
                    if not np.isfinite(v) or np.isnat(t):
                        continue  # the fill of an incomplete array
                    iso = np.datetime_as_string(t, unit="s") + "Z"
                    rows.add(
                        path,
                        f"{name}[{i},{k}]",
                        {
                            "station_id": st,
                            "time": iso,
                            "quantity": quantity,
                            "value": float(v),
                            "units": var.attrs.get("units", ""),
                            "aggregation": aggregation,
                            "source": var.attrs.get("source", ds.attrs.get("source", "")),
                            "confidence": var.attrs.get("confidence", "measured"),
                        },
                    )


def _times_of(ds, var, tdim: str, sdim: str):
    """datetime64 times of a variable: a 1-D time coordinate, or time(station, obs)."""
    for cand in [tdim, *var.attrs.get("coordinates", "").split(), "time"]:
        if cand in ds.variables and np.issubdtype(ds[cand].dtype, np.datetime64):
            t = ds[cand]
            if t.dims == (tdim,):
                return t.values
            if set(t.dims) == {sdim, tdim}:
                return t.transpose(sdim, tdim).values
    return None


def collect_observations(paths) -> tuple[Observations, list[ConfigIssue]]:
    """The sound values of the given files and every problem found in them."""
    rows = _Rows()
    for p in paths:
        path = Path(p)
        if not path.is_file():
            rows.issues.append(
                ConfigIssue(path, "", "observation file not found", "check the path")
            )
            continue
        if path.suffix.lower() in (".nc", ".nc4", ".cdf"):
            _read_netcdf(path, rows)
        else:
            _read_csv(path, rows)
    return rows.table(), rows.issues


def read_observations(paths) -> Observations:
    """Every value of the given files; raises ConfigError naming every problem in them."""
    obs, issues = collect_observations(paths)
    if issues:
        raise ConfigError(issues)
    return obs


def iso_local(t_s: float, offset_s: float) -> str:
    """An epoch time written in the calendar of its offset, e.g. 2024-07-01T08:00+08:00."""
    from datetime import timedelta, timezone

    tz = timezone(timedelta(seconds=offset_s))
    return datetime.fromtimestamp(t_s, UTC).astimezone(tz).isoformat(timespec="minutes")
