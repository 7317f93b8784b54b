"""Gridded weather forcing, runoff and pollutant loads.

``prepare_forcing(cfg)`` turns a loaded config into ``PreparedForcing``: a regular time axis
covering the run, a list of ``Inflow`` (water and mass entering the network by source and
apportionment group), air and water temperatures, and a report Dataset.

Modules: gridded (NetCDF reader), grid, geometry and weights (grid to catchment), units,
evaporation, runoff (plain polder runoff kernel), loads (standards, coefficients, splits),
sewage (plants, enterprises, domestic sewage), temperature, report, prepare.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .prepared import ForcingState, Inflow, PreparedForcing

if TYPE_CHECKING:
    from ..config.loaded import LoadedConfig

__all__ = ["ForcingState", "Inflow", "PreparedForcing", "prepare_forcing"]


def prepare_forcing(cfg: LoadedConfig, state: ForcingState | None = None) -> PreparedForcing:
    """See ``twin.forcing.prepare.prepare_forcing``."""
    from .prepare import prepare_forcing as _prepare

    return _prepare(cfg, state)
