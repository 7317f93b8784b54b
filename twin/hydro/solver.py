"""The hydrodynamic solver: owns the state and every work array of one model's
hydrodynamics and advances it in time (the step in ``step.py``, halving and the water
balance in ``stepping.py``). Built from a network and a ``CompiledHydro``
(``twin.hydro.compile`` makes one from a config)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..jit import StepKernel
from ..network.sections import eval_points
from ..network.storage import node_storage
from ..network.topology import CompiledNetwork
from ..vocab.codes import BC_LEVEL, BC_TIDE, PUMP
from .fluxes import HydroFluxes
from .params import CompiledHydro, HydroParams
from .step import FAIL_JUMP, FAIL_NONFINITE, FAIL_NOT_CONVERGED, FAIL_SINGULAR, FAIL_TOO_DRY
from .stepping import advance, carried_volumes, volumes
from .work import HydroWork, allocate_work

FAIL_TEXT = {
    FAIL_NONFINITE: "a level or discharge became NaN or infinite",
    FAIL_JUMP: "a level changed by more than the allowed jump in one step",
    FAIL_SINGULAR: "the linear system became singular",
    FAIL_NOT_CONVERGED: "the iteration did not converge",
    FAIL_TOO_DRY: "a level fell far below the bed (dry reach drained through the slot)",
}


class HydroState(NamedTuple):
    """Everything a hot start needs (SI).

    z_pt, q_pt: level (m) and discharge (m3/s) per point; z_node: level per node (m);
    a_pt: flow area per point (m2) and v_node: storage volume per node (m3) as the
    continuity equations have carried them (equal to the area and volume at the levels up
    to the last step's iteration residual; see ``twin.hydro.step``); q_struct: structure
    discharge (m3/s); setting: structure setting (crest m, opening m, pump fraction);
    rule_on: level-rule switch (0/1); clock = [epoch time s, steps taken].

    Whoever edits z_pt or z_node between steps (data assimilation, a restart built by
    hand) calls ``HydroSolver.sync_storage()`` so that a_pt and v_node follow.
    """

    z_pt: np.ndarray
    q_pt: np.ndarray
    z_node: np.ndarray
    a_pt: np.ndarray
    v_node: np.ndarray
    q_struct: np.ndarray
    setting: np.ndarray
    rule_on: np.ndarray
    clock: np.ndarray


class WaterBalance(NamedTuple):
    """Cumulative water balance (m3); see stepping.account."""

    bc_in: np.ndarray
    lateral: np.ndarray
    node_err: np.ndarray
    reach_err: np.ndarray
    storage_change: np.ndarray


class HydroSolver:
    """Owns the arrays of one model's hydrodynamics; several can live in one process.

    ``ts``, ``bc``, ``lat``, ``st``: the compiled series, boundaries, laterals and
    structures; ``params``: the scheme's ``HydroParams``; ``state``, ``balance``, ``work``
    and ``fluxes`` as below."""

    def __init__(self, net: CompiledNetwork, compiled: CompiledHydro):
        self.net = net
        self._advance = StepKernel(advance)
        self.ts = compiled.ts
        self.bc = compiled.bc
        self.lat = compiled.lat
        self.st = compiled.st
        self.params: HydroParams = compiled.params
        self.max_halvings = compiled.max_halvings
        n_st = self.st.kind.size
        zn = compiled.z_node.copy()
        self.state = HydroState(
            z_pt=compiled.z_pt.copy(),
            q_pt=compiled.q_pt.copy(),
            z_node=zn,
            a_pt=np.zeros(net.n_points),
            v_node=np.zeros(net.n_nodes),
            q_struct=np.zeros(n_st),
            setting=np.zeros(n_st),
            rule_on=np.zeros(n_st, np.int64),
            clock=np.array([compiled.t0, 0.0]),
        )
        # Pumps under a level rule start in the state their level implies.
        for s in range(n_st):
            if self.st.rule_node[s] >= 0 and self.st.kind[s] == PUMP:
                self.state.rule_on[s] = int(zn[self.st.rule_node[s]] > self.st.rule_above[s])
        self.balance = WaterBalance(
            np.zeros(net.n_nodes),
            np.zeros(1),
            np.zeros(net.n_nodes),
            np.zeros(net.n_reaches),
            np.zeros(1),
        )
        self.work: HydroWork = allocate_work(net, self.st, self.params)
        m = self.work.mean
        it = self.work.it
        self.fluxes = HydroFluxes(
            m.qth, m.sq, m.qext, m.qevap, m.qbc, m.qlat, m.rating,
            m.vcell0, m.vnode0, m.vcell1, m.vnode1,
            self.state.q_pt, it.a, it.b, it.k, self.state.z_node,
        )  # fmt: skip
        """The last step as the water quality takes it (views of the work arrays)."""
        self.sync_storage()
        self.initial_volume = self.total_volume()

    @property
    def par(self) -> HydroParams:
        """The scheme's parameters (``params``; ``par[2]`` is gravity, as in the float
        vector this once was)."""
        return self.params

    # ------------------------------------------------------------------ stepping
    @property
    def time(self) -> float:
        """Current model time, epoch seconds (UTC)."""
        return float(self.state.clock[0])

    def advance(self, dt: float) -> tuple[int, int]:
        """Advance by dt seconds; returns (status, halvings). On failure the state is the
        state before the call."""
        return self._advance(
            self.net.arrays,
            self.net.tables,
            self.ts,
            self.bc,
            self.lat,
            self.st,
            self.state,
            self.work,
            self.params,
            self.balance,
            float(dt),
            int(self.max_halvings),
        )

    def describe_failure(self, status: int) -> str:
        """Where and what failed, in words."""
        where = self.work.fail_where
        text = FAIL_TEXT.get(status, f"status {status}")
        if where[0] >= 0:
            p = int(where[0])
            r = int(np.searchsorted(self.net.arrays.reach_pt, p, side="right") - 1)
            ch = self.net.arrays.pt_chainage[p]
            return f"{text}: reach '{self.net.reach_ids[r]}' at chainage {ch:.0f} m (water level / discharge)"
        if where[1] >= 0:
            return f"{text}: node '{self.net.node_ids[int(where[1])]}' (water level)"
        return text

    # ------------------------------------------------------------------- volumes
    def sync_storage(self) -> None:
        """Set the carried areas and node volumes (state.a_pt, state.v_node) to those at
        the current levels. Needed after the levels were edited from outside."""
        a = self.net.arrays
        scratch = [np.zeros(self.net.n_points) for _ in range(3)]
        eval_points(
            self.state.z_pt,
            0,
            self.net.n_points,
            a.pt_bed,
            a.pt_sec_a,
            a.pt_sec_b,
            a.pt_w,
            self.net.tables,
            self.params.slot_depth_m,
            self.state.a_pt,
            *scratch,
        )
        for j in range(self.net.n_nodes):
            self.state.v_node[j] = node_storage(j, self.state.z_node[j], a)[0]

    def total_volume(self, from_levels: bool = False) -> float:
        """Water in reaches and in non-boundary nodes (m3).

        By default the carried volumes, which the water balance counts and the step
        conserves to round-off; ``from_levels=True`` evaluates the stage tables at the
        current levels instead (the two differ by the last step's iteration residual).
        """
        vcell = np.zeros(self.net.n_cells)
        vnode = np.zeros(self.net.n_nodes)
        if from_levels:
            scratch = [np.zeros(self.net.n_points) for _ in range(3)]
            volumes(
                self.net.arrays,
                self.net.tables,
                self.state.z_pt,
                self.state.z_node,
                self.params,
                *scratch,
                vcell,
                vnode,
            )
        else:
            carried_volumes(
                self.net.arrays, self.state.a_pt, self.state.v_node, self.params, vcell, vnode
            )
        inner = (self.bc.kind != BC_LEVEL) & (self.bc.kind != BC_TIDE)
        return float(vcell.sum() + vnode[inner].sum())

    def set_structure(self, index: int, value: float | None) -> None:
        """Override a structure's setting (crest m, opening m, pump fraction) from now on;
        None returns it to its series or rule."""
        self.st.override[index] = np.nan if value is None else float(value)
