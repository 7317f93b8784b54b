"""The horizontal grid of a forcing file: cell centres and cell corners in lon/lat degrees.

Regular (rectilinear) grids have 1-D longitude and latitude; curvilinear grids have 2-D ones.
Cell corners come from CF ``bounds`` variables when the file has them, otherwise they are
constructed at the midpoints between neighbouring centres (extrapolated by half a cell at the
outer edge), which is exact for evenly spaced regular grids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from ..errors import UserError

LON_NAMES = ("lon", "longitude", "nav_lon", "xlon", "xlong", "long")
LAT_NAMES = ("lat", "latitude", "nav_lat", "xlat", "lati")


@dataclass(frozen=True)
class Grid:
    """Cells of a forcing grid, flattened in C order over (ydim, xdim).

    lon, lat : (ny, nx) cell centres, degrees east / north.
    lon_corners, lat_corners : (ny, nx, 4) cell corners, degrees, in ring order.
    """

    ydim: str
    xdim: str
    lon: np.ndarray
    lat: np.ndarray
    lon_corners: np.ndarray
    lat_corners: np.ndarray
    curvilinear: bool

    @property
    def shape(self) -> tuple[int, int]:
        return self.lon.shape

    @property
    def n_cells(self) -> int:
        return int(self.lon.size)

    def key(self) -> str:
        """Digest of the cell corners: two grids with the same key have the same cells."""
        h = hashlib.sha256()
        h.update(np.ascontiguousarray(self.lon_corners, np.float64).tobytes())
        h.update(np.ascontiguousarray(self.lat_corners, np.float64).tobytes())
        h.update(repr(self.shape).encode())
        return h.hexdigest()

    def same_cells(self, other: Grid) -> bool:
        return (
            self.shape == other.shape
            and np.allclose(self.lon_corners, other.lon_corners, rtol=0, atol=1e-9)
            and np.allclose(self.lat_corners, other.lat_corners, rtol=0, atol=1e-9)
        )

    def describe_cell(self, flat_index: int) -> str:
        j, i = np.unravel_index(int(flat_index), self.shape)
        return (
            f"cell ({self.ydim}={j}, {self.xdim}={i}) centred at "
            f"{self.lon[j, i]:.4f} E, {self.lat[j, i]:.4f} N"
        )

    def extent(self) -> str:
        return (
            f"{self.lon_corners.min():.3f}-{self.lon_corners.max():.3f} E, "
            f"{self.lat_corners.min():.3f}-{self.lat_corners.max():.3f} N"
        )


def _edges_1d(c: np.ndarray, what: str, where: str) -> np.ndarray:
    if c.size < 2:
        raise UserError(f"{where}: {what} has one value; give CF 'bounds' for a one-cell grid")
    mid = 0.5 * (c[1:] + c[:-1])
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def _pad_linear(a: np.ndarray) -> np.ndarray:
    """Pad a 2-D array by one row and column on each side by linear extrapolation."""
    rows = np.concatenate([2 * a[:1] - a[1:2], a, 2 * a[-1:] - a[-2:-1]], axis=0)
    return np.concatenate(
        [2 * rows[:, :1] - rows[:, 1:2], rows, 2 * rows[:, -1:] - rows[:, -2:-1]], axis=1
    )


def _corners_2d(c: np.ndarray) -> np.ndarray:
    """(ny, nx, 4) corners at the means of the four surrounding centres."""
    p = _pad_linear(c)
    v = 0.25 * (p[:-1, :-1] + p[1:, :-1] + p[:-1, 1:] + p[1:, 1:])  # (ny+1, nx+1)
    return np.stack([v[:-1, :-1], v[:-1, 1:], v[1:, 1:], v[1:, :-1]], axis=-1)


def _find_coord(ds, names, standard_name, units_ok, dims, where, what):
    cands = []
    for name in list(ds.coords) + list(ds.data_vars):
        v = ds[name]
        if not set(v.dims) or not set(v.dims) <= set(dims):
            continue
        sn = str(v.attrs.get("standard_name", "")).lower()
        un = str(v.attrs.get("units", "")).lower()
        if sn == standard_name or un in units_ok or str(name).lower() in names:
            cands.append(name)
    if not cands:
        raise UserError(
            f"{where}: no {what} coordinate over dimensions {dims} "
            f"(looked for standard_name '{standard_name}' or names {', '.join(names)})"
        )
    # prefer a match by standard_name, then the one with most dimensions
    cands.sort(
        key=lambda n: (
            str(ds[n].attrs.get("standard_name", "")).lower() != standard_name,
            -ds[n].ndim,
        )
    )
    return cands[0]


def grid_from_dataset(ds, var_name: str, time_dim: str, where: str) -> Grid:
    """The grid of variable ``var_name``: its two non-time dimensions, lon/lat and corners."""
    var = ds[var_name]
    sdims = [d for d in var.dims if d != time_dim]
    if len(sdims) != 2:
        raise UserError(
            f"{where}: variable '{var_name}' has dimensions {var.dims}; expected time and two "
            "horizontal dimensions"
        )
    lon_name = _find_coord(
        ds,
        LON_NAMES,
        "longitude",
        ("degrees_east", "degree_east", "degrees_e"),
        sdims,
        where,
        "longitude",
    )
    lat_name = _find_coord(
        ds,
        LAT_NAMES,
        "latitude",
        ("degrees_north", "degree_north", "degrees_n"),
        sdims,
        where,
        "latitude",
    )
    lon_v, lat_v = ds[lon_name], ds[lat_name]
    if lon_v.ndim == 1 and lat_v.ndim == 1:
        xdim, ydim = lon_v.dims[0], lat_v.dims[0]
        if {xdim, ydim} != set(sdims):
            raise UserError(f"{where}: longitude and latitude must span the two grid dimensions")
        lon1 = np.asarray(lon_v.values, np.float64)
        lat1 = np.asarray(lat_v.values, np.float64)
        lon_e = _bounds_1d(ds, lon_v, where) if "bounds" in lon_v.attrs else None
        lat_e = _bounds_1d(ds, lat_v, where) if "bounds" in lat_v.attrs else None
        if lon_e is None:
            e = _edges_1d(lon1, "longitude", where)
            lon_e = np.stack([e[:-1], e[1:]], axis=1)
        if lat_e is None:
            e = _edges_1d(lat1, "latitude", where)
            lat_e = np.stack([e[:-1], e[1:]], axis=1)
        lon2, lat2 = np.meshgrid(lon1, lat1)
        ny, nx = lat1.size, lon1.size
        lonc = np.empty((ny, nx, 4))
        latc = np.empty((ny, nx, 4))
        lonc[..., 0] = lon_e[None, :, 0]
        lonc[..., 1] = lon_e[None, :, 1]
        lonc[..., 2] = lon_e[None, :, 1]
        lonc[..., 3] = lon_e[None, :, 0]
        latc[..., 0] = lat_e[:, None, 0]
        latc[..., 1] = lat_e[:, None, 0]
        latc[..., 2] = lat_e[:, None, 1]
        latc[..., 3] = lat_e[:, None, 1]
        curvilinear = False
    elif lon_v.ndim == 2 and lat_v.ndim == 2:
        if lon_v.dims != lat_v.dims:
            raise UserError(f"{where}: 2-D longitude and latitude have different dimensions")
        ydim, xdim = lon_v.dims
        lon2 = np.asarray(lon_v.values, np.float64)
        lat2 = np.asarray(lat_v.values, np.float64)
        if min(lon2.shape) < 2 and not ("bounds" in lon_v.attrs and "bounds" in lat_v.attrs):
            raise UserError(f"{where}: a curvilinear grid narrower than 2 cells needs CF 'bounds'")
        if "bounds" in lon_v.attrs and "bounds" in lat_v.attrs:
            lonc = _bounds_2d(ds, lon_v, lon2.shape, where)
            latc = _bounds_2d(ds, lat_v, lat2.shape, where)
        else:
            lonc, latc = _corners_2d(lon2), _corners_2d(lat2)
        curvilinear = True
    else:
        raise UserError(f"{where}: longitude and latitude must both be 1-D or both 2-D")
    if not (np.all(np.isfinite(lonc)) and np.all(np.isfinite(latc))):
        raise UserError(f"{where}: grid coordinates contain NaN")
    # 0..360 longitudes: shift the cells east of 180 to negative values
    shift = np.where(lon2 > 180.0, 360.0, 0.0)
    lon2 = lon2 - shift
    lonc = lonc - shift[..., None]
    return Grid(ydim, xdim, lon2, lat2, lonc, latc, curvilinear)


def _bounds_1d(ds, coord, where) -> np.ndarray:
    name = coord.attrs["bounds"]
    if name not in ds.variables:
        raise UserError(f"{where}: bounds variable '{name}' of '{coord.name}' is missing")
    b = np.asarray(ds[name].values, np.float64)
    if b.shape != (coord.size, 2):
        raise UserError(f"{where}: bounds '{name}' has shape {b.shape}, expected ({coord.size}, 2)")
    return b


def _bounds_2d(ds, coord, shape, where) -> np.ndarray:
    name = coord.attrs["bounds"]
    if name not in ds.variables:
        raise UserError(f"{where}: bounds variable '{name}' of '{coord.name}' is missing")
    b = np.asarray(ds[name].values, np.float64)
    if b.shape != (*shape, 4):
        raise UserError(f"{where}: bounds '{name}' has shape {b.shape}, expected {(*shape, 4)}")
    return b
