"""Network topology compiled into flat arrays for the kernels.

Layout
------
Every reach owns its computational points, from its from_node end to its to_node end; the
end points share their level with the node (three-level method). Points of reach r are
``reach_pt[r]:reach_pt[r+1]``; the cell (finite volume, used by transport and by the NetCDF
mesh as an edge) between points p and p+1 of reach r has index ``p - r``.

Mesh (UGRID 1-D): mesh node k < n_nodes is network node k; interior points follow. Each cell
is a mesh edge between its two points' mesh nodes. Loops are allowed: nothing assumes a tree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..config.loaded import LoadedConfig
from .sections import StageTables, build_table, irregular_table, pack_tables, shape_polyline

EARTH_RADIUS_M = 6_371_000.0


class NetworkArrays(NamedTuple):
    """Topology and geometry of the computational network (SI units).

    reach_from, reach_to : node index at each end of a reach.
    reach_pt : CSR offsets of each reach's points (n_reaches + 1).
    pt_chainage : distance from the reach's from_node (m).
    pt_bed : lowest bed level at the point (m).
    pt_sec_a, pt_sec_b, pt_w : the two placed sections bracketing the point and the weight
        of b; properties are (1 - w) * a + w * b evaluated at the same depth.
    pt_node : network node of a reach end point, -1 for interior points.
    pt_mesh : mesh node of each point.
    node_ptr, node_reach, node_end : CSR incidence; node_end is 0 where the reach starts at
        the node (its first point) and 1 where it ends there (its last point).
    node_area : constant surface area of a junction (m2).
    node_st_ptr, st_level, st_area, st_volume : level-area-volume tables of storage nodes
        (CSR, empty for junctions); volume is the exact integral of the linear area.
    cell_dx : length of each cell (m).
    """

    reach_from: np.ndarray
    reach_to: np.ndarray
    reach_pt: np.ndarray
    pt_chainage: np.ndarray
    pt_bed: np.ndarray
    pt_sec_a: np.ndarray
    pt_sec_b: np.ndarray
    pt_w: np.ndarray
    pt_node: np.ndarray
    pt_mesh: np.ndarray
    node_ptr: np.ndarray
    node_reach: np.ndarray
    node_end: np.ndarray
    node_area: np.ndarray
    node_st_ptr: np.ndarray
    st_level: np.ndarray
    st_area: np.ndarray
    st_volume: np.ndarray
    cell_dx: np.ndarray


@dataclass
class CompiledNetwork:
    """The kernel arrays plus the names and coordinates the outputs need."""

    arrays: NetworkArrays
    tables: StageTables
    node_ids: list[str]
    node_names: list[str]
    node_kind: list[str]
    reach_ids: list[str]
    reach_names: list[str]
    mesh_x: np.ndarray
    mesh_y: np.ndarray
    pt_x: np.ndarray
    pt_y: np.ndarray
    cell_x: np.ndarray
    cell_y: np.ndarray
    coordinates: str
    node_bed: np.ndarray

    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)

    @property
    def n_reaches(self) -> int:
        return len(self.reach_ids)

    @property
    def n_points(self) -> int:
        return self.arrays.pt_chainage.size

    @property
    def n_cells(self) -> int:
        return self.arrays.cell_dx.size

    @property
    def n_mesh_nodes(self) -> int:
        return self.mesh_x.size

    def node_index(self, node_id: str) -> int:
        return self.node_ids.index(node_id)

    def reach_index(self, reach_id: str) -> int:
        return self.reach_ids.index(reach_id)

    def cell_edges(self) -> np.ndarray:
        """(n_cells, 2) mesh-node indices of each cell: the UGRID edge_node_connectivity."""
        a = self.arrays
        edges = np.empty((self.n_cells, 2), np.int64)
        for r in range(self.n_reaches):
            p0, p1 = a.reach_pt[r], a.reach_pt[r + 1]
            c0 = p0 - r
            edges[c0 : c0 + (p1 - p0 - 1), 0] = a.pt_mesh[p0 : p1 - 1]
            edges[c0 : c0 + (p1 - p0 - 1), 1] = a.pt_mesh[p0 + 1 : p1]
        return edges

    def cell_reach(self) -> np.ndarray:
        a = self.arrays
        return np.repeat(np.arange(self.n_reaches), np.diff(a.reach_pt) - 1)

    def cell_chainage(self) -> np.ndarray:
        """Chainage of each cell's centre (m)."""
        a = self.arrays
        mid = 0.5 * (a.pt_chainage[:-1] + a.pt_chainage[1:])
        keep = np.ones(self.n_points - 1, bool)
        keep[a.reach_pt[1:-1] - 1] = False  # pairs straddling two reaches
        return mid[keep]

    def locate(self, reach: str, chainage_m: float) -> tuple[int, int, float]:
        """(first point p, cell, weight w) so that a value at ``chainage_m`` on ``reach`` is
        (1 - w) * value[p] + w * value[p + 1]; cell is the cell containing it."""
        r = self.reach_index(reach)
        a = self.arrays
        p0, p1 = a.reach_pt[r], a.reach_pt[r + 1]
        ch = a.pt_chainage[p0:p1]
        k = int(np.clip(np.searchsorted(ch, chainage_m, side="right") - 1, 0, p1 - p0 - 2))
        w = float(np.clip((chainage_m - ch[k]) / (ch[k + 1] - ch[k]), 0.0, 1.0))
        return p0 + k, p0 + k - r, w


