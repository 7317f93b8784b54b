"""The water quality compiled from the config: transport topology, loads and boundary
concentrations, kinetic parameter rows, dispersion, initial concentrations and the tracer
layout, as named tuples of arrays and scalars (``twin.quality.step``). The solver takes
these and never reads the config."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..config.loaded import LoadedConfig
from ..network.storage import node_storage
from ..network.topology import CompiledNetwork, reach_cells_between
from ..series import INTERP_LINEAR, INTERP_PREVIOUS, SeriesStore
from ..vocab.codes import BC_LEVEL, BC_TIDE
from ..vocab.sources import SOURCE_GROUPS
from ..vocab.species import SPECIES, expand
from .cells import NODE_MIXING, NODE_RESERVOIR, NODE_VOLUME, TransportArrays
from .kinetics import kinetics_row
from .layout import TRACER, Layout
from .loads import LoadArrays, PointLoad
from .step import QualityInputs, QualityParams
from .transport import LIMITERS

DEFAULT_TEMPERATURE_C = 20.0
"""Water temperature (C) when neither the config nor the forcing gives one."""


class CompiledQuality(NamedTuple):
    """Everything the water-quality solver is made from.

    params, inputs: the step's scalars and constant arrays (``twin.quality.step``);
    layout: the tracer columns (groups and species);
    initial_conc: concentrations at the start (mg/L), per vertex and tracer column (cells
        first; the vertices of nodes without a cell are 0);
    temperature: water temperature (C) as (epoch s, values), interpolated linearly and held
        beyond its ends, or None for ``DEFAULT_TEMPERATURE_C``;
    temperature_source: where the temperature comes from ("config", "forcing" or the
        default), for the run's report;
    psi: the hydrodynamics' Preissmann weight (-): a reach cell between points p and p + 1
        holds dx (psi A_(p+1) + (1 - psi) A_p) (m3), the volume its continuity conserves.
    """

    params: QualityParams
    inputs: QualityInputs
    layout: Layout
    initial_conc: np.ndarray
    temperature: tuple[np.ndarray, np.ndarray] | None
    temperature_source: str
    psi: float


def i64(values) -> np.ndarray:
    return np.array(values, np.int64)


def build_topology(
    net: CompiledNetwork, bc_kind: np.ndarray, st_from: np.ndarray, st_to: np.ndarray
) -> TransportArrays:
    """Transport topology of the network: level and tide boundaries (``bc_kind``, the
    hydrodynamics' boundary kind per node) are reservoirs, nodes with a storage table or a
    surface get a cell, the others are mixing points; structures join st_from to st_to."""
    a = net.arrays
    n_rc = net.n_cells
    n_nodes = net.n_nodes
    node_type = np.full(n_nodes, NODE_MIXING, np.int64)
    node_cell = np.full(n_nodes, -1, np.int64)
    node_voff = np.zeros(n_nodes)
    n_tc = n_rc
    for j in range(n_nodes):
        if bc_kind[j] in (BC_LEVEL, BC_TIDE):
            node_type[j] = NODE_RESERVOIR
            continue
        has_store = a.node_st_ptr[j + 1] > a.node_st_ptr[j] or a.node_area[j] > 0
        if has_store:
            node_type[j] = NODE_VOLUME
            node_cell[j] = n_tc
            n_tc += 1
            bed = net.node_bed[j]
            if not np.isfinite(bed):
                lo = a.node_st_ptr[j]
                bed = a.st_level[lo] if a.node_st_ptr[j + 1] > lo else 0.0
            node_voff[j] = float(node_storage(j, bed, a)[0])
    node_vertex = np.where(node_cell >= 0, node_cell, n_tc + np.arange(n_nodes))
    il, ir, ip, ill, irr = [], [], [], [], []
    ec, en, ep, es = [], [], [], []
    first_cell = np.full(n_nodes, -1, np.int64)
    reach_cell_ptr = np.zeros(net.n_reaches + 1, np.int64)
    for r in range(net.n_reaches):
        p0, p1 = a.reach_pt[r], a.reach_pt[r + 1]
        c0, c1 = p0 - r, p1 - 1 - r
        reach_cell_ptr[r + 1] = c1
        for p in range(p0 + 1, p1 - 1):
            c = p - r  # right cell of the face at point p
            il.append(c - 1)
            ir.append(c)
            ip.append(p)
            ill.append(c - 2 if c - 2 >= c0 else -1)
            irr.append(c + 1 if c + 1 < c1 else -1)
        ec += [c0, c1 - 1]
        en += [a.reach_from[r], a.reach_to[r]]
        ep += [p0, p1 - 1]
        es += [1.0, -1.0]
        for j, c in ((a.reach_from[r], c0), (a.reach_to[r], c1 - 1)):
            if first_cell[j] < 0:
                first_cell[j] = c
    first_cell[first_cell < 0] = 0
    node_ef = [[] for _ in range(n_nodes)]
    for f, j in enumerate(en):
        node_ef[j].append(f)
    node_st = [[] for _ in range(n_nodes)]
    for s_idx in range(st_from.size):
        node_st[st_from[s_idx]].append(s_idx)
        node_st[st_to[s_idx]].append(s_idx)

    def csr(lists):
        ptr = np.zeros(len(lists) + 1, np.int64)
        ptr[1:] = np.cumsum([len(x) for x in lists])
        return ptr, i64([v for x in lists for v in x])

    ef_ptr, ef_idx = csr(node_ef)
    st_ptr, st_idx = csr(node_st)
    return TransportArrays(
        n_tc=n_tc,
        n_rc=n_rc,
        node_type=node_type,
        node_vertex=node_vertex.astype(np.int64),
        node_cell=node_cell,
        node_voff=node_voff,
        node_first_cell=first_cell,
        if_left=i64(il),
        if_right=i64(ir),
        if_point=i64(ip),
        if_ll=i64(ill),
        if_rr=i64(irr),
        ef_cell=i64(ec),
        ef_node=i64(en),
        ef_point=i64(ep),
        ef_sign=np.array(es, float),
        st_from=np.array(st_from, np.int64),
        st_to=np.array(st_to, np.int64),
        reach_cell_ptr=reach_cell_ptr,
        node_ef_ptr=ef_ptr,
        node_ef=ef_idx,
        node_st_ptr=st_ptr,
        node_st=st_idx,
    )


def _where(cfg: LoadedConfig, net: CompiledNetwork, item):
    """(node index or -1, cells, shares) where a lateral of the config enters."""
    if getattr(item, "node", None) is not None:
        j = net.node_index(item.node)
        return j, np.zeros(0, np.int64), np.zeros(0)
    r = net.reach_index(item.reach)
    length = cfg.model.reaches[r].length_m
    ch0 = item.chainage_m
    ch1 = getattr(item, "chainage_to_m", None)
    if ch0 is not None and ch1 is None:
        _, cell, _ = net.locate(item.reach, ch0)
        return -1, np.array([cell], np.int64), np.array([1.0])
    cells, shares = reach_cells_between(net, r, ch0 or 0.0, ch1 if ch1 is not None else length)
    return -1, cells, shares


def _check_point_load(pl: PointLoad) -> None:
    # Prepared loads come from code, not from a file: a wrong name is a fault there.
    if pl.group not in SOURCE_GROUPS:
        raise ValueError(f"point load group '{pl.group}' is not one of {', '.join(SOURCE_GROUPS)}")
    unknown = sorted(set(pl.load_g_s) - set(SPECIES))
    if unknown:
        raise ValueError(
            f"point load species {', '.join(unknown)} not transported; "
            f"give loads of {', '.join(SPECIES)} (split TN and TP first)"
        )


def compile_loads(
    cfg: LoadedConfig,
    net: CompiledNetwork,
    lay: Layout,
    store: SeriesStore,
    point_loads: list[PointLoad],
) -> LoadArrays:
    """Load entries of the config's laterals (concentration times discharge, group "other")
    and of the prepared point loads (g/s, their own group), each also into its source
    group's columns with apportionment; boundary concentration series per node and column
    (into the total and the boundary's own group). Series go into ``store``."""
    apportioned = lay.n_groups > 1
    named = {ts.id: ts for ts in cfg.model.timeseries}

    def ref(value, scale=1.0):
        if isinstance(value, str):
            ts = named[value]
            t, v = ts.epoch_arrays()
            mode = INTERP_PREVIOUS if ts.interpolation == "previous" else INTERP_LINEAR
            return store.add(t, v * scale, mode)
        return store.constant(float(value) * scale)

    def concentration_refs(conc: dict) -> dict[str, int]:
        """Series index per transported species of a concentration dict (mg/L)."""
        out = {}
        for sp, val in expand(conc).items():
            if isinstance(val, tuple):
                total, frac = val
                out[sp] = ref(conc[total], frac)
            else:
                out[sp] = ref(val)
        return out

    ld_series, ld_factor, ld_col, ld_node, ld_ptr, ld_cell, ld_share = [], [], [], [], [0], [], []

    def add_load(series_idx, species, group, node=-1, cells=None, shares=None, factor=-1):
        cols = [lay.col(species, 0)]
        if species != TRACER and group is not None and group > 0:
            cols.append(lay.col(species, group))
        for col in cols:
            ld_series.append(series_idx)
            ld_factor.append(factor)
            ld_col.append(col)
            ld_node.append(node)
            if node < 0:
                ld_cell.extend(cells)
                ld_share.extend(shares)
            ld_ptr.append(len(ld_cell))

    other = lay.group("other") if "other" in lay.groups else None
    for lt in cfg.model.laterals:
        if not lt.concentrations:
            continue
        node, cells, shares = _where(cfg, net, lt)
        q_idx = ref(lt.discharge_m3s)
        for sp, sidx in concentration_refs(lt.concentrations).items():
            add_load(sidx, sp, other, node, cells, shares, factor=q_idx)
    for pl in point_loads:
        _check_point_load(pl)
        grp = lay.group(pl.group) if apportioned else None
        for sp, rate in pl.load_g_s.items():
            sidx = store.add(pl.times_s, np.asarray(rate, float), pl.interpolation)
            cells = pl.cells if pl.cells is not None else np.zeros(0, np.int64)
            shares = pl.shares if pl.shares is not None else np.zeros(0)
            add_load(sidx, sp, grp, pl.node, cells, shares)

    bc_series = np.full((net.n_nodes, lay.ntr), -1, np.int64)
    for b in cfg.model.boundaries:
        j = net.node_index(b.node)
        grp = lay.group(f"boundary:{b.node}") if apportioned else None
        for sp, sidx in concentration_refs(b.concentrations).items():
            bc_series[j, lay.col(sp, 0)] = sidx
            if grp is not None and sp != TRACER:
                bc_series[j, lay.col(sp, grp)] = sidx
    return LoadArrays(
        i64(ld_series),
        i64(ld_factor),
        i64(ld_col),
        i64(ld_node),
        i64(ld_ptr),
        i64(ld_cell),
        np.array(ld_share, float),
        bc_series,
    )


def compile_quality(
    cfg: LoadedConfig,
    net: CompiledNetwork,
    bc_kind: np.ndarray,
    st_from: np.ndarray,
    st_to: np.ndarray,
    point_loads: list[PointLoad] | None = None,
    temperature: tuple[np.ndarray, np.ndarray] | None = None,
) -> CompiledQuality:
    """The water quality of ``cfg`` on ``net``.

    bc_kind: the hydrodynamics' boundary kind per node (codes of ``twin.vocab.codes``; 0:
    none); st_from, st_to: the nodes each structure joins; point_loads: prepared loads
    (g/s); temperature: water temperature from the forcing (epoch s, C), used when the
    config gives none. Raises ValueError for a point load of an unknown group or species.
    """
    q = cfg.model.quality
    groups = ["total"]
    if q.apportionment:
        groups += list(SOURCE_GROUPS)
        groups += [f"boundary:{net.node_ids[j]}" for j in np.nonzero(bc_kind)[0]]
        groups += ["sediment", "initial"]
    lay = Layout(groups)
    ta = build_topology(net, bc_kind, st_from, st_to)
    store = SeriesStore()
    loads = compile_loads(cfg, net, lay, store, point_loads or [])

    # kinetics per cell, worked per distinct parameter row
    kin = np.tile(kinetics_row(q.kinetics), (ta.n_tc, 1))
    cell_reach = net.cell_reach()
    for o in q.overrides:
        row = kinetics_row(o)
        for rid in o.reaches:
            kin[cell_reach == net.reach_index(rid)] = row
        for nid in o.nodes:
            c = ta.node_cell[net.node_index(nid)]
            if c >= 0:
                kin[c] = row
    kin_rows, cell_row = np.unique(kin, axis=0, return_inverse=True)

    # dispersion per point
    disp = np.full(net.n_points, q.dispersion.coefficient_m2_s)
    fixed = np.zeros(net.n_points, np.bool_)
    for rid, d in q.dispersion_per_reach_m2_s.items():
        r = net.reach_index(rid)
        disp[net.arrays.reach_pt[r] : net.arrays.reach_pt[r + 1]] = d
        fixed[net.arrays.reach_pt[r] : net.arrays.reach_pt[r + 1]] = True

    if isinstance(q.temperature_c, (int, float)):
        temperature = (np.zeros(1), np.array([float(q.temperature_c)]))
    elif isinstance(q.temperature_c, str):
        temperature = {ts.id: ts for ts in cfg.model.timeseries}[q.temperature_c].epoch_arrays()
    if q.temperature_c is not None:
        source = "config"
    else:
        source = "forcing" if temperature is not None else f"default {DEFAULT_TEMPERATURE_C:g} C"

    conc = np.zeros((ta.n_tc + net.n_nodes, lay.ntr))
    for sp, val in expand(q.initial_mg_l).items():
        v = float(q.initial_mg_l[val[0]] * val[1]) if isinstance(val, tuple) else float(val)
        conc[: ta.n_tc, lay.col(sp, 0)] = v
        if q.apportionment and sp != TRACER:
            conc[: ta.n_tc, lay.col(sp, lay.group("initial"))] = v

    params = QualityParams(
        gravity_m_s2=float(cfg.run.hydro.gravity_m_s2),
        fischer=q.dispersion.method == "fischer",
        dispersion_min_m2_s=float(q.dispersion.min_m2_s),
        dispersion_max_m2_s=float(q.dispersion.max_m2_s),
        max_courant=float(q.max_courant),
        limiter=LIMITERS[q.limiter],
        n_groups=lay.n_groups,
        sediment_group=lay.group("sediment") if "sediment" in groups else -1,
    )
    inputs = QualityInputs(
        ta=ta,
        net=net.arrays,
        loads=loads,
        series=store.arrays(),
        dispersion_m2_s=disp,
        dispersion_fixed=fixed,
        kin_rows=kin_rows,
        cell_row=cell_row.reshape(-1).astype(np.int64),
    )
    return CompiledQuality(
        params=params,
        inputs=inputs,
        layout=lay,
        initial_conc=conc,
        temperature=temperature,
        temperature_source=source,
        psi=float(cfg.run.hydro.psi),
    )
