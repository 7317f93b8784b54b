"""What the water quality takes from each hydrodynamic step."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class HydroFluxes(NamedTuple):
    """The hydrodynamic step just taken, as the transport needs it (SI). The arrays are the
    solver's own, overwritten by every step: read them between steps, never keep them.

    Step means over [t_n, t_n + dt] (m3/s), such that for every cell and storage node
    V^(n+1) - V^n = dt * (inflows - outflows) exactly:

    q_point: discharge through each computational point (theta-weighted over the step);
    q_struct: discharge through each structure, from its from_node to its to_node;
    q_ext: external inflow into each node (boundary discharge and point laterals);
    q_evap: evaporation from each storage node (water leaves, dissolved mass stays);
    q_bc: the part of q_ext that a discharge boundary delivers;
    q_lat: lateral inflow into each reach cell (negative: withdrawal);
    q_rating: outflow through each rating-curve boundary.

    Volumes (m3) as the continuity equations carried them: v_cell0 and v_node0 at the start
    of the step, v_cell1 and v_node1 at its end (nodes relative to the datum: only changes
    count).

    At the end of the step: q_now, discharge per point (m3/s); area, top width and
    conveyance per point (m2, m, m3/s); z_node, level per node (m)."""

    q_point: np.ndarray
    q_struct: np.ndarray
    q_ext: np.ndarray
    q_evap: np.ndarray
    q_bc: np.ndarray
    q_lat: np.ndarray
    q_rating: np.ndarray
    v_cell0: np.ndarray
    v_node0: np.ndarray
    v_cell1: np.ndarray
    v_node1: np.ndarray
    q_now: np.ndarray
    area: np.ndarray
    width: np.ndarray
    conveyance: np.ndarray
    z_node: np.ndarray
