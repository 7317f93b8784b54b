"""Schema of the nightly forecast settings (``[forecast]`` in a model or scenario)."""

from __future__ import annotations

from pydantic import Field

from .base import StrictModel


class ForecastSettings(StrictModel):
    """How a forecast cycle runs: an observed hindcast window ending at the cycle time, then
    the forecast window on forecast forcing."""

    hindcast_hours: float = Field(
        24.0, gt=0, le=24 * 30, description="Observed window before the cycle time, h."
    )
    lead_hours: float = Field(72.0, gt=0, le=24 * 16, description="Forecast length, h.")
    spinup_days: float = Field(
        10.0,
        ge=0,
        le=365,
        description="Cold start: days run on observed forcing before the hindcast window, "
        "from the configured initial conditions (lakes and their concentrations need days "
        "to weeks to forget them).",
    )
    keep_restarts: int = Field(
        7, ge=1, le=365, description="Restart files kept in the state folder."
    )
