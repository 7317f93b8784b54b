"""Cross-section geometry turned once into stage tables of area, top width and conveyance.

Tables are on a uniform grid of depth h above the section's lowest bed point, so a lookup is
O(1). Between samples the top width B is linear in h and the area is its exact integral
(quadratic), so that dA/dh = B holds everywhere: the continuity equation then conserves
volume to round-off. Conveyance K = sum over panels of A_p R_p^(2/3) / n_p (the HEC-RAS
method: panels split at changes of n, not at every station) is linear between samples.

Wetting and drying: a Preissmann slot with a film. The slot is Preissmann's device for
pressurised flow (Cunge and Wegner 1964, La Houille Blanche 19(1)); below the bed of open
channels it is what MIKE 11's bottom slot and HEC-RAS's pilot channels do. How the step
treats dry and shallow boxes is in ``twin.hydro.wetdry``.

- Storage. Below the lowest bed point a section continues as a narrow vertical slot of
  width b_slot (``slot_width_fraction`` of the bed width, at least ``min_slot_width_m``)
  and depth D (``slot_depth_m``); below the slot's bottom it widens again to b_bed, the
  section's width at the film's depth. The area there is negative, A = b_slot h for
  -D < h < 0: a deficit below the bed, not water, which the water balance counts like any
  volume. dA/dh > 0 everywhere, so the level equations stay regular when a reach falls dry;
  the width below the slot makes a level pulled under the slot's range cost real storage.
- Flow. A dry section keeps the flow area and conveyance of a film of ``DRY_FILM_M``:
  DRY_FILM_M b_bed and the table's conveyance at that depth. They are floors above the bed;
  below it they shrink as (1 + h/D) and (1 + h/D)^(5/3), to ``SLOT_EMPTY`` of their value
  at h = -D, so that a dry section next to water stops draining through its slot about D
  below its bed. Storage (A, B) and flow (A_f, K) thus part below the bed: the slot holds
  little, the film keeps the momentum equation well posed.

What this costs and what is approximate:
- a dry section at a wet one passes at most the film's flow, K_film sqrt(S) (about
  2e-3 m3/s for a 10 m bed, n = 0.03, S = 2e-4);
- a point draining through its slot gives up at most b_slot D per metre of water that was
  never there (0.1 m3/m for a 10 m bed with the defaults) and takes it back when it wets;
  the balance is exact, that volume is not physical;
- the level of a dry point is the slot's level, not a water level; a level that a node
  imposes (a boundary, or a wet junction below the bed of a dry reach) can be anything.

Parameters (``twin.config.run.HydroNumerics``; numerical choices, assumed): slot width 1 %
of the bed width and at least 1 cm; slot depth D = 1 m.

Above the table (bank tops plus a margin) the section continues with vertical walls.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

DRY_FILM_M = 0.01
"""Depth of the film whose flow area and conveyance a dry section keeps (m)."""

SLOT_EMPTY = 1e-3
"""Share of the film's flow area and conveyance left at and below the slot's bottom (-)."""


class StageTables(NamedTuple):
    """Stage tables of all placed sections, flattened. Section s occupies rows
    ``ptr[s]:ptr[s+1]``; row j is at depth ``h0[s] + j*dh[s]``.

    Fields (SI): h0 (m, the first depth, 0), dh (m), area (m2), width (top width, m),
    conveyance (m3/s), slot_width (m), k_dry (the film's conveyance, m3/s), b_bed (top
    width at the film's depth, at least the slot width, m), bed_level (m, lowest bed point
    as placed).
    """

    ptr: np.ndarray
    h0: np.ndarray
    dh: np.ndarray
    area: np.ndarray
    width: np.ndarray
    conveyance: np.ndarray
    slot_width: np.ndarray
    k_dry: np.ndarray
    b_bed: np.ndarray
    bed_level: np.ndarray


# ------------------------------------------------------------------- geometry (setup)
def _segment_props(x0, z0, x1, z1, levels):
    """Wetted width, area and wetted perimeter of one bed segment below each level.

    Exact for a straight segment from (x0, z0) to (x1, z1) (m). Vectorised over ``levels``.
    """
    lo, hi = min(z0, z1), max(z0, z1)
    dx = abs(x1 - x0)
    w = np.zeros_like(levels)
    a = np.zeros_like(levels)
    p = np.zeros_like(levels)
    seg_len = np.hypot(dx, hi - lo)
    if hi == lo:
        wet = levels > lo
        w[wet] = dx
        a[wet] = dx * (levels[wet] - lo)
        p[wet] = dx
        return w, a, p
    full = levels >= hi
    part = (levels > lo) & ~full
    frac = (levels[part] - lo) / (hi - lo)
    w[part] = dx * frac
    a[part] = 0.5 * w[part] * (levels[part] - lo)
    p[part] = seg_len * frac
    w[full] = dx
    a[full] = dx * (levels[full] - 0.5 * (lo + hi))
    p[full] = seg_len
    return w, a, p


def irregular_table(station, elevation, panel_breaks, panel_n, levels):
    """Area, top width and conveyance at absolute ``levels`` for a surveyed section.

    Panels split the section at ``panel_breaks`` (stations); each panel has its own n.
    Beyond the end stations the banks continue vertically. Returns (area, width, conveyance).
    """
    st = np.asarray(station, float)
    el = np.asarray(elevation, float)
    breaks = np.asarray(panel_breaks, float)
    # Insert the panel breaks as vertices so every segment lies in one panel.
    for b in breaks:
        if st[0] < b < st[-1] and not np.any(np.isclose(st, b)):
            k = np.searchsorted(st, b)
            zb = el[k - 1] + (el[k] - el[k - 1]) * (b - st[k - 1]) / (st[k] - st[k - 1])
            st = np.insert(st, k, b)
            el = np.insert(el, k, zb)
    n_panels = len(panel_n)
    area = np.zeros((n_panels, levels.size))
    perim = np.zeros((n_panels, levels.size))
    width = np.zeros(levels.size)
    for k in range(st.size - 1):
        mid = 0.5 * (st[k] + st[k + 1])
        panel = int(np.searchsorted(breaks, mid)) if breaks.size else 0
        w, a, p = _segment_props(st[k], el[k], st[k + 1], el[k + 1], levels)
        area[panel] += a
        perim[panel] += p
        width += w
    # Vertical walls above the end points of the survey.
    for end, panel in ((0, 0), (-1, n_panels - 1)):
        wall = np.clip(levels - el[end], 0.0, None)
        perim[panel] += wall
    conv = np.zeros(levels.size)
    for panel in range(n_panels):
        a, p = area[panel], perim[panel]
        ok = (a > 0) & (p > 0)
        conv[ok] += a[ok] * (a[ok] / p[ok]) ** (2.0 / 3.0) / panel_n[panel]
    total_area = area.sum(axis=0)
    return total_area, width, conv


def shape_polyline(shape: str, width_m=0.0, bottom_width_m=0.0, side_slope=0.0, height_m=10.0):
    """(station, elevation above bed) of a rectangle or trapezoid, for ``irregular_table``."""
    if shape == "rectangular":
        b = width_m
        return np.array([0.0, 0.0, b, b]), np.array([height_m, 0.0, 0.0, height_m])
    if shape == "trapezoidal":
        b, m, h = bottom_width_m, side_slope, height_m
        if b == 0:
            return np.array([0.0, m * h, 2 * m * h]), np.array([h, 0.0, h])
        return np.array([0.0, m * h, m * h + b, 2 * m * h + b]), np.array([h, 0.0, 0.0, h])
    raise ValueError(f"unknown shape {shape}")


def build_table(station, elevation_rel, panel_breaks, panel_n, dh, margin_m=20.0):
    """Stage table in depth above the lowest point for one section.

    ``elevation_rel`` is relative to the lowest bed point (its minimum is 0). Returns
    (h0, dh, area, width, conveyance) with rows from h = 0 to the bank top plus ``margin_m``.
    The area column is rebuilt as the exact integral of the piecewise-linear width so that
    dA/dh = B between rows (see the module docstring).
    """
    top = float(np.max(elevation_rel)) + margin_m
    n = int(np.ceil(top / dh)) + 1
    h = np.arange(n) * dh
    _, _, conv = irregular_table(station, elevation_rel, panel_breaks, panel_n, h)
    # Top width as the limit from above at each row, so a flat bed at h = 0 counts.
    _, width, _ = irregular_table(station, elevation_rel, panel_breaks, panel_n, h + 1e-9)
    # Area as the exact integral of the piecewise-linear width (trapezoid rule is exact
    # for linear B). It equals the true area for rectangles and trapezoids; where a bank
    # kink falls between rows of an irregular section the width is smoothed over one row.
    area = np.concatenate([[0.0], np.cumsum(0.5 * (width[1:] + width[:-1]) * dh)])
    return 0.0, dh, area, width, conv


def pack_tables(tables: list[tuple], bed_levels, slot_widths) -> StageTables:
    """Flatten a list of (h0, dh, area, width, conveyance) into a StageTables."""
    if not tables:  # a network of structures alone: no reach, no section
        e = np.zeros(0)
        return StageTables(np.zeros(1, np.int64), e, e, e, e, e, e, e, e, e)
    sizes = [t[2].size for t in tables]
    ptr = np.zeros(len(tables) + 1, np.int64)
    ptr[1:] = np.cumsum(sizes)
    k_dry = np.empty(len(tables))
    b_bed = np.empty(len(tables))
    for s, t in enumerate(tables):
        depth = np.arange(t[2].size) * t[1] + t[0]
        k_dry[s] = np.interp(DRY_FILM_M, depth, t[4])
        b_bed[s] = max(np.interp(DRY_FILM_M, depth, t[3]), slot_widths[s])
    return StageTables(
        ptr=ptr,
        h0=np.array([t[0] for t in tables], float),
        dh=np.array([t[1] for t in tables], float),
        area=np.concatenate([t[2] for t in tables]),
        width=np.concatenate([t[3] for t in tables]),
        conveyance=np.concatenate([t[4] for t in tables]),
        slot_width=np.asarray(slot_widths, float),
        k_dry=np.maximum(k_dry, 1e-12),
        b_bed=b_bed,
        bed_level=np.asarray(bed_levels, float),
    )


# --------------------------------------------------------------------- lookup (kernels)
@numba.njit(cache=True)
def eval_points(
    z, first, last, bed, sec_a, sec_b, w_b, tab, slot_depth, out_a, out_b, out_k, out_f
):
    """Storage area (m2), top width (m), conveyance (m3/s) and flow area (m2) at points
    first..last-1 for levels z.

    Each point blends its two bracketing sections, (1 - w) a + w b, both evaluated at the
    same depth h = z - bed above the point's bed. Per section: below the bed, the slot
    (storage area b_slot h < 0, width b_slot, widening to b_bed below ``slot_depth``; flow
    area and conveyance those of the film, shrinking to nothing at ``slot_depth`` below the
    bed; see the module docstring); within the table, B linear, A its exact integral,
    K linear, with the film's flow area and conveyance as floors; above the table, vertical
    walls with K grown as A^(5/3) (wide-channel approximation).

    One loop with the lookup written out: calling a per-point function that returns a tuple
    costs ten times the arithmetic here.
    """
    ptr = tab.ptr
    for p in range(first, last):
        h = z[p] - bed[p]
        a_sum = 0.0
        b_sum = 0.0
        k_sum = 0.0
        f_sum = 0.0
        wb = w_b[p]
        for side in range(2):
            if side == 0:
                s = sec_a[p]
                wt = 1.0 - wb
            else:
                s = sec_b[p]
                wt = wb
                if s == sec_a[p] or wt <= 0.0:
                    break
            if h <= 0.0:
                # the slot: widening below slot_depth and the film's shrinking come after
                b = tab.slot_width[s]
                a = b * h
                k = tab.k_dry[s]
                fa = DRY_FILM_M * tab.b_bed[s]
            else:
                start = ptr[s]
                n = ptr[s + 1] - start
                x = (h - tab.h0[s]) / tab.dh[s]
                j = int(x)
                if j >= n - 1:
                    i = start + n - 1
                    b = tab.width[i]
                    a = tab.area[i] + b * (h - tab.h0[s] - (n - 1) * tab.dh[s])
                    k = tab.conveyance[i] * (a / tab.area[i]) ** (5.0 / 3.0)
                else:
                    f = x - j
                    i = start + j
                    b0 = tab.width[i]
                    b1 = tab.width[i + 1]
                    b = b0 + f * (b1 - b0)
                    a = tab.area[i] + f * tab.dh[s] * (b0 + 0.5 * f * (b1 - b0))
                    k = tab.conveyance[i] + f * (tab.conveyance[i + 1] - tab.conveyance[i])
                    if k < tab.k_dry[s]:
                        k = tab.k_dry[s]
                fa = DRY_FILM_M * tab.b_bed[s]
                if a > fa:
                    fa = a
            if side == 0 and (sec_b[p] == s or wb <= 0.0):
                wt = 1.0
            a_sum += wt * a
            b_sum += wt * b
            k_sum += wt * k
            f_sum += wt * fa
        if h <= 0.0:
            # below the bed (outside the loop over sections: the same for both, and far
            # cheaper here than inside it)
            fill = 1.0 + h / slot_depth
            if fill < SLOT_EMPTY:
                fill = SLOT_EMPTY
            if h < -slot_depth:
                b_bed = f_sum / DRY_FILM_M
                a_sum = -b_sum * slot_depth + b_bed * (h + slot_depth)
                b_sum = b_bed
            f_sum *= fill
            k_sum *= fill ** (5.0 / 3.0)
        out_a[p] = a_sum
        out_b[p] = b_sum
        out_k[p] = k_sum
        out_f[p] = f_sum
