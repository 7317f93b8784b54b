"""Restart files: the complete model state at one time, to continue a run bit for bit.

A restart is a NetCDF-4 file with one group per component (``hydro``, ``balance``,
``quality``, ...) holding float64/int64 arrays exactly as the solver keeps them, and global
attributes naming the model, its network signature and the time. Written atomically.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import netCDF4
import numpy as np

from ..errors import UserError
from .atomic import atomic_path

FORMAT_VERSION = 1


def network_signature(parts: list[np.ndarray | list | str]) -> str:
    """A hash that changes whenever the network's layout changes (points, nodes, ids)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(np.asarray(p).tobytes() if not isinstance(p, str) else p.encode())
    return h.hexdigest()[:16]


def save_restart(path: str | Path, groups: dict[str, dict[str, np.ndarray]], attrs: dict) -> Path:
    """Write ``groups`` of named arrays and ``attrs`` (str/int/float) to ``path`` atomically."""
    path = Path(path)
    with atomic_path(path) as tmp, netCDF4.Dataset(tmp, "w", format="NETCDF4") as ds:
        ds.setncatts({"twin_restart_format": FORMAT_VERSION, **attrs})
        for gname, arrays in groups.items():
            g = ds.createGroup(gname)
            for name, arr in arrays.items():
                arr = np.asarray(arr)
                dims = []
                for k, n in enumerate(arr.shape):
                    d = f"{name}_d{k}"
                    g.createDimension(d, n)
                    dims.append(d)
                v = g.createVariable(name, arr.dtype, tuple(dims))
                if arr.size:
                    v[...] = arr
    return path


def load_restart(path: str | Path) -> tuple[dict[str, dict[str, np.ndarray]], dict]:
    """Read a restart file; raises UserError when it is missing or not a twin restart."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"restart file {path} not found")
    try:
        with netCDF4.Dataset(path) as ds:
            attrs = {k: ds.getncattr(k) for k in ds.ncattrs()}
            if attrs.get("twin_restart_format") != FORMAT_VERSION:
                raise UserError(f"{path} is not a twin restart file (format {FORMAT_VERSION})")
            groups = {}
            for gname, g in ds.groups.items():
                groups[gname] = {}
                for name, v in g.variables.items():
                    v.set_auto_mask(False)
                    groups[gname][name] = np.array(v[...], dtype=v.dtype)
    except OSError as exc:
        raise UserError(f"cannot read restart file {path}: {exc}") from None
    return groups, attrs
