"""Boundary conditions and laterals as flat arrays, and their kernel evaluation (tides,
rating curves). Their values in time are series of ``twin.series``."""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

from ..series import series_mean, series_value
from ..vocab.codes import BC_DISCHARGE


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

    Withdrawals taper off as the water runs out (see ``external_flows``): ``cell_pt[e]``
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
def external_flows(net, bc, ts, lat, w, par, t_old, t_new):
    """Discharge boundaries (w.fl.qbc) and laterals as their exact means over the step
    [t_old, t_new] (epoch s), so the volume that enters is the integral of the series:
    w.fl.qext (boundary plus laterals) per node, w.fl.qlat per cell, and w.fl.qevap, the
    part of qext that is evaporation (water that leaves without its dissolved mass), m3/s.
    A withdrawal (negative lateral) is scaled by the depth at the start of the step over
    the wet depth, at most 1: from a cell, its mean depth; from a node, the node's level
    above its bed."""
    fl = w.fl
    zn = w.tn.zn
    h_wet = par.wet_depth_m
    bed = net.pt_bed
    fl.qlat[:] = 0.0
    for j in range(fl.qext.size):
        if bc.kind[j] == BC_DISCHARGE:
            fl.qbc[j] = series_mean(bc.series[j], t_old, t_new, ts)
        else:
            fl.qbc[j] = 0.0
        fl.qext[j] = fl.qbc[j]
        fl.qevap[j] = 0.0
    for m in range(lat.series.size):
        q = series_mean(lat.series[m], t_old, t_new, ts)
        j = lat.node[m]
        if j >= 0:
            if q < 0.0 and math.isfinite(lat.node_bed[m]):
                q *= min(max((w.tn.znode_n[j] - lat.node_bed[m]) / h_wet, 0.0), 1.0)
            fl.qext[j] += q
            if lat.evap[m]:
                fl.qevap[j] += q
        else:
            for e in range(lat.ptr[m], lat.ptr[m + 1]):
                qe = q * lat.share[e]
                if qe < 0.0:
                    p = lat.cell_pt[e]
                    depth = 0.5 * (zn[p] - bed[p] + zn[p + 1] - bed[p + 1])
                    qe *= min(max(depth / h_wet, 0.0), 1.0)
                fl.qlat[lat.cell[e]] += qe
