"""Grid-to-catchment weights: the exact area of every grid cell inside every catchment polygon.

The weights are computed once with shapely in an equal-area projection
(``twin.forcing.geometry.EqualArea``), stored as a scipy CSR matrix W [rows, cells] in m2 and
cached on disk under a digest of the grid corners and the polygons. A catchment's mean of a
field f (flattened cells) is then ``(W @ f) / W.sum(axis=1)`` at every time step.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import shapely

from ..errors import UserError
from ..io.atomic import atomic_path
from .geometry import EqualArea
from .grid import Grid

log = logging.getLogger(__name__)

WEIGHTS_VERSION = "1"
"""Bumped whenever the computation changes, so that old cache files are not reused."""

COVERAGE_TOLERANCE = 1e-3
"""Share of a polygon's area that may lie outside the grid before it counts as not covered."""


@dataclass
class Weights:
    """Area of each cell inside each row's polygon.

    matrix : CSR [n_rows, n_cells], m2.
    row_ids : polygon (catchment) or point ids, one per row.
    polygon_area_m2 : [n_rows] area of each polygon (for a point row: its cell's area).
    """

    matrix: sp.csr_matrix
    row_ids: list[str]
    polygon_area_m2: np.ndarray

    @property
    def covered_area_m2(self) -> np.ndarray:
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    def averaging(self) -> sp.csr_matrix:
        """Rows scaled to sum to 1: the area-weighted mean operator."""
        m = self.matrix.tocsr(copy=True)
        cov = self.covered_area_m2
        rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
        # divide (not multiply by the inverse) so that a single cell gets exactly 1
        m.data = m.data / np.where(cov[rows] > 0, cov[rows], 1.0)
        return m

    def used_cells(self) -> np.ndarray:
        return np.unique(self.matrix.indices)


def _candidate_cells(grid: Grid, bounds: tuple[float, float, float, float] | None) -> np.ndarray:
    """Flat indices of the cells whose corner box meets ``bounds`` (lon0, lat0, lon1, lat1),
    so that a continental or global grid builds polygons only near the catchments."""
    lonc = grid.lon_corners.reshape(-1, 4)
    latc = grid.lat_corners.reshape(-1, 4)
    if bounds is None:
        return np.arange(lonc.shape[0])
    x0, y0, x1, y1 = bounds
    ok = (
        (lonc.max(axis=1) >= x0)
        & (lonc.min(axis=1) <= x1)
        & (latc.max(axis=1) >= y0)
        & (latc.min(axis=1) <= y1)
    )
    return np.nonzero(ok)[0]


def _cell_polygons(grid: Grid, proj: EqualArea, cand: np.ndarray) -> np.ndarray:
    x, y = proj.forward(
        grid.lon_corners.reshape(-1, 4)[cand], grid.lat_corners.reshape(-1, 4)[cand]
    )
    coords = np.stack([x, y], axis=-1)  # (ncell, 4, 2)
    cells = shapely.polygons(coords)
    bad = np.nonzero(~shapely.is_valid(cells) | (shapely.area(cells) <= 0))[0]
    if bad.size:
        raise UserError(
            f"forcing grid: {grid.describe_cell(cand[bad[0]])} has degenerate or self-crossing "
            f"corners ({bad.size} such cells); give CF cell bounds"
        )
    return cells