def _polyline_point(
    coords: np.ndarray, frac: np.ndarray, lonlat: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Points at fractions ``frac`` (0-1) of the length along a polyline."""
    x, y = coords[:, 0], coords[:, 1]
    if lonlat:
        lat0 = math.radians(float(np.mean(y)))
        sx, sy = math.cos(lat0), 1.0
    else:
        sx = sy = 1.0
    seg = np.hypot(np.diff(x) * sx, np.diff(y) * sy)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    target = frac * cum[-1]
    return np.interp(target, cum, x), np.interp(target, cum, y)


def compile_network(cfg: LoadedConfig) -> CompiledNetwork:
    """Turn the validated config into kernel arrays. The config has passed the reference
    checks, so every id named here exists."""
    m = cfg.model
    hydro = cfg.run.hydro
    lonlat = m.model.coordinates == "lonlat"
    node_ids = [n.id for n in m.nodes]
    nidx = {n: i for i, n in enumerate(node_ids)}
    sections = {s.id: s for s in m.cross_sections}

    # Placed sections: one stage table per placement (bed level and n are per placement).
    tables, beds, slots = [], [], []
    built: dict[tuple, tuple] = {}
    reach_places: list[list[tuple[float, int]]] = []
    for r in m.reaches:
        places = []
        for rs in r.sections:
            sec = sections[rs.section]
            n_default = rs.manning_n or sec.manning_n or r.manning_n
            if sec.shape == "irregular":
                st = np.asarray(sec.station_m, float)
                el = np.asarray(sec.elevation_m, float)
                lowest = float(el.min())
                bed = rs.bed_level_m if rs.bed_level_m is not None else lowest
                rel = el - lowest
                if sec.panel_manning_n:
                    breaks, pn = list(sec.panel_stations_m), list(sec.panel_manning_n)
                    if rs.manning_n is not None:
                        pn = [rs.manning_n] * len(pn)
                else:
                    breaks, pn = [], [n_default]
                bed_width = _bed_width(st, rel)
            else:
                if rs.bed_level_m is not None:
                    bed = rs.bed_level_m
                else:
                    f = rs.chainage_m / r.length_m
                    bed = (1 - f) * r.bed_level_from_m + f * r.bed_level_to_m
                if sec.shape == "rectangular":
                    st, rel = shape_polyline(
                        "rectangular", width_m=sec.width_m, height_m=sec.height_m
                    )
                    bed_width = sec.width_m
                else:
                    st, rel = shape_polyline(
                        "trapezoidal",
                        bottom_width_m=sec.bottom_width_m,
                        side_slope=sec.side_slope,
                        height_m=sec.height_m,
                    )
                    bed_width = max(sec.bottom_width_m, sec.side_slope * 0.1)
                breaks, pn = [], [n_default]
            # Placements of the same section with the same roughness share one table (in
            # depth above the lowest point, so the bed level does not enter it).
            key = (rs.section, tuple(breaks), tuple(pn))
            if key not in built:
                built[key] = build_table(st, rel, breaks, pn, hydro.stage_table_step_m)
            tables.append(built[key])
            beds.append(bed)
            slots.append(max(hydro.min_slot_width_m, hydro.slot_width_fraction * bed_width))
            places.append((rs.chainage_m, len(tables) - 1))
        reach_places.append(places)
    tab = pack_tables(tables, beds, slots)

    # Points.
    n_r = len(m.reaches)
    reach_pt = np.zeros(n_r + 1, np.int64)
    ch_list, sa_list, sb_list, w_list, bed_list, x_list, y_list = [], [], [], [], [], [], []
    for ri, r in enumerate(m.reaches):
        nseg = max(1, math.ceil(r.length_m / r.dx_m - 1e-9))
        ch = np.linspace(0.0, r.length_m, nseg + 1)
        places = reach_places[ri]
        pch = np.array([p[0] for p in places])
        pid = np.array([p[1] for p in places])
        k = np.clip(np.searchsorted(pch, ch, side="right") - 1, 0, len(places) - 1)
        k2 = np.minimum(k + 1, len(places) - 1)
        span = pch[k2] - pch[k]
        w = np.where(
            span > 0, np.clip((ch - pch[k]) / np.where(span > 0, span, 1.0), 0.0, 1.0), 0.0
        )
        sa, sb = pid[k], pid[k2]
        bed = np.interp(ch, *_bed_anchors(r, sections, tables_bed=tab.bed_level, places=places))
        if r.geometry is not None:
            coords = np.asarray(r.geometry, float)
        else:
            a, b = m.nodes[nidx[r.from_node]], m.nodes[nidx[r.to_node]]
            coords = np.array([[a.x, a.y], [b.x, b.y]])
        px, py = _polyline_point(coords, ch / r.length_m, lonlat)
        reach_pt[ri + 1] = reach_pt[ri] + ch.size
        ch_list.append(ch)
        sa_list.append(sa)
        sb_list.append(sb)
        w_list.append(w)
        bed_list.append(bed)
        x_list.append(px)
        y_list.append(py)

    def cat(xs, dt):
        return np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt)

    pt_chainage = cat(ch_list, np.float64)
    n_pts = pt_chainage.size
    pt_node = np.full(n_pts, -1, np.int64)
    reach_from = np.array([nidx[r.from_node] for r in m.reaches], np.int64)
    reach_to = np.array([nidx[r.to_node] for r in m.reaches], np.int64)
    n_nodes = len(node_ids)
    pt_node[reach_pt[:-1]] = reach_from
    pt_node[reach_pt[1:] - 1] = reach_to
    pt_mesh = np.empty(n_pts, np.int64)
    interior = pt_node < 0
    pt_mesh[~interior] = pt_node[~interior]
    pt_mesh[interior] = n_nodes + np.arange(int(interior.sum()))

    # Node incidence (CSR).
    inc: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for ri in range(n_r):
        inc[reach_from[ri]].append((ri, 0))
        inc[reach_to[ri]].append((ri, 1))
    node_ptr = np.zeros(n_nodes + 1, np.int64)
    node_ptr[1:] = np.cumsum([len(x) for x in inc])
    node_reach = np.array([ri for x in inc for ri, _ in x], np.int64)
    node_end = np.array([e for x in inc for _, e in x], np.int64)

    # Storage tables.
    st_ptr = np.zeros(n_nodes + 1, np.int64)
    lv, ar, vo = [], [], []
    for i, n in enumerate(m.nodes):
        if n.storage is not None:
            lev = np.asarray(n.storage.level_m, float)
            area = np.asarray(n.storage.area_m2, float)
            vol = np.concatenate([[0.0], np.cumsum(0.5 * (area[1:] + area[:-1]) * np.diff(lev))])
            lv.append(lev)
            ar.append(area)
            vo.append(vol)
            st_ptr[i + 1] = st_ptr[i] + lev.size
        else:
            st_ptr[i + 1] = st_ptr[i]

    pt_x, pt_y = cat(x_list, np.float64), cat(y_list, np.float64)
    mesh_x = np.empty(n_nodes + int(interior.sum()))
    mesh_y = np.empty_like(mesh_x)
    mesh_x[:n_nodes] = [n.x for n in m.nodes]
    mesh_y[:n_nodes] = [n.y for n in m.nodes]
    mesh_x[pt_mesh[interior]] = pt_x[interior]
    mesh_y[pt_mesh[interior]] = pt_y[interior]

    cell_dx_all = np.diff(pt_chainage)
    keep = np.ones(max(n_pts - 1, 0), bool)
    keep[reach_pt[1:-1] - 1] = False
    cell_dx = cell_dx_all[keep]
    cell_x = 0.5 * (pt_x[:-1] + pt_x[1:])[keep]
    cell_y = 0.5 * (pt_y[:-1] + pt_y[1:])[keep]

    pt_bed = cat(bed_list, np.float64)
    node_bed = np.full(n_nodes, np.inf)
    ends = ~interior
    np.minimum.at(node_bed, pt_node[ends], pt_bed[ends])
    for i, n in enumerate(m.nodes):
        if n.bed_level_m is not None:
            node_bed[i] = n.bed_level_m
        elif n.storage is not None and not np.isfinite(node_bed[i]):
            node_bed[i] = n.storage.level_m[0]
    node_bed[~np.isfinite(node_bed)] = np.nan

    arrays = NetworkArrays(
        reach_from=reach_from,
        reach_to=reach_to,
        reach_pt=reach_pt,
        pt_chainage=pt_chainage,
        pt_bed=pt_bed,
        pt_sec_a=cat(sa_list, np.int64),
        pt_sec_b=cat(sb_list, np.int64),
        pt_w=cat(w_list, np.float64),
        pt_node=pt_node,
        pt_mesh=pt_mesh,
        node_ptr=node_ptr,
        node_reach=node_reach,
        node_end=node_end,
        node_area=np.array([n.surface_area_m2 for n in m.nodes], float),
        node_st_ptr=st_ptr,
        st_level=cat(lv, np.float64),
        st_area=cat(ar, np.float64),
        st_volume=cat(vo, np.float64),
        cell_dx=cell_dx,
    )
    return CompiledNetwork(
        arrays=arrays,
        tables=tab,
        node_ids=node_ids,
        node_names=[n.name or n.id for n in m.nodes],
        node_kind=[n.kind for n in m.nodes],
        reach_ids=[r.id for r in m.reaches],
        reach_names=[r.name or r.id for r in m.reaches],
        mesh_x=mesh_x,
        mesh_y=mesh_y,
        pt_x=pt_x,
        pt_y=pt_y,
        cell_x=cell_x,
        cell_y=cell_y,
        coordinates=m.model.coordinates,
        node_bed=node_bed,
    )


def _bed_anchors(r, sections, tables_bed, places):
    """(chainages, bed levels) that the bed line of a reach passes through: the reach's end
    bed levels when given, and every placed section whose level is its own (an explicit
    bed_level_m, or a surveyed section). Between anchors the bed is linear; beyond the
    first and last it is constant."""
    anchors = {}
    if r.bed_level_from_m is not None and r.bed_level_to_m is not None:
        anchors[0.0] = r.bed_level_from_m
        anchors[r.length_m] = r.bed_level_to_m
    for rs, (chainage, s) in zip(r.sections, places, strict=True):
        if rs.bed_level_m is not None or sections[rs.section].shape == "irregular":
            anchors[chainage] = float(tables_bed[s])
    keys = sorted(anchors)
    return np.array(keys), np.array([anchors[k] for k in keys])


def _bed_width(station: np.ndarray, rel: np.ndarray, depth: float = 0.1) -> float:
    """Width of a surveyed section at ``depth`` above its lowest point (m), for the slot."""
    _, w, _ = irregular_table(station, rel, [], [0.03], np.array([depth]))
    return float(w[0])


def reach_cells_between(net: CompiledNetwork, reach: int, ch0: float, ch1: float):
    """Cells of a reach overlapping [ch0, ch1] (m) and the share of that span in each."""
    a = net.arrays
    p0, p1 = a.reach_pt[reach], a.reach_pt[reach + 1]
    ch = a.pt_chainage[p0:p1]
    lo = np.maximum(ch[:-1], ch0)
    hi = np.minimum(ch[1:], ch1)
    overlap = np.clip(hi - lo, 0.0, None)
    cells = np.nonzero(overlap > 0)[0]
    return (cells + p0 - reach).astype(np.int64), overlap[cells] / overlap.sum()
