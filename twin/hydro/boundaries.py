"""Time series, boundary conditions and laterals as flat arrays, and their kernel evaluation.

Every value that may vary in time (a boundary level or discharge, a lateral inflow, a gate
opening) is a series in one CSR store; a constant is a one-sample series.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

# Boundary kinds per node.
BC_NONE, BC_LEVEL, BC_DISCHARGE, BC_TIDE, BC_RATING = 0, 1, 2, 3, 4
BC_CODES = {"level": BC_LEVEL, "discharge": BC_DISCHARGE, "tide": BC_TIDE, "rating": BC_RATING}

INTERP_LINEAR, INTERP_PREVIOUS = 0, 1

TIDE_SPEEDS_DEG_PER_H = {
    "M2": 28.9841042, "S2": 30.0, "N2": 28.4397295, "K2": 30.0821373,
    "K1": 15.0410686, "O1": 13.9430356, "P1": 14.9589314, "Q1": 13.3986609,
    "M4": 57.9682084, "MS4": 58.9841042, "MN4": 57.4238337, "M6": 86.9523127,
    "SA": 0.0410686, "SSA": 0.0821373, "MSF": 1.0158958, "MF": 1.0980331, "MM": 0.5443747,
}  # fmt: skip
"""Angular speeds of the standard constituents (deg/h; Schureman 1958, Table 2, via the
IHO constituent list). Nodal corrections are not applied: fold them into amplitude and phase
for the year simulated."""


class SeriesArrays(NamedTuple):
    """All time series: series k is ``t[ptr[k]:ptr[k+1]]`` (epoch s) and ``v[...]``;
    ``mode[k]`` is linear (0) or previous-value (1). Outside its span a series holds its end
    value (the loader checks that series cover the run)."""

    ptr: np.ndarray
    t: np.ndarray
    v: np.ndarray
    mode: np.ndarray


class BoundaryArrays(NamedTuple):
    """Boundary per node (SI). kind: BC_* code; series: level or discharge series (for a
    tide, its mean level); tide constituents (CSR per node: amplitude m, speed rad/s, phase
    rad) with the phase reference ``tide_tref`` (epoch s); rating tables (CSR per node: level
    m, outflow m3/s)."""

    kind: np.ndarray
    series: np.ndarray
    tide_ptr: np.ndarray
    tide_amp: np.ndarray
    tide_speed: np.ndarray
    tide_phase: np.ndarray
    tide_tref: np.ndarray
    rating_ptr: np.ndarray
    rating_z: np.ndarray
    rating_q: np.ndarray


class LateralArrays(NamedTuple):
    """Lateral inflows (m3/s, negative draws water out). Lateral l follows series
    ``series[l]``; it enters node ``node[l]`` when >= 0, otherwise the cells
    ``cell[ptr[l]:ptr[l+1]]`` in shares ``share[...]`` (summing to 1). ``evap[l]`` marks
    evaporation from a node: water that leaves without its dissolved mass.

    Withdrawals taper off as the water runs out (see ``twin.hydro.kernels``): ``cell_pt[e]``
    is the first point of cell ``cell[e]``, ``node_bed[l]`` the bed of junction ``node[l]``
    (m; NaN for storage nodes and where the bed is unknown: no taper there)."""

    series: np.ndarray
    node: np.ndarray
    ptr: np.ndarray
    cell: np.ndarray
    share: np.ndarray
    evap: np.ndarray
    cell_pt: np.ndarray
    node_bed: np.ndarray


class SeriesStore:
    """Collects series while compiling; constants become one-sample series."""

    def __init__(self):
        self._t: list[np.ndarray] = []
        self._v: list[np.ndarray] = []
        self._mode: list[int] = []
        self._named: dict[str, int] = {}

    def add(self, t: np.ndarray, v: np.ndarray, mode: int = INTERP_LINEAR) -> int:
        self._t.append(np.asarray(t, np.float64))
        self._v.append(np.asarray(v, np.float64))
        self._mode.append(mode)
        return len(self._t) - 1

    def constant(self, value: float) -> int:
        return self.add(np.zeros(1), np.array([float(value)]))

    def named(self, name: str, t: np.ndarray, v: np.ndarray, mode: int) -> int:
        if name not in self._named:
            self._named[name] = self.add(t, v, mode)
        return self._named[name]

    def arrays(self) -> SeriesArrays:
        sizes = [x.size for x in self._t]
        ptr = np.zeros(len(sizes) + 1, np.int64)
        ptr[1:] = np.cumsum(sizes)

        def cat(xs):
            return np.concatenate(xs) if xs else np.zeros(0)

        return SeriesArrays(ptr, cat(self._t), cat(self._v), np.array(self._mode, np.int64))


@numba.njit(cache=True)
def series_value(k, t, ptr, ts, vs, mode):
    """Value of series ``k`` at epoch time ``t`` (s): linear or previous-value interpolation."""
    lo = ptr[k]
    hi = ptr[k + 1]
    if hi - lo == 1 or t <= ts[lo]:
        return vs[lo]
    if t >= ts[hi - 1]:
        return vs[hi - 1]
    # binary search: ts[i] <= t < ts[i+1]
    a, b = lo, hi - 1
    while b - a > 1:
        mid = (a + b) // 2
        if ts[mid] <= t:
            a = mid
        else:
            b = mid
    if mode[k] == INTERP_PREVIOUS:
        return vs[a]
    f = (t - ts[a]) / (ts[a + 1] - ts[a])
    return vs[a] + f * (vs[a + 1] - vs[a])


@numba.njit(cache=True)
def tide_level(j, t, bc, ts):
    """Harmonic tide at node j: Z = mean(t) + sum A_k cos(w_k (t - t_ref) - phi_k) (m)."""
    z = series_value(bc.series[j], t, ts.ptr, ts.t, ts.v, ts.mode)
    dt = t - bc.tide_tref[j]
    for c in range(bc.tide_ptr[j], bc.tide_ptr[j + 1]):
        z += bc.tide_amp[c] * math.cos(bc.tide_speed[c] * dt - bc.tide_phase[c])
    return z


@numba.njit(cache=True)
def rating_flow(j, z, bc):
    """Outflow (m3/s) and its derivative at level z from node j's rating table, linear
    between points, constant below the table and extrapolated with the last slope above."""
    lo = bc.rating_ptr[j]
    hi = bc.rating_ptr[j + 1]
    zz = bc.rating_z
    qq = bc.rating_q
    if z <= zz[lo]:
        return qq[lo], 0.0
    k = lo
    while k < hi - 2 and z > zz[k + 1]:
        k += 1
    slope = (qq[k + 1] - qq[k]) / (zz[k + 1] - zz[k])
    return qq[k] + slope * (z - zz[k]), slope


@numba.njit(cache=True)
def series_mean(k, t0, t1, ts):
    """Mean of series k over [t0, t1] (t1 > t0), exact for linear and previous-value series:
    the volume or mass a flow or load series delivers in a step, divided by the step.
    Outside its span a series holds its end values."""
    lo = ts.ptr[k]
    hi = ts.ptr[k + 1]
    tt = ts.t
    vv = ts.v
    if hi - lo == 1:
        return vv[lo]
    previous = ts.mode[k] == INTERP_PREVIOUS
    # i: last sample at or before t0 (lo - 1 when t0 precedes the series)
    a, b = lo - 1, hi
    while b - a > 1:
        mid = (a + b) // 2
        if tt[mid] <= t0:
            a = mid
        else:
            b = mid
    i = a
    t = t0
    total = 0.0
    while t < t1:
        if i < lo:
            end = min(t1, tt[lo])
            total += vv[lo] * (end - t)
        elif i >= hi - 1:
            end = t1
            total += vv[hi - 1] * (end - t)
        else:
            end = min(t1, tt[i + 1])
            if previous:
                total += vv[i] * (end - t)
            else:
                slope = (vv[i + 1] - vv[i]) / (tt[i + 1] - tt[i])
                va = vv[i] + slope * (t - tt[i])
                vb = vv[i] + slope * (end - tt[i])
                total += 0.5 * (va + vb) * (end - t)
        t = end
        i += 1
    return total / (t1 - t0)