def compute_weights(
    grid: Grid, polygons: dict[str, object], points: dict[str, tuple[float, float]] | None = None
) -> Weights:
    """Exact intersection areas of the grid cells with each polygon (lon/lat shapely
    geometries), plus one row per point (lon, lat) holding the cell that contains it.

    Raises UserError when a polygon is not covered by the grid (more than 0.1 % outside it)
    or a point lies outside every cell.
    """
    points = points or {}
    proj = EqualArea(float(np.mean(grid.lon)), 0.0)
    boxes = [g.bounds for g in polygons.values()] + [(x, y, x, y) for x, y in points.values()]
    if boxes:
        b = np.array(boxes)
        cand = _candidate_cells(grid, (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()))
    else:
        cand = _candidate_cells(grid, None)
    cells = _cell_polygons(grid, proj, cand)
    cell_area = shapely.area(cells)
    tree = shapely.STRtree(cells)
    rows, cols, vals, ids, areas = [], [], [], [], []
    r = 0
    for pid, geom in polygons.items():
        g = proj.geometry(geom)
        shapely.prepare(g)
        idx = tree.query(g, predicate="intersects")
        a = shapely.area(shapely.intersection(cells[idx], g)) if idx.size else np.zeros(0)
        keep = a > 1e-12 * cell_area[idx] if idx.size else np.zeros(0, bool)
        area = float(g.area)
        covered = float(a[keep].sum()) if idx.size else 0.0
        if covered < area * (1.0 - COVERAGE_TOLERANCE):
            xmin, ymin, xmax, ymax = geom.bounds
            raise UserError(
                f"forcing grid ({grid.extent()}) does not cover catchment '{pid}' "
                f"({xmin:.3f}-{xmax:.3f} E, {ymin:.3f}-{ymax:.3f} N): "
                f"{100 * (1 - covered / area):.2f} % of its area lies outside the grid"
            )
        rows.append(np.full(int(keep.sum()), r))
        cols.append(cand[idx[keep]])
        vals.append(a[keep])
        ids.append(pid)
        areas.append(area)
        r += 1
    for pid, (lon, lat) in points.items():
        x, y = proj.forward(np.array([lon]), np.array([lat]))
        idx = tree.query(shapely.points(x[0], y[0]), predicate="intersects")
        if idx.size == 0:
            raise UserError(
                f"forcing grid ({grid.extent()}) does not cover '{pid}' at {lon:.4f} E, {lat:.4f} N"
            )
        c = int(idx.min())
        rows.append(np.array([r]))
        cols.append(np.array([cand[c]]))
        vals.append(np.array([cell_area[c]]))
        ids.append(pid)
        areas.append(float(cell_area[c]))
        r += 1
    if r:
        m = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(r, grid.n_cells),
        )
    else:
        m = sp.csr_matrix((0, grid.n_cells))
    m.sum_duplicates()
    m.sort_indices()
    return Weights(m, ids, np.asarray(areas, np.float64))


def weights_key(grid: Grid, polygons: dict[str, object], points: dict) -> str:
    h = hashlib.sha256(f"twin-weights-{WEIGHTS_VERSION}".encode())
    h.update(grid.key().encode())
    for pid, geom in polygons.items():
        h.update(b"P" + pid.encode() + b"\0")
        h.update(shapely.to_wkb(geom, byte_order=1, output_dimension=2))
    for pid, (lon, lat) in points.items():
        h.update(b"Q" + pid.encode() + b"\0" + np.array([lon, lat], np.float64).tobytes())
    return h.hexdigest()[:32]


def cached_weights(
    grid: Grid,
    polygons: dict[str, object],
    points: dict[str, tuple[float, float]] | None,
    cache_dir: Path | None,
) -> Weights:
    """Weights from ``cache_dir`` when present for this grid and these polygons, else computed
    and stored there (atomically)."""
    points = points or {}
    if cache_dir is None:
        return compute_weights(grid, polygons, points)
    path = Path(cache_dir) / f"weights-{weights_key(grid, polygons, points)}.npz"
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as z:
                m = sp.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
                w = Weights(m, [str(x) for x in z["ids"]], z["areas"])
            if w.row_ids == list(polygons) + list(points):
                log.debug("grid weights read from %s", path)
                return w
        except (OSError, KeyError, ValueError) as exc:
            log.warning("ignoring unreadable weight cache %s (%s)", path, exc)
    w = compute_weights(grid, polygons, points)
    try:
        with atomic_path(path) as tmp, open(tmp, "wb") as f:
            np.savez(
                f,
                data=w.matrix.data,
                indices=w.matrix.indices,
                indptr=w.matrix.indptr,
                shape=np.array(w.matrix.shape),
                ids=np.array(w.row_ids, dtype=str),
                areas=w.polygon_area_m2,
            )
    except OSError as exc:
        log.warning("cannot write the weight cache %s (%s); continuing without it", path, exc)
    return w
