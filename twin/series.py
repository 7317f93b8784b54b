"""Time series on flat arrays: one CSR store of every series a solver needs, evaluated inside
kernels by interpolation or as exact means over a step.

Every value that may vary in time (a boundary level or discharge, a lateral inflow, a gate
opening, a load) is a series in the store; a constant is a one-sample series.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

INTERP_LINEAR, INTERP_PREVIOUS = 0, 1


class SeriesArrays(NamedTuple):
    """All time series: series k is ``t[ptr[k]:ptr[k+1]]`` (epoch s) and ``v[...]``;
    ``mode[k]`` is linear (0) or previous-value (1). Outside its span a series holds its end
    value (the loader checks that series cover the run)."""

    ptr: np.ndarray
    t: np.ndarray
    v: np.ndarray
    mode: np.ndarray


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
