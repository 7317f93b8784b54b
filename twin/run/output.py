"""What a run records: mesh fields at the map interval, section and storage-node series at
the output interval, sampled from the model state and written through ``io.netcdf``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..hydro.stepping import volumes
from ..io.netcdf import ResultsWriter, SeriesSites
from ..vocab.species import DERIVED, SPECIES
from .driver import Hook
from .model import Model

HYDRO_MAP = ["water_level", "water_depth", "discharge", "velocity", "flow_area"]
HYDRO_SECTION = ["section_water_level", "section_discharge"]
HYDRO_STORAGE = ["storage_water_level", "storage_volume"]
QUALITY = [*SPECIES, *DERIVED]
LOADS = ("tn", "tp")
"""Totals whose mass entering and leaving each storage node is recorded (cumulative, kg)."""


def _on_grid(t: float, interval: float) -> bool:
    r = t % interval
    return min(r, interval - r) < 1e-3


@dataclass
class SectionLocator:
    """How to read each section's values: on a reach between points p and p+1 with weight w
    (cell c holds it), or at node j (p = -1)."""

    point: np.ndarray
    weight: np.ndarray
    cell: np.ndarray
    node: np.ndarray


def locate_sections(model: Model) -> SectionLocator:
    net = model.network
    secs = model.cfg.model.sections
    point = np.full(len(secs), -1, np.int64)
    weight = np.zeros(len(secs))
    cell = np.full(len(secs), -1, np.int64)
    node = np.full(len(secs), -1, np.int64)
    for i, s in enumerate(secs):
        if s.reach is not None:
            point[i], cell[i], weight[i] = net.locate(s.reach, s.chainage_m)
        else:
            node[i] = net.node_index(s.node)
    return SectionLocator(point, weight, cell, node)


class Recorder(Hook):
    """Samples the model and writes ``results.nc``: a hook of the run (``twin.run.driver``)
    that records the initial state and every output time after a step."""

    def __init__(self, model: Model, path, attrs: dict[str, str]):
        self.model = model
        net = model.network
        m = model.cfg.model
        self.loc = locate_sections(model)
        self.storage = np.array([i for i, n in enumerate(m.nodes) if n.kind == "storage"], np.int64)
        sec_x = np.array([s.lon if s.lon is not None else np.nan for s in m.sections])
        sec_y = np.array([s.lat if s.lat is not None else np.nan for s in m.sections])
        for i in range(len(m.sections)):
            if np.isnan(sec_x[i]):
                sec_x[i], sec_y[i] = self._site_xy(i)
        sites = [
            SeriesSites(
                dim="section",
                ids=[s.id for s in m.sections],
                names=[s.name for s in m.sections],
                x=sec_x,
                y=sec_y,
                extra={
                    "kind": [s.kind for s in m.sections],
                    "target_class": [s.target_class for s in m.sections],
                },
            ),
            SeriesSites(
                dim="storage",
                ids=[net.node_ids[j] for j in self.storage],
                names=[net.node_names[j] for j in self.storage],
                x=net.mesh_x[self.storage],
                y=net.mesh_y[self.storage],
                extra={},
            ),
        ]
        q = model.quality
        self.map_vars = list(HYDRO_MAP)
        section_vars = list(HYDRO_SECTION)
        storage_vars = list(HYDRO_STORAGE)
        groups = None
        if q is not None:
            self.map_vars += QUALITY
            section_vars += [f"section_{sp}" for sp in QUALITY]
            storage_vars += [f"storage_{sp}" for sp in QUALITY]
            storage_vars += [f"storage_{sp}_mass_{way}" for way in ("in", "out") for sp in LOADS]
            if q.layout.n_groups > 1:
                section_vars += ["section_tn_by_source", "section_tp_by_source"]
                storage_vars += [f"storage_{sp}_mass_in_by_source" for sp in LOADS]
                groups = q.layout.groups[1:]
            # Concentration at each section: its cell on a reach, its vertex at a node.
            self.sec_vertex = np.where(
                self.loc.cell >= 0, self.loc.cell, q.ta.node_vertex[np.maximum(self.loc.node, 0)]
            )
            self.storage_vertex = q.ta.node_vertex[self.storage]
        self.writer = ResultsWriter(
            path,
            net,
            self.map_vars,
            sites,
            {"section": section_vars, "storage": storage_vars},
            attrs,
            source_groups=groups,
        )
        self.map_interval = model.cfg.run.map_interval_s or model.cfg.run.output_interval_s
        self.series_interval = model.cfg.run.output_interval_s
        self._scratch = [np.zeros(net.n_points) for _ in range(3)]
        self._vcell = np.zeros(net.n_cells)
        self._vnode = np.zeros(net.n_nodes)

    def _site_xy(self, i: int) -> tuple[float, float]:
        net = self.model.network
        if self.loc.node[i] >= 0:
            j = self.loc.node[i]
            return float(net.mesh_x[j]), float(net.mesh_y[j])
        p, w = self.loc.point[i], self.loc.weight[i]
        return (
            float((1 - w) * net.pt_x[p] + w * net.pt_x[p + 1]),
            float((1 - w) * net.pt_y[p] + w * net.pt_y[p + 1]),
        )

    def due(self) -> tuple[bool, bool]:
        """(series due, map due) at the model's current time: outputs fall on whole
        multiples of their interval in UTC, so a continued run records at the same times as
        an uninterrupted one."""
        t = self.model.time
        return _on_grid(t, self.series_interval), _on_grid(t, self.map_interval)

    def start(self, model: Model) -> None:
        self.record()

    def after_step(self, model: Model) -> None:
        self.record()

    def record(self) -> None:
        series_due, map_due = self.due()
        if series_due:
            self.writer.write_series(self.model.time, self.series_values())
        if map_due:
            self.writer.write_map(self.model.time, self.map_fields())

    def _volumes(self):
        h = self.model.hydro
        volumes(
            self.model.network.arrays,
            self.model.network.tables,
            h.state.z_pt,
            h.state.z_node,
            h.params,
            *self._scratch,
            self._vcell,
            self._vnode,
        )
        return self._vcell, self._vnode

    def map_fields(self) -> dict[str, np.ndarray]:
        net = self.model.network
        a = net.arrays
        st = self.model.hydro.state
        level = np.empty(net.n_mesh_nodes)
        level[a.pt_mesh] = st.z_pt
        level[: net.n_nodes] = st.z_node
        bed = np.full(net.n_mesh_nodes, np.nan)
        bed[a.pt_mesh] = a.pt_bed
        bed[: net.n_nodes] = np.where(np.isfinite(net.node_bed), net.node_bed, bed[: net.n_nodes])
        first = np.delete(np.arange(net.n_points - 1), a.reach_pt[1:-1] - 1)
        q_cell = 0.5 * (st.q_pt[first] + st.q_pt[first + 1])
        vcell, _ = self._volumes()
        area = vcell / a.cell_dx
        with np.errstate(divide="ignore", invalid="ignore"):
            velocity = np.where(area > 0, q_cell / area, 0.0)
        fields = {
            "water_level": level,
            "water_depth": level - bed,
            "discharge": q_cell,
            "velocity": velocity,
            "flow_area": area,
        }
        q = self.model.quality
        if q is not None:
            fields.update(self._species(q.state.conc[: net.n_cells]))
        return fields

    def _species(self, conc: np.ndarray, prefix: str = "") -> dict[str, np.ndarray]:
        """Concentrations (mg/L) of every species and of TN, TP from the total's columns."""
        lay = self.model.quality.layout
        out = {prefix + sp: conc[..., lay.col(sp, 0)] for sp in SPECIES}
        for total, parts in DERIVED.items():
            out[prefix + total] = sum(conc[..., lay.col(p, 0)] for p in parts)
        return out

    def series_values(self) -> dict[str, np.ndarray]:
        st = self.model.hydro.state
        loc = self.loc
        on_reach = loc.point >= 0
        p = np.where(on_reach, loc.point, 0)
        w = loc.weight
        level = np.where(
            on_reach, (1 - w) * st.z_pt[p] + w * st.z_pt[p + 1], st.z_node[np.maximum(loc.node, 0)]
        )
        q = np.where(on_reach, (1 - w) * st.q_pt[p] + w * st.q_pt[p + 1], np.nan)
        _, vnode = self._volumes()
        values = {
            "section_water_level": level,
            "section_discharge": q,
            "storage_water_level": st.z_node[self.storage],
            "storage_volume": vnode[self.storage] - self._voff(),
        }
        qs = self.model.quality
        if qs is not None:
            conc = qs.state.conc
            values.update(self._species(conc[self.sec_vertex], "section_"))
            values.update(self._species(conc[self.storage_vertex], "storage_"))
            lay = qs.layout
            if lay.n_groups > 1:
                for total, parts in DERIVED.items():
                    values[f"section_{total}_by_source"] = np.stack(
                        [
                            sum(conc[self.sec_vertex, lay.col(p, g)] for p in parts)
                            for g in range(1, lay.n_groups)
                        ],
                        axis=1,
                    )
            values.update(self._storage_loads(qs))
        return values

    def _storage_loads(self, qs) -> dict[str, np.ndarray]:
        """Cumulative mass (kg) of TN and TP that entered and left each storage node since
        the start; NaN for a storage node without a cell of its own (one held at a level or
        tide boundary is a reservoir: what enters it leaves the model)."""
        lay = qs.layout
        has_cell = qs.ta.node_cell[self.storage] >= 0
        out = {}
        for way, acc in (("in", qs.state.node_mass_in), ("out", qs.state.node_mass_out)):
            m = acc[self.storage]
            for total in LOADS:
                kg = sum(m[:, lay.col(p, 0)] for p in DERIVED[total]) / 1000.0
                out[f"storage_{total}_mass_{way}"] = np.where(has_cell, kg, np.nan)
                if way == "in" and lay.n_groups > 1:
                    by = np.stack(
                        [
                            sum(m[:, lay.col(p, g)] for p in DERIVED[total]) / 1000.0
                            for g in range(1, lay.n_groups)
                        ],
                        axis=1,
                    )
                    out[f"storage_{total}_mass_in_by_source"] = np.where(
                        has_cell[:, None], by, np.nan
                    )
        return out

    def _voff(self) -> np.ndarray:
        """Volume below the lake bottom in the node tables (m3), so storage_volume is water."""
        qs = self.model.quality
        if qs is not None:
            return qs.ta.node_voff[self.storage]
        return np.zeros(self.storage.size)

    def close(self):
        return self.writer.close()

    def abort(self):
        self.writer.abort()
