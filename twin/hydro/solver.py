"""The hydrodynamic solver: compiles boundaries, laterals and structures from the config,
owns the state and every work array, and advances in time (kernels in ``kernels.py`` and
``stepping.py``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import numpy as np

from ..config.loaded import LoadedConfig
from ..config.timeseries import epoch_seconds
from ..network.sections import DRY_FILM_M, eval_points
from ..network.topology import CompiledNetwork, reach_cells_between
from ..series import INTERP_LINEAR, INTERP_PREVIOUS, SeriesArrays, SeriesStore, series_value
from ..vocab.codes import BC_CODES, BC_LEVEL, BC_TIDE, KIND_CODES, PUMP, TIDE_SPEEDS_DEG_PER_H
from .banded import node_ordering
from .boundaries import BoundaryArrays, LateralArrays, tide_level
from .fluxes import HydroFluxes
from .kernels import (
    FAIL_JUMP,
    FAIL_NONFINITE,
    FAIL_NOT_CONVERGED,
    FAIL_SINGULAR,
    FAIL_TOO_DRY,
    N_PAR,
    OK,
    P_DRYMAX,
    P_DZMAX,
    P_G,
    P_HWET,
    P_MAXIT,
    P_NOCONV,
    P_PSI,
    P_SLOTDEPTH,
    P_THETA,
    P_TOL,
    node_storage,
)
from .stepping import account, advance, carried_volumes, volumes
from .structures import N_PARAMS

FAIL_TEXT = {
    FAIL_NONFINITE: "a level or discharge became NaN or infinite",
    FAIL_JUMP: "a level changed by more than the allowed jump in one step",
    FAIL_SINGULAR: "the linear system became singular",
    FAIL_NOT_CONVERGED: "the iteration did not converge",
    FAIL_TOO_DRY: "a level fell far below the bed (dry reach drained through the slot)",
}


class StructureArrays(NamedTuple):
    """Structures (links between nodes). params[s] by kind (see hydro/structures._law):
    weir (-, width, m); sluice (sill, width, -, m_weir, direction, max opening); pump
    (capacity, start, stop, -, suction bed); flap gate (invert, width, height, loss);
    culvert (invert, width, height, length, n, entry loss, exit loss). The setting (crest
    level, opening, running fraction) comes from ``series`` or a level ``rule_*``; a
    non-NaN ``override`` (set by control callbacks) replaces it."""

    kind: np.ndarray
    from_node: np.ndarray
    to_node: np.ndarray
    params: np.ndarray
    series: np.ndarray
    rule_node: np.ndarray
    rule_above: np.ndarray
    rule_below: np.ndarray
    rule_on_value: np.ndarray
    rule_off_value: np.ndarray
    override: np.ndarray


class HydroState(NamedTuple):
    """Everything a hot start needs (SI).

    z_pt, q_pt: level (m) and discharge (m3/s) per point; z_node: level per node (m);
    a_pt: flow area per point (m2) and v_node: storage volume per node (m3) as the
    continuity equations have carried them (equal to the area and volume at the levels up
    to the last step's iteration residual; see ``twin.hydro.kernels``); q_struct: structure
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


class HydroWork(NamedTuple):
    zn: np.ndarray
    qn: np.ndarray
    zk: np.ndarray
    qk: np.ndarray
    a: np.ndarray
    b: np.ndarray
    k: np.ndarray
    f: np.ndarray
    an: np.ndarray
    bn: np.ndarray
    fn: np.ndarray
    dry_scale: np.ndarray
    wet_n: np.ndarray
    frozen: np.ndarray
    counts: np.ndarray
    box_kind: np.ndarray
    box_w: np.ndarray
    reach_special: np.ndarray
    node_bed: np.ndarray
    node_dry_scale: np.ndarray
    ac: np.ndarray
    alin: np.ndarray
    kn: np.ndarray
    qqa_n: np.ndarray
    al: np.ndarray
    be: np.ndarray
    ga: np.ndarray
    rc0: np.ndarray
    rc1: np.ndarray
    rc2: np.ndarray
    rc3: np.ndarray
    cz: np.ndarray
    cq: np.ndarray
    qth: np.ndarray
    qlat: np.ndarray
    znode_n: np.ndarray
    znode_k: np.ndarray
    znode_new: np.ndarray
    vnode_n: np.ndarray
    vlin: np.ndarray
    qext: np.ndarray
    qbc: np.ndarray
    qevap: np.ndarray
    rating_n: np.ndarray
    rating_th: np.ndarray
    rating_lin: np.ndarray
    node_pos: np.ndarray
    band_kl: np.ndarray
    ab: np.ndarray
    rhs: np.ndarray
    ipiv: np.ndarray
    sq0: np.ndarray
    sdu: np.ndarray
    sdd: np.ndarray
    sq: np.ndarray
    fail_where: np.ndarray
    bk_z: np.ndarray
    bk_q: np.ndarray
    bk_zn: np.ndarray
    bk_a: np.ndarray
    bk_vn: np.ndarray
    bk_qs: np.ndarray
    bk_set: np.ndarray
    bk_rule: np.ndarray
    f_qth: np.ndarray
    f_sq: np.ndarray
    f_qext: np.ndarray
    f_qbc: np.ndarray
    f_qevap: np.ndarray
    f_qlat: np.ndarray
    f_rating: np.ndarray
    vcell0: np.ndarray
    vcell1: np.ndarray
    vnode0: np.ndarray
    vnode1: np.ndarray
    node_out: np.ndarray


@dataclass
class ExtraLateral:
    """A lateral inflow computed outside the config (runoff, sewage), in m3/s."""

    name: str
    times_s: np.ndarray
    discharge_m3s: np.ndarray
    node: int = -1
    cells: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    shares: np.ndarray = field(default_factory=lambda: np.zeros(0))
    interpolation: int = INTERP_LINEAR
    """INTERP_PREVIOUS for series of interval means (value k holds over [t_k, t_k+1))."""
    evaporation: bool = False
    """Evaporation from a storage node: the water leaves, its dissolved mass stays."""


def _series_ref(store: SeriesStore, named: dict, value) -> int:
    if isinstance(value, str):
        ts = named[value]
        t, v = ts.epoch_arrays()
        mode = INTERP_PREVIOUS if ts.interpolation == "previous" else INTERP_LINEAR
        return store.named(value, t, v, mode)
    return store.constant(float(value))


def compile_hydro_inputs(cfg: LoadedConfig, net: CompiledNetwork, extra: list[ExtraLateral]):
    """Series, boundary, lateral and structure arrays from the config and extra laterals."""
    m = cfg.model
    named = {ts.id: ts for ts in m.timeseries}
    store = SeriesStore()
    n_nodes = net.n_nodes
    nidx = {n: i for i, n in enumerate(net.node_ids)}

    kind = np.zeros(n_nodes, np.int64)
    series = np.full(n_nodes, -1, np.int64)
    tide_ptr = np.zeros(n_nodes + 1, np.int64)
    tide_tref = np.zeros(n_nodes)
    rating_ptr = np.zeros(n_nodes + 1, np.int64)
    tides: dict[int, list] = {}
    ratings: dict[int, tuple] = {}
    for b in m.boundaries:
        j = nidx[b.node]
        kind[j] = BC_CODES[b.kind]
        if b.kind == "level":
            series[j] = _series_ref(store, named, b.level_m)
        elif b.kind == "discharge":
            series[j] = _series_ref(store, named, b.discharge_m3s)
        elif b.kind == "tide":
            series[j] = _series_ref(store, named, b.mean_level_m)
            tide_tref[j] = epoch_seconds(datetime.fromisoformat(b.reference_time))
            tides[j] = [
                (
                    c.amplitude_m,
                    math.radians(c.speed_deg_per_h or TIDE_SPEEDS_DEG_PER_H[c.name.upper()])
                    / 3600.0,
                    math.radians(c.phase_deg),
                )
                for c in b.constituents
            ]
        else:
            ratings[j] = (np.asarray(b.level_m, float), np.asarray(b.discharge_m3s, float))
    amp, speed, phase, rz, rq = [], [], [], [], []
    for j in range(n_nodes):
        for a, s, p in tides.get(j, []):
            amp.append(a)
            speed.append(s)
            phase.append(p)
        tide_ptr[j + 1] = len(amp)
        if j in ratings:
            rz.extend(ratings[j][0])
            rq.extend(ratings[j][1])
        rating_ptr[j + 1] = len(rz)
    bc = BoundaryArrays(
        kind,
        series,
        tide_ptr,
        np.array(amp),
        np.array(speed),
        np.array(phase),
        tide_tref,
        rating_ptr,
        np.array(rz),
        np.array(rq),
    )

    lat_series, lat_node, lat_ptr, lat_cell, lat_share, lat_evap = [], [], [0], [], [], []
    for lt in m.laterals:
        lat_series.append(_series_ref(store, named, lt.discharge_m3s))
        lat_evap.append(False)
        if lt.node is not None:
            lat_node.append(nidx[lt.node])
        else:
            r = net.reach_index(lt.reach)
            lat_node.append(-1)
            if lt.chainage_m is not None and lt.chainage_to_m is None:
                _, cell, _ = net.locate(lt.reach, lt.chainage_m)
                cells, shares = np.array([cell]), np.array([1.0])
            else:
                length = m.reaches[r].length_m
                c0 = lt.chainage_m or 0.0
                c1 = lt.chainage_to_m if lt.chainage_to_m is not None else length
                cells, shares = reach_cells_between(net, r, c0, c1)
            lat_cell.extend(cells)
            lat_share.extend(shares)
        lat_ptr.append(len(lat_cell))
    for ex in extra:
        lat_series.append(store.add(ex.times_s, ex.discharge_m3s, ex.interpolation))
        lat_evap.append(ex.evaporation)
        lat_node.append(ex.node)
        if ex.node < 0:
            lat_cell.extend(ex.cells)
            lat_share.extend(ex.shares)
        lat_ptr.append(len(lat_cell))
    lat_cell = np.array(lat_cell, np.int64)
    lat_node = np.array(lat_node, np.int64)
    # cell c of reach r lies between points c + r and c + r + 1
    cells_before = net.arrays.reach_pt[1:] - np.arange(1, net.n_reaches + 1)
    lat_reach = np.searchsorted(cells_before, lat_cell, side="right")
    # withdrawals from junctions taper off near the bed (storage nodes keep their table)
    st_ptr = net.arrays.node_st_ptr
    junction = np.array([st_ptr[j + 1] == st_ptr[j] for j in range(net.n_nodes)], bool)
    at = np.maximum(lat_node, 0)
    node_bed = np.where((lat_node >= 0) & junction[at], net.node_bed[at], np.nan)
    lat = LateralArrays(
        np.array(lat_series, np.int64),
        lat_node,
        np.array(lat_ptr, np.int64),
        lat_cell,
        np.array(lat_share, float),
        np.array(lat_evap, np.bool_),
        (lat_cell + lat_reach).astype(np.int64),
        node_bed.astype(float),
    )

    n_st = len(m.structures)
    skind = np.zeros(n_st, np.int64)
    sfrom = np.zeros(n_st, np.int64)
    sto = np.zeros(n_st, np.int64)
    params = np.zeros((n_st, N_PARAMS))
    sser = np.full(n_st, -1, np.int64)
    rnode = np.full(n_st, -1, np.int64)
    rabove = np.zeros(n_st)
    rbelow = np.zeros(n_st)
    ron = np.zeros(n_st)
    roff = np.zeros(n_st)
    for s, x in enumerate(m.structures):
        skind[s] = KIND_CODES[x.kind]
        sfrom[s] = nidx[x.from_node]
        sto[s] = nidx[x.to_node]
        if x.kind == "weir":
            params[s, :3] = (0.0, x.crest_width_m, x.discharge_coefficient)
            sser[s] = _series_ref(store, named, x.crest_level_m)
        elif x.kind == "sluice":
            direction = {"both": 0.0, "positive": 1.0, "negative": -1.0}[x.flow_direction]
            params[s, :6] = (
                x.sill_level_m,
                x.width_m,
                0.0,
                x.weir_coefficient,
                direction,
                x.max_opening_m,
            )
            if x.rule is not None:
                rnode[s] = nidx[x.rule.node]
                rabove[s], rbelow[s] = x.rule.above_m, x.rule.below_m
                ron[s], roff[s] = x.rule.on_value, x.rule.off_value
            else:
                sser[s] = _series_ref(store, named, x.opening_m)
        elif x.kind == "pump":
            suction_bed = net.node_bed[sfrom[s]]
            if not np.isfinite(suction_bed):
                suction_bed = -1e9  # no bed known: the taper never acts
            params[s, :5] = (
                x.capacity_m3s,
                x.start_level_m or 0.0,
                x.stop_level_m or 0.0,
                0.0,
                suction_bed,
            )
            if x.schedule is not None:
                sser[s] = _series_ref(store, named, x.schedule)
            else:
                rnode[s] = nidx[x.control_node or x.from_node]
                rabove[s], rbelow[s], ron[s], roff[s] = x.start_level_m, x.stop_level_m, 1.0, 0.0
        elif x.kind == "flap_gate":
            params[s, :4] = (x.invert_level_m, x.width_m, x.height_m, x.loss_coefficient)
            sser[s] = store.constant(1.0)
        elif x.kind == "culvert":
            params[s, :7] = (
                x.invert_level_m,
                x.width_m,
                x.height_m,
                x.length_m,
                x.manning_n,
                x.entry_loss,
                x.exit_loss,
            )
            sser[s] = store.constant(1.0)
    st = StructureArrays(
        skind, sfrom, sto, params, sser, rnode, rabove, rbelow, ron, roff, np.full(n_st, np.nan)
    )
    return store.arrays(), bc, lat, st


def initial_levels(
    cfg: LoadedConfig, net: CompiledNetwork, ts: SeriesArrays, bc: BoundaryArrays, t0: float
):
    """Node and point levels (m) and point discharges (m3/s) at the start of a cold run.

    Node level: its own initial_level_m, else its boundary level at the start, else the
    run's uniform initial level, else the mean of the known levels. Points: their reach's
    initial level, else linear between the end nodes.
    """
    m = cfg.model
    n_nodes = net.n_nodes
    z = np.full(n_nodes, np.nan)
    for j, n in enumerate(m.nodes):
        if n.initial_level_m is not None:
            z[j] = n.initial_level_m
        elif bc.kind[j] == BC_LEVEL:
            z[j] = series_value(bc.series[j], t0, ts.ptr, ts.t, ts.v, ts.mode)
        elif bc.kind[j] == BC_TIDE:
            z[j] = tide_level(j, t0, bc, ts)
    default = cfg.run.hydro.initial_level_m
    for ri, r in enumerate(m.reaches):
        if r.initial_level_m is not None:
            for j in (net.arrays.reach_from[ri], net.arrays.reach_to[ri]):
                if np.isnan(z[j]):
                    z[j] = r.initial_level_m
    if default is None:
        default = float(np.nanmean(z)) if np.any(np.isfinite(z)) else 0.0
    z[np.isnan(z)] = default
    a = net.arrays
    zp = np.empty(net.n_points)
    qp = np.zeros(net.n_points)
    for ri, r in enumerate(m.reaches):
        p0, p1 = a.reach_pt[ri], a.reach_pt[ri + 1]
        if r.initial_level_m is not None:
            zp[p0:p1] = r.initial_level_m
        else:
            f = a.pt_chainage[p0:p1] / a.pt_chainage[p1 - 1]
            zp[p0:p1] = (1 - f) * z[a.reach_from[ri]] + f * z[a.reach_to[ri]]
        # End points carry the node level exactly.
        zp[p0] = z[a.reach_from[ri]]
        zp[p1 - 1] = z[a.reach_to[ri]]
        if r.initial_discharge_m3s is not None:
            qp[p0:p1] = r.initial_discharge_m3s
    return z, zp, qp


class HydroSolver:
    """Owns the arrays of one model's hydrodynamics; several can live in one process."""

    def __init__(
        self, cfg: LoadedConfig, net: CompiledNetwork, extra: list[ExtraLateral] | None = None
    ):
        self.cfg = cfg
        self.net = net
        hy = cfg.run.hydro
        self.ts, self.bc, self.lat, self.st = compile_hydro_inputs(cfg, net, extra or [])
        self.par = np.zeros(N_PAR)
        self.par[P_THETA] = hy.theta
        self.par[P_PSI] = hy.psi
        self.par[P_G] = hy.gravity_m_s2
        self.par[P_TOL] = hy.tolerance_m
        self.par[P_MAXIT] = hy.max_iterations
        self.par[P_DZMAX] = 5.0
        self.par[P_NOCONV] = 0.05
        self.par[P_DRYMAX] = 20.0
        self.par[P_HWET] = hy.wet_depth_m
        self.par[P_SLOTDEPTH] = hy.slot_depth_m
        self.max_halvings = hy.max_halvings
        t0 = epoch_seconds(cfg.run.start)
        zn, zp, qp = initial_levels(cfg, net, self.ts, self.bc, t0)
        n_st = self.st.kind.size
        self.state = HydroState(
            z_pt=zp,
            q_pt=qp,
            z_node=zn,
            a_pt=np.zeros(net.n_points),
            v_node=np.zeros(net.n_nodes),
            q_struct=np.zeros(n_st),
            setting=np.zeros(n_st),
            rule_on=np.zeros(n_st, np.int64),
            clock=np.array([t0, 0.0]),
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
        self.work = self._allocate()
        w = self.work
        self.fluxes = HydroFluxes(
            w.f_qth, w.f_sq, w.f_qext, w.f_qevap, w.f_qbc, w.f_qlat, w.f_rating,
            w.vcell0, w.vnode0, w.vcell1, w.vnode1,
            self.state.q_pt, w.a, w.b, w.k, self.state.z_node,
        )  # fmt: skip
        """The last step as the water quality takes it (views of the work arrays)."""
        self.sync_storage()
        self.initial_volume = self.total_volume()

    def _allocate(self) -> HydroWork:
        a = self.net.arrays
        n_p, n_n, n_c = self.net.n_points, self.net.n_nodes, self.net.n_cells
        n_s = self.st.kind.size
        pairs = [(a.reach_from[r], a.reach_to[r]) for r in range(self.net.n_reaches)]
        pairs += [(self.st.from_node[s], self.st.to_node[s]) for s in range(n_s)]
        pos, bw = node_ordering(n_n, np.array(pairs, np.int64).reshape(-1, 2))
        dry_scale = self._dry_scale()
        # Junctions below the bed of every reach end they join are dry: their level changes
        # count like those of their dry reach ends (storage nodes have real area: never).
        node_bed = np.full(n_n, -np.inf)
        node_scale = np.ones(n_n)
        for j in range(n_n):
            if a.node_st_ptr[j + 1] > a.node_st_ptr[j]:
                continue
            ends = [
                a.reach_pt[a.node_reach[e]]
                if a.node_end[e] == 0
                else a.reach_pt[a.node_reach[e] + 1] - 1
                for e in range(a.node_ptr[j], a.node_ptr[j + 1])
            ]
            if ends:
                node_bed[j] = float(np.min(a.pt_bed[ends]))
                node_scale[j] = float(np.max(dry_scale[ends]))
        z = np.zeros
        return HydroWork(
            zn=z(n_p),
            qn=z(n_p),
            zk=z(n_p),
            qk=z(n_p),
            a=z(n_p),
            b=z(n_p),
            k=z(n_p),
            f=z(n_p),
            an=z(n_p),
            bn=z(n_p),
            fn=z(n_p),
            dry_scale=dry_scale,
            wet_n=np.zeros(n_p, np.bool_),
            frozen=np.zeros(n_p, np.bool_),
            counts=np.zeros(2, np.int64),
            box_kind=np.zeros(n_c, np.int8),
            box_w=np.zeros(n_c),
            reach_special=np.zeros(self.net.n_reaches, np.int64),
            node_bed=node_bed,
            node_dry_scale=node_scale,
            ac=z(n_p),
            alin=z(n_p),
            kn=z(n_p),
            qqa_n=z(n_p),
            al=z(n_p),
            be=z(n_p),
            ga=z(n_p),
            rc0=z(n_p),
            rc1=z(n_p),
            rc2=z(n_p),
            rc3=z(n_p),
            cz=z((n_p, 3)),
            cq=z((n_p, 3)),
            qth=z(n_p),
            qlat=z(n_c),
            znode_n=z(n_n),
            znode_k=z(n_n),
            znode_new=z(n_n),
            vnode_n=z(n_n),
            vlin=z(n_n),
            qext=z(n_n),
            qbc=z(n_n),
            qevap=z(n_n),
            rating_n=z(n_n),
            rating_th=z(n_n),
            rating_lin=z(n_n),
            node_pos=pos,
            band_kl=np.array([bw], np.int64),
            ab=z((3 * bw + 1, n_n)),
            rhs=z(n_n),
            ipiv=np.zeros(n_n, np.int64),
            sq0=z(n_s),
            sdu=z(n_s),
            sdd=z(n_s),
            sq=z(n_s),
            fail_where=np.full(2, -1, np.int64),
            bk_z=z(n_p),
            bk_q=z(n_p),
            bk_zn=z(n_n),
            bk_a=z(n_p),
            bk_vn=z(n_n),
            bk_qs=z(n_s),
            bk_set=z(n_s),
            bk_rule=np.zeros(n_s, np.int64),
            f_qth=z(n_p),
            f_sq=z(n_s),
            f_qext=z(n_n),
            f_qbc=z(n_n),
            f_qevap=z(n_n),
            f_qlat=z(n_c),
            f_rating=z(n_n),
            vcell0=z(n_c),
            vcell1=z(n_c),
            vnode0=z(n_n),
            vnode1=z(n_n),
            node_out=z(n_n),
        )

    def _dry_scale(self) -> np.ndarray:
        """Per point, slot width / width of the bed (-): a level change in the slot times this
        is the depth of water over the bed it stands for (the measure of convergence and of
        jumps at dry points)."""
        a = self.net.arrays
        n = self.net.n_points
        depth = 0.5 * self.par[P_SLOTDEPTH]
        area, width, k, flow = (np.zeros(n) for _ in range(4))
        eval_points(
            a.pt_bed - depth,
            0,
            n,
            a.pt_bed,
            a.pt_sec_a,
            a.pt_sec_b,
            a.pt_w,
            self.net.tables,
            self.par[P_SLOTDEPTH],
            area,
            width,
            k,
            flow,
        )
        bed_width = flow / (DRY_FILM_M * 0.5)
        return np.minimum(width / np.maximum(bed_width, 1e-12), 1.0)

    # ------------------------------------------------------------------ stepping
    @property
    def time(self) -> float:
        """Current model time, epoch seconds (UTC)."""
        return float(self.state.clock[0])

    def advance(self, dt: float) -> tuple[int, int]:
        """Advance by dt seconds; returns (status, halvings). On failure the state is the
        state before the call."""
        w = self.work
        w.fail_where[:] = -1
        status, halvings = advance(
            self.net.arrays,
            self.net.tables,
            self.ts,
            self.bc,
            self.lat,
            self.st,
            self.state,
            w,
            self.par,
            dt,
            self.max_halvings,
        )
        if status == OK:
            account(self.net.arrays, self.bc, self.st, w, self.balance, dt)
        return status, halvings

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
            self.par[P_SLOTDEPTH],
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
                self.par,
                *scratch,
                vcell,
                vnode,
            )
        else:
            carried_volumes(
                self.net.arrays, self.state.a_pt, self.state.v_node, self.par, vcell, vnode
            )
        inner = (self.bc.kind != BC_LEVEL) & (self.bc.kind != BC_TIDE)
        return float(vcell.sum() + vnode[inner].sum())

    def set_structure(self, index: int, value: float | None) -> None:
        """Override a structure's setting (crest m, opening m, pump fraction) from now on;
        None returns it to its series or rule."""
        self.st.override[index] = np.nan if value is None else float(value)
