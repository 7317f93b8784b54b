"""Mass loads and boundary concentrations compiled into arrays, and their kernel evaluation.

A load is a mass rate (g/s) of one tracer column entering a node or a set of cells; it comes
from a lateral inflow's concentration times its discharge, or from a prepared source (sewage
plants, enterprises, runoff) given directly as g/s. Boundary concentrations (mg/L) are per
node and tracer column.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from ..hydro.boundaries import series_value


class LoadArrays(NamedTuple):
    """Load entries e: series[e] gives g/s; col[e] the tracer column; node[e] >= 0 for a
    node, else cells cell[ptr[e]:ptr[e+1]] with shares share[...]. Boundary concentrations:
    bc_series[j, k] (series index or -1 for none, i.e. 0 mg/L)."""

    series: np.ndarray
    col: np.ndarray
    node: np.ndarray
    ptr: np.ndarray
    cell: np.ndarray
    share: np.ndarray
    bc_series: np.ndarray


@numba.njit(cache=True)
def eval_loads(ld, ts, theta, t0, t1, load_cell, load_node, bc_conc):
    """Theta-weighted load rates (g/s) over the step [t0, t1] per cell and node, and the
    boundary concentrations (mg/L) at t1."""
    load_cell[:, :] = 0.0
    load_node[:, :] = 0.0
    for e in range(ld.series.size):
        k = ld.series[e]
        v = theta * series_value(k, t1, ts.ptr, ts.t, ts.v, ts.mode) + (1.0 - theta) * series_value(
            k, t0, ts.ptr, ts.t, ts.v, ts.mode
        )
        if v < 0.0:
            v = 0.0
        col = ld.col[e]
        if ld.node[e] >= 0:
            load_node[ld.node[e], col] += v
        else:
            for i in range(ld.ptr[e], ld.ptr[e + 1]):
                load_cell[ld.cell[i], col] += v * ld.share[i]
    for j in range(ld.bc_series.shape[0]):
        for k in range(ld.bc_series.shape[1]):
            s = ld.bc_series[j, k]
            bc_conc[j, k] = series_value(s, t1, ts.ptr, ts.t, ts.v, ts.mode) if s >= 0 else 0.0
