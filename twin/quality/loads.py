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

from ..hydro.boundaries import INTERP_PREVIOUS


class LoadArrays(NamedTuple):
    """Load entries e: series[e] gives g/s, or mg/L (g/m3) when factor[e] >= 0 names a
    discharge series (m3/s) to multiply it with (a lateral's concentration times its
    inflow, evaluated at each time so that both keep their own interpolation); col[e] the
    tracer column; node[e] >= 0 for a node, else cells cell[ptr[e]:ptr[e+1]] with shares
    share[...]. Boundary concentrations: bc_series[j, k] (series index or -1 for none,
    i.e. 0 mg/L)."""

    series: np.ndarray
    factor: np.ndarray
    col: np.ndarray
    node: np.ndarray
    ptr: np.ndarray
    cell: np.ndarray
    share: np.ndarray
    bc_series: np.ndarray


@numba.njit(cache=True, inline="always")
def _value(k, t, ts):
    """Series k at epoch time t: ``twin.hydro.boundaries.series_value``, inlined here
    because a call per load entry (with four arrays) cost more than the arithmetic."""
    lo = ts.ptr[k]
    hi = ts.ptr[k + 1]
    if hi - lo == 1 or t <= ts.t[lo]:
        return ts.v[lo]
    if t >= ts.t[hi - 1]:
        return ts.v[hi - 1]
    a, b = lo, hi - 1
    while b - a > 1:
        mid = (a + b) // 2
        if ts.t[mid] <= t:
            a = mid
        else:
            b = mid
    if ts.mode[k] == INTERP_PREVIOUS:
        return ts.v[a]
    return ts.v[a] + (t - ts.t[a]) / (ts.t[a + 1] - ts.t[a]) * (ts.v[a + 1] - ts.v[a])


@numba.njit(cache=True)
def eval_loads(ld, ts, theta, t0, t1, load_cell, load_node, bc_conc):
    """Theta-weighted load rates (g/s) over the step [t0, t1] per cell and node, and the
    boundary concentrations (mg/L) at t1.

    A load given as concentration times discharge is weighted like the hydrodynamics weights
    the discharge: theta Q(t1) C(t1) + (1 - theta) Q(t0) C(t0), with outflows (Q < 0)
    carrying no load in."""
    # only the entries loads can touch are cleared (the rest stay 0)
    for e in range(ld.series.size):
        if ld.node[e] >= 0:
            load_node[ld.node[e], ld.col[e]] = 0.0
        else:
            for i in range(ld.ptr[e], ld.ptr[e + 1]):
                load_cell[ld.cell[i], ld.col[e]] = 0.0
    for e in range(ld.series.size):
        k = ld.series[e]
        v1 = _value(k, t1, ts)
        v0 = _value(k, t0, ts)
        f = ld.factor[e]
        if f >= 0:
            v1 *= max(_value(f, t1, ts), 0.0)
            v0 *= max(_value(f, t0, ts), 0.0)
        v = theta * v1 + (1.0 - theta) * v0
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
            bc_conc[j, k] = _value(s, t1, ts) if s >= 0 else 0.0
