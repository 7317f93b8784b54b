"""Mass loads and boundary concentrations compiled into arrays, and their kernel evaluation.

A load is a mass rate (g/s) of one tracer column entering a node or a set of cells; it comes
from a lateral inflow's concentration times its discharge, or from a prepared source (sewage
plants, enterprises, runoff) given directly as g/s. Boundary concentrations (mg/L) are per
node and tracer column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numba
import numpy as np

from ..series import INTERP_LINEAR, INTERP_PREVIOUS


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


class LoadArrays(NamedTuple):
    """Load entries e: series[e] gives g/s, or mg/L (g/m3) when factor[e] >= 0 names a
    discharge series (m3/s) to multiply it with (a lateral's concentration times its
    inflow, each series keeping its own interpolation); col[e] the tracer column; node[e]
    >= 0 for a node, else cells cell[ptr[e]:ptr[e+1]] with shares share[...]. Boundary
    concentrations: bc_series[j, k] (series index or -1 for none, i.e. 0 mg/L)."""

    series: np.ndarray
    factor: np.ndarray
    col: np.ndarray
    node: np.ndarray
    ptr: np.ndarray
    cell: np.ndarray
    share: np.ndarray
    bc_series: np.ndarray


@numba.njit(cache=True, inline="always")
def _last_at(k, t, ts):
    """Index of series k's last sample at or before t (ptr[k] - 1 when t precedes it)."""
    a, b = ts.ptr[k] - 1, ts.ptr[k + 1]
    while b - a > 1:
        mid = (a + b) // 2
        if ts.t[mid] <= t:
            a = mid
        else:
            b = mid
    return a


@numba.njit(cache=True, inline="always")
def _on_piece(k, i, x, ts):
    """Series k at time x inside the interval that starts after sample i (see _last_at):
    its end values outside its span, the held value (previous) or the line (linear)."""
    lo, hi = ts.ptr[k], ts.ptr[k + 1]
    if i < lo:
        return ts.v[lo]
    if i >= hi - 1:
        return ts.v[hi - 1]
    if ts.mode[k] == INTERP_PREVIOUS:
        return ts.v[i]
    return ts.v[i] + (x - ts.t[i]) / (ts.t[i + 1] - ts.t[i]) * (ts.v[i + 1] - ts.v[i])


@numba.njit(cache=True, inline="always")
def _next_time(k, i, ts):
    """Start of the next interval of series k after the one starting after sample i."""
    if i + 1 < ts.ptr[k + 1]:
        return ts.t[max(i + 1, ts.ptr[k])]
    return np.inf


@numba.njit(cache=True, inline="always")
def _value(k, t, ts):
    """Series k at epoch time t (``twin.hydro.boundaries.series_value``; inlined here because
    a call per load entry, with four arrays, cost more than the arithmetic)."""
    if ts.ptr[k + 1] - ts.ptr[k] == 1:
        return ts.v[ts.ptr[k]]
    return _on_piece(k, _last_at(k, t, ts), t, ts)


@numba.njit(cache=True, inline="always")
def mean_product(k, f, t0, t1, ts):
    """Mean over [t0, t1] of series k, or of max(series f, 0) times series k when f >= 0:
    the mass a load series (g/s), or a concentration (mg/L) carried by an inflow (m3/s),
    delivers in a step, divided by the step. Exact for linear and previous-value series:
    on each interval between the two series' samples both are linear, the product is
    quadratic and Simpson's rule is exact (split where the inflow changes sign). Outside
    its span a series holds its end values (as ``series_mean``)."""
    ik = _last_at(k, t0, ts)
    jf = _last_at(f, t0, ts) if f >= 0 else 0
    t = t0
    total = 0.0
    while t < t1:
        nk = _next_time(k, ik, ts)
        nf = _next_time(f, jf, ts) if f >= 0 else np.inf
        end = min(t1, min(nk, nf))
        mid = 0.5 * (t + end)
        ca = _on_piece(k, ik, t, ts)
        cm = _on_piece(k, ik, mid, ts)
        cb = _on_piece(k, ik, end, ts)
        if f < 0:
            total += (end - t) * (ca + 4.0 * cm + cb) / 6.0
        else:
            qa = _on_piece(f, jf, t, ts)
            qb = _on_piece(f, jf, end, ts)
            if qa >= 0.0 and qb >= 0.0:
                qm = _on_piece(f, jf, mid, ts)
                total += (end - t) * (qa * ca + 4.0 * qm * cm + qb * cb) / 6.0
            elif qa > 0.0 or qb > 0.0:
                # the inflow (linear here) changes sign at tz: integrate its positive part
                tz = t + (end - t) * qa / (qa - qb)
                a, b = (t, tz) if qa > 0.0 else (tz, end)
                m = 0.5 * (a + b)
                qa2 = max(_on_piece(f, jf, a, ts), 0.0)
                qm2 = max(_on_piece(f, jf, m, ts), 0.0)
                qb2 = max(_on_piece(f, jf, b, ts), 0.0)
                ca2 = _on_piece(k, ik, a, ts)
                cm2 = _on_piece(k, ik, m, ts)
                cb2 = _on_piece(k, ik, b, ts)
                total += (b - a) * (qa2 * ca2 + 4.0 * qm2 * cm2 + qb2 * cb2) / 6.0
        if end == nk:
            ik += 1
        if f >= 0 and end == nf:
            jf += 1
        t = end
    return total / (t1 - t0)


@numba.njit(cache=True)
def eval_loads(ld, ts, t0, t1, load_cell, load_node, bc_conc):
    """Load rates (g/s) per cell and node as exact means over the step [t0, t1] (the mass a
    load delivers, divided by the step; for a concentration times an inflow, the mean of
    the product, the inflow weighted as the hydrodynamics weights it), and boundary
    concentrations (mg/L) at t1."""
    # only the entries loads can touch are cleared (the rest stay 0)
    for e in range(ld.series.size):
        if ld.node[e] >= 0:
            load_node[ld.node[e], ld.col[e]] = 0.0
        else:
            for i in range(ld.ptr[e], ld.ptr[e + 1]):
                load_cell[ld.cell[i], ld.col[e]] = 0.0
    for e in range(ld.series.size):
        v = mean_product(ld.series[e], ld.factor[e], t0, t1, ts)
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
