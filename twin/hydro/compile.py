"""The compile step of the hydrodynamics: a config, its compiled network and the laterals
computed outside the config (runoff, sewage) turned into the arrays and scalars of a
``CompiledHydro``, from which ``HydroSolver`` builds its state. Nothing past this module
sees the config."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from ..config.loaded import LoadedConfig
from ..config.timeseries import epoch_seconds
from ..network.topology import CompiledNetwork, reach_cells_between
from ..series import INTERP_LINEAR, INTERP_PREVIOUS, SeriesArrays, SeriesStore, series_value
from ..vocab.codes import BC_CODES, BC_LEVEL, BC_TIDE, KIND_CODES, TIDE_SPEEDS_DEG_PER_H
from .boundaries import BoundaryArrays, LateralArrays, tide_level
from .params import CompiledHydro, HydroParams
from .solver import HydroSolver
from .structures import N_PARAMS, StructureArrays


@dataclass
class ExtraLateral:
    """A lateral inflow computed outside the config (runoff, sewage): the series
    ``discharge_m3s`` (m3/s) at ``times_s`` (epoch s), into node ``node`` when >= 0, else
    into the reach cells ``cells`` in the shares ``shares`` (summing to 1)."""

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


def hydro_params(cfg: LoadedConfig) -> HydroParams:
    """The scheme's parameters from ``[run.hydro]``."""
    hy = cfg.run.hydro
    return HydroParams(
        theta=float(hy.theta),
        psi=float(hy.psi),
        gravity_m_s2=float(hy.gravity_m_s2),
        tolerance_m=float(hy.tolerance_m),
        max_iterations=int(hy.max_iterations),
        max_jump_m=float(hy.max_jump_m),
        no_convergence_m=float(hy.no_convergence_m),
        max_dry_m=float(hy.max_dry_m),
        wet_depth_m=float(hy.wet_depth_m),
        slot_depth_m=float(hy.slot_depth_m),
    )


def compile_hydro(
    cfg: LoadedConfig, net: CompiledNetwork, extra: list[ExtraLateral] | None = None
) -> CompiledHydro:
    """Everything the solver takes from the config and the extra laterals."""
    ts, bc, lat, st = compile_hydro_inputs(cfg, net, extra or [])
    t0 = epoch_seconds(cfg.run.start)
    z_node, z_pt, q_pt = initial_levels(cfg, net, ts, bc, t0)
    return CompiledHydro(
        ts=ts,
        bc=bc,
        lat=lat,
        st=st,
        params=hydro_params(cfg),
        max_halvings=int(cfg.run.hydro.max_halvings),
        t0=t0,
        z_node=z_node,
        z_pt=z_pt,
        q_pt=q_pt,
    )


def solver_from_config(
    cfg: LoadedConfig, net: CompiledNetwork, extra: list[ExtraLateral] | None = None
) -> HydroSolver:
    """A ``HydroSolver`` for a config at the start of its run (cold start)."""
    return HydroSolver(net, compile_hydro(cfg, net, extra))
