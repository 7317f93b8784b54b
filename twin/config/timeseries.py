"""Time series in the config: inline lists or a CSV file of ISO times and values."""

from __future__ import annotations

import csv
import itertools
from datetime import UTC, datetime
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from .base import Identifier, Provenance, RelPath


def to_utc_naive(t: datetime) -> datetime:
    """Times in twin are UTC. Naive times are taken as UTC; aware times are converted."""
    if t.tzinfo is not None:
        t = t.astimezone(UTC).replace(tzinfo=None)
    return t


def epoch_seconds(t: datetime) -> float:
    """Seconds since 1970-01-01T00:00:00 UTC (float64), the time axis of every kernel."""
    return (to_utc_naive(t) - datetime(1970, 1, 1)).total_seconds()


class TimeSeries(Provenance):
    """A named time series, referenced by id wherever a value may vary in time.

    Either ``times`` and ``values`` inline, or ``file``: a CSV with a header row, a time
    column (ISO 8601, UTC unless an offset is given) and one or more value columns; ``column``
    names the one to use (default: the second column).
    """

    id: Identifier
    units: str = Field(..., description="Units of the values, e.g. 'm3 s-1', 'm', 'mg L-1'.")
    times: list[datetime] | None = None
    values: list[float] | None = None
    file: RelPath | None = None
    column: str | None = None
    interpolation: Literal["linear", "previous"] = Field(
        "linear", description="linear between samples, or hold the previous sample (step)."
    )

    @model_validator(mode="after")
    def _check(self) -> TimeSeries:
        if self.file is not None:
            if self.times is not None or self.values is not None:
                raise ValueError("give either 'file' or 'times' and 'values', not both")
            times, values = read_series_csv(self.file, self.column)
            self.__dict__["times"] = times
            self.__dict__["values"] = values
        if self.times is None or self.values is None:
            raise ValueError("give 'times' and 'values' (equal length), or a CSV 'file'")
        if len(self.times) != len(self.values):
            raise ValueError(
                f"'times' has {len(self.times)} entries but 'values' has {len(self.values)}"
            )
        if len(self.times) < 1:
            raise ValueError("a time series needs at least one sample")
        times = [to_utc_naive(t) for t in self.times]
        if any(b <= a for a, b in itertools.pairwise(times)):
            raise ValueError("times must be strictly increasing")
        if not all(np.isfinite(self.values)):
            raise ValueError("values must be finite numbers (no NaN or inf)")
        self.__dict__["times"] = times
        return self

    def epoch_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(times in epoch seconds, values) as float64 arrays."""
        t = np.array([epoch_seconds(x) for x in self.times], dtype=np.float64)
        return t, np.asarray(self.values, dtype=np.float64)


def read_series_csv(path, column: str | None) -> tuple[list[datetime], list[float]]:
    """Read a time series CSV; raises ValueError with the line number on bad content."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except OSError as exc:
        raise ValueError(f"cannot read time series file {path}: {exc.strerror}") from None
    if len(rows) < 2:
        raise ValueError(f"{path}: needs a header row and at least one data row")
    header = [h.strip() for h in rows[0]]
    if column is None:
        if len(header) < 2:
            raise ValueError(f"{path}: needs a time column and a value column")
        col = 1
    elif column in header:
        col = header.index(column)
    else:
        raise ValueError(f"{path}: no column '{column}' (columns: {', '.join(header)})")
    times, values = [], []
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue
        try:
            times.append(datetime.fromisoformat(row[0].strip()))
            values.append(float(row[col]))
        except (ValueError, IndexError):
            raise ValueError(f"{path}, line {lineno}: expected an ISO time and a number") from None
    return times, values
