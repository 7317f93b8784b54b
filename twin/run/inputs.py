"""Prepared forcing turned into what the solvers take: lateral water (m3/s) for the
hydrodynamics, mass loads (g/s) for the water quality, and the water temperature."""

from __future__ import annotations

import numpy as np

from ..forcing import PreparedForcing
from ..hydro.compile import ExtraLateral
from ..network.topology import CompiledNetwork, reach_cells_between
from ..quality.loads import PointLoad
from ..series import INTERP_PREVIOUS


def _where(inflow, net: CompiledNetwork, reach_length: dict[str, float]):
    """(node index or -1, cells, shares) where an inflow enters."""
    if inflow.node is not None:
        return net.node_index(inflow.node), np.zeros(0, np.int64), np.zeros(0)
    r = net.reach_index(inflow.reach)
    if inflow.chainage_m is not None and inflow.chainage_to_m is None:
        _, cell, _ = net.locate(inflow.reach, inflow.chainage_m)
        return -1, np.array([cell], np.int64), np.array([1.0])
    ch0 = inflow.chainage_m or 0.0
    ch1 = inflow.chainage_to_m if inflow.chainage_to_m is not None else reach_length[inflow.reach]
    cells, shares = reach_cells_between(net, r, ch0, ch1)
    return -1, cells, shares


def model_inputs(forcing: PreparedForcing, net: CompiledNetwork, reach_length: dict[str, float]):
    """(extra laterals, point loads, (times s, water temperature C)) from prepared forcing.

    Every series of the forcing is an interval mean, so they are held constant over each
    interval (previous-value interpolation) and integrated exactly over each model step.
    """
    laterals: list[ExtraLateral] = []
    loads: list[PointLoad] = []
    t = np.asarray(forcing.times_s, float)
    for f in forcing.inflows:
        node, cells, shares = _where(f, net, reach_length)
        q = np.asarray(f.discharge_m3s, float)
        if np.any(q != 0.0):
            laterals.append(
                ExtraLateral(
                    name=f.id, times_s=t, discharge_m3s=q, node=node, cells=cells, shares=shares,
                    interpolation=INTERP_PREVIOUS, evaporation=f.evaporation,
                )
            )  # fmt: skip
        rates = {
            sp: np.asarray(v, float) for sp, v in f.load_g_s.items() if np.any(np.asarray(v) != 0)
        }
        if rates:
            loads.append(
                PointLoad(
                    group=f.group, times_s=t, load_g_s=rates, node=node, cells=cells,
                    shares=shares, interpolation=INTERP_PREVIOUS, name=f.id,
                )
            )  # fmt: skip
    return laterals, loads, (t, np.asarray(forcing.water_temperature_c, float))
