"""The finite volumes of the transport and the work arrays of a step.

Cells: the volumes between computational points of each reach (reach cells), then one node
cell per storage node (lake) and per junction with a water surface. Junctions without a
surface are mixing points (zero volume); level and tide boundaries are reservoirs (inflow
brings their concentration, outflow leaves). ``twin.quality.compile.build_topology`` makes
the arrays from the network.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

NODE_VOLUME, NODE_MIXING, NODE_RESERVOIR = 0, 1, 2
"""Node kinds: a cell of its own, a mixing point without volume, a boundary reservoir."""
V_DRY_M3 = 1e-3
"""Cells holding less water than this (m3) are dry: they keep their concentration and give
no more than they hold."""


class TransportArrays(NamedTuple):
    """Transport topology (indices). Vertices 0..n_tc-1 are cells (reach cells first, then
    node cells); vertex n_tc + j stands for node j when it has no cell (mixing or reservoir).

    n_tc, n_rc: number of cells, and of reach cells among them;
    node_type[j]: NODE_VOLUME, NODE_MIXING or NODE_RESERVOIR;
    node_vertex[j]: the vertex of node j (its cell, else n_tc + j);
    node_cell[j]: the cell of node j, -1 if none;
    node_voff[j]: volume offset (m3): node cell volume = hydro node volume - voff (the
        hydro counts junction volumes from the datum);
    node_first_cell[j]: a reach end cell next to node j, where a load goes when nothing
        flows through a mixing node;
    if_left[f], if_right[f]: the cells on either side of interior face f of a reach;
    if_point[f]: the point whose discharge crosses face f (positive: left to right);
    if_ll[f], if_rr[f]: the cell beyond the left one and beyond the right one in the same
        reach, -1 at its ends (the limiter's upwind-upwind cell);
    ef_cell[f], ef_node[f], ef_point[f]: reach-end face f: the reach's end cell, the node,
        and the point whose discharge crosses it;
    ef_sign[f]: +1 where positive discharge runs node -> cell (the reach's start), -1 where
        it runs cell -> node (its end);
    st_from[s], st_to[s]: the nodes structure s joins (positive discharge from -> to);
    reach_cell_ptr: CSR offsets of the reach cells of each reach (n_reaches + 1);
    node_ef_ptr, node_ef: CSR of the reach-end faces at each node;
    node_st_ptr, node_st: CSR of the structures at each node.
    """

    n_tc: int
    n_rc: int
    node_type: np.ndarray
    node_vertex: np.ndarray
    node_cell: np.ndarray
    node_voff: np.ndarray
    node_first_cell: np.ndarray
    if_left: np.ndarray
    if_right: np.ndarray
    if_point: np.ndarray
    if_ll: np.ndarray
    if_rr: np.ndarray
    ef_cell: np.ndarray
    ef_node: np.ndarray
    ef_point: np.ndarray
    ef_sign: np.ndarray
    st_from: np.ndarray
    st_to: np.ndarray
    reach_cell_ptr: np.ndarray
    node_ef_ptr: np.ndarray
    node_ef: np.ndarray
    node_st_ptr: np.ndarray
    node_st: np.ndarray


class TransportWork(NamedTuple):
    """Work arrays of the advection and dispersion of one step (c: cell, j: node, f: face,
    k: tracer column), overwritten by every step.

    v0, v1, vs: cell volumes (m3) at the step's start, its end and the current sub-step;
    out_rate[c]: water leaving reach cell c (m3/s); n_out[c]: its number of ways out this
        step; div_cells: the first entries list the reach cells with more than one way out
        (only they can be asked for more than they hold);
    dmass[c, k]: mass change of reach cell c in the sub-step (g/s);
    out_mass[c, k]: mass the cell would give in the sub-step (g; cells in div_cells, total
        columns) and scale[c] the factor (<= 1, -) on its outgoing fluxes that keeps it
        within the cell's mass;
    node_qout[j]: water leaving node j (m3/s): into reaches and structures, withdrawals,
        rating outflow;
    node_in[j, k]: mass entering node j from reach cells in the sub-step (g);
    node_prev[k]: a node's concentrations before a sweep of a loop of nodes (mg/L), to
        test convergence;
    order: the nodes in the order they are solved; indeg[j]: structures feeding node j
        from nodes not yet ordered (Kahn's algorithm);
    frac_end[0]: the share of the step at the end of the current sub-step (-);
    qface_int[f]: discharge through interior face f (m3/s, positive left -> right);
    qface_end[f]: discharge through reach-end face f (m3/s, positive node -> cell);
    flux_int[f, k]: mass flux through interior face f (g/s, before the cell factor);
    flux_end[f, k]: mass flux from a reach end cell into its node (g/s);
    tri_a, tri_b, tri_c: sub-, main and super-diagonal of a reach's dispersion system (m3),
        then the elimination's multipliers and reciprocal pivots; tri_k[i]: exchange
        coefficient D A / dx of the face between the reach's cells i - 1 and i (m3/s);
        tri_x[i, k]: the system's right-hand side (g), then its solution (mg/L);
    step_in[j, k], step_out[j, k]: mass (g) of tracer k that entered and left the cell of
        node j (storage nodes, junctions with a surface) during the last ``advect`` call:
        through reach ends and structures, from loads and boundary inflow (in), by
        withdrawals and rating outflow (out). Nodes without a cell keep zeros.
    """

    v0: np.ndarray
    v1: np.ndarray
    vs: np.ndarray
    out_rate: np.ndarray
    dmass: np.ndarray
    out_mass: np.ndarray
    scale: np.ndarray
    n_out: np.ndarray
    div_cells: np.ndarray
    node_qout: np.ndarray
    node_in: np.ndarray
    node_prev: np.ndarray
    order: np.ndarray
    indeg: np.ndarray
    frac_end: np.ndarray
    qface_int: np.ndarray
    qface_end: np.ndarray
    flux_int: np.ndarray
    flux_end: np.ndarray
    tri_a: np.ndarray
    tri_b: np.ndarray
    tri_c: np.ndarray
    tri_k: np.ndarray
    tri_x: np.ndarray
    step_in: np.ndarray
    step_out: np.ndarray


@numba.njit(cache=True)
def set_volumes(ta, vcell, vnode, w):
    """Transport volumes at the step's start (w.v0) from the hydro volumes (m3)."""
    for c in range(ta.n_rc):
        w.v0[c] = vcell[c]
    for j in range(ta.node_cell.size):
        if ta.node_cell[j] >= 0:
            w.v0[ta.node_cell[j]] = vnode[j] - ta.node_voff[j]
