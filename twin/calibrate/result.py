"""The record of a calibration, filled in by ``twin.calibrate.driver`` and written by
``twin.calibrate.outputs``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..observe.files import Observations
from .spec import Parameter

UNCONSTRAINED_RATIO = 0.8
"""A parameter whose posterior sd is above this share of its prior sd (transformed space)
is reported as not constrained by the observations."""


@dataclass
class Calibration:
    """What a calibration did and found (values in each parameter's own units)."""

    out: Path
    scenario: str
    parameters: list[Parameter]
    observations: Observations
    d_obs: np.ndarray
    sd: np.ndarray
    members: int
    iterations: int
    seed: int
    scheduler: str
    prior: np.ndarray
    """(N, P) prior ensemble."""
    localize: float = 0.0
    posterior: np.ndarray | None = None
    """(n, P) posterior ensemble (the members that survived)."""
    posterior_ids: list[int] = field(default_factory=list)
    prior_median: np.ndarray | None = None
    posterior_median: np.ndarray | None = None
    x_prior_sd: np.ndarray | None = None
    x_posterior_sd: np.ndarray | None = None
    objective: list[dict] = field(default_factory=list)
    """Per iteration: iteration, members, mean, median, ensemble_mean (weighted SSR)."""
    member_rows: list[list] = field(default_factory=list)
    dropped: list[tuple[int, int, str, str]] = field(default_factory=list)
    """(iteration, member, error kind, error) of every member dropped."""
    objective_prior_median: float = np.nan
    objective_posterior_median: float = np.nan
    runs: int = 0
    run_time_s: float = 0.0
    """Sum of the members' wall times (s)."""
    wall_time_s: float = 0.0
    ensemble_wall_s: float = 0.0
    files: list[Path] = field(default_factory=list)

    @property
    def ratio(self) -> np.ndarray:
        return self.x_posterior_sd / self.x_prior_sd

    @property
    def constrained(self) -> np.ndarray:
        return self.ratio <= UNCONSTRAINED_RATIO
