"""CF-1.8 + UGRID-1.0 NetCDF writer for results: the 1-D mesh, map fields on its nodes and
edges, and time series at assessment sections and storage nodes.

The file is written record by record under a temporary name and renamed when complete
(``close``), so memory stays flat over a long run and a crash never leaves a partial
``results.nc``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import netCDF4
import numpy as np

from .. import __version__
from ..network.topology import CompiledNetwork
from ..variables import get as get_variable
from .atomic import _FILE_MODE

TIME_UNITS = "seconds since 1970-01-01 00:00:00"
SERIES_BLOCK = 240
"""Series records written to the file at a time."""


@dataclass
class SeriesSites:
    """Named sites with time series: assessment sections or storage nodes."""

    dim: str
    ids: list[str]
    names: list[str]
    x: np.ndarray
    y: np.ndarray
    extra: dict[str, list[str]]


def _coord_attrs(coordinates: str, axis: str, what: str) -> dict:
    if coordinates == "lonlat":
        if axis == "x":
            return {
                "standard_name": "longitude",
                "units": "degrees_east",
                "long_name": f"longitude of {what}",
            }
        return {
            "standard_name": "latitude",
            "units": "degrees_north",
            "long_name": f"latitude of {what}",
        }
    return {
        "standard_name": f"projection_{axis}_coordinate",
        "units": "m",
        "long_name": f"{axis} of {what}",
    }


class ResultsWriter:
    """Writes results.nc. Map variables live on the mesh at ``map_time``; series variables
    on their sites at ``time``."""

    def __init__(
        self,
        path: str | Path,
        net: CompiledNetwork,
        map_variables: list[str],
        sites: list[SeriesSites],
        series_variables: dict[str, list[str]],
        attrs: dict[str, str],
        source_groups: list[str] | None = None,
    ):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent
        )
        os.close(fd)
        self.tmp = Path(tmp)
        os.chmod(self.tmp, _FILE_MODE)
        self.ds = netCDF4.Dataset(self.tmp, "w", format="NETCDF4")
        self._n_map = 0
        self._n_series = 0
        self._buf_t: list[float] = []
        self._define(net, map_variables, sites, series_variables, attrs, source_groups)

    def _define(self, net, map_variables, sites, series_variables, attrs, source_groups):
        ds = self.ds
        ds.setncatts(
            {
                "Conventions": "CF-1.8 UGRID-1.0",
                "title": attrs.get("title", "twin results"),
                "institution": attrs.get("institution", ""),
                "source": f"twin {__version__}: 1-D Saint-Venant (Preissmann) network model",
                "history": attrs.get("history", ""),
                **{k: v for k, v in attrs.items() if k not in ("title", "institution", "history")},
            }
        )
        n_mesh = net.n_mesh_nodes
        ds.createDimension("mesh1d_nNodes", n_mesh)
        ds.createDimension("mesh1d_nEdges", net.n_cells)
        ds.createDimension("Two", 2)
        ds.createDimension("nBranches", net.n_reaches)
        ds.createDimension("map_time", None)
        ds.createDimension("time", None)

        mesh = ds.createVariable("mesh1d", "i4")
        mesh.setncatts(
            {
                "cf_role": "mesh_topology",
                "long_name": "Topology data of the 1-D river network mesh",
                "topology_dimension": np.int32(1),
                "node_coordinates": "mesh1d_node_x mesh1d_node_y",
                "node_dimension": "mesh1d_nNodes",
                "edge_node_connectivity": "mesh1d_edge_nodes",
                "edge_dimension": "mesh1d_nEdges",
                "edge_coordinates": "mesh1d_edge_x mesh1d_edge_y",
            }
        )
        for axis, data, loc in (
            ("x", net.mesh_x, "node"), ("y", net.mesh_y, "node"),
            ("x", net.cell_x, "edge"), ("y", net.cell_y, "edge"),
        ):  # fmt: skip
            v = ds.createVariable(f"mesh1d_{loc}_{axis}", "f8", (f"mesh1d_n{loc.capitalize()}s",))
            v.setncatts(_coord_attrs(net.coordinates, axis, f"mesh {loc}s"))
            v[:] = data
        en = ds.createVariable("mesh1d_edge_nodes", "i4", ("mesh1d_nEdges", "Two"))
        en.setncatts(
            {
                "cf_role": "edge_node_connectivity",
                "start_index": np.int32(0),
                "long_name": "start and end mesh node of each edge (cell)",
            }
        )
        en[:] = net.cell_edges()

        # Branch id and chainage of every mesh node and edge (profiles along a river).
        a = net.arrays
        node_branch = np.full(n_mesh, -1, np.int32)
        node_offset = np.zeros(n_mesh)
        pt_reach = np.repeat(np.arange(net.n_reaches), np.diff(a.reach_pt))
        # Interior points, then network nodes from the first reach end found there.
        order = np.argsort(a.pt_node >= 0, kind="stable")[::-1]
        node_branch[a.pt_mesh[order]] = pt_reach[order]
        node_offset[a.pt_mesh[order]] = a.pt_chainage[order]
        nb = ds.createVariable("mesh1d_node_branch", "i4", ("mesh1d_nNodes",))
        nb.setncatts(
            {
                "long_name": "index of the branch (reach) a mesh node lies on; for a "
                "network node, one of the reaches meeting there",
                "start_index": np.int32(0),
            }
        )
        nb[:] = node_branch
        no = ds.createVariable("mesh1d_node_offset", "f8", ("mesh1d_nNodes",))
        no.setncatts({"long_name": "chainage of the mesh node along its branch", "units": "m"})
        no[:] = node_offset
        eb = ds.createVariable("mesh1d_edge_branch", "i4", ("mesh1d_nEdges",))
        eb.setncatts(
            {"long_name": "index of the branch (reach) of each edge", "start_index": np.int32(0)}
        )
        eb[:] = net.cell_reach()
        eo = ds.createVariable("mesh1d_edge_offset", "f8", ("mesh1d_nEdges",))
        eo.setncatts({"long_name": "chainage of the edge centre along its branch", "units": "m"})
        eo[:] = net.cell_chainage()
        bid = ds.createVariable("branch_id", str, ("nBranches",))
        bid.long_name = "reach id of each branch"
        for i, r in enumerate(net.reach_ids):
            bid[i] = r
        bname = ds.createVariable("branch_name", str, ("nBranches",))
        bname.long_name = "reach name"
        for i, r in enumerate(net.reach_names):
            bname[i] = r
        mb = ds.createVariable("mesh1d_node_bed_level", "f8", ("mesh1d_nNodes",))
        mb.setncatts(
            {
                "units": "m",
                "long_name": "lowest bed level at the mesh node",
                "mesh": "mesh1d",
                "location": "node",
                "coordinates": "mesh1d_node_x mesh1d_node_y",
            }
        )
        bed = np.full(n_mesh, np.nan)
        bed[a.pt_mesh] = a.pt_bed
        bed[: net.n_nodes] = np.where(np.isfinite(net.node_bed), net.node_bed, bed[: net.n_nodes])
        mb[:] = bed

        for name, dim in (("map_time", "map_time"), ("time", "time")):
            tv = ds.createVariable(name, "f8", (dim,))
            tv.setncatts(
                {
                    "units": TIME_UNITS,
                    "calendar": "standard",
                    "standard_name": "time",
                    "axis": "T",
                    "long_name": "time (UTC)",
                }
            )

        self.map_vars = {}
        for name in map_variables:
            var = get_variable(name)
            dim = "mesh1d_nNodes" if var.location == "node" else "mesh1d_nEdges"
            loc = "node" if var.location == "node" else "edge"
            v = ds.createVariable(
                name, "f4", ("map_time", dim), zlib=True, complevel=1, fill_value=np.float32(np.nan)
            )
            v.setncatts(
                {
                    **var.attrs(),
                    "mesh": "mesh1d",
                    "location": loc,
                    "coordinates": f"mesh1d_{loc}_x mesh1d_{loc}_y",
                }
            )
            self.map_vars[name] = v

        self.series_vars = {}
        if source_groups:
            ds.createDimension("source_group", len(source_groups))
            gv = ds.createVariable("source_group", str, ("source_group",))
            gv.long_name = "source group of the apportioned concentrations"
            for i, gname in enumerate(source_groups):
                gv[i] = gname
        for site in sites:
            ds.createDimension(site.dim, len(site.ids))
            sid = ds.createVariable(f"{site.dim}_id", str, (site.dim,))
            sid.cf_role = "timeseries_id"
            sid.long_name = f"{site.dim} identifier"
            sname = ds.createVariable(f"{site.dim}_name", str, (site.dim,))
            sname.long_name = f"{site.dim} name"
            for i, (a_id, a_name) in enumerate(zip(site.ids, site.names, strict=True)):
                sid[i] = a_id
                sname[i] = a_name
            for axis, data in (("x", site.x), ("y", site.y)):
                cv = ds.createVariable(f"{site.dim}_{axis}", "f8", (site.dim,))
                cv.setncatts(_coord_attrs(net.coordinates, axis, site.dim))
                cv[:] = data
            for key, values in site.extra.items():
                ev = ds.createVariable(f"{site.dim}_{key}", str, (site.dim,))
                ev.long_name = f"{site.dim} {key.replace('_', ' ')}"
                for i, val in enumerate(values):
                    ev[i] = val
            for name in series_variables.get(site.dim, []):
                var = get_variable(name)
                dims = (site.dim, "time")
                if name.endswith("_by_source"):
                    dims = (site.dim, "source_group", "time")
                v = ds.createVariable(name, "f8", dims, fill_value=np.nan)
                v.setncatts(
                    {**var.attrs(), "coordinates": f"{site.dim}_x {site.dim}_y {site.dim}_id"}
                )
                self.series_vars[name] = v
        self._buf = {name: [] for name in self.series_vars}

    def write_map(self, t_epoch: float, fields: dict[str, np.ndarray]) -> None:
        k = self._n_map
        self.ds["map_time"][k] = t_epoch
        for name, v in self.map_vars.items():
            v[k, :] = fields[name].astype(np.float32)
        self._n_map += 1

    def write_series(self, t_epoch: float, values: dict[str, np.ndarray]) -> None:
        """Queue one record of the series; records go to the file in blocks (one NetCDF call
        per variable per block instead of per record)."""
        self._buf_t.append(t_epoch)
        for name in self.series_vars:
            self._buf[name].append(np.asarray(values[name], np.float64))
        if len(self._buf_t) >= SERIES_BLOCK:
            self._flush_series()

    def _flush_series(self) -> None:
        n = len(self._buf_t)
        if n == 0:
            return
        k = self._n_series
        self.ds["time"][k : k + n] = np.asarray(self._buf_t)
        for name, v in self.series_vars.items():
            v[..., k : k + n] = np.stack(self._buf[name], axis=-1)
            self._buf[name].clear()
        self._buf_t.clear()
        self._n_series += n

    def close(self) -> Path:
        """Finish the file and move it to its final name."""
        self._flush_series()
        self.ds.close()
        with open(self.tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        """Discard the partial file."""
        with contextlib.suppress(Exception):
            self.ds.close()
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()
