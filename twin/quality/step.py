"""One water-quality step after each hydrodynamic step (operator splitting: loads, advection,
dispersion, reactions), and the named tuples it works on: parameters, compiled inputs, state
and work arrays (SI units, concentrations in mg/L = g/m3)."""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from ..network.storage import node_areas
from ..network.topology import NetworkArrays
from ..series import SeriesArrays
from .cells import TransportArrays, TransportWork, set_volumes
from .dispersion import disperse, fischer_dispersion
from .kinetics import react_all
from .loads import LoadArrays, eval_loads
from .transport import advect


class QualityParams(NamedTuple):
    """Scalar settings of the water-quality step.

    gravity_m_s2: gravitational acceleration (m/s2) in Fischer's shear velocity, the
        hydrodynamics' value;
    fischer: True where the dispersion coefficient follows Fischer (1979) at every step,
        False where it is the configured constant;
    dispersion_min_m2_s, dispersion_max_m2_s: bounds of Fischer's coefficient (m2/s);
    max_courant: largest share of its volume a reach cell may give in one advection
        sub-step (-), which sets the number of sub-steps;
    limiter: flux limiter of the advection (code of ``twin.quality.transport.LIMITERS``);
    n_groups: tracer groups (1: the total only; with apportionment 1 + the source groups);
    sediment_group: the group that gets the sediment release besides the total (-1: none).
    """

    gravity_m_s2: float
    fischer: bool
    dispersion_min_m2_s: float
    dispersion_max_m2_s: float
    max_courant: float
    limiter: int
    n_groups: int
    sediment_group: int


class QualityInputs(NamedTuple):
    """What ``twin.quality.compile`` makes once for a run; the step never changes it.

    ta: transport topology (cells, faces, node kinds; ``twin.quality.cells``);
    net: the network's arrays (points of each reach, cell lengths dx, node storage tables);
    loads: load entries and boundary concentration series (``twin.quality.loads``);
    series: the time series the loads and boundary concentrations refer to (g/s, m3/s or
        mg/L on epoch s);
    dispersion_m2_s: dispersion coefficient per point (m2/s): the configured constant, or a
        reach's own value on its points;
    dispersion_fixed: per point, True on reaches with their own coefficient (it holds there
        with Fischer's method too);
    kin_rows: the distinct kinetic parameter rows at 20 C (n_rows, ``kinetics.N_KIN``; see
        the ``K_*`` columns of ``twin.quality.kinetics``);
    cell_row: the parameter row of each cell (index into kin_rows).
    """

    ta: TransportArrays
    net: NetworkArrays
    loads: LoadArrays
    series: SeriesArrays
    dispersion_m2_s: np.ndarray
    dispersion_fixed: np.ndarray
    kin_rows: np.ndarray
    cell_row: np.ndarray


class QualityState(NamedTuple):
    """Everything a hot start of the water quality needs (k: tracer column).

    mass[c, k]: mass in each cell (g);
    conc[v, k]: concentration at every vertex (mg/L): the cells, then one per node for
        mixing and reservoir nodes (``twin.quality.cells.TransportArrays``);
    budget[g, b]: mass of each process b (``kinetics.BUDGET_NAMES``) per group g since the
        start (g);
    balance[k, 4]: mass since the start (g): loads in, boundary inflow, boundary outflow,
        withdrawals;
    initial_mass[k]: mass in the cells at the start (g);
    node_mass_in[j, k], node_mass_out[j, k]: mass that entered and left the cell of node j
        since the start (g; storage nodes and junctions with a surface, zeros elsewhere),
        for the loads into lakes.
    """

    mass: np.ndarray
    conc: np.ndarray
    budget: np.ndarray
    balance: np.ndarray
    initial_mass: np.ndarray
    node_mass_in: np.ndarray
    node_mass_out: np.ndarray


class QualityWork(NamedTuple):
    """Work arrays of a step, overwritten by every step (k: tracer column).

    transport: the advection's and dispersion's arrays (``twin.quality.cells``);
    load_cell[c, k], load_node[j, k]: load rates into cells and nodes, means over the step
        (g/s);
    bc_conc[j, k]: boundary concentrations at the step's end (mg/L);
    dispersion_m2_s: Fischer's coefficient per point this step (m2/s; Fischer's method only);
    node_area: surface area of each node at the step's end (m2);
    depth: mean depth of each cell at the step's end (m);
    kin_rows: the kinetics' scratch per parameter row (n_rows, ``kinetics.N_ROW_WORK``).
    """

    transport: TransportWork
    load_cell: np.ndarray
    load_node: np.ndarray
    bc_conc: np.ndarray
    dispersion_m2_s: np.ndarray
    node_area: np.ndarray
    depth: np.ndarray
    kin_rows: np.ndarray


@numba.njit(cache=True)
def cell_depths(ta, net, vnode_area, point_width, v1, depth):
    """Mean depth (m) of each cell at the end of a step: volume over surface area."""
    for r in range(net.reach_from.size):
        for p in range(net.reach_pt[r], net.reach_pt[r + 1] - 1):
            c = p - r
            b = 0.5 * (point_width[p] + point_width[p + 1])
            depth[c] = v1[c] / max(net.cell_dx[c] * b, 1e-9)
    for j in range(ta.node_cell.size):
        c = ta.node_cell[j]
        if c >= 0:
            depth[c] = v1[c] / max(vnode_area[j], 1e-9)


@numba.njit(cache=True)
def quality_step(p, c, fx, s, w, t0, dt, temp_c):
    """One water-quality step of dt seconds after the hydrodynamic step from t0 (epoch s):
    loads, advection, dispersion, reactions at water temperature temp_c (C), in one kernel
    call so that the many arrays are passed once.

    p: QualityParams; c: QualityInputs; fx: the hydrodynamic step
    (``twin.hydro.fluxes.HydroFluxes``); s: QualityState (updated); w: QualityWork.
    Returns the number of advection sub-steps.
    """
    ta, net, tw = c.ta, c.net, w.transport
    eval_loads(c.loads, c.series, t0, t0 + dt, w.load_cell, w.load_node, w.bc_conc)
    set_volumes(ta, fx.v_cell0, fx.v_node0, tw)
    n_sub = advect(
        ta, fx, s.mass, s.conc, w.load_cell, w.load_node, w.bc_conc, dt, p.max_courant,
        p.limiter, tw, s.balance,
    )  # fmt: skip
    for j in range(s.node_mass_in.shape[0]):
        for k in range(s.node_mass_in.shape[1]):
            s.node_mass_in[j, k] += tw.step_in[j, k]
            s.node_mass_out[j, k] += tw.step_out[j, k]
    coef = c.dispersion_m2_s
    if p.fischer:
        coef = w.dispersion_m2_s
        fischer_dispersion(
            fx.q_now, fx.area, fx.width, fx.conveyance, p.gravity_m_s2, p.dispersion_min_m2_s,
            p.dispersion_max_m2_s, coef,
        )  # fmt: skip
        for i in range(coef.size):
            if c.dispersion_fixed[i]:
                coef[i] = c.dispersion_m2_s[i]
    disperse(ta, net, fx.area, coef, s.mass, s.conc, dt, tw)
    node_areas(net, fx.z_node, w.node_area)
    cell_depths(ta, net, w.node_area, fx.width, tw.v1, w.depth)
    react_all(
        s.conc[: ta.n_tc], s.mass, tw.v1, w.depth, c.kin_rows, c.cell_row, temp_c, -1.0, dt,
        p.n_groups, p.sediment_group, s.budget, w.kin_rows,
    )  # fmt: skip
    return n_sub
