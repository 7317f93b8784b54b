"""What forcing preparation hands to the model: inflows of water and mass, and temperatures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import xarray


@dataclass
class Inflow:
    """One source of water and/or mass entering the network.

    id : unique id, e.g. 'wwtp_qiandeng', 'wwtp_qiandeng.bypass', 'c01.runoff',
        'c01.untreated_sewage', 'c01.withdrawal', 'dianshan.atmosphere', 'dianshan.evaporation'.
    group : apportionment group, one of ``twin.config.sources.SOURCE_GROUPS``.
    node : enters at this node, or
    reach : on this reach at ``chainage_m`` (m from its from_node), or spread uniformly over
        [chainage_m, chainage_to_m] (the whole reach when both are None).
    discharge_m3s : [nt] on ``PreparedForcing.times_s``, mean over [t_k, t_k + step);
        negative for a withdrawal; 0 for a pure mass load (deposition).
    load_g_s : species (on, nh3n, no3n, op, po4p, and tracer where given) -> [nt] g s-1,
        mean over each interval.
    evaporation : True when the (negative) discharge is evaporation: the water leaves, its
        dissolved mass stays. A withdrawal (False) takes water at the ambient concentration.
    tags : the source's tags from the config (e.g. 'phosphorus'), for reporting.
    """

    id: str
    group: str
    node: str | None
    reach: str | None
    chainage_m: float | None
    chainage_to_m: float | None
    discharge_m3s: np.ndarray
    load_g_s: dict[str, np.ndarray]
    evaporation: bool = False
    tags: tuple[str, ...] = ()


@dataclass
class ForcingState:
    """The stores a forcing window hands to the next one, at ``time_s`` (epoch s): the
    runoff stores per catchment (``twin.forcing.runoff.STATE_COLUMNS``) and polder masses
    (g), and the water temperature before clipping (degC). With it a hot start continues
    the runoff and temperature exactly as an uninterrupted run would."""

    time_s: float
    runoff: np.ndarray
    runoff_mass: np.ndarray
    water_temperature_c: float

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "time_s": np.array([self.time_s]),
            "runoff": self.runoff,
            "runoff_mass": self.runoff_mass,
            "water_temperature_c": np.array([self.water_temperature_c]),
        }

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray]) -> ForcingState:
        return cls(float(a["time_s"][0]), np.asarray(a["runoff"]), np.asarray(a["runoff_mass"]),
                   float(a["water_temperature_c"][0]))  # fmt: skip


@dataclass
class PreparedForcing:
    """Forcing on a regular time axis covering the run.

    times_s : [nt] epoch seconds UTC, regular; every series holds its value over
        [t_k, t_k + step_s) (interval means), so a caller should hold values (step
        interpolation) to keep volumes and masses exact.
    inflows : every source of water or mass.
    air_temperature_c : [nt] area-weighted over the catchments (or the forcing domain).
    water_temperature_c : [nt] from air temperature (``twin.forcing.temperature``) or constant.
    report : every catchment's and source's series, for reporting.
    step_s : the spacing of ``times_s`` (s).
    """

    times_s: np.ndarray
    inflows: list[Inflow]
    air_temperature_c: np.ndarray
    water_temperature_c: np.ndarray
    report: xarray.Dataset
    step_s: float = 3600.0
    notes: list[str] = field(default_factory=list)
    state_end: ForcingState | None = None
    """The stores at the run's end, for a hot start of the next window (None when the end is
    not on the forcing's time axis)."""

    def inflow(self, inflow_id: str) -> Inflow:
        for f in self.inflows:
            if f.id == inflow_id:
                return f
        raise KeyError(inflow_id)
