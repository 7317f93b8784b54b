"""Longitudinal dispersion: the coefficient (constant, per reach or after Fischer 1979) and
its implicit step along each reach.

Implicit (backward Euler) along each reach, fluxes D A dC/dx at the faces between its cells;
no dispersive exchange through nodes (advection dominates there; documented).
"""

from __future__ import annotations

import numba
import numpy as np

from .cells import V_DRY_M3


@numba.njit(cache=True)
def fischer_dispersion(q, area, width, conv, g, dmin, dmax, out):
    """Fischer (1979) longitudinal dispersion D = 0.011 U^2 W^2 / (h u*), u* = sqrt(g h S_f),
    S_f = (Q/K)^2, bounded to [dmin, dmax] m2/s (near-stagnant reaches get dmin)."""
    for p in range(q.size):
        a = area[p]
        if a <= 0.0 or width[p] <= 0.0:
            out[p] = dmin
            continue
        u = q[p] / a
        h = a / width[p]
        sf = (q[p] / conv[p]) ** 2
        ustar = np.sqrt(g * h * sf)
        d = 0.011 * u * u * width[p] * width[p] / (h * ustar) if ustar > 0.0 else dmin
        out[p] = min(max(d, dmin), dmax)


@numba.njit(cache=True)
def disperse(ta, net, point_area, disp_coef, mass, conc, dt, w):
    """Implicit dispersion along each reach (backward Euler, Thomas algorithm), all tracers.

    Face between cells c-1 and c at point p: exchange coefficient K = D_p A_p / dx_p (m3/s)
    with dx_p the distance between cell centres. Volumes are the end-of-step w.v1.
    """
    ntr = mass.shape[1]
    for r in range(ta.reach_cell_ptr.size - 1):
        c0 = ta.reach_cell_ptr[r]
        c1 = ta.reach_cell_ptr[r + 1]
        n = c1 - c0
        if n < 2:
            continue
        p0 = net.reach_pt[r]
        any_k = False
        for i in range(n):
            w.tri_k[i] = 0.0
        # tri_k[i]: coefficient of the face between cell i-1 and i (i >= 1)
        for i in range(1, n):
            c = c0 + i
            if w.v1[c] <= V_DRY_M3 or w.v1[c - 1] <= V_DRY_M3:
                continue
            p = p0 + i
            dxc = 0.5 * (net.cell_dx[c - 1] + net.cell_dx[c])
            w.tri_k[i] = disp_coef[p] * max(point_area[p], 0.0) / dxc
            any_k = any_k or w.tri_k[i] > 0.0
        if not any_k:
            continue
        for i in range(n):
            c = c0 + i
            kl = w.tri_k[i] * dt if i > 0 else 0.0
            kr = w.tri_k[i + 1] * dt if i + 1 < n else 0.0
            w.tri_a[i] = -kl
            w.tri_c[i] = -kr
            w.tri_b[i] = max(w.v1[c], V_DRY_M3) + kl + kr
        # forward elimination (the same for every tracer): store the multipliers in tri_a
        # and the reciprocals of the pivots in tri_b
        w.tri_b[0] = 1.0 / w.tri_b[0]
        for i in range(1, n):
            m = w.tri_a[i] * w.tri_b[i - 1]
            w.tri_b[i] = 1.0 / (w.tri_b[i] - m * w.tri_c[i - 1])
            w.tri_a[i] = m
        # all tracers at once, row by row (the rows of mass and conc are contiguous)
        for i in range(n):
            c = c0 + i
            m = w.tri_a[i] if i > 0 else 0.0
            for k in range(ntr):
                rhs = mass[c, k] if w.v1[c] > V_DRY_M3 else conc[c, k] * V_DRY_M3
                w.tri_x[i, k] = rhs - m * w.tri_x[i - 1, k] if i > 0 else rhs
        for k in range(ntr):
            w.tri_x[n - 1, k] *= w.tri_b[n - 1]
        for i in range(n - 2, -1, -1):
            ci, bi = w.tri_c[i], w.tri_b[i]
            for k in range(ntr):
                w.tri_x[i, k] = (w.tri_x[i, k] - ci * w.tri_x[i + 1, k]) * bi
        for i in range(n):
            c = c0 + i
            if w.v1[c] > V_DRY_M3:
                for k in range(ntr):
                    x = max(w.tri_x[i, k], 0.0)
                    conc[c, k] = x
                    mass[c, k] = x * w.v1[c]
