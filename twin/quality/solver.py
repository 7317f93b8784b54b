"""The water-quality solver: tracer layout, transport topology, loads, kinetics parameters,
and the step that follows each hydrodynamic step (operator splitting: advection, dispersion,
reactions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numba
import numpy as np

from ..config.loaded import LoadedConfig
from ..hydro.solver import HydroSolver
from ..hydro.stepping import volumes
from ..network.storage import node_storage
from ..network.topology import CompiledNetwork, reach_cells_between
from ..series import INTERP_LINEAR, INTERP_PREVIOUS, SeriesStore
from ..vocab.codes import BC_LEVEL, BC_TIDE
from ..vocab.sources import SOURCE_GROUPS
from ..vocab.species import INDEX, SPECIES, expand
from .kinetics import BUDGET_NAMES, N_BUDGET, N_REACTIVE, N_ROW_WORK, kinetics_row, react_all
from .loads import LoadArrays, eval_loads
from .transport import (
    LIMITERS,
    NODE_MIXING,
    NODE_RESERVOIR,
    NODE_VOLUME,
    TransportArrays,
    TransportWork,
    advect,
    disperse,
    set_volumes,
)

REACTIVE = SPECIES[:N_REACTIVE]  # on, nh3n, no3n, op, po4p
TRACER = "tracer"


def i64(values) -> np.ndarray:
    return np.array(values, np.int64)


@dataclass
class PointLoad:
    """A mass load prepared outside the config (sewage plants, enterprises, runoff): g/s of
    each species on ``times_s`` (epoch s), entering node ``node`` or cells with shares."""

    group: str
    times_s: np.ndarray
    load_g_s: dict[str, np.ndarray]
    node: int = -1
    cells: np.ndarray | None = None
    shares: np.ndarray | None = None
    interpolation: int = INTERP_LINEAR
    name: str = ""


class QualityState(NamedTuple):
    """mass[c, k] (g) in cells; conc[v, k] (mg/L) at every vertex (cells, then one per node
    for mixing and reservoir nodes); budget[g, process] (g); balance[k, 4] (g): loads,
    boundary in, boundary out, withdrawals; initial_mass[k] (g); node_mass_in[j, k] and
    node_mass_out[j, k] (g): mass that entered and left the cell of node j since the start
    (storage nodes and junctions with a surface; zeros elsewhere), for loads into lakes."""

    mass: np.ndarray
    conc: np.ndarray
    budget: np.ndarray
    balance: np.ndarray
    initial_mass: np.ndarray
    node_mass_in: np.ndarray
    node_mass_out: np.ndarray


class Layout:
    """Tracer columns: group g holds the five reactive species at 5 g .. 5 g + 4 (group 0 is
    the total); the conservative tracer is the last column (total only)."""

    def __init__(self, groups: list[str]):
        self.groups = groups
        self.n_groups = len(groups)
        self.ntr = N_REACTIVE * self.n_groups + 1
        self.tracer = self.ntr - 1

    def col(self, species: str, group: int = 0) -> int:
        if species == TRACER:
            return self.tracer
        return N_REACTIVE * group + INDEX[species]

    def group(self, name: str) -> int:
        return self.groups.index(name)


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
def node_areas(net, z_node, out):
    for j in range(z_node.size):
        _, a = node_storage(j, z_node[j], net)
        out[j] = a


@numba.njit(cache=True)
def fischer_dispersion(q, area, width, conv, g, dmin, dmax, out):
    """Fischer (1979) longitudinal dispersion D = 0.011 U^2 W^2 / (h u*), u* = sqrt(g h S_f),
    S_f = (Q/K)^2, bounded to [dmin, dmax] m2/s (near-stagnant reaches get dmin)."""
    for p in range(q.size):
        a = area[p]
        if a <= 0.0 or width[p] <= 0.0:
            out[p] = dmin
            continue
        u = q[p] / a
        h = a / width[p]
        sf = (q[p] / conv[p]) ** 2
        ustar = np.sqrt(g * h * sf)
        d = 0.011 * u * u * width[p] * width[p] / (h * ustar) if ustar > 0.0 else dmin
        out[p] = min(max(d, dmin), dmax)


@numba.njit(cache=True)
def quality_step(
    ta,
    net,
    ld,
    ts,
    t0,
    dt,
    fx,
    fischer,
    g,
    d_min,
    d_max,
    disp_point,
    disp_override,
    disp_overridden,
    load_cell,
    load_node,
    bc_conc,
    max_courant,
    limiter,
    w,
    mass,
    conc,
    balance,
    node_mass_in,
    node_mass_out,
    node_area,
    depth,
    kin_rows,
    cell_row,
    temp_c,
    n_groups,
    sediment_group,
    budget,
    kin_work,
):
    """One water-quality step of dt seconds after the hydrodynamic step from t0 (operator
    splitting: loads, advection, dispersion, reactions), in one kernel call so that the
    many arrays are passed once. Returns the number of advection sub-steps."""
    eval_loads(ld, ts, t0, t0 + dt, load_cell, load_node, bc_conc)
    set_volumes(ta, fx.v_cell0, fx.v_node0, w)
    n_sub = advect(
        ta, net, fx.q_point, fx.q_struct, fx.q_ext, fx.q_evap, fx.q_bc, fx.q_lat, fx.q_rating,
        fx.v_cell1, fx.v_node1, mass, conc, load_cell, load_node, bc_conc, dt, max_courant,
        limiter, w, balance,
    )  # fmt: skip
    for j in range(node_mass_in.shape[0]):
        for k in range(node_mass_in.shape[1]):
            node_mass_in[j, k] += w.step_in[j, k]
            node_mass_out[j, k] += w.step_out[j, k]
    if fischer:
        fischer_dispersion(fx.q_now, fx.area, fx.width, fx.conveyance, g, d_min, d_max, disp_point)
    for p in range(disp_point.size):
        if disp_overridden[p]:
            disp_point[p] = disp_override[p]
    disperse(ta, net, fx.area, disp_point, mass, conc, dt, w)
    node_areas(net, fx.z_node, node_area)
    cell_depths(ta, net, node_area, fx.width, w.v1, depth)
    react_all(
        conc[: ta.n_tc], mass, w.v1, depth, kin_rows, cell_row, temp_c, -1.0, dt, n_groups,
        sediment_group, budget, kin_work,
    )  # fmt: skip
    return n_sub


def build_topology(net: CompiledNetwork, hydro: HydroSolver) -> TransportArrays:
    a = net.arrays
    n_rc = net.n_cells
    n_nodes = net.n_nodes
    node_type = np.full(n_nodes, NODE_MIXING, np.int64)
    node_cell = np.full(n_nodes, -1, np.int64)
    node_voff = np.zeros(n_nodes)
    n_tc = n_rc
    for j in range(n_nodes):
        if hydro.bc.kind[j] in (BC_LEVEL, BC_TIDE):
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
    for s_idx in range(hydro.st.kind.size):
        node_st[hydro.st.from_node[s_idx]].append(s_idx)
        node_st[hydro.st.to_node[s_idx]].append(s_idx)

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
        st_from=hydro.st.from_node.copy(),
        st_to=hydro.st.to_node.copy(),
        reach_cell_ptr=reach_cell_ptr,
        node_ef_ptr=ef_ptr,
        node_ef=ef_idx,
        node_st_ptr=st_ptr,
        node_st=st_idx,
    )


class QualitySolver:
    """Water quality of one model: owns its state and work arrays."""

    def __init__(
        self,
        cfg: LoadedConfig,
        net: CompiledNetwork,
        hydro: HydroSolver,
        point_loads: list[PointLoad] | None = None,
        temperature: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        q = cfg.model.quality
        self.cfg = cfg
        self.net = net
        self.hydro = hydro
        self.enabled = q.enabled
        groups = ["total"]
        if q.apportionment:
            groups += list(SOURCE_GROUPS)
            groups += [f"boundary:{net.node_ids[j]}" for j in np.nonzero(hydro.bc.kind)[0]]
            groups += ["sediment", "initial"]
        self.layout = lay = Layout(groups)
        self.sediment_group = lay.group("sediment") if "sediment" in groups else -1
        self.ta = build_topology(net, hydro)
        ta = self.ta
        n_vert = ta.n_tc + net.n_nodes
        ntr = lay.ntr
        self.max_courant = q.max_courant
        self.limiter = LIMITERS[q.limiter]
        self.g = float(hydro.par[2])

        # --- series and loads
        named = {ts.id: ts for ts in cfg.model.timeseries}
        store = SeriesStore()
        self.store = store

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

        ld_series, ld_factor, ld_col, ld_node, ld_ptr, ld_cell, ld_share = (
            [],
            [],
            [],
            [],
            [0],
            [],
            [],
        )

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

        other = lay.group("other") if "other" in groups else None
        for lt in cfg.model.laterals:
            if not lt.concentrations:
                continue
            node, cells, shares = self._where(lt)
            q_idx = ref(lt.discharge_m3s)
            for sp, sidx in concentration_refs(lt.concentrations).items():
                add_load(sidx, sp, other, node, cells, shares, factor=q_idx)
        for pl in point_loads or []:
            # Prepared loads come from code, not from a file: a wrong name is a fault there.
            if pl.group not in SOURCE_GROUPS:
                raise ValueError(
                    f"point load group '{pl.group}' is not one of {', '.join(SOURCE_GROUPS)}"
                )
            unknown = sorted(set(pl.load_g_s) - set(SPECIES))
            if unknown:
                raise ValueError(
                    f"point load species {', '.join(unknown)} not transported; "
                    f"give loads of {', '.join(SPECIES)} (split TN and TP first)"
                )
            grp = lay.group(pl.group) if q.apportionment else None
            for sp, rate in pl.load_g_s.items():
                sidx = store.add(pl.times_s, np.asarray(rate, float), pl.interpolation)
                cells = pl.cells if pl.cells is not None else np.zeros(0, np.int64)
                shares = pl.shares if pl.shares is not None else np.zeros(0)
                add_load(sidx, sp, grp, pl.node, cells, shares)

        bc_series = np.full((net.n_nodes, ntr), -1, np.int64)
        for b in cfg.model.boundaries:
            j = net.node_index(b.node)
            grp = lay.group(f"boundary:{b.node}") if q.apportionment else None
            for sp, sidx in concentration_refs(b.concentrations).items():
                bc_series[j, lay.col(sp, 0)] = sidx
                if grp is not None and sp != TRACER:
                    bc_series[j, lay.col(sp, grp)] = sidx
        self.ts = store.arrays()
        self.loads = LoadArrays(
            i64(ld_series),
            i64(ld_factor),
            i64(ld_col),
            i64(ld_node),
            i64(ld_ptr),
            i64(ld_cell),
            np.array(ld_share, float),
            bc_series,
        )
        self.load_cell = np.zeros((ta.n_tc, ntr))
        self.load_node = np.zeros((net.n_nodes, ntr))
        self.bc_conc = np.zeros((net.n_nodes, ntr))

        # --- kinetics per cell, dispersion per point
        base = kinetics_row(q.kinetics)
        self.kin = np.tile(base, (ta.n_tc, 1))
        cell_reach = net.cell_reach()
        for o in q.overrides:
            row = kinetics_row(o)
            for rid in o.reaches:
                self.kin[cell_reach == net.reach_index(rid)] = row
            for nid in o.nodes:
                c = ta.node_cell[net.node_index(nid)]
                if c >= 0:
                    self.kin[c] = row
        # the kinetics works per distinct parameter row
        self.kin_rows, cell_row = np.unique(self.kin, axis=0, return_inverse=True)
        self.cell_row = cell_row.reshape(-1).astype(np.int64)
        self.kin_work = np.zeros((self.kin_rows.shape[0], N_ROW_WORK))
        self.disp_method = q.dispersion.method
        self.disp = q.dispersion
        self.disp_point = np.full(net.n_points, q.dispersion.coefficient_m2_s)
        self.disp_override = np.full(net.n_points, np.nan)
        for rid, d in q.dispersion_per_reach_m2_s.items():
            r = net.reach_index(rid)
            self.disp_override[net.arrays.reach_pt[r] : net.arrays.reach_pt[r + 1]] = d
        self.disp_overridden = ~np.isnan(self.disp_override)
        self.temperature = temperature
        self.temp_default = 20.0
        if isinstance(q.temperature_c, (int, float)):
            self.temperature = (np.zeros(1), np.array([float(q.temperature_c)]))
        elif isinstance(q.temperature_c, str):
            self.temperature = named[q.temperature_c].epoch_arrays()
        self.temperature_source = (
            "config"
            if q.temperature_c is not None
            else ("forcing" if temperature is not None else "default 20 C")
        )

        # --- state
        mass = np.zeros((ta.n_tc, ntr))
        conc = np.zeros((n_vert, ntr))
        init = expand(q.initial_mg_l)
        for sp, val in init.items():
            v = float(q.initial_mg_l[val[0]] * val[1]) if isinstance(val, tuple) else float(val)
            conc[: ta.n_tc, lay.col(sp, 0)] = v
            if q.apportionment and sp != TRACER:
                conc[: ta.n_tc, lay.col(sp, lay.group("initial"))] = v
        self.work = self._allocate(ntr)
        set_volumes(ta, *self._volumes_now(), self.work)
        v0 = self.work.v0
        mass[:] = conc[: ta.n_tc] * np.maximum(v0, 0.0)[:, None]
        self.state = QualityState(
            mass=mass,
            conc=conc,
            budget=np.zeros((lay.n_groups, N_BUDGET)),
            balance=np.zeros((ntr, 4)),
            initial_mass=mass.sum(axis=0),
            node_mass_in=np.zeros((net.n_nodes, ntr)),
            node_mass_out=np.zeros((net.n_nodes, ntr)),
        )
        self.depth = np.zeros(ta.n_tc)
        self.node_area = np.zeros(net.n_nodes)
        self.n_substeps_max = 0

    # ------------------------------------------------------------------ helpers
    def _where(self, item):
        net = self.net
        if getattr(item, "node", None) is not None:
            j = net.node_index(item.node)
            return j, np.zeros(0, np.int64), np.zeros(0)
        r = net.reach_index(item.reach)
        length = self.cfg.model.reaches[r].length_m
        ch0 = item.chainage_m
        ch1 = getattr(item, "chainage_to_m", None)
        if ch0 is not None and ch1 is None:
            _, cell, _ = net.locate(item.reach, ch0)
            return -1, np.array([cell], np.int64), np.array([1.0])
        cells, shares = reach_cells_between(net, r, ch0 or 0.0, ch1 if ch1 is not None else length)
        return -1, cells, shares

    def _volumes_now(self):
        """Hydro volumes of cells and nodes (m3) at the current state."""
        h = self.hydro
        vcell = np.zeros(self.net.n_cells)
        vnode = np.zeros(self.net.n_nodes)
        scratch = [np.zeros(self.net.n_points) for _ in range(3)]
        volumes(
            self.net.arrays,
            self.net.tables,
            h.state.z_pt,
            h.state.z_node,
            h.par,
            *scratch,
            vcell,
            vnode,
        )
        return vcell, vnode

    def _allocate(self, ntr: int) -> TransportWork:
        ta = self.ta
        n_tc, n_nodes = ta.n_tc, self.net.n_nodes
        nmax = max(int(np.max(np.diff(ta.reach_cell_ptr))) if ta.reach_cell_ptr.size > 1 else 1, 1)
        z = np.zeros
        return TransportWork(
            v0=z(n_tc),
            v1=z(n_tc),
            vs=z(n_tc),
            out_rate=z(n_tc),
            dmass=z((n_tc, ntr)),
            out_mass=z((n_tc, ntr)),
            scale=z(n_tc),
            n_out=np.zeros(n_tc, np.int64),
            div_cells=np.zeros(n_tc, np.int64),
            node_qout=z(n_nodes),
            node_in=z((n_nodes, ntr)),
            node_prev=z(ntr),
            order=np.zeros(n_nodes, np.int64),
            indeg=np.zeros(n_nodes, np.int64),
            frac_end=z(1),
            qface_int=z(ta.if_left.size),
            qface_end=z(ta.ef_cell.size),
            flux_int=z((ta.if_left.size, ntr)),
            flux_end=z((ta.ef_cell.size, ntr)),
            tri_a=z(nmax),
            tri_b=z(nmax),
            tri_c=z(nmax),
            tri_k=z(nmax + 1),
            tri_x=z((nmax, ntr)),
            step_in=z((n_nodes, ntr)),
            step_out=z((n_nodes, ntr)),
        )

    def temperature_at(self, t: float) -> float:
        if self.temperature is None:
            return self.temp_default
        times, values = self.temperature
        return float(np.interp(t, times, values)) if times.size > 1 else float(values[0])

    # --------------------------------------------------------------------- step
    def step(self, t0: float, dt: float) -> None:
        """Advance water quality over the hydro step just taken (from t0, dt seconds), using
        the hydro work arrays it left behind (step-averaged fluxes, volumes at both ends)."""
        h = self.hydro
        st = self.state
        n_sub = quality_step(
            self.ta,
            self.net.arrays,
            self.loads,
            self.ts,
            t0,
            dt,
            h.fluxes,
            self.disp_method == "fischer",
            self.g,
            self.disp.min_m2_s,
            self.disp.max_m2_s,
            self.disp_point,
            self.disp_override,
            self.disp_overridden,
            self.load_cell,
            self.load_node,
            self.bc_conc,
            self.max_courant,
            self.limiter,
            self.work,
            st.mass,
            st.conc,
            st.balance,
            st.node_mass_in,
            st.node_mass_out,
            self.node_area,
            self.depth,
            self.kin_rows,
            self.cell_row,
            self.temperature_at(t0 + 0.5 * dt),
            self.layout.n_groups,
            self.sediment_group,
            st.budget,
            self.kin_work,
        )
        self.n_substeps_max = max(self.n_substeps_max, n_sub)

    # ----------------------------------------------------------------- balance
    def mass_balance(self) -> dict:
        """Mass balance per species (g) since the start: loads, boundary in and out,
        withdrawals, each process, storage change and the error."""
        lay = self.layout
        st = self.state
        out = {}
        b = st.budget[0]
        process_effect = {
            "on": {"ammonification": -b[0], "settling_on": -b[4]},
            "nh3n": {"ammonification": b[0], "nitrification": -b[1], "sediment_release_nh3": b[6]},
            "no3n": {"nitrification": b[1], "denitrification": -b[2]},
            "op": {"p_mineralisation": -b[3], "settling_op": -b[5]},
            "po4p": {"p_mineralisation": b[3], "sediment_release_po4": b[7]},
            "tracer": {},
        }
        for sp in SPECIES:
            k = lay.col(sp, 0)
            final = float(st.mass[:, k].sum())
            init = float(st.initial_mass[k])
            loads, bin_, bout, wd = (float(x) for x in st.balance[k])
            proc = {name: float(v) for name, v in process_effect[sp].items()}
            expected = loads + bin_ - bout - wd + sum(proc.values())
            change = final - init
            scale = max(abs(init), abs(final), loads + bin_, bout + wd, 1e-30)
            out[sp] = {
                "units": "g",
                "initial_mass": init,
                "final_mass": final,
                "storage_change": change,
                "loads_in": loads,
                "boundary_in": bin_,
                "boundary_out": bout,
                "withdrawals": wd,
                "processes": proc,
                "error": change - expected,
                "relative_error": (change - expected) / scale,
            }
        return out

    def budgets_by_group(self) -> dict:
        return {
            g: {name: float(v) for name, v in zip(BUDGET_NAMES, self.state.budget[i], strict=True)}
            for i, g in enumerate(self.layout.groups)
        }
