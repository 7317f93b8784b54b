"""Schema of ``[observations]``: station files a run is scored against (``twin skill``)."""

from __future__ import annotations

from pydantic import Field

from .base import RelPath, StrictModel


class ObservationSettings(StrictModel):
    """Station observation files (CSV or CF timeSeries NetCDF; README, "Observations and
    skill"). A run with this table writes ``skill/`` in its results folder; the files are
    read and checked against the run (stations, quantities, period) when the config loads."""

    files: list[RelPath] = Field(..., min_length=1, description="Observation files.")
